"""Checking a learner's function: run it on every case, compare with the engine,
and explain the first failures.

The learner's code runs only through a Runner (the sandboxed worker); what comes
back is data, compared here with the engine called on the same arguments.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from tutor.checking.cases import Case, build_cases, case_call, draws_fresh, repeat_line
from tutor.checking.inputs import describe_inputs
from tutor.checking.probes import Probe, build_probes, probe_call
from tutor.checking.compare import Mismatch, compare
from tutor.checking.expected import LessonError, evaluate_ref, expected_value, to_engine_arguments
from tutor.checking.harnesses import harness_named, split_reported
from tutor.checking.gradcheck import ParameterReport, called, check_gradients, headline_report, per_example_arguments
from tutor.checking.run_status import status_verdict
from tutor.checking import leniency
from tutor.checking.diagnoses import diagnose_named, diagnosis_name, unchanged_parts
from tutor.checking.mutants import agree_everywhere, is_code_mutant, mutant_outcomes
from tutor.checking.numpy_errors import missing_module, module_message, translate
from tutor.checking.signature import KEYWORD_HARNESSES, Naming, naming, returned_names
from tutor.checking.values import digits_to_tell_apart, format_arguments, format_value, is_number
from tutor.checking.verdict import CaseReport, Verdict
from tutor.checking.wording import sentence, your_entry
from tutor.course.model import CodeSpec, Exercise
from tutor.sandbox.api import Call, CallOutcome, LearnerError, RunResult

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
    note: str = ""  # a leniency applied to pass it (float32, a column for a vector)
    printed: str | None = None  # what its call printed (None: not known)

    @property
    def passed(self) -> bool:
        if self.gradients:
            return self.outcome.ok and all(report.ok for report in self.gradients)
        return self.outcome.ok and self.mismatch is None


def default_runner() -> "Runner":
    from tutor.sandbox.api import get_runner

    return get_runner()


def check_code(exercise: Exercise, source: str, runner: "Runner | None" = None, seed: int | None = None) -> Verdict:
    """Judge `source`. `seed` is the attempt's: it draws the fresh cases and
    probe points after the published ones (None: the published ones only), and
    is kept in ``verdict.values["seed"]`` so the attempt can be reproduced."""
    extras: dict[str, Any] = {} if seed is None else {"seed": seed}
    verdict = _check_code(exercise, source, runner, extras, seed)
    if seed is not None and verdict.status == "fail" and draws_fresh(code_spec(exercise)):
        variant = exercise.variant_seed if exercise.params else False
        verdict = replace(verdict, details=verdict.details + (repeat_line(exercise.qualified_id, seed, variant),))
    if not extras:
        return verdict
    return replace(verdict, values={**verdict.values, **extras})


@dataclass(frozen=True)
class Attempt:
    """One check of one answer: what was asked, how it ran, what the mutants need."""

    exercise: Exercise
    spec: CodeSpec
    source: str
    runner: "Runner"
    calls: tuple[Call, ...]  # as the lesson states them (the mutants get these)
    naming: Naming
    extras: dict[str, Any]


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
    calls = tuple([case_call(spec, case) for case in cases] + [probe_call(spec, probe.case) for probe in probes])
    names = _naming(source, spec, calls)
    if names.problem:
        return Verdict("fail", names.problem, values={"run_status": "signature"})
    attempt = Attempt(exercise, spec, source, runner, calls, names, extras)
    result = runner.run(source, spec.entry, [names.apply(call) for call in calls], spec.limits)
    if spec.harness is not None:
        asked = [harness_arguments(spec, case) for case in cases + [p.case for p in probes]]
        result = replace(result, calls=tuple(
            take_reported(spec, outcome, args, extras) for outcome, args in zip(result.calls, asked)
        ))
    problem = result_problem(result, len(calls), spec)
    if problem and len(result.calls) < len(cases):
        return problem
    unavailable = _unavailable_module(result.calls)
    if unavailable:
        return Verdict("error", module_message(unavailable), output=result.output,
                       values={"run_status": "module_unavailable", "module": unavailable})
    outcomes = [replace(judge(case, want, got, exercise), printed=result.call_output(index))
                for index, (case, want, got) in enumerate(zip(cases, expected, result.calls))]
    failing = [outcome for outcome in outcomes if not outcome.passed]
    if failing:
        return failure_verdict(attempt, outcomes, failing, result)
    if problem:  # every case passed; a probe made the run fail
        return problem
    probe_verdict = judge_probes(exercise, spec, probes, result.calls[len(cases):], result.output,
                                 [result.call_output(index) for index in range(len(cases), len(calls))])
    if probe_verdict:
        return probe_verdict
    notes = tuple(dict.fromkeys(note for note in [*(o.note for o in outcomes), names.note()] if note))
    if spec.pass_mark is not None and outcomes:  # the number reached, for the UI (the capstone's end)
        extras.setdefault("reached", float(outcomes[0].outcome.value))
        extras.setdefault("pass_mark", float(spec.pass_mark))
    return Verdict("pass", pass_message(spec, len(cases)), details=notes, output=result.output)


def _naming(source: str, spec: CodeSpec, calls: Sequence[Call]) -> Naming:
    """Renamed parameters, for calls that pass the case's arguments by keyword."""
    passed: list[str] = []
    for call in calls:
        if call.harness is None:
            args = call.args
        elif call.harness in KEYWORD_HARNESSES and isinstance(call.args.get("arguments"), Mapping):
            args = call.args["arguments"]
        else:
            return Naming()
        passed += [name for name in args if name not in passed]
    return naming(source, spec.entry, spec.signature, passed)


