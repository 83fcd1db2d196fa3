"""The verdict panel: the headline first, then the details a learner needs.

It renders a Verdict and nothing else; what is right or wrong is the
checker's business. Every string that may come from learner code (case
values, output) is shown through `plain()`.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from tutor.checking.verdict import Verdict
from tutor.ui.widgets.plain import plain

_HEADLINE = {"pass": ("✓", "Correct", "bold green"), "fail": ("✗", "Not yet", "bold red"),
             "error": ("!", "Could not check", "bold yellow")}

MAX_OUTPUT_LINES = 40


def render_verdict(verdict: Verdict) -> Group:
    symbol, word, style = _HEADLINE.get(verdict.status, ("", verdict.status, "bold"))
    # "✓ Correct: Correct: 5." reads badly: drop our word when the checker's message starts with it
    title = f"{symbol} " if verdict.message.lower().startswith(word.lower()) else f"{symbol} {word}: "
    parts: list[Text] = [Text.assemble((title, style), plain(verdict.message))]
    for line in verdict.details:
        parts.append(plain("  " + line))
    for case in verdict.cases:
        parts.append(plain(case.title, "bold"))
        parts.append(Text.assemble(("  inputs   ", "dim"), plain(case.inputs)))
        parts.append(Text.assemble(("  expected ", "dim"), plain(case.expected)))
        parts.append(Text.assemble(("  actual   ", "dim"), plain(case.actual)))
        if case.detail:
            parts.append(plain("  " + case.detail, "italic"))
    if verdict.output:
        lines = verdict.output.splitlines()
        shown = lines[:MAX_OUTPUT_LINES]
        parts.append(Text("Your code printed:", style="bold"))
        parts.append(plain("\n".join(shown)))
        if len(lines) > len(shown):
            parts.append(Text(f"… {len(lines) - len(shown)} more lines", style="dim"))
    return Group(*parts)


class FeedbackPanel(Static):
    """Shows "checking…", a verdict, or nothing."""

    DEFAULT_CLASSES = "-empty"

    def show_checking(self, what: str = "Checking your answer…") -> None:
        self.set_classes("-checking")
        self.update(Text(what, style="italic"))

    def show_verdict(self, verdict: Verdict) -> None:
        self.set_classes(f"-{verdict.status}")
        self.update(render_verdict(verdict))

    def show_text(self, text: str, status: str = "note") -> None:
        self.set_classes(f"-{status}")
        self.update(plain(text))

    def clear(self) -> None:
        self.set_classes("-empty")
        self.update("")
