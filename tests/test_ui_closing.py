"""The end of a lesson and of the course, the palette's lesson ids, the
playground from lesson 9, notifications that leave the answer alone."""

from __future__ import annotations

from uikit import open_at, started, widget_text
from tutor.course.loader import load_course
from tutor.ui.navigation import Spot

SIZE = (80, 24)


async def test_ctrl_n_after_a_lessons_last_exercise_shows_its_closing_screen(builtin_tutor):
    from tutor.ui.screens.closing import ClosingScreen
    from tutor.ui.screens.lesson import LessonScreen

    lesson = load_course().lessons[0]
    async with builtin_tutor(size=SIZE) as (app, pilot):
        first, last = lesson.exercises[0], lesson.exercises[-1]
        app.store.record_attempt(first.qualified_id, "9", False)
        app.store.record_attempt(first.qualified_id, "5", True)
        app.store.reveal_hint(first.qualified_id, len(first.hints))
        await open_at(app, pilot, last.qualified_id)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ClosingScreen)
        text = widget_text(app.screen.query_one("#closing-text"))
        open_ones = len(lesson.exercises) - 1
        assert f"End of lesson 1: {lesson.title}  ({open_ones} exercise(s) still to do: Ctrl+B goes back)" in text
        assert "done" not in text.splitlines()[0]  # not while exercises are open
        assert lesson.outro.strip().split()[0] in text  # what you built: the lesson's closing words
        assert f"✓  {first.id}" in text and "2    1/2" in text.split(first.id)[1].splitlines()[0]
        assert f"1 of {len(lesson.exercises)} passed · 2 attempt(s) · 1 hint(s)" in text
        for reading in lesson.further_reading:
            assert reading in text
        for name in lesson.engine_files:
            assert f"engine/{name}" in text
        await pilot.press("ctrl+n")  # on to the next lesson, at its first exercise
        await started(app, pilot)
        assert isinstance(app.screen, LessonScreen) and app.screen.spot == Spot(1, 0)
        await pilot.press("ctrl+b")  # back across the lesson boundary: no closing screen that way
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.spot.lesson == 0


def test_snapshot_a_lessons_closing_screen(snap_compare, make_tutor):
    async def run_before(pilot) -> None:
        app = pilot.app
        await started(app, pilot)
        lesson = app.course.lessons[1]
        for exercise in lesson.exercises:
            app.store.record_attempt(exercise.qualified_id, "x", True)
        await open_at(app, pilot, lesson.exercises[-1].qualified_id)
        await pilot.press("ctrl+n")
        await pilot.pause(0.2)

    assert snap_compare(make_tutor(builtin=True), terminal_size=SIZE, run_before=run_before)


def capstone_pass(app) -> dict:
    """What a passing capstone verdict carries (values as the checker reports them)."""
    from tutor.ui import plot_data

    exercise = app.course.lessons[-1].exercises[-1]
    engine_curve = plot_data.picture(exercise)
    mine = [value * 0.97 for value in engine_curve[0].ys]
    return {"reached": 0.955, "pass_mark": 0.93, "losses": mine,
            "curve": [*engine_curve, plot_data.Series("your run", [float(k) for k in range(len(mine))], mine)]}


async def test_the_capstones_end_shows_the_accuracy_both_curves_and_the_end_of_the_course(builtin_tutor):
    from tutor.ui.screens.closing import ClosingScreen

    async with builtin_tutor(size=(80, 40)) as (app, pilot):
        run = capstone_pass(app)
        app.push_screen(ClosingScreen(len(app.course.lessons) - 1, run))
        await pilot.pause(0.3)
        text = widget_text(app.screen.query_one("#course-end"))
        assert "Accuracy on new points: 95.5% (the pass mark is 93%)" in text
        assert "The end of the course" in text
        assert "exercises across 11 lessons" in widget_text(app.screen.query_one("#course-end-words"))
        chart = app.screen.query_one("#closing-chart")
        labels = [curve.label for curve in chart.drawn]
        assert "your run" in labels and len(labels) == 2
        assert chart.drawn[-1].label == "your run"  # drawn last: over the engine's
        assert app.screen.check_action("next_lesson", ()) is False  # no lesson after it


