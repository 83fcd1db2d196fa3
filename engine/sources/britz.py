"""Denny Britz, "Implementing a Neural Network from Scratch in Python" (2015): the moons.

A tanh hidden layer and a softmax output on make_moons(200, noise=0.2). He
prints the loss AFTER each update, so the losses here are reported one step
later than `engine.train` records them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.datasets import two_moons
from engine.fast import train
from engine.network import Network
from engine.training import StepCallback

__all__ = ["britz_moons", "BritzMoons"]

@dataclass(frozen=True)
class BritzMoons:
    """Britz's moons network after training.

    ``loss_after[i]`` is what his code prints as "Loss after iteration i":
    the loss after i + 1 updates, divided by the number of examples, with the
    L2 term reg_lambda/2 sum W^2 included.
    """

    loss_after: dict[int, np.float64]
    losses: np.ndarray
    final_loss: np.float64
    accuracy: np.float64
    network: Network
    grid_classes: np.ndarray | None = None
    # the accuracy on fresh moons of the same distribution, when asked for
    held_out_accuracy: np.float64 | None = None


def britz_moons(
    hidden_size: int = 3,
    passes: int = 20_000,
    epsilon: float = 0.01,
    reg_lambda: float = 0.01,
    seed: int = 0,
    print_every: int = 1000,
    callback: StepCallback | None = None,
    grid: Any = None,
    holdout_seed: int | None = None,
    holdout_samples: int = 1000,
) -> BritzMoons:
    """2 inputs, a tanh hidden layer, 2 softmax outputs, on make_moons(200, noise=0.20).

    His gradients are SUMMED over the 200 examples (not averaged), L2 adds
    reg_lambda * W to the weight gradients, and the weights start as
    randn(n_in, n_out) / sqrt(n_in) right after ``np.random.seed(0)``.

    `callback(step, loss)` sees each ``losses[step]`` during training (return
    False to stop). `grid`, an (n, 2) array of points, asks for the trained
    network's class at each of them (``grid_classes``): colour a grid by it
    and the decision boundary appears, as in Britz's plots. `holdout_seed`
    asks for ``held_out_accuracy``: the accuracy on `holdout_samples` other
    moons of the same distribution (noise 0.2, drawn from that seed), points
    the network never trained on.
    """
    X, labels = two_moons(200, noise=0.2, seed=0)
    legacy = np.random.RandomState(seed)
    W1 = legacy.randn(2, hidden_size) / np.sqrt(2)
    W2 = legacy.randn(hidden_size, 2) / np.sqrt(hidden_size)
    network = Network([W1, W2], [np.zeros(hidden_size), np.zeros(2)], ["tanh", "identity"], "trained")
    rows = X.shape[0]
    result = train(
        network, X, labels, learning_rate=epsilon, steps=passes,
        loss="softmax_cross_entropy", batch="sum", l2=reg_lambda,
        callback=None if callback is None else _after_update(callback, rows),
    )  # fmt: skip
    after_update = np.append(result.losses[1:], result.final_loss) / rows if len(result.losses) else np.empty(0)
    if callback is not None and len(after_update) and not result.stopped_early:
        callback(len(after_update) - 1, float(after_update[-1]))  # the loss after the last update
    loss_after = {i: np.float64(after_update[i]) for i in range(0, len(after_update), print_every)}
    predictions = np.argmax(network.predict(X), axis=1)
    grid_classes = None if grid is None else np.argmax(network.predict(grid), axis=1)
    held_out = None
    if holdout_seed is not None:
        X_new, labels_new = two_moons(int(holdout_samples), noise=0.2, seed=int(holdout_seed))
        held_out = np.float64(np.mean(np.argmax(network.predict(X_new), axis=1) == labels_new))
    return BritzMoons(
        loss_after, after_update, np.float64(result.final_loss / rows),
        np.float64(np.mean(predictions == labels)), network, grid_classes, held_out,
    )  # fmt: skip


def _after_update(callback: StepCallback, rows: int) -> StepCallback:
    """Britz reports the loss AFTER each update, per example; `train` reports it
    before. The loss before step k is the loss after update k - 1, so each
    report is passed on one step late (the last one comes after training)."""

    def report(step: int, loss: float) -> Any:
        return True if step == 0 else callback(step - 1, loss / rows)

    return report
