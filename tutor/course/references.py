"""Checking a lesson's engine references against the engine itself.

The loader only knows a reference's shape; whether `sigmoid` exists, whether
its arguments fit (with each code case's arguments added) and whether every
`seed` is given can only be answered by importing the engine, which is lint's
business, not the tutor's start-up path.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from tutor.course.engine_refs import RENAMED, EngineRefError, check_arguments, parse_select, resolve
from tutor.course.model import EngineRef, Exercise
from tutor.course.schema import did_you_mean


@dataclass(frozen=True)
class Use:
    """One engine reference and the argument sets it will be called with at check time."""

    ref: EngineRef
    extras: tuple[Mapping[str, Any], ...] = ({},)


def exercise_uses(exercise: Exercise) -> Iterator[Use]:
    """Every engine reference an exercise makes, with the arguments it gets later."""
    case_args = _case_arguments(exercise)
    per_case = exercise.kind == "code"
    if exercise.expected is not None:
        yield Use(exercise.expected, case_args if per_case else ({},))
    for wrong in exercise.wrong:
        if wrong.engine is not None:
            yield Use(wrong.engine, case_args if per_case else ({},))
        if wrong.when and "equals" in wrong.when:
            yield Use(wrong.when["equals"])
    if exercise.tune is not None:
        yield Use(exercise.tune.run)
        if "equals" in exercise.tune.goal:
            yield Use(exercise.tune.goal["equals"])
    if exercise.plot is not None:
        spec = exercise.plot.spec
        x = spec.get("x") or {}
        for curve in spec.get("curves", ()):
            yield Use(curve["ref"], ({x["arg"]: [0.0, 1.0]},) if x else ({},))
        if spec.get("data") is not None:
            yield Use(spec["data"])
        if spec.get("model") is not None:
            yield Use(spec["model"], ({spec.get("grid_arg", "X"): [[0.0, 0.0]]},))
        if spec.get("surface") is not None:
            yield Use(spec["surface"])


def _case_arguments(exercise: Exercise) -> tuple[Mapping[str, Any], ...]:
    """The arguments the checker adds to a code exercise's references, one set
    per call: each case's, a random case's and each probe's. A harness takes
    its `harness_args` itself; the engine gets the case's arguments alone, with
    or without a harness, so lint binds exactly what the checker will call."""
    code = exercise.code
    if code is None:
        return ({},)
    sets: list[Mapping[str, Any]] = [dict(case) for case in code.cases]
    if code.random is not None:
        sets.append({name: spec.get("value", 0.0) for name, spec in code.random.args.items()})
    sets += [dict(probe["args"]) if "args" in probe
             else {name: spec.get("value", 0.0) for name, spec in probe["random"]["args"].items()}
             for probe in code.probes]
    return tuple(sets) or ({},)


def public_names() -> list[str]:
    """Every name `resolve` accepts, for "did you mean" suggestions."""
    import engine

    names: list[str] = []
    for name in getattr(engine, "__all__", ()):
        names.append(name)
        member = getattr(engine, name, None)
        for inner in getattr(member, "__all__", ()) if inspect.ismodule(member) else ():
            names.append(f"{name}.{inner}")
    for old, new in RENAMED.items():
        names += [old + name[len(new):] for name in names if name.startswith(new + ".")]
    return names


def reference_problems(use: Use) -> list[str]:
    """Messages for everything wrong with one use of a reference (empty if fine)."""
    ref = use.ref
    try:
        function = resolve(ref.function)
    except EngineRefError as error:
        message = str(error)
        if message.startswith("unknown engine function"):
            message += did_you_mean(ref.function, public_names())
        return [message]
    messages: list[str] = []
    for extra in use.extras:
        try:
            check_arguments(ref, extra)
        except EngineRefError as error:
            if str(error) not in messages:
                messages.append(str(error))
    if ref.select is not None:
        try:
            parse_select(ref.select)
        except EngineRefError as error:
            messages.append(str(error))
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        parameters = {}
    if "seed" in parameters and "seed" not in ref.args and not any("seed" in extra for extra in use.extras):
        messages.append(f"engine function {ref.function!r} takes a seed: give 'seed' explicitly so every run is the same")
    return messages


def plot_problems(exercise: Exercise) -> list[tuple[int, str]]:
    """(line, message) for each part of the exercise's plot that cannot be drawn.

    Plots are drawn by the UI from engine values; lint computes them once the
    same way, so a bad select or a curve of the wrong length is found by the
    author instead of a learner.
    """
    plot = exercise.plot
    if plot is None:
        return []
    import numpy as np

    from tutor.course.engine_refs import evaluate

    problems: list[tuple[int, str]] = []
    # a tune exercise's plot may take the learner's values ("$name"): lint draws it with the defaults
    params = {param.name: param.default for param in exercise.tune.params} if exercise.tune is not None else None

    def compute(ref: EngineRef, what: str, extra: Mapping[str, Any] | None = None) -> Any:
        try:
            return evaluate(ref, params, extra=extra)
        except Exception as error:  # the engine's own message says what is wrong
            problems.append((ref.line or plot.line, f"{what} cannot be computed: {type(error).__name__}: {error}"))
            return None

    spec = plot.spec
    if plot.kind == "function":
        x = spec["x"]
        grid = np.linspace(float(x["from"]), float(x["to"]), int(x["points"]))
        for curve in spec["curves"]:
            values = compute(curve["ref"], f"plot curve {curve['label']!r}", {x["arg"]: grid})
            if values is not None and _numbers(values, (len(grid),)) is None:
                problems.append((curve["ref"].line, f"plot curve {curve['label']!r} must give one number per x value "
                                                    f"({len(grid)}), not {_describe(values)}"))
    elif plot.kind == "loss":
        for curve in spec["curves"]:
            values = compute(curve["ref"], f"plot curve {curve['label']!r}")
            if values is not None:
                losses = _numbers(values)
                if losses is None or losses.ndim != 1 or not len(losses):
                    problems.append((curve["ref"].line, f"plot curve {curve['label']!r} must give a sequence of "
                                                        f"losses, not {_describe(values)}"))
    elif plot.kind == "boundary":
        data = compute(spec["data"], "plot data")
        if data is not None:
            try:
                inputs, labels = data
                inputs = np.asarray(inputs, dtype=float)
                ok = inputs.ndim == 2 and inputs.shape[1] == 2 and len(np.ravel(labels)) == len(inputs)
            except (TypeError, ValueError):
                ok = False
            if not ok:
                problems.append((spec["data"].line, "plot data must give (X, y): X of shape (n, 2) and n labels"))
        if spec.get("model") is not None:
            grid = np.array([[0.0, 0.0], [1.0, 1.0]])
            values = compute(spec["model"], "plot model", {spec.get("grid_arg", "X"): grid})
            if values is not None and (_numbers(values) is None or _numbers(values).size != len(grid)):
                problems.append((spec["model"].line, "plot model must give one class or probability per grid point"))
    elif plot.kind == "surface":
        landscape = compute(spec["surface"], "plot surface")
        if landscape is not None and not _is_landscape(landscape):
            problems.append((spec["surface"].line, "plot surface must give a loss landscape (w, loss, path, "
                                                   "path_loss, minimum; and b over two parameters), as "
                                                   "engine.loss_profile and engine.loss_surface do"))
    return problems


def _is_landscape(value: Any) -> bool:
    """Whether `value` has what the surface plot draws, with matching shapes."""
    import numpy as np

    try:
        w, loss = np.asarray(value.w, dtype=float), np.asarray(value.loss, dtype=float)
        path, path_loss = np.asarray(value.path, dtype=float), np.asarray(value.path_loss, dtype=float)
        np.asarray(value.minimum, dtype=float)
        if loss.ndim == 1:
            return w.shape == loss.shape and path.ndim == 1 and path.shape == path_loss.shape
        b = np.asarray(value.b, dtype=float)
        return (loss.shape == (len(b), len(w)) and path.ndim == 2 and path.shape[1:] == (2,)
                and len(path) == len(path_loss))
    except (AttributeError, TypeError, ValueError):
        return False


def _numbers(values: Any, shape: tuple[int, ...] | None = None) -> Any:
    import numpy as np

    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return None
    if shape is not None and array.shape != shape:
        return None
    return array


def _describe(values: Any) -> str:
    import numpy as np

    try:
        return f"shape {np.shape(values)}"
    except Exception:
        return type(values).__name__
