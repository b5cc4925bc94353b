"""Evaluation gate: the shipped model on a fixed sample of held-out sites must not regress.

Pins minimum figures on pages the model never trained on (held-out sites of the shared corpus,
and farm pages simulated from them). The bounds sit a little below the figures in
models/MODEL_CARD.md so that noise from the small sample does not fail CI, but a real
regression does.
"""

from __future__ import annotations

import numpy as np
import pytest

import spamfarm
from spamfarm.corpus import read_corpus
from spamfarm.farm import TECHNIQUES, FarmSimulator, pool_from_pages
from spamfarm.spamsim import SPAM_KINDS

from .conftest import CORPUS, needs_shared

N_PAGES = 120
# Measured with the shipped model on this sample (2026-11-25, model 0.6.35, 49 signals): FPR 0.008,
# recall 0.923, AUC 0.987 (0.6.34: 0.008, 0.922, 0.988; 0.6.33: 0.008, 0.922, 0.989; 0.6.32 and
# 0.6.29: 0.008, 0.922, 0.987; 0.6.16 and 0.6.15: 0.008, 0.913, 0.987; 0.6.13: 0.008, 0.922, 0.985;
# 0.6.9 and 0.6.10: 0.000, 0.924, 0.986; every model since 0.1.0 gave FPR <= 0.017, recall >= 0.883, AUC >= 0.980: the
# history of this comment has the figures of each).
MAX_HONEST_FPR = 0.04  # share of held-out honest pages at or above the default threshold
MIN_MIXED_RECALL = 0.84  # share of simulated farm pages (default technique mix) at or above it
MIN_AUC = 0.96


@pytest.fixture(scope="module")
def heldout() -> list:
    recs = [r for r in read_corpus(CORPUS) if r.split == "heldout"]
    return recs[:: max(1, len(recs) // N_PAGES)][:N_PAGES]


@needs_shared
def test_gate_on_heldout_sites(heldout: list) -> None:
    from sklearn.metrics import roc_auc_score

    honest = np.array([spamfarm.score(r.html, url=r.url) for r in heldout])
    sim = FarmSimulator(pool_from_pages([(r.html, r.url) for r in heldout]), seed=123)
    farms = [sim.farm(r.html, url=r.url, key=r.id) for r in heldout]
    farm_scores = np.array([spamfarm.score(f.html, url=f.url) for f in farms if f is not None])
    assert len(farm_scores) >= N_PAGES // 2
    fpr = float(np.mean(honest >= spamfarm.DEFAULT_THRESHOLD))
    recall = float(np.mean(farm_scores >= spamfarm.DEFAULT_THRESHOLD))
    auc = roc_auc_score(np.r_[np.zeros(len(honest)), np.ones(len(farm_scores))], np.r_[honest, farm_scores])
    assert fpr <= MAX_HONEST_FPR, f"false-positive rate {fpr:.3f} on held-out honest pages"
    assert recall >= MIN_MIXED_RECALL, f"recall {recall:.3f} on simulated farm pages"
    assert auc >= MIN_AUC, f"ROC-AUC {auc:.3f}"


@needs_shared
def test_every_technique_is_detected_more_often_than_honest_pages(heldout: list) -> None:
    honest = np.array([spamfarm.score(r.html, url=r.url) for r in heldout[:60]])
    sim = FarmSimulator(pool_from_pages([(r.html, r.url) for r in heldout]), seed=7)
    for t in TECHNIQUES:
        farms = [sim.farm(r.html, url=r.url, key=r.id, techniques=[t], layout="inplace") for r in heldout[:60]]
        scores = np.array([spamfarm.score(f.html, url=f.url) for f in farms if f is not None])
        assert np.median(scores) > np.median(honest), t


@needs_shared
def test_every_other_spam_kind_is_detected_more_often_than_honest_pages(heldout: list) -> None:
    honest = np.array([spamfarm.score(r.html, url=r.url) for r in heldout[:60]])
    sim = FarmSimulator(pool_from_pages([(r.html, r.url) for r in heldout]), seed=11)
    for kind in SPAM_KINDS:
        pages = [sim.spam(r.html, url=r.url, key=r.id, kind=kind) for r in heldout[:40]]
        scores = np.array([spamfarm.score(p.html, url=p.url) for p in pages if p is not None])
        assert len(scores) >= 20, kind
        assert np.median(scores) > np.quantile(honest, 0.9), kind
