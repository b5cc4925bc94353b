"""Injected keywords: brand phrases pushed into sentences and titles of otherwise real text.

Signals (all ``injected.*``):

``glued_phrases``
    Words glued to the inserted phrase without a space: ``"Indexbit Exchangecrossing"`` (a
    capitalised head whose tail is a common lower-case word) or ``"areIndexbit"`` (a common word
    running into a capital). The whole token is unknown to the language's word list, and the
    phrase model (below) scores the glued phrase at or above :data:`GLUED_THRESHOLD`.
``repeated_phrases``
    Capitalised runs in mid-sentence, between two lower-case words with plain spaces around them
    (or after a function word opening the sentence: "The Indexbit Exchange decentralized..."; glued
    runs are first split back apart), are scored by the *phrase model*: a small
    classifier over :data:`CANDIDATE_FEATURES` (how much better the sentence reads without the
    run, per the bigram model of honest text; how rare its words are; whether they occur
    anywhere else on the page; whether it starts with a person's given name...), trained on
    phrases the simulator inserted against natural names in honest pages. German capitalises
    every noun, so common nouns come off the front of a run ("mehr Kontrolle Solna Growth und"
    -> "Solna Growth"), if they are no commoner in English (so "Network" and "Finance" stay in a
    brand, and so do "Team" or "Minister"); a run glued to the next word may open with a German
    common noun after any word ("150 Menschen Mitri Securitieswurden"). The signal counts
    phrases scored at or above :data:`PHRASE_THRESHOLD` in two or more sentences: a single
    natural name between lower-case words is too common in honest text (measured: it ruins the
    false-positive rate) to count on its own.
``phrase_score``
    The phrase model's highest probability for any single spaced candidate (0 without one): one
    insertion in one sentence, graded, for the model to weigh next to the other signals.
``glued_score``
    The same for glued candidates: a glued word below :data:`GLUED_THRESHOLD` still tells how
    close it came. Kept apart from ``phrase_score``: a glued seam is rare in honest text, a
    natural name between lower-case words is not, and the model weighs the two differently.
``title_affix_offtopic`` / ``title_affix_rarity``
    Title segments before or after the headline (and segments of the ``<h1>`` beside its headline
    that the title lacks: "Orvalis Patrimoine — la réforme..." over the copied title; only from an
    ``<h1>`` that repeats a word of the title's headline, not a masthead) that are
    not the site's own name, are written as a brand's name (letters only, no lower-case or
    function words, not one ordinary word: see ``_name_like``) and whose words never occur in the
    article except as that phrase ("Indexbit Exchange:White House says..."), nor in the site's
    header, menus or links to its own pages (a post's tag row or a link to a tag page does not
    count: farms tag the article with the brand; nor do side-list headlines it heads when most
    are about other things: farms promote the brand with posts of their own, "Ferovia Capital
    Review 2024: Scam or Legit?");
    rarity is 7 minus the rarest affix word's Zipf frequency (invented brand words are unknown;
    hyphenated words, names with a possessive and German compounds are read as their parts).
``title_affix_familiar``
    How familiar the most brand-like affix (the rarest) is as a phrase of honest text: the weakest
    association of two neighbouring words, log10 P(w2 | w1) - log10 P(w2) in the bigram model,
    0 at or below 0 (one word, an invented word, no affix). A newsletter's "Sneak Peek" and a
    how-to's "Step-by-Step Guide" read as phrases of the language; "Indexbit Exchange" and "Secure
    Horizon Growth" do not. Can only push a page towards honest.
``affix_in_body`` / ``affix_in_h1`` / ``affix_in_keywords``
    Where else such an off-topic affix recurs: inside the main text, in the ``<h1>``, in
    ``<meta name=keywords>``. ``affix_in_h1`` counts only title affixes the ``<h1>`` repeats:
    one read from the ``<h1>`` alone is there by definition.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from .. import _text
from .._lm import CAP, BigramLM
from .._page import HEADING_TAGS, Block, Page, text_of
from .._result import Evidence, Signal
from . import _common
from ._resources import Resources

NAMES = (
    "injected.glued_phrases",
    "injected.repeated_phrases",
    "injected.phrase_score",
    "injected.glued_score",
    "injected.title_affix_offtopic",
    "injected.title_affix_rarity",
    "injected.title_affix_familiar",
    "injected.affix_in_body",
    "injected.affix_in_h1",
    "injected.affix_in_keywords",
)

#: Every injected.* signal but the affix's familiarity can only push a page towards spam (a
#: monotonic constraint in training).
DIRECTION = {**dict.fromkeys(NAMES, 1), "injected.title_affix_familiar": -1}

#: A candidate phrase the phrase model gives at least this probability counts as injected.
PHRASE_THRESHOLD = 0.5
#: A glued word counts as a seam from this probability on. Product and family names that look
#: glued ("Descoware", "Santamarta") are the commonest false alarms of honest text: measured with
#: the 0.5.0 phrase model, 20 honest candidates reach 0.5 against 3 at 0.75, while 98 % and 95 %
#: of simulated glued brands do.
GLUED_THRESHOLD = 0.75
_MAX_SENTENCES = 600
_MAX_HEADING_BLOCKS = 2000  # blocks searched for headings that repeat a glued name
#: Candidates scored per page at most (the most on a shared honest page: 1,863, German).
_MAX_CANDIDATES = 5000
_MAX_RUN = 5
_MAX_TAGLINE_BLOCKS = 3000
_MAX_LINKS = 3000  # links read for the site's own brand and section pages

# A post's tag row ("Tags: Ferovia Capital, football"), its links to tag pages ("/tag/x/",
# rel=tag) and the containers that hold them ("post-tags", "td-tags"; not "tagline"). A farm tags
# its article with the brand it pushes, so a tag naming a title affix does not make it the site's.
_TAG_ROW_RE = re.compile(r"\s*(?:tags?|tagged(?: with)?|schlagw\w*|etiquetas?|tagi|étiquettes?)\s*:", re.I)
_TAG_HREF_RE = re.compile(r"/(?:tags?|tagged|schlagw\w*|etiquetas?|tagi)/", re.I)
_TAG_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:tags?|tagged|tagcloud|schlagw\w*|etiquetas?)(?:$|[\s_-])", re.I)
_TAG_ANCESTORS = 4
_BLOCK_LINKS = 50  # a block's links read for a tag, or for headlines the affix heads


#: A glue tail in a compounding language: seen at least this often in lower case mid-sentence in
#: honest text, and lower case at least nine times in ten ...
_TAIL_MIN_LOWER = 5
_TAIL_LOWER_SHARE = 0.9
#: ... and the ending of at most this many other words of the language (not "-innen", "-der").
_TAIL_MAX_ENDINGS = 60
#: A glued head in a compounding language must be a word of its own (Zipf, page language or English)
#: unless the tail is a lower-case word at least this long (compounds end in nouns, not in these).
_HEAD_MIN_ZIPF = 2.0
_LONG_TAIL = 6


def split_glued(token: str, lang: str, tails: frozenset[str] | None = None) -> tuple[int, str] | None:
    """Where a token looks like a capitalised phrase glued to the next word: (split offset,
    ``"head"``) or None.

    ``Exchangecrossing`` = capitalised head + common lower-case word (the longest such tail wins);
    ``Zeverzenthe`` = head + one of the language's 50 commonest words. The whole token must be
    unknown to the word lists of the page's language and of English. A head with capitals inside
    (``ViixviroSecurecrossing``) is split after its last capital.

    Languages that write compounds as one word (German: ``Backsteinhalle``) need ``tails``, the
    words honest text of the language writes in lower case (:func:`fit_glue_tails`): there the
    tail must be one of them (nouns are capitalised, so a noun tail means a compound) and the
    head a word of its own (``Securezusätzlich``); without ``tails`` nothing is split.

    A common word or an acronym before a two- or three-letter function word (``Investto``,
    ``AIfor``) is read by :func:`_split_short_tail`, the only rule for tokens of five to seven
    letters.
    """
    n = len(token)
    if n < 5 or not token[:1].isupper() or not token.isalpha():
        return None
    if n < 8:
        return _split_short_tail(token, lang)
    start = 0
    if not token[1:].islower():
        # camelCase is usually markup run together ("saidOpens") or code ("nodePorts"), not an
        # inserted brand; a capitalised head with inner capitals still ends in a glued tail.
        start = max(i for i, ch in enumerate(token) if ch.isupper())
        if n - start < 7 or not token[start + 1 :].islower():
            return None
        if max(_text.zipf(token[start:], lang), _text.zipf(token[start:], "en")) >= 3.0:
            return None  # two words run together by markup ("Side by SideChoosing a mouse")
    if _text.zipf(token, lang) > 0 or _text.zipf(token, "en") > 0:
        return None
    function_words = _text.stopwords(lang, 50)
    if lang in _text.COMPOUNDING:  # compounds are one word: the glue needs the language's tails
        if not tails:
            return None
        for k in range(start + 4, n - 2):  # longest tail first
            head, tail = token[start:k], token[k:]
            if len(tail) < 4 and tail not in function_words:
                continue  # short endings of names ("Beastall") are not worth the risk
            # A function word ends many compounds' spellings ("Studie") but is itself never a
            # compound's last part, so it is a tail whatever :func:`fit_glue_tails` counted.
            if tail not in tails and tail not in function_words:
                continue
            if max(_text.zipf(head, lang), _text.zipf(head, "en")) >= _HEAD_MIN_ZIPF:
                return k, "head"
            if (
                len(tail) >= _LONG_TAIL
                and k - start >= 5
                and tail in tails
                and not any(_text.zipf(token[m:], lang) >= 3.0 for m in range(start + 1, k))
            ):
                # An invented head ("Voseyerworben") with a long, plain tail, unless a longer end
                # of the token is a word: then it is a compound ("Fördermaßnahmen").
                return k, "head"
        return None
    for k in range(start + 4, n - 1):  # longest tail first
        tail = token[k:]
        if len(tail) >= 3 and tail in function_words and k - start >= 5:
            return k, "head"  # "Zeverzenthe": inserted right before a function word
        if len(tail) < 4 or _text.zipf(tail, lang) < 3.0:
            continue
        head = token[start:k]
        if max(_text.zipf(head, lang), _text.zipf(head, "en")) >= 2.0 or _text.zipf(tail, lang) >= 4.0:
            return k, "head"
    return _split_short_tail(token, lang)


_SHORT_TAIL_HEAD_ZIPF = 3.0
_MAX_ACRONYM = 5


def _split_short_tail(token: str, lang: str) -> tuple[int, str] | None:
    """The seam of a common word or an acronym glued to a short function word: ``Investto``,
    ``Cluband``, ``Viewof``, ``AIfor`` (a phrase ending in a word or an acronym, inserted right
    before "to", "and", "of", "for"). The whole token is unknown (checked here too: short
    tokens come straight here); the head must be a common word of the page's language or of
    English, or 2-5 capitals; the tail one of the language's 50 commonest words, two or three
    letters long. Tokens of eight letters or more try :func:`split_glued`'s main rule first."""
    n = len(token)
    if _text.zipf(token, lang) > 0 or _text.zipf(token, "en") > 0:
        return None
    function_words = _text.stopwords(lang, 50)
    for k in range(max(2, n - 3), n - 1):  # longest tail first
        head, tail = token[:k], token[k:]
        if tail not in function_words or not tail.islower():
            continue
        if len(tail) < 3 and lang in _text.COMPOUNDING:
            continue  # "-in", "-er" end nouns there ("Lehrerin")
        if head.isupper() and k <= _MAX_ACRONYM:
            return k, "head"
        if head[1:].islower() and max(_text.zipf(head, lang), _text.zipf(head, "en")) >= _SHORT_TAIL_HEAD_ZIPF:
            return k, "head"
    return None


