"""The fast path: the same training, with a hand-tuned step. Not for reading first.

`train` here is `engine.training.train` with `FastStep` (engine/fast/step.py)
in place of `GradientStep`: the same loop, the same stopping rules, the same
numbers (tests/test_engine_fast.py), several times faster on small networks.
`engine.train` is this one, because lessons run tens of thousands of steps
while the learner watches. To see what a step computes, read
engine/network.py; this package only makes it quick.
"""

from __future__ import annotations

from typing import Any

from engine._checks import BatchMode
from engine.fast.step import FastStep
from engine.network import Network
from engine.training import StepCallback, TrainingResult
from engine.training import train as _readable_train

__all__ = ["train", "FastStep"]


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
) -> TrainingResult:
    """`engine.training.train` (see there for every option), stepping with `FastStep`."""
    return _readable_train(
        network, inputs, targets, learning_rate, steps, loss, batch, l2, batch_size, seed, callback, divergence,
        step_with=FastStep,
    )  # fmt: skip