def _unavailable_module(outcomes: Sequence[CallOutcome]) -> str | None:
    for outcome in outcomes:
        if outcome.error is not None:
            module = missing_module(outcome.error)
            if module:
                return module
    return None


def harness_arguments(spec: CodeSpec, case: Case) -> dict[str, Any]:
    """The lesson's harness_args with the case's arguments: what the harness's
    declaration prepares the driver's call from, and judges its report by."""
    return {**to_engine_arguments(spec.harness_args), **case.args}


def take_reported(spec: CodeSpec, outcome: CallOutcome, args: Mapping[str, Any], extras: dict[str, Any]) -> CallOutcome:
    """What a harness's driver reported, as its declaration judges it: the
    value that is compared (the capstone's accuracy, measured here from the
    learner's probabilities), while what it reports beside it (the first
    case's, e.g. the learner's losses as a list of floats) goes into the
    verdict's values for the UI to draw."""
    if not outcome.ok:
        return outcome
    harness = harness_named(spec.harness or "")
    reported = split_reported(outcome.value)
    for name, item in reported.extras.items():
        if name not in extras:
            extras[name] = [float(number) for number in np.asarray(item, dtype=float).ravel()]
    value = harness.judged(reported.value, args) if harness else reported.value
    return replace(outcome, value=value)


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
        harness = harness_named(spec.harness or "")
        return status_verdict(result, spec.entry, spec.signature, spec.limits, slow_hint=harness.slow_hint if harness else "")
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
    spec = exercise.code
    if spec is not None and spec.pass_mark is not None and is_number(outcome.value):
        return CaseOutcome(case, expected, outcome, leniency.below_mark(outcome.value, expected, spec.pass_mark))
    mismatch = compare(outcome.value, expected, exercise.tolerance)
    if mismatch is not None and not (spec is not None and spec.gradcheck):
        passed, note = leniency.lenient_pass(outcome.value, expected, mismatch, exercise.tolerance,
                                             column_or_vector=bool(spec and spec.column_or_vector))
        if passed:
            return CaseOutcome(case, expected, outcome, None, note=note)
    if spec is None or not spec.gradcheck or outcome.value is None:
        return CaseOutcome(case, expected, outcome, mismatch)
    tolerance, note = exercise.tolerance, ""
    if leniency.holds_float32(outcome.value):  # gradients in float32, judged at float32 precision
        tolerance, note = leniency.float32_tolerance(tolerance), leniency.FLOAT32_NOTE
        mismatch = compare(outcome.value, expected, tolerance)
    reports = check_gradients(
        outcome.value, expected, tolerance, case.args,
        last_example_expected=lambda: expected_value(exercise, extra=last_example(case.args)),
    )
    return CaseOutcome(case, expected, outcome, mismatch, tuple(reports), note=note)


