"""Practice in the tutor (issue 13): the outline's "Review: N due" entry and a
review session of due exercises as fresh variants, the outline's concept view,
and the closing screen saying which concepts a lesson moved.

The schedule (tutor.practice.schedule) decides what is due and each concept's
state; these tests hand the screens a schedule of their own making (the
`schedule` fixture) so each asserts what the learner sees for a known state.
"""

from __future__ import annotations

import sys
import textwrap
import types
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from uikit import screen_text, started, widget_text

NEURON = textwrap.dedent('''\
    +++
    id = "neuron"
    title = "One neuron"
    order = 1
    +++

    A neuron multiplies each input by a weight and adds a bias.

    ```exercise
    id = "weighted-sum"
    kind = "number"
    concepts = ["weighted sum"]
    prompt = "Inputs {inputs[0]} and {inputs[1]}, weights {weights[0]} and {weights[1]}, bias {bias}: what is z?"
    expected = { engine = "weighted_sum", args = { inputs = "$inputs", weights = "$weights", bias = "$bias" } }
    tolerance = { abs = 1e-9, rel = 1e-9 }
    hints = ["Multiply each input by its weight.", "Add the products, then the bias."]
    solution = "5"

    [params]
    inputs = { value = [1, 0], choices = [[1, 0], [0, 1]] }
    weights = { value = [7, 3], range = [-9, 9], step = 2 }
    bias = { value = -2, range = [-6, 6], step = 2, exclude = [0] }
    ```

    The bias shifts z.

    ```exercise
    id = "bias-role"
    kind = "choice"
    concepts = ["weighted sum", "bias"]
    prompt = "Raising the bias by 1 does what to z?"
    choices = ["Nothing", "Raises z by 1", "Doubles z"]
    answer = "Raises z by 1"
    hints = ["z is a sum.", "One term grows by 1."]
    ```

    That is one neuron.
    ''')

SIGMOID = textwrap.dedent('''\
    +++
    id = "sigmoid"
    title = "The sigmoid"
    order = 2
    +++

    The sigmoid squashes z into (0, 1).

    ```exercise
    id = "half"
    kind = "number"
    concepts = ["sigmoid"]
    prompt = "What is sigmoid(0)?"
    expected = { engine = "sigmoid", args = { z = 0 } }
    tolerance = { abs = 1e-6, rel = 1e-6 }
    hints = ["e^0 is 1.", "1 / (1 + 1)."]
    solution = "0.5"
    ```

    That is the sigmoid.
    ''')


@dataclass(frozen=True)
class DueItem:
    qualified_id: str
    due: datetime
    reason: str


class Schedule:
    """What the schedule says in a test: the due items and the concepts' states."""

    def __init__(self) -> None:
        self.due: list[str] = []
        self.states: dict[str, str] = {}

    def due_items(self, store, course, now=None, limit=10):
        at = datetime(2026, 12, 1, tzinfo=timezone.utc)
        return [DueItem(qid, at, "passed 3 days ago") for qid in self.due[:limit]]

    def concept_states(self, store, course, now=None):
        return dict(self.states)


@pytest.fixture
def schedule(monkeypatch: pytest.MonkeyPatch) -> Schedule:
    plan = Schedule()
    module = types.ModuleType("tutor.practice.schedule")
    module.due_items = plan.due_items
    module.concept_states = plan.concept_states
    package = sys.modules.get("tutor.practice") or types.ModuleType("tutor.practice")
    monkeypatch.setitem(sys.modules, "tutor.practice", package)
    monkeypatch.setitem(sys.modules, "tutor.practice.schedule", module)
    monkeypatch.setattr(package, "schedule", module, raising=False)
    return plan


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    root.mkdir()
    (root / "01-neuron.md").write_text(NEURON)
    (root / "02-sigmoid.md").write_text(SIGMOID)
    return root


async def settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def rows(app) -> list[str]:
    return screen_text(app).splitlines()


def passed_everything(app) -> None:
    for lesson in app.course.lessons:
        for exercise in lesson.exercises:
            app.store.record_attempt(exercise.qualified_id, exercise.solution, True)


async def answer(app, pilot, text: str) -> str:
    from textual.widgets import Input

    field = app.screen.query_one(Input)
    field.value = text
    await pilot.press("enter")
    for _ in range(200):
        await settle(app, pilot)
        said = widget_text(app.screen.query_one("#feedback"))
        if said.startswith(("✓", "✗")):
            return said
    raise AssertionError(said)


