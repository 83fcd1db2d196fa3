"""Plot numbers come from the engine, and every plot of the built-in course draws."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

import engine
from uikit import open_at, tap, until, widget_text
from tutor.course.loader import load_course
from tutor.course.model import EngineRef, Plot
from tutor.ui import plot_data
from tutor.ui.widgets.feedback import FeedbackPanel


def test_function_series_is_the_engine_on_the_grid():
    plot = Plot("function", {"x": {"arg": "z", "from": -4.0, "to": 4.0, "points": 9},
                             "curves": ({"ref": EngineRef("sigmoid_prime"), "label": "d"},)})
    (series,) = plot_data.function_series(plot)
    assert series.label == "d"
    assert series.xs == [-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0]
    assert series.ys == [float(v) for v in engine.sigmoid_prime(np.linspace(-4, 4, 9))]
    assert series.ys[4] == 0.25


def test_boundary_splits_points_by_class_and_shades_where_the_model_says_one():
    plot = Plot("boundary", {"data": EngineRef("datasets.logic_gate", {"name": "AND"}),
                             "model": EngineRef("neuron_output", {"weights": [20, 20], "bias": -30}),
                             "grid_arg": "inputs"})
    result = plot_data.boundary(plot, resolution=10)
    assert result.points == {0: ([0.0, 0.0, 1.0], [0.0, 1.0, 0.0]), 1: ([1.0], [1.0])}
    xs, ys = result.region
    assert xs and all(20 * x + 20 * y - 30 >= 0 for x, y in zip(xs, ys))
    assert (1.0, 1.0) in set(zip(xs, ys)) and (0.0, 0.0) not in set(zip(xs, ys))


def test_loss_curve_of_a_run_that_cannot_stream_is_the_engine_result():
    ref = EngineRef("worked.mazur_training", {"steps": 50, "learning_rate": 0.5}, select="losses")
    streamed = []
    series = plot_data.run_losses(ref, "mazur", on_points=lambda label, points: streamed.extend(points))
    expected = [float(v) for v in engine.worked.mazur_training(steps=50, learning_rate=0.5).losses]
    assert series.ys == expected and [loss for _, loss in streamed] == expected


def test_a_run_that_streams_is_stopped_by_cancel():
    data = engine.datasets.logic_gate("XOR")
    ref = EngineRef("train", {"network": engine.Network.from_sizes([2, 3, 1], seed=0), "inputs": data.inputs,
                              "targets": data.targets, "steps": 100_000})
    batches = []
    series = plot_data.run_losses(ref, "xor", on_points=lambda label, points: batches.append(points),
                                  cancelled=lambda: len(batches) >= 1, interval_s=0.0)
    assert 1 <= len(series.ys) < 100_000


def plotted_exercises():
    course = load_course()
    return [(li, ei, exercise.qualified_id) for li, lesson in enumerate(course.lessons)
            for ei, exercise in enumerate(lesson.exercises)
            if exercise.plot is not None and exercise.kind != "predict"]


@pytest.mark.parametrize("spot", plotted_exercises(), ids=lambda spot: spot[2])
async def test_every_plot_of_the_built_in_course_draws_at_80x24(spot, builtin_tutor):
    async with builtin_tutor(at=spot[2]) as (app, pilot):
        chart = app.screen.chart
        assert chart is not None and chart.size.width >= 30 and chart.canvas_rows >= 4
        # a loss plot streams its training run by itself: no key to press first
        drawn = (chart.point_count
                 or (chart._boundary is not None and any(xs for xs, _ in chart._boundary.points.values()))
                 or (chart._landscape is not None and chart._landscape.path[0]))
        assert drawn, f"{spot[2]}: nothing drawn"
        assert "could not be drawn" not in str(app.screen.query_one("#feedback", FeedbackPanel).content)


# -- surface plots (loss landscapes) and plots driven by a tune exercise's values --

SURFACE_LESSON = '''+++
id = "bowl"
title = "A bowl"
order = 1
+++

Prose.

```exercise
id = "slope"
kind = "number"
prompt = "Slope at 6?"
expected = { engine = "line_gradient", args = { w = 6.0, b = 0.0, inputs = [1.0], targets = [3.0] }, select = "[0]" }
tolerance = { abs = 1e-6, rel = 1e-6 }
hints = ["One.", "Two."]
solution = "6"

[plot]
kind = "surface"
title = "The bowl"
surface = SURFACE
```
'''


def lesson_with_surface(tmp_path: Path, surface: str) -> Path:
    path = tmp_path / "01-bowl.md"
    path.write_text(SURFACE_LESSON.replace("SURFACE", surface))
    return path


def test_a_surface_plot_loads_and_lints_clean(tmp_path: Path):
    from tutor.course.loader import load_lesson
    from tutor.lint import lint_paths

    path = lesson_with_surface(tmp_path, '{ engine = "loss_surface", args = { steps = 5 } }')
    plot = load_lesson(path).exercises[0].plot
    assert plot.kind == "surface" and plot.spec["surface"] == EngineRef("loss_surface", {"steps": 5}, line=plot.spec["surface"].line)
    assert lint_paths([path], run_checker=False) == []


def test_lint_says_when_a_surface_is_not_a_landscape(tmp_path: Path):
    from tutor.lint import lint_paths

    path = lesson_with_surface(tmp_path, '{ engine = "sigmoid", args = { z = 1.0 } }')
    (problem,) = lint_paths([path], run_checker=False)
    assert "plot surface must give a loss landscape" in problem.message and problem.line == 21


def test_a_surface_plot_without_its_reference_is_named(tmp_path: Path):
    from tutor.course.loader import LessonError, load_lesson

    path = tmp_path / "01-bowl.md"
    path.write_text(SURFACE_LESSON.replace("surface = SURFACE\n", ""))
    with pytest.raises(LessonError) as error:
        load_lesson(path)
    assert "missing required field 'surface' in a surface [plot]" in str(error.value.problems)


# -- Pilot: what the screen shows ------------------------------------------------

def exercise_of(qualified_id: str):
    return load_course().exercise(qualified_id)


def chart_rows(app) -> list[str]:
    """The chart's lines as drawn on screen (frame included)."""
    chart = app.screen.chart
    region = chart.region
    lines = app.screen._compositor.render_strips()
    return [strip.text[region.x:region.right] for strip in lines[region.y:region.bottom]]


