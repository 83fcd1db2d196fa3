"""Backprop code with `gradcheck`: relative error per parameter and the likely mistake named.

The expected gradients are the engine's public `network_gradients` (Network.backward
with named results), called with the same random arrays as the learner's function.
"""

from __future__ import annotations

import numpy as np

from test_check_fake_runner import FakeRunner
from tutor.checking.checker import check
from tutor.checking.gradcheck import (
    batch_size,
    called,
    check_gradients,
    diagnose,
    headline_report,
    layer_of,
    learner_arrays,
    named_arrays,
    per_example_arguments,
    relative_error,
)
from tutor.course.model import CodeSpec, EngineRef, Exercise, RandomCases, Tolerance

RANDOM = RandomCases(seed=3, count=2, args={
    "inputs": {"shape": [4, 3], "low": -2.0, "high": 2.0},
    "targets": {"shape": [4, 2], "low": 0.0, "high": 1.0},
    "W1": {"shape": [3, 2], "low": -1.0, "high": 1.0},
    "b1": {"shape": [2], "low": -1.0, "high": 1.0},
})
TOLERANCE = Tolerance(abs=1e-9, rel=1e-7)


def exercise(expected: EngineRef | None = None, random: RandomCases = RANDOM, signature: str = "def backward(inputs, targets, W1, b1)"):
    return Exercise(
        id="backward", lesson_id="backprop", kind="code", prompt="?", line=1,
        expected=expected or EngineRef("network_gradients", {"batch": "mean"}), tolerance=TOLERANCE,
        code=CodeSpec(entry="backward", signature=signature, starter="", random=random, gradcheck=True),
    )


HEAD = (
    "import numpy as np\n\ndef backward(inputs, targets, W1, b1):\n"
    "    X, y = inputs, targets\n    a = 1 / (1 + np.exp(-(X @ W1 + b1)))\n"
)
CORRECT = HEAD + "    dz = (a - y) * a * (1 - a)\n    return {'dW1': X.T @ dz / len(X), 'db1': dz.mean(axis=0)}\n"


def verdict_for(body: str, ex=None):
    return check(ex or exercise(), HEAD + body, runner=FakeRunner())


def test_correct_backward_pass_passes():
    verdict = check(exercise(), CORRECT, runner=FakeRunner())
    assert verdict.status == "pass", verdict.render()


def test_relative_error_is_reported_per_parameter():
    verdict = verdict_for("    dz = (a - y) * a * (1 - a)\n    return {'dW1': X.T @ dz / len(X) * 1.5, 'db1': dz.mean(axis=0)}\n")
    assert verdict.status == "fail"
    assert verdict.message == "Your gradient dW1 is wrong: every entry is 1.5 times the right value (a constant factor is off)."
    assert verdict.details[1:3] == (
        "Gradient check on case 1 of 2 (random, seed 3):",
        "  dW1: relative error 0.2 (every entry is 1.5 times the right value (a constant factor is off))",
    )
    assert verdict.details[3].startswith("  db1: relative error ") and verdict.details[3].endswith(" (ok)")


def test_an_unrecognised_mistake_gives_the_relative_error():
    verdict = verdict_for("    dz = (a - y) * a * (1 - a)\n    return {'dW1': X.T @ dz / len(X) + 0.3, 'db1': dz.mean(axis=0)}\n")
    assert verdict.message.startswith("Your gradient dW1 is wrong (relative error ")
    assert "  dW1: relative error" in "\n".join(verdict.details) and "(wrong)" in verdict.details[2]


def test_missing_sigmoid_prime_is_named():
    verdict = verdict_for("    dz = (a - y)\n    return {'dW1': X.T @ dz / len(X), 'db1': dz.mean(axis=0)}\n")
    assert verdict.message.startswith("Your gradient ")
    assert verdict.message.endswith("is wrong: missing sigma'(z): every entry is too large by a factor of 1/sigma'(z) (at least 4).")


def test_sign_flip_is_named():
    verdict = verdict_for("    dz = (y - a) * a * (1 - a)\n    return {'dW1': X.T @ dz / len(X), 'db1': dz.mean(axis=0)}\n")
    assert verdict.message == "Your gradient dW1 is wrong: sign flipped: this is the negative of the gradient."
    assert "  db1: relative error 1 (sign flipped: this is the negative of the gradient)" in verdict.details


def test_batch_not_averaged_is_named():
    verdict = verdict_for("    dz = (a - y) * a * (1 - a)\n    return {'dW1': X.T @ dz, 'db1': dz.sum(axis=0)}\n")
    assert verdict.message == (
        "Your gradient dW1 is wrong: batch not averaged: 4 times too large (divide the sum by the 4 examples)."
    )


