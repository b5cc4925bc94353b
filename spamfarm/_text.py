"""Text helpers shared by every signal: tokens, sentences, language, word frequencies, site identity.

Everything here is pure and cached; regexes and word lists are compiled once at import.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

import wordfreq

# Words: letters (any script) with inner apostrophes/hyphens; digits are separate tokens.
WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", re.UNICODE)
# Scripts written without spaces between words: Han, Hiragana, Katakana, Thai, Hangul syllables.
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\uac00-\ud7af]")
#: A sentence's end: . ! ? (or their full-width forms), then the gap to the next sentence (closing
#: quotes or brackets and white space before a letter: group ``gap``; after CJK punctuation no gap
#: is needed, an empty ``cjk_gap``); not after an initial or a title ("J.", "Dr."). The pattern
#: opens with the punctuation mark, so the engine skips to the next one instead of looking behind
#: at every character (half the time on the shared pages' blocks; the same sentences).
SENTENCE_END_RE = re.compile(
    r"[.!?。！？](?:(?<!\b[A-Z]\.)(?<!Mr\.)(?<!Ms\.)(?<!Dr\.)(?<!St\.)(?<!Jr\.)(?<!Mrs\.)"
    r"(?P<gap>[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[^\W\d_]))|(?<=[。！？])(?P<cjk_gap>))"
)
YEAR_RE = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")

# Languages whose frequency lists we consult (wordfreq ships them); others fall back to English
# for rarity and to "unknown" for stop words.
LANGUAGES = ("en", "de", "es", "fr", "pl", "pt", "it", "nl", "cs", "sv", "ru", "tr", "id", "fi", "hu", "ro")
_N_STOPWORDS = 120


def stopwords(lang: str, n: int = _N_STOPWORDS) -> frozenset[str]:
    """The language's ``n`` most frequent words (wordfreq's top list): a language-aware stop list."""
    if lang not in LANGUAGES:  # checked before the cache: ``lang`` may come from the page
        return frozenset()
    return _stopwords(lang, n)


@functools.cache
def _stopwords(lang: str, n: int) -> frozenset[str]:
    words = frozenset(wordfreq.top_n_list(lang, n))
    _drop_wordfreq_lists()
    return words


def _freq_dict(lang: str) -> dict[str, float]:
    # Map before the cache, so a page's made-up language codes never become cache keys.
    return _freq_dict_of(lang if lang in LANGUAGES else "en")


@functools.cache
def _freq_dict_of(lang: str) -> dict[str, float]:
    freqs = wordfreq.get_frequency_dict(lang, wordlist="best")
    _drop_wordfreq_lists()
    return freqs


def _drop_wordfreq_lists() -> None:
    """wordfreq keeps every full word list it has read (~30 MB a language); we keep only what we
    derived from them, so a process that meets 16 languages stays hundreds of MB smaller."""
    clear = getattr(wordfreq.get_frequency_list, "cache_clear", None)
    if clear is not None:
        clear()


def zipf(word: str, lang: str = "en") -> float:
    """Zipf frequency (0 = unseen, 7 = 'the') of one lower-cased word, by direct lookup."""
    f = _freq_dict(lang).get(word.casefold())  # wordfreq casefolds its keys: "Straße" -> "strasse"
    if not f:
        return 0.0
    return max(0.0, math.log10(f) + 9.0)


#: Languages that write compounds as one word ("Backsteinhalle").
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "no", "fi", "hu", "is", "af"})
_PARTS_RE = re.compile(r"[^\W\d_]{2,}")
_PART_MIN_ZIPF = 2.5


def word_zipf(word: str, lang: str) -> float:
    """Zipf frequency of a word in the page's language or English, whichever is higher; in a
    compounding language an unknown or rare word made of two known ones ("Wahl|zensur", "Leichtathletik|kreis",
    a linking s allowed) counts as common as the rarer of the two."""
    z = max(zipf(word, lang), zipf(word, "en"))
    if z >= _PART_MIN_ZIPF or lang not in COMPOUNDING or len(word) < 8:
        return z  # (a rare compound the word list knows, "Deutschlandtakt" 1.3, goes by its parts too)
    low = word.lower()
    for k in range(4, len(low) - 3):
        head, tail = low[:k], low[k:]
        zh = max(zipf(head, lang), zipf(head, "en"))
        if zh < _PART_MIN_ZIPF and head.endswith("s"):
            zh = zipf(head[:-1], lang)
        if zh >= _PART_MIN_ZIPF:
            zt = max(zipf(tail, lang), zipf(tail, "en"))
            if zt >= _PART_MIN_ZIPF:
                z = max(z, min(zh, zt))
    return z


def rarest_zipf(text: str, lang: str) -> float:
    """:func:`word_zipf` of the rarest word in ``text``, hyphenated and apostrophed words taken
    apart ("Step-by-step" is three common words, "Gaby’s" the name Gaby); 0 for no words."""
    parts = _PARTS_RE.findall(text)
    return min((word_zipf(w, lang) for w in parts), default=0.0)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def is_cjk(text: str, *, share: float = 0.3) -> bool:
    n = len(CJK_RE.findall(text[:2000]))
    return n > share * max(1, len(text[:2000].replace(" ", "")))


def content_tokens(text: str, lang: str) -> list[str]:
    """Lower-cased topical tokens: words of 3+ letters not in the stop list; CJK text as character bigrams."""
    if CJK_RE.search(text):
        chars = CJK_RE.findall(text)
        bigrams = [a + b for a, b in zip(chars, chars[1:], strict=False)]
        latin = [w.lower() for w in WORD_RE.findall(CJK_RE.sub(" ", text)) if len(w) >= 3]
        return bigrams + latin
    return content_words([w.lower() for w in WORD_RE.findall(text)], lang)


def content_words(lowered: list[str], lang: str) -> list[str]:
    """:func:`content_tokens` of text without CJK whose lower-cased :func:`words` are at hand."""
    stop = stopwords(lang) or stopwords("en")
    return [w for w in lowered if len(w) >= 3 and w not in stop]


def sentences(text: str) -> list[tuple[int, str]]:
    """Split a block of text into (offset, sentence) pairs."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in SENTENCE_END_RE.finditer(text):
        if m.end() > start:
            # (the sentence's own slice only: slicing the rest of the text for each sentence made
            # a long block cost its length times its number of sentences)
            piece = text[start : m.start("gap") if m.group("gap") is not None else m.end()]
            s = piece.strip()
            if s:
                out.append((start + (len(piece) - len(piece.lstrip())), s))
            start = m.end()
    piece = text[start:]
    rest = piece.strip()
    if rest:
        out.append((start + (len(piece) - len(piece.lstrip())), rest))
    return out


