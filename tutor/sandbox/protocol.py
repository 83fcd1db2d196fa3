"""Everything that crosses the sandbox's pipes, in one place, for both ends.

Loaded twice: as ``tutor.sandbox.protocol`` in the tutor, and standalone (with
the rest of the worker's and child's code, never with ``tutor`` or ``engine``)
in the warm worker and its children. So it imports nothing but the standard
library and NumPy.

Three channels:

* tutor <-> worker, a socket: length-prefixed messages (`send_message`,
  `receive_message`), each a JSON header plus an optional binary blob. A
  request is the limits as its header and the job as its blob
  (`encode_request`); the worker parses the limits (`RunLimits.from_json`, the
  only place they are read) and hands the job's bytes on untouched. The reply is the run's facts (`RawRun`) as the
  header and the child's result frames, verbatim, as the blob: the child's
  JSON is parsed once, in the tutor.
* worker -> child, the job pipe: the job's JSON (`decode_job` in the child).
* child -> worker, the result pipe: nonce-checked frames (`write_frame`,
  `FrameReader`).

Values: JSON plus base64 `.npy` for arrays, restricted to numeric or bool
dtypes, so an object array or a custom class can never be unpickled on the
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
import json
import math
import re
import os
import socket
import struct
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

NUMERIC_KINDS = "biufc"  # bool, signed, unsigned, float, complex
MAX_DEPTH = 32
_DTYPE = re.compile(r"[<>|=]?[biufc][0-9]{1,2}")  # e.g. <f8, |b1: never an object or a record
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


def _npy(array: np.ndarray) -> dict[str, Any]:
    """An array as its dtype, shape and raw bytes (base64): rebuilt with
    np.frombuffer, which is tens of times cheaper than parsing an .npy file,
    and a check returns dozens of small arrays."""
    if array.dtype.kind not in NUMERIC_KINDS or array.dtype.fields is not None or array.dtype.subdtype is not None:
        raise UnsupportedValue(f"returned {describe(array)}, expected an array of numbers")
    data = base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")
    return {"dtype": array.dtype.str, "shape": list(array.shape), "data": data}


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
    if type(body) is not dict or set(body) != {"dtype", "shape", "data"}:
        raise InvalidData("array payload is not dtype, shape and data")
    dtype, shape, data = body["dtype"], body["shape"], body["data"]
    if type(dtype) is not str or not _DTYPE.fullmatch(dtype):
        raise InvalidData("array of a non-numeric dtype")
    if type(shape) is not list or len(shape) > MAX_DEPTH or any(type(n) is not int or n < 0 for n in shape):
        raise InvalidData("array with an unreadable shape")
    if type(data) is not str:
        raise InvalidData("array payload is not text")
    try:
        kind = np.dtype(dtype)
        raw = base64.b64decode(data.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, TypeError, ValueError) as error:
        raise InvalidData(f"unreadable array ({type(error).__name__})") from None
    if kind.kind not in NUMERIC_KINDS or kind.fields is not None or len(raw) != math.prod(shape) * kind.itemsize:
        raise InvalidData("array whose bytes do not match its dtype and shape")
    return np.frombuffer(raw, dtype=kind).reshape(shape).copy()


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


# -- tutor <-> worker: socket messages ---------------------------------------------------

_HEADER = struct.Struct(">II")  # header length, blob length
MAX_MESSAGE_BYTES = 256_000_000


def send_message(sock: socket.socket, data: Any, blob: bytes = b"") -> None:
    header = dumps(data)
    sock.sendall(_HEADER.pack(len(header), len(blob)) + header + blob)


def receive_message(sock: socket.socket) -> tuple[Any, bytes] | None:
    """One (header, blob) message, or None at end of stream."""
    prefix = _receive_exactly(sock, _HEADER.size)
    if prefix is None:
        return None
    header_length, blob_length = _HEADER.unpack(prefix)
    if header_length + blob_length > MAX_MESSAGE_BYTES:
        raise InvalidData("message too large")
    body = _receive_exactly(sock, header_length + blob_length)
    if body is None:
        raise EOFError("connection closed mid-message")
    return loads(body[:header_length]), body[header_length:]


def _receive_exactly(sock: socket.socket, count: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < count:
        chunk = sock.recv(min(count - len(chunks), 1 << 20))
        if not chunk:
            if chunks:
                raise EOFError("connection closed mid-message")
            return None
        chunks += chunk
    return bytes(chunks)


# -- the request --------------------------------------------------------------------------


@dataclass(frozen=True)
class RunLimits:
    """What one run may use: wall-clock seconds, bytes of output, MB of memory."""

    time_s: float
    output_bytes: int
    memory_mb: int

    def to_json(self) -> dict[str, Any]:
        return {"time_s": self.time_s, "output_bytes": self.output_bytes, "memory_mb": self.memory_mb}

    @classmethod
    def from_json(cls, data: Any) -> "RunLimits":
        try:
            limits = cls(float(data["time_s"]), int(data["output_bytes"]), int(data["memory_mb"]))
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidData(f"malformed limits: {error!r}") from None
        if not (limits.time_s > 0 and limits.output_bytes > 0 and limits.memory_mb > 0):
            raise InvalidData("limits must be positive")
        return limits


#: The doctor's request: confine a child and let it try the forbidden things.
PROBE_LIMITS = RunLimits(time_s=5.0, output_bytes=100_000, memory_mb=256)


@dataclass(frozen=True)
class Job:
    """What the child needs: the learner's source, the name it must define, and
    the calls, each (arguments, harness name or None)."""

    source: str
    entry: str
    calls: tuple[tuple[Mapping[str, Any], "str | None"], ...]
    probe: bool = False
    probe_paths: tuple[tuple[str, str], ...] = ()  # (what, path) the probe must fail to read


def encode_request(
    source: str, entry: str, calls: Sequence[tuple[Mapping[str, Any], "str | None"]], limits: RunLimits
) -> tuple[dict[str, Any], bytes]:
    """The request's header (the limits, for the worker) and blob (the job, for the child)."""
    job = {"source": source, "entry": entry, "calls": [{"args": encode(dict(args)), "harness": harness} for args, harness in calls]}
    return {"limits": limits.to_json()}, dumps(job)


