"""Training: take a step downhill, again and again, and watch the loss.

All of learning is this loop. Each step runs the network forward and
backward (engine/network.py) and moves every weight a little against its
gradient; the loss before each step is recorded, so a lesson can plot it.
Around that the loop only adds what a careful learner would: stop when the
loss blows up (the learning rate is too large), and let a callback watch or
stop the run.

The loop takes its step from a small object with two methods, ``loss(x, y)``
(forward, backward, and the loss) and ``update(x, learning_rate)``. The one
here, `GradientStep`, is `Network.backward` then `Network.step`. engine/fast
swaps in a step that does exactly the same maths with reused arrays, which is
what `engine.train` runs; the tests check that both give the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import numpy as np

from engine._checks import BatchMode, check_batch_mode
from engine.network import BackwardPass, Network

__all__ = ["train", "TrainingResult", "StepCallback", "GradientStep"]

#: callback(step, loss) after each step; return False to stop training.
StepCallback = Callable[[int, float], Any]


@dataclass(frozen=True)
class TrainingResult:
    """What happened during training.

    ``losses[k]`` is the loss when step k began (before its update), so
    ``losses[0]`` is the loss of the untrained network. ``final_loss`` is the
    loss over all the data after the last step. When training stopped early,
    `stopped_early` is True and `reason` says why and at which step.
    """

    network: Network
    losses: np.ndarray
    steps: int
    final_loss: float
    stopped_early: bool
    reason: str

    @property
    def initial_loss(self) -> float:
        return float(self.losses[0]) if len(self.losses) else self.final_loss


class GradientStep:
    """One step of gradient descent, exactly as engine/network.py writes it."""

    def __init__(self, network: Network, loss: str, batch: BatchMode, l2: float) -> None:
        self.network, self.loss_name, self.batch, self.l2 = network, loss, batch, l2
        self.last: BackwardPass | None = None

    def loss(self, x: np.ndarray, y: np.ndarray) -> float:
        """Forward and backward on these rows; the loss before the update."""
        self.last = self.network.backward(x, y, self.loss_name, self.batch, self.l2)
        return self.last.loss

    def update(self, x: np.ndarray, learning_rate: float) -> None:
        """Move every parameter against the gradients `loss` just computed."""
        assert self.last is not None, "call loss(x, y) before update"
        self.network.step(self.last.gradients, learning_rate)


def train(
    network: Network,
    inputs: Any,
    targets: Any,
    learning_rate: float = 0.5,
    steps: int = 1000,
    loss: str = "half_squared_error",
    batch: BatchMode = "sum",
    l2: float = 0.0,
    batch_size: int | None = None,
    seed: int = 0,
    callback: StepCallback | None = None,
    divergence: float = 1e4,
    step_with: Callable[[Network, str, BatchMode, float], Any] = GradientStep,
) -> TrainingResult:
    """Run `steps` gradient-descent steps on `network`, in place.

    Full batch by default (every step sees all rows); with `batch_size`, each
    step sees the next slice of a shuffled order that is reshuffled (with
    `seed`) every time the data runs out, as in Nielsen's mini-batch SGD.

    Training stops early, keeping the last good weights, when the loss becomes
    NaN or infinite, when it grows beyond `divergence` times the first loss
    (the learning rate is too large), or when `callback` returns False.
    `step_with` makes the step (see the module's docstring).
    """
    X, Y, steps, learning_rate, l2 = _checked(network, inputs, targets, steps, learning_rate, loss, batch, l2, batch_size)
    step_maker = step_with(network, loss, batch, l2)
    batches = _batches(X.shape[0], int(batch_size), seed) if batch_size and batch_size < X.shape[0] else None

    losses: list[float] = []
    reason, stopped_early, limit = f"finished {steps} steps", False, math.inf
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(steps):
            if batches is None:
                x, y = X, Y
            else:
                rows = next(batches)
                x, y = X[rows], Y[rows]
            value = step_maker.loss(x, y)
            if not value < limit:  # also true for NaN
                stopped_early = True
                reason = _stop_reason(step, value, learning_rate, losses[0] if losses else value, divergence)
                break
            losses.append(value)
            if step == 0 and value > 0:
                limit = divergence * value
            step_maker.update(x, learning_rate)
            if callback is not None and callback(step, value) is False:
                stopped_early, reason = True, f"stopped by the callback after step {step}"
                break
        final = network.loss(X, Y, loss, batch, l2)
    taken = len(losses) if stopped_early else steps
    return TrainingResult(network, np.array(losses), taken, float(final), stopped_early, reason)


def _checked(network: Network, inputs: Any, targets: Any, steps: Any, learning_rate: Any, loss: str,
             batch: str, l2: Any, batch_size: int | None) -> tuple[np.ndarray, np.ndarray, int, float, float]:
    """The data as arrays and the options as numbers, or a ValueError saying which is wrong."""
    check_batch_mode(batch)
    network.check_loss(loss)
    X = network.check_inputs(inputs)
    Y = network.check_targets(targets, loss, X.shape[0])
    steps = int(steps)
    if steps < 0:
        raise ValueError(f"steps must be 0 or more, got {steps}")
    learning_rate = float(learning_rate)
    if not math.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate}")
    l2 = float(l2)
    if l2 < 0:
        raise ValueError(f"l2 must be 0 or positive, got {l2}")
    rows = X.shape[0]
    if batch_size is not None and not 1 <= int(batch_size) <= rows:
        raise ValueError(f"batch_size must be between 1 and the number of rows ({rows}), got {batch_size}")
    return X, Y, steps, learning_rate, l2


def _stop_reason(step: int, value: float, learning_rate: float, first: float, divergence: float) -> str:
    if math.isnan(value):
        what = "the loss became NaN"
    elif math.isinf(value):
        what = "the loss became infinite"
    else:
        what = f"the loss grew to {value:.6g}, more than {divergence:g} times its first value {first:.6g}"
    return (
        f"stopped at step {step}: {what}; the weights are those from before that step. "
        f"The learning rate {learning_rate:g} is probably too large."
    )


def _batches(rows: int, size: int, seed: int) -> Iterator[np.ndarray]:
    """Endless mini-batches of row indices: shuffle, slice, reshuffle when used up."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(rows)
        for start in range(0, rows, size):
            yield order[start : start + size]
