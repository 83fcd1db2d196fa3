"""A fake Runner for checker tests, and the tests that keep it honest.

It implements the tutor.sandbox.api.Runner contract by exec-ing the learner's
source IN THIS PROCESS. That is acceptable only inside tests, where the
"learner code" is ours and the point is the checker's wording, not isolation.
The real sandboxed runner is exercised end to end in test_check_end_to_end.py.
"""

from __future__ import annotations

import contextlib
import io
import sys
import traceback
from typing import Any, Sequence

import numpy as np

from tutor.course.model import Limits
from tutor.checking.drivers import DRIVERS
from tutor.sandbox.api import Call, CallOutcome, LearnerError, RunResult, SyntaxProblem

SNIPPET = "<learner>"


class FakeRunner:
    """Runs learner code in-process; records what it was asked for inspection."""

    def __init__(self, status: str | None = None, message: str = "", output: str = "") -> None:
        self.forced_status = status
        self.forced_message = message
        self.forced_output = output
        self.runs: list[tuple[str, str, list[Call]]] = []

    def run(self, source: str, entry: str, calls: Sequence[Call], limits: Limits) -> RunResult:
        self.runs.append((source, entry, list(calls)))
        if self.forced_status:
            return RunResult(self.forced_status, message=self.forced_message, output=self.forced_output)  # type: ignore[arg-type]
        try:
            code = compile(source, SNIPPET, "exec")
        except SyntaxError as error:
            return RunResult(
                "syntax_error",
                syntax=SyntaxProblem(error.lineno or 0, error.offset or 0, error.msg, error.text or ""),
                message=error.msg,
            )
        namespace: dict[str, Any] = {"__name__": "__learner__"}
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            try:
                exec(code, namespace)
            except Exception as error:  # noqa: BLE001 - reported like the real runner would
                return RunResult("crashed", message=f"{type(error).__name__}: {error}", output=stdout.getvalue())
            if entry not in namespace:
                return RunResult("missing_entry", output=stdout.getvalue(), message=f"no {entry!r} defined")
            loaded = stdout.tell()
            outcomes, ends = [], []
            for call in calls:  # like the sandbox: what each call printed, in order
                outcomes.append(self._call(namespace[entry], call, source.splitlines()))
                ends.append(stdout.tell())
        output = stdout.getvalue()
        parts = tuple(output[start:end] for start, end in zip([loaded] + ends, ends))
        return RunResult("ok", calls=tuple(outcomes), output=output, load_output=output[:loaded], call_outputs=parts)

    @staticmethod
    def _call(function: Any, call: Call, lines_of_source: list[str]) -> CallOutcome:
        args = {name: value.copy() if isinstance(value, np.ndarray) else value for name, value in call.args.items()}
        try:
            if call.harness is not None:  # a trusted driver, as in the sandboxed child
                return CallOutcome(value=DRIVERS[call.harness](function, **args))
            return CallOutcome(value=function(**args))
        except Exception as error:  # noqa: BLE001
            frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == SNIPPET]
            lines = tuple(
                f"line {frame.lineno}, in {frame.name}: {lines_of_source[(frame.lineno or 1) - 1].strip()}"
                for frame in frames
            )
            return CallOutcome(
                error=LearnerError(type(error).__name__, str(error), lines, frames[-1].lineno if frames else None)
            )


def test_fake_runner_returns_values_errors_and_output():
    source = "def f(x):\n    print('hi', x)\n    return 1 / x\n"
    result = FakeRunner().run(source, "f", [Call({"x": 2}), Call({"x": 0})], Limits())
    assert result.status == "ok"
    assert result.calls[0].value == 0.5
    error = result.calls[1].error
    assert error is not None and error.type_name == "ZeroDivisionError" and error.line == 3
    assert error.traceback == ("line 3, in f: return 1 / x",)
    assert result.output == "hi 2\nhi 0\n"


def test_fake_runner_calls_through_a_harness_like_the_sandbox():
    source = "import numpy as np\n\ndef f(z):\n    return np.exp(z)\n"
    result = FakeRunner().run(source, "f", [Call({"arguments": {"z": 1000.0}}, harness="call_strict")], Limits())
    error = result.calls[0].error
    assert error is not None and error.type_name == "FloatingPointError" and error.line == 4
    assert error.traceback == ("line 4, in f: return np.exp(z)",)


def test_fake_runner_reports_syntax_errors_and_missing_entry():
    bad = FakeRunner().run("def f(x)\n    return x\n", "f", [Call({"x": 1})], Limits())
    assert bad.status == "syntax_error" and bad.syntax is not None and bad.syntax.line == 1
    missing = FakeRunner().run("def g(x):\n    return x\n", "f", [Call({"x": 1})], Limits())
    assert missing.status == "missing_entry"


def real_engine_or_stand_in(monkeypatch: Any) -> None:
    """Use the real engine when it has landed; until then a stand-in with the
    fixed public names, installed only for the calling test."""
    try:
        import engine

        if {"sigmoid", "sigmoid_prime", "weighted_sum", "neuron_output"} <= set(getattr(engine, "__all__", ())):
            return
    except ImportError:
        pass
    import types

    stand_in = types.ModuleType("engine")

    def sigmoid(z: Any) -> Any:
        return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))

    def sigmoid_prime(z: Any) -> Any:
        s = sigmoid(z)
        return s * (1.0 - s)

    def weighted_sum(inputs: Any, weights: Any, bias: float) -> Any:
        return float(np.dot(np.asarray(inputs, dtype=float), np.asarray(weights, dtype=float)) + bias)

    def neuron_output(inputs: Any, weights: Any, bias: float) -> Any:
        return float(sigmoid(weighted_sum(inputs, weights, bias)))

    for function in (sigmoid, sigmoid_prime, weighted_sum, neuron_output):
        setattr(stand_in, function.__name__, function)
    stand_in.__all__ = ["sigmoid", "sigmoid_prime", "weighted_sum", "neuron_output"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "engine", stand_in)
