"""Each signal family on small inline pages: one positive and one negative case at least."""

from __future__ import annotations

import dataclasses
import os
from collections import Counter

import pytest

from spamfarm import FEATURE_NAMES, _page, _text
from spamfarm._model import default_model
from spamfarm.signals import Resources, _common, extract_signals, injected, linklists
from spamfarm.signals.injected import split_glued

from .conftest import PARKS, article


def sig(html: str, url: str | None = None) -> dict[str, float]:
    page = _page.parse(html, url=url)
    return {s.name: s.value for s in extract_signals(page, default_model().resources)}


def evidence(html: str, name: str, url: str | None = None) -> list[str]:
    page = _page.parse(html, url=url)
    for s in extract_signals(page, default_model().resources):
        if s.name == name:
            return [e.text for e in s.evidence]
    raise KeyError(name)


def test_every_family_returns_its_names_in_order() -> None:
    page = _page.parse(article(PARKS))
    assert tuple(s.name for s in extract_signals(page, default_model().resources)) == FEATURE_NAMES
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert all(n.split(".")[0] in {"injected", "links", "byline", "quality", "spam"} for n in FEATURE_NAMES)


# --- injected -------------------------------------------------------------------------------


def test_split_glued_finds_the_seam_of_an_inserted_brand() -> None:
    assert split_glued("Exchangecrossing", "en") == (8, "head")
    assert split_glued("Zeverzenthe", "en") == (8, "head")


@pytest.mark.parametrize(
    "word",
    [
        "YouTube",
        "iPhone",
        "Washington",
        "Bundesregierung",
        "Manhattan-based",
        "crossing",
        "saidOpens",
        "Glanzman",
        "Kriegman",
    ],
)
def test_split_glued_leaves_real_words_alone(word: str) -> None:
    lang = "de" if word == "Bundesregierung" else "en"
    assert split_glued(word, lang) is None


def test_split_glued_after_a_head_with_inner_capitals() -> None:
    assert split_glued("ViixviroSecurecrossing", "en") == (14, "head")
    assert split_glued("ViixviroSecure", "en") is None  # no tail: a name of its own
    # two words run together by markup: the part after the last capital is a word of its own
    assert split_glued("SideChoosing", "en") is None


def test_split_glued_reads_a_word_or_acronym_before_a_short_function_word() -> None:
    # A brand ending in a common word or an acronym, inserted right before "to", "of", "and",
    # "for": the tail is too short for the main rule ("according Corixdybit Group Investto media")
    assert split_glued("Investto", "en") == (6, "head")
    assert split_glued("Viewof", "en") == (4, "head")
    assert split_glued("Cluband", "en") == (4, "head")
    assert split_glued("AIfor", "en") == (2, "head")
    assert split_glued("Coinle", "fr") == (4, "head")


@pytest.mark.parametrize(
    ("word", "lang"),
    [
        ("Rasputin", "en"),  # a known word
        ("Kyoto", "en"),
        ("Senmitekin", "en"),  # an invented head before a two-letter tail: unknown names end so
        ("Wilkerson", "en"),
        ("MPa", "en"),  # under five letters
        ("Groupe", "en"),  # "e" is no function word of English
        ("Kunstin", "de"),  # two-letter tails end nouns of compounding languages ("Lehrerin")
    ],
)
def test_split_glued_leaves_short_tails_of_names_alone(word: str, lang: str) -> None:
    assert split_glued(word, lang) is None


GERMAN = (
    "Die Stadt hat zusätzlich neue Wege gebaut und die Bürger sind zufrieden. "
    "Im Krankenhaus arbeiten viele Menschen, und sie arbeiten schnell. "
    "Das Parlament hat zusätzlich entschieden, und die Abgeordneten haben zugestimmt. "
)


def german_tails() -> frozenset[str]:
    html = "<html lang=de><body><article>" + "".join(f"<p>{GERMAN}</p>" for _ in range(6)) + "</article></body></html>"
    page = _page.parse(html)
    assert page.lang == "de"
    tails = injected.fit_glue_tails([(page.lang, injected.case_counts(page))])["de"]
    assert {"zusätzlich", "schnell", "und"} <= tails
    assert not {"stadt", "krankenhaus", "bürger"} & tails  # nouns: written with a capital
    return tails


def test_split_glued_in_german_needs_a_lower_case_tail_and_a_whole_head() -> None:
    tails = german_tails()
    assert split_glued("Securezusätzlich", "de", tails) == (6, "head")
    assert split_glued("Growthschnell", "de", tails) == (6, "head")
    assert split_glued("Securezusätzlich", "de") is None  # no tails: no glue in a compounding language
    assert split_glued("Krankenhaus", "de", tails) is None  # a known compound
    assert split_glued("Stadtkrankenhaus", "de", tails) is None  # noun tail: a compound
    assert split_glued("Xqzrtund", "de", tails) is None  # a short tail needs a head that is a word
    assert split_glued("Beastall", "de", tails | {"all"}) is None  # a short tail must be a function word
    assert split_glued("Visionund", "de", tails) == (6, "head")


def test_split_glued_in_german_reads_function_word_tails_and_invented_heads() -> None:
    tails = german_tails()
    # a function word is a tail even though it ends many words ("Studie"): the head is a word
    assert split_glued("Strategydem", "de", tails) == (8, "head")
    # an invented head only before a long tail the language writes in lower case ...
    assert split_glued("Voseyzusätzlich", "de", tails) == (5, "head")
    assert split_glued("Voseyund", "de", tails) is None
    # ... and not when a longer end of the token is a word: a compound ("...maßnahmen")
    assert split_glued("Xyzmaßnahmen", "de", tails | {"nahmen"}) is None
    assert split_glued("Xyzmaßzusätzlich", "de", tails) == (6, "head")


def test_word_frequencies_are_looked_up_casefolded() -> None:
    # wordfreq stores "ß" as "ss": a lower-cased lookup missed every German word with one
    assert _text.zipf("Maßnahmen", "de") == _text.zipf("massnahmen", "de") > 4


def test_sentences_end_at_stops_not_at_titles_initials_or_inner_full_stops() -> None:
    latin = 'Mr. Lee met Dr. Ruiz at St. Ann\'s. She said "we agree." Then J. Smith left?! Really. 3.5 % rose.'
    text = latin + " 你好。再见。"
    assert _text.sentences(text) == [
        (0, "Mr. Lee met Dr. Ruiz at St. Ann's."),
        (35, 'She said "we agree.'),
        (56, "Then J. Smith left?!"),
        (77, "Really. 3.5 % rose."),
        (97, "你好。"),
        (100, "再见。"),
    ]
    assert _text.sentences("No end here") == [(0, "No end here")]
    assert _text.sentences("  ") == []


def test_compact_keeps_letters_and_digits_without_accents() -> None:
    assert _text.compact("CBS News") == "cbsnews"
    assert _text.compact("Sauvons l'Université") == "sauvonsluniversite"
    assert _text.compact("www.N-TV.de / 24h!") == "wwwntvde24h"
    assert _text.compact("Süddeutsche") == "suddeutsche"


def _german_page(sentence: str) -> _page.Page:
    filler = "Die Stadt hat zusätzlich neue Wege gebaut und die Bürger sind zufrieden. " * 3
    page = _page.parse(f"<html lang=de><body><article><p>{filler}{sentence} {filler}</p></article></body></html>")
    assert page.lang == "de"
    return page


