"""Where "next" and "back" lead, and what mark each exercise wears.

Pure functions over the course model and the progress store, so the rules
(skipping is always allowed; resume where you left off) are tested without a
screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.course.model import Course, Exercise, Lesson
    from tutor.progress.store import ProgressStore

PASSED, TRIED, FRESH = "✓", "•", "○"
# a predict exercise, finished once the engine's value was shown
PREDICTED, MISSED = "◆", "◇"
MARKS = {"passed": PASSED, "predicted": PREDICTED, "missed": MISSED, "tried": TRIED, "new": FRESH}
MARK_STYLES = {PASSED: "green", PREDICTED: "green", MISSED: "yellow"}


@dataclass(frozen=True)
class Spot:
    """One exercise of one lesson, by index so neighbours are cheap to find."""

    lesson: int
    exercise: int


def exercise_at(course: Course, spot: Spot) -> tuple[Lesson, Exercise | None]:
    lesson = course.lessons[spot.lesson]
    exercise = lesson.exercises[spot.exercise] if lesson.exercises else None
    return lesson, exercise


def step(course: Course, spot: Spot, delta: int) -> Spot | None:
    """The exercise `delta` (+1/-1) away, crossing lesson boundaries; None at either end."""
    flat = [Spot(li, ei) for li, lesson in enumerate(course.lessons) for ei in range(len(lesson.exercises))]
    try:
        index = flat.index(spot)
    except ValueError:
        return None
    target = index + delta
    return flat[target] if 0 <= target < len(flat) else None


def find(course: Course, lesson_id: str, exercise_id: str | None = None) -> Spot | None:
    for li, lesson in enumerate(course.lessons):
        if lesson.id != lesson_id:
            continue
        for ei, exercise in enumerate(lesson.exercises):
            if exercise.id == exercise_id:
                return Spot(li, ei)
        return Spot(li, 0)
    return None


def resume_spot(course: Course, store: ProgressStore) -> Spot | None:
    """The saved position if it still exists in the course, else None (start at the outline)."""
    position = store.position
    if position is None or not course.lessons:
        return None
    return find(course, position.lesson, position.exercise)


def mark(store: ProgressStore, exercise: Exercise) -> str:
    return MARKS[store.exercise(exercise.qualified_id).status]


def lesson_marks(store: ProgressStore, lesson: Lesson) -> str:
    return "".join(mark(store, exercise) for exercise in lesson.exercises)


def lesson_done(store: ProgressStore, lesson: Lesson) -> tuple[int, int]:
    done = sum(store.exercise(exercise.qualified_id).finished for exercise in lesson.exercises)
    return done, len(lesson.exercises)
