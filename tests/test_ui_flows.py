"""Pilot tests: each learner flow of issue 5, through the real loader, checker,
sandbox and progress store, asserting what the screen shows and what the file holds."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from uikit import SIGMOID_SOLUTION, flow, posted, screen_text, until, verdicts, widget_text
from tutor.course.choice_order import shown_choices
from tutor.progress.store import Position, ProgressStore
from tutor.ui.messages import CourseLoaded, DraftFileChanged, OutlineReady, SaveFailed, VerdictReady
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.outline import OutlineScreen
from tutor.ui.widgets.feedback import FeedbackPanel


def on_disk(progress: Path) -> ProgressStore:
    """The progress as saved: the database read afresh, read-only."""
    return ProgressStore.open(progress, read_only=True)


def saved_exercises(progress: Path) -> list[str]:
    """The exercises that have a row in the database on disk."""
    with closing(sqlite3.connect(progress)) as connection:
        return [row[0] for row in connection.execute("SELECT qualified_id FROM exercises")]


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def feedback(app) -> str:
    return widget_text(app.screen.query_one("#feedback", FeedbackPanel))


async def test_outline_lists_lessons_with_marks_and_opens_a_lesson(started_tutor, messages):
    async with started_tutor() as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, OutlineScreen)
        # the outline from the lessons' headers first, then the validated course
        assert flow(messages, OutlineReady, CourseLoaded) == ["OutlineReady", "CourseLoaded"]
        (loaded,) = posted(messages, CourseLoaded)
        assert [lesson.id for lesson in loaded.course.lessons] == ["neuron"] and app.course is loaded.course
        text = screen_text(app)
        assert "○○○○  1. One neuron  0/4" in text
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LessonScreen)
        text = screen_text(app)
        assert "1. One neuron  exercise 1/4" in text
        assert "Inputs 1 and 0, weights 7 and 3, bias -2: what is z?" in text
        assert "A neuron multiplies each input by a weight" in text
        assert flow(messages, VerdictReady, DraftFileChanged, SaveFailed) == []  # reading judges nothing


async def test_number_wrong_then_right_updates_feedback_marks_and_file(started_tutor, messages, progress):
    async with started_tutor() as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("7", "enter")
        await settle(app, pilot)
        assert "✗ Not yet: You left out the bias: z = 1*7 + 0*3 + (-2)." in feedback(app)
        await pilot.press("backspace", "5", "enter")
        await settle(app, pilot)
        assert feedback(app).startswith("✓ Correct")
        assert "✓○○○" in screen_text(app)
        # each Enter one judged attempt, counted in the verdict it carried
        wrong, right = posted(messages, VerdictReady)
        assert (wrong.attempt.answer, wrong.attempt.verdict.status, wrong.attempt.progress.attempts) == ("7", "fail", 1)
        assert (right.attempt.answer, right.attempt.verdict.status, right.attempt.progress.attempts) == ("5", "pass", 2)
        assert right.attempt.exercise.qualified_id == "neuron/weighted-sum" and right.attempt.progress.passed
        await pilot.press("escape")
        await pilot.pause()
        assert "✓○○○  1. One neuron  1/4" in screen_text(app)
    saved = ProgressStore.open(progress, read_only=True).exercise("neuron/weighted-sum")  # as on disk
    assert (saved.answer, saved.attempts, saved.hints, saved.passed, saved.solution_seen) == ("5", 2, 0, True, False)
    assert flow(messages, SaveFailed) == []


async def test_unparsable_number_is_explained_and_costs_no_attempt(started_tutor, messages):
    async with started_tutor() as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("f", "i", "v", "e", "enter")
        await settle(app, pilot)
        assert feedback(app).startswith("! Could not check")
        assert app.store.exercise("neuron/weighted-sum").attempts == 0
        (verdict,) = posted(messages, VerdictReady)  # it flowed like any answer, and did not count
        assert verdict.attempt.verdict.status == "error" and not verdict.attempt.counted
        assert verdict.attempt.progress.attempts == 0


async def test_hints_one_at_a_time_and_solution_after_three_attempts(started_tutor, messages, progress):
    async with started_tutor() as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        hints = app.screen.query_one("#hints")
        assert not hints.display
        await pilot.press("f2")
        assert widget_text(hints) == "Hint 1/2: Multiply each input by its weight."
        await pilot.press("ctrl+t")
        assert widget_text(hints).splitlines()[1] == "Hint 2/2: Add the products, then the bias."
        await pilot.press("f2")  # no third hint: nothing changes
        assert len(widget_text(hints).splitlines()) == 2
        assert app.store.exercise("neuron/weighted-sum").hints == 2

        await pilot.press("f3")  # not yet: no pass, no three attempts
        assert not app.screen.query_one("#solution").display or "Reference" not in widget_text(app.screen.query_one("#solution"))
        for guess in ("1", "2", "3"):
            await pilot.press(guess, "enter")
            await settle(app, pilot)
            await pilot.press("backspace")
        assert verdicts(messages) == ["fail", "fail", "fail"]
        assert [m.attempt.progress.attempts for m in posted(messages, VerdictReady)] == [1, 2, 3]
        await pilot.press("f3")
        await pilot.pause()
        assert "See the reference solution?" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert widget_text(app.screen.query_one("#solution")) == "Reference solution\n5"
        assert app.store.exercise("neuron/weighted-sum").solution_seen
    assert on_disk(progress).exercise("neuron/weighted-sum").hints == 2


async def open_exercise(app, pilot, index: int) -> None:
    await pilot.press("enter")
    await settle(app, pilot)
    for _ in range(index):
        await pilot.press("ctrl+n")
        await settle(app, pilot)


def set_code(app, source: str) -> None:
    app.screen.query_one("#answer-code").load_text(source)


async def test_code_exercise_fails_with_cases_then_passes(started_tutor, messages):
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 2)
        editor = app.screen.query_one("#answer-code")
        assert editor.text.startswith("import numpy as np") and "return z" in editor.text
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        text = feedback(app)
        assert text.startswith("✗ Not yet")
        assert "expected" in text and "yours" in text
        set_code(app, SIGMOID_SOLUTION)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert feedback(app).startswith("✓ Correct")
        assert app.store.exercise("neuron/implement").passed
        # two checks, two verdicts; the tutor's own writes of the draft file do not come back to it
        assert flow(messages, VerdictReady, DraftFileChanged, SaveFailed) == ["VerdictReady", "VerdictReady"]
        assert verdicts(messages) == ["fail", "pass"]
        assert posted(messages, VerdictReady)[-1].attempt.answer == SIGMOID_SOLUTION


async def test_while_a_code_check_runs_the_last_verdicts_rows_are_kept_and_the_code_stays_put(started_tutor, messages):
    """"Checking…" takes the rows the verdict had: the editor does not grow and
    shrink back on every check."""
    import threading

    from tutor.ui import services

    release = threading.Event()

    def slow(exercise, answer):
        assert release.wait(10), "the test never let the check finish"
        return services.check(exercise, answer)

    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 2)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        panel = app.screen.query_one("#feedback", FeedbackPanel)
        rows, code = panel.outer_size.height, app.screen.query_one("#answer-code").region
        assert rows > 3  # a failing case under the headline
        app.checker = slow
        try:
            await pilot.press("ctrl+s")
            # (said once the check has run a moment: a quick one never flashes it)
            await until(pilot, lambda: feedback(app).startswith("Checking"))
            assert panel.outer_size.height == rows
            assert app.screen.query_one("#answer-code").region == code
            assert verdicts(messages) == ["fail"]  # the second is still being judged
        finally:
            release.set()
        await settle(app, pilot)
        assert feedback(app).startswith("✗ Not yet")
        assert verdicts(messages) == ["fail", "fail"]


async def test_learner_output_is_plain_text_never_markup(started_tutor, messages):
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 2)
        set_code(app, "def sigmoid(z):\n    print('[bold]x[/] [/] \\x1b[31mred\\x1b[0m')\n    return 0.5\n")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        text = feedback(app)
        assert "[bold]x[/] [/] \\x1b[31mred\\x1b[0m" in text
        assert "\x1b" not in screen_text(app)
        assert verdicts(messages) == ["fail"]


async def test_infinite_loop_times_out_while_the_ui_answers_keys(started_tutor, messages):
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 2)
        set_code(app, "def sigmoid(z):\n    while True:\n        pass\n")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Checking" in feedback(app))
        assert verdicts(messages) == []  # still being judged
        await pilot.press("f2")  # the UI answers while the check runs
        assert widget_text(app.screen.query_one("#hints")).startswith("Hint 1/2")
        await pilot.press("f1")
        await pilot.pause()
        assert "nntutor: keys" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        text = feedback(app)
        assert text.startswith("! Could not check")
        assert "time" in text.lower()
        assert app.store.exercise("neuron/implement").attempts == 0
        (verdict,) = posted(messages, VerdictReady)
        assert verdict.attempt.verdict.status == "error" and not verdict.attempt.counted


async def test_choice_exercise(started_tutor, messages):
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 3)
        await pilot.press("ctrl+s")  # nothing picked yet
        assert "Pick one of the options" in feedback(app)
        assert verdicts(messages) == []  # nothing to judge: nothing sent to the checker
        # the options in this learner's order (tutor.course.choice_order), not the file's
        shown = shown_choices(app.course.exercise("neuron/bias-role"), app.store.learner_seed)
        assert shown != app.course.exercise("neuron/bias-role").choices
        wrong_at, right_at = shown.index("Doubles z"), shown.index("Raises z by 1")
        await pilot.press(*["down"] * wrong_at, "enter")  # picking "Doubles z" submits it
        await settle(app, pilot)
        assert "The bias is added, not multiplied." in feedback(app)
        moves = right_at - wrong_at
        await pilot.press(*(["down"] * moves if moves > 0 else ["up"] * -moves), "enter")
        await settle(app, pilot)
        assert feedback(app).startswith("✓ Correct")
        assert app.store.exercise("neuron/bias-role").attempts == 2
        assert app.store.exercise("neuron/bias-role").answer == "Raises z by 1"  # the option, not its place
        assert [m.attempt.answer for m in posted(messages, VerdictReady)] == ["Doubles z", "Raises z by 1"]
        assert verdicts(messages) == ["fail", "pass"]
        await pilot.press("ctrl+b", "ctrl+n")  # away and back: the pick is restored, not resubmitted
        await settle(app, pilot)
        assert app.screen.query_one("#answer-choices").pressed_index == right_at
        assert app.store.exercise("neuron/bias-role").attempts == 2
        assert verdicts(messages) == ["fail", "pass"]


async def test_predict_locks_the_prediction_then_shows_both_and_the_plot(started_tutor, messages):
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 1)
        assert app.screen.chart is None and not app.screen.query_one("#plot-box").display  # no peeking
        await pilot.press("0", ".", "5", "enter")
        field = app.screen.query_one("#answer-input")
        assert field.disabled  # locked in
        await settle(app, pilot)
        await settle(app, pilot)
        assert feedback(app).startswith("◇ Missed")
        assert "computed 0.993307; you predicted 0.5" in feedback(app)  # both, side by side
        (verdict,) = posted(messages, VerdictReady)
        assert verdict.attempt.answer == "0.5" and verdict.attempt.progress.prediction == "missed"
        await pilot.press("1")  # typing into a locked prediction does nothing
        assert field.value == "0.5"
        series = app.screen.chart.series["sigmoid(z)"]
        assert len(series.xs) == 61 and series.ys[30] == 0.5


async def test_a_missed_prediction_is_finished_and_says_how_to_go_on(started_tutor, messages, progress):
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 1)
        await pilot.press("0", ".", "5", "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        text = screen_text(app)
        assert "Finished as missed (◇): a prediction counts once, before the value is shown." in text
        assert "F2: a hint on why · Ctrl+N: next exercise" in text
        assert "◇" in app.screen.query_one("#lesson-bar").render().plain
        await pilot.press("ctrl+s")  # submitting again does nothing: the prediction is made
        await settle(app, pilot)
        assert app.store.exercise("neuron/output").attempts == 1
        assert len(posted(messages, VerdictReady)) == 1  # nothing went to the checker again
        await pilot.press("ctrl+n")  # the way on
        await settle(app, pilot)
        assert app.screen.exercise.id == "implement"
        await pilot.press("ctrl+b")  # back: finished, locked, and the line says so
        await settle(app, pilot)
        assert app.screen.query_one("#answer-input").disabled
        assert feedback(app).startswith("◇ Missed: you predicted 0.5.")
        assert "the exercise is finished. Ctrl+N goes on." in feedback(app)
        await pilot.press("escape")
        await pilot.pause()
        text = screen_text(app)
        assert "○◇○○  1. One neuron  1/4" in text  # finished, with its own mark
    saved = on_disk(progress).exercise("neuron/output")
    assert saved.prediction == "missed" and saved.passed is False and saved.answer == "0.5"


async def test_a_good_prediction_is_finished_as_predicted(started_tutor, messages, progress):
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 1)
        await pilot.press(*"0.99", "enter")
        await settle(app, pilot)
        assert feedback(app).startswith("◆ Predicted: Good prediction. The engine computed 0.993307.")
        assert "Finished as predicted (◆)" in screen_text(app)
        (verdict,) = posted(messages, VerdictReady)
        assert verdict.attempt.verdict.passed and verdict.attempt.progress.prediction == "predicted"
    saved = on_disk(progress).exercise("neuron/output")
    assert saved.prediction == "predicted" and saved.passed is True


async def test_an_unreadable_prediction_leaves_the_field_open(started_tutor, messages):
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 1)
        await pilot.press(*"abc", "enter")
        await settle(app, pilot)
        field = app.screen.query_one("#answer-input")
        assert feedback(app).startswith("! Could not check: 'abc' is not a number.")
        assert not field.disabled  # nothing was shown, so the prediction is still to make
        assert app.store.exercise("neuron/output").attempts == 0
        field.value = ""
        await pilot.press(*"0.99", "enter")
        await settle(app, pilot)
        assert app.store.exercise("neuron/output").prediction == "predicted"
        unread, made = posted(messages, VerdictReady)
        assert (unread.attempt.answer, unread.attempt.verdict.status, unread.attempt.counted) == ("abc", "error", False)
        assert (made.attempt.answer, made.attempt.progress.prediction) == ("0.99", "predicted")


async def test_reset_exercise_restores_the_starter_after_confirmation(started_tutor, messages, progress):
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 2)
        set_code(app, SIGMOID_SOLUTION)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("n")  # changed my mind
        await pilot.pause()
        assert app.screen.query_one("#answer-code").text == SIGMOID_SOLUTION
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert "return z" in app.screen.query_one("#answer-code").text
        assert app.store.exercise("neuron/implement").attempts == 0
        # one check; the starter the reset wrote back is the tutor's own write, not another program's
        assert flow(messages, VerdictReady, DraftFileChanged, SaveFailed) == ["VerdictReady"]
    assert on_disk(progress).exercise("neuron/implement").attempts == 0


async def test_progress_is_saved_and_a_new_app_resumes_at_the_same_exercise(started_tutor, messages, progress):
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 2)
        await pilot.press("#", "space", "d", "r", "a", "f", "t", "enter")  # typed, never submitted
    assert on_disk(progress).position == Position("neuron", "implement")
    assert "neuron/implement" not in saved_exercises(progress)  # a code draft is its workspace file
    assert (app.workspace_path / "neuron" / "implement.py").read_text().startswith("# draft\nimport numpy as np")

    assert flow(messages, VerdictReady, SaveFailed) == []  # Enter in code is a new line, not a check

    messages.clear()
    async with started_tutor() as (again, pilot):
        await settle(again, pilot)
        await pilot.pause()
        assert flow(messages, CourseLoaded) == ["CourseLoaded"]
        assert isinstance(again.screen, LessonScreen)
        assert again.screen.exercise.id == "implement"
        assert again.screen.query_one("#answer-code").text.startswith("# draft\nimport numpy")


async def test_corrupt_progress_is_recovered_from_backup_with_a_notice(started_tutor, messages, progress):
    async with started_tutor() as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("5", "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+n")  # one more save, so the backup holds the pass
        await settle(app, pilot)
    assert verdicts(messages) == ["pass"] and flow(messages, SaveFailed) == []
    progress.write_bytes(b"\x00\x00garbage")

    messages.clear()
    async with started_tutor() as (again, pilot):
        await pilot.pause()
        assert flow(messages, SaveFailed) == []  # the restored store saves again
        outline = again.screen_stack[1]  # it resumed into the lesson; the outline keeps the notice
        assert "restored the previous save from the backup" in widget_text(outline.query_one("#notices"))
        assert again.store.exercise("neuron/weighted-sum").passed
        assert any("restored the previous save" in n.message for n in again._notifications)
    assert list(progress.parent.glob("progress.json.corrupt-*"))


async def test_second_window_is_read_only_and_says_so(started_tutor, make_tutor):
    first = make_tutor()  # never started_tutor's waits: it only has to hold the progress file
    async with first.run_test(size=(80, 24)):
        async with started_tutor() as (second, pilot):
            await pilot.pause()
            assert "(read-only)" in screen_text(second)
            assert "Another nntutor is using this progress file" in screen_text(second)


async def test_command_palette_goes_to_a_lesson(started_tutor):
    async with started_tutor() as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        for key in "go to lesson":
            await pilot.press(key if key != " " else "space")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == "neuron"


async def test_reset_all_progress_asks_first(started_tutor, messages, progress):
    async with started_tutor() as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("5", "enter")
        await settle(app, pilot)
        assert verdicts(messages) == ["pass"]
        await pilot.press("escape")
        app.action_reset_all()
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "○○○○  1. One neuron  0/4" in screen_text(app)
        assert flow(messages, SaveFailed) == []
    assert saved_exercises(progress) == []


async def test_help_screen_opens_with_question_mark_and_f1(started_tutor):
    async with started_tutor() as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert "F2 or Ctrl+T" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        assert "nntutor: keys" in screen_text(app)


async def test_no_color_is_honoured(started_tutor, messages, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 1)
        await pilot.press("1", "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert verdicts(messages) == ["pass"]  # 1 is within 0.01 of sigmoid(5): then the plot shows
        assert app.no_color
        assert app.screen.chart.theme == "clear"  # plotext draws without colour too


async def test_code_editor_keeps_indentation_and_undoes(started_tutor, messages):
    async with started_tutor() as (app, pilot):
        await open_exercise(app, pilot, 2)
        editor = app.screen.query_one("#answer-code")
        editor.load_text("")
        for key in ["d", "e", "f", "space", "f", "(", ")", ":", "enter", "x", "enter", "y"]:
            await pilot.press(key)
        assert editor.text == "def f():\n    x\n    y"
        assert editor.language == "python"
        assert verdicts(messages) == []  # Enter in the code is a new line, never a check
        await pilot.press("ctrl+z")
        assert editor.text != "def f():\n    x\n    y"


async def test_palette_offers_lessons_reset_and_theme(started_tutor, progress):
    async with started_tutor() as (app, pilot):
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert {"Go to lesson: 1. One neuron (neuron)", "Reset exercise", "Toggle theme", "Neuron playground",
                "Reset all progress"} <= set(commands)
        before = app.theme
        commands["Toggle theme"].callback()
        assert app.theme != before
        commands["Reset exercise"].callback()  # on the outline: nothing to reset, says so
        await pilot.pause()
        assert any(n.message == "Open an exercise first." for n in app._notifications)
