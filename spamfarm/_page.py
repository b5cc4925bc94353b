"""The input gate: ``str``, ``bytes`` or a BeautifulSoup object in, one parsed :class:`Page` out.

The page is parsed once with lxml and walked once; every signal reads the resulting ``Page``
(blocks of text, links, title, site identity) and never parses again.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any, cast

import lxml.etree
from bs4 import UnicodeDammit

from . import _text

#: Pages longer than this many characters are cut before parsing (the cut is reported). Bytes are
#: cut to ``4 * max_chars`` before they are decoded, so decoding is bounded too.
DEFAULT_MAX_CHARS = 3_000_000
#: The walk over the parsed tree stops after this many elements (the cut is reported). The largest
#: page of the shared honest corpus has about 16,000.
MAX_ELEMENTS = 100_000
#: A tag keeps at most this many attributes; the rest are dropped before parsing. libxml2's HTML
#: parser checks each attribute against all earlier ones of its tag, so one tag with 300,000
#: attributes (3 MB) would take minutes. Honest tags have a few dozen at most.
MAX_ATTRIBUTES = 128

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
# A token after "no-", "has-", "hide-" or "without-" says what the element lacks or holds
# ("entry-content no-share", "has-sidebar"): not what it is. Elementor, a page builder, wraps
# every part of a page in an "elementor-widget" (its headings and text too), so that "widget" is
# no sidebar's (its menus and sidebars still say "nav-menu", "sidebar").
BOILER_ATTR_RE = re.compile(
    r"(?:^|(?<!\bno)(?<!\bhas)(?<!\bhide)(?<!\bwithout)[\s_-])"
    r"(?:nav|navbar|menu|footer|sidebar|side|breadcrumbs?|crumbs?|header|masthead|cookie|banner|"
    r"(?<!elementor-)widget|share|"
    r"social|comments?|related|recommend\w*|ranking|popular|trending|tags?)(?:$|[\s_-])",
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
    #: Dates the page declares it was last changed on (``article:modified_time``, ``dateModified``...).
    modified_dates: list[str] = field(default_factory=list)
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


def to_text(html: object, max_chars: int = DEFAULT_MAX_CHARS, encoding: str | None = None) -> tuple[str, bool]:
    """Turn the accepted input types into one string of at most ``max_chars`` characters.

    Returns the text and whether it was cut. Anything but str, bytes or BeautifulSoup is a TypeError.
    ``encoding`` is a charset the transport announced (an HTTP ``Content-Type``); for bytes it is
    tried first and used when the bytes decode cleanly with it.
    """
    if isinstance(html, str):
        text = html
    elif isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html)
        cut = len(data) > 4 * max_chars
        text = _decode(_cut_bytes(data, 4 * max_chars) if cut else data, encoding)
        if cut:
            return text[:max_chars], True
    else:
        try:  # a BeautifulSoup object (or Tag) from a notebook; bs4 is a dependency, import is cheap
            from bs4 import BeautifulSoup
            from bs4.element import Tag
        except ImportError:  # pragma: no cover
            BeautifulSoup = Tag = ()  # type: ignore[assignment,misc]
        if not isinstance(html, (BeautifulSoup, Tag)):
            raise TypeError(f"html must be str, bytes or a BeautifulSoup object, not {type(html).__name__}")
        text = str(html)
    if len(text) > max_chars:
        return text[:max_chars], True
    return text, False


def _cut_bytes(data: bytes, n: int) -> bytes:
    """The first ``n`` bytes or a little fewer, cut where no character is split in two.

    The encoding is not known yet: keep UTF-16/32 (by their BOM) to whole code units and back off
    UTF-8 continuation bytes, so that the cut alone does not make the page fail to decode as UTF-8.
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return data[: n - n % 4]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data[: n - n % 2]
    for _ in range(3):
        if n > 0 and 0x80 <= data[n] <= 0xBF:
            n -= 1
    return data[:n]


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


def check_max_chars(max_chars: object) -> int:
    """``max_chars`` as a positive int, or a ValueError/TypeError saying what is accepted."""
    if max_chars is None:
        return DEFAULT_MAX_CHARS
    if isinstance(max_chars, bool) or not isinstance(max_chars, int):
        raise TypeError(f"max_chars must be a positive int or None, not {type(max_chars).__name__}")
    if max_chars <= 0:
        raise ValueError(f"max_chars must be a positive int, not {max_chars}")
    return max_chars


