"""benchmarks/refit_band.py: the same code's forest refitted on subsets of its training rows."""

from __future__ import annotations

from types import ModuleType

import joblib
import numpy as np
import pytest

from spamfarm.signals import FEATURE_NAMES
from spamfarm.train import Row, make_forest

from .conftest import load_benchmark


def _module() -> ModuleType:
    return load_benchmark("refit_band")


def _small(seed: int):  # type: ignore[no-untyped-def]
    # the training command's estimator with fewer, smaller trees, so that the test runs in seconds
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.model_selection import StratifiedKFold

    forest = make_forest(seed, max_iter=20, min_samples_leaf=10)
    return CalibratedClassifierCV(
        forest, method="sigmoid", cv=StratifiedKFold(3, shuffle=True, random_state=seed), ensemble=False
    )


def _rows(n: int, seed: int) -> list[Row]:
    # spam rows sit higher on a few signals, with overlap, so that the forest has borderline pages
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        label = int(i % 3 == 0)
        x = rng.normal(0, 1, len(FEATURE_NAMES)) + label * rng.uniform(0.5, 1.5) * (np.arange(len(FEATURE_NAMES)) < 5)
        group = ("farm/a" if i % 2 else "farm/b") if label else ("clean/x" if i % 2 else "clean/y")
        rows.append(Row(np.round(x, 1), label, group, "src", "en", f"p{i}"))  # few distinct values: quick to bin
    return rows


def test_a_share_of_one_refits_the_dumps_own_model_exactly(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    rb = _module()
    dump = {"train_rows": _rows(600, 0), "held_rows": _rows(300, 1)}
    hand = [("set1", r.label, r.x) for r in _rows(40, 2)]
    figs = rb.refit_band(dump, hand, refits=1, share=1.0, log=lambda _: None, make=_small)
    assert [f["fit"] for f in figs] == ["all rows", "refit 1 (600 rows)"]
    for f in figs[1:]:  # the fit is deterministic: the same rows give the same figures
        assert {k: v for k, v in f.items() if k != "fit"} == {k: v for k, v in figs[0].items() if k != "fit"}
    assert set(figs[0]["false_positives"]) == {"clean/x", "clean/y"}
    assert figs[0]["roc_auc"] > 0.7 and 0 < figs[0]["recall_at_1pct_fpr"] <= 1
    assert set(figs[0]["handwritten"]) == {"set1"}
    # subsets move the figures, and the band says by how much
    moved = rb.refit_band(dump, [], refits=2, share=0.8, log=lambda _: None, make=_small)
    assert len({round(f["roc_auc"], 6) for f in moved}) > 1
    lines = rb.bands(moved)
    assert lines[0].startswith("recall at 1 % FPR: ") and "(refits " in lines[0]
    assert any(line.startswith("false positives at 0.5, clean/x: ") for line in lines)
    with pytest.raises(ValueError, match="share"):
        rb.refit_band(dump, [], share=0.0)
    joblib.dump(dump, tmp_path / "d.joblib")
    assert rb.main([str(tmp_path / "d.joblib"), "--share", "1.5"]) == 2


def test_cli_prints_each_fit_and_the_ranges(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rb = _module()
    monkeypatch.setattr(rb, "make_estimator", _small)
    joblib.dump({"train_rows": _rows(300, 3), "held_rows": _rows(150, 4)}, tmp_path / "d.joblib")
    assert rb.main([str(tmp_path / "d.joblib"), "--refits", "1", "--share", "0.9"]) == 0
    out = capsys.readouterr().out
    assert "all rows" in out and "refit 1 (270 rows)" in out
    assert "ranges over 1 refits on 90% of the training rows" in out
