"""bench/engine.py times its baselines against the engine; a baseline that did
different updates would make its ratio meaningless, so each one's losses must
match the engine's (float64, to rounding). Not timed: the bench prints times."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "engine.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_engine", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["Mazur", "Trask", "Britz"])
def test_the_hand_loop_does_the_engines_updates(bench, name):
    problem = getattr(bench, name)()
    reference = problem.engine(30)
    assert len(reference) == 30
    assert bench.disagreement(problem.hand(30), reference) <= bench.AGREEMENT_LIMIT


@pytest.mark.parametrize("name", ["Mazur", "Trask", "Britz"])
def test_the_torch_baselines_do_the_engines_updates(bench, name):
    if bench.torch is None:
        pytest.skip("torch is not installed here (it is the optional bench extra; see .venv-bench)")
    problem = getattr(bench, name)()
    reference = problem.engine(30)
    assert bench.disagreement(problem.torch_hand(30), reference) <= bench.AGREEMENT_LIMIT
    assert bench.disagreement(problem.torch_autograd(30), reference) <= bench.AGREEMENT_LIMIT


def test_disagreement_notices_a_different_curve(bench):
    assert bench.disagreement([1.0, 0.5], [1.0, 0.5]) == 0.0
    assert bench.disagreement([1.0, 0.5], [1.0, 0.4]) == pytest.approx(0.25)
    assert bench.disagreement([1.0], [1.0, 0.5]) == float("inf")