async def test_a_review_session_of_three_due_items_as_fresh_variants(started_tutor, schedule, messages) -> None:
    from engine import weighted_sum
    from tutor.course.variants import instantiate
    from tutor.ui.screens.outline import OutlineScreen
    from tutor.ui.screens.review import ReviewScreen, variant_seed

    schedule.due = ["neuron/weighted-sum", "sigmoid/half", "neuron/bias-role"]
    async with started_tutor(size=(80, 24)) as (app, pilot):
        passed_everything(app)
        app.store.reveal_hint("neuron/weighted-sum", 2)  # the first time round, both hints
        app.screen.refresh_outline()
        await pilot.pause()
        assert rows(app)[1].strip().startswith("↻ Review: 3 due")  # the top line of the outline
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)

        # 1: the weighted sum with new numbers, drawn for this review
        published = app.course.exercise("neuron/weighted-sum")
        shown = screen.exercise
        seed = variant_seed(app.store.learner_seed, published.qualified_id, 1)
        assert shown.variant_seed == seed and shown.prompt == instantiate(published, seed).prompt
        assert shown.prompt != published.prompt and shown.prompt in " ".join(screen_text(app).split())
        assert "Review  item 1/3" in rows(app)[0] and "from 1. One neuron" in rows(app)[0]
        # what was seen before is not shown again: no hints, no "done"
        assert "Hint 1/2" not in screen_text(app) and "Done" not in screen_text(app)
        assert "passed 3 days ago" in widget_text(screen.query_one("#feedback"))
        values = shown.variant_values
        right = float(weighted_sum(values["inputs"], values["weights"], values["bias"]))
        said = await answer(app, pilot, repr(right))
        assert said.startswith("✓"), said
        assert app.store.exercise("neuron/weighted-sum").attempts == 2
        await pilot.press("ctrl+n")
        await settle(app, pilot)

        # 2: another lesson's exercise (one version only: the same numbers)
        assert screen.exercise.qualified_id == "sigmoid/half"
        assert "item 2/3" in rows(app)[0] and "from 2. The sigmoid" in rows(app)[0]
        said = await answer(app, pilot, "0.4")
        assert said.startswith("✗")
        said = await answer(app, pilot, "0.5")
        assert said.startswith("✓")
        await pilot.press("ctrl+n")
        await settle(app, pilot)

        # 3: a choice, skipped
        assert screen.exercise.qualified_id == "neuron/bias-role"
        assert "✓✓○" in rows(app)[0]
        await pilot.press("ctrl+n")
        await settle(app, pilot)

        # after the last, the outline again, and what the session came to
        assert isinstance(app.screen, OutlineScreen)
        notes = [message for message in app._notifications]
        assert any("2 of 3 recalled · 1 at the first try · 1 skipped" in note.message for note in notes)
        # the learner's place in the course did not move
        assert app.store.position is None or app.store.position.lesson != "sigmoid"


async def test_nothing_due_says_so_and_a_new_learner_sees_no_review_entry(started_tutor, schedule) -> None:
    async with started_tutor(size=(80, 24)) as (app, pilot):
        assert "Review" not in screen_text(app)  # nothing passed yet: nothing to review
        passed_everything(app)
        app.screen.refresh_outline()
        await pilot.pause()
        assert rows(app)[1].strip().startswith("↻ Review: nothing due")
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "OutlineScreen"
        assert any("Nothing is due for review" in note.message for note in app._notifications)


async def test_the_outline_shows_each_concepts_state(started_tutor, schedule) -> None:
    schedule.states = {"weighted sum": "solid", "sigmoid": "due", "bias": "learning"}
    async with started_tutor(size=(80, 24)) as (app, pilot):
        app.screen.refresh_outline()
        await pilot.pause()
        text = screen_text(app)
        assert "Concepts  1 due · 1 learning · 1 solid" in text
        tree = app.screen.query_one("#outline")
        concepts = next(node for node in tree.root.children if str(node.label).startswith("Concepts"))
        tree.move_cursor(concepts)
        await pilot.press("space")  # unfold: each concept, the most urgent first
        await pilot.pause()
        lines = [row.strip() for row in rows(app)]
        start = next(index for index, row in enumerate(lines) if row.startswith("▼ Concepts"))
        assert [" ".join(row.split("── ", 1)[-1].split()) for row in lines[start + 1:start + 4]] == [
            "↻ sigmoid due 1 exercise(s)", "◐ bias learning 1 exercise(s)", "● weighted sum solid 2 exercise(s)"]
        await pilot.press("down", "down", "down")  # weighted sum: where it is practised
        await pilot.pause()
        detail = widget_text(app.screen.query_one("#outline-detail"))
        assert detail.startswith("weighted sum: solid")
        assert "○ neuron/weighted-sum, ○ neuron/bias-role" in detail
        await pilot.press("enter")  # opens the first of them not yet done
        await settle(app, pilot)
        assert app.screen.exercise.qualified_id == "neuron/weighted-sum"


async def test_the_closing_screen_says_which_concepts_the_lesson_moved(started_tutor, schedule) -> None:
    from tutor.ui.screens.closing import ClosingScreen

    schedule.states = {"weighted sum": "new", "bias": "learning"}
    async with started_tutor(size=(80, 40)) as (app, pilot):
        await pilot.press("enter")  # lesson 1, its first exercise
        await settle(app, pilot)
        schedule.states = {"weighted sum": "learning", "bias": "learning", "sigmoid": "new"}
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("ctrl+n")  # after the last exercise: the closing screen
        await settle(app, pilot)
        assert isinstance(app.screen, ClosingScreen)
        text = widget_text(app.screen.query_one("#closing-text"))
        concepts = text.split("The concepts")[1]
        assert [" ".join(line.split()) for line in concepts.strip().splitlines()[:3]] == [
            "weighted sum new → learning", "bias learning",
            "1 of 2 concept(s) moved in this lesson. The outline shows them all; review keeps them solid."]


def test_snapshot_the_review_entry(snap_compare, make_tutor, schedule) -> None:
    """80x24: "Review: 2 due" on the outline's top line, its detail under the tree."""
    schedule.due = ["neuron/weighted-sum", "sigmoid/half"]
    schedule.states = {"weighted sum": "due", "sigmoid": "solid", "bias": "learning"}

    async def run_before(pilot) -> None:
        app = pilot.app
        await started(app, pilot)
        passed_everything(app)
        app.screen.refresh_outline()
        await pilot.pause()

    assert snap_compare(make_tutor(), terminal_size=(80, 24), run_before=run_before)
