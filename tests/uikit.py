"""What UI tests read the screen with, and the small course they run on.

Set-up (a course folder, a progress file, a workspace, a started app) comes
from the fixtures in conftest.py; this module only holds the course text and
plain functions that read what the learner sees. It is not a test module.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

LESSON = textwrap.dedent('''\
    +++
    id = "neuron"
    title = "One neuron"
    order = 1
    +++

    A neuron multiplies each input by a weight and adds a bias.

    ```exercise
    id = "weighted-sum"
    kind = "number"
    prompt = "Inputs 1 and 0, weights 7 and 3, bias -2: what is z?"
    expected = { engine = "weighted_sum", args = { inputs = [1, 0], weights = [7, 3], bias = -2 } }
    tolerance = { abs = 1e-9, rel = 1e-9 }
    hints = ["Multiply each input by its weight.", "Add the products, then the bias."]
    solution = "5"

    [[wrong]]
    answer = "7"
    message = "You left out the bias: z = 1*7 + 0*3 + (-2)."
    ```

    The sigmoid squashes z into (0, 1).

    ```exercise
    id = "output"
    kind = "predict"
    prompt = "Predict sigmoid(5), two decimals are enough."
    expected = { engine = "neuron_output", args = { inputs = [1, 0], weights = [7, 3], bias = -2 } }
    tolerance = { abs = 0.01, rel = 0.0 }
    hints = ["sigmoid(z) = 1 / (1 + e^-z).", "e^-5 is tiny."]
    solution = "0.99"

    [plot]
    kind = "function"
    title = "sigmoid(z)"
    x = { arg = "z", from = -6.0, to = 6.0, points = 61 }
    curves = [{ engine = "sigmoid", label = "sigmoid(z)" }]
    ```

    Now in code.

    ```exercise
    id = "implement"
    kind = "code"
    prompt = "Write `sigmoid(z)`."
    expected = { engine = "sigmoid" }
    tolerance = { abs = 1e-9, rel = 1e-9 }
    hints = ["1 / (1 + np.exp(-z))", "Use numpy so arrays work."]
    solution = \'\'\'
    import numpy as np

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))
    \'\'\'

    [code]
    entry = "sigmoid"
    signature = "def sigmoid(z)"
    starter = \'\'\'
    import numpy as np

    def sigmoid(z):
        return z
    \'\'\'
    cases = [{ z = 0.0 }, { z = [-2.0, 0.0, 2.0] }]
    limits = { time_s = 1.5 }
    ```

    Back to the weighted sum for a moment.

    ```exercise
    id = "bias-role"
    kind = "choice"
    prompt = "Raising the bias by 1 does what to z?"
    choices = ["Nothing", "Raises z by 1", "Doubles z"]
    answer = "Raises z by 1"
    hints = ["z is a sum.", "One term grows by 1."]

    [[wrong]]
    answer = "Doubles z"
    message = "The bias is added, not multiplied."
    ```

    That is one neuron.
    ''')

SIGMOID_SOLUTION = "import numpy as np\n\ndef sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n"


def write_course(root: Path) -> Path:
    """A one-lesson course folder in the real format (loaded by the real loader)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "01-neuron.md").write_text(LESSON)
    return root


def screen_text(app) -> str:
    """Every character on the current screen, as the learner sees it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def widget_text(widget) -> str:
    """The plain text a Static (or any widget) renders, markup and all styling gone."""
    from rich.console import Console

    rendered = widget.content  # what was given to Static.update: a Text or a Group
    if hasattr(rendered, "plain"):
        return rendered.plain
    if isinstance(rendered, str):
        return rendered
    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    console.print(rendered)
    return console.export_text().rstrip("\n")


async def started(app, pilot) -> None:
    """Wait for what happens after the first frame: the course loads, the tutor resumes."""
    for _ in range(200):
        if app.course_ready and app.store is not None:
            break
        await pilot.pause(0.02)
    assert app.course_ready
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    # the app survives unexpected errors (tutor.ui.crash): a test must still see them
    assert not app.errors, app.errors


def tap(app, key: str) -> None:
    """A key press sent to the app without Pilot's wait for an idle process, which
    never comes while a run trains (each press would wait its full second)."""
    from textual import events

    app.post_message(events.Key(key, None))


def spot_of(qualified_id: str, course=None):
    """Where "lesson/exercise" is in `course` (the built-in course when None)."""
    from tutor.course.loader import load_course
    from tutor.ui.navigation import Spot

    course = course if course is not None else load_course()
    for li, lesson in enumerate(course.lessons):
        for ei, exercise in enumerate(lesson.exercises):
            if exercise.qualified_id == qualified_id:
                return Spot(li, ei)
    raise AssertionError(f"no exercise {qualified_id} in the course")


async def open_at(app, pilot, qualified_id: str) -> None:
    """Open "lesson/exercise" of the app's course (as the palette or outline would),
    once what came before has settled, and wait until its lesson screen shows it."""
    from tutor.ui.screens.lesson import LessonScreen

    await started(app, pilot)
    app.open_spot(spot_of(qualified_id, app.course))
    await started(app, pilot)
    assert isinstance(app.screen, LessonScreen), app.screen
    assert app.screen.exercise.qualified_id == qualified_id


async def until(pilot, condition, timeout: float = 30.0, message=lambda: "timed out waiting") -> None:
    """Let the app run until `condition()` holds (a worker, a stream, a file watcher)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message()
        await pilot.pause(0.05)


def posted(messages, *types) -> list:
    """The messages of these types, each once (a bubbling message is seen at every
    node it passes), in the order they were first handled."""
    seen: dict[int, object] = {}
    for message in list(messages):
        if isinstance(message, types):
            seen.setdefault(id(message), message)
    return list(seen.values())


def flow(messages, *types) -> list[str]:
    """The names of posted(messages, *types): the flow a test asserts."""
    return [type(message).__name__ for message in posted(messages, *types)]


def no_blink(app) -> None:
    """Hold the focused field's cursor steady (shown): a snapshot must not depend
    on the moment it is taken within the cursor's blink."""
    focused = app.focused
    if focused is not None and hasattr(focused, "cursor_blink"):
        focused.cursor_blink = False
        # a TextArea caches its lines under the same key with the blink off and mid-blink
        # (cursor hidden): a style update drops them, so the cursor is drawn again
        focused.notify_style_update()
        focused.refresh()


def verdicts(messages) -> list[str]:
    """The status of each verdict that flowed (VerdictReady), in order: "pass",
    "fail", "error" (could not be judged), ..."""
    from tutor.ui.messages import VerdictReady

    return [message.attempt.verdict.status for message in posted(messages, VerdictReady)]
