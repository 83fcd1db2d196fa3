"""Turn a lesson's [plot] table into numbers to draw, using the engine.

Separate from the widget so the numbers can be computed in a worker thread
(numpy and the engine are imported here, on first use, never at start-up) and
so tests can check them against the engine without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from tutor.course.model import EngineRef, Exercise, Plot
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


Points = tuple[list[float], list[float]]


@dataclass
class Landscape:
    """A loss landscape to draw: a curve over one parameter, or level sets
    (contour rings) over two, with the path gradient descent took on it.

    `path` is in the plot's coordinates: (w, loss) over one parameter,
    (w, b) over two. `minimum` is the lowest point in the same coordinates.
    """

    path: Points
    minimum: tuple[float, float]
    curve: Points = field(default_factory=lambda: ([], []))
    levels: list[Points] = field(default_factory=list)
    level_values: list[float] = field(default_factory=list)
    xlabel: str = "w"
    ylabel: str = "loss"

    @property
    def two_parameters(self) -> bool:
        return bool(self.levels)


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


def boundary(plot: Plot, resolution: int = 40, params: dict[str, Any] | None = None) -> Boundary:
    """Points by class, and where the model says class 1 on a grid over them;
    `params` are a tune exercise's values for the model's "$name" arguments."""
    import numpy as np

    data = services.evaluate(plot.spec["data"], params)
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
        predicted = np.asarray(services.evaluate(model, params, extra={plot.spec.get("grid_arg", "X"): grid}))
        if predicted.ndim == 2 and predicted.shape[1] > 1:
            predicted = predicted.argmax(axis=1)
        positive = predicted.ravel() >= 0.5
        result.region = (_floats(grid[positive, 0]), _floats(grid[positive, 1]))
    return result


LEVELS = 4  # rings: enough to read the shape of a valley, few enough to stay apart at 80x24


def landscape(plot: Plot, params: dict[str, Any] | None = None) -> Landscape:
    """The surface plot's numbers: the engine gives heights on a grid and the
    descent path; the level sets (contours) are found here, because which
    heights to draw is a question of what fits on the screen, not of maths."""
    import numpy as np

    result = services.evaluate(plot.spec["surface"], params)
    loss = np.asarray(result.loss, dtype=float)
    path = np.asarray(result.path, dtype=float)
    if loss.ndim == 1:
        minimum = float(np.asarray(result.minimum))
        return Landscape(path=(_floats(path), _floats(result.path_loss)),
                         minimum=(minimum, float(np.interp(minimum, result.w, loss))),
                         curve=(_floats(result.w), _floats(loss)))
    start_loss = float(np.asarray(result.path_loss, dtype=float)[0]) if len(path) else float(np.max(loss))
    values = level_values(float(np.min(loss)), start_loss, LEVELS)
    levels = [level_set(np.asarray(result.w, dtype=float), np.asarray(result.b, dtype=float), loss, value)
              for value in values]
    low, high = np.asarray(result.minimum, dtype=float)
    return Landscape(path=(_floats(path[:, 0]), _floats(path[:, 1])), minimum=(float(low), float(high)),
                     levels=levels, level_values=values, xlabel="w", ylabel="b")


def level_values(low: float, high: float, count: int) -> list[float]:
    """Heights for `count` rings from just above `low` up to `high` (the loss
    where the descent starts, so the outer ring passes through the start and
    every step crosses rings inwards). They are spaced like the square of the
    distance from the bottom: on a quadratic bowl (every squared error) the
    rings then sit at even distances instead of crowding at the rim."""
    return [low + (high - low) * (k / count) ** 2 for k in range(1, count + 1)]


def level_set(xs: Any, ys: Any, heights: Any, value: float) -> Points:
    """Points where the surface crosses `value`: on every grid edge whose two
    ends lie on opposite sides of it, at the linearly interpolated spot.
    (The edges of marching squares, without joining them into lines: drawn as
    dots, a fine enough grid reads as a line.) `heights[i, j]` is at ys[i], xs[j]."""
    import numpy as np

    x, y, h = np.asarray(xs, float), np.asarray(ys, float), np.asarray(heights, float) - value
    found_x: list[Any] = []
    found_y: list[Any] = []
    # along each row: from (x[j], y[i]) to (x[j + 1], y[i])
    left, right = h[:, :-1], h[:, 1:]
    rows, cols = np.nonzero((left < 0) != (right < 0))
    t = left[rows, cols] / (left[rows, cols] - right[rows, cols])
    found_x.append(x[cols] + t * (x[cols + 1] - x[cols]))
    found_y.append(y[rows])
    # along each column: from (x[j], y[i]) to (x[j], y[i + 1])
    below, above = h[:-1, :], h[1:, :]
    rows, cols = np.nonzero((below < 0) != (above < 0))
    t = below[rows, cols] / (below[rows, cols] - above[rows, cols])
    found_x.append(x[cols])
    found_y.append(y[rows] + t * (y[rows + 1] - y[rows]))
    return _floats(np.concatenate(found_x)), _floats(np.concatenate(found_y))


LEARNER_LABEL = "your run"

Picture = list[Series] | Boundary | Landscape


def picture(exercise: Exercise, params: dict[str, Any] | None = None,
            learner_losses: Sequence[float] | None = None) -> Picture:
    """Everything an exercise's plot shows, computed at once (in a worker).

    `params` are a tune exercise's values (its defaults when None): a plot's
    "$name" arguments take them, so a boundary follows the learner's
    network. `learner_losses` (a code exercise's run, from the verdict) are
    drawn over the engine's loss curves.
    """
    plot = exercise.plot
    assert plot is not None
    params = params if params is not None else default_params(exercise)
    if plot.kind == "loss":
        series = [run_losses(curve["ref"], curve.get("label", curve["ref"].function), params=params)
                  for curve in plot.spec.get("curves", ())]
        if learner_losses is not None:
            losses = [float(value) for value in learner_losses]
            series.append(Series(LEARNER_LABEL, [float(step) for step in range(len(losses))], losses))
        return series
    if plot.kind == "function":
        return function_series(plot)
    if plot.kind == "boundary":
        return boundary(plot, params=params)
    return landscape(plot, params)


# a goal on one of these is a goal on the run's loss curve: the plot draws it as a line
LOSS_GOALS = ("final_loss", "loss")


def target_line(exercise: Exercise) -> float | None:
    """Where a tune exercise's goal sits on its loss plot ("below 0.38" on the
    final loss: a line at 0.38), or None when the goal is on something else
    than the plotted losses (an accuracy, an error printed every 10,000 steps)."""
    tune, plot = exercise.tune, exercise.plot
    if tune is None or plot is None or plot.kind != "loss":
        return None
    goal = tune.goal
    select = str(goal.get("select", ""))
    if select not in LOSS_GOALS and not select.startswith("losses["):
        return None
    if any(curve.get("select", "losses") != "losses" for curve in plot.spec.get("curves", ())):
        return None  # the curves plot another quantity than the goal's
    for bound in ("below", "above"):
        if isinstance(goal.get(bound), (int, float)):
            return float(goal[bound])
    return None


def default_params(exercise: Exercise) -> dict[str, Any] | None:
    """A tune exercise's parameters at their defaults (what the controls show first)."""
    if exercise.tune is None:
        return None
    return {param.name: param.default for param in exercise.tune.params}


def follows_tuning(exercise: Exercise) -> bool:
    """Whether the plot is redrawn from the learner's values after a tune run:
    a boundary or surface whose references name a "$parameter"."""
    plot = exercise.plot
    if exercise.tune is None or plot is None or plot.kind not in ("boundary", "surface"):
        return False
    refs = [plot.spec.get(name) for name in ("data", "model", "surface")]
    return any(_dollar(ref.args) for ref in refs if ref is not None)


def _dollar(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith("$")
    if isinstance(value, (list, tuple)):
        return any(_dollar(item) for item in value)
    if isinstance(value, dict):
        return any(_dollar(item) for item in value.values())
    return False


def curve_refs(plot: Plot) -> Sequence[dict[str, Any]]:
    return tuple(plot.spec.get("curves", ()))
