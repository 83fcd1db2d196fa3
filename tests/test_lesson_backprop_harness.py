"""The `call_with` harness: fixed lesson arguments reach the learner's function."""

from __future__ import annotations

import numpy as np

from tutor.checking import drivers as harnesses


def test_call_with_passes_the_lesson_arguments_by_name():
    def backward(x, W):
        return x @ W

    result = harnesses.call_with(backward, {"x": np.array([1.0, 2.0]), "W": np.eye(2) * 3})
    assert result.tolist() == [3.0, 6.0]


def test_call_with_no_arguments_calls_with_none():
    assert harnesses.call_with(lambda: 42) == 42
    assert "call_with" in harnesses.DRIVERS