async def test_lesson_5s_ten_thousand_steps_stream_and_esc_cancels(builtin_tutor, monkeypatch):
    from engine.fast import step as training

    step = training._StepPlan.backward_and_update

    def slow_step(self, *args):  # a slow machine: 10,000 steps take seconds, not a quarter of one
        time.sleep(0.0004)
        return step(self, *args)

    monkeypatch.setattr(training._StepPlan, "backward_and_update", slow_step)
    async with builtin_tutor(at="backprop/after-training") as (app, pilot):
        await pilot.press(*"0.02", "enter")  # lock in the prediction: then the plot shows
        await until(pilot, lambda: app.screen.chart is not None)
        chart = app.screen.chart
        await until(pilot, lambda: chart.point_count > 0)
        first = chart.point_count
        await until(pilot, lambda: chart.point_count > first)  # points keep arriving: it streams
        tap(app, "escape")
        await until(pilot, lambda: not app.screen.training)
        await app.workers.wait_for_complete()
        await pilot.pause()
        stopped = chart.point_count
        assert 0 < stopped < 10_000
        assert any(n.message == "Training stopped. F5 runs it again." for n in app._notifications)
        # what streamed is the engine's own curve, step for step
        expected = engine.worked.mazur_training(steps=10_000, learning_rate=0.5).losses
        (series,) = chart.series.values()
        assert series.xs == [float(k) for k in range(stopped)]
        assert series.ys == [float(v) for v in expected[:stopped]]


