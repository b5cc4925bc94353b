"""Other kinds of web spam: each ``spam.*`` signal on pages that have the trick and pages that don't,
and the spam simulator making each kind deterministically."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spamfarm import _page
from spamfarm.farm import PoolPage
from spamfarm.signals import Resources, webspam
from spamfarm.spamsim import SPAM_KINDS, SpamSimulator

from .conftest import PARKS, article

URL = "https://www.riversidegazette.com/parks"
NO_MODELS = Resources()


def values(html: str, url: str | None = URL, res: Resources = NO_MODELS) -> dict[str, float]:
    return {s.name: s.value for s in webspam.extract(_page.parse(html, url=url), res)}


def evidence(html: str, name: str, url: str | None = URL) -> list[str]:
    sig = next(s for s in webspam.extract(_page.parse(html, url=url), NO_MODELS) if s.name == name)
    return [e.text for e in sig.evidence]


def test_an_honest_article_fires_none_of_the_tricks() -> None:
    v = values(article(PARKS))
    for name in ("hidden_links", "hidden_words", "redirect", "machine_filler", "hacked_terms", "result_snippets"):
        assert v[f"spam.{name}"] == 0.0, name
    assert v["spam.title_repeats"] <= 1


@pytest.mark.parametrize(
    "style", ["display:none", "visibility: hidden", "position:absolute;left:-9999px", "font-size:0px", None]
)
def test_hidden_links_to_other_sites(style: str | None) -> None:
    links = "".join(f"<a href='https://cheap-pills{i}.top/'>buy pills online {i}</a> " for i in range(6))
    attrs = f"style='{style}'" if style else "hidden"
    v = values(article(PARKS + f"<div {attrs}>{links}</div>"))
    assert v["spam.hidden_links"] > 1.5
    assert "buy pills online 0" in evidence(article(PARKS + f"<div {attrs}>{links}</div>"), "spam.hidden_links")


def test_hidden_keywords_count_though_the_walk_reads_them_as_a_paragraph() -> None:
    cities = " ".join(f"plumber near me {c}" for c in ("Rome", "Phoenix", "Vienna", "Milan", "Toronto", "Leeds"))
    html = article(PARKS.replace("</p>", f"</p><div style='font-size:0px'><p>{cities}</p></div>", 1))
    v = values(html)
    assert v["spam.hidden_words"] > 2
    assert evidence(html, "spam.hidden_words")[0].startswith("plumber near me Rome")
    # the same words in plain sight are not hidden
    assert values(article(PARKS.replace("</p>", f"</p><div><p>{cities}</p></div>", 1)))["spam.hidden_words"] == 0


def test_only_a_short_anchor_can_name_its_site() -> None:
    assert webspam._names_its_site("Riverside Gazette", "riversidegazette.com")
    # a broken page can make one anchor swallow a megabyte; it is not read as a name (cost)
    assert not webspam._names_its_site("Riverside Gazette " + "word " * 1000, "riversidegazette.com")


def test_code_inside_hidden_parts_is_not_hidden_text() -> None:
    code = "<script>var wrdat = new Array(); wrdat[0] = 'wolkig regen';</script><style>.css-x{display:flex}</style>"
    assert values(article(PARKS + f"<div style='display:none'>{code}</div>"))["spam.hidden_words"] == 0


def test_hidden_links_to_the_own_site_and_visible_links_do_not_count() -> None:
    own = "".join(f"<a href='https://www.riversidegazette.com/s{i}'>Section {i}</a>" for i in range(6))
    visible = "".join(f"<a href='https://partner{i}.org/'>Partner {i}</a>" for i in range(6))
    social = "".join(f"<a href='https://{d}/gazette'><img src='i.png'></a>" for d in ("facebook.com", "x.com"))
    html = article(PARKS + f"<div style='display:none'>{own}{social}</div><div>{visible}</div>")
    assert values(html)["spam.hidden_links"] == 0.0


def test_keyword_stuffing() -> None:
    stuffed = " ".join(["Cheap flights London, best cheap flights, cheap flights deals."] * 30)
    html = article(
        PARKS + f"<p>{stuffed}</p>",
        title="Cheap Flights | Cheap Flights London | Best Cheap Flights",
        head="<meta name='keywords' content='" + ", ".join(f"cheap flights {i}" for i in range(40)) + "'>",
    )
    v = values(html)
    assert v["spam.keyword_density"] > 0.1 and v["spam.title_repeats"] >= 3 and v["spam.meta_keywords"] > 3
    assert evidence(html, "spam.keyword_density")[0] in ("cheap", "flights")


def test_keyword_density_is_read_on_short_pages_too() -> None:
    # 115 content words: a thin stuffed page, where stuffers write; 200 used to be the floor
    stuffed = (
        "<p>Looking for a locksmith in Kettering? Our Kettering locksmith team opens doors fast.</p>"
        "<p>Every Kettering locksmith job is priced upfront, and our locksmith vans reach Kettering streets "
        "within the hour, day and night.</p>"
    ) * 5
    v = values(article(stuffed, title="Locksmith Kettering"))
    assert v["spam.keyword_density"] > 0.12
    # an honest page of the same length has no word near that share
    assert 0 < values(article(PARKS + PARKS.replace("council", "board")))["spam.keyword_density"] < 0.1
    # below 100 content words nothing is read
    assert values(article("<p>Locksmith Kettering, locksmith Kettering.</p>" * 3))["spam.keyword_density"] == 0


def test_a_phrase_stuffed_into_one_paragraph() -> None:
    stuffed = " ".join(
        ["Looking for plumber near me in Boston?", "Our plumber near me is the best plumber near me."] * 4
    )
    v = values(article(PARKS + f"<p>{stuffed}</p>"))
    assert v["spam.stuffed_phrase"] > 2  # log(1 + 12)
    assert evidence(article(PARKS + f"<p>{stuffed}</p>"), "spam.stuffed_phrase") == ["plumber near"]
    # the same words spread over an honest article, a table of one repeated word: nothing
    assert values(article(PARKS))["spam.stuffed_phrase"] == 0
    table = "<p>" + " ".join(["row"] * 40) + "</p>"
    assert values(article(PARKS + table))["spam.stuffed_phrase"] == 0
    # an enumeration repeats its phrase inside one sentence
    zoom = "<p>Then " + ", ".join(f"{k} times zoom" for k in (1, 2, 3, 5, 10, 30, 50, 70, 100)) + ".</p>"
    assert values(article(PARKS + zoom))["spam.stuffed_phrase"] == 0
    # a hidden keyword list has no sentences: there the phrase's count is read
    cities = ("Rome", "Boston", "Leeds", "Porto", "Madrid", "Vienna", "Milan", "Berlin", "Lisbon")
    hidden = "<div style='display:none'><p>" + " ".join(f"plumber near me {c}" for c in cities) + "</p></div>"
    assert values(article(PARKS + hidden))["spam.stuffed_phrase"] > 2
    assert evidence(article(PARKS + hidden), "spam.stuffed_phrase") == ["plumber near"]
    visible = "<p>" + " ".join(f"plumber near me {c}" for c in cities) + "</p>"
    assert values(article(PARKS + visible))["spam.stuffed_phrase"] == 0  # one visible "sentence"


def test_hidden_identifier_soup_is_not_a_stuffed_phrase_but_hidden_cjk_stuffing_is() -> None:
    # an SVG sprite's symbol ids run together without spaces: identifiers, not words
    ids = "".join(f"Icon_Close_Functional_Color{c}Icon_Search_Functional_Color" for c in "ABCDEFGHIJ")
    sprite = f"<div style='display:none'><p>{ids} {ids}</p></div>"
    assert values(article(PARKS + sprite))["spam.stuffed_phrase"] == 0
    # Chinese has no spaces either, and a hidden lottery list in it is stuffing
    lottery = "".join(f"北京赛车开奖{c}" for c in "上海广州深圳杭州南京成都重庆天津武汉")
    hidden = f"<div style='display:none'><p>{lottery}</p></div>"
    assert values(article(PARKS + hidden))["spam.stuffed_phrase"] > 2


def test_term_lists() -> None:
    cities = ", ".join(f"plumber {c}" for c in "abcdefghijklmnop")
    v = values(article(PARKS + f"<p>{cities}</p>"))
    assert v["spam.term_lists"] > 0.1


@pytest.mark.parametrize(
    "trick",
    [
        "<meta http-equiv='refresh' content='0; url=https://offers.example-deals.top/go'>",
        "<script>window.location.href = 'https://offers.example-deals.top/';</script>",
        '<script>setTimeout(function(){ location.replace("https://offers.example-deals.top/") }, 10)</script>',
    ],
)
def test_redirect_to_another_site(trick: str) -> None:
    assert values(article(PARKS, head=trick))["spam.redirect"] == 1.0


@pytest.mark.parametrize(
    "trick",
    [
        "<meta http-equiv='refresh' content='0; url=https://www.riversidegazette.com/parks/new'>",
        "<meta http-equiv='refresh' content='300'>",  # a page that reloads itself
        "<script>var location_hint = 'https://elsewhere.example/'; if (x) location.href = '/en/';</script>",
    ],
)
def test_redirects_that_are_not_sneaky(trick: str) -> None:
    assert values(article(PARKS, head=trick))["spam.redirect"] == 0.0


def test_link_farm_block() -> None:
    farm = "".join(f"<li><a href='https://site{i}-loans.com/'>best loans {i}</a></li>" for i in range(25))
    social = "".join(f"<a href='https://{d}/riverside'>{d}</a>" for d in ("facebook.com", "twitter.com", "youtube.com"))
    assert values(article(PARKS + f"<ul class='partners'>{farm}</ul>"))["spam.link_farm_domains"] > 3
    assert values(article(PARKS + f"<div class='social'>{social}</div>"))["spam.link_farm_domains"] == 0.0


def test_a_link_farm_through_the_sites_own_redirect_counts_its_targets() -> None:
    # "/go?url=https%3A%2F%2F..." and "/r?to=example.com/..." send the reader to other sites as
    # plain links do; links to the site's own pages with a query are not other sites
    encoded = "".join(
        f"<li><a href='/go?url=https%3A%2F%2Fsite{i}-loans.com%2F'>best loans {i}</a></li>" for i in range(12)
    )
    bare = "".join(f"<li><a href='/r?to=site{i}-loans.com/apply'>best loans {i}</a></li>" for i in range(12))
    own = "".join(f"<li><a href='/search?q=loans+{i}&page=2'>best loans {i}</a></li>" for i in range(12))
    assert values(article(PARKS + f"<ul class='partners'>{encoded}</ul>"))["spam.link_farm_domains"] > 2.5
    assert values(article(PARKS + f"<ul class='partners'>{bare}</ul>"))["spam.link_farm_domains"] > 2.5
    assert values(article(PARKS + f"<ul class='partners'>{own}</ul>"))["spam.link_farm_domains"] == 0.0


@pytest.mark.parametrize(
    "sentence",
    [
        "I would want to see this confirmed before I rewrite the textbook.",
        "I'm an aide to the senator and I was there.",
        "The company has an AI model that sorts the mail.",
        "I am an aircraft engineer.",
    ],
)
def test_chatbot_phrases_match_whole_words_only(sentence: str) -> None:
    assert values(article(PARKS + f"<p>{sentence}</p>"))["spam.machine_filler"] == 0.0
    leftover = "Here is a rewritten version of the text. I am an AI, so check the figures."
    assert values(article(PARKS + f"<p>{leftover}</p>"))["spam.machine_filler"] == 2.0


def test_badges_without_anchor_text_are_not_a_link_farm() -> None:
    # a blog's footer of browser, processor and host badges: image links with no words
    badges = "".join(
        f"<a href='https://www.{d}/'><img src='/img/{i}.png'></a>"
        for i, d in enumerate(("mozilla.org", "mozilla-europe.org", "amd.com", "cipha.net", "gimp.org", "debian.org"))
    )
    assert values(article(PARKS + f"<div class='footer'>{badges}</div>"))["spam.link_farm_domains"] == 0.0
    # the same block with anchor text counts
    worded = badges.replace("></a>", ">partner</a>")
    assert values(article(PARKS + f"<div class='footer'>{worded}</div>"))["spam.link_farm_domains"] > 1.5


def test_links_whose_anchor_abbreviates_their_site_are_not_a_link_farm() -> None:
    # a table of universities, each linking its own site under its name and programme
    unis = (
        ("University of Central Florida", "ucf.edu"),
        ("Southern New Hampshire University", "snhu.edu"),
        ("Ball State University", "bsu.edu"),
        ("University of Northern Iowa", "uni.edu"),
        ("Grand Canyon University", "gcu.edu"),
        ("Arizona State University", "asu.edu"),
    )
    rows = "".join(f"<li><a href='https://www.{d}/online'>{n}, Online Tuition</a></li>" for n, d in unis)
    assert values(article(PARKS + f"<ul>{rows}</ul>"))["spam.link_farm_domains"] == 0.0
    # the same anchors pointing elsewhere, and initials that only start a domain, still count
    mixed = "".join(f"<li><a href='https://www.{d[:2]}x{i}.com/'>{n}</a></li>" for i, (n, d) in enumerate(unis))
    assert values(article(PARKS + f"<ul>{mixed}</ul>"))["spam.link_farm_domains"] > 1.5


def test_citations_and_sister_sites_are_not_a_link_farm() -> None:
    cited = "".join(
        f"<p>According to a report by <a href='https://source{i}.org/r'>Source {i}</a>, the parks budget grew "
        "again this year, which residents welcomed at the meeting on Tuesday evening.</p>"
        for i in range(8)
    )
    assert values(article(PARKS + cited))["spam.link_farm_domains"] == 0.0
    sisters = "".join(
        f"<li><a href='https://www.{n.lower()}.com/'>{n}</a></li>"
        for n in ("Dicebreaker", "Eurogamer", "Rockpapershotgun", "Gamesindustry", "Vg247", "Reedpop")
    )
    assert values(article(PARKS + f"<ul class='network'>{sisters}</ul>"))["spam.link_farm_domains"] == 0.0
    # a party's regional sites, whose names start like the page's own, under anchors that do not
    # name them ("KV Bergstraße" -> piraten-bergstrasse.de)
    branches = "".join(
        f"<li><a href='https://www.piraten-{n.lower()}.de/'>KV {n}er Land</a></li>"
        for n in ("Bergstrasse", "Darmstadt", "Fulda", "Giessen", "Kassel", "Marburg")
    )
    url = "https://www.piratenpartei-hessen.de/blog/nachbarschaftshilfe/"
    assert values(article(PARKS + f"<ul class='kv'>{branches}</ul>"), url=url)["spam.link_farm_domains"] == 0.0
    # a short common start is a word many sites share, not a network
    assert (
        values(article(PARKS + f"<ul class='kv'>{branches}</ul>"), url="https://www.piraterie.de/a/")[
            "spam.link_farm_domains"
        ]
        > 1.5
    )


def test_machine_filler_in_several_languages() -> None:
    en = "<p>Certainly! Here is the rewritten article:</p>" + PARKS + "<p>I hope this helps!</p>"
    zh = "<p>作为一个人工智能语言模型，我无法访问互联网。</p>" + PARKS
    assert values(article(en))["spam.machine_filler"] == 2
    assert values(article(zh))["spam.machine_filler"] == 1
    assert (
        values(article(PARKS + "<p>The model of the new park was shown to residents.</p>"))["spam.machine_filler"] == 0
    )


def test_a_quoted_chatbot_phrase_is_a_mention_not_a_leftover() -> None:
    about = (
        '<p>One review began "As an AI language model, I do not own a hose" and went on to complain.</p>'
        "<p>Her team searched for stock phrases such as \u201cas of my last knowledge update\u201d and "
        "\u00ab regenerate response \u00bb across millions of pages.</p>"
    )
    assert values(article(PARKS + about))["spam.machine_filler"] == 0
    # the same phrases left in the text unquoted are leftovers
    left = "<p>As an AI language model, I do not own a hose.</p><p>Regenerate response</p>"
    assert values(article(PARKS + left))["spam.machine_filler"] == 2
    # a chatbot's reply shown as a quotation (a review of the tool) is a mention too, inner blocks included
    shown = (
        "<p>Asked to write a product page, the assistant answered:</p>"
        "<blockquote><p>Certainly! Here is a product description for your hose.</p><p>I hope this helps!</p>"
        "</blockquote><p>Asked again, it said <q>As an AI language model, I cannot see your garden</q>.</p>"
    )
    assert values(article(PARKS + shown))["spam.machine_filler"] == 0
    assert values(article(PARKS + shown + left))["spam.machine_filler"] == 2


def test_hacked_terms_in_title_meta_and_hidden_links() -> None:
    html = article(
        PARKS,
        title="百家乐 娱乐城 - Council approves new budget for city parks",
        head="<meta name='description' content='online casino slot gacor'>",
    )
    v = values(html)
    assert v["spam.hacked_terms"] >= 3
    assert "百家乐" in evidence(html, "spam.hacked_terms")


def test_a_page_about_gambling_is_not_hacked() -> None:
    body = "".join(
        f"<p>The casino commission said the new casino licence for the riverside casino would be reviewed {i}.</p>"
        for i in range(5)
    )
    assert values(article(body, title="Casino licence reviewed"))["spam.hacked_terms"] == 0.0


_SNIPPET = (
    "snippet text of result {i} copied from the search engine, about twenty words long, with an ellipsis at "
    "its very end ..."
)


def results_page(n: int, href: str, *, between: str = "", head: str = "h3", lead: str = "") -> str:
    """A page of ``n`` search results: a headline link, the lines ``between``, and a snippet cut by
    an ellipsis after ``lead`` (``href``, ``between`` and ``lead`` formatted with the result's
    number ``i``)."""
    return "".join(
        f"<div><{head}><a href='{href.format(i=i)}'>A headline about topic number {i} today</a></{head}>"
        f"{between.format(i=i)}<p>{lead.format(i=i)}{_SNIPPET.format(i=i)}</p></div>"
        for i in range(n)
    )


def test_result_snippets() -> None:
    assert values(article(results_page(10, "https://source{i}.com/story")))["spam.result_snippets"] > 2
    assert values(article(PARKS))["spam.result_snippets"] == 0.0


def test_result_snippets_after_a_displayed_address_and_a_date() -> None:
    between = "<div class='u'>www.source{i}.com › guides › topic</div><div>Mar 3, 2024</div>"
    page = results_page(10, "https://source{i}.com/story", between=between, head="span", lead="... ")
    v = values(article(page))
    assert v["spam.result_snippets"] > 2
    assert v["spam.cut_snippets"] == 1.0


def test_result_snippets_behind_the_scrapers_own_redirect() -> None:
    via_query = results_page(8, "/r?to=source{i}.com%2Fstory&pos={i}")
    shown_only = results_page(8, "/out/100{i}", between="<div>www.source{i}.com › guides</div>")
    assert values(article(via_query))["spam.result_snippets"] > 2
    assert values(article(shown_only))["spam.result_snippets"] > 2
    # a site's own listing of its stories, its own address under each, is not a result page
    own = results_page(8, "/news/story-{i}", between="<div>www.riversidegazette.com › news</div>")
    assert values(article(own))["spam.result_snippets"] == 0.0
    # a broken href (an unbalanced "[" makes urlsplit raise) gives no target; the address line counts
    broken = results_page(8, "http://[r.example/go?to=source{i}.com", between="<div>www.source{i}.com › guides</div>")
    assert values(article(broken))["spam.result_snippets"] > 2


def test_result_snippets_with_the_address_beside_the_headline_or_opening_the_snippet() -> None:
    # title and address on one line, after a rank or a label; links through the scraper's redirect
    beside = "".join(
        f"<div class='card'><span>#{i}</span> <a href='/out/48{i}'>A headline about topic number {i} today</a>"
        f" <span class='u'>www.source{i}.de › guides › topic</span><p>{_SNIPPET.format(i=i)}</p></div>"
        for i in range(8)
    )
    v = values(article(beside))
    assert v["spam.result_snippets"] > 2 and v["spam.cut_snippets"] == 1.0
    assert evidence(article(beside), "spam.result_snippets")  # the results are named
    # the address opens the snippet, and the snippet's cut comes after it
    opening = results_page(8, "/out/100{i}", lead="www.source{i}.es › coche ... ")
    v = values(article(opening))
    assert v["spam.result_snippets"] > 2 and v["spam.cut_snippets"] == 1.0
    # a site's own name opening a sentence is no address, nor is a domain in a line of several words
    named = results_page(8, "/out/100{i}", lead="Source{i}.com said that ")
    assert values(article(named))["spam.result_snippets"] == 0.0
    wordy = "".join(
        f"<div><a href='/out/48{i}'>A headline about topic number {i} today</a> as reported by the editors"
        f" of www.source{i}.de<p>{_SNIPPET.format(i=i)}</p></div>"
        for i in range(8)
    )
    assert values(article(wordy))["spam.result_snippets"] == 0.0


def test_a_displayed_address_is_read_whole_and_only_where_a_word_starts() -> None:
    from spamfarm.signals.webspam import _ADDRESS_RE, _LEADING_ADDRESS_RE

    # a host in another script is read whole, not from its first ASCII letter on
    m = _ADDRESS_RE.search("#2 www.bücher-müller.de › kfz")
    assert m is not None and m.group(1) == "www.bücher-müller.de"
    # an e-mail address is no displayed address, nor is a host inside a longer token
    assert _ADDRESS_RE.search("Kontakt info@acme-plumbing.com") is None
    assert _ADDRESS_RE.search("ref/www.example.com") is None
    # a breadcrumb never swallows the snippet's opening ellipsis
    m = _LEADING_ADDRESS_RE.match("www.source1.es › ... the snippet goes on")
    assert m is not None and m.group(0) == "www.source1.es"
    opening = results_page(8, "/out/100{i}", lead="www.source{i}.es › ... ")
    snippet_cut_only_at_its_start = article(opening.replace("at its very end ...", "at its very end"))
    v = values(snippet_cut_only_at_its_start)
    assert v["spam.result_snippets"] > 2 and v["spam.cut_snippets"] == 1.0


def test_links_with_whole_sentence_blurbs_are_not_cut_snippets() -> None:
    picks = "".join(
        f"<div><h3><a href='https://blog{i}.net/post'>A favourite post from blog number {i}</a></h3>"
        f"<p>Blog {i} wrote a careful piece on restoring old bicycles, with photos of every step and a list "
        "of the tools it needs.</p></div>"
        for i in range(6)
    )
    v = values(article(PARKS + picks))
    assert v["spam.result_snippets"] > 1
    assert v["spam.cut_snippets"] == 0.0


def test_keyword_density_counts_cjk_character_pairs_as_half_words() -> None:
    stuffed = "".join(f"<p>{'脱毛東京安い脱毛クリニック。' * 4}東京で安い脱毛なら当院へ。</p>" for _ in range(8))
    plain = "".join(
        f"<p>{t}</p>"
        for t in (
            "新しい美術館が市の中心部に開館し、多くの市民が初日に訪れた。",
            "館内には地元の画家の作品や歴史資料が展示されている。",
            "市長は開館式で文化の発展に期待を示した。",
            "入場料は大人五百円で、子どもは無料となる。",
        )
        * 6
    )
    assert values(article(stuffed, title="脱毛 東京 安い"))["spam.keyword_density"] > 0.15
    assert values(article(plain, title="新しい美術館が開館"))["spam.keyword_density"] < 0.1


def test_citations_inside_paragraphs_are_not_result_headlines() -> None:
    body = "".join(
        f"<p>The figures come from <a href='https://agency{i}.org/report'>a report by the statistics agency</a> "
        f"published last spring, which counted visitors to the parks in district {i}.</p>"
        f"<p>Council members said the count for district {i} would guide how the new budget is shared out "
        "between playgrounds, trees and paths.</p>"
        for i in range(6)
    )
    assert values(article(body))["spam.result_snippets"] == 0.0


def test_templated_anchors_of_a_doorway_network() -> None:
    towns = ["Leeds", "York", "Bradford", "Wakefield", "Halifax", "Harrogate", "Selby", "Otley", "Ilkley"]
    links = "".join(f"<li><a href='/plumber-{t.lower()}/'>Emergency plumber in {t}</a></li>" for t in towns)
    v = values(article(PARKS + f"<ul>{links}</ul>"))
    assert v["spam.templated_anchors"] == round(math.log1p(len(towns)), 4)
    assert "Emergency plumber in Leeds" in evidence(article(PARKS + f"<ul>{links}</ul>"), "spam.templated_anchors")[0]
    # four siblings are not a template yet, and different anchors are not one
    few = "".join(f"<li><a href='/plumber-{t.lower()}/'>Emergency plumber in {t}</a></li>" for t in towns[:4])
    menu = "".join(f"<li><a href='/{w}/'>{w.title()} news and views</a></li>" for w in ("local", "sport"))
    assert values(article(PARKS + f"<ul>{few}{menu}</ul>"))["spam.templated_anchors"] == 0.0
    assert values(article(PARKS))["spam.templated_anchors"] == 0.0


def test_templated_anchors_with_the_slot_inside() -> None:
    # the town in the middle, some of two words: "<service> in <town>, <state>"
    towns = ["Clearwater", "St. Petersburg", "Plant City", "Largo", "Brandon", "Palm Harbor", "Dunedin"]
    links = "".join(f"<li><a href='/r-{i}/'>Water Damage Restoration in {t}, FL</a></li>" for i, t in enumerate(towns))
    assert values(article(PARKS + f"<ul>{links}</ul>"))["spam.templated_anchors"] == round(math.log1p(len(towns)), 4)
    # dates, sizes and counts change digits, not words; "What is ..." shares only stop words
    dates = "".join(f"<li><a href='/d{i}/'>Nov {i}, 2025</a></li>" for i in range(1, 12))
    sizes = "".join(f"<li><a href='/s{i}/'>Trail Running Shoe Size {i}</a></li>" for i in range(4, 14))
    faq = "".join(
        f"<li><a href='/q{i}/'>What is a {w}?</a></li>" for i, w in enumerate("bond loan lease share fund".split())
    )
    assert values(article(PARKS + f"<ul>{dates}{sizes}{faq}</ul>"))["spam.templated_anchors"] == 0.0


def test_sibling_anchors_of_two_words() -> None:
    # "Schlüsseldienst <Stadt>": two-word anchors the template reading cannot take (one shared word)
    towns = "Köln Bonn Aachen Düren Neuss Kerpen Brühl Hürth Frechen Pulheim Bergheim Wesseling".split()
    links = "".join(f"<li><a href='/sd-{i}/'>Schlüsseldienst {t}</a></li>" for i, t in enumerate(towns))
    page = article(PARKS + f"<ul>{links}</ul>")
    v = values(page)
    assert v["spam.templated_anchors"] == 0.0
    assert v["spam.sibling_anchors"] == round(math.log1p(len(towns)), 4)
    assert "Schlüsseldienst Köln" in evidence(page, "spam.sibling_anchors")[0]
    # the shared word may come last: "<town> plumbers"
    last = "".join(f"<li><a href='/p-{i}/'>{t} plumbers</a></li>" for i, t in enumerate(towns))
    assert values(article(PARKS + f"<ul>{last}</ul>"))["spam.sibling_anchors"] == round(math.log1p(len(towns)), 4)
    # nine siblings are not enough; a shared stop word ("the"), digits and longer anchors do not count
    few = "".join(f"<li><a href='/sd-{i}/'>Schlüsseldienst {t}</a></li>" for i, t in enumerate(towns[:9]))
    the = "".join(f"<li><a href='/t-{i}/'>The {t}</a></li>" for i, t in enumerate(towns))
    nums = "".join(f"<li><a href='/n-{i}/'>Page {i}</a></li>" for i in range(20))
    assert values(article(PARKS + f"<ul>{few}{the}{nums}</ul>"))["spam.sibling_anchors"] == 0.0
    assert values(article(PARKS))["spam.sibling_anchors"] == 0.0


def test_hacked_terms_hidden_inside_the_main_text_are_not_discussion() -> None:
    pills = (
        "<div style='display:none'><p>Buy viagra online, cheap cialis, levitra and kamagra, payday loans and "
        "online casino bonus codes, all without prescription.</p></div>"
    )
    body = PARKS.replace("</p>", "</p>" + pills, 1)
    html = article(body, title="Buy Viagra Online | Council approves new budget for city parks")
    assert values(html)["spam.hacked_terms"] >= 1


def test_stitched_paragraphs_hang_together_less() -> None:
    stitched = "".join(
        f"<p>{t}.</p>"
        for t in (
            "Football clubs signed strikers and goalkeepers before the summer transfer window closed in August",
            "Volcanic eruptions released ash clouds over remote islands where fishing villages evacuated families",
            "Quantum processors encode qubits using superconducting circuits cooled close to absolute zero",
            "Bakers recommend sourdough starters fed with rye flour twice every morning for flavour",
        )
    )
    assert values(article(stitched))["spam.paragraph_cohesion"] < values(article(PARKS))["spam.paragraph_cohesion"]


def test_affiliate_links_to_one_shop_are_not_a_result_list() -> None:
    items = "".join(
        f"<div><a href='https://shop.example/p{i}'>check price at the shop</a></div><p>Product {i} is a light "
        "mouse with a long battery life and a good sensor, our pick for most players this year.</p>"
        for i in range(6)
    )
    assert values(article(PARKS + items))["spam.result_snippets"] == 0.0


def test_redirect_within_the_sites_own_domains_without_a_url() -> None:
    links = "".join(f"<a href='https://www.bignews.com/s/{i}'>Story {i}</a> " for i in range(5))
    html = article(PARKS + links, head="<script>location.href = 'https://m.bignews.com/';</script>")
    assert values(html, url=None)["spam.redirect"] == 0.0
    long_script = "<script>" + "var a = 1;" * 200 + "function f(){ location.href = 'https://x.example/'; }</script>"
    assert values(article(PARKS, head=long_script))["spam.redirect"] == 0.0


# --- the simulator --------------------------------------------------------------------------------

POOL = [
    PoolPage(
        f"Headline number {i} about {topic} and what happens next",
        f"outlet{i}.com",
        f"Outlet {i}",
        f"A paragraph from outlet {i} about {topic}, long enough to serve as a scraped snippet for a doorway "
        f"page, with details about {topic} and the people involved in it, and what they said next.",
    )
    for i, topic in enumerate(["football", "film stars", "weather", "crypto", "music", "cars"] * 5)
]
HTML = article(PARKS + PARKS.replace("council", "board"), head=f"<link rel='canonical' href='{URL}'>")

EXPECTED = {
    "keyword_stuffing": ("spam.title_repeats", "spam.meta_keywords", "spam.stuffed_phrase"),
    "hidden_text": ("spam.hidden_links", "spam.hidden_words"),
    "doorway": ("spam.result_snippets", "spam.templated_anchors"),
    "machine_filler": ("spam.machine_filler",),
    "hacked_injection": ("spam.hacked_terms",),
    "link_spam": ("spam.link_farm_domains",),
    "sneaky_redirect": ("spam.redirect",),
}


@pytest.mark.parametrize("kind", SPAM_KINDS)
def test_each_kind_is_made_deterministically(kind: str) -> None:
    a = SpamSimulator(POOL, seed=3).spam(HTML, url=URL, key="k", kind=kind)
    b = SpamSimulator(POOL, seed=3).spam(HTML, url=URL, key="k", kind=kind)
    assert a is not None and a == b and a.label == 1 and a.techniques == (kind,)
    assert a.html != HTML


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_kind_leaves_its_trace(kind: str) -> None:
    honest = values(HTML)
    hits = 0
    for key in range(8):
        page = SpamSimulator(POOL, seed=0).spam(HTML, url=URL, key=str(key), kind=kind)
        assert page is not None
        v = values(page.html, page.url)
        hits += any(v[name] > honest[name] for name in EXPECTED[kind])
    assert hits >= 7, f"{kind}: its signals moved on {hits} of 8 pages"


@pytest.mark.parametrize("kind", SPAM_KINDS)
def test_pages_without_editable_paragraphs_are_skipped(kind: str) -> None:
    html = article("".join(f"<section>{p}</section>" for p in PARKS.replace("<p>", "").split("</p>") if p))
    assert SpamSimulator(POOL).spam(html, url=URL, key="k", kind=kind) is None


def test_unknown_kind_and_small_pool() -> None:
    with pytest.raises(ValueError):
        SpamSimulator(POOL[:5])
    with pytest.raises(ValueError):
        SpamSimulator(POOL).spam(HTML, url=URL, key="k", kind="nope")


def test_framed_doorways_and_thin_stuffing_keep_the_sites_frame_and_drop_its_article() -> None:
    framed = 0
    for key in range(40):
        for kind in ("doorway", "keyword_stuffing"):
            page = SpamSimulator(POOL, seed=0).spam(HTML, url=URL, key=str(key), kind=kind)
            assert page is not None
            if '<div class="content">' in page.html:
                framed += 1
                assert "<nav>" in page.html and "<footer>" in page.html and page.html.count("<h1>") == 1
                # the article is gone (a doorway or stuffer may reuse some of its sentences)
                assert PARKS not in page.html and PARKS in HTML
    assert framed >= 10  # about half of doorways and two fifths of stuffed pages


@pytest.mark.parametrize("kind", ["keyword_stuffing", "doorway", "word_salad", "machine_filler"])
def test_spam_made_on_the_spammers_own_site_mostly_names_that_site(kind: str) -> None:
    # The borrowed page's canonical and og:url left in place would tell these pages apart by
    # byline.site_mismatch alone, which a spammer's own CMS does not leave; a few careless copies do.
    page_html = HTML.replace("<head>", f"<head><meta property='og:url' content='{URL}'>").replace(
        "<a href='/news'>", f"<a href='{URL}/more'>"
    )
    borrowed = kept_links = 0
    for key in range(40):
        page = SpamSimulator(POOL, seed=0).spam(page_html, url=URL, key=str(key), kind=kind)
        assert page is not None
        borrowed += "riversidegazette.com/parks'" in page.html.replace('"', "'").split("<body")[0]
        kept_links += f"{URL}/more" in page.html
    assert 1 <= borrowed <= 12
    assert kept_links == borrowed  # on the spammer's site its own links are relative


def test_a_result_scrape_cuts_its_snippets_the_same_way_throughout() -> None:
    mixed = checked = 0
    for key in range(40):
        page = SpamSimulator(POOL, seed=0).spam(HTML, url=URL, key=str(key), kind="doorway")
        assert page is not None
        snippets = [b.text for b in _page.parse(page.html).blocks if b.tag == "p" and "outlet" in b.text]
        if len(snippets) >= 8:
            checked += 1
            cut = [t.rstrip().endswith(("...", "…")) for t in snippets]
            mixed += 0 < sum(cut) < len(cut)
    assert mixed <= 8  # one template per scraper; a few scrapers mix (a sixth of the scrapes)
    assert checked >= 10  # enough scrapes were read for the count to mean something


def _result_scrapes(keys: int) -> list:
    """The doorway pages of keys 0..keys-1 that are result scrapes (the others are city doorways)."""
    pages = [SpamSimulator(POOL, seed=0).spam(HTML, url=URL, key=str(key), kind="doorway") for key in range(keys)]
    assert all(page is not None for page in pages)
    return [page for page in pages if page is not None and 'class="result"' in page.html]


def test_a_result_scrape_answers_one_query() -> None:
    headlines = {p.headline for p in POOL}
    scrapes = _result_scrapes(40)
    for page in scrapes:
        shown = [link.text for link in _page.parse(page.html).links if "Headline number" in link.text]
        # most headlines carry the query's words next to the original headline, the same words in each
        added = [
            re.sub(r"^[\s:-]+|[\s:-]+$", "", link.replace(h, "")).lower()
            for link in shown
            for h in headlines
            if h in link and link != h
        ]
        assert len(added) >= len(shown) // 3 and len(set(added)) == 1
    assert len(scrapes) >= 10


def test_an_autoblog_names_itself_after_the_title_and_credits_the_outlet() -> None:
    kept = 0
    for key in range(20):
        page = SpamSimulator(POOL, seed=0).spam(HTML, url=URL, key=str(key), kind="autoblog")
        assert page is not None
        parsed = _page.parse(page.html)
        # the name after the title is the copy's own (its domain spelled out), not a random brand
        copy_url = re.search(r"https://[^/]+/(?:p|page|post|a)/\d+\.html", page.html)
        own_name = parsed.title.rsplit(" ", 1)[-1].lower()
        assert parsed.title.startswith("Council approves new budget for city parks")
        assert "riversidegazette.com</a>" in page.html  # the credit line links the outlet
        if copy_url is None:  # the outlet's canonical kept, as a careless copy does
            kept += 1
        else:
            assert own_name in copy_url.group(0)
    assert 4 <= kept <= 16


def test_a_result_scrapes_results_are_read_wherever_it_shows_their_addresses() -> None:
    unread: list[str] = []
    layouts: set[str] = set()
    scrapes = _result_scrapes(60)
    for page in scrapes:
        beside = '</a> <span class="url">' in page.html
        if '<span class="url">' in page.html:
            layouts.add("beside" if beside else "snippet")
        elif '<div class="url">' in page.html:
            layouts.add("below")
        if values(page.html, page.url)["spam.result_snippets"] == 0:
            # Known gap (README, "Noticed and left alone"): a headline line that is mostly its link
            # is not searched for an address beside it, so links through the scraper's own
            # redirect that name no target ("/go/123") leave such a result without a site.
            hrefs = re.findall(r'class="title">(?:<span class="rank">[^<]*</span>)?<a href="([^"]*)"', page.html)
            named = any(h.startswith(("http", "//")) or "?" in h for h in hrefs)
            unread.append("beside, no target" if beside and not named else key_layout(page.html))
    assert layouts == {"below", "beside", "snippet"}
    assert len(scrapes) >= 20
    assert set(unread) <= {"beside, no target"}, unread
    assert len(unread) <= 2  # that gap, as measured when it was found (2 of 29)


def key_layout(html: str) -> str:
    """A scrape's layout, for a failure message."""
    return "beside" if '</a> <span class="url">' in html else "snippet" if '<span class="url">' in html else "below"


