"""benchmarks/ab_code.py: two versions of the code timed in one process, page by page."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import PARKS, article, load_benchmark

REPO = Path(__file__).resolve().parent.parent


def _git_checkout() -> bool:
    if shutil.which("git") is None:
        return False
    r = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True)
    return r.returncode == 0


@pytest.mark.skipif(not _git_checkout(), reason="needs a git checkout of spamfarm (git archive reads its history)")
def test_a_version_against_itself_scores_alike_and_prints_every_stage(tmp_path: Path) -> None:
    corpus = tmp_path / "pages.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as fh:
        for i in range(4):
            fh.write(json.dumps({"id": str(i), "source": "t", "html": article(PARKS * (i + 1))}) + "\n")
    ab = load_benchmark("ab_code")
    out = io.StringIO()
    figs = ab.run("HEAD", "HEAD", str(corpus), 4, 2, out=out)
    text = out.getvalue()
    assert text.count("round ") == 2
    for stage in ("parse", "injected", "linklists", "bylines", "quality", "webspam", "classifier", "whole"):
        assert f"\n{stage} " in text
    assert figs["a_ms"] > 0 and figs["b_ms"] > 0 and 0.2 < figs["ratio"] < 5


@pytest.mark.skipif(not _git_checkout(), reason="needs a git checkout of spamfarm (git archive reads its history)")
def test_a_version_that_scores_a_page_differently_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "pages.jsonl"
    corpus.write_text(json.dumps({"id": "0", "source": "t", "html": article(PARKS)}) + "\n", encoding="utf-8")
    ab = load_benchmark("ab_code")
    real = ab.stages

    def shifted(mod, model, html):  # type: ignore[no-untyped-def]
        times, p = real(mod, model, html)
        return times, p + 1.0 if mod.__name__ == "spamfarm_b" else p  # never the same

    monkeypatch.setattr(ab, "stages", shifted)
    with pytest.raises(SystemExit, match="the two versions give"):
        ab.run("HEAD", "HEAD", str(corpus), 1, 1, out=io.StringIO())
