"""An unexpected error in a handler or worker costs a notice and a crash log,
never the session (tutor.ui.crash)."""

from __future__ import annotations

from pathlib import Path

import pytest

from uikit import posted, started, widget_text
from tutor.ui import crash
from tutor.ui.messages import VerdictReady
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.widgets.feedback import FeedbackPanel


def error_notices(app) -> list[str]:
    return [n.message for n in app._notifications if n.message.startswith("Something went wrong")]


async def open_first_lesson(app, pilot) -> LessonScreen:
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, LessonScreen)
    return app.screen


async def test_an_error_in_a_key_handler_is_logged_and_the_session_goes_on(started_tutor, tmp_path: Path,
                                                                          monkeypatch):
    progress = tmp_path / "data" / "progress.json"  # a folder of its own: the crash log goes beside it

    def broken_hint(self) -> None:
        raise RuntimeError("hint table on fire")

    async with started_tutor(progress_path=progress) as (app, pilot):
        screen = await open_first_lesson(app, pilot)
        await pilot.press(*"7", "enter")  # a wrong answer, recorded before anything breaks
        await app.workers.wait_for_complete()
        monkeypatch.setattr(LessonScreen, "action_hint", broken_hint)
        await pilot.press("f2")
        await pilot.pause()
        assert app.is_running and app.screen is screen
        log = progress.parent / crash.CRASH_LOG_NAME
        assert error_notices(app) == [
            f"Something went wrong (RuntimeError: hint table on fire). Your progress is saved. Details: {log}"]
        text = log.read_text()
        assert "hint table on fire" in text and "Traceback" in text and "broken_hint" in text
        # the screen's message loop is alive: keys still move and answer
        monkeypatch.undo()
        await pilot.press("f2")
        await pilot.pause()
        assert widget_text(screen.query_one("#hints")).startswith("Hint 1/2")
        await pilot.press("ctrl+n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.exercise.id == "output"
    assert app.return_code in (None, 0)
    assert app.store.exercise("neuron/weighted-sum").attempts == 1


async def test_a_verdict_that_cannot_be_shown_is_reported_and_the_attempt_kept(started_tutor, messages, progress,
                                                                               monkeypatch):
    def broken_show(self, verdict, *args, **kwargs) -> None:
        raise ValueError("cannot lay out this verdict")

    monkeypatch.setattr(FeedbackPanel, "show_verdict", broken_show)
    async with started_tutor() as (app, pilot):
        screen = await open_first_lesson(app, pilot)
        await pilot.press(*"7", "enter")  # judged in a worker; shown back on the UI thread
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert error_notices(app) and "ValueError: cannot lay out this verdict" in error_notices(app)[0]
        assert "cannot lay out this verdict" in (progress.parent / crash.CRASH_LOG_NAME).read_text()
        assert app.store.exercise("neuron/weighted-sum").attempts == 1
        (verdict,) = posted(messages, VerdictReady)  # the verdict reached the screen, recorded before it
        assert verdict.attempt.progress.attempts == 1 and not verdict.attempt.verdict.passed
        monkeypatch.undo()
        await pilot.press("ctrl+a", "ctrl+k", "5", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert widget_text(screen.query_one("#feedback")).startswith("✓")


async def test_an_error_that_still_ends_the_app_is_logged_first(make_tutor, progress):
    app = make_tutor()  # run by hand, not started_tutor: the run ends in the error under test

    def broken_tick() -> None:  # a timer's callback runs outside any message handler
        raise ZeroDivisionError("in a timer")

    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(80, 24)) as pilot:
            await started(app, pilot)
            app.set_timer(0.01, broken_tick)
            await pilot.pause(0.3)
    assert app.return_code == 1 and app.crash_log == progress.parent / crash.CRASH_LOG_NAME
    assert "in a timer" in app.crash_log.read_text()


def test_the_crash_log_keeps_the_newest_entries_and_survives_an_unwritable_place(tmp_path: Path):
    log = tmp_path / "crash.log"
    for number in range(3):
        try:
            raise KeyError(f"entry {number}")
        except KeyError as error:
            assert crash.write_crash(log, error, where="test")
    text = log.read_text()
    assert text.count("==== ") == 3 and text.index("entry 0") < text.index("entry 2")
    log.write_text("x" * (crash.MAX_LOG_BYTES + 10))
    crash.write_crash(log, RuntimeError("newest"), where="test")
    text = log.read_text()
    assert len(text) == crash.MAX_LOG_BYTES and text.rstrip().endswith("RuntimeError: newest")
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert crash.write_crash(blocker / "sub" / "crash.log", RuntimeError("x")) is False
    assert crash.crash_log_path(tmp_path / "p.json") == tmp_path / "crash.log"
    assert crash.summary(ValueError("first line\nsecond")) == "ValueError: first line"
