"""Turning a run that did not finish normally into a verdict the learner understands.

The sandbox reports *what* happened (timeout, memory, crash, ...) as a status;
this module says it in words and, where one exists, suggests the usual cause.
"""

from __future__ import annotations

from tutor.checking.verdict import Verdict
from tutor.course.model import Limits
from tutor.sandbox.api import RunResult


def status_verdict(result: RunResult, entry: str, signature: str, limits: Limits, slow_hint: str = "") -> Verdict:
    """The verdict for any status but "ok". `slow_hint` (the harness's) ends
    the headline of a run that was still making progress when its time ran
    out: slow is not stuck, and the loop question would mislead."""
    said = (result.message,) if result.message else ()
    output = result.output
    status = result.status
    if status == "syntax_error":
        return syntax_verdict(result, output)
    if status == "missing_entry":
        headline = f"Your code does not define {entry}."
        return Verdict(
            "fail",
            f"{headline} Keep the name and signature: {signature}",
            details=_besides(result.message, headline, entry),
            output=output,
        )
    headlines = {
        "timeout": f"Your code ran out of time (limit {limits.time_s:g} s). Is there a loop that never ends?",
        "memory": f"Your code used too much memory (limit {limits.memory_mb} MB). Is an array far bigger than it needs to be?",
        "output_limit": f"Your code printed too much (more than {limits.output_bytes:,} bytes). Remove prints inside loops.",
        "crashed": "Your code stopped the process it ran in: it crashed or called exit.",
        "forbidden": "Your code tried something exercises may not do (start a process, write a file, use the network).",
        "invalid_result": "Your code's result could not be read back. Return numbers or NumPy arrays of numbers.",
        "unavailable": "Your code could not be run: the checking worker is not available.",
    }
    headline = headlines.get(status, f"Your code's run ended in a way the tutor does not know ({status}).")
    if status == "timeout" and result.progress is not None and result.progress.done > 0 and result.message:
        headline = f"{result.message} {slow_hint}".strip()
        said = ()
    return Verdict("error", headline, details=said, output=output, values={"run_status": status})


def _besides(message: str, headline: str, entry: str) -> tuple[str, ...]:
    """What the sandbox found out beyond the headline ("It defines: sigmod."),
    with the name unquoted: the headline already says what is missing."""
    said = message.replace(f"`{entry}`", entry).strip()
    if said.startswith(headline):
        said = said[len(headline):].strip()
    return (said,) if said else ()


def syntax_verdict(result: RunResult, output: str = "") -> Verdict:
    problem = result.syntax
    if problem is None:
        return Verdict("error", "Your code has a syntax error.", details=(result.message,) if result.message else (), output=output)
    details: list[str] = []
    if problem.text:
        details.append(problem.text.rstrip("\n"))
        if problem.column >= 1:
            details.append(" " * (problem.column - 1) + "^")
    return Verdict(
        "error",
        f"Syntax error on line {problem.line}, column {problem.column}: {problem.message}",
        details=tuple(details),
        output=output,
        values={"run_status": "syntax_error", "line": problem.line, "column": problem.column},
    )
