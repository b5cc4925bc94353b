"""Other kinds of web spam: hidden text and links, keyword stuffing, redirects, link-spam blocks,
machine-written leftovers, hacked-site injections, word salad and scraped result lists.

Signals (all ``spam.*``):

``hidden_links``        log(1 + worded links to other sites, social networks and links whose anchor
                        names their site aside, inside hidden elements: ``display:none``,
                        ``visibility:hidden``, zero font size, off-screen positions, the ``hidden``
                        attribute, ``<noscript>``).
``hidden_words``        log(1 + words in hidden elements that the visible text never uses).
``keyword_density``     the commonest content word's share of the main text (100+ tokens only; CJK
                        text, tokenized as character pairs, counts two pairs to a word).
``title_repeats``       most times one content word occurs in the title ("Cheap Shoes | Buy Cheap Shoes").
``meta_keywords``       log(1 + number of ``<meta name=keywords>`` entries).
``term_lists``          share of the page's text in blocks that are bare comma lists of short terms
                        (city names, keyword lists).
``redirect``            1 when a meta refresh (within 5 s) or a short inline script sends the reader
                        to another site (the page's URL or canonical, else the site most of its
                        links go to, is its own).
``link_farm_domains``   log(1 + most distinct other sites one link block points to, straight or
                        through the page's own redirect ("/go?url=..."), social networks
                        and the page's own site aside, and links in running text or whose anchor
                        names the site it points to: citations and networks of sister sites; links
                        without anchor text too: a spam link is bought for its words, a block of
                        bare icons and badges is a site's partners, browsers and tools).
``machine_filler``      how many distinct chatbot leftovers the main text holds ("As an AI language
                        model", "I cannot fulfill this request", "regenerate response"...); one that
                        opens a quotation, or sits in a ``<blockquote>`` or ``<q>`` (a review
                        showing the tool's reply), is a mention of the phrase, not a leftover.
``hacked_terms``        distinct gambling, adult, pharma and loan terms (several languages and
                        scripts) in the title, meta tags, hidden text or link anchors that the main
                        text does not itself discuss.
``paragraph_cohesion``  mean share of a paragraph's content words that other paragraphs use too:
                        stitched fragments of unrelated articles and spun text share few. (A
                        bigram-model coherence score was tried and dropped: it read every page in
                        a language the model saw little of as word salad.)
``result_snippets``     log(1 + distinct other sites linked by headlines that are each followed by a
                        short snippet, when 3 or more): search-result scrapes and doorway pages.
                        Between headline and snippet may sit two short lines (the displayed
                        address, a date); a headline is a line that is mostly its link, or its link
                        beside a displayed address and a rank or label ("#3 Headline
                        www.example.de › kfz"). A headline linking through the page's own redirect
                        ("/r?to=example.com") counts for the site the redirect names, or else the
                        address the result displays: beside the headline, on a line under it, or
                        opening the snippet ("www.example.es › coche Compara...").
``cut_snippets``        the share of those snippets cut short by an ellipsis at either end ("... the
                        cheapest insurer for most drivers was ..."), as a search engine cuts them:
                        an honest page of links with blurbs writes whole sentences.
``templated_anchors``   log(1 + most distinct links whose anchors are one template with one slot of
                        1-3 words (no digits) changed between a shared prefix and suffix of two
                        words or more: "plumber in Leeds", "plumber in York"; "Roof Repair in St.
                        Petersburg, FL"...), when 5 or more: a doorway network's links to its
                        sibling pages.
                        Honest sites have such lists too (location pages of a jobs or property site,
                        "X vs Y" comparisons): the model weighs it next to how thin the text is.
``sibling_anchors``     log(1 + most distinct two-word anchors that share one content word in the
                        same place: "Schlüsseldienst Köln", "Schlüsseldienst Bonn"...), when 10 or
                        more: the two-word doorway lists ``templated_anchors`` cannot read (its
                        shared part needs two words). Honest pages have them more often (a movers
                        directory's "Boston Movers", a command reference's "kubectl apply"): on the
                        2,992 shared pages 4.9 % reach 10 and 1.4 % reach 20, so it is a weak cue
                        the model weighs next to thin, keyword-dense text.
``stuffed_phrase``      log(1 + sentences of one paragraph of main text that hold the same two-word
                        phrase, when there are 3 or more and the phrase makes a fifth or more of
                        the paragraph's content words): "Looking for plumber near me in Boston?
                        Our plumber near me is the best plumber near me. Cheap plumber near me.";
                        in a hidden part, which has no sentences, the phrase's count (8 or more).

Term lists are one weak cue among many and cannot carry a page alone: the model sees them
next to where on the page the terms sit and what the main text is about.
"""

from __future__ import annotations

import bisect
import functools
import math
import os
import re
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .. import _text
from .._page import Block, Page, readable_text, text_of
from .._result import Evidence, Signal
from . import _common
from ._resources import Resources

NAMES = (
    "spam.hidden_links",
    "spam.hidden_words",
    "spam.keyword_density",
    "spam.title_repeats",
    "spam.meta_keywords",
    "spam.term_lists",
    "spam.redirect",
    "spam.link_farm_domains",
    "spam.machine_filler",
    "spam.hacked_terms",
    "spam.paragraph_cohesion",
    "spam.result_snippets",
    "spam.cut_snippets",
    "spam.templated_anchors",
    "spam.sibling_anchors",
    "spam.stuffed_phrase",
)

