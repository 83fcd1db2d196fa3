"""The help screen (? or F1): every key, grouped by where it works."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor.ui import styles
from tutor.ui.crash import GuardedHandlers

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Everywhere", [
        ("F1, or ?", "this help (? outside a text field: in an answer or the editor it is a ?)"),
        ("Ctrl+P", "command palette: go to lesson, reset exercise, toggle theme…"),
        ("Ctrl+Q", "quit (your progress is saved as you go)"),
    ]),
    ("Course outline", [
        ("↑ ↓, Enter", "move, open a lesson or exercise (skipping ahead is fine)"),
        ("Space", "fold or unfold a lesson"),
        ("c", "continue where you left off"),
        ("p", "neuron playground"),
        ("q", "quit"),
    ]),
    ("Lesson", [
        ("Enter / Ctrl+S", "submit (Enter in one-line fields; Ctrl+S anywhere)"),
        ("F2 or Ctrl+T", "next hint"),
        ("F3 or Ctrl+O", "reference solution (after passing, or 3 attempts)"),
        ("F4 or Ctrl+L", "back to your code (or the answer field), from anywhere"),
        ("F5 or Ctrl+G", "run this plot's training again (it starts by itself)"),
        ("F6 or Ctrl+F", "code exercises: fold the lesson text away, or bring it back"),
        ("F7 or Ctrl+D", "the whole verdict: every failing case, all your code printed"),
        ("Ctrl+E", "code exercises: your draft in $VISUAL or $EDITOR; checked when the editor exits"),
        ("F8", "the engine's version: the engine's code for this lesson (after a pass; F8 again: next file)"),
        ("1-9", "pick that option of a multiple-choice question"),
        ("F9", "the neuron playground, on lesson 9 (logic gates), which it illustrates"),
        ("Ctrl+N / Ctrl+B", "next / previous exercise (after a lesson's last one: its closing page)"),
        ("Ctrl+R", "reset this exercise to its starter"),
        ("PgUp / PgDn", "scroll the lesson text (Ctrl+↑ / Ctrl+↓ in the code editor)"),
        ("Tab / Shift+Tab", "move between prose, answer and feedback (in the code editor: indent)"),
        ("Esc", "stop a training run, else back to the outline (in the code editor: leave it first)"),
    ]),
    ("Code editor", [
        ("Tab / Shift+Tab", "indent / dedent the current line, or every selected line"),
        ("Backspace", "in the indentation: back to the previous indent stop"),
        ("Enter", "keeps the indentation; one level more after a colon, one less after return"),
        ("Shift+arrows", "select; Ctrl+Z / Ctrl+Y undo and redo"),
        ("Esc", "leave the editor (a running training stops); F4 comes back"),
    ]),
    ("Playground", [
        ("↑ ↓", "pick a weight or the bias"),
        ("← →", "change it by 1 (] and [ by 10; Shift+← → or . and , by 0.1)"),
        ("g", "next gate: AND, OR, XOR"),
        ("Esc", "back"),
    ]),
]


def keys_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section, rows in KEYS:
        table.add_row(Text(section, style="bold underline"), "")
        for key, meaning in rows:
            table.add_row(key, meaning)
        table.add_row("", "")
    return table


class HelpScreen(GuardedHandlers, ModalScreen[None]):
    CSS_PATH = styles.SCREENS
    BINDINGS = [Binding("escape,q,f1,question_mark", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("nntutor: keys", style="bold"), id="help-title")
            yield Static(keys_table())
            workspace = getattr(self.app, "workspace_path", None)
            if workspace is not None:
                yield Static(Text.assemble(("Your code drafts: ", "bold"), f"{workspace}/LESSON/EXERCISE.py\n",
                                           "Save one in any editor, in any terminal, and it is checked here "
                                           "(`--workspace DIR` puts them elsewhere)."), id="help-workspace")
            yield Static(Text("Esc closes this help.", style="dim"))
