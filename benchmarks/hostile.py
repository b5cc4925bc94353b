"""Cost of hostile page shapes: seconds and peak memory of one ``spamfarm.explain()`` call each.

    python benchmarks/hostile.py [--cases all|name,name] [--max-chars N] [--corpus ../shared/data/clean]

Every case runs in a fresh child process, so its peak RSS is its own: the figure printed is the
child's peak resident memory, and "+RSS" is what the call added over the same process after the
model was loaded and a small page scored (the baseline). Also prints the cost of ordinary pages
in ms per 100 KB (shared corpus pages when it is present, else the seed fixtures).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PARA = (
    "<p>The city council voted on Tuesday to approve a new budget for public parks, setting aside money "
    "for playgrounds, trees and new walking paths across the northern districts of the town.</p>\n"
)
_HEAD = "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Parks budget</title></head><body>"
_TAIL = "</body></html>"


def _fill(n_bytes: int, unit: str) -> str:
    return unit * max(1, n_bytes // len(unit))


def _article(n_bytes: int) -> str:
    return _HEAD + "<article><h1>Parks budget</h1>" + _fill(n_bytes, _PARA) + "</article>" + _TAIL


#: name -> (what it is, builder returning str or bytes)
CASES: dict[str, tuple[str, Callable[[], str | bytes]]] = {
    "page_10mb_str": ("10 MB article (str)", lambda: _article(10_000_000)),
    "page_10mb_bytes": (
        "10 MB article (bytes, no charset)",
        lambda: _article(10_000_000).replace("<meta charset='utf-8'>", "").encode(),
    ),
    "page_20mb_str": ("20 MB article (str)", lambda: _article(20_000_000)),
    "page_20mb_bytes": (
        "20 MB article (bytes, no charset)",
        lambda: _article(20_000_000).replace("<meta charset='utf-8'>", "").encode(),
    ),
    "links_1m": (
        "1,000,000 links in one list",
        lambda: (
            _HEAD
            + "<ul>"
            + "".join(
                f"<li><a href='/news/{i}'>Breaking news story number {i} today</a></li>" for i in range(1_000_000)
            )
            + "</ul>"
            + _TAIL
        ),
    ),
    "links_1m_bare": ("1,000,000 bare <a> tags", lambda: _HEAD + "<a href=x>y</a>" * 1_000_000 + _TAIL),
    "nest_div_100k": (
        "100,000 nested <div>s",
        lambda: _HEAD + "<div>" * 100_000 + "deep text" + "</div>" * 100_000 + _PARA * 20 + _TAIL,
    ),
    "nest_div_100k_open": ("100,000 unclosed <div>s with text", lambda: _HEAD + "<div>x " * 100_000 + _TAIL),
    "attr_10mb": (
        "one 10 MB attribute value",
        lambda: _HEAD + "<div class='" + "a" * 10_000_000 + "'>x</div>" + _PARA * 20 + _TAIL,
    ),
    "p_50k_words": ("50,000 <p> of one word", lambda: _HEAD + "<p>word</p>" * 50_000 + _TAIL),
    "attrs_300k": (
        "one tag with 300,000 attributes",
        lambda: _HEAD + "<div " + " ".join(f"a{i}=1" for i in range(300_000)) + ">x</div>" + _PARA * 20 + _TAIL,
    ),
    "br_750k": ("750,000 <br> (element flood)", lambda: _HEAD + "<br>" * 750_000 + _TAIL),
    "page_20mb_cp1252": (
        "20 MB cp1252 bytes, no charset",
        lambda: (
            _article(20_000_000).replace("<meta charset='utf-8'>", "").replace("parks", "Parkbänke").encode("cp1252")
        ),
    ),
    "p_50k_sentences": ("50,000 <p> of one sentence", lambda: _HEAD + _PARA * 50_000 + _TAIL),
    "brands_10mb": (
        "10 MB of sentences, each with an invented brand",
        lambda: (
            _HEAD
            + "".join(
                f"<p>Analysts said the market for Zorbex{i} Quantum{i % 97} grew again this year in the region.</p>"
                for i in range(120_000)
            )
            + _TAIL
        ),
    ),
    "one_sentence_3mb": (
        "one 3 MB sentence with capitalised names",
        lambda: _HEAD + "<p>" + ("the market for Zorbex Quantum grew and " * 75_000) + "</p>" + _TAIL,
    ),
    "result_lines_3k": (
        "3,000 linked lines of 290-character dotted tokens",
        lambda: _HEAD + "".join(f"<p><a href='/x{i}'>a b c</a> {'a.' * 145}</p>" for i in range(3000)) + _TAIL,
    ),
    "text_20mb_nomarkup": ("20 MB of text without markup", lambda: "word " * 4_000_000),
    "hidden_links_1m": (
        "1,000,000 links to other sites in one hidden <div>",
        lambda: (
            _HEAD
            + _PARA * 5
            + "<div style='display:none'>"
            + "".join(f"<p><a href='https://cheap{i}.example/'>buy cheap pills {i}</a></p>" for i in range(1_000_000))
            + "</div>"
            + _TAIL
        ),
    ),
    "hidden_scripts_200k": (
        "200,000 <script>s in one hidden <div>",
        lambda: _HEAD + _PARA * 5 + "<div hidden>" + "<script>var x = 1;</script>w " * 200_000 + "</div>" + _TAIL,
    ),
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_case(name: str, max_chars: int | None) -> dict[str, object]:
    """Child side: build the input, warm up, time one explain() call."""
    import spamfarm

    # Warm up on a real page: the model and the word lists of its language load on first use.
    spamfarm.score((ROOT / "tests" / "fixtures" / "seed_000_article.html").read_text(encoding="utf-8"))
    html = CASES[name][1]()
    base = _peak_mb()
    kw = {} if max_chars is None else {"max_chars": max_chars}
    t = time.perf_counter()
    ex = spamfarm.explain(html, **kw)  # type: ignore[arg-type]
    secs = time.perf_counter() - t
    return {
        "case": name,
        "size_mb": len(html) / 1e6,
        "seconds": secs,
        "peak_mb": _peak_mb(),
        "added_mb": _peak_mb() - base,
        "p": ex.probability,
        "truncated": ex.truncated,
    }


def ordinary_ms_per_100kb(corpus: str, n: int) -> tuple[float, int, float]:
    import spamfarm
    from spamfarm.corpus import read_corpus

    pages: list[str] = []
    if Path(corpus).is_dir():
        for i, r in enumerate(read_corpus(corpus)):
            if i % 20 == 0:
                pages.append(r.html)
            if len(pages) >= n:
                break
    else:
        pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures").glob("*.html"))]
    spamfarm.score(pages[0])
    t = time.perf_counter()
    for h in pages:
        spamfarm.score(h)
    secs = time.perf_counter() - t
    kb = sum(len(h) for h in pages) / 1e3
    return 1000 * secs / (kb / 100), len(pages), kb / 1e3


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default="all")
    ap.add_argument("--max-chars", type=int, default=None, help="pass max_chars= to explain (default: the library's)")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "clean"))
    ap.add_argument("--pages", type=int, default=100, help="ordinary pages for the ms/100 KB figure")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a case is given up")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child, args.max_chars)))
        return 0
    names = list(CASES) if args.cases == "all" else args.cases.split(",")
    print(f"{'case':<22} {'input':>9} {'seconds':>8} {'peak RSS':>9} {'+RSS':>8}  {'p':>6} truncated  what")
    for name in names:
        cmd = [sys.executable, __file__, "--child", name]
        if args.max_chars is not None:
            cmd += ["--max-chars", str(args.max_chars)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"{name:<22} TIMEOUT after {args.timeout:.0f} s")
            continue
        if proc.returncode != 0:
            print(f"{name:<22} FAILED (exit {proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"{name:<22} {r['size_mb']:>7.1f}MB {r['seconds']:>8.2f} {r['peak_mb']:>7.0f}MB {r['added_mb']:>6.0f}MB"
            f"  {r['p']:>6.3f} {r['truncated']!s:<9}  {CASES[name][0]}"
        )
    ms, n, mb = ordinary_ms_per_100kb(args.corpus, args.pages)
    print(f"ordinary pages: {ms:.1f} ms per 100 KB ({n} pages, {mb:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