def case_counts(page: Page) -> Counter[tuple[str, bool]]:
    """(lower-cased word, written in lower case?) counts of the words after the first of each
    sentence in a page's main text, for :func:`fit_glue_tails`; empty unless the page's language
    writes compounds as one word."""
    out: Counter[tuple[str, bool]] = Counter()
    if page.lang not in _text.COMPOUNDING:
        return out
    for block in page.main:
        for _, sent in _text.sentences(block.text):
            for w in _text.WORD_RE.findall(sent)[1:]:
                if w[0].islower():
                    out[(w, True)] += 1
                elif w[0].isupper():
                    out[(w.lower(), False)] += 1
    return out


def fit_glue_tails(pages: Iterable[tuple[str, Counter[tuple[str, bool]]]]) -> dict[str, frozenset[str]]:
    """The glue tails of each compounding language, from ``(language, case_counts(page))`` of
    honest pages: words mostly written in lower case (verbs, adjectives, function words; German
    capitalises nouns, so a compound never ends in one of these) that end few other words."""
    by_lang: dict[str, Counter[tuple[str, bool]]] = {}
    for lang, counts in pages:
        if counts:
            by_lang.setdefault(lang, Counter()).update(counts)
    out: dict[str, frozenset[str]] = {}
    for lang, counts in sorted(by_lang.items()):
        vocab = {w for w, _ in counts}
        endings: Counter[str] = Counter()
        for w in vocab:
            for k in range(3, len(w) - 2):
                endings[w[k:]] += 1
        out[lang] = frozenset(
            w
            for (w, lower), c in counts.items()
            if lower
            and len(w) >= 3
            and c >= _TAIL_MIN_LOWER
            and c >= _TAIL_LOWER_SHARE * (c + counts.get((w, False), 0))
            and endings[w] <= _TAIL_MAX_ENDINGS
        )
    return out


