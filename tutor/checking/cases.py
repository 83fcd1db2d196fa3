"""The cases a code exercise is called on: the fixed ones, the lesson's seeded
random ones, then fresh ones from the attempt's seed.

The published cases (fixed, and random from the lesson's own seed) come first,
so the feedback on early attempts refers to the lesson's numbers. Fresh cases
follow the same declared rules (`code.random.args`) with a seed drawn for each
attempt and recorded with it: a function that only remembers the inputs and
answers shown in earlier feedback meets inputs it has never seen, while
`nntutor check --seed N` reproduces any attempt exactly. Their expected values
are computed by the engine in the tutor, like every other case's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from tutor.checking.expected import LessonError, to_engine_arguments
from tutor.checking.harnesses import harness_named
from tutor.course.model import CodeSpec, RandomCases
from tutor.sandbox.api import Call


@dataclass(frozen=True)
class Case:
    """One call of the learner's entry: its arguments and how to name it."""

    args: Mapping[str, Any]
    title: str


def build_cases(code: CodeSpec, qualified_id: str = "", seed: int | None = None) -> list[Case]:
    """Every case of one attempt; `seed` is the attempt's (None: the published
    cases only, as the lesson file states them)."""
    fixed = [to_engine_arguments(args) for args in code.cases]
    random = random_arguments(code.random, qualified_id) if code.random else []
    fresh = random_arguments(code.random, qualified_id, seed=seed) if code.random and seed is not None else []
    total = len(fixed) + len(random) + len(fresh)
    cases = [Case(args, f"case {i} of {total}") for i, args in enumerate(fixed, start=1)]
    if code.random is not None:
        cases += [
            Case(args, f"case {i} of {total} (random, seed {code.random.seed})")
            for i, args in enumerate(random, start=len(fixed) + 1)
        ]
    cases += [
        Case(args, f"case {i} of {total} (fresh, seed {seed})")
        for i, args in enumerate(fresh, start=len(fixed) + len(random) + 1)
    ]
    return cases


def draws_fresh(code: CodeSpec) -> bool:
    """Whether an attempt's seed changes what is called: fresh cases or probe points."""
    return code.random is not None or any("random" in probe for probe in code.probes)


def repeat_line(qualified_id: str, seed: int, variant: int | None | bool = False) -> str:
    """The detail that lets a learner or teacher run one attempt again.

    `variant` is the seed of the variant judged, for an exercise with
    parameters (None: the lesson as written; False: it has none): `nntutor
    check --seed N` judges variant N, so another variant is named."""
    again = f"nntutor check {qualified_id} FILE --seed {seed}"
    if variant is not False and variant != seed:
        again += f" --variant {'written' if variant is None else variant}"
    return f"This attempt drew its fresh cases from seed {seed}: {again} repeats it."


def new_seed() -> int:
    """A seed for one attempt's fresh cases: unpredictable, short enough to type
    (`nntutor check --seed 48213907`)."""
    return secrets.randbelow(10**8)


def case_call(code: CodeSpec, case: Case) -> Call:
    """The call that sends `case` to the learner's entry: directly, or through
    the exercise's harness with its `harness_args`, as the harness's
    declaration prepares them (the engine gets the case's arguments only)."""
    if code.harness:
        args = {**to_engine_arguments(code.harness_args), **case.args}
        harness = harness_named(code.harness)
        return Call(args=harness.driver_args(args) if harness else args, harness=code.harness)
    return Call(args=dict(case.args))


def random_arguments(spec: RandomCases, qualified_id: str = "", seed: int | None = None,
                     count: int | None = None) -> list[dict[str, Any]]:
    """`count` (default `spec.count`) argument sets drawn from
    `numpy.random.default_rng(seed)` (default: the lesson's `spec.seed`).

    Each parameter's spec is ``{shape = [...], low = ..., high = ...}`` (uniform
    floats in [low, high); ``shape = []`` or no shape is a scalar; with
    ``integer = true`` whole numbers in [low, high)), or ``{value = ...}`` for
    an argument that is the same in every case.
    """
    return draw_arguments(spec.args, spec.count if count is None else count,
                          spec.seed if seed is None else seed, qualified_id)


def draw_arguments(generators: Mapping[str, Mapping[str, Any]], count: int, seed: int,
                   qualified_id: str = "") -> list[dict[str, Any]]:
    """`count` argument sets, each parameter drawn by its generator spec."""
    rng = np.random.default_rng(seed)
    drawn: list[dict[str, Any]] = []
    for _ in range(count):
        args: dict[str, Any] = {}
        for name, generator in generators.items():
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
    if generator.get("integer"):
        if shape == ():
            return int(rng.integers(int(low), int(high)))
        return rng.integers(int(low), int(high), size=shape)
    if shape == ():
        return float(rng.uniform(low, high))
    return rng.uniform(low, high, size=shape)
