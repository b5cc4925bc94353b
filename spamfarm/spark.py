"""spamfarm on Apache Spark: a job that scores WARC files, and pandas UDFs for DataFrames of HTML.

Needs the Spark extra (``pip install 'spamfarm[spark]'``) and Java 17 or newer.

**The job** reads a text file that lists WARC files, one path or URL a line (blank lines and lines
starting with ``#`` are ignored), spreads the paths over Spark tasks (by default one task per WARC
file), streams each file with :func:`spamfarm.sources.read_warc` and scores every HTML response
record with :func:`spamfarm.batch.score_page`. Each Python worker loads the model once and keeps it.
The rows go to Parquet (:data:`SCHEMA`: url, id, probability, verdict, top_signals, error); the
counters (files, records read, pages, scored, errors, non-HTML responses skipped) are Spark
accumulators, printed at the end::

    python -m spamfarm.spark warc_paths.txt out/scores.parquet --master 'local[2]'
    spark-submit --master yarn ... "$(python -c 'import spamfarm.spark as m; print(m.__file__)')" \\
        warc_paths.txt s3a://bucket/scores/

What a listed path may be:

* a local path (relative paths are taken from the driver's working directory) or a ``file:`` URL:
  read directly; on a cluster every executor must see the file (a shared or mounted file system);
* any other URL (``s3://``, ``s3a://``, ``gs://``, ``https://``, ``hdfs://``…): opened with fsspec
  and streamed, provided the package for that scheme is installed on the executors (``s3fs``,
  ``gcsfs``, ``aiohttp``; ``hdfs://`` uses pyarrow's libhdfs binding).

The listing itself may be a local file on the driver or anything Spark's Hadoop file systems read
(``hdfs://``, ``s3a://`` with hadoop-aws set up).

**Corpus signals** (``--corpus-signals``, :func:`run_corpus`): the corpus pass of
:mod:`spamfarm.network` over the whole crawl, distributed. Pass 1 scores each page and computes
its footprint on the executors (``score_page(..., footprint=True)``); the phrase groups, text
buckets and layout buckets are Spark group-bys and joins; each page's summaries are joined back
to it, and :func:`spamfarm.network.page_features` and the second stage run on the executors. The
rows (:data:`CORPUS_SCHEMA`) add ``page_probability`` and ``corpus`` (the signals that are not
neutral: name, value, evidence as JSON) and their probability, verdict and top_signals are the
second pass's. Only the report's top entries (``--corpus-report FILE``, JSON) and one count per
WARC file come back to the driver::

    python -m spamfarm.spark warc_paths.txt out/scores.parquet --corpus-signals --corpus-report report.json

A WARC record that cannot be read, or a file that cannot be opened or breaks off, becomes a row
with ``error`` set; it never stops the job. Like any Spark accumulator updated in a
transformation, the counters may count a task twice when Spark retries it; the Parquet rows are
exact.

**The UDFs** score a DataFrame column of HTML (``string`` or ``binary``), with an optional URL
column: :func:`score_udf` gives the probability, :func:`score_details_udf` a struct with the
probability, verdict, top signals and error. A null, non-HTML or broken value gives a null
probability (and, in the struct, an ``error``), never a failed task.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

try:
    import pandas as pd
    from pyspark import Accumulator, SparkContext, StorageLevel
    from pyspark.errors import AnalysisException
    from pyspark.sql import Column, DataFrame, SparkSession, Window
    from pyspark.sql import functions as F
    from pyspark.sql.types import (
        ArrayType,
        DoubleType,
        IntegerType,
        LongType,
        StringType,
        StructField,
        StructType,
    )
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError(
        f"spamfarm.spark needs the Spark extra ({exc.name or exc} is missing): pip install 'spamfarm[spark]'"
    ) from exc

from spamfarm import network
from spamfarm._api import DEFAULT_THRESHOLD
from spamfarm._errors import SpamfarmError
from spamfarm._model import default_model
from spamfarm.batch import Result, score_page
from spamfarm.sources import PageInput, ReadStats, read_warc

__all__ = [
    "CORPUS_SCHEMA",
    "DETAILS_TYPE",
    "SCHEMA",
    "CorpusRun",
    "Counters",
    "main",
    "read_listing",
    "run",
    "run_corpus",
    "score_details_udf",
    "score_udf",
    "score_warcs",
    "summary",
]

#: The job's output rows.
SCHEMA = StructType(
    [
        StructField("url", StringType(), True),
        StructField("id", StringType(), True),
        StructField("probability", DoubleType(), True),
        StructField("verdict", StringType(), True),
        StructField("top_signals", ArrayType(StringType()), True),
        StructField("error", StringType(), True),
    ]
)
#: What :func:`score_details_udf` returns for each row.
DETAILS_TYPE = StructType([f for f in SCHEMA.fields if f.name not in ("url", "id")])


# --- reading ---------------------------------------------------------------------------------


def _is_local(path: str) -> bool:
    scheme = urlsplit(path).scheme
    return not scheme or (len(scheme) == 1 and os.name == "nt")  # a Windows drive letter is no scheme


def read_listing(spark: SparkSession, listing: str) -> list[str]:
    """The WARC paths in a listing file (driver-local, or any Hadoop file system Spark reads).

    Local relative paths are made absolute against the driver's working directory, so that tasks
    find them wherever they run.
    """
    if _is_local(listing) or urlsplit(listing).scheme == "file":
        local = listing if _is_local(listing) else url2pathname(urlsplit(listing).path)
        with open(local, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    else:
        lines = spark.sparkContext.textFile(listing).collect()
    paths = [s.strip() for s in lines]
    return [os.path.abspath(p) if _is_local(p) else p for p in paths if p and not p.startswith("#")]


def _pages(path: str, stats: ReadStats) -> Iterator[PageInput]:
    """The HTML response records of one listed WARC: a local path, a ``file:`` URL, or via fsspec."""
    if _is_local(path):
        yield from read_warc(path, stats)
        return
    if urlsplit(path).scheme == "file":
        yield from read_warc(url2pathname(urlsplit(path).path), stats)
        return
    try:
        import fsspec

        fh = fsspec.open(path, "rb").open()
    except ImportError as exc:
        yield PageInput(
            id=path, html=None, error=f"cannot open {path}: {exc} (install fsspec and its {path.split(':')[0]} package)"
        )
        return
    except Exception as exc:  # noqa: BLE001 - a file that cannot be opened is a row, not a failed task
        yield PageInput(id=path, html=None, error=f"cannot open WARC: {type(exc).__name__}: {exc}")
        return
    try:
        yield from read_warc(path, stats, stream=fh)
    finally:
        fh.close()


# --- the job ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counters:
    """The job's Spark accumulators; :meth:`values` reads them on the driver after an action."""

    files: Accumulator[int]
    records: Accumulator[int]
    pages: Accumulator[int]
    scored: Accumulator[int]
    spam: Accumulator[int]
    errors: Accumulator[int]
    skipped: Accumulator[int]

    @classmethod
    def create(cls, sc: SparkContext) -> Counters:
        return cls(*(sc.accumulator(0) for _ in range(7)))

    def values(self) -> dict[str, int]:
        return {name: int(getattr(self, name).value) for name in self.__dataclass_fields__}


