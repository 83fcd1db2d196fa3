"""One test per private Textual name the tutor relies on (tutor/ui/textual_private.py):
each fails when an upgrade of Textual changes what the tutor leans on."""

from __future__ import annotations

import inspect

from textual import events
from textual.app import App, ComposeResult
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Input, Static, TextArea

from tutor.ui.textual_private import BoundKeysInOrder, GuardedHandlers, KeysFirst, ReportsFatalErrors, event_clock


def test_message_pump_dispatches_through_dispatch_message():
    assert inspect.iscoroutinefunction(MessagePump._dispatch_message)
    assert list(inspect.signature(MessagePump._dispatch_message).parameters) == ["self", "message"]


class Boom(Message):
    pass


class Guarded(GuardedHandlers, Static):
    def on_boom(self, message: Boom) -> None:
        raise ValueError("in a handler")


class GuardedApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.reported: list[str] = []

    def report_error(self, error: BaseException, where: str = "") -> None:
        self.reported.append(f"{where}: {error}")

    def compose(self) -> ComposeResult:
        yield Guarded(id="guarded")


async def test_guarded_handlers_turn_a_handler_error_into_a_report_and_the_app_runs_on():
    app = GuardedApp()
    async with app.run_test() as pilot:
        app.query_one(Guarded).post_message(Boom())
        await pilot.pause()
        assert app.reported == ["Guarded handling Boom: in a handler"]
        assert app.is_running


class FatalApp(ReportsFatalErrors, App):
    seen: list[str] = []

    def before_fatal_error(self, error: Exception) -> None:
        self.seen.append(str(error))

    def on_mount(self) -> None:
        self.set_timer(0.01, self.explode)

    def explode(self) -> None:  # a timer's callback runs outside any message handler
        raise ZeroDivisionError("in a timer")


async def test_handle_exception_is_where_a_fatal_error_goes():
    assert list(inspect.signature(App._handle_exception).parameters) == ["self", "error"]
    app = FatalApp()
    try:
        async with app.run_test() as pilot:
            await pilot.pause(0.2)
    except ZeroDivisionError:
        pass
    assert FatalApp.seen == ["in a timer"] and app.return_code == 1


def test_key_events_are_stamped_with_the_private_clock():
    before = event_clock()
    key = events.Key("a", "a")
    after = event_clock()
    assert before <= key.time <= after


class Editor(KeysFirst, TextArea):
    def key_first(self, event) -> bool:
        if event.key == "enter":
            self.insert("<enter>")
            return True
        return False


class EditorApp(App):
    def compose(self) -> ComposeResult:
        yield Editor()


async def test_text_area_takes_keys_in_on_key_and_keys_first_comes_before_it():
    assert inspect.iscoroutinefunction(TextArea._on_key)
    app = EditorApp()
    async with app.run_test() as pilot:
        app.query_one(Editor).focus()
        await pilot.press("x", "enter", "y")
        assert app.query_one(Editor).text == "x<enter>y"  # no newline: TextArea never saw the Enter


class KeyedArea(KeysFirst, TextArea):
    pass


class KeyedInput(BoundKeysInOrder, Input):
    pass


class FieldsApp(App):
    def compose(self) -> ComposeResult:
        yield KeyedArea("first line\nsecond", id="area")
        yield KeyedInput(id="field")


async def test_a_fields_own_bound_keys_act_in_the_order_they_came():
    """Keys posted without waiting, as a fast typist or tmux sends them: End then
    Enter splits at the end of the line, not at its start; Backspace between two
    letters deletes the first of them. Without BoundKeysInOrder, Textual runs End
    and Backspace after they bubbled to the app, behind the keys that followed."""
    app = FieldsApp()
    async with app.run_test() as pilot:
        area = app.query_one(KeyedArea)
        area.focus()
        await pilot.pause()
        for key in ("end", "enter", "x"):
            app.post_message(events.Key(key, "x" if key == "x" else None))
        await pilot.pause()
        assert area.text == "first line\nx\nsecond"
        field = app.query_one(KeyedInput)
        field.focus()
        await pilot.pause()
        for key in ("b", "a", "backspace", "c"):
            app.post_message(events.Key(key, None if key == "backspace" else key))
        await pilot.pause()
        assert field.value == "bc"
        # what the mixin leans on: the field's own bindings, by key
        assert any(binding.action == "cursor_line_end" for binding in area._bindings.key_to_bindings["end"])
