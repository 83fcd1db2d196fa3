"""`network_gradients`: a network's gradients, named dW1, db1, ..., for arrays passed in."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from engine import Network, network_gradients, numerical_gradient, relative_error, worked

MAZUR = {
    "inputs": [0.05, 0.10],
    "targets": [0.01, 0.99],
    "W1": [[0.15, 0.25], [0.20, 0.30]],
    "b1": [0.35, 0.35],
    "W2": [[0.40, 0.50], [0.45, 0.55]],
    "b2": [0.60, 0.60],
}


def test_mazur_gradients_by_name_reproduce_the_article():
    gradients = network_gradients(**MAZUR)
    assert list(gradients) == ["dW1", "db1", "dW2", "db2"]
    assert gradients["dW2"][0, 0] == pytest.approx(0.082167041, abs=1e-9)  # dE/dw5
    assert gradients["dW1"][0, 0] == pytest.approx(0.000438568, abs=1e-9)  # dE/dw1
    reference = worked.mazur_gradients()
    assert gradients["dW2"][1, 0] == reference.dE_dw6 and gradients["dW1"][1, 1] == reference.dE_dw4
    # a bias gradient is the neuron's delta
    assert gradients["db2"].tolist() == [reference.delta_o1, reference.delta_o2]


def test_lists_and_named_layers_give_the_same_gradients():
    named = network_gradients(**MAZUR)
    listed = network_gradients(
        MAZUR["inputs"], MAZUR["targets"], weights=[MAZUR["W1"], MAZUR["W2"]], biases=[MAZUR["b1"], MAZUR["b2"]]
    )
    assert named.keys() == listed.keys()
    for name in named:
        assert np.array_equal(named[name], listed[name])


def test_without_biases_there_are_only_weight_gradients():
    X, y = engine.datasets.trask_3bit()
    W1, W2 = np.full((3, 4), 0.1), np.full((4, 1), -0.2)
    gradients = network_gradients(X, y, W1=W1, W2=W2)
    assert list(gradients) == ["dW1", "dW2"]
    expected = Network([W1, W2], bias="absent").backward(X, y).gradients.weights
    assert np.array_equal(gradients["dW1"], expected[0]) and np.array_equal(gradients["dW2"], expected[1])


@pytest.mark.parametrize("batch", ["sum", "mean"])
def test_every_named_gradient_agrees_with_finite_differences(batch):
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    params = {"W1": rng.normal(size=(3, 5)), "b1": rng.normal(size=5),
              "W2": rng.normal(size=(5, 4)), "b2": rng.normal(size=4),
              "W3": rng.normal(size=(4, 2)), "b3": rng.normal(size=2)}
    options = {"activations": ["tanh", "sigmoid", "identity"], "loss": "mean_squared_error", "batch": batch, "l2": 0.1}
    gradients = network_gradients(X, Y, **params, **options)

    def loss_with(name):
        def loss(value):
            changed = {**params, name: value}
            weights = [changed[f"W{n}"] for n in (1, 2, 3)]
            biases = [changed[f"b{n}"] for n in (1, 2, 3)]
            network = Network(weights, biases, options["activations"])
            return network.loss(X, Y, loss="mean_squared_error", batch=batch, l2=0.1)
        return loss

    for name, value in params.items():
        numeric = numerical_gradient(loss_with(name), value)
        assert relative_error(gradients[f"d{name}"], numeric) < 1e-7, name


def test_the_batch_mode_divides_by_the_number_of_examples():
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(5, 2)), rng.uniform(size=(5, 1))
    W1, b1 = rng.normal(size=(2, 1)), rng.normal(size=1)
    summed = network_gradients(X, Y, W1=W1, b1=b1)
    averaged = network_gradients(X, Y, W1=W1, b1=b1, batch="mean")
    np.testing.assert_allclose(summed["dW1"], 5 * averaged["dW1"], rtol=1e-12)
    np.testing.assert_allclose(summed["db1"], 5 * averaged["db1"], rtol=1e-12)


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"W1": np.eye(2), "w2": np.eye(2)}, r"unknown argument 'w2': layer parameters are named W1, b1, W2"),
        ({"W2": np.eye(2)}, r"missing weights W1"),
        ({"W1": np.eye(2), "b1": [0, 0], "W2": np.eye(2)}, r"missing biases b2"),
        ({"W1": np.eye(2), "b2": [0, 0]}, r"b2 has no matching W2"),
        ({"weights": [np.eye(2)], "W1": np.eye(2)}, r"either as weights=/biases= lists or as W1=, b1="),
        ({}, r"give the weights"),
        ({"W1": np.eye(3)}, r"layer 1 \(weights\[0\]\) has shape \(3, 3\).*inputs have shape \(2,\)"),
    ],
)
def test_bad_parameters_get_a_clear_message(arguments, message):
    with pytest.raises(ValueError, match=message):
        network_gradients([0.05, 0.10], [0.01, 0.99], **arguments)


def test_it_is_public():
    assert "network_gradients" in engine.__all__
