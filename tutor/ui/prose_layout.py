"""How a lesson's prose and its plot share the width of the screen.

A formula in lesson prose is a code block: it must not wrap (its columns line
up) and must never be cut. So the prose pane is made wide enough for its widest
code line when the plot keeps a readable width beside it; when it cannot, the
plot goes under the prose (both in one scroll); only when even the whole width
is too narrow do code lines wrap. Pure arithmetic on the Markdown source, so
the rule is tested without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PLOT_MIN_COLS = 30  # narrower, plotext's tick labels eat the curve
# columns around a code line in the prose pane: the pane's padding (1 + 1),
# the code block's padding (1 + 1) and the pane's scroll bar (2)
CODE_FRAME_COLS = 6

Mode = Literal["alone", "beside", "stacked"]


@dataclass(frozen=True)
class Arrangement:
    """`mode`: the prose alone, the plot beside it, or the plot under it.
    `prose_cols`: the prose pane's width when beside (else the whole width).
    `wrap_code`: code lines wrap, because no arrangement shows them whole."""

    mode: Mode
    prose_cols: int
    wrap_code: bool


def widest_code_line(markdown: str) -> int:
    """Cells of the longest line of any code block (fenced or indented): the
    lines a Markdown renderer does not wrap. (Tables shrink their columns and
    wrap inside their cells, so they fit any width.)"""
    from markdown_it import MarkdownIt
    from rich.cells import cell_len

    return max((cell_len(line) for token in MarkdownIt("gfm-like").parse(markdown)
                if token.type in ("fence", "code_block") for line in token.content.splitlines()),
               default=0)


def arrange(width: int, code_cols: int, has_plot: bool, rows_for_plot: bool = True) -> Arrangement:
    """Where the plot goes on a screen `width` columns wide, for prose whose
    widest code line is `code_cols` wide; `rows_for_plot` is False when the
    exercise's question and field leave the plot beside the prose too few rows
    (a code editor at 24 rows): then it goes under the prose too."""
    needed = code_cols + CODE_FRAME_COLS if code_cols else 0
    if not has_plot:
        return Arrangement("alone", width, needed > width)
    half = width - width // 2  # the prose's share when nothing is wide (as 1fr | 1fr)
    prose = max(half, needed)
    if width - prose >= PLOT_MIN_COLS and rows_for_plot:
        return Arrangement("beside", prose, False)
    return Arrangement("stacked", width, needed > width)
