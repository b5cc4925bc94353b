"""The input gate: accepted types, decoding, and odd but real pages."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup

import spamfarm
from spamfarm import _page

from .conftest import PARKS, article


@pytest.mark.parametrize("bad", [None, 42, 3.5, ["<p>x</p>"], {"html": "x"}, io.StringIO("<p>x</p>")])
def test_wrong_types_raise_type_error_naming_accepted_types(bad: object) -> None:
    with pytest.raises(TypeError, match="str, bytes or a BeautifulSoup"):
        spamfarm.score(bad)
    with pytest.raises(TypeError, match="str, bytes or a BeautifulSoup"):
        spamfarm.explain(bad)


def test_url_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="url"):
        spamfarm.score("<p>x</p>", url=123)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t",
        "just some text without markup",
        "<html>",
        "<p>",
        b"",
        b"\x00\x01\x02\xff\xfe",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
        "a\x00b<p>nul</p>",
    ],
)
def test_odd_pages_get_a_score(html: object) -> None:
    p = spamfarm.score(html)
    assert 0.0 <= p <= 1.0


def test_bytes_are_decoded_by_meta_charset_and_bom() -> None:
    text = article(PARKS.replace("city", "Stadt für Bürger"))
    cp1252 = text.replace("charset='utf-8'", "charset='windows-1252'").encode("cp1252")
    assert "Bürger" in _page.parse(cp1252).main_text
    utf16 = text.encode("utf-16")  # with BOM
    assert "Bürger" in _page.parse(utf16).main_text
    bom8 = b"\xef\xbb\xbf" + text.encode("utf-8")
    assert "Bürger" in _page.parse(bom8).main_text
    assert spamfarm.score(cp1252) == pytest.approx(spamfarm.score(text), abs=1e-9)


def test_beautifulsoup_objects_are_accepted() -> None:
    html = article(PARKS)
    soup = BeautifulSoup(html, "html.parser")
    assert spamfarm.score(soup) == pytest.approx(spamfarm.score(html), abs=1e-9)


def test_oversized_pages_are_cut_and_marked() -> None:
    html = article(PARKS * 5)
    page = _page.parse(html, max_chars=2000)
    assert page.truncated
    assert not _page.parse(html).truncated


def test_transport_charset_decodes_bytes_without_a_meta_charset() -> None:
    body = "<html><body><p>Grüße aus Köln, wo die Straßenbahn heute früher fährt als gestern.</p></body></html>"
    data = body.encode("cp1252")
    ex = spamfarm.explain(data, encoding="windows-1252")
    assert "Straßenbahn" in ex.text
    assert 0.0 <= spamfarm.score(data, encoding="no-such-charset") <= 1.0  # unknown names fall back to detection


def test_text_after_a_skipped_element_is_read_once() -> None:
    # scripts, SVG icons and iframes are skipped, but the text after them belongs to the block
    # (and to the link around an icon) once, not twice
    page = _page.parse(
        "<html><body><article><p>alpha<script>var x = 1;</script> beta <svg><path/></svg> gamma"
        "<iframe src='x'></iframe> delta <a href='/s'><svg></svg>Share this</a></p></article></body></html>"
    )
    assert [b.text for b in page.blocks] == ["alpha beta gamma delta Share this"]
    assert [link.text for link in page.links] == ["Share this"]


STORY = (
    "<p>The council approved a new budget for the city parks on Tuesday, with money for trees and paths.</p>"
    "<p>Residents had asked for more lighting on the river paths and for new benches near the fountain.</p>"
)
SIDEBAR = "<aside class='sidebar'><p>Sign up for our newsletter and get the top stories in your inbox.</p></aside>"


@pytest.mark.parametrize(
    "wrapper",
    [
        "<div class='content-sidebar-wrap'><main class='content'><article>{story}</article></main>{side}</div>",
        "<div class='container has-sidebar'><main><h1>Parks budget approved</h1>{story}</main>{side}</div>",
        "<div class='elementor-widget-wrap'><div class='entry'><article>{story}</article></div>{side}</div>",
        # Blogger: the posts sit in a "widget Blog"; schema.org marks the post's text
        "<div class='widget Blog'><div class='post-body' itemprop='description articleBody'>{story}</div></div>{side}",
    ],
)
def test_a_layout_wrapper_named_after_its_sidebar_is_not_boilerplate(wrapper: str) -> None:
    # WordPress themes (Genesis's "content-sidebar-wrap"), "has-sidebar" grids and page builders
    # name the wrapper around the article and the sidebar after the sidebar; it holds the page's
    # <main> or <article>, so it is layout, and the sidebar inside stays boilerplate
    page = _page.parse("<html><body>" + wrapper.format(story=STORY, side=SIDEBAR) + "</body></html>")
    assert "Residents had asked" in page.main_text
    assert "newsletter" not in page.main_text
    # a sidebar is still boilerplate when it holds no main or article, and a header holding the
    # site's name in an <h1> stays boilerplate too
    header = _page.parse(
        "<html><body><div class='site-header'><h1>Parks Gazette</h1><p>The Parks Gazette brings you news, "
        f"events and opinion from every park in the city.</p></div><article>{STORY}</article></body></html>"
    )
    assert "Gazette" not in header.main_text
    alone = _page.parse(f"<html><body><div class='sidebar-right'>{STORY}</div><article>{STORY}</article></body></html>")
    assert len(alone.main) == 2


def test_page_builder_widgets_are_not_boilerplate() -> None:
    # Elementor wraps every heading and text box in an "elementor-widget"; its menus still say so
    box = "<div class='elementor-widget elementor-widget-text-editor'><div class='elementor-widget-container'>"
    menu = "<div class='elementor-widget elementor-widget-nav-menu'><ul><li>Home</li></ul><p>{}</p></div>"
    page = _page.parse(f"<html><body>{menu.format(STORY.replace('<p>', ''))}{box}{STORY}</div></div></body></html>")
    assert "Residents had asked" in page.main_text
    assert len(page.main) == 2  # the menu's copy of the story is not main text


@pytest.mark.parametrize(
    "wrapper",
    [
        "<div class='entry-content no-share'>{story}</div>",  # JNews: the post's text without share buttons
        "<div class='post-content-wrap has-share-float'>{story}</div>",  # a wrapper holding share buttons
        "<div class='content without-sidebar'>{story}</div>",
        "<div class='post hide-comments'>{story}</div>",
    ],
)
def test_a_class_saying_what_the_text_lacks_or_holds_is_not_boilerplate(wrapper: str) -> None:
    # "no-share", "has-share-float", "without-sidebar": the token names what the element lacks
    # or holds, not what it is; "post-share" and "share" are share boxes still
    page = _page.parse(f"<html><body>{wrapper.format(story=STORY)}{SIDEBAR}</body></html>")
    assert "Residents had asked" in page.main_text
    assert "newsletter" not in page.main_text
    for share in ("post-share", "share", "piano-share"):
        boxed = _page.parse(f"<html><body><article>{STORY}</article><div class='{share}'>{STORY}</div></body></html>")
        assert len(boxed.main) == 2, share
