"""How far do the figures move when the same code's forest is refitted on slightly different rows?

    python -m spamfarm.train --corpus ../shared/data/clean --out /tmp/a --dump /tmp/a.joblib
    python benchmarks/refit_band.py /tmp/a.joblib --model /tmp/a/spamfarm.joblib [--refits 8] [--share 0.98]

A change to the signals or the simulators changes every training row a little, and the forest
fitted on them ranks the borderline pages differently: a held-out honest page at 0.44 goes to
0.53, a hand-written spam page drops under 0.5. To tell such a reshuffle from what the change
did, this script refits the training command's own estimator (:func:`spamfarm.train.make_estimator`,
the same prior and seed) on ``--refits`` random subsets of the dump's training rows, each holding
``--share`` of them, with no code changed, and prints for the fit on all rows and for every refit:
recall at 1 % FPR and ROC-AUC on the dump's held-out rows, false positives at 0.5 per honest source,
and, with ``--model`` (the bundle the dump came with, whose bigram and phrase models compute the
signals), the hand-written pages of ``benchmarks/handwritten/``: spam pages over 0.5, honest pages
over 0.5 and ROC-AUC per set. The last lines give each figure's range over the refits: a
candidate model whose figures fall inside that range has not shown a change the figures can see.

The fit is deterministic (no early stopping, no subsampling), so a share of 1.0 gives the
dump's own model again, to the last digit. Each refit takes about 30 s with the 0.6.16 rows
(11,742 training rows); set ``OMP_NUM_THREADS=1`` when running two at once, or the forests'
threads fight over the cores and a fit takes many times longer.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np

import spamfarm
from spamfarm import _page
from spamfarm._forest import CompiledForest
from spamfarm.signals import extract_signals
from spamfarm.train import _recall_at_fpr, class_weights, make_estimator

HANDWRITTEN = Path(__file__).resolve().parent / "handwritten"


def handwritten_rows(model: spamfarm.Model, root: Path = HANDWRITTEN) -> list[tuple[str, int, np.ndarray]]:
    """(set, label, signal values) of every hand-written page, read with ``model``'s resources."""
    out = []
    for folder in sorted(p for p in root.iterdir() if (p / "labels.json").is_file()):
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        for name in sorted(labels):
            page = _page.parse((folder / name).read_bytes())
            x = np.array([s.value for s in extract_signals(page, model.resources)], dtype=float)
            out.append((folder.name, int(labels[name]["label"] == "spam"), x))
    return out


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan")


def figures(est: Any, held: dict[str, np.ndarray], hand: list[tuple[str, int, np.ndarray]]) -> dict[str, Any]:
    """The held-out and hand-written figures of one fitted estimator."""
    forest = CompiledForest.from_estimator(est)
    p = forest.predict_proba1(held["X"])
    y, groups = held["y"], held["groups"]
    recall, _ = _recall_at_fpr(p[y == 0], p[y == 1])
    honest = sorted(set(groups[y == 0]))
    fig: dict[str, Any] = {
        "recall_at_1pct_fpr": recall,
        "roc_auc": _auc(y, p),
        "false_positives": {g: int((p[(groups == g) & (y == 0)] >= 0.5).sum()) for g in honest},
    }
    if hand:
        ph = forest.predict_proba1(np.stack([x for *_, x in hand]))
        sets = np.array([s for s, _, _ in hand])
        yh = np.array([lab for _, lab, _ in hand])
        fig["handwritten"] = {
            s: {
                "caught": int(((ph > 0.5) & (yh == 1) & (sets == s)).sum()),
                "honest_over": int(((ph > 0.5) & (yh == 0) & (sets == s)).sum()),
                "roc_auc": _auc(yh[sets == s], ph[sets == s]),
            }
            for s in sorted(set(sets))
        }
    return fig


