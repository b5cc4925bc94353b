"""Batch scoring and page sources: order, one row per input, error rows, WARC / JSON lines / folders."""

from __future__ import annotations

import gzip
import io
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import spamfarm
from spamfarm import PageInput, read_pages, score_many
from spamfarm.__main__ import main
from spamfarm.sources import ReadStats, charset_of, read_jsonl, read_warc

from .conftest import FIXTURES

FARM = (FIXTURES / "seed_001_farm.html").read_bytes()
HONEST = (FIXTURES / "seed_000_article.html").read_bytes()
OWN_URL = "https://www.borderdesk-news.com/2023/12/28/biden-mexico-migration-talks"  # the honest seed's canonical


def _page(i: int) -> str:
    return f"<html><head><title>Page {i}</title></head><body><p>Paragraph number {i} about gardens.</p></body></html>"


def write_warc(path: Path, records: list[tuple[str, str, bytes, list[tuple[str, str]]]]) -> None:
    """(kind, url, body, http headers) records; kind 'response' or 'request'."""
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for kind, url, body, headers in records:
            http = StatusAndHeaders("200 OK" if kind == "response" else "GET / HTTP/1.1", headers, protocol="HTTP/1.1")
            rec = w.create_warc_record(url, kind, payload=io.BytesIO(body), length=len(body), http_headers=http)
            w.write_record(rec)


# --- score_many -----------------------------------------------------------------------------------


def test_one_row_per_input_in_order_with_error_rows() -> None:
    pages: list[object] = [FARM, None, (OWN_URL, HONEST), 42, {"html": _page(1), "id": "d1"}, b""]
    rows = list(score_many(pages))
    assert [r.index for r in rows] == list(range(len(pages)))
    assert rows[0].verdict == "spam" and rows[0].top_signals
    assert rows[1].error is not None and "TypeError" in rows[1].error and rows[1].probability is None
    assert rows[2].url == OWN_URL and rows[2].verdict == "ok"
    assert "TypeError" in str(rows[3].error)
    assert rows[4].id == "d1" and rows[4].ok
    assert rows[5].ok and 0.0 <= (rows[5].probability or 0.0) <= 1.0  # an empty page is a page


def test_rows_match_single_page_scores() -> None:
    rows = list(score_many([FARM, HONEST]))
    assert rows[0].probability == pytest.approx(spamfarm.score(FARM))
    assert rows[1].probability == pytest.approx(spamfarm.score(HONEST))


def test_explain_keeps_the_explanation() -> None:
    (row,) = score_many([FARM], explain=True)
    assert row.explanation is not None and row.explanation.probability == row.probability
    d = row.as_dict()
    assert d["explanation"]["verdict"] == "spam"
    json.dumps(d)
    (plain,) = score_many([FARM])
    assert plain.explanation is None and "explanation" not in plain.as_dict()


@pytest.mark.parametrize("n_jobs, most_pulled", [(1, 6), (2, (4 * 2 + 3) * 2)])  # window + chunks yielded
def test_streams_an_endless_input(n_jobs: int, most_pulled: int) -> None:
    """Input is pulled lazily: one page ahead serially, a window of 4 chunks per worker in parallel."""
    pulled = 0

    def endless() -> Iterator[str]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield _page(i)

    rows = list(itertools.islice(score_many(endless(), n_jobs=n_jobs, chunksize=2), 5))
    assert [r.index for r in rows] == [0, 1, 2, 3, 4]
    assert pulled <= most_pulled


def test_parallel_gives_the_same_rows_in_order() -> None:
    pages: list[object] = [_page(i) for i in range(30)] + [FARM, None, HONEST]
    serial = list(score_many(pages))
    parallel = list(score_many(pages, n_jobs=2, chunksize=4))
    assert [(r.index, r.id, r.error) for r in parallel] == [(r.index, r.id, r.error) for r in serial]
    assert [r.probability for r in parallel] == pytest.approx([r.probability for r in serial])