DIRECTION = {
    "spam.hidden_links": 1,
    "spam.hidden_words": 1,
    "spam.title_repeats": 1,
    "spam.term_lists": 1,
    "spam.redirect": 1,
    "spam.link_farm_domains": 1,
    "spam.machine_filler": 1,
    "spam.hacked_terms": 1,
    "spam.paragraph_cohesion": -1,
    "spam.result_snippets": 1,
    "spam.cut_snippets": 1,
    "spam.templated_anchors": 1,
    "spam.sibling_anchors": 1,
    "spam.stuffed_phrase": 1,
}

_MAX_HIDDEN = 400  # hidden elements examined per page
_MAX_REDIRECT_SCRIPT = 1500  # characters

_HIDDEN_STYLE_RE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0*)?(?:px|pt|em|rem|%)?\s*(?:;|$|!)|"
    r"(?:left|top|text-indent|margin-left)\s*:\s*-\d{3,}|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$|!)|"
    r"(?:height|width)\s*:\s*0(?:px)?\s*;.*overflow\s*:\s*hidden",
    re.I,
)
# Whole-document passes ("//body//*" walks each body's subtree: pages with many nested bodies
# made it quadratic). The elements that hold each mark, joined, take half the time of one pass
# testing all three on every element; a union comes back in document order, each element once.
_HIDDEN_XPATH = "//@style/.. | //@hidden/.. | //noscript"

# Sites nearly every honest footer links to.
_SOCIAL = frozenset(
    """facebook.com twitter.com x.com instagram.com youtube.com youtu.be linkedin.com pinterest.com tiktok.com
    reddit.com whatsapp.com t.me telegram.org github.com apple.com google.com wikipedia.org flickr.com
    vimeo.com tumblr.com medium.com weibo.com qq.com vk.com line.me bsky.app threads.net mastodon.social
    spotify.com soundcloud.com discord.gg discord.com patreon.com amazon.com""".split()
)

_FILLER_RE = re.compile(
    # whole words only: "has an ai model" and "i'm an aide" hold no leftover, nor "the textbook"
    r"(?<![a-z])(?:as an ai(?: language)? model|i(?:'m| am) an ai(?: language model)?|"
    r"i cannot fulfill (?:this|your) request|i can(?:not|'t) (?:assist|help) with that|regenerate response|"
    r"as of my (?:last )?knowledge (?:update|cutoff)|my knowledge cutoff|certainly[!,] here(?:'s| is)|"
    r"i hope this (?:helps|email finds you)|here is (?:a|an|the) (?:rewritten|revised|\d+-word)|"
    r"rewrite (?:this|the) (?:article|text)|"
    r"als ki-sprachmodell|como modelo de lenguaje|en tant que modèle de langage|jako model językowy)(?![a-z])|"
    r"作为一个?(?:ai|人工智能)(?:语言)?模型|作为人工智能|私はaiアシスタント|ai言語モデルとして",
)  # matched against lower-cased text: faster than re.I over a long alternation

# Gambling, adult, pharma and loan terms that hacked sites and spam injections carry (lower case).
_WORD_TERMS = frozenset(
    """casino casinos online-casino baccarat roulette blackjack sportsbook jackpot bet365 togel judi gacor
    viagra cialis levitra kamagra tramadol xanax phentermine porn porno xxx hentai escorts
    sportwetten glücksspiel tragamonedas kasyno казино порно виагра""".split()
)
_PHRASE_TERMS = (
    "online casino",
    "slot gacor",
    "slot online",
    "situs slot",
    "judi online",
    "judi bola",
    "poker online",
    "betting odds",
    "sports betting",
    "online pharmacy",
    "no prescription",
    "sex cam",
    "sex cams",
    "escort service",
    "onlyfans leak",
    "onlyfans leaks",
    "payday loan",
    "payday loans",
    "cash loan",
    "cash loans",
    "instant loan",
    "instant loans",
    "bad credit loan",
    "bad credit loans",
    "replica watches",
    "cheap jerseys",
    "apuestas deportivas",
    "casino en línea",
    "paris sportifs",
    "casino en ligne",
    "zakłady bukmacherskie",
    "ставки на спорт",
    "займ онлайн",
    "займы онлайн",
    "cá cược",
    "nhà cái",
    "kèo bóng đá",
)
_PHRASE_HEADS: dict[str, tuple[str, ...]] = {}
for _t in _PHRASE_TERMS:
    _PHRASE_HEADS[_t.split()[0]] = (*_PHRASE_HEADS.get(_t.split()[0], ()), _t)
_SCRIPT_TERMS = tuple(
    """博彩 彩票 赌场 赌博 百家乐 娱乐城 六合彩 时时彩 老虎机 体育投注 真人视讯
    棋牌 威尼斯人 葡京 澳门赌 色情 成人视频 伟哥 网贷 贷款 皇冠体育 赌球
    カジノ オンラインカジノ アダルト 出会い系 바카라 카지노 토토 슬롯 คาสิโน บาคาร่า สล็อต""".split()
)
_SCRIPT_RE = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")


def spam_terms(text: str, words: set[str] | None = None) -> list[tuple[str, int]]:
    """(term, offset) of each distinct gambling/adult/pharma/loan term in ``text``, first occurrence.

    ``words``, the text's lower-cased words when the caller has them already, saves tokenising.
    """
    low = text.lower()
    if words is None:
        words = set(_text.WORD_RE.findall(low))
    out = [(w, low.find(w)) for w in _WORD_TERMS.intersection(words)]
    for head in _PHRASE_HEADS.keys() & words:
        for term in _PHRASE_HEADS[head]:
            i = low.find(term)
            if i >= 0:
                out.append((term, i))
    if _SCRIPT_RE.search(low):
        for term in _SCRIPT_TERMS:
            i = low.find(term)
            if i >= 0:
                out.append((term, i))
    return sorted(out, key=lambda t: (t[1], t[0]))  # (terms at one offset, "casino"/"casinos", by name)


