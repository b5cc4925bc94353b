"""Choose the page model's forest settings by cross-validation on the training rows only.

    python -m spamfarm.train --corpus ../shared/data/clean --out /tmp/model --dump /tmp/rows.joblib
    python benchmarks/tune_estimator.py /tmp/rows.joblib [--folds 5]

The rows are the training half's feature vectors that ``--dump`` saved (farm and spam pages with
their honest source pages); the held-out sites are never read, so the choice does not peek at the
figures the model card reports. Folds are grouped by source page: an honest page and every page
simulated from it fall in the same fold. For each setting the script prints the pooled
out-of-fold ROC-AUC and recall at 1 % false-positive rate, overall and for the two hardest
techniques, next to the settings in :data:`spamfarm.train.FOREST_PARAMS` run in the same process.

The forest never stops early (``early_stopping`` is False in FOREST_PARAMS), so the folds here
and the shipped fit grow the same number of trees whatever the number of rows.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import numpy as np

from spamfarm import train

#: The settings tried against FOREST_PARAMS (each a change to it).
CANDIDATES: dict[str, dict[str, Any]] = {
    "shipped": {},
    "leaf 80, l2 5 (0.6.3)": {"min_samples_leaf": 80, "l2_regularization": 5.0},
    "leaf 20, 15 nodes, l2 5": {"min_samples_leaf": 20, "max_leaf_nodes": 15, "l2_regularization": 5.0},
    "leaf 40, 15 nodes": {"max_leaf_nodes": 15},
    "leaf 80": {"min_samples_leaf": 80},
}


def cross_validate(rows: list[Any], overrides: dict[str, Any], folds: int, seed: int = 0) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold

    X = np.stack([r.x for r in rows])
    y = np.array([r.label for r in rows])
    groups = np.array(["/".join(r.key.split("/")[:2]) for r in rows])
    kinds = np.array([r.group for r in rows])
    w = train.class_weights(y)
    margin = np.zeros(len(y))
    for fit_idx, test_idx in GroupKFold(folds).split(X, y, groups):
        forest = train.make_forest(seed, **overrides).fit(X[fit_idx], y[fit_idx], sample_weight=w[fit_idx])
        margin[test_idx] = forest.decision_function(X[test_idx])
    thr = np.quantile(margin[y == 0], 1 - train.FPR, method="higher")
    out = {"auc": float(roc_auc_score(y, margin)), "recall": float(np.mean(margin[y == 1] > thr))}
    for kind in ("farm/inject_body", "farm/fake_date"):
        out[kind.split("/")[1]] = float(np.mean(margin[kinds == kind] > thr))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rows", help="a joblib file written by python -m spamfarm.train --dump")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    import joblib

    import __main__

    # Dumps written before train.py ran its module's main refer to __main__.Row.
    __main__.Row = train.Row  # type: ignore[attr-defined]
    rows = joblib.load(args.rows)["train_rows"]
    print(f"{len(rows)} training rows, {args.folds} folds grouped by source page; FOREST_PARAMS {train.FOREST_PARAMS}")
    print(f"{'setting':<26} {'AUC':>7} {'R@1%':>6} {'inject_body':>11} {'fake_date':>9} {'time':>6}")
    for name, overrides in CANDIDATES.items():
        t0 = time.perf_counter()
        m = cross_validate(rows, overrides, args.folds)
        print(
            f"{name:<26} {m['auc']:7.4f} {m['recall']:6.3f} {m['inject_body']:11.3f} {m['fake_date']:9.3f}"
            f" {time.perf_counter() - t0:5.0f}s",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