@pytest.mark.parametrize("kwargs", [{"threshold": 2.0}, {"n_jobs": 0}, {"chunksize": 0}])
def test_bad_arguments_raise_before_any_row(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        next(score_many([_page(0)], **kwargs))  # type: ignore[arg-type]


def test_a_model_that_cannot_load_stops_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "model.joblib"
    bad.write_bytes(b"not a model")

    def broken() -> spamfarm.Model:
        return spamfarm.load_model(bad, trust=True)

    monkeypatch.setattr("spamfarm.batch.default_model", broken)
    for n_jobs in (1, 2):
        with pytest.raises(spamfarm.ModelLoadError):
            next(score_many([_page(0)], n_jobs=n_jobs))


# --- sources --------------------------------------------------------------------------------------


def test_charset_of_content_type() -> None:
    assert charset_of("text/html; charset=ISO-8859-1") == "iso-8859-1"
    assert charset_of('text/html; charset="utf-8"') == "utf-8"
    assert charset_of("text/html") is None and charset_of(None) is None


def test_warc_response_records_with_url_and_http_charset(tmp_path: Path) -> None:
    latin = "<html><head><title>Caf\u00e9</title></head><body><p>Un caf\u00e9 cr\u00e8me, s'il vous pla\u00eet.</p>"
    warc = tmp_path / "crawl.warc.gz"
    LATIN1 = "text/html; charset=ISO-8859-1"
    write_warc(
        warc,
        [
            ("response", "https://farm.example/a", FARM, [("Content-Type", "text/html; charset=utf-8")]),
            ("request", "https://farm.example/a", b"", []),
            ("response", "https://img.example/x.png", b"\x89PNG....", [("Content-Type", "image/png")]),
            ("response", "https://cafe.example/", latin.encode("latin-1"), [("Content-Type", LATIN1)]),
        ],
    )
    stats = ReadStats()
    pages = list(read_warc(warc, stats))
    assert [p.url for p in pages] == ["https://farm.example/a", "https://cafe.example/"]
    assert stats.skipped == 1
    assert pages[1].encoding == "iso-8859-1" and all(p.id.startswith("<urn:uuid:") for p in pages)
    rows = list(score_many(pages, explain=True))
    assert rows[0].verdict == "spam" and rows[0].url == "https://farm.example/a"
    assert rows[1].ok and rows[1].explanation is not None


def test_http_charset_decodes_a_page_without_meta_charset() -> None:
    from spamfarm import _page

    body = "<p>Gr\u00fc\u00dfe aus K\u00f6ln</p>".encode("cp1252")
    assert "Grüße aus Köln" in _page.to_text(body, "windows-1252")
    assert "Köln" in _page.to_text(body, "no-such-charset")  # an unknown name falls back to detection


def test_a_broken_warc_ends_with_one_error_row(tmp_path: Path) -> None:
    warc = tmp_path / "broken.warc"
    write_warc(warc, [("response", f"https://x.example/{i}", _page(i).encode(), []) for i in range(3)])
    data = warc.read_bytes()
    second = data.index(b"WARC/1", 10)
    warc.write_bytes(data[:second] + b"garbage that is not a record\r\n\r\n" + data[second + 5 :])
    pages = list(read_warc(warc))
    assert pages[0].url == "https://x.example/0" and pages[0].error is None
    assert pages[-1].error is not None and "broke off after record 1" in pages[-1].error
    rows = list(score_many(pages))
    assert len(rows) == len(pages) and rows[-1].error == pages[-1].error


def test_jsonl_rows_and_bad_lines(tmp_path: Path) -> None:
    f = tmp_path / "pages.jsonl.gz"
    lines = [
        json.dumps({"id": "a", "url": "https://a.example/", "html": _page(1)}),
        "{not json",
        json.dumps({"url": "https://b.example/"}),
        "",
        json.dumps({"html": _page(2)}),
    ]
    with gzip.open(f, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    pages = list(read_jsonl(f))
    assert [p.id for p in pages] == ["a", f"{f}:2", f"{f}:3", f"{f}:5"]
    assert pages[0].url == "https://a.example/" and pages[0].error is None
    assert "bad JSON" in str(pages[1].error) and "html" in str(pages[2].error)


def test_truncated_gzip_jsonl_gives_an_error_row(tmp_path: Path) -> None:
    f = tmp_path / "cut.jsonl.gz"
    body = "".join(json.dumps({"html": _page(i) * 50}) + "\n" for i in range(40)).encode()
    f.write_bytes(gzip.compress(body)[:-200])
    pages = list(read_jsonl(f))
    assert pages[-1].error is not None and all(p.error is None for p in pages[:-1]) and len(pages) > 1


def test_folders_globs_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.html").write_text(_page(2))
    (tmp_path / "a.htm").write_text(_page(1))
    (tmp_path / "sub" / "c.html").write_text(_page(3))
    (tmp_path / "notes.txt").write_text("not a page")
    ids = [Path(p.id).name for p in read_pages([tmp_path])]
    assert ids == ["a.htm", "b.html", "c.html"]
    assert [Path(p.id).name for p in read_pages([str(tmp_path / "*.html")])] == ["b.html"]
    (missing,) = read_pages([tmp_path / "nope.html"])
    assert missing.html is None and "FileNotFoundError" in str(missing.error)
    (unmatched,) = read_pages([str(tmp_path / "*.warc.gz")])
    assert unmatched.error is not None


def test_page_input_passes_through() -> None:
    p = PageInput(id="x", html=_page(0), url="https://x.example/")
    (row,) = score_many([p])
    assert row.id == "x" and row.url == "https://x.example/"


# --- CLI ------------------------------------------------------------------------------------------


def test_cli_scores_a_warc_to_a_file_with_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warc = tmp_path / "c.warc.gz"
    write_warc(
        warc,
        [("response", "https://farm.example/", FARM, []), ("response", OWN_URL, HONEST, [])],
    )
    out = tmp_path / "out.jsonl"
    code = main(["score", str(warc), str(tmp_path / "missing.html"), "-o", str(out), "--no-progress"])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert code == 1  # the missing file is an error row
    assert [r["url"] for r in rows] == ["https://farm.example/", OWN_URL, None]
    assert rows[0]["verdict"] == "spam" and rows[1]["verdict"] == "ok" and rows[2]["error"]
    err = capsys.readouterr().err
    assert "3 pages" in err and "1 spam" in err and "1 errors" in err and "pages/s" in err


def test_cli_parallel_explain_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(6):
        (tmp_path / f"p{i}.html").write_text(_page(i))
    code = main(["score", str(tmp_path), "--jobs", "2", "--explain", "-q"])
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert code == 0 and captured.err == ""
    assert [Path(r["id"]).name for r in rows] == [f"p{i}.html" for i in range(6)]
    assert all("signals" in r["explanation"] for r in rows)


@pytest.mark.parametrize("args", [["--threshold", "3"], ["--jobs", "0"], ["--url", "https://x/", "a.html", "b.html"]])
def test_cli_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    paths = [] if "a.html" in args else [str(FIXTURES / "seed_000_article.html")]
    assert main(["score", *args, *paths]) == 2
    assert "spamfarm:" in capsys.readouterr().err