_LIST_SEPARATORS = ",;、，|"
_LIST_ITEM_RE = re.compile(rf"\s*[{_LIST_SEPARATORS}]\s*")
#: A block of at least this many items is a term list (when nearly all are short).
_MIN_LIST_ITEMS = 12


def _external_domain(href: str, own: str) -> str:
    """The registrable domain of an absolute link to another site, else ''."""
    if not href.startswith(("http://", "https://", "//")):
        return ""
    dom = _text.registrable_domain(href if not href.startswith("//") else "http:" + href)
    if not dom or dom == own or (own and _same_site(dom, own)):
        return ""
    return dom


@functools.lru_cache(maxsize=8192)
def _same_site(dom: str, own: str) -> bool:
    return _text.names_same_site(dom, (own,))


#: Two domains whose names start with this many letters in common belong to one network
#: ("piratenpartei-hessen.de" and "piraten-bergstrasse.de"); a shorter common start is a word
#: many sites share ("news", "sports").
_SISTER_PREFIX = 7


@functools.lru_cache(maxsize=8192)
def _sister_domain(dom: str, own: str) -> bool:
    """Whether a linked domain's name starts like the page's own ("piraten-…" on piratenpartei-…)."""
    a, b = _text.compact(dom.split(".")[0]), _text.compact(own.split(".")[0])
    return len(os.path.commonprefix((a, b))) >= _SISTER_PREFIX


#: An anchor longer than this is not read as a site's name (a broken page can make one a megabyte).
_MAX_NAME_CHARS = 2000


#: The first part of an anchor, before a comma, colon, bar, dash or bracket: where a name sits.
_NAME_PART_RE = re.compile(r"[,:;|–—(\[]| - ")


def _names_its_site(anchor: str, dom: str) -> bool:
    """Whether a link's text is the name of the site it points to ("Dicebreaker", "baon.hu"), or
    that name's initials ("University of Central Florida, Online Tuition" -> ucf.edu)."""
    if len(anchor) > _MAX_NAME_CHARS:
        return False
    if len(_text.compact(anchor)) >= 4 and _text.names_same_site(anchor, (dom,)):
        return True
    initials = "".join(w[0] for w in _NAME_PART_RE.split(anchor, maxsplit=1)[0].split() if w[:1].isupper())
    return len(initials) >= 3 and initials.lower() == dom.split(".")[0]


def _hidden_elements(page: Page) -> list[Any]:
    """Outermost hidden elements of the body, in document order."""
    cached = page.cache.get("hidden_elements")
    if cached is not None:
        return cached
    out: list[Any] = []
    seen: set[Any] = set()
    try:
        found = page.root.xpath(_HIDDEN_XPATH) if page.root is not None else []
    except Exception:  # noqa: BLE001 - a tree lxml cannot search is a page without hidden parts
        found = []
    for el in found[: _MAX_HIDDEN * 4]:
        if el.tag != "noscript" and el.get("hidden") is None and not _is_hidden_style(el.get("style") or ""):
            continue
        if el.tag in ("html", "body") or any(a in seen or a.tag == "head" for a in el.iterancestors()):
            continue  # (a page hidden whole until its scripts run is not hiding text)
        seen.add(el)
        out.append(el)
        if len(out) >= _MAX_HIDDEN:
            break
    page.cache["hidden_elements"] = out
    return out


def _is_hidden_style(style: str) -> bool:
    if len(style) > 200:  # long style values are not worth keeping in the process-wide cache
        return _HIDDEN_STYLE_RE.search(style) is not None
    return _is_hidden_style_cached(style)


@functools.lru_cache(maxsize=4096)
def _is_hidden_style_cached(style: str) -> bool:
    """(Pages repeat a few short style values, "display: none;", on many elements.)"""
    return _HIDDEN_STYLE_RE.search(style) is not None


def _hidden_text(page: Page, el: Any) -> str:
    """A hidden element's readable text (its first 5,000 characters), read once per page."""
    texts = page.cache.setdefault("hidden_texts", {})
    text = texts.get(id(el))
    if text is None:
        text = texts[id(el)] = readable_text(el, 5000)
    return text


def _visible_words(page: Page, hidden: list[Any]) -> set[str]:
    """The page's visible words: main text and boilerplate, less the blocks inside hidden parts
    (the walk reads a hidden <div> of keywords as a paragraph like any other)."""
    under_hidden = {e for h in hidden for e in h.iter()}
    in_hidden = {id(b) for b in page.blocks if b.el in under_hidden}
    counts = _common.main_counts(page)
    hidden_main = [b for b in page.main if id(b) in in_hidden]
    if hidden_main:
        counts = counts - Counter(t for b in hidden_main for t in _common.block_tokens(page, b))
    visible_words = set(counts)
    boiler = [b.text[:2000] for b in page.blocks if b.boiler and id(b) not in in_hidden]
    # Text without CJK tokenizes the same joined as block by block, in one call; CJK text makes
    # character pairs across whatever it is joined to, so each such block goes alone.
    spaced: list[str] = []
    for t in boiler:
        if _text.CJK_RE.search(t):
            visible_words.update(_text.content_tokens(t, page.lang))
        else:
            spaced.append(t)
    visible_words.update(_text.content_tokens("\n".join(spaced), page.lang))
    return visible_words