async def test_a_loss_plots_key_is_under_the_plot_never_on_a_curve(builtin_tutor):
    async with builtin_tutor(size=(100, 40), at="backprop/train") as (app, pilot):
        plot = exercise_of("backprop/train").plot
        total = sum(curve["ref"].args["steps"] for curve in plot.spec["curves"])
        await until(pilot, lambda: app.screen.chart.point_count == total)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        rows = chart_rows(app)
        top = next(i for i, row in enumerate(rows) if "┌" in row)
        bottom = next(i for i, row in enumerate(rows) if "└" in row)
        assert not any("lr 0.5" in row or "lr 2" in row for row in rows[top:bottom])  # no legend on the canvas
        axis = rows[top].index("┌")
        # the first column of the canvas, where step 0 (the highest loss) is drawn: right under the frame
        column = [row[axis + 1] for row in rows[top + 1:bottom]]
        assert column[0].strip(), rows
        key = widget_text(app.screen.query_one("#plot-key"))
        assert "⠒⠒ lr 0.5" in key and "•• lr 2" in key
        key_widget = app.screen.query_one("#plot-key")
        assert key_widget.region.y >= app.screen.chart.region.bottom  # under the plot
        ticks = rows[bottom + 1].split()
        assert len(ticks) >= 3 and all(tick.isdigit() for tick in ticks), ticks  # round step ticks


async def test_xor_points_are_all_visible_and_the_key_is_under_the_plot(builtin_tutor):
    async with builtin_tutor(at="gates/xnor-too") as (app, pilot):
        await pilot.pause(0.3)
        rows = chart_rows(app)
        top = next(i for i, row in enumerate(rows) if "┌" in row)
        bottom = next(i for i, row in enumerate(rows) if "└" in row)
        inside = rows[top + 1:bottom]
        assert not any("class" in row for row in inside)  # no legend over the points
        # XOR: (0, 0) and (1, 1) are class 0 (o), (0, 1) and (1, 0) class 1 (x): one in each corner
        assert "x" in inside[0] and "o" in inside[0] and "o" in inside[-1] and "x" in inside[-1]
        assert inside[0].index("x") < inside[0].index("o")  # (0, 1) top left, (1, 1) top right
        assert any("o class 0  x class 1" in row for row in rows[bottom:])


async def test_the_boundary_follows_the_hidden_size_the_learner_tunes(builtin_tutor):
    exercise = exercise_of("moons/hidden-size")
    one = plot_data.boundary(exercise.plot, params={"hidden": 1})
    five = plot_data.boundary(exercise.plot, params={"hidden": 5})
    assert one.region != five.region
    async with builtin_tutor(at="moons/hidden-size") as (app, pilot):
        chart = app.screen.chart
        await until(pilot, lambda: chart._boundary is not None)
        assert chart._boundary.region == one.region  # the default: 1 hidden neuron, a straight line
        app.screen.query_one("#param-hidden").value = "5"
        await pilot.press("enter")
        await until(pilot, lambda: chart._boundary is not None and chart._boundary.region == five.region)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert widget_text(app.screen.query_one("#feedback", FeedbackPanel)).startswith("✓ Correct")
        assert chart._boundary.region == five.region
        assert any("o 0  x 1  · model: 1" in row for row in chart_rows(app))


def test_train_classifier_reports_the_learners_losses_beside_the_accuracy():
    from tutor.checking import drivers
    from tutor.checking.harnesses import HARNESSES, split_reported

    exercise = exercise_of("capstone/network")
    namespace: dict = {}
    exec(exercise.solution, namespace)  # the reference solution: our own trusted code
    args = dict(exercise.code.harness_args, steps=30)
    declared = HARNESSES["train_classifier"]
    plain = split_reported(drivers.train_classifier(namespace["Network"], **declared.driver_args({**args, "report_losses": False})))
    reported = split_reported(drivers.train_classifier(namespace["Network"], **declared.driver_args(args)))
    assert plain.extras == {} and np.array_equal(reported.value, plain.value)
    losses = reported.extras["losses"]
    X, y = engine.datasets.two_moons(n_samples=200, noise=0.2, seed=0)
    fresh = namespace["Network"](n_inputs=2, n_outputs=2, seed=0)
    first = -np.mean(np.log(fresh.forward(X)[np.arange(200), y]))
    assert len(losses) == 30 and losses[0] == pytest.approx(first, rel=1e-12) and losses[-1] < losses[0]


