"""Checking a tune exercise: the learner's parameters feed an engine run, and a
stated property of the run must hold.

The engine is trusted, so the run happens in the calling process (the UI calls
`check` from a worker thread). The verdict carries the run's losses in
``values["losses"]`` when it has any, for the UI to plot.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np

from tutor.checking.answers import AnswerParseError, parse_array, parse_number
from tutor.checking.expected import LessonError
from tutor.checking.goals import judge_condition
from tutor.checking.values import format_number, format_value
from tutor.checking.verdict import Verdict
from tutor.course.engine_refs import EngineRefError, evaluate
from tutor.course.model import Exercise, TuneParam, TuneSpec


class ParameterError(ValueError):
    """A learner's parameter value that is not allowed; the message says why."""


def check_tune(exercise: Exercise, answer: Any) -> Verdict:
    spec = tune_spec(exercise)
    if not isinstance(answer, Mapping):
        return Verdict("error", "A tune exercise takes parameter values (name = value), not typed text.")
    try:
        params = learner_parameters(spec, answer)
    except ParameterError as error:
        return Verdict("error", str(error))
    try:
        result = evaluate(spec.run, params=params)
    except EngineRefError as error:
        raise LessonError(f"{exercise.qualified_id}: {error}") from None
    except Exception as error:  # the engine refused these values (e.g. a hidden size of 0)
        return Verdict("error", f"The engine could not run with these values: {error}", values={"params": params})
    values: dict[str, Any] = {"params": params}
    losses = _losses(result)
    if losses is not None:
        values["losses"] = losses
    goal = judge_condition(spec.goal, result, exercise)
    values["goal_value"] = goal.value
    if goal.holds:
        return Verdict("pass", goal.text, values=values)
    for wrong in exercise.wrong:
        if wrong.when is not None:
            if judge_condition(wrong.when, result, exercise).holds:
                return Verdict("fail", wrong.message, details=(goal.text,), values=values)
        elif wrong.values is not None and _same_values(params, wrong.values, spec):
            return Verdict("fail", wrong.message, details=(goal.text,), values=values)
    return Verdict("fail", goal.text, values=values)


def tune_spec(exercise: Exercise) -> TuneSpec:
    if exercise.tune is None:
        raise LessonError(f"{exercise.qualified_id}: a tune exercise needs a [tune] table")
    return exercise.tune


def learner_parameters(spec: TuneSpec, answer: Mapping[str, Any]) -> dict[str, Any]:
    """The learner's values checked against each parameter's kind and range;
    a parameter the learner left out keeps its default."""
    known = {param.name: param for param in spec.params}
    unknown = [name for name in answer if name not in known]
    if unknown:
        raise ParameterError(
            f"There is no parameter {unknown[0]!r}; this exercise has {', '.join(repr(n) for n in known)}."
        )
    return {name: parameter_value(param, answer.get(name, param.default)) for name, param in known.items()}


def parameter_value(param: TuneParam, value: Any) -> Any:
    name = param.name
    if param.kind == "array":
        try:
            array = parse_array(value, shape=param.shape) if isinstance(value, str) else np.asarray(value, dtype=float)
        except (AnswerParseError, TypeError, ValueError) as error:
            raise ParameterError(f"{name}: {error}") from None
        if param.shape is not None and array.shape != tuple(param.shape):
            raise ParameterError(f"{name} needs shape {tuple(param.shape)}, you gave shape {array.shape}.")
        if not np.all(np.isfinite(array)):
            raise ParameterError(f"{name} must be finite numbers.")
        _check_range(param, array)
        return array
    try:
        number = parse_number(value) if isinstance(value, str) else float(value)
    except (AnswerParseError, TypeError, ValueError):
        raise ParameterError(f"{name} must be a number, you gave {value!r}.") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise ParameterError(f"{name} must be a finite number, you gave {value!r}.")
    if param.kind == "int":
        if number != int(number):
            raise ParameterError(f"{name} must be a whole number, you gave {format_number(number)}.")
        number = int(number)
    _check_range(param, np.asarray(number))
    return number


def _check_range(param: TuneParam, values: np.ndarray) -> None:
    low = param.min if param.min is not None else -math.inf
    high = param.max if param.max is not None else math.inf
    if np.any(values < low) or np.any(values > high):
        bounds = f"between {format_number(low)} and {format_number(high)}" if param.min is not None and param.max is not None \
            else f"at least {format_number(low)}" if param.min is not None else f"at most {format_number(high)}"
        raise ParameterError(f"{param.name} must be {bounds}; you gave {format_value(values)}.")


def _same_values(params: Mapping[str, Any], values: Mapping[str, Any], spec: TuneSpec) -> bool:
    for param in spec.params:
        if param.name not in values:
            continue
        try:
            wanted = parameter_value(param, values[param.name])
        except ParameterError:
            return False
        if not np.allclose(np.asarray(params[param.name], dtype=float), np.asarray(wanted, dtype=float), rtol=1e-9, atol=0):
            return False
    return True


def _losses(result: Any) -> list[float] | None:
    """The loss history of a training run, if the result has one."""
    losses = result.get("losses") if isinstance(result, Mapping) else getattr(result, "losses", None)
    if losses is None:
        return None
    try:
        return [float(x) for x in np.asarray(losses, dtype=float).reshape(-1)]
    except (TypeError, ValueError):
        return None
