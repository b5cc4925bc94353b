"""The public entry points: :func:`score` and :func:`explain`."""

from __future__ import annotations

import math

import numpy as np

from . import _page
from ._model import Model, default_model
from ._result import TEXT_CHARS, Explanation, Signal
from .signals import extract_signals

DEFAULT_THRESHOLD = 0.5
#: How many characters of a page are analysed unless ``max_chars`` says otherwise.
DEFAULT_MAX_CHARS = _page.DEFAULT_MAX_CHARS


def signals(
    html: object,
    *,
    url: str | None = None,
    model: Model | None = None,
    max_chars: int | None = None,
    encoding: str | None = None,
) -> tuple[_page.Page, tuple[Signal, ...]]:
    """Parse a page once and compute every signal (no classifier)."""
    page = _page.parse(html, url=url, max_chars=max_chars, encoding=encoding)  # input errors before any model loading
    m = model or default_model()
    return page, extract_signals(page, m.resources)


def vector(sigs: tuple[Signal, ...]) -> np.ndarray:
    return np.fromiter((s.value for s in sigs), dtype=float, count=len(sigs))


def score(
    html: object,
    *,
    url: str | None = None,
    model: Model | None = None,
    max_chars: int | None = None,
    encoding: str | None = None,
) -> float:
    """The probability, in [0, 1], that a page is spam or a content-farm page.

    ``html`` is ``str``, ``bytes`` (decoded by BOM, ``<meta charset>`` or detection) or a
    BeautifulSoup object; ``url`` is the page's own address, used for site-identity checks.
    Only the first ``max_chars`` characters are analysed (default :data:`DEFAULT_MAX_CHARS`).
    ``encoding``: for bytes, the charset the transport announced (an HTTP ``Content-Type``), tried
    before the BOM, ``<meta charset>`` and detection.
    """
    _, sigs = signals(html, url=url, model=model, max_chars=max_chars, encoding=encoding)
    m = model or default_model()
    return _clip(float(m.predict(vector(sigs)[None, :])[0]))


def explain(
    html: object,
    *,
    url: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    model: Model | None = None,
    max_chars: int | None = None,
    encoding: str | None = None,
) -> Explanation:
    """Score a page and say why: every signal with its value and evidence.

    Only the first ``max_chars`` characters are analysed (default :data:`DEFAULT_MAX_CHARS`);
    ``truncated`` says whether the page was cut there or by another limit of the input gate.

    ``contributions`` estimates, for each signal whose value differs from a typical honest
    page's, how much the model's log-odds (before calibration) drop when that signal alone is set
    back to the typical value: positive pushes towards spam, negative towards honest.
    """
    return explain_page(html, url=url, threshold=threshold, model=model, max_chars=max_chars, encoding=encoding)[0]


def explain_page(
    html: object,
    *,
    url: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    model: Model | None = None,
    max_chars: int | None = None,
    encoding: str | None = None,
) -> tuple[Explanation, _page.Page]:
    """:func:`explain`, also returning the parsed page (for the corpus pass's footprint)."""
    if not isinstance(threshold, (int, float)) or not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold must be a number in [0, 1], not {threshold!r}")
    page, sigs = signals(html, url=url, model=model, max_chars=max_chars, encoding=encoding)
    m = model or default_model()
    x = vector(sigs)
    fired = [i for i, s in enumerate(sigs) if s.value != m.neutral[i]]
    rows = np.repeat(x[None, :], 1 + len(fired), axis=0)
    for r, i in enumerate(fired, start=1):
        rows[r, i] = m.neutral[i]
    margins = m.decision(rows)
    p = _clip(float(m.probability(margins[:1])[0]))
    contrib = sorted(
        ((sigs[i].name, round(float(margins[0] - margins[r]), 4)) for r, i in enumerate(fired, start=1)),
        key=lambda t: -t[1],
    )
    ex = Explanation(
        probability=p,
        threshold=float(threshold),
        signals=sigs,
        model_version=m.version,
        url=url,
        lang=page.lang,
        truncated=page.truncated,
        contributions=tuple(contrib),
        text=page.main_text[:TEXT_CHARS],
    )
    return ex, page


def _clip(p: float) -> float:
    if math.isnan(p):
        return 0.5
    return min(1.0, max(0.0, p))
