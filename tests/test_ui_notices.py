"""Notices never cover what the learner is answering (issue 15, item 5): a toast
sits over the prose or the plot, and while the prose is folded away (F6), when
the code fills the screen, the notice takes the lesson bar's line instead."""

from __future__ import annotations

from textual.widgets import Static
from textual.widgets._toast import Toast

from uikit import widget_text

CODE = "neuron/implement"  # the test course's code exercise
LONG = ("Your draft's file cannot be written (No space left on device); it is kept in memory "
        "and written again on the next change.")


async def test_with_the_prose_folded_a_notice_takes_the_lesson_bar_not_the_code(started_tutor):
    async with started_tutor(notifications=True, at=CODE) as (app, pilot):
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert app.screen.prose_folded
        editor = app.screen.query_one("TextArea")
        app.notify(LONG, severity="error", timeout=0.6)
        await pilot.pause(0.2)
        assert list(app.screen.query(Toast)) == []
        bar = app.screen.query_one("#lesson-bar", Static)
        assert " ".join(widget_text(bar).split()) == LONG  # all of it, on as many lines as it needs
        assert not bar.region.overlaps(editor.region) and editor.region.height >= 10
        await pilot.pause(0.8)  # the notice's time is up: the bar is the lesson's again
        assert widget_text(bar).strip().startswith("1. ")
        assert bar.region.height == 1


async def test_with_the_prose_shown_a_notice_is_a_toast_beside_the_code(started_tutor):
    async with started_tutor(notifications=True, at=CODE) as (app, pilot):
        await pilot.pause()
        assert not app.screen.prose_folded
        app.notify("Reloaded 01-neuron.md.", timeout=5)
        await pilot.pause(0.2)
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 1
        assert not toasts[0].region.overlaps(app.screen.query_one("#work").region)
