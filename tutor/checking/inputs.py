"""What a failing case was called with, as the learner should read it.

A plain case is its arguments (``z = [-2, 0, 2]``). A case that goes through a
harness is more than its arguments: the harness trains, loops over a truth
table or builds a class, and its own settings (`harness_args`) matter as much
as the case's data. So each harness gets a sentence saying what was done with
the learner's code; a harness without one is shown as the call it makes.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from tutor.checking.expected import to_engine_arguments
from tutor.checking.values import format_arguments, format_value
from tutor.checking.wording import your_entry
from tutor.course.model import CodeSpec


def describe_inputs(spec: CodeSpec, case_args: Mapping[str, Any]) -> str:
    """The "inputs:" line of a case report."""
    if not spec.harness:
        return format_arguments(case_args)
    settings = to_engine_arguments(spec.harness_args)
    words = _HARNESS_WORDS.get(spec.harness)
    if words is not None:
        try:
            return words(spec, settings, case_args)
        except (KeyError, TypeError, ValueError):
            pass  # settings the sentence does not expect: fall back to the call
    arguments = format_arguments({**settings, **case_args}) if (settings or case_args) else ""
    return f"{spec.harness}({your_entry(spec.entry, spec.signature)}{', ' + arguments if arguments else ''})"


def _data(case_args: Mapping[str, Any], joining: str) -> str:
    return f"{joining}{format_arguments(case_args)}" if case_args else ""


def _number(value: Any) -> str:
    return format_value(value)


def _gate_rows(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    from tutor.sandbox.harnesses import GATE_ROWS

    rows = ", ".join(f"({x1:g}, {x2:g})" for x1, x2 in GATE_ROWS)
    return f"{your_entry(spec.entry, spec.signature)} on each row of the truth table: {rows}"


def _logistic_descent(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    return (f"{_number(settings['steps'])} steps of gradient descent from zero weights with {your_entry(spec.entry, spec.signature)}, "
            f"learning rate {_number(settings['learning_rate'])}{_data(case_args, ', on ')}; "
            "compared: the probabilities the model ends with")


def _descend_logistic(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    return (f"{your_entry(spec.entry, spec.signature)} for {_number(settings['steps'])} steps, learning rate "
            f"{_number(settings['learning_rate'])}, on the log-loss of logistic regression{_data(case_args, ' with ')}; "
            "compared: the losses it returns")


def _train_classifier(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    data = str(settings.get("data", "two_moons"))
    data_args = settings.get("data_args") or {}
    dataset = f"{data}({format_arguments(data_args)})" if data_args else data
    return (f"{your_entry(spec.entry, spec.signature)} built with seed {_number(settings.get('seed', 0))} and trained for "
            f"{_number(settings['steps'])} steps, learning rate {_number(settings['learning_rate'])}, "
            f"on {dataset}; compared: its training accuracy")


def _call_method(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    merged = {**settings, **case_args}
    init = format_arguments(merged.get("init") or {}) if merged.get("init") else ""
    args = format_arguments(merged.get("args") or {}) if merged.get("args") else ""
    return f"{spec.entry}({init}).{merged['method']}({args})"


def _call_with(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    merged = {**settings, **case_args}
    arguments = merged.get("arguments") or {}
    return f"{spec.entry}({format_arguments(arguments) if arguments else ''})"


_HARNESS_WORDS: dict[str, Callable[[CodeSpec, Mapping[str, Any], Mapping[str, Any]], str]] = {
    "gate_truth_table": _gate_rows,
    "logistic_descent": _logistic_descent,
    "descend_logistic": _descend_logistic,
    "train_classifier": _train_classifier,
    "call_method": _call_method,
    "call_with": _call_with,
    "call_strict": _call_with,
}
