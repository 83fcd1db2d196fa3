"""Turning whatever a lesson passes in (lists, ints, floats) into float arrays.

Lesson files are TOML, so every engine function may receive plain Python
lists. Converting them in one place keeps each formula in the other modules
short, and gives every caller the same clear message when the input is bad.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def as_floats(value: Any, name: str) -> np.ndarray:
    """`value` as a float64 array, or a ValueError that says which argument was wrong."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numbers (a number, a list or an array): {error}") from None
    return array


def scalar_or_array(result: np.ndarray) -> Any:
    """A 0-d result becomes a NumPy scalar, so ``sigmoid(5)`` prints as a number."""
    return result[()] if result.ndim == 0 else result


def require_finite(array: np.ndarray, name: str) -> None:
    """Refuse NaN and infinity up front: they would silently poison every later number."""
    if not np.all(np.isfinite(array)):
        where = np.argwhere(~np.isfinite(array))[0]
        position = ", ".join(str(int(i)) for i in where)
        raise ValueError(f"{name} contain NaN or infinity (first at [{position}])")


def same_shape(first: np.ndarray, first_name: str, second: np.ndarray, second_name: str) -> None:
    """Demand equal shapes instead of letting NumPy broadcast.

    Broadcasting a (4, 1) output against (4,) targets silently builds a 4 x 4
    table of differences: a classic bug, so the engine refuses it.
    """
    if first.shape != second.shape:
        raise ValueError(
            f"{first_name} has shape {first.shape} but {second_name} has shape {second.shape}; they must match"
        )