def refit_band(
    dump: dict[str, Any],
    hand: list[tuple[str, int, np.ndarray]],
    *,
    refits: int = 8,
    share: float = 0.98,
    seed: int = 0,
    log: Any = print,
    make: Any = make_estimator,
) -> list[dict[str, Any]]:
    """Figures of the estimator fitted on all training rows, then on ``refits`` random subsets
    of ``share`` of them (the first entry is the fit on all rows). ``make(seed)`` builds the
    estimator: the training command's own unless a test passes a smaller one."""
    if not 0 < share <= 1:
        raise ValueError("share must be in (0, 1]")
    X = np.stack([r.x for r in dump["train_rows"]])
    y = np.array([r.label for r in dump["train_rows"]])
    held = {
        "X": np.stack([r.x for r in dump["held_rows"]]),
        "y": np.array([r.label for r in dump["held_rows"]]),
        "groups": np.array([r.group for r in dump["held_rows"]]),
    }
    rng = np.random.default_rng(seed)
    subsets = [np.arange(len(y))]
    subsets += [np.sort(rng.choice(len(y), round(len(y) * share), replace=False)) for _ in range(refits)]
    out = []
    for k, idx in enumerate(subsets):
        est = make(0)
        est.fit(X[idx], y[idx], sample_weight=class_weights(y[idx]))
        fig = figures(est, held, hand)
        fig["fit"] = "all rows" if k == 0 else f"refit {k} ({len(idx)} rows)"
        log(_line(fig))
        out.append(fig)
    return out


def _line(fig: dict[str, Any]) -> str:
    fp = ", ".join(f"{g.split('/')[-1]} {n}" for g, n in fig["false_positives"].items())
    text = (
        f"{fig['fit']:22s} recall at 1 % FPR {fig['recall_at_1pct_fpr']:.3f}  ROC-AUC {fig['roc_auc']:.4f}"
        f"  FP at 0.5: {fp}"
    )
    hw = fig.get("handwritten")
    if hw:
        caught = sum(v["caught"] for v in hw.values())
        over = sum(v["honest_over"] for v in hw.values())
        aucs = " ".join(f"{s} {v['roc_auc']:.3f}" for s, v in hw.items())
        text += f"\n{'':22s} hand-written: {caught} spam over 0.5, {over} honest over 0.5; ROC-AUC {aucs}"
    return text


def bands(figs: list[dict[str, Any]]) -> list[str]:
    """One line per figure: its value with all rows and its range over the refits."""
    rest = figs[1:] or figs

    def rng(get: Any, fmt: str) -> str:
        vals = [get(f) for f in rest]
        return f"{fmt.format(get(figs[0]))} (refits {fmt.format(min(vals))} to {fmt.format(max(vals))})"

    lines = [
        f"recall at 1 % FPR: {rng(lambda f: f['recall_at_1pct_fpr'], '{:.3f}')}",
        f"ROC-AUC: {rng(lambda f: f['roc_auc'], '{:.4f}')}",
    ]
    for g in figs[0]["false_positives"]:
        lines.append(f"false positives at 0.5, {g}: {rng(lambda f, g=g: f['false_positives'][g], '{}')}")
    if "handwritten" in figs[0]:
        lines.append(
            "hand-written spam over 0.5: " + rng(lambda f: sum(v["caught"] for v in f["handwritten"].values()), "{}")
        )
        lines.append(
            "hand-written honest over 0.5: "
            + rng(lambda f: sum(v["honest_over"] for v in f["handwritten"].values()), "{}")
        )
        for s in figs[0]["handwritten"]:
            lines.append(f"hand-written {s} ROC-AUC: {rng(lambda f, s=s: f['handwritten'][s]['roc_auc'], '{:.3f}')}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump", help="a --dump file of python -m spamfarm.train")
    ap.add_argument("--model", help="the bundle the dump came with, to read the hand-written pages (else skipped)")
    ap.add_argument("--refits", type=int, default=8, help="refits on random subsets (default 8)")
    ap.add_argument("--share", type=float, default=0.98, help="share of the training rows in each (default 0.98)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the subsets (default 0)")
    args = ap.parse_args(argv)
    dump = joblib.load(args.dump)
    hand = handwritten_rows(spamfarm.load_model(args.model, trust=True)) if args.model else []
    try:
        figs = refit_band(dump, hand, refits=args.refits, share=args.share, seed=args.seed, make=make_estimator)
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    print(f"\nranges over {args.refits} refits on {args.share:.0%} of the training rows:")
    for line in bands(figs):
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
