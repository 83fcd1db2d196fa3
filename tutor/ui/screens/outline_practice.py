"""The outline's practice entries: "Review: N due" at the top, the concepts at the bottom.

The outline screen adds them around its lessons and hands their nodes here when
they are highlighted or chosen. States and due items come from the schedule
(tutor.practice.schedule); nothing here decides what is due.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text

from tutor.ui.navigation import MARK_STYLES, Spot, find, mark

if TYPE_CHECKING:  # the model loads with the course, after the outline's first frame
    from tutor.course.model import Course, Exercise

# the states tutor.practice.schedule.concept_states gives, in the order a learner
# reads them (what needs doing first), with how the outline marks each
STATES = ("due", "learning", "solid", "new")
STATE_MARKS = {"due": ("↻", "bold yellow"), "learning": ("◐", "cyan"), "solid": ("●", "green"), "new": ("○", "dim")}


@dataclass(frozen=True)
class ReviewEntry:
    """The outline's "Review: N due" line."""

    due: int


@dataclass(frozen=True)
class ConceptsEntry:
    """The outline's "Concepts" line (its children are ConceptEntry)."""


@dataclass(frozen=True)
class ConceptEntry:
    name: str
    state: str


def concept_exercises(course: Course) -> dict[str, list[Exercise]]:
    """Each concept the course names, with the exercises that practise it, in course order."""
    found: dict[str, list[Exercise]] = defaultdict(list)
    for lesson in course.lessons:
        for exercise in lesson.exercises:
            for name in exercise.concepts:
                found[name].append(exercise)
    return dict(found)


def review_count(app: Any) -> int | None:
    """How many items a review session would bring now; None when the learner has
    nothing to review yet (nothing passed), so a new learner sees no empty entry."""
    from tutor.practice.schedule import due_items

    due = due_items(app.store, app.course)
    if due:
        return len(due)
    passed = any(app.store.exercise(exercise.qualified_id).passed
                 for lesson in app.course.lessons for exercise in lesson.exercises)
    return 0 if passed else None


def review_label(due: int) -> Text:
    if due:
        return Text.assemble(("↻ ", "bold yellow"), (f"Review: {due} due", "bold"),
                             ("  a few earlier exercises, new numbers", "dim"))
    return Text.assemble(("↻ ", "dim"), ("Review: nothing due", ""), ("  passed exercises come back here", "dim"))


def concept_states(app: Any) -> dict[str, str]:
    """Each concept's state (new, learning, solid or due), from the schedule."""
    from tutor.practice.schedule import concept_states as states

    return states(app.store, app.course)


def add_concepts(root: Any, app: Any, expand: bool) -> None:
    """The concepts line and, under it, each concept with its state (most urgent first)."""
    names = concept_exercises(app.course)
    if not names:
        return
    states = concept_states(app)
    counts = {state: sum(1 for name in names if states.get(name, "new") == state) for state in STATES}
    label = Text.assemble(("Concepts", "bold"), "  ")
    label.append(" · ".join(f"{counts[state]} {state}" for state in STATES if counts[state]), style="dim")
    node = root.add(label, data=ConceptsEntry(), expand=expand)
    order = {state: index for index, state in enumerate(STATES)}
    width = max(len(name) for name in names)
    for name in sorted(names, key=lambda name: (order.get(states.get(name, "new"), len(STATES)), name)):
        state = states.get(name, "new")
        symbol, style = STATE_MARKS.get(state, ("?", ""))
        node.add_leaf(Text.assemble((f"{symbol} ", style), f"{name:<{width}}  ", (state, style),
                                    (f"  {len(names[name])} exercise(s)", "dim")),
                      data=ConceptEntry(name, state))


def detail(app: Any, entry: Any) -> Text:
    """What the detail panel says under a practice entry."""
    if isinstance(entry, ReviewEntry):
        if not entry.due:
            return Text.assemble(("Review\n", "bold"), ("Nothing is due now. Each exercise you pass comes back "
                                                        "here when it is due, with new numbers.", "dim"))
        return Text.assemble(("Review\n", "bold"), f"{entry.due} earlier exercise(s) are due. A session brings "
                             "back up to ten of them, mixed across lessons, each with new numbers.\n",
                             ("Enter starts it · Ctrl+N goes on · Esc comes back here", "dim"))
    if isinstance(entry, ConceptsEntry):
        return Text.assemble(("Concepts\n", "bold"), "What the exercises practise, and where you stand: new (not "
                             "yet tried), learning, solid, or due for review.\n", ("Space folds", "dim"))
    assert isinstance(entry, ConceptEntry)
    exercises = concept_exercises(app.course).get(entry.name, [])
    text = Text.assemble((f"{entry.name}: ", "bold"), (entry.state, STATE_MARKS.get(entry.state, ("", ""))[1]), "\n")
    text.append("Practised by ", style="dim")
    for index, exercise in enumerate(exercises):
        symbol = mark(app.store, exercise)
        text.append(", " if index else "")
        text.append(f"{symbol} ", style=MARK_STYLES.get(symbol, ""))
        text.append(exercise.qualified_id)
    text.append("\nEnter opens the first of them not yet done", style="dim")
    return text


def first_open_spot(app: Any, name: str) -> Spot | None:
    """The first exercise practising `name` not yet finished (else the first at all)."""
    exercises = concept_exercises(app.course).get(name, [])
    if not exercises:
        return None
    target = next((exercise for exercise in exercises if not app.store.exercise(exercise.qualified_id).finished),
                  exercises[0])
    return find(app.course, target.lesson_id, target.id)


def choose(app: Any, entry: Any, node: Any) -> None:
    """Enter on a practice entry."""
    if isinstance(entry, ReviewEntry):
        from tutor.ui.screens.review import start_review

        start_review(app)
    elif isinstance(entry, ConceptsEntry):
        node.toggle()
    elif isinstance(entry, ConceptEntry):
        spot = first_open_spot(app, entry.name)
        if spot is not None:
            app.open_spot(spot)


PRACTICE_ENTRIES = (ReviewEntry, ConceptsEntry, ConceptEntry)
