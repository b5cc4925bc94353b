"""The farm simulator: every technique does what it says, alone, deterministically."""

from __future__ import annotations

import pytest

from spamfarm import _page
from spamfarm._model import default_model
from spamfarm.farm import TECHNIQUES, FarmSimulator, PoolPage
from spamfarm.signals import _common, extract_signals, injected

from .conftest import PARKS, article

POOL = [
    PoolPage(f"Headline number {i} about {topic} and what happens next", f"outlet{i}.com", f"Outlet {i}")
    for i, topic in enumerate(["football", "film stars", "weather", "crypto", "music", "cars"] * 5)
]
ON_TOPIC = [PoolPage(f"City council budget for parks and playgrounds, part {i}", "localnews.com") for i in range(6)]
HTML = article(
    PARKS + "<p>The last time the council changed the parks budget was in 2019, after a long public debate.</p>",
    head="<link rel='canonical' href='https://www.riversidegazette.com/parks'>"
    "<meta property='article:published_time' content='2021-03-02T10:00:00Z'>",
)
URL = "https://www.riversidegazette.com/parks"


def signals_of(html: str, url: str | None) -> dict[str, float]:
    return {s.name: s.value for s in extract_signals(_page.parse(html, url=url), default_model().resources)}


def test_needs_a_pool() -> None:
    with pytest.raises(ValueError):
        FarmSimulator(POOL[:5])


def test_same_seed_same_pages_other_seed_other_pages() -> None:
    a = FarmSimulator(POOL, seed=1).farm(HTML, url=URL, key="k")
    b = FarmSimulator(POOL, seed=1).farm(HTML, url=URL, key="k")
    c = FarmSimulator(POOL, seed=2).farm(HTML, url=URL, key="k")
    assert a is not None and b is not None and c is not None
    assert a == b
    assert (a.html, a.brand) != (c.html, c.brand)


def test_brands_are_generated_not_listed() -> None:
    sim = FarmSimulator(POOL, seed=0)
    brands = {sim.farm(HTML, url=URL, key=str(i), techniques=["title_affix"]).brand for i in range(40)}  # type: ignore[union-attr]
    assert len(brands) >= 35


EXPECTED = {
    "inject_body": ("injected.repeated_phrases", "injected.glued_phrases"),
    "title_affix": ("injected.title_affix_offtopic",),
    "link_lists": ("links.unrelated_blocks",),
    "foreign_bio": ("byline.bio_other_outlet",),
    "source_line": ("byline.source_not_site",),
    "fake_date": ("byline.date_conflict", "byline.date_gap_years"),
}


@pytest.mark.parametrize("technique", TECHNIQUES)
@pytest.mark.parametrize("layout", ["inplace", "template"])
def test_each_technique_alone_leaves_its_trace(technique: str, layout: str) -> None:
    clean = signals_of(HTML, URL)
    hits = 0
    for i in range(6):
        fp = FarmSimulator(POOL, seed=3).farm(
            HTML, url=URL, key=f"{technique}{i}", techniques=[technique], layout=layout, keep_canonical=False
        )
        assert fp is not None and fp.label == 1 and fp.techniques == (technique,) and fp.layout == layout
        s = signals_of(fp.html, fp.url)
        if any(s[name] > clean[name] for name in EXPECTED[technique]):
            hits += 1
        elif technique == "inject_body":
            # a single spaced insertion is not a page signal on its own (see injected.py), but
            # the phrase model must still see the brand as the likeliest inserted phrase
            page = _page.parse(fp.html, url=fp.url)
            cands = injected.candidates(page, default_model().resources)
            probs = injected.phrase_probabilities(cands, default_model().resources)
            best = max(zip(probs, cands, strict=True), key=lambda t: t[0], default=None)
            hits += best is not None and fp.brand.split()[0] in best[1].phrase
    assert hits >= 5, f"{technique} in {layout} left no trace in {6 - hits} of 6 pages"


