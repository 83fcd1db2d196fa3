"""Comparing a value with the engine's and finding the first thing that is wrong.

One comparison serves typed answers and code results alike; it returns *what*
differs (missing return, wrong type, wrong shape, NaN, inf, values) and where,
and leaves the wording to the caller, because "you gave" and "your function
returned" are different sentences about the same finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping

import numpy as np

from tutor.checking.values import (
    describe_shape,
    describe_type,
    digits_to_tell_apart,
    format_index,
    format_number,
    is_number,
)
from tutor.course.model import Tolerance

MismatchKind = Literal["missing_return", "wrong_type", "wrong_shape", "nan", "inf", "values", "structure"]


@dataclass(frozen=True)
class Mismatch:
    """The first difference between an actual and an expected value.

    `path` locates it inside a nested result (``[1]`` of a tuple, ``['dW1']``
    of a dict); `index` is the first differing element of an array, and
    `count`/`total` how many elements differ out of how many.
    """

    kind: MismatchKind
    path: str = ""
    actual: Any = None
    expected: Any = None
    index: tuple[int, ...] = ()
    actual_item: float | None = None
    expected_item: float | None = None
    count: int = 0
    total: int = 0
    note: str = ""

    def where(self) -> str:
        return f"{self.path}{format_index(self.index) if self.index else ''}"

    def summary(self) -> str:
        """One line naming the problem, phrased about a returned value."""
        at = f" at {self.where()}" if self.where() else ""
        inside = f" in {self.path}" if self.path else ""
        if self.kind == "missing_return":
            return f"returned None{inside}: did you forget the return statement?"
        if self.kind == "wrong_type":
            return f"returned {describe_type(self.actual)}{inside}; expected {describe_type(self.expected)}"
        if self.kind == "wrong_shape":
            return (
                f"returned {describe_shape(np.shape(self.actual))}{inside}; "
                f"expected {describe_shape(np.shape(self.expected))}{self.note}"
            )
        if self.kind == "structure":
            return f"returned {describe_type(self.actual)}{inside}; expected {describe_type(self.expected)}{self.note}"
        if self.kind == "nan":
            return f"returned NaN (not a number){at}"
        if self.kind == "inf":
            return f"returned infinity{at}"
        return f"returned a wrong value{at}"

    def difference(self) -> str:
        """The first differing element, e.g. "first difference at [2]: expected 0.880797, got 0.119203"."""
        if self.expected_item is None or self.actual_item is None:
            return ""
        where = self.where() or "the value"
        label = "first difference at" if self.total > 1 else "difference at" if self.where() else "difference in"
        more = f" ({self.count} of {self.total} values differ)" if self.total > 1 else ""
        digits = digits_to_tell_apart(self.expected_item, self.actual_item)
        return (
            f"{label} {where}: expected {format_number(self.expected_item, digits)}, "
            f"got {format_number(self.actual_item, digits)}{more}"
        )


def compare(actual: Any, expected: Any, tolerance: Tolerance, path: str = "") -> Mismatch | None:
    """None when `actual` matches `expected` within tolerance, else the first mismatch."""
    if expected is None:
        return None if actual is None else Mismatch("wrong_type", path, actual, expected)
    if actual is None:
        return Mismatch("missing_return", path, actual, expected)
    if isinstance(expected, Mapping):
        return _compare_mapping(actual, expected, tolerance, path)
    if holds_separate_values(expected):
        return _compare_sequence(actual, expected, tolerance, path)
    expected_array = np.asarray(expected, dtype=float)
    actual_array = _as_numeric(actual)
    if actual_array is None:
        return Mismatch("wrong_type", path, actual, expected)
    if actual_array.shape != expected_array.shape:
        if is_number(expected) and actual_array.size == 1 and actual_array.ndim == 0:
            pass
        else:
            return Mismatch("wrong_shape", path, actual_array, expected_array, note=_shape_note(actual_array, expected_array))
    return compare_arrays(actual_array, expected_array, tolerance, path)


def compare_arrays(actual: np.ndarray, expected: np.ndarray, tolerance: Tolerance, path: str = "") -> Mismatch | None:
    """Element-wise comparison of two arrays of the same shape (numpy.isclose rule)."""
    actual = actual.astype(float)
    expected = expected.astype(float)
    close = np.isclose(actual, expected, rtol=tolerance.rel, atol=tolerance.abs, equal_nan=True)
    if bool(np.all(close)):
        return None
    total = int(expected.size)
    count = int(np.count_nonzero(~close))
    for kind, bad in (("nan", np.isnan(actual) & ~close), ("inf", np.isinf(actual) & ~close)):
        if bool(np.any(bad)):
            index = _first(bad)
            return Mismatch(kind, path, actual, expected, index, float(actual[index]), float(expected[index]), count, total)
    index = _first(~close)
    return Mismatch("values", path, actual, expected, index, float(actual[index]), float(expected[index]), count, total)


def _first(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0]) if mask.ndim else ()


def _shape_note(actual: np.ndarray, expected: np.ndarray) -> str:
    if actual.ndim == 2 and expected.ndim == 2 and actual.shape == expected.shape[::-1]:
        return " (it looks transposed)"
    if actual.size == expected.size and actual.size > 1:
        return " (the right number of values, arranged differently: check reshape or keepdims)"
    if expected.ndim >= 1 and actual.ndim >= 1 and actual.size > expected.size and actual.size % expected.size == 0:
        return " (more values than expected: is something broadcasting?)"
    return ""


def _compare_mapping(actual: Any, expected: Mapping[str, Any], tolerance: Tolerance, path: str) -> Mismatch | None:
    if not isinstance(actual, Mapping):
        return Mismatch("structure", path, actual, expected)
    missing = [key for key in expected if key not in actual]
    if missing:
        return Mismatch("structure", path, actual, expected, note=f" (missing {', '.join(repr(k) for k in missing)})")
    for key, item in expected.items():
        found = compare(actual[key], item, tolerance, f"{path}[{key!r}]")
        if found:
            return found
    return None


def _compare_sequence(actual: Any, expected: list[Any] | tuple[Any, ...], tolerance: Tolerance, path: str) -> Mismatch | None:
    if not isinstance(actual, (list, tuple)) or len(actual) != len(expected):
        return Mismatch("structure", path, actual, expected)
    for index, (got, want) in enumerate(zip(actual, expected)):
        found = compare(got, want, tolerance, f"{path}[{index}]")
        if found:
            return found
    return None


def holds_separate_values(value: Any) -> bool:
    """A tuple or list whose items are values in their own right (arrays, dicts,
    None), not the rows of one array: (dW1, dW2) is two gradients even when both
    are 2 x 2, while [[1, 2], [3, 4]] is one matrix."""
    if not isinstance(value, (list, tuple)) or not value:
        return False
    if any(item is None or isinstance(item, (np.ndarray, Mapping)) for item in value):
        return True
    return not _is_numeric_sequence(value)


def _is_numeric_sequence(value: Any) -> bool:
    try:
        array = np.asarray(value)
    except ValueError:
        return False
    return array.dtype.kind in "biuf"


def _as_numeric(value: Any) -> np.ndarray | None:
    """The learner's value as a float array, or None when it is not numbers at all."""
    if isinstance(value, (str, bytes, Mapping)) or value is None:
        return None
    if isinstance(value, np.ndarray):
        return value if value.dtype.kind in "biuf" else None
    if is_number(value):
        return np.asarray(value, dtype=float)
    if isinstance(value, (list, tuple)) and _is_numeric_sequence(value):
        return np.asarray(value, dtype=float)
    return None