async def test_a_capstone_check_draws_the_learners_curve_over_the_engines(builtin_tutor):
    exercise = exercise_of("capstone/network")
    async with builtin_tutor(start_sandbox=True, at="capstone/network") as (app, pilot):
        app.screen.query_one("#answer-code").load_text(exercise.solution)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.last_verdict is not None, timeout=60)
        _, _, verdict = app.screen.last_verdict
        assert verdict.passed and len(verdict.values["losses"]) == 2000
        chart = app.screen.chart
        await until(pilot, lambda: "your run" in chart.series)
        engine_curve = chart.series["engine, 5 tanh neurons"]
        expected = engine.worked.britz_moons(hidden_size=5, passes=2000, seed=0).losses
        assert engine_curve.ys == [float(v) for v in expected]
        assert chart.series["your run"].ys == verdict.values["losses"]
        assert chart.series["your run"].xs == [float(k) for k in range(2000)]


# -- a diverging curve does not swamp the plot ------------------------------------

def test_fit_losses_keeps_calm_curves_and_cuts_a_diverging_one_at_the_top():
    from tutor.ui.widgets.plots import HEADROOM_SPANS, OFF_THE_TOP, fit_losses

    exercise = exercise_of("gradient-descent/learning-rate")
    small, large = plot_data.picture(exercise)  # lr 0.01 (calm) and lr 5 (bounces above its start)
    blown = plot_data.run_losses(exercise.tune.run, "your run", params={"lr": 100.0})
    small_curve, large_curve, blown_curve = fit_losses([small, large, blown])
    assert not small_curve.unruly and small_curve.series is small and small_curve.label == "lr 0.01"
    assert large_curve.unruly and blown_curve.unruly
    # room above the calm curve: once its height (it keeps half the plot), from the lowest loss on the plot
    top = max(small.ys) + HEADROOM_SPANS * (max(small.ys) - min(small.ys + large.ys + blown.ys))
    assert blown_curve.top == top
    assert blown_curve.label == "your run" + OFF_THE_TOP
    assert blown_curve.off_xs == [x for x, y in zip(blown.xs, blown.ys) if y > top]
    assert all(y <= top for y in blown_curve.series.ys + large_curve.series.ys)
    # every step is either drawn or marked as leaving the plot
    assert sorted(large_curve.series.xs + large_curve.off_xs) == large.xs


def test_fit_losses_leaves_calm_curves_alone_and_marks_a_zigzag_or_infinite_run():
    from tutor.ui.widgets.plots import fit_losses

    falling = plot_data.Series("falls", [0.0, 1.0, 2.0, 3.0], [1.0, 0.5, 0.3, 0.2])
    (curve,) = fit_losses([falling])
    assert curve.series is falling and not curve.unruly and curve.off_xs == []
    zigzag = plot_data.Series("zigzag", [float(k) for k in range(10)], [1.0, 0.5, 0.8, 0.4, 0.7, 0.35, 0.6, 0.3, 0.5, 0.3])
    broken = plot_data.Series("nan", [0.0, 1.0, 2.0], [1.0, float("inf"), float("nan")])
    _, zig, nan = fit_losses([falling, zigzag, broken])
    assert zig.unruly and zig.off_xs == [] and zig.series.ys == zigzag.ys  # below the top: all drawn
    assert nan.unruly and nan.off_xs == [1.0, 2.0] and nan.label.endswith("off the plot")
    # a run that settles with small wiggles (lr 1.0 on the moons) stays a line
    settling = plot_data.picture(exercise_of("capstone/network"))[0]
    assert max(settling.ys) == settling.ys[0] and any(b > a for a, b in zip(settling.ys, settling.ys[1:]))
    (curve,) = fit_losses([settling])
    assert not curve.unruly and curve.series is settling


