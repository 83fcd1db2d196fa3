"""A Rich renderable that Textual draws once per width, not once per question.

Textual wraps a Rich renderable (a verdict: headline, case tables, printed
output) in a visual that renders the whole thing every time it is asked
something: its height for the layout (twice when its container's height is
auto), then its lines for the paint. For a verdict with tables that is most of
the time between "the verdict arrived" and "the verdict is on screen". This
visual renders the lines once for each width asked (a few are kept) and answers
the height and the paint from them; the widget's own style is laid over each segment at paint time, as
Textual does, so the result is the same cells.

`rich_renderable` keeps the original for anything that prints it (a test that
reads what a panel says, an export).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from textual.render import measure
from textual.strip import Strip
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.style import Style
    from textual.visual import RenderOptions
    from textual.widget import Widget


class RenderedOnce(Visual):
    """`renderable` as the `widget` (a Static) shows it, rendered once per width."""

    def __init__(self, widget: Widget, renderable: RenderableType) -> None:
        self.widget = widget
        self.rich_renderable = renderable
        self._by_width: dict[int, tuple[list[list[Segment]], int]] = {}  # width: (lines, height)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.rich_renderable

    def _render(self, width: int) -> tuple[list[list[Segment]], int]:
        """The lines and the height at `width`. A few widths are kept: the layout
        asks at one width, then one column narrower once a scrollbar appears,
        and sometimes back again."""
        if width not in self._by_width:
            if len(self._by_width) >= 4:
                self._by_width.clear()
            app = self.widget.app
            options = app.console_options.update_width(width).update(highlight=False)
            segments = list(app.console.render(self.rich_renderable, options))
            height = sum(text.count("\n") for text, _, _ in segments)  # as Textual counts it
            lines = list(Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=False))
            self._by_width[width] = (lines, height)
        return self._by_width[width]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return measure(self.widget.app.console, self.rich_renderable, container_width,
                       container_width=container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._render(width)[1]

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        base = style.rich_style
        link = self.widget.link_style if self.widget.auto_links else None
        strips = []
        for line in self._render(width)[0][:height]:
            if base:  # the widget's style under each segment's own
                line = [Segment(text, base + segment_style, None) for text, segment_style, _ in line]
            if link:  # and a link's hover style, where the text is a link
                line = [Segment(text, segment_style if segment_style._meta is None or "@click" not in segment_style.meta
                                else segment_style + link, control)
                        for text, segment_style, control in line if segment_style is not None]
            strips.append(Strip(line))
        return strips