def probe_request(unreadable: Sequence[tuple[str, str]] = ()) -> tuple[dict[str, Any], bytes]:
    return {"limits": PROBE_LIMITS.to_json(), "probe": True}, dumps({"probe": True, "unreadable": [list(pair) for pair in unreadable]})


def decode_job(data: Any) -> Job:
    if type(data) is not dict:
        raise InvalidData("job is not an object")
    if data.get("probe") is True:
        try:
            paths = tuple((str(what), str(path)) for what, path in data.get("unreadable", ()))
        except (TypeError, ValueError) as error:
            raise InvalidData(f"malformed probe: {error!r}") from None
        return Job(source="", entry="", calls=(), probe=True, probe_paths=paths)
    try:
        calls = []
        for call in data["calls"]:
            args = decode(call["args"])
            if type(args) is not dict:
                raise InvalidData("call arguments are not a dict")
            harness = call.get("harness")
            calls.append((args, None if harness is None else str(harness)))
        return Job(source=str(data["source"]), entry=str(data["entry"]), calls=tuple(calls))
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidData(f"malformed request: {error!r}") from None


# -- child -> worker: result frames --------------------------------------------------------
#
# Each frame is ``nonce (16 bytes) | length (4 bytes, big-endian) | JSON``. The
# nonce is drawn fresh for every run by the supervising process, so bytes that
# learner code writes blindly to whatever file descriptors it finds cannot pass as
# a report: the reader stops at the first frame without the nonce and says so.
# An empty frame marks the end of the report, so the supervisor need not wait
# for the child's exit (tearing down its address space) to know it is done.
# (Learner code runs in the same process as the reporter, so a determined snippet
# could dig the nonce out of memory; what it gains is control over its *own*
# run's values, which the tutor still judges against the engine on its side.)

NONCE_BYTES = 16
_LENGTH = struct.Struct(">I")
FRAME_HEADER_BYTES = NONCE_BYTES + _LENGTH.size


def new_nonce() -> bytes:
    return os.urandom(NONCE_BYTES)


def pack(nonce: bytes, payload: bytes) -> bytes:
    return nonce + _LENGTH.pack(len(payload)) + payload


def write_frame(fd: int, nonce: bytes, payload: bytes) -> None:
    """Write one whole frame, retrying short writes (pipes may take it in pieces)."""
    view = memoryview(pack(nonce, payload))
    while view:
        written = os.write(fd, view)
        view = view[written:]


_FOREIGN = "the result channel received bytes that did not come from the checker"


