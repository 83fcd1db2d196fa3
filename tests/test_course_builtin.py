"""The built-in course as a learner meets it: every exercise walked through the checker.

Lint runs the same answers, but this walk is written independently of lint so
that a bug in lint cannot hide a broken exercise: each reference solution must
pass, and each known wrong answer must fail with exactly its own message. The
shape of the course that issue 6 promises is checked here too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tutor.checking.checker import check
from tutor.course.engine_refs import evaluate
from tutor.course.loader import load_course
from tutor.course.model import Exercise, WrongAnswer

COURSE = load_course()
EXERCISES = [exercise for lesson in COURSE.lessons for exercise in lesson.exercises]

LESSON_IDS = [
    "neuron", "sigmoid", "logistic", "gradient-descent", "backprop", "circuits",
    "tiny-network", "vectorise", "gates", "moons", "capstone",
]
FIXED_EXERCISES = {
    "neuron/weighted-sum": "number",
    "neuron/output": "number",
    "sigmoid/implement": "code",
    "sigmoid/derivative": "code",
    "backprop/dE-dw5": "number",
    "gates/and-weights": "array",
}


def _typed(value: Any) -> str:
    """A value as a learner would type it into a number or array field."""
    array = np.asarray(value, dtype=float)
    return repr(float(array)) if array.ndim == 0 else repr(array.tolist())


def _wrong_submission(exercise: Exercise, wrong: WrongAnswer) -> Any:
    if exercise.kind == "tune":
        return dict(wrong.values) if wrong.values is not None else None
    if wrong.answer is not None:
        return wrong.answer
    if wrong.engine is not None and exercise.kind != "code":
        return _typed(evaluate(wrong.engine))
    return None


def test_the_course_loads_whole_and_in_order() -> None:
    assert COURSE.broken == ()
    assert [lesson.id for lesson in COURSE.lessons] == LESSON_IDS


@pytest.mark.parametrize("qualified_id,kind", sorted(FIXED_EXERCISES.items()))
def test_fixed_exercise_ids_exist_with_their_kind(qualified_id: str, kind: str) -> None:
    assert COURSE.exercise(qualified_id).kind == kind


def test_the_named_numbers_come_from_the_engine() -> None:
    import engine

    assert float(evaluate(COURSE.exercise("neuron/weighted-sum").expected)) == 5.0
    assert float(evaluate(COURSE.exercise("neuron/output").expected)) == float(engine.sigmoid(5.0))
    assert float(evaluate(COURSE.exercise("backprop/dE-dw5").expected)) == pytest.approx(0.082167041, abs=1e-9)


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_each_lesson_is_rich_enough(lesson) -> None:
    kinds = {exercise.kind for exercise in lesson.exercises}
    assert len(lesson.exercises) >= 3, "at least three exercises"
    assert len(kinds) >= 2, f"mix exercise kinds, has only {kinds}"
    assert any(exercise.plot is not None for exercise in lesson.exercises), "at least one plot"
    assert lesson.further_reading, "sources credited as further reading"
    for exercise in lesson.exercises:
        if exercise.challenge is None:  # a from-memory challenge is written without hints
            assert len(exercise.hints) >= 2, f"{exercise.qualified_id} needs at least two hints"
    assert sum(len(exercise.wrong) for exercise in lesson.exercises) >= 3, "targeted messages for common mistakes"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.qualified_id)
def test_reference_solution_passes(exercise: Exercise) -> None:
    solution = exercise.tune.solution if exercise.tune is not None else exercise.solution
    verdict = check(exercise, solution)
    assert verdict.passed, verdict.render()


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if e.code is not None], ids=lambda e: e.qualified_id)
def test_starter_code_does_not_pass(exercise: Exercise) -> None:
    verdict = check(exercise, exercise.code.starter)
    assert verdict.status in ("fail", "error")
    assert verdict.message


WRONG = [
    (exercise, index, wrong)
    for exercise in EXERCISES
    for index, wrong in enumerate(exercise.wrong)
    if _wrong_submission(exercise, wrong) is not None
]


@pytest.mark.parametrize(
    "exercise,index,wrong", WRONG, ids=[f"{e.qualified_id}#{i + 1}" for e, i, _ in WRONG]
)
def test_known_wrong_answer_gets_its_message(exercise: Exercise, index: int, wrong: WrongAnswer) -> None:
    verdict = check(exercise, _wrong_submission(exercise, wrong))
    assert verdict.status == "fail", verdict.render()
    assert verdict.message == wrong.message


def test_most_known_mistakes_are_walked() -> None:
    """A wrong answer the walk cannot submit proves nothing; keep them rare."""
    total = sum(len(exercise.wrong) for exercise in EXERCISES)
    assert len(WRONG) >= 0.9 * total
