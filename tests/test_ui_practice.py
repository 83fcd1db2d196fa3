"""Practice in the tutor (issue 13): the outline's "Review: N due" entry and a
review session of due exercises as fresh variants, the outline's concept view,
and the closing screen saying which concepts a lesson moved.

The schedule is the real one (tutor.practice.schedule, FSRS): each test puts
attempts in the store, rated as the attempt path rates them, at a time it
chooses, so what is due and each concept's state are known.
"""

from __future__ import annotations

import textwrap
from datetime import datetime, timedelta, timezone
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


NOW = datetime.now(timezone.utc)
A_MONTH_AGO = NOW - timedelta(days=30)


def tried(app, qualified_id: str, *passes: bool, hints: int = 0, at: datetime = NOW) -> None:
    """Attempts at an exercise, made (and rated by the schedule) at `at`."""
    from tutor.practice.schedule import review_attempt

    exercise = app.course.exercise(qualified_id)
    if hints:
        app.store.reveal_hint(qualified_id, len(exercise.hints))
    for passed in passes:
        app.store.record_attempt(qualified_id, exercise.solution if passed else "0", passed)
        review_attempt(app.store, exercise, now=at)


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


async def test_a_review_session_of_three_due_items_as_fresh_variants(started_tutor) -> None:
    from engine import weighted_sum
    from tutor.course.variants import instantiate
    from tutor.ui.screens.outline import OutlineScreen
    from tutor.ui.screens.review import ReviewScreen, variant_seed

    async with started_tutor(size=(80, 24)) as (app, pilot):
        # a month ago: the weighted sum with both hints, the others first try
        tried(app, "neuron/weighted-sum", True, hints=2, at=A_MONTH_AGO)
        tried(app, "neuron/bias-role", True, at=A_MONTH_AGO)
        tried(app, "sigmoid/half", True, at=A_MONTH_AGO)
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
        assert "(passed with hints 4 weeks ago)" in widget_text(screen.query_one("#feedback"))
        values = shown.variant_values
        right = float(weighted_sum(values["inputs"], values["weights"], values["bias"]))
        said = await answer(app, pilot, repr(right))
        assert said.startswith("✓"), said
        assert app.store.exercise("neuron/weighted-sum").attempts == 2
        await pilot.press("ctrl+n")
        await settle(app, pilot)

        # 2: another lesson's exercise (the session mixes lessons; one version only: the same numbers)
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
        # the schedule moved: the two recalled are due later, the skipped one still now
        assert rows(app)[1].strip().startswith("↻ Review: 1 due")
        assert app.store.review_state("sigmoid/half").due > NOW + timedelta(days=1)


async def test_nothing_due_says_so_and_a_new_learner_sees_no_review_entry(started_tutor) -> None:
    async with started_tutor(size=(80, 24)) as (app, pilot):
        assert "Review" not in screen_text(app)  # nothing passed yet: nothing to review
        for qualified_id in ("neuron/weighted-sum", "neuron/bias-role", "sigmoid/half"):
            tried(app, qualified_id, True)  # just now, first try: due in days
        app.screen.refresh_outline()
        await pilot.pause()
        assert rows(app)[1].strip().startswith("↻ Review: nothing due")
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "OutlineScreen"
        assert any("Nothing is due for review" in note.message for note in app._notifications)


async def test_the_outline_shows_each_concepts_state(started_tutor) -> None:
    async with started_tutor(size=(80, 24)) as (app, pilot):
        tried(app, "neuron/weighted-sum", False, True)  # after a retry: learning
        tried(app, "neuron/bias-role", True)  # first try: solid
        tried(app, "sigmoid/half", True, at=A_MONTH_AGO)  # due again
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
            "↻ sigmoid due 1 exercise(s)", "◐ weighted sum learning 2 exercise(s)", "● bias solid 1 exercise(s)"]
        await pilot.press("down", "down")  # weighted sum: where it is practised
        await pilot.pause()
        detail = widget_text(app.screen.query_one("#outline-detail"))
        assert detail.startswith("weighted sum: learning")
        assert "✓ neuron/weighted-sum, ✓ neuron/bias-role" in detail
        await pilot.press("enter")  # opens the first of them not yet done (all are: the first)
        await settle(app, pilot)
        assert app.screen.exercise.qualified_id == "neuron/weighted-sum"


