"""The model bundle: saving, loading (lazily, once) and checking it against this code.

A bundle is a dict saved with joblib:

``format``          bundle format version (:data:`BUNDLE_FORMAT`)
``version``         model version string (spamfarm version + training date)
``spamfarm_version``, ``sklearn_version``
``feature_names``   the ordered signal names the estimator was trained on
``estimator``       a fitted scikit-learn classifier with ``predict_proba``
``lm``              the bigram model the ``injected`` signals use
``phrase_model``    the classifier of candidate injected phrases (``injected.CANDIDATE_FEATURES``)
``neutral``         per-feature values of a typical honest page (for contributions)
``card``            training data digest, command and metrics (also in MODEL_CARD.json)

A joblib file is a pickle: loading one runs code. :func:`load_model` therefore loads the
package's own model by default and any other file only with ``trust=True``. The shipped file's
SHA-256 is recorded in ``MODEL_CARD.json`` and checked before it is unpickled.
"""

from __future__ import annotations

import hashlib
import json
import threading
import warnings
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ._errors import ModelLoadError
from ._forest import CompiledForest
from .signals import FEATURE_NAMES, Resources
from .signals.injected import CANDIDATE_FEATURES

BUNDLE_FORMAT = 1
MODEL_FILE = "spamfarm.joblib"
CARD_FILE = "MODEL_CARD.json"


@dataclass(frozen=True, slots=True)
class Model:
    estimator: Any
    compiled: CompiledForest
    resources: Resources
    feature_names: tuple[str, ...]
    neutral: np.ndarray
    version: str
    card: dict[str, Any]

    def decision(self, X: np.ndarray) -> np.ndarray:
        """The forest's raw margin (log-odds before calibration): additive, never saturates."""
        return self.compiled.decision_function(X)

    def probability(self, margins: np.ndarray) -> np.ndarray:
        """Calibrated probabilities from margins already computed by :meth:`decision`."""
        return self.compiled.calibrate(margins)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Spam probabilities for a feature matrix in :data:`FEATURE_NAMES` order."""
        return self.compiled.predict_proba1(X)


def shipped_model_dir() -> Path:
    """Where the shipped model lives: the installed ``spamfarm.models`` package, or ``models/``
    beside the package in a source checkout."""
    try:
        p = Path(str(resources.files("spamfarm.models")))
        if (p / MODEL_FILE).exists():
            return p
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "models"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_model(path: str | Path | None = None, *, trust: bool = False) -> Model:
    """Load a model bundle. Without ``path``, the shipped model (checked against its SHA-256).

    Loading any other file unpickles it, which can run arbitrary code: pass ``trust=True`` only
    for files you made or got from someone you trust.
    """
    if path is None:
        d = shipped_model_dir()
        file = d / MODEL_FILE
        card_file = d / CARD_FILE
        if not file.exists():
            raise ModelLoadError(
                f"the shipped model {file} is missing; reinstall spamfarm or rebuild it with "
                "`python -m spamfarm.train --corpus ../shared/data/clean`"
            )
        try:
            expected = json.loads(card_file.read_text(encoding="utf-8"))["sha256"]
        except (OSError, ValueError, KeyError) as e:
            raise ModelLoadError(f"cannot read the model card {card_file}: {e}; reinstall spamfarm") from e
        actual = _sha256(file)
        if actual != expected:
            raise ModelLoadError(
                f"the shipped model {file} does not match the SHA-256 in {card_file.name} "
                f"({actual[:12]}… != {expected[:12]}…): the file is corrupt or was replaced; reinstall spamfarm"
            )
    else:
        file = Path(path)
        if not trust:
            raise ModelLoadError(
                f"refusing to load {file}: a joblib model is a pickle and loading it runs code. "
                "Pass trust=True if you made this file or trust who did."
            )
        if not file.exists():
            raise ModelLoadError(f"model file {file} does not exist")
    return _unpickle(file)


def _unpickle(file: Path) -> Model:
    import joblib
    import sklearn

    try:
        from sklearn.exceptions import InconsistentVersionWarning
    except ImportError:  # pragma: no cover - sklearn < 1.3
        InconsistentVersionWarning = UserWarning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InconsistentVersionWarning)
        try:
            bundle = joblib.load(file)
        except Exception as e:  # noqa: BLE001 - truncated/corrupt pickles raise many types
            raise ModelLoadError(
                f"cannot load model {file}: {type(e).__name__}: {e}. The file is truncated or corrupt; "
                "reinstall spamfarm or rebuild with `python -m spamfarm.train`"
            ) from e
    if any(issubclass(w.category, InconsistentVersionWarning) for w in caught) or (
        isinstance(bundle, dict) and bundle.get("sklearn_version") not in (None, sklearn.__version__)
    ):
        saved = bundle.get("sklearn_version") if isinstance(bundle, dict) else "another version"
        raise ModelLoadError(
            f"model {file} was saved with scikit-learn {saved} but {sklearn.__version__} is installed; "
            f"install scikit-learn=={saved} or retrain with `python -m spamfarm.train`"
        )
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise ModelLoadError(f"{file} is not a spamfarm model bundle (format {BUNDLE_FORMAT})")
    names = tuple(bundle.get("feature_names", ()))
    if names != FEATURE_NAMES:
        missing = sorted(set(FEATURE_NAMES) - set(names))
        extra = sorted(set(names) - set(FEATURE_NAMES))
        raise ModelLoadError(
            f"model {file} was trained on other signals than this code computes "
            f"(missing {missing}, unknown {extra}, or a different order); retrain with `python -m spamfarm.train`"
        )
    if tuple(bundle.get("candidate_features", ())) != CANDIDATE_FEATURES:
        raise ModelLoadError(
            f"model {file} has a phrase model over other features than this code computes; "
            "retrain with `python -m spamfarm.train`"
        )
    return Model(
        estimator=bundle["estimator"],
        compiled=CompiledForest.from_estimator(bundle["estimator"]),
        resources=Resources(
            lm=bundle["lm"],
            phrase_model=CompiledForest.from_estimator(bundle["phrase_model"]),
            glue_tails={k: frozenset(v) for k, v in bundle.get("glue_tails", {}).items()},
            given_names=frozenset(bundle.get("given_names", ())),
        ),
        feature_names=names,
        neutral=np.asarray(bundle["neutral"], dtype=float),
        version=str(bundle["version"]),
        card=dict(bundle.get("card", {})),
    )


_lock = threading.Lock()
_default: Model | None = None


def default_model() -> Model:
    """The shipped model, loaded on first use and kept."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = load_model()
    return _default
