"""Score the hand-written pages in benchmarks/handwritten/: spam and honest pages that the
simulators never made, as a check on how far the signals reach outside them.

    python benchmarks/handwritten.py [--model PATH] [--sets dev eval1 eval2] [--pages]
    python benchmarks/handwritten.py --save /tmp/old.json     # with one model (and its code)
    python benchmarks/handwritten.py --against /tmp/old.json  # with another: which pages moved

Each set is a folder of HTML pages and a ``labels.json`` ({file: {"label": "spam"|"honest",
"kind": ..., "lang": ...}}), written by hand for this project, each set by a different author
who saw neither the simulators nor the other sets. ``dev`` was read while the signals were
changed; ``eval1`` and ``eval2`` were only scored until model 0.6.7, and their misses then led
to 0.6.8's change; ``eval3`` has only been scored (its signal values were read for 0.6.9);
``eval4`` to ``eval7`` were written blind while 0.6.9 to 0.6.12 were made and scored once each
was trained (``eval7``'s missed Blogger page was then read for 0.6.13); ``eval8`` and ``eval9`` the
same way for 0.6.14 and 0.6.16. The script prints, per
set, how many spam pages score over the default threshold (0.5), how many honest ones do, the
ROC-AUC, and with ``--pages`` every page's probability and strongest signals.

``--save`` writes every page's label and probability to a JSON file; ``--against`` reads such a
file from another run and lists the pages that crossed 0.5 or moved by more than 0.1 since. A
saved file carries no code, so the two runs may be of different checkouts of spamfarm (a change
to the signals needs its own code to score with its model). To run another checkout's code, put
it first on ``PYTHONPATH`` and pass its bundle with ``--model``: without it the shipped model is
looked up as ``spamfarm.models``, which an editable install of this checkout still answers.

    PYTHONPATH=/tmp/old python benchmarks/handwritten.py --model /tmp/old/models/spamfarm.joblib --save /tmp/old.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import spamfarm

HERE = Path(__file__).resolve().parent / "handwritten"


def score_set(folder: Path, model: spamfarm.Model | None) -> list[tuple[str, str, str, float, list[str]]]:
    """(file, label, kind, probability, strongest signals) for every page of a set."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    out = []
    for name in sorted(labels):
        html = (folder / name).read_bytes()
        e = spamfarm.explain(html, model=model)
        top = [f"{n} {c:+.1f}" for n, c in e.contributions[:3] if c > 0]
        out.append((name, labels[name]["label"], labels[name].get("kind", ""), e.probability, top))
    return out


def summary(rows: list[tuple[str, str, str, float, list[str]]]) -> str:
    from sklearn.metrics import roc_auc_score

    spam = [p for _, lab, _, p, _ in rows if lab == "spam"]
    honest = [p for _, lab, _, p, _ in rows if lab == "honest"]
    auc = roc_auc_score([1] * len(spam) + [0] * len(honest), spam + honest) if spam and honest else float("nan")
    return (
        f"spam over 0.5: {sum(p > 0.5 for p in spam)}/{len(spam)}; "
        f"honest over 0.5: {sum(p > 0.5 for p in honest)}/{len(honest)} (highest {max(honest, default=0):.3f}); "
        f"ROC-AUC {auc:.3f}"
    )


def changes(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], min_move: float = 0.1
) -> list[tuple[str, str, float, float]]:
    """(page, label, old probability, new probability) of the pages both runs scored that crossed
    0.5 or moved by more than ``min_move``, those that crossed first, then by the size of the move."""
    out = []
    for page in sorted(old.keys() & new.keys()):
        a, b = float(old[page]["probability"]), float(new[page]["probability"])
        if (a > 0.5) != (b > 0.5) or abs(b - a) > min_move:
            out.append((page, str(new[page]["label"]), a, b))
    return sorted(out, key=lambda t: ((t[2] > 0.5) == (t[3] > 0.5), -abs(t[3] - t[2])))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="a model bundle (default: the shipped model)")
    ap.add_argument("--sets", nargs="*", default=None, help="set folders under benchmarks/handwritten/")
    ap.add_argument("--pages", action="store_true", help="print every page's probability and strongest signals")
    ap.add_argument("--save", metavar="JSON", help="write every page's label and probability to this file")
    ap.add_argument("--against", metavar="JSON", help="list the pages that crossed 0.5 or moved by over 0.1 since")
    args = ap.parse_args(argv)
    model = spamfarm.load_model(args.model, trust=True) if args.model else None
    sets = args.sets or sorted(p.name for p in HERE.iterdir() if (p / "labels.json").is_file())
    version = (model or spamfarm.load_model()).version
    print(f"hand-written pages, model {version}")
    scored: dict[str, dict[str, Any]] = {}
    for name in sets:
        rows = score_set(HERE / name, model)
        print(f"{name}: {len(rows)} pages; {summary(rows)}")
        if args.pages:
            for file, label, kind, p, top in rows:
                mark = "ok " if (p > 0.5) == (label == "spam") else "MISS"
                print(f"  {mark} {p:.3f} {label:6s} {kind:18s} {file}  {'; '.join(top)}")
        scored.update({f"{name}/{file}": {"label": label, "probability": p} for file, label, _, p, _ in rows})
    if args.save:
        Path(args.save).write_text(json.dumps({"model": version, "pages": scored}, indent=1), encoding="utf-8")
    if args.against:
        before = json.loads(Path(args.against).read_text(encoding="utf-8"))
        moved = changes(before["pages"], scored)
        print(f"against {args.against} (model {before['model']}): {len(moved)} pages crossed 0.5 or moved by over 0.1")
        for page, label, a, b in moved:
            print(f"  {a:.3f} -> {b:.3f} {label:6s} {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
