"""The dense network: construction, checks on bad input, training."""

import warnings

import numpy as np
import pytest

import engine
from engine import Network, train


def test_the_articles_neuron():
    assert engine.weighted_sum([1, 0], [7, 3], -2) == 5.0
    # sigmoid(5) = 1 / (1 + e^-5): e^x comes from the platform's libm or NumPy's
    # SIMD loops, which may differ in the last bit, so 14 digits, not all 16.
    assert engine.neuron_output([1, 0], [7, 3], -2) == pytest.approx(0.9933071490757153, rel=1e-14)
    assert engine.neuron_output([1, 0], [7, 3], -2, activation="relu") == 5.0


def test_scalars_in_scalars_out_lists_in_arrays_out():
    assert isinstance(engine.sigmoid(0), np.floating) and engine.sigmoid(0) == 0.5
    assert isinstance(engine.tanh_prime(0.0), np.floating) and engine.tanh_prime(0.0) == 1.0
    assert engine.relu([-1, 2]).tolist() == [0.0, 2.0]
    np.testing.assert_allclose(engine.softmax([1, 1]), [0.5, 0.5])


def test_sigmoid_is_stable_far_out():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = engine.sigmoid([-1e4, -800, 800, 1e4])
        slopes = engine.sigmoid_prime([-1e4, 1e4])
        big = engine.softmax([1e4, 0])
        loss = engine.softmax_cross_entropy([[1e4, 0]], [1])
    assert values.tolist() == [0.0, 0.0, 1.0, 1.0]
    assert slopes.tolist() == [0.0, 0.0]
    assert big.tolist() == [1.0, 0.0] and loss == 1e4


def test_binary_cross_entropy_is_finite_at_zero_and_one():
    value = engine.binary_cross_entropy([0.0, 1.0], [1.0, 0.0])
    assert np.isfinite(value) and value == pytest.approx(-np.log(1e-12), rel=1e-6)
    assert np.all(np.isfinite(engine.binary_cross_entropy_grad([0.0, 1.0], [1.0, 0.0])))


def test_losses_refuse_to_broadcast():
    with pytest.raises(ValueError, match=r"output has shape \(4, 1\) but target has shape \(4,\)"):
        engine.half_squared_error(np.zeros((4, 1)), np.zeros(4))


def test_mismatched_layers_name_the_layer_and_both_shapes():
    with pytest.raises(ValueError, match=r"layer 2 \(weights\[1\]\) has shape \(3, 1\).*layer 1 \(weights\[0\]\) has shape \(2, 4\)"):
        Network([np.zeros((2, 4)), np.zeros((3, 1))])


def test_wrong_input_width_names_the_layer_and_both_shapes():
    network = Network.from_sizes([2, 3, 1])
    with pytest.raises(ValueError, match=r"layer 1 \(weights\[0\]\) has shape \(2, 3\).*inputs have shape \(4, 3\)"):
        network.forward(np.zeros((4, 3)))


def test_wrong_target_shape_names_the_output_layer():
    network = Network.from_sizes([2, 3, 1])
    with pytest.raises(ValueError, match=r"targets have shape \(4, 2\).*layer 2 \(weights\[1\]\).*\(4, 1\)"):
        network.backward(np.zeros((4, 2)), np.zeros((4, 2)))


def test_nan_input_is_refused():
    network = Network.from_sizes([2, 1])
    with pytest.raises(ValueError, match=r"inputs contain NaN or infinity \(first at \[1, 0\]\)"):
        network.forward([[0, 0], [np.nan, 1]])


def test_wrong_bias_size_is_refused():
    with pytest.raises(ValueError, match=r"needs 3 biases, but biases\[0\] has shape \(2,\)"):
        Network([np.zeros((2, 3))], [[1.0, 2.0]])


def test_softmax_cross_entropy_wants_logits():
    network = Network.from_sizes([2, 2], "softmax")
    with pytest.raises(ValueError, match="output layer must be 'identity'"):
        network.backward([[0, 1]], [1], loss="softmax_cross_entropy")


