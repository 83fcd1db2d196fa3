"""A single artificial neuron: a weighted sum, then an activation.

This is the whole idea in two functions. The article's neuron has inputs
1 and 0, weights 7 and 3 and bias -2: its weighted sum is 7*1 + 3*0 - 2 = 5
and its output sigmoid(5) = 0.9933071490757153.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine._arrays import as_floats, scalar_or_array
from engine.activations import activation_function

__all__ = ["weighted_sum", "neuron_output"]


def weighted_sum(inputs: Any, weights: Any, bias: Any) -> Any:
    """z = sum_i w_i x_i + b: how strongly the inputs, each weighed, push the neuron.

    `inputs` may be one example (a flat list) or many (rows); the result is
    then one number or one number per row.
    """
    x = as_floats(inputs, "inputs")
    w = as_floats(weights, "weights")
    if w.ndim != 1:
        raise ValueError(f"a single neuron has one weight per input: weights must be a flat list, got shape {w.shape}")
    if x.ndim == 0 or x.shape[-1] != w.shape[0]:
        raise ValueError(f"inputs have shape {x.shape} but there are {w.shape[0]} weights: one weight per input")
    b = as_floats(bias, "bias")
    if b.ndim != 0:
        raise ValueError(f"a single neuron has one bias, got shape {b.shape}")
    return scalar_or_array(np.asarray(x @ w + b))


def neuron_output(inputs: Any, weights: Any, bias: Any, activation: str = "sigmoid") -> Any:
    """activation(weighted_sum(...)): the number the neuron passes on."""
    return activation_function(activation)(weighted_sum(inputs, weights, bias))
