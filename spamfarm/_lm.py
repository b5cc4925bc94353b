"""A small hashed bigram model of running text, trained on honest pages, used to spot phrases
that were pushed into the middle of a sentence.

Tokens are lower-cased words, except that a capitalised word in the middle of a sentence becomes
the class token ``<C>`` (names, brands, German nouns...). The model then knows, per language seen
in training, how usual ``"are <C>"`` and ``"<C> crossing"`` are compared with ``"are crossing"``:
an inserted brand makes both joins unusual while the sentence without it reads normally.
Counts live in two fixed-size numpy tables indexed by a stable CRC32 hash, so the model has a
fixed size whatever the corpus and needs no vocabulary.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable

import numpy as np

from . import _text

CAP = "<C>"
BOS = "<s>"
EOS = "</s>"
_UNI_BITS = 18
_BI_BITS = 21


def lm_tokens(sentence: str) -> list[tuple[str, int, int]]:
    """(class token, start, end) for each word of a sentence; capitalised non-initial words -> <C>."""
    out = []
    for i, m in enumerate(_text.WORD_RE.finditer(sentence)):
        w = m.group()
        out.append((CAP if i > 0 and w[0].isupper() else w.lower(), m.start(), m.end()))
    return out


def _h(word: str) -> int:
    return zlib.crc32(word.encode("utf-8", "surrogatepass"))


def _h2(a: str, b: str) -> int:
    return zlib.crc32(b.encode("utf-8", "surrogatepass"), zlib.crc32(a.encode("utf-8", "surrogatepass") + b"\0"))


class BigramLM:
    """Hashed bigram counts with interpolated smoothing. Fit with :meth:`fit`; query with :meth:`logp`.

    ``weight`` is the bigram estimate's share for a well-seen history; ``smoothing`` how many
    sightings of a history it takes to trust its bigrams halfway.
    """

    def __init__(self, *, weight: float = 0.7, smoothing: float = 4.0) -> None:
        self.weight = weight
        self.smoothing = smoothing
        self.unigrams_ = np.zeros(1 << _UNI_BITS, dtype=np.uint32)
        self.bigrams_ = np.zeros(1 << _BI_BITS, dtype=np.uint16)
        self.total_ = 0

    def fit(self, sentences: Iterable[str]) -> BigramLM:
        uni_idx: list[int] = []
        bi_idx: list[int] = []
        umask = (1 << _UNI_BITS) - 1
        bmask = (1 << _BI_BITS) - 1
        for s in sentences:
            toks = [BOS] + [t for t, _, _ in lm_tokens(s)] + [EOS]
            for t in toks:
                uni_idx.append(_h(t) & umask)
            for a, b in zip(toks, toks[1:], strict=False):
                bi_idx.append(_h2(a, b) & bmask)
        uni = np.bincount(np.asarray(uni_idx, dtype=np.int64), minlength=1 << _UNI_BITS)
        bi = np.bincount(np.asarray(bi_idx, dtype=np.int64), minlength=1 << _BI_BITS)
        self.unigrams_ = uni.astype(np.uint32)
        self.bigrams_ = np.minimum(bi, np.iinfo(np.uint16).max).astype(np.uint16)
        self.total_ = int(uni.sum())
        return self

    def _uni(self, w: str) -> int:
        return int(self.unigrams_[_h(w) & ((1 << _UNI_BITS) - 1)])

    def _bi(self, a: str, b: str) -> int:
        return int(self.bigrams_[_h2(a, b) & ((1 << _BI_BITS) - 1)])

    def logp(self, b: str, a: str) -> float:
        """log10 P(b | a): the bigram estimate interpolated (Jelinek-Mercer) with the unigram one.

        A hashed bigram count can be inflated by a collision, so it is capped by both words'
        own counts (a pair cannot be seen more often than either of its words).
        """
        n = max(1, self.total_)
        c_b = self._uni(b)
        p_uni = (c_b + 0.5) / (n + 0.5 * (1 << _UNI_BITS))
        c_a = self._uni(a)
        if c_a == 0:
            return math.log10(p_uni)
        c_ab = min(self._bi(a, b), c_a, c_b)
        lam = self.weight * c_a / (c_a + self.smoothing)
        return math.log10(lam * c_ab / c_a + (1.0 - lam) * p_uni)

    def logp_unigram(self, w: str) -> float:
        """log10 P(w)."""
        n = max(1, self.total_)
        return math.log10((self._uni(w) + 0.5) / (n + 0.5 * (1 << _UNI_BITS)))

    @property
    def is_fitted(self) -> bool:
        return self.total_ > 0