@functools.lru_cache(maxsize=1)
def _stopword_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for w in stopwords(lang):
            index.setdefault(w, []).append(lang)
    return {w: tuple(langs) for w, langs in index.items()}


def detect_language(text: str, declared: str | None) -> str:
    """Best guess of the main text's language: stop-word hits per language, CJK by script."""
    sample = text[:6000]
    if not sample.strip():
        return (declared or "und").split("-")[0].lower() or "und"
    if is_cjk(sample):
        if re.search(r"[\u3040-\u30ff]", sample):
            return "ja"
        if re.search(r"[\uac00-\ud7af]", sample):
            return "ko"
        return "zh"
    toks = [w.lower() for w in WORD_RE.findall(sample)[:800]]
    if not toks:
        return "und"
    hits: dict[str, int] = {}
    index = _stopword_index()
    for t in toks:
        for lang in index.get(t, ()):
            hits[lang] = hits.get(lang, 0) + 1
    best, best_hits = "und", 0
    for lang in LANGUAGES:  # ties go to the earlier (more common) language
        if hits.get(lang, 0) > best_hits:
            best, best_hits = lang, hits[lang]
    if best_hits < 0.08 * len(toks):
        return "und"
    return best


def years(text: str) -> list[int]:
    return [int(y) for y in YEAR_RE.findall(text)]


# --- Site identity -------------------------------------------------------------------------------

