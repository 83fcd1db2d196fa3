"""Every place the tutor leans on Textual's private API, in one small module.

Textual keeps these names private, so an upgrade may change them without
notice. Each is wrapped here once, and tests/test_textual_private.py has a
test per entry that fails when Textual changes under it:

- `MessagePump._dispatch_message(message)`: GuardedHandlers wraps it so an
  exception in one of our handlers costs a notice, not the session.
- `App._handle_exception(error)`: ReportsFatalErrors runs `before_fatal_error`
  first, so what still ends the app is logged with the progress saved.
- `textual._time.get_time()`: the clock Key events are stamped with
  (`event.time`), which the app's key fence compares against.
- `TextArea._on_key(event)`: KeysFirst lets the code editor take Enter, Tab,
  Backspace and Esc before TextArea does (there is no public hook for that).
- `Widget._on_key(event)` and `DOMNode._bindings`: BoundKeysInOrder runs a text
  field's own key bindings (End, arrows, Backspace in an Input...) as the key
  arrives, so keys typed fast are applied in the order they came.

No textual import at module level: the mixins work on whatever MessagePump
they are mixed into, and the clock is looked up when first asked for.
"""

from __future__ import annotations

from typing import Any


def event_clock() -> float:
    """Now, on the clock Textual stamps events with (`events.Key(...).time`)."""
    from textual._time import get_time

    return get_time()


class GuardedHandlers:
    """Mixin for a Textual MessagePump (the app, a screen, a widget): an exception
    from one of its message handlers is reported through `app.report_error`
    instead of ending the app and stopping this node's message loop."""

    async def _dispatch_message(self, message: Any) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:
            report = getattr(self.app, "report_error", None)  # type: ignore[attr-defined]
            if report is None:
                raise
            report(error, where=f"{type(self).__name__} handling {type(message).__name__}")


class ReportsFatalErrors:
    """Mixin for the App: `before_fatal_error(error)` runs before Textual ends the
    app over an error it cannot survive (one while drawing, or at start-up)."""

    def before_fatal_error(self, error: Exception) -> None:
        """Override: log, save."""

    def _handle_exception(self, error: Exception) -> None:
        try:
            self.before_fatal_error(error)
        finally:
            super()._handle_exception(error)  # type: ignore[misc]


class BoundKeysInOrder:
    """Mixin for a text field (TextArea, Input): a key the field binds itself (End,
    Home, arrows, Backspace in an Input, Ctrl+K...) is acted on as it arrives.

    Textual handles a printable key or Enter in the field at once, but lets a bound
    key bubble up to the app before its action runs: keys that come fast (a quick
    typist, a chorded keyboard, tmux send-keys, a machine under load) are applied
    out of order. End then Enter put the new line before the cursor had moved to the
    end of the line (Textual issue #6605; its pull request #6631 does the same as
    this, inside Textual). Bindings with priority are the app's, checked before the
    key reaches the field, and stay so."""

    async def _on_key(self, event: Any) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):  # type: ignore[attr-defined]
            if not binding.priority and await self.app.run_action(binding.action, self):  # type: ignore[attr-defined]
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)  # type: ignore[misc]


class KeysFirst(BoundKeysInOrder):
    """Mixin for a TextArea: `key_first(event)` sees each key before TextArea's
    own handling; returning True means it was handled (TextArea never sees it).
    The editor's other bound keys then run in order (BoundKeysInOrder)."""

    def key_first(self, event: Any) -> bool:
        return False

    async def _on_key(self, event: Any) -> None:
        if self.key_first(event):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)  # type: ignore[misc]