def test_a_brand_after_a_german_noun_is_a_candidate_of_its_own() -> None:
    # German capitalises nouns, so the brand merges with the noun before it: the noun comes off
    page = _german_page("Wir brauchen mehr Kontrolle Solna Growth und weniger Bürokratie.")
    cands = {c.phrase: c for c in injected.candidates(page, Resources())}
    assert "Solna Growth" in cands and not [p for p in cands if "Kontrolle" in p]
    after_noun = injected.CANDIDATE_FEATURES.index("after_noun")
    assert cands["Solna Growth"].features[after_noun] == 1
    assert cands["Wege"].features[after_noun] == 0  # "neue Wege gebaut" in the filler
    # a run of one noun stays whole; so does a run whose first word is not a common noun
    page = _german_page("Das ist Kontrolle und mehr.")
    assert "Kontrolle" in {c.phrase for c in injected.candidates(page, Resources())}
    page = _german_page("Heute hat Xyzorbex Solna Growth und andere gewonnen.")
    assert "Xyzorbex Solna Growth" in {c.phrase for c in injected.candidates(page, Resources())}


def test_english_words_of_a_brand_stay_in_it_after_a_german_noun() -> None:
    # "Network", "Digital" and "Finance" are common German words too, but commoner in English:
    # they are the brand's, not nouns of the sentence, and do not come off the run
    page = _german_page("Wir brauchen mehr Kontrolle Network Digital Finance und weniger Bürokratie.")
    phrases = {c.phrase for c in injected.candidates(page, Resources())}
    assert "Network Digital Finance" in phrases and "Finance" not in phrases


def test_a_glued_brand_after_a_number_and_a_german_noun_is_read() -> None:
    # the run opens with a common noun after a number, so no lower-case word precedes it; the
    # glue is evidence enough, and the noun comes off the front
    page = _german_page("Die Hamas hat 150 Menschen Mitri Securitieswurden als Geiseln genommen.")
    cands = {c.phrase: c for c in injected.candidates(page, default_model().resources)}
    assert "Mitri Securities" in cands and cands["Mitri Securities"].glued
    assert cands["Mitri Securities"].features[injected.CANDIDATE_FEATURES.index("after_noun")] == 1
    # a spaced run there is not read: names follow numbers and nouns all the time
    page = _german_page("Die Hamas hat 150 Menschen Mitri Securities wurden als Geiseln genommen.")
    assert not [c for c in injected.candidates(page, default_model().resources) if "Mitri" in c.phrase]


def test_english_contractions_of_i_do_not_start_a_name() -> None:
    body = "<p>I would quote it in full, but I’ll Summit Plus Alpha stick to the short gist of it.</p>" + PARKS
    cands = injected.candidates(_page.parse(article(body)), Resources())
    assert "Summit Plus Alpha" in [c.phrase for c in cands]
    assert not [c for c in cands if "I’ll" in c.phrase]


def test_a_run_after_a_sentence_opening_function_word_is_a_candidate() -> None:
    # "The decentralized nature" with a brand pushed in after the opening "The": the function
    # word plays the lower-case word before the run; an opening word that is not one does not.
    body = (
        "<p>The Miverant Securities Coin decentralized nature of blockchain presents risks.</p>"
        "<p>Catch Zeexze Labs up on stories from the past week.</p>" + PARKS
    )
    cands = {c.phrase: c for c in injected.candidates(_page.parse(article(body)), Resources())}
    assert "Miverant Securities Coin" in cands
    assert not [p for p in cands if "Zeexze" in p]
    page = _german_page("Die Idee Torpro Smart wird gerade auch von vielen geteilt.")
    phrases = {c.phrase for c in injected.candidates(page, Resources())}
    assert "Torpro Smart" in phrases  # "Idee", a common noun, comes off the run's front


def test_a_run_that_starts_with_a_given_name_is_marked() -> None:
    body = "<p>The work came from the lab of neuroscientist David Glanzman at the university.</p>" + PARKS
    page = _page.parse(article(body))
    res = Resources(given_names=frozenset({"David"}))
    feats = {
        c.phrase: dict(zip(injected.CANDIDATE_FEATURES, c.features, strict=True))
        for c in injected.candidates(page, res)
    }
    assert feats["David Glanzman"]["given_name"] == 1
    page.cache.clear()
    assert {c.phrase: c.features for c in injected.candidates(page, Resources())}["David Glanzman"][
        injected.CANDIDATE_FEATURES.index("given_name")
    ] == 0


def test_fit_glue_tails_skips_common_endings_and_other_languages() -> None:
    counts: Counter[tuple[str, bool]] = Counter({("innen", True): 50})
    for k in range(80):  # "-innen" ends many words: "Lehrerinnen", "Ärztinnen"...
        counts[(f"wort{k}innen", False)] += 1
    assert "innen" not in injected.fit_glue_tails([("de", counts)])["de"]
    en = _page.parse(article(PARKS))
    assert injected.case_counts(en) == Counter()


def test_candidates_per_page_are_capped() -> None:
    # one endless sentence of names: the scan stops at the cap instead of scoring every one
    sentence = "the market for Zorbex Quantum grew and " * 6000
    page = _page.parse(article(f"<p>{sentence}</p>" + PARKS))
    cands = injected.candidates(page, default_model().resources)
    assert len(cands) == injected._MAX_CANDIDATES
    assert {c.phrase for c in cands} == {"Zorbex Quantum"}


def test_glued_brand_mid_sentence_is_flagged_with_offsets() -> None:
    body = PARKS.replace("voted on Tuesday to approve", "voted on Tuesday to Zentrova Capitalapprove")
    page = _page.parse(article(body))
    s = next(x for x in extract_signals(page, default_model().resources) if x.name == "injected.glued_phrases")
    assert s.value == 1
    e = s.evidence[0]
    assert e.text == "Zentrova Capital"
    assert e.span is not None and e.context[e.span[0] : e.span[1]] == "Zentrova Capital"


class _FixedPhraseModel:
    """A phrase model that gives every candidate the same probability."""

    def __init__(self, p: float) -> None:
        self.p = p

    def predict_proba1(self, X: object) -> list[float]:
        return [self.p] * len(X)  # type: ignore[arg-type]


def test_brand_glued_to_a_short_function_word_is_a_glued_candidate() -> None:
    body = PARKS.replace("voted on Tuesday to approve", "voted Zentrova Capitalto approve")
    page = _page.parse(article(body))
    cands = [c for c in injected.candidates(page, default_model().resources) if c.glued]
    assert [c.phrase for c in cands] == ["Zentrova Capital"]
    c = cands[0]
    assert c.sentence[c.span[1] :].startswith("to approve")


def test_a_glued_word_counts_only_when_the_phrase_model_is_sure() -> None:
    body = PARKS.replace("voted on Tuesday to approve", "voted to Zentrova Capitalapprove")
    page = _page.parse(article(body))
    base = default_model().resources
    assert [c.glued for c in injected.candidates(page, base)] == [True]
    for p, expected in ((0.6, 0), (injected.GLUED_THRESHOLD, 1), (0.9, 1)):
        res = dataclasses.replace(base, phrase_model=_FixedPhraseModel(p))
        page.cache.clear()
        sigs = {x.name: x for x in extract_signals(page, res)}
        assert sigs["injected.glued_phrases"].value == expected, p
        # below the threshold, the graded score still tells how close the glued word came
        assert sigs["injected.glued_score"].value == pytest.approx(p)
        assert sigs["injected.glued_score"].evidence[0].reason == "injected_glued_phrase"
        assert sigs["injected.phrase_score"].value == 0  # no spaced candidate