def test_honest_template_has_no_farm_technique() -> None:
    fp = FarmSimulator(POOL + ON_TOPIC, seed=0).honest_template(HTML, url=URL, key="x")
    assert fp is not None and fp.label == 0 and fp.techniques == ()
    s = signals_of(fp.html, fp.url)
    assert s["injected.title_affix_offtopic"] == 0
    assert s["byline.bio_other_outlet"] == 0
    assert s["links.unrelated_blocks"] == 0


def test_an_honest_related_box_lists_only_related_headlines_or_is_left_out() -> None:
    import random

    page = _page.parse(HTML, url=URL)
    box = FarmSimulator(POOL + ON_TOPIC, seed=0)._on_topic_list(page, random.Random(0))
    assert box.count("<li>") == 4 and "City council budget" in box and "Headline number" not in box
    # a pool with nothing on the subject gives no box, not the headlines that happen to sort first
    assert FarmSimulator(POOL, seed=0)._on_topic_list(page, random.Random(0)) == ""


def test_pages_without_main_text_are_skipped() -> None:
    assert FarmSimulator(POOL).farm("<html><body><p>hi</p></body></html>", url=None, key="x") is None


@pytest.mark.parametrize("layout", ["inplace", "template"])
def test_fake_date_needs_a_date_of_the_story(layout: str) -> None:
    # A page that says nothing about its date keeps no trace of a farm's date line: the
    # technique is not applied (alone, there is then no farm page), rather than made undetectable.
    undated = article(PARKS)
    sim = FarmSimulator(POOL, seed=3)
    for i in range(6):
        assert sim.farm(undated, url=URL, key=f"d{i}", techniques=["fake_date"], layout=layout) is None
        mixed = sim.farm(undated, url=URL, key=f"m{i}", techniques=["fake_date", "source_line"], layout=layout)
        assert mixed is not None and mixed.techniques == ("source_line",)
    # A year in the text is enough in both layouts; metadata alone only where the page keeps it.
    with_year = article(
        PARKS + "<p>The last time the council changed the parks budget was in 2019, after a long public debate.</p>"
    )
    declared = article(PARKS, head="<meta property='article:published_time' content='2021-03-02T10:00:00Z'>")
    fp = sim.farm(with_year, url=URL, key="y", techniques=["fake_date"], layout=layout)
    assert fp is not None and fp.techniques == ("fake_date",)
    fp = sim.farm(declared, url=URL, key="y", techniques=["fake_date"], layout=layout)
    assert (fp is not None) == (layout == "inplace")
    if fp is not None:
        shown = int(fp.html.split("Date:")[1][:4])
        assert 2022 <= shown <= 2024  # 400 to 1,300 days after 2021-03-02


def test_header_line_goes_under_the_articles_headline() -> None:
    # a long teaser paragraph above the article's <h1> passes as main text; the farm's source and
    # date line still goes under the headline, where its CMS writes it, not above the teaser
    teaser = (
        "<div class='teaser'><p>Read also: the city council has spent the last two years arguing about how to "
        "pay for the maintenance of playgrounds, sports fields and river paths in the northern districts.</p></div>"
    )
    html = HTML.replace("<article>", teaser + "<article>")
    sim = FarmSimulator(POOL, seed=3)
    for i in range(12):
        fp = sim.farm(html, url=URL, key=f"h{i}", techniques=["source_line"], layout="inplace")
        assert fp is not None
        assert fp.html.index("<h1>") < fp.html.index('class="source"'), i


@pytest.mark.parametrize("layout", ["inplace", "template"])
def test_some_title_affixes_head_only_the_h1_and_are_still_read(layout: str) -> None:
    only_h1 = 0
    for i in range(40):
        fp = FarmSimulator(POOL, seed=5).farm(
            HTML, url=URL, key=f"h1only{i}", techniques=["title_affix"], layout=layout
        )
        assert fp is not None
        page = _page.parse(fp.html, url=fp.url)
        assert fp.brand in page.title or fp.brand in page.h1
        if fp.brand not in page.title:
            only_h1 += 1
            if layout == "inplace":  # the copied <title> is left as it was
                assert page.title == _page.parse(HTML).title
            assert page.h1.startswith(fp.brand) or page.h1.endswith(fp.brand), page.h1
            found = [a for a, _ in injected.offtopic_affixes(page) if a.text == fp.brand]
            assert [a.position for a in found] == ["prefix" if page.h1.startswith(fp.brand) else "suffix"]
    assert 2 <= only_h1 <= 20  # about one in five


