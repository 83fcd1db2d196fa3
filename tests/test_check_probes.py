"""Stability probes: the trusted `call_strict` harness they go through, and how
the checker sends them in the same run as the cases."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tutor.checking.drivers import DRIVERS as harness_names
from tutor.checking.drivers import call_strict


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


# -- probes in the same run as the cases -----------------------------------------

from test_check_fake_runner import FakeRunner  # noqa: E402
from tutor.checking.checker import check  # noqa: E402
from tutor.course.model import CodeSpec, EngineRef, Exercise, Tolerance  # noqa: E402
from tutor.sandbox.api import CallOutcome, RunResult  # noqa: E402

OVERFLOW = "Your sigmoid overflows at z = -1000."


def sigmoid_exercise(cases=({"z": 0.0}, {"z": [-2.0, 0.0, 2.0]})):
    return Exercise(
        id="implement", lesson_id="sigmoid", kind="code", prompt="?", line=1,
        expected=EngineRef("sigmoid"), tolerance=Tolerance(abs=1e-9, rel=1e-9),
        code=CodeSpec(entry="sigmoid", signature="def sigmoid(z)", starter="", cases=cases,
                      probes=({"args": {"z": -1000.0}, "message": OVERFLOW},)),
    )


NAIVE = "import numpy as np\n\ndef sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))\n"


class ProbeCrashes(FakeRunner):
    """Runs the cases, then dies on the first probe: the run ends "crashed"
    with one outcome per case, as the sandbox reports a child killed mid-run."""

    def run(self, source, entry, calls, limits):
        cases = [call for call in calls if call.harness is None]
        ran = super().run(source, entry, cases, limits)
        return RunResult("crashed", calls=ran.calls, message="the process was killed by signal 11")


def test_naive_sigmoid_fails_its_probe_in_one_run():
    runner = FakeRunner()
    verdict = check(sigmoid_exercise(), NAIVE, runner=runner)
    assert verdict.message == OVERFLOW
    assert verdict.details == ("Overflow encountered in exp (raised FloatingPointError at line 4).",)
    assert verdict.cases[0].title == "probe 1 of 1" and verdict.cases[0].inputs == "z = -1000"
    assert len(runner.runs) == 1


def test_a_failing_case_is_reported_before_any_probe():
    wrong = "def sigmoid(z):\n    return z\n"
    verdict = check(sigmoid_exercise(), wrong, runner=FakeRunner())
    assert verdict.message == "Your sigmoid function returns wrong values in 2 of 2 cases."


def test_a_run_that_dies_in_a_probe_after_the_cases_pass_is_that_runs_error():
    stable = "import numpy as np\n\ndef sigmoid(z):\n    return 0.5 * (1 + np.tanh(np.asarray(z, dtype=float) / 2))\n"
    verdict = check(sigmoid_exercise(), stable, runner=ProbeCrashes())
    assert verdict.status == "error"
    assert verdict.message.startswith("Your code stopped the process it ran in")


def test_a_run_that_dies_in_a_probe_still_shows_a_failing_case_first():
    verdict = check(sigmoid_exercise(), "def sigmoid(z):\n    return z\n", runner=ProbeCrashes())
    assert verdict.status == "fail" and verdict.message == "Your sigmoid function returns wrong values in 2 of 2 cases."


def test_a_run_that_dies_before_the_cases_end_is_that_runs_error():
    class CrashesAtOnce(FakeRunner):
        def run(self, source, entry, calls, limits):
            return RunResult("crashed", calls=(CallOutcome(value=0.5),), message="killed")

    verdict = check(sigmoid_exercise(), NAIVE, runner=CrashesAtOnce())
    assert verdict.status == "error" and verdict.message.startswith("Your code stopped the process it ran in")


def test_a_probe_checks_the_value_too():
    half = "def sigmoid(z):\n    return 0.5\n"  # right at z = 0, wrong at z = -1000
    verdict = check(sigmoid_exercise(cases=({"z": 0.0},)), half, runner=FakeRunner())
    # a finite value is not said to overflow: the probe's message is for the failure it names
    assert verdict.status == "fail" and verdict.message == (
        "At the extreme z = -1000, your sigmoid function returns 0.5, finite but not the right 0 within 1e-09. "
        "Clip or shift only as far as the result stays right.")
    assert verdict.details == ("Returned a wrong value.",)


def test_one_case_passing_reads_as_a_sentence():
    exercise = Exercise(
        id="implement", lesson_id="sigmoid", kind="code", prompt="?", line=1,
        expected=EngineRef("sigmoid"), tolerance=Tolerance(abs=1e-9, rel=1e-9),
        code=CodeSpec(entry="sigmoid", signature="def sigmoid(z)", starter="", cases=({"z": 0.0},)),
    )
    assert check(exercise, NAIVE, runner=FakeRunner()).message == "The case passes."
    stable = "import numpy as np\n\ndef sigmoid(z):\n    return 0.5 * (1 + np.tanh(np.asarray(z, dtype=float) / 2))\n"
    assert check(sigmoid_exercise(cases=({"z": 0.0},)), stable, runner=FakeRunner()).message == (
        "The case passes, and your sigmoid function holds up at the extremes."
    )