def parse(html: object, *, url: str | None = None, max_chars: int | None = None, encoding: str | None = None) -> Page:
    """Parse a page (str, bytes or BeautifulSoup) into a :class:`Page`. Never raises for bad markup.

    At most ``max_chars`` characters are analysed (``None``: :data:`DEFAULT_MAX_CHARS`); a page cut
    there, at :data:`MAX_ELEMENTS` elements or at libxml2's nesting limit has ``truncated`` set.
    """
    if url is not None and not isinstance(url, str):
        raise TypeError(f"url must be str or None, not {type(url).__name__}")
    text, truncated = to_text(html, check_max_chars(max_chars), encoding)
    if "\x00" in text:
        text = text.replace("\x00", "")
    text = _XML_DECL_RE.sub("", text, count=1)
    text = limit_attributes(text, MAX_ATTRIBUTES)
    root, cut = _parse_markup(text)
    page = Page(root=root, url=url or None, truncated=truncated or cut, n_chars=len(text))
    if root is not None:
        _read_head(page)
        _walk_body(page)
    page.main = _main_blocks(page.blocks)
    page.lang = _text.detect_language(" ".join(b.text for b in page.main[:40]), page.declared_lang)
    return page


# --- Tags with too many attributes ------------------------------------------------------------
# A scanner that follows the HTML tokenizer's states far enough to know where tags are: text,
# comments, bogus comments (<!x>, <?x>, </ x>), raw-text elements, and tags whose quoted values
# may hold ">". One regex skips everything harmless in a single call and stops only in front of a
# tag with more than MAX_ATTRIBUTES attributes, which Python then cuts. Each tag name, attribute
# name and value is taken whole (a negative lookahead forbids ending it early), so a tag splits
# into attributes in exactly one way and a failed match cannot backtrack into other splits (which
# would take time exponential in the tag's length). A raw-text element (script, style...) with no
# "<" inside is skipped in the same call; at one with "<" inside the call stops after the start
# tag and Python finds the end tag with a plain search (scanning raw text inside the regex, a
# lookahead at every character, took about half of the guard's time on ordinary pages).
_WS = r"[\t\n\f\r ]"  # HTML's white space; not \s, which also takes U+00A0 and other spaces
_TAG_NAME = r"[^\t\n\f\r />]*(?![^\t\n\f\r />])"
_NAME = r"[^\t\n\f\r />][^\t\n\f\r />=]*(?![^\t\n\f\r />=])"
_VALUE = r"""(?:"[^"]*(?:"|\Z)|'[^']*(?:'|\Z)|[^\t\n\f\r >"'][^\t\n\f\r >]*(?![^\t\n\f\r >])|(?=>|\Z))"""
_ATTR = rf"[\t\n\f\r /]*{_NAME}(?:{_WS}*={_WS}*{_VALUE}|(?!{_WS}*=))"
_TAG_END = r"[\t\n\f\r /]*(?:>|\Z)"
_RAW_TAGS = ("script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title", "plaintext")


# The regex engine keeps state for every repetition of a group until the match ends, so each call
# takes at most this many steps (text runs, tags, attributes) and Python loops: memory stays flat.
_STEPS = 1000


@functools.lru_cache(maxsize=8)
def _attr_regexes(max_attrs: int) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    k = max_attrs
    raw = "|".join(_RAW_TAGS)
    raw_start = rf"(?=[\t\n\f\r />]|\Z)(?:{_ATTR}){{0,{k}}}{_TAG_END}"  # after the tag name
    skip = (
        r"(?:[^<]+"
        r"|<!--(?:-?>|.*?--!?>|.*\Z)"
        r"|<[!?][^>]*(?:>|\Z)"
        r"|</(?:>|[^A-Za-z>][^>]*(?:>|\Z))"
        rf"|</[A-Za-z]{_TAG_NAME}(?:{_ATTR}){{0,{k}}}{_TAG_END}"
        rf"|<(?!(?i:{raw})(?=[\t\n\f\r />]|\Z))[A-Za-z]{_TAG_NAME}(?:{_ATTR}){{0,{k}}}{_TAG_END}"
        # a raw-text element with no "<" inside, taken to its end tag (or the end) in one step
        rf"|<(?P<inline>(?i:{raw})){raw_start}[^<]*(?=</(?i:(?P=inline))[\t\n\f\r />]|\Z)"
        r"|<(?![A-Za-z!?/])"
        rf"){{0,{_STEPS}}}"
        # any other raw-text element stops the scan after its start tag: Python finds its end tag
        rf"(?:<(?P<raw>(?i:{raw})){raw_start})?"
    )
    big = rf"</?(?P<name>[A-Za-z]{_TAG_NAME})(?:{_ATTR}){{{k}}}(?={_ATTR})"
    rest = rf"(?:{_ATTR}){{0,{_STEPS}}}"
    return re.compile(skip, re.S), re.compile(big, re.S), re.compile(rest, re.S)


