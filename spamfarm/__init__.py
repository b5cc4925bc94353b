"""spamfarm: tell spam and content-farm web pages from honest ones.

>>> import spamfarm
>>> spamfarm.score(html)                 # probability in [0, 1]
>>> spamfarm.explain(html, url=url)      # every signal, its value and its evidence
>>> for row in spamfarm.score_many(spamfarm.read_pages(["crawl.warc.gz"]), n_jobs=2): ...
>>> found = spamfarm.score_corpus(spamfarm.read_pages(["crawl.warc.gz"]))  # + what the batch shows
"""

from ._api import DEFAULT_MAX_CHARS, DEFAULT_THRESHOLD, explain, score
from ._errors import ModelLoadError, SpamfarmError
from ._model import Model, load_model
from ._result import Evidence, Explanation, Signal
from ._version import __version__
from .batch import Result, score_many
from .network import CorpusReport, CorpusScores, score_corpus
from .signals import FEATURE_NAMES
from .sources import PageInput, read_pages

__all__ = [
    "DEFAULT_MAX_CHARS",
    "DEFAULT_THRESHOLD",
    "FEATURE_NAMES",
    "CorpusReport",
    "CorpusScores",
    "Evidence",
    "Explanation",
    "Model",
    "ModelLoadError",
    "PageInput",
    "Result",
    "Signal",
    "SpamfarmError",
    "__version__",
    "explain",
    "load_model",
    "read_pages",
    "score",
    "score_corpus",
    "score_many",
]
