"""The Jupyter card (``Explanation._repr_html_``), the main text it shows and where evidence sits in it."""

from __future__ import annotations

import html
import json
import re

import pytest

import spamfarm
from spamfarm._result import TEXT_CHARS, Evidence, Explanation, Signal

from .conftest import CORPUS, PARKS, article, needs_shared

CARD_TAGS = {"div", "span", "b", "table", "tr", "th", "td", "code", "details", "summary", "ul", "li", "mark"}
HOSTILE = "&lt;script&gt;alert('x')&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;"


def _marked(card: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<mark [^>]*>(.*?)</mark>", card)]


def test_seed_farm_card_shows_verdict_signals_and_marks(seed_farm_html: str) -> None:
    ex = spamfarm.explain(seed_farm_html)
    card = ex._repr_html_()
    assert ">SPAM<" in card
    assert f"p = {ex.probability:.3f}" in card
    for s in ex.signals:  # every signal with its value; those that moved the score in the table
        assert s.name in card
    table = card[card.index("<table") : card.index("</table>")]
    assert "byline.finance_source" in table and "byline.site_mismatch" not in table
    assert "injected.glued_phrases" in table  # fired, even where it adds nothing to this score
    # contributions of the strongest signals are shown with their sign
    name, c = ex.contributions[0]
    assert f"{c:+.2f}" in card
    marked = _marked(card)
    assert "Indexbit Exchange" in marked  # the glued phrase in the article's sentence
    assert "cbsnews.com" in marked  # the other outlet in the reporter's bio
    # the unrelated link lists are listed with their headings
    assert "unrelated_link_list" in card and "Recommendation" in card


def test_honest_seed_card_says_ok(seed_article_html: str) -> None:
    ex = spamfarm.explain(seed_article_html)
    card = ex._repr_html_()
    assert ">OK<" in card
    assert ex.text and ex.text[:40] in html.unescape(card)


def test_marks_point_at_the_evidence_text(seed_farm_html: str) -> None:
    ex = spamfarm.explain(seed_farm_html)
    marks = ex.marks()
    assert len(marks) >= 3
    for m in marks:
        assert ex.text[m.start : m.end] == m.evidence.text
        assert m.evidence in ex.signal(m.signal).evidence
    starts = [m.start for m in marks]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(marks, marks[1:], strict=False))
    glued = ex.evidence("injected_glued_phrase")[0]
    assert any(m.evidence == glued for m in marks)
    # the glued phrase is marked where it sits in its sentence, not at another occurrence
    m = next(m for m in marks if m.evidence == glued)
    assert ex.text[m.start : m.end + 8] == "Indexbit Exchangecrossing"


def test_text_is_the_main_text_capped() -> None:
    ex = spamfarm.explain(article(PARKS))
    assert ex.text.startswith("The city council voted on Tuesday")
    assert "Contact us" not in ex.text and "Home" not in ex.text
    long = article("".join(f"<p>{PARKS[3:-4]} Paragraph {i}.</p>" for i in range(200)))
    assert len(spamfarm.explain(long).text) == TEXT_CHARS


def test_page_strings_are_escaped() -> None:
    # A page whose text, title, link list and bio all carry markup as text (entity-encoded in the
    # HTML, so the parsed text holds a literal "<script>").
    title = f"{HOSTILE}: Council approves new budget for city parks"
    links = "".join(
        f"<li><a href='/n/{i}'>Celebrity {HOSTILE} wins award number {i} tonight</a></li>" for i in range(6)
    )
    body = (
        PARKS
        + f"<p>The mayor said the budget is {HOSTILE} fine and will help families across the northern districts.</p>"
        + f"<h3>Related {HOSTILE}</h3><ul>{links}</ul>"
        + "<p>Jane Roe is a politics reporter at &lt;b&gt;evil.com and is based in Washington.</p>"
    )
    url = 'https://example.org/a?x="><script>alert(1)</script>'
    ex = spamfarm.explain(article(body, title=title), url=url)
    assert "<script>" in ex.text  # the parsed text really holds markup
    card = ex._repr_html_()
    assert "<script" not in card
    assert "<img" not in card
    assert "<b>evil" not in card
    assert "&lt;script&gt;" in card
    # nothing but the card's own tags: every tag name is one the card writes
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", card))
    assert tags <= CARD_TAGS


