"""Writing code in the tutor (issue 9): the code and its verdict on screen
together, a focus key that always brings the cursor back to the code, an editor
that indents like one, keys that do what the footer and help say, and a notice
instead of a broken layout when the terminal is too small."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input, RadioButton
from textual.widgets.text_area import Selection

from uikit import open_at, screen_text, spot_of, tap, until, widget_text
from tutor.ui.screens.details import DetailsScreen
from tutor.ui.screens.help import HelpScreen
from tutor.ui.screens.lesson import EDITOR_MIN_ROWS, LessonScreen
from tutor.ui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from tutor.ui.widgets.code_editor import PythonEditor

# a learner's first try at neuron/forward: the weighted sum, but no sigmoid
FORWARD_WITHOUT_SIGMOID = """\
import numpy as np

def neuron_output(inputs, weights, bias):
    z = np.dot(inputs, weights) + bias
    print("z is", z)
    return z
"""


# the same, printing at load and in every call: each case's line is its own
FORWARD_WITH_PRINTS = """\
import numpy as np
print("loading")

def neuron_output(inputs, weights, bias):
    z = np.dot(inputs, weights) + bias
    print("z is", z)
    return z
"""


async def settle(app, pilot) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


def editor_of(app) -> PythonEditor:
    return app.screen.query_one("#answer-code", PythonEditor)


def on_screen(app, line: str) -> bool:
    return any(line in row for row in screen_text(app).splitlines())


# -- code and verdict together ------------------------------------------------------

@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_after_a_failing_check_every_line_of_the_code_and_the_headline_are_on_screen(size, builtin_tutor):
    async with builtin_tutor(size=size, at="neuron/forward") as (app, pilot):
        screen = app.screen
        editor = editor_of(app)
        editor.load_text(FORWARD_WITHOUT_SIGMOID)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        headline = "Your function returns z, the weighted sum. Pass it through the sigmoid"
        text = widget_text(screen.query_one("#feedback"))
        assert text.startswith("✗ Not yet") and headline in text  # the course's [[wrong]] entry
        assert on_screen(app, "✗ Not yet: " + headline[:50])
        for line in FORWARD_WITHOUT_SIGMOID.splitlines():
            if line.strip():
                assert on_screen(app, line), f"{line!r} is not on screen:\n{screen_text(app)}"
        assert editor.size.height >= EDITOR_MIN_ROWS
        assert screen.max_scroll_y == 0  # the screen itself never scrolls
        # one case, compactly: expected beside yours, and what the code printed, labelled
        assert on_screen(app, "expected   0.993307")
        assert on_screen(app, "Case 1 printed:")
        assert not on_screen(app, "case 2 of")  # the others are in the details view
        assert "f7 Details" in screen_text(app)


async def test_the_line_being_edited_stays_in_view_when_the_verdict_takes_rows(builtin_tutor):
    """Code longer than the editor, the cursor on its last line: the failing
    verdict shrinks the editor, and the cursor's line is still drawn (found
    writing capstone/network in tmux: the editor showed lines 23-34, the
    cursor sat on line 40)."""
    code = FORWARD_WITHOUT_SIGMOID + "".join(f"# note {n}\n" for n in range(20)) + "x = 'the line I am on'"
    async with builtin_tutor(size=(80, 24), at="neuron/forward") as (app, pilot):
        editor = editor_of(app)
        editor.load_text(code)
        editor.move_cursor(editor.document.end)
        await pilot.pause()
        assert on_screen(app, "the line I am on")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert on_screen(app, "✗ Not yet")
        assert on_screen(app, "the line I am on"), screen_text(app)


async def test_the_details_view_shows_every_case_scrolls_and_returns(builtin_tutor):
    async with builtin_tutor(size=(80, 24), at="backprop/backward") as (app, pilot):
        screen = app.screen
        await pilot.press("ctrl+s")  # the starter's all-zero gradients
        await settle(app, pilot)
        # under the code: one case, the gradients as a table of names, expected beside yours
        compact = [line.rstrip() for line in widget_text(screen.query_one("#feedback")).splitlines()]
        assert "  dW1   0.000438568 0.000497713   0 0" in compact
        assert "        0.000877135 0.000995425   0 0" in compact  # a matrix row under a matrix row
        assert "  db1   0.00877135 0.00995425     0 0" in compact
        assert not any("{'dW1'" in row for row in compact)  # never the dict's repr
        assert on_screen(app, "✗ Not yet: Your gradient dW2 is wrong")
        await pilot.press("f7")
        await pilot.pause()
        details = app.screen
        assert isinstance(details, DetailsScreen)
        text = widget_text(details.query_one("#details-verdict"))
        for title in ("case 1 of", "case 2 of", "case 3 of"):
            assert title in text
        assert "Gradient check on case 1" in text
        view = details.query_one("#details")
        assert view.max_scroll_y > 0  # more than a screen: it scrolls
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.scroll_y > 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert app.focused is editor_of(app)  # back where the learner was


async def test_the_failing_case_shows_what_its_own_call_printed_and_the_details_view_has_every_case(builtin_tutor):
    async with builtin_tutor(size=(80, 24), at="neuron/forward") as (app, pilot):
        screen = app.screen
        editor_of(app).load_text(FORWARD_WITH_PRINTS)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        verdict = screen.verdict_here
        total = verdict.values["total"]
        assert verdict.cases[0].title.startswith("case 1 of")
        compact = [line.rstrip() for line in widget_text(screen.query_one("#feedback")).splitlines()]
        printed = compact.index("Case 1 printed:")
        assert compact[printed + 1] == "z is 5.0"  # case 1's own line (inputs 1, 0; weights 7, 3; bias -2)...
        assert not any("loading" in row or "z is" in row for row in compact[printed + 2:])  # ...and no other's
        assert not any("one run" in row for row in compact)
        assert on_screen(app, "Case 1 printed:") and on_screen(app, "z is 5.0")
        await pilot.press("ctrl+d")
        await pilot.pause()
        full = widget_text(app.screen.query_one("#details-verdict"))
        for case in verdict.cases:  # each case's lines under it...
            assert f"{case.label} printed:\n{case.output}" in full
        assert f"Your code printed (one run, all {total} cases in order):\nloading" in full  # ...and the whole run
        assert full.count("z is") == len(verdict.cases) + total


# -- focus ----------------------------------------------------------------------------

async def test_the_focus_key_returns_to_the_editor_from_prose_feedback_and_details(started_tutor):
    async with started_tutor(size=(80, 24), at="neuron/implement") as (app, pilot):  # sigmoid in code
        screen = app.screen
        editor = editor_of(app)
        assert app.focused is editor
        assert "f4 Code" not in screen_text(app)  # already in the code: no need to say
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        screen.query_one("#prose").focus()
        await pilot.pause()
        assert "f4 Code" in screen_text(app)  # the key is in the footer whenever it is needed
        await pilot.press("f4")
        assert app.focused is editor
        screen.query_one("#response").focus()  # the verdict, scrolled by arrows
        await pilot.pause()
        await pilot.press("ctrl+l")
        assert app.focused is editor
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen is screen and app.focused is editor
        await pilot.press("x")  # and it types into code the learner sees
        assert editor.text.startswith("x")
        assert on_screen(app, "1  ximport numpy as np")


async def test_f6_folds_the_prose_and_brings_it_back(started_tutor):
    async with started_tutor(size=(120, 40), at="neuron/implement") as (app, pilot):
        screen = app.screen
        assert on_screen(app, "Now in code.")
        rows = editor_of(app).size.height
        await pilot.press("f6")
        await pilot.pause()
        assert screen.prose_folded and not on_screen(app, "Now in code.")
        assert editor_of(app).size.height >= rows  # the code got the rows
        assert app.focused is editor_of(app)  # folding does not move the cursor
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert not screen.prose_folded and on_screen(app, "Now in code.")


async def test_esc_after_a_training_run_never_sends_a_key_into_the_code(monkeypatch, builtin_tutor):
    from engine.fast import step as training

    step = training._StepPlan.backward_and_update

    def slow_step(self, *args):  # keep the run going long enough to stop it
        time.sleep(0.002)
        return step(self, *args)

    monkeypatch.setattr(training._StepPlan, "backward_and_update", slow_step)
    async with builtin_tutor() as (app, pilot):
        app.open_spot(spot_of("backprop/train"))  # not at=: that waits for the run to end
        await until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.training)
        screen = app.screen
        editor = editor_of(app)
        before = editor.text
        assert app.focused is editor
        tap(app, "escape")  # stops the run...
        await until(pilot, lambda: not screen.training)
        await pilot.pause()
        assert app.focused is not editor  # ...and leaves the editor
        tap(app, "q")
        tap(app, "x")
        await pilot.pause(0.2)
        assert editor.text == before  # nothing typed into the code
        assert "f4 Code" in screen_text(app)
        tap(app, "escape")  # a second Esc: what the footer says, the outline
        await until(pilot, lambda: not isinstance(app.screen, LessonScreen))


async def test_question_mark_is_text_in_an_answer_field_and_help_outside(started_tutor):
    async with started_tutor(size=(80, 24)) as (app, pilot):
        await pilot.press("enter")  # the number exercise, its field focused
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert app.screen.query_one("#answer-input", Input).value == "?"
        assert not isinstance(app.screen, HelpScreen)
        app.screen.query_one("#prose").focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()

        await open_at(app, pilot, "neuron/implement")  # in the code editor it is a character too
        await pilot.press("question_mark")
        assert editor_of(app).text.startswith("?")
        await pilot.press("escape")  # out of the editor: now it is help
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = "\n".join(widget_text(static) for static in app.screen.query("Static"))
        assert "? outside a text field" in help_text and "F4 or Ctrl+L" in help_text


async def test_number_keys_pick_choices(started_tutor):
    async with started_tutor(size=(80, 24), at="neuron/bias-role") as (app, pilot):  # Nothing / Raises z by 1 / Doubles z
        assert on_screen(app, "1-3 or ↑ ↓ and Enter to choose")
        # the options are in this learner's order: the key is the number shown
        shown = {str(button.label).split(". ", 1)[1]: str(button.label).split(".")[0]
                 for button in app.screen.query(RadioButton)}
        await pilot.press(shown["Doubles z"])
        await settle(app, pilot)
        assert "The bias is added, not multiplied." in widget_text(app.screen.query_one("#feedback"))
        app.screen.query_one("#prose").focus()  # wherever the focus is
        await pilot.press(shown["Raises z by 1"])
        await settle(app, pilot)
        assert widget_text(app.screen.query_one("#feedback")).startswith("✓")
        assert app.store.exercise("neuron/bias-role").passed
        assert app.store.exercise("neuron/bias-role").answer == "Raises z by 1"
        await pilot.press("7")  # no option 7: nothing happens
        await settle(app, pilot)
        assert app.store.exercise("neuron/bias-role").attempts == 2


# -- the editor indents like one ---------------------------------------------------------

async def test_tab_and_shift_tab_indent_and_dedent_the_selected_lines(started_tutor):
    async with started_tutor(size=(80, 24), at="neuron/implement") as (app, pilot):
        editor = editor_of(app)
        editor.load_text("def f(x):\ny = x\n\nreturn y\n")
        editor.selection = Selection((1, 2), (3, 3))  # from inside line 2 to inside line 4
        await pilot.press("tab")
        assert editor.text == "def f(x):\n    y = x\n\n    return y\n"  # the blank line stays blank
        assert editor.selection == Selection((1, 6), (3, 7))  # the same text stays selected
        await pilot.press("shift+tab")
        assert editor.text == "def f(x):\ny = x\n\nreturn y\n"
        await pilot.press("tab", "tab")
        await pilot.press("shift+tab")
        assert editor.text == "def f(x):\n    y = x\n\n    return y\n"
        await pilot.press("ctrl+z")  # one edit per key: undo takes back one indent
        assert editor.text == "def f(x):\n        y = x\n\n        return y\n"

        editor.load_text("def f(x):\n      y = x\n")  # 6 spaces: dedent goes to the stop at 4
        editor.move_cursor((1, 8))
        await pilot.press("shift+tab")  # no selection: the current line
        assert editor.text == "def f(x):\n    y = x\n"
        assert editor.cursor_location == (1, 6)
        await pilot.press("tab")  # no selection: spaces to the next stop at the cursor
        assert editor.text == "def f(x):\n    y   = x\n"


async def test_backspace_in_the_indentation_goes_back_one_stop_and_enter_indents(started_tutor):
    async with started_tutor(size=(80, 24), at="neuron/implement") as (app, pilot):
        editor = editor_of(app)
        editor.load_text("")
        await pilot.press(*"def f(x):", "enter")
        assert editor.text == "def f(x):\n    "  # one level in after the colon
        await pilot.press(*"if x:", "enter")
        assert editor.text.endswith("if x:\n        ")
        await pilot.press("backspace")  # back to the previous stop, not one space
        assert editor.text.endswith("if x:\n    ")
        await pilot.press(*"return x", "enter")
        assert editor.text.endswith("    return x\n")  # the block ended: one level out
        await pilot.press(*"  y")
        await pilot.press("left", "left", "backspace")  # in text, not indentation: one character
        assert editor.text.endswith("\n y")
        assert editor.border_subtitle == f"Ln {editor.cursor_location[0] + 1}, Col 1"


async def test_long_lines_wrap_instead_of_scrolling_the_code_sideways(started_tutor):
    async with started_tutor(size=(80, 24), at="neuron/implement") as (app, pilot):
        editor = editor_of(app)
        long_line = "    def step(self, learning_rate): return [w - learning_rate * g for w, g in pairs]"
        editor.load_text("class Net:\n" + long_line + "\n")
        editor.move_cursor((1, len(long_line)))
        await pilot.pause()
        assert editor.scroll_x == 0
        assert on_screen(app, "2      def step(self")
        assert editor.border_subtitle == f"Ln 2, Col {len(long_line) + 1}"


# -- too small is said -------------------------------------------------------------------

async def test_a_too_small_terminal_gets_a_notice_that_goes_when_it_grows(started_tutor):
    async with started_tutor(size=(50, 16)) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = screen_text(app)
        assert "too small" in text and "It is 50x16" in text and f"at least {MIN_WIDTH}x{MIN_HEIGHT}" in text
        await pilot.press("enter", "x")  # keys do nothing behind the notice
        await pilot.resize_terminal(MIN_WIDTH - 1, 30)
        await pilot.pause(0.1)
        assert isinstance(app.screen, TooSmallScreen) and f"It is {MIN_WIDTH - 1}x30" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: not isinstance(app.screen, TooSmallScreen), timeout=5)
        assert "One neuron" in screen_text(app)
        await pilot.press("enter")  # and the tutor works as before
        await settle(app, pilot)
        assert isinstance(app.screen, LessonScreen)
        await pilot.resize_terminal(70, 12)
        await until(pilot, lambda: isinstance(app.screen, TooSmallScreen), timeout=5)
        assert app.focused is None or app.focused.screen is app.screen  # no field behind it has the keys
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: isinstance(app.screen, LessonScreen), timeout=5)
        assert isinstance(app.focused, Input)  # back as it was


# -- the verdict's values as tables ----------------------------------------------------------

def rendered(renderable, width: int = 76) -> list[str]:
    from rich.console import Console

    console = Console(width=width, record=True, file=open("/dev/null", "w"))
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_a_long_vector_wraps_into_aligned_rows_expected_over_yours():
    from tutor.ui.case_table import values_table

    expected = [round(0.3 - 0.01 * k, 4) for k in range(20)]
    lines = rendered(values_table(str(expected), str([2 * value for value in expected])), width=60)
    assert lines[0].split()[:4] == ["[0]", "expected", "0.3", "0.29"]
    assert lines[1].split()[:3] == ["yours", "0.6", "0.58"]
    per_line = len(lines[0].split()) - 2
    assert 1 < per_line < 20 and lines[2].startswith(f"[{per_line}]")  # it wraps, saying where it goes on
    assert sum(len(line.split()) - 2 for line in lines[0::2]) == 20  # every value, once
    assert all(len(line) <= 60 for line in lines) and "…" not in "".join(lines)
    # the columns line up: each of yours ends where the expected above it ends
    assert [m.end() for m in __import__("re").finditer(r"\S+", lines[0])][2:] == \
        [m.end() for m in __import__("re").finditer(r"\S+", lines[1])][1:]


def test_a_value_that_is_not_a_literal_is_shown_as_the_checker_wrote_it():
    from tutor.ui.case_table import values_table

    lines = rendered(values_table("0.5", "raised ZeroDivisionError: division by zero"))
    assert lines == ["expected   0.5", "yours      raised ZeroDivisionError: division by zero"]


async def test_typing_folds_the_prose_when_the_editor_has_too_few_rows_and_f6_keeps_it(builtin_tutor):
    async with builtin_tutor(size=(80, 24), at="capstone/network") as (app, pilot):
        screen = app.screen  # a 5-line prompt and a plot
        editor = editor_of(app)
        # the plot can be read first: 8 rows for the plot and the key of its curves under it
        assert screen.chart is not None and screen.query_one("#plot-box").size.height >= 8
        assert screen.chart.size.height >= 7
        assert editor.size.height - 2 < EDITOR_MIN_ROWS
        await pilot.press("x")
        await pilot.pause()
        assert screen.prose_folded and editor.size.height - 2 >= EDITOR_MIN_ROWS
        assert editor.text.startswith("x")  # the key that folded it typed too
        await pilot.press("f6")  # the learner wants the prose: typing leaves it there
        await pilot.press("y")
        await pilot.pause()
        assert not screen.prose_folded and editor.text.startswith("xy")


def test_the_compact_verdict_shows_the_failing_cases_own_prints_or_none_or_the_whole_run():
    from tutor.checking.verdict import CaseReport, Verdict
    from tutor.ui.widgets.feedback import render_verdict

    def case(output):
        return CaseReport("case 2 of 5", "z = 1", "0.731059", "0.5", output=output)

    def verdict(output):
        return Verdict("fail", "Not right.", cases=(case(output),), output="load\nmine\nother\n", values={"total": 5})

    lines = rendered(render_verdict(verdict("mine\n"), compact=True))
    assert lines[lines.index("Case 2 printed:") + 1] == "mine" and "other" not in lines
    silent = rendered(render_verdict(verdict(""), compact=True))  # it printed nothing: no label, no one else's lines
    assert not any("printed:" in line or "other" in line for line in silent)
    unknown = rendered(render_verdict(verdict(None), compact=True))  # not split: the whole run, said as such
    assert "Your code printed (one run, all 5 cases in order):" in unknown and "other" in unknown
    full = rendered(render_verdict(verdict("mine\n")))  # the details view: under the case, then the whole run
    assert full.index("Case 2 printed:") < full.index("Your code printed (one run, all 5 cases in order):")
