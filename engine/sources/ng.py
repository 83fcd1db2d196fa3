"""Andrew Ng, Machine Learning (Coursera), week 4: logic gates from single neurons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from engine.activations import sigmoid
from engine.datasets import logic_gate
from engine.network import Network

__all__ = ["ng_gate_neuron", "ng_xnor_network", "NgGate", "NgXnor"]

_NG_GATES = {
    "AND": (-30.0, (20.0, 20.0)),
    "OR": (-10.0, (20.0, 20.0)),
    "NOR": (10.0, (-20.0, -20.0)),  # Ng's "(NOT x1) AND (NOT x2)"
    "NAND": (30.0, (-20.0, -20.0)),  # not in the lecture: AND with every sign flipped
}


@dataclass(frozen=True)
class NgGate:
    """A gate neuron on the four input pairs: h = sigmoid(bias + w1 x1 + w2 x2)."""

    gate: str
    bias: np.float64
    weights: np.ndarray
    inputs: np.ndarray
    outputs: np.ndarray
    predictions: np.ndarray
    truth_table: np.ndarray
    matches: bool


def ng_gate_neuron(gate: str = "AND", bias: float | None = None, weights: Sequence[float] | None = None) -> NgGate:
    """Ng's neuron for `gate` (AND: -30, 20, 20), or your own bias and weights tried on that gate.

    With weights of size 20 the sigmoid is pushed to within 5e-5 of 0 or 1,
    so the neuron behaves like the logic gate.
    """
    key = gate.upper()
    data = logic_gate(key)
    if bias is None or weights is None:
        if key not in _NG_GATES:
            raise ValueError(f"Ng gives weights for {', '.join(_NG_GATES)}; pass bias and weights for {key}")
        default_bias, default_weights = _NG_GATES[key]
        bias = default_bias if bias is None else bias
        weights = default_weights if weights is None else weights
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (2,):
        raise ValueError(f"a gate neuron has two weights, got shape {w.shape}")
    outputs = sigmoid(data.inputs @ w + float(bias))
    predictions = (outputs >= 0.5).astype(np.int64)
    table = data.targets[:, 0].astype(np.int64)
    return NgGate(key, np.float64(bias), w, data.inputs, outputs, predictions, table, bool(np.all(predictions == table)))


@dataclass(frozen=True)
class NgXnor:
    hidden: np.ndarray
    outputs: np.ndarray
    predictions: np.ndarray
    network: Network


def ng_xnor_network() -> NgXnor:
    """XNOR from three gate neurons: a1 = x1 AND x2, a2 = NOR, output = a1 OR a2."""
    and_bias, and_w = _NG_GATES["AND"]
    nor_bias, nor_w = _NG_GATES["NOR"]
    or_bias, or_w = _NG_GATES["OR"]
    network = Network(
        [np.column_stack([and_w, nor_w]), np.array(or_w).reshape(2, 1)],
        [[and_bias, nor_bias], [or_bias]],
        "sigmoid",
        "frozen",
    )
    pass_ = network.forward(logic_gate("XNOR").inputs)
    outputs = pass_.output[:, 0]
    return NgXnor(pass_.activations[1], outputs, (outputs >= 0.5).astype(np.int64), network)
