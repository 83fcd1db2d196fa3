"""The engine's side of a check: expected values and the values of known mistakes.

Evaluating in one place means every check fails the same way when a lesson's
reference is broken: an "error" verdict that blames the lesson, never the learner.
"""

from __future__ import annotations

import copy
import json
from collections import OrderedDict
from typing import Any, Mapping

import numpy as np

from tutor.course.engine_refs import EngineRefError, evaluate
from tutor.course.model import EngineRef, Exercise


class LessonError(Exception):
    """The exercise itself cannot be checked (missing or failing engine reference).

    The checker turns it into an "error" verdict and `nntutor check` into exit 2.
    """


# Arguments that hold integer data (class labels, indices): written as whole
# numbers in the lesson, they arrive as integer arrays, so Britz's own
# ``delta3[range(n), y] -= 1`` works as he wrote it.
INTEGER_ARGUMENTS = ("labels", "label", "classes", "indices", "index")


def to_engine_arguments(args: Mapping[str, Any]) -> dict[str, Any]:
    """TOML values for a call: lists of numbers become float arrays, as learners
    and the engine both expect (`z = [1, 2]` means an array, not a list);
    whole-number labels and indices become integer arrays."""
    return {name: as_integers(value) if name in INTEGER_ARGUMENTS else as_engine_value(value)
            for name, value in args.items()}


def as_integers(value: Any) -> Any:
    if isinstance(value, list) and _all_whole(value):
        return np.asarray(value, dtype=np.int64)
    return as_engine_value(value)


def _all_whole(value: Any) -> bool:
    if isinstance(value, list):
        return all(_all_whole(item) for item in value)
    return isinstance(value, int) and not isinstance(value, bool)


def as_engine_value(value: Any) -> Any:
    if isinstance(value, list):
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return [as_engine_value(item) for item in value]
        return array
    if isinstance(value, dict):
        return {key: as_engine_value(item) for key, item in value.items()}
    return value


def evaluate_ref(ref: EngineRef, exercise: Exercise, *, params: Mapping[str, Any] | None = None,
                 extra: Mapping[str, Any] | None = None) -> Any:
    """Evaluate `ref`, turning any failure into a LessonError naming the exercise."""
    try:
        return evaluate(ref, params=params, extra=extra)
    except EngineRefError as error:
        raise LessonError(f"{exercise.qualified_id}: {error}") from None
    except Exception as error:  # the engine raised: the lesson's arguments are wrong
        raise LessonError(
            f"{exercise.qualified_id}: engine function {ref.function!r} failed: {type(error).__name__}: {error}"
        ) from None


def expected_value(exercise: Exercise, extra: Mapping[str, Any] | None = None) -> Any:
    """The engine's value for this exercise (and case arguments `extra`).

    Remembered per reference and arguments: the published cases are the same on
    every attempt, and some references train a network (the capstone's takes a
    second), so only an attempt's fresh cases cost engine time. Each caller gets
    its own copy, so nothing a caller does to it reaches the next check."""
    if exercise.expected is None:
        raise LessonError(f"{exercise.qualified_id}: the exercise names no expected engine value")
    key = _cache_key(exercise.expected, extra)
    if key is None:
        return evaluate_ref(exercise.expected, exercise, extra=extra)
    if key not in _EXPECTED:
        _EXPECTED[key] = evaluate_ref(exercise.expected, exercise, extra=extra)
        if len(_EXPECTED) > _EXPECTED_MAX:
            _EXPECTED.popitem(last=False)
    else:
        _EXPECTED.move_to_end(key)
    return copy.deepcopy(_EXPECTED[key])


_EXPECTED: "OrderedDict[tuple[str, str], Any]" = OrderedDict()
_EXPECTED_MAX = 512


def _cache_key(ref: EngineRef, extra: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """The reference and the arguments as exact text, or None for arguments that
    have no exact text (then the value is computed, never guessed from a near key).
    The content hash of the course's reference.py is part of it: an edited file
    never answers from the old file's values."""
    from tutor.course.reference_code import course_digest

    text = repr(ref)
    if "array(" in text:  # a NumPy repr may elide elements: not exact
        return None
    arguments = exact_text(extra)
    return None if arguments is None else (text + course_digest(ref), arguments)


def exact_text(values: Any) -> str | None:
    """`values` (TOML data, arrays, NumPy numbers) as exact text for a cache key;
    None when some part has no exact text."""
    try:
        return json.dumps(values, sort_keys=True, allow_nan=False, default=_exact)
    except (TypeError, ValueError):
        return None


def _exact(value: Any) -> Any:
    """Arrays and NumPy numbers as their exact bytes, for the cache key."""
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind in "biuf":
        array = np.ascontiguousarray(value)
        return {"dtype": array.dtype.str, "shape": list(array.shape), "bytes": array.tobytes().hex()}
    raise TypeError(f"no exact text for {type(value).__name__}")
