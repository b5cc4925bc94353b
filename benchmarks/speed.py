"""Throughput of spamfarm.score() against lxml parse-only, on the shared honest pages, in one run.

    python benchmarks/speed.py [--corpus ../shared/data/clean] [--pages 600]

Prints pages/s for: lxml parsing alone (the floor any HTML tool pays), spamfarm's own parse and
walk (`spamfarm._page.parse`), and the full `score()`; and score()'s share of parse-only speed.
Each figure is the best of --rounds runs over the same pages, measured in the same process.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
import time
from collections.abc import Callable

import lxml.etree

import spamfarm
from spamfarm import _page
from spamfarm.corpus import read_corpus


def rate(fn: Callable[[str], object], pages: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        t = time.perf_counter()
        for h in pages:
            fn(h)
        best = min(best, time.perf_counter() - t)
    return len(pages) / best


def lxml_parse(html: str) -> object:
    """The floor: lxml's HTML parser alone (an XML declaration has to go first for str input)."""
    if not html.strip():
        return None
    html = _page._XML_DECL_RE.sub("", html, count=1)
    return lxml.etree.fromstring(html, lxml.etree.HTMLParser(remove_comments=True, no_network=True))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="../shared/data/clean")
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    recs = list(read_corpus(args.corpus))
    step = max(1, len(recs) // args.pages)
    pages = [r.html for r in itertools.islice(recs[::step], args.pages)]
    mb = sum(len(p.encode()) for p in pages) / 1e6
    spamfarm.score(pages[0])  # load the model and word lists outside the timing
    parse_only = rate(lxml_parse, pages, args.rounds)
    walk = rate(_page.parse, pages, args.rounds)
    scored = rate(spamfarm.score, pages, args.rounds)
    print(f"pages: {len(pages)} ({mb:.1f} MB, every {step}th page of {args.corpus})")
    print(f"lxml parse only      {parse_only:8.1f} pages/s")
    print(f"spamfarm parse+walk  {walk:8.1f} pages/s  ({walk / parse_only:.2f} x parse-only)")
    print(f"spamfarm.score()     {scored:8.1f} pages/s  ({scored / parse_only:.2f} x parse-only; goal >= 0.40)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
