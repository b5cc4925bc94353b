"""The Spark job and pandas UDFs (``spamfarm[spark]``) on a local two-core Spark with small WARCs made here."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="the Spark tests need the Spark extra: pip install '.[spark]'")

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from spamfarm import spark as job  # noqa: E402

from .conftest import CORPUS, FIXTURES, PARKS, article, needs_shared  # noqa: E402

pytestmark = [
    # PySpark 3.5 only (4.x is clean): its pandas version check uses distutils' LooseVersion, and
    # collect() leaves its local socket to the garbage collector.
    pytest.mark.filterwarnings("ignore:distutils Version classes are deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"),
]

FARM_URL = "https://daily-markets-wire.example/news/white-house-border"
GENERATED = [
    article(PARKS),
    article(PARKS.replace("parks", "libraries"), title="Council approves new budget for city libraries"),
    article("<p>" + "Short note about the weather this weekend. " * 5 + "</p>", title="Weekend weather"),
]


def _response(w: WARCWriter, url: str, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
    http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
    record = w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http)
    w.write_record(record)  # with the length given, warcio needs no temporary file


def _raw_response(url: str, block: bytes) -> bytes:
    """A gzipped response record written by hand, so its HTTP part can be anything."""
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-00000000bad0>\r\n"
        f"WARC-Target-URI: {url}\r\nWARC-Date: 2026-11-22T00:00:00Z\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return gzip.compress(head.encode() + block + b"\r\n\r\n")


def _good_warc(path: Path) -> None:
    """6 HTML responses (one with garbage HTTP headers), a PNG response, a request and a warcinfo."""
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "spamfarm tests"}))
        _response(w, FARM_URL, (FIXTURES / "seed_001_farm.html").read_bytes())
        request = b"GET /news/white-house-border HTTP/1.1\r\nHost: daily-markets-wire.example\r\n\r\n"
        w.write_record(
            w.create_warc_record(
                FARM_URL,
                "request",
                payload=io.BytesIO(request),
                length=len(request),
                warc_content_type="application/http; msgtype=request",
            )
        )
        _response(w, "https://www.example.org/politics/border", (FIXTURES / "seed_000_article.html").read_bytes())
        _response(w, "https://www.example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png")
        for i, page in enumerate(GENERATED):
            _response(w, f"https://city.example/news/{i}", page.encode("utf-8"))
        # warcio reads garbage headers leniently (no Content-Type), so the body is scored as a page.
        fh.write(_raw_response("https://odd.example/", b"\x00\xff not HTTP at all\r\n\x01\x02: \xfe\r\n\r\n<p>x</p>"))


def _pages(w: WARCWriter, n: int, host: str) -> None:
    for i in range(n):
        _response(w, f"https://{host}/{i}", article(PARKS, title=f"Parks budget, part {i}").encode())


def _corrupt_warc(path: Path) -> None:
    """Two good records, then bytes that are no WARC record (reading stops there), then one more."""
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    _pages(w, 2, "corrupt.example")
    buf.write(b"\x1f\x8b\x08\x00this is not a gzip member at all" * 3)
    _pages(w, 1, "lost.example")
    path.write_bytes(buf.getvalue())


def _truncated_warc(path: Path) -> int:
    """Three records, cut in the middle of the third; returns the size of the two complete ones."""
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    _pages(w, 2, "truncated.example")
    complete = buf.tell()
    _pages(w, 1, "truncated.example")
    path.write_bytes(buf.getvalue()[: complete + (buf.tell() - complete) // 2])
    return complete


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    old = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers use this venv, activated or not
    session = (
        SparkSession.builder.master("local[2]")
        .appName("spamfarm-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "4")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if old is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = old


@pytest.fixture(scope="module")
def warcs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("warcs")
    files = {name: d / f"{name}.warc.gz" for name in ("good", "corrupt", "truncated")}
    _good_warc(files["good"])
    _corrupt_warc(files["corrupt"])
    _truncated_warc(files["truncated"])
    files["missing"] = d / "missing.warc.gz"
    listing = d / "warcs.txt"
    listing.write_text(
        "# test WARCs: a plain path, a file: URL, an fsspec URL and a file that does not exist\n"
        f"{files['good']}\n\n"
        f"{files['corrupt'].as_uri()}\n"
        f"local://{files['truncated']}\n"
        f"{files['missing']}\n",
        encoding="utf-8",
    )
    files["listing"] = listing
    return files


@pytest.fixture(scope="module")
def job_run(spark: SparkSession, warcs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("out") / "scores.parquet"
    counts = job.run(spark, str(warcs["listing"]), str(out))
    df = spark.read.parquet(str(out))
    return {"counts": counts, "df": df, "rows": [r.asDict() for r in df.collect()]}


def test_one_row_per_html_response_and_bad_files_are_rows(job_run: dict[str, Any]) -> None:
    rows = job_run["rows"]
    urls = [r["url"] for r in rows]
    # good: 6 HTML responses; the PNG, the request and the warcinfo give no row
    for url in [FARM_URL, "https://www.example.org/politics/border", "https://odd.example/"]:
        assert urls.count(url) == 1
    assert sum(u.startswith("https://city.example/") for u in urls if u) == 3
    assert "https://www.example.org/logo.png" not in urls
    # corrupt: the two records before the bad bytes, then one error row; reading stops there
    assert sorted(u for u in urls if u and "corrupt.example" in u) == [f"https://corrupt.example/{i}" for i in (0, 1)]
    assert not any(u and "lost.example" in u for u in urls)
    # truncated: both complete records are there, and the cut one is an error row saying so
    truncated = [r for r in rows if "truncated" in (r["url"] or "") + r["id"]]
    assert sorted(r["url"] for r in truncated if not r["error"]) == [f"https://truncated.example/{i}" for i in (0, 1)]
    assert len(truncated) == 3

    errors = [r for r in rows if r["error"]]
    assert len(errors) == 3
    assert all(r["probability"] is None and r["verdict"] is None and r["top_signals"] == [] for r in errors)
    assert any("corrupt.warc.gz" in r["id"] and "broke off" in r["error"] for r in errors)
    assert any("missing.warc.gz" in r["id"] and "FileNotFoundError" in r["error"] for r in errors)
    assert any(r in truncated and ("cut short" in r["error"] or "ends inside a record" in r["error"]) for r in errors)
    assert len({r["id"] for r in rows}) == len(rows)


def test_scores(job_run: dict[str, Any]) -> None:
    by_url = {r["url"]: r for r in job_run["rows"] if r["url"]}
    farm = by_url[FARM_URL]
    assert farm["verdict"] == "spam" and farm["probability"] > 0.9
    assert farm["top_signals"] and all(isinstance(s, str) for s in farm["top_signals"])
    assert by_url["https://odd.example/"]["error"] is None  # garbage headers: scored, not fatal
    scored = [r for r in job_run["rows"] if not r["error"]]
    assert all(0.0 <= r["probability"] <= 1.0 and r["verdict"] in ("spam", "ok") for r in scored)


def test_output_schema(job_run: dict[str, Any]) -> None:
    assert [(f.name, f.dataType) for f in job_run["df"].schema.fields] == [
        (f.name, f.dataType) for f in job.SCHEMA.fields
    ]


def test_counters(job_run: dict[str, Any]) -> None:
    c, rows = job_run["counts"], job_run["rows"]
    assert c["files"] == 4
    assert c["pages"] == len(rows)
    assert c["errors"] == 3
    assert c["scored"] == len(rows) - 3
    assert c["spam"] == sum(r["verdict"] == "spam" for r in rows)
    assert c["skipped"] == 1  # the PNG
    # good: 9 records; corrupt: 2 before the bad bytes; truncated: 2 whole and maybe the cut one; missing: none
    assert c["records"] in (13, 14)


def test_main_writes_and_summarises(
    spark: SparkSession, warcs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "one.txt"
    listing.write_text(f"{warcs['corrupt']}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert job.main([str(listing), str(out), "--num-output-partitions", "1"]) == 0
    assert "1 WARC files, 2 records read, 3 pages (2 scored" in capsys.readouterr().out
    assert len(list(out.glob("part-*.parquet"))) == 1
    assert spark.read.parquet(str(out)).count() == 3
    # the session was the caller's: still usable; an existing output is refused without a traceback
    assert job.main([str(listing), str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    assert job.main([str(empty), str(tmp_path / "out2")]) == 2


def test_listing_skips_comments_and_resolves_relative_paths_on_the_driver(
    spark: SparkSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    listing = tmp_path / "list.txt"
    listing.write_text(
        "# a comment\n\n  crawl/a.warc.gz  \ns3://bucket/b.warc.gz\nfile:///data/c.warc\n", encoding="utf-8"
    )
    expected = [str(tmp_path / "crawl" / "a.warc.gz"), "s3://bucket/b.warc.gz", "file:///data/c.warc"]
    assert job.read_listing(spark, listing.as_uri()) == expected
    assert job.read_listing(spark, "list.txt") == expected


def test_udfs_score_and_never_fail(spark: SparkSession, seed_farm_html: str, seed_article_html: str) -> None:
    data = [
        ("farm", seed_farm_html, FARM_URL),
        ("article", seed_article_html, None),
        ("null", None, "https://null.example/"),
        ("garbage", "\x00\x01\ufffd<<<>>>&&&" * 50, ""),
        ("empty", "", None),
    ]
    df = spark.createDataFrame(data, "name string, html string, url string").coalesce(1)  # one worker loads the model
    out = {
        r["name"]: r
        for r in df.select(
            "name",
            job.score_udf("html", "url").alias("p"),
            job.score_udf(F.col("html").cast("binary")).alias("p_bytes"),
            job.score_details_udf("html", F.col("url"), threshold=0.5).alias("d"),
        ).collect()
    }
    assert out["farm"]["p"] > 0.9 and out["farm"]["d"]["verdict"] == "spam" and out["farm"]["d"]["top_signals"]
    assert out["article"]["p"] < out["farm"]["p"]
    assert abs(out["article"]["p"] - out["article"]["p_bytes"]) < 1e-9  # bytes are decoded the same way
    assert out["null"]["p"] is None and out["null"]["p_bytes"] is None
    assert out["null"]["d"]["probability"] is None and out["null"]["d"]["error"] == "no html (null)"
    for name in ("garbage", "empty"):  # bad pages still get a score, as with spamfarm.score
        assert 0.0 <= out[name]["p"] <= 1.0 and out[name]["d"]["error"] is None


def test_details_udf_on_a_column_that_is_not_html(spark: SparkSession) -> None:
    df = spark.range(3).select(job.score_details_udf(F.col("id")).alias("d"))
    rows = [r["d"] for r in df.collect()]
    assert all(d["probability"] is None and d["error"].startswith("TypeError") for d in rows)
    with pytest.raises(ValueError, match="threshold"):
        job.score_details_udf("html", threshold=2.0)


# --- the corpus job -------------------------------------------------------------------------------


def _crawl_warcs(d: Path) -> tuple[Path, list[Path]]:
    """A small simulated crawl (two farm networks among ~100 honest pages of the shared corpus) in
    two WARC files, and their listing."""
    from spamfarm import crawlsim, train

    _, _, held = train.load_split(CORPUS, limit=300)
    cfg = crawlsim.CrawlConfig(networks=2, hosts=(4, 4), brands=(1, 1), stories=(6, 6), copies=(3, 3))
    pages = [p for p in crawlsim.simulate_crawl(held, seed=0, config=cfg) if p.url]  # a record needs a URL
    files = [d / "crawl-0.warc.gz", d / "crawl-1.warc.gz"]
    half = len(pages) // 2
    for path, part in zip(files, (pages[:half], pages[half:]), strict=True):
        with open(path, "wb") as fh:
            w = WARCWriter(fh, gzip=True)
            for p in part:
                _response(w, p.url or "", p.html.encode("utf-8"))
    listing = d / "crawl.txt"
    listing.write_text("".join(f"{f}\n" for f in files), encoding="utf-8")
    return listing, files


@pytest.fixture(scope="module")
def corpus_run(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from spamfarm import network
    from spamfarm.sources import read_warc

    d = tmp_path_factory.mktemp("crawl")
    listing, files = _crawl_warcs(d)
    out, report = d / "scores.parquet", d / "report.json"
    found = job.run_corpus(spark, str(listing), str(out), corpus_report=str(report))
    memory = network.score_corpus([p for f in files for p in read_warc(f)])  # the same pages, in the same order
    df = spark.read.parquet(str(out))
    return {
        "found": found,
        "df": df,
        "rows": [r.asDict(recursive=True) for r in df.collect()],
        "report": json.loads(report.read_text(encoding="utf-8")),
        "memory": memory,
    }


@needs_shared
def test_corpus_job_matches_the_in_memory_pass(corpus_run: dict[str, Any]) -> None:
    from spamfarm.network import CORPUS_FEATURES, NEUTRAL

    rows = {r["url"]: r for r in corpus_run["rows"]}
    memory = corpus_run["memory"].results
    assert len(rows) == len(corpus_run["rows"]) == len(memory) > 100
    fired = 0
    for m in memory:
        r = rows[m.url]
        assert r["error"] is None and m.error is None
        assert r["page_probability"] == pytest.approx(m.page_probability, abs=1e-9)
        assert r["probability"] == pytest.approx(m.probability, abs=1e-9)
        assert r["verdict"] == m.verdict and r["top_signals"] == list(m.top_signals)
        # the corpus signals that are not neutral: the same values and the same evidence
        got = {s["name"]: (s["value"], json.loads(s["evidence"])) for s in r["corpus"]}
        want = {s.name: (s.value, [e.as_dict() for e in s.evidence]) for s in m.corpus}
        assert got.keys() == want.keys()
        for name, (value, evidence) in want.items():
            assert got[name][0] == pytest.approx(value, abs=1e-9) and got[name][1] == evidence
        assert all(got[n][0] != NEUTRAL[CORPUS_FEATURES.index(n)] for n in got)
        fired += bool(got)
    assert fired > 20, "the crawl exercises the corpus signals"
    names = {s["name"] for r in corpus_run["rows"] for s in r["corpus"]}
    assert {"corpus.phrase_hosts", "corpus.copy_hosts", "corpus.layout_hosts"} <= names


@needs_shared
def test_corpus_job_report_and_counters(corpus_run: dict[str, Any]) -> None:
    report, memory = corpus_run["report"], corpus_run["memory"].report.as_dict()
    assert report["pages"] == memory["pages"] and report["clusters_converged"] is True
    assert memory["brands"], "the networks' brands are found in memory"
    assert report["brands"] == memory["brands"]
    for kind in ("copies", "layouts"):
        assert len(report[kind]) == len(memory[kind]) > 0
        for got, want in zip(report[kind], memory[kind], strict=True):
            assert got["mean_probability"] == pytest.approx(want["mean_probability"], abs=1e-3)
            assert {**got, "mean_probability": 0} == {**want, "mean_probability": 0}
    assert corpus_run["found"].report.as_dict() == {k: v for k, v in report.items() if k != "clusters_converged"}
    c, rows = corpus_run["found"].counts, corpus_run["rows"]
    assert c["files"] == 2 and c["pages"] == len(rows) and c["errors"] == 0
    assert c["spam"] == sum(r["verdict"] == "spam" for r in rows)
    assert c["page_spam"] == sum(r["page_probability"] >= 0.5 for r in rows)


@needs_shared
def test_corpus_job_schema(corpus_run: dict[str, Any]) -> None:
    assert [(f.name, f.dataType) for f in corpus_run["df"].schema.fields] == [
        (f.name, f.dataType) for f in job.CORPUS_SCHEMA.fields
    ]


def test_main_corpus_options(
    spark: SparkSession, warcs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "one.txt"
    listing.write_text(f"{warcs['corrupt']}\n", encoding="utf-8")
    assert job.main([str(listing), str(tmp_path / "out"), "--corpus-report", str(tmp_path / "r.json")]) == 2
    assert "--corpus-report needs --corpus-signals" in capsys.readouterr().err
    out, rep = tmp_path / "out", tmp_path / "r.json"
    assert job.main([str(listing), str(out), "--corpus-signals", "--corpus-report", str(rep)]) == 0
    captured = capsys.readouterr()
    assert "1 WARC files, 2 records read, 3 pages (2 scored" in captured.out
    assert "corpus signals over 3 pages" in captured.err
    assert json.loads(rep.read_text(encoding="utf-8"))["pages"] == 3
    rows = spark.read.parquet(str(out)).collect()
    assert len(rows) == 3 and sum(r["error"] is not None for r in rows) == 1
    assert all((r["page_probability"] is None) == (r["error"] is not None) for r in rows)
    assert job.main([str(listing), str(out), "--corpus-signals"]) == 2  # refused before anything is scored
    assert "already exists" in capsys.readouterr().err
