"""Backprop code with `gradcheck`: relative error per parameter and the likely mistake named.

The expected gradients are the real engine's (Network.backward, batch mean),
reached through a small adapter added to the engine's public names for these
tests only, because an exercise names one engine function and its arguments.
"""

from __future__ import annotations

import numpy as np
import pytest

import engine
from test_check_fake_runner import FakeRunner
from tutor.checking.checker import check
from tutor.checking.gradcheck import diagnose, relative_error
from tutor.course.model import CodeSpec, EngineRef, Exercise, RandomCases, Tolerance


def layer_gradients(X, y, W, b):
    gradients = engine.Network([W], [b]).backward(X, y, batch="mean").gradients
    return {"dW": gradients.weights[0], "db": gradients.biases[0]}


@pytest.fixture(autouse=True)
def _adapter(monkeypatch):
    monkeypatch.setattr(engine, "layer_gradients", layer_gradients, raising=False)
    monkeypatch.setattr(engine, "__all__", [*engine.__all__, "layer_gradients"])


RANDOM = RandomCases(seed=3, count=2, args={
    "X": {"shape": [4, 3], "low": -2.0, "high": 2.0},
    "y": {"shape": [4, 2], "low": 0.0, "high": 1.0},
    "W": {"shape": [3, 2], "low": -1.0, "high": 1.0},
    "b": {"shape": [2], "low": -1.0, "high": 1.0},
})


def backprop_exercise():
    return Exercise(
        id="backward", lesson_id="backprop", kind="code", prompt="?", line=1,
        expected=EngineRef("layer_gradients"), tolerance=Tolerance(abs=1e-9, rel=1e-7),
        code=CodeSpec(entry="backward", signature="def backward(X, y, W, b)", starter="", random=RANDOM, gradcheck=True),
    )


HEAD = "import numpy as np\n\ndef backward(X, y, W, b):\n    a = 1 / (1 + np.exp(-(X @ W + b)))\n"
CORRECT = HEAD + "    dz = (a - y) * a * (1 - a)\n    return {'dW': X.T @ dz / len(X), 'db': dz.mean(axis=0)}\n"


def verdict_for(body: str, exercise=None):
    return check(exercise or backprop_exercise(), HEAD + body, runner=FakeRunner())


def test_correct_backward_pass_passes():
    verdict = check(backprop_exercise(), CORRECT, runner=FakeRunner())
    assert verdict.status == "pass", verdict.render()


def test_relative_error_is_reported_per_parameter():
    verdict = verdict_for("    dz = (a - y) * a * (1 - a)\n    return {'dW': X.T @ dz / len(X) * 1.5, 'db': dz.mean(axis=0)}\n")
    assert verdict.status == "fail"
    assert verdict.message == "Your gradient dW is wrong (relative error 0.2)."
    assert verdict.details[1:3] == ("Gradient check on case 1 of 2 (random, seed 3):", "  dW: relative error 0.2 (wrong)")
    assert verdict.details[3].startswith("  db: relative error ") and verdict.details[3].endswith(" (ok)")


def test_missing_sigmoid_prime_is_named():
    verdict = verdict_for("    dz = (a - y)\n    return {'dW': X.T @ dz / len(X), 'db': dz.mean(axis=0)}\n")
    assert verdict.message.startswith("Your gradient ")
    assert verdict.message.endswith("is wrong: missing sigma'(z): every entry is too large by a factor of 1/sigma'(z) (at least 4).")


def test_sign_flip_is_named():
    verdict = verdict_for("    dz = (y - a) * a * (1 - a)\n    return {'dW': X.T @ dz / len(X), 'db': dz.mean(axis=0)}\n")
    assert verdict.message == "Your gradient dW is wrong: sign flipped: this is the negative of the gradient."
    assert "  db: relative error 1 (sign flipped: this is the negative of the gradient)" in verdict.details


def test_batch_not_averaged_is_named():
    verdict = verdict_for("    dz = (a - y) * a * (1 - a)\n    return {'dW': X.T @ dz, 'db': dz.sum(axis=0)}\n")
    assert verdict.message == (
        "Your gradient dW is wrong: batch not averaged: 4 times too large (divide the sum by the 4 examples)."
    )


def test_bias_gradient_forgotten_is_named():
    zeros = verdict_for("    dz = (a - y) * a * (1 - a)\n    return {'dW': X.T @ dz / len(X), 'db': np.zeros(2)}\n")
    assert zeros.message == "Your gradient db is wrong: all zeros: the bias gradient was forgotten."
    missing = verdict_for("    dz = (a - y) * a * (1 - a)\n    return {'dW': X.T @ dz / len(X)}\n")
    assert missing.message == "Your gradient db is wrong: missing: the bias gradient was forgotten."
    assert "  db: missing: the bias gradient was forgotten" in missing.details


def test_assigned_instead_of_accumulated_is_named():
    body = (
        "    dz = (a - y) * a * (1 - a)\n    dW = np.zeros_like(W)\n    db = np.zeros_like(b)\n"
        "    for i in range(len(X)):\n        dW = np.outer(X[i], dz[i])\n        db = dz[i]\n"
        "    return {'dW': dW / len(X), 'db': db / len(X)}\n"
    )
    verdict = verdict_for(body)
    assert verdict.message == (
        "Your gradient dW is wrong: assigned instead of accumulated: only the last example's gradient is left (use += in the loop)."
    )


def test_diagnose_and_relative_error_directly():
    e = np.array([[0.1, -0.2], [0.3, 0.05]])
    assert relative_error(e, e) == 0.0
    assert relative_error(-e, e) == 1.0
    assert diagnose("dW", -e, e, None) == "sign flipped: this is the negative of the gradient"
    assert diagnose("dW", e * 8, e, 8) == "batch not averaged: 8 times too large (divide the sum by the 8 examples)"
    assert diagnose("dW", e / 8, e, 8) == "divided by the batch size once too often (8 times too small)"
    assert diagnose("dW", e * np.array([[5.0, 7.0], [4.5, 9.0]]), e, None).startswith("missing sigma'(z)")
    assert diagnose("dW", e + 1.0, e, None) == ""
