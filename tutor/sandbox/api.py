"""The contract between the checker and whatever runs learner code.

The checker hands over source text, the name the learner was asked to define and
a list of calls; it gets back plain data. How the code is isolated (warm worker,
forked child, rlimits, seccomp, Landlock) is the sandbox's business alone, so the
checker and lint never change when the isolation does.
"""

from __future__ import annotations

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
    the trusted driver ``tutor.sandbox.harnesses.<harness>(entry, **args)`` is
    called instead (to train a learner's class, say) and its return value is the
    result.
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
class RunResult:
    """Everything one run produced. `calls` has one outcome per call made before
    the run ended (possibly fewer than asked when status is not "ok");
    `message` explains a non-ok status in words a learner understands."""

    status: RunStatus
    calls: tuple[CallOutcome, ...] = ()
    output: str = ""  # stdout and stderr of the learner code, decoded, capped
    message: str = ""
    syntax: SyntaxProblem | None = None
    elapsed_s: float = 0.0


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
