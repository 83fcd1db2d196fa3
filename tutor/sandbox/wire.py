"""Values as plain data, so nothing learner code returns can run code in the tutor.

Whatever crosses the process boundary is JSON. NumPy arrays travel as ``.npy``
bytes (base64) and are read back with ``allow_pickle=False`` and only numeric or
bool dtypes, so an object array or a custom class can never be unpickled on the
tutor side. The encoder runs in the sandboxed child and turns anything it does not
understand into `UnsupportedValue` (a message for the learner); the decoder runs in
the tutor and turns anything malformed into `InvalidData` (an "invalid result"
verdict). Neither ever raises anything else on bad input.

Tags, since JSON has no tuples, arrays or NaN:
``{"$nd": b64}`` array, ``{"$np": b64}`` NumPy scalar (a 0-d array), ``{"$tuple": [...]}``,
``{"$dict": {...}}``, ``{"$float": "nan" | "inf" | "-inf"}``; lists are JSON lists.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import math
from typing import Any

import numpy as np

NUMERIC_KINDS = "biufc"  # bool, signed, unsigned, float, complex
MAX_DEPTH = 32
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class UnsupportedValue(Exception):
    """Learner code returned something that is not plain numeric data."""


class InvalidData(Exception):
    """What came back from the sandbox is not well-formed data."""


def describe(value: Any) -> str:
    """'a generator', 'an int': the type of a value in words for messages."""
    name = type(value).__name__
    if isinstance(value, np.ndarray):
        return f"a NumPy array of dtype {value.dtype}"
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def encode(value: Any, _depth: int = 0) -> Any:
    """Turn a returned value into JSON-ready data or raise UnsupportedValue."""
    if _depth > MAX_DEPTH:
        raise UnsupportedValue("returned values nested too deeply (or containing themselves)")
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        try:
            json.dumps(value)  # ints beyond the str-conversion limit cannot be shown
        except ValueError:
            raise UnsupportedValue("returned an integer too large to show") from None
        return value
    if kind is float:
        if math.isfinite(value):
            return value
        return {"$float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if isinstance(value, np.ndarray):
        return {"$nd": _npy(value)}
    if isinstance(value, np.generic):
        return {"$np": _npy(np.asarray(value))}
    if kind is list:
        return [encode(item, _depth + 1) for item in value]
    if kind is tuple:
        return {"$tuple": [encode(item, _depth + 1) for item in value]}
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise UnsupportedValue(f"returned a dict with {describe(key)} key; only text keys can be shown")
            out[key] = encode(item, _depth + 1)
        return {"$dict": out}
    raise UnsupportedValue(f"returned {describe(value)}, expected a number or a NumPy array")


def _npy(array: np.ndarray) -> str:
    if array.dtype.kind not in NUMERIC_KINDS or array.dtype.fields is not None or array.dtype.subdtype is not None:
        raise UnsupportedValue(f"returned {describe(array)}, expected an array of numbers")
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def decode(data: Any, _depth: int = 0) -> Any:
    """Rebuild a value from `encode`'s output, trusting nothing about it."""
    if _depth > MAX_DEPTH + 1:
        raise InvalidData("value nested too deeply")
    kind = type(data)
    if data is None or kind in (bool, str, int):
        return data
    if kind is float:
        if not math.isfinite(data):
            raise InvalidData("bare non-finite float")
        return data
    if kind is list:
        return [decode(item, _depth + 1) for item in data]
    if kind is not dict or len(data) != 1:
        raise InvalidData(f"unexpected {kind.__name__} in value")
    ((tag, body),) = data.items()
    if tag == "$nd":
        return _load_npy(body)
    if tag == "$np":
        array = _load_npy(body)
        if array.shape != ():
            raise InvalidData("NumPy scalar with a shape")
        return array[()]
    if tag == "$tuple" and type(body) is list:
        return tuple(decode(item, _depth + 1) for item in body)
    if tag == "$dict" and type(body) is dict:
        return {key: decode(item, _depth + 1) for key, item in body.items()}
    if tag == "$float" and body in _NONFINITE:
        return _NONFINITE[body]
    raise InvalidData(f"unknown tag {tag[:20]!r}")


def _load_npy(body: Any) -> np.ndarray:
    if type(body) is not str:
        raise InvalidData("array payload is not text")
    try:
        raw = base64.b64decode(body.encode("ascii"), validate=True)
        array = np.load(io.BytesIO(raw), allow_pickle=False)
    except (binascii.Error, UnicodeEncodeError, ValueError, OSError, EOFError) as error:
        raise InvalidData(f"unreadable array ({type(error).__name__})") from None
    if not isinstance(array, np.ndarray) or array.dtype.kind not in NUMERIC_KINDS or array.dtype.fields is not None:
        raise InvalidData("array of a non-numeric dtype")
    return array


def dumps(data: Any) -> bytes:
    """Strict JSON (no bare NaN) as UTF-8 bytes."""
    return json.dumps(data, allow_nan=False, separators=(",", ":")).encode("utf-8")


def loads(raw: bytes | str) -> Any:
    """Parse strict JSON; anything else (bare NaN, bad UTF-8, absurd nesting) is InvalidData."""

    def reject(constant: str) -> Any:
        raise InvalidData(f"bare {constant} in JSON")

    try:
        return json.loads(raw, parse_constant=reject)
    except InvalidData:
        raise
    except (ValueError, RecursionError, TypeError) as error:
        raise InvalidData(f"malformed JSON ({type(error).__name__})") from None
