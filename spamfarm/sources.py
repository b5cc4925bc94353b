"""Where pages come from: HTML files, folders, globs, JSON lines and WARC files, streamed.

:func:`read_pages` turns paths into a stream of :class:`PageInput` in a stable order, never holding
more than one record in memory. Reading never raises for a bad file or record: a file that cannot
be opened, a JSON line that does not parse or a WARC that breaks off mid-way becomes a
``PageInput`` with ``error`` set, so a batch keeps one row per page it was given.

Formats, chosen by file name:

* ``*.warc``, ``*.warc.gz`` — WARC (e.g. Common Crawl), read with ``warcio``. Only ``response``
  records are pages; the target URI becomes ``url`` and the record ID ``id``; the charset of the
  HTTP ``Content-Type`` header is passed on as the decoding hint. Non-HTML responses (images, PDF…)
  are skipped and counted in :attr:`ReadStats.skipped`.
* ``*.jsonl``, ``*.jsonl.gz`` — one JSON object per line with ``html`` and optional ``url`` and
  ``id``.
* anything else — one HTML file (bytes; decoded by the scorer).
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

#: File-name endings read as something other than a single HTML page.
WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
#: Files picked up when a folder is given (a file named explicitly is always read).
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
FOLDER_SUFFIXES = HTML_SUFFIXES + WARC_SUFFIXES + JSONL_SUFFIXES

_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)
_HTML_TYPES = ("text/html", "application/xhtml", "text/plain", "application/xml", "text/xml")


@dataclass(frozen=True, slots=True)
class PageInput:
    """One page to score: its HTML (or why it could not be read) and where it came from."""

    id: str
    html: str | bytes | None
    url: str | None = None
    #: Charset from the transport (the HTTP ``Content-Type``), tried before ``<meta charset>``.
    encoding: str | None = None
    #: Why the page could not be read; ``html`` is then ``None``.
    error: str | None = None


@dataclass(slots=True)
class ReadStats:
    """What a reader saw besides pages: records it skipped on purpose, and WARC records read."""

    skipped: int = 0
    #: WARC records read, of any type (requests, metadata, responses…).
    records: int = 0


def charset_of(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    m = _CHARSET_RE.search(content_type)
    return m.group(1).lower() if m else None


def _is_html_type(content_type: str | None) -> bool:
    if not content_type:  # many servers send none; let the scorer look at it
        return True
    ct = content_type.split(";", 1)[0].strip().lower()
    return ct.startswith(_HTML_TYPES) or ct in ("", "application/octet-stream")


def _err(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Paths, folders (walked in sorted order) and glob patterns to a stream of file paths.

    A path that neither exists nor matches a glob is yielded as it is, so that reading it produces
    an error row rather than silence.
    """
    for raw in paths:
        s = os.fspath(raw)
        p = Path(s)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(FOLDER_SUFFIXES):
                        yield Path(root) / name
        elif not p.exists() and glob.has_magic(s):
            matches = sorted(glob.glob(s, recursive=True))
            if not matches:
                yield p
            for m in matches:
                if Path(m).is_file():
                    yield Path(m)
                elif Path(m).is_dir():
                    yield from expand([m])
        else:
            yield p


def read_pages(paths: Iterable[str | os.PathLike[str]], stats: ReadStats | None = None) -> Iterator[PageInput]:
    """Stream every page under ``paths`` (files, folders, globs; ``-`` is one HTML page on stdin)."""
    stats = stats if stats is not None else ReadStats()
    for path in expand(paths):
        name = path.name.lower()
        if str(path) == "-":
            yield PageInput(id="-", html=sys.stdin.buffer.read())
        elif name.endswith(WARC_SUFFIXES):
            yield from read_warc(path, stats)
        elif name.endswith(JSONL_SUFFIXES):
            yield from read_jsonl(path)
        else:
            try:
                yield PageInput(id=str(path), html=path.read_bytes())
            except OSError as exc:
                yield PageInput(id=str(path), html=None, error=_err(exc))


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")  # noqa: SIM115 - the caller closes it


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[PageInput]:
    """Pages from JSON lines (``html`` and optional ``url``, ``id``); ids default to ``file:line``."""
    path = Path(path)
    n = 0
    try:
        with _open(path) as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                rid = f"{path}:{n}"
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    yield PageInput(id=rid, html=None, error=f"bad JSON line: {exc}")
                    continue
                if not isinstance(obj, dict):
                    yield PageInput(id=rid, html=None, error="JSON line is not an object")
                    continue
                html, url, ident = obj.get("html"), obj.get("url"), obj.get("id")
                if not isinstance(html, str):
                    yield PageInput(id=str(ident or rid), html=None, error="no 'html' string in the JSON line")
                    continue
                yield PageInput(
                    id=str(ident) if ident is not None else str(url or rid),
                    html=html,
                    url=url if isinstance(url, str) and url else None,
                )
    except (OSError, EOFError, gzip.BadGzipFile) as exc:  # missing file, truncated or corrupt gzip
        yield PageInput(id=f"{path}:{n + 1}" if n else str(path), html=None, error=_err(exc))


