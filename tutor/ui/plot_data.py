"""Turn a lesson's [plot] table into numbers to draw, using the engine.

Separate from the widget so the numbers can be computed in a worker thread
(numpy and the engine are imported here, on first use, never at start-up) and
so tests can check them against the engine without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from tutor.course.model import EngineRef, Plot
from tutor.ui import services


@dataclass
class Series:
    label: str
    xs: list[float]
    ys: list[float]


@dataclass
class Boundary:
    """2-D points by class, plus (optionally) a grid coloured by the model's class."""

    points: dict[int, tuple[list[float], list[float]]]
    region: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))


def _floats(values: Any) -> list[float]:
    import numpy as np

    return [float(value) for value in np.asarray(values, dtype=float).ravel()]


def function_series(plot: Plot) -> list[Series]:
    """Each curve evaluated on the plot's x grid."""
    import numpy as np

    x = plot.spec.get("x", {})
    grid = np.linspace(float(x.get("from", -6.0)), float(x.get("to", 6.0)), int(x.get("points", 121)))
    series = []
    for curve in plot.spec.get("curves", ()):
        ys = services.evaluate(curve["ref"], extra={x.get("arg", "z"): grid})
        series.append(Series(curve.get("label", curve["ref"].function), _floats(grid), _floats(ys)))
    return series


Streamer = Callable[[str, list[tuple[int, float]]], None]


def run_losses(ref: EngineRef, label: str, *, params: dict[str, Any] | None = None,
               on_points: Streamer | None = None, cancelled: Callable[[], bool] = lambda: False,
               interval_s: float = 0.2) -> Series:
    """Run `ref` and return its loss curve, streaming points while it trains when
    the engine function takes a per-step callback (and stopping if `cancelled()`).

    Points are handed over at most every `interval_s`, not per step: the screen
    needs no more than five frames a second, and the training loop should
    not wait on the UI thousands of times.
    """
    import time

    pending: list[tuple[int, float]] = []
    streamed: list[tuple[int, float]] = []
    last_flush = [time.monotonic()]

    def callback(step: int, loss: float) -> bool:
        if cancelled():
            return False  # the engine's way to stop a run early
        pending.append((int(step), float(loss)))
        if time.monotonic() - last_flush[0] >= interval_s:
            flush()
            last_flush[0] = time.monotonic()
        return True

    def flush() -> None:
        if pending and on_points is not None:
            on_points(label, list(pending))
        streamed.extend(pending)
        pending.clear()

    streaming = on_points is not None and services.accepts_callback(ref)
    if streaming:
        result = services.evaluate(ref, params, extra={"callback": callback})
        flush()
    else:
        result = services.evaluate(ref, params)
    losses = _floats(_loss_sequence(result))
    if on_points is not None and not streaming:
        on_points(label, list(enumerate(losses)))  # all at once: the run cannot stream
    return Series(label, [float(step) for step in range(len(losses))], losses)


def _loss_sequence(result: Any) -> Any:
    """A run's losses: the result itself, or its `losses` / `loss_history` field."""
    for name in ("losses", "loss_history", "history"):
        value = getattr(result, name, None)
        if value is not None:
            return value
    if isinstance(result, tuple) and result:
        return result[-1]
    return result


def boundary(plot: Plot, resolution: int = 40) -> Boundary:
    import numpy as np

    data = services.evaluate(plot.spec["data"])
    X, y = data  # a tuple, or the engine's Dataset (which unpacks the same way)
    X = np.asarray(X, dtype=float)
    labels = np.asarray(y).ravel().astype(int)
    points = {int(label): (_floats(X[labels == label, 0]), _floats(X[labels == label, 1]))
              for label in sorted(set(labels.tolist()))}
    result = Boundary(points)
    model: EngineRef | None = plot.spec.get("model")
    if model is not None:
        (x0, y0), (x1, y1) = X.min(axis=0), X.max(axis=0)
        gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution // 2))
        grid = np.column_stack([gx.ravel(), gy.ravel()])
        predicted = np.asarray(services.evaluate(model, extra={plot.spec.get("grid_arg", "X"): grid}))
        if predicted.ndim == 2 and predicted.shape[1] > 1:
            predicted = predicted.argmax(axis=1)
        positive = predicted.ravel() >= 0.5
        result.region = (_floats(grid[positive, 0]), _floats(grid[positive, 1]))
    return result


def curve_refs(plot: Plot) -> Sequence[dict[str, Any]]:
    return tuple(plot.spec.get("curves", ()))
