"""Loss functions (how wrong is the output?) and their gradients.

Each loss comes with a ``..._grad`` sibling taking the same arguments and
returning d(loss)/d(first argument), an array of the same shape. The two are
checked against each other by finite differences in the tests.

How each loss adds up over many numbers follows its source:

* ``half_squared_error`` sums: Mazur's E_total = sum 1/2 (target - out)^2.
* ``mean_squared_error`` and ``binary_cross_entropy`` average over every entry.
* ``softmax_cross_entropy`` averages over examples (rows), one label per row.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine._arrays import as_floats, same_shape

__all__ = [
    "half_squared_error",
    "half_squared_error_grad",
    "mean_squared_error",
    "mean_squared_error_grad",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "l2_penalty",
    "LOSS_NAMES",
]

#: Probabilities are kept this far from 0 and 1 inside the logarithms, so a
#: confidently wrong answer costs a large but finite -log(1e-12) = 27.6.
PROBABILITY_FLOOR = 1e-12


def _pair(output: Any, target: Any, output_name: str) -> tuple[np.ndarray, np.ndarray]:
    output = as_floats(output, output_name)
    target = as_floats(target, "target")
    same_shape(output, output_name, target, "target")
    return output, target


def half_squared_error(output: Any, target: Any) -> np.float64:
    """sum 1/2 (target - output)^2, Mazur's E_total.

    The 1/2 is there only so that it cancels the 2 of the derivative,
    leaving the tidy gradient (output - target).
    """
    output, target = _pair(output, target, "output")
    difference = target - output
    return np.float64(0.5 * np.sum(difference * difference))


def half_squared_error_grad(output: Any, target: Any) -> np.ndarray:
    """d/d(output) of the half squared error: simply output - target."""
    output, target = _pair(output, target, "output")
    return output - target


def mean_squared_error(output: Any, target: Any) -> np.float64:
    """The average of (output - target)^2 over every entry."""
    output, target = _pair(output, target, "output")
    difference = output - target
    return np.float64(np.mean(difference * difference))


def mean_squared_error_grad(output: Any, target: Any) -> np.ndarray:
    """2 (output - target) / n: each entry's share of the average."""
    output, target = _pair(output, target, "output")
    return 2.0 * (output - target) / output.size


def _clipped(probability: np.ndarray) -> np.ndarray:
    return np.clip(probability, PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR)


def binary_cross_entropy(probability: Any, target: Any) -> np.float64:
    """-[t log p + (1 - t) log(1 - p)], averaged over every entry.

    It punishes confident mistakes hard: predicting p = 0.01 for a true 1
    costs 4.6, against 0.01 for p = 0.99. Probabilities are clipped to
    [1e-12, 1 - 1e-12] so that p = 0 or 1 gives a finite number, never inf.
    """
    probability, target = _pair(probability, target, "probability")
    p = _clipped(probability)
    return np.float64(-np.mean(target * np.log(p) + (1.0 - target) * np.log(1.0 - p)))


def binary_cross_entropy_grad(probability: Any, target: Any) -> np.ndarray:
    """(p - t) / (p (1 - p)) / n. Through a sigmoid this becomes just (p - t) / n."""
    probability, target = _pair(probability, target, "probability")
    p = _clipped(probability)
    return (p - target) / (p * (1.0 - p)) / probability.size