def _hidden(page: Page) -> tuple[Signal, Signal]:
    own = page.own_domain
    hidden = _hidden_elements(page)
    if not hidden:
        return Signal("spam.hidden_links", 0.0), Signal("spam.hidden_words", 0.0)
    # Built when a hidden part first has words to look up: on most pages none has (hidden
    # parts are often empty, icons or noscript notices), and the page's boilerplate is long.
    visible_words: set[str] | None = None
    links_ev: list[Evidence] = []
    n_links = 0
    words_ev: list[Evidence] = []
    n_words = 0
    for el in hidden:
        for a in el.iter("a"):
            dom = _external_domain((a.get("href") or "").strip(), own)
            if not dom or dom in _SOCIAL:
                continue
            anchor = text_of(a)
            if _names_its_site(anchor, dom):
                continue  # a collapsed menu of the publisher's other sites, each named by its link
            if len(anchor) >= 3:  # hidden share menus and icon links are common; spam links carry words
                n_links += 1
                if len(links_ev) < 5:
                    links_ev.append(Evidence("hidden_link", anchor[:120], el.tag, against=dom))
        # noscript mostly holds "enable JavaScript" notices and tracking pixels; count its links only
        if el.tag == "noscript":
            continue
        text = _hidden_text(page, el)
        toks = _text.content_tokens(text, page.lang)
        if not toks:
            continue
        if visible_words is None:
            visible_words = _visible_words(page, hidden)
        fresh = [t for t in toks if t not in visible_words]
        if fresh:
            n_words += len(fresh)
            if len(words_ev) < 3:
                words_ev.append(Evidence("hidden_text", text[:200], (el.get("style") or "hidden")[:80]))
    return (
        Signal("spam.hidden_links", round(math.log1p(n_links), 4), tuple(links_ev)),
        Signal("spam.hidden_words", round(math.log1p(n_words), 4), tuple(words_ev)),
    )


#: Main-text tokens below which no keyword density is read. Measured on the shared honest pages
#: (stop 21): of those with 100-200 content tokens the commonest word's share has its 99th
#: percentile at 0.10, below the 0.12-0.25 of stuffed pages, and short pages are where stuffers
#: write; under 100 tokens one word's share is mostly chance.
_DENSITY_MIN_TOKENS = 100


def _stuffing(page: Page) -> tuple[Signal, Signal, Signal, Signal]:
    counts = _common.main_counts(page)
    total = sum(counts.values())
    density = 0.0
    dens_ev: tuple[Evidence, ...] = ()
    if total >= _DENSITY_MIN_TOKENS:
        word, n = counts.most_common(1)[0]
        # CJK text is counted in overlapping character pairs, one per character, while its words
        # run about two characters long: its pairs are twice as many as its words.
        density = min(1.0, (2 * n if _text.CJK_RE.search(word) else n) / total)
        dens_ev = (Evidence("dense_keyword", word, f"{n} of {total} content words", score=round(density, 4)),)
    title_toks = Counter(_text.content_tokens(page.title[:600], page.lang))
    rep_word, reps = title_toks.most_common(1)[0] if title_toks else ("", 0)
    rep_ev = (Evidence("title_repeated_word", rep_word, page.title[:300]),) if reps >= 2 else ()
    kw = [k for k in _LIST_ITEM_RE.split(page.meta.get("keywords", "")[:5000]) if k.strip()]
    kw_ev = (Evidence("meta_keywords", ", ".join(kw[:12]), f"{len(kw)} keywords"),) if kw else ()
    list_chars = 0
    list_ev: list[Evidence] = []
    total_chars = sum(len(b.text) for b in page.blocks) or 1
    for b in page.blocks:
        if len(b.text) < 80 or b.n_links > 2:
            continue
        # Each separator adds one item: a block with too few is no list, and need not be split.
        if sum(b.text.count(sep) for sep in _LIST_SEPARATORS) < _MIN_LIST_ITEMS - 1:
            continue
        items = _LIST_ITEM_RE.split(b.text)
        if len(items) >= _MIN_LIST_ITEMS and sum(1 for i in items if 0 < len(i.split()) <= 3) >= 0.9 * len(items):
            list_chars += len(b.text)
            if len(list_ev) < 3:
                list_ev.append(Evidence("term_list", b.text[:200], f"{len(items)} items"))
    return (
        Signal("spam.keyword_density", round(density, 4), dens_ev),
        Signal("spam.title_repeats", float(reps), rep_ev),
        Signal("spam.meta_keywords", round(math.log1p(len(kw)), 4), kw_ev),
        Signal("spam.term_lists", round(list_chars / total_chars, 4), tuple(list_ev)),
    )


#: A stuffed phrase makes at least this share of its paragraph's content words.
_STUFFED_MIN_SHARE = 0.2
#: ... and sits in at least this many of its sentences.
_STUFFED_MIN_SENTENCES = 3
#: In a hidden part, a phrase counts from this many occurrences (0.4 % of the shared honest pages
#: have one, with the share above; 40 % of simulated hidden-text pages).
_HIDDEN_STUFFED_MIN = 8
_MAX_STUFFED_BLOCKS = 400  # main-text paragraphs read for a stuffed phrase


def _block_tokens(page: Page, block: Block, limit: int) -> list[str]:
    """Content tokens of a main-text block's first ``limit`` characters; a block shorter than the
    limit is tokenized once per page, whichever signal asks first."""
    if len(block.text) > limit:
        return _text.content_tokens(block.text[:limit], page.lang)
    return _common.block_tokens(page, block)


def _top_pair(text: str, lang: str) -> tuple[tuple[str, str], int, float] | None:
    """The commonest two-word phrase of a text's content words: (words, times, share of words)."""
    return _top_token_pair(_text.content_tokens(text, lang))


def _top_token_pair(toks: list[str]) -> tuple[tuple[str, str], int, float] | None:
    if len(toks) < 8:
        return None
    pairs = Counter((a, c) for a, c in zip(toks, toks[1:], strict=False) if a != c)  # not "row row"
    if not pairs:
        return None
    pair, n = pairs.most_common(1)[0]
    return pair, n, 2 * n / len(toks)