@dataclass(frozen=True, slots=True)
class Candidate:
    """A capitalised run in mid-sentence that might have been inserted, with its features."""

    phrase: str
    sentence: str
    span: tuple[int, int]
    glued: bool
    gain: float
    features: tuple[float, ...]  # in CANDIDATE_FEATURES order


#: Features of one candidate phrase, the input of the phrase model.
CANDIDATE_FEATURES = (
    "gain",  # log10 P(sentence without) - log10 P(sentence with), from the bigram model
    "logp_cap_after_prev",  # log10 P(<C> | previous word)
    "logp_next_after_cap",  # log10 P(next word | <C>)
    "logp_next_after_prev",  # log10 P(next word | previous word)
    "logp_next",  # log10 P(next word): with the two above, how much the neighbours belong together
    "logp_prev",  # log10 P(previous word)
    "n_words",
    "min_zipf",  # rarest word of the phrase (max over the page's language and English)
    "mean_zipf",
    "occurrences",  # times the phrase occurs in the main text
    "word_elsewhere",  # most occurrences of one of its words outside the phrase itself
    "in_title",  # one of its words is in the title or h1
    "prev_is_stop",
    "next_is_stop",
    "noun_capitalising",  # the page's language capitalises every noun (German)
    "glued",
    "inner_capital",  # a capital inside a word: "IndexBit"
    "position",  # where in the sentence, 0..1
    "name_marks",  # possessive, hyphen or digit inside the phrase ("Harry's", "Twitter-like")
    "mid_sentence_repeats",  # other sentences where the same phrase sits between lower-case words
    "given_name",  # its first word is a person's given name (a name list learnt at training time)
    "after_noun",  # a common noun of a noun-capitalising language was split off its front
)
_NOUN_CAPITALISING = frozenset({"de", "lb"})