def last_example(args: Mapping[str, Any]) -> dict[str, Any]:
    """The case's arguments cut down to the last example (rows of the batch)."""
    cut = per_example_arguments(args)
    return {name: value[-1:] if name in cut else value for name, value in args.items()}


def failure_verdict(attempt: Attempt, outcomes: Sequence[CaseOutcome], failing: Sequence[CaseOutcome],
                    result: RunResult) -> Verdict:
    exercise, spec = attempt.exercise, attempt.spec
    reports = tuple(case_report(outcome, spec) for outcome in failing[:MAX_CASES_SHOWN])
    details = [f"{len(failing)} of {len(outcomes)} cases fail."]
    if len(failing) > MAX_CASES_SHOWN:
        details.append(f"The first {MAX_CASES_SHOWN} are shown.")
    wrong = matching_wrong_answer(attempt, outcomes, result.calls[:len(outcomes)])
    gradient_lines = gradient_details(failing)
    details += gradient_lines
    headline, diagnosis = failure_headline(attempt, failing, len(outcomes))
    values: dict[str, Any] = {"failing": len(failing), "total": len(outcomes)}
    if wrong is not None:  # (its mistake is named by the checker, as the lesson publishes it)
        message = wrong.message
        if spec.pass_mark is not None:
            details.insert(0, headline)
    elif gradient_lines and failing[0].outcome.ok:
        message = gradient_headline(failing[0])
    else:
        message = headline
        if diagnosis is not None:
            values["mistake"] = diagnosis
    if attempt.naming.note():
        details.append(attempt.naming.note())
    return Verdict("fail", message, details=tuple(details), cases=reports, output=result.output, values=values)


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


def failure_headline(attempt: Attempt, failing: Sequence[CaseOutcome], total: int) -> tuple[str, str | None]:
    """The headline of a failing check, and the name of the mistake it diagnoses, if any."""
    spec = attempt.spec
    first = min(failing, key=lambda outcome: _HEADLINE_ORDER.index(_kind(outcome)))
    where = first.case.title
    yours = sentence(your_entry(spec.entry, spec.signature))
    error = first.outcome.error
    if error is not None and _unsupported(error):
        return f"{yours} {error.message} on {where}.", None
    if error is not None:
        return error_headline(attempt, first, error, yours), None
    assert first.mismatch is not None
    if spec.pass_mark is not None and first.mismatch.kind == "values":
        return mark_headline(attempt, first, yours), None
    if first.mismatch.kind == "missing_return" and not first.mismatch.path:
        return f"{yours} returned None on {where}: did you forget the return statement?", None
    if all(outcome.outcome.ok and outcome.mismatch is not None and outcome.mismatch.kind in ("values", "wrong_shape")
           for outcome in failing):
        named = named_mistake(attempt, failing, yours)
        if named:
            return named[1], named[0]
    if all(outcome.mismatch is not None and outcome.mismatch.kind == "values" for outcome in failing):
        return f"{yours} returns wrong values in {len(failing)} of {total} cases.", None
    return f"{yours} {first.mismatch.summary()} on {where}.", None


def error_headline(attempt: Attempt, outcome: CaseOutcome, error: LearnerError, yours: str) -> str:
    """An exception, in the course's words when it is one NumPy raises for a known reason.

    An error with no frame of the learner's code, raised in a harness, is the
    checker's own finding about what the code returned ("your gradient points
    uphill"): it is said as a finding, never as an exception the learner raised."""
    spec, where = attempt.spec, outcome.case.title
    if not error.traceback and error.type_name == "TypeError" and "argument" in error.message:
        return (f"{yours} cannot be called the way the exercise calls it ({error.message}) on {where}. "
                f"Keep the starter's parameters: {spec.signature.strip()}")
    if spec.harness is not None and not error.traceback:
        finding = error.message.rstrip(".")
        if re.match(r"[a-z]+\b(?![(_.\[])", finding):  # a word, not a name such as forward(X)
            finding = sentence(finding)
        return f"{finding}. Found on {where}."
    translated = translate(error, _learner_arguments(attempt, outcome.case.args))
    if translated:
        line = f" (line {error.line})" if error.line else ""
        return f"{yours} failed on {where}{line}: {translated}"
    line = f" (line {error.line})" if error.line else ""
    return f"{yours} raised {error.type_name}{line} on {where}: {error.message}"


