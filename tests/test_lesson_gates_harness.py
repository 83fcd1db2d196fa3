"""Harnesses for the gates and capstone lessons: a learner's gate called on a
whole truth table, and a learner's network class trained and scored."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Network, datasets, train, worked
from tutor.checking import drivers as harnesses
from tutor.checking.harnesses import HARNESSES, split_reported


def train_classifier(entry, **settings):
    """The capstone's harness as the checker uses it, here in the test's process:
    data made by the engine, the driver run, the accuracy measured from the
    probabilities it reports."""
    declared = HARNESSES["train_classifier"]
    reported = harnesses.train_classifier(entry, **declared.driver_args(settings))
    return declared.judged(split_reported(reported).value, settings)


def test_gate_truth_table_calls_the_gate_on_the_four_rows_in_engine_order() -> None:
    calls = []

    def xnor(x1, x2):
        calls.append((x1, x2))
        return 1.0 - (x1 - x2) ** 2  # smooth, and exactly XNOR on the rows

    table = harnesses.gate_truth_table(xnor)
    assert calls[:4] == [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    expected = datasets.logic_gate("XNOR").targets[:, 0]
    np.testing.assert_array_equal(table, expected)
    assert "gate_truth_table" in harnesses.DRIVERS
    # then off the corners: along each edge where the output crosses 0.5, down to a hair
    off = calls[4:]
    assert (0.5, 0.0) in off and (0.0, 0.5) in off and (1.0, 0.5) in off and (0.5, 1.0) in off
    assert all(0 <= x1 <= 1 and 0 <= x2 <= 1 and (x1 in (0.0, 1.0) or x2 in (0.0, 1.0)) for x1, x2 in off)


def test_gate_truth_table_refuses_a_comparison_that_is_right_on_every_row() -> None:
    with pytest.raises(ValueError, match=r"your gate jumps from 1 to 0 between \(0, 0\) and \(0, [0-9.e-]+\), "
                                         r"points a hair apart: a network of sigmoid neurons changes smoothly"):
        harnesses.gate_truth_table(lambda x1, x2: float(x1 == x2))
    with pytest.raises(ValueError, match=r"jumps from 1 to 0"):
        harnesses.gate_truth_table(lambda x1, x2: float(round(x1) == round(x2)))
    with pytest.raises(ValueError, match=r"gate\(0, 0.5\) returned nan: a network of sigmoid neurons gives a number"):
        harnesses.gate_truth_table(lambda x1, x2: float("nan") if 0 < x1 < 1 or 0 < x2 < 1 else float(x1 == x2))


def test_gate_truth_table_takes_a_network_with_any_weights() -> None:
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    def xnor(x1, x2):  # gentler weights than Ng's: farther from 0 and 1, still the right table
        return sigmoid(-3 + 6 * sigmoid(-9 + 6 * x1 + 6 * x2) + 6 * sigmoid(3 - 6 * x1 - 6 * x2))

    table = harnesses.gate_truth_table(xnor)
    np.testing.assert_allclose(table, [xnor(0, 0), xnor(0, 1), xnor(1, 0), xnor(1, 1)], rtol=0)
    assert np.all(np.abs(table - datasets.logic_gate("XNOR").targets[:, 0]) < 0.1)


def test_gate_truth_table_reproduces_ngs_xnor_network_from_three_neurons() -> None:
    def neuron(bias, w1, w2, x1, x2):
        return 1 / (1 + np.exp(-(bias + w1 * x1 + w2 * x2)))

    def xnor(x1, x2):
        both = neuron(-30, 20, 20, x1, x2)
        neither = neuron(10, -20, -20, x1, x2)
        return neuron(-10, 20, 20, both, neither)

    np.testing.assert_allclose(harnesses.gate_truth_table(xnor), worked.ng_xnor_network().outputs, rtol=1e-12)


def test_gate_truth_table_names_a_gate_that_returns_several_numbers() -> None:
    with pytest.raises(ValueError, match=r"gate\(0, 0\) returned 2 numbers"):
        harnesses.gate_truth_table(lambda x1, x2: np.array([x1, x2]))


class EngineLikeNetwork:
    """A learner's class that initialises exactly as Network.from_sizes does,
    so its training must match the engine's step for step."""

    hidden = 6

    def __init__(self, n_inputs, n_outputs, seed):
        rng = np.random.default_rng(seed)
        self.W1 = rng.standard_normal((n_inputs, self.hidden)) / np.sqrt(n_inputs)
        self.W2 = rng.standard_normal((self.hidden, n_outputs)) / np.sqrt(self.hidden)
        self.b1, self.b2 = np.zeros(self.hidden), np.zeros(n_outputs)

    def forward(self, X):
        self.X = X
        self.h = np.tanh(X @ self.W1 + self.b1)
        z = self.h @ self.W2 + self.b2
        e = np.exp(z - z.max(axis=1, keepdims=True))
        self.p = e / e.sum(axis=1, keepdims=True)
        return self.p

    def backward(self, y):
        dz = self.p.copy()
        dz[np.arange(len(y)), y] -= 1
        dz /= len(y)
        self.dW2, self.db2 = self.h.T @ dz, dz.sum(axis=0)
        dh = (dz @ self.W2.T) * (1 - self.h**2)
        self.dW1, self.db1 = self.X.T @ dh, dh.sum(axis=0)

    def step(self, learning_rate):
        for name in ("W1", "b1", "W2", "b2"):
            setattr(self, name, getattr(self, name) - learning_rate * getattr(self, "d" + name))


