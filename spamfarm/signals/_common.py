"""Derived views of a page that several signal families share, computed once per page (and
the same readings of a text the page does not hold yet, which the farm simulator asks of the
``<h1>`` it would write: :func:`h1_head`, :func:`affixes_of_h1`)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from .. import _text
from .._page import Block, Page

# Title separators: "|", "::", dashes and bullets, " -", ":" (not in "10:30"), and "_" before a
# capital or around CJK text ("Title_Brand", "新闻标题_网站"; not "os_path").
TITLE_SEP_RE = re.compile(
    r"\s*(?:\|{1,2}|::|[–—·»›•]|\s-+\s?|-+\s|(?<!\d):(?!\d)"
    r"|_(?=\s*[A-ZÀ-Þ0-9\u3040-\u9fff])|(?<=[\u3040-\u9fff])_)\s*"
)


@dataclass(frozen=True, slots=True)
class TitleAffix:
    text: str
    position: str  # "prefix" or "suffix"


#: Characters of the main text whose words are read.
MAIN_WORD_CHARS = 200_000


def main_counts(page: Page) -> Counter[str]:
    """Content-token counts of the main text's first :data:`MAIN_WORD_CHARS` characters."""
    c = page.cache.get("main_counts")
    if c is None:
        text = page.main_text
        if len(text) <= MAIN_WORD_CHARS and not _text.CJK_RE.search(text):
            # A word never runs across the line breaks that join the blocks, so the blocks' own
            # tokens, which the web-spam signals read too, are the text's tokens in the same order.
            # (CJK character pairs do run across them.)
            c = Counter(itertools.chain.from_iterable(block_tokens(page, b) for b in page.main))
        else:
            c = Counter(_text.content_tokens(text[:MAIN_WORD_CHARS], page.lang))
        page.cache["main_counts"] = c
    return c


def main_words(page: Page) -> list[str]:
    """The lower-cased :func:`_text.words` of the main text's first :data:`MAIN_WORD_CHARS` characters."""
    words = page.cache.get("main_words")
    if words is None:
        text = page.main_text
        if len(text) <= MAIN_WORD_CHARS:  # the blocks' words, as in main_counts (CJK words too)
            words = list(itertools.chain.from_iterable(block_words(page, b) for b in page.main))
        else:
            words = [w.lower() for w in _text.words(text[:MAIN_WORD_CHARS])]
        page.cache["main_words"] = words
    return words


def block_words(page: Page, block: Block) -> list[str]:
    """A block's lower-cased :func:`_text.words`, read once per page."""
    cache = page.cache.setdefault("block_words", {})
    words = cache.get(id(block))
    if words is None:
        words = cache[id(block)] = [w.lower() for w in _text.words(block.text)]
    return words


def block_tokens(page: Page, block: Block) -> list[str]:
    """:func:`_text.content_tokens` of a block's whole text, tokenized once per page."""
    cache = page.cache.setdefault("block_tokens", {})
    toks = cache.get(id(block))
    if toks is None:
        if _text.CJK_RE.search(block.text):
            toks = _text.content_tokens(block.text, page.lang)
        else:  # the same tokens, from the words the stop-word ratio reads too
            toks = _text.content_words(block_words(page, block), page.lang)
        cache[id(block)] = toks
    return toks


def title_split(page: Page) -> tuple[str, list[TitleAffix]]:
    """The title's headline and the segments before and after it.

    The headline is the segment the ``<h1>`` repeats whole; else the longest segment with a word
    the main text uses (besides in the segment's own repeats); else the longest one. Never the
    site's own name. A brand prefixed to a product page's short title ("Grazen Hub
    Quantitative:Fiercely Strong Coffee") can be longer than the headline, but the text never
    uses its words."""
    cached = page.cache.get("title_split")
    if cached is not None:
        return cached
    title = page.title[:600]
    parts = [p.strip() for p in TITLE_SEP_RE.split(title)]
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        result: tuple[str, list[TitleAffix]] = (title.strip(), [])
    else:
        h1 = page.h1[:300].strip().casefold()
        counts = main_counts(page)

        def unspoken(part: str) -> bool:  # (words counted apart from the segment's own repeats)
            toks = _text.content_tokens(part, page.lang)
            own = page.main_text.count(part) if toks else 0
            # a plural's "s" aside: "Classic Percale Sheet Set" is spoken of in a text on "sheets"
            return bool(toks) and not any(
                counts.get(t, 0) + counts.get(t + "s", 0) + (counts.get(t[:-1], 0) if t.endswith("s") else 0) > own
                for t in toks
            )

        k = max(
            range(len(parts)),
            key=lambda i: (
                not is_site_identity(page, parts[i]),
                parts[i].casefold() == h1,
                not unspoken(parts[i]),
                len(parts[i]),
            ),
        )
        affixes = [TitleAffix(p, "prefix") for p in parts[:k]] + [TitleAffix(p, "suffix") for p in parts[k + 1 :]]
        result = (parts[k], affixes)
    page.cache["title_split"] = result
    return result


