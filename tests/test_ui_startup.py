"""Start-up: the outline fills from the lessons' headers (the outline index)
before every lesson is validated, and a lesson chosen meanwhile opens once the
full load is done; a broken lesson is listed with its problems once known."""

from __future__ import annotations

import threading

from uikit import screen_text

from tutor.ui import services
from tutor.ui.messages import CourseLoaded, OutlineReady
from tutor.ui.screens.outline import HeaderSpot


def blocked_full_load(monkeypatch) -> threading.Event:
    """Make the full, validating load wait until the returned event is set."""
    release = threading.Event()
    real = services.load_course

    def load(root):
        assert release.wait(10), "the test never released the full load"
        return real(root)

    monkeypatch.setattr(services, "load_course", load)
    return release


async def wait_until(pilot, condition, rounds: int = 200) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never became true")


async def test_outline_fills_from_headers_before_the_full_load_and_a_lesson_opens_after(
        make_tutor, course, messages, monkeypatch) -> None:
    from tutor.course.loader import load_lesson
    from tutor.ui.screens.lesson import LessonScreen

    exercise_ids = [exercise.id for exercise in load_lesson(course / "01-neuron.md").exercises]

    release = blocked_full_load(monkeypatch)
    app = make_tutor()  # run by hand, not started_tutor: the test watches the start-up itself
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        try:
            await wait_until(pilot, lambda: any(isinstance(m, OutlineReady) for m in messages))
            await pilot.pause()
            tree = app.screen.query_one("#outline")
            assert not app.course_ready  # the full load is still waiting
            assert [node.data for node in tree.root.children] == [HeaderSpot("neuron")]
            lesson = tree.root.children[0]
            assert [leaf.data for leaf in lesson.children] == [HeaderSpot("neuron", eid) for eid in exercise_ids]
            text = screen_text(app)
            assert "1. One neuron" in text and f"0/{len(exercise_ids)}" in text
            assert "One neuron" in app.screen.query_one("#outline-detail").content.plain

            await pilot.press("enter")  # open the lesson while it is still loading
            await pilot.pause()
            assert not isinstance(app.screen, LessonScreen)
        finally:
            release.set()
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.course_ready
        assert app.screen.lesson.id == "neuron" and app.screen.exercise.id == exercise_ids[0]
        kinds = [type(m) for m in messages if isinstance(m, (OutlineReady, CourseLoaded))]
        assert kinds == [OutlineReady, CourseLoaded]
        assert not app.errors, app.errors


async def test_a_broken_lesson_is_listed_with_its_problems_once_the_course_loads(
        make_tutor, course, messages) -> None:
    (course / "02-broken.md").write_text('+++\nid = "broken"\ntitle = "Broken"\norder = 2\n+++\n\n'
                                         '```toml exercise\nid = "x"\nkind = "nonsense"\n```\n')
    app = make_tutor()  # run by hand, not started_tutor: the test watches the start-up itself
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: app.course_ready)
        await app.workers.wait_for_complete()
        await pilot.pause()
        tree = app.screen.query_one("#outline")
        labels = [node.label.plain for node in tree.root.children]
        assert labels[-1] == "Lessons that did not load"
        broken = tree.root.children[-1].children[0]
        assert broken.label.plain == "✗ 02-broken.md"
        assert broken.children and all("02-broken.md" in leaf.label.plain for leaf in broken.children)
        assert not any(isinstance(node.data, HeaderSpot) for node in tree.root.children)
        detail = app.screen.query_one("#outline-detail").content.plain  # the full lesson's, not the header's
        assert "Loading the lesson" not in detail and "Enter opens it at the first exercise" in detail


async def test_with_the_outline_index_warm_the_first_frame_lists_the_lessons_before_the_progress_opens(
        make_tutor, course, messages, monkeypatch) -> None:
    """The index answers without reading a file, so the lessons are in the first
    frame; the progress store opens after it and the marks fill in then."""
    import os
    import time

    from tutor.course.listing import load_outline
    from tutor.progress.store import ProgressStore

    for path in course.glob("*.md"):  # saved a while ago, as an installed course is
        when = time.time_ns() - 60 * 10**9
        os.utime(path, ns=(when, when))
    headers = load_outline(course)  # the index, as the last session left it
    exercise_ids = headers[0].exercise_ids
    app = make_tutor()  # run by hand, not started_tutor: the test watches the start-up itself
    listed_when_opened: list[list[str]] = []
    real_open = ProgressStore.open

    def opening(path=None):
        tree = app.screen.query_one("#outline")
        listed_when_opened.append([node.label.plain for node in tree.root.children])
        return real_open(path)

    monkeypatch.setattr(ProgressStore, "open", opening)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: app.course_ready and app.store is not None)
        await app.workers.wait_for_complete()
        await pilot.pause()
        blank = " " * (len(exercise_ids) + 1)
        assert listed_when_opened == [[f"{blank} 1. One neuron"]]  # no marks yet, and nothing that moves
        kinds = [type(m) for m in messages if isinstance(m, (OutlineReady, CourseLoaded))]
        assert kinds == [OutlineReady, CourseLoaded]
        label = app.screen.query_one("#outline").root.children[0].label.plain
        assert label.startswith("○" * len(exercise_ids)) and f"0/{len(exercise_ids)}" in label
        assert not app.errors, app.errors