def test_snapshot_the_capstones_end(snap_compare, make_tutor):
    from tutor.ui.screens.closing import ClosingScreen

    async def run_before(pilot) -> None:
        app = pilot.app
        await started(app, pilot)
        app.push_screen(ClosingScreen(len(app.course.lessons) - 1, capstone_pass(app)))
        await pilot.pause(0.3)

    assert snap_compare(make_tutor(builtin=True), terminal_size=SIZE, run_before=run_before)


async def test_the_palette_finds_a_lesson_by_its_id(builtin_tutor):
    from textual.command import CommandPalette

    async with builtin_tutor(size=SIZE) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"moons")
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        from textual.widgets import OptionList

        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        moons = next(lesson for lesson in app.course.lessons if lesson.id == "moons")
        assert any(f"{moons.order}. {moons.title}" in prompt for prompt in shown), shown
        await pilot.press("enter")
        await started(app, pilot)
        assert app.screen.spot.lesson == app.course.lessons.index(moons)


async def test_the_playground_opens_from_lesson_9_which_it_illustrates(builtin_tutor):
    from textual.widgets._footer import FooterKey

    from tutor.ui.screens.lesson import LessonScreen
    from tutor.ui.screens.playground import PlaygroundScreen

    async with builtin_tutor(size=SIZE, at="neuron/weighted-sum") as (app, pilot):
        await pilot.press("f9")  # elsewhere F9 does nothing
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        gates = next(lesson for lesson in app.course.lessons if lesson.id == "gates")
        assert gates.order == 9
        await open_at(app, pilot, f"gates/{gates.exercises[0].id}")
        keys = [key for key in app.screen.query(FooterKey) if key.display]
        assert "playground" in [key.action for key in keys]
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, PlaygroundScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "gates"


async def test_a_notification_never_covers_the_answer_or_its_feedback(builtin_tutor):
    from textual.widgets._toast import Toast

    async with builtin_tutor(size=SIZE, notifications=True, at="sigmoid/max-slope") as (app, pilot):
        await pilot.press(*"0.3", "enter")  # a wrong answer: feedback under the field
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        app.notify("Training stopped. F5 runs it again.", timeout=5)  # as the screen's notices do
        app.notify("A second, longer notice to stack under the first one, on two lines.", timeout=5)
        await pilot.pause(0.3)
        toasts = list(app.screen.query(Toast))
        assert toasts
        work = app.screen.query_one("#work").region
        assert len(toasts) == 2
        for toast in toasts:
            assert toast.region.height and not toast.region.overlaps(work), (toast.region, work)


async def test_passing_the_capstone_then_ctrl_n_ends_the_course_with_its_numbers(builtin_tutor):
    """The wiring from a real pass: the verdict's accuracy and losses, and the
    curves the plot drew (the engine's, then the learner's over it)."""
    from tutor.checking.verdict import Verdict
    from tutor.ui.screens.closing import ClosingScreen

    losses = [0.7 - 0.0003 * step for step in range(2000)]

    def checker(exercise, answer):
        return Verdict("pass", "The case passes.",
                       values={"losses": losses, "reached": 0.962, "pass_mark": 0.93})

    capstone = load_course().lessons[-1]
    async with builtin_tutor(size=SIZE, checker=checker, at=capstone.exercises[-1].qualified_id) as (app, pilot):
        await pilot.press("ctrl+s")
        await started(app, pilot)
        await pilot.pause(0.3)
        assert "your run" in app.screen.chart.series
        await pilot.press("ctrl+n")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ClosingScreen) and app.screen.final
        text = widget_text(app.screen.query_one("#course-end"))
        assert "Accuracy on new points: 96.2% (the pass mark is 93%)" in text
        drawn = app.screen.query_one("#closing-chart").drawn
        assert drawn[-1].label == "your run" and drawn[-1].ys[0] == losses[0] and len(drawn) >= 2