def test_a_glued_looking_name_that_is_also_a_heading_is_not_a_seam() -> None:
    body = PARKS.replace("voted on Tuesday to approve", "voted on Tuesday to Zentrova Capitalapprove")
    page = _page.parse(article(body))
    cands = [c for c in injected.candidates(page, default_model().resources) if c.phrase == "Zentrova Capital"]
    assert cands and cands[0].glued
    # the same token as a section heading is a name the page writes that way ("4 - Dolmenwood")
    page = _page.parse(article("<h2>Zentrova Capitalapprove</h2>" + body))
    cands = [c for c in injected.candidates(page, default_model().resources) if c.phrase == "Zentrova Capital"]
    assert cands and not cands[0].glued


def test_spaced_brand_in_several_sentences_is_flagged() -> None:
    body = PARKS.replace("several asked the council", "several asked Quvanta Wealth Partners the council").replace(
        "expects new estimates", "expects Quvanta Wealth Partners new estimates"
    )
    assert "Quvanta Wealth Partners" in evidence(article(body), "injected.repeated_phrases")


def test_phrase_model_scores_an_inserted_brand_above_a_natural_name() -> None:
    body = PARKS.replace("several asked the council", "several asked Quvanta Wealth the council").replace(
        "Residents who spoke", "Residents who spoke to Mayor Alice Grant"
    )
    page = _page.parse(article(body))
    res = default_model().resources
    cands = injected.candidates(page, res)
    probs = dict(zip([c.phrase for c in cands], injected.phrase_probabilities(cands, res), strict=True))
    assert probs["Quvanta Wealth"] > probs.get("Mayor Alice Grant", 0.0)


def test_company_named_in_a_business_story_is_not_injected() -> None:
    body = (
        "<p>Shares of Siemens rose on Monday after the company reported higher orders for its trains and "
        "factory software, beating what analysts had expected for the quarter.</p>"
        "<p>Siemens said demand from Asia had been strong, and that it would buy back more shares this year. "
        "Rival makers such as Alstom have struggled with delays on large rail contracts.</p>"
        "<p>Analysts at Deutsche Bank said the results showed that Siemens had weathered higher costs better "
        "than most of its peers in the industry.</p>"
    )
    s = sig(article(body, title="Siemens shares rise on strong orders"))
    assert s["injected.repeated_phrases"] == 0
    assert s["injected.glued_phrases"] == 0


def test_brand_prefixed_to_title_and_h1_and_recurring_in_body() -> None:
    title = "Zentrova Capital:Council approves new budget for city parks"
    body = PARKS.replace("Residents who spoke", "Zentrova Capital residents who spoke")
    s = sig(article(body, title=title, head="<meta name='keywords' content='Zentrova Capital,parks'>"))
    assert s["injected.title_affix_offtopic"] == 1
    assert s["injected.title_affix_rarity"] > 5
    assert s["injected.affix_in_h1"] == 1
    assert s["injected.affix_in_keywords"] == 1
    assert s["injected.affix_in_body"] >= 1


def test_an_affix_that_is_a_phrase_of_the_language_reads_as_familiar() -> None:
    from spamfarm._lm import BigramLM

    lm = BigramLM().fit(
        ["We had a sneak peek at the new hall.", "Here is a sneak peek of the plans.", "The peek was brief."] * 20
        + ["Capital spending rose.", "The exchange closed early.", "Growth slowed in the spring."] * 20
    )
    assert injected.affix_familiarity("Sneak Peek", lm) > 0.5
    assert injected.affix_familiarity("Zentrova Capital", lm) == 0.0  # an invented word: no association
    assert injected.affix_familiarity("Capital Exchange", lm) == 0.0  # two words never seen together
    assert injected.affix_familiarity("Sneak", lm) == 0.0  # one word
    assert injected.affix_familiarity("Sneak Peek", None) == 0.0
    # with the shipped model's bigrams, on a page
    title = "Sneak Peek: Council approves new budget for city parks"
    s = sig(article(PARKS, title=title))
    assert s["injected.title_affix_offtopic"] == 1
    assert s["injected.title_affix_familiar"] > 1
    assert sig(article(PARKS, title="Zentrova Capital:" + title.split(":")[1]))["injected.title_affix_familiar"] == 0


def test_a_brand_longer_than_a_short_headline_is_still_the_affix() -> None:
    # the headline is the title's segment the <h1> repeats whole, even when a brand is longer
    title = "Zentrova Capital Partners: Parks budget | Riverside Gazette"
    page = _page.parse(article(PARKS, title=title, h1="Parks budget"))
    assert _common.title_split(page)[0] == "Parks budget"
    assert sig(article(PARKS, title=title, h1="Parks budget"))["injected.title_affix_offtopic"] == 1
    # without an <h1> saying which, the longest segment the text uses a word of ("parks", "budget"):
    # the text never names the brand
    assert _common.title_split(_page.parse(article(PARKS, title=title, h1="")))[0] == "Parks budget"
    # and when the text uses no word of any segment, the longest
    other = "Zentrova Capital Partners: Harbour tolls | Riverside Gazette"
    assert _common.title_split(_page.parse(article(PARKS, title=other, h1="")))[0] == "Zentrova Capital Partners"
    # a plural counts as the word: the text speaks of "playgrounds", so the longer segment is
    # spoken of too, and stays the headline
    plural = "Playground Fundraiser Gala | Parks budget | Riverside Gazette"
    assert _common.title_split(_page.parse(article(PARKS, title=plural, h1="")))[0] == "Playground Fundraiser Gala"


def test_a_brand_heading_only_the_h1_is_an_affix() -> None:
    # a farm template shows "Brand — Headline" on the page and keeps the copied <title>
    title = "Council approves new budget for city parks | Riverside Gazette"
    html = article(PARKS, title=title, h1="Zentrova Capital — Council approves new budget for city parks")
    s = sig(html)
    assert s["injected.title_affix_offtopic"] == 1
    assert s["injected.title_affix_rarity"] == 7  # "Zentrova" is nobody's word
    assert evidence(html, "injected.title_affix_offtopic") == ["Zentrova Capital"]
    # the evidence quotes the <h1>, where the brand is
    page = _page.parse(html)
    ev = extract_signals(page, default_model().resources)[FEATURE_NAMES.index("injected.title_affix_offtopic")].evidence
    assert ev[0].context.startswith("Zentrova Capital")
    # an <h1> whose extra segment the title holds too is read once, from the title
    both = article(PARKS, title="Zentrova Capital: " + title, h1="Zentrova Capital: Council approves new budget")
    assert sig(both)["injected.title_affix_offtopic"] == 1
    page = _page.parse(both)
    ev = extract_signals(page, default_model().resources)[FEATURE_NAMES.index("injected.title_affix_offtopic")].evidence
    assert [(e.text, e.context) for e in ev] == [("Zentrova Capital", page.title)]
    assert _common.h1_affixes(page) == []


def test_an_h1_kicker_or_subtitle_on_the_articles_subject_is_not_an_affix() -> None:
    title = "Council approves new budget for city parks | Riverside Gazette"
    for h1 in (
        "Parks Budget: Council approves new budget for city parks",  # the article's own words
        "Council approves new budget for city parks – what residents asked for",  # lower-case words
        "Analysis: Council approves new budget for city parks",  # one ordinary word
        "Council approves new budget for city parks",
    ):
        assert sig(article(PARKS, title=title, h1=h1))["injected.title_affix_offtopic"] == 0, h1


