"""A content-farm simulator: turns honest pages into farm pages the way real farms do.

Real farms change faster than any labelled set, so spamfarm learns from honest pages and from
this simulator, which applies each farm technique seen in the wild, alone or combined:

=================  ==============================================================================
technique          what it does
=================  ==============================================================================
``inject_body``    pushes a generated brand into 1-3 sentences of the main text, at a word
                   boundary, glued to the next word or with a space, sometimes as a link
``title_affix``    prefixes or suffixes the title with the brand ("Brand:Title", "Title -Brand"),
                   often also the ``<h1>`` and ``<meta name=keywords>``; one in five only the
                   ``<h1>`` ("Brand: Headline" shown over a copied ``<title>``), where the first
                   ``<h1>`` is the one the reader takes for a version of the headline and would
                   read the brand as its affix
``link_lists``     adds 1-3 blocks of headlines taken from *other* pages under generic headings
                   ("Related", "Ranking", "Recommendation"...), sometimes repeating anchors
``foreign_bio``    adds another outlet's reporter bio (and sometimes a "contributed" line)
``source_line``    adds a fake "source" line under the headline (a generated finance-sounding name)
``fake_date``      adds a date line years after the story, leaving the original metadata in place
                   (only on pages that show their own date somewhere: see ``_fake_date``)
=================  ==============================================================================

Each page is either edited in place (its own layout kept) or re-templated into a farm CMS
layout (breadcrumb, source/date line, tags, vote widget, side lists). Brands, site names,
person names and layouts are generated from a seeded ``random.Random``: the same seed gives
the same pages, and no brand comes from a fixed list.
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.etree

from . import _page, _text
from .signals import _common, bylines

#: Main-text blocks the in-place edits write into.
_MAIN_TAGS = ("p", "div", "li", "blockquote", "td")

#: The least relatedness (``_common.relatedness``) of a headline in an honest related-stories box.
_RELATED_MIN = 0.25

#: Share of title affixes written into the ``<h1>`` alone, the ``<title>`` left as it was.
_H1_ONLY_AFFIX = 0.2

TECHNIQUES = ("inject_body", "title_affix", "link_lists", "foreign_bio", "source_line", "fake_date")

_SYLLABLES = (
    "al go sen sey in dex bit quan ta vo ra zen tri nex lu mi co ver ax on ka lo fi na tek sol pro mar vi "
    "sta gra cor el ix um qu ant ze ly ro dy tor ban ex cel nov ia"
).split()
_BRAND_NOUNS = (
    "Exchange Capital Growth Markets Trade Trading Invest Investment Wealth Fund Partners Global Group "
    "Finance Securities Asset Crypto Coin Quant Quantitative Think Tank Center View Research Advisors "
    "Horizon Secure Prime Alpha Summit Vision Insight Digital Bank Holdings Ventures Labs Network "
    "Analytics Strategy Institute Academy Club Hub Pro Plus Signal Edge Fusion Nexus Smart AI"
).split()
_HEADINGS = (
    "Related Ranking Recommendation Trending Popular Hot|News Latest|News Most|Read Editor's|Picks "
    "You|May|Also|Like More|Stories Top|Stories Hot|Topics Featured Recommended Must|Read Empfehlungen "
    "Meistgelesen Relacionados Populares À|lire|aussi 相关文章 热门推荐 排行榜"
).split()
_FIRST = (
    "Anna James Maria David Laura Michael Sarah Daniel Emily Carlos Sofia Thomas Julia Kevin Olivia Lukas "
    "Elena Marco Hannah Peter Grace Omar Leila Nina Jonas Priya Ravi Chloe Mateo Ines"
).split()
_LAST = (
    "Miller Garcia Novak Schmidt Rossi Dubois Kowalski Yilek Chen Patel Moreau Silva Jensen Brown Fischer "
    "Romero Walsh Okafor Haddad Lindqvist Costa Weber Murphy Tanaka Kim Ortiz Becker"
).split()
_BEATS = ("politics", "business", "technology", "health", "national", "breaking news", "sports", "science")
_BIO_TEMPLATES = (
    "{name} is a {beat} reporter at {outlet} and is based in {city}. {pron} previously worked for {other}.",
    "{name} is a senior {beat} writer for {outlet}. {pron} covers the White House and Congress.",
    "{name} is a staff writer with {outlet}, where {pron_l} covers {beat}.",
    "{name} was a {beat} correspondent for {outlet} before joining the national desk.",
)
_BIO_DE = "{name} ist Redakteur bei {outlet} und schreibt über {beat}."
_CITIES = ("Washington, D.C.", "New York", "London", "Chicago", "Los Angeles", "Berlin", "Madrid")
_TLDS = (".com", ".net", ".top", ".xyz", ".info", ".shop", ".cn", ".site", ".online", ".co")
_VOTES = ("veryGood! ({n})", "Like ({n})", "赞 ({n})", "Good ({n})  Bad ({m})", "👍 {n}")


_CLASS_RE = re.compile(r'class="([^"]*)"')
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _article_path(rng: random.Random) -> str:
    """A farm CMS article path: /news/2024-08-03/51234.html."""
    day = f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return f"/news/{day}/{rng.randint(10000, 99999)}.html"


def _xml_safe(text: str) -> str:
    """Text lxml accepts as node content (pages do carry stray control characters)."""
    return _CONTROL_RE.sub("", text)


@dataclass(frozen=True, slots=True)
class PoolPage:
    """What the simulator borrows from other pages: a headline and the outlet it came from."""

    headline: str
    domain: str
    site_name: str = ""
    #: A paragraph of the page's main text (for scraped snippets and stitched word salad).
    snippet: str = ""


@dataclass(frozen=True, slots=True)
class FarmPage:
    html: str
    url: str | None
    label: int
    techniques: tuple[str, ...]
    layout: str  # "inplace" or "template"
    brand: str = ""


def _repoint(root: lxml.etree._Element, url: str, site_name: str | None = None) -> None:
    """Point the page's canonical and og:url (and og:site_name, when given) at a copy's own
    address, as a farm CMS or an autoblog plugin does."""
    for el in root.iter("link", "meta"):
        if (el.get("rel") or "").lower() == "canonical":
            el.set("href", url)
        elif (el.get("property") or "").lower() == "og:url":
            el.set("content", url)
        elif site_name is not None and (el.get("property") or "").lower() == "og:site_name":
            el.set("content", site_name)


def _relink(root: lxml.etree._Element, domain: str) -> None:
    """Make the page's absolute links to ``domain`` (the borrowed page's own site) relative: on the
    spammer's site, the site's own links point at the spammer's pages, not at the original's."""
    if not domain:
        return
    for a in root.iter("a"):
        href = a.get("href") or ""
        if not href.startswith(("http://", "https://", "//")):
            continue
        full = "http:" + href if href.startswith("//") else href
        if _text.registrable_domain(full) == domain:
            rest = urlsplit(full)
            a.set("href", (rest.path or "/") + (f"?{rest.query}" if rest.query else ""))


def pool_from_pages(pages: Sequence[tuple[str, str | None]]) -> list[PoolPage]:
    """Headlines and outlets of (html, url) pages, for link lists and foreign bios."""
    pool = []
    for html, url in pages:
        page = _page.parse(html, url=url)
        headline, _ = _common.title_split(page)
        dom = page.own_domain
        if dom and len(headline.split()) >= 4 and len(headline) <= 160:
            para = next((b.text for b in page.main if len(b.text) >= 200), "")
            pool.append(PoolPage(headline, dom, page.site_name, para[:600]))
    return pool


class FarmSimulator:
    """Make farm pages (and honest re-templated pages) from honest ones. Deterministic per seed."""

    def __init__(self, pool: Sequence[PoolPage], *, seed: int = 0) -> None:
        if len(pool) < 20:
            raise ValueError("the simulator needs a pool of at least 20 pages to draw link lists from")
        self.pool = list(pool)
        self.seed = seed
        self._spam: Any = None

    def spam(self, html: str, *, url: str | None, key: str, kind: str | None = None) -> FarmPage | None:
        """A page of another kind of web spam (keyword stuffing, hidden links...): see :mod:`spamfarm.spamsim`."""
        from .spamsim import SpamSimulator

        if self._spam is None:
            self._spam = SpamSimulator(self.pool, seed=self.seed)
        return self._spam.spam(html, url=url, key=key, kind=kind)

    # --- generated names -------------------------------------------------------------------
    def brand(self, rng: random.Random) -> str:
        def invented() -> str:
            w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
            return w[:1].upper() + w[1:]

        kind = rng.random()
        if kind < 0.35:
            return f"{invented()} {rng.choice(_BRAND_NOUNS)}"
        if kind < 0.55:
            return invented()
        if kind < 0.75:
            return " ".join(rng.sample(_BRAND_NOUNS, rng.randint(2, 3)))
        if kind < 0.9:
            return f"{invented()} {' '.join(rng.sample(_BRAND_NOUNS, 2))}"
        return f"{invented()}{rng.choice(_BRAND_NOUNS)}"

    def site(self, rng: random.Random) -> tuple[str, str]:
        """(site name, domain) of a farm."""
        name = " ".join(rng.sample(_BRAND_NOUNS, rng.randint(2, 3)))
        dom = "".join(name.lower().split()) + rng.choice(_TLDS)
        if rng.random() < 0.3:
            dom = rng.choice(("www.", "news.", "m.", "")) + dom
        return name, dom

    def person(self, rng: random.Random) -> str:
        return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"

    # --- entry points ----------------------------------------------------------------------
    def farm(
        self,
        html: str,
        *,
        url: str | None,
        key: str,
        techniques: Sequence[str] | None = None,
        layout: str | None = None,
        keep_canonical: bool | None = None,
        brand: str | None = None,
        site: tuple[str, str] | None = None,
        theme: str = "",
    ) -> FarmPage | None:
        """A farm version of one honest page, or None when the page has no usable main text.

        ``key`` (e.g. the page id) seeds the choices together with the simulator's seed.
        A farm network (:mod:`spamfarm.crawlsim`) passes its own ``brand``, ``site`` (name,
        domain) and ``theme`` (a class-name prefix for its CMS template) instead of generated ones;
        without them the choices are the same as before these options existed.
        """
        rng = random.Random(f"{self.seed}/{key}")
        if techniques is None:
            if rng.random() < 0.4:
                techniques = [rng.choice(TECHNIQUES)]
            else:
                techniques = rng.sample(TECHNIQUES, rng.randint(2, len(TECHNIQUES)))
        techs = tuple(t for t in TECHNIQUES if t in techniques)
        if layout is None:
            layout = "template" if rng.random() < 0.35 else "inplace"
        page = _page.parse(html, url=url)
        if page.root is None or len(page.main) < 2:
            return None
        site_name, farm_dom = self.site(rng)
        if site is not None:
            site_name, farm_dom = site
        farm_url = f"https://{farm_dom}{_article_path(rng)}"
        generated = self.brand(rng)
        brand = brand or generated
        if layout == "template":
            out = self._template(page, rng, techs, brand, site_name, farm_dom, farm_url, honest=False, theme=theme)
        else:
            if keep_canonical is None:
                keep_canonical = rng.random() < 0.3
            out = self._inplace(page, rng, techs, brand, farm_url, keep_canonical)
        if out is None:
            return None
        html_out, applied = out
        if not applied:
            return None
        return FarmPage(html_out, farm_url if rng.random() < 0.85 else None, 1, applied, layout, brand)

    def honest_template(self, html: str, *, url: str | None, key: str) -> FarmPage | None:
        """An honest page re-templated into the same CMS layout, without any farm technique."""
        rng = random.Random(f"{self.seed}/honest/{key}")
        page = _page.parse(html, url=url)
        if page.root is None or len(page.main) < 2:
            return None
        site_name, dom = self.site(rng)
        page_url = f"https://{dom}/articles/{rng.randint(10000, 99999)}"
        out = self._template(page, rng, (), "", site_name, dom, page_url, honest=True)
        if out is None:
            return None
        return FarmPage(out[0], page_url if rng.random() < 0.85 else None, 0, (), "template", "")

    # --- in-place edits --------------------------------------------------------------------
    def _inplace(
        self,
        page: _page.Page,
        rng: random.Random,
        techs: tuple[str, ...],
        brand: str,
        farm_url: str,
        keep_canonical: bool,
    ) -> tuple[str, tuple[str, ...]] | None:
        root = page.root
        applied = []
        body = root.find("body")
        if body is None:
            return None
        main_els = [b.el for b in page.main if b.tag in _MAIN_TAGS]
        if not main_els:
            return None
        first_main = main_els[0]
        last_main = main_els[-1]
        if "inject_body" in techs and self._inject_body(main_els, rng, brand, page.lang):
            applied.append("inject_body")
        if "title_affix" in techs and self._title_affix(root, rng, brand, page):
            applied.append("title_affix")
        header_lines = []
        if "source_line" in techs:
            header_lines.append(("source", self._source_phrase(rng)))
            applied.append("source_line")
        fake_date = self._fake_date(page, rng, in_place=True) if "fake_date" in techs else None
        if fake_date is not None:
            header_lines.append(("time", "Date:" + fake_date))
            applied.append("fake_date")
        if header_lines:
            k = bylines.headline_index(page)  # the article's own <h1>, not a logo's
            h1 = page.blocks[k].el if k >= 0 else None
            div = lxml.etree.Element("div", {"class": rng.choice(("info", "meta", "source-date", "article-info"))})
            for cls, text in header_lines:
                span = lxml.etree.SubElement(div, "span", {"class": cls})
                span.text = text
                span.tail = " "
            in_link = h1 is not None and any(a.tag == "a" for a in h1.iterancestors())
            if h1 is not None and rng.random() < 0.8 and not in_link:  # a CMS writes no byline into a link
                h1.addnext(div)
                div.tail, h1.tail = h1.tail, None
            else:  # above the article's text: its first main block under the headline
                below = [b.el for b in page.main if b.index > k and b.tag in _MAIN_TAGS] if k >= 0 else []
                (below[0] if below else first_main).addprevious(div)
        if "foreign_bio" in techs:
            for el in self._bio_elements(page, rng):
                last_main.addnext(el)
            applied.append("foreign_bio")
        if "title_affix" in applied and rng.random() < 0.3:  # a tag row naming the brand under the text
            row = lxml.etree.Element("div", {"class": rng.choice(("tags", "post-tags", "entry-tags"))})
            row.text = rng.choice(("Tags: ", "Tagged: ", ""))
            for word in [brand, *self._tags(page, rng)]:
                slug = "-".join(_text.words(word.lower())) or "tag"
                a = lxml.etree.SubElement(row, "a", {"href": f"/tag/{slug}/", "rel": "tag"})
                a.text = _xml_safe(word)
                a.tail = ", "
            last_main.addnext(row)
        if "link_lists" in techs:
            lists = self._link_lists(rng)
            target = rng.random()
            if target < 0.5:
                holder = lxml.etree.SubElement(body, "aside", {"class": "sidebar"})
                holder.extend(lists)
            else:
                anchor = last_main.getparent()
                for el in reversed(lists):
                    if anchor is None or anchor is body:
                        body.append(el)
                    else:
                        anchor.addnext(el)
            applied.append("link_lists")
        if not keep_canonical:
            _repoint(root, farm_url)
        html_out = lxml.etree.tostring(root, method="html", encoding=str, doctype="<!DOCTYPE html>")
        return html_out, tuple(applied)

    def _inject_body(self, els: list[lxml.etree._Element], rng: random.Random, brand: str, lang: str) -> bool:
        n = rng.choice((1, 1, 1, 2, 2, 3))
        choices = rng.sample(els, min(len(els), max(n * 3, 4)))
        done = 0
        glue = rng.random() < 0.5
        as_link = rng.random() < 0.3
        for el in choices:
            if done >= n:
                break
            # candidate text slots: el.text or a direct child's tail
            slots = [(el, "text")] + [(c, "tail") for c in el]
            slots = [(e, a) for e, a in slots if len(getattr(e, a) or "") >= 40]
            if not slots:
                continue
            node, attr = rng.choice(slots)
            text = _xml_safe(getattr(node, attr))
            positions = [m.start() for m in re.finditer(r"(?<=[a-zà-ÿ,]) (?=[a-zà-ÿ])", text)]
            positions = [p for p in positions if 10 < p < len(text) - 5]
            if not positions:
                continue
            pos = rng.choice(positions)
            before, after = text[:pos] + " ", text[pos + 1 :]
            sep = "" if glue else " "
            if as_link and attr == "text":
                a = lxml.etree.Element("a", {"href": "/"})
                a.text = brand
                a.tail = sep + after
                setattr(node, attr, before)  # before/after come from _xml_safe text
                node.insert(0, a)
            elif as_link and attr == "tail":
                a = lxml.etree.Element("a", {"href": "/"})
                a.text = brand
                a.tail = sep + after
                node.tail = before
                node.addnext(a)
            else:
                setattr(node, attr, before + brand + sep + after)
            done += 1
        return done > 0

    def _title_affix(self, root: lxml.etree._Element, rng: random.Random, brand: str, page: _page.Page) -> bool:
        title = next(root.iter("title"), None)
        if title is None or not (title.text or "").strip():
            return False
        prefix = rng.random() < 0.7
        sep = (
            rng.choice((":", ": ", " - ", " -", " | ", "|", "_", " – "))
            if prefix
            else rng.choice((" -", " - ", " | ", "_", " – "))
        )
        h1 = next(root.iter("h1"), None)
        if h1 is not None and not (h1.text and h1.text.strip()):
            h1 = None
        # Some farm templates show the brand only in the headline on the page ("Brand: Headline")
        # and keep the copied <title>: only into the <h1> the reader reads, and only where the
        # reader would take the brand for an affix of that <h1> (not for its headline, and not
        # in a site logo's <h1>: "Riverside Gazette").
        shown = f"{brand}{sep}{page.h1}" if prefix else f"{page.h1}{sep}{brand}"
        readable = (
            h1 is not None
            and _page.readable_text(h1, 500) == page.h1
            and brand in {a.text for a in _common.affixes_of_h1(page, shown)}
        )
        h1_only = readable and rng.random() < _H1_ONLY_AFFIX
        if not h1_only:
            old = _xml_safe(title.text or "").strip()
            title.text = f"{brand}{sep}{old}" if prefix else f"{old}{sep}{brand}"
        if h1 is not None and (h1_only or rng.random() < 0.6):
            if prefix:
                h1.text = f"{brand}{sep}{_xml_safe(h1.text or '').strip()}"
            elif len(h1):  # after the last child, not between the <h1>'s own text and its children
                last = h1[-1]
                last.tail = f"{_xml_safe(last.tail or '').rstrip()}{sep}{brand}"
            else:
                h1.text = f"{_xml_safe(h1.text or '').strip()}{sep}{brand}"
        if rng.random() < 0.5:
            head = root.find("head")
            if head is not None:
                kw = next((m for m in head.iter("meta") if (m.get("name") or "").lower() == "keywords"), None)
                if kw is None:
                    kw = lxml.etree.SubElement(head, "meta", {"name": "keywords", "content": ""})
                kw.set("content", ",".join(x for x in (brand, _xml_safe(kw.get("content") or "")) if x))
        return True

    def _source_phrase(self, rng: random.Random) -> str:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        nouns = rng.sample(_BRAND_NOUNS, rng.randint(2, 5))
        phrase = " ".join([w[:1].upper() + w[1:], *nouns])
        return rng.choice(("{p}", "{p}", "Source:{p}", "Source: {p}", "From {p}")).format(p=phrase)

    def _fake_date(self, page: _page.Page, rng: random.Random, *, in_place: bool) -> str | None:
        """A date line years after the story's own date (declared in its metadata, shown under
        its headline, or else the newest year in its text), or None when the page would keep no
        trace of that date: an edited page with none of the three, a re-templated page (which
        keeps only the text) without a year in its text. A date line on such a page is what an
        honest site would show, so it would be a positive with no footprint at all (measured:
        173 of 749 held-out pages edited in place, 120 of them without a year even in a link or
        their URL)."""
        years = [y for y in _text.years(page.main_text) if 1995 <= y <= 2025]
        if not in_place and not years:
            return None
        base = next((d for d in map(bylines.parse_date, page.dates) if d), None)
        if base is None:
            under, _ = bylines.header_parts(page)
            base = next((d for d in (bylines.parse_date(b.text) for b in under) if d), None)
        if base is None:
            if not years:
                return None
            base = dt.date(max(years), 6, 1)
        fake = base + dt.timedelta(days=rng.randint(400, 1300))
        t = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        return f"{fake.isoformat()} {t}" if rng.random() < 0.8 else fake.isoformat()

    def _bio_elements(self, page: _page.Page, rng: random.Random) -> list[lxml.etree._Element]:
        own = page.own_domain
        others = [p for p in self.pool if p.domain != own]
        other = rng.choice(others)
        outlet = other.domain if (rng.random() < 0.6 or not other.site_name) else other.site_name
        name = self.person(rng)
        pron = rng.choice(("She", "He"))
        if page.lang == "de" and rng.random() < 0.7:
            text = _BIO_DE.format(name=name, outlet=outlet, beat=rng.choice(("Politik", "Wirtschaft", "Kultur")))
        else:
            text = rng.choice(_BIO_TEMPLATES).format(
                name=name,
                beat=rng.choice(_BEATS),
                outlet=outlet,
                city=rng.choice(_CITIES),
                pron=pron,
                pron_l=pron.lower(),
                other=rng.choice(others).site_name or rng.choice(others).domain,
            )
        out = []
        bio = lxml.etree.Element("div", {"class": rng.choice(("author-bio", "bio", "author", "about-author"))})
        p = lxml.etree.SubElement(bio, "p")
        p.text = _xml_safe(text)
        out.append(bio)
        if rng.random() < 0.5:
            c = lxml.etree.Element("p")
            c.text = f"{self.person(rng)} contributed to this report."
            out.append(c)
        return out

    def _link_lists(self, rng: random.Random) -> list[lxml.etree._Element]:
        n_lists = rng.choice((1, 2, 3, 3))
        used: list[str] = []
        out = []
        for _ in range(n_lists):
            heading = rng.choice(_HEADINGS).replace("|", " ")
            k = rng.randint(5, 10)
            items = [p.headline for p in rng.sample(self.pool, k)]
            if used and rng.random() < 0.5:
                items[rng.randrange(k)] = rng.choice(used)
            used.extend(items)
            box = lxml.etree.Element("div", {"class": rng.choice(("box", "side-box", "list", "col", "mod", "panel"))})
            h = lxml.etree.SubElement(box, rng.choice(("h3", "h2", "h4", "div", "strong")), {"class": "title"})
            h.text = heading
            style = rng.random()
            parent = lxml.etree.SubElement(box, "ul") if style < 0.7 else box
            slugs = rng.random() < 0.5  # WordPress-style farm CMSs put the headline in the URL too
            for t in items:
                href = _article_path(rng)
                if slugs:
                    href = href.replace(".html", "-" + "-".join(_text.words(t.lower())[:8]) + ".html")
                li = lxml.etree.SubElement(parent, "li") if style < 0.7 else lxml.etree.SubElement(parent, "p")
                a = lxml.etree.SubElement(li, "a", {"href": href})
                a.text = _xml_safe(t)
            out.append(box)
        return out

    # --- re-templated pages ----------------------------------------------------------------
    def _template(
        self,
        page: _page.Page,
        rng: random.Random,
        techs: tuple[str, ...],
        brand: str,
        site_name: str,
        dom: str,
        page_url: str,
        *,
        honest: bool,
        theme: str = "",
    ) -> tuple[str, tuple[str, ...]] | None:
        headline, _ = _common.title_split(page)
        paras = [b.text for b in page.main[:60]]
        if not headline or len(paras) < 2:
            return None
        applied = []
        esc = htmlmod.escape
        # Build the article as a small tree so the body injection can reuse the in-place code.
        art = lxml.etree.Element("div", {"class": "article-content"})
        for t in paras:
            lxml.etree.SubElement(art, "p").text = _xml_safe(t)
        if "inject_body" in techs and self._inject_body(list(art), rng, brand, page.lang):
            applied.append("inject_body")
        title = f"{headline} -{site_name}" if rng.random() < 0.5 else f"{headline} | {site_name}"
        h1 = headline
        kw = ""
        if "title_affix" in techs:
            sep = rng.choice((":", ": ", " - ", " — "))
            h1_only = rng.random() < _H1_ONLY_AFFIX
            if not h1_only:
                title = f"{brand}{sep}{title}"
            if h1_only or rng.random() < 0.7:
                h1 = f"{brand}{sep}{h1}"
            if rng.random() < 0.6:
                kw = brand
            applied.append("title_affix")
        real_date = None
        for d in page.dates:
            real_date = bylines.parse_date(d)
            if real_date:
                break
        info = []
        if "source_line" in techs:
            info.append(f'<span class="source">{esc(self._source_phrase(rng))}</span>')
            applied.append("source_line")
        elif honest or rng.random() < 0.5:
            info.append(f'<span class="author">By {esc(self.person(rng))}</span>')
        fake_date = self._fake_date(page, rng, in_place=False) if "fake_date" in techs else None
        if fake_date is not None:
            info.append(f'<span class="time">Date:{fake_date}</span>')
            applied.append("fake_date")
        elif real_date:
            info.append(f'<span class="time">{real_date.isoformat()}</span>')
        bio = ""
        if "foreign_bio" in techs:
            bio = "".join(lxml.etree.tostring(e, method="html", encoding=str) for e in self._bio_elements(page, rng))
            applied.append("foreign_bio")
        elif honest and rng.random() < 0.5:
            bio = f'<div class="author-bio"><p>{esc(self.person(rng))} is a reporter at {esc(site_name)}.</p></div>'
        lists = ""
        if "link_lists" in techs:
            lists = "".join(lxml.etree.tostring(e, method="html", encoding=str) for e in self._link_lists(rng))
            applied.append("link_lists")
        elif rng.random() < 0.5:
            lists = self._on_topic_list(page, rng)
        if not applied and not honest:
            return None
        tag_words = self._tags(page, rng)
        if brand and ("title_affix" in applied or "inject_body" in applied) and rng.random() < 0.5:
            tag_words.insert(rng.randint(0, len(tag_words)), brand)  # farms tag the article with the brand they push
        tags = "".join(f'<li><a href="/tag/{i}.html">{esc(w)}</a></li>' for i, w in enumerate(tag_words))
        vote = rng.choice(_VOTES).format(n=rng.randint(1, 99), m=rng.randint(0, 9))
        body_html = "".join(lxml.etree.tostring(e, method="html", encoding=str) for e in art)
        section = rng.choice(("News", "World", "Politics", "Finance", "Tech", "Life"))
        meta_kw = f'<meta name="keywords" content="{esc(kw)}">' if kw else ""
        out = f"""<!DOCTYPE html>
