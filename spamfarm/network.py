"""Corpus-level signals: what one farm page hides, a crawl of many pages shows.

A farm network pushes the same invented brand into hundreds of unrelated articles on dozens of
hosts, re-hosts one scraped story on many sites with other brands, names and dates, and serves
it all from one CMS template. No single page shows that; a batch does. The pass has three steps:

1. Per page, from the same parse as the page-level signals, a :class:`Footprint`: the host, every
   capitalised run inside a sentence with the phrase model's probability, the title's off-topic
   affixes, a few topic words, and MinHash signatures of the main text and of the layout.
2. Over the batch, a :class:`CorpusIndex` groups phrases by their text and bodies and layouts by
   LSH band (a band of the signature is a bucket key: pages sharing one are near-duplicates).
   Every aggregate is a count or a sum per key, so the same pass runs as group-bys in Spark.
   From the groups, per page, the :data:`CORPUS_FEATURES`: on how many other hosts its phrases
   sit inside sentences of articles on other topics, how many other hosts carry a copy of its
   body and which of its words the copies lack, how many hosts share its layout and how the
   pages there scored.
3. A second scoring pass, :class:`Stage`: a logistic regression over the page-level log-odds and
   those features (``models/corpus_stage.json``, trained on simulated crawls by
   ``python -m spamfarm.crawlsim``; see that module).

:func:`score_corpus` runs all three over any input :func:`spamfarm.score_many` takes and returns
the rescored rows and a :class:`CorpusReport` (candidate brands, copy clusters, shared layouts).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import lxml.etree
import numpy as np

from . import _page, _text
from ._result import Evidence, Signal

#: MinHash size, LSH bands and rows per band: 8 bands of 8 rows find pairs whose Jaccard
#: similarity is above ~0.77 (a pair at 0.9 shares a band with probability 0.99, at 0.5 with 0.03).
NUM_PERM = 64
BANDS = 8
ROWS = NUM_PERM // BANDS
SHINGLE = 5  # words per body shingle (characters for text without spaces)
_SEED = 20261122
#: How many candidate phrases a footprint keeps (in document order), and with a sentence.
MAX_PHRASES = 32
MAX_CONTEXTS = 4
CONTEXT_CHARS = 240
#: Topic words kept per page; groups larger than this are sampled for the topic measure.
TOPIC_WORDS = 10
MAX_GROUP_SAMPLE = 200
MAX_LAYOUT_ELEMENTS = 3000
#: Hosts remembered per LSH bucket (the rest are only counted).
MAX_BUCKET_HOSTS = 200

#: Every corpus signal a page gets (with evidence). None of them is the mere company a page
#: keeps: an honest article that farms scraped shares its text, phrases and (for in-place copies)
#: its layout with farm pages, so the signals look at what this page has that its copies lack,
#: or at pages that are not copies of this host's pages.
CORPUS_FEATURES = (
    "corpus.phrase_hosts",  # log1p(other hosts where the page's most shared phrase sits mid-sentence or in a title)
    "corpus.phrase_pages",  # log1p(other pages holding it)
    "corpus.phrase_cohesion",  # share of those pages on one topic (1: one story, or no shared phrase)
    "corpus.phrase_spread",  # phrase_hosts * (1 - phrase_cohesion): many hosts, unrelated articles
    "corpus.phrase_prob",  # the phrase model's probability that the phrase was inserted here
    "corpus.copy_hosts",  # log1p(other hosts carrying a near-copy of the main text)
    "corpus.copy_extra_phrases",  # phrases this copy added that most copies lack and other hosts carry (max 5)
    "corpus.copy_extra_title",  # share of this title's words (own site name aside) that no other copy's title has
    "corpus.layout_hosts",  # log1p(other hosts whose pages share this layout but copy none of this host's)
    "corpus.layout_flagged",  # mean page-level probability of those pages
)
#: The second stage's inputs: the page model's log-odds and the corpus signals that held up on
#: simulated crawls (see ``spamfarm.crawlsim``) and on the whole honest corpus taken as one crawl.
#: The others are reported as evidence only: near-copies alone are as common among honest
#: syndicated pages as among farms; host counts and topic cohesion apart let a phrase shared by
#: just two honest pages on different topics weigh like a brand (the product does not); and the
#: rest added nothing the phrase and layout signals did not already carry.
STAGE_INPUTS = (
    "page.log_odds",
    "corpus.phrase_spread",
    "corpus.layout_hosts",
    "corpus.layout_flagged",
)
_STAGE_COLUMNS = [CORPUS_FEATURES.index(n) for n in STAGE_INPUTS[1:]]
#: A phrase counts as extra in a copy only if the phrase model finds it this likely inserted
#: (the rest are names the copies lost by keeping fewer paragraphs).
EXTRA_PHRASE_PROB = 0.2
#: A layout counts as shared only with this many other hosts: one other host may be a farm that
#: copied this site's pages, layout and all, while the copied pages are not in the batch.
MIN_LAYOUT_HOSTS = 2
#: A phrase the phrase model finds less likely inserted than this is a name, whoever else uses it.
MIN_PHRASE_PROB = 0.05
#: A phrase shared across hosts counts only if the phrase model, averaged over the pages holding
#: it, finds it this likely inserted. Real names that many honest sites use mid-sentence
#: ("ChatGPT", "Angela Merkel") averaged 0.1-0.25 on the shared corpus with page model 0.1.0;
#: simulated network brands 0.7-0.99. With 0.4.0 "ChatGPT" averages 0.365 over its three pages,
#: and the gate of 0.35 let it push a travel blog post from 0.29 to 0.91; at 0.5 no honest page
#: rises by 0.1, for one simulated page less found in the dense crawl (benchmarks/corpus_signals.py).
MIN_GROUP_PHRASE_PROB = 0.5
#: Zipf frequency at which a title affix's rarest word stops counting as a possible brand.
AFFIX_ZIPF = 3.5
STAGE_FILE = "corpus_stage.json"

_PHRASE_RE = re.compile(r"\s+")
_NO_SPACE_LANGS = frozenset({"zh", "ja", "th", "ko", "lo", "km", "my"})


# --- step 1: a page's footprint ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Footprint:
    """What the corpus pass keeps of one page (about 1-2 KB): no HTML, no full text."""

    host: str
    title: str
    site_name: str
    date: str
    #: (normalised phrase, phrase-model probability, 0 mid-sentence / 1 title affix), document order.
    phrases: tuple[tuple[str, float, int], ...] = ()
    #: normalised phrase -> (phrase as written, the sentence or title it sits in), for the likeliest few.
    contexts: tuple[tuple[str, str, str], ...] = ()
    topic: tuple[str, ...] = ()
    title_words: tuple[str, ...] = ()
    text_sig: bytes = b""
    layout_sig: bytes = b""


def norm_phrase(phrase: str) -> str:
    return _PHRASE_RE.sub(" ", phrase).strip().casefold()


_PERMUTATIONS: Any = None


def _minhash(shingles: Iterable[bytes]) -> bytes:
    """A MinHash signature (``NUM_PERM`` uint32 values) as bytes; b"" for an empty set."""
    from datasketch import MinHash

    global _PERMUTATIONS
    items = list(shingles)
    if not items:
        return b""
    if _PERMUTATIONS is None:
        _PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=_SEED).permutations
    m = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_PERMUTATIONS, scheme="affine32")
    m.update_batch(items)
    return np.asarray(m.hashvalues, dtype="<u4").tobytes()


def body_shingles(text: str, lang: str) -> set[bytes]:
    """Word 5-grams of the lower-cased text (character 5-grams for scripts without spaces)."""
    if lang in _NO_SPACE_LANGS or _text.is_cjk(text):
        s = "".join(text.split()).casefold()
        grams = {s[i : i + SHINGLE] for i in range(max(0, len(s) - SHINGLE + 1))}
    else:
        w = [x.casefold() for x in _text.words(text)]
        grams = {" ".join(w[i : i + SHINGLE]) for i in range(max(0, len(w) - SHINGLE + 1))}
    return {g.encode("utf-8") for g in grams}


_DIGITS_RE = re.compile(r"\d+")


def layout_tokens(page: _page.Page) -> set[bytes]:
    """The page's structure without its words: ``parent.class>tag.class`` pairs (digits dropped)."""
    root = page.root
    if root is None:
        return set()
    out: set[bytes] = set()
    stack: list[str] = [""]  # names of the open elements; one walk builds each name once
    seen = 0
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            stack.pop()
            continue
        seen += 1
        if seen > MAX_LAYOUT_ELEMENTS:
            break
        tag = el.tag
        if not isinstance(tag, str):  # comments and processing instructions
            stack.append(stack[-1])
            continue
        cls = el.get("class")
        if cls:
            cls = " ".join(sorted(_DIGITS_RE.sub("", cls).split()))[:60]
        name = f"{tag}.{cls}" if cls else tag
        if tag not in _SKIP_LAYOUT:
            out.add(f"{stack[-1]}>{name}".encode())
        stack.append(name)
    return out


