"""The input gate: ``str``, ``bytes`` or a BeautifulSoup object in, one parsed :class:`Page` out.

The page is parsed once with lxml and walked once; every signal reads the resulting ``Page``
(blocks of text, links, title, site identity) and never parses again.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
from bs4 import UnicodeDammit

from . import _text

#: Pages longer than this many characters are cut before parsing (the cut is reported).
DEFAULT_MAX_CHARS = 3_000_000

# A fresh parser per call is slow; lxml parsers are not thread-safe, so keep one per thread.
_PARSER_OPTIONS = dict(
    remove_comments=True,
    remove_pis=True,
    no_network=True,
    recover=True,
    default_doctype=False,
    remove_blank_text=True,
)

SKIP_TAGS = frozenset({"script", "style", "template", "svg", "math", "iframe", "object", "canvas", "head"})
BLOCK_TAGS = frozenset(
    (
        "p div li ul ol dl dd dt h1 h2 h3 h4 h5 h6 td th tr table tbody thead tfoot blockquote pre section "
        "article header footer aside nav main figure figcaption form address details summary center body "
        "caption fieldset legend menu hgroup"
    ).split()
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BOILER_TAGS = frozenset({"nav", "header", "footer", "aside", "menu"})
BOILER_ATTR_RE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|sidebar|side|breadcrumbs?|crumbs?|header|masthead|cookie|"
    r"banner|widget|share|social|comments?|related|recommend\w*|ranking|popular|trending|tags?)(?:$|[\s_-])",
    re.I,
)
CONTAINER_TAGS = frozenset({"div", "section", "ul", "ol", "aside", "table", "footer", "header", "nav", "dl"})
MAIN_TEXT_TAGS = frozenset({"p", "div", "li", "blockquote", "pre", "td", "article", "section", "main", "dd"})
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*>", re.I)


@dataclass(slots=True)
class Block:
    """A run of text owned by one block element (a paragraph, list item, heading, div line...)."""

    text: str
    tag: str
    el: Any
    link_chars: int
    n_links: int
    boiler: bool
    index: int = 0

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))


@dataclass(slots=True)
class Link:
    text: str
    href: str
    el: Any
    block: int  # index into Page.blocks of the block holding the anchor's text (-1 if none)


@dataclass(slots=True)
class Page:
    """One parsed page and what every signal needs from it."""

    root: Any
    url: str | None
    title: str = ""
    h1: str = ""
    lang: str = "und"
    declared_lang: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    canonical: str = ""
    site_name: str = ""
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    main: list[Block] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    truncated: bool = False
    n_chars: int = 0
    #: Derived values shared between signal families (see ``signals._common``), filled on first use.
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def main_text(self) -> str:
        """The main blocks' text, one per line (joined once, then kept)."""
        text = self.cache.get("main_text")
        if text is None:
            text = self.cache["main_text"] = "\n".join(b.text for b in self.main)
        return text

    @property
    def site_domains(self) -> tuple[str, ...]:
        """Registrable domains the page claims as its own: its URL, canonical link and og:url."""
        out = []
        for u in (self.url, self.canonical, self.meta.get("og:url", "")):
            d = _text.registrable_domain(u) if u else ""
            if d and d not in out:
                out.append(d)
        return tuple(out)

    @property
    def own_domain(self) -> str:
        """The page's own site: the URL it was fetched from if known, else what it claims."""
        doms = self.site_domains
        return doms[0] if doms else ""


def to_text(html: object, encoding: str | None = None) -> str:
    """Turn the accepted input types into one string; anything else is a TypeError.

    ``encoding`` is a charset the transport announced (an HTTP ``Content-Type``); for bytes it is
    tried first and used when the bytes decode cleanly with it.
    """
    if isinstance(html, str):
        return html
    if isinstance(html, (bytes, bytearray, memoryview)):
        return _decode(bytes(html), encoding)
    try:  # a BeautifulSoup object (or Tag) from a notebook; bs4 is a dependency, import is cheap
        from bs4 import BeautifulSoup
        from bs4.element import Tag
    except ImportError:  # pragma: no cover
        BeautifulSoup = Tag = ()  # type: ignore[assignment,misc]
    if isinstance(html, (BeautifulSoup, Tag)):
        return str(html)
    raise TypeError(f"html must be str, bytes or a BeautifulSoup object, not {type(html).__name__}")