def test_forward_keeps_every_z_and_a():
    network = Network.from_sizes([3, 4, 2], ["relu", "sigmoid"], seed=3)
    X = np.random.default_rng(0).normal(size=(5, 3))
    result = network.forward(X)
    assert [z.shape for z in result.zs] == [(5, 4), (5, 2)]
    assert [a.shape for a in result.activations] == [(5, 3), (5, 4), (5, 2)]
    np.testing.assert_array_equal(result.activations[1], np.maximum(X @ network.weights[0] + network.biases[0], 0))


def test_mean_batch_gradients_are_the_summed_ones_divided_by_rows():
    network = Network.from_sizes([2, 3, 1], "tanh", seed=1)
    X, y = engine.datasets.logic_gate("XOR")
    summed = network.backward(X, y, batch="sum").gradients
    averaged = network.backward(X, y, batch="mean").gradients
    for s, m in zip(summed.weights, averaged.weights):
        np.testing.assert_allclose(m, s / 4, rtol=1e-14)


def test_l2_touches_weights_only():
    network = Network.from_sizes([2, 3, 1], seed=1)
    X, y = engine.datasets.logic_gate("OR")
    plain = network.backward(X, y).gradients
    regular = network.backward(X, y, l2=0.5).gradients
    for W, p, r in zip(network.weights, plain.weights, regular.weights):
        np.testing.assert_allclose(r, p + 0.5 * W, rtol=1e-14)
    for p, r in zip(plain.biases, regular.biases):
        np.testing.assert_array_equal(p, r)


CASES = [
    ([2, 3, 1], ["sigmoid", "sigmoid"], "half_squared_error", "sum", 0.0, "trained"),
    ([2, 4, 1], ["tanh", "sigmoid"], "binary_cross_entropy", "mean", 0.01, "trained"),
    ([2, 3, 3], ["relu", "identity"], "softmax_cross_entropy", "mean", 0.0, "frozen"),
    ([2, 3, 2], ["tanh", "identity"], "mean_squared_error", "sum", 0.1, "absent"),
    ([2, 3, 2], ["sigmoid", "softmax"], "half_squared_error", "mean", 0.0, "trained"),
]


@pytest.mark.parametrize("sizes, activations, loss, batch, l2, bias", CASES)
def test_fast_training_equals_backward_then_step(sizes, activations, loss, batch, l2, bias):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(6, 2))
    if loss == "softmax_cross_entropy":
        Y = rng.integers(0, sizes[-1], 6)
    elif loss == "binary_cross_entropy":
        Y = rng.integers(0, 2, (6, 1)).astype(float)
    else:
        Y = rng.normal(size=(6, sizes[-1]))
    slow = Network.from_sizes(sizes, activations, seed=2, bias=bias)
    fast = slow.copy()
    losses = [slow.train_step(X, Y, 0.1, loss, batch, l2).loss for _ in range(5)]
    result = train(fast, X, Y, learning_rate=0.1, steps=5, loss=loss, batch=batch, l2=l2)
    np.testing.assert_allclose(result.losses, losses, rtol=1e-12)
    for a, b in zip(fast.weights, slow.weights):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    for a, b in zip(fast.biases, slow.biases):
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    assert result.final_loss == pytest.approx(slow.loss(X, Y, loss, batch, l2), rel=1e-12)


def test_frozen_biases_do_not_move_but_trained_ones_do():
    X, y = engine.datasets.logic_gate("AND")
    frozen = Network.from_sizes([2, 2, 1], seed=0, bias="frozen")
    trained = Network.from_sizes([2, 2, 1], seed=0, bias="trained")
    train(frozen, X, y, steps=10)
    train(trained, X, y, steps=10)
    assert all(np.all(b == 0) for b in frozen.biases)
    assert any(np.any(b != 0) for b in trained.biases)


def test_training_learns_xor():
    X, y = engine.datasets.logic_gate("XOR")
    network = Network.from_sizes([2, 4, 1], ["tanh", "sigmoid"], seed=0)
    result = train(network, X, y, learning_rate=0.5, steps=3000, loss="binary_cross_entropy", batch="mean")
    assert not result.stopped_early and result.steps == 3000 and len(result.losses) == 3000
    assert result.final_loss < 0.05 < result.losses[0]
    np.testing.assert_array_equal(network.predict(X)[:, 0] > 0.5, y[:, 0] == 1)


