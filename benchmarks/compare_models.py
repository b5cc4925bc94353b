"""Is model B better than model A on the held-out pages, or did retraining just move a few pages?

    python -m spamfarm.train --corpus ../shared/data/clean --out /tmp/a --dump /tmp/a.joblib
    python -m spamfarm.train --corpus ../shared/data/clean --out /tmp/b --dump /tmp/b.joblib  # changed code
    python benchmarks/compare_models.py /tmp/a.joblib /tmp/b.joblib [--rounds 1000] [--seed 0] [--common]

Both files come from ``python -m spamfarm.train --dump`` on the same corpus and seed, so they hold
the same held-out pages in the same order (checked). A change to how pages are read can make the
simulators skip or keep a page the other run did not (a page left with too little text to edit):
``--common`` then compares the two models on the pages both files hold, matched by page key and
kind, and says how many each file had alone. The script prints, overall and for every kind
of spam page, each model's recall at 1 % false-positive rate and ROC-AUC, B minus A, and a 95 %
interval for that difference from a paired bootstrap: each round draws the honest pages and the
spam pages with replacement, once for both models, and recomputes both figures (the threshold at
1 % FPR included). A difference whose interval holds 0 is one this held-out set cannot tell from
chance. The recall at 1 % FPR rests on the dozen highest-scoring honest pages, so it is the
noisiest figure: on the 1,164 honest and 6,084 spam pages of the 0.6.16 evaluation, five variants
of the phrase model and its training (2026-11-24) moved it by -0.018 to +0.007, each with an
interval 0.045-0.081 wide that held 0; their ROC-AUC moved by -0.001 to 0.000 (intervals about
0.002 wide).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

import joblib
import numpy as np
from scipy.stats import rankdata

from spamfarm.train import _recall_at_fpr as _recall_and_threshold


def _recall_at_fpr(neg: np.ndarray, pos: np.ndarray) -> float:
    return _recall_and_threshold(neg, pos)[0]  # spamfarm.train's own reading of the figure


def _auc(neg: np.ndarray, pos: np.ndarray) -> float:
    # ROC-AUC as the Mann-Whitney U of the spam pages' mid-ranks: scikit-learn's roc_auc_score
    # gives the same figure (tests/test_compare_models.py) but made a run of 1,000 rounds take
    # minutes instead of seconds.
    ranks = rankdata(np.r_[neg, pos])
    return float((ranks[len(neg) :].sum() - len(pos) * (len(pos) + 1) / 2) / (len(neg) * len(pos)))


def paired_bootstrap(
    labels: np.ndarray,
    groups: np.ndarray,
    probs_a: np.ndarray,
    probs_b: np.ndarray,
    *,
    rounds: int = 1000,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Per set of spam pages ("all" and each group of ``groups``): both models' recall at 1 % FPR
    and ROC-AUC against all honest pages, B - A, and the 2.5 / 97.5 % quantiles of B - A over
    ``rounds`` paired bootstrap resamples of the honest pages and of that set's spam pages."""
    labels = np.asarray(labels)
    groups = np.asarray(groups)
    neg = np.flatnonzero(labels == 0)
    if len(neg) == 0 or not (labels == 1).any():
        raise ValueError("need both honest (label 0) and spam (label 1) pages")
    sets = [("all", np.flatnonzero(labels == 1))]
    sets += [(str(g), np.flatnonzero((labels == 1) & (groups == g))) for g in sorted(set(groups[labels == 1]))]
    rng = np.random.default_rng(seed)
    out = []
    for name, pos in sets:
        fig: dict[str, Any] = {"set": name, "n_spam": int(len(pos))}
        draws = [
            (neg[rng.integers(0, len(neg), len(neg))], pos[rng.integers(0, len(pos), len(pos))]) for _ in range(rounds)
        ]
        for metric, fn in (("recall_at_1pct_fpr", _recall_at_fpr), ("roc_auc", _auc)):
            a, b = fn(probs_a[neg], probs_a[pos]), fn(probs_b[neg], probs_b[pos])
            diffs = np.array([fn(probs_b[n], probs_b[p]) - fn(probs_a[n], probs_a[p]) for n, p in draws])
            lo, hi = np.quantile(diffs, [0.025, 0.975])
            fig[metric] = {"a": a, "b": b, "diff": b - a, "low": float(lo), "high": float(hi)}
        out.append(fig)
    return out