def _row(r: Result) -> tuple[Any, ...]:
    return (r.url, r.id, r.probability, r.verdict, list(r.top_signals), r.error)


def _results(
    paths: Iterable[str], counters: Counters | None, threshold: float, *, footprint: bool = False
) -> Iterator[tuple[int, Result]]:
    """Each HTML record of the files, scored (with its footprint if asked), and its place in its file."""
    model = default_model()
    for path in paths:
        stats = ReadStats()
        pages = scored = spam = errors = 0
        try:
            for page in _pages(path, stats):
                r = score_page(page, pages, threshold=threshold, model=model, footprint=footprint)
                pages += 1
                scored += r.ok
                spam += r.is_spam
                errors += not r.ok
                yield pages - 1, r
        finally:
            if counters is not None:
                for acc, n in (
                    (counters.files, 1),
                    (counters.records, stats.records),
                    (counters.pages, pages),
                    (counters.scored, scored),
                    (counters.spam, spam),
                    (counters.errors, errors),
                    (counters.skipped, stats.skipped),
                ):
                    acc.add(n)


def score_warcs(
    paths: Iterable[str], counters: Counters | None = None, threshold: float = DEFAULT_THRESHOLD
) -> Iterator[tuple[Any, ...]]:
    """Score the WARC files of one partition: one output row (see :data:`SCHEMA`) per HTML record.

    Runs inside a Spark task (``mapPartitions``); the model is loaded on first use in each Python
    worker and kept for the worker's later tasks.
    """
    for _, r in _results(paths, counters, threshold):
        yield _row(r)


