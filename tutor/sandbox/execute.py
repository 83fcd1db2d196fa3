"""Run learner code and report each step as a frame; runs inside the sandboxed child.

Reports go out one at a time (`emit`), as they happen, so a child that dies in
the middle still leaves behind everything it finished: the supervisor can say
"case 3 crashed" rather than "something went wrong". The order is:
``syntax`` | ``exit`` | ``missing_entry`` | (``load_error``) then per call
``raised`` (before formatting an exception, whose __str__ may never return) and
``call``; finally ``done``. ``forbidden`` may appear anywhere.
"""

from __future__ import annotations

import builtins
import sys
import traceback
from types import TracebackType
from typing import Any, Callable, Mapping, Sequence

from tutor.sandbox import harnesses
from tutor.sandbox.wire import UnsupportedValue, encode

FILENAME = "<your code>"
MAX_MESSAGE = 2000
MAX_FRAMES = 12
Emit = Callable[[dict[str, Any]], None]


def run_learner_code(
    source: str,
    entry: str,
    calls: Sequence[tuple[Mapping[str, Any], str | None]],
    emit: Emit,
) -> None:
    """Compile and exec `source` as module "learner", then make each call to `entry`."""
    lines = source.splitlines()
    try:
        code = compile(source, FILENAME, "exec", dont_inherit=True)
    except SyntaxError as error:
        emit(_syntax_frame(error))
        return
    except (ValueError, MemoryError, RecursionError) as error:  # null bytes, absurd nesting
        emit({"k": "syntax", "line": 1, "column": 1, "message": _safe_message(error), "text": ""})
        return
    namespace: dict[str, Any] = {"__name__": "learner", "__builtins__": builtins}
    load_error = None
    try:
        exec(code, namespace)
    except SystemExit as stop:
        emit({"k": "exit", "code": _exit_code(stop)})
        return
    except BaseException as error:  # noqa: BLE001 - any learner exception is data
        load_error = _error_record(error, lines, emit, index=None)
        emit({"k": "load_error", "error": load_error})
    _flush_output()
    target = namespace.get(entry)
    if load_error is None and (target is None or not callable(target)):
        emit({"k": "missing_entry", "found": None if target is None else type(target).__name__, "defined": _defined_names(namespace)})
        return
    for index, (args, harness) in enumerate(calls):
        if load_error is not None:
            emit({"k": "call", "i": index, "error": load_error})
            continue
        emit(_call_frame(index, target, args, harness, lines, emit))
        _flush_output()
    emit({"k": "done"})


def _call_frame(index: int, target: Any, args: Mapping[str, Any], harness: str | None, lines: list[str], emit: Emit) -> dict[str, Any]:
    if harness is not None and harness not in harnesses.__all__:
        return {"k": "call", "i": index, "error": {"type": "HarnessError", "message": f"this exercise names an unknown harness {harness!r}", "traceback": [], "line": None}}
    try:
        if harness is None:
            value = target(**args)
        else:
            value = getattr(harnesses, harness)(target, **args)
    except SystemExit as stop:
        message = f"your code called sys.exit({_exit_code(stop)!r}); return a value instead"
        return {"k": "call", "i": index, "error": {"type": "SystemExit", "message": message, "traceback": [], "line": None}}
    except BaseException as error:  # noqa: BLE001
        return {"k": "call", "i": index, "error": _error_record(error, lines, emit, index)}
    try:
        return {"k": "call", "i": index, "value": encode(value)}
    except UnsupportedValue as problem:
        return {"k": "call", "i": index, "error": {"type": "UnsupportedValue", "message": str(problem), "traceback": [], "line": None}}
    except BaseException as error:  # noqa: BLE001 - e.g. MemoryError while encoding a huge array
        return {"k": "call", "i": index, "error": {"type": _type_name(error), "message": "the returned value could not be sent back", "traceback": [], "line": None}}


def _error_record(error: BaseException, lines: list[str], emit: Emit, index: int | None) -> dict[str, Any]:
    name = _type_name(error)
    emit({"k": "raised", "i": index, "type": name})  # in case formatting never returns
    frames = _learner_frames(error.__traceback__, lines)
    line = None
    if frames:
        line = frames[-1][0]
    if isinstance(error, SyntaxError) and error.filename == FILENAME:
        line = error.lineno
    message = _safe_message(error)
    if isinstance(error, EOFError) and message == "EOF when reading a line":
        message += " (the checker gives your code no keyboard input; use the function's arguments)"
    return {"k": "error", "type": name, "message": message, "traceback": _format_frames(frames), "line": line}


def _learner_frames(tb: TracebackType | None, lines: list[str]) -> list[tuple[int, str, str]]:
    frames = []
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename == FILENAME and lineno is not None:
            text = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
            frames.append((lineno, frame.f_code.co_name, text))
    return frames


def _format_frames(frames: list[tuple[int, str, str]]) -> list[str]:
    shown = [f"line {lineno}, in {name}: {text}" for lineno, name, text in frames]
    if len(shown) > MAX_FRAMES:
        hidden = len(shown) - MAX_FRAMES
        shown = shown[:4] + [f"... {hidden} more lines like these ..."] + shown[-(MAX_FRAMES - 4) :]
    return shown


def _type_name(error: BaseException) -> str:
    name = type(error).__name__
    return name if type(name) is str else "Exception"


def _safe_message(error: BaseException) -> str:
    """str(error), unless it raises; a __str__ that never returns is the deadline's job."""
    try:
        message = str(error)
        if type(message) is not str:
            raise TypeError
    except BaseException as inner:  # noqa: BLE001
        return f"(the message of this {_type_name(error)} could not be shown: {_type_name(inner)})"
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + f"... ({len(message) - MAX_MESSAGE} more characters)"
    return message


def _syntax_frame(error: SyntaxError) -> dict[str, Any]:
    text = (error.text or "").rstrip("\n")
    return {"k": "syntax", "line": int(error.lineno or 1), "column": int(error.offset or 1), "message": str(error.msg), "text": text}


def _exit_code(stop: SystemExit) -> Any:
    code = stop.code
    return code if code is None or type(code) in (int, str) else repr(code)[:200]


def _defined_names(namespace: Mapping[str, Any]) -> list[str]:
    return sorted(
        name for name, value in namespace.items() if type(name) is str and not name.startswith("__") and callable(value)
    )[:20]


def _flush_output() -> None:
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - the learner may have closed it
            pass
