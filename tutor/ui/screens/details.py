"""The verdict in full (F7 on a lesson): every failing case as a table, the
checker's details and everything the code printed, in a view that scrolls.

Under the code editor the verdict shows one case; this is the rest, one key
away, and one key back (Esc or F7 to where you were, F4 to the code).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tutor.checking.verdict import Verdict
from tutor.course.model import Exercise
from tutor.ui import styles
from tutor.ui.crash import GuardedHandlers
from tutor.ui.widgets.feedback import render_verdict


class DetailsScreen(GuardedHandlers, ModalScreen[None]):
    CSS_PATH = styles.SCREENS
    BINDINGS = [
        Binding("escape,f7,ctrl+d,q", "close", "Back"),
        Binding("f4,ctrl+l", "to_code", "Code"),
        Binding("pageup", "page(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Down", show=False),
        Binding("home", "edge(0)", show=False),
        Binding("end", "edge(1)", show=False),
    ]

    def __init__(self, exercise: Exercise, verdict: Verdict) -> None:
        super().__init__()
        self.exercise = exercise
        self.verdict = verdict

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="details"):
            yield Static(Text.assemble((f"{self.exercise.qualified_id}", "bold"), ("  the whole check", "dim")),
                         id="details-title")
            yield Static(render_verdict(self.verdict), id="details-verdict")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#details").focus()  # arrows and PgUp/PgDn scroll it

    def action_close(self) -> None:
        self.dismiss(None)

    def action_to_code(self) -> None:
        self.dismiss(None)
        action = getattr(self.app.screen, "action_to_code", None)
        if action is not None:
            action()

    def action_page(self, direction: int) -> None:
        view = self.query_one("#details")
        view.scroll_to(y=view.scroll_y + direction * max(1, view.size.height - 2), animate=False)

    def action_edge(self, end: int) -> None:
        view = self.query_one("#details")
        (view.scroll_end if end else view.scroll_home)(animate=False)