def run(
    spark: SparkSession,
    listing: str,
    output: str,
    *,
    num_input_partitions: int | None = None,
    num_output_partitions: int | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    mode: str = "errorifexists",
    compression: str = "snappy",
) -> dict[str, int]:
    """Score every WARC file named in ``listing`` and write the rows to Parquet at ``output``.

    ``num_input_partitions`` defaults to one task per WARC file; ``num_output_partitions``
    repartitions the rows before writing (default: one Parquet file per task). Returns the counters.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], not {threshold!r}")
    paths = read_listing(spark, listing)
    if not paths:
        raise ValueError(f"no WARC paths in {listing}")
    sc = spark.sparkContext
    counters = Counters.create(sc)
    task = partial(score_warcs, counters=counters, threshold=float(threshold))
    rows = sc.parallelize(paths, num_input_partitions or len(paths)).mapPartitions(task)
    df: DataFrame = spark.createDataFrame(rows, SCHEMA)
    if num_output_partitions:
        df = df.repartition(num_output_partitions)
    df.write.mode(mode).option("compression", compression).parquet(output)
    return counters.values()


def summary(counts: dict[str, int], seconds: float) -> str:
    """One line for the end of a run."""
    c = counts
    rate = c["pages"] / seconds if seconds > 0 else 0.0
    page_spam = f" ({c['page_spam']} page by page)" if "page_spam" in c else ""
    return (
        f"spamfarm.spark: {c['files']} WARC files, {c['records']} records read, {c['pages']} pages "
        f"({c['scored']} scored, {c['spam']} spam{page_spam}, {c['errors']} errors), {c['skipped']} non-HTML responses "
        f"skipped; {seconds:.1f} s, {rate:.1f} pages/s"
    )


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m spamfarm.spark",
        description="Score the HTML pages of WARC files on Spark and write Parquet "
        "(url, id, probability, verdict, top_signals, error).",
    )
    ap.add_argument("listing", help="text file with one WARC path or URL a line")
    ap.add_argument("output", help="where to write the Parquet output (a directory, local or any Hadoop file system)")
    ap.add_argument("--master", help="Spark master when not run by spark-submit, e.g. 'local[2]'")
    ap.add_argument("--app-name", default="spamfarm", help="Spark application name")
    ap.add_argument("--num-input-partitions", type=int, help="tasks to spread the WARC files over (default: one each)")
    ap.add_argument("--num-output-partitions", type=int, help="Parquet files to write (default: one per task)")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="spam verdict threshold (0.5)")
    ap.add_argument("--mode", default="errorifexists", choices=["errorifexists", "overwrite", "append", "ignore"])
    ap.add_argument("--compression", default="snappy", help="Parquet compression (snappy, zstd, gzip, none)")
    ap.add_argument(
        "--corpus-signals",
        action="store_true",
        help="score twice: page by page, then with corpus-level signals of the whole crawl (shared brands, "
        "re-hosted copies, shared layouts); adds page_probability and corpus columns",
    )
    ap.add_argument("--corpus-report", metavar="FILE", help="with --corpus-signals: write the findings as JSON here")
    ap.add_argument(
        "--conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting for a session this command starts (repeatable), e.g. spark.sql.shuffle.partitions=8",
    )
    ap.add_argument("--log-level", default="WARN", help="Spark log level (WARN)")
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for name in ("num_input_partitions", "num_output_partitions"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            print(f"spamfarm.spark: --{name.replace('_', '-')} must be at least 1", file=sys.stderr)
            return 2
    if args.corpus_report and not args.corpus_signals:
        print("spamfarm.spark: --corpus-report needs --corpus-signals", file=sys.stderr)
        return 2
    owned = SparkSession.getActiveSession() is None  # leave a caller's session running
    builder = SparkSession.builder.appName(args.app_name)
    for item in args.conf:
        key, eq, value = item.partition("=")
        if not eq or not key:
            print(f"spamfarm.spark: --conf takes KEY=VALUE, not {item!r}", file=sys.stderr)
            return 2
        builder = builder.config(key.strip(), value)
    if args.master:
        builder = builder.master(args.master)
        if args.master.startswith("local"):  # local workers run this interpreter, venv activated or not
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(args.log_level)
    start = time.perf_counter()
    options = {
        "num_input_partitions": args.num_input_partitions,
        "num_output_partitions": args.num_output_partitions,
        "threshold": args.threshold,
        "mode": args.mode,
        "compression": args.compression,
    }
    report = None
    try:
        if args.corpus_signals:
            found = run_corpus(
                spark,
                args.listing,
                args.output,
                corpus_report=args.corpus_report,
                log=lambda msg: print(f"spamfarm.spark: {msg}", file=sys.stderr),
                **options,
            )
            counts, report = found.counts, found.report
        else:
            counts = run(spark, args.listing, args.output, **options)
    except (OSError, ValueError, AnalysisException, SpamfarmError) as err:  # no listing, no paths, output exists…
        print(f"spamfarm.spark: {str(err).splitlines()[0] if str(err) else type(err).__name__}", file=sys.stderr)
        return 2
    finally:
        if owned:
            spark.stop()
    if report is not None:
        print(report.summary(), file=sys.stderr)
    print(summary(counts, time.perf_counter() - start))
    return 0


# --- corpus signals ----------------------------------------------------------------------------
#
# The corpus pass of spamfarm.network, distributed: nothing but the report's top entries comes
# back to the driver. Every page gets a global number ``idx`` (its place in the listing's files,
# in order, as spamfarm.network.score_corpus would number them), its host (``?idx`` when it has
# none) and a ``ref`` (URL, else id). The groups of CorpusIndex become group-bys:
#
# * phrase groups: (phrase, host) -> first page and count; the first MAX_BUCKET_HOSTS hosts per
#   phrase are counted; for phrases on two hosts or more, the first MAX_GROUP_SAMPLE pages go
#   through network.phrase_group (topic cohesion, evidence sample);
# * text buckets: the same per band key, plus, for buckets on two hosts or more, how many members
#   hold each phrase and title word (joined back only for the pages' own phrases and words);
# * layout buckets: the first MAX_GROUP_SAMPLE members of each bucket on two hosts or more, with
#   the hosts their text shares a band with; network.layout_share once for any host and once for
#   each host those members name (the others see the bucket the same way).
#
# Each page's summaries are then joined back to it and network.page_features and the stage run
# on the executors. A phrase, bucket or layout on one host only never changes a feature, so only
# the others are joined.

FOOTPRINT_TYPE = StructType(
    [
        StructField("host", StringType(), True),
        StructField("title", StringType(), True),
        StructField("site_name", StringType(), True),
        StructField("date", StringType(), True),
        StructField(
            "phrases",
            ArrayType(
                StructType(
                    [
                        StructField("key", StringType(), False),
                        StructField("prob", DoubleType(), False),
                        StructField("kind", IntegerType(), False),
                    ]
                )
            ),
            True,
        ),
        StructField(
            "contexts",
            ArrayType(
                StructType(
                    [
                        StructField("key", StringType(), False),
                        StructField("text", StringType(), False),
                        StructField("where", StringType(), False),
                    ]
                )
            ),
            True,
        ),
        StructField("topic", ArrayType(StringType()), True),
        StructField("title_words", ArrayType(StringType()), True),
        StructField("text_keys", ArrayType(LongType()), True),
        StructField("layout_keys", ArrayType(LongType()), True),
    ]
)
#: Pass 1 of the corpus job: a file's place in the listing, the record's place in the file, the
#: page-level row and the page's footprint (with its LSH band keys instead of the signatures).
PASS1_SCHEMA = StructType(
    [StructField("file_no", IntegerType(), False), StructField("rec_no", LongType(), False)]
    + SCHEMA.fields
    + [StructField("fp", FOOTPRINT_TYPE, True)]
)
SIGNAL_TYPE = StructType(
    [
        StructField("name", StringType(), True),
        StructField("value", DoubleType(), True),
        StructField("evidence", StringType(), True),
    ]
)
#: The corpus job's output rows: :data:`SCHEMA`, where probability, verdict and top_signals are
#: the second pass's, plus the page-level probability and the corpus signals that are not
#: neutral (name, value, and the evidence as a JSON list).
CORPUS_SCHEMA = StructType(
    SCHEMA.fields
    + [
        StructField("page_probability", DoubleType(), True),
        StructField("corpus", ArrayType(SIGNAL_TYPE), True),
    ]
)
_MEMBER = StructType([StructField("host", StringType(), False), StructField("ref", StringType(), False)])
_PHRASE_GROUP = StructType(
    [
        StructField("hosts", LongType(), False),
        StructField("pages", LongType(), False),
        StructField("cohesion", DoubleType(), False),
        StructField("mean_phrase_prob", DoubleType(), False),
        StructField("mean_page_prob", DoubleType(), False),
        StructField("sample", ArrayType(_MEMBER), False),
    ]
)
_LAYOUT_SHARE = StructType(
    [
        StructField("hosts", LongType(), False),
        StructField("flagged", DoubleType(), False),
        StructField("shown", ArrayType(StringType()), False),
    ]
)


def _footprint_row(fp: network.Footprint | None) -> tuple[Any, ...] | None:
    if fp is None:
        return None
    return (
        fp.host,
        fp.title,
        fp.site_name,
        fp.date,
        [(k, float(p), int(kind)) for k, p, kind in fp.phrases],
        [list(c) for c in fp.contexts],
        list(fp.topic),
        list(fp.title_words),
        network.band_keys(fp.text_sig),
        network.band_keys(fp.layout_sig),
    )


def footprint_warcs(
    numbered: Iterable[tuple[int, str]], counters: Counters | None = None, threshold: float = DEFAULT_THRESHOLD
) -> Iterator[tuple[Any, ...]]:
    """Pass 1 of the corpus job for one partition of (file number, WARC path): one
    :data:`PASS1_SCHEMA` row per HTML record, scored and with its footprint."""
    for file_no, path in numbered:
        for rec_no, r in _results([path], counters, threshold, footprint=True):
            yield (file_no, rec_no, *_row(r), _footprint_row(r.footprint))


def _phrase_group_row(row: Any) -> tuple[str, tuple[Any, ...]]:
    sample = sorted(row["s"], key=lambda m: m["idx"])
    g = network.phrase_group(
        row["key"],
        row["hosts"],
        row["pages"],
        [(network.Member(m["host"], m["ref"]), m["pprob"], m["probability"], m["topic"]) for m in sample],
    )
    return (
        row["key"],
        (g.hosts, g.pages, g.cohesion, g.mean_phrase_prob, g.mean_page_prob, [(m.host, m.ref) for m in g.sample]),
    )


def _evidence_row(row: Any) -> tuple[int, list[tuple[str, str]]]:
    members = [network.Member(m["host"], m["ref"]) for m in sorted(row["s"], key=lambda m: m["idx"])]
    return (row["key"], [(m.host, m.ref) for m in network._evidence_sample(members)])


def _layout_rows(row: Any) -> Iterator[tuple[int, str | None, tuple[Any, ...] | None]]:
    """A layout bucket's share for any host (host None) and for each host its members name."""
    sample = sorted(row["s"], key=lambda m: m["idx"])
    copies = [frozenset(m["copy_hosts"] or ()) for m in sample]
    members = [network.LayoutMember(m["host"], m["probability"], c) for m, c in zip(sample, copies, strict=True)]
    named = {m.host for m in members}.union(*copies)
    for host in (None, *sorted(named)):
        s = network.layout_share("" if host is None else host, members)
        yield (row["lkey"], host, None if s is None else (s.hosts, s.flagged, list(s.shown)))


