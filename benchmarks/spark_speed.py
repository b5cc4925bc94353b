"""Throughput of the Spark job (:func:`spamfarm.spark.run`) per core, on shared honest pages.

    python benchmarks/spark_speed.py [--corpus ../shared/data/clean] [--pages 300] [--files 6]

Writes --pages pages of the corpus as HTML response records into --files gzipped WARC files in a
temporary folder (the job runs one task per file). Then, for each --masters value (``local[1]``,
``local[2]``), starts a Spark session and runs the job twice on the same files: the first run
("cold") includes starting the Python workers and loading the model in each, the second ("warm")
is the steady state a long job approaches. JVM start-up is not counted. For reference, the same
pages are also scored in this process with ``score_many`` (one core, model already loaded).
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from pyspark.sql import SparkSession
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import spamfarm
from spamfarm import spark as job
from spamfarm.corpus import read_corpus


def write_warcs(pages: list[tuple[str, bytes]], folder: Path, files: int) -> list[Path]:
    paths = []
    for k in range(files):
        path = folder / f"pages-{k:02d}.warc.gz"
        with open(path, "wb") as fh:
            w = WARCWriter(fh, gzip=True)
            for url, body in pages[k::files]:
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                w.write_record(
                    w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http)
                )
        paths.append(path)
    return paths


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="../shared/data/clean")
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--files", type=int, default=6, help="WARC files to spread the pages over (one task each)")
    ap.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    args = ap.parse_args()
    recs = list(read_corpus(args.corpus))
    step = max(1, len(recs) // args.pages)
    chosen = list(itertools.islice(recs[::step], args.pages))
    pages = [(r.url or f"https://corpus.invalid/{r.id}", r.html.encode("utf-8")) for r in chosen]
    mb = sum(len(b) for _, b in pages) / 1e6
    print(f"pages: {len(pages)} ({mb:.1f} MB, every {step}th page of {args.corpus}) in {args.files} WARC files")

    with tempfile.TemporaryDirectory(prefix="spamfarm-spark-speed-") as tmp:
        folder = Path(tmp)
        listing = folder / "warcs.txt"
        listing.write_text("".join(f"{p}\n" for p in write_warcs(pages, folder, args.files)), encoding="utf-8")
        for master in args.masters:
            cores = int(m.group(1)) if (m := re.fullmatch(r"local\[(\d+)\]", master)) else 1
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = SparkSession.builder.master(master).config("spark.ui.enabled", "false")
            spark = builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()
            spark.sparkContext.setLogLevel("ERROR")
            try:
                for run in ("cold", "warm"):
                    t = time.perf_counter()
                    counts = job.run(spark, str(listing), str(folder / "out"), mode="overwrite")
                    secs = time.perf_counter() - t
                    assert counts["scored"] == len(pages), counts
                    rate = len(pages) / secs
                    per_core = rate / cores
                    print(f"{master:9s} {run}  {rate:6.1f} pages/s  {per_core:6.1f} pages/s per core  ({secs:.1f} s)")
            finally:
                spark.stop()

    spamfarm.score(pages[0][1])  # load the model outside the timing
    t = time.perf_counter()
    for _ in spamfarm.score_many(spamfarm.PageInput(id=u, html=b, url=u) for u, b in pages):
        pass
    rate = len(pages) / (time.perf_counter() - t)
    print(f"score_many      {rate:6.1f} pages/s  {rate:6.1f} pages/s per core  (one process, no Spark)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
