"""benchmarks/peers.py: its core runs on a few pages and gives every figure for every scorer.

The figures themselves are not checked here (a handful of pages says nothing about them)."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path
from types import ModuleType

import pytest

from spamfarm.corpus import PAGE_TYPES

from .conftest import CORPUS, load_benchmark, needs_shared

eval_extra = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("datatrove", "trafilatura", "spacy", "lxml_html_clean")),
    reason="needs the eval extra: pip install -e '.[eval]'",
)


def _peers() -> ModuleType:
    return load_benchmark("peers")


@eval_extra
def test_filter_bank_scores_rules_and_drops_empty_text() -> None:
    peers = _peers()
    bank = peers.FilterBank()
    prose = " ".join(
        f"The council said on day {i} that the new budget for the parks would be voted on by the members of the board."
        for i in range(12)
    )
    res = bank.evaluate(prose, "en")
    assert set(res) == set(peers.FILTERS)
    for v in res.values():
        assert v["dropped"] == (v["score"] > 0)
        assert 0.0 <= v["score"] <= 1.0 and v["n_rules"] >= 3
    empty = bank.evaluate("", "de")
    assert all(v["dropped"] and v["score"] == 1.0 for v in empty.values())
    assert peers.any_filter(empty) == 1.0


@needs_shared
@eval_extra
def test_peer_benchmark_core_on_a_few_pages(tmp_path: Path) -> None:
    peers = _peers()
    # the simulators need a pool of 20+ pages of each split; 200 corpus pages give that
    result = peers.run(CORPUS, seed=0, limit=200, workers=1, max_jobs=60)
    json.dumps(result)  # JSON-ready
    assert set(result["scorers"]) == set(peers.SCORERS)
    for m in result["scorers"].values():
        for key in ("roc_auc", "pr_auc", "recall_at_1pct_fpr", "fpr_at_default_threshold", "per_kind", "negatives"):
            assert key in m
        assert any(k.startswith("farm/") for k in m["per_kind"]) and any(k.startswith("spam/") for k in m["per_kind"])
        assert any(g.startswith("clean/") for g in m["negatives"])
        assert all(v["n"] >= peers.MIN_LANG_PAGES for v in m["fpr_by_language"].values())
        types = m["fpr_by_page_type"]  # every honest corpus page has a kind, the same for every scorer
        assert sum(v["n"] for v in types.values()) == sum(
            v["n"] for g, v in m["negatives"].items() if g.startswith("clean/")
        )
        assert set(types) <= set(PAGE_TYPES)
        assert 0.0 <= m["roc_auc"] <= 1.0
    assert set(result["targets"]) == {"roc_auc", "fpr", "recall_each_kind", "ahead_of_peers_each_kind"}
    assert not math.isnan(result["rewritten_honest"]["spamfarm_fpr_rewritten"])
    text = peers.render(result)
    assert "spamfarm" in text and "FineWeb" in text and "Targets" in text and "type=" in text


def test_ahead_means_higher_recall_and_at_the_ceiling_higher_auc() -> None:
    peers = _peers()

    def scorer(recall: float, auc: float) -> dict:
        return {
            "roc_auc": 0.9,
            "negatives": {"clean/x": {"fpr_at_default_threshold": 0.0}},
            "fpr_by_language": {},
            "per_kind": {"spam/doorway": {"recall_at_1pct_fpr": recall, "roc_auc": auc}},
        }

    def ahead(sf: tuple[float, float], peer: tuple[float, float]) -> bool:
        scorers = {n: scorer(0.0, 0.5) for n in peers.SCORERS}
        scorers["spamfarm"], scorers["char_ngram_lr"] = scorer(*sf), scorer(*peer)
        return peers.check_targets({"scorers": scorers})["ahead_of_peers_each_kind"]["met"]

    assert ahead((0.9, 0.95), (0.8, 0.99))  # recall decides below the ceiling
    assert not ahead((0.8, 0.999), (0.9, 0.95))
    assert not ahead((0.9, 0.999), (0.9, 0.95))  # level below the ceiling is not ahead
    assert ahead((1.0, 0.9999), (1.0, 0.999))  # both at 1.000: the kind's AUC decides
    assert not ahead((1.0, 0.999), (1.0, 0.999))
    assert not ahead((1.0, 0.998), (1.0, 0.999))
