"""Every derivative in the engine agrees with central finite differences."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import engine
from engine import Network, gradient_check, numerical_gradient

FAST = settings(max_examples=12, deadline=None)


def _rel(a, b):
    return engine.relative_error(a, b)


@pytest.mark.parametrize(
    "function, derivative",
    [
        (engine.sigmoid, engine.sigmoid_prime),
        (engine.tanh, engine.tanh_prime),
        (engine.relu, engine.relu_prime),
        (engine.identity, engine.identity_prime),
    ],
)
@FAST
@given(seed=st.integers(0, 10_000), size=st.integers(1, 12))
def test_activation_derivatives_match_finite_differences(function, derivative, seed, size):
    z = np.random.default_rng(seed).uniform(-6, 6, size)
    z[np.abs(z) < 1e-3] += 0.01  # keep away from relu's kink
    numeric = np.array([numerical_gradient(lambda v: function(v[0]), [value])[0] for value in z])
    assert _rel(derivative(z), numeric) < 1e-7


@FAST
@given(seed=st.integers(0, 10_000), size=st.integers(2, 6))
def test_softmax_jacobian_matches_finite_differences(seed, size):
    rng = np.random.default_rng(seed)
    z, g = rng.normal(size=size), rng.normal(size=size)
    a = engine.softmax(z)
    analytic = a * (g - np.dot(g, a))  # the vector-Jacobian product the network uses
    numeric = numerical_gradient(lambda v: np.dot(g, engine.softmax(v)), z)
    assert _rel(analytic, numeric) < 1e-7


LOSSES = [
    (engine.half_squared_error, engine.half_squared_error_grad, "real"),
    (engine.mean_squared_error, engine.mean_squared_error_grad, "real"),
    (engine.binary_cross_entropy, engine.binary_cross_entropy_grad, "probability"),
]


@pytest.mark.parametrize("loss, grad, kind", LOSSES)
@FAST
@given(seed=st.integers(0, 10_000), rows=st.integers(1, 5), cols=st.integers(1, 3))
def test_loss_gradients_match_finite_differences(loss, grad, kind, seed, rows, cols):
    rng = np.random.default_rng(seed)
    if kind == "probability":
        output, target = rng.uniform(0.05, 0.95, (rows, cols)), rng.integers(0, 2, (rows, cols)).astype(float)
    else:
        output, target = rng.normal(size=(rows, cols)), rng.normal(size=(rows, cols))
    numeric = numerical_gradient(lambda o: loss(o, target), output)
    assert _rel(grad(output, target), numeric) < 1e-7


@FAST
@given(seed=st.integers(0, 10_000), rows=st.integers(1, 5), classes=st.integers(2, 4))
def test_softmax_cross_entropy_gradient_matches_finite_differences(seed, rows, classes):
    rng = np.random.default_rng(seed)
    logits, labels = rng.normal(size=(rows, classes)) * 2, rng.integers(0, classes, rows)
    numeric = numerical_gradient(lambda z: engine.softmax_cross_entropy(z, labels), logits)
    assert _rel(engine.softmax_cross_entropy_grad(logits, labels), numeric) < 1e-7


def test_l2_penalty_gradient_is_lam_w():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(3, 2))
    numeric = numerical_gradient(lambda w: engine.l2_penalty([w, np.ones((2, 1))], 0.3), W)
    assert _rel(0.3 * W, numeric) < 1e-7


ACTIVATION = st.sampled_from(["sigmoid", "tanh", "relu", "identity"])
NETWORK_LOSSES = [
    ("half_squared_error", "sigmoid"),
    ("mean_squared_error", "identity"),
    ("binary_cross_entropy", "sigmoid"),
    ("binary_cross_entropy", "tanh"),  # the unfused path; outputs kept inside (0, 1) below
    ("softmax_cross_entropy", "identity"),
    ("half_squared_error", "softmax"),
]


@pytest.mark.parametrize("loss, output_activation", NETWORK_LOSSES)
@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4),
    hidden=ACTIVATION,
    rows=st.integers(1, 4),
    batch=st.sampled_from(["sum", "mean"]),
    l2=st.sampled_from([0.0, 0.1]),
    bias=st.sampled_from(["trained", "absent"]),
)
@example(seed=122, sizes=[2, 1, 1, 3], hidden="sigmoid", rows=1, batch="sum", l2=0.0, bias="trained")  # round-off
def test_backward_matches_finite_differences(loss, output_activation, seed, sizes, hidden, rows, batch, l2, bias):
    rng = np.random.default_rng(seed)
    n_out = sizes[-1] + (1 if output_activation == "softmax" or loss == "softmax_cross_entropy" else 0)
    sizes = [*sizes[:-1], n_out]
    activations = [hidden] * (len(sizes) - 2) + [output_activation]
    network = Network.from_sizes(sizes, activations, seed=seed, bias=bias)
    if bias == "trained":
        for b in network.biases:
            b[:] = rng.normal(scale=0.5, size=b.shape)
    X = rng.normal(size=(rows, sizes[0]))
    if loss == "softmax_cross_entropy":
        Y = rng.integers(0, n_out, rows)
    elif loss == "binary_cross_entropy":
        Y = rng.integers(0, 2, (rows, n_out)).astype(float)
        if output_activation == "tanh":
            # Keep every activation positive and the tanh outputs inside (0, 1), so
            # log(p) is defined and the loss never reaches its clipping.
            if bias == "absent":
                return
            X = np.abs(X)
            for W, b in zip(network.weights, network.biases):
                W[:] = np.abs(W)
                b[:] = 0.5
            network.weights[-1] *= 0.1
    else:
        Y = rng.normal(size=(rows, n_out))
    check = gradient_check(network, X, Y, loss=loss, batch=batch, l2=l2)
    # The positive-only set-up for tanh under cross-entropy shrinks the first
    # layers' gradients (chains of one-unit sigmoid layers: seed 7694, sizes
    # [4, 1, 1, 1]) until central differences' round-off, about 1e-16 * loss /
    # epsilon, reaches 1e-7 of them. 1e-6 still tells a right gradient from a
    # wrong one (off by 1e-2 or more).
    tolerance = 1e-6 if (loss, output_activation) == ("binary_cross_entropy", "tanh") else 1e-7
    floors = roundoff_floors(network, X, Y, loss, batch, l2)
    errors = [*check.weights, *(e for e in check.biases if e is not None)]
    assert all(error < tolerance + floor for error, floor in zip(errors, floors, strict=True)), (check, floors)


def roundoff_floors(network, X, Y, loss, batch, l2, epsilon=1e-5):
    """The relative error central differences can show on their own, per array
    (weights, then biases): each entry's difference quotient carries about
    u * |loss| / epsilon of round-off (u the float64 epsilon, times 10 for the
    loss's own sums), which is no longer small next to a gradient shrunk by a
    chain of one-unit sigmoid layers (seed 122, sizes [2, 1, 1, 3] under
    cross-entropy: a first-layer gradient of 1.6e-5). Any mistake in backward
    is far above it."""
    gradients = network.backward(X, Y, loss, batch, l2).gradients
    noise = 10 * np.finfo(float).eps * abs(network.loss(X, Y, loss, batch, l2)) / epsilon
    arrays = [*gradients.weights, *(db for db, b in zip(gradients.biases, network.biases) if b is not None)]
    return [noise * np.sqrt(a.size) / max(2 * np.linalg.norm(a), np.finfo(float).tiny) for a in arrays]
