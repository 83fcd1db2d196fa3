"""What the checker says about one answer.

A verdict is plain data so that the CLI can print it, the UI can render it and
lint can compare its message with an author's expectation, all without knowing
how the answer was checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "error"]
# "fail": the answer was judged and is wrong.
# "error": the answer could not be judged (unparsable input, timeout, crash,
#          invalid result); the message says what happened.


@dataclass(frozen=True)
class CaseReport:
    """One failing (or notable) case of a code exercise, readable on its own."""

    title: str  # e.g. "case 3 of 12 (random, seed 7)"
    inputs: str  # arguments as the learner would write them
    expected: str
    actual: str
    detail: str = ""  # e.g. "first difference at [2]: expected 0.88, got 0.12"
    # when the case raised: the learner's frames only, "line N, in name: source"
    traceback: tuple[str, ...] = ()
    # what the learner's code printed during this case's call ("" nothing);
    # None when the run's output could not be split by case
    output: str | None = None

    @property
    def label(self) -> str:
        """"Case 3" of "case 3 of 12 (random, seed 7)": how the case is named in a sentence."""
        words = self.title.split(" of ")[0]
        return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class Verdict:
    """The checker's answer: status, one headline, and the details behind it.

    `message` is the headline the learner reads first ("you forgot the
    activation"). `details` are further plain-text lines, `cases` the failing
    cases of a code exercise, `output` whatever learner code printed (plain text,
    never markup), and `values` machine-readable extras such as the actual value
    of a predict exercise or the loss history of a tune run for plotting.
    """

    status: Status
    message: str
    details: tuple[str, ...] = ()
    cases: tuple[CaseReport, ...] = ()
    output: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def render(self) -> str:
        """Plain text for the terminal (`nntutor check`) and for tests."""
        lines = [f"{self.status.upper()}: {self.message}"]
        lines += [f"  {line}" for line in self.details]
        for case in self.cases:
            lines.append(f"  {case.title}")
            lines.append(f"    inputs:   {case.inputs}")
            lines.append(f"    expected: {case.expected}")
            lines.append(f"    actual:   {case.actual}")
            if case.detail:
                lines.append(f"    {case.detail}")
            lines += [f"      {frame}" for frame in case.traceback]
            if case.output:
                lines.append(f"    {case.label} printed:")
                lines += [f"      {line}" for line in case.output.splitlines()]
        if self.output:
            lines.append("  output:")
            lines += [f"    {line}" for line in self.output.splitlines()]
        return "\n".join(lines)