class FrameReader:
    """Incrementally splits the bytes read from a result pipe into payloads.

    `problem` is set (and further bytes ignored) as soon as something arrives that
    is not a frame of this run; `total` counts every byte for the size cap.
    """

    def __init__(self, nonce: bytes, max_bytes: int) -> None:
        self._nonce = nonce
        self._max_bytes = max_bytes
        self._buffer = bytearray()
        self.payloads: list[bytes] = []
        self.problem: str | None = None
        self.truncated = False  # the stream ended inside a frame: the child was cut off
        self.finished = False  # the child sent its empty end-of-report frame
        self.total = 0

    def feed(self, data: bytes) -> None:
        self.total += len(data)
        if self.problem is not None:
            return
        if self.total > self._max_bytes:
            self.problem = f"the result was larger than {self._max_bytes // 1_000_000} MB"
            return
        self._buffer += data
        while len(self._buffer) >= FRAME_HEADER_BYTES:
            if bytes(self._buffer[:NONCE_BYTES]) != self._nonce:
                self.problem = _FOREIGN
                return
            (length,) = _LENGTH.unpack_from(self._buffer, NONCE_BYTES)
            if len(self._buffer) < FRAME_HEADER_BYTES + length:
                return
            if length == 0:
                self.finished = True
            else:
                self.payloads.append(bytes(self._buffer[FRAME_HEADER_BYTES : FRAME_HEADER_BYTES + length]))
            del self._buffer[: FRAME_HEADER_BYTES + length]

    def finish(self) -> None:
        """Call at end of stream: a partial frame left over means the child was cut off mid-report."""
        if self.problem is None and self._buffer:
            if len(self._buffer) >= NONCE_BYTES and bytes(self._buffer[:NONCE_BYTES]) != self._nonce:
                self.problem = _FOREIGN
            elif len(self._buffer) < NONCE_BYTES and not self._nonce.startswith(bytes(self._buffer)):
                self.problem = _FOREIGN
            else:
                self.truncated = True


# -- worker -> tutor: the reply -------------------------------------------------------------


@dataclass(frozen=True)
class RawRun:
    """Facts about one finished child, as its supervisor saw them; the child's
    frames are still unparsed bytes (`payloads`)."""

    payloads: tuple[bytes, ...] = ()
    frame_problem: str | None = None  # bytes on the result pipe that were not our frames
    truncated: bool = False  # the result stream ended inside a frame
    output: str = ""
    # where each part of `output` ends (character offsets): loading the module, then each call
    output_marks: tuple[int, ...] = ()
    output_overflow: bool = False
    timed_out: bool = False  # the wall-clock deadline passed and the child was killed
    exit_code: int | None = None
    signal: int | None = None
    cpu_s: float = 0.0
    cpu_limit_s: float | None = None
    elapsed_s: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_message(self) -> tuple[dict[str, Any], bytes]:
        """The reply's header (facts and frame sizes) and blob (the frames)."""
        header = {
            "frames": [len(p) for p in self.payloads],
            "frame_problem": self.frame_problem,
            "truncated": self.truncated,
            "output": self.output,
            "output_marks": list(self.output_marks),
            "output_overflow": self.output_overflow,
            "timed_out": self.timed_out,
            "exit_code": self.exit_code,
            "signal": self.signal,
            "cpu_s": self.cpu_s,
            "cpu_limit_s": self.cpu_limit_s,
            "elapsed_s": self.elapsed_s,
        }
        return header, b"".join(self.payloads)

    @classmethod
    def from_message(cls, data: Any, blob: bytes) -> "RawRun":
        """The worker is our code, but read its reply defensively all the same."""
        if type(data) is not dict:
            raise InvalidData("worker reply is not an object")
        try:
            sizes = [int(n) for n in data.get("frames", ())]
            if sum(sizes) != len(blob) or any(n < 0 for n in sizes):
                raise ValueError("frame sizes do not add up")
            payloads, start = [], 0
            for n in sizes:
                payloads.append(blob[start : start + n])
                start += n
            return cls(
                payloads=tuple(payloads),
                frame_problem=_opt(data.get("frame_problem"), str),
                truncated=bool(data.get("truncated")),
                output=str(data.get("output", "")),
                output_marks=_marks(data.get("output_marks", ()), len(str(data.get("output", "")))),
                output_overflow=bool(data.get("output_overflow")),
                timed_out=bool(data.get("timed_out")),
                exit_code=_opt(data.get("exit_code"), int),
                signal=_opt(data.get("signal"), int),
                cpu_s=float(data.get("cpu_s") or 0.0),
                cpu_limit_s=_opt(data.get("cpu_limit_s"), float),
                elapsed_s=float(data.get("elapsed_s") or 0.0),
            )
        except (TypeError, ValueError) as error:
            raise InvalidData(f"worker reply malformed: {error}") from None


def _marks(data: Any, length: int) -> tuple[int, ...]:
    marks = tuple(int(mark) for mark in data)
    if any(not 0 <= a <= b <= length for a, b in zip((0,) + marks, marks)):
        raise ValueError("output marks out of order")
    return marks


def _opt(value: Any, kind: type) -> Any:
    return None if value is None else kind(value)