_SKIP_LAYOUT = frozenset({"html", "head", "meta", "link", "script", "style", "title"})


def footprint(page: _page.Page, resources: Any) -> Footprint:
    """The page's :class:`Footprint`, from the parse the page-level signals used."""
    from .signals import _common, injected

    cands, probs = injected.scored_candidates(page, resources)  # already computed by the page's signals
    # Only phrases that might have been inserted: a name the phrase model clears never counts,
    # and keeping every name would make the batch's phrase table most of its memory.
    best_prob: dict[str, float] = {}
    for p, c in zip(probs, cands, strict=True):
        key = norm_phrase(c.phrase)
        if 2 < len(key) <= 80 and p >= MIN_PHRASE_PROB and p > best_prob.get(key, -1.0):
            best_prob[key] = p
    phrases: list[tuple[str, float, int]] = []
    ctx: dict[str, tuple[float, str, str]] = {}
    for p, c in zip(probs, cands, strict=True):
        key = norm_phrase(c.phrase)
        if key not in best_prob:
            continue
        if key not in ctx:
            if len(phrases) >= MAX_PHRASES:
                continue
            phrases.append((key, round(best_prob[key], 3), 0))
        if p > ctx.get(key, (-1.0, "", ""))[0]:
            ctx[key] = (p, c.phrase, c.sentence[:CONTEXT_CHARS])
    for a, _ in injected.offtopic_affixes(page):
        # An off-topic title affix has no phrase-model probability; its rarest word stands in: an
        # invented brand's words are unknown (Zipf 0 -> 1.0), "Tips and Tricks" or "Page 3" are not.
        p_affix = round(min(1.0, max(0.0, (AFFIX_ZIPF - _text.rarest_zipf(a.text, page.lang)) / 2.5)), 3)
        key = norm_phrase(a.text)
        if 2 < len(key) <= 80 and key not in ctx and p_affix >= MIN_PHRASE_PROB:
            phrases.append((key, p_affix, 1))
            ctx[key] = (1.0 + p_affix, a.text, injected.affix_context(page, a)[:CONTEXT_CHARS])
    best = sorted(ctx.items(), key=lambda kv: -kv[1][0])[:MAX_CONTEXTS]
    counts = _common.main_counts(page)
    lang = page.lang
    frequent = [t for t, _ in counts.most_common(5 * TOPIC_WORDS)]
    topic = sorted(
        frequent,
        key=lambda t: (-counts[t] * (max(0.5, 7.0 - _text.zipf(t, lang)) if not _text.CJK_RE.match(t) else 3.0), t),
    )[:TOPIC_WORDS]
    host = _text.host_of(page.url) or page.own_domain
    host = sys.intern(host[4:] if host.startswith("www.") else host)
    # The title without the parts that name the page's own site: a copy on another site renames those.
    headline, affixes = _common.title_split(page)
    kept = [headline, *(a.text for a in affixes if not _common.is_site_identity(page, a.text))]
    own = {w.casefold() for w in _text.words(page.site_name + " " + host.replace(".", " "))}
    title_words = tuple(sorted({w.casefold() for w in _text.words(" ".join(kept)[:300])} - own))
    return Footprint(
        host=host,
        title=page.title[:300],
        site_name=page.site_name[:120],
        date=page.dates[0][:40] if page.dates else "",
        phrases=tuple(phrases),
        contexts=tuple((k, v[1], v[2]) for k, v in best),
        topic=tuple(topic),
        title_words=title_words,
        text_sig=_minhash(body_shingles(page.main_text[:200_000], lang)),
        layout_sig=_minhash(layout_tokens(page)),
    )


