"""Lint binds each engine reference exactly as the checker will call it: the
reference's own `args` plus each case's arguments, with a harness or without."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tutor.course.loader import parse_lesson
from tutor.course.references import exercise_uses, reference_problems

HEAD = '+++\nid = "t"\ntitle = "T"\norder = 1\n+++\n\n'

DESCENT = """
id = "gradient"
kind = "code"
prompt = "p"
hints = ["a"]
expected = { engine = "logistic_regression", args = { learning_rate = 0.5, steps = 5 }, select = "probabilities" }
tolerance = { abs = 1e-7, rel = 1e-7 }
solution = "def gradient(inputs, targets, weights, bias): pass"

[code]
entry = "gradient"
signature = "def gradient(inputs, targets, weights, bias)"
starter = "def gradient(inputs, targets, weights, bias): pass"
harness = "logistic_descent"
harness_args = { learning_rate = 0.5, steps = 5 }
cases = [{ inputs = [[1.0, 0.0], [0.0, 1.0]], targets = [0, 1] }]

[[wrong]]
engine = "logistic_regression"
args = { learning_rate = 6.0, steps = 5 }
select = "probabilities"
message = "summed, not averaged"
"""


def problems(body: str) -> list[str]:
    text = HEAD + "```exercise\n" + textwrap.dedent(body).strip() + "\n```\n"
    exercise = parse_lesson(text, Path("l.md")).exercises[0]
    return [message for use in exercise_uses(exercise) for message in reference_problems(use)]


def test_a_harness_exercises_references_get_each_cases_arguments():
    # the data comes from each case, as at check time: no copy needed in `expected`
    assert problems(DESCENT) == []


def test_a_harness_case_argument_the_engine_does_not_take_is_reported():
    body = DESCENT.replace("targets = [0, 1] }]", "targets = [0, 1], rate = 2.0 }]")
    assert problems(body) == [
        "arguments do not fit engine function 'logistic_regression': got an unexpected keyword argument 'rate'; "
        "logistic_regression takes inputs, targets, learning_rate, steps, l2, callback",
    ] * 2  # expected and the known mistake


def test_a_harness_case_missing_an_engine_argument_is_reported():
    body = DESCENT.replace("cases = [{ inputs = [[1.0, 0.0], [0.0, 1.0]], targets = [0, 1] }]",
                           "cases = [{ inputs = [[1.0, 0.0], [0.0, 1.0]] }]")
    assert problems(body)[0] == "arguments do not fit engine function 'logistic_regression': missing a required argument: 'targets'"


def test_a_fixed_random_argument_is_bound_with_its_value():
    body = """
    id = "neuron"
    kind = "code"
    prompt = "p"
    hints = ["a"]
    expected = { engine = "neuron_output" }
    tolerance = { abs = 1e-9, rel = 1e-9 }
    solution = "def f(inputs, weights, bias): pass"

    [code]
    entry = "f"
    signature = "def f(inputs, weights, bias)"
    starter = "def f(inputs, weights, bias): pass"
    random = { seed = 1, count = 2, args = { inputs = { shape = [2], low = 0, high = 1 }, weights = { value = [7, 3] }, bias = { value = -2 } } }
    """
    assert problems(body) == []
    assert "missing a required argument: 'bias'" in problems(body.replace(", bias = { value = -2 }", ""))[0]
