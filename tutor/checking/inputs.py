"""What a failing case was called with, as the learner should read it.

A plain case is its arguments (``z = [-2, 0, 2]``). A case that goes through a
harness is more than its arguments: the harness trains, loops over a truth
table or builds a class, and its own settings (`harness_args`) matter as much
as the case's data. So each harness has a sentence saying what was done with
the learner's code (declared with the harness, `tutor.checking.harnesses`); a
harness name the tutor does not know is shown as the call it makes.
"""

from __future__ import annotations

from typing import Any, Mapping

from tutor.checking.expected import to_engine_arguments
from tutor.checking.harnesses import harness_named
from tutor.checking.values import format_arguments
from tutor.checking.wording import your_entry
from tutor.course.model import CodeSpec


def describe_inputs(spec: CodeSpec, case_args: Mapping[str, Any]) -> str:
    """The "inputs:" line of a case report."""
    if not spec.harness:
        return format_arguments(case_args)
    settings = to_engine_arguments(spec.harness_args)
    harness = harness_named(spec.harness)
    if harness is not None:
        try:
            return harness.describe(spec, settings, case_args)
        except (KeyError, TypeError, ValueError):
            pass  # settings the sentence does not expect: fall back to the call
    arguments = format_arguments({**settings, **case_args}) if (settings or case_args) else ""
    return f"{spec.harness}({your_entry(spec.entry, spec.signature)}{', ' + arguments if arguments else ''})"
