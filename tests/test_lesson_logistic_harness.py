"""The logistic-regression harnesses drive a learner's gradient or descent loop
and must reproduce the engine exactly when the learner's code is right."""

import numpy as np
import pytest

import engine
from tutor.checking import drivers as harnesses

X, Y = engine.datasets.blobs(n_samples=12, seed=0)


def good_gradient(inputs, targets, weights, bias):
    p = engine.sigmoid(inputs @ weights + bias)
    return inputs.T @ (p - targets) / len(targets), np.mean(p - targets)


def good_descend(loss_and_gradient, start, learning_rate, steps):
    params, losses = start, []
    for _ in range(steps):
        loss, grad = loss_and_gradient(params)
        losses.append(loss)
        params = params - learning_rate * grad
    return losses


def test_logistic_descent_reproduces_the_engine_probabilities():
    got = harnesses.logistic_descent(good_gradient, X, Y, learning_rate=0.5, steps=40)
    fit = engine.logistic_regression(X, Y, learning_rate=0.5, steps=40)
    np.testing.assert_allclose(got, fit.probabilities, rtol=1e-12, atol=1e-12)


def test_logistic_descent_with_a_summed_gradient_matches_a_larger_learning_rate():
    def summed(inputs, targets, weights, bias):
        dw, db = good_gradient(inputs, targets, weights, bias)
        return dw * len(targets), db * len(targets)

    got = harnesses.logistic_descent(summed, X, Y, learning_rate=0.5, steps=10)
    fit = engine.logistic_regression(X, Y, learning_rate=0.5 * 12, steps=10)
    np.testing.assert_allclose(got, fit.probabilities, rtol=1e-9, atol=1e-12)


def test_logistic_descent_names_the_gradient_with_the_wrong_shape():
    def column(inputs, targets, weights, bias):
        dw, db = good_gradient(inputs, targets, weights, bias)
        return dw.reshape(-1, 1), db

    with pytest.raises(ValueError, match=r"dw has shape \(2, 1\) but weights have shape \(2,\)"):
        harnesses.logistic_descent(column, X, Y, learning_rate=0.5, steps=3)

    def per_example_bias(inputs, targets, weights, bias):
        dw, _ = good_gradient(inputs, targets, weights, bias)
        return dw, engine.sigmoid(inputs @ weights + bias) - targets

    with pytest.raises(ValueError, match=r"db has shape \(12,\)"):
        harnesses.logistic_descent(per_example_bias, X, Y, learning_rate=0.5, steps=3)

    with pytest.raises(TypeError, match="return dw, db"):
        harnesses.logistic_descent(lambda *a: 0.0, X, Y, learning_rate=0.5, steps=1)


def test_descend_logistic_reproduces_the_engine_loss_curve():
    got = harnesses.descend_logistic(good_descend, X, Y, learning_rate=0.3, steps=25)
    fit = engine.logistic_regression(X, Y, learning_rate=0.3, steps=25)
    np.testing.assert_allclose(got, fit.losses, rtol=1e-12, atol=1e-12)
    assert {"logistic_descent", "descend_logistic"} <= set(harnesses.DRIVERS)


def test_logistic_descent_says_when_the_gradient_points_uphill():
    def flipped(inputs, targets, weights, bias):
        dw, db = good_gradient(inputs, targets, weights, bias)
        return -dw, -db

    with pytest.raises(ValueError, match="points uphill"):
        harnesses.logistic_descent(flipped, X, Y, learning_rate=0.5, steps=5)


def test_descend_logistic_says_when_the_loop_climbs():
    def climbing(loss_and_gradient, start, learning_rate, steps):
        params, losses = start, []
        for _ in range(steps):
            loss, grad = loss_and_gradient(params)
            losses.append(loss)
            params = params + learning_rate * grad
        return losses

    with pytest.raises(ValueError, match="along the gradient, which is uphill"):
        harnesses.descend_logistic(climbing, X, Y, learning_rate=0.3, steps=5)


def test_descend_logistic_says_when_losses_are_recorded_after_the_step():
    def late(loss_and_gradient, start, learning_rate, steps):
        params, losses = start, []
        for _ in range(steps):
            loss, grad = loss_and_gradient(params)
            params = params - learning_rate * grad
            losses.append(loss_and_gradient(params)[0])
        return losses

    with pytest.raises(ValueError, match="record each loss before its step"):
        harnesses.descend_logistic(late, X, Y, learning_rate=0.3, steps=5)