def _member(m: Any) -> network.Member:
    return network.Member(m["host"], m["ref"])


def _page_corpus_features(row: Any) -> network.CorpusFeatures | None:
    f = row["fp"]
    if f is None:
        return None
    fp = network.Footprint(
        host=f["host"],
        title=f["title"],
        site_name=f["site_name"],
        date=f["date"],
        phrases=tuple((p["key"], p["prob"], p["kind"]) for p in f["phrases"]),
        contexts=tuple((c["key"], c["text"], c["where"]) for c in f["contexts"]),
        topic=tuple(f["topic"]),
        title_words=tuple(f["title_words"]),
    )
    groups = {e["key"]: _phrase_group_of(e["g"]) for e in row["phr"] or ()}
    text: list[tuple[network.TextBucket, bool] | None] = [None] * len(f["text_keys"])
    for e in row["text"] or ():
        bucket = network.TextBucket(
            e["n"],
            e["hosts"],
            tuple(_member(m) for m in e["sample"]),
            {p["key"]: p["c"] for p in e["phr"] or ()},
            {w["w"]: w["c"] for w in e["words"] or ()},
        )
        text[e["pos"]] = (bucket, e["counted"])
    layout: list[network.LayoutShare | None] = [None] * len(f["layout_keys"])
    for e in row["lay"] or ():
        s = e["share"]
        if s is not None:
            layout[e["pos"]] = network.LayoutShare(s["hosts"], s["flagged"], tuple(s["shown"]))
    return network.page_features(fp, row["host"], groups.get, text, layout)


