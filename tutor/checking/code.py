"""Checking a learner's function: run it on every case, compare with the engine,
and explain the first failures.

The learner's code runs only through a Runner (the sandboxed worker); what comes
back is data, compared here with the engine called on the same arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from tutor.checking.cases import Case, build_cases, case_call
from tutor.checking.inputs import describe_inputs
from tutor.checking.probes import Probe, build_probes, probe_call
from tutor.checking.compare import Mismatch, compare
from tutor.checking.expected import LessonError, evaluate_ref, expected_value
from tutor.checking.gradcheck import ParameterReport, called, check_gradients, headline_report, per_example_arguments
from tutor.checking.run_status import status_verdict
from tutor.checking.values import digits_to_tell_apart, format_arguments, format_value
from tutor.checking.verdict import CaseReport, Verdict
from tutor.checking.wording import sentence, your_entry
from tutor.course.model import CodeSpec, Exercise
from tutor.sandbox.api import CallOutcome, LearnerError, RunResult

if TYPE_CHECKING:
    from tutor.sandbox.api import Runner

MAX_CASES_SHOWN = 3
# the error type the sandbox reports for a returned value it cannot send back
UNSUPPORTED_VALUE = "UnsupportedValue"


@dataclass(frozen=True)
class CaseOutcome:
    """One case after comparison: what was asked, expected, returned and what differs."""

    case: Case
    expected: Any
    outcome: CallOutcome
    mismatch: Mismatch | None
    gradients: tuple[ParameterReport, ...] = ()  # with code.gradcheck

    @property
    def passed(self) -> bool:
        if self.gradients:
            return self.outcome.ok and all(report.ok for report in self.gradients)
        return self.outcome.ok and self.mismatch is None


def default_runner() -> "Runner":
    from tutor.sandbox.runner import get_runner

    return get_runner()


def check_code(exercise: Exercise, source: str, runner: "Runner | None" = None, seed: int | None = None) -> Verdict:
    """Judge `source`. `seed` is the attempt's: it draws the fresh cases and
    probe points after the published ones (None: the published ones only), and
    is kept in ``verdict.values["seed"]`` so the attempt can be reproduced."""
    extras: dict[str, Any] = {} if seed is None else {"seed": seed}
    verdict = _check_code(exercise, source, runner, extras, seed)
    if not extras:
        return verdict
    return replace(verdict, values={**verdict.values, **extras})


def _check_code(exercise: Exercise, source: str, runner: "Runner | None", extras: dict[str, Any],
                seed: int | None) -> Verdict:
    spec = code_spec(exercise)
    cases = build_cases(spec, exercise.qualified_id, seed)
    if not cases:
        raise LessonError(f"{exercise.qualified_id}: a code exercise needs cases or random cases")
    probes = build_probes(spec, seed, exercise.qualified_id)
    expected = [expected_value(exercise, extra=case.args) for case in cases]
    try:
        runner = runner or default_runner()
    except ImportError as error:
        return Verdict("error", "Your code could not be run: the checking worker is not available.", details=(str(error),))
    # one run: the cases, then the probes (judged only if every case passes)
    calls = [case_call(spec, case) for case in cases] + [probe_call(spec, probe.case) for probe in probes]
    result = runner.run(source, spec.entry, calls, spec.limits)
    if spec.harness is not None:
        result = replace(result, calls=tuple(take_reported(outcome, extras) for outcome in result.calls))
    problem = result_problem(result, len(calls), spec)
    if problem and len(result.calls) < len(cases):
        return problem
    outcomes = [judge(case, want, got, exercise) for case, want, got in zip(cases, expected, result.calls)]
    failing = [outcome for outcome in outcomes if not outcome.passed]
    if failing:
        return failure_verdict(exercise, spec, outcomes, failing, result.output)
    if problem:  # every case passed; a probe made the run fail
        return problem
    probe_verdict = judge_probes(exercise, spec, probes, result.calls[len(cases):], result.output)
    if probe_verdict:
        return probe_verdict
    return Verdict("pass", pass_message(spec, len(cases)), output=result.output)


def take_reported(outcome: CallOutcome, extras: dict[str, Any]) -> CallOutcome:
    """A harness's `reported(value, ...)`: the value is judged; what it reports
    beside it (the first case's, e.g. the learner's losses as a list of
    floats) goes into the verdict's values for the UI to draw."""
    from tutor.sandbox.harnesses import REPORTED_EXTRAS, REPORTED_VALUE

    value = outcome.value
    if not (outcome.ok and isinstance(value, dict) and set(value) == {REPORTED_VALUE, REPORTED_EXTRAS}):
        return outcome
    for name, item in (value[REPORTED_EXTRAS] or {}).items():
        if name not in extras:
            extras[name] = [float(number) for number in np.asarray(item, dtype=float).ravel()]
    return replace(outcome, value=value[REPORTED_VALUE])


