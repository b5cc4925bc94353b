"""benchmarks/handwritten.py: comparing two runs page by page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import load_benchmark


def test_changes_lists_pages_that_crossed_or_moved_far() -> None:
    changes = load_benchmark("handwritten").changes
    old = {
        "a/crossed.html": {"label": "spam", "probability": 0.48},
        "a/moved.html": {"label": "honest", "probability": 0.05},
        "a/still.html": {"label": "honest", "probability": 0.30},
        "a/gone.html": {"label": "spam", "probability": 0.90},
    }
    new = {
        "a/crossed.html": {"label": "spam", "probability": 0.52},
        "a/moved.html": {"label": "honest", "probability": 0.35},
        "a/still.html": {"label": "honest", "probability": 0.38},
        "a/new.html": {"label": "spam", "probability": 0.90},
    }
    assert changes(old, new) == [
        ("a/crossed.html", "spam", 0.48, 0.52),  # crossed first, though it moved least
        ("a/moved.html", "honest", 0.05, 0.35),
    ]
    assert [c[0] for c in changes(old, new, min_move=0.05)] == ["a/crossed.html", "a/moved.html", "a/still.html"]


def test_save_then_against_lists_no_page_for_the_same_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main = load_benchmark("handwritten").main
    saved = tmp_path / "run.json"
    assert main(["--sets", "dev", "--save", str(saved)]) == 0
    data = json.loads(saved.read_text(encoding="utf-8"))
    labels = json.loads((Path(__file__).parent.parent / "benchmarks/handwritten/dev/labels.json").read_text("utf-8"))
    assert set(data["pages"]) == {f"dev/{name}" for name in labels}
    assert all(0 <= v["probability"] <= 1 for v in data["pages"].values())
    capsys.readouterr()
    # the same code and model score every page the same: nothing moved
    assert main(["--sets", "dev", "--against", str(saved)]) == 0
    assert "0 pages crossed 0.5 or moved by over 0.1" in capsys.readouterr().out
    # a saved run where one page sat on the other side of 0.5 is reported
    page = next(iter(data["pages"]))
    data["pages"][page]["probability"] = 0.99 if data["pages"][page]["probability"] <= 0.5 else 0.01
    saved.write_text(json.dumps(data), encoding="utf-8")
    assert main(["--sets", "dev", "--against", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "1 pages crossed 0.5 or moved by over 0.1" in out and page in out