def test_callback_sees_every_step_and_can_stop():
    X, y = engine.datasets.logic_gate("OR")
    seen = []
    train(Network.from_sizes([2, 1], seed=0), X, y, steps=7, callback=lambda step, loss: seen.append((step, loss)))
    assert [step for step, _ in seen] == list(range(7)) and all(isinstance(loss, float) for _, loss in seen)
    result = train(Network.from_sizes([2, 1], seed=0), X, y, steps=100, callback=lambda step, loss: step < 4)
    assert result.stopped_early and result.steps == 5 and "callback" in result.reason


def test_divergence_stops_with_a_reason_and_keeps_good_weights():
    X = np.array([[1.0], [2.0], [3.0]])
    y = 3 * X
    network = Network.from_sizes([1, 1], "identity", seed=0)
    result = train(network, X, y, learning_rate=1.0, steps=500)
    assert result.stopped_early
    assert "stopped at step" in result.reason and "learning rate 1 is probably too large" in result.reason
    assert len(result.losses) == result.steps < 500
    assert np.all(np.isfinite(network.weights[0]))


def test_nan_loss_stops_training():
    X = np.array([[1.0], [2.0]])
    network = Network.from_sizes([1, 1], "identity", seed=0)
    result = train(network, X, [[1.0], [2.0]], learning_rate=1e200, steps=50, divergence=np.inf)
    assert result.stopped_early and ("NaN" in result.reason or "infinite" in result.reason)


def test_mini_batches_cover_the_data_and_record_each_step():
    X, y = engine.datasets.two_moons(100, seed=1)
    network = Network.from_sizes([2, 8, 2], ["tanh", "identity"], seed=0)
    result = train(network, X, y, learning_rate=0.1, steps=300, loss="softmax_cross_entropy", batch="mean", batch_size=32)
    assert len(result.losses) == 300
    assert result.final_loss < result.losses[0]


def test_bad_training_options_are_refused():
    X, y = engine.datasets.logic_gate("AND")
    network = Network.from_sizes([2, 1])
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        train(network, X, y, learning_rate=-1)
    with pytest.raises(ValueError, match="batch_size must be between 1 and the number of rows"):
        train(network, X, y, batch_size=10)
    with pytest.raises(ValueError, match="unknown loss"):
        train(network, X, y, loss="hinge")


def test_logistic_regression_separates_blobs():
    X, y = engine.datasets.blobs(n_samples=80, seed=2)
    model = engine.LogisticRegression(learning_rate=0.5, steps=500).fit(X, y)
    assert np.all(model.predict(X) == y)
    assert model.predict_proba(X).shape == (80,) and model.weights.shape == (2,)
    fit = engine.logistic_regression(X, y, learning_rate=0.5, steps=500)
    assert fit.accuracy == 1.0
    np.testing.assert_array_equal(fit.weights, model.weights)
    assert fit.final_loss < fit.losses[0]


def test_logistic_regression_needs_fitting_first():
    with pytest.raises(ValueError, match="call fit"):
        engine.LogisticRegression().predict([[0, 0]])


def test_gradient_check_catches_a_wrong_gradient(monkeypatch):
    network = Network.from_sizes([2, 3, 1], seed=0)
    X, y = engine.datasets.logic_gate("XOR")
    assert engine.gradient_check(network, X, y).passed()
    original = Network.backward

    def broken(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        result.gradients.weights[0][0, 0] *= 1.1
        return result

    monkeypatch.setattr(Network, "backward", broken)
    check = engine.gradient_check(network, X, y)
    assert not check.passed() and check.weights[0] > 1e-3 and check.weights[1] < 1e-7


def test_training_on_huge_logits_stays_finite_and_agrees_with_backward():
    network = Network([[[1000.0, -1000.0]]], [[0.0, 0.0]], "identity")
    slow = network.copy()
    X, labels = [[1.0], [-1.0]], [1, 1]
    result = train(network, X, labels, learning_rate=1e-3, steps=3, loss="softmax_cross_entropy")
    expected = [slow.train_step(X, labels, 1e-3, "softmax_cross_entropy").loss for _ in range(3)]
    np.testing.assert_allclose(result.losses, expected, rtol=1e-12)
    assert result.losses[0] == pytest.approx(2000.0) and not result.stopped_early
