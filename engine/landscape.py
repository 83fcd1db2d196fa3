"""Loss landscapes: the loss as a height over the parameters, and the path
gradient descent takes across it.

Training is easiest to picture for the smallest model with knobs: a straight
line, prediction = w * x + b, scored by the mean squared error over a few
points (the cost J of Andrew Ng's first lectures). With b held fixed the loss
is a curve over w, a bowl; with both knobs it is a surface over the (w, b)
plane, a valley. Gradient descent starts somewhere and repeats

    w <- w - learning_rate * dL/dw,   b <- b - learning_rate * dL/db

so each step goes straight downhill from where it stands. These functions give
the heights on a grid (to draw the landscape) and the points the steps visit
(to draw the path on it). The slopes come from `mean_squared_error_grad` by
the chain rule, exactly as a network's would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from engine._arrays import as_floats
from engine.losses import mean_squared_error, mean_squared_error_grad

#: The path stops once the loss is this many times its start: the steps are flying off.
DIVERGENCE = 1e4

__all__ = ["LossProfile", "LossSurface", "line_loss", "line_gradient", "loss_profile", "loss_surface"]


def _data(inputs: Any, targets: Any) -> tuple[np.ndarray, np.ndarray]:
    x = as_floats(inputs, "inputs").reshape(-1)
    y = as_floats(targets, "targets").reshape(-1)
    if x.shape != y.shape or not x.size:
        raise ValueError(f"inputs and targets must be equally long lists of numbers, got {x.size} and {y.size}")
    return x, y


def line_loss(w: float, b: float, inputs: Any, targets: Any) -> np.float64:
    """Mean squared error of the line w * x + b on the points (inputs, targets)."""
    x, y = _data(inputs, targets)
    return np.float64(mean_squared_error(w * x + b, y))


def line_gradient(w: float, b: float, inputs: Any, targets: Any) -> np.ndarray:
    """(dL/dw, dL/db) for `line_loss`.

    The loss's slope for each prediction is 2 (prediction - target) / n; a
    prediction moves by x per unit of w and by 1 per unit of b, so
    dL/dw = sum(slope * x) and dL/db = sum(slope).
    """
    x, y = _data(inputs, targets)
    slope = mean_squared_error_grad(w * x + b, y)
    return np.array([np.sum(slope * x), np.sum(slope)])


def _descend(start: Sequence[float], learning_rate: float, steps: int, x: np.ndarray, y: np.ndarray,
             fixed_bias: float | None) -> np.ndarray:
    """The parameters before the first step and after each step: shape (steps + 1, 2)."""
    learning_rate, steps = float(learning_rate), int(steps)
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate}")
    if steps < 0:
        raise ValueError(f"steps must be 0 or more, got {steps}")
    point = np.array(start, dtype=np.float64)
    path = [point.copy()]
    first = line_loss(point[0], point[1], x, y)
    for _ in range(steps):
        gradient = line_gradient(point[0], point[1], x, y)
        if fixed_bias is not None:
            gradient[1] = 0.0  # a knob that is not turned
        point = point - learning_rate * gradient
        if not line_loss(point[0], point[1], x, y) <= DIVERGENCE * max(first, 1.0):
            break  # a learning rate so large that every step climbs higher: stop before infinity
        path.append(point.copy())
    return np.array(path)


def _span(values: np.ndarray, given: Sequence[float] | None, name: str) -> tuple[float, float]:
    """The range drawn: the one given, or every value of interest with a margin."""
    if given is not None:
        low, high = (float(v) for v in given)
        if not low < high:
            raise ValueError(f"{name} must be [low, high] with low < high, got {list(given)}")
        return low, high
    low, high = float(np.min(values)), float(np.max(values))
    margin = max(0.15 * (high - low), 0.5)
    return low - margin, high + margin


def _points(points: int) -> int:
    points = int(points)
    if not 2 <= points <= 2000:
        raise ValueError(f"points must be between 2 and 2000, got {points}")
    return points


@dataclass(frozen=True)
class LossProfile:
    """The loss over one parameter w (b held fixed) and gradient descent on it.

    ``loss[i]`` is the loss at ``w[i]``; ``path[k]`` is w after k steps
    (``path[0]`` is the start) and ``path_loss[k]`` the loss there.
    """

    w: np.ndarray
    loss: np.ndarray
    path: np.ndarray
    path_loss: np.ndarray
    minimum: np.float64


def loss_profile(
    inputs: Any = (1.0,),
    targets: Any = (3.0,),
    bias: float = 0.0,
    start: float = 6.0,
    learning_rate: float = 0.1,
    steps: int = 8,
    w_range: Sequence[float] | None = None,
    points: int = 161,
) -> LossProfile:
    """The bowl L(w) of the line w * x + bias, and where gradient descent steps on it.

    The defaults are L(w) = (w - 3)^2: one point x = 1 with target 3, so the
    line's output is w itself. From w = 6 with learning rate 0.1 each step
    removes a fifth of the distance to the bottom: big steps where the bowl is
    steep, small ones near the bottom, without anyone shrinking them.
    `w_range` defaults to the path and the minimum with a margin.
    """
    x, y = _data(inputs, targets)
    bias = float(bias)
    path = _descend([float(start), bias], learning_rate, steps, x, y, fixed_bias=bias)[:, 0]
    # the bottom of the bowl: where dL/dw = 0, i.e. sum((w x + b - y) x) = 0
    if not np.any(x):
        raise ValueError("every input is 0: the loss does not depend on w")
    minimum = np.float64(np.sum((y - bias) * x) / np.sum(x * x))
    low, high = _span(np.append(path, minimum), w_range, "w_range")
    w = np.linspace(low, high, _points(points))
    loss = np.mean((np.outer(w, x) + bias - y) ** 2, axis=1)
    path_loss = np.array([line_loss(value, bias, x, y) for value in path])
    return LossProfile(w, loss, path, path_loss, minimum)


@dataclass(frozen=True)
class LossSurface:
    """The loss over two parameters, w and b, and gradient descent across it.

    ``loss[i, j]`` is the loss at ``b[i]``, ``w[j]`` (rows are b, as on a map
    with b going up); ``path[k]`` is (w, b) after k steps and ``path_loss[k]``
    the loss there; ``minimum`` is the (w, b) at the bottom of the valley.
    """

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    path: np.ndarray
    path_loss: np.ndarray
    minimum: np.ndarray


def loss_surface(
    inputs: Any = (1.0, 2.0, 3.0, 4.0),
    targets: Any = (2.0, 2.5, 4.5, 5.0),
    start: Sequence[float] = (0.0, 0.0),
    learning_rate: float = 0.05,
    steps: int = 30,
    w_range: Sequence[float] | None = None,
    b_range: Sequence[float] | None = None,
    points: int = 61,
) -> LossSurface:
    """The valley L(w, b) of the line w * x + b through the points, and the
    path of gradient descent from `start`.

    When the inputs are all positive, raising w and raising b both lift every
    prediction, so the two knobs partly do the same job: the valley is a long,
    tilted trough. Descent drops quickly to its floor and then crawls along
    it. Ranges default to the path and the minimum with a margin.
    """
    x, y = _data(inputs, targets)
    start = as_floats(start, "start").reshape(-1)
    if start.shape != (2,):
        raise ValueError(f"start is one (w, b) pair, got {start.size} numbers")
    path = _descend(start, learning_rate, steps, x, y, fixed_bias=None)
    # the bottom: least squares, the line that fits the points best
    design = np.column_stack([x, np.ones_like(x)])
    minimum = np.linalg.lstsq(design, y, rcond=None)[0]
    w_low, w_high = _span(np.append(path[:, 0], minimum[0]), w_range, "w_range")
    b_low, b_high = _span(np.append(path[:, 1], minimum[1]), b_range, "b_range")
    count = _points(points)
    w, b = np.linspace(w_low, w_high, count), np.linspace(b_low, b_high, count)
    predictions = w[None, :, None] * x + b[:, None, None]  # (b, w, point)
    loss = np.mean((predictions - y) ** 2, axis=2)
    path_loss = np.array([line_loss(pw, pb, x, y) for pw, pb in path])
    return LossSurface(w, b, loss, path, path_loss, minimum)