def _logits_and_labels(logits: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    logits = as_floats(logits, "logits")
    if logits.ndim not in (1, 2):
        raise ValueError(f"logits must be one row of scores or a table of rows, got shape {logits.shape}")
    rows = np.atleast_2d(logits)
    raw = np.asarray(labels)
    if raw.dtype.kind == "f" and np.all(raw == np.round(raw)):
        raw = raw.astype(np.int64)
    if raw.dtype.kind not in "iu":
        raise ValueError(f"labels must be whole class numbers like 0, 1, 2; got {np.asarray(labels).tolist()!r}")
    labels = np.atleast_1d(raw)
    if labels.shape != (rows.shape[0],):
        raise ValueError(f"logits have shape {logits.shape} but labels have shape {raw.shape}: one label per row")
    if labels.size and (labels.min() < 0 or labels.max() >= rows.shape[1]):
        raise ValueError(f"labels must lie between 0 and {rows.shape[1] - 1} for {rows.shape[1]} classes")
    return rows, labels


def softmax_cross_entropy(logits: Any, labels: Any) -> np.float64:
    """-log(softmax(logits)[label]), averaged over rows.

    Computed from the logits as log(sum e^z) - z[label], with the largest
    score subtracted first, so that even huge scores never overflow.
    """
    rows, labels = _logits_and_labels(logits, labels)
    shifted = rows - rows.max(axis=1, keepdims=True)
    log_sums = np.log(np.sum(np.exp(shifted), axis=1))
    picked = shifted[np.arange(rows.shape[0]), labels]
    return np.float64(np.mean(log_sums - picked))


def softmax_cross_entropy_grad(logits: Any, labels: Any) -> np.ndarray:
    """(softmax(logits) - one_hot(labels)) / rows: Britz's ``probs[range(n), y] -= 1``."""
    logits_array = as_floats(logits, "logits")
    rows, labels = _logits_and_labels(logits, labels)
    shifted = rows - rows.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=1, keepdims=True)
    probs[np.arange(rows.shape[0]), labels] -= 1.0
    probs /= rows.shape[0]
    return probs.reshape(logits_array.shape)


def l2_penalty(weights: Any, lam: float) -> np.float64:
    """lam / 2 times the sum of every squared weight.

    `weights` is one matrix or a list of matrices of different shapes. Its
    gradient is lam * W, which is why the 1/2 is there. Biases are left out
    on purpose: they shift a neuron but do not make the network more wiggly.
    """
    lam = float(lam)
    if lam < 0:
        raise ValueError(f"lam must be 0 or positive, got {lam}")
    try:
        arrays = [as_floats(weights, "weights")]
    except ValueError:
        arrays = [as_floats(w, f"weights[{i}]") for i, w in enumerate(weights)]
    return np.float64(0.5 * lam * sum(float(np.vdot(w, w)) for w in arrays))


#: The losses a network can be trained on.
LOSS_NAMES: tuple[str, ...] = (
    "half_squared_error",
    "mean_squared_error",
    "binary_cross_entropy",
    "softmax_cross_entropy",
)


def check_loss_name(name: str) -> str:
    if name not in LOSS_NAMES:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(LOSS_NAMES)}")
    return name


# --- the per-example view a network needs -----------------------------------
#
# A network adds up one loss per example (row) and then either sums those
# (Mazur, Trask, Britz) or averages them (Nielsen). These helpers return the
# SUM over rows and its gradient; the network divides by the number of rows
# when it averages. Per row, half squared error sums over output units while
# the other losses average, so that averaging over rows gives exactly the
# public functions above.


def total_loss(name: str, output: np.ndarray, target: np.ndarray) -> float:
    """The loss summed over rows (see the comment above)."""
    units = output.shape[1]
    if name == "half_squared_error":
        return float(half_squared_error(output, target))
    if name == "mean_squared_error":
        difference = output - target
        return float(np.vdot(difference, difference)) / units
    if name == "binary_cross_entropy":
        return float(binary_cross_entropy(output, target)) * output.shape[0]
    return float(softmax_cross_entropy(output, target)) * output.shape[0]


def total_loss_grad(name: str, output: np.ndarray, target: np.ndarray) -> np.ndarray:
    """d(total_loss)/d(output)."""
    rows = output.shape[0]
    if name == "half_squared_error":
        return output - target
    if name == "mean_squared_error":
        return mean_squared_error_grad(output, target) * rows
    if name == "binary_cross_entropy":
        return binary_cross_entropy_grad(output, target) * rows
    return softmax_cross_entropy_grad(output, target) * rows
