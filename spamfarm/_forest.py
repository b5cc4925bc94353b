"""Fast prediction for the fitted gradient-boosted trees.

scikit-learn's ``HistGradientBoostingClassifier.predict_proba`` calls each tree in turn, which
costs milliseconds per call: fine for a batch, too slow when a crawler scores one page at a time.
:class:`CompiledForest` copies the trees into flat numpy arrays once and walks all of them at
the same time, level by level, giving the same numbers (checked in the tests).

Each level costs a handful of numpy calls on small arrays, so their count is what matters: the
per-node arrays are laid out twice over (entry ``2 * node`` for the left side, ``2 * node + 1``
for the right), which turns "go to the chosen child" into one lookup, and leaves point to
themselves, so that no mask keeps finished trees still.
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
        # The walk's arrays, indexed by 2 * node (+ 1 for the right child's entry). A leaf's
        # children are the leaf itself: walking on from it changes nothing.
        own = np.arange(len(feature), dtype=np.int64)
        child2 = np.empty(2 * len(own), dtype=np.int64)
        child2[0::2] = 2 * np.where(leaf, own, left)
        child2[1::2] = 2 * np.where(leaf, own, right)
        self._child2 = child2
        self._feature2 = np.repeat(feature, 2)
        self._threshold2 = np.repeat(threshold, 2)
        self._missing_left2 = np.repeat(missing_left, 2)
        self._value2 = np.repeat(value, 2)
        self._roots2 = 2 * roots

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
        X = np.ascontiguousarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected an array of shape (n, {self.n_features}), got {X.shape}")
        flat = X.ravel()
        has_nan = bool(np.isnan(flat).any())
        # Each row's offset into ``flat``; a single row (score()) needs none.
        offsets = (np.arange(X.shape[0], dtype=np.int64) * X.shape[1])[:, None] if X.shape[0] > 1 else 0
        node = np.broadcast_to(self._roots2, (X.shape[0], len(self._roots2)))  # 2 * node, per row and tree
        for _ in range(self.depth):
            x = flat[self._feature2[node] + offsets]
            if has_nan:  # a missing value goes where the tree sent missing values when trained
                go_right = ~np.where(np.isnan(x), self._missing_left2[node], x <= self._threshold2[node])
            else:
                go_right = x > self._threshold2[node]
            node = self._child2[node + go_right]
        out: np.ndarray = self._value2[node].sum(axis=1) + self.baseline
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