def test_a_local_trade_doorway_names_the_trade_and_the_town_throughout() -> None:
    from spamfarm.spamsim import _SERVICE_COPY, _SERVICE_ITEMS, _SERVICE_TRADES

    assert set(_SERVICE_COPY) == set(_SERVICE_TRADES) == set(_SERVICE_ITEMS)
    for lines in _SERVICE_COPY.values():
        assert all(set(re.findall(r"\{(\w+)\}", line)) <= {"kw", "town"} and "{town}" in line for line in lines)
    made = 0
    for key in range(80):
        page = SpamSimulator(POOL, seed=0).spam(HTML, url=URL, key=str(key), kind="doorway")
        assert page is not None
        parsed = _page.parse(page.html)
        trade = next((t for t in _SERVICE_TRADES["en"] if parsed.title.lower().startswith(t)), None)
        if trade is None or 'class="result"' in page.html:
            continue  # a result scrape, or a doorway made of the page's own sentences
        made += 1
        town = parsed.h1[len(trade) :].strip()
        text = parsed.main_text
        assert town and text.count(town) >= 7 and text.lower().count(trade) >= 5
        assert "council" not in text.lower() or text.lower().count("council") <= 6  # mostly its own copy
        v = values(page.html, page.url)
        assert v["spam.templated_anchors"] > 0 or v["spam.sibling_anchors"] > 0  # its sibling pages
    assert made >= 5


