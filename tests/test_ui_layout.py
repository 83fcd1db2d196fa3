"""Nothing the learner needs is cut: every exercise of the built-in course at
80x24 (and 60x20), its prose's formulas, its plot, its options.

The rule (tutor.ui.prose_layout) is tested as arithmetic; the screens are
walked with Pilot and measured: a code block that needs horizontal scrolling,
an option cut at the edge or a plot squeezed below a readable width fails."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import RadioButton
from textual.widgets._markdown import MarkdownFence

from uikit import no_blink, open_at, started, until
from tutor.course.loader import load_course
from tutor.ui.widgets.choices import BUTTON_COLS
from tutor.ui.prose_layout import CODE_FRAME_COLS, PLOT_MIN_COLS, arrange, widest_code_line


def test_widest_code_line_counts_code_blocks_not_prose_or_tables():
    markdown = ("A paragraph far longer than any code line in this small piece of Markdown text.\n\n"
                "    indented = code(block)\n\n```\nfenced = 12345\n```\n\n"
                "| a table row can be wide, it wraps in its cells | x |\n|---|---|\n| 1 | 2 |\n")
    assert widest_code_line(markdown) == len("indented = code(block)")
    assert widest_code_line("Only prose.") == 0


def test_the_prose_widens_for_its_formula_while_the_plot_keeps_its_width():
    assert arrange(80, 0, True).mode == "beside" and arrange(80, 0, True).prose_cols == 40
    formula = len("sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))")
    beside = arrange(80, formula, True)
    assert beside.mode == "beside" and beside.prose_cols == formula + CODE_FRAME_COLS
    assert 80 - beside.prose_cols >= PLOT_MIN_COLS


def test_a_formula_too_wide_to_sit_beside_the_plot_puts_the_plot_under_the_prose():
    wide = arrange(80, len("dw = X.T @ error / n      (features, examples) @ (examples,)"), True)
    assert wide.mode == "stacked" and not wide.wrap_code
    assert arrange(120, 60, True).mode == "beside"  # a wider screen has room for both
    alone = arrange(60, 65, False)
    assert alone.mode == "alone" and alone.wrap_code  # no arrangement fits it: it wraps


def clipped(app) -> list[str]:
    """What the screen cuts off: code lines that scroll sideways (invisibly),
    options cut at the edge, a plot squeezed narrower than readable."""
    screen = app.screen
    found = []
    for fence in screen.query_one("#top").query(MarkdownFence):
        if fence.max_scroll_x > 0:
            found.append(f"code block cut by {fence.max_scroll_x} columns: {fence.code.splitlines()[0]!r}")
    for pane in (screen.query_one("#top"), screen.query_one("#prose")):
        if pane.max_scroll_x > 0:
            found.append(f"#{pane.id} scrolls sideways by {pane.max_scroll_x}")
    for button in screen.query(RadioButton):
        label, width = str(button.label), button.content_size.width
        lines = [strip.text.rstrip() for strip in button.render_lines(button.region.reset_offset)]
        shown = " ".join(line[BUTTON_COLS:].strip() for line in lines)
        if shown != label or any(cell_len(line) > width for line in lines):
            found.append(f"option cut: {label!r} shows as {lines!r}")
    if screen.chart is not None and screen.chart.size.width < PLOT_MIN_COLS:
        found.append(f"plot only {screen.chart.size.width} columns wide")
    return found


def footer_cut(app) -> list[str]:
    """Footer keys that do not fit whole on the screen's one footer row: past its
    right edge, or under the command palette's key docked there."""
    from textual.widgets._footer import FooterKey

    keys = list(app.screen.query(FooterKey))
    assert keys, "no footer"
    palette = [key for key in keys if key.has_class("-command-palette")]
    edge = palette[0].region.x if palette else app.size.width
    return [f"{key.key_display} {key.description} ends at {key.region.right} > {edge}"
            for key in keys if key.display and not key.has_class("-command-palette") and key.region.right > edge]


