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
