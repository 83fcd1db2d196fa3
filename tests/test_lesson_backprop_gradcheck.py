"""Lesson 5's code exercises: `backprop/backward` is gradient-checked against the
engine's named gradients on Mazur's case and seeded random networks, and common
mistakes (in both exercises) get their targeted message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine import network_gradients, worked
from test_check_fake_runner import FakeRunner
from tutor.checking.cases import build_cases
from tutor.checking.checker import check
from tutor.checking.expected import expected_value
from tutor.course.loader import load_lesson
from tutor.lint import lint_paths

LESSON = Path(__file__).resolve().parent.parent / "lessons" / "05-backprop.md"


@pytest.fixture(scope="module")
def lesson():
    return load_lesson(LESSON)


def test_lint_is_clean_with_solutions_starters_and_wrong_answers_run():
    problems = lint_paths([LESSON])
    assert [f"{p.path}:{p.line}: {p.message}" for p in problems] == []


def test_backward_is_checked_on_mazurs_case_then_seeded_random_networks(lesson):
    exercise = lesson.exercise("backward")
    assert exercise.code.gradcheck and exercise.expected.function == "network_gradients"
    cases = build_cases(exercise.code, exercise.qualified_id)
    assert [case.title for case in cases] == ["case 1 of 6"] + [f"case {i} of 6 (random, seed 5)" for i in range(2, 7)]
    again = build_cases(exercise.code, exercise.qualified_id)  # the same cases on every attempt
    assert all(np.array_equal(a.args["W1"], b.args["W1"]) for a, b in zip(cases, again))
    mazur = expected_value(exercise, extra=cases[0].args)
    reference = worked.mazur_gradients()
    assert list(mazur) == ["dW1", "db1", "dW2", "db2"]
    assert mazur["dW2"][0, 0] == reference.dE_dw5 and mazur["dW1"][0, 0] == reference.dE_dw1
    shapes = {name: value.shape for name, value in cases[3].args.items()}
    assert shapes == {"inputs": (2,), "targets": (2,), "W1": (2, 2), "b1": (2,), "W2": (2, 2), "b2": (2,)}
    assert not np.allclose(cases[3].args["W1"], cases[4].args["W1"])
    random = expected_value(exercise, extra=cases[3].args)
    np.testing.assert_array_equal(random["db2"], network_gradients(**cases[3].args)["db2"])


def solution_with(exercise, old: str, new: str) -> str:
    assert old in exercise.solution
    return exercise.solution.replace(old, new)


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("(o - targets) * o", "(targets - o) * o",
         "Your gradient dW2 is wrong: sign flipped: this is the negative of the gradient."),
        ("d_o = (o - targets) * o * (1 - o)", "d_o = o - targets",
         "Your gradient dW2 is wrong: missing sigma'(z): every entry is too large by a factor of 1/sigma'(z) (at least 4)."),
        ("d_h = (W2 @ d_o) * h * (1 - h)", "d_h = W2 @ d_o",
         "Your gradient dW1 is wrong: missing sigma'(z): every entry is too large by a factor of 1/sigma'(z) (at least 4)."),
        ('"db2": d_o', '"db2": 0 * d_o', "Your gradient db2 is wrong: all zeros: the bias gradient was forgotten."),
        ("np.outer(h, d_o)", "np.outer(d_o, h)",
         "Your gradient dW2 is wrong: transposed: entry [i, j] belongs at [j, i] (rows are inputs, columns are neurons)."),
    ],
)
def test_backward_mistakes_are_named(lesson, old, new, message):
    exercise = lesson.exercise("backward")
    verdict = check(exercise, solution_with(exercise, old, new), runner=FakeRunner())
    assert verdict.status == "fail"
    assert verdict.message == message
    assert "gradient gradient" not in verdict.render()


def test_the_old_pair_of_matrices_gets_told_to_return_the_dict(lesson):
    exercise = lesson.exercise("backward")
    source = solution_with(exercise, 'return {\n        "dW1": np.outer(inputs, d_h), "db1": d_h,\n'
                                     '        "dW2": np.outer(h, d_o), "db2": d_o,\n    }',
                           "return np.outer(inputs, d_h), np.outer(h, d_o)")
    verdict = check(exercise, source, runner=FakeRunner())
    assert verdict.message == (
        "Your backward function returned a tuple of 2 items; expected a dict with keys 'dW1', 'db1', 'dW2', 'db2' on case 1 of 6."
    )


def test_the_report_names_every_gradient_with_its_relative_error(lesson):
    exercise = lesson.exercise("backward")
    verdict = check(exercise, solution_with(exercise, "d_h = (W2 @ d_o) * h * (1 - h)", "d_h = W2 @ d_o"),
                    runner=FakeRunner())
    lines = verdict.details[2:7]
    assert verdict.details[:2] == ("6 of 6 cases fail.", "The first 3 are shown.")
    assert lines[0] == "Gradient check on case 1 of 6:"
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["dW1", "db1", "dW2", "db2"]
    assert lines[3].endswith("(ok)") and lines[4].endswith("(ok)")


def test_training_in_mazurs_update_order_gets_its_own_message(lesson):
    exercise = lesson.exercise("train")
    order = solution_with(
        exercise,
        "        d_h = (W2 @ d_o) * h * (1 - h)\n        W2 -= learning_rate * np.outer(h, d_o)\n",
        "        W2 -= learning_rate * np.outer(h, d_o)\n        d_h = (W2 @ d_o) * h * (1 - h)\n",
    )
    verdict = check(exercise, order, runner=FakeRunner())
    assert verdict.message.startswith("You updated W2 before computing d_h")
    assert check(exercise, exercise.solution, runner=FakeRunner()).passed