def test_an_h1_that_is_no_version_of_the_headline_gives_no_affix() -> None:
    title = "Council approves new budget for city parks | Riverside Gazette"
    # a masthead <h1>: no segment shares a word with the title's headline
    for h1 in ("Riverside Gazette — Valley Edition", "Zentrova Capital — Valley Edition"):
        page = _page.parse(article(PARKS, title=title, h1=h1))
        assert _common.h1_affixes(page) == [], h1
    # a page without a <title> has nothing to tell the h1's headline from a brand by
    page = _page.parse(article(PARKS, title="", h1="Zentrova Capital — Council approves new budget for city parks"))
    assert _common.h1_affixes(page) == []


def test_the_sites_name_is_never_taken_as_the_h1s_headline() -> None:
    # a masthead <h1> whose site name shares a word with the headline ("football") is still no
    # version of the headline: the segment beside the name is the site's tagline or edition
    head = "<meta property='og:site_name' content='Football Weekly'>"
    title = "Arsenal beat Chelsea in the football derby | Football Weekly"
    url = "https://www.footballweekly.co.uk/derby"
    page = _page.parse(article(PARKS, title=title, h1="Football Weekly — Kentmoor Edition", head=head), url=url)
    assert _common.h1_affixes(page) == []
    # with the headline beside it, the other segment is read
    h1 = "Zentrova Capital — Arsenal beat Chelsea in the football derby"
    page = _page.parse(article(PARKS, title=title, h1=h1, head=head), url=url)
    assert _common.h1_affixes(page) == [_common.TitleAffix("Zentrova Capital", "prefix")]


def test_a_cjk_h1_segment_the_title_holds_inside_a_run_is_the_titles() -> None:
    # Chinese is written without spaces: "新闻" is part of the title's run "新闻网站", not an affix
    html = (
        "<html lang=zh><head><title>市政府宣布公园预算_新闻网站</title></head><body><article>"
        "<h1>新闻 — 市政府宣布公园预算</h1>"
        + "<p>市政府今天宣布了新的公园预算，用于修建步道和种植树木。</p>" * 5
        + "</article></body></html>"
    )
    assert _common.h1_affixes(_page.parse(html)) == []
    # a brand the title lacks is still read
    page = _page.parse(html.replace("<h1>新闻 —", "<h1>泽恒资本 —"))
    assert _common.h1_affixes(page) == [_common.TitleAffix("泽恒资本", "prefix")]
    # Latin run into CJK ("ABC新闻"), and a space the title lacks: still the title's own
    mixed = html.replace("_新闻网站</title>", "_ABC新闻网站</title>")
    assert _common.h1_affixes(_page.parse(mixed.replace("<h1>新闻 —", "<h1>ABC —"))) == []
    assert _common.h1_affixes(_page.parse(html.replace("<h1>新闻 —", "<h1>新闻 网站 —"))) == []


def test_h1_affixes_are_read_once_and_by_whole_words() -> None:
    h1 = "Zentrova Capital — Council approves new budget for city parks — Zentrova Capital"
    page = _page.parse(article(PARKS, title="Council approves new budget for city parks", h1=h1))
    assert _common.h1_affixes(page) == [_common.TitleAffix("Zentrova Capital", "prefix")]
    # "Parks Co" is in the title only as letters of "parks council", not as its words
    title = "Parks council approves new budget | Riverside Gazette"
    page = _page.parse(article(PARKS, title=title, h1="Parks Co — Parks council approves new budget"))
    assert _common.h1_affixes(page) == [_common.TitleAffix("Parks Co", "prefix")]
    page = _page.parse(article(PARKS, title=title, h1="Riverside Gazette: Parks council approves new budget"))
    assert _common.h1_affixes(page) == []


def test_affix_in_h1_counts_only_title_affixes_the_h1_repeats() -> None:
    title = "Council approves new budget for city parks"
    h1_only = article(PARKS, title=title, h1="Zentrova Capital — " + title)
    assert sig(h1_only)["injected.title_affix_offtopic"] == 1
    assert sig(h1_only)["injected.affix_in_h1"] == 0
    # nor when the title holds its letters inside a longer word
    h1_only = article(PARKS, title=title + " | Zentrova Capitalist", h1="Zentrova Capital — " + title)
    assert sig(h1_only)["injected.title_affix_offtopic"] == 2  # the title's suffix and the h1's prefix
    assert sig(h1_only)["injected.affix_in_h1"] == 0
    # and its evidence shows the <h1> it was read from, not the title that holds its letters
    page = _page.parse(h1_only)
    h1_affix = next(a for a, _ in injected.offtopic_affixes(page) if a.text == "Zentrova Capital")
    assert injected.affix_context(page, h1_affix) == page.h1
    both = article(PARKS, title="Zentrova Capital — " + title)
    assert sig(both)["injected.affix_in_h1"] == 1


def test_a_brand_sharing_a_word_with_the_article_is_still_an_affix_when_it_has_an_invented_one() -> None:
    # "Capital" is a word of this article, "Kaaxonly" is nobody's word: still a brand
    body = PARKS + "<p>The capital budget covers the new playgrounds, and the capital plan the paths.</p>"
    assert sig(article(body, title="Kaaxonly Capital: Parks budget approved"))["injected.title_affix_offtopic"] == 1
    # an affix of ordinary words the article uses is its own subject or section, not a brand
    assert sig(article(body, title="Capital Budget: Parks budget approved"))["injected.title_affix_offtopic"] == 0


def test_affix_rarity_reads_names_hyphens_and_german_compounds_as_their_parts() -> None:
    from spamfarm import _text

    assert _text.rarest_zipf("Zentrova Capital", "en") == 0  # an invented word
    assert _text.rarest_zipf("Zentrova Capital", "de") == 0
    assert _text.rarest_zipf("Step-by-step guide", "en") > 3
    assert _text.rarest_zipf("Gaby’s", "de") > 2  # a name with a possessive
    assert _text.rarest_zipf("Wahlzensur", "de") > 3  # Wahl + Zensur
    assert _text.word_zipf("Wahlzensur", "en") == 0  # English does not write compounds as one word
    # a compound the word list knows as rare is as common as its parts (Deutschland + Takt)
    assert _text.zipf("Deutschlandtakt", "de") < 2 < 3 < _text.rarest_zipf("Deutschlandtakt", "de")
    assert _text.rarest_zipf("", "de") == 0


def test_site_name_in_title_is_not_an_affix() -> None:
    head = "<meta property='og:site_name' content='Riverside Gazette'>"
    s = sig(
        article(PARKS, title="Council approves new budget for city parks - Riverside Gazette", head=head),
        url="https://www.riversidegazette.com/parks",
    )
    assert s["injected.title_affix_offtopic"] == 0
    s = sig(
        article(PARKS, title="Council approves new budget for city parks | Gazette"), url="https://gazette.co.uk/news/1"
    )
    assert s["injected.title_affix_offtopic"] == 0


