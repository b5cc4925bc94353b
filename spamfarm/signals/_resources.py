"""What signals may consult besides the page: models fitted on honest text, shipped in the bundle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._lm import BigramLM


@dataclass(frozen=True, slots=True)
class Resources:
    """``lm``: bigram model of honest running text; ``phrase_model``: classifier over
    :data:`spamfarm.signals.injected.CANDIDATE_FEATURES` (a :class:`spamfarm._forest.CompiledForest`).
    Either may be None (then the signals that need it read 0)."""

    lm: BigramLM | None = None
    phrase_model: Any = None
