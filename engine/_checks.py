"""Checking what a network is built from and fed with, before any maths runs.

Not part of the reading path: engine/network.py calls these so that its own
lines can be the maths alone. Each check turns a lesson's plain lists into
float arrays and refuses anything that would silently compute nonsense
(broadcast shapes, NaN, a softmax in a hidden layer), with a message that
names the layer the way a learner counts them: "layer 2 (weights[1])".
"""

from __future__ import annotations

from typing import Any, Literal, Sequence

import numpy as np

from engine._arrays import as_floats, require_finite
from engine.activations import check_activation_name
from engine.losses import check_loss_name

BiasMode = Literal["absent", "trained", "frozen"]
BatchMode = Literal["sum", "mean"]
BIAS_MODES = ("absent", "trained", "frozen")
BATCH_MODES = ("sum", "mean")


def layer_name(index: int) -> str:
    return f"layer {index + 1} (weights[{index}])"


def check_batch_mode(batch: str) -> str:
    if batch not in BATCH_MODES:
        raise ValueError(f"batch must be 'sum' (Britz, Mazur) or 'mean' (Nielsen), got {batch!r}")
    return batch


def check_bias_mode(bias: str) -> str:
    if bias not in BIAS_MODES:
        raise ValueError(f"bias must be one of {', '.join(BIAS_MODES)}, got {bias!r}")
    return bias


def weight_matrices(weights: Sequence[Any]) -> list[np.ndarray]:
    """One (n_in, n_out) float matrix per layer, each layer fed by the one before."""
    if isinstance(weights, np.ndarray) and weights.ndim == 2:
        weights = [weights]
    if len(weights) == 0:
        raise ValueError("a network needs at least one layer of weights")
    matrices = [_matrix(w, i) for i, w in enumerate(weights)]
    for index in range(1, len(matrices)):
        before, after = matrices[index - 1], matrices[index]
        if after.shape[0] != before.shape[1]:
            raise ValueError(
                f"{layer_name(index)} has shape {after.shape}, so it takes {after.shape[0]} inputs, "
                f"but {layer_name(index - 1)} has shape {before.shape} and gives {before.shape[1]} outputs"
            )
    return matrices


def _matrix(value: Any, index: int) -> np.ndarray:
    array = as_floats(value, f"weights[{index}]")
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"{layer_name(index)} must be a matrix of shape (inputs, outputs), got shape {array.shape}")
    require_finite(array, f"weights[{index}]")
    return array.copy()


def bias_vectors(bias: BiasMode, biases: Sequence[Any] | None, weights: list[np.ndarray]) -> list[np.ndarray | None]:
    """One (n_out,) vector per layer (None for bias="absent"); zeros when none are given."""
    if bias == "absent":
        if biases is not None and any(b is not None for b in biases):
            raise ValueError("bias='absent' but biases were given; pass bias='trained' or 'frozen' to use them")
        return [None] * len(weights)
    if biases is None:
        return [np.zeros(w.shape[1]) for w in weights]
    if len(biases) != len(weights):
        raise ValueError(f"got {len(biases)} bias vectors for {len(weights)} layers of weights")
    result: list[np.ndarray | None] = []
    for index, (b, w) in enumerate(zip(biases, weights)):
        vector = as_floats(b, f"biases[{index}]")
        if vector.ndim == 0:
            vector = np.full(w.shape[1], float(vector))  # Mazur shares one bias per layer
        vector = vector.reshape(-1) if vector.ndim == 2 and 1 in vector.shape else vector
        if vector.shape != (w.shape[1],):
            raise ValueError(
                f"{layer_name(index)} has shape {w.shape}, so it needs {w.shape[1]} biases, "
                f"but biases[{index}] has shape {as_floats(b, 'biases').shape}"
            )
        require_finite(vector, f"biases[{index}]")
        result.append(vector.copy())
    return result


def activation_names(activations: str | Sequence[str], layers: int) -> tuple[str, ...]:
    """One known activation name per layer; softmax only on the last."""
    if isinstance(activations, str):
        names = [activations] * layers
    else:
        names = list(activations)
        if len(names) != layers:
            raise ValueError(f"got {len(names)} activations for {layers} layers")
    for index, name in enumerate(names):
        check_activation_name(name, layer_name(index))
        if name == "softmax" and index != len(names) - 1:
            raise ValueError(f"{layer_name(index)}: softmax only makes sense on the output layer")
    return tuple(names)


def input_rows(inputs: Any, first: np.ndarray) -> np.ndarray:
    """Inputs as a (rows, features) array for a first layer `first`; one flat list is one example."""
    array = as_floats(inputs, "inputs")
    if array.ndim == 1:
        array = array.reshape(1, -1)
    if array.ndim != 2 or array.shape[1] != first.shape[0]:
        raise ValueError(
            f"{layer_name(0)} has shape {first.shape}, so it needs inputs with {first.shape[0]} columns "
            f"(one row per example), but the inputs have shape {np.shape(inputs)}"
        )
    require_finite(array, "the inputs")
    return array


def target_rows(targets: Any, loss: str, rows: int, weights: list[np.ndarray]) -> np.ndarray:
    """Targets shaped like the output (class numbers for softmax_cross_entropy)."""
    outputs = weights[-1].shape[1]
    last = layer_name(len(weights) - 1)
    if loss == "softmax_cross_entropy":
        labels = np.asarray(targets)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.shape != (rows,):
            raise ValueError(
                f"softmax_cross_entropy needs one class number per example: {rows} labels, "
                f"but the labels have shape {np.shape(targets)}"
            )
        if labels.dtype.kind == "f" and np.all(labels == np.round(labels)):
            labels = labels.astype(np.int64)
        if labels.dtype.kind not in "iu" or labels.min() < 0 or labels.max() >= outputs:
            raise ValueError(f"labels must be whole numbers from 0 to {outputs - 1} ({last} has {outputs} outputs)")
        return labels.astype(np.intp)
    array = as_floats(targets, "targets")
    if array.ndim == 1 and outputs == 1 and array.shape[0] == rows:
        array = array.reshape(-1, 1)  # [0, 1, 1, 0] for a one-output network
    elif array.ndim == 1 and rows == 1:
        array = array.reshape(1, -1)  # one example's targets as a flat list
    if array.shape != (rows, outputs):
        raise ValueError(
            f"the targets have shape {np.shape(targets)} but the output of {last} "
            f"(weights of shape {weights[-1].shape}) has shape {(rows, outputs)}"
        )
    require_finite(array, "the targets")
    return array


def loss_for_output(loss: str, last_activation: str) -> str:
    """`loss` if it is known and fits the output layer's activation."""
    check_loss_name(loss)
    if loss == "softmax_cross_entropy" and last_activation != "identity":
        raise ValueError(
            "softmax_cross_entropy applies the softmax itself, so the output layer must be 'identity' "
            f"(it outputs logits); this network's output layer is {last_activation!r}"
        )
    return loss
