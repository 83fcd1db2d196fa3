"""A from-memory challenge in the tutor (issue 13): a blank editor, the lesson's
prose, the hints and the earlier drafts out of sight, the solution locked until
the code passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from uikit import LESSON, SIGMOID_SOLUTION, screen_text, widget_text
from tutor.ui.navigation import Spot
from tutor.ui.screens.lesson import FROM_MEMORY_NOTE, LessonScreen
from tutor.ui.widgets.code_editor import PythonEditor

CHALLENGE = '''
```exercise
id = "from-memory"
challenge = "from-memory"
repeats = "implement"
```
'''

# the test course's lesson, closed by a challenge repeating its code exercise
LESSON_WITH_CHALLENGE = LESSON.replace("\nThat is one neuron.\n", CHALLENGE + "\nThat is one neuron.\n")
CHALLENGE_SPOT = Spot(0, 4)
WRONG = "import numpy as np\n\ndef sigmoid(z):\n    return np.exp(-z)\n"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    root.mkdir()
    (root / "01-neuron.md").write_text(LESSON_WITH_CHALLENGE)
    return root


def editor_of(app) -> PythonEditor:
    return app.screen.query_one("#answer-code", PythonEditor)


async def settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def submit(app, pilot, code: str) -> str:
    editor_of(app).load_text(code)
    await pilot.press("ctrl+s")
    for _ in range(600):
        await settle(app, pilot)
        said = widget_text(app.screen.query_one("#feedback"))
        if said.startswith(("✓", "✗")):
            return said
    raise AssertionError(f"no verdict: {said!r}")


async def test_from_memory_hides_prose_hints_and_old_drafts_and_locks_the_solution(started_tutor) -> None:
    async with started_tutor(size=(80, 24)) as (app, pilot):
        # the learner wrote the code exercise with the lesson in sight
        app.open_spot(Spot(0, 2))
        await settle(app, pilot)
        editor_of(app).load_text("import numpy as np\n\ndef sigmoid(z):\n    # my earlier draft\n    return z\n")
        await pilot.press("f2")  # ...and read a hint
        await settle(app, pilot)
        assert "Hint 1/2" in screen_text(app)

        app.open_spot(CHALLENGE_SPOT)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.exercise.challenge == "from-memory"
        text = screen_text(app)
        assert "From memory" in text and "Write `sigmoid(z)`." in text
        assert FROM_MEMORY_NOTE[:60] in " ".join(text.split())
        # the prose is not folded away but absent: not the challenge's lesson, not its intro
        assert not screen.query_one("#top").display
        assert "Now in code." not in text and "A neuron multiplies" not in text
        assert "f6" not in text.lower()  # no key brings text back
        await pilot.press("f6")
        await settle(app, pilot)
        assert not screen.query_one("#top").display and "Now in code." not in screen_text(app)
        # a blank editor: neither the starter nor the earlier draft
        assert editor_of(app).text == ""
        assert "my earlier draft" not in screen_text(app)
        # no hints: none shown, none to ask for
        assert "Hint" not in screen_text(app) and "f2" not in screen_text(app).lower()
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.store.exercise("neuron/from-memory").hints == 0
        assert not screen.query_one("#hints").display

        # the solution stays locked, however many attempts fail
        for _ in range(3):
            said = await submit(app, pilot, WRONG)
            assert said.startswith("✗")
        assert app.store.exercise("neuron/from-memory").attempts == 3
        assert "F3" not in widget_text(screen.query_one("#solution"))
        await pilot.press("f3")
        await settle(app, pilot)
        assert not screen.query_one("#solution").display
        assert "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))" not in widget_text(screen.query_one("#solution"))

        # ...and opens once the code passes
        said = await submit(app, pilot, SIGMOID_SOLUTION)
        assert said.startswith("✓"), said
        await pilot.press("f3")
        await settle(app, pilot)
        assert screen.query_one("#solution").display
        assert "return 1.0 / (1.0 + np.exp(-z))" in widget_text(screen.query_one("#solution"))
        # the earlier exercise's draft was never touched
        assert "my earlier draft" in app.drafts.get(screen.lesson.exercise("implement"))


def test_snapshot_a_from_memory_challenge(snap_compare, make_tutor) -> None:
    """80x24: the banner, the prompt, a blank editor; no prose, no hint key, no Fold/Text key."""
    from uikit import started

    async def run_before(pilot) -> None:
        await started(pilot.app, pilot)
        pilot.app.open_spot(CHALLENGE_SPOT)
        await settle(pilot.app, pilot)
        editor_of(pilot.app).cursor_blink = False  # a blink is not a change

    assert snap_compare(make_tutor(), terminal_size=(80, 24), run_before=run_before)