def test_bias_gradient_forgotten_is_named():
    zeros = verdict_for("    dz = (a - y) * a * (1 - a)\n    return {'dW1': X.T @ dz / len(X), 'db1': np.zeros(2)}\n")
    assert zeros.message == "Your gradient db1 is wrong: all zeros: the bias gradient was forgotten."
    missing = verdict_for("    dz = (a - y) * a * (1 - a)\n    return {'dW1': X.T @ dz / len(X)}\n")
    assert missing.message == "Your gradient db1 is wrong: missing: the bias gradient was forgotten."
    assert "  db1: missing: the bias gradient was forgotten" in missing.details


def test_assigned_instead_of_accumulated_is_named():
    body = (
        "    dz = (a - y) * a * (1 - a)\n    dW = np.zeros_like(W1)\n    db = np.zeros_like(b1)\n"
        "    for i in range(len(X)):\n        dW = np.outer(X[i], dz[i])\n        db = dz[i]\n"
        "    return {'dW1': dW / len(X), 'db1': db / len(X)}\n"
    )
    verdict = verdict_for(body)
    assert verdict.message == (
        "Your gradient dW1 is wrong: assigned instead of accumulated: only the last example's gradient is left (use += in the loop)."
    )


def test_a_square_weight_matrix_is_not_cut_as_if_it_were_the_batch():
    """With 4 examples and a 4 x 4 W1, the "last example" case cuts the inputs
    and targets only; W1 keeps its shape, so the diagnosis still works."""
    random = RandomCases(seed=5, count=1, args={
        "inputs": {"shape": [4, 4], "low": -2.0, "high": 2.0},
        "targets": {"shape": [4, 4], "low": 0.0, "high": 1.0},
        "W1": {"shape": [4, 4], "low": -1.0, "high": 1.0},
        "b1": {"shape": [4], "low": -1.0, "high": 1.0},
    })
    body = (
        "    dz = (a - y) * a * (1 - a)\n    for i in range(len(X)):\n        dW = np.outer(X[i], dz[i])\n        db = dz[i]\n"
        "    return {'dW1': dW / len(X), 'db1': db / len(X)}\n"
    )
    verdict = verdict_for(body, exercise(random=random))
    assert verdict.message.startswith("Your gradient dW1 is wrong: assigned instead of accumulated"), verdict.render()
    args = {"inputs": np.zeros((4, 4)), "targets": np.zeros((4, 4)), "W1": np.zeros((4, 4)), "b1": np.zeros(4)}
    assert per_example_arguments(args) == ["inputs", "targets"]


def test_one_flat_input_row_is_one_example_not_a_batch_of_two():
    """Mazur's single example beside 2 x 2 weights: doubling the gradient is a
    constant factor, not "batch not averaged" over two examples."""
    args = {"inputs": np.array([0.05, 0.1]), "targets": np.array([0.01, 0.99]), "W1": np.eye(2)}
    assert batch_size(args) == 1
    assert batch_size({"W": np.eye(3), "z": np.ones((5, 2))}) == 3  # no inputs by name: first matrix
    e = np.array([[0.1, -0.2], [0.3, 0.05]])
    assert diagnose("dW1", 2 * e, e, batch_size(args)) == "every entry is 2 times the right value (a constant factor is off)"


# -- naming the parameters ------------------------------------------------------

def test_a_pair_of_same_shaped_arrays_is_two_parameters_named_by_position():
    rng = np.random.default_rng(0)
    dW1, dW2 = rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    assert list(named_arrays((dW1, dW2))) == ["gradient 1", "gradient 2"]
    reports = check_gradients((dW1, -dW2), (dW1, dW2), TOLERANCE, {})
    assert [report.line() for report in reports] == [
        "gradient 1: relative error 0 (ok)",
        "gradient 2: relative error 1 (sign flipped: this is the negative of the gradient)",
    ]
    assert check_gradients([dW1.tolist(), dW2.tolist()], (dW1, dW2), TOLERANCE, {})[0].ok


def test_the_headline_names_the_wrong_layer_nearest_the_output():
    """An output-layer mistake spoils every earlier gradient too; the headline
    points at the layer where it happened, not at dW1."""
    g = {"dW1": np.array([[0.2, 0.1], [0.4, 0.3]]), "db1": np.array([0.5, 0.6]),
         "dW2": np.array([[0.1, -0.2], [0.3, 0.4]]), "db2": np.array([0.7, -0.8])}
    learner = {"dW1": g["dW1"] * np.array([[5.0, 6.0], [7.0, 8.0]]), "db1": g["db1"] * 5,
               "dW2": g["dW2"] * np.array([[4.5, 9.0], [5.0, 6.0]]), "db2": g["db2"]}
    reports = check_gradients(learner, g, TOLERANCE, {})
    assert [report.ok for report in reports] == [False, False, False, True]
    assert headline_report(reports).name == "dW2"
    hidden_only = check_gradients({**g, "db1": -g["db1"]}, g, TOLERANCE, {})
    assert headline_report(hidden_only).name == "db1"
    assert layer_of("dW12") == 12 and layer_of("gradient 2") == 2 and layer_of("dW") == 0


