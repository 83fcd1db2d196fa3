"""The scalar autodiff Value, the datasets, and the engine's isolation."""

import subprocess
import sys

import numpy as np
import pytest

from engine import Value, datasets


def test_micrograd_readme_example():
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert round(g.data, 4) == 24.7041
    assert round(a.grad, 4) == 138.8338
    assert round(b.grad, 4) == 645.5773


def test_value_gradients_match_finite_differences():
    x, y = Value(0.7), Value(1.3)
    out = (x * y).tanh() + (x / y).exp() - (y**2).sigmoid() * 0.5
    out.backward()
    h = 1e-6

    def plain(xv, yv):
        s = 1 / (1 + np.exp(-(yv**2)))
        return np.tanh(xv * yv) + np.exp(xv / yv) - s * 0.5

    assert x.grad == pytest.approx((plain(0.7 + h, 1.3) - plain(0.7 - h, 1.3)) / (2 * h), rel=1e-7)
    assert y.grad == pytest.approx((plain(0.7, 1.3 + h) - plain(0.7, 1.3 - h)) / (2 * h), rel=1e-7)


def test_value_used_twice_gets_both_gradients_and_backward_is_repeatable():
    x = Value(3.0)
    y = x * x + x
    y.backward()
    assert x.grad == 7.0
    y.backward()
    assert x.grad == 7.0


def test_value_refuses_strings():
    with pytest.raises(ValueError, match="only be combined with a number"):
        Value(1.0) + "2"


def test_long_chains_do_not_hit_the_recursion_limit():
    total = Value(0.0)
    x = Value(1.0)
    for _ in range(5000):
        total = total + x
    total.backward()
    assert x.grad == 5000.0


@pytest.mark.parametrize("name, expected", [("AND", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0]), ("XOR", [0, 1, 1, 0]), ("XNOR", [1, 0, 0, 1])])
def test_logic_gates(name, expected):
    X, y = datasets.logic_gate(name)
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y[:, 0].tolist() == expected and y.shape == (4, 1)


def test_unknown_gate_is_refused():
    with pytest.raises(ValueError, match="unknown gate 'MAYBE'"):
        datasets.logic_gate("MAYBE")


def test_trask_3bit():
    data = datasets.trask_3bit()
    assert data.inputs[:, 2].tolist() == [1, 1, 1, 1] and data.targets[:, 0].tolist() == [0, 1, 1, 0]
    assert datasets.trask_3bit("first").targets[:, 0].tolist() == [0, 0, 1, 1]


def test_two_moons_without_noise_lies_on_the_half_circles():
    X, y = datasets.two_moons(50, noise=0.0, seed=3)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert len(upper) == 25 and len(lower) == 25


def test_two_moons_sklearn_mode_makes_the_legacy_draws_without_touching_global_state():
    """Same draws as np.random.seed(0); make_moons(200, noise=0.2): a shuffle of
    the row numbers, then the noise. (Britz's published losses, reproduced in
    test_engine_worked, are the end-to-end proof that the points are his.)"""
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    X, y = datasets.two_moons()
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    legacy = np.random.RandomState(0)
    order = np.arange(200)
    legacy.shuffle(order)
    clean = datasets.two_moons(noise=0.0, shuffle=False)
    np.testing.assert_array_equal(y, clean.targets[order])
    np.testing.assert_allclose(X - clean.inputs[order], legacy.normal(scale=0.2, size=(200, 2)), atol=1e-15)
    other = datasets.two_moons(sklearn_compatible=False)
    assert other.inputs.shape == (200, 2) and not np.allclose(other.inputs, X)


def test_spirals_and_blobs():
    X, y = datasets.spirals(n_per_class=50, n_classes=3)
    assert X.shape == (150, 2) and np.bincount(y).tolist() == [50, 50, 50]
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1.0 + 1e-12)
    X, y = datasets.blobs(n_samples=90, n_classes=3, seed=5)
    assert X.shape == (90, 2) and np.bincount(y).tolist() == [30, 30, 30]


def test_importing_engine_leaves_textual_and_tutor_out():
    code = "import sys, engine; engine.worked.mazur_forward(); print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tutor')))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