def candidates(page: Page, res: Resources, *, countable_only: bool = False) -> list[Candidate]:
    """Every mid-sentence capitalised run between lower-case words in the main text.

    ``countable_only`` keeps just those that can count towards the page's signals (glued, or
    a phrase found in two or more sentences) and skips computing features for the rest.
    """
    out: list[Candidate] = []
    lang = page.lang
    lm = res.lm
    tails = (res.glue_tails or {}).get(lang)
    n_sent = 0
    raw: list[tuple[str, str, tuple[int, int], bool, tuple[str, str], bool]] = []
    for block in page.main:
        if n_sent >= _MAX_SENTENCES or len(raw) >= _MAX_CANDIDATES:
            break  # (splitting the remaining blocks into sentences cost most of a 10 MB page's time)
        for _, sent in _text.sentences(block.text):
            n_sent += 1
            if n_sent > _MAX_SENTENCES or len(raw) >= _MAX_CANDIDATES:
                break
            _scan_sentence(sent, lang, tails, raw)
    del raw[_MAX_CANDIDATES:]
    if not raw:
        return out
    text = page.main_text
    counts = _common.main_counts(page)
    title_words = {w.lower() for w in _text.words(page.title + " " + page.h1)}
    stop = _text.stopwords(lang)
    noun_caps = float(lang in _NOUN_CAPITALISING)
    repeats = Counter(phrase for phrase, *_ in raw)
    if countable_only:
        sentences_of: dict[str, set[str]] = {}
        for phrase, sent, *_ in raw:
            sentences_of.setdefault(phrase, set()).add(sent)
        raw = [r for r in raw if r[3] or len(sentences_of[r[0]]) >= 2]
    seen: dict[str, int] = {}
    headings: list[str] = []  # the title and headings, joined when a glued word first asks

    def count(sub: str) -> int:  # occurrences in the main text, each string counted once per page
        n = seen.get(sub)
        if n is None:
            n = seen[sub] = text.count(sub)
        return n

    def in_headings(sub: str) -> bool:
        if not headings:
            blocks = page.blocks[:_MAX_HEADING_BLOCKS]
            headings.append(" ".join([page.title, *(b.text[:300] for b in blocks if b.tag in HEADING_TAGS)]))
        return sub in headings[0]

    given = res.given_names or frozenset()
    for phrase, sent, span, glued, (prev_word, next_word), after_noun in raw:
        lmf = _lm_features(lm, prev_word, next_word)
        if glued and (count(_whole_token(sent, span)) != 1 or in_headings(_whole_token(sent, span))):
            # A glued word that recurs, in the text or a heading, is a name of its own
            # ("Gigabots", "Dolmenwood"), not a seam: an inserted phrase runs into whatever
            # word happened to follow it.
            glued = False
        words = _text.words(phrase)
        zipfs = [max(_text.zipf(w, lang), _text.zipf(w, "en")) for w in words] or [0.0]
        occ = count(phrase)
        lw = [w.lower() for w in words]
        elsewhere = max((counts.get(w, 0) - occ for w in lw), default=0)
        prev, nxt = _neighbours(sent, span)
        feats = (
            *lmf,
            float(len(words)),
            min(zipfs),
            sum(zipfs) / len(zipfs),
            float(occ),
            float(max(0, elsewhere)),
            float(any(w in title_words for w in lw)),
            float(prev.lower() in stop),
            float(nxt.lower().strip(".,;:!?") in stop),
            noun_caps,
            float(glued),
            float(any(c.isupper() for w in words for c in w[1:])),
            span[0] / max(1, len(sent)),
            float(any(ch in "'’-" or ch.isdigit() for ch in phrase)),
            float(repeats[phrase] - 1),
            float(bool(words) and words[0] in given),
            float(after_noun),
        )
        out.append(Candidate(phrase, sent, span, glued, lmf[0], feats))
    return out


