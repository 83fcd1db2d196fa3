"""Wrong code as data: a `[[wrong]]` entry's own code is the matcher of its mistake.

An author who knows a common mistake writes it down as code (the entry's
`answer`), in the lesson, with the message that explains it. The checker runs
that code on the same calls as the learner's, in the sandbox like any lesson
code (lesson files are data, never trusted code), and when the learner's
outcomes agree with the mutant's on every case, the learner made that mistake.

A mutant's outcomes depend only on its source, the entry and the calls, so
they are computed once per runner and kept: the key is a digest of the three
(a lesson edit, another seed or fresh cases make a new key). Only the first
failing check of an exercise pays for running its mutants; a passing check
never runs them at all.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

import numpy as np

from tutor.checking.compare import compare
from tutor.course.model import CodeSpec, Tolerance, WrongAnswer
from tutor.sandbox.api import Call, CallOutcome, RunResult

if TYPE_CHECKING:
    from tutor.sandbox.api import Runner

Outcomes = tuple[CallOutcome, ...] | None  # None: the mutant's run did not give one outcome per call

_lock = threading.Lock()
_by_runner: "weakref.WeakKeyDictionary[Any, dict[str, Outcomes]]" = weakref.WeakKeyDictionary()


def is_code_mutant(wrong: WrongAnswer) -> bool:
    return wrong.answer is not None


def mutant_outcomes(
    wrong: WrongAnswer,
    spec: CodeSpec,
    calls: Sequence[Call],
    runner: "Runner",
    unwrap: Callable[[CallOutcome], CallOutcome] = lambda outcome: outcome,
) -> Outcomes:
    """The outcomes of the wrong entry's code on `calls`, from the cache when it has them.

    `unwrap` turns a harness's raw outcome into the judged one (as for the
    learner's run). A mutant that does not run cleanly (syntax error, timeout,
    crash) matches nothing."""
    assert wrong.answer is not None
    key = _digest(wrong.answer, spec.entry, calls)
    cache = _cache_for(runner)
    if cache is not None:
        with _lock:
            if key in cache:
                return cache[key]
    result: RunResult = runner.run(wrong.answer, spec.entry, list(calls), spec.limits)
    outcomes: Outcomes = None
    if result.status == "ok" and len(result.calls) == len(calls):
        outcomes = tuple(unwrap(outcome) for outcome in result.calls)
    if cache is not None:
        with _lock:
            cache[key] = outcomes
    return outcomes


def agree(learner: CallOutcome, mutant: CallOutcome, tolerance: Tolerance) -> bool:
    """The same outcome: both raised the same exception with the same message
    (NumPy's name the shapes), or both returned values equal within the
    exercise's tolerance."""
    if learner.error is not None or mutant.error is not None:
        return (learner.error is not None and mutant.error is not None
                and learner.error.type_name == mutant.error.type_name
                and learner.error.message == mutant.error.message)
    try:  # both ways: a dict with an extra key is not the same result
        return compare(learner.value, mutant.value, tolerance) is None and compare(mutant.value, learner.value, tolerance) is None
    except Exception:  # noqa: BLE001 - values of unexpected forms simply differ
        return False


def agree_everywhere(learner: Sequence[CallOutcome], mutant: Sequence[CallOutcome], tolerance: Tolerance) -> bool:
    return len(learner) == len(mutant) and all(agree(a, b, tolerance) for a, b in zip(learner, mutant))


def forget_cached() -> None:
    """Drop every cached mutant outcome (tests that count runs)."""
    with _lock:
        _by_runner.clear()


def _cache_for(runner: Any) -> dict[str, Outcomes] | None:
    with _lock:
        try:
            return _by_runner.setdefault(runner, {})
        except TypeError:  # a runner that cannot be weakly referenced is simply not cached
            return None


def _digest(source: str, entry: str, calls: Sequence[Call]) -> str:
    digest = hashlib.sha256()
    digest.update(source.encode("utf-8", "surrogatepass"))
    digest.update(b"\0" + entry.encode("utf-8", "surrogatepass"))
    for call in calls:
        digest.update(b"\0call\0" + str(call.harness).encode())
        _feed(digest, call.args)
    return digest.hexdigest()


def _feed(digest: Any, value: Any) -> None:
    """A stable digest of plain data (the arguments of a call)."""
    if isinstance(value, np.ndarray):
        digest.update(f"a{value.dtype.str}{value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, Mapping):
        digest.update(b"{")
        for key in sorted(value, key=str):
            digest.update(repr(key).encode() + b":")
            _feed(digest, value[key])
        digest.update(b"}")
    elif isinstance(value, (list, tuple)):
        digest.update(b"[" if isinstance(value, list) else b"(")
        for item in value:
            _feed(digest, item)
        digest.update(b"]")
    else:
        digest.update(f"{type(value).__name__}:{value!r};".encode())