def band_keys(sig: bytes) -> list[int]:
    """One LSH bucket key per band of a signature (a 63-bit int; the band number is mixed in)."""
    if not sig:
        return []
    step = ROWS * 4
    return [
        int.from_bytes(hashlib.blake2b(bytes([b]) + sig[b * step : (b + 1) * step], digest_size=8).digest(), "little")
        >> 1
        for b in range(BANDS)
    ]


# --- step 2: the index over a batch -------------------------------------------------------------
#
# The per-page features are one pure function, :func:`page_features`, over small summaries of the
# groups a page sits in (:class:`PhraseGroup`, :class:`TextBucket`, :class:`LayoutShare`). The
# in-memory :class:`CorpusIndex` builds those summaries from its dicts; the Spark job
# (:mod:`spamfarm.spark`) builds the same summaries with group-bys and joins, and calls the same
# functions (:func:`phrase_group`, :func:`layout_share`, :func:`page_features`, :func:`brand_entry`).


@dataclass(frozen=True, slots=True)
class Member:
    """A page as a group or bucket lists it: its host and its reference (URL or id) for evidence."""

    host: str
    ref: str


@dataclass(frozen=True, slots=True)
class PhraseGroup:
    """What the features need of the pages holding one phrase (see :func:`phrase_group`)."""

    hosts: int  # distinct hosts (the first MAX_BUCKET_HOSTS to hold it, in input order)
    pages: int  # pages on those hosts
    cohesion: float  # topic cohesion of its first MAX_GROUP_SAMPLE pages
    mean_phrase_prob: float  # mean phrase-model probability over those pages
    mean_page_prob: float  # mean page-level probability over those pages
    sample: tuple[Member, ...]  # its first pages, as many as evidence needs (see _evidence_sample)


@dataclass(frozen=True, slots=True)
class TextBucket:
    """What the features need of the pages sharing one LSH band of the main text."""

    n: int  # pages
    hosts: int  # distinct hosts (the first MAX_BUCKET_HOSTS)
    sample: tuple[Member, ...]  # its first pages, as many as evidence needs
    phrases: Mapping[str, int]  # pages holding each phrase (only the asking page's phrases are read)
    title_words: Mapping[str, int]  # pages whose title holds each word (likewise)


@dataclass(frozen=True, slots=True)
class LayoutMember:
    """A page as a layout bucket lists it (its first MAX_GROUP_SAMPLE)."""

    host: str
    prob: float  # page-level probability
    copy_hosts: Container[str]  # hosts of the pages its text shares an LSH band with (capped per band)


@dataclass(frozen=True, slots=True)
class LayoutShare:
    """A layout bucket as one host sees it: the pages on other hosts that copy none of its pages."""

    hosts: int
    flagged: float  # their mean page-level probability
    shown: tuple[str, ...]  # their hosts, sorted, the first 8


def _evidence_sample(members: Sequence[Member], k: int = 5) -> tuple[Member, ...]:
    """The shortest prefix that holds ``k`` members off any one host: evidence names the first
    ``k`` members on hosts other than the asking page's, and those lie in it whatever that host."""
    counts: Counter[str] = Counter()
    top = 0
    for n, m in enumerate(members, 1):
        counts[m.host] += 1
        top = max(top, counts[m.host])
        if n - top >= k:
            return tuple(members[:n])
    return tuple(members)


