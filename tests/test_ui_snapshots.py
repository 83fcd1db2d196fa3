"""What the learner sees at 80x24: the outline, a lesson with its plot, the
feedback panel. Update with `pytest tests/test_ui_snapshots.py --snapshot-update`
after a deliberate change, and look at the report before committing."""

from __future__ import annotations

import pytest

from uikit import started

SIZE = (80, 24)


@pytest.fixture
def app(make_tutor):
    """The app snap_compare runs: conftest's tutor on the test course, not started yet."""
    return make_tutor()


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_outline(snap_compare, app):
    async def run_before(pilot) -> None:
        await started(pilot.app, pilot)
        await pilot.press("down")  # show the exercises of lesson 1
        await pilot.press("space")
        await pilot.press("up")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_lesson_with_plot(snap_compare, app):
    async def run_before(pilot) -> None:
        await started(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("0", ".", "9", "9", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_feedback_panel(snap_compare, app):
    async def run_before(pilot) -> None:
        await started(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("7", "enter")
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_failed_code_check(snap_compare, app):
    """The code and its verdict together: every line of the code, the headline,
    one case as a table (issue 9)."""
    async def run_before(pilot) -> None:
        await started(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+n", "ctrl+n")
        await settle(pilot)
        pilot.app.screen.query_one("#answer-code").cursor_blink = False  # a blink is not a change
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_details_view(snap_compare, app):
    async def run_before(pilot) -> None:
        await started(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+n", "ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_too_small_notice(snap_compare, app):
    async def run_before(pilot) -> None:
        await started(pilot.app, pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(50, 16), run_before=run_before)