_SECOND_LEVEL = frozenset(("co com net org gov edu ac ne or go gob mil nic ltd plc sch nom info biz").split())


def host_of(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


_PLAIN_HOST_RE = re.compile(r"[A-Za-z0-9.-]+")


def _fast_host(url: str) -> str | None:
    """The host of a plain ``http(s)://host[:port]/...`` or ``//host/...`` URL by string slicing
    (what ``urlsplit`` would say), or None for anything less plain."""
    if url.startswith("https://"):
        rest = url[8:]
    elif url.startswith("http://"):
        rest = url[7:]
    elif url.startswith("//"):
        rest = url[2:]
    else:
        return None
    end = len(rest)
    for ch in "/?#":
        i = rest.find(ch)
        if 0 <= i < end:
            end = i
    netloc = rest[:end]
    host, _, port = netloc.partition(":")
    if not _PLAIN_HOST_RE.fullmatch(host) or (port and not port.isdigit()):
        return None
    return host.lower().rstrip(".")


# A host name: letters (any script, for IDNs), digits, hyphens and dots.
_HOST_RE = re.compile(r"[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*")


def registrable_domain(host_or_url: str | None) -> str:
    """example.co.uk for www.news.example.co.uk; a cheap public-suffix approximation, no network."""
    if not host_or_url:
        return ""
    if "/" in host_or_url:
        fast = _fast_host(host_or_url)
        host = fast if fast is not None else host_of(host_or_url)
    else:
        host = host_or_url.lower().rstrip(".")
        if not _HOST_RE.fullmatch(host):
            return ""  # not a host name: a file name, "hard::page.html", a label with spaces
    return _registrable(host)


@functools.lru_cache(maxsize=65536)
def _registrable(host: str) -> str:
    if "xn--" in host:  # an internationalised name in its ASCII form: compare it as Unicode
        with contextlib.suppress(UnicodeError):
            host = host.encode("ascii").decode("idna")
    labels = [x for x in host.split(".") if x]
    if len(labels) <= 2:
        return ".".join(labels)
    if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def compact(text: str) -> str:
    """Lower-case letters and digits only, accents dropped: 'CBS News' -> 'cbsnews',
    "Sauvons l'Université" -> 'sauvonsluniversite'."""
    low = text.lower()
    if low.isascii():
        return _NOT_ASCII_ALNUM_RE.sub("", low)  # (the same as the test below, for ASCII, in one call)
    low = "".join(ch for ch in unicodedata.normalize("NFKD", low) if not unicodedata.combining(ch))
    return "".join(ch for ch in low if ch.isalnum())


_NOT_ASCII_ALNUM_RE = re.compile(r"[^a-z0-9]+")


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _compact_forms(text: str) -> tuple[str, ...]:
    """compact() of a name, and of its German spelling without umlauts ('Süddeutsche' -> 'sueddeutsche')."""
    c = compact(text)
    low = text.lower()
    if low.isascii() or not any(ch in low for ch in "äöüß"):
        return (c,)
    return (c, compact(low.translate(_UMLAUTS)))


def names_same_site(name: str, domains: Iterable[str], site_names: Iterable[str] = ()) -> bool:
    """Whether an outlet name or domain ('cbsnews.com', 'CBS News') denotes one of the page's own sites."""
    return any(_names_same_site(form, name, domains, site_names) for form in _compact_forms(name.removeprefix("www.")))


def _names_same_site(c: str, name: str, domains: Iterable[str], site_names: Iterable[str]) -> bool:
    if not c:
        return False
    c_nodot = compact(name.split(".")[0]) if "." in name else c
    for d in domains:
        if not d:
            continue
        label = compact(d.split(".")[0])
        if not label:
            continue
        if c == compact(d) or c_nodot == label or (len(label) >= 4 and (label in c or c in label)):
            return True
        if len(label) == 3 and name[:3].isupper() and name[:3].lower() == label:  # "ZDFmediathek", "BBC Sport"
            return True
    for s in site_names:
        cs = compact(s)
        if cs and (cs == c or (len(cs) >= 4 and (cs in c or c in cs))):
            return True
    return False
