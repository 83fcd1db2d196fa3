"""Checking gradients the slow, obvious way: wiggle each number and watch the loss.

Backpropagation is easy to get subtly wrong. The central difference
(L(w + h) - L(w - h)) / 2h needs no calculus at all and is accurate to about
h^2, so comparing it with the backpropagated gradient catches almost any
mistake. It costs two forward passes per parameter, which is why it is a
check and not a way to train.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from engine._arrays import as_floats
from engine.network import BatchMode, Network

__all__ = ["gradient_check", "GradientCheck", "numerical_gradient", "relative_error"]


def numerical_gradient(function: Callable[[np.ndarray], Any], x: Any, epsilon: float = 1e-5) -> np.ndarray:
    """d function / d x by central differences; `function` maps an array to one number.

    Each entry of `x` is nudged up and down in turn (and put back), so `x` is
    unchanged afterwards.
    """
    x = as_floats(x, "x").copy()
    grad = np.zeros_like(x)
    flat, flat_grad = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + epsilon
        up = float(function(x))
        flat[i] = original - epsilon
        down = float(function(x))
        flat[i] = original
        flat_grad[i] = (up - down) / (2.0 * epsilon)
    return grad


def relative_error(analytic: Any, numeric: Any) -> float:
    """|a - n| / (|a| + |n|) with array norms: 0 means identical, 1e-7 or less means correct.

    Dividing by the sizes makes the number mean the same for big and small
    gradients; two all-zero arrays agree perfectly (0).
    """
    a, n = as_floats(analytic, "analytic"), as_floats(numeric, "numeric")
    denominator = np.linalg.norm(a) + np.linalg.norm(n)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - n) / denominator)


@dataclass(frozen=True)
class GradientCheck:
    """The worst disagreement per parameter array (None where a layer has no biases)."""

    weights: tuple[float, ...]
    biases: tuple[float | None, ...]

    @property
    def worst(self) -> float:
        return max([*self.weights, *(e for e in self.biases if e is not None)])

    def passed(self, tolerance: float = 1e-7) -> bool:
        return self.worst < tolerance


def gradient_check(
    network: Network,
    inputs: Any,
    targets: Any,
    loss: str = "half_squared_error",
    batch: BatchMode = "sum",
    l2: float = 0.0,
    epsilon: float = 1e-5,
) -> GradientCheck:
    """Compare ``network.backward`` with central differences for every weight and bias.

    The network is left exactly as it was.
    """
    analytic = network.backward(inputs, targets, loss, batch, l2).gradients

    def objective(_: np.ndarray) -> float:
        return network.loss(inputs, targets, loss, batch, l2)

    weight_errors = []
    for W, dW in zip(network.weights, analytic.weights):
        weight_errors.append(relative_error(dW, _wiggle(W, objective, epsilon)))
    bias_errors: list[float | None] = []
    for b, db in zip(network.biases, analytic.biases):
        bias_errors.append(None if b is None else relative_error(db, _wiggle(b, objective, epsilon)))
    return GradientCheck(tuple(weight_errors), tuple(bias_errors))


def _wiggle(parameter: np.ndarray, objective: Callable[[np.ndarray], float], epsilon: float) -> np.ndarray:
    """Central differences on a parameter array that the objective reads in place."""
    grad = np.zeros_like(parameter)
    flat, flat_grad = parameter.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + epsilon
        up = objective(parameter)
        flat[i] = original - epsilon
        down = objective(parameter)
        flat[i] = original
        flat_grad[i] = (up - down) / (2.0 * epsilon)
    return grad
