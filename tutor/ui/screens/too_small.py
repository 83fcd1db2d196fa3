"""Too small is said, not drawn.

Below MIN_WIDTH x MIN_HEIGHT the lesson screen cannot hold the prose, ten rows
of code and a verdict: prose breaks into four-letter columns and the answer
field ends up off screen, where keys would still type into it. So a notice
covers everything instead, naming the size the terminal has and the size it
needs, and goes away by itself when the terminal grows. Being a modal screen, it
also takes every key but Ctrl+Q: nothing types into a field out of sight.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor.ui.crash import GuardedHandlers

MIN_WIDTH, MIN_HEIGHT = 60, 20


def too_small(size: Size) -> bool:
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


def notice(size: Size) -> Text:
    return Text.assemble(
        ("The terminal is too small for nntutor.\n\n", "bold"),
        f"It is {size.width}x{size.height}; nntutor needs at least {MIN_WIDTH}x{MIN_HEIGHT}.\n",
        "Make the window larger (or the font smaller): the tutor comes back as it was.\n\n",
        ("Ctrl+Q quits; your progress is saved.", "dim"),
    )


class TooSmallScreen(GuardedHandlers, ModalScreen[None]):
    """The notice; it leaves as soon as the terminal is large enough."""

    def compose(self) -> ComposeResult:
        yield Static(notice(self.app.size), id="too-small")

    def on_resize(self, event) -> None:
        self.query_one("#too-small", Static).update(notice(event.size))

    def on_screen_resume(self) -> None:
        """Back on top (a screen opened over it was closed): still needed?"""
        if not too_small(self.app.size):
            self.dismiss(None)

    def on_screen_suspend(self) -> None:
        """A screen was opened over the notice while the terminal is still small:
        the notice goes on top again."""
        self.app.call_later(follow, self.app)


def follow(app: App, size: Size | None = None) -> None:
    """Show the notice when the terminal is too small, take it away when not
    (called on every resize of the app, with the new size)."""
    if not app.is_running or not app.screen_stack:
        return
    size = size or app.size
    small = too_small(size)
    on_top = isinstance(app.screen, TooSmallScreen)
    if small and not on_top:
        app.push_screen(TooSmallScreen())
    elif not small and on_top:
        app.pop_screen()
    elif small and on_top:
        app.screen.query_one("#too-small", Static).update(notice(size))
