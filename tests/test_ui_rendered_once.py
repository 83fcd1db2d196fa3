"""A verdict drawn once per width (tutor.ui.rendered_once) shows the very same
cells as Textual drawing the renderable itself: text, colours and the panel's
own style, at the panel's width, and again after a resize."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Static

from tutor.checking.verdict import CaseReport, Verdict
from tutor.ui.rendered_once import RenderedOnce
from tutor.ui.widgets.feedback import render_verdict

VERDICT = Verdict("fail", "Your sigmoid overflows at z = -1000: e^1000 is too big for a float. Only take e "
                  "to a power that is zero or negative.",
                  cases=(CaseReport("probe 1 of 9", "z = -1000", "0", "raised FloatingPointError: overflow",
                                    traceback=("line 4, in sigmoid: return 1.0 / (1.0 + np.exp(-z))",),
                                    output="big\n"),
                         CaseReport("case 2 of 9", "z = [0, 1]", "[0.5, 0.731]", "[0.5, 0.7]",
                                    detail="first difference at [1]")),
                  output="big\n", values={"failing": 2, "total": 9})


class Panels(App):
    CSS = "Static { border-left: thick red; padding-left: 1; color: $text-muted; }"

    def compose(self) -> ComposeResult:
        yield Static(render_verdict(VERDICT, compact=True), id="textual")
        yield Static(id="once")

    def on_mount(self) -> None:
        once = self.query_one("#once", Static)
        once.update(RenderedOnce(once, render_verdict(VERDICT, compact=True)))


def cells(widget: Static) -> list[list[tuple[str, object]]]:
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [[(segment.text, segment.style) for segment in strip] for strip in lines]


async def test_a_verdict_drawn_once_is_the_same_cells_as_textual_draws_it():
    app = Panels()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        textual, once = app.query_one("#textual", Static), app.query_one("#once", Static)
        assert once.size == textual.size and textual.size.height > 5
        assert cells(once) == cells(textual)
        await pilot.resize_terminal(50, 40)  # narrower: drawn again at the new width
        await pilot.pause()
        assert once.size == textual.size and cells(once) == cells(textual)


def test_what_prints_it_gets_the_renderable_itself():
    from rich.console import Console

    console = Console(width=120, record=True, file=open("/dev/null", "w"))
    console.print(RenderedOnce(None, render_verdict(VERDICT)))
    assert "Your sigmoid overflows" in console.export_text()


async def test_a_width_asked_again_is_not_rendered_again():
    """The layout asks at 76 columns, then at 75 once a scrollbar shows, and at
    times back at 76: each width is rendered once."""
    app = Panels()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        once = app.query_one("#once", Static)
        visual = once.visual
        assert isinstance(visual, RenderedOnce)
        rendered = []
        console_render = app.console.render
        app.console.render = lambda renderable, *args, **kwargs: (
            rendered.append(1) if renderable is visual.rich_renderable else None,
            console_render(renderable, *args, **kwargs))[1]
        try:
            heights = [visual.get_height(once.styles, width) for width in (76, 75, 76, 75, 76)]
        finally:
            app.console.render = console_render
        assert heights[0] == heights[2] == heights[4] and heights[1] == heights[3]
        assert len(rendered) <= 2  # 76 and 75 (none if the layout had asked for them already)
