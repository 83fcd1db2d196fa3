"""The engine's version: the reference engine's code for what the learner just built.

Opened with F8 from a lesson once one of its exercises is passed. It shows
the files the lesson's front matter links (``engine_files``), one at a time,
read-only and scrollable, with Python highlighting and long lines wrapped (so
nothing is cut at 80 columns); F8 again goes to the next file, Shift+F8 back,
Esc closes. The text comes from tutor.course.engine_files, which
serves only files on the engine's reading path.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from tutor.course.engine_files import engine_file_text
from tutor.ui import styles
from tutor.ui.crash import GuardedHandlers


class EngineCodeScreen(GuardedHandlers, ModalScreen[None]):
    """Read-only views of engine files, one shown at a time."""

    CSS_PATH = styles.SCREENS
    BINDINGS = [
        Binding("f8", "next_file", "Next file"),
        Binding("shift+f8", "next_file(-1)", "Previous file", show=False),
        Binding("escape,q", "app.pop_screen", "Close"),
    ]

    def __init__(self, lesson_title: str, files: tuple[str, ...]) -> None:
        super().__init__()
        self.lesson_title = lesson_title
        self.files = files
        self.index = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_file":
            return len(self.files) > 1
        return True

    def compose(self) -> ComposeResult:
        with Vertical(id="engine-code"):
            yield Static(id="engine-code-title")
            yield TextArea.code_editor("", language="python", read_only=True, id="engine-code-text",
                                       show_line_numbers=True, soft_wrap=True)  # nothing cut at 80 columns
        yield Footer()

    def on_mount(self) -> None:
        self.show_file(0)

    def show_file(self, index: int) -> None:
        """Show file number `index` from the top, and say which of the lesson's files it is."""
        self.index = index % len(self.files)
        name = self.files[self.index]
        try:
            text = engine_file_text(name)
        except (OSError, ValueError) as error:
            text = f"# engine/{name} cannot be shown: {error}"
        title = Text.assemble(("The engine's version", "bold"), f" of {self.lesson_title}: ")
        for position, other in enumerate(self.files):
            title.append(f"engine/{other}", style="bold reverse" if position == self.index else "dim")
            title.append("  ")
        if len(self.files) > 1:
            title.append("(F8: next file)", style="dim")
        self.query_one("#engine-code-title", Static).update(title)
        area = self.query_one("#engine-code-text", TextArea)
        area.load_text(text)
        area.move_cursor((0, 0))
        area.scroll_home(animate=False)
        area.focus()

    def action_next_file(self, step: int = 1) -> None:
        self.show_file(self.index + step)