async def test_the_learning_rate_plot_stays_legible_when_a_run_diverges(builtin_tutor):
    async with builtin_tutor(at="gradient-descent/learning-rate") as (app, pilot):
        app.screen.query_one("#param-lr").value = "100"
        await pilot.press("enter")
        chart = app.screen.chart
        expected = plot_data.run_losses(exercise_of("gradient-descent/learning-rate").tune.run, "your run",
                                        params={"lr": 100.0})
        await until(pilot, lambda: "your run" in chart.series and chart.series["your run"].ys == expected.ys)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        rows = chart_rows(app)
        top = next(i for i, row in enumerate(rows) if "┌" in row)
        bottom = next(i for i, row in enumerate(rows) if "└" in row)
        axis = rows[top].index("┌")
        canvas = [row[axis + 1:rows[top].index("┐")] for row in rows[top + 1:bottom]]
        text = "\n".join(canvas)
        key = widget_text(app.screen.query_one("#plot-key"))
        assert "lr 5 ↑ off the plot" in key and "your run ↑ off the plot" in key
        assert "↑↑↑" in text  # where the runs leave the plot
        blocks = sum(text.count(glyph) for glyph in "▞▚▛▜▙▟▌▐▀▄█")
        assert blocks == 0  # no solid band of a zigzag line over the other curves
        # the calm curve (lr 0.01, a braille line) is drawn in the lower half, above the goal's line
        braille_rows = [i for i, row in enumerate(canvas) if any("⠁" <= cell <= "⣿" for cell in row[4:])]
        target_rows = [i for i, row in enumerate(canvas) if "----" in row]
        assert braille_rows and target_rows and braille_rows[0] >= len(canvas) // 2 - 1, text
        assert target_rows[-1] > braille_rows[-1], text  # lr 0.01 never reaches 0.38


# -- issue 12: what the plots show after a run (the numbers handed to plotext) --

async def tune_run(app, pilot, qualified_id: str, values: dict[str, str]) -> None:
    await open_at(app, pilot, qualified_id)
    for name, value in values.items():
        app.screen.query_one(f"#param-{name}").value = value
    app.screen.query_one(f"#param-{next(iter(values))}").focus()
    await pilot.press("enter")
    await until(pilot, lambda: not app.screen.training and "your run" in app.screen.chart.series)
    await app.workers.wait_for_complete()
    await pilot.pause(0.3)


async def test_after_a_run_the_learning_rate_plot_is_for_the_calm_curves_with_its_target(builtin_tutor):
    exercise = exercise_of("gradient-descent/learning-rate")
    async with builtin_tutor() as (app, pilot):
        await tune_run(app, pilot, "gradient-descent/learning-rate", {"lr": "0.7"})
        chart = app.screen.chart
        drawn = {curve.label.split(" ↑")[0]: curve for curve in chart.drawn}
        assert set(drawn) == {"lr 0.01", "lr 5", "your run"}
        mine = plot_data.run_losses(exercise.tune.run, "your run", params={"lr": 0.7})
        assert chart.series["your run"].ys == mine.ys
        # the goal is drawn: "below 0.38" is a line at 0.38, inside the axis, named in the key
        assert exercise.tune.goal["below"] == 0.38 and chart.target == ("target 0.38", 0.38)
        bottom, top = chart.y_limits
        assert bottom <= 0.38 <= top
        assert "-- target 0.38" in widget_text(app.screen.query_one("#plot-key"))
        # the axis is for the calm curves: they keep at least half its height; lr 5 bounces above it
        calm_top = max(drawn["lr 0.01"].ys + drawn["your run"].ys)
        assert (calm_top - bottom) / (top - bottom) >= 0.5
        assert top < max(chart.series["lr 5"].ys) and drawn["lr 5"].label.endswith("off the plot")
        # the three curves are told apart by marker and by colour, and none is drawn as solid blocks
        assert len({curve.marker for curve in drawn.values()}) == 3
        assert len({curve.color for curve in drawn.values()}) == 3
        # your run and lr 0.01 end on different rows of the canvas: they do not collapse into one
        rows = chart.canvas_rows
        row = lambda y: round((y - bottom) / (top - bottom) * (rows - 1))  # noqa: E731
        assert row(drawn["your run"].ys[-1]) != row(drawn["lr 0.01"].ys[-1])