def test_doorway_with_a_small_snippet_pool() -> None:
    pool = [p if i < 12 else PoolPage(p.headline, p.domain, p.site_name) for i, p in enumerate(POOL)]
    for key in range(10):
        page = SpamSimulator(pool, seed=0).spam(HTML, url=URL, key=str(key), kind="doorway")
        assert page is not None and page.html.count('class="result"') <= 12


def _outputs_under_hash_seeds(code: str, seeds: int) -> set[str]:
    """The distinct outputs of ``python -c code`` run from the project's root under hash seeds 0..seeds-1."""
    return {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout
        for seed in range(seeds)
    }


def test_a_doorway_page_is_the_same_whatever_the_hash_seed() -> None:
    # its query's words of one length came in set order, so `--workers 1` training (no fixed hash
    # seed) made other doorway pages from run to run: 11 of 998 shared pages tried
    code = (
        "import hashlib\n"
        "from tests.test_webspam import HTML, POOL, URL\n"
        "from spamfarm.spamsim import SpamSimulator\n"
        "for key in range(12):\n"
        "    page = SpamSimulator(POOL, seed=0).spam(HTML, url=URL, key=str(key), kind='doorway')\n"
        "    print(hashlib.sha1(page.html.encode()).hexdigest())\n"
    )
    assert len(_outputs_under_hash_seeds(code, 4)) == 1


def test_hacked_terms_at_one_offset_come_in_one_order_whatever_the_hash_seed() -> None:
    # "casino" and "casinos" start at the same offset; their order came from set iteration, so
    # the evidence of one page changed between processes
    code = "from spamfarm.signals.webspam import spam_terms; print(spam_terms('Best casinos and a casino bonus'))"
    assert _outputs_under_hash_seeds(code, 6) == {"[('casino', 5), ('casinos', 5)]\n"}
