"""General quality: how much of the page is real running text, and how natural that text is.

Signals (all ``quality.*``):

``main_words``       log(1 + words of main text); CJK characters count as half a word.
``main_text_share``  share of the page's text that is main text (the rest is menus, lists, footers).
``link_density``     share of the page's text that sits inside links.
``stopword_ratio``   share of main-text words that are the language's commonest words (wordfreq's
                     top list for that language; function characters for Chinese and Japanese).
                     Word salad and keyword lists have few. Text in an unknown language is
                     judged by the page's declared language; neutral when that is unknown too.
``repetition``       share of text blocks (30+ characters) that repeat another block verbatim.
``title_density``    share of main-text words that are words of the title's headline (keyword
                     stuffing repeats them).
"""

from __future__ import annotations

import math
from collections import Counter

from .. import _text
from .._page import Page
from .._result import Evidence, Signal
from . import _common
from ._resources import Resources

NAMES = (
    "quality.main_words",
    "quality.main_text_share",
    "quality.link_density",
    "quality.stopword_ratio",
    "quality.repetition",
    "quality.title_density",
)

#: Quality signals may push either way (honest listing pages are link-dense too).
DIRECTION: dict[str, int] = {}

# Function characters of Chinese and Japanese text, standing in for stop words.
CJK_FUNCTION_CHARS = frozenset(
    "的了是在不和有这我人也就都而及与着或个之其为以于上中对のにはをたがでてとしもなかれるいう"
)
NEUTRAL_STOPWORD_RATIO = 0.4


def _stopword_ratio(page: Page, text: str) -> float:
    if _text.is_cjk(text):
        chars = _text.CJK_RE.findall(text)
        if not chars:
            return NEUTRAL_STOPWORD_RATIO
        # Function characters are rarer per character than stop words per word; scale to match.
        return min(1.0, 2.5 * sum(1 for c in chars if c in CJK_FUNCTION_CHARS) / len(chars))
    # Text in no language we know: judge it by the language the page declares, if we know that one.
    lang = page.lang if page.lang in _text.LANGUAGES else page.declared_lang.split("-")[0]
    stop = _text.stopwords(lang)
    words = _common.main_words(page)  # (``text`` is the main text's first MAIN_WORD_CHARS characters)
    if not stop or len(words) < 20:
        return NEUTRAL_STOPWORD_RATIO
    return sum(1 for w in words if w in stop) / len(words)


def extract(page: Page, res: Resources) -> list[Signal]:
    main_text = page.main_text[: _common.MAIN_WORD_CHARS]
    if _text.is_cjk(main_text):
        n_words = len(_text.CJK_RE.findall(main_text)) / 2 + len(_text.words(_text.CJK_RE.sub(" ", main_text)))
    else:
        n_words = len(main_text.split())
    total_chars = sum(len(b.text) for b in page.blocks) or 1
    link_chars = sum(b.link_chars for b in page.blocks)
    main_chars = sum(len(b.text) for b in page.main)

    long_blocks = [b.text for b in page.blocks if len(b.text) >= 30]
    counts = Counter(long_blocks)
    repeated = [t for t, c in counts.items() if c >= 2]
    repetition = sum(counts[t] for t in repeated) / len(long_blocks) if long_blocks else 0.0

    headline, _ = _common.title_split(page)
    title_toks = set(_text.content_tokens(headline, page.lang))
    main_counts = _common.main_counts(page)
    n_tok = sum(main_counts.values())
    density = sum(main_counts[t] for t in title_toks) / n_tok if n_tok >= 20 else 0.0

    return [
        Signal("quality.main_words", round(math.log1p(n_words), 4)),
        Signal("quality.main_text_share", round(main_chars / total_chars, 4)),
        Signal("quality.link_density", round(link_chars / total_chars, 4)),
        Signal("quality.stopword_ratio", round(_stopword_ratio(page, main_text), 4)),
        Signal(
            "quality.repetition",
            round(repetition, 4),
            tuple(Evidence("repeated_block", t[:200], f"{counts[t]} times") for t in repeated[:3]),
        ),
        Signal("quality.title_density", round(density, 4)),
    ]