def _load(path: str) -> tuple[list[tuple[str, str, int]], np.ndarray]:
    dump = joblib.load(path)
    rows = dump["held_rows"]
    return [(r.key, r.group, int(r.label)) for r in rows], np.asarray(dump["probs"], dtype=float)


def common_pages(
    rows_a: list[tuple[str, str, int]], probs_a: np.ndarray, rows_b: list[tuple[str, str, int]], probs_b: np.ndarray
) -> tuple[list[tuple[str, str, int]], np.ndarray, np.ndarray, int, int]:
    """The held-out pages both dumps hold (same key, kind and label), in A's order, with each
    model's probabilities, and how many pages only A and only B had."""
    if len(set(rows_a)) != len(rows_a) or len(set(rows_b)) != len(rows_b):
        raise ValueError("a dump holds the same page twice: pages cannot be matched")
    where_b = {row: i for i, row in enumerate(rows_b)}
    pairs = [(i, where_b[row]) for i, row in enumerate(rows_a) if row in where_b]
    rows = [rows_a[i] for i, _ in pairs]
    ia = np.array([i for i, _ in pairs], dtype=int)
    ib = np.array([j for _, j in pairs], dtype=int)
    return rows, probs_a[ia], probs_b[ib], len(rows_a) - len(rows), len(rows_b) - len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", help="the baseline's --dump file")
    ap.add_argument("b", help="the candidate's --dump file")
    ap.add_argument("--rounds", type=int, default=1000, help="bootstrap rounds (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--common",
        action="store_true",
        help="compare on the held-out pages both dumps hold (a change made the simulators skip or keep other pages)",
    )
    args = ap.parse_args(argv)
    rows_a, probs_a = _load(args.a)
    rows_b, probs_b = _load(args.b)
    if rows_a != rows_b:
        if not args.common:
            print(
                "the two dumps do not hold the same held-out pages in the same order"
                " (--common compares on the pages both hold)",
                file=sys.stderr,
            )
            return 2
        rows_a, probs_a, probs_b, only_a, only_b = common_pages(rows_a, probs_a, rows_b, probs_b)
        print(f"{len(rows_a)} pages in both dumps; left out: {only_a} only in A, {only_b} only in B")
    labels = np.array([lab for _, _, lab in rows_a])
    groups = np.array([g for _, g, _ in rows_a])
    figs = paired_bootstrap(labels, groups, probs_a, probs_b, rounds=args.rounds, seed=args.seed)
    n_honest = int((labels == 0).sum())
    print(f"{n_honest} honest pages; B - A with a 95 % paired bootstrap interval ({args.rounds} rounds)")
    head = "recall at 1 % FPR: A -> B (B - A [interval])"
    print(f"{'set':28s} {'n':>5s}  {head:48s}  ROC-AUC: A -> B (B - A [interval])")
    for f in figs:
        cells = []
        for m in ("recall_at_1pct_fpr", "roc_auc"):
            v = f[m]
            flag = "*" if v["low"] > 0 or v["high"] < 0 else " "
            cells.append(f"{v['a']:.3f} -> {v['b']:.3f} ({v['diff']:+.3f} [{v['low']:+.3f}, {v['high']:+.3f}]){flag}")
        print(f"{f['set']:28s} {f['n_spam']:5d}  {cells[0]:48s}  {cells[1]}")
    print("* the interval excludes 0")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