def _stuffed_phrase(page: Page) -> Signal:
    best = 0
    best_ev: tuple[Evidence, ...] = ()
    for b in page.main[:_MAX_STUFFED_BLOCKS]:
        text = b.text[:5000]
        top = _top_token_pair(_block_tokens(page, b, 5000))
        if top is None or top[1] <= best or top[2] < _STUFFED_MIN_SHARE:
            continue
        (a, c), _, share = top
        # Stuffing repeats the phrase sentence after sentence; an enumeration ("1 times zoom, 2
        # times zoom...") or a listing of code or data repeats it inside one.
        in_sentences = 0
        for _, sent in _text.sentences(text):
            st = _text.content_tokens(sent, page.lang)
            in_sentences += any(x == a and y == c for x, y in zip(st, st[1:], strict=False))
        if in_sentences >= _STUFFED_MIN_SENTENCES and in_sentences > best:
            best = in_sentences
            best_ev = (Evidence("stuffed_phrase", f"{a} {c}", text[:300], score=round(share, 3)),)
    # Hidden keyword lists have no sentences ("plumber near me Rome plumber near me Phoenix..."):
    # there the phrase's own count is read, from more repeats on.
    for el in _hidden_elements(page):
        text = _hidden_text(page, el)
        if text.count(" ") * 30 < len(text) and sum(ch.isascii() for ch in text) * 2 > len(text):
            continue  # Latin identifiers run together ("Icon_Close_Functional_ColorIcon_Search..."), not words
        top = _top_pair(text, page.lang)
        if top is None or top[1] < _HIDDEN_STUFFED_MIN or top[1] <= best or top[2] < _STUFFED_MIN_SHARE:
            continue
        (a, c), best, share = top
        best_ev = (Evidence("hidden_stuffed_phrase", f"{a} {c}", text[:300], score=round(share, 3)),)
    return Signal("spam.stuffed_phrase", round(math.log1p(best), 4), best_ev)


_REFRESH_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)?\s*[;,]?\s*(?:url\s*=\s*)?['\"]?([^'\"\s]+)", re.I)
# Matched where "location" occurs in an inline script.
_JS_REDIRECT_RE = re.compile(
    r"location(?:\.href)?\s*=\s*['\"]((?:https?:)?//[^'\"]+)|location\.(?:replace|assign)\(\s*['\"]((?:https?:)?//[^'\"]+)"
)


def _home_domain(page: Page) -> str:
    """The page's own site: its URL or canonical, else the site most of its absolute links go to."""
    if page.own_domain:
        return page.own_domain
    doms = Counter(
        _text.registrable_domain(link.href) for link in page.links[:2000] if link.href.startswith(("http:", "https:"))
    )
    doms.pop("", None)
    if doms:
        dom, n = doms.most_common(1)[0]
        if n >= 3 and n >= 0.2 * sum(doms.values()):
            return dom
    return ""


def _redirect(page: Page) -> Signal:
    if page.root is None:
        return Signal("spam.redirect", 0.0)
    own = _home_domain(page)
    for meta in page.root.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        m = _REFRESH_RE.match(meta.get("content") or "")
        if not m:
            continue
        delay = float(m.group(1) or 0)
        target = m.group(2)
        dom = _external_domain(target, own) if own else _text.registrable_domain(target) if "//" in target else ""
        if dom and delay <= 5:
            return Signal(
                "spam.redirect", 1.0, (Evidence("meta_refresh", target[:200], f"after {delay:g} s", against=own),)
            )
    for script in page.root.iter("script"):
        code = script.text or ""
        # a redirect script is short and does little else; long scripts (site bundles, error
        # reporters, consent managers) assign location in handlers that rarely run on load
        if len(code) > _MAX_REDIRECT_SCRIPT:
            continue
        i = code.find("location")
        while i >= 0:
            m = _JS_REDIRECT_RE.match(code, i)
            i = code.find("location", i + 8)
            if m is None:
                continue
            target = m.group(1) or m.group(2)
            dom = _external_domain(target, own) if own else _text.registrable_domain("http:" + target.split(":", 1)[-1])
            if dom:
                return Signal(
                    "spam.redirect", 1.0, (Evidence("script_redirect", target[:200], m.group(0)[:200], against=own),)
                )
    return Signal("spam.redirect", 0.0)


def _link_farm(page: Page) -> Signal:
    """Most distinct other sites linked from one container of links (footer, sidebar, list)."""
    own = page.own_domain
    blocks = page.blocks
    by_parent: dict[Any, set[str]] = {}
    anchors: dict[Any, list[str]] = {}
    for link in page.links[:5000]:
        if not link.text.strip():
            continue  # an icon or badge ("Get Firefox", a processor maker's logo): no words to sell
        # through the site's own redirect ("/go?url=https://x.com/", "/r?to=x.com") or straight
        dom = _external_domain(link.href, own) or _redirect_target(link.href, own)
        if not dom or dom in _SOCIAL:
            continue
        b = blocks[link.block] if 0 <= link.block < len(blocks) else None
        if b is not None and not b.boiler and b.link_density < 0.5:
            continue  # a citation in running text ("according to a report by Statista"), not a link list
        if _names_its_site(link.text, dom) or _sister_domain(dom, own):
            continue  # sister sites: each link names its site ("Dicebreaker", "baon.hu"), or shares its name's start
        parent = link.el.getparent()
        # group by the container two levels up (li > ul, p > div), where link lists live
        holder = parent.getparent() if parent is not None and parent.tag in ("li", "p", "span", "dd", "td") else parent
        if holder is None:
            continue
        by_parent.setdefault(holder, set()).add(dom)
        anchors.setdefault(holder, []).append(f"{link.text[:40]} → {dom}")
    if not by_parent:
        return Signal("spam.link_farm_domains", 0.0)
    holder, doms = max(by_parent.items(), key=lambda kv: len(kv[1]))
    ev = (Evidence("link_farm_block", "; ".join(anchors[holder][:6]), f"{len(doms)} other sites in one block"),)
    return Signal("spam.link_farm_domains", round(math.log1p(len(doms)), 4), ev if len(doms) >= 3 else ())