def loss_plotted() -> list[tuple[int, int, str]]:
    course = load_course()
    return [(li, ei, exercise.qualified_id) for li, lesson in enumerate(course.lessons)
            for ei, exercise in enumerate(lesson.exercises)
            if exercise.plot is not None and exercise.plot.kind == "loss" and exercise.kind != "predict"]


async def test_no_loss_axis_of_the_course_reads_below_zero(builtin_tutor):
    """A loss cannot be negative: no "-0.00", no "-0.006", the axis starts at
    or above zero; and every curve reaches the last step of its run."""
    found = []
    async with builtin_tutor() as (app, pilot):
        for _, _, qualified_id in loss_plotted():
            await open_at(app, pilot, qualified_id)
            chart = app.screen.chart
            bottom, _ = chart.y_limits
            if bottom < 0 or any(label.startswith("-") for label in chart.y_ticks) or len(chart.y_ticks) < 2:
                found.append(f"{qualified_id}: axis from {bottom}, ticks {chart.y_ticks}")
            for curve in chart.drawn:
                series = chart.series[curve.label.split(" ↑")[0]]
                last = max(curve.xs + curve.off_xs, default=None)  # drawn, or marked above the top
                if series.xs and last != series.xs[-1]:
                    found.append(f"{qualified_id}: {curve.label} drawn to step {last} of {series.xs[-1]}")
    assert loss_plotted() and found == []


async def test_hidden_size_shows_every_run_to_step_10000_a_failed_one_too(builtin_tutor):
    async with builtin_tutor() as (app, pilot):
        await tune_run(app, pilot, "tiny-network/hidden-size", {"hidden": "2"})
        await until(pilot, lambda: app.screen.last_verdict is not None)
        assert app.screen.last_verdict[2].status == "fail"  # size 2 gets stuck with this seed
        chart = app.screen.chart
        drawn = {curve.label: curve for curve in chart.drawn}
        assert set(drawn) == {"1 hidden", "4 hidden", "your run"}
        expected = engine.worked.trask_network(iterations=10001, seed=1, hidden=2).losses
        assert chart.series["your run"].ys == [float(value) for value in expected]  # the failed size-2 run
        assert drawn["your run"].xs[-1] == 10000 and drawn["4 hidden"].xs[-1] == 9999
        assert drawn["1 hidden"].xs[-1] == 9999
        assert len({(curve.marker, curve.color) for curve in drawn.values()}) == 3
        bottom, top = chart.y_limits
        assert bottom == 0.0 and all(not label.startswith("-") for label in chart.y_ticks)
        key = widget_text(app.screen.query_one("#plot-key"))
        assert "1 hidden" in key and "4 hidden" in key and "your run" in key


async def test_a_function_plots_names_are_under_it_not_on_its_curves(builtin_tutor):
    async with builtin_tutor(at="moons/tanh-slope") as (app, pilot):
        await until(pilot, lambda: app.screen.chart is not None and app.screen.chart.drawn)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        chart = app.screen.chart
        labels = [curve.label for curve in chart.drawn]
        assert len(labels) >= 2
        rows = chart_rows(app)
        top = next(i for i, row in enumerate(rows) if "┌" in row)
        bottom = next(i for i, row in enumerate(rows) if "└" in row)
        canvas = "\n".join(rows[top + 1:bottom])
        assert not any(label in canvas for label in labels), canvas
        key = widget_text(app.screen.query_one("#plot-key"))
        assert all(label in key for label in labels)