def _learner_arguments(attempt: Attempt, args: Mapping[str, Any]) -> dict[str, Any]:
    """The case's arguments under the names the learner's code gives them."""
    renamed = attempt.naming.renamed
    return {renamed.get(name, name): value for name, value in args.items()}


#: what a harness's judged number is, for a verdict with a pass mark
MARK_QUANTITY = {"train_classifier": "training accuracy"}


def mark_headline(attempt: Attempt, outcome: CaseOutcome, yours: str) -> str:
    """A judged number against its pass mark: the value reached, the mark, and a flat loss named."""
    spec = attempt.spec
    assert spec.pass_mark is not None
    quantity = MARK_QUANTITY.get(spec.harness or "", "result")
    if "holdout_seed" in outcome.case.args:
        quantity = "accuracy on new points"
    percent = spec.harness == "train_classifier"
    reached, mark = float(outcome.outcome.value), spec.pass_mark
    said = (lambda x: f"{100 * x:.1f}%".replace(".0%", "%")) if percent else (lambda x: format_value(x))
    steps = to_engine_arguments(spec.harness_args).get("steps")
    after = f" after {int(steps):,} steps" if isinstance(steps, (int, float)) else ""
    text = f"{yours} reached {said(reached)} {quantity}{after}; the pass mark is {said(mark)}."
    losses = attempt.extras.get("losses")
    if losses and len(losses) > 1 and max(losses) - min(losses) <= 1e-9 * max(1.0, abs(losses[0])):
        text += (f" The loss never moved from {format_value(losses[0])}: does step change the weights "
                 "that forward uses, and does backward store its gradients?")
    return text


def named_mistake(attempt: Attempt, failing: Sequence[CaseOutcome], yours: str) -> tuple[str, str] | None:
    """A diagnosis every failing case shares, or a parameter left where it started:
    its name (for the attempts log: "sign flipped") and its headline."""
    spec = attempt.spec
    if spec.harness == "gate_truth_table":
        rows = gate_rows(attempt, failing[0], yours)
        return (diagnosis_name(gate_rows), rows) if rows else None
    leaves = [(o.mismatch.actual, o.mismatch.expected, o.case.args) for o in failing if o.mismatch is not None]
    found = diagnose_named(leaves, yours, attempt.source)
    if found:
        return found
    for diagnosis in (off_by_one_step, never_changed):
        headline = diagnosis(attempt, failing, yours)
        if headline:
            return diagnosis_name(diagnosis), headline
    return None


def off_by_one_step(attempt: Attempt, failing: Sequence[CaseOutcome], yours: str) -> str | None:
    """A trained result that is the engine's after one step fewer or more, in every failing case."""
    if attempt.spec.harness is not None:
        return None
    for shift, words in ((-1, "few"), (1, "many")):
        def matches(outcome: CaseOutcome) -> bool:
            counted = [name for name in STEP_ARGUMENTS if isinstance(outcome.case.args.get(name), (int, float))]
            if not counted:
                return False
            name = counted[0]
            if outcome.case.args[name] + shift < 0:
                return False
            try:
                other = expected_value(attempt.exercise, extra={**outcome.case.args, name: outcome.case.args[name] + shift})
            except LessonError:
                return False
            return compare(outcome.outcome.value, other, attempt.exercise.tolerance) is None
        if all(matches(outcome) for outcome in failing):
            name = next(n for n in STEP_ARGUMENTS if n in failing[0].case.args)
            asked = failing[0].case.args[name]
            one = name[:-1] if name.endswith("s") else name
            return (f"{yours} does one {one} too {words}: its result is the one after {format_value(asked + shift)} "
                    f"{one if asked + shift == 1 else name} where {format_value(asked)} "
                    f"{'was' if asked == 1 else 'were'} asked. Check the loop's range.")
    return None


STEP_ARGUMENTS = ("steps", "iterations", "passes", "epochs", "num_passes", "n_steps")


