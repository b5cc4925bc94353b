"""What the corpus pass adds, and what it costs, on simulated crawls. Every figure from one run.

    python benchmarks/corpus_signals.py [--corpus ../shared/data/clean] [--jobs 2] [--cost-pages 300]

1. Recall gain. Crawls are simulated (``spamfarm.crawlsim``) from the evaluation half of the page
   model's held-out sites: honest pages on their own hosts, honest syndicated copies, honest pages
   re-templated into the farm CMS layout, and farm networks sharing brands, stories and a template
   (``dense``: 8 networks of 2-12 hosts; ``sparse``: 12 networks of 2-3 hosts with a few stories
   each; ``honest_only``: no farms). The shipped page model and the shipped corpus stage
   (``models/corpus_stage.json``, fitted on the other half) score every page; the table gives
   page-level scoring against page + corpus scoring: ROC-AUC, recall at 1 % false-positive rate
   for single-technique farm pages (each technique alone too) and for all farm pages, and the
   false-positive rate at the default threshold on honest pages (scraped originals and syndicated
   copies apart).
2. The whole honest corpus (train and held-out sites, real hosts, no farms) as one crawl: how
   often each corpus signal fires on honest pages and how many pages the second stage moves.
3. Cost, in this process on --cost-pages pages: page scoring with and without the footprint, the
   corpus pass (index and features) per page, and the memory the index holds per page (tracemalloc
   over building it from footprints, the footprints included), scaled to a million pages.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import time
import tracemalloc
from pathlib import Path

import numpy as np

from spamfarm import crawlsim, network, train
from spamfarm._model import default_model
from spamfarm.batch import score_page
from spamfarm.farm import TECHNIQUES
from spamfarm.sources import PageInput


def pct(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{x:.3f}"


Kept = list[tuple[network.Footprint | None, float | None, str]]


def gains(corpus: str, jobs: int, seed: int, kept: Kept) -> None:
    _, _, held = train.load_split(corpus)
    recs = [r for r in held if crawlsim.stage_fold(r) == "eval"]
    stage = network.default_stage()
    print(f"evaluation fold: {len(recs)} honest pages from held-out sites; stage {network.STAGE_FILE}")
    print(f"stage inputs: {', '.join(network.STAGE_INPUTS)}\n")
    rows = []
    for name, cfg in crawlsim.SCENARIOS.items():
        pages = crawlsim.simulate_crawl(recs, seed=seed, config=cfg)
        sc = crawlsim.score_crawl(pages, n_jobs=jobs, keep=kept)
        m = crawlsim.evaluate(sc, stage)
        rows.append((name, m))
    head = f"{'crawl':12s} {'pages':>5s} {'farm':>4s} {'':6s} {'AUC':>6s} {'R@1% single':>11s} {'R@1% all':>8s}"
    head += f" {'FPR@0.5':>7s} {'scraped':>7s} {'syndic.':>7s}"
    print(head)
    for name, m in rows:
        for which in ("page", "corpus"):
            d = m[which]
            print(
                f"{name if which == 'page' else '':12s} {m['pages'] if which == 'page' else '':>5} "
                f"{m['farm'] if which == 'page' else '':>4} {which:6s} {pct(d.get('auc')):>6s} "
                f"{pct(d.get('recall_at_1pct_fpr/single')):>11s} {pct(d.get('recall_at_1pct_fpr')):>8s} "
                f"{pct(d.get('fpr_at_0.5')):>7s} {pct(d.get('fpr_at_0.5/honest/scraped')):>7s} "
                f"{pct(d.get('fpr_at_0.5/honest/syndicated')):>7s}"
            )
    print("\nrecall at 1 % FPR per technique alone, page -> page + corpus (n farm pages):")
    for name, m in rows:
        if not m["farm"]:
            continue
        cells = []
        for t in TECHNIQUES:
            k = f"recall_at_1pct_fpr/farm/{t}"
            if k in m["page"]:
                cells.append(f"{t} {pct(m['page'][k])}->{pct(m['corpus'][k])} ({m['page'][f'n/farm/{t}']})")
        print(f"  {name}: " + "; ".join(cells))


def whole_corpus(corpus: str, jobs: int) -> None:
    """Every honest page of the corpus as one crawl, real hosts only: how often each corpus signal
    fires on honest pages, and how many pages the second stage moves."""
    from spamfarm.corpus import read_corpus

    pages = [crawlsim.CrawlPage(r.id, r.html, r.url, 0, "honest") for r in read_corpus(corpus)]
    sc = crawlsim.score_crawl(pages, n_jobs=jobs)
    final = network.default_stage().predict(sc.page_probability, sc.corpus)
    n = len(pages)
    print(f"\nthe whole honest corpus as one crawl ({n} pages, {len({_host(p.url) for p in pages})} hosts, no farms):")
    fired = ", ".join(
        f"{name.split('.')[1]} {float((sc.corpus[:, k] != network.NEUTRAL[k]).mean()):.3f}"
        for k, name in enumerate(network.CORPUS_FEATURES)
    )
    print(f"  share of pages where each corpus signal fires: {fired}")
    up = final - sc.page_probability
    print(
        f"  flagged at 0.5: page {float((sc.page_probability >= 0.5).mean()):.4f}, page + corpus "
        f"{float((final >= 0.5).mean()):.4f}; pages raised by more than 0.1: {int((up > 0.1).sum())}, "
        f"lowered by more than 0.1: {int((up < -0.1).sum())}"
    )
    for k in np.argsort(-up)[:3]:
        if up[k] > 0.1:
            print(f"    raised most: {pages[k].url} {sc.page_probability[k]:.3f} -> {final[k]:.3f}")


def _host(url: str | None) -> str:
    from spamfarm._text import host_of

    return host_of(url)


def cost(corpus: str, n_pages: int, all_fps: Kept, seed: int) -> None:
    _, _, held = train.load_split(corpus)
    recs = [r for r in held if crawlsim.stage_fold(r) == "eval"]
    pages = crawlsim.simulate_crawl(recs, seed=seed)[:: max(1, len(recs) // n_pages)][:n_pages]
    inputs = [PageInput(p.id, p.html, p.url) for p in pages]
    model = default_model()
    for p in inputs[:20]:  # warm caches (word lists, the MinHash permutations)
        score_page(p, footprint=True, model=model)
    best = {False: float("inf"), True: float("inf")}
    for _ in range(2):  # alternate, best of two, so drift in machine load hits both alike
        for with_fp in (False, True):
            gc.collect()
            t = time.perf_counter()
            for p in inputs:
                score_page(p, footprint=with_fp, model=model)
            best[with_fp] = min(best[with_fp], time.perf_counter() - t)
    n = len(inputs)
    print(f"\ncost on {n} pages of the dense crawl, one process (load average {os.getloadavg()[0]:.2f}):")
    print(f"  page scoring alone          {1000 * best[False] / n:7.2f} ms/page  ({n / best[False]:.1f} pages/s)")
    print(
        f"  with the footprint          {1000 * best[True] / n:7.2f} ms/page  "
        f"({best[True] / best[False]:.2f}x page scoring alone)"
    )
    # The pass over the batch: every scored page of the three crawls, footprints already made.
    blob = pickle.dumps(all_fps)
    gc.collect()
    tracemalloc.start()
    t = time.perf_counter()
    restored = pickle.loads(blob)  # the footprints as a batch holds them, counted in the index's memory
    idx = network.CorpusIndex()
    for f, p, ref in restored:
        idx.add(f, p, ref)
    t_add = time.perf_counter() - t
    del restored  # the index keeps its own (interned) copies, as in score_corpus
    gc.collect()
    size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    t = time.perf_counter()
    idx.matrix()
    t_feat = time.perf_counter() - t
    t = time.perf_counter()
    idx.report()
    t_rep = time.perf_counter() - t
    m = len(all_fps)
    per_page = (t_add + t_feat) / m
    print(
        f"  corpus pass ({m} pages)    {1000 * per_page:7.2f} ms/page  "
        f"(index {1000 * t_add / m:.2f}, features {1000 * t_feat / m:.2f}; report {t_rep:.2f} s for the batch)"
    )
    print(f"  index memory                {size / m / 1024:7.2f} KB/page  (peak {peak / m / 1024:.2f} KB/page)")
    extra = best[True] - best[False]
    print("  per million pages, one core:")
    print(f"    page scoring              {best[False] / n * 1e6 / 3600:6.1f} CPU-hours")
    print(f"    footprints (extra)        {extra / n * 1e6 / 3600:6.1f} CPU-hours")
    print(f"    corpus pass               {per_page * 1e6 / 3600:6.2f} hours (single-threaded, in the driver)")
    print(f"    index memory              {size / m * 1e6 / 1e9:6.2f} GB  (linear in pages)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "clean"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cost-pages", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1, help="crawl seed (the stage was fitted on seed 0's crawl)")
    args = ap.parse_args()
    t0 = time.time()
    kept: Kept = []
    gains(args.corpus, args.jobs, args.seed, kept)
    whole_corpus(args.corpus, args.jobs)
    cost(args.corpus, args.cost_pages, kept, args.seed)
    print(f"\n{time.time() - t0:.0f} s in all")


if __name__ == "__main__":
    main()
