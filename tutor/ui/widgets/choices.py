"""A radio button whose label wraps: a long option's end may be what tells it
apart from the others, so it is never cut at the edge of the screen."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widgets import RadioButton

BUTTON_COLS = 4  # "▐●▌" and a space; wrapped lines are indented as far


class WrappingRadioButton(RadioButton):
    """Textual's RadioButton is always one row high (its label cut with "…");
    this one wraps its label under itself, as many rows as it needs."""

    def _label_lines(self, width: int) -> list[Content]:
        return self._label.wrap(max(1, width - BUTTON_COLS)) or [Content("")]

    def render(self) -> Content:
        label_style = self.get_visual_style("toggle--label")
        lines = self._label_lines(self.content_size.width or self.size.width)
        rows = [Content.assemble(self._button, " ", lines[0].stylize_before(label_style))]
        rows += [Content.assemble(" " * BUTTON_COLS, line.stylize_before(label_style)) for line in lines[1:]]
        return Content("\n").join(rows)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._label_lines(width))