<html lang="{esc(page.declared_lang or page.lang)}"><head><meta charset="utf-8"><title>{esc(title)}</title>{meta_kw}
<link rel="canonical" href="{esc(page_url)}"><meta property="og:site_name" content="{esc(site_name)}"></head>
<body><div class="header"><a href="/">{esc(site_name)}</a></div>
<div class="crumb">Current:<a href="/">Home</a> &gt; <a href="/news/">{section}</a></div>
<div class="main"><div class="left"><h1>{esc(h1)}</h1><div class="info">{" ".join(info)}</div>
{body_html}<ul class="tags"><li>In:</li>{tags}</ul>{bio}
<div class="share"><a href="#">Twitter</a><span class="vote">{esc(vote)}</span></div></div>
<div class="right">{lists}</div></div>
<div class="footer"><p>Copyright © {rng.randint(2019, 2026)} {esc(site_name)} All Rights Reserved</p></div>
</body></html>"""
        if theme:  # a network's own variant of the template: every class name prefixed
            out = _CLASS_RE.sub(lambda m: f'class="{" ".join(theme + "-" + c for c in m.group(1).split())}"', out)
        return out, tuple(applied)

    def _tags(self, page: _page.Page, rng: random.Random) -> list[str]:
        counts = _common.main_counts(page)
        words = [w for w, _ in counts.most_common(12) if len(w) > 3]
        return [w.title() for w in rng.sample(words, min(len(words), rng.randint(2, 4)))]

    def _on_topic_list(self, page: _page.Page, rng: random.Random) -> str:
        """An honest related-stories box: up to four pool headlines sharing the most words with the
        article, each at least :data:`_RELATED_MIN`; no box ("") when fewer than two do. (A site
        with no story on the subject shows no related box; filling it with whatever sorts first
        made honest pages in rare languages carry off-topic boxes.)"""
        counts = _common.main_counts(page)
        scored = []
        for p in rng.sample(self.pool, min(len(self.pool), 400)):
            toks = _text.content_tokens(p.headline, page.lang)
            scored.append((_common.relatedness(toks, counts, page.lang), p.headline))
        scored.sort(reverse=True)
        picked = [t for r, t in scored[:4] if r >= _RELATED_MIN]
        if len(picked) < 2:
            return ""
        items = "".join(
            f'<li><a href="/articles/{rng.randint(1000, 9999)}">{htmlmod.escape(t)}</a></li>' for t in picked
        )
        return f'<div class="related"><h3>Related</h3><ul>{items}</ul></div>'
