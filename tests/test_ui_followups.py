"""Pilot tests for the UI follow-ups of issue 5: answer fields that describe
their shape without giving the answer away, keys that reach only what the
learner saw, header and body that change together, services that fail loudly,
and author mode showing lint's findings in place."""

from __future__ import annotations

import os
import sys
import textwrap
import time
from pathlib import Path

import pytest
from textual import events

from uikit import SIGMOID_SOLUTION, posted, screen_text, verdicts, widget_text, write_course
from tutor.course.choice_order import shown_choices
from tutor.ui import services
from tutor.ui.messages import LessonReloaded
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.outline import OutlineScreen

LESSON = textwrap.dedent('''\
    +++
    id = "shapes"
    title = "Shapes"
    order = 1
    +++

    Weights come in rows.

    ```exercise
    id = "positive"
    kind = "tune"
    prompt = "Make z positive."
    hints = ["Raise w.", "Or think about the sign."]
    solution = { w = 1.0 }

    [tune]
    params = [{ name = "w", kind = "float", default = -1.0, min = -10.0, max = 10.0 }]
    run = { engine = "weighted_sum", args = { inputs = [1.0], weights = ["$w"], bias = 0.0 } }
    goal = { above = 0.0 }
    ```

    Two at once.

    ```exercise
    id = "pair"
    kind = "array"
    prompt = "Give sigmoid of 0 and 0."
    shape = [2]
    shape_words = "one output per input"
    expected = { engine = "sigmoid", args = { z = [0.0, 0.0] } }
    tolerance = { abs = 1e-6, rel = 0.0 }
    hints = ["sigmoid(0) is a half.", "Twice."]
    solution = "0.5 0.5"
    ```

    Now a block.

    ```exercise
    id = "grid"
    kind = "array"
    prompt = "Give sigmoid of a 2 by 3 block of zeros."
    shape = [2, 3]
    expected = { engine = "sigmoid", args = { z = [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]] } }
    tolerance = { abs = 1e-6, rel = 0.0 }
    hints = ["sigmoid(0) is a half.", "Everywhere."]
    solution = "0.5 0.5 0.5\\n0.5 0.5 0.5"
    ```
    ''')


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """This module's course (conftest's make_tutor and started_tutor run on it)."""
    root = tmp_path / "course"
    root.mkdir()
    (root / "01-shapes.md").write_text(LESSON)
    return root


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await pilot.pause(0.05)


async def test_array_fields_describe_the_shape_with_neutral_values(started_tutor):
    async with started_tutor() as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        field = app.screen.query_one("#answer-input")
        assert field.placeholder == "2 numbers, e.g. 0.5 -1.5 (Enter to submit)"
        text = screen_text(app)
        assert "Shape (2,): 2 numbers (one output per input)" in text
        assert "2 numbers, e.g. 0.5 -1.5 (Enter to submit)" in text  # the empty field shows it
        assert "20" not in field.placeholder  # never a gate's weights, never 3 numbers for 2

        await pilot.press("ctrl+n")
        await settle(app, pilot)
        matrix = app.screen.query_one("#answer-matrix")
        assert matrix.placeholder == "2 rows of 3 numbers, one row per line, e.g. 0.5 -1.5 2.5 (Ctrl+S to submit)"
        assert "Shape (2, 3): 2 rows of 3 numbers, one row per line" in screen_text(app)


async def test_a_key_meant_for_the_outline_never_lands_in_the_field_it_opened(started_tutor):
    async with started_tutor() as (app, pilot):
        assert isinstance(app.screen, OutlineScreen)
        # A second "c" pressed while the first one is opening the lesson (a key
        # repeat, or the tutor resuming by itself at that moment): it was aimed
        # at the outline the learner saw, and reaches the app only after the
        # lesson has focused its field.
        early = events.Key("c", "c")
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, LessonScreen)
        field = app.screen.query_one("#param-w")
        assert app.focused is field and field.value == "-1"
        app.post_message(early)
        await pilot.pause()
        assert field.value == "-1"
        await pilot.press("end", "5")  # keys pressed now reach the field as usual
        assert field.value == "-15"


async def test_shift_tab_and_end_in_a_tune_exercise_keep_the_tutor_open(started_tutor):
    async with started_tutor() as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter")  # one run of the tune, so the feedback panel is there too
        await settle(app, pilot)
        visited = set()
        for _ in range(8):
            await pilot.press("shift+tab", "end", "home", "end")
            visited.add(getattr(app.focused, "id", None))
        assert app.is_running and isinstance(app.screen, LessonScreen)
        assert {"param-w", "prose", "work"} <= visited


async def test_header_and_body_change_in_the_same_frame(started_tutor):
    frames: list[tuple[str, str]] = []
    async with started_tutor() as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        original = app._display

        def display(shown_screen, renderable) -> None:
            if renderable is not None and not app._batch_count and shown_screen is screen:
                frames.append((widget_text(screen.query_one("#lesson-bar")), widget_text(screen.query_one("#prompt"))))
            original(shown_screen, renderable)

        app._display = display
        for key in ("ctrl+n", "ctrl+n", "ctrl+b"):
            await pilot.press(key)
            await settle(app, pilot)
        app._display = original
    ids = {"positive": "1/3", "pair": "2/3", "grid": "3/3"}
    assert frames
    for bar, prompt in frames:
        exercise = prompt.split()[0]
        assert f"exercise {ids[exercise]}" in bar, (bar, prompt)
    assert {prompt.split()[0] for _, prompt in frames} >= {"pair", "grid"}