def never_changed(attempt: Attempt, failing: Sequence[CaseOutcome], yours: str) -> str | None:
    """A trained result whose parameters (or some of them) are still their starting values."""
    first = failing[0]
    counted = [name for name in STEP_ARGUMENTS if isinstance(first.case.args.get(name), (int, float))
               and first.case.args[name] > 0]
    if not counted:
        return None
    name = counted[0]
    try:
        start = expected_value(attempt.exercise, extra={**first.case.args, name: 0})
    except LessonError:
        return None
    actual, expected = first.outcome.value, first.expected
    single = not isinstance(expected, (tuple, list))
    names = returned_names(attempt.source, attempt.spec.entry)
    stuck = unchanged_parts((actual,) if single else actual, (expected,) if single else expected,
                            (start,) if single else start, names)
    if not stuck:
        return None
    number = first.case.args[name]
    count = f"{format_value(number)} {name[:-1] if number == 1 and name.endswith('s') else name}"
    if single:
        return (f"{yours} returns its starting values unchanged after {count}: the step never changes them. "
                "Update the parameters in place (W -= learning_rate * dW, or syn0 += ...).")
    which = " and ".join(stuck)
    return (f"{yours} returns {which} unchanged after {count}: {'they still hold' if len(stuck) > 1 else 'it still holds'} "
            f"the starting values. Does the loop update {which} (with += or -=)?")