def phrase_group(
    key: str, hosts: int, pages: int, sample: Sequence[tuple[Member, float, float, Sequence[str]]]
) -> PhraseGroup:
    """A phrase's :class:`PhraseGroup` from its host and page counts and its first
    ``MAX_GROUP_SAMPLE`` pages in input order: (member, phrase probability, page probability, topic words).

    The topic cohesion is the share of those pages whose topic words include the most common one
    (the phrase's own words aside).
    """
    sample = sample[:MAX_GROUP_SAMPLE]
    own = set(_text.content_tokens(key, "en")) | set(key.split())
    c: Counter[str] = Counter()
    for _, _, _, topic in sample:
        c.update(t for t in topic if t not in own)
    return PhraseGroup(
        hosts=hosts,
        pages=pages,
        cohesion=max(c.values(), default=0) / max(1, len(sample)),
        mean_phrase_prob=_mean([p for _, p, _, _ in sample]),
        mean_page_prob=_mean([p for _, _, p, _ in sample]),
        sample=_evidence_sample([m for m, _, _, _ in sample]),
    )


def layout_share(host: str, members: Sequence[LayoutMember]) -> LayoutShare | None:
    """Pages of a layout bucket's first members on other hosts than ``host`` whose text copies no
    page of ``host`` (an article scraped in place keeps its own site's layout, which says nothing
    against that site); None when there are none."""
    others = [m for m in members if m.host != host and host not in m.copy_hosts]
    shown = {m.host for m in others}
    if not shown:
        return None
    return LayoutShare(len(shown), _mean([m.prob for m in others]), tuple(sorted(shown)[:8]))


def brand_entry(key: str, g: PhraseGroup) -> dict[str, Any] | None:
    """The report's entry for a phrase on three hosts or more, if it looks like an injected brand."""
    if g.hosts < 3 or g.cohesion > 0.5 or g.mean_phrase_prob < MIN_GROUP_PHRASE_PROB:
        return None
    return {
        "phrase": key,
        "pages": g.pages,
        "hosts": g.hosts,
        "topic_cohesion": round(g.cohesion, 3),
        "mean_phrase_probability": round(g.mean_phrase_prob, 3),
        "mean_page_probability": round(g.mean_page_prob, 3),
        "examples": [m.ref for m in g.sample[:5]],
    }


def _brand_order(d: dict[str, Any]) -> tuple[Any, ...]:
    return (-d["hosts"], -d["pages"], d["phrase"])


def _cluster_order(d: dict[str, Any]) -> tuple[Any, ...]:
    return (-d["hosts"], -d["pages"], d["examples"])


@dataclass(frozen=True, slots=True)
class CorpusFeatures:
    """One page's corpus signals (values in :data:`CORPUS_FEATURES` order) and their evidence."""

    values: tuple[float, ...]
    signals: tuple[Signal, ...]


