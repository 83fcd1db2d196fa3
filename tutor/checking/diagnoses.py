"""Diagnoses no author has to write: the shape of a wrong result names the mistake.

Tried on any wrong numeric result before the generic "returns wrong values":
a result that is the right one negated, scaled by 2, 1/2, n or 1/n,
transposed, a column where a vector was expected (or the reverse), a
trajectory shifted by one step, a parameter that never moved from where it
started, or values off by about h from a one-sided difference. Each holds on
every failing case or it is not said.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from tutor.checking.gradcheck import batch_size
from tutor.checking.values import describe_shape, format_value

Pair = tuple[np.ndarray, np.ndarray, Mapping[str, Any]]  # actual, expected, the case's arguments


def _arrays(actual: Any, expected: Any) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        a = np.asarray(actual, dtype=float)
        e = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return None
    if a.dtype == object or e.dtype == object:
        return None
    return a, e


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    if a.shape != b.shape:
        return False
    scale = float(np.max(np.abs(b))) if b.size else 0.0
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-9 * (scale or 1.0)))


def _example(pairs: Sequence[Pair]) -> str:
    a, e, _ = pairs[0]
    return f" (expected {format_value(e)}, got {format_value(a)})" if e.size <= 4 else ""


def examples(args: Mapping[str, Any]) -> int | None:
    """The number of examples of a case: the batch of its inputs, or else the
    one length all its 1-D arrays share (probabilities and targets)."""
    found = batch_size(args)
    if found:
        return found
    lengths = {len(value) for value in args.values() if isinstance(value, np.ndarray) and value.ndim == 1}
    return lengths.pop() if len(lengths) == 1 else None


def sign_flipped(pairs: Sequence[Pair], yours: str) -> str | None:
    if all(_same(a, -e) and bool(np.any(e != 0)) for a, e, _ in pairs):
        return (f"{yours} returns the right values with the sign flipped{_example(pairs)}: "
                "a minus sign is missing or one too many (the log-loss starts with a minus; the error is p - y, not y - p).")
    return None


def constant_factor(pairs: Sequence[Pair], yours: str) -> str | None:
    ratios = []
    for a, e, _ in pairs:
        if a.shape != e.shape or not np.any(e != 0):
            return None
        biggest = np.unravel_index(int(np.argmax(np.abs(e))), e.shape) if e.ndim else ()
        ratio = float(a[biggest] / e[biggest])
        if ratio == 0 or not _same(a, ratio * e):
            return None
        ratios.append(ratio)
    sizes = [examples(args) for _, _, args in pairs]
    if all(n and n >= 2 and abs(r - n) < 1e-6 * n for r, n in zip(ratios, sizes)):
        n = sizes[0]
        return (f"{yours} returns n times the right value, n the number of examples ({n} in the first case): "
                f"the sum over the examples, not the mean. Divide by the number of examples.")
    if all(n and n >= 2 and abs(r - 1 / n) < 1e-6 / n for r, n in zip(ratios, sizes)):
        return (f"{yours} returns the right value divided by n, the number of examples ({sizes[0]} in the first "
                "case): it divides by the examples once too often.")
    if all(abs(r - 2) < 1e-6 for r in ratios):
        return (f"{yours} returns twice the right value in every case: a factor of 2 is off "
                "(dividing by h where 2h was meant, or a 1/2 dropped?).")
    if all(abs(r - 0.5) < 1e-6 for r in ratios):
        return (f"{yours} returns half the right value in every case: a factor of 2 is off "
                "(dividing by 2h where h was meant, or a 1/2 too many?).")
    if len(ratios) > 1 and max(ratios) - min(ratios) <= 1e-6 * max(abs(r) for r in ratios):
        return f"{yours} returns {ratios[0]:.3g} times the right value in every case: a constant factor is off."
    return None


def transposed(pairs: Sequence[Pair], yours: str) -> str | None:
    if all(a.ndim == 2 and e.ndim == 2 and a.shape == e.shape[::-1] and _same(a, e.T) and a.shape[0] > 1
           for a, e, _ in pairs):
        a, e, _ = pairs[0]
        square = a.shape == e.shape
        what = "its rows and columns swapped" if square else f"{describe_shape(a.shape)} where {describe_shape(e.shape)} was expected"
        return (f"{yours} returns the transpose of the right matrix ({what}): "
                "swap the order of the product's operands or add .T.")
    return None


def column_or_vector(pairs: Sequence[Pair], yours: str) -> str | None:
    a, e, _ = pairs[0]
    if a.size != e.size or a.shape == e.shape:
        return None
    if e.ndim == 1 and a.ndim == 2 and 1 in a.shape:
        kind = "an (n, 1) column" if a.shape[1] == 1 else "a (1, n) row"
        fix = f"return it flattened with .ravel() (or .reshape({e.shape[0]}))"
    elif e.ndim == 2 and e.shape[1] == 1 and a.ndim == 1:
        kind, fix = "a flat vector", "return it as a column with .reshape(-1, 1)"
    elif e.ndim == 2 and e.shape[0] == 1 and a.ndim == 1:
        kind, fix = "a flat vector", "return it as one row with .reshape(1, -1)"
    else:
        return None
    right = all(a.size == e.size and _same(a.reshape(e.shape), e) for a, e, _ in pairs)
    values = "the values are right" if right else "and some values differ too"
    return (f"{yours} returns {kind} of shape {tuple(a.shape)} where shape {tuple(e.shape)} was expected; "
            f"{values}: {fix}.")


def trajectory(pairs: Sequence[Pair], yours: str) -> str | None:
    """Losses (or any per-step record) one step off, or never moving."""
    if not all(a.ndim == 1 and e.ndim == 1 and e.size > 1 for a, e, _ in pairs):
        return None
    if all(a.size == e.size and _same(a[:-1], e[1:]) for a, e, _ in pairs):
        return (f"{yours} records each value one step late: its first is the engine's second. "
                "Record the loss before the step's update, not after it.")
    if all(a.size == e.size - 1 and (_same(a, e[1:])) for a, e, _ in pairs):
        return (f"{yours} records each value after its step's update, so the loss at the start is missing. "
                "Record the loss first, then update.")
    if all(a.size == e.size - 1 and _same(a, e[:-1]) for a, e, _ in pairs):
        return f"{yours} does one step too few: {pairs[0][0].size} values where {pairs[0][1].size} were expected. Check the loop's range."
    if all(a.size == e.size + 1 and (_same(a[:-1], e) or _same(a[1:], e)) for a, e, _ in pairs):
        return f"{yours} does one step too many: {pairs[0][0].size} values where {pairs[0][1].size} were expected. Check the loop's range."
    if all(a.size == e.size and a.size > 1 and float(np.ptp(a)) == 0.0 and float(np.ptp(e)) > 0 for a, e, _ in pairs):
        return (f"{yours} returns the same value at every step ({format_value(pairs[0][0][0])}): the loss never moved. "
                "Does each step change the parameters the next step uses?")
    return None


def order_h(pairs: Sequence[Pair], yours: str, source: str) -> str | None:
    """Close everywhere but not within the tolerance, from code that divides a difference by h."""
    if not re.search(r"/\s*\(?\s*(h|eps|epsilon|delta|dx|step|nudge)\b", source):
        return None
    worst = 0.0
    for a, e, _ in pairs:
        if a.shape != e.shape:
            return None
        scale = np.maximum(np.abs(e), 1e-3)
        relative = float(np.max(np.abs(a - e) / scale))
        if not 0 < relative < 1e-2:
            return None
        worst = max(worst, float(np.max(np.abs(a - e))))
    return (f"{yours} is close but off by up to {worst:.1g}, the size of the nudge h: that is the error of a "
            "one-sided difference (f(x + h) - f(x)) / h. The central difference "
            "(f(x + h) - f(x - h)) / (2h) is accurate to about h squared.")


Diagnosis = Callable[[Sequence[Pair], str], "str | None"]
ORDER: tuple[Diagnosis, ...] = (sign_flipped, transposed, column_or_vector, trajectory, constant_factor)


def diagnose(results: Sequence[tuple[Any, Any, Mapping[str, Any]]], yours: str, source: str = "") -> str | None:
    """A headline naming the mistake all the failing `results` (actual,
    expected, arguments) share, or None."""
    named = diagnose_named(results, yours, source)
    return named[1] if named else None


def diagnosis_name(diagnosis: Callable[..., Any]) -> str:
    """A diagnosis's name as the attempts log keeps it ("sign flipped"): the
    same whatever the numbers, so a class report can count it."""
    return diagnosis.__name__.replace("_", " ")


def diagnose_named(results: Sequence[tuple[Any, Any, Mapping[str, Any]]], yours: str,
                   source: str = "") -> tuple[str, str] | None:
    """The diagnosis's name and its headline (see `diagnose`), or None."""
    pairs: list[Pair] = []
    for actual, expected, args in results:
        arrays = _arrays(actual, expected)
        if arrays is None:
            return None
        pairs.append((arrays[0], arrays[1], args))
    if not pairs:
        return None
    for diagnosis in ORDER:
        found = diagnosis(pairs, yours)
        if found:
            return diagnosis_name(diagnosis), found
    found = order_h(pairs, yours, source)
    return (diagnosis_name(order_h), found) if found else None


def unchanged_parts(actual: Any, expected: Any, start: Any, names: Sequence[str]) -> list[str]:
    """The parts of a trained result (a tuple of weight arrays) still equal to
    their starting values while the engine's moved: "syn1", or "item 2"."""
    if not (isinstance(actual, (tuple, list)) and isinstance(expected, (tuple, list)) and isinstance(start, (tuple, list))):
        return []
    if not len(actual) == len(expected) == len(start):
        return []
    stuck = []
    for index, (a, e, s) in enumerate(zip(actual, expected, start)):
        arrays = _arrays(a, s)
        target = _arrays(e, s)
        if arrays is None or target is None:
            return []
        if _same(arrays[0], arrays[1]) and not _same(target[0], target[1]):
            stuck.append(names[index] if index < len(names) else f"item {index + 1}")
    return stuck
