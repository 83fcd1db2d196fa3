"""What tiny-network/train printed stays in view on tiny-network/error-10000,
which asks about it: kept with the attempt, shown under the next exercise's prose."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown

from uikit import screen_text
from tutor.course.content_rules import output_reference_problems
from tutor.course.loader import load_lesson
from tutor.course.locate import builtin_course_path
from tutor.progress.schema import SchemaError, validate
from tutor.progress.store import ProgressStore
from tutor.ui.carried_output import carried_output

LESSON = load_lesson(builtin_course_path() / "07-tiny-network.md")
PRINTED = "0 0.49641003190272537\n10000 0.008584525653247157\n"


def test_error_10000_asks_for_the_output_of_train() -> None:
    assert LESSON.exercise("error-10000").shows_output_of == "train"
    assert output_reference_problems(LESSON) == []


def test_the_output_is_shown_or_the_way_to_get_it() -> None:
    exercise = LESSON.exercise("error-10000")
    shown = carried_output(LESSON, exercise, PRINTED)
    assert shown.startswith("**Your code printed** in `train`:")
    assert "10000 0.008584525653247157" in shown and "```text" in shown
    assert "nothing yet" in carried_output(LESSON, exercise, None)
    assert carried_output(LESSON, LESSON.exercise("train"), PRINTED) == ""  # asks about no earlier output
    long = "".join(f"{i}\n" for i in range(50))
    assert "its last 20 lines" in carried_output(LESSON, exercise, long) and "\n49\n" in carried_output(LESSON, exercise, long)


def test_the_store_keeps_what_the_code_printed(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    store = ProgressStore.open(path)
    store.record_attempt("tiny-network/train", "code", True, output=PRINTED)
    store.record_attempt("tiny-network/train", "code again", True, output=None)  # printed nothing: keep the last
    store.save()
    store.close()
    again = ProgressStore.open(path)
    assert again.exercise("tiny-network/train").output == PRINTED
    again.close()
    document = {"schema": 2, "revision": 1, "position": None,
                "exercises": {"tiny-network/train": {"answer": "x", "attempts": 1, "output": 7}}}
    try:
        validate(document)
    except SchemaError as error:
        assert "output" in str(error)
    else:
        raise AssertionError("a non-text output must be a schema error")


def test_lint_wants_an_earlier_code_exercise(tmp_path: Path) -> None:
    text = (builtin_course_path() / "07-tiny-network.md").read_text()
    bad = tmp_path / "07-tiny-network.md"
    bad.write_text(text.replace('shows_output_of = "train"', 'shows_output_of = "hidden-size"'))
    lesson = load_lesson(bad)
    line = next(number for number, row in enumerate(bad.read_text().splitlines(), 1) if "shows_output_of" in row)
    assert [str(problem) for problem in output_reference_problems(lesson)] == [
        f"{bad}:{line}: error-10000: shows_output_of 'hidden-size' names a later exercise; it must name an earlier code exercise"]
    bad.write_text(text.replace('shows_output_of = "train"', 'shows_output_of = "first-error"'))
    assert [problem.message for problem in output_reference_problems(load_lesson(bad))] == [
        "error-10000: shows_output_of 'first-error' is a predict exercise; only code prints"]


async def test_the_next_exercise_shows_what_train_printed_after_a_restart(builtin_tutor, progress) -> None:
    store = ProgressStore.open(progress)  # an earlier session passed train, printing the errors
    store.record_attempt("tiny-network/train", LESSON.exercise("train").solution, True, output=PRINTED)
    store.save()
    store.close()
    async with builtin_tutor(size=(120, 40), at="tiny-network/error-10000") as (app, pilot):
        source = app.screen.query_one("#prose-text", Markdown).source
        assert "Look at what your code printed" in source
        assert "10000 0.008584525653247157" in source
        assert "Your code printed" in screen_text(app)


async def test_without_a_run_the_next_exercise_says_how_to_get_the_output(builtin_tutor) -> None:
    async with builtin_tutor(size=(120, 40), at="tiny-network/error-10000") as (app, pilot):
        assert "nothing yet" in app.screen.query_one("#prose-text", Markdown).source