def page_features(
    fp: Footprint,
    host: str,
    phrases: Callable[[str], PhraseGroup | None],
    text_buckets: Sequence[tuple[TextBucket, bool] | None],
    layout_shares: Sequence[LayoutShare | None],
) -> CorpusFeatures:
    """One page's corpus signals from the summaries of the groups it sits in.

    ``host`` is the page's host (a page without one is a host of its own); ``phrases(key)`` the
    group of one of its phrases, None when the phrase is on one host only (only phrases the phrase
    model gives at least ``MIN_PHRASE_PROB`` are asked for); ``text_buckets`` and ``layout_shares`` follow the page's
    LSH bands in order: for each text band, its bucket and whether ``host`` is among the bucket's
    counted hosts (None for a bucket on one host only), and for each layout band what
    :func:`layout_share` gives for ``host``.
    """
    v = dict.fromkeys(CORPUS_FEATURES, 0.0)
    v["corpus.phrase_cohesion"] = 1.0
    sigs: dict[str, list[Evidence]] = defaultdict(list)
    contexts = {k: (text, where) for k, text, where in fp.contexts}

    # Phrases: the one shared with the most other hosts, weighed by how likely it was inserted
    # here and how unrelated the pages holding it are.
    best: tuple[float, str, float, PhraseGroup] | None = None
    for key, prob, _kind in fp.phrases:
        if prob < MIN_PHRASE_PROB:
            continue
        g = phrases(key)
        if g is None or g.hosts - 1 < 1 or g.mean_phrase_prob < MIN_GROUP_PHRASE_PROB:
            continue
        rank = math.log1p(g.hosts - 1) * (0.05 + prob) * (1.05 - g.cohesion)
        if best is None or rank > best[0]:
            best = (rank, key, prob, g)
    if best is not None:
        _, key, prob, g = best
        coh = g.cohesion
        n_other = g.pages - 1
        v["corpus.phrase_hosts"] = math.log1p(g.hosts - 1)
        v["corpus.phrase_pages"] = math.log1p(n_other)
        v["corpus.phrase_cohesion"] = round(coh, 4)
        v["corpus.phrase_spread"] = math.log1p(g.hosts - 1) * (1.0 - coh)
        v["corpus.phrase_prob"] = prob
        text, where = contexts.get(key, (key, ""))
        others = [m.ref for m in g.sample if m.host != host][:5]
        sigs["corpus.phrase_hosts"].append(
            Evidence(
                "phrase_shared_across_hosts",
                text,
                where,
                _span(where, text),
                round(prob, 3),
                f"also on {n_other} other pages across {g.hosts - 1} other hosts, "
                f"topic cohesion {coh:.2f}: " + ", ".join(others),
            )
        )

    # Copies of the main text on other hosts (the bucket with the most hosts).
    tb: tuple[TextBucket, int] | None = None
    for entry in text_buckets:
        if entry is None:
            continue
        b, counted = entry
        other = b.hosts - counted
        if other >= 1 and (tb is None or other > tb[1]):
            tb = (b, other)
    if tb is not None:
        b, other = tb
        v["corpus.copy_hosts"] = math.log1p(other)
        half = b.n / 2
        # What this copy added: likely-inserted phrases most copies lack that pages on other
        # hosts carry too (a network's brand). An original's own words that the copies
        # dropped are found nowhere else.
        extra = []
        for key, p, _ in fp.phrases:
            if p >= EXTRA_PHRASE_PROB and b.phrases.get(key, 0) <= half:
                g = phrases(key)
                if g is not None and g.hosts >= 2 and g.mean_phrase_prob >= MIN_GROUP_PHRASE_PROB:
                    extra.append(key)
        v["corpus.copy_extra_phrases"] = float(min(5, len(extra)))
        tw = [w for w in fp.title_words if b.title_words.get(w, 0) <= 1]
        v["corpus.copy_extra_title"] = round(len(tw) / max(1, len(fp.title_words)), 4)
        others = [m.ref for m in b.sample if m.host != host][:5]
        sigs["corpus.copy_hosts"].append(
            Evidence(
                "text_copied_across_hosts",
                fp.title[:200],
                "",
                None,
                None,
                f"near-copies of this text on {other} other hosts: " + ", ".join(others),
            )
        )
        for key in extra[:5]:
            text, where = contexts.get(key, (key, ""))
            sigs["corpus.copy_extra_phrases"].append(
                Evidence("phrase_missing_from_copies", text, where, _span(where, text), None, "the other copies")
            )
        if tw:
            sigs["corpus.copy_extra_title"].append(
                Evidence("title_words_missing_from_copies", " ".join(tw[:10]), fp.title[:200], None, None)
            )

    # Layout: the band with the most other hosts serving other pages with it (at least
    # MIN_LAYOUT_HOSTS of them).
    best_layout: LayoutShare | None = None
    for share in layout_shares:
        if (
            share is not None
            and share.hosts >= MIN_LAYOUT_HOSTS
            and (best_layout is None or share.hosts > best_layout.hosts)
        ):
            best_layout = share
    if best_layout is not None:
        v["corpus.layout_hosts"] = math.log1p(best_layout.hosts)
        v["corpus.layout_flagged"] = round(best_layout.flagged, 4)
        sigs["corpus.layout_hosts"].append(
            Evidence(
                "layout_shared_across_hosts",
                ", ".join(best_layout.shown),
                "",
                None,
                round(best_layout.flagged, 3),
                f"{best_layout.hosts} other hosts serve other pages with this layout",
            )
        )
    values = tuple(round(float(v[n]), 4) for n in CORPUS_FEATURES)
    out = tuple(Signal(n, val, tuple(sigs.get(n, ()))) for n, val in zip(CORPUS_FEATURES, values, strict=True))
    return CorpusFeatures(values, out)


@dataclass(slots=True)
class _Group:
    """Pages holding one phrase: counts per host, and the first pages (for topics and examples)."""

    hosts: Counter[str] = field(default_factory=Counter)
    pages: list[int] = field(default_factory=list)
    probs: list[float] = field(default_factory=list)  # the phrase's probability on each of those pages


@dataclass(slots=True)
class _Bucket:
    """Pages sharing one LSH band: counts per host, the first members, and (for bodies) how many
    members hold each phrase and title word."""

    n: int = 0
    hosts: Counter[str] = field(default_factory=Counter)
    members: list[int] = field(default_factory=list)
    phrases: Counter[str] = field(default_factory=Counter)
    title_words: Counter[str] = field(default_factory=Counter)


class _CopyHosts:
    """Whether page ``j``'s text shares an LSH band with a page on a host (``host in ...``)."""

    __slots__ = ("index", "j")

    def __init__(self, index: CorpusIndex, j: int) -> None:
        self.index, self.j = index, j

    def __contains__(self, host: object) -> bool:
        ix, j = self.index, self.j
        keys = ix._text_keys[j * BANDS : (j + 1) * BANDS]
        return isinstance(host, str) and any(k >= 0 and ix._bucket_has(ix._text, k, host) for k in keys)


