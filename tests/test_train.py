"""Training: a small smoke run end to end (CI never retrains the full model)."""

from __future__ import annotations

from pathlib import Path

import spamfarm
from spamfarm import train

from .conftest import CORPUS, needs_shared


@needs_shared
def test_small_training_run_produces_a_loadable_reproducible_model(tmp_path: Path, seed_farm_html: str) -> None:
    result = train.train(CORPUS, seed=0, workers=1, limit=80, log=lambda s: None)
    path = train.save(result, tmp_path)
    card = (tmp_path / "MODEL_CARD.md").read_text()
    assert "ROC-AUC" in card and "inject_body" in card
    m = spamfarm.load_model(path, trust=True)
    assert m.feature_names == spamfarm.FEATURE_NAMES
    p = spamfarm.score(seed_farm_html, model=m)
    assert 0.0 <= p <= 1.0
    metrics = result["card"]["metrics_heldout"]
    assert set(metrics["per_technique"]) >= set(train.TECHNIQUES)
    # the same corpus, seed and versions give the same file, byte for byte
    again = train.save(train.train(CORPUS, seed=0, workers=1, limit=80, log=lambda s: None), tmp_path / "again")
    assert again.read_bytes() == path.read_bytes()
