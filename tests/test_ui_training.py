"""Training runs stream to the plot and stop on Esc; the playground answers keys;
tune exercises; author mode reloads a lesson on save."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

import engine
from uikit import posted, screen_text, tap, verdicts, widget_text
from tutor.course.model import Course, EngineRef, Exercise, Lesson, Plot, Tolerance, TuneParam, TuneSpec
from tutor.ui.messages import LessonReloaded, VerdictReady
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.playground import PlaygroundScreen

STEPS = 300_000


def training_course(tmp_path: Path) -> Course:
    data = engine.datasets.logic_gate("XOR")
    run = EngineRef("train", {"network": engine.Network.from_sizes([2, 4, 1], seed=1), "inputs": data.inputs,
                              "targets": data.targets, "steps": STEPS, "learning_rate": 0.5})
    watch = Exercise(
        id="watch", lesson_id="training", kind="choice", prompt="Does the loss fall?", line=1,
        choices=("yes", "no"), answer="yes", hints=("Watch it.", "Press F5."),
        plot=Plot("loss", {"curves": ({"ref": run, "label": "engine"},), "title": "XOR loss"}))
    tune = Exercise(
        id="positive", lesson_id="training", kind="tune", prompt="Make z positive.", line=2,
        tolerance=Tolerance(), hints=("Raise w.", "Or the bias."),
        tune=TuneSpec(params=(TuneParam("w", "float", -1.0, min=-10.0, max=10.0), TuneParam("b", "float", 0.0)),
                      run=EngineRef("weighted_sum", {"inputs": [1.0], "weights": ["$w"], "bias": "$b"}),
                      goal={"above": 0.0}, solution={"w": 1.0, "b": 0.0}))
    lesson = Lesson(id="training", title="Training", order=1, path=tmp_path / "training.md", intro="Loss.",
                    exercises=(watch, tune))
    return Course(root=tmp_path, lessons=(lesson,))


async def wait_until(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await pilot.pause(0.05)


async def test_training_streams_by_itself_keeps_keys_alive_esc_cancels_and_f5_runs_again(started_tutor, tmp_path):
    async with started_tutor(course=training_course(tmp_path)) as (app, pilot):
        tap(app, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.chart is not None
                         and app.screen.chart.title)
        screen = app.screen
        assert screen.chart.title == "XOR loss"  # no "press F5" to find first
        await wait_until(pilot, lambda: screen.chart.point_count > 0)  # it streams without a key press
        first = screen.chart.point_count
        await wait_until(pilot, lambda: screen.chart.point_count > first)  # more keep arriving
        # the footer says what Esc does now
        await wait_until(pilot, lambda: "Stop" in screen_text(app) and "Outline" not in screen_text(app))
        tap(app, "f2")  # keys still work mid-run
        await wait_until(pilot, lambda: widget_text(screen.query_one("#hints")) == "Hint 1/2: Watch it.")
        tap(app, "escape")  # stops the run, stays on the lesson
        await wait_until(pilot, lambda: not screen.training)
        await pilot.pause()
        assert app.screen is screen
        stopped_at = screen.chart.point_count
        assert 0 < stopped_at < STEPS
        losses = screen.chart.series["engine"].ys
        assert losses[-1] < losses[0]  # it was really training
        assert any(n.message == "Training stopped. F5 runs it again." for n in app._notifications)
        await pilot.pause(0.3)
        assert screen.chart.point_count == stopped_at  # nothing arrives after the stop
        await wait_until(pilot, lambda: "Outline" in screen_text(app))
        tap(app, "f5")  # again, from step 0
        await wait_until(pilot, lambda: screen.training)
        await wait_until(pilot, lambda: 0 < screen.chart.point_count != stopped_at)
        assert screen.chart.series["engine"].xs[0] == 0.0
        tap(app, "f5")  # a run replaced by another adds nothing to the new curve
        await wait_until(pilot, lambda: screen.chart.point_count > 0)
        tap(app, "escape")
        await wait_until(pilot, lambda: not screen.training)
        await pilot.pause(0.3)
        xs = screen.chart.series["engine"].xs
        assert xs == [float(step) for step in range(len(xs))]
        await pilot.press("escape")  # no run now: back to the outline
        assert not isinstance(app.screen, LessonScreen)


async def test_moving_on_stops_the_run_without_a_stop_notice(started_tutor, tmp_path):
    async with started_tutor(course=training_course(tmp_path)) as (app, pilot):
        tap(app, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.chart is not None
                         and app.screen.chart.point_count > 0)
        screen = app.screen
        tap(app, "ctrl+n")
        await wait_until(pilot, lambda: not screen.training)
        await pilot.pause(0.3)
        assert screen.exercise.id == "positive" and screen.chart is None
        assert not any(n.message.startswith("Training stopped") for n in app._notifications)


async def test_tune_exercise_controls_and_verdict(started_tutor, messages, tmp_path):
    # straight to it: the first exercise's long run would only cost time
    async with started_tutor(course=training_course(tmp_path), at="training/positive") as (app, pilot):
        field = app.screen.query_one("#param-w")
        assert field.value == "-1"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert widget_text(app.screen.query_one("#feedback")).startswith("✗ Not yet")
        for _ in range(3):
            await pilot.press("up")  # +1 each: (10 - -10) / 20
        assert field.value == "2"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert widget_text(app.screen.query_one("#feedback")).startswith("✓ Correct")
        assert app.store.exercise("training/positive").answer == {"w": 2.0, "b": 0.0}
        assert verdicts(messages) == ["fail", "pass"]
        assert [m.attempt.answer for m in posted(messages, VerdictReady)] == [{"w": -1.0, "b": 0.0}, {"w": 2.0, "b": 0.0}]
        field.value = "eleven"
        await pilot.press("enter")
        await pilot.pause()
        assert "w:" in widget_text(app.screen.query_one("#feedback"))
        assert verdicts(messages) == ["fail", "pass"]  # an unreadable value is never sent to be judged


async def test_playground_truth_table_updates_live(started_tutor):
    async with started_tutor() as (app, pilot):
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlaygroundScreen)
        assert "1/4 rows right." in screen_text(app)  # all weights 0: sigmoid(0) = 0.5 says 1 everywhere
        await pilot.press("]", "]", "down", "]", "]", "down", "[", "[", "[")
        await pilot.pause()
        text = screen_text(app)
        assert "w1 =    20.00" in text and "w2 =    20.00" in text and "b  =   -30.00" in text
        assert "This neuron computes AND." in text
        # the z column is the engine's weighted sum for (1, 1): 20 + 20 - 30
        assert f"{float(engine.weighted_sum([1, 1], [20, 20], -30)):.2f}" in text
        await pilot.press("g")
        await pilot.pause()
        assert "2/4 rows right." in screen_text(app)
        await pilot.press("g")
        await pilot.pause()
        assert "XOR needs a hidden layer" in screen_text(app)
        await pilot.press("comma")
        await pilot.pause()
        assert "b  =   -30.10" in screen_text(app)


async def test_watch_mode_reloads_on_save_and_shows_problems_in_place(started_tutor, messages, course):
    lesson_file = course / "01-neuron.md"
    async with started_tutor(watch=course) as (app, pilot):
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        original = lesson_file.read_text()

        def save(text: str) -> None:
            lesson_file.write_text(text)
            stamp = time.time() + 5
            os.utime(lesson_file, (stamp, stamp))

        messages.clear()
        save(original.replace('kind = "number"', 'kind = "numbr"'))
        await wait_until(pilot, lambda: app.screen.query_one("#problems").display)
        problems = widget_text(app.screen.query_one("#problems-text"))
        assert "This lesson no longer loads" in problems
        assert "01-neuron.md:11:" in problems and "numbr" in problems
        broken = posted(messages, LessonReloaded)[-1]  # the reload's worker said so as a message
        assert broken.path == lesson_file and broken.lesson is None
        assert any("numbr" in problem for problem in broken.problems)
        save(original.replace("what is z?", "what is z now?"))
        await wait_until(pilot, lambda: not app.screen.query_one("#problems").display)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "bias -2: what is z now?" in screen_text(app)
        fixed = posted(messages, LessonReloaded)[-1]
        assert fixed.path == lesson_file and fixed.problems == []
        assert fixed.lesson.exercises[0].prompt.endswith("what is z now?")