def _decode(data: bytes, encoding: str | None = None) -> str:
    """Bytes to text: the transport's charset if it fits, BOM, <meta charset>, then detection (UnicodeDammit)."""
    if not data:
        return ""
    try:
        dammit = UnicodeDammit(data, known_definite_encodings=[encoding] if encoding else [], is_html=True)
    except Exception:  # noqa: BLE001 - detection must never stop a page
        return data.decode("utf-8", errors="replace")
    if dammit.unicode_markup is None:
        return data.decode("utf-8", errors="replace")
    return dammit.unicode_markup


def parse(html: object, *, url: str | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> Page:
    """Parse a page (str, bytes or BeautifulSoup) into a :class:`Page`. Never raises for bad markup."""
    if url is not None and not isinstance(url, str):
        raise TypeError(f"url must be str or None, not {type(url).__name__}")
    text = to_text(html)
    truncated = len(text) > max_chars
    if truncated:
        text = text[:max_chars]
    if "\x00" in text:
        text = text.replace("\x00", "")
    text = _XML_DECL_RE.sub("", text, count=1)
    root = _parse_markup(text)
    page = Page(root=root, url=url or None, truncated=truncated, n_chars=len(text))
    if root is not None:
        _read_head(page)
        _walk_body(page)
    page.main = _main_blocks(page.blocks)
    page.lang = _text.detect_language(" ".join(b.text for b in page.main[:40]), page.declared_lang)
    return page


def _parse_markup(text: str) -> Any:
    if not text.strip():
        return None
    parser = lxml.etree.HTMLParser(**_PARSER_OPTIONS)  # type: ignore[arg-type]
    try:
        root = lxml.etree.fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
        return None
    return root


@functools.lru_cache(maxsize=4096)
def _is_boiler_attr(attrs: str) -> bool:
    return BOILER_ATTR_RE.search(attrs) is not None


def _norm(s: str) -> str:
    return " ".join(s.split())


def text_of(el: Any) -> str:
    """All text under an element, whitespace-normalised."""
    return " ".join(lxml.etree.tostring(el, method="text", encoding=str, with_tail=False).split())


def _read_head(page: Page) -> None:
    root = page.root
    page.declared_lang = (root.get("lang") or "").strip().lower()
    for el in root.iter("title", "meta", "link", "h1", "time", "script"):
        tag = el.tag
        if tag == "title":
            if not page.title:
                page.title = text_of(el)
        elif tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
            content = el.get("content")
            if key and content and key not in page.meta:
                page.meta[key] = _norm(content)[:2000]
        elif tag == "link":
            if not page.canonical and (el.get("rel") or "").lower() == "canonical":
                page.canonical = (el.get("href") or "").strip()
        elif tag == "h1":
            if not page.h1:
                page.h1 = text_of(el)[:500]
        elif tag == "time":
            dt = el.get("datetime")
            if dt:
                page.dates.append(dt.strip())
        elif tag == "script" and (el.get("type") or "").lower() == "application/ld+json":
            _read_json_ld(page, el.text or "")
    page.site_name = page.meta.get("og:site_name", "")
    for key in ("article:published_time", "datepublished", "date", "pubdate", "publish-date", "dc.date"):
        if key in page.meta:
            page.dates.insert(0, page.meta[key])
    if page.url is None and not page.canonical and "og:url" in page.meta:
        page.canonical = page.meta["og:url"]


_LD_DATE_RE = re.compile(r'"datePublished"\s*:\s*"([^"]{4,40})"')


def _read_json_ld(page: Page, text: str) -> None:
    m = _LD_DATE_RE.search(text[:200_000])
    if m:
        page.dates.append(m.group(1))
    if not page.site_name and '"publisher"' in text:
        try:
            data = json.loads(text[:200_000])
        except ValueError:
            return
        pub = data.get("publisher") if isinstance(data, dict) else None
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            page.site_name = pub["name"]


def _walk_body(page: Page) -> None:
    """One walk over the body: blocks of text with their link share, and every anchor.

    Text goes to the innermost open block element; ``<br>`` ends a block (farm CMSs often
    write paragraphs as ``<div>`` lines). Written as one flat loop with local names: it runs
    for every element of every page.
    """
    body = page.root.find("body")
    start = body if body is not None else page.root
    blocks = page.blocks
    links = page.links
    # An open block: [tag, element, text parts, link chars, anchor count, boilerplate].
    cur: list[Any] = ["body", start, [], 0, 0, False]
    stack: list[list[Any]] = [cur]
    cur_parts: list[str] = cur[2]
    anchor_parts: list[list[str]] = []
    block_tags, skip_tags, container_tags, boiler_tags = BLOCK_TAGS, SKIP_TAGS, CONTAINER_TAGS, BOILER_TAGS

    def flush(entry: list[Any]) -> None:
        text = " ".join("".join(entry[2]).split())
        if text:
            blocks.append(Block(text, entry[0], entry[1], min(entry[3], len(text)), entry[4], entry[5], len(blocks)))
        entry[2] = []
        entry[3] = 0
        entry[4] = 0

    walker = lxml.etree.iterwalk(start, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if tag in skip_tags or tag.__class__ is not str:
                walker.skip_subtree()
                s = el.tail
                if s and el is not start:
                    cur_parts.append(s)
                    if anchor_parts:
                        cur[3] += len(s)
                        for a in anchor_parts:
                            a.append(s)
                continue
            if tag in block_tags:
                if el is not start:
                    boiler = cur[5] or tag in boiler_tags
                    if not boiler and tag in container_tags:
                        attrs = el.get("class") or el.get("id")
                        if attrs and _is_boiler_attr(attrs):
                            boiler = True
                    if cur_parts:
                        flush(cur)
                    cur = [tag, el, [], 0, 0, boiler]
                    stack.append(cur)
                    cur_parts = cur[2]
            elif tag == "a":
                cur[4] += 1
                anchor_parts.append([])
            elif tag == "br" and cur_parts:
                flush(cur)
                cur_parts = cur[2]
            s = el.text
        else:
            if tag == "a":
                if anchor_parts:
                    text = " ".join("".join(anchor_parts.pop()).split())
                    links.append(Link(text, (el.get("href") or "").strip(), el, len(blocks)))
            elif tag in block_tags and el is not start and len(stack) > 1:
                if cur_parts:
                    flush(cur)
                stack.pop()
                cur = stack[-1]
                cur_parts = cur[2]
            s = el.tail if el is not start else None
        if s:
            cur_parts.append(s)
            if anchor_parts:
                cur[3] += len(s)
                for a in anchor_parts:
                    a.append(s)
    for entry in reversed(stack):
        if entry[2]:
            flush(entry)
    # An anchor's text lands in the block flushed next after it closed; clamp to a real block.
    n = len(blocks)
    for link in links:
        if link.block >= n:
            link.block = n - 1


def _main_blocks(blocks: list[Block]) -> list[Block]:
    """Paragraph-like blocks of running text outside navigation: the page's main text."""
    out = []
    for b in blocks:
        if b.boiler or b.tag not in MAIN_TEXT_TAGS:
            continue
        n = len(b.text)
        if n < 25:
            continue
        if b.link_density > 0.4:
            continue
        if n < 60 and not _text.CJK_RE.search(b.text):
            continue
        out.append(b)
    return out
