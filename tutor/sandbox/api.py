"""The contract between the checker and whatever runs learner code.

The checker hands over source text, the name the learner was asked to define and
a list of calls; it gets back plain data. How the code is isolated (warm worker,
forked child, rlimits, seccomp, Landlock) is the sandbox's business alone, so the
checker and lint never change when the isolation does.

The checker gets its runner here too (`get_runner`, `start_in_background`,
`shutdown`): one warm worker per tutor process, started on first use, or, in a
class (``NNTUTOR_CHECKER_SOCKET`` set by `nntutor serve`), the class's shared
pool of workers (`tutor.sandbox.pool`).
"""

from __future__ import annotations

import atexit
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Protocol, Sequence

from tutor.course.model import Limits

RunStatus = Literal[
    "ok",  # the code ran; look at each call's outcome
    "syntax_error",  # the source did not compile; see `syntax`
    "missing_entry",  # the source ran but did not define `entry`
    "timeout",  # wall-clock or CPU limit
    "memory",  # address-space limit
    "output_limit",  # printed more than limits.output_bytes
    "crashed",  # the child died (signal, os._exit, segfault, sys.exit at top level)
    "forbidden",  # tried something blocked (fork, exec, file write, network)
    "invalid_result",  # what came back was not well-formed data
    "unavailable",  # the worker could not be started or restarted
]


@dataclass(frozen=True)
class Call:
    """One invocation of the learner's entry.

    Without `harness` the entry is called as ``entry(**args)``. With `harness`,
    the trusted driver of that name (`tutor/checking/drivers.py`, bound before
    the learner's code runs) is called instead as ``driver(entry, **args)``, to
    train a learner's class, say, and its return value is the result.
    """

    args: Mapping[str, Any] = field(default_factory=dict)
    harness: str | None = None


@dataclass(frozen=True)
class LearnerError:
    """An exception raised by learner code, reduced to what helps the learner.

    `traceback` holds only frames of the learner's snippet, as
    ``line N, in name: source text``; line numbers are those of the snippet.
    """

    type_name: str
    message: str
    traceback: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class CallOutcome:
    """The result of one call: a value (numbers, bools, None, str, ndarray of a
    numeric dtype, and lists/tuples/dicts of those) or the error it raised."""

    value: Any = None
    error: LearnerError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    column: int
    message: str
    text: str = ""


@dataclass(frozen=True)
class Progress:
    """How far a harness had got with a call when the run ended: `done` of
    `total` steps after `elapsed_s` seconds of that call."""

    call: int
    done: int
    total: int
    elapsed_s: float


@dataclass(frozen=True)
class RunResult:
    """Everything one run produced. `calls` has one outcome per call made before
    the run ended (possibly fewer than asked when status is not "ok");
    `message` explains a non-ok status in words a learner understands."""

    status: RunStatus
    calls: tuple[CallOutcome, ...] = ()
    output: str = ""  # stdout and stderr of the learner code, decoded, capped: all of it, in order
    message: str = ""
    syntax: SyntaxProblem | None = None
    elapsed_s: float = 0.0
    progress: Progress | None = None  # the last progress a harness reported, if any
    # `output` in parts: what loading the module printed, and what each call in
    # `calls` printed (one per call, in order; empty when the parts could not
    # be told apart, e.g. the code closed its stdout)
    load_output: str = ""
    call_outputs: tuple[str, ...] = ()

    def call_output(self, index: int) -> str | None:
        """What call `index` printed; None when that is not known."""
        return self.call_outputs[index] if index < len(self.call_outputs) else None


class Runner(Protocol):
    """Anything that can run learner code: the warm sandboxed worker, or a plain
    subprocess in tests."""

    def run(
        self,
        source: str,
        entry: str,
        calls: Sequence[Call],
        limits: Limits,
    ) -> RunResult: ...


# -- the shared runner ---------------------------------------------------------------------

_lock = threading.Lock()
_runner: Runner | None = None


CHECKER_SOCKET_ENV = "NNTUTOR_CHECKER_SOCKET"


def get_runner() -> Runner:
    """The shared runner, created on first use: a client of the class's pool
    when ``NNTUTOR_CHECKER_SOCKET`` names its socket, else this process's own
    warm worker, with the course's harness drivers loaded."""
    global _runner
    with _lock:
        if _runner is None:
            pool_socket = os.environ.get(CHECKER_SOCKET_ENV)
            if pool_socket:
                from tutor.sandbox.pool import PoolRunner

                _runner = PoolRunner(pool_socket)
            else:
                from tutor.checking.harnesses import DRIVERS_FILE
                from tutor.sandbox.host import WarmRunner

                _runner = WarmRunner(drivers=DRIVERS_FILE)
        return _runner


def start_in_background() -> None:
    """Start the worker without blocking the caller (the UI calls this after its
    first frame), so the learner's first check does not pay for importing NumPy."""

    def warm() -> None:
        runner = get_runner()
        warm_up = getattr(runner, "warm_up", None)
        if warm_up is not None:
            warm_up()

    threading.Thread(target=warm, name="nntutor-runner-start", daemon=True).start()


def shutdown() -> None:
    """Stop the shared runner's worker, if any; a later get_runner() starts a new one."""
    global _runner
    with _lock:
        runner, _runner = _runner, None
    close = getattr(runner, "close", None)
    if close is not None:
        close()


atexit.register(shutdown)