def gate_rows(attempt: Attempt, outcome: CaseOutcome, yours: str) -> str | None:
    """A truth table judged row by row, with the margin the prompt states."""
    from tutor.checking.drivers import GATE_ROWS

    try:
        actual = np.asarray(outcome.outcome.value, dtype=float).reshape(-1)
        expected = np.asarray(outcome.expected, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return None
    if actual.shape != expected.shape or actual.size != len(GATE_ROWS):
        return None
    margin = attempt.exercise.tolerance.abs
    wrong = [i for i in range(actual.size) if abs(actual[i] - expected[i]) > margin]
    if not wrong:
        return None
    gate = attempt.spec.entry.upper()
    rows = " and ".join(f"({GATE_ROWS[i][0]:g}, {GATE_ROWS[i][1]:g})" for i in wrong)
    gives = " and ".join(format_value(actual[i]) for i in wrong)
    needs = " and ".join(format_value(round(expected[i])) for i in wrong)
    return (f"For inputs {rows} {yours[0].lower() + yours[1:]} gives {gives}, where {gate} has {needs}; "
            f"each output must be within {format_value(margin)} of the truth table.")


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
    return replace(_case_report(outcome, spec), output=outcome.printed)


def _case_report(outcome: CaseOutcome, spec: CodeSpec) -> CaseReport:
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


def matching_wrong_answer(attempt: Attempt, outcomes: Sequence[CaseOutcome], results: Sequence[CallOutcome]) -> Any:
    """The first known mistake the learner's code reproduces in every case: by
    its engine values, or by its own code run on the same calls (a mutant)."""
    exercise, spec = attempt.exercise, attempt.spec
    # mutants are judged on the published cases (the lesson's own, which come
    # first in every attempt), so their outcomes are computed once per
    # exercise, whatever fresh cases an attempt adds
    cases = min(len(outcomes), published_count(spec))
    for wrong in exercise.wrong:
        if wrong.raises is not None:
            if any(raised(outcome.outcome.error, wrong.raises) for outcome in outcomes):
                return wrong
            continue
        if wrong.engine is not None and all(outcome.outcome.ok for outcome in outcomes):
            try:
                if all(
                    compare(outcome.outcome.value, evaluate_ref(wrong.engine, exercise, extra=outcome.case.args),
                            exercise.tolerance) is None
                    for outcome in outcomes
                ):
                    return wrong
            except LessonError:
                pass
        if is_code_mutant(wrong):
            theirs = mutant_outcomes(wrong, spec, attempt.calls[:cases], attempt.runner,
                                     _unwrapper(spec, [outcome.case for outcome in outcomes[:cases]]))
            if theirs is not None and agree_everywhere(results[:cases], theirs, exercise.tolerance):
                return wrong
    return None


def raised(error: LearnerError | None, pattern: Mapping[str, str]) -> bool:
    """Whether a case's error is the exception a [[wrong]] entry's `raises` describes."""
    return (error is not None and error.type_name == pattern["type"]
            and re.search(pattern.get("match", ""), error.message) is not None)


def published_count(spec: CodeSpec) -> int:
    """How many cases the lesson states (fixed, then seeded random)."""
    return len(spec.cases) + (spec.random.count if spec.random is not None else 0)


def _unwrapper(spec: CodeSpec, cases: Sequence[Case]) -> Any:
    """Judges a mutant's outcomes as the learner's are, one per case in order."""
    if spec.harness is None:
        return lambda outcome: outcome
    asked = itertools.cycle([harness_arguments(spec, case) for case in cases])
    return lambda outcome: take_reported(spec, outcome, next(asked), {})


# -- stability probes ---------------------------------------------------------

def judge_probes(
    exercise: Exercise, spec: CodeSpec, probes: Sequence[Probe], results: Sequence[CallOutcome], output: str,
    printed: Sequence[str | None] = (),
) -> Verdict | None:
    """None when every probe passes, else a fail verdict.

    A probe judges a property: the call raises nothing, returns a finite
    value, and that value is right within the probe's tolerance (the
    exercise's when the probe states none). The author's message names the
    failure the probe is for (an overflow, a NaN); a finite value that is
    merely different at the extreme is said as it is."""
    for index, (probe, got) in enumerate(zip(probes, results)):
        want = expected_value(exercise, extra=probe.case.args)
        judged = replace(exercise, tolerance=probe.tolerance) if probe.tolerance is not None else exercise
        outcome = replace(judge(probe.case, want, got, judged), printed=printed[index] if index < len(printed) else None)
        if outcome.passed:
            continue
        report = case_report(outcome, spec)
        yours = sentence(your_entry(spec.entry, spec.signature))
        default = f"{yours} is not stable at {format_arguments(probe.case.args)}: {_probe_reason(outcome)}"
        message = probe.message or default
        if got.ok and outcome.mismatch is not None and outcome.mismatch.kind in ("values", "wrong_shape"):
            tolerance = judged.tolerance
            message = (f"At the extreme {format_arguments(probe.case.args)}, {yours[0].lower() + yours[1:]} returns "
                       f"{format_value(got.value)}, finite but not the right {format_value(want)} within "
                       f"{format_value(tolerance.abs)}. Clip or shift only as far as the result stays right.")
        return Verdict("fail", message, details=(sentence(_probe_reason(outcome)) + ".",),
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


# -- lint's view of the mutants ---------------------------------------------------

def mutant_results(exercise: Exercise, runner: "Runner | None" = None) -> list[tuple[Any, Any, bool]]:
    """Each code `[[wrong]]` entry with its own code: (entry, its outcomes on the
    cases or None when it does not run, whether it fails some case). Only an
    entry that fails some case is a matcher; one that passes them all names a
    mistake a probe or the gradient check finds."""
    spec = code_spec(exercise)
    cases = build_cases(spec, exercise.qualified_id)
    expected = [expected_value(exercise, extra=case.args) for case in cases]
    runner = runner or default_runner()
    calls = tuple(case_call(spec, case) for case in cases)
    found = []
    for wrong in exercise.wrong:
        if not is_code_mutant(wrong):
            continue
        outcomes = mutant_outcomes(wrong, spec, calls, runner, _unwrapper(spec, cases))
        fails = outcomes is not None and any(
            not judge(case, want, got, exercise).passed for case, want, got in zip(cases, expected, outcomes))
        found.append((wrong, outcomes, fails))
    return found


def indistinguishable(exercise: Exercise, runner: "Runner | None" = None) -> list[tuple[Any, Any]]:
    """Pairs of matching mutants (first, later) that agree on every case: a
    learner's code that makes either mistake would always get the first one's message."""
    results = [(wrong, outcomes) for wrong, outcomes, fails in mutant_results(exercise, runner) if fails]
    pairs = []
    for index, (later, theirs) in enumerate(results):
        for first, ours in results[:index]:
            if agree_everywhere(theirs, ours, exercise.tolerance):
                pairs.append((first, later))
                break
    return pairs
