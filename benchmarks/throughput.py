"""Throughput of spamfarm on the shared honest pages, every figure measured in one run.

    python benchmarks/throughput.py [--corpus ../shared/data/clean] [--pages 600] [--warc-gb 1.0]

Prints, on the same pages:

1. pages/s of lxml parsing alone (the floor every HTML tool pays), spamfarm's own parse and walk,
   and ``score()`` in one process, with ``score()``'s ratio to parse-only (goal >= 0.40);
2. ``score_many(n_jobs=2)`` against ``score_many(n_jobs=1)`` (goal >= 1.7x), workers already warm;
3. cost against page size: ms per 100 KB of HTML for small to multi-MB pages (flat = linear cost);
4. the CLI end to end on a generated WARC of >= --warc-gb GB (uncompressed records; built once from
   the shared pages, repeated, and cached in --workdir): pages/s and the resident memory of the
   CLI and its workers sampled while it streams (flat = streaming). ``--warc-passes 3`` streams the
   WARC three times in one run and prints the peak of each tenth of it: memory that stops growing
   after the first pass is the workers' warm-up (each language's word lists), not a leak.
   ``--cli-only`` runs this part alone.

Single-process figures are the best of --rounds passes. The machine's load average is printed:
parallel figures mean little when other work shares the cores.
"""

from __future__ import annotations

import argparse
import gc
import io
import itertools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import lxml.etree

import spamfarm
from spamfarm import _page
from spamfarm.corpus import Record, read_corpus


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


def batch_rate(pages: list[str], n_jobs: int, rounds: int) -> float:
    """pages/s of score_many; the first pass warms the workers' caches and is not counted."""
    work = pages * (rounds + 1)
    marks: list[float] = []
    for i, _row in enumerate(spamfarm.score_many(work, n_jobs=n_jobs, chunksize=4), start=1):
        if i % len(pages) == 0:
            marks.append(time.perf_counter())
    # the first pass includes worker start-up (imports, model load, word lists): time from its end
    best = min(b - a for a, b in itertools.pairwise(marks))
    return len(pages) / best


