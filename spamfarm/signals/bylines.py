"""Mismatched bylines, sources and dates: traces of the outlet a farm copied from.

Signals (all ``byline.*``):

``bio_other_outlet``
    An author bio naming another outlet as the author's employer ("...is a politics reporter at
    cbsnews.com") on a page whose own site is something else.
``contributed_lines``
    "X contributed to this report" lines (weak alone: honest wire copy has them too).
``source_not_site``
    A short source/byline line under the headline (labelled "Source:", sharing its line with the
    date, or in a source/author/meta element) that is neither a person's name nor the site's own
    name ("Algosensey Quantitative Think Tank Center View"); written as a name (no lower-case
    words but connectors) and not a credit, topic or newsroom role.
``finance_source``
    Such a source line speaks the vocabulary of finance or trading while the article does not.
``date_gap_years``
    The page's date is this many years after the newest year the article itself mentions.
``date_conflict``
    A date shown under the headline is more than half a year later than the date the page
    declares in its metadata (``article:published_time``, ``<time datetime>``, JSON-LD) or than
    another date shown there. Left out: "updated on" lines, sentences that happen to hold a
    date, and a shown date the page declares as its last change (``article:modified_time``,
    ``dateModified``).
``site_mismatch``
    The page's URL is on another site than its canonical link and ``og:url`` claim (both, when
    it has both: a syndicated copy gives its own address in one and the original's in the other).
"""

from __future__ import annotations

import datetime as dt
import re

from .. import _text
from .._page import HEADING_TAGS, Block, Page
from .._result import Evidence, Signal
from . import _common
from ._resources import Resources

NAMES = (
    "byline.bio_other_outlet",
    "byline.contributed_lines",
    "byline.source_not_site",
    "byline.finance_source",
    "byline.date_gap_years",
    "byline.date_conflict",
    "byline.site_mismatch",
)

#: Every byline.* signal can only push a page towards spam (a monotonic constraint in training).
DIRECTION = dict.fromkeys(NAMES, 1)