def _neighbours(sent: str, span: tuple[int, int]) -> tuple[str, str]:
    """The whitespace-separated tokens right before and right after ``span`` ("" at either end),
    found without splitting the whole sentence (a 3 MB sentence holds thousands of candidates)."""
    end = span[0]
    while end > 0 and sent[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not sent[start - 1].isspace():
        start -= 1
    begin = span[1]
    n = len(sent)
    while begin < n and sent[begin].isspace():
        begin += 1
    stop = begin
    while stop < n and not sent[stop].isspace():
        stop += 1
    return sent[start:end], sent[begin:stop]


def _whole_token(sent: str, span: tuple[int, int]) -> str:
    """The whole whitespace-free token around a phrase glued to its neighbour."""
    s, t = span
    while s > 0 and sent[s - 1].isalpha():
        s -= 1
    while t < len(sent) and sent[t].isalpha():
        t += 1
    return sent[s:t]


_TRAIL = ".,;:!?\"'”’)]}»…"


_WORD_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# "I'll", "I’m": capitalised, but a pronoun, not the start of a name.
_I_CONTRACTION_RE = re.compile(r"I['’][a-z]")
#: A capitalised word this common in a noun-capitalising language is an ordinary noun.
_NOUN_MIN_ZIPF = 3.0
# A capital right after a space: a sentence without one has no candidate (cheap pre-filter).
_MID_CAPITAL_RE = re.compile(r" [A-Z\u00c0-\u00de\u0100-\u024f\u0386-\u03ab\u0400-\u042f]")


def _is_word(tok: str) -> bool:
    """Letters, with inner apostrophes or hyphens only: no punctuation at either end."""
    return _WORD_TOKEN_RE.fullmatch(tok) is not None


def _tokens(sent: str, lang: str, tails: frozenset[str] | None) -> list[tuple[str, int, int, bool]]:
    """Space-separated tokens (text, start, end, glued-to-previous); glued words split in two."""
    pieces = sent.split(" ")
    out: list[tuple[str, int, int, bool]] = []
    pos = 0
    for n, piece in enumerate(pieces):
        if piece:
            s, e = pos, pos + len(piece)
            core = piece.rstrip(_TRAIL)
            g = split_glued(core, lang, tails) if len(core) >= 5 and out and core.isalpha() else None
            if g is not None and g[1] == "head" and lang not in _NOUN_CAPITALISING:
                following = pieces[n + 1] if n + 1 < len(pieces) else ""
                if following[:1].isupper():
                    g = None  # a glued tail must be where the capitalised run ends (German: nouns follow)
            if g is not None:
                k = g[0]
                out.append((piece[:k], s, s + k, False))
                out.append((piece[k:], s + k, e, True))
            else:
                out.append((piece, s, e, False))
        pos += len(piece) + 1
    return out


def _scan_sentence(
    sent: str,
    lang: str,
    tails: frozenset[str] | None,
    out: list[tuple[str, str, tuple[int, int], bool, tuple[str, str], bool]],
) -> None:
    """Append the sentence's candidate runs to ``out`` as (phrase, sentence, span, glued,
    (previous word, next word) for the bigram model, split off a noun?)."""
    if _MID_CAPITAL_RE.search(sent) is None:
        return
    toks = _tokens(sent, lang, tails)
    n = len(toks)
    if n < 4:
        return

    def joined(a: int, b: int) -> bool:  # b follows a after exactly one space, or glued to it
        return toks[b][3] or toks[b][1] == toks[a][2] + 1

    def capital(k: int) -> bool:  # a capitalised word; "I'll", "I’m" are not names
        t = toks[k][0]
        return t[:1].isupper() and _is_word(t) and not _I_CONTRACTION_RE.match(t)

    def lowerish(t: str) -> bool:
        return t[:1].islower() or _I_CONTRACTION_RE.match(t) is not None

    noun_caps = lang in _NOUN_CAPITALISING
    stop = _text.stopwords(lang)

    def opening_function_word(t: str) -> bool:  # "The", "When", "Die", "Dass" opening the sentence
        return t[:1].isupper() and t.lower() in stop

    i = 1
    while i < n:
        if not capital(i):
            i += 1
            continue
        j = i + 1
        while j < n and capital(j) and joined(j - 1, j):
            j += 1
        prev = toks[i - 1][0]
        glued_end = j < n and toks[j][3]
        # A run glued to the next word may follow a comma ("said, Brandcrossing"); a spaced run
        # must sit between two plain lower-case words. The sentence's first word counts as one
        # when it is a function word: "The Indexbit Exchange decentralized nature..." reads like
        # "the ... decentralized" in mid-sentence. In German a glued run may also open with a
        # common noun after any word, which then comes off it ("150 Menschen Mitri
        # Securitieswurden"): the noun stands in for the lower-case word before the brand.
        prev_word = prev.rstrip(",;:") if glued_end else prev
        after_lower = (lowerish(prev) or (i == 1 and opening_function_word(prev))) and _is_word(prev_word)
        noun_led = noun_caps and glued_end and j - i >= 2 and _is_common_noun(toks[i][0], lang)
        ok = (
            j < n
            and j - i <= _MAX_RUN
            and (after_lower or noun_led)
            and joined(i - 1, i)
            and toks[j][0][:1].islower()
            and joined(j - 1, j)
            and not (j - i == 1 and len(toks[i][0]) < 2)  # "I", initials
        )
        if ok:
            start, after_noun = i, False
            if noun_caps:
                # German capitalises every noun, so an inserted brand merges with the noun before
                # it ("mit Leinsamen Solna Growth und"): common nouns come off the run's front.
                while j - start >= 2 and _is_common_noun(toks[start][0], lang):
                    start, after_noun = start + 1, True
            span = (toks[start][1], toks[j - 1][2])
            words = (CAP if after_noun else prev.lower(), toks[j][0].rstrip(_TRAIL).lower())
            glued = toks[start][3] or toks[j][3]
            out.append((sent[span[0] : span[1]], sent, span, glued, words, after_noun))
        i = j


def _is_common_noun(tok: str, lang: str) -> bool:
    """A capitalised word common enough to be a German noun, not a name (its last part if
    hyphenated), and no commoner in English: the English words farms name brands with
    ("Finance", "Research", "Network") stay in the run, as the brand's own; so do nouns both
    languages use, commoner in English ("Team", "Minister", "Bank")."""
    word = tok.rsplit("-", 1)[-1]
    z = _text.zipf(word, lang)
    return z >= _NOUN_MIN_ZIPF and z >= _text.zipf(word, "en")


def _lm_features(lm: BigramLM | None, prev: str, nxt: str) -> list[float]:
    """The bigram-model features of a run between ``prev`` and ``nxt`` (CANDIDATE_FEATURES[:6])."""
    if lm is None or not lm.is_fitted:
        return [0.0] * 6
    a, b, c = lm.logp(CAP, prev), lm.logp(nxt, CAP), lm.logp(nxt, prev)
    un, up = lm.logp_unigram(nxt), lm.logp_unigram(prev)
    return [round(c - a - b, 4), round(a, 4), round(b, 4), round(c, 4), round(un, 4), round(up, 4)]


def offtopic_affixes(page: Page) -> list[tuple[_common.TitleAffix, float]]:
    """Off-topic title affixes with their rarest word's Zipf frequency (computed once per page;
    the corpus pass's footprint reads the same list)."""
    cached = page.cache.get("offtopic_affixes")
    if cached is None:
        cached = page.cache["offtopic_affixes"] = _find_affixes(page)
    return cached


def _find_affixes(page: Page) -> list[tuple[_common.TitleAffix, float]]:
    headline, affixes = _common.title_split(page)
    affixes = affixes + _common.h1_affixes(page)  # (segments the title holds are not among them)
    if not affixes:
        return []
    counts = _common.main_counts(page)
    main = page.main_text
    long_tokens = [t for t in counts if len(t) >= 5]
    main_ids = {id(b) for b in page.main}
    own_links: set[str] | None = None  # texts of links to the site's own pages outside the text
    out = []
    for a in affixes:
        words = _text.words(a.text)
        if not words or len(words) > 6 or _common.is_site_identity(page, a.text):
            continue
        toks = _text.content_tokens(a.text, page.lang)
        if not toks:
            continue  # only stop words: "News", "Home"
        if not _name_like(a.text, page.lang):
            continue
        own = main.count(a.text)
        shared = [t for t in toks if counts.get(t, 0) > own]
        invented = any(
            t not in shared and not _text.CJK_RE.search(t) and _text.rarest_zipf(t, page.lang) < 1 for t in toks
        )
        if shared and not invented:
            # Its words are part of the article's vocabulary: the article's own subject or
            # section ("Spring Boot"). A brand with an invented word the text never uses keeps
            # its name whatever another word of it shares ("Kaaxonly Capital" on a page about
            # human capital).
            continue
        # Compounds sharing a stem with the article's words ("Abstandsregeln") belong to it; an
        # invented word beside ordinary ones ("Proraumze Partners") is a name whatever they share.
        stems = [t for t in toks if len(t) >= 6 and any(m in t or t in m for m in long_tokens)]
        if own == 0 and stems and not any(t not in stems and _text.zipf(t, page.lang) < 1 for t in toks):
            continue
        if _site_uses(page, a.text, headline, main_ids, toks, long_tokens):
            continue  # also in the page's header, menu or footer: the site's tagline or section
        if own_links is None:
            own_links = _own_site_links(page, main_ids)
        if a.text in own_links:
            continue  # a link to one of the site's own pages outside the text: its brand or section page
        out.append((a, _text.rarest_zipf(a.text, page.lang)))
    return out


#: Endings that inflect a noun in the languages that write compounds as one word ("Gesetz" /
#: "Gesetzes"); elsewhere a name run into a few more letters is a glued insertion ("Networka").
_INFLECTIONS = frozenset({"s", "e", "n", "es", "en", "er", "em", "ns", "ens", "ern"})


def _inflects(word: str, other: str, lang: str) -> bool:
    """Whether ``other`` is another form of ``word``: an inflection ("Messstellenbetriebsgesetzes")
    or a compound ending in it; not the word itself, nor the word run into the next one
    ("Tradeplantneue", "Corsolcoquanon")."""
    if other == word:
        return False
    if other.startswith(word):
        return lang in _text.COMPOUNDING and other[len(word) :] in _INFLECTIONS
    if word.startswith(other):
        return lang in _text.COMPOUNDING and word[len(other) :] in _INFLECTIONS
    return other.endswith(word)


def _own_site_links(page: Page, main_ids: set[int]) -> set[str]:
    """Texts of the links to the site's own pages outside the main text, but for tag pages."""
    own = page.site_domains
    out = set()
    for link in page.links[:_MAX_LINKS]:
        if 0 <= link.block < len(page.blocks) and id(page.blocks[link.block]) in main_ids:
            continue
        href = link.href
        if _is_tag_link(link.el):
            continue
        if (href.startswith("/") and not href.startswith("//")) or _text.registrable_domain(href) in own:
            out.add(link.text)
    return out


def _is_tag_link(el: Any) -> bool:
    return _TAG_HREF_RE.search(el.get("href") or "") is not None or "tag" in (el.get("rel") or "").lower()


def _tag_mention(block: Block, phrase: str) -> bool:
    """Whether a block names ``phrase`` as a tag: the block is a post's tag row (it starts "Tags:",
    or it or a near ancestor has a tag-list class or id), or the phrase is one of its tag links."""
    if _TAG_ROW_RE.match(block.text):
        return True
    el = block.el
    for k, node in enumerate((el, *el.iterancestors())):
        if k > _TAG_ANCESTORS:
            break
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        if _TAG_CLASS_RE.search(names):
            return True
    return any(phrase in text_of(a) and _is_tag_link(a) for a in itertools.islice(el.iter("a"), _BLOCK_LINKS))


#: Words after the affix that make a link's text another headline ("<affix>: <headline>") ...
_HEADLINE_MIN_WORDS = 3
#: ... and the topical weight such a headline shares with the article when it is on its subject.
_HEADLINE_RELATED = 0.5


def _site_uses(
    page: Page, phrase: str, headline: str, main_ids: set[int], toks: list[str], long_tokens: list[str]
) -> bool:
    """Whether the site itself names a title affix outside the article: as its name or section in
    the header, menu or footer, or as a series whose headlines are on the article's subject.

    Not as a tag (:func:`_tag_mention`), nor as the head of headlines mostly about other things:
    farms promote the brand they push with posts of their own in the side lists ("Ferovia
    Capital Review 2024: Scam or Legit?", "Grupo Veltrana: los 5 mejores depósitos"), while a
    series' name heads headlines on the article's own subject ("GNW: Xbox Price Hike…"). Where
    the article speaks of the affix in another form ("Messstellenbetriebsgesetzes"), headlines
    headed by it are the site's series on that subject, whatever their words."""
    inflected: bool | None = None
    heads = related = 0
    for b in page.blocks[:_MAX_TAGLINE_BLOCKS]:
        if id(b) in main_ids or phrase not in b.text or headline in b.text or b.tag == "h1":
            continue
        if _tag_mention(b, phrase):
            continue
        text = b.text
        for a in itertools.islice(b.el.iter("a"), _BLOCK_LINKS):
            link = text_of(a)
            rest = link[len(phrase) :]
            if not link.startswith(phrase) or len(_text.words(rest)) < _HEADLINE_MIN_WORDS:
                continue
            heads += 1
            tokens = _text.content_tokens(rest, page.lang)
            related += _common.relatedness(tokens, _common.main_counts(page), page.lang) >= _HEADLINE_RELATED
            text = text.replace(link, " ")
        if phrase in text:
            return True  # named on its own: the site's name, section or tagline
        if inflected is None:
            inflected = any(
                _inflects(t, m, page.lang)
                for t in toks
                if len(t) >= 6 and _text.zipf(t, page.lang) < 3
                for m in long_tokens
            )
        if inflected:
            return True
    return heads > 0 and 2 * related > heads


#: A one-word title part at least this common (Zipf, its rarest part) is a kicker, not a brand.
_KICKER_MIN_ZIPF = 2.5
#: A possessive of a word at least this common in English is a common noun's ("Editor's",
#: "Children's"), not a name's ("McDonald's" 3.8, "Claire's" 4.0 sit below).
_POSSESSIVE_NOUN_ZIPF = 4.1
_POSSESSIVE_RE = re.compile(r"['’]s$")
#: The characters besides letters a brand's name may hold.
_NAME_MARKS = frozenset(" -'’&.")


def _name_like(text: str, lang: str) -> bool:
    """Whether a title part can be a brand's name. Brands are written as names: of letters
    only (not "Part 1", "Reviews, Features, Pricing", "Free Shipping*", a question), without
    a word in lower case ("Ukraine war", "Fashionblog aus Köln") or a function word ("A Complete
    Guide", "Pair With Me"), and not as one ordinary word of the language, which is a kicker
    ("Wahlzensur:", "Exclusive:"); invented names ("Indexbit") have no Zipf frequency at all."""
    if any(not (ch.isalpha() or ch in _NAME_MARKS) for ch in text):
        return False
    function_words = _text.stopwords(lang, 50) | _text.stopwords("en", 50)
    for w in _text.words(text):
        if w.islower() or (w.lower() in function_words and not (w.isupper() and len(w) > 1)):  # "AI" is a name
            return False
        base = _POSSESSIVE_RE.sub("", w)
        if base != w and _text.zipf(base.lower(), "en") >= _POSSESSIVE_NOUN_ZIPF:
            return False  # a common noun's possessive is a column's kicker: "Editor's Letter"
    return not (len(text.split()) == 1 and _text.rarest_zipf(text, lang) >= _KICKER_MIN_ZIPF)


def phrase_probabilities(cands: list[Candidate], res: Resources) -> list[float]:
    """The phrase model's probability that each candidate was inserted (0 without a model)."""
    if not cands or res.phrase_model is None:
        return [0.0] * len(cands)
    X = np.array([c.features for c in cands], dtype=float)
    return [float(p) for p in res.phrase_model.predict_proba1(X)]


def scored_candidates(page: Page, res: Resources) -> tuple[list[Candidate], list[float]]:
    """Every candidate phrase with the phrase model's probability, computed once per page (the
    corpus pass's footprint reads the same list)."""
    cached = page.cache.get("scored_candidates")
    if cached is None:
        cands = candidates(page, res)
        cached = page.cache["scored_candidates"] = (cands, phrase_probabilities(cands, res))
    return cached


def extract(page: Page, res: Resources) -> list[Signal]:
    cands, probs = scored_candidates(page, res)
    scored = sorted(zip(probs, cands, strict=True), key=lambda t: -t[0])
    # A phrase the model finds inserted counts when it sits mid-sentence in two or more
    # sentences: one natural name between lower-case words is too common to count on its own.
    by_phrase: dict[str, list[tuple[float, Candidate]]] = {}
    for p, c in scored:
        if p >= PHRASE_THRESHOLD and not c.glued:
            by_phrase.setdefault(c.phrase, []).append((p, c))
    repeated = [
        Evidence("injected_mid_sentence", c.phrase, c.sentence, c.span, round(p, 3))
        for hits in by_phrase.values()
        if len({c.sentence for _, c in hits}) >= 2
        for p, c in hits
    ]
    n_repeated = sum(1 for hits in by_phrase.values() if len({c.sentence for _, c in hits}) >= 2)
    # A glued word counts when the phrase model finds it inserted too: honest text is full of
    # one-word product names that look glued ("Downdetector", "Sitebulb", "Packlink").
    glued = [
        Evidence("injected_glued_phrase", c.phrase, c.sentence, c.span, round(p, 3))
        for p, c in zip(probs, cands, strict=True)
        if c.glued and p >= GLUED_THRESHOLD
    ]
    # The single most likely spaced insertion: a graded signal for the model, which weighs it
    # against everything else (counted as a finding it would flag one honest page in ten).
    top = next(((p, c) for p, c in scored if not c.glued), None)
    top_ev = (
        (Evidence("injected_mid_sentence", top[1].phrase, top[1].sentence, top[1].span, round(top[0], 3)),)
        if top is not None and top[0] >= PHRASE_THRESHOLD
        else ()
    )
    top_glued = next(((p, c) for p, c in scored if c.glued), None)
    glued_ev = (
        (
            Evidence(
                "injected_glued_phrase",
                top_glued[1].phrase,
                top_glued[1].sentence,
                top_glued[1].span,
                round(top_glued[0], 3),
            ),
        )
        if top_glued is not None and top_glued[0] >= PHRASE_THRESHOLD
        else ()
    )
    affixes = offtopic_affixes(page)
    affix_ev = [
        Evidence("title_affix_offtopic", a.text, where, _find(where, a.text))
        for a, _ in affixes
        for where in [affix_context(page, a)]
    ]
    rarity = max((7.0 - z for _, z in affixes), default=0.0)
    rarest = min(affixes, key=lambda t: t[1], default=None)
    familiar = affix_familiarity(rarest[0].text, res.lm) if rarest is not None else 0.0
    in_body: list[Evidence] = []
    in_h1: list[Evidence] = []
    in_kw: list[Evidence] = []
    keywords = page.meta.get("keywords", "")
    from_title = set(_common.title_split(page)[1])  # (the others were read from the <h1>)
    for a, _ in affixes:
        for block in page.main:
            k = block.text.find(a.text)
            if k >= 0:
                in_body.append(Evidence("title_affix_in_body", a.text, block.text[:600], (k, k + len(a.text))))
        if page.h1 and a.text in page.h1 and a in from_title:
            in_h1.append(Evidence("title_affix_in_h1", a.text, page.h1, _find(page.h1, a.text)))
        if keywords and a.text.lower() in keywords.lower():
            in_kw.append(Evidence("title_affix_in_keywords", a.text, keywords[:300]))
    return [
        Signal("injected.glued_phrases", float(len(glued)), tuple(glued[:10])),
        Signal("injected.repeated_phrases", float(n_repeated), tuple(repeated[:10])),
        Signal("injected.phrase_score", round(top[0], 4) if top is not None else 0.0, top_ev),
        Signal("injected.glued_score", round(top_glued[0], 4) if top_glued is not None else 0.0, glued_ev),
        Signal("injected.title_affix_offtopic", float(len(affixes)), tuple(affix_ev)),
        Signal("injected.title_affix_rarity", round(rarity, 3), tuple(affix_ev[:1])),
        Signal(
            "injected.title_affix_familiar",
            familiar,
            (Evidence("title_affix_familiar", rarest[0].text, affix_context(page, rarest[0]), score=familiar),)
            if rarest is not None and familiar > 0
            else (),
        ),
        Signal("injected.affix_in_body", float(len(in_body)), tuple(in_body[:10])),
        Signal("injected.affix_in_h1", float(bool(in_h1)), tuple(in_h1)),
        Signal("injected.affix_in_keywords", float(bool(in_kw)), tuple(in_kw)),
    ]


def affix_context(page: Page, affix: _common.TitleAffix) -> str:
    """Where a title affix was read: the ``<title>``, or the ``<h1>`` for one read from it alone
    (by where it was read, not by its letters: an ``<h1>``-only "Zentrova Capital" under a title
    with "Zentrova Capitalist" is the ``<h1>``'s)."""
    return page.title if affix in _common.title_split(page)[1] else page.h1


def affix_familiarity(text: str, lm: BigramLM | None) -> float:
    """The weakest association of two neighbouring words of a title affix in honest running text,
    log10 P(w2 | w1) - log10 P(w2) per the bigram model; 0 when it is not positive, for one word,
    or without a model."""
    words = [w.lower() for w in _text.words(text)]
    if len(words) < 2 or lm is None or not lm.is_fitted:
        return 0.0
    weakest = min(lm.logp(b, a) - lm.logp_unigram(b) for a, b in pairwise(words))
    return round(max(0.0, weakest), 4)


def _find(text: str, sub: str) -> tuple[int, int] | None:
    k = text.find(sub)
    return (k, k + len(sub)) if k >= 0 else None
