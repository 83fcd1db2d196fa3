"""The engine's version: after a pass, F8 on the lesson screen shows the engine
files the lesson links, read-only and scrollable, one after another."""

from __future__ import annotations

from pathlib import Path

import engine
from uikit import screen_text
from tutor.ui.screens.engine_code import EngineCodeScreen
from tutor.ui.screens.lesson import LessonScreen


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def engine_text(name: str) -> str:
    return (Path(engine.__file__).parent / name).read_text(encoding="utf-8")


def footer_keys(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_f8_shows_the_engines_version_only_after_a_pass(builtin_tutor):
    async with builtin_tutor() as (app, pilot):
        await pilot.press("enter")  # the first lesson: One neuron
        await settle(app, pilot)
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.engine_files == ("neuron.py",)
        assert "Engine" not in footer_keys(app)
        await pilot.press("f8")  # nothing passed yet: nothing opens
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)

        await pilot.press("5", "enter")
        await settle(app, pilot)
        assert app.store.exercise("neuron/weighted-sum").passed
        assert "F8: the engine's version" in screen_text(app)
        assert "f8 Engine" in footer_keys(app).replace("F8", "f8")
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, EngineCodeScreen)
        text = screen_text(app)
        assert "The engine's version of One neuron" in text and "engine/neuron.py" in text
        area = app.screen.query_one("#engine-code-text")
        assert area.read_only and area.text == engine_text("neuron.py")
        assert '"""A single artificial neuron' in text  # the top of the file, in view
        await pilot.press("a", "b", "enter")  # typing changes nothing
        assert area.text == engine_text("neuron.py")
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert area.scroll_offset.y > 0  # the rest of the file scrolls into view
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)


async def test_f8_again_goes_through_the_lessons_files(builtin_tutor):
    async with builtin_tutor(size=(100, 30)) as (app, pilot):
        app.push_screen(EngineCodeScreen("A tiny network", ("network.py", "training.py")))
        await pilot.pause()
        area = app.screen.query_one("#engine-code-text")
        assert area.text == engine_text("network.py")
        await pilot.press("f8")
        await pilot.pause()
        assert area.text == engine_text("training.py") and area.scroll_offset.y == 0
        await pilot.press("f8")
        await pilot.pause()
        assert area.text == engine_text("network.py")
