"""The checker with the real sandboxed runner and the real engine: a few whole journeys."""

from __future__ import annotations

import pytest

from tutor.checking.checker import check
from tutor.course.loader import load_course
from tutor.course.model import CodeSpec, EngineRef, Exercise, Limits, RandomCases, Tolerance, WrongAnswer
from tutor.sandbox.api import get_runner

SIGMOID = Exercise(
    id="implement", lesson_id="sigmoid", kind="code", prompt="?", line=1,
    expected=EngineRef("sigmoid"), tolerance=Tolerance(abs=1e-9, rel=1e-9),
    wrong=(WrongAnswer("That is z itself: apply the sigmoid.", engine=EngineRef("identity")),),
    code=CodeSpec(
        entry="sigmoid", signature="def sigmoid(z)", starter="",
        cases=({"z": 0.0}, {"z": [-2.0, 0.0, 2.0]}),
        random=RandomCases(seed=7, count=4, args={"z": {"shape": [4], "low": -5.0, "high": 5.0}}),
        probes=({"args": {"z": -1000.0}, "message": "Your sigmoid overflows at z = -1000."},),
        limits=Limits(time_s=1.0),
    ),
)
STABLE = "import numpy as np\n\ndef sigmoid(z):\n    return 0.5 * (1 + np.tanh(np.asarray(z, dtype=float) / 2))\n"


@pytest.fixture(scope="module")
def runner():
    return get_runner()


def test_stable_sigmoid_passes(runner):
    verdict = check(SIGMOID, STABLE, runner=runner)
    assert verdict.status == "pass", verdict.render()


def test_naive_sigmoid_fails_its_stability_probe(runner):
    naive = "import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n"
    verdict = check(SIGMOID, naive, runner=runner)
    assert verdict.message == "Your sigmoid overflows at z = -1000."
    assert verdict.details == ("Overflow encountered in exp (raised FloatingPointError at line 4).",)


def test_known_wrong_code_through_the_sandbox(runner):
    verdict = check(SIGMOID, "def sigmoid(z):\n    return z\n", runner=runner)
    assert verdict.message == "That is z itself: apply the sigmoid."


def test_infinite_loop_is_an_error_and_the_next_check_passes(runner):
    verdict = check(SIGMOID, "def sigmoid(z):\n    while True:\n        pass\n", runner=runner)
    assert verdict.status == "error"
    assert verdict.message == "Your code ran out of time (limit 1 s). Is there a loop that never ends?"
    assert check(SIGMOID, STABLE, runner=runner).passed


def test_string_result_and_printed_output(runner):
    source = "import numpy as np\n\ndef sigmoid(z):\n    print('z is', z)\n    return np.array(['a'])\n"
    verdict = check(SIGMOID, source, runner=runner)
    assert verdict.message == "Your sigmoid function returned a NumPy array of dtype <U1, expected an array of numbers on case 1 of 6."
    assert verdict.output.splitlines()[0] == "z is 0.0"


def test_syntax_error_position(runner):
    verdict = check(SIGMOID, "def sigmoid(z)\n    return z\n", runner=runner)
    assert verdict.status == "error" and verdict.message.startswith("Syntax error on line 1, column 15: ")


def test_builtin_code_exercises_pass_their_solutions_and_reject_their_starters(runner):
    course = load_course()
    code_exercises = [e for lesson in course.lessons for e in lesson.exercises if e.kind == "code"]
    assert code_exercises
    for exercise in code_exercises:
        assert check(exercise, exercise.solution, runner=runner).passed, exercise.qualified_id
        assert exercise.code is not None
        assert not check(exercise, exercise.code.starter, runner=runner).passed, exercise.qualified_id
