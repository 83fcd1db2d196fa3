"""Stability probes: the trusted `call_strict` harness they go through, and how
the checker sends them in the same run as the cases."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tutor.sandbox.harnesses import __all__ as harness_names
from tutor.sandbox.harnesses import call_strict


def test_call_strict_is_a_harness_lessons_and_the_checker_may_name():
    assert "call_strict" in harness_names


def test_call_strict_returns_the_learners_value():
    assert call_strict(lambda z: 2.0 * z, {"z": 3.0}) == 6.0
    assert call_strict(lambda: 1.5) == 1.5


def test_call_strict_turns_overflow_into_an_exception():
    with pytest.raises(FloatingPointError, match="overflow encountered in exp"):
        call_strict(lambda z: 1.0 / (1.0 + np.exp(-z)), {"z": np.float64(-1000.0)})


def test_call_strict_turns_invalid_and_divide_into_exceptions():
    with pytest.raises(FloatingPointError, match="invalid value"):
        call_strict(lambda x: np.sqrt(x), {"x": np.array([-1.0])})
    with pytest.raises(FloatingPointError, match="divide by zero"):
        call_strict(lambda p: np.log(p), {"p": np.array([0.0])})


def test_call_strict_makes_every_warning_an_error_but_lets_underflow_pass():
    def warns(z):
        warnings.warn("careful", RuntimeWarning)
        return z

    with pytest.raises(RuntimeWarning, match="careful"):
        call_strict(warns, {"z": 1.0})
    assert call_strict(lambda z: np.exp(z), {"z": np.float64(-1000.0)}) == 0.0


def test_call_strict_leaves_the_floating_point_state_as_it_found_it():
    before = np.geterr()
    call_strict(lambda: np.exp(np.float64(1.0)))
    assert np.geterr() == before
    with np.errstate(over="ignore"):
        assert np.isinf(np.exp(np.float64(1000.0)))
