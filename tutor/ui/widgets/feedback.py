"""The verdict panel: the headline first, then the details a learner needs.

It renders a Verdict and nothing else; what is right or wrong is the
checker's business. Every string that may come from learner code (case
values, output) is shown through `plain()`.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from tutor.checking.verdict import CaseReport, Verdict
from tutor.ui.widgets.plain import plain

_HEADLINE = {"pass": ("✓", "Correct", "bold green"), "fail": ("✗", "Not yet", "bold red"),
             "error": ("!", "Could not check", "bold yellow"),
             # a prediction is finished either way once the engine's value is shown
             "predicted": ("◆", "Predicted", "bold green"), "missed": ("◇", "Missed", "bold yellow")}

MAX_OUTPUT_LINES = 40
COMPACT_OUTPUT_LINES = 3  # under the code editor; the details view shows all of it
DETAILS_KEY = "F7"


def headline(verdict: Verdict, outcome: str | None = None) -> Text:
    """`outcome` ("predicted" / "missed") heads a prediction's verdict instead of its status."""
    symbol, word, style = _HEADLINE.get(outcome or verdict.status, ("", verdict.status, "bold"))
    # "✓ Correct: Correct: 5." reads badly: drop our word when the checker's message starts with it
    title = f"{symbol} " if verdict.message.lower().startswith(word.lower()) else f"{symbol} {word}: "
    return Text.assemble((title, style), plain(verdict.message))


def _printed(label: str, output: str, limit: int) -> list[Text]:
    """Printed text under its label, at most `limit` lines (nothing when it is empty)."""
    if not output:
        return []
    lines = output.splitlines()
    shown = lines[:limit]
    parts = [Text(label, style="bold"), plain("\n".join(shown))]
    if len(lines) > len(shown):
        parts.append(Text(f"… {len(lines) - len(shown)} more lines", style="dim"))
    return parts


def _output(verdict: Verdict, limit: int) -> list[Text]:
    """What the learner's code printed, labelled (it ran once for all the cases)."""
    cases = verdict.values.get("total")
    label = f"Your code printed (one run, all {cases} cases in order):" if cases and cases > 1 \
        else "Your code printed:"
    return _printed(label, verdict.output, limit)


def _case_output(case: CaseReport, limit: int) -> list[Text]:
    """What this case's call printed: "Case 2 printed:" and its lines."""
    return _printed(f"{case.label} printed:", case.output or "", limit)


def _split_by_case(verdict: Verdict) -> bool:
    return bool(verdict.cases) and all(case.output is not None for case in verdict.cases)


def has_details(verdict: Verdict) -> bool:
    """Whether the details view has more to say than the compact verdict."""
    return bool(verdict.cases or verdict.details or verdict.output)


def render_verdict(verdict: Verdict, compact: bool = False, outcome: str | None = None) -> Group:
    """The whole verdict; `compact`: the headline, the first failing case as a
    table and a few printed lines, for the rows under a code editor."""
    from tutor.ui.case_table import case_block

    parts: list = [headline(verdict, outcome)]
    if compact and verdict.cases:
        first = verdict.cases[0]
        parts.append(case_block(first, compact=True))
        parts += _case_output(first, COMPACT_OUTPUT_LINES) if first.output is not None \
            else _output(verdict, COMPACT_OUTPUT_LINES)
        failing = verdict.values.get("failing", len(verdict.cases))
        more = f"all {failing} failing cases" if failing > 1 else "the whole check"
        parts.append(Text(f"{DETAILS_KEY}: {more}, the details and everything printed", style="dim"))
        return Group(*parts)
    for line in verdict.details:
        parts.append(plain("  " + line))
    by_case = _split_by_case(verdict)
    for case in verdict.cases:
        parts.append(case_block(case))
        if by_case:
            parts += _case_output(case, COMPACT_OUTPUT_LINES if compact else MAX_OUTPUT_LINES)
    parts += _output(verdict, COMPACT_OUTPUT_LINES if compact else MAX_OUTPUT_LINES)
    if compact and has_details(verdict) and len(verdict.output.splitlines()) > COMPACT_OUTPUT_LINES:
        parts.append(Text(f"{DETAILS_KEY}: everything printed", style="dim"))
    return Group(*parts)


class FeedbackPanel(Static):
    """Shows "checking…", a verdict, or nothing."""

    DEFAULT_CLASSES = "-empty"

    def show_checking(self, what: str = "Checking your answer…") -> None:
        """Say so while the check runs. Over a verdict already shown it takes the
        same rows, so nothing is laid out again: only this panel is redrawn (the
        code above does not jump, and the check is not kept waiting by a redraw
        of the whole screen). The old verdict's colour bar stays until the new one."""
        rows = self.size.height
        if self.display and rows and not self.has_class("-empty"):
            self.update(Text(what + "\n" * (rows - 1), style="italic dim"), layout=False)
            return
        self._show("-checking", Text(what, style="italic"))

    def show_verdict(self, verdict: Verdict, compact: bool = False, outcome: str | None = None) -> None:
        from tutor.ui.rendered_once import RenderedOnce

        # drawn once for the layout and the paint, not three times (case tables are slow to draw)
        self._show(f"-{verdict.status}", RenderedOnce(self, render_verdict(verdict, compact, outcome)))

    def show_text(self, text: str, status: str = "note") -> None:
        self._show(f"-{status}", plain(text))

    def clear(self) -> None:
        self._show("-empty", "")

    def _show(self, status: str, content) -> None:
        if set(self.classes) != {status}:  # (setting the same class still restyles the panel)
            self.set_classes(status)
        self.update(content)
