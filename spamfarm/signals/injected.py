"""Injected keywords: brand phrases pushed into sentences and titles of otherwise real text.

Signals (all ``injected.*``):

``glued_phrases``
    Words glued to the inserted phrase without a space: ``"Indexbit Exchangecrossing"`` (a
    capitalised head whose tail is a common lower-case word) or ``"areIndexbit"`` (a common word
    running into a capital). The whole token is unknown to the language's word list.
``insertion_max`` / ``insertion_count``
    Capitalised runs in mid-sentence, between two lower-case words with plain spaces around them,
    scored by how much better the sentence reads with the run removed (log10 ratio from the
    bigram model of honest text; glued runs are first split back apart). ``insertion_count``
    counts runs above :data:`GAIN_THRESHOLD`.
``title_affix_offtopic`` / ``title_affix_rarity``
    Title segments before or after the headline that are not the site's own name and whose words
    never occur in the article except as that phrase ("Indexbit Exchange:White House says...");
    rarity is 7 minus the commonest affix word's Zipf frequency (invented brands are rare).
``affix_in_body`` / ``affix_in_h1`` / ``affix_in_keywords``
    Where else such an off-topic affix recurs: inside the main text, in the ``<h1>``, in
    ``<meta name=keywords>``.
"""

from __future__ import annotations

from .._page import Page
from .._result import Evidence, Signal
from .. import _text
from .._lm import CAP, BigramLM, lm_tokens
from . import _common

NAMES = (
    "injected.glued_phrases",
    "injected.insertion_max",
    "injected.insertion_count",
    "injected.title_affix_offtopic",
    "injected.title_affix_rarity",
    "injected.affix_in_body",
    "injected.affix_in_h1",
    "injected.affix_in_keywords",
)

#: An insertion candidate above this gain (sentence 10^x times likelier without it) counts.
GAIN_THRESHOLD = 2.0
_MAX_SENTENCES = 600
_MAX_RUN = 5
# Languages that write compounds as one word: a glue there must end in one of the language's
# commonest words to count.
_COMPOUNDING = frozenset({"de", "nl", "sv", "da", "no", "fi", "hu", "is", "af"})


def split_glued(token: str, lang: str) -> tuple[int, str] | None:
    """Where a token looks like two words glued together: (split offset, kind) or None.

    kind ``"head"``: ``Exchangecrossing`` = capitalised head + common lower-case word (the longest
    such tail wins). kind ``"tail"``: ``areIndexbit`` = common lower-case word + capitalised tail.
    The whole token must be unknown to the word lists of the page's language and of English.
    """
    n = len(token)
    if n < 7 or _text.zipf(token, lang) > 0 or _text.zipf(token, "en") > 0:
        return None
    if token[0].isupper() and token[1:].islower():
        compounding = lang in _COMPOUNDING
        for k in range(3, n - 3):  # longest tail first
            tail = token[k:]
            if _text.zipf(tail, lang) < 3.0:
                continue
            if compounding and tail not in _text.stopwords(lang):
                continue
            head = token[:k]
            if max(_text.zipf(head, lang), _text.zipf(head, "en")) >= 2.0 or _text.zipf(tail, lang) >= 4.0:
                return k, "head"
        return None
    for k in range(3, n - 2):
        if token[k].isupper() and token[k - 1].islower():
            head = token[:k]
            if head.islower() and _text.zipf(head, lang) >= 3.0 and token[k + 1 :].islower():
                return k, "tail"
            return None
    return None


def _candidates(page: Page, lm: BigramLM | None) -> tuple[list[Evidence], list[Evidence]]:
    """(glued evidence, insertion evidence) over the main text's sentences."""
    glued: list[Evidence] = []
    inserted: list[Evidence] = []
    lang = page.lang
    n_sent = 0
    for block in page.main:
        for _, sent in _text.sentences(block.text):
            n_sent += 1
            if n_sent > _MAX_SENTENCES:
                return glued, inserted
            _scan_sentence(sent, lang, lm, glued, inserted)
    return glued, inserted


