"""A failing case as a small table a learner can read at a glance.

The checker reports a case's values as text, the way the learner would type
them (``{'dW1': [[0.000438568, 0.000497713], ...], 'db1': [...]}``). Printed as
is, a network's gradients are one dict wrapped over four lines. Here the text is
read back as the literal it is (`ast.literal_eval`: no code runs) and laid out
as aligned columns, expected beside yours, one row per named array and one line
per matrix row. Anything that does not read back (a sentence, "raised
ValueError: ...") is shown as the text it is.

Rich only, no Textual: the details view and the compact verdict both use it.
"""

from __future__ import annotations

import ast
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tutor.checking.verdict import CaseReport
from tutor.ui.widgets.plain import plain

_UNREADABLE = object()
DIFFERS = "bold red"


def read_value(text: str) -> Any:
    """The literal a value's text stands for, or _UNREADABLE."""
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _UNREADABLE


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _cell(value: Any) -> str:
    if value is Ellipsis:
        return "…"
    # the checker wrote as many digits as tell the values apart: the shortest
    # repr of the float read back is that same text
    return repr(value) if isinstance(value, str) else str(value)


def _rows(value: Any) -> list[list[Any]] | None:
    """A number, a vector or a matrix as rows of cells; None for anything else."""
    if _is_number(value) or value is Ellipsis:
        return [[value]]
    if isinstance(value, (list, tuple)) and all(_is_number(item) or item is Ellipsis for item in value):
        return [list(value)]
    if isinstance(value, (list, tuple)) and value and all(isinstance(row, (list, tuple)) or row is Ellipsis
                                                          for row in value):
        rows = [[Ellipsis] if row is Ellipsis else list(row) for row in value]
        if all(_is_number(item) or item is Ellipsis for row in rows for item in row):
            return rows
    return None


def array_block(value: Any, other: Any = _UNREADABLE, differs: str = DIFFERS) -> RenderableType:
    """Aligned columns for a number, vector or matrix; cells that differ from
    `other` at the same place are marked. Other values stay one line of text."""
    rows = _rows(value)
    if rows is None:
        return plain(str(value) if not isinstance(value, str) else repr(value))
    other_rows = _rows(other) if other is not _UNREADABLE else None
    grid = Table.grid(padding=(0, 1))
    width = max(len(row) for row in rows)
    for _ in range(width):
        grid.add_column(justify="right", no_wrap=True)
    for r, row in enumerate(rows):
        cells = []
        for c, item in enumerate(row):
            text = _cell(item)
            theirs = other_rows[r][c] if other_rows and r < len(other_rows) and c < len(other_rows[r]) else None
            style = differs if other_rows is not None and (theirs is None or _cell(theirs) != text) else ""
            cells.append(Text(text, style=style))
        grid.add_row(*cells)
    return grid


class VectorPair:
    """Two vectors, expected over yours, in aligned columns that wrap to the
    width there is (a 20-step loss list reads as rows of numbers, not as
    twenty cells squeezed to "0.2…")."""

    LABEL = 10

    def __init__(self, expected: list[Any], actual: list[Any]) -> None:
        self.expected = [_cell(item) for item in expected]
        self.actual = [_cell(item) for item in actual]

    def __rich_console__(self, console, options):
        count = max(len(self.expected), len(self.actual))
        cell = max(len(text) for text in self.expected + self.actual)
        index = len(f"[{count - 1}] ") if count > 1 else 0
        per_line = max(1, (options.max_width - self.LABEL - index) // (cell + 1))
        wraps = count > per_line
        for start in range(0, count, per_line):
            for label, cells, other in (("expected", self.expected, None), ("yours", self.actual, self.expected)):
                line = Text(f"[{start}]".ljust(index) if wraps and label == "expected" else " " * (index if wraps else 0),
                            style="dim")
                line.append(label.ljust(self.LABEL), style="dim")
                for at in range(start, min(start + per_line, count)):
                    text = cells[at] if at < len(cells) else ""
                    differs = other is not None and (at >= len(other) or other[at] != text)
                    line.append(text.rjust(cell) + " ", style=DIFFERS if differs else "")
                yield line

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        return Measurement(self.LABEL + 8, options.max_width)


def _vector(value: Any) -> list[Any] | None:
    rows = _rows(value)
    return rows[0] if rows is not None and len(rows) == 1 and isinstance(value, (list, tuple)) else None


def values_table(expected_text: str, actual_text: str) -> RenderableType:
    """Expected beside yours: one row per name for dicts, one row otherwise."""
    expected, actual = read_value(expected_text), read_value(actual_text)
    table = Table.grid(padding=(0, 3))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    table.add_column()
    if isinstance(expected, dict) and all(isinstance(key, str) for key in expected):
        table.add_row("", Text("expected", style="dim"), Text("yours", style="dim"))
        mine = actual if isinstance(actual, dict) else {}
        for name, value in expected.items():
            if name in mine:
                yours = array_block(mine[name], value)
            else:
                yours = Text("missing" if isinstance(actual, dict) else "", style=DIFFERS)
            table.add_row(name, array_block(value), yours)
        if not isinstance(actual, dict):
            table.add_row("yours", plain(actual_text), "")
        for name in mine:
            if name not in expected:
                table.add_row(name, Text("not expected", style="dim"), array_block(mine[name]))
        return table
    if _vector(expected) is not None and _vector(actual) is not None:
        return VectorPair(_vector(expected), _vector(actual))
    if expected is _UNREADABLE or actual is _UNREADABLE or _rows(expected) is None or _rows(actual) is None:
        table.add_row("expected", plain(expected_text), "")
        table.add_row("yours", Text(actual_text, style=DIFFERS) if actual_text != expected_text else plain(actual_text), "")
        return table
    table.add_row("expected", array_block(expected), "")
    table.add_row("yours", array_block(actual, expected), "")
    return table


def case_block(case: CaseReport, compact: bool = False) -> Group:
    """One case: what it was called with, expected beside yours, what differs.
    `compact`: the call on one line, cut short (the details view has it whole)."""
    call = Text.assemble((case.title, "bold"), ("  called with ", "dim"), plain(case.inputs))
    if compact:
        call.no_wrap, call.overflow = True, "ellipsis"
    parts: list[RenderableType] = [call, _indented(values_table(case.expected, case.actual))]
    if compact and _says_only_the_two_numbers(case):
        pass  # "expected 0.5, got 0" is the table again: the rows under the code are few
    elif case.detail:
        parts.append(plain("  " + case.detail, "italic"))
    for frame in case.traceback:
        parts.append(plain("    " + frame, "dim"))
    return Group(*parts)


def _says_only_the_two_numbers(case: CaseReport) -> bool:
    expected, actual = read_value(case.expected), read_value(case.actual)
    return _is_number(expected) and _is_number(actual) and case.detail.startswith("difference in the value")


def _indented(renderable: RenderableType) -> RenderableType:
    from rich.padding import Padding

    return Padding(renderable, (0, 0, 0, 2))