@functools.lru_cache(maxsize=16)
def _raw_close(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}[\t\n\f\r />]", re.I)


def _raw_text_end(text: str, name: str, pos: int) -> int:
    """Where the raw text of a ``name`` element starting at ``pos`` ends: its end tag, or the end."""
    close = _raw_close(name.lower()).search(text, pos)
    return close.start() if close else len(text)


_TAG_END_RE = re.compile(_TAG_END)


def limit_attributes(text: str, max_attrs: int) -> str:
    """The text with every tag cut to its first ``max_attrs`` attributes (usually the same object)."""
    skip, big, rest = _attr_regexes(max_attrs)
    n = len(text)
    pos = 0  # where scanning goes on
    last = 0  # text[:last] is settled (copied to out, or nothing was cut yet)
    out: list[str] = []
    while True:
        m = skip.match(text, pos)
        end = m.end() if m else pos
        raw = m.group("raw") if m else None
        if raw:  # inside a raw-text element ("<" in a script): nothing is a tag until its end tag
            pos = _raw_text_end(text, raw, end)
            if pos >= n:
                break
            continue
        if end >= n:
            break
        t = big.match(text, end)
        if t is None:  # the step budget ran out (or, never seen, a tag the skip regex refused)
            pos = end if end > pos else end + 1
            continue
        out.append(text[last : t.end()])
        out.append(">")
        pos = t.end()
        while True:  # drop the remaining attributes, a bounded number per call
            r = rest.match(text, pos)
            if r is None or r.end() == pos:
                break
            pos = r.end()
        e = _TAG_END_RE.match(text, pos)
        pos = last = e.end() if e else pos
        if t.group("name").lower() in _RAW_TAGS and text[end + 1] != "/":
            pos = _raw_text_end(text, t.group("name"), pos)  # copied with the next piece
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _parse_markup(text: str) -> tuple[Any, bool]:
    """The lxml root (None for an empty page) and whether libxml2 stopped early at a resource limit
    (nesting deeper than 256 elements: the rest of the page is not in the tree)."""
    if not text.strip():
        return None, False
    parser = lxml.etree.HTMLParser(**_PARSER_OPTIONS)  # type: ignore[arg-type]
    try:
        root = lxml.etree.fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
        return None, False
    cut = any(e.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in e.message for e in parser.error_log)
    return root, cut


def _is_boiler_attr(attrs: str) -> bool:
    if len(attrs) > 200:  # a page's long class values are not worth keeping in the process-wide cache
        return BOILER_ATTR_RE.search(attrs) is not None
    return _is_boiler_attr_cached(attrs)


@functools.lru_cache(maxsize=4096)
def _is_boiler_attr_cached(attrs: str) -> bool:
    return BOILER_ATTR_RE.search(attrs) is not None


#: Elements with a schema.org property, among which the article's text ("articleBody", Blogger's
#: "description articleBody"); the token is checked in Python, half the cost of doing it in XPath.
_ITEMPROP = lxml.etree.XPath(".//*[@itemprop]")
#: Main-content elements whose ancestors are collected, at most.
_MAX_MAIN_MARKERS = 50


def _main_holders(start: Any) -> set[Any]:
    """Every element that holds the page's ``<main>``, an ``<article>`` or an element schema.org
    marks as the article's text: such an element is a layout wrapper whatever its class says
    ("content-sidebar-wrap", "container has-sidebar", Elementor's "elementor-widget-wrap" around
    every part of a page, Blogger's "widget Blog" around the posts), not boilerplate. (In a trial
    the ``<h1>`` gave main text to 59 more corpus pages than ``<main>`` and ``<article>`` alone, but
    many themes put the site's name in an ``<h1>`` inside the header, whose text then read as the
    article's.) Collected in one pass over the
    tree, so that nested wrappers cost no more than one."""
    bodies = (e for e in cast("list[Any]", _ITEMPROP(start)) if "articleBody" in (e.get("itemprop") or "").split())
    markers = itertools.islice(itertools.chain(start.iter("main", "article"), bodies), _MAX_MAIN_MARKERS)
    holders: set[Any] = set()
    for m in markers:
        for a in m.iterancestors():
            if a in holders:
                break
            holders.add(a)
    return holders


def _norm(s: str) -> str:
    return " ".join(s.split())


