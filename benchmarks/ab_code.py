"""Is one version of spamfarm's code faster than another? Both run in one process, page by page.

    python benchmarks/ab_code.py main HEAD --corpus ../shared/data/clean [--pages 300] [--rounds 3]

Timing two versions one after the other, each in its own process, measures the machine as much
as the code: on this project's two-core machine the same code's ``score()`` took from 23 to 32
ms a page from one round of 300 pages to the next (2026-11-25), and runs in turn once put a
change this script measures at about 1.05x at 1.18x. Here ``git archive`` copies the package
(and ``models/``) at each git ref into a temporary folder under another name (the package
imports itself relatively, so the two load side by side), each version scores the same corpus
pages with its own shipped model, page by page in alternation (which goes first alternates
too), so that whatever the machine does in a given second falls on both. The script prints, for
each version, the milliseconds per page of every stage (parse, each signal family, the
classifier) and of the whole, B's speed-up over A per stage, and the whole's ratio in each
round; it stops if the two versions give any page a different probability (use it for changes
meant to keep every result).
"""

from __future__ import annotations

import argparse
import importlib
import io
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def load_version(ref: str, dest: Path, name: str) -> ModuleType:
    """The package as it was at git ref ``ref``, imported as ``name`` from a copy under ``dest``."""
    tar = subprocess.run(
        ["git", "archive", ref, "spamfarm", "models"], cwd=REPO, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
        # (the "data" filter refuses links and paths out of the folder; older Pythons lack it)
        tf.extractall(dest / name, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    (dest / name / "spamfarm").rename(dest / name / name)
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]  # a copy an earlier run imported
    sys.path.insert(0, str(dest / name))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(dest / name))


def stages(mod: ModuleType, model: Any, html: str) -> tuple[list[float], float]:
    """Seconds spent in each stage of scoring one page, and the page's probability."""
    pc = time.perf_counter
    times = []
    t = pc()
    page = mod._page.parse(html)
    times.append(pc() - t)
    sigs: list[Any] = []
    for _, fn in mod.signals._FAMILIES:
        t = pc()
        sigs.extend(fn(page, model.resources))
        times.append(pc() - t)
    t = pc()
    p = float(model.predict(mod._api.vector(tuple(sigs))[None, :])[0])
    times.append(pc() - t)
    return times, p


def run(a: str, b: str, corpus: str, n_pages: int, rounds: int, out: Any = sys.stdout) -> dict[str, float]:
    from spamfarm.corpus import read_corpus

    records = list(read_corpus(corpus))
    step = max(1, len(records) // n_pages)
    pages = [r.html for r in records[::step][:n_pages]]
    with tempfile.TemporaryDirectory(prefix="spamfarm-ab-") as tmp:
        mods = [load_version(a, Path(tmp), "spamfarm_a"), load_version(b, Path(tmp), "spamfarm_b")]
        models = [
            m._model.load_model(Path(tmp) / n / "models" / "spamfarm.joblib", trust=True)
            for m, n in zip(mods, ("spamfarm_a", "spamfarm_b"), strict=True)
        ]
        names = ["parse", *(fn.__module__.rsplit(".", 1)[-1] for _, fn in mods[0].signals._FAMILIES), "classifier"]
        for m, model in zip(mods, models, strict=True):  # warm: word lists, caches
            for h in pages[:20]:
                stages(m, model, h)
        totals = [[0.0] * len(names) for _ in mods]
        for rnd in range(rounds):
            whole = [0.0, 0.0]
            for i, h in enumerate(pages):
                probs = []
                for j in (0, 1) if (i + rnd) % 2 == 0 else (1, 0):
                    times, p = stages(mods[j], models[j], h)
                    probs.append(p)
                    whole[j] += sum(times)
                    for k, x in enumerate(times):
                        totals[j][k] += x
                if probs[0] != probs[1]:
                    raise SystemExit(f"page {i}: the two versions give {probs[0]!r} and {probs[1]!r}")
            print(
                f"round {rnd + 1}: A {whole[0] / len(pages) * 1000:.2f} ms/page, "
                f"B {whole[1] / len(pages) * 1000:.2f} ms/page, A/B {whole[0] / whole[1]:.3f}",
                file=out,
            )
    n = len(pages) * rounds
    print(f"\n{len(pages)} pages x {rounds} rounds; A = {a}, B = {b}", file=out)
    print(f"{'stage':12s} {'A ms/page':>10s} {'B ms/page':>10s} {'A/B':>7s}", file=out)
    for k, name in enumerate(names):
        print(
            f"{name:12s} {totals[0][k] / n * 1000:10.3f} {totals[1][k] / n * 1000:10.3f} "
            f"{totals[0][k] / totals[1][k]:7.3f}",
            file=out,
        )
    ta, tb = sum(totals[0]), sum(totals[1])
    print(f"{'whole':12s} {ta / n * 1000:10.3f} {tb / n * 1000:10.3f} {ta / tb:7.3f}", file=out)
    return {"a_ms": ta / n * 1000, "b_ms": tb / n * 1000, "ratio": ta / tb}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", help="git ref of the baseline code (e.g. main)")
    ap.add_argument("b", help="git ref of the changed code (e.g. HEAD or a branch)")
    ap.add_argument("--corpus", required=True, help="a corpus folder or file of JSON-lines pages")
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    run(args.a, args.b, args.corpus, args.pages, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
