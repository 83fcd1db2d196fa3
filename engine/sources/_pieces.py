"""Small helpers the worked examples share."""

from __future__ import annotations

from engine.training import StepCallback


def shifted(callback: StepCallback, offset: int) -> StepCallback:
    """The callback of a run continued in pieces: step numbers count from the very first piece."""
    return lambda step, loss: callback(step + offset, loss)