_OPENING_QUOTES = ('"', "“", "„", "«", "»", "‘", "'", "「", "『", "‚")


_QUOTE_TAGS = frozenset({"blockquote", "q"})


def _in_quotation(el: Any, phrase: str) -> bool:
    """Whether a block's element is, or sits inside, a ``<blockquote>`` or ``<q>``, or quotes the
    phrase in a ``<q>`` of its own."""
    if el.tag in _QUOTE_TAGS or any(a.tag in _QUOTE_TAGS for a in el.iterancestors()):
        return True
    return any(phrase in text_of(q).lower() for q in el.iter("q"))


def _filler(page: Page) -> Signal:
    found: dict[str, str] = {}
    # every non-boilerplate block: the leftovers are often short lines that the main text skips
    blocks = [b for b in page.blocks if not b.boiler]
    text = "\n".join(b.text for b in blocks)[:200_000]
    starts: list[int] = []  # where each block's text begins in ``text``, found only on a match
    for m in _FILLER_RE.finditer(text.lower()):  # lower() keeps offsets for these scripts' text
        if text[max(0, m.start() - 3) : m.start()].rstrip().endswith(_OPENING_QUOTES):
            continue  # quoted: a page that writes about the phrase ("As an AI language model" in reviews...)
        if not starts:
            pos = 0
            for b in blocks:
                starts.append(pos)
                pos += len(b.text) + 1
        if _in_quotation(blocks[bisect.bisect_right(starts, m.start()) - 1].el, m.group(0)):
            continue  # a chatbot's reply shown as a quotation, in a review of the tool: a mention
        s = max(0, m.start() - 80)
        found.setdefault(m.group(0), text[s : m.end() + 80])
    ev = tuple(Evidence("chatbot_leftover", k, v) for k, v in list(found.items())[:5])
    return Signal("spam.machine_filler", float(len(found)), ev)


def _visible_main_text(page: Page) -> str:
    """The main text without the blocks inside hidden elements (an injected block in a post's
    body is hidden from readers but sits where the main text is)."""
    hidden = set(_hidden_elements(page))
    if not hidden:
        return page.main_text
    keep = [b.text for b in page.main if b.el not in hidden and not any(a in hidden for a in b.el.iterancestors())]
    return "\n".join(keep)


def _hacked(page: Page) -> Signal:
    main = page.main_text[:200_000]
    main_terms = spam_terms(main, set(_common.main_counts(page)))
    if len(main_terms) >= 4:
        # A page that discusses the subject at length (news on a casino licence) is not injected;
        # a hidden block of terms inside the post's body is not discussion.
        main = _visible_main_text(page)[:200_000]
        main_terms = spam_terms(main)
    if len(main_terms) >= 4:
        return Signal("spam.hacked_terms", 0.0)
    low_main = main.lower() if main_terms else ""  # lower-casing 200 KB only when a term is there
    discussed = {t for t, _ in main_terms if low_main.count(t) >= 3}
    places = [("title", page.title[:1000])]
    places += [(f"meta {k}", page.meta.get(k, "")[:2000]) for k in ("description", "keywords", "og:title")]
    places += [("hidden", readable_text(el, 3000)) for el in _hidden_elements(page)[:50]]
    places += [("link", " | ".join(link.text for link in page.links[:1000])[:15_000])]
    found: dict[str, Evidence] = {}
    for where, text in places:
        if not text:
            continue
        for term, i in spam_terms(text):
            if term in discussed or term in found:
                continue
            s = max(0, i - 60)
            found[term] = Evidence("spam_term", text[i : i + len(term)], text[s : i + len(term) + 60], against=where)
    return Signal("spam.hacked_terms", float(len(found)), tuple(list(found.values())[:6]))


def _cohesion(page: Page) -> Signal:
    paras = [set(_block_tokens(page, b, 1500)) for b in page.main[:60]]
    paras = [p for p in paras if len(p) >= 8]
    if len(paras) < 4:
        return Signal("spam.paragraph_cohesion", 1.0)
    seen: Counter[str] = Counter()
    for p in paras:
        seen.update(p)
    shares = [sum(1 for t in p if seen[t] > 1) / len(p) for p in paras]
    return Signal("spam.paragraph_cohesion", round(sum(shares) / len(shares), 4))


#: Lines a search-result listing may put between a result's headline and its snippet: the
#: displayed address ("www.example.com › guides › ..."), a date, a rating.
_RESULT_META_LINES = 2
_RESULT_META_WORDS = 12
#: A result's headline is a line that is mostly its link ...
_HEADLINE_LINK_SHARE = 0.6
#: ... or its link beside a displayed address and at most this many other words (a rank, "#3",
#: or a label, "Anzeige"): a card that writes title and address on one line. Only lines up to
#: :data:`_ADDRESS_LINE_CHARS` long are searched for an address.
_HEADLINE_OTHER_WORDS = 2
_ADDRESS_LINE_CHARS = 300