def size_scaling(pages: list[str], rounds: int) -> list[tuple[str, int, float]]:
    """ms per 100 KB for pages grouped by size, plus pages built by joining bodies to 1 and 2.5 MB."""
    buckets: list[tuple[str, list[str]]] = []
    by_size = sorted(pages, key=len)
    bounds = [(0, 20_000, "< 20 KB"), (20_000, 100_000, "20-100 KB"), (100_000, 400_000, "100-400 KB")]
    for lo, hi, label in bounds:
        group = [p for p in by_size if lo <= len(p) < hi][:60]
        if group:
            buckets.append((label, group))
    for target, label in ((1_000_000, "~1 MB (joined)"), (2_500_000, "~2.5 MB (joined)")):
        built, parts = 0, []
        for p in itertools.cycle(by_size[len(by_size) // 2 :]):
            parts.append(p)
            built += len(p)
            if built >= target:
                break
        buckets.append((label, ["\n".join(parts)] * 3))
    out = []
    for label, group in buckets:
        per_page = 1 / rate(spamfarm.score, group, rounds)
        kb = sum(len(p.encode()) for p in group) / len(group) / 1000
        out.append((label, round(kb), 1000 * per_page / (kb / 100)))
    return out


# --- a large WARC, and the CLI streaming through it -----------------------------------------------


def build_warc(path: Path, recs: list[Record], gigabytes: float) -> tuple[int, int]:
    """Write response records (the shared pages, repeated) until ``gigabytes`` of HTML; gzipped."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    n = size = 0
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for rep in itertools.count():
            for r in recs:
                body = r.html.encode("utf-8")
                url = (r.url or f"https://{r.source.replace('/', '-')}.example/{r.id}") + f"#copy{rep}"
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                payload = io.BytesIO(body)
                rec = w.create_warc_record(url, "response", payload=payload, length=len(body), http_headers=http)
                w.write_record(rec)
                n += 1
                size += len(body)
                if size >= gigabytes * 1e9:
                    tmp.rename(path)
                    return n, size
    raise AssertionError("unreachable")


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc), in KB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_cli(warcs: list[Path], jobs: int, out: Path) -> tuple[float, list[tuple[float, int]], str]:
    cmd = [sys.executable, "-m", "spamfarm", "score", *map(str, warcs)]
    cmd += ["-o", str(out), "--jobs", str(jobs), "--no-progress"]
    samples: list[tuple[float, int]] = []
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None:
        samples.append((time.perf_counter() - t, _tree_rss_kb(proc.pid)))
        time.sleep(0.5)
    secs = time.perf_counter() - t
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"CLI failed ({proc.returncode}): {err}")
    return secs, samples, err.strip()


def count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def quantile_rss(samples: Iterable[tuple[float, int]], secs: float, lo: float, hi: float) -> int:
    window = [kb for t, kb in samples if lo * secs <= t <= hi * secs]
    return max(window) if window else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="../shared/data/clean")
    ap.add_argument("--pages", type=int, default=600, help="pages for the in-process figures")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warc-gb", type=float, default=1.0, help="size of the streamed WARC (0 skips that part)")
    ap.add_argument("--jobs", type=int, default=2, help="workers for the parallel and CLI figures")
    ap.add_argument(
        "--warc-passes",
        type=int,
        default=1,
        help="stream the WARC this many times in one CLI run and print the memory of each tenth of the run "
        "(tells a warm-up from a leak)",
    )
    ap.add_argument("--cli-only", action="store_true", help="only the CLI run on the WARC (part 4)")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "spamfarm-bench"))
    args = ap.parse_args()

    recs = list(read_corpus(args.corpus))
    step = max(1, len(recs) // args.pages)
    pages = [r.html for r in itertools.islice(recs[::step], args.pages)]
    mb = sum(len(p.encode()) for p in pages) / 1e6
    print(f"spamfarm {spamfarm.__version__}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    print(f"pages: {len(pages)} ({mb:.1f} MB, every {step}th page of {args.corpus})\n")

    if args.cli_only:
        return cli_part(args, recs)
    spamfarm.score(pages[0])  # load the model and word lists outside the timing
    for p in pages:  # and each language's word lists
        spamfarm.score(p)
    parse_only = rate(lxml_parse, pages, args.rounds)
    walk = rate(_page.parse, pages, args.rounds)
    single = rate(spamfarm.score, pages, args.rounds)
    print("1. one process")
    print(f"   lxml parse only       {parse_only:8.1f} pages/s")
    print(f"   spamfarm parse+walk   {walk:8.1f} pages/s  ({walk / parse_only:.2f} x parse-only)")
    print(f"   spamfarm.score()      {single:8.1f} pages/s  ({single / parse_only:.2f} x parse-only; goal >= 0.40)")

    one = batch_rate(pages, 1, args.rounds)
    many = batch_rate(pages, args.jobs, args.rounds)
    print(f"\n2. score_many (warm workers, best of {args.rounds} passes)")
    print(f"   n_jobs=1              {one:8.1f} pages/s")
    print(f"   n_jobs={args.jobs}              {many:8.1f} pages/s  ({many / one:.2f} x n_jobs=1; goal >= 1.7)")

    print("\n3. cost against page size (score(), one process)")
    for label, kb, ms in size_scaling(pages, args.rounds):
        print(f"   {label:18} {kb:6d} KB/page   {ms:6.1f} ms per 100 KB")

    return cli_part(args, recs)


def cli_part(args: argparse.Namespace, recs: list[Record]) -> int:
    if args.warc_gb > 0:
        work = Path(args.workdir)
        work.mkdir(parents=True, exist_ok=True)
        warc = work / f"shared-{args.warc_gb:g}gb.warc.gz"
        if not warc.exists():
            t = time.perf_counter()
            n, size = build_warc(warc, recs, args.warc_gb)
            print(f"\n   (built {warc}: {n} records, {size / 1e9:.2f} GB of HTML in {time.perf_counter() - t:.0f} s)")
        out = work / "scores.jsonl"
        secs, samples, summary = run_cli([warc] * args.warc_passes, args.jobs, out)
        rows = count_lines(out)
        gz = warc.stat().st_size / 1e9
        times = f" x {args.warc_passes}" if args.warc_passes > 1 else ""
        print(f"\n4. CLI end to end: spamfarm score {warc.name}{times} --jobs {args.jobs} ({gz:.2f} GB gzipped)")
        print(f"   {rows} rows in {secs:.0f} s: {rows / secs:.1f} pages/s")
        print(f"   CLI summary: {summary.splitlines()[-1] if summary else '-'}")
        peaks = [quantile_rss(samples, secs, lo, hi) / 1e3 for lo, hi in ((0.1, 0.3), (0.4, 0.6), (0.8, 1.0))]
        print(
            "   peak resident memory (CLI + workers) at 10-30% / 40-60% / 80-100% of the run: "
            + " / ".join(f"{m:.0f} MB" for m in peaks)
        )
        if args.warc_passes > 1:
            tenths = [quantile_rss(samples, secs, k / 10, (k + 1) / 10) / 1e3 for k in range(10)]
            print("   peak resident memory in each tenth of the run: " + " / ".join(f"{m:.0f}" for m in tenths) + " MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
