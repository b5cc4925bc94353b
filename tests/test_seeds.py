"""The mission in miniature: the real farm page and an honest page of the same story."""

from __future__ import annotations

import json
import re

import pytest

import spamfarm


def test_seed_farm_page_scores_high_and_names_its_evidence(seed_farm_html: str) -> None:
    ex = spamfarm.explain(seed_farm_html)
    assert ex.probability >= 0.9
    assert ex.is_spam and ex.verdict == "spam"
    # "Indexbit Exchange" injected both in the title and in mid-sentence
    assert "Indexbit Exchange" in [e.text for e in ex.evidence("title_affix_offtopic")]
    assert "Indexbit Exchange" in [e.text for e in ex.evidence("title_affix_in_h1")]
    mid = [e for e in ex.evidence("injected_glued_phrase") if e.text == "Indexbit Exchange"]
    assert mid and "migrants are Indexbit Exchangecrossing" in mid[0].context
    assert mid[0].span is not None and mid[0].context[mid[0].span[0] : mid[0].span[1]] == "Indexbit Exchange"
    # the three side lists, unrelated to the story
    assert {e.text for e in ex.evidence("unrelated_link_list")} == {"Related", "Ranking", "Recommendation"}
    # the reporter bio from another outlet
    bio = ex.evidence("bio_other_outlet")
    assert [e.text for e in bio] == ["cbsnews.com"]
    assert "Caitlin Yilek is a politics reporter at cbsnews.com" in bio[0].context
    assert bio[0].against == "securehorizongrowth.com"
    # the fake source line
    assert "Algosensey Quantitative Think Tank Center View" in [e.text for e in ex.evidence("source_not_site")]


def test_seed_article_page_scores_low(seed_article_html: str) -> None:
    ex = spamfarm.explain(seed_article_html)
    assert ex.probability <= 0.1
    assert not ex.is_spam


def test_seed_farm_page_with_its_url(seed_farm_html: str) -> None:
    assert spamfarm.score(seed_farm_html, url="https://www.securehorizongrowth.com/news/2025-04-07/46812.html") >= 0.9


def test_explanation_is_json_serialisable_and_frozen(seed_farm_html: str) -> None:
    ex = spamfarm.explain(seed_farm_html, threshold=0.99)
    d = json.loads(json.dumps(ex.as_dict()))
    assert d["threshold"] == 0.99
    assert d["verdict"] == ("spam" if ex.probability >= 0.99 else "ok")
    assert [s["name"] for s in d["signals"]] == list(spamfarm.FEATURE_NAMES)
    assert d["model_version"] == ex.model_version
    assert ex.contributions and ex.contributions[0][1] >= ex.contributions[-1][1]
    assert "Explanation" in repr(ex)
    try:
        ex.probability = 0.0  # type: ignore[misc]
    except AttributeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("Explanation must be frozen")


def test_score_and_explain_agree(seed_farm_html: str, seed_article_html: str) -> None:
    for html in (seed_farm_html, seed_article_html):
        assert spamfarm.score(html) == spamfarm.explain(html).probability


# Farm CMSs differ in markup: the same page written with other tags keeps its verdict and its
# mid-sentence brand.
_LAYOUTS = {
    "paragraphs as divs": lambda h: re.sub(r"<(/?)p\b", r"<\1div", h),
    "no classes or ids": lambda h: re.sub(r"\s(?:class|id)=\"[^\"]*\"", "", h),
    "paragraphs as <br> lines": lambda h: re.sub(r"</p>\s*<p[^>]*>", "<br><br>", h),
    "lists without headings": lambda h: re.sub(r"<h[2-4][^>]*>[^<]*</h[2-4]>", "", h),
    "no h1": lambda h: re.sub(r"<h1[^>]*>.*?</h1>", "", h, flags=re.S),
}


@pytest.mark.parametrize("layout", sorted(_LAYOUTS))
def test_seed_farm_page_in_other_markup(seed_farm_html: str, layout: str) -> None:
    html = _LAYOUTS[layout](seed_farm_html)
    assert html != seed_farm_html
    ex = spamfarm.explain(html)
    assert ex.probability >= 0.9, layout
    assert "Indexbit Exchange" in [e.text for e in ex.evidence("injected_glued_phrase")], layout
