"""Numbers the logistic, gradient-descent and vectorise lessons state in prose
or type into a plot, checked against the engine."""

import math
from pathlib import Path

import numpy as np

import engine
from tutor.course.loader import load_lesson

LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def lesson(name):
    return load_lesson(LESSONS / name)


def exercise(lesson_, exercise_id):
    return next(e for e in lesson_.exercises if e.id == exercise_id)


def test_decision_line_weights_are_the_engine_fit_on_the_plotted_blobs():
    logistic = lesson("03-logistic.md")
    plot = exercise(logistic, "decision-line").plot
    X, y = engine.datasets.blobs(**plot.spec["data"].args)
    fit = engine.logistic_regression(X, y, learning_rate=0.5, steps=200)
    model = plot.spec["model"].args
    np.testing.assert_allclose(model["weights"], fit.weights, atol=0.005)
    assert abs(model["bias"] - fit.bias) <= 0.005
    assert fit.accuracy == 1.0
    weights = ", ".join(f"{w:.2f}" for w in fit.weights)
    prose = " ".join(exercise(logistic, "decision-line").prose.split())
    assert f"({weights})" in prose and f"bias about {fit.bias:.2f}" in prose


def test_log_loss_figures_in_the_prose():
    prose = " ".join((LESSONS / "03-logistic.md").read_text().split())
    assert f"about {float(engine.binary_cross_entropy([0.01], [1])):.1f}" in prose
    assert f"a large, finite {float(engine.binary_cross_entropy([0.0], [1])):.1f}" in prose


def test_gradient_descent_runs_start_at_log_two_and_the_tune_goal_splits_the_rates():
    text = (LESSONS / "04-gradient-descent.md").read_text()
    assert "log(2)" in text
    tune = exercise(lesson("04-gradient-descent.md"), "learning-rate").tune
    args = {k: v for k, v in tune.run.args.items() if k != "learning_rate"}
    final = {lr: engine.logistic_regression(learning_rate=lr, **args).final_loss for lr in (0.01, 0.7, 5.0)}
    assert math.isclose(engine.logistic_regression(learning_rate=0.7, **args).losses[0], math.log(2))
    goal = tune.goal["below"]
    assert final[0.7] < goal < final[0.01] and goal < final[5.0]


def test_lesson_data_are_the_engine_data_sets_rounded():
    blobs12 = np.round(engine.datasets.blobs(n_samples=12, seed=0).inputs, 1)
    moons16 = np.round(3 * engine.datasets.two_moons(n_samples=16, noise=0.3, seed=1).inputs, 1)
    blobs16 = np.round(engine.datasets.blobs(n_samples=16, seed=2).inputs, 1)
    cases = {
        "03-logistic.md": ("gradient", [blobs12]),
        "04-gradient-descent.md": ("descend", [moons16, blobs12]),
        "08-vectorise.md": ("vectorised-gradient", [moons16, blobs16]),
    }
    for name, (exercise_id, datasets) in cases.items():
        code = exercise(lesson(name), exercise_id).code
        for case, data in zip(code.cases, datasets):
            np.testing.assert_allclose(np.asarray(case["inputs"], dtype=float), data + 0.0, err_msg=name)
