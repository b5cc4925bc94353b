"""benchmarks/compare_models.py: paired bootstrap intervals for two models' held-out figures."""

from __future__ import annotations

from types import ModuleType

import joblib
import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from spamfarm.train import Row

from .conftest import load_benchmark


def _module() -> ModuleType:
    return load_benchmark("compare_models")


def _pages(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = np.r_[np.zeros(600, int), np.ones(400, int)]
    groups = np.array(["clean/x"] * 600 + ["farm/a"] * 200 + ["farm/b"] * 200)
    probs = np.r_[rng.beta(2, 8, 600), rng.beta(8, 2, 200), rng.beta(3, 4, 200)]
    return labels, groups, probs


def test_auc_matches_scikit_learn_with_ties() -> None:
    cm = _module()
    neg = np.array([0.1, 0.2, 0.2, 0.5, 0.9])
    pos = np.array([0.2, 0.5, 0.7, 0.9, 0.95, 0.2])
    assert cm._auc(neg, pos) == pytest.approx(roc_auc_score(np.r_[np.zeros(5), np.ones(6)], np.r_[neg, pos]))


def test_the_same_model_twice_differs_by_nothing() -> None:
    cm = _module()
    labels, groups, probs = _pages()
    figs = cm.paired_bootstrap(labels, groups, probs, probs.copy(), rounds=50)
    assert [f["set"] for f in figs] == ["all", "farm/a", "farm/b"]
    assert [f["n_spam"] for f in figs] == [400, 200, 200]
    for f in figs:
        for m in ("recall_at_1pct_fpr", "roc_auc"):
            assert f[m]["diff"] == f[m]["low"] == f[m]["high"] == 0


def test_a_better_model_on_one_kind_shows_there_and_only_there() -> None:
    cm = _module()
    labels, groups, probs = _pages()
    better = probs.copy()
    b = groups == "farm/b"
    better[b] = np.minimum(1.0, probs[b] + 0.35)  # kind b scores higher; honest pages and kind a alone
    figs = {f["set"]: f for f in cm.paired_bootstrap(labels, groups, probs, better, rounds=200, seed=1)}
    assert figs["farm/b"]["recall_at_1pct_fpr"]["low"] > 0
    assert figs["farm/b"]["roc_auc"]["low"] > 0
    assert figs["all"]["recall_at_1pct_fpr"]["diff"] > 0
    assert figs["farm/a"]["recall_at_1pct_fpr"]["diff"] == 0
    # a small random reshuffle of scores is noise: its interval holds 0
    noisy = probs + np.random.default_rng(2).normal(0, 0.01, len(probs))
    f = cm.paired_bootstrap(labels, groups, probs, noisy, rounds=200)[0]
    assert f["recall_at_1pct_fpr"]["low"] <= 0 <= f["recall_at_1pct_fpr"]["high"]


def _dump_rows(labels: np.ndarray, groups: np.ndarray) -> list[Row]:
    """Held-out rows as a --dump file holds them (the signal values do not matter here)."""
    return [
        Row(np.zeros(1), int(lab), str(g), "src", "en", f"p{i}")
        for i, (lab, g) in enumerate(zip(labels, groups, strict=True))
    ]


def test_cli_reads_two_dumps_and_refuses_different_pages(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    cm = _module()
    labels, groups, probs = _pages()
    rows = _dump_rows(labels, groups)
    joblib.dump({"held_rows": rows, "probs": probs}, tmp_path / "a.joblib")
    joblib.dump({"held_rows": rows, "probs": np.clip(probs + 0.01, 0, 1)}, tmp_path / "b.joblib")
    assert cm.main([str(tmp_path / "a.joblib"), str(tmp_path / "b.joblib"), "--rounds", "20"]) == 0
    out = capsys.readouterr().out
    assert "600 honest pages" in out and "farm/b" in out
    joblib.dump({"held_rows": rows[::-1], "probs": probs[::-1]}, tmp_path / "c.joblib")
    assert cm.main([str(tmp_path / "a.joblib"), str(tmp_path / "c.joblib"), "--rounds", "20"]) == 2
    assert "same held-out pages" in capsys.readouterr().err


def test_common_compares_the_pages_both_dumps_hold(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # A change to how pages are read can leave a page too thin for the simulator in one run and
    # not the other: --common matches pages by key and kind, whatever their order.
    cm = _module()
    labels, groups, probs = _pages()
    rows = _dump_rows(labels, groups)
    keys = [(r.key, r.group, r.label) for r in rows]
    order = np.random.default_rng(3).permutation(len(rows))
    keep_b = [i for i in order if i not in (5, 700)]  # B lost an honest page and a spam page...
    rows_b = [rows[i] for i in keep_b] + [Row(np.zeros(1), 1, "farm/a", "src", "en", "extra")]  # ...and made one more
    probs_b = np.r_[probs[keep_b], 0.9]
    rows_c, pa, pb, only_a, only_b = cm.common_pages(keys, probs, [(r.key, r.group, r.label) for r in rows_b], probs_b)
    assert (only_a, only_b) == (2, 1)
    assert rows_c == [k for i, k in enumerate(keys) if i not in (5, 700)]
    np.testing.assert_array_equal(pa, pb)  # the same page gets its own probability from each file
    joblib.dump({"held_rows": rows, "probs": probs}, tmp_path / "a.joblib")
    joblib.dump({"held_rows": rows_b, "probs": probs_b}, tmp_path / "b.joblib")
    args = [str(tmp_path / "a.joblib"), str(tmp_path / "b.joblib"), "--rounds", "20"]
    assert cm.main(args) == 2
    assert "--common" in capsys.readouterr().err
    assert cm.main([*args, "--common"]) == 0
    out = capsys.readouterr().out
    assert "998 pages in both dumps; left out: 2 only in A, 1 only in B" in out
    assert "599 honest pages" in out
    with pytest.raises(ValueError, match="twice"):
        cm.common_pages(keys + keys[:1], np.r_[probs, 0.5], keys, probs)
