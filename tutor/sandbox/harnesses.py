"""Trusted drivers that call a learner's code the way an exercise needs.

Most exercises call the learner's function directly with the case's arguments.
Some cannot: a class has to be built before one of its methods is called, a
training loop has to be driven for a number of steps. A harness is a plain
function ``name(entry, **args)`` that receives the learner's entry (function or
class) and returns the value the checker compares. Harnesses run inside the
sandboxed child, next to the learner code, but they are *our* code: the worker
imports this module before any limits are applied, and only names listed in
``__all__`` can be chosen by a lesson (``harness = "call_method"``).

To add one: write the function here, add its name to ``__all__``, and give it a
test. Keep harnesses small and free of I/O; their return value must be plain
data (numbers, NumPy arrays, lists, tuples, dicts with string keys).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

__all__ = ["call_method", "call_with", "logistic_descent", "descend_logistic"]


def call_method(
    entry: Any,
    method: str,
    init: Mapping[str, Any] | None = None,
    args: Mapping[str, Any] | None = None,
) -> Any:
    """Build the learner's class with `init` and return ``instance.method(**args)``,
    so exercises such as "write a Neuron class with a forward method" can be
    checked case by case like a plain function."""
    instance = entry(**dict(init or {}))
    return getattr(instance, method)(**dict(args or {}))


def call_with(entry: Any, arguments: Mapping[str, Any] | None = None) -> Any:
    """Return ``entry(**arguments)`` with arguments fixed by the lesson.

    For a worked example whose engine reference takes no arguments (Mazur's
    network, say): the case stays empty, so the engine is called as it is,
    while the learner's function still receives the example's numbers as
    parameters instead of reading them from globals."""
    return entry(**dict(arguments or {}))


def _logistic_data(inputs: Any, targets: Any) -> tuple[Any, Any]:
    X = np.asarray(inputs, dtype=float)
    return X, np.asarray(targets, dtype=float).reshape(-1)


def _probabilities(X: Any, weights: Any, bias: float) -> Any:
    z = X @ weights + bias
    return np.exp(-np.logaddexp(0.0, -z))  # sigmoid(z), without overflow


def logistic_descent(entry: Any, inputs: Any, targets: Any, learning_rate: float, steps: int) -> Any:
    """Train logistic regression with the learner's ``gradient(inputs, targets,
    weights, bias) -> (dw, db)`` and return the probabilities it ends with.

    Gradient descent starts from all zeros, like the engine's
    `logistic_regression`, so a correct gradient reproduces the engine's
    probabilities; a wrong one drifts. Shapes are checked at every step, so
    the learner reads which gradient has the wrong shape instead of a
    broadcasting error from inside this driver."""
    X, y = _logistic_data(inputs, targets)
    weights, bias = np.zeros(X.shape[1]), 0.0
    for _ in range(int(steps)):
        result = entry(X.copy(), y.copy(), weights.copy(), bias)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise TypeError("gradient must return two things, dw and db: `return dw, db`")
        dw, db = np.asarray(result[0], dtype=float), np.asarray(result[1], dtype=float)
        if dw.shape != weights.shape:
            raise ValueError(
                f"dw has shape {dw.shape} but weights have shape {weights.shape}: "
                "dw needs one number per weight"
            )
        if db.size != 1:
            raise ValueError(
                f"db has shape {db.shape}; the bias gradient is a single number "
                "(average the per-example values)"
            )
        weights = weights - learning_rate * dw
        bias = bias - learning_rate * float(db.reshape(()))
    return _probabilities(X, weights, bias)


def descend_logistic(entry: Any, inputs: Any, targets: Any, learning_rate: float, steps: int) -> Any:
    """Hand the learner's ``descend(loss_and_gradient, start, learning_rate,
    steps)`` the log-loss of this data as a black box and return the losses
    it records, to compare with the engine's training curve.

    Parameters are one vector, the weights followed by the bias, starting at
    zeros. The learner's loop never sees the model: that is the point."""
    X, y = _logistic_data(inputs, targets)

    def loss_and_gradient(params: Any) -> tuple[float, Any]:
        params = np.asarray(params, dtype=float)
        if params.shape != (X.shape[1] + 1,):
            raise ValueError(f"params must have shape {(X.shape[1] + 1,)}, got {params.shape}")
        z = X @ params[:-1] + params[-1]
        loss = float(np.mean(np.logaddexp(0.0, z) - y * z))
        error = (np.exp(-np.logaddexp(0.0, -z)) - y) / len(y)
        return loss, np.append(X.T @ error, error.sum())

    start = np.zeros(X.shape[1] + 1)
    return entry(loss_and_gradient, start, float(learning_rate), int(steps))
