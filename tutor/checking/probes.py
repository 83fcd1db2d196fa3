"""Stability probes: extra calls that test a property, not a value.

A probe such as "sigmoid at z = -1000" passes when the learner's function
returns the engine's value without overflowing on the way. The probes travel
in the same run as the ordinary cases (one sandboxed run per check, not two),
each wrapped in the trusted harness `call_strict`, which turns floating-point
overflow, invalid operations and warnings into exceptions around the learner's
call. They are judged only once every case passes: a wrong value says more
than an overflow. A probe may name a range instead of a value (``random =
{ count, args }``): its points are drawn afresh for every attempt, so the
dangerous range is probed, not the one number a lesson prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.checking.cases import Case, case_call, draw_arguments
from tutor.checking.expected import to_engine_arguments
from tutor.course.model import CodeSpec, Tolerance
from tutor.sandbox.api import Call

# the harness (tutor/checking/drivers.py) that applies the floating-point guard
STRICT_HARNESS = "call_strict"
# the draw of a random probe checked without an attempt seed (lint, tests)
PUBLISHED_PROBE_SEED = 0


@dataclass(frozen=True)
class Probe:
    """One probe: the call as a titled case, and the message for its failure."""

    case: Case
    message: str
    tolerance: Tolerance | None = None  # the probe's own, when the extreme is judged more loosely


def build_probes(spec: CodeSpec, seed: int | None = None, qualified_id: str = "") -> list[Probe]:
    """The probes of one attempt, in the lesson's order. A probe with
    ``random = { count, args }`` becomes `count` calls at points drawn across
    the range it declares, from the attempt's `seed` (None: a fixed draw, the
    same for every call), so a function that special-cases the one value a
    lesson names still meets the rest of the dangerous range."""
    calls: list[tuple[dict, str, str, Any]] = []  # (arguments, message, title suffix, tolerance)
    for probe in spec.probes:
        message = str(probe.get("message") or "")
        tolerance = probe.get("tolerance")
        if "random" not in probe:
            calls.append((to_engine_arguments(probe.get("args", {})), message, "", tolerance))
            continue
        fresh = probe["random"]
        drawn_from = PUBLISHED_PROBE_SEED if seed is None else seed
        suffix = f" (fresh, seed {seed})" if seed is not None else ""
        for args in draw_arguments(fresh["args"], int(fresh["count"]), drawn_from + len(calls), qualified_id):
            calls.append((args, message, suffix, tolerance))
    total = len(calls)
    return [Probe(Case(args, f"probe {i} of {total}{suffix}"), message, tolerance)
            for i, (args, message, suffix, tolerance) in enumerate(calls, start=1)]


def probe_call(spec: CodeSpec, case: Case) -> Call:
    """The call that sends one probe to the learner's code.

    A plain entry is called through `call_strict`. An exercise with its own
    harness calls the probe through that harness, like its cases, without the
    guard: the harness's own arithmetic is not the learner's to answer for."""
    if spec.harness:
        return case_call(spec, case)
    return Call(args={"arguments": dict(case.args)}, harness=STRICT_HARNESS)