async def test_the_closing_screen_says_which_concepts_the_lesson_moved(started_tutor) -> None:
    from tutor.ui.screens.closing import ClosingScreen

    async with started_tutor(size=(80, 40)) as (app, pilot):
        await pilot.press("enter")  # lesson 1, its first exercise: every concept new
        await settle(app, pilot)
        said = await answer(app, pilot, "5")  # the weighted sum, first try
        assert said.startswith("✓")
        await pilot.press("ctrl+n")  # the bias question, left for later
        await settle(app, pilot)
        await pilot.press("ctrl+n")  # after the last exercise: the closing screen
        await settle(app, pilot)
        assert isinstance(app.screen, ClosingScreen)
        text = widget_text(app.screen.query_one("#closing-text"))
        concepts = text.split("The concepts")[1]
        assert [" ".join(line.split()) for line in concepts.strip().splitlines()[:3]] == [
            "weighted sum new → learning", "bias new",
            "1 of 2 concept(s) moved in this lesson. The outline shows them all; review keeps them solid."]


def test_snapshot_the_review_entry(snap_compare, make_tutor) -> None:
    """80x24: "Review: 2 due" on the outline's top line, its detail under the tree."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await started(app, pilot)
        tried(app, "neuron/weighted-sum", True, at=A_MONTH_AGO)
        tried(app, "neuron/bias-role", False, True)
        tried(app, "sigmoid/half", True, at=A_MONTH_AGO)
        app.screen.refresh_outline()
        await pilot.pause()

    assert snap_compare(make_tutor(), terminal_size=(80, 24), run_before=run_before)


async def test_a_review_of_a_lessons_first_exercise_shows_the_variants_own_numbers(started_tutor):
    """The built-in neuron lesson's intro states the published numbers (x1 = 1,
    w1 = 7, ...): a review item drawn with other numbers shows its own prose
    only, never the published intro above it."""
    from tutor.ui.screens.review import ReviewScreen

    async with started_tutor(size=(120, 40), course_path=None) as (app, pilot):
        tried(app, "neuron/weighted-sum", True, at=A_MONTH_AGO)
        app.screen.refresh_outline()
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        values = screen.exercise.variant_values
        prose = " ".join(screen_text(app).split())  # the prose pane as drawn, at 120x40
        assert f"The neuron also has a bias, b = {values['bias']}" in prose
        assert (values["weights"], values["bias"]) != ([7, 3], -2)
        # the published sentences, where the variant's numbers differ (a variant may keep bias -2)
        published = {"w1 = 7 and w2 = 3": values["weights"] != [7, 3], "b = -2": values["bias"] != -2}
        assert [phrase for phrase, differs in published.items() if differs and phrase in prose] == []


async def test_back_from_a_lesson_the_cursor_is_on_it_not_on_a_review_entry_that_appeared(started_tutor):
    """The first pass makes the review entry appear at the top of the outline: Esc
    back from the lesson puts the cursor on that lesson, so Enter goes on in it
    (a served tutor's learner, whose browser has no Ctrl+N, found Enter on the
    review entry instead)."""
    from textual.widgets import Input

    from tutor.ui.screens.lesson import LessonScreen
    from tutor.ui.screens.outline import OutlineScreen

    async with started_tutor(size=(80, 24)) as (app, pilot):
        await pilot.press("enter")  # the first lesson, its first exercise
        await settle(app, pilot)
        app.screen.query_one(Input).value = "5"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.store.exercise("neuron/weighted-sum").passed
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, OutlineScreen)
        assert rows(app)[1].strip().startswith("↻ Review")  # it appeared, at the top
        tree = app.screen.query_one("#outline")
        assert tree.cursor_node is not None and tree.cursor_node.data.lesson == 0
        await pilot.press("enter")
        await settle(app, pilot)
        lesson = app.course.lessons[0]
        next_open = next(e for e in lesson.exercises if not app.store.exercise(e.qualified_id).finished)
        assert next_open.id != "weighted-sum"
        assert isinstance(app.screen, LessonScreen) and app.screen.exercise is next_open
