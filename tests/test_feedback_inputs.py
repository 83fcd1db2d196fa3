"""The "inputs:" line of a failing case: arguments, or what a harness did with
the learner's code (never "(no arguments)" for a case that has a harness)."""

from __future__ import annotations

import pytest

from test_check_fake_runner import FakeRunner
from tutor.checking.checker import check
from tutor.checking.inputs import describe_inputs
from tutor.course.loader import load_course
from tutor.course.model import CodeSpec


def spec(harness=None, harness_args=None, entry="f"):
    return CodeSpec(entry=entry, signature=f"class {entry}()" if entry[:1].isupper() else f"def {entry}()", starter="", harness=harness, harness_args=harness_args or {})


def test_a_plain_case_is_its_arguments():
    assert describe_inputs(spec(), {"z": [-2.0, 0.0, 2.0]}) == "z = [-2, 0, 2]"


def test_the_truth_table_harness_names_the_rows():
    assert describe_inputs(spec("gate_truth_table", entry="xnor"), {}) == (
        "your xnor function on each row of the truth table: (0, 0), (0, 1), (1, 0), (1, 1), "
        "and between the rows along the square's edges"
    )


def test_training_harnesses_give_their_settings_and_the_case_data():
    described = describe_inputs(
        spec("logistic_descent", {"learning_rate": 0.5, "steps": 50}, entry="gradient"),
        {"inputs": [[1.0, 2.0]], "targets": [1.0]},
    )
    assert described == (
        "50 steps of gradient descent from zero weights with your gradient function, learning rate 0.5, "
        "on inputs = [[1, 2]], targets = [1]; compared: the probabilities the model ends with"
    )
    assert describe_inputs(
        spec("descend_logistic", {"learning_rate": 0.3, "steps": 20}, entry="descend"), {"inputs": [[1.0]], "targets": [0.0]}
    ) == (
        "your descend function for 20 steps, learning rate 0.3, on the log-loss of logistic regression with "
        "inputs = [[1]], targets = [0]; compared: the losses it returns"
    )
    assert describe_inputs(
        spec("train_classifier", {"steps": 2000, "learning_rate": 1.0, "seed": 0, "data": "two_moons",
                                  "data_args": {"n_samples": 200, "noise": 0.2, "seed": 0}}, entry="Network"), {}
    ) == (
        "your Network class built with seed 0 and trained for 2000 steps, learning rate 1, "
        "on two_moons(n_samples = 200, noise = 0.2, seed = 0); compared: its training accuracy"
    )
    assert describe_inputs(
        spec("train_classifier", {"steps": 2000, "learning_rate": 1.0, "seed": 0, "data": "two_moons",
                                  "data_args": {"n_samples": 200, "noise": 0.2, "seed": 0}}, entry="Network"),
        {"holdout_seed": 61269851, "holdout_samples": 1000},
    ) == (
        "your Network class built with seed 0 and trained for 2000 steps, learning rate 1, "
        "on two_moons(n_samples = 200, noise = 0.2, seed = 0); compared: its accuracy on 1000 new points "
        "of the same two_moons (seed 61269851), never trained on"
    )


def test_calling_harnesses_show_the_call():
    assert describe_inputs(spec("call_with", {"arguments": {"w5": 0.4}}, entry="dE_dw5"), {}) == "dE_dw5(w5 = 0.4)"
    assert describe_inputs(spec("call_method", {"method": "forward", "init": {"n": 2}}, entry="Neuron"),
                           {"args": {"x": [1.0, 0.0]}}) == "Neuron(n = 2).forward(x = [1, 0])"


def test_a_harness_without_words_is_shown_as_its_call():
    assert describe_inputs(spec("some_new_harness", {"rate": 0.1}), {"x": 1.0}) == "some_new_harness(your f function, rate = 0.1, x = 1)"
    assert describe_inputs(spec("some_new_harness"), {}) == "some_new_harness(your f function)"
    # settings a sentence does not expect fall back to the call rather than fail
    assert describe_inputs(spec("logistic_descent", {"rate": 0.1}), {}) == "logistic_descent(your f function, rate = 0.1)"


@pytest.mark.parametrize("qualified_id", ["gates/xnor", "capstone/network", "logistic/gradient", "gradient-descent/descend"])
def test_builtin_harness_exercises_never_show_no_arguments(qualified_id):
    exercise = load_course().exercise(qualified_id)
    assert exercise.code is not None and exercise.code.harness
    verdict = check(exercise, exercise.code.starter, runner=FakeRunner())
    assert verdict.status == "fail" and verdict.cases
    for case in verdict.cases:
        assert "(no arguments)" not in case.inputs
        assert case.inputs == describe_inputs(exercise.code, load_case_args(exercise, case.title))


def load_case_args(exercise, title):
    from tutor.checking.cases import build_cases

    return next(case.args for case in build_cases(exercise.code) if case.title == title)
