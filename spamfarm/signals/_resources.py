"""What signals may consult besides the page: models fitted on honest text, shipped in the bundle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .._lm import BigramLM


@dataclass(frozen=True, slots=True)
class Resources:
    """``lm``: bigram model of honest running text; ``phrase_model``: classifier over
    :data:`spamfarm.signals.injected.CANDIDATE_FEATURES` (a :class:`spamfarm._forest.CompiledForest`);
    ``glue_tails``: per compounding language (German...), the lower-case words a glued brand may
    run into (:func:`spamfarm.signals.injected.fit_glue_tails`); ``given_names``: people's given
    names in many languages (:func:`spamfarm.train.given_names`), which tell a person's name
    between lower-case words from an inserted brand.
    Any may be None (then the signals that need it read 0 or find nothing)."""

    lm: BigramLM | None = None
    phrase_model: Any = None
    glue_tails: Mapping[str, frozenset[str]] | None = None
    given_names: frozenset[str] | None = None