def pass_message(spec: CodeSpec, count: int) -> str:
    passed = f"All {count} cases pass" if count != 1 else "The case passes"
    if spec.probes:
        return f"{passed}, and {your_entry(spec.entry, spec.signature)} holds up at the extremes."
    return f"{passed}."


def code_spec(exercise: Exercise) -> CodeSpec:
    if exercise.code is None:
        raise LessonError(f"{exercise.qualified_id}: a code exercise needs a [code] table")
    return exercise.code


def result_problem(result: RunResult, asked: int, spec: CodeSpec) -> Verdict | None:
    """A verdict when the run itself did not give one outcome per case."""
    if result.status != "ok":
        return status_verdict(result, spec.entry, spec.signature, spec.limits)
    if len(result.calls) != asked:
        return Verdict(
            "error",
            "Your code's result could not be read back. Return numbers or NumPy arrays of numbers.",
            details=(f"expected {asked} results, got {len(result.calls)}",),
            output=result.output,
            values={"run_status": "invalid_result"},
        )
    return None


def judge(case: Case, expected: Any, outcome: CallOutcome, exercise: Exercise) -> CaseOutcome:
    if not outcome.ok:
        return CaseOutcome(case, expected, outcome, None)
    mismatch = compare(outcome.value, expected, exercise.tolerance)
    if exercise.code is None or not exercise.code.gradcheck or outcome.value is None:
        return CaseOutcome(case, expected, outcome, mismatch)
    reports = check_gradients(
        outcome.value, expected, exercise.tolerance, case.args,
        last_example_expected=lambda: expected_value(exercise, extra=last_example(case.args)),
    )
    return CaseOutcome(case, expected, outcome, mismatch, tuple(reports))


def last_example(args: Mapping[str, Any]) -> dict[str, Any]:
    """The case's arguments cut down to the last example (rows of the batch)."""
    cut = per_example_arguments(args)
    return {name: value[-1:] if name in cut else value for name, value in args.items()}


def failure_verdict(
    exercise: Exercise, spec: CodeSpec, outcomes: Sequence[CaseOutcome], failing: Sequence[CaseOutcome], output: str
) -> Verdict:
    reports = tuple(case_report(outcome, spec) for outcome in failing[:MAX_CASES_SHOWN])
    details = [f"{len(failing)} of {len(outcomes)} cases fail."]
    if len(failing) > MAX_CASES_SHOWN:
        details.append(f"The first {MAX_CASES_SHOWN} are shown.")
    wrong = matching_wrong_answer(exercise, outcomes)
    gradient_lines = gradient_details(failing)
    details += gradient_lines
    if wrong is not None:
        message = wrong.message
    elif gradient_lines and failing[0].outcome.ok:
        message = gradient_headline(failing[0])
    else:
        message = failure_headline(spec, failing, len(outcomes))
    return Verdict("fail", message, details=tuple(details), cases=reports, output=output,
                   values={"failing": len(failing), "total": len(outcomes)})


def gradient_details(failing: Sequence[CaseOutcome]) -> list[str]:
    """The gradient check of the first failing case, one line per parameter."""
    first = failing[0]
    if not first.gradients:
        return []
    return [f"Gradient check on {first.case.title}:"] + [f"  {report.line()}" for report in first.gradients]


def gradient_headline(outcome: CaseOutcome) -> str:
    named = headline_report(outcome.gradients)
    if named.diagnosis:
        return f"Your {called(named.name)} is wrong: {named.diagnosis}."
    assert named.relative_error is not None
    return f"Your {called(named.name)} is wrong (relative error {named.relative_error:.2g})."


