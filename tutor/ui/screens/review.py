"""A review session: a few due exercises from across the course, each as a fresh variant.

The outline's "Review: N due" entry opens it with the items
tutor.practice.schedule.due_items picked (about ten, mixing lessons). It is the
lesson screen showing one item after another: Ctrl+N goes to the next item
(after the last, back to the outline with a summary), Ctrl+B to the one
before. What differs from working through a lesson is said here once:

- each item is a fresh variant (tutor.course.variants.instantiate with a seed
  of its own), so it is recalled, not recognised;
- what the learner saw before is not shown again: earlier hints, the old
  draft, the "done" status; hints are asked for afresh, and the solution opens
  as in a lesson, counting only this session's attempts;
- the learner's place in the course stays where it was.

Every attempt is recorded through the usual attempt path, with its variant's
seed, and the schedule moves from there (tutor.progress.attempt).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.widgets import Static

from tutor.course.model import Exercise, Lesson
from tutor.ui.navigation import Spot, find
from tutor.ui.screens.lesson import ATTEMPTS_BEFORE_SOLUTION, LessonScreen
from tutor.ui.widgets.feedback import FeedbackPanel

# a session is short: this many items at most
SESSION_ITEMS = 10


def variant_seed(learner_seed: int, qualified_id: str, attempts: int) -> int:
    """A seed of its own for each review of an exercise: the same learner gets the
    same variant on a retry of the same review, and a new one the next time."""
    return random.Random(f"{learner_seed}:{qualified_id}:{attempts}").randrange(1, 2**31)


@dataclass
class ReviewItem:
    """One exercise of the session, as this session shows it."""

    spot: Spot
    exercise: Exercise  # the variant
    reason: str = ""
    attempts: int = 0  # in this session
    hints: int = 0  # asked for in this session
    passed: bool = False
    verdicts: list[bool] = field(default_factory=list)


def session_items(app: Any, due: list[Any]) -> list[ReviewItem]:
    """The due items the course still has, each drawn as its variant for now."""
    from tutor.course.variants import VariantError, instantiate

    items = []
    for entry in due[:SESSION_ITEMS]:
        lesson_id, _, exercise_id = entry.qualified_id.partition("/")
        spot = find(app.course, lesson_id, exercise_id)
        if spot is None or app.course.lessons[spot.lesson].exercises[spot.exercise].id != exercise_id:
            continue  # the exercise left the course since it was scheduled
        exercise = app.course.lessons[spot.lesson].exercises[spot.exercise]
        progress = app.store.exercise(exercise.qualified_id)
        seed = variant_seed(app.store.learner_seed, exercise.qualified_id, progress.attempts)
        try:
            variant = instantiate(exercise, seed)
        except VariantError:  # parameters that give no variant (lint says so): the numbers as published
            variant = exercise
        items.append(ReviewItem(spot, variant, entry.reason))
    return items


class ReviewScreen(LessonScreen):
    """The lesson screen over a list of review items instead of a lesson."""

    def __init__(self, items: list[ReviewItem]) -> None:
        assert items, "a review session needs at least one item"
        super().__init__(items[0].spot)
        self.items = items
        self.index = 0

    @property
    def item(self) -> ReviewItem:
        return self.items[self.index]

    # -- what the lesson screen asks ---------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "engine_version":
            return False  # the engine's version of a lesson would answer its review
        return super().check_action(action, parameters)

    def exercise_here(self, spot: Spot) -> tuple[Lesson, Exercise | None]:
        lesson = self.app.course.lessons[spot.lesson]
        return lesson, self.item.exercise if spot == self.item.spot else lesson.exercises[spot.exercise]

    def keep_position(self, spot: Spot) -> None:
        """A review never moves the learner's place in the course."""

    def saved_draft(self, exercise: Exercise) -> Any:
        return None  # a fresh variant starts blank (a code exercise: at its starter)

    def record_draft(self) -> bool:
        exercise = self.exercise
        if exercise is not None and exercise.kind == "code":
            return super().record_draft()  # the code file holds the latest code, as always
        return False  # typed numbers belong to this variant, not to the lesson's draft

    def hints_shown(self, exercise: Exercise) -> int:
        return self.item.hints if exercise is self.item.exercise else 0

    def reveal_hint(self, exercise: Exercise) -> None:
        self.item.hints = min(len(exercise.hints), self.item.hints + 1)
        self.app.store.reveal_hint(exercise.qualified_id, len(exercise.hints))  # the schedule hears of it
        self.app.save()

    def attempts_here(self, exercise: Exercise) -> int:
        return self.item.attempts if exercise is self.item.exercise else 0

    def plot_before_answer(self, exercise: Exercise) -> bool:
        return exercise.kind != "predict" or self.attempts_here(exercise) > 0  # predicted in this session

    def note_attempt(self, attempt: Any) -> None:
        """This session's count (the store's counts every attempt ever made)."""
        item = self.item
        if attempt.exercise is item.exercise and attempt.counted:
            item.attempts += 1
            item.verdicts.append(attempt.verdict.passed)
            item.passed = item.passed or attempt.verdict.passed
            self._update_bar()

    def solution_open(self, exercise: Exercise) -> bool:
        item = self.item
        return item.passed or item.attempts >= ATTEMPTS_BEFORE_SOLUTION

    def action_solution(self) -> None:
        exercise = self.exercise
        if exercise is None:
            return
        if self.solution_open(exercise):
            self._show_solution(exercise)
        else:
            left = ATTEMPTS_BEFORE_SOLUTION - self.item.attempts
            self.notify(f"The solution opens after you pass, or after {left} more attempt(s).", timeout=4)

    def _status_line(self) -> None:
        item = self.item
        feedback = self.query_one("#feedback", FeedbackPanel)
        if item.passed:
            feedback.show_text("✓ Recalled. Ctrl+N: the next item.", "pass")
        elif item.attempts:
            feedback.show_text(f"{item.attempts} attempt(s) so far." + (" F2 for a hint." if item.exercise.hints else ""),
                               "note")
        else:
            why = f" ({item.reason})" if item.reason else ""
            fresh = ", with new numbers" if item.exercise.params else ""
            feedback.show_text(f"Review of {item.exercise.qualified_id}{why}{fresh}.", "note")

    def _update_bar(self) -> None:
        item = self.item
        lesson = self.app.course.lessons[item.spot.lesson]
        done = "".join("✓" if other.passed else ("•" if other.attempts else "○") for other in self.items)
        bar = Text.assemble((" Review ", "bold reverse"), (f" item {self.index + 1}/{len(self.items)} ", ""),
                            (done, "green"), (f"  from {lesson.order}. {lesson.title}", "dim"))
        self.query_one("#lesson-bar", Static).update(bar)

    # -- moving through the session -------------------------------------------------

    async def action_next(self) -> None:
        if self.index + 1 < len(self.items):
            self.save_draft()
            self.index += 1
            await self.show_spot(self.item.spot)
            return
        self.save_draft()
        self.app.pop_screen()
        self.app.notify(self.summary(), title="Review done", timeout=8)

    async def action_previous(self) -> None:
        if self.index == 0:
            self.notify("This is the first item of the review.", timeout=3)
            return
        self.save_draft()
        self.index -= 1
        await self.show_spot(self.item.spot)

    def summary(self) -> str:
        items = self.items
        first_try = sum(1 for item in items if item.verdicts[:1] == [True])
        passed = sum(item.passed for item in items)
        skipped = sum(not item.attempts for item in items)
        words = [f"{passed} of {len(items)} recalled", f"{first_try} at the first try"]
        if skipped:
            words.append(f"{skipped} skipped")
        return " · ".join(words) + ". Each comes back when it is due again."

    def action_escape(self) -> None:
        self.save_draft()
        self.app.pop_screen()
        if any(item.attempts for item in self.items):
            self.app.notify(self.summary(), title="Review stopped", timeout=6)


def start_review(app: Any) -> bool:
    """Open a session of what is due now; False (and a word to the learner) when nothing is."""
    from tutor.practice.schedule import due_items

    items = session_items(app, due_items(app.store, app.course, limit=SESSION_ITEMS))
    if not items:
        app.notify("Nothing is due for review. Exercises you pass come back here when they are due.", timeout=5)
        return False
    app.push_screen(ReviewScreen(items))
    return True


