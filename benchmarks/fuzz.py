"""Fuzz spamfarm.score() with mutated honest pages: it must answer every one with a float in [0, 1].

    nice -n 10 python benchmarks/fuzz.py --pages 100000 --workers 2 [--corpus ../shared/data/clean]

Each case is rebuilt from its number alone (``--only N`` replays one and prints it): a seeded
random generator picks a shared page, usually a slice of it (to keep the per-page cost low; one
case in 33 keeps the whole page), and applies one to three mutations: tags cut at random points,
blocks duplicated or shuffled, encodings swapped or lied about, NULs and garbage bytes inserted,
truncation at a random byte, deep nesting, tags with thousands of attributes, entity tricks, broken
or deeply nested JSON-LD, or pure noise. Prints the number of cases, crashes (any exception, or a score outside [0, 1]),
pages/s and the slowest case (its size and mutations).
"""

from __future__ import annotations

import argparse
import logging
import math
import multiprocessing as mp
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PAGES: list[str] = []

Doc = str | bytes


def _load(corpus: str, every: int) -> list[str]:
    from spamfarm.corpus import read_corpus

    if not Path(corpus).exists():
        return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures").glob("*.html"))]
    return [r.html for i, r in enumerate(read_corpus(corpus)) if i % every == 0]


# --- mutations: (random, document) -> document ------------------------------------------------


def _text(d: Doc) -> str:
    return d if isinstance(d, str) else d.decode("utf-8", errors="replace")


def _bytes(d: Doc) -> bytes:
    return d if isinstance(d, bytes) else d.encode("utf-8", errors="surrogatepass")


def cut_tags(r: random.Random, d: Doc) -> Doc:
    """Remove a few random '>' or '<' so tags run into each other."""
    s = _text(d)
    for _ in range(r.randint(1, 20)):
        if not s:
            break
        i = r.randrange(len(s))
        j = s.find(r.choice("<>"), i)
        if j >= 0:
            s = s[:j] + s[j + 1 :]
    return s


def cut_at_random(r: random.Random, d: Doc) -> Doc:
    """Cut inside the markup: a random span removed."""
    s = _text(d)
    if len(s) < 2:
        return s
    i = r.randrange(len(s))
    return s[:i] + s[i + r.randint(1, 500) :]


def shuffle_blocks(r: random.Random, d: Doc) -> Doc:
    s = _text(d)
    parts = s.split(r.choice(["</p>", "</div>", "</li>", "<br>", "\n"]))
    if r.random() < 0.5:
        r.shuffle(parts)
    else:
        original = list(parts)  # duplicate from the original blocks only, so the page grows at most 25-fold
        for _ in range(r.randint(1, 5)):
            k = r.randrange(len(parts))
            parts.insert(k, original[r.randrange(len(original))] * r.randint(2, 5))
    return "</p>".join(parts)