def text_of(el: Any) -> str:
    """All text under an element, whitespace-normalised."""
    return " ".join(lxml.etree.tostring(el, method="text", encoding=str, with_tail=False).split())


_NOT_TEXT = frozenset(("script", "style", "template"))


def readable_text(el: Any, limit: int = 5000) -> str:
    """The text a reader would see under an element if it were shown: like :func:`text_of`, but
    without the code inside ``<script>``, ``<style>`` and ``<template>``; about ``limit`` chars."""
    parts: list[str] = []
    n = 0
    walker = lxml.etree.iterwalk(el, events=("start", "end", "comment", "pi"))
    for event, e in walker:
        if event == "start":
            if e.tag in _NOT_TEXT:
                walker.skip_subtree()  # its "end" still comes, with the tail
                continue
            s = e.text
        else:  # "end", or a comment or processing instruction: only the tail is text
            s = e.tail if e is not el else None
        if s:
            parts.append(s)
            n += len(s)
            if n > limit:
                break
    return " ".join("".join(parts).split())[:limit]


def _read_head(page: Page) -> None:
    root = page.root
    page.declared_lang = (root.get("lang") or "").strip().lower()[:35]  # BCP 47 tags are short
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
                page.h1 = readable_text(el, 500)  # (not the CSS a component may keep inside)
        elif tag == "time":
            dt = el.get("datetime")
            if dt:
                if (el.get("itemprop") or "").lower() == "datemodified":
                    page.modified_dates.append(dt.strip())
                else:
                    page.dates.append(dt.strip())
        elif tag == "script" and (el.get("type") or "").lower() == "application/ld+json":
            _read_json_ld(page, el.text or "")
    page.site_name = page.meta.get("og:site_name", "")
    for key in ("article:published_time", "datepublished", "date", "pubdate", "publish-date", "dc.date"):
        if key in page.meta:
            page.dates.insert(0, page.meta[key])
    for key in ("article:modified_time", "og:updated_time", "datemodified", "last-modified", "dc.date.modified"):
        if key in page.meta:
            page.modified_dates.append(page.meta[key])
    if page.url is None and not page.canonical and "og:url" in page.meta:
        page.canonical = page.meta["og:url"]


_LD_DATE_RE = re.compile(r'"datePublished"\s*:\s*"([^"]{4,40})"')
_LD_MODIFIED_RE = re.compile(r'"dateModified"\s*:\s*"([^"]{4,40})"')


def _read_json_ld(page: Page, text: str) -> None:
    m = _LD_DATE_RE.search(text[:200_000])
    if m:
        page.dates.append(m.group(1))
    m = _LD_MODIFIED_RE.search(text[:200_000])
    if m:
        page.modified_dates.append(m.group(1))
    if not page.site_name and '"publisher"' in text:
        try:
            data = json.loads(text[:200_000])
        except (ValueError, RecursionError):  # broken, or nested deeper than the decoder goes
            return
        pub = data.get("publisher") if isinstance(data, dict) else None
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            page.site_name = pub["name"]


def _walk_body(page: Page) -> None:
    """One walk over the body: blocks of text with their link share, and every anchor.

    Text goes to the innermost open block element; ``<br>`` ends a block (farm CMSs often
    write paragraphs as ``<div>`` lines). Written as one flat loop with local names: it runs
    for every element of every page. It stops after :data:`MAX_ELEMENTS` elements and marks the
    page truncated. No recursion: libxml2 caps nesting at 256 levels, and iterwalk keeps its
    own stack anyway.
    """
    body = page.root.find("body")
    start = body if body is not None else page.root
    blocks = page.blocks
    links = page.links
    # An open block: [tag, element, text parts, link chars, anchor count, boilerplate].
    cur: list[Any] = ["body", start, [], 0, 0, False]
    stack: list[list[Any]] = [cur]
    holders: set[Any] | None = None  # wrappers of the main content, found on first need
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
    budget = MAX_ELEMENTS
    for event, el in walker:
        tag = el.tag
        if event == "start":
            budget -= 1
            if budget < 0:  # a page of hundreds of thousands of elements: keep what was read
                page.truncated = True
                break
            if tag in skip_tags or tag.__class__ is not str:
                walker.skip_subtree()  # its "end" still comes, and reads the tail
                continue
            if tag in block_tags:
                if el is not start:
                    boiler = cur[5] or tag in boiler_tags
                    if not boiler and tag in container_tags:
                        attrs = el.get("class") or el.get("id")
                        if attrs and _is_boiler_attr(attrs):
                            if holders is None:
                                holders = _main_holders(start)
                            boiler = el not in holders
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
