"""Writing values and their shapes in words a learner reads.

Feedback quotes numbers, arrays and inputs over and over; keeping the format in
one place means "0.993307" looks the same in a number verdict, a failing code
case and the CLI.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np


def is_number(value: Any) -> bool:
    """A single real number (bools count, as NumPy would treat them)."""
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "biuf"


def is_numeric_array(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.dtype.kind in "biuf"


# Six significant digits read well; more are shown only when two different
# numbers would otherwise print the same ("expected 0.252569, got 0.252569").
DIGITS = 6
MAX_DIGITS = 17
# Like NumPy's summary: a long list or array shows its first and last 3 items.
SUMMARY_THRESHOLD = 24
EDGE_ITEMS = 3


def format_number(value: Any, digits: int = DIGITS) -> str:
    number = float(value)
    if np.isnan(number):
        return "nan"
    if np.isinf(number):
        return "inf" if number > 0 else "-inf"
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.{digits}g}"


def digits_to_tell_apart(expected: Any, actual: Any) -> int:
    """The fewest significant digits (at least 6) at which two different numbers
    print differently, so feedback never reads "expected 0.252569, got 0.252569"."""
    try:
        e, a = float(expected), float(actual)
    except (TypeError, ValueError):
        return DIGITS
    if e == a or not (np.isfinite(e) and np.isfinite(a)):
        return DIGITS
    for digits in range(DIGITS, MAX_DIGITS + 1):
        if format_number(e, digits) != format_number(a, digits):
            return digits
    return MAX_DIGITS


def format_value(value: Any, digits: int = DIGITS) -> str:
    """A value as the learner would write it, on one line: 0.993307, [0.5, 0.731059], None.

    Long arrays, lists and tuples are shortened the way NumPy prints them,
    ``[0.298371, 0.291028, 0.28193, ..., 3.5e-05, 3.5e-05, 3.5e-05]``, so a
    2,000-step loss list does not flood the feedback.
    """
    if value is None:
        return "None"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if is_number(value):
        return format_number(value, digits)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            return f"array of {value.dtype}"
        text = np.array2string(
            value.astype(float), separator=", ", threshold=SUMMARY_THRESHOLD, edgeitems=EDGE_ITEMS,
            formatter={"float_kind": lambda number: format_number(number, digits)}, max_line_width=10**6,
        )
        return " ".join(text.split())  # a matrix's rows on one line, as a nested list is typed
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key!r}: {format_value(item, digits)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        if len(value) > SUMMARY_THRESHOLD:
            shown = [format_value(item, digits) for item in value[:EDGE_ITEMS]] + ["..."]
            shown += [format_value(item, digits) for item in value[-EDGE_ITEMS:]]
        else:
            shown = [format_value(item, digits) for item in value]
        inner = ", ".join(shown)
        return f"({inner}{',' if len(value) == 1 else ''})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)


def format_arguments(args: Mapping[str, Any]) -> str:
    """Arguments of one call: ``z = [-1, 0, 1]``, ``x = 1, y = 2``."""
    return ", ".join(f"{name} = {format_value(value)}" for name, value in args.items()) or "(no arguments)"


def format_index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def describe_shape(shape: tuple[int, ...]) -> str:
    """A shape in words: "a single number", "3 numbers", "a 2 x 3 matrix"."""
    if len(shape) == 0:
        return "a single number"
    if len(shape) == 1:
        return f"{shape[0]} number{'s' if shape[0] != 1 else ''}"
    if len(shape) == 2:
        return f"a {shape[0]} x {shape[1]} matrix"
    return "an array of shape (" + ", ".join(str(n) for n in shape) + ")"


def describe_type(value: Any) -> str:
    """What kind of thing came back, for "wrong type" feedback."""
    if value is None:
        return "None"
    if is_number(value):
        return "a number"
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            return f"an array of {value.dtype} values"
        return f"an array of shape {tuple(value.shape)}"
    if isinstance(value, str):
        return f"a string ({format_value(value)})"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, Mapping):
        return f"a dict with keys {', '.join(repr(key) for key in value)}"
    return f"a {type(value).__name__}"