def read_warc(
    path: str | os.PathLike[str], stats: ReadStats | None = None, *, stream: IO[bytes] | None = None
) -> Iterator[PageInput]:
    """HTML ``response`` records of a WARC file (plain or gzipped), with their URL and charset.

    A record whose HTTP part cannot be read becomes an error row and reading goes on; a file that
    breaks off (truncated or corrupt stream, or a last record cut short) ends with one error row
    naming how far it got.
    With ``stream`` (an open binary file, e.g. from fsspec; the caller closes it) the records are
    read from it and ``path`` only names the file in ids and errors.
    """
    from warcio.archiveiterator import ArchiveIterator

    stats = stats if stats is not None else ReadStats()
    path = Path(path) if stream is None else os.fspath(path)
    n = 0
    try:
        with open(path, "rb") if stream is None else nullcontext(stream) as fh:
            records = ArchiveIterator(fh)
            for n, rec in enumerate(records, start=1):
                stats.records += 1
                if getattr(rec, "format", "warc") != "warc":
                    # warcio falls back to the old ARC format for anything that is not WARC; a
                    # file of some other kind would otherwise become a run of empty pages
                    yield PageInput(id=f"{path}#{n}", html=None, error="not a WARC file (no WARC/1.x record header)")
                    return
                if rec.rec_type != "response":
                    continue
                url = rec.rec_headers.get_header("WARC-Target-URI") or None
                rid = rec.rec_headers.get_header("WARC-Record-ID") or url or f"{path}#{n}"
                try:
                    ctype = rec.http_headers.get_header("Content-Type") if rec.http_headers else None
                    if not _is_html_type(ctype):
                        stats.skipped += 1
                        continue
                    body = rec.content_stream().read()
                except Exception as exc:  # noqa: BLE001 - a broken record is a row, not a crash
                    yield PageInput(id=rid, html=None, url=url, error=f"unreadable WARC record: {_err(exc)}")
                    continue
                missing = getattr(rec.raw_stream, "limit", 0)
                if isinstance(missing, int) and missing > 0:  # the file ends inside this record
                    yield PageInput(
                        id=rid,
                        html=None,
                        url=url,
                        error=f"WARC record cut short: {missing} of {rec.length} bytes missing",
                    )
                    continue
                yield PageInput(id=rid, html=body, url=url, encoding=charset_of(ctype))
            # A gzipped record cut off before its end is not yielded at all: bytes read past the
            # last whole record mean the file ends inside one.
            try:
                consumed = fh.tell()
            except (OSError, ValueError, AttributeError):
                consumed = None
            if consumed is not None and consumed > records.offset:
                where = f"after record {n}" if n else "at the start"
                yield PageInput(
                    id=f"{path}#{n + 1}",
                    html=None,
                    error=f"WARC file ends inside a record {where} ({consumed - records.offset} bytes of it)",
                )
    except Exception as exc:  # noqa: BLE001 - warcio raises several types for a broken stream
        where = f"after record {n}" if n else "at the start"
        yield PageInput(id=f"{path}#{n + 1}", html=None, error=f"WARC stream broke off {where}: {_err(exc)}")


def open_output(path: str | None) -> IO[str]:
    """A text stream for JSON lines: a file (``.gz`` is gzipped) or standard output for ``None``/``-``."""
    if path is None or path == "-":
        return sys.stdout
    if path.endswith(".gz"):
        return gzip.open(path, "wt", encoding="utf-8")
    return open(path, "w", encoding="utf-8")  # noqa: SIM115 - the caller closes it


def as_input(item: Any, index: int) -> PageInput:
    """What :func:`spamfarm.score_many` accepts, normalised: ``PageInput``, ``str``/``bytes``,
    ``(url, html)`` pairs and mappings with ``html`` (and optional ``url``, ``id``)."""
    if isinstance(item, PageInput):
        return item
    if isinstance(item, tuple) and len(item) == 2:
        url, html = item
        if url is not None and not isinstance(url, str):
            return PageInput(id=str(index), html=None, error=f"TypeError: url must be str, not {type(url).__name__}")
        return PageInput(id=url or str(index), html=html, url=url)
    if isinstance(item, dict):
        url = item.get("url")
        return PageInput(id=str(item.get("id") or url or index), html=item.get("html"), url=url)
    return PageInput(id=str(index), html=item)
