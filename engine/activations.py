"""Activation functions and their derivatives.

Every function takes the weighted input z (a number, a list or an array) and
returns the same kind of thing: a NumPy scalar for a scalar, an array for an
array. The derivatives are written with respect to z, as in the articles
(sigma'(z) = sigma(z) (1 - sigma(z))).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from engine._arrays import as_floats, scalar_or_array

__all__ = [
    "sigmoid",
    "sigmoid_prime",
    "tanh",
    "tanh_prime",
    "relu",
    "relu_prime",
    "identity",
    "identity_prime",
    "softmax",
    "ACTIVATION_NAMES",
    "activation_function",
    "activation_derivative",
]


def sigmoid(z: Any) -> Any:
    """1 / (1 + e^-z), squashing any number into (0, 1).

    For z below about -709, e^-z overflows to infinity. That overflow is
    harmless: 1 / (1 + inf) is exactly 0, the right limit, so we only silence
    NumPy's warning and never produce NaN (checked up to |z| = 1e4). Writing
    the formula this way, the same way Trask and Britz do, means the engine
    reproduces their numbers bit for bit.
    """
    z = as_floats(z, "z")
    with np.errstate(over="ignore"):
        return scalar_or_array(1.0 / (1.0 + np.exp(-z)))


def sigmoid_prime(z: Any) -> Any:
    """sigma(z) (1 - sigma(z)): the slope is largest (1/4) at z = 0 and vanishes far out."""
    s = as_floats(sigmoid(z), "z")
    return scalar_or_array(s * (1.0 - s))


def tanh(z: Any) -> Any:
    """The hyperbolic tangent: like sigmoid but centred on 0, with outputs in (-1, 1)."""
    return scalar_or_array(np.tanh(as_floats(z, "z")))


def tanh_prime(z: Any) -> Any:
    """1 - tanh(z)^2: Britz's (1 - a^2), written from the output a = tanh(z)."""
    t = np.tanh(as_floats(z, "z"))
    return scalar_or_array(1.0 - t * t)


def relu(z: Any) -> Any:
    """max(z, 0): passes positive inputs through and blocks negative ones."""
    return scalar_or_array(np.maximum(as_floats(z, "z"), 0.0))


def relu_prime(z: Any) -> Any:
    """1 where z > 0, else 0. At exactly z = 0 the slope is undefined; we pick 0, as most libraries do."""
    return scalar_or_array((as_floats(z, "z") > 0.0).astype(np.float64))


def identity(z: Any) -> Any:
    """z unchanged: an output layer that predicts any real number (or logits for softmax)."""
    return scalar_or_array(as_floats(z, "z").copy())


def identity_prime(z: Any) -> Any:
    """The slope of z is 1 everywhere."""
    return scalar_or_array(np.ones_like(as_floats(z, "z")))


def softmax(z: Any, axis: int = -1) -> Any:
    """e^z / sum(e^z) along `axis`: turns scores into probabilities that add up to 1.

    Subtracting the largest score first changes nothing mathematically (the
    factor e^-max cancels) but keeps e^z from overflowing for large scores.
    """
    z = as_floats(z, "z")
    if z.ndim == 0:
        raise ValueError("softmax needs a list of scores, not a single number")
    shifted = z - np.max(z, axis=axis, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=axis, keepdims=True)


_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "identity": identity,
    "softmax": softmax,
}
_DERIVATIVES: dict[str, Callable[[Any], Any]] = {
    "sigmoid": sigmoid_prime,
    "tanh": tanh_prime,
    "relu": relu_prime,
    "identity": identity_prime,
}

#: The names a network layer may use for its activation.
ACTIVATION_NAMES: tuple[str, ...] = tuple(_FUNCTIONS)


def check_activation_name(name: str, where: str) -> str:
    """Return `name` if it is a known activation, else a ValueError listing the choices."""
    if name not in _FUNCTIONS:
        raise ValueError(f"{where}: unknown activation {name!r}; choose one of {', '.join(ACTIVATION_NAMES)}")
    return name


def activation_function(name: str) -> Callable[[Any], Any]:
    """The activation called `name` ("sigmoid", "tanh", ...)."""
    return _FUNCTIONS[check_activation_name(name, "activation_function")]


def activation_derivative(name: str) -> Callable[[Any], Any]:
    """The derivative of the activation called `name` (softmax has none: its slope is a matrix)."""
    check_activation_name(name, "activation_derivative")
    if name not in _DERIVATIVES:
        raise ValueError("softmax has no elementwise derivative: each output depends on every input")
    return _DERIVATIVES[name]