# An outlet: a domain ("cbsnews.com") or a capitalised name ("The Washington Post", "CBS News").
_OUTLET = (
    r"(?P<outlet>[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,6}\b"
    r"|(?:(?:The|the|Die|Le|La|El) )?[A-Z][\w&’'\-]*(?: (?:[A-Z][\w&’'\-]*|of|de|del|für|&))*)"
)
BIO_RE = re.compile(
    r"\b(?:is|was|has been|works as|serves as)\s+(?:an?|the)\s+(?:[\w\-’',]+\s+){0,5}?"
    r"(?:reporter|writer|correspondent|editor|journalist|producer|contributor|columnist|anchor|critic|analyst|reviewer)"
    r"s?\b"
    r"(?:[^.;]{0,40}?)\s(?:at|for|with)\s+"
    + _OUTLET
    + r"|\b(?:ist|war)\s+(?:\w+\s+){0,3}?(?:Redakteur|Korrespondent|Reporter|Autor|Journalist)(?:in)?\w*"
    r"\s+(?:bei|für)\s+(?:der |dem |die )?"
    + _OUTLET.replace("?P<outlet>", "?P<outlet_de>")
    + r"|\b(?:es|fue)\s+(?:periodista|redactora?|corresponsal|reportera?)\s+(?:\w+\s+){0,3}?(?:de|en|para)\s+"
    + _OUTLET.replace("?P<outlet>", "?P<outlet_es>")
    + r"|\b(?:est|était)\s+(?:journaliste|rédact(?:eur|rice)|correspondante?|reporter)\s+(?:\w+\s+){0,3}?"
    r"(?:à|au|pour|chez)\s+" + _OUTLET.replace("?P<outlet>", "?P<outlet_fr>")
)
# Every BIO_RE match contains one of these words: a cheap test before the expensive pattern.
_BIO_HINT_RE = re.compile(
    r"reporter|writer|correspondent|editor|journalist|producer|contributor|columnist|anchor|critic|analyst|reviewer|"
    r"Redakteur|Korrespondent|Reporter|Autor|Journalist|periodista|redactor|corresponsal|journaliste|rédact|"
    r"correspondant"
)
CONTRIBUTED_RE = re.compile(
    r"\b[A-Z][\w.\-’']+(?: [A-Z][\w.\-’']+){1,3}(?:(?:,| and|, and) [A-Z][\w.\-’']+(?: [A-Z][\w.\-’']+){1,3})*"
    r" contributed (?:to )?(?:this|the) (?:report|story|article)"
)
SOURCE_ATTR_RE = re.compile(r"source|author|byline|info|meta|origin|credit|quelle|autor", re.I)
# An element filing the article under categories or tags ("c-meta__cats", "post-tags").
CATEGORY_ATTR_RE = re.compile(r"cat(?:s|egor)|tags?\b|topics?|rubri[ck]|schlagw", re.I)
STRICT_SOURCE_ATTR_RE = re.compile(r"source|origin|quelle|fuente", re.I)
SOURCE_LABEL_RE = re.compile(
    r"^\s*(?:source|sources|from|via|quelle|fuente|source\s?:|来源|來源|出典|출처)\s*[:：]\s*", re.I
)
BY_RE = re.compile(r"^\s*(?:(?:by|von|por|par|di|door|av|przez)\s+|(?-i:(?:By|BY|Von)(?=[A-Z][a-z])))", re.I)
# "Written by Jane Doe", "Fact-checked by ...", "Übersetzt von: ...": a person's byline inside the line.
BY_INNER_RE = re.compile(r"\b(?:[Bb]y|BY|[Vv]on|[Pp]or|[Pp]ar|door|przez):?\s+[A-ZÀ-Þ]")
# Newsroom roles: a line naming one is a byline, not a made-up source.
ROLE_RE = re.compile(
    r"\b(?:writer|editor|reporter|correspondent|contributor|columnist|journalist|author|staff|desk|"
    r"redakteur(?:in)?|autor(?:in)?|redaktion|periodista|redactora?|rédact(?:eur|rice)|journaliste|"
    r"newsroom|editorial|team|expert|consultant|developer|agencia|agency|agentur)s?\b",
    re.I,
)
_MONTH_NAMES = (
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
)
_LOCAL_MONTHS = {m: i + 1 for names in _MONTH_NAMES for i, m in enumerate(names.split())}
_LOCAL_MONTHS.update({"jänner": 1, "maerz": 3, "mär": 3, "okt": 10, "dez": 12})
DATE_RE = re.compile(
    r"(?P<iso>(?:19|20)\d\d)[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})"
    r"|(?P<d2>\d{1,2})\.\s?(?P<m2>\d{1,2})\.\s?(?P<y2>(?:19|20)\d\d)"
    r"|(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? (?P<d3>\d{1,2}),? (?P<y3>(?:19|20)\d\d)"
    r"|(?P<d4>\d{1,2}) (?P<mon4>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? (?P<y4>(?:19|20)\d\d)"
    # German, French, Spanish: "19. Oktober 2019", "19 octobre 2019", "19 de octubre de 2019"
    r"|(?P<d5>\d{1,2})\.? (?:de )?(?P<mon5>"
    + "|".join(sorted(_LOCAL_MONTHS, key=len, reverse=True))
    + r")\.?,? (?:de )?"
    r"(?P<y5>(?:19|20)\d\d)",
    re.I,
)
# What a date line says besides the date: "PM UTC", "Uhr", "Stand", weekdays.
CLOCK_WORD_RE = re.compile(
    r"\b(?:[ap]\.?m\.?|utc|gmt|cet|cest|mez|mesz|ist|et|est|edt|pst|pdt|bst|uhr|stand|"
    r"mon|tue|wed|thu|fri|sat|sun|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo)\b",
    re.I,
)
# A line crediting a picture, or filing the article under a topic, names no source.
CREDIT_RE = re.compile(
    r"\b(?:photo|image|picture|foto|bild|imagen|getty|unsplash|shutterstock|istock|imago|pixabay|"
    r"topics?|categor(?:y|ies)|tags?|thema|kategorie|rubrik|privacy|cookies?|startseite|"
    r"comments?|kommentare?|lesezeichen|bookmarks?|lesezeit)\b|\bmin\.",
    re.I,
)
# Lower-case words a name may hold ("Bank of ...", "Smith & Sons"): any other is a phrase.
_NAME_CONNECTORS = frozenset({"of", "and", "&", "für", "und", "de", "del", "y", "et", "the"})
DATE_LABEL_RE = re.compile(r"\b(?:date|published|updated|posted|datum|fecha|publié)\s*[:：]?\s*", re.I)
LABELLED_DATE_RE = re.compile(r"\s*(?:date|published|posted|datum|fecha|publié)\s*[:：]", re.I)
UPDATED_RE = re.compile(r"\b(?:updated?|modified|aktualisiert|geändert|actualizado|mis à jour|更新)", re.I)
TIME_RE = re.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\b")
_MONTHS = {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
# Vocabulary of finance and trading brands, several languages (a weak, named cue).
FINANCE_RE = re.compile(
    r"\b(?:exchange|capital|quantitative|quant|invest\w*|trading|trade|crypto\w*|bitcoin|coin|fund|funds|wealth|"
    r"asset|assets|finance|financial|securities|forex|fx|stock|stocks|brokerage|broker|markets?|equity|hedge|"
    r"think tank|börse|kapital|finanz\w*|inversi\w*|bolsa|finanzas|bourse|placement)\b",
    re.I,
)
_MAX_BLOCKS = 600


def _date_of(m: re.Match[str]) -> dt.date | None:
    g = m.groupdict()
    try:
        if g["iso"]:
            return dt.date(int(g["iso"]), int(g["m"]), int(g["d"]))
        if g["y2"]:
            return dt.date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        if g["y3"]:
            return dt.date(int(g["y3"]), _MONTHS[g["mon"][:3].lower()], int(g["d3"]))
        if g["y4"]:
            return dt.date(int(g["y4"]), _MONTHS[g["mon4"][:3].lower()], int(g["d4"]))
        if g["y5"]:
            return dt.date(int(g["y5"]), _LOCAL_MONTHS[g["mon5"].lower()], int(g["d5"]))
    except (ValueError, KeyError):
        return None
    return None


def _sister_sites(url: str, other: str) -> bool:
    """Whether two URLs on different registrable domains are one outlet's sites: one's domain
    name is part of the other's host (m.economictimes.com, economictimes.indiatimes.com)."""
    a_host, b_host = _text.host_of(url), _text.host_of(other)
    a_dom, b_dom = _text.registrable_domain(a_host), _text.registrable_domain(b_host)
    return _text.names_same_site(a_dom, [b_host.removeprefix("www."), b_dom]) or _text.names_same_site(
        b_dom, [a_host.removeprefix("www."), a_dom]
    )


def parse_date(text: str) -> dt.date | None:
    m = DATE_RE.search(text)
    return _date_of(m) if m else None


_MAX_H1S = 10  # headings read when looking for the article's own <h1>
#: A header block with a date and more than this many other words is a sentence, not a date line.
_MAX_DATE_LINE_WORDS = 12


def headline_index(page: Page) -> int:
    """The block index of the article's headline: the first <h1>, unless it shares no word with
    the title and a later one does (a site's logo or date bar in an <h1> above the article's)."""
    h1s = [b for b in page.blocks if b.tag == "h1"][:_MAX_H1S]
    if not h1s:
        return -1
    title = {w.lower() for w in _text.words(_common.title_split(page)[0]) if len(w) >= 3}
    if len(h1s) == 1 or not title:
        return h1s[0].index

    def overlap(b: Block) -> float:
        words = {w.lower() for w in _text.words(b.text[:300]) if len(w) >= 3}
        return len(words & title) / max(1, min(len(words), len(title)))

    if overlap(h1s[0]) > 0:
        return h1s[0].index
    best = max(h1s[1:], key=overlap)
    return best.index if overlap(best) >= 0.5 else h1s[0].index


def header_parts(page: Page) -> tuple[list[Block], list[Block]]:
    """The header lines of an article: the first blocks under the headline (up to the text), and
    the three lines just above the text when the text starts further down (menus and share bars
    between), where a farm CMS may put its source and date line."""
    cached = page.cache.get("header_parts")
    if cached is not None:
        return cached
    blocks = page.blocks
    start = headline_index(page)
    # The first real paragraph: a <p> of main text or any long main block (a source/date line
    # can be long enough to pass as main text itself).
    first_main = next(
        (b.index for b in page.main if b.index > start and (b.tag == "p" or len(b.text) >= 150)), len(blocks)
    )
    if start < 0:  # no headline: the lines just above the text, however short its first block
        start = max(0, min(first_main, page.main[0].index if page.main else first_main) - 4)
    if first_main <= start:
        first_main = min(len(blocks), start + 4)
    under = [b for b in blocks[start + 1 : min(first_main, start + 8)] if len(b.text) <= 200]
    # Far below the headline (menus, share bars between), the lines just above the text still count.
    text_start = next((b.index for b in page.main if b.index > start), first_main)
    above = [b for b in blocks[max(start + 8, text_start - 3) : text_start] if len(b.text) <= 200]
    page.cache["header_parts"] = (under, above)
    return under, above


def _strip_dates(text: str) -> str:
    text = DATE_RE.sub(" ", text)
    text = TIME_RE.sub(" ", text)
    text = DATE_LABEL_RE.sub(" ", text)
    text = CLOCK_WORD_RE.sub(" ", text)
    return " ".join(text.split())


def _looks_like_person(text: str) -> bool:
    """ "By ...", "Written by ...", a name with a newsroom role ("Jane Doe Senior Writer", "Global
    Desk"), or a short capitalised name whose last word is not a common noun (surnames are rarer
    than "Network", "Research", "Wealth")."""
    words = text.split()
    if BY_RE.match(text) or BY_INNER_RE.search(text) or ROLE_RE.search(text):
        return True
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and _text.zipf(words[-1], "en") < 4.5


def _source_lines(page: Page) -> list[str]:
    """Short title-case lines under the headline that present themselves as a source: labelled
    ("Source: ..."), sharing the line with the date, or in a source/author/meta element; and
    such lines just above the text when it starts far below the headline, where only a label,
    a date or a source element (not a generic meta/info one) marks them."""
    out = []
    under, above = header_parts(page)
    near = under[:5]
    near_ids = {id(b) for b in near}
    for block in near + above:
        raw = block.text
        if block.tag in HEADING_TAGS or block.link_density > 0.5:
            continue
        labelled = SOURCE_LABEL_RE.match(raw) is not None
        dated = DATE_RE.search(raw) is not None
        # Under the headline a meta/info element is hint enough; further down, only a source one.
        hint_re = SOURCE_ATTR_RE if id(block) in near_ids else STRICT_SOURCE_ATTR_RE
        hinted = any(
            hint_re.search((el.get("class") or "") + " " + (el.get("id") or ""))
            for el in (block.el, *list(block.el)[:3])
            if isinstance(el.tag, str)
        )
        if not (labelled or dated or hinted):
            continue
        text = SOURCE_LABEL_RE.sub("", _strip_dates(raw))
        if "," in text:
            continue  # a place ("Boston, Massachusetts") or a list of credits, not one source's name
        text = re.sub(r"[|·•/@]+", " ", text).strip(" -–—:")
        words = [w for w in text.split() if any(ch.isalpha() for ch in w)]
        text = " ".join(words)
        if not 3 <= len(words) <= 10 or any(ch.isdigit() for ch in text) or "(" in raw:
            continue
        caps = sum(1 for w in words if w[:1].isupper())
        if caps < 3 or any(w[:1].islower() and w.lower() not in _NAME_CONNECTORS for w in words):
            continue  # a name is written in capitals: "Mahua Das in Project Management" is not one
        if CREDIT_RE.search(raw) or CATEGORY_ATTR_RE.search(
            (block.el.get("class") or "") + " " + (block.el.get("id") or "")
        ):
            continue
        if _looks_like_person(text) or _common.is_site_identity(page, text):
            continue
        title_head, _ = _common.title_split(page)
        if text in page.h1 or text in title_head:
            continue
        out.append(text)
    return out


def extract(page: Page, res: Resources) -> list[Signal]:
    own = page.site_domains
    bios: list[Evidence] = []
    contributed: list[Evidence] = []
    content_years: list[int] = []
    for b in page.blocks[:_MAX_BLOCKS]:
        t = b.text
        if len(t) > 2000:
            t = t[:2000]
        if "contributed" in t:
            for cm in CONTRIBUTED_RE.finditer(t):
                contributed.append(Evidence("contributed_line", cm.group(), t[:300], cm.span()))
        m = BIO_RE.search(t) if _BIO_HINT_RE.search(t) else None
        if m is not None:
            outlet = next(v for k, v in m.groupdict().items() if v)
            outlet = outlet.rstrip(".")
            if own and not _common.is_site_identity(page, outlet):
                group = next(k for k, v in m.groupdict().items() if v)
                span = (m.start(group), m.start(group) + len(outlet))
                bios.append(Evidence("bio_other_outlet", outlet, t[:400], span, against=page.own_domain))
    for b in page.main:
        content_years.extend(_text.years(b.text))

    sources = _source_lines(page)
    src_ev = tuple(Evidence("source_not_site", s, against=page.own_domain or page.site_name) for s in sources)
    finance = [s for s in sources if FINANCE_RE.search(s)]
    if finance:  # only then is the article's own finance vocabulary worth counting
        main = page.main_text[:50_000]
        # (the source line itself can pass as main text: leave its own words out)
        main_fin = len(FINANCE_RE.findall(main)) - sum(len(FINANCE_RE.findall(s)) for s in sources)
        if main_fin / max(1, len(main.split())) >= 0.01:
            finance = []

    # Dates: the one shown under the headline vs the one declared in metadata vs the content.
    shown = None
    header_dates: list[tuple[dt.date, str]] = []
    under, above = header_parts(page)
    # Lines further down count as the shown date only when labelled as one ("Date:2025-04-07"):
    # forums list members' join dates there.
    for text in [b.text for b in under] + [b.text for b in above if LABELLED_DATE_RE.match(b.text)]:
        if UPDATED_RE.search(text):
            continue  # "Last updated on ..." is meant to differ from the publication date
        when = parse_date(text)
        if when and len(_strip_dates(text).split()) <= _MAX_DATE_LINE_WORDS:  # not a sentence
            header_dates.append((when, text))
            if shown is None:
                shown = when
    declared = None
    for d in page.dates:
        declared = parse_date(d)
        if declared:
            break
    page_date = shown or declared
    gap = 0.0
    gap_ev: tuple[Evidence, ...] = ()
    if page_date and content_years:
        newest = (
            max(y for y in content_years if y <= page_date.year + 1)
            if any(y <= page_date.year + 1 for y in content_years)
            else None
        )
        if newest is not None:
            gap = float(max(0, min(10, page_date.year - newest)))
            if gap:
                gap_ev = (
                    Evidence("date_after_content", page_date.isoformat(), against=f"newest year in the text: {newest}"),
                )
    conflict = 0.0
    conflict_ev: tuple[Evidence, ...] = ()
    # A date shown that the page declares as its last change is an update, not a farm's date (a
    # farm that edits a page in place keeps the original's metadata). Not confirmations: a
    # <time> element or a date in the URL, which a farm's own CMS writes for its own date.
    modified = [m for m in (parse_date(d) for d in page.modified_dates[:20]) if m]
    header_dates = [(d, t) for d, t in header_dates if not any(abs((d - m).days) <= 2 for m in modified)]
    if header_dates:
        # The latest date shown under the headline against the declared one, or against an
        # earlier date also shown there (a farm adds its own date line and keeps the original's).
        latest, latest_text = max(header_dates, key=lambda t: t[0])
        earliest, earliest_text = min(header_dates, key=lambda t: t[0])
        if declared and (latest - declared).days > 183:
            conflict = 1.0
            conflict_ev = (
                Evidence("date_conflict", latest_text[:120], against=f"declared date {declared.isoformat()}"),
            )
        elif (latest - earliest).days > 183:
            conflict = 1.0
            conflict_ev = (Evidence("date_conflict", latest_text[:120], against=f"also shown: {earliest_text[:80]}"),)

    mismatch = 0.0
    mismatch_ev: tuple[Evidence, ...] = ()
    if page.url:
        url, url_dom = page.url, _text.registrable_domain(page.url)
        # (a host without a dot or with an escaped "/" is a broken link, "http://packing-list-trip",
        # "https://blog.example.fr%2Farticles", not a site)
        claims = [
            c
            for c in (page.canonical, page.meta.get("og:url", ""))
            if "//" in c and "." in (d := _text.registrable_domain(c)) and "%" not in d
        ]
        others = [c for c in claims if _text.registrable_domain(c) != url_dom and not _sister_sites(url, c)]
        # A syndicated copy names its own address in one claim and credits the original in the
        # other (og:url on the partner's site, canonical on the source's): only a page whose
        # every claim names another site has been lifted whole.
        if url_dom and others and len(others) == len(claims):
            mismatch = 1.0
            mismatch_ev = (Evidence("site_mismatch", others[0], against=page.url),)
    return [
        Signal("byline.bio_other_outlet", float(len(bios)), tuple(bios[:5])),
        Signal("byline.contributed_lines", float(len(contributed)), tuple(contributed[:5])),
        Signal("byline.source_not_site", float(len(sources)), src_ev),
        Signal(
            "byline.finance_source",
            float(bool(finance)),
            tuple(Evidence("finance_source", s, against="an article that is not about finance") for s in finance),
        ),
        Signal("byline.date_gap_years", gap, gap_ev),
        Signal("byline.date_conflict", conflict, conflict_ev),
        Signal("byline.site_mismatch", mismatch, mismatch_ev),
    ]