def test_brand_linked_to_the_sites_own_page_is_not_an_injected_affix() -> None:
    # A shop's product title names the maker, whose name links to the shop's own brand page
    # (here inside the <h1>, next to CSS a component keeps there); a farm's brand has no such page.
    title = "Council Parks Budget Cream - Augustinus Bader | Sephora"
    h1 = (
        "<style>.c1{cursor:pointer}</style><a href='/brand/augustinus-bader'>Augustinus Bader</a> <br>"
        "<span>Council Parks Budget Cream</span>"
    )
    url = "https://www.sephora.com/product/cream-P470507"
    page = _page.parse(article(PARKS, title=title, h1=h1), url=url)
    assert page.h1 == "Augustinus Bader Council Parks Budget Cream"
    assert sig(article(PARKS, title=title, h1=h1), url=url)["injected.title_affix_offtopic"] == 0
    # the same name as plain text, or linked to another site, is still an off-topic affix
    plain = h1.replace("<a href='/brand/augustinus-bader'>Augustinus Bader</a>", "Augustinus Bader")
    assert sig(article(PARKS, title=title, h1=plain), url=url)["injected.title_affix_offtopic"] == 1
    away = h1.replace("/brand/augustinus-bader", "https://augustinus-bader.example.net/")
    assert sig(article(PARKS, title=title, h1=away), url=url)["injected.title_affix_offtopic"] == 1


def test_a_brand_the_farm_tags_its_article_with_is_still_an_injected_affix() -> None:
    # Farms tag the copied article with the brand they push: a tag row or a link to the site's tag
    # page names the brand outside the text, as a menu names a site's section, but is no menu.
    title = "Ferovia Capital: Council approves new budget for city parks"
    url = "https://dailyparkshub.example/news/48213"
    rows = {
        "a Tags: line": "<div>Tags: <a href='/tag/ferovia-capital/'>Ferovia Capital</a>, parks, budget</div>",
        "a tag list": "<ul class='td-tags'><li><a href='/tag/ferovia-capital/'>Ferovia Capital</a></li></ul>",
        "a rel=tag link": "<div class='meta'><a href='/topics/ferovia' rel='tag'>Ferovia Capital</a></div>",
    }
    for what, row in rows.items():
        assert sig(article(PARKS + row, title=title), url=url)["injected.title_affix_offtopic"] == 1, what
    # the same name in the site's menu, linked to one of its own pages, is the site's section
    menu = "<ul class='menu'><li><a href='/ferovia-capital/'>Ferovia Capital</a></li></ul>"
    assert sig(article(PARKS + menu, title=title), url=url)["injected.title_affix_offtopic"] == 0
    # and a "tagline" class is the site's tagline, not a tag row
    tagline = "<p class='site-tagline'>Ferovia Capital</p>"
    assert sig(article(PARKS + tagline, title=title), url=url)["injected.title_affix_offtopic"] == 0


def test_a_brand_that_heads_promoted_headlines_outside_the_text_is_still_an_injected_affix() -> None:
    # Farms promote the brand they push with posts of their own in the sidebar ("<brand> Review
    # 2024: ..."): the name heads other headlines there, as a site's name stands in its header,
    # but those headlines are about something else than the article.
    title = "Ferovia Capital: Council approves new budget for city parks"
    url = "https://dailyparkshub.example/news/48213"

    def sidebar(*headlines: str) -> str:
        items = "".join(f"<li><a href='/post/{k}.html'>{h}</a></li>" for k, h in enumerate(headlines))
        return f"<aside class='widget'><h3>Latest</h3><ul>{items}</ul></aside>"

    promo = sidebar(
        "Ferovia Capital Review 2024: Is It a Scam or Legit?",
        "Ferovia Capital: bitcoin could pass 100,000 dollars this year",
        "Singer cancels summer tour after injury",
    )
    assert sig(article(PARKS + promo, title=title), url=url)["injected.title_affix_offtopic"] == 1
    # one promoted headline that happens to share the article's words does not make a series
    mixed = sidebar(
        "Ferovia Capital Review 2024: Is It a Scam or Legit?",
        "Ferovia Capital: bitcoin could pass 100,000 dollars this year",
        "Ferovia Capital: council parks budget and playgrounds explained",
    )
    assert sig(article(PARKS + mixed, title=title), url=url)["injected.title_affix_offtopic"] == 1
    # nor does the brand glued into the text ("Ferovia Capitalon") read as a form of its name
    glued = PARKS.replace("approve a new", "approve Ferovia Capitalon a new")
    assert sig(article(glued + promo, title=title), url=url)["injected.title_affix_offtopic"] == 1
    # a series' name heads headlines on the article's own subject: the site's section
    series = sidebar(
        "Ferovia Capital: council delays the parks budget again",
        "Ferovia Capital: residents ask for lighting near the river paths",
    )
    assert sig(article(PARKS + series, title=title), url=url)["injected.title_affix_offtopic"] == 0
    # the name on its own in the header is the site's tagline, wherever else it stands
    header = "<div class='brand'>Ferovia Capital</div>"
    assert sig(article(PARKS + promo + header, title=title), url=url)["injected.title_affix_offtopic"] == 0
    # and a word the article inflects heads the site's series on that subject, not promotions
    law = "<p>Die Stadt legte am Dienstag den Entwurf des Parkpflegegesetzes vor, der neue Wege vorsieht.</p>" * 3
    de_title = "Parkpflegegesetz: Stadt legt Entwurf vor"
    de_side = sidebar("Parkpflegegesetz: Grid goes digital this winter")
    de_page = article(law + de_side, title=de_title).replace("lang='en'", "lang='de'")
    assert sig(de_page, url=url)["injected.title_affix_offtopic"] == 0
    assert sig(de_page.replace("Parkpflegegesetzes", "Stadtrats"), url=url)["injected.title_affix_offtopic"] == 1


# A kicker is an ordinary word of the language; a tagline or subtitle has words in lower case.
_NOT_BRANDS = (
    "Exclusive: Council approves new budget for city parks",
    "Coronavirus: Council approves new budget for city parks",
    "Council approves new budget for city parks - Fashionblog aus Köln",
    "Parks budget war: Council approves new budget for city parks",
    "Council approves new budget for city parks - but for how long?",
    "Council approves new budget for city parks - Part 1",
    "Council approves new budget for city parks: A Complete Guide",
    "Council approves new budget for city parks | Reviews, Features, Pricing",
    "Council approves new budget for city parks | Free Shipping*",
    "Editor's Letter: Council approves new budget for city parks",
)
# Invented names, with or without a common word, are still brands.
_BRANDS = (
    "Zentrova: Council approves new budget for city parks",
    "Council approves new budget for city parks -Zentrova Secure Growth",
    "Council approves new budget for city parks_Zentrova Capital",
    "Zentrova Capital_Council approves new budget for city parks",
    "Zentrova Capital_3 things the council approved for city parks",
    "Council approves new budget for city parks -Zentrova Partners",  # "partner" is also the article's word
    "Zentrova's Capital: Council approves new budget for city parks",
)


@pytest.mark.parametrize(("title", "brand"), [(t, 0) for t in _NOT_BRANDS] + [(t, 1) for t in _BRANDS])
def test_kickers_and_taglines_in_the_title_are_not_brands(title: str, brand: int) -> None:
    body = PARKS + "<p>The city will look for a private partner to run the new visitor centre next year.</p>"
    s = sig(article(body, title=title, h1="Council approves new budget for city parks"))
    assert s["injected.title_affix_offtopic"] == brand


def test_an_application_name_holding_the_headline_does_not_make_it_the_site() -> None:
    # some CMSs write the headline into <meta name=application-name>; the brand after it still counts
    head = "<meta name='application-name' content='Council approves new budget for city parks'>"
    s = sig(article(PARKS, title="Council approves new budget for city parks_Zentrova", head=head))
    assert s["injected.title_affix_offtopic"] == 1
    head = "<meta name='application-name' content='Riverside Gazette'>"
    s = sig(article(PARKS, title="Council approves new budget for city parks - Riverside Gazette", head=head))
    assert s["injected.title_affix_offtopic"] == 0