def _scan_sentence(
    sent: str, lang: str, lm: BigramLM | None, glued: list[Evidence], inserted: list[Evidence]
) -> None:
    toks = lm_tokens(sent)
    if len(toks) < 4:
        return
    classes = [t for t, _, _ in toks]
    starts = [s for _, s, _ in toks]
    ends = [e for _, _, e in toks]
    # Split glued tokens back into two tokens so the model sees the sentence as it was written.
    glue_at: set[int] = set()
    i = 0
    while i < len(classes):
        s, e = starts[i], ends[i]
        word = sent[s:e]
        g = split_glued(word, lang) if len(word) >= 7 and i > 0 else None
        if g is not None and g[1] == "head" and i + 1 < len(classes) and classes[i + 1] == CAP:
            g = None  # a glued tail must be where the capitalised run ends
        if g is not None:
            k, kind = g
            if kind == "head":  # "Exchange|crossing": head stays <C>, tail is a word
                classes[i : i + 1] = [CAP, word[k:].lower()]
            else:  # "are|Indexbit"
                classes[i : i + 1] = [word[:k].lower(), CAP]
            starts[i : i + 1] = [s, s + k]
            ends[i : i + 1] = [s + k, e]
            glue_at.add(i + 1 if kind == "head" else i)  # index of the token after the glue
            i += 2
            continue
        i += 1
    n = len(classes)
    i = 1
    while i < n:
        if classes[i] != CAP:
            i += 1
            continue
        j = i
        while j < n and classes[j] == CAP:
            j += 1
        run_len = j - i
        if classes[i - 1] != CAP and j < n and run_len <= _MAX_RUN:
            gap_before = sent[ends[i - 1] : starts[i]]
            gap_after = sent[ends[j - 1] : starts[j]]
            is_glued = (j in glue_at) or (i in glue_at)
            plain = gap_before.strip() == "" and gap_after.strip() == ""
            if plain and (gap_before or i in glue_at) and (gap_after or j in glue_at):
                phrase = sent[starts[i] : ends[j - 1]]
                gain = lm.insertion_gain(classes, i, j) if lm is not None and lm.is_fitted else 0.0
                span = (starts[i], ends[j - 1])
                if is_glued:
                    glued.append(Evidence("injected_glued_phrase", phrase, sent, span, round(gain, 3)))
                if gain >= GAIN_THRESHOLD or is_glued:
                    inserted.append(Evidence("injected_mid_sentence", phrase, sent, span, round(gain, 3)))
                elif gain > 0:
                    inserted.append(Evidence("weak_mid_sentence", phrase, sent, span, round(gain, 3)))
        i = j


def _affixes(page: Page) -> list[tuple[_common.TitleAffix, float]]:
    """Off-topic title affixes with their commonest word's Zipf frequency."""
    _, affixes = _common.title_split(page)
    if not affixes:
        return []
    counts = _common.main_counts(page)
    main = page.main_text
    out = []
    for a in affixes:
        words = _text.words(a.text)
        if not words or len(words) > 6 or _common.is_site_identity(page, a.text):
            continue
        toks = _text.content_tokens(a.text, page.lang)
        if not toks:
            continue  # only stop words: "News", "Home"
        own = main.count(a.text)
        if any(counts.get(t, 0) > own for t in toks):
            continue  # its words are part of the article's vocabulary
        common = max(_text.zipf(w, page.lang) for w in words)
        out.append((a, common))
    return out


def extract(page: Page, lm: BigramLM | None) -> list[Signal]:
    glued, inserted = _candidates(page, lm)
    strong = [e for e in inserted if e.reason == "injected_mid_sentence"]
    gains = [e.score or 0.0 for e in inserted]
    affixes = _affixes(page)
    affix_ev = [Evidence("title_affix_offtopic", a.text, page.title, _find(page.title, a.text)) for a, _ in affixes]
    rarity = max((7.0 - z for _, z in affixes), default=0.0)
    in_body: list[Evidence] = []
    in_h1: list[Evidence] = []
    in_kw: list[Evidence] = []
    keywords = page.meta.get("keywords", "")
    for a, _ in affixes:
        for block in page.main:
            k = block.text.find(a.text)
            if k >= 0:
                in_body.append(Evidence("title_affix_in_body", a.text, block.text[:600], (k, k + len(a.text))))
        if page.h1 and a.text in page.h1:
            in_h1.append(Evidence("title_affix_in_h1", a.text, page.h1, _find(page.h1, a.text)))
        if keywords and a.text.lower() in keywords.lower():
            in_kw.append(Evidence("title_affix_in_keywords", a.text, keywords[:300]))
    strong.sort(key=lambda e: -(e.score or 0.0))
    return [
        Signal("injected.glued_phrases", float(len(glued)), tuple(glued[:10])),
        Signal("injected.insertion_max", round(max(gains, default=0.0), 4), tuple(strong[:1])),
        Signal("injected.insertion_count", float(len(strong)), tuple(strong[:10])),
        Signal("injected.title_affix_offtopic", float(len(affixes)), tuple(affix_ev)),
        Signal("injected.title_affix_rarity", round(rarity, 3), tuple(affix_ev[:1])),
        Signal("injected.affix_in_body", float(len(in_body)), tuple(in_body[:10])),
        Signal("injected.affix_in_h1", float(bool(in_h1)), tuple(in_h1)),
        Signal("injected.affix_in_keywords", float(bool(in_kw)), tuple(in_kw)),
    ]


def _find(text: str, sub: str) -> tuple[int, int] | None:
    k = text.find(sub)
    return (k, k + len(sub)) if k >= 0 else None