class CorpusIndex:
    """Footprints of a batch, grouped by phrase and by LSH bucket. Add every page, then ask."""

    def __init__(self) -> None:
        self.footprints: list[Footprint | None] = []
        self.probs: list[float] = []
        self.refs: list[str] = []  # URL or id, for evidence
        self._phrases: dict[str, _Group] = {}
        self._text: dict[int, _Bucket | int] = {}
        self._layout: dict[int, _Bucket | int] = {}
        # Summaries of the groups as they stand (cleared by add).
        self._pg: dict[str, PhraseGroup | None] = {}
        self._tb: dict[int, TextBucket] = {}
        self._lm: dict[int, list[LayoutMember]] = {}
        self._text_keys = array("q")  # BANDS body bucket keys per page, -1 without a signature

    def __len__(self) -> int:
        return len(self.footprints)

    def add(self, fp: Footprint | None, probability: float | None, ref: str = "") -> int:
        """Add one page (``fp`` None for a page that could not be scored); returns its index."""
        i = len(self.footprints)
        if self._pg or self._tb or self._lm:
            self._pg.clear()
            self._tb.clear()
            self._lm.clear()
        if fp is not None:  # words recur across pages: one copy of each (footprints come pickled from workers)
            fp = replace(
                fp,
                host=sys.intern(fp.host),
                topic=tuple(sys.intern(t) for t in fp.topic),
                title_words=tuple(sys.intern(t) for t in fp.title_words),
            )
        self.footprints.append(fp)
        p = 0.0 if probability is None else float(probability)
        self.probs.append(p)
        self.refs.append(ref)
        if fp is None:
            self._text_keys.extend([-1] * BANDS)
            return i
        host = fp.host or f"?{i}"  # a page without a known host is a host of its own
        for key, prob, _ in fp.phrases:
            g = self._phrases.get(key)
            if g is None:
                g = self._phrases[key] = _Group()
            if len(g.pages) < MAX_GROUP_SAMPLE:
                g.pages.append(i)
                g.probs.append(prob)
            if host in g.hosts or len(g.hosts) < MAX_BUCKET_HOSTS:
                g.hosts[host] += 1
        text_keys = band_keys(fp.text_sig)
        self._text_keys.extend(text_keys or [-1] * BANDS)
        for table, keys, is_text in (
            (self._text, text_keys, True),
            (self._layout, band_keys(fp.layout_sig), False),
        ):
            for k in keys:
                b = table.get(k)
                if b is None:  # most buckets hold one page: keep just its number until a second comes
                    table[k] = i
                    continue
                if isinstance(b, int):
                    b = table[k] = self._new_bucket(b, is_text)
                self._put(b, i, is_text)
        return i

    def _put(self, b: _Bucket, i: int, is_text: bool) -> None:
        fp = self._fp(i)
        host = self._host(i)
        b.n += 1
        if host in b.hosts or len(b.hosts) < MAX_BUCKET_HOSTS:
            b.hosts[host] += 1
        if len(b.members) < MAX_GROUP_SAMPLE:
            b.members.append(i)
        if is_text:
            b.phrases.update({key for key, _, _ in fp.phrases})
            b.title_words.update(fp.title_words)

    def _new_bucket(self, j: int, is_text: bool) -> _Bucket:
        b = _Bucket()
        self._put(b, j, is_text)
        return b

    def _bucket(self, table: dict[int, _Bucket | int], k: int) -> _Bucket:
        """The bucket under key ``k`` (a one-page bucket is built on the fly)."""
        b = table[k]
        return self._new_bucket(b, table is self._text) if isinstance(b, int) else b

    def _bucket_has(self, table: dict[int, _Bucket | int], k: int, host: str) -> bool:
        b = table[k]
        return self._host(b) == host if isinstance(b, int) else host in b.hosts

    def _bucket_hosts(self, table: dict[int, _Bucket | int], k: int) -> int:
        b = table[k]
        return 1 if isinstance(b, int) else len(b.hosts)

    # --- the summaries page_features reads ---------------------------------------------------
    def _phrase_group(self, key: str) -> PhraseGroup | None:
        """The phrase's group summary; None when it is on one host only."""
        if key in self._pg:
            return self._pg[key]
        g = self._phrases[key]
        pg = None
        if len(g.hosts) >= 2:
            sample = [
                (Member(self._host(j), self.refs[j]), p, self.probs[j], self._fp(j).topic)
                for j, p in zip(g.pages, g.probs, strict=True)
            ]
            pg = phrase_group(key, len(g.hosts), sum(g.hosts.values()), sample)
        self._pg[key] = pg
        return pg

    def _text_bucket(self, k: int) -> TextBucket:
        tb = self._tb.get(k)
        if tb is None:
            b = self._bucket(self._text, k)
            sample = _evidence_sample([Member(self._host(j), self.refs[j]) for j in b.members])
            tb = self._tb[k] = TextBucket(b.n, len(b.hosts), sample, b.phrases, b.title_words)
        return tb

    def _layout_members(self, k: int) -> list[LayoutMember]:
        lm = self._lm.get(k)
        if lm is None:
            lm = self._lm[k] = [
                LayoutMember(self._host(j), self.probs[j], _CopyHosts(self, j))
                for j in self._bucket(self._layout, k).members
            ]
        return lm

    def features(self, i: int) -> CorpusFeatures:
        """Page ``i``'s corpus signals, with evidence naming the other pages and hosts."""
        fp = self.footprints[i]
        if fp is None:
            return CorpusFeatures(tuple(0.0 for _ in CORPUS_FEATURES), ())
        host = self._host(i)
        text = [(self._text_bucket(k), self._bucket_has(self._text, k, host)) for k in band_keys(fp.text_sig)]
        layout = [layout_share(host, self._layout_members(k)) for k in band_keys(fp.layout_sig)]
        return page_features(fp, host, self._phrase_group, text, layout)

    def _host(self, j: int) -> str:
        fp = self.footprints[j]
        return (fp.host if fp is not None else "") or f"?{j}"

    def matrix(self) -> np.ndarray:
        """Every page's corpus feature values, one row per page added."""
        return np.array([self.features(i).values for i in range(len(self))], dtype=float).reshape(
            len(self), len(CORPUS_FEATURES)
        )

    # --- the report ------------------------------------------------------------------------
    def report(self, final: Sequence[float | None] | None = None, *, top: int = 20) -> CorpusReport:
        """Candidate injected brands, copy clusters and shared layouts, largest first."""
        brands: list[dict[str, Any]] = []
        for key, g in self._phrases.items():
            if len(g.hosts) < 3:
                continue
            pg = self._phrase_group(key)
            entry = brand_entry(key, pg) if pg is not None else None
            if entry is not None:
                brands.append(entry)
        brands.sort(key=_brand_order)
        return CorpusReport(
            pages=len(self),
            brands=tuple(brands[:top]),
            copies=tuple(self._clusters(self._text, 2, final)[:top]),
            layouts=tuple(self._clusters(self._layout, 3, final)[:top]),
        )

    def _fp(self, j: int) -> Footprint:
        fp = self.footprints[j]
        assert fp is not None
        return fp

    def _clusters(
        self, table: dict[int, _Bucket | int], min_hosts: int, final: Sequence[float | None] | None
    ) -> list[dict[str, Any]]:
        """Pages joined by shared buckets (union-find over buckets with several hosts)."""
        parent: dict[int, int] = {}

        def find(x: int) -> int:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        members: dict[int, set[int]] = {}
        sig_of = "text_sig" if table is self._text else "layout_sig"
        for i, fp in enumerate(self.footprints):
            if fp is None:
                continue
            keys = [k for k in band_keys(getattr(fp, sig_of)) if self._bucket_hosts(table, k) >= 2]
            if not keys:
                continue
            for k in keys[1:]:
                ra, rb = find(keys[0]), find(k)
                if ra != rb:
                    parent[rb] = ra
            members.setdefault(keys[0], set()).add(i)
        groups: dict[int, list[int]] = defaultdict(list)
        for k, held in members.items():
            groups[find(k)].extend(held)
        out: list[dict[str, Any]] = []
        for group in groups.values():
            pages = sorted(group)
            hosts = {self._host(j) for j in pages}
            if len(hosts) < min_hosts:
                continue
            probs = [final[j] if final is not None else self.probs[j] for j in pages]
            fps = [self._fp(j) for j in pages]
            out.append(
                {
                    "pages": len(pages),
                    "hosts": len(hosts),
                    "mean_probability": round(_mean([p for p in probs if p is not None]), 3),
                    "titles": sorted({f.title for f in fps})[:5],
                    "distinct_titles": len({f.title for f in fps}),
                    "site_names": sorted({f.site_name for f in fps if f.site_name})[:5],
                    "dates": sorted({f.date for f in fps if f.date})[:5],
                    "examples": [self.refs[j] for j in pages[:5]],
                }
            )
        out.sort(key=_cluster_order)
        return out


