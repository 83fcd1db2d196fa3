"""A network's gradients as named arrays, for parameters passed in one by one.

A learner's backward pass is a function of plain arrays: ``backward(inputs,
targets, W1, b1, W2, b2)`` returning ``{"dW1": ..., "db1": ..., ...}``. To check
it on random cases, the checker calls the engine with the very same arguments
and compares name by name, so this function takes its parameters the same way
and answers in the same shape. The maths is `Network.backward`; this module
only translates between named arrays and a Network.

Names: layer l (counting from 1) has weights ``Wl`` of shape (n_in, n_out) and
biases ``bl`` of shape (n_out,); their gradients are ``dWl`` and ``dbl``.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np

from engine.network import BatchMode, Network

__all__ = ["network_gradients"]

_LAYER_PARAMETER = re.compile(r"(W|b)([1-9][0-9]*)")


def network_gradients(
    inputs: Any,
    targets: Any,
    weights: Sequence[Any] | None = None,
    biases: Sequence[Any] | None = None,
    activations: str | Sequence[str] = "sigmoid",
    loss: str = "half_squared_error",
    batch: BatchMode = "sum",
    l2: float = 0.0,
    **layers: Any,
) -> dict[str, np.ndarray]:
    """d(loss)/d(parameter) for every layer: ``{"dW1", "db1", "dW2", "db2", ...}``.

    Give the parameters either as lists (``weights=[W1, W2]``, ``biases=[b1,
    b2]``) or one by one (``W1=..., b1=..., W2=..., b2=...``), the way a
    learner's function receives them. Without biases the network has none and
    the result has only ``dW`` entries. One flat input row counts as one
    example; `loss`, `batch` ("sum" as Mazur, "mean" as Nielsen) and `l2` mean
    what they mean for `Network.backward`.
    """
    weights, biases = _parameters(weights, biases, layers)
    network = Network(weights, biases, activations, bias="absent" if biases is None else "trained")
    gradients = network.backward(inputs, targets, loss=loss, batch=batch, l2=l2).gradients
    named: dict[str, np.ndarray] = {}
    for number, (dW, db) in enumerate(zip(gradients.weights, gradients.biases), start=1):
        named[f"dW{number}"] = dW
        if db is not None:
            named[f"db{number}"] = db
    return named


def _parameters(
    weights: Sequence[Any] | None, biases: Sequence[Any] | None, layers: dict[str, Any]
) -> tuple[list[Any], list[Any] | None]:
    """The weight and bias lists, from the list arguments or from W1, b1, W2, ..."""
    if not layers:
        if weights is None:
            raise ValueError("give the weights, as weights=[W1, W2, ...] or as W1=..., W2=...")
        return list(weights), None if biases is None else list(biases)
    if weights is not None or biases is not None:
        raise ValueError("give the parameters either as weights=/biases= lists or as W1=, b1=, ..., not both")
    found: dict[str, dict[int, Any]] = {"W": {}, "b": {}}
    for name, value in layers.items():
        match = _LAYER_PARAMETER.fullmatch(name)
        if match is None:
            raise ValueError(
                f"unknown argument {name!r}: layer parameters are named W1, b1, W2, b2, ... (layers count from 1)"
            )
        found[match.group(1)][int(match.group(2))] = value
    count = max(found["W"], default=0)
    missing = [f"W{n}" for n in range(1, count + 1) if n not in found["W"]]
    if not found["W"] or missing:
        raise ValueError(f"missing weights {', '.join(missing) or 'W1'}: every layer from 1 up needs its W")
    extra = sorted(n for n in found["b"] if n > count)
    if extra:
        raise ValueError(f"b{extra[0]} has no matching W{extra[0]}: the network has {count} layers")
    if not found["b"]:
        return [found["W"][n] for n in range(1, count + 1)], None
    absent = [f"b{n}" for n in range(1, count + 1) if n not in found["b"]]
    if absent:
        raise ValueError(f"missing biases {', '.join(absent)}: give every layer its b, or none at all")
    return [found["W"][n] for n in range(1, count + 1)], [found["b"][n] for n in range(1, count + 1)]