def h1_headline(page: Page) -> tuple[list[str], int] | None:
    """The ``<h1>``'s segments and which of them is its headline (:func:`h1_head`), computed once."""
    result: tuple[list[str], int] | None
    if "h1_headline" in page.cache:
        result = page.cache["h1_headline"]
        return result
    result = page.cache["h1_headline"] = h1_head(page, page.h1)
    return result


def h1_head(page: Page, h1: str) -> tuple[list[str], int] | None:
    """An ``<h1>`` text's segments (split at the title separators) and which of them is its
    headline, or None when that ``<h1>`` is no version of the page title's headline.

    The headline is the segment sharing the most content words with the title's headline (the
    longer one on a tie), never the site's own name. An ``<h1>`` with no such segment (a
    masthead: "Riverside Gazette — Valley Edition"), with one segment only, or on a page without
    a ``<title>`` gives None. The farm simulator asks the same before it writes a brand into the
    ``<h1>`` alone."""
    parts = [p.strip() for p in TITLE_SEP_RE.split(h1[:300])]
    parts = [p for p in parts if p]
    if len(parts) < 2 or not page.title[:600].strip():
        return None
    head_words = set(_text.content_tokens(title_split(page)[0], page.lang))
    shared = [len(head_words & set(_text.content_tokens(p, page.lang))) for p in parts]
    heads = [i for i, n in enumerate(shared) if n and not is_site_identity(page, parts[i])]
    if not heads:
        return None
    return parts, max(heads, key=lambda i: (shared[i], len(parts[i])))


def h1_affixes(page: Page) -> list[TitleAffix]:
    """:func:`affixes_of_h1` of the page's own ``<h1>``, computed once."""
    cached = page.cache.get("h1_affixes")
    if cached is None:
        found = h1_headline(page)
        cached = page.cache["h1_affixes"] = _h1_affixes(page, found) if found is not None else []
    return cached


def affixes_of_h1(page: Page, h1: str) -> list[TitleAffix]:
    """Segments of an ``<h1>`` text beside its headline (:func:`h1_head`) that the ``<title>``
    does not hold: a farm template may prefix the brand to the headline it shows ("Orvalis
    Patrimoine — la réforme des retraites...") and leave the ``<title>`` as the copied page had
    it. A segment the title holds as whole words in a row is the title's own; one with any CJK
    character (``_text.CJK_RE``: Han, kana, Hangul, Thai), or under a title with any, is tested
    as a run of characters, spaces aside, since those scripts are written without spaces or
    run into Latin words ("ABC新闻"). A segment repeated counts once. Not cached: the farm
    simulator asks it of the ``<h1>`` it would write."""
    found = h1_head(page, h1)
    return _h1_affixes(page, found) if found is not None else []


def _h1_affixes(page: Page, found: tuple[list[str], int]) -> list[TitleAffix]:
    parts, k = found
    title = page.title[:600]
    title_cjk = _text.CJK_RE.search(title) is not None
    title_chars = "".join(title.casefold().split())
    title_words = [w.casefold() for w in _text.words(title)]
    seen: set[str] = set()
    out: list[TitleAffix] = []
    for i, p in enumerate(parts):
        words = [w.casefold() for w in _text.words(p)]
        key = " ".join(words)
        if i == k or not words or key in seen:
            continue
        if title_cjk or _text.CJK_RE.search(p):
            held = "".join(p.casefold().split()) in title_chars
        else:
            held = _holds_run(title_words, words)
        if held:
            continue
        seen.add(key)
        out.append(TitleAffix(p, "prefix" if i < k else "suffix"))
    return out


def _holds_run(words: list[str], run: list[str]) -> bool:
    """Whether ``run`` (not empty) appears in ``words`` as consecutive words."""
    n = len(run)
    if not n:
        return False
    return any(words[i : i + n] == run for i in range(len(words) - n + 1))


#: An ``application-name`` longer than this is a headline, not the site's name.
_MAX_APP_NAME_CHARS = 40


def is_site_identity(page: Page, phrase: str) -> bool:
    """Whether a phrase names the page's own site (its domain, og:site_name or publisher)."""
    names = [page.site_name] if page.site_name else []
    app = page.meta.get("application-name")
    if app and len(app) <= _MAX_APP_NAME_CHARS:  # some CMSs write the headline there
        names.append(app)
    return _text.names_same_site(phrase, page.site_domains, names)


def relatedness(tokens: list[str], topic: Counter[str], lang: str) -> float:
    """Share of a text's topical weight found in the topic counts (rare words weigh more)."""
    if not tokens:
        return 0.0
    total = hit = 0.0
    for t in sorted(set(tokens)):  # a fixed order: float sums must not depend on hash seeds
        w = max(0.5, 7.0 - _text.zipf(t, lang)) if not _text.CJK_RE.match(t) else 3.0
        total += w
        if topic.get(t):
            hit += w
    return hit / total if total else 0.0