def lie_encoding(r: random.Random, d: Doc) -> Doc:
    """Encode in one charset and declare another (or none), or add a BOM that lies."""
    s = _text(d)
    enc = r.choice(["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "shift_jis", "gb18030", "koi8-r"])
    declared = r.choice(["utf-8", "iso-8859-1", "utf-16", "shift_jis", "x-unknown-charset", "", "utf-7"])
    s = f"<meta charset='{declared}'>" + s if declared else s
    data = s.encode(enc, errors="replace")
    if r.random() < 0.2:
        data = r.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"]) + data
    return data


def mix_encodings(r: random.Random, d: Doc) -> Doc:
    s = _text(d)
    n = max(1, len(s) // r.randint(2, 6))
    chunks = [s[i : i + n] for i in range(0, len(s), n)]
    return b"".join(c.encode(r.choice(["utf-8", "cp1252", "utf-16-le", "shift_jis"]), errors="replace") for c in chunks)


def insert_garbage(r: random.Random, d: Doc) -> Doc:
    b = bytearray(_bytes(d))
    for _ in range(r.randint(1, 50)):
        i = r.randint(0, len(b))
        b[i:i] = r.choice([b"\x00", bytes(r.getrandbits(8) for _ in range(r.randint(1, 64))), b"\xff\xfe", b"\xc3"])
    return bytes(b)


def truncate_bytes(r: random.Random, d: Doc) -> Doc:
    b = _bytes(d)
    return b[: r.randint(0, len(b))]


def deep_nest(r: random.Random, d: Doc) -> Doc:
    s = _text(d)
    tag = r.choice(["div", "span", "b", "table", "li", "a", "p"])
    n = r.choice([200, 300, 1000, 3000])
    i = r.randint(0, len(s))
    close = f"</{tag}>" * n if r.random() < 0.5 else ""
    return s[:i] + f"<{tag}>" * n + s[i:] + close


def many_attributes(r: random.Random, d: Doc) -> Doc:
    s = _text(d)
    n = r.choice([200, 1000, 5000])
    sep = r.choice([" ", "/", "\n"])
    values = ["", "=1", '="x"', '=">"']
    attrs = sep.join(f"a{k}{r.choice(values)}" for k in range(n))
    i = r.randint(0, len(s))
    return s[:i] + f"<div {attrs}>" + s[i:]


def entities(r: random.Random, d: Doc) -> Doc:
    s = _text(d)
    bomb = (
        "<!DOCTYPE html [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
        "<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
    )
    junk = r.choice(["&b;", "&x;", "&#0;", "&#xD800;", "&#99999999;", "&amp" * 100, "&" * 1000])
    return bomb + s.replace("<p>", "<p>" + junk, r.randint(1, 5))


def json_ld(r: random.Random, d: Doc) -> Doc:
    """A JSON-LD block that is broken, huge or nested deeper than the JSON decoder goes."""
    body = r.choice(
        [
            '{"publisher": ' + r.choice(["[", '{"a":']) * r.choice([10, 1000, 100_000]),
            '{"datePublished": "' + "9" * r.randint(0, 50) + '", "publisher": {"name": ' + '"x' * 1000,
            '{"publisher": {"name": "Example News"}, "datePublished": "2019-02-30T99:99"}',
            "\x00{]" * 100,
        ]
    )
    s = _text(d)
    i = r.randint(0, len(s))
    return s[:i] + f"<script type='application/ld+json'>{body}</script>" + s[i:]


def noise(r: random.Random, d: Doc) -> Doc:
    n = r.choice([0, 1, 10, 1000, 20_000])
    kind = r.random()
    if kind < 0.4:
        return bytes(r.getrandbits(8) for _ in range(n))
    if kind < 0.7:
        return "".join(r.choice("<>/=\"' \n&;#!-?abcp") for _ in range(n))
    return "".join(chr(r.randint(1, 0x10FFFF)) for _ in range(min(n, 10_000))).encode("utf-8", "surrogatepass")


MUTATIONS: dict[str, Callable[[random.Random, Doc], Doc]] = {
    "cut_tags": cut_tags,
    "cut_at_random": cut_at_random,
    "shuffle_blocks": shuffle_blocks,
    "lie_encoding": lie_encoding,
    "mix_encodings": mix_encodings,
    "insert_garbage": insert_garbage,
    "truncate_bytes": truncate_bytes,
    "deep_nest": deep_nest,
    "many_attributes": many_attributes,
    "entities": entities,
    "json_ld": json_ld,
    "noise": noise,
}
# Byte-level mutations return bytes; later text mutations decode them again (lossy, as intended).
_WEIGHTS = {"noise": 0.3, "mix_encodings": 0.5, "many_attributes": 0.5, "deep_nest": 0.7}


def make_case(n: int) -> tuple[Doc, str]:
    """Case number n: the document and a description (page, slice, mutations)."""
    r = random.Random(n)
    page = _PAGES[r.randrange(len(_PAGES))]
    if r.random() < 0.03:
        doc: Doc = page
        what = f"page {len(page)} chars (whole)"
    else:
        size = r.choice([500, 2000, 5000, 10000])
        i = r.randrange(max(1, len(page) - size))
        doc = page[i : i + size]
        what = f"slice {len(doc)} chars"
    names = list(MUTATIONS)
    weights = [_WEIGHTS.get(k, 1.0) for k in names]
    picked = r.choices(names, weights, k=r.randint(1, 3))
    for name in picked:
        doc = MUTATIONS[name](r, doc)
    return doc, f"{what} + {', '.join(picked)}"


def _init(corpus: str, every: int) -> None:
    global _PAGES
    # bs4 logs a warning for every page it cannot decode cleanly; thousands of them here.
    logging.getLogger("bs4").setLevel(logging.ERROR)
    _PAGES = _load(corpus, every)
    import spamfarm

    spamfarm.score(_PAGES[0])


def run_case(n: int) -> tuple[int, float, int, str, str | None]:
    import spamfarm

    doc, what = make_case(n)
    t = time.perf_counter()
    err = None
    try:
        p = spamfarm.score(doc)
        if not (isinstance(p, float) and 0.0 <= p <= 1.0 and not math.isnan(p)):
            err = f"score out of range: {p!r}"
    except Exception:  # noqa: BLE001 - every exception is a finding
        err = traceback.format_exc(limit=3)
    return n, time.perf_counter() - t, len(doc), what, err


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=100_000, help="number of cases")
    ap.add_argument("--start", type=int, default=0, help="first case number")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "clean"))
    ap.add_argument("--every", type=int, default=5, help="use every n-th corpus page")
    ap.add_argument("--only", type=int, help="replay one case and print what it was")
    args = ap.parse_args()
    if args.only is not None:
        _init(args.corpus, args.every)
        n, secs, size, what, err = run_case(args.only)
        print(f"case {n}: {what}, {size} {'bytes' if isinstance(make_case(n)[0], bytes) else 'chars'}, {secs:.3f} s")
        print(err or "ok")
        return 1 if err else 0
    t0 = time.perf_counter()
    crashes: list[tuple[int, str, str]] = []
    slowest = (0.0, 0, 0, "")
    done = 0
    total_secs = 0.0
    cases = range(args.start, args.start + args.pages)
    with mp.Pool(args.workers, initializer=_init, initargs=(args.corpus, args.every)) as pool:
        t1 = time.perf_counter()
        for n, secs, size, what, err in pool.imap_unordered(run_case, cases, chunksize=50):
            done += 1
            total_secs += secs
            if err:
                crashes.append((n, what, err))
                if len(crashes) <= 5:
                    print(f"CRASH case {n} ({what}):\n{err}", flush=True)
            if secs > slowest[0]:
                slowest = (secs, n, size, what)
            if done % 10_000 == 0:
                rate = done / (time.perf_counter() - t1)
                print(f"{done} cases, {len(crashes)} crashes, {rate:.0f} cases/s", flush=True)
    wall = time.perf_counter() - t1
    print(f"cases: {done} (numbers {args.start}..{args.start + args.pages - 1}), workers: {args.workers}")
    print(f"crashes: {len(crashes)}")
    print(f"wall: {wall:.0f} s ({time.perf_counter() - t0:.0f} s with loading), {done / wall:.0f} pages/s")
    print(f"mean score() time: {1000 * total_secs / max(1, done):.1f} ms")
    secs, n, size, what = slowest
    print(f"slowest: case {n}, {secs:.2f} s, {size} chars/bytes: {what} (replay: --only {n})")
    for n, what, _ in crashes[:20]:
        print(f"  crashed: case {n}: {what}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
