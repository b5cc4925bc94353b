"""spamfarm: tell spam and content-farm web pages from honest ones.

>>> import spamfarm
>>> spamfarm.score(html)                 # probability in [0, 1]
>>> spamfarm.explain(html, url=url)      # every signal, its value and its evidence
"""

from ._api import DEFAULT_MAX_CHARS, DEFAULT_THRESHOLD, explain, score
from ._errors import ModelLoadError, SpamfarmError
from ._model import Model, load_model
from ._result import Evidence, Explanation, Signal
from ._version import __version__
from .signals import FEATURE_NAMES

__all__ = [
    "DEFAULT_MAX_CHARS",
    "DEFAULT_THRESHOLD",
    "FEATURE_NAMES",
    "Evidence",
    "Explanation",
    "Model",
    "ModelLoadError",
    "Signal",
    "SpamfarmError",
    "__version__",
    "explain",
    "load_model",
    "score",
]