def _snippet_after(blocks: list[Block], k: int) -> tuple[Block | None, str, str]:
    """The snippet that follows a result's headline block ``k - 1`` (the next block without links
    of 10-80 words, after at most :data:`_RESULT_META_LINES` short lines without links), the site
    a short line before it, or the snippet's own start, displays as the result's address ("" if
    none), and the snippet's text without that address."""
    shown = ""
    for _ in range(_RESULT_META_LINES + 1):
        if not 0 <= k < len(blocks):
            return None, shown, ""
        b = blocks[k]
        if b.n_links:
            return None, shown, ""
        text = b.text.strip()
        words = len(text.split())
        if 10 <= words <= 80:
            if (m := _LEADING_ADDRESS_RE.match(text)) and (dom := _shown_domain(m.group(1) or m.group(2))):
                return b, shown or dom, text[m.end() :].lstrip(" ›»")
            return b, shown, text
        if words > _RESULT_META_WORDS:
            return None, shown, ""
        if not shown and (m := _SHOWN_ADDRESS_RE.match(text)):
            shown = _shown_domain(m.group(1))
        k += 1
    return None, shown, ""


def _headline(block: Block, anchor: str) -> tuple[bool, str]:
    """Whether a block is a result's headline for the link ``anchor`` (see
    :data:`_HEADLINE_OTHER_WORDS`), and the site an address beside the link displays ("" if none)."""
    if block.link_density >= _HEADLINE_LINK_SHARE:
        return True, ""
    if len(block.text) > _ADDRESS_LINE_CHARS:
        return False, ""
    rest = block.text.replace(anchor, " ", 1)
    m = _ADDRESS_RE.search(rest)
    if m is None or len((rest[: m.start()] + " " + rest[m.end() :]).split()) > _HEADLINE_OTHER_WORDS:
        return False, ""
    dom = _shown_domain(m.group(1))
    return bool(dom), dom


def _shown_domain(host: str) -> str:
    return _text.registrable_domain(host.lower())


#: A displayed result address: "www.example.com › guides", "https://example.co.uk/path", "example.org".
_SHOWN_ADDRESS_RE = re.compile(r"(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,24})(?=$|[\s/›»>:|·-])", re.IGNORECASE)
#: A host name as a result displays it, its labels in any script ("www.bücher.de"), and the
#: segments of a breadcrumb after it (" › guides › rust"; a segment never opens with an ellipsis,
#: which is the snippet's).
_HOST = r"((?:[^\W_][\w-]*\.)+[^\W\d_]{2,24})"
_CRUMBS = r"(?:\s*[›»]\s*(?![.…])[^\s›»]+)"
#: The same with its path: "www.example.com › guides › rust", "example.org/kfz/". It starts only
#: where a word starts, not inside an e-mail address or a longer token, which also keeps a search
#: through a line linear.
_ADDRESS_RE = re.compile(rf"(?<![\w.@/-])(?:https?://)?{_HOST}(?:/\S*)?{_CRUMBS}*", re.IGNORECASE)
#: An address that opens a snippet ("www.example.es › coche Compara más de 30..."): written with
#: "www." or a scheme, or followed by a path, so that a sentence opening with a site's name
#: ("Amazon.com said...") is not one.
_LEADING_ADDRESS_RE = re.compile(
    rf"(?:https?://|www\.){_HOST}(?:/\S*)?{_CRUMBS}*(?=\s)|{_HOST}(?:/\S+|{_CRUMBS}+)(?=\s)",
    re.IGNORECASE,
)
#: Query parameters an own-site redirect carries its destination in ("/go?url=", "/r?to=").
_REDIRECT_PARAMS = frozenset({"url", "u", "to", "dest", "destination", "target", "link", "out", "redirect", "r", "q"})


def _redirect_target(href: str, own: str) -> str:
    """The other site an own-site redirect link sends the reader to ("/go?url=https://x.com/..."),
    else ''."""
    if "?" not in href:
        return ""
    try:
        query = urlsplit(href).query
    except ValueError:  # "Invalid IPv6 URL": an unbalanced "[" in a broken href
        return ""
    for key, value in parse_qsl(query)[:20]:
        if key.lower() in _REDIRECT_PARAMS and "." in value:
            target = value if "//" in value else "http://" + value
            dom = _external_domain(target, own)
            if dom:
                return dom
    return ""


_ELLIPSES = ("...", "…")


def _snippets(page: Page) -> tuple[Signal, Signal]:
    own = page.own_domain
    blocks = page.blocks
    n = 0
    cut = 0
    ev: list[Evidence] = []
    cut_ev: list[Evidence] = []
    seen_doms: set[str] = set()
    for link in page.links[:3000]:
        if len(link.text.split()) < 3 and not _text.CJK_RE.search(link.text):
            continue
        if not 0 <= link.block < len(blocks):
            continue
        is_headline, beside = _headline(blocks[link.block], link.text)
        if not is_headline:
            continue  # a link inside a paragraph is a citation, not a result's headline
        dom = _external_domain(link.href, own)
        if dom in _SOCIAL:
            continue
        nxt, shown, text = _snippet_after(blocks, link.block + 1)
        if not dom:
            # A scraper links its results through its own redirect ("/r?to=example.com"); the
            # address the result displays (beside the headline, on a line under it, or opening the
            # snippet) still names the result's site. (Not a line above it: in a directory that
            # ends each entry with the site's address, that line is the previous entry's.)
            shown = beside or shown
            dom = _redirect_target(link.href, own) or (shown if shown and not _same_site(shown, own) else "")
            if not dom or dom in _SOCIAL or dom == own:
                continue
        if nxt is not None:
            n += 1
            if text.startswith(_ELLIPSES) or text.endswith(_ELLIPSES):
                cut += 1
                if len(cut_ev) < 4:
                    quoted = text if len(text) <= 140 else f"{text[:80]} ... {text[-60:]}"
                    cut_ev.append(Evidence("cut_snippet", quoted))
            seen_doms.add(dom)
            if len(ev) < 4:
                ev.append(Evidence("result_snippet", link.text[:120], nxt.text[:160], against=dom))
    if len(seen_doms) < 3:  # affiliate "check price" links to one shop are not a result list
        return Signal("spam.result_snippets", 0.0), Signal("spam.cut_snippets", 0.0)
    return (
        Signal("spam.result_snippets", round(math.log1p(len(seen_doms)), 4), tuple(ev)),
        Signal("spam.cut_snippets", round(cut / n, 4), tuple(cut_ev)),
    )


