"""The cases a code exercise is called on: the fixed ones, then seeded random ones.

Random cases come from the exercise's own seed, so the same attempt always
shows the same failing input and a learner can reproduce it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from tutor.checking.expected import LessonError, to_engine_arguments
from tutor.course.model import CodeSpec, RandomCases
from tutor.sandbox.api import Call


@dataclass(frozen=True)
class Case:
    """One call of the learner's entry: its arguments and how to name it."""

    args: Mapping[str, Any]
    title: str


def build_cases(code: CodeSpec, qualified_id: str = "") -> list[Case]:
    fixed = [to_engine_arguments(args) for args in code.cases]
    random = random_arguments(code.random, qualified_id) if code.random else []
    total = len(fixed) + len(random)
    cases = [Case(args, f"case {i} of {total}") for i, args in enumerate(fixed, start=1)]
    seed = code.random.seed if code.random else 0
    cases += [
        Case(args, f"case {i} of {total} (random, seed {seed})")
        for i, args in enumerate(random, start=len(fixed) + 1)
    ]
    return cases


def case_call(code: CodeSpec, case: Case) -> Call:
    """The call that sends `case` to the learner's entry: directly, or through
    the exercise's harness with its `harness_args` (the engine gets the case's
    arguments only)."""
    if code.harness:
        return Call(args={**to_engine_arguments(code.harness_args), **case.args}, harness=code.harness)
    return Call(args=dict(case.args))


def random_arguments(spec: RandomCases, qualified_id: str = "") -> list[dict[str, Any]]:
    """`spec.count` argument sets drawn from `numpy.random.default_rng(spec.seed)`.

    Each parameter's spec is ``{shape = [...], low = ..., high = ...}`` (uniform
    floats in [low, high); ``shape = []`` or no shape is a scalar), or
    ``{value = ...}`` for an argument that is the same in every case.
    """
    rng = np.random.default_rng(spec.seed)
    drawn: list[dict[str, Any]] = []
    for _ in range(spec.count):
        args: dict[str, Any] = {}
        for name, generator in spec.args.items():
            args[name] = _draw(rng, name, generator, qualified_id)
        drawn.append(args)
    return drawn


def _draw(rng: np.random.Generator, name: str, generator: Mapping[str, Any], qualified_id: str) -> Any:
    if "value" in generator:
        return to_engine_arguments({name: generator["value"]})[name]
    try:
        shape = tuple(int(n) for n in generator.get("shape", []))
        low = float(generator.get("low", -1.0))
        high = float(generator.get("high", 1.0))
    except (TypeError, ValueError) as error:
        raise LessonError(f"{qualified_id}: random argument {name!r}: {error}") from None
    if shape == ():
        return float(rng.uniform(low, high))
    return rng.uniform(low, high, size=shape)
