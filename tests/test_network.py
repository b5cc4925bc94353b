"""Corpus-level signals (spamfarm.network): footprints, the index's groups, the second stage, the report."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from spamfarm import _page, network
from spamfarm._errors import ModelLoadError
from spamfarm._model import default_model
from spamfarm.network import CORPUS_FEATURES, CorpusIndex, Footprint

from .conftest import CORPUS, needs_shared

WORDS = (
    "river council budget school harvest museum engine forest bridge vaccine rocket tariff court "
    "election stadium orchestra glacier festival startup hospital railway drought satellite library"
).split()


def story(seed: int, n: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 99)) for _ in range(n))


def fp(
    host: str,
    *,
    text: str = "",
    phrases: tuple[tuple[str, float, int], ...] = (),
    topic: tuple[str, ...] = (),
    title: str = "",
    layout: tuple[str, ...] = (),
) -> Footprint:
    return Footprint(
        host=host,
        title=title,
        site_name="",
        date="",
        phrases=phrases,
        topic=topic,
        title_words=tuple(sorted(set(title.lower().split()))),
        text_sig=network._minhash(network.body_shingles(text, "en")),
        layout_sig=network._minhash({t.encode() for t in layout}),
    )


def values(index: CorpusIndex, i: int) -> dict[str, float]:
    return dict(zip(CORPUS_FEATURES, index.features(i).values, strict=True))


def test_minhash_bands_find_near_copies_and_not_strangers() -> None:
    a = story(1)
    copy = a.replace("river", "river Zentrix Capital", 1)
    ka, kc, kb = (set(network.band_keys(network._minhash(network.body_shingles(t, "en")))) for t in (a, copy, story(2)))
    assert len(ka) == network.BANDS
    assert ka & kc, "a copy with one inserted phrase shares a band"
    assert not ka & kb
    assert network.band_keys(b"") == []
    assert network._minhash([]) == b""


def test_a_brand_on_unrelated_articles_across_hosts() -> None:
    idx = CorpusIndex()
    brand = ("zentrix capital", 0.7, 0)
    for k in range(6):  # six hosts, six different stories
        idx.add(fp(f"farm{k}.top", text=story(10 + k), phrases=(brand,), topic=(WORDS[k], WORDS[k + 6])), 0.2, f"u{k}")
    idx.add(fp("solo.org", text=story(50), phrases=(("kelvin", 0.1, 0),), topic=("river",)), 0.1, "solo")
    v = values(idx, 0)
    assert v["corpus.phrase_hosts"] == pytest.approx(np.log1p(5), abs=1e-4)
    assert v["corpus.phrase_cohesion"] <= 0.2
    assert v["corpus.phrase_prob"] == 0.7
    ev = idx.features(0).signals[CORPUS_FEATURES.index("corpus.phrase_hosts")].evidence[0]
    assert ev.reason == "phrase_shared_across_hosts" and "5 other hosts" in ev.against and "u1" in ev.against
    solo = values(idx, 6)
    assert solo["corpus.phrase_hosts"] == 0 and solo["corpus.phrase_cohesion"] == 1.0
    report = idx.report()
    assert report.brands[0]["phrase"] == "zentrix capital" and report.brands[0]["hosts"] == 6


def test_a_phrase_on_one_host_or_one_story_is_not_a_brand() -> None:
    idx = CorpusIndex()
    for k in range(5):  # the site's own name in all its articles
        idx.add(fp("daily.example", text=story(k), phrases=(("daily herald", 0.6, 0),), topic=(WORDS[k],)), 0.1)
    for k in range(4):  # one story's protagonist, on four hosts
        idx.add(
            fp(f"h{k}.org", text=story(100 + k), phrases=(("ada lovelace", 0.6, 0),), topic=("engine", "math")), 0.1
        )
    assert values(idx, 0)["corpus.phrase_hosts"] == 0
    assert values(idx, 5)["corpus.phrase_cohesion"] == 1.0
    assert not idx.report().brands


def test_a_real_name_many_hosts_use_is_not_a_brand() -> None:
    # "ChatGPT" mid-sentence on eight unrelated honest sites: the phrase model gives it little
    idx = CorpusIndex()
    for k in range(8):
        idx.add(fp(f"site{k}.org", text=story(200 + k), phrases=(("chatgpt", 0.1 + 0.05 * (k % 3), 0),)), 0.05)
    assert values(idx, 0)["corpus.phrase_hosts"] == 0
    assert not idx.report().brands


def test_copies_show_what_each_copy_added_and_the_original_did_not() -> None:
    base = story(7)
    idx = CorpusIndex()
    idx.add(fp("origin.com", text=base, phrases=(("white house", 0.01, 0),), title="talks were productive"), 0.05)
    for k, brand in enumerate(("zentrix capital", "orbex growth", "quanta vo")):
        text = base.replace("river", f"river {brand}", 1)
        idx.add(
            fp(
                f"copy{k}.top",
                text=text,
                phrases=(("white house", 0.01, 0), (brand, 0.6, 0)),
                title=f"{brand} talks were productive",
            ),
            0.4,
            f"c{k}",
        )
    # the network's brand "zentrix capital" also sits in another story on another of its hosts
    idx.add(fp("sister.top", text=story(77), phrases=(("zentrix capital", 0.6, 0),)), 0.4)
    orig, copy = values(idx, 0), values(idx, 1)
    assert orig["corpus.copy_hosts"] == pytest.approx(np.log1p(3), abs=1e-4) == copy["corpus.copy_hosts"]
    assert orig["corpus.copy_extra_phrases"] == 0 and orig["corpus.copy_extra_title"] == 0
    assert copy["corpus.copy_extra_phrases"] == 1 and copy["corpus.copy_extra_title"] > 0
    extra = idx.features(1).signals[CORPUS_FEATURES.index("corpus.copy_extra_phrases")].evidence
    assert [e.text for e in extra] == ["zentrix capital"]
    # a phrase only this copy has and no other host carries may be the original's words it kept
    assert values(idx, 2)["corpus.copy_extra_phrases"] == 0
    cluster = idx.report().copies[0]
    assert cluster["hosts"] == 4 and cluster["distinct_titles"] == 4


def test_a_shared_layout_counts_other_stories_only() -> None:
    theme = tuple(f"div.net-{k}>a.net-item" for k in range(40))
    idx = CorpusIndex()
    base = story(3)
    idx.add(fp("origin.com", text=base, layout=theme), 0.05)  # scraped in place: same layout, same text
    idx.add(fp("copy.top", text=base.replace("river", "river Zentrix", 1), layout=theme), 0.9)
    for k in range(3):  # the network's other stories on its other hosts
        idx.add(fp(f"net{k}.top", text=story(20 + k), layout=theme), 0.8)
    orig = values(idx, 0)
    assert orig["corpus.layout_hosts"] == pytest.approx(np.log1p(3), abs=1e-4)  # not the copy's host
    assert orig["corpus.layout_flagged"] == pytest.approx(0.8)
    assert idx.report().layouts[0]["hosts"] == 5


def test_pages_without_a_footprint_or_host() -> None:
    idx = CorpusIndex()
    assert idx.add(None, None) == 0
    idx.add(fp("", text=story(1), phrases=(("zentrix", 0.9, 0),)), 0.5)
    idx.add(fp("", text=story(2), phrases=(("zentrix", 0.9, 0),)), 0.5)
    assert idx.features(0).values == tuple(0.0 for _ in CORPUS_FEATURES)
    assert values(idx, 1)["corpus.phrase_hosts"] > 0  # unknown hosts count as hosts of their own
    assert idx.matrix().shape == (3, len(CORPUS_FEATURES))


def test_footprint_of_the_seed_farm_page(seed_farm_html: str) -> None:
    page = _page.parse(seed_farm_html)
    f = network.footprint(page, default_model().resources)
    phrases = {k: p for k, p, _ in f.phrases}
    assert phrases["indexbit exchange"] > 0.5
    assert any(k == "indexbit exchange" and "Exchangecrossing" in where for k, _, where in f.contexts)
    assert f.host and f.topic and len(f.text_sig) == len(f.layout_sig) == 4 * network.NUM_PERM
    assert "indexbit" in f.title_words


def test_a_title_affix_counts_by_the_rarity_of_its_words() -> None:
    from .conftest import PARKS, article

    title = "Zentrixa Quanta: Council approves new budget for city parks | Step-by-step Tips and Tricks"
    page = _page.parse(article(PARKS, title=title), url="https://example.org/a")
    f = network.footprint(page, default_model().resources)
    assert [(k, p, kind) for k, p, kind in f.phrases if kind == 1] == [("zentrixa quanta", 1.0, 1)]


def test_stage_json_round_trip_and_refusals(tmp_path: Path) -> None:
    stage = network.load_stage()
    assert stage.coef.shape == (len(network.STAGE_INPUTS),)
    p = stage.predict(np.array([0.1, 0.9]), np.array([network.NEUTRAL, network.NEUTRAL]))
    assert p[0] < p[1]
    f = tmp_path / "s.json"
    f.write_text(stage.to_json())
    assert np.allclose(
        network.load_stage(f).predict(np.array([0.3]), np.array([network.NEUTRAL])),
        stage.predict(np.array([0.3]), np.array([network.NEUTRAL])),
    )
    d = json.loads(f.read_text())
    d["inputs"] = d["inputs"][:-1]
    f.write_text(json.dumps(d))
    with pytest.raises(ModelLoadError, match="other inputs"):
        network.load_stage(f)
    with pytest.raises(ModelLoadError, match="cannot read"):
        network.load_stage(tmp_path / "missing.json")


@needs_shared
def test_score_corpus_on_a_simulated_crawl(tmp_path: Path) -> None:
    from spamfarm import crawlsim, train

    _, _, held = train.load_split(CORPUS, limit=400)
    cfg = crawlsim.CrawlConfig(networks=2, hosts=(4, 4), brands=(1, 1), stories=(6, 6), copies=(3, 3))
    pages = crawlsim.simulate_crawl(held, seed=3, config=cfg)
    assert pages == crawlsim.simulate_crawl(held, seed=3, config=cfg), "deterministic per seed"
    inputs = [{"id": p.id, "url": p.url, "html": p.html} for p in pages] + [{"id": "bad", "html": 42}]
    found = network.score_corpus(inputs)
    rows = found.results
    assert [r.id for r in rows] == [x["id"] for x in inputs]
    assert rows[-1].error and rows[-1].probability is None
    farm = [r for r, p in zip(rows, pages, strict=False) if p.label == 1]
    assert farm and all(r.page_probability is not None for r in farm)
    assert sum(any(s.name == "corpus.copy_hosts" for s in r.corpus) for r in farm) >= len(farm) // 2
    d = rows[0].as_dict()
    assert "page_probability" in d and json.dumps(d)
    assert found.report.pages == len(inputs)
    assert found.report.copies, "the networks' re-hosted stories form clusters"
    assert "candidate injected brands" in found.report.summary()


@needs_shared
def test_cli_corpus_signals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from spamfarm.__main__ import main
    from spamfarm.corpus import read_corpus

    recs = [r for _, r in zip(range(30), read_corpus(CORPUS), strict=False)]
    src = tmp_path / "pages.jsonl"
    src.write_text("".join(json.dumps({"id": r.id, "url": r.url, "html": r.html}) + "\n" for r in recs))
    out, rep = tmp_path / "out.jsonl", tmp_path / "report.json"
    assert main(["score", str(src), "-o", str(out), "--corpus-signals", "--corpus-report", str(rep)]) == 0
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == 30 and all("page_probability" in r for r in rows)
    assert json.loads(rep.read_text())["pages"] == 30
    assert "corpus signals over 30 pages" in capsys.readouterr().err
    assert main(["score", str(src), "--corpus-report", str(rep)]) == 2