def test_a_missing_sandbox_is_an_error_not_a_silent_no_op(monkeypatch):
    monkeypatch.setitem(sys.modules, "tutor.sandbox.api", None)  # import now raises ImportError
    with pytest.raises(ImportError):
        services.start_sandbox()
    with pytest.raises(ImportError):
        services.stop_sandbox()


def save(path: Path, text: str) -> None:
    path.write_text(text)
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


async def test_author_mode_shows_lints_engine_findings_in_place(started_tutor, messages, course):
    lesson_file = course / "01-shapes.md"
    async with started_tutor(watch=course) as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        problems = app.screen.query_one("#problems")
        assert not problems.display
        # it still loads (the loader never runs the engine) but cannot be checked
        messages.clear()
        save(lesson_file, LESSON.replace('engine = "weighted_sum"', 'engine = "weighted_summ"'))
        await wait_until(pilot, lambda: problems.display)
        text = widget_text(app.screen.query_one("#problems-text"))
        assert text.startswith("This lesson loads, but lint found problems.")
        assert "01-shapes.md:18: unknown engine function 'weighted_summ' (did you mean 'weighted_sum'?)" in text
        reloaded = posted(messages, LessonReloaded)[-1]  # the save, read and linted in its worker
        assert reloaded.path == lesson_file and reloaded.announce and reloaded.lesson is not None
        assert [line for line in reloaded.problems
                if line.startswith("01-shapes.md:18: unknown engine function 'weighted_summ'")]
        await pilot.press("escape")
        await pilot.pause()
        assert "1. Shapes  0/3  ✗ has problems" in screen_text(app)
        save(lesson_file, LESSON.replace("Make z positive.", "Make z above zero."))
        await wait_until(pilot, lambda: "✗ has problems" not in screen_text(app))
        fixed = posted(messages, LessonReloaded)[-1]
        assert fixed.problems == [] and fixed.lesson.exercises[0].prompt == "Make z above zero."
        await pilot.press("enter")
        await settle(app, pilot)
        assert not app.screen.query_one("#problems").display
        assert "Make z above zero." in screen_text(app)


async def test_author_mode_lints_what_it_watches_from_the_start(started_tutor, messages, course):
    lesson_file = course / "01-shapes.md"
    lesson_file.write_text(LESSON.replace('engine = "sigmoid", args = { z = [0.0, 0.0] }',
                                          'engine = "sigmoidd", args = { z = [0.0, 0.0] }'))
    async with started_tutor(watch=lesson_file) as (app, pilot):
        await wait_until(pilot, lambda: bool(app.problems_for(lesson_file)))
        assert app.problems_for(lesson_file) == [
            "01-shapes.md:30: unknown engine function 'sigmoidd' (did you mean 'sigmoid' or 'sigmoid_prime'?); "
            "`nntutor engine` lists every name with its arguments"]
        (linted,) = posted(messages, LessonReloaded)  # read and linted once, before any save, quietly
        assert linted.path == lesson_file and not linted.announce
        assert linted.problems == app.problems_for(lesson_file)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one("#problems").display


async def test_the_lesson_screen_never_overflows_so_the_verdict_stays_in_reach(started_tutor, messages, tmp_path):
    async with started_tutor(course_path=write_course(tmp_path / "neuron-course")) as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("ctrl+n")  # a predict exercise: its plot appears with the verdict
        await settle(app, pilot)
        await pilot.press("0", ".", "5", "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        await pilot.press("f2", "f2")
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-with-plot")
        assert screen.max_scroll_y == 0  # the screen itself never scrolls...
        work = screen.query_one("#work")
        work.scroll_end(animate=False)
        await pilot.pause()
        assert "computed 0.993307; you predicted 0.5" in screen_text(app)  # ...the exercise pane does

        await pilot.press("ctrl+n")  # a code exercise: the tallest exercise pane
        await settle(app, pilot)
        await pilot.press("ctrl+s")  # the starter fails with a case table
        await settle(app, pilot)
        assert app.screen.max_scroll_y == 0
        assert "✗ Not yet" in screen_text(app)
        app.screen.query_one("#answer-code").load_text(SIGMOID_SOLUTION)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.max_scroll_y == 0
        assert "✓ Correct" in screen_text(app)
        assert verdicts(messages) == ["fail", "fail", "pass"]  # the prediction, the starter, the solution


async def test_the_solution_and_a_good_prediction_read_whole_and_once(started_tutor, tmp_path):
    async with started_tutor(course_path=write_course(tmp_path / "neuron-course")) as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("0", ".", "9", "9", "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        text = screen_text(app)
        assert "Good prediction" in text and "0.993307" in text
        assert "the computation gives" not in text  # the verdict already says what was computed
        assert "0.9933071490" not in text  # and never with 16 digits

        await pilot.press("ctrl+n", "ctrl+n")  # the choice exercise, whose pane must scroll
        await settle(app, pilot)
        exercise = app.course.lessons[0].exercises[3]
        right_at = shown_choices(exercise, app.store.learner_seed).index(exercise.answer)
        await pilot.press("f2", "f2", *["down"] * right_at, "enter")
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        lines = screen_text(app).splitlines()
        header = next(index for index, line in enumerate(lines) if "Reference solution" in line)
        assert lines[header + 1].strip() == "Raises z by 1"
