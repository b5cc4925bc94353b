"""Reading the honest-page corpus (gzipped JSON lines with ``html`` and optional ``url``, ``id``,
``source``, ``lang``) and splitting it by site, never by page."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import _text

#: Share of sites (registrable domains) held out for evaluation, in percent.
HELDOUT_PERCENT = 30


def _split_site(url: str | None) -> str:
    """The site a page is split by. Frozen: it reads a URL-less label such as "hard::page.html"
    the way the first models did, so that the train / held-out split never moves when
    :func:`spamfarm._text.registrable_domain` learns to refuse such labels."""
    if not url:
        return ""
    if "/" in url:
        return _text.registrable_domain(url)
    return _text._registrable(url.lower())


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    source: str
    url: str | None
    lang: str | None
    html: str

    @property
    def site(self) -> str:
        return _split_site(self.url) or self.id

    @property
    def split(self) -> str:
        """ "train" or "heldout", decided by a stable hash of the page's site."""
        return "heldout" if zlib.crc32(self.site.encode()) % 100 < HELDOUT_PERCENT else "train"


def corpus_files(path: str | Path) -> list[Path]:
    p = Path(path)
    if p.is_file():
        return [p]
    files = sorted(p.glob("*.jsonl.gz")) + sorted(p.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no .jsonl or .jsonl.gz files in {p}")
    return files


def read_corpus(path: str | Path) -> Iterator[Record]:
    """Stream the records of every corpus file under ``path`` in a stable order."""
    for f in corpus_files(path):
        opener = gzip.open if f.suffix == ".gz" else open
        with opener(f, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if not line.strip():
                    continue
                r = json.loads(line)
                yield Record(
                    id=str(r.get("id") or f"{f.name}:{n}"),
                    source=str(r.get("source") or f.name.split(".")[0]),
                    url=r.get("url"),
                    lang=r.get("lang"),
                    html=r["html"],
                )


def digest(path: str | Path) -> str:
    """SHA-256 over the corpus files' names and bytes: which data a model was trained on."""
    h = hashlib.sha256()
    for f in corpus_files(path):
        h.update(f.name.encode())
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


_SPAM_LABELS = {"1": 1, "spam": 1, "true": 1, "farm": 1, "0": 0, "ham": 0, "honest": 0, "ok": 0, "false": 0}


@dataclass(frozen=True, slots=True)
class Labelled:
    """A page a user labelled: 1 spam, 0 honest."""

    record: Record
    label: int


def read_labelled(path: str | Path) -> list[Labelled]:
    """A user's labelled pages: JSON lines with ``html``, ``label`` (1/0, true/false, "spam"/"honest")
    and optional ``url``, ``id``, ``lang``. Raises ValueError naming the line of a bad record."""
    p = Path(path)
    opener = gzip.open if p.suffix == ".gz" else open
    out = []
    with opener(p, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except ValueError as e:
                raise ValueError(f"{p}:{n}: not JSON ({e})") from e
            if not isinstance(r, dict) or not isinstance(r.get("html"), str):
                raise ValueError(f"{p}:{n}: needs an 'html' string")
            label = _SPAM_LABELS.get(str(r.get("label")).strip().lower())
            if label is None:
                raise ValueError(f"{p}:{n}: 'label' must be 1/0, true/false or spam/honest, not {r.get('label')!r}")
            rec = Record(
                id=str(r.get("id") or f"{p.name}:{n}"),
                source=f"user:{p.name}",
                url=r.get("url") if isinstance(r.get("url"), str) else None,
                lang=r.get("lang") if isinstance(r.get("lang"), str) else None,
                html=r["html"],
            )
            out.append(Labelled(rec, label))
    return out


def file_digest(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- page types, for reporting false positives by kind of honest page ------------------------------

#: The kinds of honest page the evaluation reports on separately (see :func:`page_type`).
PAGE_TYPES = ("article", "forum", "product", "documentation", "listing", "home", "other")

# schema.org types (JSON-LD "@type" or microdata itemtype), most telling first
_SCHEMA_TYPES = (
    ("forum", ("DiscussionForumPosting", "QAPage")),  # not "Question": FAQ blocks of any page use it
    ("product", ("Product", "ProductGroup", "Offer", "AggregateOffer")),
    ("documentation", ("TechArticle", "APIReference", "SoftwareSourceCode")),
    ("article", ("NewsArticle", "BlogPosting", "Article", "ReportageNewsArticle", "OpinionNewsArticle", "Recipe")),
    ("listing", ("ItemList", "CollectionPage", "SearchResultsPage")),
)
_SCHEMA_RE = re.compile(r'(?:"@type"\s*:\s*\[?\s*"|itemtype\s*=\s*["\']https?://schema\.org/)([A-Za-z]+)')
_GENERATOR_RE = re.compile(r'<meta[^>]+name=["\']generator["\'][^>]*>', re.IGNORECASE)
_FORUM_ENGINES = ("discourse", "phpbb", "vbulletin", "xenforo", "invision", "mybb", "smf", "flarum", "nodebb")
_DOC_ENGINES = ("sphinx", "mkdocs", "docusaurus", "gitbook", "hugo-book", "docfx", "jsdoc", "vuepress")
_OG_TYPE_RE = re.compile(r'property=["\']og:type["\'][^>]*content=["\']([^"\']+)', re.IGNORECASE)
# URL path segments
_PATH_TYPES = (
    ("forum", ("forum", "forums", "thread", "threads", "topic", "t", "questions", "community", "discussion")),
    ("documentation", ("docs", "doc", "documentation", "manual", "reference", "api", "guide", "guides", "kb")),
    ("product", ("product", "products", "dp", "item", "items", "shop", "store")),
    ("listing", ("category", "categories", "tag", "tags", "collections", "search", "archive", "archives", "list")),
)


def page_type(html: str, url: str | None = None) -> str:
    """A rough kind of page, one of :data:`PAGE_TYPES`, from what the page says of itself: its
    schema.org types, ``og:type``, the software that made it (``<meta name=generator>``), and its
    URL path. For reporting only (false positives on forums, shops, documentation and listings):
    it is a heuristic, not a signal, and the model never sees it."""
    head = html[:200_000]
    found = set(_SCHEMA_RE.findall(head))
    for kind, types in _SCHEMA_TYPES:
        if found.intersection(types):
            return kind
    gen = " ".join(_GENERATOR_RE.findall(head)).lower()
    if any(e in gen for e in _FORUM_ENGINES):
        return "forum"
    if any(e in gen for e in _DOC_ENGINES):
        return "documentation"
    path = urlsplit(url).path if url and "/" in url else ""
    segments = [x.lower() for x in path.split("/") if x]
    for kind, names in _PATH_TYPES:
        if any(x in names for x in segments[:3]):
            return kind
    og = _OG_TYPE_RE.search(head)
    if og is not None:
        kind = og.group(1).strip().lower()
        if kind.startswith("article"):
            return "article"
        if kind.startswith("product"):
            return "product"
    if url and "/" in url and not segments:
        return "home"
    return "other"
