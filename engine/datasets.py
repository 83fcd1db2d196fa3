"""Small datasets, generated in NumPy: no downloads, no scikit-learn.

Every generator returns a `Dataset` with ``.inputs`` (one row per example)
and ``.targets``, and unpacks like a pair: ``X, y = two_moons()``. Logic
gates and Trask's data have float targets in a column, shape (n, 1), ready for
a sigmoid output; the 2-D point clouds have whole-number class labels, shape
(n,), ready for softmax_cross_entropy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

__all__ = [
    "Dataset",
    "GATE_NAMES",
    "logic_gate",
    "trask_3bit",
    "two_moons",
    "spirals",
    "blobs",
]


@dataclass(frozen=True)
class Dataset:
    """Inputs and targets, plus a name for titles and messages."""

    inputs: np.ndarray
    targets: np.ndarray
    name: str = ""

    def __iter__(self) -> Iterator[np.ndarray]:
        yield self.inputs
        yield self.targets

    def __len__(self) -> int:
        return int(self.inputs.shape[0])


_GATES = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
    "XNOR": (1, 0, 0, 1),
}
#: The gates `logic_gate` knows.
GATE_NAMES: tuple[str, ...] = tuple(_GATES)


def logic_gate(name: str) -> Dataset:
    """The truth table of a two-input gate: rows (0,0), (0,1), (1,0), (1,1).

    XOR and XNOR are the famous ones that no single neuron can learn: no
    straight line separates their 1s from their 0s.
    """
    key = str(name).upper()
    if key not in _GATES:
        raise ValueError(f"unknown gate {name!r}; choose one of {', '.join(GATE_NAMES)}")
    inputs = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    targets = np.array(_GATES[key], dtype=np.float64).reshape(-1, 1)
    return Dataset(inputs, targets, key)


def trask_3bit(target: str = "xor") -> Dataset:
    """Trask's four examples of three bits, the third always 1 (it acts as a bias).

    target="xor" gives his 3-layer network's y = 0, 1, 1, 0 (the first two
    bits XORed); target="first" gives his 2-layer network's y = 0, 0, 1, 1
    (a copy of the first bit).
    """
    inputs = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
    if target == "xor":
        values = (0, 1, 1, 0)
    elif target == "first":
        values = (0, 0, 1, 1)
    else:
        raise ValueError(f"target must be 'xor' or 'first', got {target!r}")
    return Dataset(inputs, np.array(values, dtype=np.float64).reshape(-1, 1), f"trask_3bit_{target}")


def two_moons(
    n_samples: int = 200,
    noise: float = 0.2,
    seed: int = 0,
    shuffle: bool = True,
    sklearn_compatible: bool = True,
) -> Dataset:
    """Two interleaving half circles, labels 0 (upper moon) and 1 (lower moon).

    With ``sklearn_compatible=True`` (the default) the points are exactly
    those of ``np.random.seed(seed); sklearn.datasets.make_moons(n_samples,
    noise=noise)``, the data of Britz's article. That recipe draws from NumPy's
    legacy generator in a fixed order: first a shuffle of the row numbers,
    then the Gaussian noise for the whole (n, 2) table, row by row. We make the
    same draws from ``np.random.RandomState(seed)``, which yields the same
    sequence as the seeded global generator, without touching global state.
    With ``sklearn_compatible=False`` the modern ``default_rng(seed)`` is used.
    """
    n_samples = int(n_samples)
    if n_samples < 2:
        raise ValueError(f"n_samples must be at least 2, got {n_samples}")
    if noise < 0:
        raise ValueError(f"noise must be 0 or positive, got {noise}")
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    angles_outer = np.linspace(0, np.pi, n_outer)
    angles_inner = np.linspace(0, np.pi, n_inner)
    xs = np.append(np.cos(angles_outer), 1 - np.cos(angles_inner))
    ys = np.append(np.sin(angles_outer), 1 - np.sin(angles_inner) - 0.5)
    inputs = np.vstack([xs, ys]).T
    labels = np.hstack([np.zeros(n_outer, dtype=np.intp), np.ones(n_inner, dtype=np.intp)])
    if sklearn_compatible:
        legacy = np.random.RandomState(seed)
        if shuffle:
            order = np.arange(n_samples)
            legacy.shuffle(order)
            inputs, labels = inputs[order], labels[order]
        inputs = inputs + legacy.normal(scale=noise, size=inputs.shape)
    else:
        rng = np.random.default_rng(seed)
        if shuffle:
            order = rng.permutation(n_samples)
            inputs, labels = inputs[order], labels[order]
        inputs = inputs + rng.normal(scale=noise, size=inputs.shape)
    return Dataset(inputs, labels, "two_moons")


def spirals(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, seed: int = 0) -> Dataset:
    """Interleaved spiral arms, one per class: the CS231n case study's data.

    Arm j has radius growing from 0 to 1 while its angle runs from 4j to
    4(j + 1) radians, plus Gaussian noise on the angle. With the default seed
    it matches ``np.random.seed(0)`` followed by that notebook's loop.
    """
    n_per_class, n_classes = int(n_per_class), int(n_classes)
    if n_per_class < 1 or n_classes < 2:
        raise ValueError("spirals needs at least one point per class and at least two classes")
    legacy = np.random.RandomState(seed)
    inputs = np.zeros((n_per_class * n_classes, 2))
    labels = np.zeros(n_per_class * n_classes, dtype=np.intp)
    for arm in range(n_classes):
        rows = slice(n_per_class * arm, n_per_class * (arm + 1))
        radius = np.linspace(0.0, 1.0, n_per_class)
        angle = np.linspace(arm * 4, (arm + 1) * 4, n_per_class) + legacy.randn(n_per_class) * noise
        inputs[rows] = np.c_[radius * np.sin(angle), radius * np.cos(angle)]
        labels[rows] = arm
    return Dataset(inputs, labels, "spirals")


def blobs(
    n_samples: int = 100, n_classes: int = 2, spread: float = 0.5, distance: float = 3.0, seed: int = 0
) -> Dataset:
    """Gaussian clouds around centres on a circle, guaranteed linearly separable.

    A point is kept only if it lies nearer its own centre than any other (by
    a margin of a quarter of `spread`); otherwise it is drawn again. Being
    nearest to a centre is a set of straight-line conditions, so a linear
    classifier (logistic regression for two classes) can get every point
    right.
    """
    n_samples, n_classes = int(n_samples), int(n_classes)
    if n_samples < n_classes or n_classes < 2:
        raise ValueError("blobs needs at least two classes and one point per class")
    if spread <= 0 or distance <= 0:
        raise ValueError("spread and distance must be positive")
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(n_classes) / n_classes + np.pi / 4
    radius = distance / (2 * np.sin(np.pi / n_classes))  # neighbouring centres are `distance` apart
    centres = radius * np.c_[np.cos(angles), np.sin(angles)]
    labels = np.arange(n_samples) % n_classes
    inputs = centres[labels] + rng.normal(scale=spread, size=(n_samples, 2))
    margin = spread / 4
    while True:
        gaps = np.linalg.norm(inputs[:, None, :] - centres[None, :, :], axis=2)
        own = gaps[np.arange(n_samples), labels]
        gaps[np.arange(n_samples), labels] = np.inf
        bad = own + margin >= gaps.min(axis=1)
        if not bad.any():
            break
        inputs[bad] = centres[labels[bad]] + rng.normal(scale=spread, size=(int(bad.sum()), 2))
    return Dataset(inputs, labels.astype(np.intp), "blobs")
