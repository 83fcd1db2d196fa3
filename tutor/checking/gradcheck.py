"""Gradient checks for backprop code: relative error per parameter array, and the
likely mistake behind a wrong gradient.

A learner's backward pass returns gradients (a dict of named arrays, or a tuple
or list of them); the engine's trusted gradients for the same arguments are the
reference. A wrong gradient usually has a recognisable shape: negated, scaled
by the batch size, the last example's alone, all zeros, or larger by 1/sigma'(z)
element by element. Naming that is what turns "wrong" into something to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from tutor.checking.compare import holds_separate_values
from tutor.course.model import Tolerance


@dataclass(frozen=True)
class ParameterReport:
    name: str
    relative_error: float | None  # None when the learner's array is missing or the wrong shape
    ok: bool
    diagnosis: str = ""

    def line(self) -> str:
        if self.relative_error is None:
            return f"{self.name}: {self.diagnosis}"
        verdict = "ok" if self.ok else (self.diagnosis or "wrong")
        return f"{self.name}: relative error {self.relative_error:.2g} ({verdict})"


def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    """|a - e| / (|a| + |e|) with array norms, the measure gradient checks print."""
    denominator = float(np.linalg.norm(actual) + np.linalg.norm(expected))
    return 0.0 if denominator == 0 else float(np.linalg.norm(actual - expected) / denominator)


def named_arrays(value: Any, prefix: str = "") -> dict[str, Any]:
    """The engine's gradient structure flattened to name -> array.

    Dict keys name their arrays; positions in a tuple or list are numbered from
    1 ("gradient 1", "gradient 2"), so a pair of same-shaped matrices stays two
    parameters. A sequence of plain numbers is one array. None (an absent bias)
    is no parameter at all.
    """
    if value is None:
        return {}
    if isinstance(value, Mapping):
        items: dict[str, Any] = {}
        for key, item in value.items():
            items.update(named_arrays(item, f"{prefix}.{key}" if prefix else str(key)))
        return items
    if _is_parameter_sequence(value):
        items = {}
        for index, item in enumerate(value, start=1):
            items.update(named_arrays(item, _position(prefix, index)))
        return items
    return {prefix or "gradient": value}


def _position(prefix: str, index: int) -> str:
    if not prefix:
        return f"gradient {index}"
    return f"{prefix}.{index}" if prefix[-1].isdigit() else f"{prefix} {index}"


def _is_parameter_sequence(value: Any) -> bool:
    """A tuple or list of arrays (parameters), as opposed to the numbers or rows of one array."""
    return holds_separate_values(value)


def learner_arrays(actual: Any, expected: Any, prefix: str = "") -> dict[str, Any] | None:
    """The learner's result cut up the way `named_arrays` cuts the engine's.

    The engine's structure decides: a list of lists from the learner is one
    matrix where the engine has one array, and one array per position where
    the engine has a tuple of arrays. None when the outer structure does not
    match at all (a tuple where a dict was expected); then the ordinary
    comparison explains the mismatch. A missing key is left out, to be named.
    """
    if expected is None:
        return {}
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return None
        items: dict[str, Any] = {}
        for key, want in expected.items():
            if key in actual:
                inner = learner_arrays(actual[key], want, f"{prefix}.{key}" if prefix else str(key))
                if inner is None:
                    return None
                items.update(inner)
        return items
    if _is_parameter_sequence(expected):
        if not isinstance(actual, (list, tuple)) or len(actual) != len(expected):
            return None
        items = {}
        for index, (got, want) in enumerate(zip(actual, expected), start=1):
            inner = learner_arrays(got, want, _position(prefix, index))
            if inner is None:
                return None
            items.update(inner)
        return items
    return {prefix or "gradient": actual}


def headline_report(reports: Sequence[ParameterReport]) -> ParameterReport:
    """The wrong parameter to name first: one in the layer nearest the output.

    A mistake in a layer spoils the gradients of every layer before it (they are
    computed from its deltas), never those after it, so the last layer with a
    wrong gradient is where the mistake is. Layers are the trailing numbers of
    the names (dW2, gradient 2); within a layer, a recognised mistake first.
    """
    wrong = [report for report in reports if not report.ok]
    last = max(layer_of(report.name) for report in wrong)
    in_layer = [report for report in wrong if layer_of(report.name) == last]
    return next((report for report in in_layer if report.diagnosis), in_layer[0])


def layer_of(name: str) -> int:
    match = re.search(r"(\d+)$", name)
    return int(match.group(1)) if match else 0


def called(name: str) -> str:
    """How a sentence refers to a parameter: "gradient dW", "gradient 2", "gradient"."""
    return name if name == "gradient" or name.startswith("gradient ") else f"gradient {name}"


def check_gradients(
    actual: Any,
    expected: Any,
    tolerance: Tolerance,
    case_args: Mapping[str, Any],
    last_example_expected: Callable[[], Any] | None = None,
) -> list[ParameterReport]:
    """One report per parameter of `expected`; none when the learner's result is
    not even shaped like it (a tuple for a dict), which `compare` then explains.

    `last_example_expected` computes the engine's gradients for the last example
    alone; it is called only when needed, to recognise a gradient that was
    assigned in a loop instead of accumulated.
    """
    wanted = named_arrays(expected)
    got = learner_arrays(actual, expected)
    if got is None:
        return []
    last: dict[str, Any] | None = None
    reports = []
    for name, expected_value in wanted.items():
        e = np.asarray(expected_value, dtype=float)
        if name not in got or got[name] is None:
            reports.append(ParameterReport(name, None, False, _missing(name)))
            continue
        try:
            a = np.asarray(got[name], dtype=float)
        except (TypeError, ValueError):
            reports.append(ParameterReport(name, None, False, "not an array of numbers"))
            continue
        if a.shape != e.shape:
            reports.append(ParameterReport(name, None, False, f"shape {a.shape}, expected {e.shape}"))
            continue
        error = relative_error(a, e)
        if bool(np.all(np.isclose(a, e, rtol=tolerance.rel, atol=tolerance.abs))):
            reports.append(ParameterReport(name, error, True))
            continue
        if last is None and last_example_expected is not None:
            try:
                last = named_arrays(last_example_expected())
            except Exception:  # noqa: BLE001 - the diagnosis is optional, never a failure
                last = {}
        e_last = np.asarray(last[name], dtype=float) if last and name in last else None
        reports.append(ParameterReport(name, error, False, diagnose(name, a, e, batch_size(case_args), e_last)))
    return reports


def _missing(name: str) -> str:
    if _looks_like_bias(name):
        return "missing: the bias gradient was forgotten"
    return "missing from what your function returned"


def _looks_like_bias(name: str) -> bool:
    bare = name.lower().strip("[]'\". ").lstrip("d").lstrip("_")
    return bare.startswith("b") or "bias" in name.lower()


INPUT_NAMES = ("inputs", "X", "x", "input", "examples")
TARGET_NAMES = ("targets", "y", "Y", "target", "labels")


def batch_size(args: Mapping[str, Any]) -> int | None:
    """The number of examples: the rows of the inputs (one flat row is one
    example), or without an argument named like inputs the leading dimension of
    the first 2-D argument. A weight matrix is not a batch, so the inputs come first."""
    for name in INPUT_NAMES:
        value = args.get(name)
        if isinstance(value, np.ndarray) and value.ndim in (1, 2):
            return 1 if value.ndim == 1 else int(value.shape[0])
    for value in args.values():
        if isinstance(value, np.ndarray) and value.ndim == 2:
            return int(value.shape[0])
    return None


def per_example_arguments(args: Mapping[str, Any]) -> list[str]:
    """The arguments that hold one row per example (inputs and targets), which a
    "last example alone" case cuts down; parameters such as W keep their shape."""
    rows = batch_size(args)
    named = [name for name in (*INPUT_NAMES, *TARGET_NAMES) if name in args]
    candidates = named or list(args)
    return [
        name for name in candidates
        if isinstance(args[name], np.ndarray) and args[name].ndim >= 1 and args[name].shape[0] == rows
    ]


def diagnose(name: str, actual: np.ndarray, expected: np.ndarray, batch: int | None,
             last_example: np.ndarray | None = None) -> str:
    """The likely mistake behind a wrong gradient, or "" when none is recognised."""
    scale = float(np.max(np.abs(expected))) or 1.0

    def same(x: np.ndarray, y: np.ndarray) -> bool:
        return bool(np.allclose(x, y, rtol=1e-6, atol=1e-9 * scale))

    if not np.all(np.isfinite(actual)):
        return "contains NaN or infinity"
    if same(actual, np.zeros_like(actual)):
        if _looks_like_bias(name):
            return "all zeros: the bias gradient was forgotten"
        return "all zeros: this gradient is never computed"
    if same(actual, -expected):
        return "sign flipped: this is the negative of the gradient"
    if actual.ndim == 2 and actual.shape[0] == actual.shape[1] > 1 and same(actual, expected.T):
        return "transposed: entry [i, j] belongs at [j, i] (rows are inputs, columns are neurons)"
    if batch and batch > 1:
        if same(actual, expected * batch):
            return f"batch not averaged: {batch} times too large (divide the sum by the {batch} examples)"
        if same(actual, expected / batch):
            return f"divided by the batch size once too often ({batch} times too small)"
    if last_example is not None and last_example.shape == actual.shape and batch and batch > 1:
        if same(actual, last_example) or same(actual, last_example / batch):
            return "assigned instead of accumulated: only the last example's gradient is left (use += in the loop)"
    if _missing_sigmoid_prime(actual, expected):
        return "missing sigma'(z): every entry is too large by a factor of 1/sigma'(z) (at least 4)"
    factor = _common_factor(actual, expected)
    if factor is not None and same(actual, factor * expected):
        return f"every entry is {factor:.3g} times the right value (a constant factor is off)"
    return ""


def _common_factor(actual: np.ndarray, expected: np.ndarray) -> float | None:
    """The one number c with actual = c * expected, if the largest entry suggests one."""
    biggest = np.unravel_index(int(np.argmax(np.abs(expected))), expected.shape)
    if expected[biggest] == 0:
        return None
    factor = float(actual[biggest] / expected[biggest])
    return None if factor == 0 or abs(factor - 1) < 1e-6 else factor


def _missing_sigmoid_prime(actual: np.ndarray, expected: np.ndarray) -> bool:
    """Dropping a sigma'(z) factor makes each entry larger by 1/sigma'(z) >= 4 with
    the same sign, and not by one common factor (that would be a scale mistake)."""
    mask = np.abs(actual) > 1e-12
    if not np.any(mask):
        return False
    ratio = expected[mask] / actual[mask]
    if not np.all((ratio > 0) & (ratio <= 0.25 + 1e-9)):
        return False
    return bool(ratio.size == 1 or np.ptp(ratio) > 1e-6 * np.max(ratio))