def test_names_never_double_the_word_gradient():
    assert called("gradient 2") == "gradient 2"
    assert called("gradient") == "gradient"
    assert called("dW1") == "gradient dW1"
    single = check(
        exercise(EngineRef("sigmoid_prime"), RandomCases(seed=1, count=1, args={"z": {"shape": [3]}}), "def backward(z)"),
        "import numpy as np\n\ndef backward(z):\n    s = 1 / (1 + np.exp(-z))\n    return -s * (1 - s)\n",
        runner=FakeRunner(),
    )
    assert single.message == "Your gradient is wrong: sign flipped: this is the negative of the gradient."
    assert "  gradient: relative error 1 (sign flipped: this is the negative of the gradient)" in single.details


def test_a_tuple_of_gradients_is_reported_as_gradient_1_and_gradient_2_end_to_end():
    """Lesson 5 used to expect Mazur's (dW1, dW2): two 2 x 2 arrays, once reported
    as a single array called "gradient" ("Your gradient gradient is wrong")."""
    ex = Exercise(
        id="backward", lesson_id="backprop", kind="code", prompt="?", line=1,
        expected=EngineRef("worked.mazur_gradients", select="backward.gradients.weights"), tolerance=TOLERANCE,
        code=CodeSpec(entry="backward", signature="def backward()", starter="", cases=({},), gradcheck=True),
    )
    source = (
        "import numpy as np\n\ndef sig(z):\n    return 1 / (1 + np.exp(-z))\n\n"
        "def backward():\n"
        "    x, t = np.array([0.05, 0.10]), np.array([0.01, 0.99])\n"
        "    W1, W2 = np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([[0.40, 0.50], [0.45, 0.55]])\n"
        "    h = sig(x @ W1 + 0.35)\n    o = sig(h @ W2 + 0.60)\n    d_o = (o - t) * o * (1 - o)\n"
        "    d_h = (W2 @ d_o) * h * (1 - h)\n    return np.outer(x, d_h), -np.outer(h, d_o)\n"
    )
    verdict = check(ex, source, runner=FakeRunner())
    assert verdict.message == "Your gradient 2 is wrong: sign flipped: this is the negative of the gradient."
    assert verdict.details[2].startswith("  gradient 1: relative error ") and verdict.details[2].endswith(" (ok)")
    assert verdict.cases[0].detail.startswith("first difference at [1][0, 0]: expected 0.082167, got -0.082167")
    assert "gradient gradient" not in verdict.render()


def test_a_tuple_where_a_dict_is_expected_is_a_structure_problem_not_missing_gradients():
    expected = {"dW1": np.ones((2, 2)), "db1": np.ones(2)}
    assert learner_arrays((np.ones((2, 2)), np.ones(2)), expected) is None
    assert check_gradients((np.ones((2, 2)), np.ones(2)), expected, TOLERANCE, {}) == []
    verdict = verdict_for("    dz = (a - y) * a * (1 - a)\n    return X.T @ dz / len(X), dz.mean(axis=0)\n")
    assert verdict.message == (
        "Your backward function returned a tuple of 2 items; expected a dict with keys 'dW1', 'db1' on case 1 of 2 (random, seed 3)."
    )


def test_nested_names_follow_keys_then_positions():
    value = {"weights": (np.ones(2), np.ones(2)), "biases": [0.5, 0.25]}
    assert list(named_arrays(value)) == ["weights 1", "weights 2", "biases"]
    assert list(named_arrays((None, np.ones(2)))) == ["gradient 2"]  # an absent bias is no parameter


def test_diagnose_and_relative_error_directly():
    e = np.array([[0.1, -0.2], [0.3, 0.05]])
    assert relative_error(e, e) == 0.0
    assert relative_error(-e, e) == 1.0
    assert diagnose("dW", -e, e, None) == "sign flipped: this is the negative of the gradient"
    assert diagnose("dW", e * 8, e, 8) == "batch not averaged: 8 times too large (divide the sum by the 8 examples)"
    assert diagnose("dW", e / 8, e, 8) == "divided by the batch size once too often (8 times too small)"
    assert diagnose("dW", e * np.array([[5.0, 7.0], [4.5, 9.0]]), e, None).startswith("missing sigma'(z)")
    assert diagnose("dW", e + 1.0, e, None) == ""
    assert diagnose("dW", e.T, e, None) == "transposed: entry [i, j] belongs at [j, i] (rows are inputs, columns are neurons)"
