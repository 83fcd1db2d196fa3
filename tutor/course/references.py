"""Checking a lesson's engine references against the engine itself.

The loader only knows a reference's shape; whether `sigmoid` exists, whether
its arguments fit (with each code case's arguments added) and whether every
`seed` is given can only be answered by importing the engine, which is lint's
business, not the tutor's start-up path.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from tutor.course.engine_refs import (
    EngineRefError,
    check_arguments,
    is_course_function,
    nested_refs,
    parse_select,
    signature_of,
)
from tutor.course.model import EngineRef, Exercise


@dataclass(frozen=True)
class Use:
    """One engine reference and the argument sets it will be called with at check time."""

    ref: EngineRef
    extras: tuple[Mapping[str, Any], ...] = ({},)
    # "expected", "wrong", "equals", "tune" or "plot": lint computes the first
    # three once itself (plots are drawn by plot_problems, a tune run needs the
    # learner's parameters)
    role: str = ""


def exercise_uses(exercise: Exercise) -> Iterator[Use]:
    """Every engine reference an exercise makes, with the arguments it gets later."""
    case_args = _case_arguments(exercise)
    per_case = exercise.kind == "code"
    if exercise.expected is not None:
        yield Use(exercise.expected, case_args if per_case else ({},), "expected")
    for wrong in exercise.wrong:
        if wrong.engine is not None:
            yield Use(wrong.engine, case_args if per_case else ({},), "wrong")
        if wrong.when and "equals" in wrong.when:
            yield Use(wrong.when["equals"], role="equals")
    if exercise.tune is not None:
        yield Use(exercise.tune.run, role="tune")
        if "equals" in exercise.tune.goal:
            yield Use(exercise.tune.goal["equals"], role="equals")
    if exercise.plot is not None:
        spec = exercise.plot.spec
        x = spec.get("x") or {}
        for curve in spec.get("curves", ()):
            yield Use(curve["ref"], ({x["arg"]: [0.0, 1.0]},) if x else ({},), "plot")
        if spec.get("data") is not None:
            yield Use(spec["data"], role="plot")
        if spec.get("model") is not None:
            yield Use(spec["model"], ({spec.get("grid_arg", "X"): [[0.0, 0.0]]},), "plot")
        if spec.get("surface") is not None:
            yield Use(spec["surface"], role="plot")


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


def reference_problems(use: Use) -> list[str]:
    """Messages for everything wrong with one use of a reference (empty if fine),
    and with each reference nested in its arguments."""
    messages = _one_reference_problems(use)
    for inner in nested_refs(use.ref):
        messages += [f"in the nested reference to {inner.function!r}: {message}"
                     for message in _one_reference_problems(Use(inner))]
    return messages


def _one_reference_problems(use: Use) -> list[str]:
    ref = use.ref
    try:
        parameters = signature_of(ref).parameters
    except EngineRefError as error:
        message = str(error)
        if message.startswith("unknown engine function"):
            message = unknown_name_message(ref)
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
    if "seed" in parameters and "seed" not in ref.args and not any("seed" in extra for extra in use.extras):
        what = "course" if is_course_function(ref) else "engine"
        messages.append(f"{what} function {ref.function!r} takes a seed: give 'seed' explicitly so every run is the same")
    return messages


def computed_problems(use: Use, exercise: Exercise) -> list[str]:
    """What goes wrong when the reference is computed once, the way the checker
    will compute it (the first case's arguments): said at the reference's own
    line, with the argument at fault when the error names its value, instead of
    as a solution that "does not pass". Expected values go through the
    checker's cache, so the checker does not compute them twice."""
    from tutor.checking.expected import LessonError, expected_value
    from tutor.course.engine_refs import evaluate

    if use.role not in ("expected", "wrong", "equals") or _has_parameters(use.ref):
        return []
    extra = use.extras[0] if use.extras else {}
    try:
        if use.role == "expected" and use.ref is exercise.expected:
            expected_value(exercise, extra=extra)
        else:
            evaluate(use.ref, extra=extra)
    except LessonError as error:
        return [_blame(use.ref, str(error).removeprefix(f"{exercise.qualified_id}: "))]
    except EngineRefError as error:
        return [_blame(use.ref, str(error))]
    except Exception as error:  # noqa: BLE001 - the engine's own message says what is wrong
        return [_blame(use.ref, f"engine function {use.ref.function!r} failed: {type(error).__name__}: {error}")]
    return []


def _has_parameters(ref: EngineRef) -> bool:
    def dollar(value: Any) -> bool:
        if isinstance(value, str):
            return value.startswith("$")
        if isinstance(value, list):
            return any(dollar(item) for item in value)
        if isinstance(value, dict):
            return any(dollar(item) for item in value.values())
        return False

    return dollar(dict(ref.args))


def _blame(ref: EngineRef, message: str) -> str:
    """`message` naming the argument whose value it quotes (activation = 'ReLU')."""
    for name, value in ref.args.items():
        if isinstance(value, str) and repr(value) in message:
            lead = f"engine function {ref.function!r} failed: "
            what = "course function" if is_course_function(ref) else "engine function"
            rest = message.removeprefix(lead)
            return f"{what} {ref.function!r} failed on argument {name} = {value!r}: {rest}"
    return message


def unknown_name_message(ref: EngineRef) -> str:
    """'unknown engine function ...' with the names the author most likely meant
    and the names a lesson may use, from the catalogue (the course's
    reference.py functions first)."""
    from tutor.course.catalogue import catalogue, lesson_names, suggestions
    from tutor.course.reference_code import read_reference

    code = read_reference(ref.course)
    close = suggestions(ref.function, lesson_names(ref.course))
    where = f" (nor a function of the course's {code.path.name})" if code is not None else ""
    meant = ""
    if close:
        meant = f" (did you mean {' or '.join(repr(name) for name in close)}?)"
    if "." in ref.function and ref.function.split(".")[0] not in ("datasets", "sources", "worked", "Network"):
        meant += "; only datasets.*, sources.* (or worked.*) and Network.* names have a dot"
    course = " --course FOLDER" if code is not None else ""
    listing = f"`nntutor engine{course}` lists every name with its arguments"
    if close and difflib.get_close_matches(ref.function, close, n=1, cutoff=0.8):
        return f"unknown engine function {ref.function!r}{where}{meant}; {listing}"  # a typo: the fix is enough
    top = [entry.name for entry in catalogue(ref.course) if "." not in entry.name and not entry.fields]
    return (f"unknown engine function {ref.function!r}{where}{meant}; a lesson may name {', '.join(top)}, "
            f"datasets.* and sources.* ({listing})")


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
