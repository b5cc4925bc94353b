"""Scoring many pages: :func:`score_many` streams pages in, one :class:`Result` per page out, in order.

Crawler code calls this rather than :func:`spamfarm.score` in a loop: it never holds the whole
input, keeps input order, turns a bad page into a row with an ``error`` instead of raising, and
with ``n_jobs > 1`` spreads the (CPU-bound) work over worker processes that each load the model
once. Only a model that cannot be loaded stops a batch, since no row could be scored.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from . import _api, _page, network
from ._errors import SpamfarmError
from ._model import Model, default_model
from ._result import Explanation, Signal
from .network import Footprint
from .sources import PageInput, as_input

#: How many signals a result row names in ``top_signals`` (those pushing hardest towards spam).
TOP_SIGNALS = 5


@dataclass(frozen=True, slots=True)
class Result:
    """One scored page. ``probability`` and ``verdict`` are ``None`` when ``error`` says why."""

    index: int
    id: str
    url: str | None
    probability: float | None
    verdict: str | None
    top_signals: tuple[str, ...] = ()
    error: str | None = None
    truncated: bool = False
    explanation: Explanation | None = None
    #: With corpus signals (:func:`spamfarm.network.score_corpus`): the page-level probability
    #: before the corpus pass, and the corpus signals with their evidence.
    page_probability: float | None = None
    corpus: tuple[Signal, ...] = ()
    #: What the corpus pass keeps of the page; set only while a corpus pass runs.
    footprint: Footprint | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def is_spam(self) -> bool:
        return self.verdict == "spam"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready row; the full explanation is included only when the batch asked for it."""
        row: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "probability": None if self.probability is None else round(self.probability, 4),
            "verdict": self.verdict,
            "top_signals": list(self.top_signals),
            "error": self.error,
        }
        if self.truncated:
            row["truncated"] = True
        if self.page_probability is not None:
            row["page_probability"] = round(self.page_probability, 4)
        if self.corpus:
            row["corpus"] = [sig.as_dict() for sig in self.corpus]
        if self.explanation is not None:
            row["explanation"] = self.explanation.as_dict()
        return row


def score_page(
    page: PageInput,
    index: int = 0,
    *,
    threshold: float = _api.DEFAULT_THRESHOLD,
    explain: bool = False,
    model: Model | None = None,
    max_chars: int | None = None,
    footprint: bool = False,
) -> Result:
    """Score one :class:`PageInput` into a :class:`Result`; only a model failure raises.

    ``footprint=True`` also keeps what the corpus pass needs (:mod:`spamfarm.network`).
    """
    if page.error is not None:
        return Result(index, page.id, page.url, None, None, error=page.error)
    try:
        ex, parsed = _api.explain_page(
            page.html, url=page.url, threshold=threshold, model=model, max_chars=max_chars, encoding=page.encoding
        )
        fp = network.footprint(parsed, (model or default_model()).resources) if footprint else None
    except SpamfarmError:
        raise
    except (TypeError, ValueError) as exc:
        return Result(index, page.id, page.url, None, None, error=f"{type(exc).__name__}: {exc}")
    except RecursionError as exc:
        return Result(index, page.id, page.url, None, None, error=f"RecursionError: {exc}")
    except Exception as exc:  # noqa: BLE001 - a bug on one page must not stop a crawl; the row says what
        return Result(index, page.id, page.url, None, None, error=f"internal error {type(exc).__name__}: {exc}")
    top = tuple(name for name, c in ex.contributions[:TOP_SIGNALS] if c > 0)
    return Result(
        index,
        page.id,
        page.url,
        ex.probability,
        ex.verdict,
        top,
        truncated=ex.truncated,
        explanation=ex if explain else None,
        footprint=fp,
    )


# --- worker processes -------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(
    model: Model | None, threshold: float, explain: bool, max_chars: int | None, footprints: bool = False
) -> None:
    _WORKER.update(
        model=model or default_model(), threshold=threshold, explain=explain, max_chars=max_chars, footprints=footprints
    )


def _ready() -> bool:
    return "model" in _WORKER


def _score_chunk(chunk: list[tuple[int, PageInput]]) -> list[Result]:
    w = _WORKER
    return [
        score_page(
            p,
            i,
            threshold=w["threshold"],
            explain=w["explain"],
            model=w["model"],
            max_chars=w["max_chars"],
            footprint=w["footprints"],
        )
        for i, p in chunk
    ]


