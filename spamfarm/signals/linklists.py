"""Unrelated link lists: blocks of headline links ("Related", "Ranking", "Recommendation"...) whose
anchors have nothing to do with the article they hang beside.

A *headline anchor* is a link whose text reads like a headline (4+ words, or 10+ CJK characters)
outside running text. A *link block* is the lowest element holding at least three of them; its
heading is the short heading just before it (or its first child).

Signals (all ``links.*``):

``blocks``              number of link blocks.
``unrelated_blocks``    blocks whose anchors share, on average, under 15 % of their topical weight
                        with the main text (judged when the main text has 20+ content words:
                        measured on the held-out pages, judging from 20 rather than 60 words
                        finds 5.6 points more simulated farm lists under a generic heading at
                        0.9+ off-topic, and 0.2 points more honest pages).
``unrelated_share``     share of all block anchors that are unrelated (< 10 %) to the main text.
``mean_relatedness``    mean anchor relatedness to the main text (1.0 when nothing to judge).
``repeated_anchors``    anchor texts listed in two or more blocks (farms re-use their lists).
``list_text_share``     characters of block anchors relative to the main text.
``list_headings``       blocks headed by a generic list heading (Related, Ranking, Trending...).
``headed_offtopic``     1 minus the mean relatedness of the least related block under such a heading
                        (0 without one): a news site's "Related" box is on topic, a farm's
                        "Recommendation" list of celebrity and sports headlines is not. Measured on
                        the shared pages: a headed block of 4+ links under 0.15 on 2.1 % of honest
                        pages against 89 % of simulated farm lists.
``related_offtopic``    the same, only under headings that claim the links are related to the article
                        ("Related", "You may also like", "Recommended", "Empfehlungen",
                        "相关文章"...). A "Most read" or "Trending" box is off topic on honest news
                        sites too; a "Related" box rarely is. Measured on the 2,992 shared pages: an
                        off-topic (0.85+) headed list on 66 pages, 18 of them under a relation
                        heading (9 at 0.9+).
``slugless_share``      share of block anchors whose link path shares no word with the anchor text
                        (farm CMSs link headlines to numeric ids: /news/2024-08-03/51234.html;
                        most news sites put the headline's words in the URL).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import unquote

from .. import _text
from .._page import Link, Page
from .._result import Evidence, Signal
from . import _common
from ._resources import Resources

NAMES = (
    "links.blocks",
    "links.unrelated_blocks",
    "links.unrelated_share",
    "links.mean_relatedness",
    "links.repeated_anchors",
    "links.list_text_share",
    "links.list_headings",
    "links.headed_offtopic",
    "links.related_offtopic",
    "links.slugless_share",
)

#: Which way each signal may push the model (+1 towards spam, -1 towards honest, 0 either).
DIRECTION = {
    "links.unrelated_blocks": 1,
    "links.unrelated_share": 1,
    "links.mean_relatedness": -1,
    "links.repeated_anchors": 1,
    "links.headed_offtopic": 1,
    "links.related_offtopic": 1,
}

UNRELATED_BLOCK = 0.15
UNRELATED_ANCHOR = 0.10
_MIN_MAIN_TOKENS = 20
_MAX_LINKS = 3000
_CLIMB = 6
LIST_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "p", "div", "header", "dt"})
# Generic list headings, several languages (a weak cue: honest sites use them too).
LIST_HEADING_RE = re.compile(
    r"^\W*(?:related(?: (?:news|articles|posts|stories))?|ranking|rankings|recommend\w*|trending(?: now)?|"
    r"hot(?: news| topics)?|popular(?: posts| news| articles)?|most (?:read|popular|viewed)|latest(?: news)?|"
    r"you (?:may|might) (?:also )?like|more (?:news|stories)|editor'?s picks?|top stories|read more|"
    r"verwandte\w*|empfehlung\w*|beliebt\w*|meistgelesen\w*|relacionad\w*|recomendad\w*|"
    r"populares|articles? (?:similaires|liés)|à lire aussi|populaires?|"
    r"相关\w*|热门\w*|推荐\w*|排行\w*|最新\w*|関連\w*|人気\w*|おすすめ)\W*$",
    re.I,
)

# The list headings that say the links belong with the article (not "Most read", "Trending",
# "Latest", "Top stories": boxes of the site's other news, off topic by design).
RELATED_HEADING_RE = re.compile(
    r"^\W*(?:related|you (?:may|might) (?:also )?like|recommend\w*|verwandte\w*|empfehlung\w*|"
    r"relacionad\w*|recomendad\w*|articles? (?:similaires|liés)|à lire aussi|相关|推荐|関連|おすすめ)",
    re.I,
)


def _is_headline(text: str) -> bool:
    if _text.CJK_RE.search(text):
        return len(text) >= 10
    return len(text) >= 20 and len(text.split()) >= 4


def find_blocks(page: Page) -> list[tuple[Any, list[Link]]]:
    """(container element, its headline anchors) for each link block, in document order."""
    cached = page.cache.get("link_blocks")
    if cached is not None:
        return cached
    blocks = page.blocks
    cands = []
    for link in page.links[:_MAX_LINKS]:
        if not _is_headline(link.text):
            continue
        b = blocks[link.block] if 0 <= link.block < len(blocks) else None
        if b is not None and not b.boiler and b.link_density < 0.5:
            continue  # a link inside running text, not a list
        cands.append(link)
    counts: Counter[Any] = Counter()
    chains = []
    for link in cands:
        chain = []
        el = link.el.getparent()
        for _ in range(_CLIMB):
            if el is None:
                break
            chain.append(el)
            counts[el] += 1
            el = el.getparent()
        chains.append(chain)
    groups: dict[Any, list[Link]] = {}
    for link, chain in zip(cands, chains, strict=True):
        for el in chain:
            if counts[el] >= 3:
                groups.setdefault(el, []).append(link)
                break
    result = list(groups.items())
    page.cache["link_blocks"] = result
    return result


def block_heading(container: Any) -> str:
    """The short heading right before a link block, or its first child's text."""
    el = container
    for _ in range(3):
        if el is None:
            break
        prev = el.getprevious()
        hops = 0
        while prev is not None and hops < 2:
            if isinstance(prev.tag, str) and prev.tag in LIST_HEADING_TAGS:
                text = " ".join("".join(prev.itertext()).split())
                if text and len(text) <= 60:
                    return text
                break
            prev = prev.getprevious()
            hops += 1
        first = el[0] if len(el) else None
        if (
            first is not None
            and isinstance(first.tag, str)
            and first.tag in LIST_HEADING_TAGS
            and first.find(".//a") is None
        ):
            text = " ".join("".join(first.itertext()).split())
            if text and len(text) <= 60:
                return text
        el = el.getparent()
    return ""


