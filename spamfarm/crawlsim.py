"""Simulated crawls for the corpus pass: honest sites, and farm networks that share brands,
stories and a template. Used to train the corpus stage and to measure what it adds.

A crawl holds:

* every honest page of the records, on its own host;
* honest syndication: 8 % of honest stories re-published unchanged on 1-4 other honest hosts
  under the host's own name (wire copies are near-duplicates too, and must not look like farms);
* honest pages re-templated into the farm CMS layout on many unrelated hosts (a popular theme);
* farm networks. Each has 2-12 hosts (sometimes subdomains of one domain), 1-3 invented brands,
  its own variant of the CMS template, and a set of stories scraped from the honest pages of the
  crawl; each story is re-hosted on one or more of its hosts, each copy with a network brand and
  one farm technique (70 %) or several.

Run ``python -m spamfarm.crawlsim --corpus ../shared/data/clean --out models`` to rebuild the
shipped ``models/corpus_stage.json``: it simulates a crawl from half of the held-out sites of the
page model (pages the page model never trained on), scores it, fits the stage, and evaluates it on
a crawl of the other half. ``benchmarks/corpus_signals.py`` repeats that evaluation with other
network sizes and measures the pass's cost.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import lxml.etree
import numpy as np

from . import _page
from .corpus import Record
from .farm import _SYLLABLES, TECHNIQUES, FarmSimulator, pool_from_pages
from .network import STAGE_INPUTS


@dataclass(frozen=True, slots=True)
class CrawlPage:
    id: str
    html: str
    url: str | None
    label: int
    #: "honest", "honest/syndicated", "honest/template", "farm/<technique>" or "farm/mixed".
    group: str
    network: int = -1


@dataclass(frozen=True, slots=True)
class CrawlConfig:
    """How many farm networks a crawl has and how big they are (ranges are inclusive)."""

    networks: int = 8
    hosts: tuple[int, int] = (2, 12)
    brands: tuple[int, int] = (1, 3)
    stories: tuple[int, int] = (5, 25)
    copies: tuple[int, int] = (1, 4)
    single_share: float = 0.7
    template_share: float = 0.7
    syndicated_share: float = 0.08
    honest_template_share: float = 0.1


#: Named crawl shapes for the evaluation: many large networks, a few small ones, none.
SCENARIOS = {
    "dense": CrawlConfig(),
    "sparse": CrawlConfig(networks=12, hosts=(2, 3), brands=(1, 2), stories=(2, 6), copies=(1, 2)),
    "honest_only": CrawlConfig(networks=0),
}


def stage_fold(r: Record) -> str:
    """ "fit" or "eval": a stable half of the held-out sites each."""
    return "fit" if zlib.crc32(("stage/" + r.site).encode()) % 2 == 0 else "eval"


def simulate_crawl(records: Sequence[Record], *, seed: int = 0, config: CrawlConfig | None = None) -> list[CrawlPage]:
    """A crawl made from ``records`` (honest pages with URLs), deterministic per seed."""
    cfg = config or CrawlConfig()
    rng = random.Random(f"crawl/{seed}")
    recs = [r for r in records if r.url]
    sim = FarmSimulator(pool_from_pages([(r.html, r.url) for r in recs]), seed=seed)
    out = [CrawlPage(r.id, r.html, r.url, 0, "honest") for r in recs]
    hosts = sorted({_host(r.url) for r in recs})
    for n, r in enumerate(recs):
        if rng.random() < cfg.syndicated_share:
            for k, h in enumerate(rng.sample(hosts, min(len(hosts), rng.randint(1, 4)))):
                if h != _host(r.url):
                    html = syndicate(r.html, h, f"https://{h}/wire/{n}-{k}.html")
                    if html:
                        out.append(
                            CrawlPage(f"{r.id}/wire{k}", html, f"https://{h}/wire/{n}-{k}.html", 0, "honest/syndicated")
                        )
        if rng.random() < cfg.honest_template_share:
            fp = sim.honest_template(r.html, url=r.url, key=f"crawl/{r.id}")
            if fp is not None:
                out.append(CrawlPage(f"{r.id}/template", fp.html, fp.url, 0, "honest/template"))
    scraped: set[str] = set()
    for k in range(cfg.networks):
        pages, used = _network(sim, recs, k, random.Random(f"crawl/{seed}/net{k}"), cfg)
        out.extend(pages)
        scraped |= used
    # Originals a network copied are still honest; they get a group of their own in the figures.
    return [replace(p, group="honest/scraped") if p.group == "honest" and p.id in scraped else p for p in out]


def _host(url: str | None) -> str:
    from ._text import host_of

    return host_of(url)


def _network(
    sim: FarmSimulator, recs: Sequence[Record], k: int, rng: random.Random, cfg: CrawlConfig
) -> tuple[list[CrawlPage], set[str]]:
    n_hosts = rng.randint(*cfg.hosts)
    if rng.random() < 0.4:  # subdomains of one farm domain
        name, base = sim.site(rng)
        base = base.split(".", 1)[1] if base.startswith(("www.", "news.", "m.")) else base
        subs = rng.sample([s + t for s in _SYLLABLES for t in ("", "news", "daily")], n_hosts)
        sites = [(f"{name} {s.title()}", f"{s}.{base}") for s in subs]
    else:
        sites = [sim.site(rng) for _ in range(n_hosts)]
    brands = [sim.brand(rng) for _ in range(rng.randint(*cfg.brands))]
    theme = "".join(rng.choice(_SYLLABLES) for _ in range(2))
    out = []
    used = set()
    for s, r in enumerate(rng.sample(list(recs), min(len(recs), rng.randint(*cfg.stories)))):
        for c, site in enumerate(rng.sample(sites, min(len(sites), rng.randint(*cfg.copies)))):
            single = rng.random() < cfg.single_share
            techs = (rng.choice(TECHNIQUES),) if single else tuple(rng.sample(TECHNIQUES, rng.randint(2, 4)))
            fp = sim.farm(
                r.html,
                url=r.url,
                key=f"net{k}/{s}/{c}",
                techniques=techs,
                layout="template" if rng.random() < cfg.template_share else "inplace",
                keep_canonical=False,
                brand=rng.choice(brands),
                site=site,
                theme=theme,
            )
            if fp is None:
                continue
            group = f"farm/{fp.techniques[0]}" if single and len(fp.techniques) == 1 else "farm/mixed"
            out.append(CrawlPage(f"net{k}/{s}/{c}", fp.html, fp.url, 1, group, k))
            used.add(r.id)
    return out, used


def syndicate(html: str, host: str, url: str) -> str | None:
    """An honest page re-published by another honest site: same text, the site's own name and address."""
    page = _page.parse(html, url=url)
    root = page.root
    if root is None or len(page.main) < 2:
        return None
    name = host.split(".")[-2].title() if "." in host else host
    title = next(root.iter("title"), None)
    if title is not None:
        title.text = f"{(title.text or '').strip().split(' | ')[0]} | {name}"
    for el in root.iter("link", "meta"):
        if (el.get("rel") or "").lower() == "canonical":
            el.set("href", url)
        elif (el.get("property") or "").lower() in ("og:url",):
            el.set("content", url)
        elif (el.get("property") or "").lower() == "og:site_name":
            el.set("content", name)
    return lxml.etree.tostring(root, method="html", encoding=str, doctype="<!DOCTYPE html>")


