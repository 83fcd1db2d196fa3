"""Stability probes: extra calls that test a property, not a value.

A probe such as "sigmoid at z = -1000" passes when the learner's function
returns the engine's value without overflowing on the way. The probes travel
in the same run as the ordinary cases (one sandboxed run per check, not two),
each wrapped in the trusted harness `call_strict`, which turns floating-point
overflow, invalid operations and warnings into exceptions around the learner's
call. They are judged only once every case passes: a wrong value says more
than an overflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from tutor.checking.cases import Case, case_call
from tutor.checking.expected import to_engine_arguments
from tutor.course.model import CodeSpec
from tutor.sandbox.api import Call

# the harness (tutor.sandbox.harnesses) that applies the floating-point guard
STRICT_HARNESS = "call_strict"


@dataclass(frozen=True)
class Probe:
    """One probe: the call as a titled case, and the message for its failure."""

    case: Case
    message: str


def build_probes(spec: CodeSpec) -> list[Probe]:
    total = len(spec.probes)
    return [
        Probe(Case(to_engine_arguments(probe.get("args", {})), f"probe {i} of {total}"), str(probe.get("message") or ""))
        for i, probe in enumerate(spec.probes, start=1)
    ]


def probe_call(spec: CodeSpec, case: Case) -> Call:
    """The call that sends one probe to the learner's code.

    A plain entry is called through `call_strict`. An exercise with its own
    harness calls the probe through that harness, like its cases, without the
    guard: the harness's own arithmetic is not the learner's to answer for."""
    if spec.harness:
        return case_call(spec, case)
    return Call(args={"arguments": dict(case.args)}, harness=STRICT_HARNESS)