# --- link lists -----------------------------------------------------------------------------

UNRELATED = [
    "Pop star settles lawsuit with former dance show producer",
    "Olympic sprinter takes silver in a shocking hundred metre race",
    "Reality show couple say things have not been easy after the finale",
    "Quarterback signs record contract extension before training camp",
    "Actress returns for a surprise encore of the hit sitcom",
    "Tropical glaciers are the smallest they have been in millennia",
]

# A genuine related-stories box for the PARKS article.
ON_TOPIC = [
    "City council delays vote on parks budget again",
    "Residents ask for more lighting on river paths in city parks",
    "New playgrounds planned for northern districts under parks budget",
    "How the city pays for planting trees along main avenues",
]


def link_box(heading: str, items: list[str]) -> str:
    lis = "".join(f"<li><a href='/news/{i}.html'>{t}</a></li>" for i, t in enumerate(items))
    return f"<div class='box'><h3>{heading}</h3><ul>{lis}</ul></div>"


def test_unrelated_link_lists_are_flagged_with_heading() -> None:
    aside = "<aside>" + link_box("Related", UNRELATED) + link_box("Ranking", UNRELATED[2:] + UNRELATED[:1]) + "</aside>"
    html = article(PARKS).replace("</article>", "</article>" + aside)
    s = sig(html)
    assert s["links.unrelated_blocks"] == 2
    assert s["links.repeated_anchors"] >= 1
    assert s["links.list_headings"] == 2
    assert "Related" in evidence(html, "links.unrelated_blocks")
    assert s["links.headed_offtopic"] > 0.85
    assert evidence(html, "links.headed_offtopic")[0] in ("Related", "Ranking")
    # the same unrelated list without a generic heading is not a headed one
    bare = article(PARKS).replace("</article>", "</article><aside>" + link_box("", UNRELATED) + "</aside>")
    assert sig(bare)["links.headed_offtopic"] == 0


def test_related_offtopic_reads_only_headings_that_claim_relation() -> None:
    # a "Most read" box of the site's other news is off topic on honest news sites too
    popular = article(PARKS).replace("</article>", "</article><aside>" + link_box("Most read", UNRELATED) + "</aside>")
    s = sig(popular)
    assert s["links.headed_offtopic"] > 0.85
    assert s["links.related_offtopic"] == 0
    # the same list under "You may also like" claims to belong with the article
    for heading in ("You may also like", "Related Posts", "Empfehlungen", "相关文章"):
        farm = article(PARKS).replace("</article>", "</article><aside>" + link_box(heading, UNRELATED) + "</aside>")
        assert sig(farm)["links.related_offtopic"] > 0.85, heading
        assert evidence(farm, "links.related_offtopic")[0] == heading
    # an on-topic "Related stories" box does not fire
    honest = article(PARKS).replace("</article>", "</article>" + link_box("Related stories", ON_TOPIC))
    assert sig(honest)["links.related_offtopic"] < 0.7


