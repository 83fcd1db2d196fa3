"""The first visit shows the lesson's published numbers, from a lesson file that declares variants.

neuron/weighted-sum writes its numbers as parameters ({inputs[0]}, "$bias", ...);
the tutor, opened on the real lesson file, shows the seed article's 1, 0, 7, 3
and -2 in the prose and the prompt, never a brace, and judges 5 right.
"""

from __future__ import annotations

import shutil

import pytest

from tutor.course.locate import builtin_course_path
from uikit import screen_text, widget_text

pytest.importorskip("textual")


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def feedback(app) -> str:
    from tutor.ui.widgets.feedback import FeedbackPanel

    return widget_text(app.screen.query_one("#feedback", FeedbackPanel))


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(builtin_course_path() / "01-neuron.md", root / "01-neuron.md")
    return root


async def test_the_first_visit_shows_the_published_numbers(started_tutor):
    async with started_tutor(size=(100, 60), open_exercise="neuron/weighted-sum") as (app, pilot):
        exercise = app.screen.exercise
        assert exercise.qualified_id == "neuron/weighted-sum" and exercise.variant_seed is None
        text = " ".join(screen_text(app).split())
        assert "w1 = 7 and w2 = 3" in text and "b = -2" in text
        assert "(inputs 1 and 0, weights 7 and 3, bias -2)" in text
        assert "{" not in text and "$" not in text
        await pilot.press("7", "enter")
        await settle(app, pilot)
        assert "You left out the bias. After 1*7 + 0*3, add b = -2." in feedback(app)
        await pilot.press("backspace", "5", "enter")
        await settle(app, pilot)
        assert feedback(app).startswith("✓ Correct")