def _span(context: str, text: str) -> tuple[int, int] | None:
    k = context.find(text) if context and text else -1
    return (k, k + len(text)) if k >= 0 else None


def _mean(xs: Sequence[float]) -> float:
    return float(sum(xs) / len(xs)) if xs else 0.0


@dataclass(frozen=True, slots=True)
class CorpusReport:
    """What the corpus pass found in a batch: JSON-ready dicts, largest groups first."""

    pages: int
    brands: tuple[dict[str, Any], ...]
    copies: tuple[dict[str, Any], ...]
    layouts: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "brands": list(self.brands),
            "copies": list(self.copies),
            "layouts": list(self.layouts),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def summary(self, n: int = 10) -> str:
        """A readable summary of the report."""
        lines = [f"corpus signals over {self.pages} pages"]
        lines.append(f"candidate injected brands ({len(self.brands)}):")
        for d in self.brands[:n]:
            lines.append(
                f"  {d['phrase']!r}: {d['pages']} pages on {d['hosts']} hosts, topic cohesion "
                f"{d['topic_cohesion']:.2f}, mean page probability {d['mean_page_probability']:.2f}"
            )
        lines.append(f"near-copies re-hosted across hosts ({len(self.copies)} clusters):")
        for d in self.copies[:n]:
            lines.append(
                f"  {d['pages']} pages on {d['hosts']} hosts, {d['distinct_titles']} titles, mean probability "
                f"{d['mean_probability']:.2f}: {d['titles'][0][:80]!r}"
            )
        lines.append(f"layouts shared across hosts ({len(self.layouts)}):")
        for d in self.layouts[:n]:
            lines.append(
                f"  {d['pages']} pages on {d['hosts']} hosts, mean probability {d['mean_probability']:.2f}, "
                f"e.g. {', '.join(str(x) for x in d['examples'][:3])}"
            )
        return "\n".join(lines)


# --- step 3: the second stage ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stage:
    """A logistic regression over :data:`STAGE_INPUTS`, stored as plain JSON (no pickle)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    card: dict[str, Any]

    def predict(self, page_probability: np.ndarray, corpus: np.ndarray) -> np.ndarray:
        """Final probabilities from page-level probabilities and corpus rows (:data:`CORPUS_FEATURES` order)."""
        z = self.terms(page_probability, corpus).sum(axis=1) + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))

    def terms(self, page_probability: np.ndarray, corpus: np.ndarray) -> np.ndarray:
        """Each input's term of the log-odds, one column per :data:`STAGE_INPUTS` entry."""
        corpus = np.asarray(corpus, dtype=float).reshape(-1, len(CORPUS_FEATURES))
        X = np.column_stack([log_odds(page_probability), corpus[:, _STAGE_COLUMNS]])
        return (X - self.mean) / self.scale * self.coef

    def to_json(self) -> str:
        return json.dumps(
            {
                "inputs": list(STAGE_INPUTS),
                "mean": [round(float(x), 8) for x in self.mean],
                "scale": [round(float(x), 8) for x in self.scale],
                "coef": [round(float(x), 8) for x in self.coef],
                "intercept": round(float(self.intercept), 8),
                "card": self.card,
            },
            indent=2,
            ensure_ascii=False,
        )


