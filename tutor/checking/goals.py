"""A tune exercise's goal: whether it holds for a run, said in a sentence.

The learner moved a slider and watched a curve; they know "the final loss",
not the result's field `final_loss`. So the sentence names the quantity in
words derived from the select path, says what it must be rather than "not
below", and for a truth table names the rows that are wrong ("For inputs
(0, 1) and (1, 0) the neuron gives 0.000045; OR needs 1."). The tutor puts its
own "Not yet:" or "Correct:" in front, so the sentence carries no verdict word.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from tutor.checking.compare import compare
from tutor.checking.expected import LessonError, evaluate_ref
from tutor.checking.values import describe_shape, format_number, format_value
from tutor.checking.wording import sentence
from tutor.course.engine_refs import EngineRefError, apply_select, parse_select
from tutor.course.model import EngineRef, Exercise, Tolerance


@dataclass(frozen=True)
class GoalReport:
    """Whether a condition holds, a sentence saying so, and the value it looked at (for the UI)."""

    holds: bool
    text: str
    value: Any


def judge_condition(condition: Mapping[str, Any], result: Any, exercise: Exercise) -> GoalReport:
    """Whether `condition` ({select, below | above | equals, round}) holds for a run's result."""
    select = condition.get("select")
    try:
        quantity = apply_select(result, select) if select else result
    except EngineRefError as error:
        raise LessonError(f"{exercise.qualified_id}: {error}") from None
    name = Quantity.of(select)
    if "below" in condition or "above" in condition:
        return _limit(condition, quantity, name)
    reference = condition.get("equals")
    if not isinstance(reference, EngineRef):
        raise LessonError(f"{exercise.qualified_id}: a condition needs 'below', 'above' or 'equals'")
    wanted = evaluate_ref(reference, exercise)
    got = quantity
    if condition.get("round"):
        got, wanted = np.round(np.asarray(got, dtype=float)), np.round(np.asarray(wanted, dtype=float))
    rows = _table_inputs(result, got, wanted)
    if rows is not None:
        return _truth_table(rows, np.asarray(got, dtype=float), np.asarray(wanted, dtype=float),
                            exercise.tolerance, _gate_name(result))
    mismatch = compare(got, wanted, exercise.tolerance)
    if mismatch is None:
        return GoalReport(True, sentence(f"{name.words} {name.be} {format_value(got)}, as wanted."), got)
    text = f"{name.words} {name.be} {format_value(got)}; wanted {format_value(wanted)}."
    if mismatch.kind == "wrong_shape":
        text = (f"{name.words} {name.be} {describe_shape(np.shape(got))}; "
                f"wanted {describe_shape(np.shape(wanted))}.")
    elif mismatch.difference():
        text += f" {sentence(mismatch.difference())}."
    return GoalReport(False, sentence(text), got)


@dataclass(frozen=True)
class Quantity:
    """The selected quantity in words ("the final loss") and its verb ("is")."""

    words: str
    plural: bool

    @property
    def be(self) -> str:
        return "are" if self.plural else "is"

    @property
    def pronoun(self) -> str:
        return "they" if self.plural else "it"

    @classmethod
    def of(cls, select: str | None) -> "Quantity":
        """Words for a select path: "final_loss" is "the final loss", "losses[-1]"
        "the last loss", "errors[10000]" "the error after 10,000 steps" (a
        history is indexed by the steps taken)."""
        if not select:
            return cls("the result", False)
        try:
            steps = parse_select(select)
        except EngineRefError:
            return cls(f"the value of {select}", False)
        named = [i for i, (kind, step) in enumerate(steps) if kind in ("attr", "key") and isinstance(step, str)]
        if not named:
            return cls(f"the value of {select}", False)
        name, after = steps[named[-1]][1], steps[named[-1] + 1:]
        if not after:
            words = _KNOWN_NAMES.get(name, "the " + name.replace("_", " "))
            return cls(words, _is_plural(name))
        if len(after) == 1 and after[0][0] == "index" and isinstance(after[0][1], int):
            one = _singular(name).replace("_", " ")
            index = after[0][1]
            if index == -1:
                return cls(f"the last {one}", False)
            if index == 0:
                return cls(f"the {one} at the start", False)
            if index > 0:
                return cls(f"the {one} after {index:,} step{'s' if index != 1 else ''}", False)
        return cls(f"the value of {select}", False)


