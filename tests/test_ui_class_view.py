"""`nntutor class`, the live view: the report of a scripted class on screen,
and a learner's new attempt showing up after a refresh."""

from __future__ import annotations

from classkit import NO_BIAS, SIGMOID, WEIGHTED, learner_store, script_class
from textual.widgets import DataTable, Static
from uikit import screen_text, widget_text

from tutor.ui.class_view import ClassView


async def shown(app, pilot) -> None:
    for _ in range(200):
        if app.report is not None:
            break
        await pilot.pause(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_view_shows_the_class_table_and_where_it_sticks(tmp_path):
    data = script_class(tmp_path / "class")
    app = ClassView(data, every_s=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(app, pilot)
        table = app.query_one("#class-table", DataTable)
        assert [str(column.label) for column in table.columns.values()] == ["learner", "now at", WEIGHTED, "neuron/forward", SIGMOID]
        assert table.get_row("ada") == ["ada", "sigmoid/derivative", "✓ 2 h1 0:45", "·", "✓ 1 1:00"]
        assert table.get_row("bob") == ["bob", "-", "✗ 3 h2 0:25*", "✗ 1 2:05", "·"]
        assert table.row_count == 4
        summaries = widget_text(app.query_one("#class-summaries", Static))
        assert f"{WEIGHTED}: 1 of 2 passed (50%), 5 attempts" in summaries
        assert f"3 x (2 learners): {NO_BIAS}" in summaries
        assert "4 learners, 3 exercises tried" in screen_text(app)


async def test_a_new_attempt_appears_after_a_refresh_and_the_cursor_stays(tmp_path):
    data = script_class(tmp_path / "class")
    app = ClassView(data, every_s=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(app, pilot)
        table = app.query_one("#class-table", DataTable)
        table.focus()
        await pilot.press("down", "right", "right")  # bob, weighted-sum
        assert table.cursor_coordinate == (1, 2)
        bob = learner_store(data, "bob")  # bob's tutor records a right answer meanwhile
        bob.record_attempt(WEIGHTED, "5", True, duration_s=20.0)
        bob.save()
        bob.close()
        assert table.get_row("bob")[2] == "✗ 3 h2 0:25*"  # nothing until the view refreshes
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.get_row("bob")[2] == "✓ 4 h2 0:45*"
        assert table.cursor_coordinate == (1, 2)
        assert f"{WEIGHTED}: 2 of 2 passed (100%), 6 attempts" in widget_text(app.query_one("#class-summaries", Static))


async def test_the_view_refreshes_by_itself(tmp_path):
    data = script_class(tmp_path / "class")
    app = ClassView(data, every_s=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(app, pilot)
        first = app.refreshed_at
        for _ in range(200):
            await pilot.pause(0.05)
            if app.refreshed_at != first:
                break
        assert app.refreshed_at != first


async def test_a_class_that_cannot_be_read_is_said_on_screen(tmp_path):
    app = ClassView(tmp_path / "gone", every_s=3600)  # the folder vanished after the command checked it
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.report is not None and app.report.learners == ()
        assert "0 learners" in screen_text(app)