#: A template's shared part has at least this many words (one of them not a stop word), and it
#: counts from this many links. The changing slot is 1-3 words without digits, after a prefix of
#: up to 4 words and before a suffix of up to 3 ("Water Damage Restoration in | St. Petersburg |
#: , FL"); digits are left out so that lists of dates, sizes, models and counts are no template.
_TEMPLATE_MIN_SHARED = 2
_TEMPLATE_MIN_LINKS = 5
_TEMPLATE_MAX_WORDS = 8
_TEMPLATE_MAX_SLOT = 3
_TEMPLATE_MAX_PREFIX = 4
_TEMPLATE_MAX_SUFFIX = 3


def _templated(page: Page) -> Signal:
    """Links whose anchors are one template with one slot changed: a prefix and a suffix (either
    may be empty) around a slot of one to three words."""
    stop = _text.stopwords(page.lang) or _text.stopwords("en")
    groups: dict[tuple[str, str], dict[str, str]] = {}
    seen: set[str] = set()
    for link in page.links[:3000]:
        low = link.text.lower()
        if low in seen:
            continue  # the same anchor again (menus come twice) adds no template and no slot
        seen.add(low)
        toks = low.replace(",", " , ").split()
        n = len(toks)
        if not _TEMPLATE_MIN_SHARED + 1 <= n <= _TEMPLATE_MAX_WORDS:
            continue
        # Per word, once, as running counts (alpha[i]: words of letters among the first i; content:
        # of those, the ones that are no stop word; digit: words holding a digit).
        alpha, content, digit = [0], [0], [0]
        for t in toks:
            a = t.isalpha()
            alpha.append(alpha[-1] + a)
            content.append(content[-1] + (a and t not in stop))
            digit.append(digit[-1] + (not a and any(ch.isdigit() for ch in t)))
        prefixes = [" ".join(toks[:k]) for k in range(min(_TEMPLATE_MAX_PREFIX, n - 1) + 1)]
        suffixes = [" ".join(toks[n - m :]) for m in range(min(_TEMPLATE_MAX_SUFFIX, n - 1) + 1)]
        for k, prefix in enumerate(prefixes):
            for m in range(max(0, n - k - _TEMPLATE_MAX_SLOT), min(_TEMPLATE_MAX_SUFFIX, n - k - 1) + 1):
                if alpha[k] + alpha[n] - alpha[n - m] < _TEMPLATE_MIN_SHARED:
                    continue  # (the prefix is toks[:k], the suffix toks[n - m:], the slot between)
                if not (content[k] or content[n] - content[n - m]) or digit[n - m] - digit[k]:
                    continue
                slot = " ".join(toks[k : n - m])
                groups.setdefault((prefix, suffixes[m]), {}).setdefault(slot, link.text)
    if not groups:
        return Signal("spam.templated_anchors", 0.0)
    (prefix, suffix), slots = max(groups.items(), key=lambda kv: len(kv[1]))
    if len(slots) < _TEMPLATE_MIN_LINKS:
        return Signal("spam.templated_anchors", 0.0)
    anchors = "; ".join(list(slots.values())[:6])
    ev = Evidence("templated_anchors", anchors, f"{len(slots)} links: {prefix!r} + one slot + {suffix!r}")
    return Signal("spam.templated_anchors", round(math.log1p(len(slots)), 4), (ev,))


#: Two-word anchors sharing one word count from this many distinct other words.
_SIBLING_MIN_LINKS = 10


def _siblings(page: Page) -> Signal:
    """Two-word anchors that share one content word in the same place, the other word changing."""
    stop = _text.stopwords(page.lang) or _text.stopwords("en")
    word = _text.WORD_RE.fullmatch
    groups: dict[tuple[int, str], dict[str, str]] = {}
    for link in page.links[:3000]:
        toks = link.text.lower().split()
        if len(toks) != 2 or not (word(toks[0]) and word(toks[1])):
            continue
        for pos in (0, 1):
            shared, other = toks[pos], toks[1 - pos]
            if len(shared) >= 3 and shared not in stop and other != shared:
                groups.setdefault((pos, shared), {}).setdefault(other, link.text)
    if not groups:
        return Signal("spam.sibling_anchors", 0.0)
    (pos, shared), others = max(groups.items(), key=lambda kv: (len(kv[1]), kv[0]))
    if len(others) < _SIBLING_MIN_LINKS:
        return Signal("spam.sibling_anchors", 0.0)
    ev = Evidence(
        "sibling_anchors", "; ".join(list(others.values())[:6]), f"{len(others)} links: {shared!r} + one other word"
    )
    return Signal("spam.sibling_anchors", round(math.log1p(len(others)), 4), (ev,))


def extract(page: Page, res: Resources) -> list[Signal]:
    return [
        *_hidden(page),
        *_stuffing(page),
        _redirect(page),
        _link_farm(page),
        _filler(page),
        _hacked(page),
        _cohesion(page),
        *_snippets(page),
        _templated(page),
        _siblings(page),
        _stuffed_phrase(page),
    ]
