"""From what the supervisor observed to a RunResult a learner can read.

The worker's supervisor reports facts (`protocol.RawRun`): the frames the child
sent, its output, how it ended. This module decides what happened and says it in
words, trusting none of the child's data: every frame is parsed strictly and
anything malformed becomes status "invalid_result". Runs in the tutor process.
"""

from __future__ import annotations

import signal
from typing import Any

from tutor.course.model import Limits
from tutor.sandbox.api import CallOutcome, LearnerError, Progress, RunResult, SyntaxProblem
from tutor.sandbox.protocol import InvalidData, RawRun, decode, loads


class _Frames:
    """The child's frames, parsed and checked one field at a time."""

    def __init__(self, payloads: tuple[bytes | str, ...]) -> None:
        self.syntax: SyntaxProblem | None = None
        self.exit: dict[str, Any] | None = None
        self.missing: dict[str, Any] | None = None
        self.load_error: LearnerError | None = None
        self.calls: dict[int, CallOutcome] = {}
        self.raised: dict[str, Any] | None = None  # last "about to format an exception"
        self.forbidden: list[str] = []
        self.progress: Progress | None = None
        self.done = False
        for payload in payloads:
            self._take(loads(payload))

    def _take(self, frame: Any) -> None:
        if type(frame) is not dict or type(frame.get("k")) is not str:
            raise InvalidData("frame is not a tagged object")
        kind = frame["k"]
        if kind == "syntax":
            self.syntax = SyntaxProblem(
                line=_int(frame, "line"), column=_int(frame, "column"), message=_str(frame, "message"), text=_str(frame, "text")
            )
        elif kind == "exit":
            self.exit = frame
        elif kind == "missing_entry":
            self.missing = frame
        elif kind == "load_error":
            self.load_error = _learner_error(frame.get("error"))
        elif kind == "raised":
            self.raised = {"i": frame.get("i"), "type": _str(frame, "type")}
        elif kind == "call":
            index = _int(frame, "i")
            if index in self.calls or index != len(self.calls):
                raise InvalidData("call reported out of order")
            if "error" in frame:
                self.calls[index] = CallOutcome(error=_learner_error(frame["error"]))
            else:
                self.calls[index] = CallOutcome(value=decode(frame.get("value")))
            self.raised = None
        elif kind == "forbidden":
            what = _str(frame, "what")
            if what not in self.forbidden:
                self.forbidden.append(what)
        elif kind == "progress":
            seconds = frame.get("s")
            if type(seconds) not in (int, float):
                raise InvalidData("progress time is not a number")
            self.progress = Progress(call=_int(frame, "i"), done=_int(frame, "done"), total=_int(frame, "total"), elapsed_s=float(seconds))
        elif kind == "done":
            self.done = True
        else:
            raise InvalidData(f"unknown frame kind {kind[:20]!r}")


def _int(frame: dict[str, Any], key: str) -> int:
    value = frame.get(key)
    if type(value) is not int:
        raise InvalidData(f"{key} is not an integer")
    return value


def _str(frame: dict[str, Any], key: str) -> str:
    value = frame.get(key)
    if type(value) is not str:
        raise InvalidData(f"{key} is not text")
    return value


def _learner_error(data: Any) -> LearnerError:
    if type(data) is not dict:
        raise InvalidData("error is not an object")
    trace = data.get("traceback", [])
    line = data.get("line")
    if type(trace) is not list or any(type(t) is not str for t in trace) or (line is not None and type(line) is not int):
        raise InvalidData("malformed traceback")
    return LearnerError(type_name=_str(data, "type"), message=_str(data, "message"), traceback=tuple(trace), line=line)


def describe_signal(number: int) -> str:
    try:
        name = signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
    words = {
        "SIGSEGV": "a segmentation fault",
        "SIGABRT": "an abort",
        "SIGBUS": "a bus error",
        "SIGFPE": "a floating-point exception",
        "SIGILL": "an illegal instruction",
        "SIGSYS": "a blocked system call",
    }.get(name)
    return f"{words} ({name})" if words else name