def rescore_partition(
    rows: Iterable[Any], stage: network.Stage, threshold: float, spam: Accumulator[int] | None = None
) -> Iterator[tuple[Any, ...]]:
    """Pass 2 of the corpus job: the page's corpus features and final probability, per row that
    carries its footprint and the summaries of its groups (one :data:`CORPUS_SCHEMA` row each,
    with ``idx`` first)."""
    batch: list[Any] = []

    def flush() -> Iterator[tuple[Any, ...]]:
        results = [
            Result(
                r["idx"], r["id"], r["url"], r["probability"], r["verdict"], tuple(r["top_signals"] or ()), r["error"]
            )
            for r in batch
        ]
        feats = [_page_corpus_features(r) for r in batch]
        for r in network.rescore_rows(results, feats, stage, threshold):
            if spam is not None and r.is_spam:
                spam.add(1)
            corpus = [
                (s.name, float(s.value), json.dumps([e.as_dict() for e in s.evidence], ensure_ascii=False))
                for s in r.corpus
            ]
            yield (r.index, *_row(r), r.page_probability, corpus)
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= 256:
            yield from flush()
    if batch:
        yield from flush()


@dataclass(frozen=True)
class CorpusRun:
    """What :func:`run_corpus` returns: the counters (``spam`` counts the final verdicts,
    ``page_spam`` the page-level ones) and the report."""

    counts: dict[str, int]
    report: network.CorpusReport


def _first(df: DataFrame, key: str, order: str, n: int) -> DataFrame:
    """Each ``key``'s first ``n`` rows by ``order`` (a filter Spark turns into a per-group limit)."""
    w = Window.partitionBy(key).orderBy(order)
    return df.withColumn("_rn", F.row_number().over(w)).where(F.col("_rn") <= n).drop("_rn")


def _host_counts(occ: DataFrame, key: str) -> DataFrame:
    """Per (key, host): the first page, the pages, and whether the host is among the key's first
    MAX_BUCKET_HOSTS hosts (the ones CorpusIndex counts)."""
    kh = occ.groupBy(key, "host").agg(F.min("idx").alias("first"), F.count(F.lit(1)).alias("n"))
    w = Window.partitionBy(key).orderBy("first")
    return kh.withColumn("counted", F.row_number().over(w) <= network.MAX_BUCKET_HOSTS)


def _key_stats(kh: DataFrame, key: str) -> DataFrame:
    """Per key held on two hosts or more: pages (all), counted hosts, pages on counted hosts."""
    return (
        kh.groupBy(key)
        .agg(
            F.sum("n").alias("n"),
            F.sum(F.col("counted").cast("long")).alias("hosts"),
            F.sum(F.when(F.col("counted"), F.col("n")).otherwise(0)).alias("pages"),
        )
        .where(F.col("hosts") >= 2)
    )


