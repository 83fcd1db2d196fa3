"""The cases a code exercise is called on: fixed, seeded random, and fixed
values inside random cases."""

from __future__ import annotations

import numpy as np

from test_check_fake_runner import FakeRunner
from tutor.checking.cases import build_cases, case_call
from tutor.checking.checker import check
from tutor.course.model import CodeSpec, EngineRef, Exercise, RandomCases, Tolerance

RANDOM = RandomCases(seed=5, count=3, args={
    "inputs": {"shape": [2], "low": -1.0, "high": 1.0},
    "weights": {"value": [7, 3]},
    "bias": {"value": -2},
})
SPEC = CodeSpec(entry="neuron", signature="def neuron(inputs, weights, bias)", starter="", random=RANDOM)


def test_a_fixed_value_is_the_same_in_every_random_case():
    cases = build_cases(SPEC)
    assert [case.title for case in cases] == [f"case {i} of 3 (random, seed 5)" for i in (1, 2, 3)]
    draws = np.random.default_rng(5)
    for case in cases:
        np.testing.assert_array_equal(case.args["inputs"], draws.uniform(-1.0, 1.0, size=(2,)))
        np.testing.assert_array_equal(case.args["weights"], np.array([7.0, 3.0]))
        assert case.args["bias"] == -2


def test_random_cases_with_fixed_values_are_checked_against_the_engine():
    exercise = Exercise(id="n", lesson_id="neuron", kind="code", prompt="?", line=1,
                        expected=EngineRef("neuron_output"), tolerance=Tolerance(abs=1e-9, rel=1e-9), code=SPEC)
    good = "import numpy as np\n\ndef neuron(inputs, weights, bias):\n    return 1 / (1 + np.exp(-(inputs @ weights + bias)))\n"
    assert check(exercise, good, runner=FakeRunner()).message == "All 3 cases pass."
    no_bias = good.replace(" + bias", "")
    verdict = check(exercise, no_bias, runner=FakeRunner())
    assert verdict.status == "fail" and verdict.cases[0].inputs.endswith("weights = [7, 3], bias = -2")


def test_a_harness_case_call_carries_the_harness_settings():
    spec = CodeSpec(entry="gradient", signature="", starter="", harness="logistic_descent",
                    harness_args={"learning_rate": 0.5, "steps": 3}, cases=({"inputs": [[1.0]], "targets": [1]},))
    (case,) = build_cases(spec)
    call = case_call(spec, case)
    assert call.harness == "logistic_descent"
    assert call.args["learning_rate"] == 0.5 and call.args["steps"] == 3
    np.testing.assert_array_equal(call.args["inputs"], [[1.0]])


def test_expected_values_are_remembered_per_reference_and_arguments_and_handed_out_as_copies(monkeypatch):
    from pathlib import Path

    import numpy as np

    from tutor.checking import expected as expected_module
    from tutor.course.loader import load_course

    exercise = load_course(Path(__file__).parents[1] / "lessons").exercise("sigmoid/implement")
    calls = []
    real = expected_module.evaluate_ref

    def counting(ref, exercise, **kwargs):
        calls.append(kwargs.get("extra"))
        return real(ref, exercise, **kwargs)

    monkeypatch.setattr(expected_module, "evaluate_ref", counting)
    monkeypatch.setattr(expected_module, "_EXPECTED", type(expected_module._EXPECTED)())
    first = expected_module.expected_value(exercise, extra={"z": [0.0, 2.0]})
    first[...] = -1.0  # a caller's change never reaches the next caller
    again = expected_module.expected_value(exercise, extra={"z": [0.0, 2.0]})
    other = expected_module.expected_value(exercise, extra={"z": [0.0, 3.0]})
    assert len(calls) == 2  # the repeat came from memory
    np.testing.assert_array_equal(again, real(exercise.expected, exercise, extra={"z": [0.0, 2.0]}))
    assert float(other[1]) != float(again[1])
    expected_module.expected_value(exercise, extra={"z": np.array([0.0, 2.0])})  # an array: its exact bytes
    expected_module.expected_value(exercise, extra={"z": np.array([0.0, 2.0])})
    expected_module.expected_value(exercise, extra={"z": np.array([0.0, np.nextafter(2.0, 3.0)])})
    assert len(calls) == 4  # one last bit apart is another key
    from fractions import Fraction

    expected_module.expected_value(exercise, extra={"z": Fraction(1, 2)})  # no exact text: computed every time
    expected_module.expected_value(exercise, extra={"z": Fraction(1, 2)})
    assert len(calls) == 6
