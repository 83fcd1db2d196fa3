"""Logistic regression: the one-neuron network that draws a straight boundary.

It is exactly a network with no hidden layer, a sigmoid output and binary
cross-entropy, so it is built from `Network` and trained by the same
`train` (engine/training.py). The gradient of cross-entropy through a sigmoid is just
(p - y) x, averaged over the examples: no sigmoid slope appears, which is why
this pairing learns quickly even when it is confidently wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine._arrays import as_floats
from engine.network import Network
from engine.training import StepCallback, train

__all__ = ["LogisticRegression", "LogisticFit", "logistic_regression"]


class LogisticRegression:
    """fit / predict_proba / predict, with weights of shape (features,) and one bias."""

    def __init__(self, learning_rate: float = 0.1, steps: int = 1000, l2: float = 0.0) -> None:
        self.learning_rate = float(learning_rate)
        self.steps = int(steps)
        self.l2 = float(l2)
        self.network: Network | None = None
        self.losses = np.empty(0)

    def fit(self, inputs: Any, targets: Any, callback: StepCallback | None = None) -> "LogisticRegression":
        """Gradient descent on the mean cross-entropy from all-zero weights (so the result is deterministic).

        `callback(step, loss)` sees each entry of `losses` as it is computed;
        returning False stops training there.
        """
        X = as_floats(inputs, "inputs")
        if X.ndim != 2:
            raise ValueError(f"inputs must be a table with one row per example, got shape {X.shape}")
        y = as_floats(targets, "targets").reshape(-1)
        if y.shape != (X.shape[0],):
            raise ValueError(f"inputs have shape {X.shape} but targets have shape {np.shape(targets)}: one 0/1 per row")
        if not np.all((y == 0) | (y == 1)):
            raise ValueError("targets must be 0 or 1")
        self.network = Network([np.zeros((X.shape[1], 1))], [np.zeros(1)], "sigmoid", "trained")
        result = train(
            self.network,
            X,
            y,
            learning_rate=self.learning_rate,
            steps=self.steps,
            loss="binary_cross_entropy",
            batch="mean",
            l2=self.l2,
            callback=callback,
        )
        self.losses = result.losses
        return self

    def _fitted(self) -> Network:
        if self.network is None:
            raise ValueError("call fit(inputs, targets) before predicting")
        return self.network

    @property
    def weights(self) -> np.ndarray:
        return self._fitted().weights[0][:, 0].copy()

    @property
    def bias(self) -> np.float64:
        return np.float64(self._fitted().biases[0][0])  # type: ignore[index]

    def predict_proba(self, inputs: Any) -> np.ndarray:
        """P(class 1) for each row: sigmoid(x . w + b)."""
        return self._fitted().predict(inputs)[:, 0]

    def predict(self, inputs: Any) -> np.ndarray:
        """Class 1 where the probability is at least one half, else 0."""
        return (self.predict_proba(inputs) >= 0.5).astype(np.int64)


@dataclass(frozen=True)
class LogisticFit:
    """A fitted logistic regression as plain data, for lessons to select from."""

    weights: np.ndarray
    bias: np.float64
    losses: np.ndarray
    final_loss: np.float64
    probabilities: np.ndarray
    predictions: np.ndarray
    accuracy: np.float64


def logistic_regression(
    inputs: Any,
    targets: Any,
    learning_rate: float = 0.1,
    steps: int = 1000,
    l2: float = 0.0,
    callback: StepCallback | None = None,
) -> LogisticFit:
    """Fit and report in one call (the functional form lessons name); `callback`
    as for `LogisticRegression.fit`, so a lesson's loss curve can be watched live."""
    model = LogisticRegression(learning_rate, steps, l2).fit(inputs, targets, callback)
    network = model._fitted()
    y = as_floats(targets, "targets").reshape(-1)
    probabilities = model.predict_proba(inputs)
    predictions = (probabilities >= 0.5).astype(np.int64)
    return LogisticFit(
        weights=model.weights,
        bias=model.bias,
        losses=model.losses,
        final_loss=np.float64(network.loss(inputs, y, "binary_cross_entropy", "mean", l2)),
        probabilities=probabilities,
        predictions=predictions,
        accuracy=np.float64(np.mean(predictions == y)),
    )
