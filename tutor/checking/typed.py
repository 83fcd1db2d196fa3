"""Checking answers the learner types: a number, an array, a choice, a prediction.

These are judged in the calling process: the answer is data (parsed, never
evaluated) and the expected value comes from the trusted engine.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from tutor.checking.answers import AnswerParseError, parse_array, parse_number
from tutor.checking.compare import Mismatch, compare
from tutor.checking.expected import LessonError, evaluate_ref, expected_value
from tutor.checking.values import describe_shape, format_number, format_value
from tutor.checking.verdict import Verdict
from tutor.checking.wording import quoted
from tutor.course.model import Exercise, Tolerance, WrongAnswer


def check_number(exercise: Exercise, text: str) -> Verdict:
    expected = _single_number(expected_value(exercise), exercise)
    try:
        value = parse_number(text)
    except AnswerParseError as error:
        return Verdict("error", str(error))
    shown = format_number(value)
    if compare(value, expected, exercise.tolerance) is None:
        return Verdict("pass", f"Correct: {format_number(expected)}.", values={"expected": expected})
    slack = _typed_slack(text)
    wrong = _known_wrong(exercise, value, slack, parse=parse_number)
    if wrong:
        return Verdict("fail", wrong.message)
    if np.isnan(value):
        return Verdict("fail", "You gave NaN (not a number); the answer is a real number.")
    if np.isinf(value):
        return Verdict("fail", f"You gave {shown} (infinity); the answer is a finite number.")
    if slack and abs(value - expected) <= slack:
        return Verdict(
            "fail",
            f"{text.strip()} is right to the digits you gave, but the answer must be "
            f"{describe_tolerance(exercise.tolerance)}. Give more digits.",
        )
    direction = "too high" if value > expected else "too low"
    return Verdict("fail", f"{shown} is {direction}.")


def _single_number(value: Any, exercise: Exercise) -> float:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        array = np.asarray([])
    if array.size != 1:
        raise LessonError(
            f"{exercise.qualified_id}: a number exercise needs one number from the engine, got {format_value(value)}"
        )
    return float(array.reshape(()))


def check_array(exercise: Exercise, text: str) -> Verdict:
    expected = np.asarray(expected_value(exercise), dtype=float)
    try:
        value = parse_array(text, shape=exercise.shape or expected.shape)
    except AnswerParseError as error:
        return Verdict("error", str(error))
    mismatch = compare(value, expected, exercise.tolerance)
    if mismatch is None:
        return Verdict("pass", f"Correct: {format_value(expected)}.", values={"expected": expected})
    wrong = _known_wrong(exercise, value, 0.0, parse=lambda answer: parse_array(answer, shape=expected.shape))
    if wrong:
        return Verdict("fail", wrong.message)
    return Verdict("fail", describe_typed_mismatch(mismatch, exercise))


def describe_typed_mismatch(mismatch: Mismatch, exercise: Exercise) -> str:
    """A mismatch phrased about what the learner typed ("you gave ...")."""
    actual = np.asarray(mismatch.actual)
    expected = np.asarray(mismatch.expected)
    if mismatch.kind == "wrong_shape":
        wanted = describe_shape(expected.shape)
        reason = f"{exercise.shape_words} ({wanted})" if exercise.shape_words else f"the answer is {wanted}"
        return f"You gave {describe_shape(actual.shape)}; {reason}{mismatch.note}."
    where = f" at {mismatch.where()}" if mismatch.where() else ""
    if mismatch.kind == "nan":
        return f"You gave NaN (not a number){where}; every value must be a real number."
    if mismatch.kind == "inf":
        return f"You gave infinity{where}; every value must be finite."
    assert mismatch.actual_item is not None and mismatch.expected_item is not None
    direction = "too high" if mismatch.actual_item > mismatch.expected_item else "too low"
    gave = format_number(mismatch.actual_item)
    if mismatch.total <= 1:
        return f"{gave} is {direction}."
    others = "the others are right" if mismatch.count == 1 else f"{mismatch.count} of {mismatch.total} values are off"
    return f"The value{where} ({gave}) is {direction}; {others}."


def check_choice(exercise: Exercise, text: str) -> Verdict:
    if exercise.answer is None:
        raise LessonError(f"{exercise.qualified_id}: a choice exercise needs an answer")
    try:
        correct = choice_index(exercise.choices, exercise.answer)
    except AnswerParseError as error:
        raise LessonError(f"{exercise.qualified_id}: answer {exercise.answer!r}: {error}") from None
    try:
        picked = choice_index(exercise.choices, text)
    except AnswerParseError as error:
        return Verdict("error", str(error))
    if picked == correct:
        return Verdict("pass", f"Correct: {exercise.choices[correct]}", values={"choice": picked + 1})
    for wrong in exercise.wrong:
        try:
            if wrong.answer is not None and choice_index(exercise.choices, wrong.answer) == picked:
                return Verdict("fail", wrong.message, values={"choice": picked + 1})
        except AnswerParseError:
            continue
    return Verdict("fail", f"{quoted(exercise.choices[picked])} is not right.", values={"choice": picked + 1})


def choice_index(choices: tuple[str, ...], text: str) -> int:
    """The 0-based option meant by `text`: the option's own text, then its text
    written more loosely, then its 1-based number or its letter.

    Text comes first so an option that looks like a number or ends in ")" (such
    as "(4, 4)" or "a * (1 - a)") is matched as typed; each looser form is
    applied to the typed text and to every option alike, and counts only when
    it picks out exactly one option.
    """
    if not choices:
        raise AnswerParseError("This question has no options.")
    for form in _OPTION_FORMS:
        wanted = form(text)
        if not wanted:
            continue
        matches = [index for index, option in enumerate(choices) if form(option) == wanted]
        if len(matches) == 1:
            return matches[0]
    letters = "abcdefghijklmnopqrstuvwxyz"[: len(choices)]
    label = _option_label(text)
    if label.isdigit() and 1 <= int(label) <= len(choices):
        return int(label) - 1
    if len(label) == 1 and label.lower() in letters:
        return letters.index(label.lower())
    raise AnswerParseError(
        f"There is no option {text.strip()!r}: choose 1 to {len(choices)}, "
        f"a to {letters[-1]}, or type the option's text."
    )


def _exact(text: str) -> str:
    return text.strip()


def _loose(text: str) -> str:
    """Case, runs of spaces, surrounding backticks and a final full stop ignored."""
    return " ".join(text.strip().strip("`").casefold().split()).rstrip(".").rstrip()


def _spaceless(text: str) -> str:
    """`_loose` without any spaces, so "a*(1-a)" is "a * (1 - a)"."""
    return "".join(_loose(text).split())


_OPTION_FORMS = (_exact, _loose, _spaceless)


def _option_label(text: str) -> str:
    """"2", "2.", "2)", "(b)" and "b)" all name an option by its label."""
    label = text.strip()
    if label.startswith("(") and label.endswith(")"):
        label = label[1:-1]
    return label.rstrip(".)").strip()


def check_predict(exercise: Exercise, text: str) -> Verdict:
    """A prediction is judged like a number (or array), and the engine's value is
    always handed back in ``values["actual"]`` so the UI can show the run."""
    actual = expected_value(exercise)
    actual_array = np.asarray(actual, dtype=float)
    try:
        if actual_array.ndim == 0:
            prediction: Any = parse_number(text)
        else:
            prediction = parse_array(text, shape=actual_array.shape)
    except AnswerParseError as error:
        return Verdict("error", str(error), values={"actual": actual})
    values = {"actual": actual, "prediction": prediction}
    computed = f"The engine computed {format_value(actual)}"
    mismatch = compare(prediction, actual_array, exercise.tolerance)
    if mismatch is None:
        return Verdict("pass", f"Good prediction. {computed}.", values=values)
    parse = parse_number if actual_array.ndim == 0 else (lambda answer: parse_array(answer, shape=actual_array.shape))
    wrong = _known_wrong(exercise, prediction, _typed_slack(text) if actual_array.ndim == 0 else 0.0, parse=parse)
    if wrong:
        return Verdict("fail", wrong.message, details=(f"{computed}.",), values=values)
    return Verdict("fail", f"{computed}; you predicted {format_value(prediction)}.", values=values)


def _known_wrong(exercise: Exercise, value: Any, slack: float, parse: Any) -> WrongAnswer | None:
    """The first known wrong answer the learner's value matches.

    `slack` widens the match to the rounding of what the learner typed, so
    0.731 is recognised as sigmoid(1) = 0.7310586 rounded.
    """
    tolerance = Tolerance(abs=max(exercise.tolerance.abs, slack), rel=exercise.tolerance.rel)
    for wrong in exercise.wrong:
        try:
            if wrong.engine is not None:
                wrong_value = evaluate_ref(wrong.engine, exercise)
            elif wrong.answer is not None:
                wrong_value = parse(wrong.answer)
            else:
                continue
        except (AnswerParseError, LessonError):
            continue
        if compare(value, np.asarray(wrong_value, dtype=float), tolerance) is None:
            return wrong
    return None


def _typed_slack(text: str) -> float:
    """Half a unit in the last decimal the learner typed (0.0005 for "0.731"),
    when they typed at least two decimals; 0 otherwise."""
    match = re.fullmatch(r"\s*[+-]?\d*\.(\d+)(?:[eE]([+-]?\d+))?\s*", text.replace("\u2212", "-"))
    if not match or len(match.group(1)) < 2:
        return 0.0
    exponent = int(match.group(2) or 0)
    return 0.5 * 10.0 ** (exponent - len(match.group(1)))


def describe_tolerance(tolerance: Tolerance) -> str:
    """The tolerance in words: "within 1e-06 (or 1e-06 relative)"."""
    parts = []
    if tolerance.abs:
        parts.append(f"within {format_number(tolerance.abs)}")
    if tolerance.rel:
        parts.append(f"within {format_number(tolerance.rel * 100)}% relative")
    return " or ".join(parts) if parts else "exact"
