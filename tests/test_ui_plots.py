"""Plot numbers come from the engine, and every plot of the built-in course draws."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import engine
from test_ui_support import started
from tutor.app import TutorApp
from tutor.course.loader import load_course
from tutor.course.model import EngineRef, Plot
from tutor.ui import plot_data
from tutor.ui.navigation import Spot
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
async def test_every_plot_of_the_built_in_course_draws_at_80x24(spot, tmp_path: Path):
    app = TutorApp(progress_path=tmp_path / "p.json", start_sandbox=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        app.open_spot(Spot(spot[0], spot[1]))
        await started(app, pilot)
        chart = app.screen.chart
        assert chart is not None and chart.size.width >= 30 and chart.size.height >= 8
        streams = "F5: train" in chart.title
        if streams:
            await pilot.press("f5")
            await started(app, pilot)
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