def test_an_h1_only_affix_never_goes_into_a_site_logos_h1() -> None:
    # the page's first <h1> is the site's logo, which the reader does not take for the headline:
    # a brand written there alone would be a spam row with no readable trace
    logo = HTML.replace("<body>", "<body><header><h1>Riverside Gazette</h1></header>", 1)
    assert _page.parse(logo).h1 == "Riverside Gazette"
    affixed = 0
    for i in range(40):
        fp = FarmSimulator(POOL, seed=5).farm(
            logo, url=URL, key=f"logo{i}", techniques=["title_affix"], layout="inplace"
        )
        assert fp is not None
        page = _page.parse(fp.html, url=fp.url)
        assert fp.brand in page.title, page.h1
        affixed += fp.brand in page.h1
    assert affixed  # the brand may still head the logo's <h1> beside the <title>
    # a logo naming a site whose name shares a word with the headline: the reader never takes
    # the site's name for the headline, so neither does the simulator
    title = "Riverside council approves new budget for city parks | Riverside Gazette"
    logo = logo.replace("<title>Council approves new budget for city parks</title>", f"<title>{title}</title>")
    assert _page.parse(logo).title == title
    for i in range(60):
        fp = FarmSimulator(POOL, seed=5).farm(
            logo, url=URL, key=f"logo2{i}", techniques=["title_affix"], layout="inplace"
        )
        assert fp is not None
        page = _page.parse(fp.html, url=fp.url)
        assert fp.brand in page.title or fp.brand in [a.text for a in _common.h1_affixes(page)], page.h1


def test_an_h1_only_affix_is_always_read_as_the_h1s_affix() -> None:
    # Two <h1>s the reader could misread: one with markup inside (a suffix written before the
    # <em> would sit mid-headline), and a short one sharing words with the brand nouns (a brand
    # such as "Markets Group" would be taken for the headline itself). On every page the brand
    # shows only in the <h1>, the reader must find it there as an affix.
    nested = HTML.replace(
        "<h1>Council approves new budget for city parks</h1>",
        "<h1>Council approves <em>new budget</em> for city parks</h1>",
    )
    assert _page.parse(nested).h1 == "Council approves new budget for city parks"
    markets = article(PARKS, title="Global markets slide as trading halts in Asia", h1="Markets today")
    only_h1 = 0
    for html in (nested, markets):
        for i in range(80):
            fp = FarmSimulator(POOL, seed=5).farm(
                html, url=URL, key=f"h1read{i}", techniques=["title_affix"], layout="inplace"
            )
            assert fp is not None
            page = _page.parse(fp.html, url=fp.url)
            if fp.brand not in page.title:
                only_h1 += 1
                assert fp.brand in [a.text for a in _common.h1_affixes(page)], page.h1
    assert only_h1 >= 4


@pytest.mark.parametrize("layout", ["inplace", "template"])
def test_a_farm_that_tags_its_article_with_the_brand_still_shows_the_affix(layout: str) -> None:
    word_brands = 0
    # Farms tag the copied article with the brand they push; the tag row must not hide the
    # title affix as if it were the site's own section.
    tagged = 0
    for i in range(30):
        fp = FarmSimulator(POOL, seed=5).farm(
            HTML, url=URL, key=f"tag{i}", techniques=["title_affix"], layout=layout, keep_canonical=False
        )
        assert fp is not None
        page = _page.parse(fp.html, url=fp.url)
        tag_links = [link for link in page.links if "/tag/" in link.href and link.text == fp.brand]
        if tag_links:
            tagged += 1
            if injected._name_like(fp.brand, page.lang):
                assert [a.text for a, _ in injected.offtopic_affixes(page)] == [fp.brand], fp.brand
            else:  # a one-word brand that is a word ("Fico", Zipf 2.7) is read as a kicker, tags or not
                word_brands += 1
    assert 3 <= tagged <= 24  # some pages, not all (in place three in ten, templates half)
    assert word_brands <= 2