def to_run_result(raw: RawRun, limits: Limits, entry: str) -> RunResult:
    """Decide the status and write the message; see RunStatus for the meanings."""
    progress: Progress | None = None  # known once the frames are read; `result` sends it along

    def result(status: str, message: str = "", calls: tuple[CallOutcome, ...] = (), syntax: SyntaxProblem | None = None) -> RunResult:
        load, parts = _output_parts(raw, len(calls))
        return RunResult(status=status, calls=calls, output=raw.output, message=message, syntax=syntax,  # type: ignore[arg-type]
                         elapsed_s=raw.elapsed_s, progress=progress, load_output=load, call_outputs=parts)

    if raw.frame_problem is not None:
        return result("invalid_result", f"The result of your code could not be trusted: {raw.frame_problem}.")
    try:
        frames = _Frames(raw.payloads)
    except InvalidData as problem:
        return result("invalid_result", f"The result of your code could not be read: {problem}.")
    calls = tuple(frames.calls[i] for i in range(len(frames.calls)))
    progress = frames.progress
    if raw.output_overflow:
        return result("output_limit", f"Your code printed more than {_size(limits.output_bytes)}; it was stopped there.", calls)
    if frames.forbidden:
        things = " and to ".join(frames.forbidden)
        return result("forbidden", f"Your code tried to {things}, which the tutor does not allow.", calls)
    if frames.syntax is not None:
        s = frames.syntax
        return result("syntax_error", f"Syntax error on line {s.line}, column {s.column}: {s.message}", syntax=s)
    if raw.timed_out or _cpu_exceeded(raw):
        return result("timeout", _timeout_message(raw, frames, limits), calls)
    if any(c.error is not None and c.error.type_name == "MemoryError" for c in calls) or (
        frames.load_error is not None and frames.load_error.type_name == "MemoryError"
    ):
        return result("memory", f"Your code needed more memory than the {limits.memory_mb} MB it may use.", calls)
    if frames.exit is not None:
        return result("crashed", f"Your code called sys.exit({frames.exit.get('code')!r}) while it was being loaded, so nothing could be checked.")
    if frames.missing is not None:
        return result("missing_entry", _missing_message(frames.missing, entry))
    if not frames.done:
        return result("crashed", _crash_message(raw, calls), calls)
    if raw.signal is not None or raw.exit_code not in (0, None):
        return result("crashed", _crash_message(raw, calls), calls)
    message = ""
    if frames.load_error is not None:
        message = f"Your code raised {frames.load_error.type_name} while it was being loaded, before it could be called."
    return result("ok", message, calls)


def _output_parts(raw: RawRun, calls: int) -> tuple[str, tuple[str, ...]]:
    """What loading printed and what each finished call printed, when the
    child's marks (one after loading, one per finished call) all arrived;
    otherwise ("", ()): the output is shown as one piece rather than misfiled."""
    marks = raw.output_marks
    if len(marks) != calls + 1:
        return "", ()
    output = raw.output
    return output[: marks[0]], tuple(output[start:end] for start, end in zip(marks, marks[1:]))


def _cpu_exceeded(raw: RawRun) -> bool:
    if raw.signal == signal.SIGXCPU:
        return True
    return raw.signal == signal.SIGKILL and raw.cpu_limit_s is not None and raw.cpu_s >= raw.cpu_limit_s - 0.05


def _timeout_message(raw: RawRun, frames: _Frames, limits: Limits) -> str:
    if frames.raised is not None:
        return (
            f"Your code raised {frames.raised['type']}, and turning that exception into a message did not finish "
            f"within {limits.time_s:g} s (does its __str__ loop?)."
        )
    if not raw.timed_out:
        return f"Your code used more than {raw.cpu_limit_s:g} s of processor time and was stopped."
    slow = frames.progress
    if slow is not None and 0 < slow.done < slow.total and slow.elapsed_s > 0:
        whole = slow.elapsed_s / slow.done * slow.total
        return (f"Your code was still training after {limits.time_s:g} s: {slow.done:,} of {slow.total:,} steps done, "
                f"so the whole run would take {_duration(whole)} at this speed.")
    return f"Your code did not finish within {limits.time_s:g} s: is there a loop that never ends, or a long sleep?"


def _duration(seconds: float) -> str:
    """'about 40 seconds', 'about 10 minutes', 'about 3 hours'."""
    if seconds < 90:
        return f"about {max(1, round(seconds))} seconds"
    if seconds < 90 * 60:
        return f"about {round(seconds / 60)} minutes"
    return f"about {round(seconds / 3600):,} hours"


def _crash_message(raw: RawRun, calls: tuple[CallOutcome, ...]) -> str:
    where = f" during call {len(calls) + 1}" if calls else ""
    if raw.signal is not None:
        return f"Your code crashed the Python process{where} with {describe_signal(raw.signal)}."
    return f"Your code ended the Python process{where} (exit status {raw.exit_code}, e.g. os._exit) before returning a result."


def _missing_message(frame: dict[str, Any], entry: str) -> str:
    found = frame.get("found")
    defined = [n for n in frame.get("defined") or [] if type(n) is str]
    if found:
        return f"Your code defines {entry}, but as {found!s:.40}, not a function or class."
    hint = f" It defines: {', '.join(defined)}." if defined else " It defines no functions."
    return f"Your code does not define {entry}." + hint


def _size(count: int) -> str:
    return f"{count / 1_000_000:g} MB" if count >= 1_000_000 else f"{count:,} bytes"