def test_repeated_anchors_are_reported_in_page_order_whatever_the_hash_seed() -> None:
    import subprocess
    import sys

    aside = "<aside>" + link_box("Related", UNRELATED) + link_box("Ranking", UNRELATED[::-1]) + "</aside>"
    html = article(PARKS).replace("</article>", "</article>" + aside)
    code = (
        "import sys; from spamfarm import _page; from spamfarm.signals import Resources, linklists\n"
        "s = {x.name: x for x in linklists.extract(_page.parse(sys.stdin.read()), Resources())}\n"
        "print('|'.join(e.text for e in s['links.repeated_anchors'].evidence))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            input=html,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert runs == {"|".join(UNRELATED[:5])}


def test_genuine_related_stories_box_is_on_topic() -> None:
    html = article(PARKS).replace("</article>", "</article>" + link_box("Related stories", ON_TOPIC))
    s = sig(html)
    assert s["links.blocks"] == 1
    assert s["links.unrelated_blocks"] == 0
    assert s["links.mean_relatedness"] > 0.3
    assert s["links.headed_offtopic"] < 0.7


SHORT_PARKS = (
    "<p>The city council approved a new budget for city parks on Tuesday, with money for trees, "
    "playgrounds and river paths in the northern districts.</p>"
    "<p>Residents had asked the council for more lighting on the paths and for new benches near "
    "the fountain.</p>"
)


def test_link_lists_are_judged_on_a_short_article_too() -> None:
    # a short news item (about 20 content words) still shows whether a headed list is on topic
    farm = article(SHORT_PARKS).replace("</article>", "</article><aside>" + link_box("Related", UNRELATED) + "</aside>")
    page = _page.parse(farm)
    assert 20 <= sum(_common.main_counts(page).values()) < 60
    s = {x.name: x.value for x in linklists.extract(page, Resources())}
    assert s["links.headed_offtopic"] > 0.85
    related = [
        "City council delays vote on parks budget again",
        "Residents ask for more lighting on river paths in city parks",
        "New playgrounds planned for northern districts",
        "How the city pays for planting trees in parks",
    ]
    honest = article(SHORT_PARKS).replace("</article>", "</article>" + link_box("Related stories", related))
    s = {x.name: x.value for x in linklists.extract(_page.parse(honest), Resources())}
    assert s["links.headed_offtopic"] < 0.7


# --- bylines --------------------------------------------------------------------------------

BIO = "<div class='bio'><p>Jane Miller is a politics reporter at cbsnews.com and is based in Washington.</p></div>"


def test_bio_naming_another_outlet_is_a_mismatch() -> None:
    html = article(PARKS + BIO)
    s = sig(html, url="https://www.securehorizongrowth.com/news/1.html")
    assert s["byline.bio_other_outlet"] == 1
    assert evidence(html, "byline.bio_other_outlet", url="https://www.securehorizongrowth.com/news/1.html") == [
        "cbsnews.com"
    ]


def test_a_reviewers_bio_names_the_outlet_too() -> None:
    bio = "<div class='bio'><p>Marisol Okafor is a senior reviewer at The Verge covering e-readers.</p></div>"
    html = article(PARKS + bio)
    assert evidence(html, "byline.bio_other_outlet", url="https://technewsfeeddaily.example/2024/03/x/") == [
        "The Verge"
    ]
    assert sig(html, url="https://www.theverge.com/2024/3/21/x")["byline.bio_other_outlet"] == 0


def test_bio_on_the_outlets_own_site_is_fine() -> None:
    s = sig(article(PARKS + BIO), url="https://www.cbsnews.com/news/parks-budget/")
    assert s["byline.bio_other_outlet"] == 0
    named = BIO.replace("cbsnews.com", "CBS News")
    assert sig(article(PARKS + named), url="https://www.cbsnews.com/news/parks/")["byline.bio_other_outlet"] == 0


def test_syndicated_copy_whose_canonical_names_the_outlet_is_fine() -> None:
    """A portal's licensed copy that points its canonical link at the original keeps the bio
    consistent; one that claims the copy as its own cannot be told from a farm's by this signal."""
    url = "https://news.yahoo.com/parks-budget-1234.html"
    canon = "<link rel='canonical' href='https://www.cbsnews.com/news/parks-budget/'>"
    assert sig(article(PARKS + BIO, head=canon), url=url)["byline.bio_other_outlet"] == 0
    own = f"<link rel='canonical' href='{url}'>"
    assert sig(article(PARKS + BIO, head=own), url=url)["byline.bio_other_outlet"] == 1


def test_contributed_line_on_own_site_is_counted_but_not_a_mismatch() -> None:
    body = PARKS + "<p>Camilo Montoya Galvez contributed to this report.</p>"
    s = sig(article(body), url="https://www.cbsnews.com/news/parks/")
    assert s["byline.contributed_lines"] == 1
    assert s["byline.bio_other_outlet"] == 0
    assert s["byline.site_mismatch"] == 0


def test_source_line_that_is_neither_person_nor_site() -> None:
    body = (
        "<div class='info'><span>Algosensey Quantitative Think Tank Center View</span> "
        "<span>Date:2025-04-07 17:56:38</span></div>" + PARKS
    )
    html = article(body)
    s = sig(html, url="https://www.securehorizongrowth.com/news/1.html")
    assert s["byline.source_not_site"] == 1
    assert s["byline.finance_source"] == 1
    person = "<div class='info'><span>By Maria Ortega</span> <span>2025-04-07</span></div>" + PARKS
    s = sig(article(person), url="https://www.securehorizongrowth.com/news/1.html")
    assert s["byline.source_not_site"] == 0


def test_a_byline_naming_a_person_and_role_is_not_a_made_up_source() -> None:
    for line in (
        "Guide by Will Judd Former Deputy Tech Editor",
        "Aaron Ricadela Senior Writer",
        "Fact-checked by Paul Rankin",
        "Übersetzt von: Roland Hildebrandt",
    ):
        body = f"<div class='info'><span>{line}</span> <span>2025-04-07</span></div>" + PARKS
        assert sig(article(body), url="https://www.securehorizongrowth.com/news/1.html")["byline.source_not_site"] == 0


def test_credits_topics_times_and_phrases_under_the_headline_are_not_sources() -> None:
    for line in (
        "Dan Goodin - Monday 3:15 pm UTC",
        "Image: Milad Fakurian | Unsplash | Foundry",
        "SolStock E+ via Getty Images",
        "Topic: Personal Finances Saving Money Budgeting",
        "Mahua Das in Project Management",
        "Do Not Sell or Share My Personal Information",
        "Mike Marshall, Shipping Expert",
        "ByAngela Kaye Carpenter",
        "(Elizabeth Conley Houston Chronicle)",
        "Lesezeit Min. Kommentare Lesezeichen Teilen Drucken",
        "Agenturen (DJV FWR) Berlin Ratingen Presse",
        "Boston, Massachusetts Boston, Massachusetts",
    ):
        body = f"<div class='info'><span>{line}</span> <span>2025-04-07</span></div>" + PARKS
        assert (
            sig(article(body), url="https://www.securehorizongrowth.com/news/1.html")["byline.source_not_site"] == 0
        ), line
    # a made-up source keeps being one with a time, a weekday or a connector in it
    for line in ("Zentrova Bank of Global Research Monday 3:15 PM", "From Zentrova Capital & Growth Partners"):
        body = f"<div class='info'><span>{line}</span> <span>2025-04-07</span></div>" + PARKS
        assert (
            sig(article(body), url="https://www.securehorizongrowth.com/news/1.html")["byline.source_not_site"] == 1
        ), line


# Share buttons and a menu between the headline and the text: more than the lines read under it.
SHARE_BAR = "".join(f"<div class='share'>{w}</div>" for w in ("Pin", "Share", "Tweet", "Mail", "Print", "Save", "Copy"))


def test_a_source_and_date_line_just_above_the_text_far_below_the_headline() -> None:
    farm = "<div class='meta'><span class='source'>Algosensey Quantitative Think Tank</span></div>"
    url = "https://www.securehorizongrowth.com/news/1.html"
    assert sig(article(SHARE_BAR + farm + PARKS), url=url)["byline.source_not_site"] == 1
    # down there a generic info element is not hint enough, nor a byline a source
    info = "<div class='info'>Patients and Families Technology Treatment</div>"
    assert sig(article(SHARE_BAR + info + PARKS), url=url)["byline.source_not_site"] == 0
    byline = "<div class='source'>Accueil Par Loïc Le Clerc</div>"
    assert sig(article(SHARE_BAR + byline + PARKS), url=url)["byline.source_not_site"] == 0
    # a labelled date line there is the shown date; a forum member's join date is not
    declared = "<meta property='article:published_time' content='2019-10-21'>"
    dated = "<div class='info'>Date:2025-04-07 17:56:38</div>"
    assert sig(article(SHARE_BAR + dated + PARKS, head=declared))["byline.date_conflict"] == 1
    joined = "<div class='info'>Joined</div><div>Nov 4, 2011</div>"
    assert sig(article(SHARE_BAR + joined + PARKS, head=declared))["byline.date_conflict"] == 0


def test_a_date_line_just_above_the_text_of_a_page_without_a_headline() -> None:
    # no <h1>, and the text opens with short blocks before its first long paragraph
    lead = "".join(
        f"<div>{t}</div>"
        for t in (
            "The council met on Tuesday evening in the old town hall to vote on the parks budget for the year.",
            "Members of the public filled the hall and many of them had come to speak about the river paths.",
            "The mayor opened the meeting with a short speech about the state of the playgrounds in the city.",
            "After two hours of debate the council members voted and the budget passed with a large majority.",
            "The new budget will pay for trees, lighting and new paths in the northern districts of the city.",
        )
    )
    declared = "<meta property='article:published_time' content='2019-10-21'>"
    page = (
        "<html><head><title>Council approves new budget for city parks</title>" + declared + "</head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><div class='info'>Date:2025-04-07 17:56:38</div>"
        + lead
        + PARKS
        + "</body></html>"
    )
    assert sig(page)["byline.date_conflict"] == 1
    assert sig(page.replace("2025-04-07", "2019-10-21"))["byline.date_conflict"] == 0


def test_a_logo_headline_and_its_date_bar_are_not_the_articles() -> None:
    # the site's <h1> logo with today's date under it, then the article's own <h1>
    declared = "<meta property='article:published_time' content='2017-05-01'>"
    page = (
        "<html><head><title>Council approves new budget for city parks</title>" + declared + "</head><body>"
        "<header><h1>Riverside Radio</h1><div>Mittwoch, 26.02.2020</div></header>"
        "<article><h1>Council approves new budget for city parks</h1><div class='meta'>01.05.2017</div>"
        + PARKS
        + "</article></body></html>"
    )
    assert sig(page)["byline.date_conflict"] == 0
    # the same date bar under the article's headline is a conflict
    assert sig(page.replace("01.05.2017", "Mittwoch, 26.02.2020"))["byline.date_conflict"] == 1


def test_a_category_line_under_the_headline_is_not_a_source() -> None:
    cats = (
        "<ul><li class='c-meta__date'>2025-04-07</li>"
        "<li class='c-meta__cats'>Patients and Families · Technology · Treatment</li></ul>"
    )
    url = "https://www.securehorizongrowth.com/news/1.html"
    assert sig(article(cats + PARKS), url=url)["byline.source_not_site"] == 0
    source = cats.replace("c-meta__cats", "c-meta__source")
    assert sig(article(source + PARKS), url=url)["byline.source_not_site"] == 1


def test_a_second_date_line_far_from_the_first_conflicts() -> None:
    body = "<div class='info'>Date:2025-04-07 17:56:38</div><div class='byline'>19. Oktober 2019</div>" + PARKS
    assert sig(article(body))["byline.date_conflict"] == 1
    near = "<div class='info'>Date:2019-10-21</div><div class='byline'>19. Oktober 2019</div>" + PARKS
    assert sig(article(near))["byline.date_conflict"] == 0


def test_shown_date_far_from_declared_date_conflicts() -> None:
    head = "<meta property='article:published_time' content='2023-12-07T10:00:00Z'>"
    body = "<div class='info'>Date:2025-04-07 17:56:38</div>" + PARKS
    assert sig(article(body, head=head))["byline.date_conflict"] == 1
    same = "<div class='info'>Date:2023-12-07 11:00</div>" + PARKS
    assert sig(article(same, head=head))["byline.date_conflict"] == 0


def test_a_shown_date_the_page_declares_as_its_last_change_is_not_a_conflict() -> None:
    head = "<meta property='article:published_time' content='2019-03-01T10:00:00Z'>"
    body = "<div class='info'>December 17, 2025</div>" + PARKS
    assert sig(article(body, head=head))["byline.date_conflict"] == 1
    modified = head + "<meta property='article:modified_time' content='2025-12-17T08:00:00Z'>"
    assert sig(article(body, head=modified))["byline.date_conflict"] == 0
    ld = head + '<script type="application/ld+json">{"dateModified": "2025-12-16T23:00:00Z"}</script>'
    assert sig(article(body, head=ld))["byline.date_conflict"] == 0
    # a farm's own CMS writes its date into a <time> element and its URL: neither confirms it
    timed = "<div class='info'><time datetime='2025-12-17'>December 17, 2025</time></div>" + PARKS
    assert sig(article(timed, head=head))["byline.date_conflict"] == 1
    assert (
        sig(article(body, head=head), url="https://farm.example/news/2025-12-17/5123.html")["byline.date_conflict"] == 1
    )


def test_a_sentence_holding_a_date_is_not_a_date_line() -> None:
    head = "<meta property='article:published_time' content='2023-11-05T10:00:00Z'>"
    line = (
        "This article is part of a series reporting on the nation in 2026 as it approaches its "
        "anniversary on July 4, 2026"
    )
    assert sig(article(f"<div class='info'>{line}</div>" + PARKS, head=head))["byline.date_conflict"] == 0


def test_date_years_after_the_text() -> None:
    body = "<div class='info'>Date:2025-04-07</div>" + PARKS.replace("next spring", "in the spring of 2021")
    assert sig(article(body))["byline.date_gap_years"] == 4


def test_page_served_from_another_site_than_its_canonical() -> None:
    head = "<link rel='canonical' href='https://www.cbsnews.com/news/parks/'>"
    assert sig(article(PARKS, head=head), url="https://farm.example.top/1.html")["byline.site_mismatch"] == 1
    assert sig(article(PARKS, head=head), url="https://cbsnews.com/news/parks/")["byline.site_mismatch"] == 0
    assert sig(article(PARKS, head=head))["byline.site_mismatch"] == 0
    # a label that is not a URL (a file name, a corpus key) names no site
    assert sig(article(PARKS, head=head), url="hard::cbsnews.com-parks.html")["byline.site_mismatch"] == 0
    # one outlet's sister sites: its mobile domain, or its name under a parent's domain
    sister = "<link rel='canonical' href='https://m.economictimes.com/us/life/coffee/'>"
    url = "https://economictimes.indiatimes.com/us/life/coffee/"
    assert sig(article(PARKS, head=sister), url=url)["byline.site_mismatch"] == 0
    # an internationalised domain in its ASCII form is the same site
    idn = "<link rel='canonical' href='https://seglerblog.xn--stssenseer-fcb.de/sauber/'>"
    assert sig(article(PARKS, head=idn), url="https://seglerblog.stössenseer.de/sauber/")["byline.site_mismatch"] == 0
    # a canonical link whose host has no dot is broken, not another site
    broken = "<link rel='canonical' href='http://packing-list-backpacking-trip'>"
    assert sig(article(PARKS, head=broken), url="https://example.com/packing/")["byline.site_mismatch"] == 0
    escaped = "<meta property='og:url' content='https://blog.example.fr%2Farticles%2F2025-12-15'>"
    assert sig(article(PARKS, head=escaped), url="https://other.org/a/")["byline.site_mismatch"] == 0


def test_syndicated_copy_is_not_a_lifted_page() -> None:
    # A partner that syndicates a story gives its own address in og:url and credits the source
    # in the canonical link (or the other way round): its own site is one of the claims.
    url = "https://www.forstpraxis.de/pilotprojekt-pellets-aus-laub-21677"
    own = f"<meta property='og:url' content='{url}'>"
    source = "<link rel='canonical' href='https://www.agrarheute.com/energie/pellets-laub-600865'>"
    assert sig(article(PARKS, head=source + own), url=url)["byline.site_mismatch"] == 0
    # a page whose every claim names the other site has been lifted whole
    both = source + "<meta property='og:url' content='https://www.agrarheute.com/energie/pellets-laub-600865'>"
    assert sig(article(PARKS, head=both), url=url)["byline.site_mismatch"] == 1
    assert sig(article(PARKS, head=source), url=url)["byline.site_mismatch"] == 1


def test_glued_product_name_is_not_an_injection() -> None:
    body = PARKS.replace("welcomed the vote", "welcomed the vote, which was reported on Downdetector")
    assert sig(article(body))["injected.glued_phrases"] == 0


# --- quality --------------------------------------------------------------------------------


def test_repetition_and_link_density() -> None:
    s = sig(article(PARKS))
    assert s["quality.repetition"] == 0
    assert s["quality.main_text_share"] > 0.8
    dup = sig(article(PARKS + PARKS))
    assert dup["quality.repetition"] > 0.8  # every paragraph twice; the headline once


def test_stopword_ratio_is_language_aware() -> None:
    english = sig(article(PARKS))["quality.stopword_ratio"]
    german = (
        "<p>Der Stadtrat hat am Dienstag einen neuen Haushalt für die öffentlichen Parks beschlossen, der Geld "
        "für Spielplätze, Bäume und neue Wege in den nördlichen Bezirken vorsieht.</p>"
        "<p>Die Mitglieder des Rates sagten, der Haushalt sei zwei Jahre lang verzögert worden, weil die Stadt "
        "mit den Firmen über die Kosten für die Pflege der Spielplätze verhandelt habe.</p>"
    )
    de = sig(article(german, title="Stadtrat beschließt Haushalt für Parks"))["quality.stopword_ratio"]
    salad = " ".join(["budget parks trees playground council river lighting avenue"] * 6)
    word_salad = sig(article(f"<p>{salad}</p><p>{salad}</p>"))["quality.stopword_ratio"]
    assert english > 0.3 and de > 0.3
    assert word_salad < 0.1


def test_domains_and_site_names() -> None:
    from spamfarm import _text

    assert _text.registrable_domain("https://www.news.example.co.uk/a") == "example.co.uk"
    assert _text.registrable_domain("hard::cbsnews.com-parks.html") == ""
    assert _text.registrable_domain("https://a.xn--stssenseer-fcb.de/") == "stössenseer.de"
    assert _text.registrable_domain("https://xn--broken-.com/") == "xn--broken-.com"  # kept as it is
    assert _text.names_same_site("Sauvons l'Université !", ["sauvonsluniversite.fr"])
    assert _text.names_same_site("Süddeutsche.de", ["sueddeutsche.de"])
    assert not _text.names_same_site("Quvanta Wealth", ["sueddeutsche.de"])
    # a three-letter domain written as an acronym at the start of the name
    assert _text.names_same_site("ZDFmediathek", ["zdf.de"])
    assert _text.names_same_site("BBC Technology", ["bbc.co.uk"])
    assert not _text.names_same_site("Diet Planner", ["die.de"])