# Result fields whose plain reading ("the output after step") is not quite English.
_KNOWN_NAMES = {
    "output_after_step": "the output after one step",
    "f_after_step": "the value of f after one step",
}


def _is_plural(name: str) -> bool:
    return name.endswith("s") and not name.endswith(("ss", "us", "is"))


def _singular(name: str) -> str:
    if name.endswith("sses"):
        return name[:-2]
    return name[:-1] if _is_plural(name) else name


def _limit(condition: Mapping[str, Any], quantity: Any, name: Quantity) -> GoalReport:
    number = float(np.asarray(quantity, dtype=float).reshape(()))
    if math.isnan(number):
        return GoalReport(False, sentence(f"{name.words} {name.be} NaN (not a number): the run blew up. "
                                          "Try a smaller value."), number)
    side = "below" if "below" in condition else "above"
    limit = float(condition[side])
    holds = number < limit if side == "below" else number > limit
    shown, bound = format_number(number), format_number(limit)
    if holds:
        return GoalReport(True, sentence(f"{name.words} {name.be} {shown}, {side} {bound}."), number)
    return GoalReport(False, sentence(f"{name.words} {name.be} {shown}; {name.pronoun} must be {side} {bound}."), number)


# -- truth tables -------------------------------------------------------------

def _table_inputs(result: Any, got: Any, wanted: Any) -> np.ndarray | None:
    """The input rows of a run whose selected value is one number per row."""
    inputs = result.get("inputs") if isinstance(result, Mapping) else getattr(result, "inputs", None)
    try:
        rows = np.asarray(inputs, dtype=float)
        got_array, wanted_array = np.asarray(got, dtype=float), np.asarray(wanted, dtype=float)
    except (TypeError, ValueError):
        return None
    if rows.ndim != 2 or got_array.ndim != 1 or got_array.shape != wanted_array.shape or len(rows) != len(got_array):
        return None
    return rows


def _gate_name(result: Any) -> str | None:
    gate = result.get("gate") if isinstance(result, Mapping) else getattr(result, "gate", None)
    return gate if isinstance(gate, str) and gate else None


def _truth_table(rows: np.ndarray, got: np.ndarray, wanted: np.ndarray, tolerance: Tolerance,
                 gate: str | None) -> GoalReport:
    close = np.isclose(got, wanted, rtol=tolerance.rel, atol=tolerance.abs)
    if bool(np.all(close)):
        table = f"the {gate} table" if gate else "the table"
        who = "The neuron matches" if gate else "The outputs match"
        return GoalReport(True, f"{who} {table} on all {len(rows)} inputs.", got)
    groups: dict[float, list[int]] = {}
    for index in np.flatnonzero(~close):
        groups.setdefault(float(wanted[index]), []).append(int(index))
    parts = []
    for target, indices in groups.items():
        inputs = _and_list([_row(rows[i]) for i in indices])
        shown = [_row_value(got[i], target, tolerance) for i in indices]
        gives = shown[0] if len(set(shown)) == 1 else _and_list(shown)  # one value per row, in order
        needs = f"{gate} needs {format_number(target)}" if gate else f"wanted {format_number(target)}"
        word = "inputs" if len(indices) > 1 else "input"
        subject = "the neuron gives" if gate else "the output is"
        parts.append(f"For {word} {inputs} {subject} {gives}; {needs}.")
    return GoalReport(False, " ".join(parts), got)


def _row(row: np.ndarray) -> str:
    return "(" + ", ".join(format_number(value) for value in row) + ")"


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _row_value(value: float, target: float, tolerance: Tolerance) -> str:
    """A row's output in plain decimals, with as few digits as still show that it
    misses the target ("0.000045", not "4.53979e-05" or a misleading "0.99")."""
    if value == int(value):
        return str(int(value))
    if abs(value) < 1e-6:
        return f"{value:.2g}"
    allowed = tolerance.abs + tolerance.rel * abs(target)
    shown = ""
    for digits in range(2, 9):
        shown = np.format_float_positional(value, precision=digits, unique=False, fractional=False, trim="-")
        if abs(float(shown) - target) > allowed:
            break
    return shown