# --- scoring a crawl, fitting and evaluating the stage ----------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoredCrawl:
    pages: list[CrawlPage]
    page_probability: np.ndarray
    corpus: np.ndarray  # network.CORPUS_FEATURES columns


def score_crawl(
    pages: Sequence[CrawlPage], *, n_jobs: int = 2, log: Any = None, keep: list[Any] | None = None
) -> ScoredCrawl:
    """Page-level scores and corpus features of every page of a crawl.

    ``keep``, when given, receives each page's (footprint, probability, url or id).
    """
    from .batch import score_many
    from .network import CorpusIndex

    index = CorpusIndex()
    probs = []
    t0 = time.perf_counter()
    inputs = ({"id": p.id, "url": p.url, "html": p.html} for p in pages)
    for n, r in enumerate(score_many(inputs, n_jobs=n_jobs, footprints=True)):
        index.add(r.footprint, r.probability, r.url or r.id)
        if keep is not None:
            keep.append((r.footprint, r.probability, r.url or r.id))
        probs.append(0.0 if r.probability is None else r.probability)
        if log is not None and n % 1000 == 999:
            log(f"  scored {n + 1}/{len(pages)} pages ({time.perf_counter() - t0:.0f}s)")
    return ScoredCrawl(list(pages), np.array(probs), index.matrix())


def fit_stage(crawl: ScoredCrawl, *, card: dict[str, Any] | None = None) -> Any:
    """A logistic regression over page log-odds and corpus features."""
    from sklearn.linear_model import LogisticRegression

    from .network import _STAGE_COLUMNS, Stage, log_odds

    X = np.column_stack([log_odds(crawl.page_probability), crawl.corpus[:, _STAGE_COLUMNS]])
    y = np.array([p.label for p in crawl.pages])
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    # The same prior as the page model's calibration, so the two probabilities read alike.
    from .train import SPAM_PRIOR

    w = np.where(y == 1, SPAM_PRIOR / max(1, y.sum()), (1 - SPAM_PRIOR) / max(1, (y == 0).sum())) * len(y)
    lr = LogisticRegression(C=1.0, max_iter=2000)
    lr.fit((X - mean) / scale, y, sample_weight=w)
    return Stage(mean, scale, lr.coef_[0].astype(float), float(lr.intercept_[0]), card or {})


