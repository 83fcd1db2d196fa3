"""The training functions lessons plot report every loss as it happens, and
stop when asked: the UI streams these curves and Esc cancels them."""

from __future__ import annotations

import numpy as np
import pytest

from engine import datasets, logistic_regression, worked

BLOBS = datasets.blobs(n_samples=30, seed=0)

# Each run: how to call it with a callback, and where its result keeps the losses.
RUNS = {
    "mazur": (lambda cb: worked.mazur_training(steps=300, callback=cb), "losses"),
    "mazur-order": (lambda cb: worked.mazur_training(steps=300, order="mazur", callback=cb), "losses"),
    "trask": (lambda cb: worked.trask_network(iterations=250, report_every=100, callback=cb), "losses"),
    "britz": (lambda cb: worked.britz_moons(passes=120, print_every=50, callback=cb), "losses"),
    "logistic": (lambda cb: logistic_regression(BLOBS.inputs, BLOBS.targets, 0.5, 80, callback=cb), "losses"),
}


@pytest.mark.parametrize("name", RUNS)
def test_the_callback_sees_exactly_the_losses_the_result_holds(name):
    run, field = RUNS[name]
    seen: list[tuple[int, float]] = []
    result = run(lambda step, loss: seen.append((step, loss)))
    losses = getattr(result, field)
    assert [step for step, _ in seen] == list(range(len(losses)))
    assert [loss for _, loss in seen] == [float(value) for value in losses]
    assert all(type(step) is int and type(loss) is float for step, loss in seen)


@pytest.mark.parametrize("name", RUNS)
def test_a_callback_changes_nothing_in_the_result(name):
    run, field = RUNS[name]
    quiet, watched = run(None), run(lambda step, loss: None)
    np.testing.assert_array_equal(getattr(quiet, field), getattr(watched, field))


@pytest.mark.parametrize("name", RUNS)
def test_returning_false_stops_the_run_after_that_step(name):
    run, field = RUNS[name]
    seen: list[int] = []

    def stop_after_ten(step: int, loss: float) -> bool:
        seen.append(step)
        return step < 9

    result = run(stop_after_ten)
    assert seen == list(range(10))
    assert 10 <= len(getattr(result, field)) <= 11  # Britz reports one step late: one more update ran


def test_mazur_with_a_callback_still_gives_his_published_error():
    result = worked.mazur_training(callback=lambda step, loss: True)
    assert result.E_total == pytest.approx(0.0000351085, abs=1e-10)
    assert len(result.losses) == 10_000


def test_trask_stopped_early_keeps_the_errors_it_printed():
    result = worked.trask_network(iterations=30, report_every=10, callback=lambda step, loss: step < 14)
    assert sorted(result.errors) == [0, 10] and len(result.losses) == 15


def test_britz_stopped_early_reports_only_the_lines_it_reached():
    result = worked.britz_moons(passes=3000, print_every=1000, callback=lambda step, loss: step < 1500)
    assert sorted(result.loss_after) == [0, 1000]
    full = worked.britz_moons(passes=3000, print_every=1000)
    assert result.loss_after[1000] == full.loss_after[1000]


def test_britz_classes_a_grid_with_the_trained_network():
    grid = np.array([[-1.0, 0.5], [0.0, 1.0], [1.0, -0.5], [2.0, 0.0], [0.5, 0.25]])
    result = worked.britz_moons(hidden_size=3, passes=3000, grid=grid)
    np.testing.assert_array_equal(result.grid_classes, np.argmax(result.network.predict(grid), axis=1))
    # the upper moon is class 0, the lower one class 1 (make_moons' labels)
    assert result.grid_classes[1] == 0 and result.grid_classes[2] == 1
    assert worked.britz_moons(passes=10).grid_classes is None


def test_one_hidden_neuron_draws_a_straight_boundary_and_more_bend_it():
    """Lesson 10's picture: with one tanh unit the classes split along one line."""
    gx, gy = np.meshgrid(np.linspace(-1.5, 2.5, 41), np.linspace(-1.0, 1.5, 26))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    one = worked.britz_moons(hidden_size=1, passes=3000, grid=grid)
    W1, b1 = one.network.weights[0][:, 0], one.network.biases[0][0]
    along = grid @ W1 + b1  # the class depends on tanh(w.x + b) alone: on one direction
    ordered = one.grid_classes[np.argsort(along)]
    assert np.count_nonzero(np.diff(ordered)) == 1  # one switch: a straight line splits the plane
    many = worked.britz_moons(hidden_size=20, passes=3000, grid=grid)
    assert many.accuracy > one.accuracy
