"""Choice options are shuffled per learner: stable for a learner, never the
file's order, pinned options in place, and judged by the option, not its place."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tutor.checking.checker import check
from tutor.course.choice_order import choice_order, shown_choices
from tutor.course.loader import LessonError, lesson_files, load_lesson
from tutor.course.locate import builtin_course_path
from tutor.progress.schema import SchemaError, validate
from tutor.progress.store import ProgressStore

LESSONS = [load_lesson(path) for path in lesson_files(builtin_course_path())]
CHOICES = [exercise for lesson in LESSONS for exercise in lesson.exercises if exercise.kind == "choice"]

PINNED_LESSON = '''+++
id = "pins"
title = "Pins"
order = 1
+++

What does a neuron have?

```exercise
id = "parts"
kind = "choice"
prompt = "Which of these does a neuron have?"
choices = ["Weights", "A bias", "An activation", "All of the above"]
answer = "All of the above"
pinned = ["All of the above"]
hints = ["Think of z and the sigmoid.", "More than one of them."]
```
'''


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "01-pins.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_course_has_choice_exercises_to_shuffle() -> None:
    assert len(CHOICES) >= 14


@pytest.mark.parametrize("seed", [0, 1, 7, 2**31 + 5])
def test_no_learner_sees_the_file_order(seed: int) -> None:
    for exercise in CHOICES:
        order = choice_order(exercise, seed)
        assert sorted(order) == list(range(len(exercise.choices)))  # every option, once
        assert order != tuple(range(len(exercise.choices))), exercise.qualified_id


def test_the_right_answer_is_not_where_the_author_wrote_it_for_most_learners() -> None:
    # the course's authors mostly put the answer first; shown, it lands anywhere
    first_in_file = sum(exercise.choices[0] == exercise.answer for exercise in CHOICES) / len(CHOICES)
    assert first_in_file > 0.5
    shown_first = [sum(shown_choices(exercise, seed)[0] == exercise.answer for exercise in CHOICES) / len(CHOICES)
                   for seed in range(40)]
    assert sum(shown_first) / len(shown_first) < 0.4


def test_the_order_is_stable_for_a_learner_and_differs_between_learners() -> None:
    exercise = next(exercise for exercise in CHOICES if len(exercise.choices) == 4)
    assert choice_order(exercise, 12345) == choice_order(exercise, 12345)
    assert len({choice_order(exercise, seed) for seed in range(30)}) >= 5


def test_the_order_follows_the_option_not_its_line_in_the_file(tmp_path: Path) -> None:
    first = load_lesson(write(tmp_path, PINNED_LESSON)).exercises[0]
    swapped = load_lesson(write(tmp_path, PINNED_LESSON.replace(
        '"Weights", "A bias", "An activation"', '"An activation", "Weights", "A bias"'))).exercises[0]
    same = sum(shown_choices(first, seed) == shown_choices(swapped, seed) for seed in range(24))
    # equal except where the ranking happens to be one file's own order and is rotated (about 1 in 6)
    assert same >= 16


def test_a_pinned_option_stays_in_place(tmp_path: Path) -> None:
    exercise = load_lesson(write(tmp_path, PINNED_LESSON)).exercises[0]
    assert exercise.pinned == ("All of the above",)
    orders = {shown_choices(exercise, seed) for seed in range(30)}
    assert all(order[-1] == "All of the above" for order in orders)
    assert len({order[:3] for order in orders}) >= 3  # the others still move


def test_a_pin_that_is_not_an_option_is_a_lint_finding(tmp_path: Path) -> None:
    path = write(tmp_path, PINNED_LESSON.replace('pinned = ["All of the above"]', 'pinned = ["All of the abov"]'))
    with pytest.raises(LessonError) as error:
        load_lesson(path)
    assert [str(problem) for problem in error.value.problems] == [
        f"{path}:15: pinned option 'All of the abov' is not one of the choices (did you mean 'All of the above'?)"]


def test_the_checker_judges_the_option_wherever_it_was_shown() -> None:
    exercise = next(exercise for exercise in CHOICES if exercise.qualified_id == "neuron/bias-role")
    for seed in range(5):
        shown = shown_choices(exercise, seed)
        assert check(exercise, exercise.answer).passed
        wrong = next(option for option in shown if option != exercise.answer)
        assert not check(exercise, wrong).passed


def test_the_learner_seed_is_kept_in_the_progress_file(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore.open(path)
    seed = store.learner_seed
    assert store.learner_seed == seed
    store.save()
    store.close()
    with closing(sqlite3.connect(path)) as saved:  # the progress database on disk holds it
        assert json.loads(saved.execute("SELECT value FROM meta WHERE key = 'learner_seed'").fetchone()[0]) == seed
    again = ProgressStore.open(path)
    assert again.learner_seed == seed  # resume: the same orders
    again.reset_all()
    assert again.learner_seed == seed  # a fresh start is still the same learner
    again.close()


def test_a_damaged_learner_seed_is_a_schema_error() -> None:
    document = {"schema": 2, "revision": 0, "position": None, "exercises": {}, "learner_seed": "seven"}
    with pytest.raises(SchemaError):
        validate(document)
