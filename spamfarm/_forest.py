"""Fast prediction for the fitted gradient-boosted trees.

scikit-learn's ``HistGradientBoostingClassifier.predict_proba`` calls each tree in turn, which
costs milliseconds per call: fine for a batch, too slow when a crawler scores one page at a time.
:class:`CompiledForest` copies the trees into flat numpy arrays once and walks all of them at
the same time, level by level, giving the same numbers (checked in the tests).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class CompiledForest:
    """A binary HistGradientBoostingClassifier, optionally followed by a sigmoid calibrator.

    Build it with :meth:`from_estimator` from a fitted ``HistGradientBoostingClassifier`` or a
    ``CalibratedClassifierCV(..., method="sigmoid", ensemble=False)`` around one.
    """

    def __init__(
        self,
        *,
        feature: np.ndarray,
        threshold: np.ndarray,
        missing_left: np.ndarray,
        left: np.ndarray,
        right: np.ndarray,
        leaf: np.ndarray,
        value: np.ndarray,
        roots: np.ndarray,
        depth: int,
        baseline: float,
        n_features: int,
        sigmoid: tuple[float, float] | None = None,
    ) -> None:
        self.feature = feature
        self.threshold = threshold
        self.missing_left = missing_left
        self.left = left
        self.right = right
        self.leaf = leaf
        self.value = value
        self.roots = roots
        self.depth = depth
        self.baseline = baseline
        self.n_features = n_features
        self.sigmoid = sigmoid

    @classmethod
    def from_estimator(cls, est: Any) -> CompiledForest:
        sigmoid = None
        if hasattr(est, "calibrated_classifiers_"):
            if len(est.calibrated_classifiers_) != 1 or est.method != "sigmoid":
                raise ValueError("compile a CalibratedClassifierCV fitted with method='sigmoid', ensemble=False")
            cc = est.calibrated_classifiers_[0]
            cal = cc.calibrators[0]
            sigmoid = (float(cal.a_), float(cal.b_))
            est = cc.estimator
        if getattr(est, "n_trees_per_iteration_", 1) != 1 or getattr(est, "is_categorical_", None) is not None:
            raise ValueError("only binary classifiers without categorical features can be compiled")
        parts = [p[0].nodes for p in est._predictors]
        sizes = np.array([len(n) for n in parts])
        offsets = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
        nodes = np.concatenate(parts)
        shift = np.repeat(offsets, sizes)
        return cls(
            feature=nodes["feature_idx"].astype(np.int64),
            threshold=nodes["num_threshold"].astype(float),
            missing_left=nodes["missing_go_to_left"].astype(bool),
            left=nodes["left"].astype(np.int64) + shift,
            right=nodes["right"].astype(np.int64) + shift,
            leaf=nodes["is_leaf"].astype(bool),
            value=nodes["value"].astype(float),
            roots=offsets,
            depth=int(nodes["depth"].max()) + 1,
            baseline=float(np.ravel(est._baseline_prediction)[0]),
            n_features=int(est.n_features_in_),
            sigmoid=sigmoid,
        )

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected an array of shape (n, {self.n_features}), got {X.shape}")
        node = np.broadcast_to(self.roots, (X.shape[0], len(self.roots))).copy()
        rows = np.arange(X.shape[0])[:, None]
        for _ in range(self.depth):
            leaf = self.leaf[node]
            if leaf.all():
                break
            x = X[rows, self.feature[node]]
            go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
            node = np.where(leaf, node, np.where(go_left, self.left[node], self.right[node]))
        out: np.ndarray = self.value[node].sum(axis=1) + self.baseline
        return out

    def predict_proba1(self, X: np.ndarray) -> np.ndarray:
        """Probability of the positive class, calibrated when a calibrator was compiled in."""
        return self.calibrate(self.decision_function(X))

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        """Probabilities from raw margins: Platt scaling when a calibrator was compiled in
        (as sklearn's ``_SigmoidCalibration``), else the forest's own logistic link."""
        if self.sigmoid is not None:
            a, b = self.sigmoid
            raw = -(a * raw + b)
        p: np.ndarray = 1.0 / (1.0 + np.exp(-raw))
        return np.clip(p, 0.0, 1.0)