def log_odds(p: np.ndarray) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=float), 1e-4, 1 - 1e-4)
    return np.log(q / (1 - q))


def load_stage(path: str | Path | None = None) -> Stage:
    """The second-stage model: the shipped ``corpus_stage.json`` unless ``path`` names another."""
    from ._errors import ModelLoadError
    from ._model import shipped_model_dir

    file = Path(path) if path is not None else shipped_model_dir() / STAGE_FILE
    try:
        d = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelLoadError(
            f"cannot read the corpus stage {file}: {e}; rebuild it with `python -m spamfarm.crawlsim`"
        ) from e
    if tuple(d.get("inputs", ())) != STAGE_INPUTS:
        raise ModelLoadError(
            f"the corpus stage {file} was trained on other inputs than this code computes; "
            "rebuild it with `python -m spamfarm.crawlsim`"
        )
    return Stage(
        np.asarray(d["mean"], dtype=float),
        np.asarray(d["scale"], dtype=float),
        np.asarray(d["coef"], dtype=float),
        float(d["intercept"]),
        dict(d.get("card", {})),
    )


_stage_default: Stage | None = None


def default_stage() -> Stage:
    """The shipped second stage, read on first use and kept."""
    global _stage_default
    if _stage_default is None:
        _stage_default = load_stage()
    return _stage_default


# --- the whole pass ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusScores:
    """The rows of a batch rescored with corpus signals, in input order, and what the pass found."""

    results: list[Any]  # list[spamfarm.Result]
    report: CorpusReport


def score_corpus(
    pages: Iterable[Any],
    *,
    n_jobs: int = 1,
    threshold: float = 0.5,
    explain: bool = False,
    model: Any = None,
    max_chars: int | None = None,
    stage: Stage | None = None,
    on_row: Any = None,
) -> CorpusScores:
    """Score a batch twice: page by page, then again with what the whole batch shows.

    Takes everything :func:`spamfarm.score_many` takes. The first pass streams (``on_row``, when
    given, is called with each first-pass row, e.g. to advance a progress bar); the second needs
    every page's :class:`Footprint`, so the rows come back together at the end, each with
    ``page_probability`` (the first pass) and ``corpus`` (the corpus signals and their evidence).
    Memory grows with the batch by about the size of a footprint per page; for more pages than
    fit, run the Spark job (:mod:`spamfarm.spark`).
    """
    from .batch import score_many

    st = stage or default_stage()  # fail before scoring anything if it cannot load
    index = CorpusIndex()
    rows = []
    for r in score_many(
        pages, n_jobs=n_jobs, threshold=threshold, explain=explain, model=model, max_chars=max_chars, footprints=True
    ):
        index.add(r.footprint, r.probability, r.url or r.id)
        rows.append(replace(r, footprint=None))
        if on_row is not None:
            on_row(r)
    results = rescore(rows, index, st, threshold)
    return CorpusScores(results, index.report([r.probability for r in results]))


#: Corpus feature values of a page with no corpus evidence (what contributions are measured from).
NEUTRAL = tuple(1.0 if n == "corpus.phrase_cohesion" else 0.0 for n in CORPUS_FEATURES)


def rescore(rows: Sequence[Any], index: CorpusIndex, stage: Stage, threshold: float = 0.5) -> list[Any]:
    """Second pass: each scored row's final probability from its page probability and corpus signals.

    ``rows[i]`` must be the page added to ``index`` as number ``i``. Rows with an error stay as
    they are. Corpus signals that raised the probability lead the row's ``top_signals``.
    """
    if len(rows) != len(index):
        raise ValueError(f"{len(rows)} rows for an index of {len(index)} pages")
    return rescore_rows(
        rows, [index.features(i) if r.probability is not None else None for i, r in enumerate(rows)], stage, threshold
    )


def rescore_rows(
    rows: Sequence[Any], features: Sequence[CorpusFeatures | None], stage: Stage, threshold: float = 0.5
) -> list[Any]:
    """:func:`rescore` with each row's corpus features given (``features[i]`` for ``rows[i]``;
    ignored for rows with an error), wherever they were computed (the Spark job computes them
    on its executors)."""
    out = list(rows)
    ok = [i for i, r in enumerate(rows) if r.probability is not None]
    if not ok:
        return out
    none = CorpusFeatures(tuple(0.0 for _ in CORPUS_FEATURES), ())
    feats = [features[i] or none for i in ok]
    X = np.array([f.values for f in feats], dtype=float)
    p_page = np.array([rows[i].probability for i in ok], dtype=float)
    final = stage.predict(p_page, X)
    # What each corpus input added to the log-odds, against a page with no corpus evidence.
    z = stage.terms(p_page, X)[:, 1:] - stage.terms(np.array([0.5]), np.array([NEUTRAL]))[:, 1:]
    for k, i in enumerate(ok):
        r = rows[i]
        p = float(final[k])
        pushed = [STAGE_INPUTS[1 + j] for j in np.argsort(-z[k]) if z[k, j] > 0.1]
        out[i] = replace(
            r,
            probability=p,
            verdict="spam" if p >= threshold else "ok",
            page_probability=r.probability,
            corpus=tuple(s for s in feats[k].signals if s.value != NEUTRAL[CORPUS_FEATURES.index(s.name)]),
            top_signals=tuple(pushed[:3]) + tuple(r.top_signals),
        )
    return out
