"""read_warc from an open stream (how spamfarm.spark reads fsspec URLs) and its record count."""

from __future__ import annotations

import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from spamfarm.sources import ReadStats, read_warc


def _warc() -> bytes:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    for url, body, ctype in [
        ("https://a.example/", b"<html><body><p>one</p></body></html>", "text/html"),
        ("https://a.example/x.pdf", b"%PDF-1.4", "application/pdf"),
        ("https://a.example/2", b"<html><body><p>two</p></body></html>", "text/html; charset=iso-8859-1"),
    ]:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(
            w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http)
        )
    req = b"GET / HTTP/1.1\r\nHost: a.example\r\n\r\n"
    w.write_record(
        w.create_warc_record(
            "https://a.example/",
            "request",
            payload=io.BytesIO(req),
            length=len(req),
            warc_content_type="application/http",
        )
    )
    return buf.getvalue()


def test_read_warc_from_a_stream_counts_records_and_leaves_the_stream_open() -> None:
    stream = io.BytesIO(_warc())
    stats = ReadStats()
    pages = list(read_warc("s3://bucket/crawl.warc.gz", stats, stream=stream))
    assert [p.url for p in pages] == ["https://a.example/", "https://a.example/2"]
    assert [p.encoding for p in pages] == [None, "iso-8859-1"]
    assert (stats.records, stats.skipped) == (4, 1)
    assert not stream.closed  # the caller opened it and closes it


def test_a_stream_that_breaks_off_ends_with_an_error_row_named_after_the_url() -> None:
    stream = io.BytesIO(_warc() + b"\x1f\x8b\x08\x00 this is no gzip member" * 3)
    rows = list(read_warc("s3://bucket/broken.warc.gz", stream=stream))
    assert [r.url for r in rows[:2]] == ["https://a.example/", "https://a.example/2"]
    assert len(rows) == 3 and rows[2].error and "broke off after record 4" in rows[2].error
    assert rows[2].id == "s3://bucket/broken.warc.gz#5"  # the URL as given, not mangled into a Path


def _pages_warc(gz: bool) -> bytes:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    for k in range(3):
        body = f"<html><body><p>page {k} {'text ' * 2000}</p></body></html>".encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(
            w.create_warc_record(
                f"https://a.example/{k}", "response", payload=io.BytesIO(body), length=len(body), http_headers=http
            )
        )
    return buf.getvalue()


def test_a_gzipped_warc_cut_inside_its_last_record_says_so() -> None:
    data = _pages_warc(gz=True)
    rows = list(read_warc("cut.warc.gz", stream=io.BytesIO(data[:-200])))
    assert [r.url for r in rows[:2]] == ["https://a.example/0", "https://a.example/1"]
    assert len(rows) == 3 and rows[2].html is None
    assert rows[2].error and "ends inside a record after record 2" in rows[2].error
    # only the gzip trailer missing: the record itself is whole and is read
    whole = list(read_warc("trailer.warc.gz", stream=io.BytesIO(data[:-4])))
    assert [r.error for r in whole] == [None, None, None]


def test_an_uncompressed_warc_cut_inside_a_record_says_so() -> None:
    data = _pages_warc(gz=False)
    rows = list(read_warc("cut.warc", stream=io.BytesIO(data[: len(data) // 2])))
    assert rows[0].error is None and rows[0].url == "https://a.example/0"
    assert len(rows) == 2 and rows[1].url == "https://a.example/1" and rows[1].html is None
    assert rows[1].error and "cut short" in rows[1].error
    assert [r.error for r in read_warc("whole.warc", stream=io.BytesIO(data))] == [None, None, None]