def score_many(
    pages: Iterable[Any],
    *,
    n_jobs: int = 1,
    threshold: float = _api.DEFAULT_THRESHOLD,
    explain: bool = False,
    model: Model | None = None,
    chunksize: int = 8,
    mp_context: str = "spawn",
    max_chars: int | None = None,
    footprints: bool = False,
) -> Iterator[Result]:
    """Score a stream of pages; yields exactly one :class:`Result` per input, in input order.

    ``pages`` items may be ``str``/``bytes`` HTML, ``(url, html)`` pairs, mappings with ``html``
    (and optional ``url``, ``id``) or :class:`~spamfarm.sources.PageInput` (what
    :func:`~spamfarm.read_pages` yields). Input is read lazily, a bounded window ahead of the
    output, so an endless crawl streams through in constant memory.

    ``n_jobs`` worker processes score in parallel (``-1``: one per CPU); each loads the model once.
    ``max_chars`` caps what is analysed per page (see :func:`spamfarm.score`).
    ``explain=True`` keeps the full :class:`~spamfarm.Explanation` on each row. A page that fails
    (wrong type, a crash in a worker) gets ``error`` set and the batch goes on.
    ``footprints=True`` keeps each page's :class:`~spamfarm.network.Footprint` on its row, for a
    corpus pass (:func:`spamfarm.network.score_corpus` does this for you).
    """
    if not isinstance(threshold, (int, float)) or not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold must be a number in [0, 1], not {threshold!r}")
    if not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be a positive int or -1, not {n_jobs!r}")
    if n_jobs == -1:
        n_jobs = os.cpu_count() or 1
    if chunksize < 1:
        raise ValueError("chunksize must be >= 1")
    _page.check_max_chars(max_chars)
    items = (as_input(x, i) for i, x in enumerate(pages))
    # Fail before the first row if the model cannot load (workers load the same file again).
    loaded = model or default_model()
    if n_jobs == 1:
        for i, p in enumerate(items):
            yield score_page(
                p, i, threshold=threshold, explain=explain, model=loaded, max_chars=max_chars, footprint=footprints
            )
        return
    yield from _score_parallel(
        items, n_jobs, float(threshold), explain, model, chunksize, mp_context, max_chars, footprints
    )


def _score_parallel(
    items: Iterator[PageInput],
    n_jobs: int,
    threshold: float,
    explain: bool,
    model: Model | None,
    chunksize: int,
    mp_context: str,
    max_chars: int | None,
    footprints: bool = False,
) -> Iterator[Result]:
    ctx = multiprocessing.get_context(mp_context)

    def new_pool() -> ProcessPoolExecutor:
        init = (model, threshold, explain, max_chars, footprints)
        pool = ProcessPoolExecutor(n_jobs, mp_context=ctx, initializer=_init_worker, initargs=init)
        try:  # a pool that cannot start at all is a set-up problem, not a bad page
            pool.submit(_ready).result()
        except BrokenProcessPool as exc:
            pool.shutdown()
            raise SpamfarmError(
                f"worker processes could not start ({mp_context}); under 'spawn' the main script must be an "
                "importable file guarded by `if __name__ == '__main__':` (or pass n_jobs=1)"
            ) from exc
        return pool

    numbered = enumerate(items)
    pool = new_pool()
    pending: deque[tuple[list[tuple[int, PageInput]], Future[list[Result]]]] = deque()
    window = 4 * n_jobs  # chunks in flight: enough to keep workers busy, small enough to stream
    try:
        while True:
            while len(pending) < window:
                chunk = list(islice(numbered, chunksize))
                if not chunk:
                    break
                pending.append((chunk, pool.submit(_score_chunk, chunk)))
            if not pending:
                return
            chunk, fut = pending.popleft()
            try:
                results = fut.result()
            except BrokenProcessPool:
                # A worker died (out of memory, a crash in native code). Rescore that chunk page by
                # page in fresh pools so only the page that kills a worker loses its score.
                pool.shutdown(cancel_futures=True)
                results = []
                for i, p in chunk:
                    pool = new_pool()
                    try:
                        results.extend(pool.submit(_score_chunk, [(i, p)]).result())
                    except BrokenProcessPool:
                        results.append(Result(i, p.id, p.url, None, None, error="worker process died on this page"))
                    pool.shutdown()
                pool = new_pool()
                resubmit = [c for c, _ in pending]
                pending.clear()
                for c in resubmit:
                    pending.append((c, pool.submit(_score_chunk, c)))
            yield from results
    finally:
        pool.shutdown(cancel_futures=True)
