"""A code verdict whose headline is one of the checker's own diagnoses names it
(values["mistake"], e.g. "sign flipped"): the same name whatever the numbers, so
the attempts log and a class report can count it."""

from __future__ import annotations

from dataclasses import replace

from plain_runner import PlainRunner
from tutor.checking.checker import check
from tutor.course.loader import load_course

COURSE = load_course()

FORGOT_THE_MINUS = '''
import numpy as np

def log_loss(probability, target):
    p = np.clip(probability, 1e-15, 1 - 1e-15)
    return np.mean(target * np.log(p) + (1 - target) * np.log(1 - p))
'''

COLUMNS_PER_EXAMPLE = '''
import numpy as np

def softmax(z):
    scores = np.asarray(z, dtype=float).T
    exp = np.exp(scores - np.max(scores, axis=0))
    return exp / np.sum(exp, axis=0)
'''


def judged(qualified_id: str, source: str):
    exercise = replace(COURSE.exercise(qualified_id), wrong=())  # no author's entry: the checker's own words
    return check(exercise, source, runner=PlainRunner())


def test_a_diagnosed_code_mistake_is_named() -> None:
    flipped = judged("logistic/log-loss", FORGOT_THE_MINUS)
    assert flipped.status == "fail" and "with the sign flipped" in flipped.message
    assert flipped.values["mistake"] == "sign flipped"
    transposed = judged("moons/softmax", COLUMNS_PER_EXAMPLE)
    assert "returns the transpose" in transposed.message and transposed.values["mistake"] == "transposed"


def test_wrong_values_without_a_diagnosis_name_no_mistake() -> None:
    verdict = judged("logistic/log-loss", "import numpy as np\n\ndef log_loss(probability, target):\n"
                                          "    return np.float64(3.0) + 0 * np.mean(probability)\n")
    assert verdict.status == "fail" and "mistake" not in verdict.values
    assert check(COURSE.exercise("logistic/log-loss"), COURSE.exercise("logistic/log-loss").solution,
                 runner=PlainRunner()).passed
