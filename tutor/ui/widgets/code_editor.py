"""The code editor: a TextArea that indents like a Python editor.

A learner fighting the editor over whitespace is not learning NumPy, so the
keys do what every code editor does: Enter keeps the indentation (one level
more after a colon, one less after `return`), Tab and Shift+Tab indent and
dedent the selected lines (or the current one), Backspace in the leading
whitespace goes back to the previous indent stop. Lines wrap instead of
scrolling sideways, the border shows where the cursor is, and the cursor's line
stays in view when the editor shrinks under a verdict.

Esc does not type and does not go straight to the outline: it leaves the
editor (the screen decides where the focus goes), so a second Esc means what
the footer says.
"""

from __future__ import annotations

import dataclasses

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from tutor.ui.crash import GuardedHandlers
from tutor.ui.textual_private import KeysFirst

# a line starting with one of these ends its block: the next line goes one level back
BLOCK_ENDERS = ("return", "pass", "break", "continue", "raise")


def leading_spaces(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def previous_stop(column: int, width: int) -> int:
    """The indent stop before `column` (4 -> 0, 6 -> 4, 8 -> 4 with width 4)."""
    return max(0, column - (column % width or width))


def indented(line: str, width: int) -> str:
    """One level more; a blank line stays blank (no trailing spaces)."""
    return " " * width + line if line.strip() else line


def dedented(line: str, width: int) -> str:
    """Back to the previous indent stop, never into the text."""
    spaces = leading_spaces(line)
    if not spaces:
        return line
    return line[spaces - previous_stop(spaces, width):]


def next_line_indent(line_before_cursor: str, width: int) -> str:
    """The indentation Enter gives the new line."""
    spaces = leading_spaces(line_before_cursor)
    code = line_before_cursor.strip()
    if code.endswith(":"):
        return " " * (spaces + width)
    if code.split("(")[0].split(" ")[0] in BLOCK_ENDERS:
        return " " * previous_stop(spaces, width)
    return " " * spaces


def _without_keys(bindings, keys: set[str]) -> list[Binding]:
    kept = []
    for binding in bindings:
        binding = binding if isinstance(binding, Binding) else Binding(*binding)
        left = [key for key in binding.key.split(",") if key.strip() not in keys]
        if left:
            kept.append(dataclasses.replace(binding, key=",".join(left)))
    return kept


class PythonEditor(GuardedHandlers, KeysFirst, TextArea, inherit_bindings=False):
    """The editor of a code exercise (see the module docstring for its keys)."""

    # TextArea's own F6 (select line), F7 (select all) and Ctrl+D (delete) would
    # shadow the lesson's F6 (fold the text) and F7/Ctrl+D (details): those keys are
    # the lesson's (Delete still deletes)
    BINDINGS = [binding for binding in _without_keys(TextArea.BINDINGS, {"f6", "f7", "ctrl+d"})]

    class Escaped(Message):
        """Esc was pressed in the editor: the screen moves the focus out of it."""

    class Typing(Message):
        """The learner typed into the code (not a draft loaded into it)."""

    def on_mount(self) -> None:
        self._show_position()

    def on_resize(self) -> None:
        """A verdict took rows from the editor (or gave them back): the line being
        edited stays in view, so a key never types into a line out of sight."""
        self.call_after_refresh(self.scroll_cursor_visible)

    def key_first(self, event) -> bool:
        """(KeysFirst: before TextArea's own key handling.)"""
        if self.read_only:
            return False
        if event.is_printable or event.key in ("enter", "tab", "shift+tab", "backspace"):
            self.post_message(self.Typing())
        handler = {"enter": self._newline, "tab": self._indent, "shift+tab": self._dedent,
                   "backspace": self._backspace, "escape": self._escape}.get(event.key)
        return handler is not None and bool(handler())

    # -- the keys ------------------------------------------------------------------

    def _newline(self) -> bool:
        row, column = self.cursor_location
        before = self.document.get_line(row)[:column]
        start, end = self.selection
        self.replace("\n" + next_line_indent(before, self.indent_width), start, end,
                     maintain_selection_offset=False)
        return True

    def _indent(self) -> bool:
        if self.selection.is_empty:
            return False  # TextArea inserts spaces up to the next tab stop
        self._shift_lines(lambda line: indented(line, self.indent_width))
        return True

    def _dedent(self) -> bool:
        self._shift_lines(lambda line: dedented(line, self.indent_width))
        return True

    def _backspace(self) -> bool:
        if not self.selection.is_empty:
            return False
        row, column = self.cursor_location
        before = self.document.get_line(row)[:column]
        if column == 0 or before.strip(" "):
            return False  # not in the leading whitespace: one character, as usual
        self.delete((row, previous_stop(column, self.indent_width)), (row, column),
                    maintain_selection_offset=False)
        return True

    def _escape(self) -> bool:
        self.post_message(self.Escaped())
        return True

    def _shift_lines(self, change) -> None:
        """Apply `change` to every line the selection touches, as one undoable edit,
        and keep the same text selected."""
        anchor, cursor = self.selection
        first, last = sorted((anchor[0], cursor[0]))
        if last > first and max(anchor, cursor)[1] == 0:
            last -= 1  # a selection ending at the start of a line does not include it
        old = [self.document.get_line(row) for row in range(first, last + 1)]
        new = [change(line) for line in old]
        if new == old:
            return
        self.replace("\n".join(new), (first, 0), (last, len(old[-1])), maintain_selection_offset=False)

        def moved(location: tuple[int, int]) -> tuple[int, int]:
            row, column = location
            if not first <= row <= last or column == 0:
                return location
            delta = len(new[row - first]) - len(old[row - first])
            return row, max(0, column + delta)

        self.selection = type(self.selection)(moved(anchor), moved(cursor))

    # -- where the cursor is -----------------------------------------------------------

    @on(TextArea.SelectionChanged)
    def _moved(self) -> None:
        self._show_position()

    def _show_position(self) -> None:
        row, column = self.cursor_location
        self.border_subtitle = f"Ln {row + 1}, Col {column + 1}"


def python_editor(text: str, signature: str = "") -> PythonEditor:
    """Python highlighting when tree-sitter-python is there; plain editing otherwise.
    Lines wrap: a long line never scrolls the start of the code out of view."""
    try:
        editor = PythonEditor.code_editor(text, language="python", id="answer-code", theme="css", soft_wrap=True)
    except Exception:  # a missing grammar must not cost the learner the editor
        editor = PythonEditor.code_editor(text, id="answer-code", soft_wrap=True)
    editor.border_title = signature
    return editor