def extract(page: Page, res: Resources) -> list[Signal]:
    groups = find_blocks(page)
    topic = _common.main_counts(page)
    judged = sum(topic.values()) >= _MIN_MAIN_TOKENS
    anchor_rel: list[float] = []
    unrelated_ev: list[Evidence] = []
    heading_ev: list[Evidence] = []
    n_unrelated_blocks = 0
    seen: Counter[str] = Counter()
    list_chars = 0
    n_anchors = n_slugless = 0
    headed_offtopic = related_offtopic = 0.0
    headed_ev: tuple[Evidence, ...] = ()
    related_ev: tuple[Evidence, ...] = ()
    for container, links in groups:
        for link in links:
            n_anchors += 1
            n_slugless += not _slug_matches(link)
        heading = block_heading(container)
        headed = bool(heading and LIST_HEADING_RE.match(heading))
        if headed:
            heading_ev.append(Evidence("list_heading", heading, f"{len(links)} links"))
        texts = dict.fromkeys(link.text for link in links)  # page order: evidence must not depend on hash seeds
        for t in texts:
            seen[t] += 1
        list_chars += sum(len(link.text) for link in links)
        if not judged:
            continue
        rels = [
            (link.text, _common.relatedness(_text.content_tokens(link.text, page.lang), topic, page.lang))
            for link in links
        ]
        anchor_rel.extend(r for _, r in rels)
        mean = sum(r for _, r in rels) / len(rels)
        sample = "; ".join(f"{t} ({r:.2f})" for t, r in rels[:3])
        if headed and len(links) >= 4 and 1.0 - mean > headed_offtopic:
            headed_offtopic = 1.0 - mean
            headed_ev = (Evidence("offtopic_headed_list", heading, sample, None, round(mean, 3)),)
        if headed and len(links) >= 4 and 1.0 - mean > related_offtopic and RELATED_HEADING_RE.match(heading):
            related_offtopic = 1.0 - mean
            related_ev = (Evidence("offtopic_related_list", heading, sample, None, round(mean, 3)),)
        if mean < UNRELATED_BLOCK and len(links) >= 4:
            n_unrelated_blocks += 1
            unrelated_ev.append(
                Evidence("unrelated_link_list", heading or "(no heading)", sample, None, round(mean, 3))
            )
    repeated = [t for t, c in seen.items() if c >= 2]
    unrelated_share = sum(1 for r in anchor_rel if r < UNRELATED_ANCHOR) / len(anchor_rel) if anchor_rel else 0.0
    mean_rel = sum(anchor_rel) / len(anchor_rel) if anchor_rel else 1.0
    main_chars = max(200, len(page.main_text))
    return [
        Signal("links.blocks", float(len(groups))),
        Signal("links.unrelated_blocks", float(n_unrelated_blocks), tuple(unrelated_ev)),
        Signal("links.unrelated_share", round(unrelated_share, 4), tuple(unrelated_ev[:1])),
        Signal("links.mean_relatedness", round(mean_rel, 4)),
        Signal(
            "links.repeated_anchors",
            float(len(repeated)),
            tuple(Evidence("repeated_anchor", t, "listed in several link blocks") for t in repeated[:5]),
        ),
        Signal("links.list_text_share", round(min(10.0, list_chars / main_chars), 4)),
        Signal("links.list_headings", float(len(heading_ev)), tuple(heading_ev)),
        Signal("links.headed_offtopic", round(headed_offtopic, 4), headed_ev),
        Signal("links.related_offtopic", round(related_offtopic, 4), related_ev),
        Signal("links.slugless_share", round(n_slugless / n_anchors, 4) if n_anchors else 0.0),
    ]


_PATH_WORD_RE = re.compile(r"[^\W\d_]{3,}")


def _slug_matches(link: Link) -> bool:
    """Whether the link's path carries a word of its anchor text (a slug)."""
    path = unquote(link.href.split("?", 1)[0].split("#", 1)[0]).lower()
    if not path or _text.CJK_RE.search(link.text):
        return True  # nothing to compare, or a script without spaces: give it the benefit of the doubt
    words = {w for w in _PATH_WORD_RE.findall(path)}
    return any(w.lower() in words for w in _text.words(link.text) if len(w) >= 3)
