"""The leniency policy (docs/checking.md): right answers pass in the forms a
learner from the course's sources writes them.

Two forms are judged here, after the strict comparison failed: a float32
result is judged at float32 precision (about 7 significant digits), and,
where the lesson itself shows both Trask's (n, 1) column and a flat (n,)
vector (`column_or_vector = true`), either shape with the right values
passes. Each says what it allowed, in the verdict's details. A judged number
with a pass mark (a training accuracy) passes at or above the mark.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from tutor.checking.compare import Mismatch, compare
from tutor.course.model import Tolerance

# float32 carries 24 bits: about 6e-8 relative per rounding, and a computation
# of a few dozen steps accumulates a few hundred of them
FLOAT32 = Tolerance(abs=1e-6, rel=1e-5)


def float32_tolerance(tolerance: Tolerance) -> Tolerance:
    return Tolerance(abs=max(tolerance.abs, FLOAT32.abs), rel=max(tolerance.rel, FLOAT32.rel))


def holds_float32(value: Any) -> bool:
    """Any float32 (or float16) array or number inside the value."""
    if isinstance(value, (np.ndarray, np.floating)):
        return value.dtype in (np.float32, np.float16)
    if isinstance(value, Mapping):
        return any(holds_float32(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(holds_float32(item) for item in value)
    return False


FLOAT32_NOTE = ("Your code computes in float32 (about 7 significant digits), so it was judged at float32 "
                f"precision: within {FLOAT32.rel:g} relative. The engine computes in float64; use "
                "float64 (NumPy's default) when you want every digit.")
COLUMN_NOTE = ("Your code returns the values as {what}; the lesson shows more than one convention (Trask's "
               "(n, 1) column, Britz's rows, a flat (n,) vector), so either passes.")


def lenient_pass(actual: Any, expected: Any, mismatch: Mismatch, tolerance: Tolerance, *,
                 column_or_vector: bool = False) -> tuple[bool, str]:
    """(True, the note to show) when a leniency rule makes the value right."""
    if mismatch.kind in ("values", "nan") and holds_float32(actual):
        if compare(actual, expected, float32_tolerance(tolerance)) is None:
            return True, FLOAT32_NOTE
    if column_or_vector and mismatch.kind == "wrong_shape":
        a, e = np.asarray(mismatch.actual), np.asarray(mismatch.expected)
        if a.size == e.size and _column_or_vector(a.shape, e.shape):
            reshaped = a.reshape(e.shape)
            strict = compare(reshaped, e, tolerance)
            if strict is None or (holds_float32(actual) and compare(reshaped, e, float32_tolerance(tolerance)) is None):
                what = ("a flat (n,) vector" if a.ndim == 1 else "an (n, 1) column" if a.shape[1] == 1
                        else "a (1, n) row")
                return True, COLUMN_NOTE.format(what=what)
    return False, ""


def _column_or_vector(actual: tuple[int, ...], expected: tuple[int, ...]) -> bool:
    def flat(shape: tuple[int, ...]) -> bool:
        return len(shape) == 1 or (len(shape) == 2 and 1 in shape)
    return flat(actual) and flat(expected) and actual != expected


def below_mark(value: Any, expected: Any, mark: float) -> Mismatch | None:
    """None when the judged number reaches the pass mark, else a values mismatch."""
    reached = float(value)
    if reached >= mark:
        return None
    return Mismatch("values", "", np.asarray(reached), np.asarray(float(expected)), (), reached, float(expected), 1, 1)
