"""Signal families. Each module is a set of pure functions of a parsed page and lists its signal
names in ``NAMES``; :data:`FEATURE_NAMES` is their concatenation, the model's feature order.

========================  ==========================================================
module                    family
========================  ==========================================================
``injected``              brand phrases pushed into sentences and titles
``linklists``             blocks of headline links unrelated to the article
``bylines``               bios, sources and dates that belong to another outlet or time
``quality``               general text quality: main-text share, stop words, repetition
``webspam``               other spam: hidden text, stuffing, redirects, link spam, hacked terms
========================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Callable

from .._page import Page
from .._result import Signal
from . import bylines, injected, linklists, quality, webspam
from ._resources import Resources

_FAMILIES: tuple[tuple[tuple[str, ...], Callable[[Page, Resources], list[Signal]]], ...] = (
    (injected.NAMES, injected.extract),
    (linklists.NAMES, linklists.extract),
    (bylines.NAMES, bylines.extract),
    (quality.NAMES, quality.extract),
    (webspam.NAMES, webspam.extract),
)

#: Ordered names of every signal; the model's features, in this order.
FEATURE_NAMES: tuple[str, ...] = tuple(name for names, _ in _FAMILIES for name in names)

#: For each feature, the only direction it may move the spam probability (+1 up, -1 down, 0
#: either); used as monotonic constraints when training, so that evidence of a farm technique
#: never lowers a score.
_DIRECTION = {k: v for mod in (injected, linklists, bylines, quality, webspam) for k, v in mod.DIRECTION.items()}
DIRECTIONS: tuple[int, ...] = tuple(_DIRECTION.get(n, 0) for n in FEATURE_NAMES)


def extract_signals(page: Page, res: Resources) -> tuple[Signal, ...]:
    """Every signal of a page, in :data:`FEATURE_NAMES` order."""
    out: list[Signal] = []
    for names, fn in _FAMILIES:
        sigs = fn(page, res)
        if tuple(s.name for s in sigs) != names:  # a programming error, caught by the tests
            raise AssertionError(f"{fn.__module__} returned {[s.name for s in sigs]}, expected {names}")
        out.extend(sigs)
    return tuple(out)


__all__ = ["DIRECTIONS", "FEATURE_NAMES", "Resources", "extract_signals"]