MOONS = {"n_samples": 200, "noise": 0.2, "seed": 0}


def test_train_classifier_scores_the_learner_network_as_the_engine_scores_its_own() -> None:
    accuracy = train_classifier(EngineLikeNetwork, steps=300, learning_rate=1.0, data_args=MOONS, seed=4)

    X, y = datasets.two_moons(**MOONS)
    network = Network.from_sizes([2, EngineLikeNetwork.hidden, 2], ["tanh", "identity"], seed=4)
    train(network, X, y, learning_rate=1.0, steps=300, loss="softmax_cross_entropy", batch="mean")
    assert accuracy == np.mean(network.predict(X).argmax(axis=1) == y)
    assert "train_classifier" in harnesses.DRIVERS


def test_train_classifier_reaches_the_capstone_goal_within_its_budget() -> None:
    accuracy = train_classifier(EngineLikeNetwork, steps=2000, learning_rate=1.0, data_args=MOONS)
    assert accuracy >= 0.97


class LabelLookup:
    """A 'network' that remembers the label of every point backward saw."""

    def __init__(self, n_inputs, n_outputs, seed):
        self.k, self.table = n_outputs, {}

    def forward(self, X):
        self.X = X
        out = np.zeros((len(X), self.k))
        out[:, 0] = 1.0
        for row, point in enumerate(X):
            if point.tobytes() in self.table:
                out[row] = np.eye(self.k)[self.table[point.tobytes()]]
        return out

    def backward(self, y):
        self.table.update({point.tobytes(): int(label) for point, label in zip(self.X, y)})

    def step(self, learning_rate):
        pass


def test_train_classifier_judges_on_held_out_points_of_the_same_distribution() -> None:
    held_out = {"holdout_seed": 7, "holdout_samples": 1000}
    declared = HARNESSES["train_classifier"]
    args = declared.driver_args({"steps": 3, "learning_rate": 1.0, "data_args": MOONS, **held_out})
    X_new, y_new = datasets.two_moons(n_samples=1000, noise=0.2, seed=7)
    np.testing.assert_array_equal(args["judged_on"], X_new)
    assert not set(map(bytes, np.asarray(args["X"]))) & set(map(bytes, X_new))  # no training point is judged
    assert "holdout_seed" not in args and "holdout_samples" not in args
    # a table of the labels backward received: perfect on its training points, a coin on new ones
    assert train_classifier(LabelLookup, steps=3, learning_rate=1.0, data_args=MOONS) == 1.0
    assert train_classifier(LabelLookup, steps=3, learning_rate=1.0, data_args=MOONS, **held_out) == np.mean(y_new == 0)
    # a real network is measured on the new points, as the engine measures its own
    accuracy = train_classifier(EngineLikeNetwork, steps=300, learning_rate=1.0, data_args=MOONS, seed=4, **held_out)
    X, y = datasets.two_moons(**MOONS)
    network = Network.from_sizes([2, EngineLikeNetwork.hidden, 2], ["tanh", "identity"], seed=4)
    train(network, X, y, learning_rate=1.0, steps=300, loss="softmax_cross_entropy", batch="mean")
    assert accuracy == np.mean(network.predict(X_new).argmax(axis=1) == y_new)


def test_the_held_out_seed_must_not_be_the_training_seed() -> None:
    with pytest.raises(ValueError, match="held-out seed must differ"):
        HARNESSES["train_classifier"].driver_args({"steps": 1, "learning_rate": 1.0, "data_args": MOONS,
                                                    "holdout_seed": 0})


def test_train_classifier_does_nothing_when_given_no_steps_but_still_scores() -> None:
    accuracy = train_classifier(EngineLikeNetwork, steps=0, learning_rate=1.0, data_args=MOONS)
    X, y = datasets.two_moons(**MOONS)
    untrained = Network.from_sizes([2, EngineLikeNetwork.hidden, 2], ["tanh", "identity"], seed=0)
    assert accuracy == np.mean(untrained.predict(X).argmax(axis=1) == y)


class ColumnOutput(EngineLikeNetwork):
    def forward(self, X):
        return super().forward(X)[:, :1]


class ScoresOutput(EngineLikeNetwork):
    def forward(self, X):
        super().forward(X)
        return self.h @ self.W2 + self.b2


class NaNOutput(EngineLikeNetwork):
    def forward(self, X):
        return np.full((X.shape[0], 2), np.nan)


def test_train_classifier_explains_a_forward_pass_of_the_wrong_shape() -> None:
    with pytest.raises(ValueError, match=r"returned shape \(200, 1\).*shape \(200, 2\)"):
        train_classifier(ColumnOutput, steps=5, learning_rate=1.0, data_args=MOONS)


def test_train_classifier_wants_probabilities_not_raw_scores() -> None:
    with pytest.raises(ValueError, match=r"row 0 adds up to .*apply the softmax"):
        train_classifier(ScoresOutput, steps=5, learning_rate=1.0, data_args=MOONS)


def test_train_classifier_explains_a_run_that_blew_up() -> None:
    with pytest.raises(ValueError, match="NaN or infinity"):
        train_classifier(NaNOutput, steps=5, learning_rate=1.0, data_args=MOONS)


def test_train_classifier_refuses_data_without_class_labels() -> None:
    with pytest.raises(ValueError, match="not 'logic_gate'"):
        train_classifier(EngineLikeNetwork, steps=1, learning_rate=1.0, data="logic_gate")
