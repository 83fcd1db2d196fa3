"""Wrong code as data: a [[wrong]] entry's own code is the matcher of its mistake."""

from __future__ import annotations

import pytest

from test_check_fake_runner import FakeRunner, real_engine_or_stand_in
from tutor.checking.checker import check
from tutor.checking.mutants import forget_cached
from tutor.course.model import CodeSpec, EngineRef, Exercise, Tolerance, WrongAnswer


@pytest.fixture(autouse=True)
def _engine(monkeypatch):
    real_engine_or_stand_in(monkeypatch)
    forget_cached()


NO_BIAS = "import numpy as np\n\ndef neuron_output(inputs, weights, bias):\n    return 1 / (1 + np.exp(-np.dot(inputs, weights)))\n"
SUM_NOT_SIGMOID = "def neuron_output(inputs, weights, bias):\n    return float(sum(i * w for i, w in zip(inputs, weights)) + bias)\n"


def neuron_exercise(*wrong: WrongAnswer) -> Exercise:
    return Exercise(
        id="forward", lesson_id="neuron", kind="code", prompt="?", line=1,
        expected=EngineRef("neuron_output"), tolerance=Tolerance(abs=1e-9, rel=1e-9), wrong=wrong,
        code=CodeSpec(entry="neuron_output", signature="def neuron_output(inputs, weights, bias)", starter="",
                      cases=({"inputs": [1.0, 0.0], "weights": [7.0, 3.0], "bias": -2.0},
                             {"inputs": [0.5, -1.0], "weights": [1.0, 2.0], "bias": 0.25})),
    )


FORGOT_BIAS = WrongAnswer(message="You left out the bias: add it to the weighted sum before the sigmoid.", answer=NO_BIAS)


def test_a_learner_who_makes_the_mutants_mistake_gets_its_message():
    # a StackOverflow-style neuron, written differently from the mutant, same mistake
    learner = ("import math\n\ndef neuron_output(inputs, weights, bias):\n"
               "    total = 0.0\n    for x, w in zip(inputs, weights):\n        total += x * w\n"
               "    return 1.0 / (1.0 + math.exp(-total))\n")
    verdict = check(neuron_exercise(FORGOT_BIAS), learner, runner=FakeRunner())
    assert verdict.status == "fail" and verdict.message == FORGOT_BIAS.message
    assert verdict.cases  # the failing cases are still shown


def test_a_different_mistake_does_not_get_the_mutants_message():
    verdict = check(neuron_exercise(FORGOT_BIAS), SUM_NOT_SIGMOID, runner=FakeRunner())
    assert verdict.status == "fail" and verdict.message != FORGOT_BIAS.message


def test_mutants_run_once_per_runner_and_never_for_a_pass():
    runner = FakeRunner()
    exercise = neuron_exercise(FORGOT_BIAS)
    good = "import numpy as np\n\ndef neuron_output(inputs, weights, bias):\n    return 1 / (1 + np.exp(-(np.dot(inputs, weights) + bias)))\n"
    assert check(exercise, good, runner=runner).passed
    assert [source for source, _, _ in runner.runs] == [good]  # a pass runs no mutant
    check(exercise, SUM_NOT_SIGMOID, runner=runner)
    check(exercise, SUM_NOT_SIGMOID + "\n", runner=runner)
    assert [source for source, _, _ in runner.runs].count(NO_BIAS) == 1  # cached after the first failing check


def test_a_mutant_that_raises_matches_code_that_raises_the_same_way():
    wrong = WrongAnswer(message="weights @ inputs: put the inputs first.",
                        answer="import numpy as np\n\ndef neuron_output(inputs, weights, bias):\n    return np.ones((3, 3)) @ inputs\n")
    learner = "import numpy as np\n\ndef neuron_output(inputs, weights, bias):\n    W = np.ones((3, 3))\n    return W @ inputs + bias\n"
    verdict = check(neuron_exercise(wrong), learner, runner=FakeRunner())
    assert verdict.message == "weights @ inputs: put the inputs first."