async def footer_drawn(app, pilot) -> None:
    """Wait out the footer's recompose (it empties and refills itself after a
    refresh when the bindings change): measure the keys, not the moment between."""
    from textual.widgets._footer import FooterKey

    await until(pilot, lambda: bool(app.screen.query(FooterKey)), timeout=10, message=lambda: "no footer")


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=lambda size: f"{size[0]}x{size[1]}")
async def test_no_exercise_of_the_course_cuts_its_prose_plot_or_options(size, builtin_tutor):
    course = load_course()
    problems = []
    async with builtin_tutor(size=size) as (app, pilot):
        for lesson in course.lessons:
            for exercise in lesson.exercises:
                await open_at(app, pilot, exercise.qualified_id)
                problems += [f"{exercise.qualified_id}: {problem}" for problem in clipped(app)]
                if size == (80, 24):
                    await footer_drawn(app, pilot)
                    problems += [f"{exercise.qualified_id} footer: {cut}" for cut in footer_cut(app)]
                if exercise.kind == "code" and size == (80, 24):
                    prompt = app.screen.query_one("#prompt")
                    work = app.screen.query_one("#work")
                    if not work.region.contains_region(prompt.region):
                        problems.append(f"{exercise.qualified_id}: the question is scrolled out of sight")
    assert problems == []


async def test_a_wide_formula_is_whole_with_the_plot_under_the_prose(builtin_tutor):
    async with builtin_tutor(at="logistic/gradient") as (app, pilot):
        screen = app.screen
        assert screen.has_class("-stacked")
        top, chart = screen.query_one("#top"), screen.chart
        prose = screen.query_one("#prose")
        assert chart.region.y >= prose.region.bottom or chart.region.height == 0  # under it, not beside
        assert chart.size.width >= 70
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down")  # read on: the plot scrolls into view
        await pilot.pause()
        assert top.scroll_y > 0


# -- what it looks like: snapshots at 80x24 (update with --snapshot-update after looking) --

def test_snapshot_max_slope_shows_its_whole_formula_and_question(snap_compare, make_tutor):
    async def run_before(pilot) -> None:
        await started(pilot.app, pilot)
        await open_at(pilot.app, pilot, "sigmoid/max-slope")
        no_blink(pilot.app)
        await pilot.pause(0.2)

    assert snap_compare(make_tutor(builtin=True), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_logistic_gradient_shows_its_whole_formula_and_question(snap_compare, make_tutor):
    async def run_before(pilot) -> None:
        await started(pilot.app, pilot)
        await open_at(pilot.app, pilot, "logistic/gradient")
        await pilot.press("ctrl+down")  # read on: the three slopes, whole
        no_blink(pilot.app)
        await pilot.pause(0.2)

    assert snap_compare(make_tutor(builtin=True), terminal_size=(80, 24), run_before=run_before)


async def test_every_screens_footer_fits_80_columns(builtin_tutor):
    from tutor.ui.screens.outline import OutlineScreen
    from tutor.ui.screens.playground import PlaygroundScreen

    async with builtin_tutor() as (app, pilot):
        await footer_drawn(app, pilot)
        assert isinstance(app.screen, OutlineScreen) and footer_cut(app) == []
        app.action_playground()
        await pilot.pause()
        await footer_drawn(app, pilot)
        assert isinstance(app.screen, PlaygroundScreen) and footer_cut(app) == []


@pytest.mark.parametrize("qualified_id", ["gradient-descent/learning-rate", "logistic/gradient",
                                          "tiny-network/why-hidden", "capstone/network"])
async def test_a_passed_exercises_footer_fits_80_columns(qualified_id, builtin_tutor):
    """After a pass more keys work (the solution, the engine's version): the
    footer still shows each key whole, and always the help, where all are."""
    from textual.widgets._footer import FooterKey

    async with builtin_tutor() as (app, pilot):
        app.store.record_attempt(f"{qualified_id}", "1", True)
        await open_at(app, pilot, qualified_id)
        await pilot.pause(0.2)
        await footer_drawn(app, pilot)
        assert footer_cut(app) == []
        shown = [key for key in app.screen.query(FooterKey) if key.display]
        assert "help" in [key.action for key in shown] and "next" in [key.action for key in shown]


async def test_the_footer_rebuilds_its_keys_only_when_they_change():
    """Textual's footer remounts every key on each refresh of the bindings (every
    verdict, every focus move); ours keeps them while they are the same."""
    from textual.app import App
    from textual.binding import Binding
    from textual.widgets._footer import FooterKey

    from tutor.ui.widgets.footer import FittingFooter

    class Keys(App):
        BINDINGS = [Binding("a", "one", "One"), Binding("b", "two", "Two")]
        two = True

        def compose(self):
            yield FittingFooter()

        def check_action(self, action, parameters):
            return self.two if action == "two" else True

    app = Keys()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        assert [key.action for key in keys][:2] == ["one", "two"]
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert all(now is before for now, before in zip(app.screen.query(FooterKey), keys, strict=True))
        app.two = False
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert "two" not in [key.action for key in app.screen.query(FooterKey)]
