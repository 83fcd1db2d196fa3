"""How values read in feedback: long lists shortened like arrays, one line per
value, and enough digits that an expected and an actual value visibly differ."""

from __future__ import annotations

import numpy as np
import pytest

from test_check_fake_runner import FakeRunner
from tutor.checking.checker import check
from tutor.checking.compare import compare
from tutor.checking.values import digits_to_tell_apart, format_number, format_value
from tutor.course.model import CodeSpec, EngineRef, Exercise, Tolerance


def sigmoid_exercise(cases, tolerance=Tolerance(abs=1e-9, rel=1e-9)):
    return Exercise(
        id="implement", lesson_id="sigmoid", kind="code", prompt="?", line=1,
        expected=EngineRef("sigmoid"), tolerance=tolerance,
        code=CodeSpec(entry="sigmoid", signature="def sigmoid(z)", starter="", cases=cases),
    )


def test_a_long_python_list_is_shortened_like_a_numpy_array():
    losses = [0.5 / (step + 1) for step in range(2000)]
    assert format_value(losses) == "[0.5, 0.25, 0.166667, ..., 0.00025025, 0.000250125, 0.00025]"
    assert format_value(losses) == format_value(np.array(losses))
    assert format_value(tuple(range(30))) == "(0, 1, 2, ..., 27, 28, 29)"
    assert format_value([1.5, 2.5]) == "[1.5, 2.5]"  # short lists in full
    nested = [[float(i)] * 30 for i in range(30)]
    assert len(format_value(nested)) < 300


def test_a_learners_2000_step_list_does_not_flood_the_feedback():
    z = list(np.linspace(-4.0, 4.0, 2000))
    source = "import numpy as np\n\ndef sigmoid(z):\n    return [float(1 / (1 + np.exp(-v))) + 1e-3 for v in z]\n"
    verdict = check(sigmoid_exercise(({"z": z},)), source, runner=FakeRunner())
    assert verdict.status == "fail"
    report = verdict.cases[0]
    assert report.actual == "[0.0189862, 0.019057, 0.0191281, ..., 0.982872, 0.982943, 0.983014]"
    assert len(report.actual) < 100 and len(report.expected) < 100 and len(report.inputs) < 100
    assert len(verdict.render()) < 1000


def test_matrices_print_on_one_line_as_a_nested_list_is_typed():
    assert format_value(np.array([[0.15, 0.25], [0.2, 0.3]])) == "[[0.15, 0.25], [0.2, 0.3]]"
    assert "\n" not in format_value({"dW1": np.eye(3) * 0.5, "db1": np.ones(3)})


@pytest.mark.parametrize(
    "expected, actual, digits",
    [(0.252569, 0.252569, 6), (0.25256901, 0.25256942, 7), (0.2525690, 0.25256903, 8), (1.0, 1.0 + 1e-15, 16),
     (0.1, 0.1 + 2**-56, 17), (float("nan"), 0.5, 6)],
)
def test_digits_grow_until_two_different_numbers_print_differently(expected, actual, digits):
    assert digits_to_tell_apart(expected, actual) == digits
    if expected != actual and digits < 17 and np.isfinite(expected):
        assert format_number(expected, digits) != format_number(actual, digits)


def test_a_difference_inside_the_sixth_digit_is_shown_with_enough_digits():
    mismatch = compare(0.25256942, 0.2525690, Tolerance(abs=1e-9, rel=0.0))
    assert mismatch is not None
    assert mismatch.difference() == "difference in the value: expected 0.252569, got 0.2525694"


def test_a_failing_case_shows_expected_and_actual_apart():
    source = "import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z)) + 3e-8\n"
    verdict = check(sigmoid_exercise(({"z": 0.3},)), source, runner=FakeRunner())
    report = verdict.cases[0]
    assert (report.expected, report.actual) == ("0.57444252", "0.57444255")
    assert report.detail == "difference in the value: expected 0.57444252, got 0.57444255"
    arrays = check(sigmoid_exercise(({"z": [0.0, 0.3]},)), source.replace("3e-8", "np.array([0, 3e-8])"),
                   runner=FakeRunner())
    assert (arrays.cases[0].expected, arrays.cases[0].actual) == ("[0.5, 0.57444252]", "[0.5, 0.57444255]")
