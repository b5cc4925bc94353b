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
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

try:
    import pandas as pd
    from pyspark import Accumulator, SparkContext
    from pyspark.errors import AnalysisException
    from pyspark.sql import Column, DataFrame, SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, DoubleType, StringType, StructField, StructType
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError(
        f"spamfarm.spark needs the Spark extra ({exc.name or exc} is missing): pip install 'spamfarm[spark]'"
    ) from exc

from spamfarm._api import DEFAULT_THRESHOLD
from spamfarm._model import default_model
from spamfarm.batch import Result, score_page
from spamfarm.sources import PageInput, ReadStats, read_warc

__all__ = [
    "DETAILS_TYPE",
    "SCHEMA",
    "Counters",
    "main",
    "read_listing",
    "run",
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


def score_warcs(
    paths: Iterable[str], counters: Counters | None = None, threshold: float = DEFAULT_THRESHOLD
) -> Iterator[tuple[Any, ...]]:
    """Score the WARC files of one partition: one output row (see :data:`SCHEMA`) per HTML record.

    Runs inside a Spark task (``mapPartitions``); the model is loaded on first use in each Python
    worker and kept for the worker's later tasks.
    """
    model = default_model()
    for path in paths:
        stats = ReadStats()
        pages = scored = spam = errors = 0
        try:
            for page in _pages(path, stats):
                r = score_page(page, pages, threshold=threshold, model=model)
                pages += 1
                scored += r.ok
                spam += r.is_spam
                errors += not r.ok
                yield (r.url, r.id, r.probability, r.verdict, list(r.top_signals), r.error)
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
    return (
        f"spamfarm.spark: {c['files']} WARC files, {c['records']} records read, {c['pages']} pages "
        f"({c['scored']} scored, {c['spam']} spam, {c['errors']} errors), {c['skipped']} non-HTML responses "
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
    ap.add_argument("--log-level", default="WARN", help="Spark log level (WARN)")
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for name in ("num_input_partitions", "num_output_partitions"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            print(f"spamfarm.spark: --{name.replace('_', '-')} must be at least 1", file=sys.stderr)
            return 2
    owned = SparkSession.getActiveSession() is None  # leave a caller's session running
    builder = SparkSession.builder.appName(args.app_name)
    if args.master:
        builder = builder.master(args.master)
        if args.master.startswith("local"):  # local workers run this interpreter, venv activated or not
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(args.log_level)
    start = time.perf_counter()
    try:
        counts = run(
            spark,
            args.listing,
            args.output,
            num_input_partitions=args.num_input_partitions,
            num_output_partitions=args.num_output_partitions,
            threshold=args.threshold,
            mode=args.mode,
            compression=args.compression,
        )
    except (OSError, ValueError, AnalysisException) as err:  # no listing, no paths, output exists…
        print(f"spamfarm.spark: {str(err).splitlines()[0] if str(err) else type(err).__name__}", file=sys.stderr)
        return 2
    finally:
        if owned:
            spark.stop()
    print(summary(counts, time.perf_counter() - start))
    return 0


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