def test_evidence_strings_are_escaped() -> None:
    # Every field of every piece of evidence comes from the page: the card must escape them all,
    # in the evidence list, in the marked main text and in attributes.
    bad = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    sentence = f"we met {bad}today"
    ev = (
        Evidence("injected_glued_phrase", bad, sentence, (7, 7 + len(bad)), 0.9),
        Evidence("bio_other_outlet", bad, f"is a reporter at {bad}", (17, 17 + len(bad)), against=bad),
        Evidence("unrelated_link_list", bad, f"{bad} (0.00); {bad} (0.01)", None, 0.0),
        Evidence(bad, bad, bad, None, None, bad),
    )
    ex = Explanation(
        probability=0.75,
        threshold=0.5,
        signals=(
            Signal("injected.glued_phrases", 1.0, ev[:1]),
            Signal("byline.bio_other_outlet", 1.0, ev[1:2]),
            Signal("links.unrelated_blocks", 1.0, ev[2:]),
        ),
        model_version=bad,
        url=bad,
        lang=bad,
        text=f"Intro.\n{sentence}\n",
        contributions=(("injected.glued_phrases", 1.5), ("links.unrelated_blocks", -0.5)),
    )
    assert [m.evidence for m in ex.marks()] == [ev[0]]
    card = ex._repr_html_()
    assert "<script" not in card and "<img" not in card
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", card))
    assert tags <= CARD_TAGS
    assert card.count("&lt;script&gt;") >= 8


def test_card_for_empty_and_odd_pages() -> None:
    for page in ("", "<html></html>", b"\x00\x01binary", "<p>short</p>"):
        ex = spamfarm.explain(page)
        card = ex._repr_html_()
        assert card.startswith("<div") and card.endswith("</div>")
        assert ex.verdict.upper() in card
        assert ex.marks() == [] or all(ex.text[m.start : m.end] == m.evidence.text for m in ex.marks())


def test_marks_skip_evidence_that_does_not_match() -> None:
    ev_ok = Evidence("injected_glued_phrase", "Brand", "we met Brandcity", (7, 12))
    ev_bad_span = Evidence("injected_glued_phrase", "Brand", "we met Brandcity", (0, 5))
    ev_elsewhere = Evidence("bio_other_outlet", "x.com", "not in the text at x.com", (19, 24))
    ex = Explanation(
        probability=0.9,
        threshold=0.5,
        signals=(
            Signal("injected.glued_phrases", 2.0, (ev_ok, ev_bad_span)),
            Signal("byline.bio_other_outlet", 1.0, (ev_elsewhere,)),
        ),
        model_version="test",
        text="first line\nwe met Brandcity and we met Brandcity",
    )
    marks = ex.marks()
    assert [(m.start, m.end) for m in marks] == [(18, 23)]
    assert _marked(ex._repr_html_()).count("Brand") == 2  # the text mark and the evidence list entry


def test_repr_stays_short(seed_farm_html: str) -> None:
    ex = spamfarm.explain(seed_farm_html)
    r = repr(ex)
    assert r.startswith("<Explanation spam p=1.000 [") and len(r) < 200
    assert ex.text[:30] not in r


def test_as_dict_is_json_and_carries_the_text(seed_farm_html: str) -> None:
    ex = spamfarm.explain(seed_farm_html)
    d = json.loads(json.dumps(ex.as_dict()))
    assert d["text"] == ex.text
    assert d["verdict"] == "spam"


@needs_shared
def test_marks_hold_on_real_and_simulated_pages() -> None:
    from spamfarm.corpus import read_corpus
    from spamfarm.farm import FarmSimulator, pool_from_pages

    recs = list(read_corpus(CORPUS / "readability.jsonl.gz"))[:40]
    sim = FarmSimulator(pool_from_pages([(r.html, r.url) for r in recs]), seed=3)
    n_marked = 0
    for r in recs[:20]:
        fp = sim.farm(r.html, url=r.url, key=r.id, techniques=["inject_body", "foreign_bio"], layout="inplace")
        for page, url in ((r.html, r.url), (fp.html, fp.url) if fp else (r.html, r.url)):
            ex = spamfarm.explain(page, url=url)
            for m in ex.marks():
                assert ex.text[m.start : m.end] == m.evidence.text
                n_marked += 1
            ex._repr_html_()
    assert n_marked >= 5


@pytest.mark.parametrize("threshold", [0.0, 1.0])
def test_card_follows_the_threshold(seed_article_html: str, threshold: float) -> None:
    ex = spamfarm.explain(seed_article_html, threshold=threshold)
    assert f">{ex.verdict.upper()}<" in ex._repr_html_()