def _clusters(
    spark: SparkSession, edges: DataFrame, info: DataFrame, top: int, max_iterations: int
) -> tuple[list[list[dict[str, Any]]], bool, int]:
    """Pages joined by shared buckets, as CorpusIndex's report gives them: connected components of
    the (page, bucket) graph of each ``kind`` of bucket (0: text, at least 2 hosts a cluster; 1:
    layout, at least 3), found by propagating the smallest bucket key, and the entries of the
    largest ``top`` of each kind. Returns the entries, whether the propagation converged within
    ``max_iterations`` rounds, and the rounds it took."""
    edges = edges.persist(StorageLevel.MEMORY_AND_DISK)
    label = edges.groupBy("kind", "idx").agg(F.min("key").alias("label")).persist(StorageLevel.MEMORY_AND_DISK)
    converged = False
    rounds = 0
    while rounds < max_iterations:
        rounds += 1
        klabel = edges.join(label, ["kind", "idx"]).groupBy("kind", "key").agg(F.min("label").alias("kl"))
        new = edges.join(klabel, ["kind", "key"]).groupBy("kind", "idx").agg(F.min("kl").alias("label"))
        new = new.persist(StorageLevel.MEMORY_AND_DISK)
        changed = new.join(label.withColumnRenamed("label", "old"), ["kind", "idx"]).where(
            F.col("label") != F.col("old")
        )
        n_changed = changed.count()  # also fills new's cache
        label.unpersist()
        label = new
        if n_changed == 0:
            converged = True
            break
    pages = label.join(info, "idx")
    size = (
        pages.groupBy("kind", "label")
        .agg(F.count(F.lit(1)).alias("pages"), F.countDistinct("host").alias("hosts"))
        .where(F.col("hosts") >= F.when(F.col("kind") == 0, 2).otherwise(3))
    )
    first = _first(
        pages.join(size.select("kind", "label"), ["kind", "label"], "left_semi").withColumn(
            "cluster", F.struct("kind", "label")
        ),
        "cluster",
        "idx",
        5,
    )
    examples = first.groupBy("kind", "label").agg(F.collect_list(F.struct("idx", "ref")).alias("ex"))
    cands = (
        size.join(examples, ["kind", "label"])
        .rdd.map(
            lambda r: (
                r["kind"],
                r["label"],
                r["pages"],
                r["hosts"],
                [e["ref"] for e in sorted(r["ex"], key=lambda e: e["idx"])],
            )
        )
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    best = [
        cands.filter(lambda c, k=kind: c[0] == k).takeOrdered(top, key=lambda c: (-c[3], -c[2], c[4]))  # type: ignore[misc]
        for kind in (0, 1)
    ]
    cands.unpersist()
    chosen = [(c[0], c[1]) for b in best for c in b]
    details: dict[tuple[int, int], Any] = {}
    if chosen:
        wanted = spark.createDataFrame(chosen, "kind int, label long")
        details = {
            (r["kind"], r["label"]): r
            for r in pages.join(F.broadcast(wanted), ["kind", "label"])
            .groupBy("kind", "label")
            .agg(
                F.avg("probability").alias("mean"),
                F.sort_array(F.collect_set("title")).alias("titles"),
                F.sort_array(F.collect_set(F.when(F.col("site_name") != "", F.col("site_name")))).alias("site_names"),
                F.sort_array(F.collect_set(F.when(F.col("date") != "", F.col("date")))).alias("dates"),
            )
            .collect()
        }
    label.unpersist()
    edges.unpersist()
    out = []
    for b in best:
        entries = []
        for kind, label_, n_pages, n_hosts, ex in b:
            d = details[(kind, label_)]
            entries.append(
                {
                    "pages": n_pages,
                    "hosts": n_hosts,
                    "mean_probability": round(d["mean"] or 0.0, 3),
                    "titles": list(d["titles"][:5]),
                    "distinct_titles": len(d["titles"]),
                    "site_names": list(d["site_names"][:5]),
                    "dates": list(d["dates"][:5]),
                    "examples": ex,
                }
            )
        entries.sort(key=network._cluster_order)
        out.append(entries)
    return out, converged, rounds


def _exists(spark: SparkSession, path: str) -> bool:
    """Whether ``path`` exists, on whichever Hadoop file system Spark would write it to."""
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    return bool(hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(hpath))


def run_corpus(
    spark: SparkSession,
    listing: str,
    output: str,
    *,
    corpus_report: str | None = None,
    stage: network.Stage | None = None,
    num_input_partitions: int | None = None,
    num_output_partitions: int | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    mode: str = "errorifexists",
    compression: str = "snappy",
    top: int = 20,
    max_iterations: int = 20,
    log: Callable[[str], None] | None = None,
) -> CorpusRun:
    """Score every WARC file named in ``listing`` twice, page by page and then with the corpus
    signals of the whole crawl (:mod:`spamfarm.network`), and write :data:`CORPUS_SCHEMA` rows to
    Parquet at ``output``; ``corpus_report`` (a local path), when given, gets the report as JSON.

    The pass runs as Spark group-bys and joins; only the report's ``top`` entries of each kind
    come to the driver. Copy and layout clusters are connected components found by label
    propagation over at most ``max_iterations`` rounds (the report says ``"clusters_converged":
    false`` when that was not enough, and a cluster may then be split). ``stage`` defaults to the
    shipped second stage. ``log``, when given, is called with the time each phase took.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], not {threshold!r}")
    paths = read_listing(spark, listing)
    if not paths:
        raise ValueError(f"no WARC paths in {listing}")
    st = stage or network.default_stage()  # fail on the driver if it cannot load
    if mode == "errorifexists" and _exists(spark, output):  # before pass 1, not after it
        raise FileExistsError(f"path {output} already exists")
    clock = time.perf_counter()

    def lap(what: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        if log is not None:
            log(f"{what}: {now - clock:.1f} s")
        clock = now

    sc = spark.sparkContext
    counters = Counters.create(sc)
    final_spam = sc.accumulator(0)

    # Pass 1: page scores and footprints, kept (on executors' memory and disk) for the passes below.
    task = partial(footprint_warcs, counters=counters, threshold=float(threshold))
    numbered = list(enumerate(paths))
    rows = sc.parallelize(numbered, num_input_partitions or len(paths)).mapPartitions(task)
    p1 = spark.createDataFrame(rows, PASS1_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK)
    per_file = spark.createDataFrame(
        [(int(r["file_no"]), int(r["count"])) for r in p1.groupBy("file_no").count().collect()],
        "file_no int, count long",
    )
    w = Window.orderBy("file_no").rowsBetween(Window.unboundedPreceding, -1)
    offsets = per_file.withColumn("offset", F.coalesce(F.sum("count").over(w), F.lit(0))).drop("count")
    pages = (
        p1.join(F.broadcast(offsets), "file_no")
        .withColumn("idx", F.col("offset") + F.col("rec_no"))
        .withColumn(
            "host",
            F.when(F.coalesce(F.col("fp.host"), F.lit("")) != "", F.col("fp.host")).otherwise(
                F.concat(F.lit("?"), F.col("idx").cast("string"))
            ),
        )
        .withColumn("ref", F.when(F.coalesce(F.col("url"), F.lit("")) != "", F.col("url")).otherwise(F.col("id")))
        .drop("file_no", "rec_no", "offset")
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    fps = pages.where(F.col("fp").isNotNull())
    n_pages = pages.count()
    p1.unpersist()
    lap(f"pass 1 (scoring and footprints of {n_pages} pages)")

    # Phrase groups.
    occ = fps.select("idx", "host", F.explode("fp.phrases").alias("ph")).select(
        "idx", "host", F.col("ph.key").alias("key"), F.col("ph.prob").alias("pprob")
    )
    kstats = _key_stats(_host_counts(occ, "key"), "key")
    sample = _first(occ.join(kstats.select("key"), "key", "left_semi"), "key", "idx", network.MAX_GROUP_SAMPLE)
    sample = sample.join(fps.select("idx", "ref", "probability", F.col("fp.topic").alias("topic")), "idx")
    grouped = sample.groupBy("key").agg(
        F.collect_list(F.struct("idx", "host", "ref", "pprob", "probability", "topic")).alias("s")
    )
    pg_schema = StructType([StructField("key", StringType(), False), StructField("g", _PHRASE_GROUP, False)])
    groups = spark.createDataFrame(grouped.join(kstats, "key").rdd.map(_phrase_group_row), pg_schema).persist(
        StorageLevel.MEMORY_AND_DISK
    )
    page_phr = (
        occ.where(F.col("pprob") >= network.MIN_PHRASE_PROB)
        .select("idx", "key")
        .join(groups, "key")
        .groupBy("idx")
        .agg(F.collect_list(F.struct("key", "g")).alias("phr"))
    )

    # Text buckets.
    tocc = fps.select("idx", "host", F.posexplode("fp.text_keys").alias("pos", "tkey"))
    th = _host_counts(tocc.withColumnRenamed("tkey", "key"), "key").withColumnRenamed("key", "tkey")
    th = th.persist(StorageLevel.MEMORY_AND_DISK)
    tstats = _key_stats(th.withColumnRenamed("tkey", "key"), "key").withColumnRenamed("key", "tkey")
    tm = tocc.join(tstats.select("tkey"), "tkey", "left_semi").persist(StorageLevel.MEMORY_AND_DISK)
    tfirst = _first(tm.join(fps.select("idx", "ref"), "idx"), "tkey", "idx", network.MAX_GROUP_SAMPLE)
    tsample = spark.createDataFrame(
        tfirst.groupBy(F.col("tkey").alias("key"))
        .agg(F.collect_list(F.struct("idx", "host", "ref")).alias("s"))
        .rdd.map(_evidence_row),
        StructType([StructField("tkey", LongType(), False), StructField("sample", ArrayType(_MEMBER), False)]),
    )
    members = tm.select("tkey", "idx")
    holds = members.join(occ.select("idx", "key"), "idx").groupBy("tkey", "key").agg(F.count(F.lit(1)).alias("c"))
    asked = tm.select("idx", "pos", "tkey").join(
        occ.where(F.col("pprob") >= network.EXTRA_PHRASE_PROB).select("idx", "key"), "idx"
    )
    tphr = (
        asked.join(holds, ["tkey", "key"]).groupBy("idx", "pos").agg(F.collect_list(F.struct("key", "c")).alias("phr"))
    )
    words = fps.select("idx", F.explode("fp.title_words").alias("w"))
    wcount = members.join(words, "idx").groupBy("tkey", "w").agg(F.count(F.lit(1)).alias("c"))
    twords = (
        tm.select("idx", "pos", "tkey")
        .join(words, "idx")
        .join(wcount, ["tkey", "w"])
        .groupBy("idx", "pos")
        .agg(F.collect_list(F.struct("w", "c")).alias("words"))
    )
    page_text = (
        tm.join(tstats.select("tkey", "n", "hosts"), "tkey")
        .join(th.select("tkey", "host", "counted"), ["tkey", "host"])
        .join(tsample, "tkey")
        .join(tphr, ["idx", "pos"], "left")
        .join(twords, ["idx", "pos"], "left")
        .groupBy("idx")
        .agg(F.collect_list(F.struct("pos", "n", "hosts", "counted", "sample", "phr", "words")).alias("text"))
    )

    # Layout buckets: the first members of each bucket on two hosts or more, with the hosts their
    # text shares a band with (counted hosts of their multi-host text buckets).
    locc = fps.select("idx", "host", "probability", F.posexplode("fp.layout_keys").alias("pos", "lkey"))
    lstats = locc.groupBy("lkey").agg(F.countDistinct("host").alias("hosts")).where(F.col("hosts") >= 2)
    lm = locc.join(lstats.select("lkey"), "lkey", "left_semi")
    lfirst = _first(lm, "lkey", "idx", network.MAX_GROUP_SAMPLE)
    copy_hosts = (
        members.join(lfirst.select("idx").distinct(), "idx", "left_semi")
        .join(th.where(F.col("counted")).select("tkey", "host"), "tkey")
        .groupBy("idx")
        .agg(F.collect_set("host").alias("copy_hosts"))
    )
    shares = spark.createDataFrame(
        lfirst.join(copy_hosts, "idx", "left")
        .groupBy("lkey")
        .agg(F.collect_list(F.struct("idx", "host", "probability", "copy_hosts")).alias("s"))
        .rdd.flatMap(_layout_rows),
        StructType(
            [
                StructField("lkey", LongType(), False),
                StructField("host", StringType(), True),
                StructField("share", _LAYOUT_SHARE, True),
            ]
        ),
    ).persist(StorageLevel.MEMORY_AND_DISK)
    anyhost = shares.where(F.col("host").isNull()).select("lkey", F.col("share").alias("any_share"))
    named = shares.where(F.col("host").isNotNull()).select(
        "lkey", "host", F.lit(True).alias("named"), F.col("share").alias("named_share")
    )
    page_layout = (
        lm.join(anyhost, "lkey")
        .join(named, ["lkey", "host"], "left")
        .select("idx", "pos", F.when(F.col("named"), F.col("named_share")).otherwise(F.col("any_share")).alias("share"))
        .groupBy("idx")
        .agg(F.collect_list(F.struct("pos", "share")).alias("lay"))
    )

    # Pass 2 on the executors: page_features and the stage, page by page.
    joined = pages.join(page_phr, "idx", "left").join(page_text, "idx", "left").join(page_layout, "idx", "left")
    out_schema = StructType([StructField("idx", LongType(), False), *CORPUS_SCHEMA.fields])
    scored = spark.createDataFrame(
        joined.rdd.mapPartitions(partial(rescore_partition, stage=st, threshold=float(threshold), spam=final_spam)),
        out_schema,
    ).persist(StorageLevel.MEMORY_AND_DISK)
    df = scored.drop("idx")
    if num_output_partitions:
        df = df.repartition(num_output_partitions)
    df.write.mode(mode).option("compression", compression).parquet(output)
    lap("aggregation and pass 2 (corpus features and stage, Parquet written)")

    # The report, from the aggregates.
    brands = groups.where(F.col("g.hosts") >= 3).rdd.flatMap(_brand_entries)
    top_brands = brands.takeOrdered(top, key=network._brand_order)
    info = fps.select("idx", "host", "ref", "fp.title", "fp.site_name", "fp.date").join(
        scored.select("idx", "probability"), "idx"
    )
    edges = tm.select(F.lit(0).alias("kind"), "idx", F.col("tkey").alias("key")).unionByName(
        lm.select(F.lit(1).alias("kind"), "idx", F.col("lkey").alias("key"))
    )
    (copies, layouts), converged, rounds = _clusters(spark, edges, info, top, max_iterations)
    report = network.CorpusReport(n_pages, tuple(top_brands), tuple(copies), tuple(layouts))
    lap(f"report ({rounds} rounds of label propagation)")
    if corpus_report:
        d = report.as_dict()
        d["clusters_converged"] = converged
        with open(corpus_report, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(d, ensure_ascii=False, indent=2) + "\n")
    for frame in (scored, shares, tm, th, groups, pages):
        frame.unpersist()
    counts = counters.values()
    counts["page_spam"] = counts["spam"]
    counts["spam"] = int(final_spam.value)
    return CorpusRun(counts, report)


def _brand_entries(row: Any) -> list[dict[str, Any]]:
    d = network.brand_entry(row["key"], _phrase_group_of(row["g"]))
    return [] if d is None else [d]


def _phrase_group_of(g: Any) -> network.PhraseGroup:
    return network.PhraseGroup(
        g["hosts"],
        g["pages"],
        g["cohesion"],
        g["mean_phrase_prob"],
        g["mean_page_prob"],
        tuple(_member(m) for m in g["sample"]),
    )


# --- pandas UDFs -----------------------------------------------------------------------------


def _is_null(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _score_series(html: pd.Series, url: pd.Series, threshold: float) -> list[Result]:
    model = default_model()
    out: list[Result] = []
    for i, (h, u) in enumerate(zip(html, url, strict=True)):
        if _is_null(h):
            out.append(Result(i, str(i), None, None, None, error="no html (null)"))
            continue
        page = PageInput(id=str(i), html=h, url=u if isinstance(u, str) and u else None)
        out.append(score_page(page, i, threshold=threshold, model=model))
    return out


def _columns(html: Column | str, url: Column | str | None) -> tuple[Column, Column]:
    h = F.col(html) if isinstance(html, str) else html
    u = F.lit(None).cast(StringType()) if url is None else F.col(url) if isinstance(url, str) else url
    return h, u


def score_udf(html: Column | str, url: Column | str | None = None) -> Column:
    """A ``double`` column: the spam probability of each row's HTML (null where it cannot be scored).

    ``html`` is a string or binary column (bytes are decoded like :func:`spamfarm.score` does);
    ``url``, the page's own address, is optional. Scoring is row by row in Arrow batches; with
    large pages, lower ``spark.sql.execution.arrow.maxRecordsPerBatch`` (default 10,000 rows).
    """

    @F.pandas_udf(DoubleType())  # type: ignore[call-overload]
    def spamfarm_probability(html: pd.Series, url: pd.Series) -> pd.Series:
        probs = [r.probability for r in _score_series(html, url, DEFAULT_THRESHOLD)]
        return pd.Series(probs, dtype="float64")

    return spamfarm_probability(*_columns(html, url))


def score_details_udf(
    html: Column | str, url: Column | str | None = None, *, threshold: float = DEFAULT_THRESHOLD
) -> Column:
    """A struct column (:data:`DETAILS_TYPE`): probability, verdict, top_signals and error per row.

    Rows that cannot be scored (null, not HTML text or bytes, or a page that fails) have a null
    probability and verdict, and ``error`` says why.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], not {threshold!r}")
    limit = float(threshold)

    @F.pandas_udf(DETAILS_TYPE)  # type: ignore[call-overload]
    def spamfarm_details(html: pd.Series, url: pd.Series) -> pd.DataFrame:
        rows = _score_series(html, url, limit)
        return pd.DataFrame(
            {
                "probability": pd.Series([r.probability for r in rows], dtype="float64"),
                "verdict": [r.verdict for r in rows],
                "top_signals": [list(r.top_signals) for r in rows],
                "error": [r.error for r in rows],
            }
        )

    return spamfarm_details(*_columns(html, url))


if __name__ == "__main__":
    # Run the importable module's main, not this __main__ copy: Spark pickles the task functions by
    # reference to their module, and each worker then imports spamfarm.spark once and keeps its model.
    from spamfarm.spark import main as _main

    raise SystemExit(_main())
