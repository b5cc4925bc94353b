"""The command line: JSON lines from `score`, a readable report from `explain`, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spamfarm.__main__ import main

from .conftest import FIXTURES


def test_score_writes_one_json_line_per_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.html"
    code = main(["score", str(FIXTURES / "seed_001_farm.html"), str(missing), str(FIXTURES / "seed_000_article.html")])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1  # one file could not be read
    assert [r["id"] for r in rows] == [
        str(FIXTURES / "seed_001_farm.html"),
        str(missing),
        str(FIXTURES / "seed_000_article.html"),
    ]
    assert rows[0]["verdict"] == "spam" and rows[0]["probability"] >= 0.9 and rows[0]["top_signals"]
    assert "FileNotFoundError" in rows[1]["error"]
    assert rows[2]["verdict"] == "ok"


def test_explain_prints_verdict_and_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(FIXTURES / "seed_001_farm.html")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("verdict: SPAM")
    assert "cbsnews.com" in out and "Indexbit Exchange" in out


def test_explain_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--json", str(FIXTURES / "seed_000_article.html")]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "ok"


def test_explain_of_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["explain", str(tmp_path / "nope.html")]) == 2
    assert "spamfarm:" in capsys.readouterr().err


def test_score_and_explain_with_a_named_model_file(capsys: pytest.CaptureFixture[str]) -> None:
    from spamfarm._model import MODEL_FILE, shipped_model_dir

    model = str(shipped_model_dir() / MODEL_FILE)
    assert main(["score", "--model", model, "-q", str(FIXTURES / "seed_001_farm.html")]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "spam"
    assert main(["explain", "--model", model, str(FIXTURES / "seed_000_article.html")]) == 0
    assert capsys.readouterr().out.startswith("verdict: OK")


def test_a_named_model_file_that_is_not_a_model_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "m.joblib"
    bad.write_bytes(b"nope")
    assert main(["score", "--model", str(bad), str(FIXTURES / "seed_001_farm.html")]) == 2
    assert "spamfarm:" in capsys.readouterr().err
