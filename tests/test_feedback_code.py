"""What the learner reads about their code: failing cases, named mistakes, run problems.

Learner code runs through the in-process FakeRunner (tests only), so these
tests are about wording; the real sandbox is exercised in test_check_end_to_end.py.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from test_check_fake_runner import FakeRunner, real_engine_or_stand_in
from tutor.checking.checker import check
from tutor.course.model import CodeSpec, EngineRef, Exercise, RandomCases, Tolerance, WrongAnswer


@pytest.fixture(autouse=True)
def _engine(monkeypatch):
    real_engine_or_stand_in(monkeypatch)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def code_exercise(entry="sigmoid", expected="sigmoid", cases=({"z": 0.0}, {"z": [-2.0, 0.0, 2.0]}),
                  random=RandomCases(seed=7, count=4, args={"z": {"shape": [4], "low": -5.0, "high": 5.0}}),
                  probes=(), wrong=()):
    return Exercise(
        id="implement", lesson_id="sigmoid", kind="code", prompt="?", line=1,
        expected=EngineRef(expected), tolerance=Tolerance(abs=1e-9, rel=1e-9), wrong=wrong,
        code=CodeSpec(entry=entry, signature=f"def {entry}(z)", starter="", cases=cases, random=random, probes=probes),
    )


GOOD = "import numpy as np\n\ndef sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))\n"


def run(source, exercise=None, runner=None):
    return check(exercise or code_exercise(), source, runner=runner or FakeRunner())


def test_correct_code_passes_every_case():
    verdict = run(GOOD)
    assert verdict.status == "pass" and verdict.message == "All 6 cases pass."


def test_wrong_values_show_inputs_expected_actual_and_first_difference():
    source = "import numpy as np\n\ndef sigmoid(z):\n    return 1.0 / (1.0 + np.exp(np.asarray(z, dtype=float)))\n"
    verdict = run(source)
    assert verdict.status == "fail"
    assert verdict.message == "Your sigmoid function returns wrong values in 5 of 6 cases."
    assert verdict.details == ("5 of 6 cases fail.", "The first 3 are shown.")
    case = verdict.cases[0]
    assert case.title == "case 2 of 6"
    assert case.inputs == "z = [-2, 0, 2]"
    assert case.expected == "[0.119203, 0.5, 0.880797]"
    assert case.actual == "[0.880797, 0.5, 0.119203]"
    assert case.detail == "first difference at [0]: expected 0.119203, got 0.880797 (2 of 3 values differ)"
    assert verdict.cases[1].title == "case 3 of 6 (random, seed 7)"


def test_random_cases_are_the_same_on_every_attempt():
    source = "def sigmoid(z):\n    return z\n"
    first, second = run(source), run(source)
    assert [c.inputs for c in first.cases] == [c.inputs for c in second.cases]
    assert first.cases[1].inputs.startswith("z = [")


def test_missing_return_is_named():
    verdict = run("import numpy as np\n\ndef sigmoid(z):\n    1.0 / (1.0 + np.exp(-z))\n")
    assert verdict.message == "Your sigmoid function returned None on case 1 of 6: did you forget the return statement?"
    assert verdict.cases[0].actual == "None"


def test_nan_is_named_with_its_position():
    source = "import numpy as np\n\ndef sigmoid(z):\n    z = np.asarray(z, dtype=float)\n    return np.where(z > 1, np.nan, 1 / (1 + np.exp(-z)))\n"
    verdict = run(source)
    assert verdict.message == "Your sigmoid function returned NaN (not a number) at [2] on case 2 of 6."
    assert verdict.cases[0].detail == (
        "Returned NaN (not a number) at [2]; first difference at [2]: expected 0.880797, got nan (1 of 3 values differ)"
    )


def test_infinity_is_named():
    source = "import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z)) + np.exp(np.asarray(z) * 1000)\n"
    assert run(source).message.startswith("Your sigmoid function returned infinity at [2] on case 2 of 6")


def test_wrong_type_is_named():
    verdict = run("def sigmoid(z):\n    return 'sigmoid'\n")
    assert verdict.message == "Your sigmoid function returned a string ('sigmoid'); expected a number on case 1 of 6."


def test_wrong_shape_is_named_in_words():
    source = "import numpy as np\n\ndef sigmoid(z):\n    z = np.atleast_1d(np.asarray(z, dtype=float))\n    return (1 / (1 + np.exp(-z))).reshape(-1, 1)\n"
    verdict = run(source)
    assert verdict.message == (
        "Your sigmoid function returned a 1 x 1 matrix; expected a single number on case 1 of 6."
    )
    assert verdict.cases[1].detail == (
        "Returned a 3 x 1 matrix; expected 3 numbers (the right number of values, arranged differently: check reshape or keepdims)"
    )


def test_exceptions_show_only_the_learners_frames_with_snippet_lines():
    source = "import math\n\ndef sigmoid(z):\n    return helper(z)\n\ndef helper(z):\n    return 1 / (1 + math.exp(-z))\n"
    verdict = run(source)
    assert verdict.message.startswith("Your sigmoid function raised TypeError (line 7) on case 2 of 6: ")
    assert verdict.cases[0].traceback == (
        "line 4, in sigmoid: return helper(z)",
        "line 7, in helper: return 1 / (1 + math.exp(-z))",
    )
    assert verdict.cases[0].actual.startswith("raised TypeError: ")


def test_syntax_error_points_at_line_and_column():
    verdict = run("def sigmoid(z):\n    return 1 / (1 + exp(-z)\n")
    assert verdict.status == "error"
    assert verdict.message.startswith("Syntax error on line 2, column 16: ")
    assert verdict.details == ("    return 1 / (1 + exp(-z)", "               ^")


def test_missing_entry():
    verdict = run("def sigmoidd(z):\n    return z\n")
    assert verdict.status == "fail"
    assert verdict.message == "Your code does not define sigmoid. Keep the name and signature: def sigmoid(z)"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("timeout", "Your code ran out of time (limit 5 s). Is there a loop that never ends?"),
        ("memory", "Your code used too much memory (limit 512 MB). Is an array far bigger than it needs to be?"),
        ("output_limit", "Your code printed too much (more than 1,000,000 bytes). Remove prints inside loops."),
        ("crashed", "Your code stopped the process it ran in: it crashed or called exit."),
        ("forbidden", "Your code tried something exercises may not do (start a process, write a file, use the network)."),
        ("invalid_result", "Your code's result could not be read back. Return numbers or NumPy arrays of numbers."),
        ("unavailable", "Your code could not be run: the checking worker is not available."),
    ],
)
def test_run_problems_become_clear_error_verdicts(status, message):
    verdict = run(GOOD, runner=FakeRunner(status=status, message="what the sandbox saw", output="partial\n"))
    assert verdict.status == "error"
    assert verdict.message == message
    assert verdict.details == ("what the sandbox saw",)
    assert verdict.output == "partial\n"


def test_learner_output_is_kept_as_plain_text():
    verdict = run("import numpy as np\n\ndef sigmoid(z):\n    print('[b]z[/b] =', z)\n    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n")
    assert verdict.passed
    assert verdict.output.splitlines()[0] == "[b]z[/b] = 0.0"
    assert "  output:\n    [b]z[/b] = 0.0" in verdict.render()


def test_each_failing_case_carries_what_its_own_call_printed():
    source = ("import numpy as np\nprint('loaded')\n\ndef sigmoid(z):\n    z = np.asarray(z, dtype=float)\n"
              "    if z.ndim:\n        print('a vector of', len(z))\n        print('first', z[0])\n"
              "    return 1 / (1 + np.exp(z))\n")
    verdict = run(source)
    assert [case.title for case in verdict.cases] == ["case 2 of 6", "case 3 of 6 (random, seed 7)", "case 4 of 6 (random, seed 7)"]
    assert verdict.cases[0].output == "a vector of 3\nfirst -2.0\n"  # case 1 (z = 0) printed nothing, and passed
    assert verdict.cases[1].output.startswith("a vector of 4\nfirst ") and verdict.cases[1].output.count("\n") == 2
    assert verdict.cases[0].label == "Case 2"
    assert "  case 2 of 6\n" in verdict.render() and "    Case 2 printed:\n      a vector of 3\n      first -2.0\n" in verdict.render()
    assert verdict.output.startswith("loaded\na vector of 3\nfirst -2.0\n")  # the whole run stays as it was


def test_a_case_whose_output_is_unknown_says_nothing_of_its_own():
    class Unsplit(FakeRunner):
        def run(self, *args, **kwargs):
            result = super().run(*args, **kwargs)
            return replace(result, call_outputs=())

    verdict = run("import numpy as np\n\ndef sigmoid(z):\n    print(z)\n    return z\n", runner=Unsplit())
    assert verdict.status == "fail" and verdict.output.startswith("0.0\n")
    assert all(case.output is None for case in verdict.cases)


def test_known_wrong_code_matches_the_engine_function_it_reproduces():
    exercise = code_exercise(
        entry="sigmoid_prime", expected="sigmoid_prime",
        wrong=(WrongAnswer("That is sigma(z) itself; the derivative is sigma(z) * (1 - sigma(z)).", engine=EngineRef("sigmoid")),),
    )
    source = "import numpy as np\n\ndef sigmoid_prime(z):\n    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n"
    verdict = run(source, exercise)
    assert verdict.message == "That is sigma(z) itself; the derivative is sigma(z) * (1 - sigma(z))."
    assert verdict.cases  # the failing cases are still shown


PROBES = ({"args": {"z": 1000.0}, "message": "Your sigmoid overflows for large z: avoid exp of a large positive number."},
          {"args": {"z": -1000.0}, "message": "Your sigmoid overflows for very negative z: avoid exp(-z) when z is very negative."})


def test_stability_probe_catches_overflow_even_when_the_value_is_right():
    exercise = code_exercise(probes=PROBES)
    verdict = run(GOOD, exercise)
    assert verdict.status == "fail"
    assert verdict.message == "Your sigmoid overflows for very negative z: avoid exp(-z) when z is very negative."
    assert verdict.details == ("Overflow encountered in exp (raised FloatingPointError at line 4).",)
    assert verdict.cases[0].title == "probe 2 of 2"
    assert verdict.cases[0].traceback == ("line 4, in sigmoid: return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))",)


def test_stability_probe_catches_nan():
    source = "import numpy as np\n\ndef sigmoid(z):\n    with np.errstate(all='ignore'):\n        e = np.exp(np.asarray(z, dtype=float))\n        return e / (1 + e)\n"
    probes = ({"args": {"z": 1000.0}},)
    verdict = run(source, code_exercise(probes=probes))
    # the learner silenced the overflow themselves: the probe still sees the NaN
    assert verdict.message == "Your sigmoid function is not stable at z = 1000: returned NaN (not a number)"


def test_stable_sigmoid_passes_its_probes():
    stable = (
        "import numpy as np\n\ndef sigmoid(z):\n    z = np.asarray(z, dtype=float)\n"
        "    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))\n"
    )
    runner = FakeRunner()
    verdict = run(stable, code_exercise(probes=PROBES), runner)
    assert verdict.status == "pass"
    assert verdict.message == "All 6 cases pass, and your sigmoid function holds up at the extremes."
    # one run: the learner's source as written, the 6 cases, then each probe
    # through the trusted call_strict harness
    assert len(runner.runs) == 1
    source, entry, calls = runner.runs[0]
    assert (source, entry) == (stable, "sigmoid")
    assert [call.harness for call in calls] == [None] * 6 + ["call_strict", "call_strict"]
    assert [call.args for call in calls[6:]] == [{"arguments": {"z": 1000.0}}, {"arguments": {"z": -1000.0}}]


def test_render_shows_every_part():
    text = run("def sigmoid(z):\n    return z\n").render()
    assert text.splitlines()[0] == "FAIL: Your sigmoid function returns wrong values in 6 of 6 cases."
    assert "    inputs:   z = 0\n    expected: 0.5\n    actual:   0\n" in text