def failure_headline(spec: CodeSpec, failing: Sequence[CaseOutcome], total: int) -> str:
    first = min(failing, key=lambda outcome: _HEADLINE_ORDER.index(_kind(outcome)))
    where = first.case.title
    yours = sentence(your_entry(spec.entry, spec.signature))
    if first.outcome.error is not None and _unsupported(first.outcome.error):
        return f"{yours} {first.outcome.error.message} on {where}."
    if first.outcome.error is not None:
        error = first.outcome.error
        line = f" (line {error.line})" if error.line else ""
        return f"{yours} raised {error.type_name}{line} on {where}: {error.message}"
    assert first.mismatch is not None
    if all(outcome.mismatch is not None and outcome.mismatch.kind == "values" for outcome in failing):
        return f"{yours} returns wrong values in {len(failing)} of {total} cases."
    if first.mismatch.kind == "missing_return" and not first.mismatch.path:
        return f"{yours} returned None on {where}: did you forget the return statement?"
    return f"{yours} {first.mismatch.summary()} on {where}."


# The finding that explains most goes in the headline: an exception or a named
# mistake says more than "wrong value".
_HEADLINE_ORDER = ("error", "missing_return", "wrong_type", "structure", "wrong_shape", "nan", "inf", "values")


def _kind(outcome: CaseOutcome) -> str:
    if outcome.outcome.error is not None:
        return "wrong_type" if _unsupported(outcome.outcome.error) else "error"
    return "values" if outcome.mismatch is None else outcome.mismatch.kind


def _unsupported(error: LearnerError) -> bool:
    """The sandbox could not send the returned value back (a string array, an
    object): a wrong type, not an exception in the learner's code."""
    return error.type_name == UNSUPPORTED_VALUE


def case_report(outcome: CaseOutcome, spec: CodeSpec) -> CaseReport:
    inputs = describe_inputs(spec, outcome.case.args)
    expected = format_value(outcome.expected)
    error = outcome.outcome.error
    if error is not None and _unsupported(error):
        return CaseReport(outcome.case.title, inputs, expected, error.message, "Wrong type: return numbers or a NumPy array of numbers")
    if error is not None:
        return CaseReport(
            outcome.case.title, inputs, expected, f"raised {error.type_name}: {error.message}",
            traceback=learner_frames(error),
        )
    mismatch = outcome.mismatch
    assert mismatch is not None
    detail = mismatch.difference() if mismatch.kind in ("values", "nan", "inf") else ""
    if mismatch.kind != "values":
        detail = sentence(mismatch.summary()) + (f"; {detail}" if detail else "")
    # as many digits as it takes for the first difference to show in both values
    digits = digits_to_tell_apart(mismatch.expected_item, mismatch.actual_item)
    return CaseReport(outcome.case.title, inputs, format_value(outcome.expected, digits),
                      format_value(outcome.outcome.value, digits), detail)


def learner_frames(error: LearnerError) -> tuple[str, ...]:
    return tuple(error.traceback)


def matching_wrong_answer(exercise: Exercise, outcomes: Sequence[CaseOutcome]) -> Any:
    """The known mistake whose engine values the learner reproduces in every case."""
    for wrong in exercise.wrong:
        if wrong.engine is None or not all(outcome.outcome.ok for outcome in outcomes):
            continue
        try:
            if all(
                compare(outcome.outcome.value, evaluate_ref(wrong.engine, exercise, extra=outcome.case.args),
                        exercise.tolerance) is None
                for outcome in outcomes
            ):
                return wrong
        except LessonError:
            continue
    return None


# -- stability probes ---------------------------------------------------------

def judge_probes(
    exercise: Exercise, spec: CodeSpec, probes: Sequence[Probe], results: Sequence[CallOutcome], output: str
) -> Verdict | None:
    """None when every probe passes, else a fail verdict with the probe's message."""
    for probe, got in zip(probes, results):
        want = expected_value(exercise, extra=probe.case.args)
        outcome = judge(probe.case, want, got, exercise)
        if outcome.passed:
            continue
        report = case_report(outcome, spec)
        yours = sentence(your_entry(spec.entry, spec.signature))
        default = f"{yours} is not stable at {format_arguments(probe.case.args)}: {_probe_reason(outcome)}"
        return Verdict("fail", probe.message or default, details=(sentence(_probe_reason(outcome)) + ".",),
                       cases=(report,), output=output)
    return None


def _probe_reason(outcome: CaseOutcome) -> str:
    error = outcome.outcome.error
    if error is not None:
        if error.type_name == "FloatingPointError" or "overflow" in error.message:
            return f"{error.message} (raised {error.type_name}{f' at line {error.line}' if error.line else ''})"
        return f"it raised {error.type_name}: {error.message}"
    assert outcome.mismatch is not None
    return outcome.mismatch.summary()
