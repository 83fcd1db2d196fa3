"""Reading numbers and arrays the way a learner types them.

The same parser serves the UI's answer fields and `nntutor check`, so a value
that is accepted in one place is accepted in the other. It reads data only: a
tiny tokenizer turns text into nested lists of floats, nothing is evaluated.
Accepted: ``5``, ``0.99``, ``-3e-4``, ``nan``, ``-30 20 20``, ``-30, 20, 20``,
``[-30, 20, 20]``, NumPy's own printout (``[[1. 2.] [3. 4.]]``, ``array([...])``),
one matrix row per line, rows separated by ``;``, and nested lists.
"""

from __future__ import annotations

import math
import re
from typing import Any, Sequence

import numpy as np


class AnswerParseError(ValueError):
    """The text is not a value; the message tells the learner how to type one."""


# A float as Python reads it, plus nan/inf spelled any way float() accepts.
_NUMBER = r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf(?:inity)?)"
_TOKEN = re.compile(rf"\s*(?:(?P<number>{_NUMBER})(?![\w.])|(?P<open>[\[(])|(?P<close>[\])])|(?P<sep>[,;]))", re.IGNORECASE)

_DASHES = {"\u2212": "-", "\u2013": "-", "\u2014": "-"}  # minus sign, en dash, em dash


def _normalise(text: str) -> str:
    for dash, minus in _DASHES.items():
        text = text.replace(dash, minus)
    text = text.strip()
    # NumPy 2 prints scalars as np.float64(0.5): a learner pastes what they saw
    text = re.sub(r"\b(?:np\.|numpy\.)?(?:float|int)(?:16|32|64)?\(\s*([^()]*?)\s*\)", r"\1", text)
    # NumPy's printout: array([...]) or np.array([...], dtype=float64)
    match = re.fullmatch(r"(?:np\.|numpy\.)?array\((?P<body>.*?)(?:,\s*dtype\s*=\s*[\w.]+)?\)", text, re.DOTALL)
    return match.group("body").strip() if match else text


def parse_number(text: str) -> float:
    """One number, e.g. ``5``, ``0.99``, ``-3e-4``, ``[5]`` or ``nan``."""
    cleaned = _normalise(text)
    if not cleaned:
        raise AnswerParseError("Type a number, for example 5 or 0.99.")
    if re.fullmatch(r"[+-]?\d+,\d+", cleaned):
        raise AnswerParseError(f"Use a dot for decimals: {cleaned.replace(',', '.')} rather than {cleaned}.")
    try:
        values = parse_array(cleaned)
    except AnswerParseError as error:
        if "is not a number" not in str(error):
            raise
        raise AnswerParseError(f"{_quote(text)} is not a number. Type digits such as 5, 0.99 or -3e-4.") from None
    if values.size != 1:
        raise AnswerParseError(f"Type one number; you typed {values.size}.")
    return float(values.reshape(()))


def parse_array(text: str, shape: Sequence[int] | None = None) -> np.ndarray:
    """A vector or matrix of floats.

    With `shape`, a flat list with the right number of values is arranged into
    that shape (so ``1 2 3`` fills a 3 x 1 column); any other mismatch is left
    as typed, for the checker to explain in words rather than refuse here.
    """
    cleaned = _normalise(text)
    if not cleaned:
        raise AnswerParseError("Type the values, for example: -30 20 20")
    lines = [line.strip() for line in cleaned.splitlines() if line.strip()]
    if cleaned[0] in "[(" or len(lines) == 1:
        nested = _parse_nested(cleaned)
    else:
        nested = [_parse_row(line, index) for index, line in enumerate(lines, start=1)]
    array = _to_array(nested)
    if array.size == 0:
        raise AnswerParseError("There are no numbers in the brackets.")
    if shape is not None:
        wanted = tuple(int(n) for n in shape)
        if array.shape != wanted and array.ndim <= 1 and array.size == math.prod(wanted):
            array = array.reshape(wanted)
    return array


def _parse_row(line: str, number: int) -> list[Any]:
    try:
        row = _parse_nested(line)
    except AnswerParseError as error:
        raise AnswerParseError(f"Row {number}: {error}") from None
    return row if isinstance(row, list) else [row]


def _parse_nested(text: str) -> Any:
    """Nested lists of floats from brackets, commas, semicolons and spaces.

    Without brackets, ``;`` separates rows (``1 2; 3 4``) and a single number
    stays a number.
    """
    tokens = _tokenize(text)
    if not any(kind in ("open", "close") for kind, _ in tokens):
        rows = _split_rows(tokens)
        if len(rows) == 1:
            row = rows[0]
            return row[0] if len(row) == 1 else row
        return rows
    stack: list[list[Any]] = [[]]
    for kind, value in tokens:
        if kind == "number":
            stack[-1].append(value)
        elif kind == "open":
            stack.append([])
        elif kind == "close":
            if len(stack) == 1:
                raise AnswerParseError("There is a closing bracket without an opening one.")
            finished = stack.pop()
            stack[-1].append(finished)
    if len(stack) > 1:
        raise AnswerParseError("A bracket is not closed: add ']' at the end.")
    items = stack[0]
    if not items:
        raise AnswerParseError("There are no numbers in the brackets.")
    return items[0] if len(items) == 1 else items


def _split_rows(tokens: list[tuple[str, Any]]) -> list[list[float]]:
    rows: list[list[float]] = [[]]
    for kind, value in tokens:
        if kind == "number":
            rows[-1].append(value)
        elif kind == "sep" and value == ";":
            rows.append([])
    rows = [row for row in rows if row]
    if not rows:
        raise AnswerParseError("There are no numbers in your answer.")
    return rows


def _tokenize(text: str) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            bad = text[position:].split()[0] if text[position:].split() else text[position:]
            raise AnswerParseError(f"{_quote(bad)} is not a number. Type digits such as 5, 0.99 or -3e-4.")
        kind = match.lastgroup or ""
        raw = match.group(kind)
        tokens.append((kind, float(raw) if kind == "number" else raw))
        position = match.end()
    return tokens


def _to_array(nested: Any) -> np.ndarray:
    if isinstance(nested, list):
        lengths = {len(item) if isinstance(item, list) else None for item in nested}
        if len(lengths) > 1:
            described = [len(item) if isinstance(item, list) else 1 for item in nested]
            first, odd = described[0], next(i for i, n in enumerate(described) if n != described[0])
            raise AnswerParseError(
                f"Every row needs the same number of values: row 1 has {first}, row {odd + 1} has {described[odd]}."
            )
        for item in nested:
            if isinstance(item, list):
                _to_array(item)  # raises for ragged inner rows
    return np.asarray(nested, dtype=float)


def _quote(text: str) -> str:
    text = text.strip()
    return repr(text if len(text) <= 40 else text[:37] + "...")