def _recall_at_fpr(neg: np.ndarray, pos: np.ndarray, fpr: float = 0.01) -> float:
    if len(neg) == 0 or len(pos) == 0:
        return float("nan")
    thr = float(np.quantile(neg, 1 - fpr, method="higher"))
    return float(np.mean(pos > thr))


def evaluate(crawl: ScoredCrawl, stage: Any) -> dict[str, Any]:
    """Page-level against corpus-stage figures on one scored crawl, overall and per group."""
    from sklearn.metrics import roc_auc_score

    final = stage.predict(crawl.page_probability, crawl.corpus)
    groups = np.array([p.group for p in crawl.pages])
    y = np.array([p.label for p in crawl.pages])
    out: dict[str, Any] = {"pages": len(y), "honest": int((y == 0).sum()), "farm": int((y == 1).sum())}
    for name, s in (("page", crawl.page_probability), ("corpus", final)):
        neg = s[y == 0]
        d: dict[str, Any] = {"fpr_at_0.5": round(float(np.mean(neg >= 0.5)), 4) if len(neg) else None}
        for g in sorted(set(groups)):
            sel = groups == g
            if g.startswith("honest"):
                d[f"fpr_at_0.5/{g}"] = round(float(np.mean(s[sel] >= 0.5)), 4)
        if (y == 1).any() and (y == 0).any():
            d["auc"] = round(float(roc_auc_score(y, s)), 4)
            d["recall_at_1pct_fpr"] = round(_recall_at_fpr(neg, s[y == 1]), 4)
            single = np.array([g.startswith("farm/") and g != "farm/mixed" for g in groups])
            d["recall_at_1pct_fpr/single"] = round(_recall_at_fpr(neg, s[single]), 4)
            for g in sorted(set(groups)):
                if g.startswith("farm/"):
                    d[f"recall_at_1pct_fpr/{g}"] = round(_recall_at_fpr(neg, s[groups == g]), 4)
                    d[f"n/{g}"] = int((groups == g).sum())
        out[name] = d
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m spamfarm.crawlsim",
        description="Rebuild the corpus stage (models/corpus_stage.json) from simulated crawls of the corpus.",
    )
    ap.add_argument("--corpus", required=True, help="folder of *.jsonl(.gz) honest pages (../shared/data/clean)")
    ap.add_argument("--out", default="models", help="folder to write corpus_stage.json into (default: models)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None, help="use an even spread of this many corpus pages")
    args = ap.parse_args(argv)

    from .corpus import digest
    from .train import load_split

    t0 = time.time()
    _, _, held = load_split(args.corpus, args.limit)
    fit_recs = [r for r in held if stage_fold(r) == "fit"]
    eval_recs = [r for r in held if stage_fold(r) == "eval"]
    print(f"held-out sites of the page model: {len(fit_recs)} pages to fit the stage, {len(eval_recs)} to evaluate")
    fit_crawl = simulate_crawl(fit_recs, seed=args.seed)
    print(f"fit crawl: {len(fit_crawl)} pages {dict(Counter(p.group.split('/')[0] for p in fit_crawl))}")
    scored_fit = score_crawl(fit_crawl, n_jobs=args.jobs, log=print)
    eval_crawl = simulate_crawl(eval_recs, seed=args.seed + 1)
    scored_eval = score_crawl(eval_crawl, n_jobs=args.jobs, log=print)
    from . import _version
    from ._model import default_model

    card = {
        "trained_on": "simulated crawl of the page model's held-out sites, fold 'fit'",
        "training_command": "python -m spamfarm.crawlsim --corpus ../shared/data/clean --out models",
        "corpus_digest_sha256": digest(args.corpus),
        "page_model_version": default_model().version,
        "spamfarm_version": _version.__version__,
        "seed": args.seed,
        "fit_pages": len(fit_crawl),
        "fit_groups": dict(sorted(Counter(p.group for p in fit_crawl).items())),
    }
    stage = fit_stage(scored_fit, card=card)
    metrics = evaluate(scored_eval, stage)
    card["metrics_eval_crawl"] = metrics
    card["coefficients"] = dict(zip(STAGE_INPUTS, [round(float(c), 4) for c in stage.coef], strict=True))
    card["seconds"] = round(time.time() - t0, 1)
    stage = type(stage)(stage.mean, stage.scale, stage.coef, stage.intercept, card)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "corpus_stage.json").write_text(stage.to_json() + "\n", encoding="utf-8")
    print(json.dumps(metrics, indent=2))
    print(f"wrote {out / 'corpus_stage.json'} ({time.time() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
