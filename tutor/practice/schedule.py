"""Spaced review: when an exercise comes back, rated from how its attempts went.

Each exercise a learner has tried has an FSRS card (the `fsrs` package, the
maintained Free Spaced Repetition Scheduler), kept as its review state in the
progress store. After every counted attempt the attempt path calls
`review_attempt`, which rates the attempt and moves the card:

=====================================  ==========  ====================
the attempt                            rating      reason
=====================================  ==========  ====================
failed                                 Again       ``failed``
passed, after seeing the solution      Again       ``solution``
passed, after taking hints             Hard        ``hints``
passed, after failed tries             Hard        ``retries``
passed first try, unaided              Good        ``first-try``
=====================================  ==========  ====================

"After" means since the exercise was last passed (the round of attempts that
this pass ends), so a hint taken weeks ago on the first visit does not make
every later review Hard. Easy is never given: a tutor cannot tell an easy
recall from a good one by the answer alone, and FSRS's Good already spaces a
remembered exercise further each time. Fail, and it comes back sooner.

The scheduler has no learning steps: a first pass is due again in days, not
in minutes, so a review session brings back yesterday's work, not the last
quarter of an hour's. Fuzzing is off so the same attempts give the same
schedule (and tests can say when).

Headless: never imports textual. fsrs is imported on first use, not at
start-up.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from tutor.progress.store import AttemptRecord, ProgressStore, ReviewState

if TYPE_CHECKING:
    from tutor.course.model import Course, Exercise

# fsrs.Rating's values, named here so reading a rating needs no fsrs import
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4

#: Exercise kinds that come back for review: every kind with a right answer to
#: recall. A tune exercise is an exploration (move the sliders until the loss
#: falls), not something to remember.
REVIEWED_KINDS = frozenset({"number", "array", "choice", "predict", "code"})

#: How a concept is doing, from its exercises (see concept_states).
CONCEPT_STATES = ("new", "learning", "solid", "due")

#: What each reason says in a sentence.
REASONS = {
    "failed": "failed",
    "solution": "passed after seeing the solution",
    "hints": "passed with hints",
    "retries": "passed after retries",
    "first-try": "passed first try",
    "unscheduled": "done before reviews were scheduled",
}


@dataclass(frozen=True)
class DueItem:
    """One exercise a review session should bring back."""

    qualified_id: str
    due: datetime  # UTC: when it became due
    reason: str  # why, in words: "failed 3 days ago"


@lru_cache(maxsize=1)
def scheduler() -> Any:
    """The one FSRS scheduler (default parameters, 90% desired retention)."""
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def reviewed(exercise: Exercise) -> bool:
    return exercise.kind in REVIEWED_KINDS


def rate(history: Sequence[AttemptRecord]) -> tuple[int, str]:
    """The rating (AGAIN .. GOOD) and its reason for the last attempt of
    `history`, one exercise's attempts oldest first (see the module's table)."""
    last = history[-1]
    if not last.passed:
        return AGAIN, "failed"
    earlier = list(history[:-1])
    passes = [index for index, record in enumerate(earlier) if record.passed]
    round_ = earlier[passes[-1] + 1:] + [last] if passes else earlier + [last]  # since the last pass
    if any(record.solution_seen for record in round_):
        return AGAIN, "solution"
    if any(record.hints for record in round_):
        return HARD, "hints"
    if any(not record.passed for record in round_):
        return HARD, "retries"
    return GOOD, "first-try"


def _card_id(qualified_id: str) -> int:
    """A card id that is the exercise's own (fsrs would otherwise draw one from the clock)."""
    return int.from_bytes(hashlib.sha256(qualified_id.encode("utf-8")).digest()[:6], "big")


def review_attempt(store: ProgressStore, exercise: Exercise, now: datetime | None = None,
                   attempt: AttemptRecord | None = None) -> ReviewState | None:
    """Move the exercise's card after `attempt` (default: its last recorded one),
    rated from the attempts up to it; returns the new review state (None for an
    exercise that is not reviewed, or not tried). The time of the review is
    `now`, by default the attempt's."""
    if not reviewed(exercise):
        return None
    history = store.attempts(exercise.qualified_id)
    if attempt is not None:  # later attempts (already recorded) are their own reviews
        upto = max((index for index, record in enumerate(history) if record == attempt), default=None)
        history = history[:upto + 1] if upto is not None else history + [attempt]
    if not history:
        return None
    return _review(store, exercise.qualified_id, history, now or history[-1].at)


def _review(store: ProgressStore, qualified_id: str, history: Sequence[AttemptRecord], now: datetime) -> ReviewState:
    from fsrs import Card, Rating

    rating, reason = rate(history)
    state = store.review_state(qualified_id)
    card = Card.from_dict(dict(state.card)) if state is not None else Card(card_id=_card_id(qualified_id), due=now)
    card, _ = scheduler().review_card(card, Rating(rating), now.astimezone(timezone.utc))
    new = ReviewState(card.to_dict(), card.due, rating, reason, now)
    store.set_review_state(qualified_id, new)
    return new


def _exercises(course: Course) -> Iterable[Exercise]:
    for lesson in course.lessons:
        yield from lesson.exercises


def ago(then: datetime, now: datetime) -> str:
    """'today', 'yesterday', '3 days ago', '2 weeks ago', '4 months ago'."""
    days = (now.astimezone().date() - then.astimezone().date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 61:
        return f"{days // 7} weeks ago"
    return f"{days // 30} months ago"


def reason_text(state: ReviewState, now: datetime) -> str:
    return f"{REASONS.get(state.reason, state.reason)} {ago(state.reviewed_at, now)}"


def _unscheduled(store: ProgressStore, exercise: Exercise) -> bool:
    """Tried before this nntutor scheduled reviews (progress migrated from
    JSON): no card yet, so it is due now, once, and scheduled from then on."""
    return store.review_state(exercise.qualified_id) is None and store.exercise(exercise.qualified_id).attempts > 0


def due_items(store: ProgressStore, course: Course, now: datetime | None = None, limit: int | None = 10) -> list[DueItem]:
    """The exercises due for review at `now`, at most `limit` (None: all):
    the longest overdue first, but lessons mixed, so no two in a row come from
    one lesson while another lesson has one waiting."""
    now = now or datetime.now(timezone.utc)
    states = store.review_states()
    waiting: list[tuple[datetime, int, str, str, str]] = []  # due, course order, lesson, qid, reason
    for order, exercise in enumerate(_exercises(course)):
        if not reviewed(exercise):
            continue
        state = states.get(exercise.qualified_id)
        if state is not None:
            if state.due <= now:
                waiting.append((state.due, order, exercise.lesson_id, exercise.qualified_id, reason_text(state, now)))
        elif store.exercise(exercise.qualified_id).attempts > 0:
            waiting.append((now, order, exercise.lesson_id, exercise.qualified_id, REASONS["unscheduled"]))
    waiting.sort()
    return [DueItem(qid, due, reason) for due, _, _, qid, reason in _mixed(waiting, limit)]


def _mixed(waiting: list[tuple], limit: int | None) -> list[tuple]:
    """`waiting` (sorted by due) reordered so consecutive items differ in lesson when they can."""
    chosen: list[tuple] = []
    pool = list(waiting)
    while pool and (limit is None or len(chosen) < limit):
        last_lesson = chosen[-1][2] if chosen else None
        index = next((i for i, item in enumerate(pool) if item[2] != last_lesson), 0)
        chosen.append(pool.pop(index))
    return chosen


def next_due(store: ProgressStore, course: Course, now: datetime | None = None) -> list[DueItem]:
    """The exercises scheduled later than `now`, soonest first (what `nntutor review` says is coming)."""
    now = now or datetime.now(timezone.utc)
    known = {exercise.qualified_id for exercise in _exercises(course) if reviewed(exercise)}
    later = sorted((state.due, qid, state) for qid, state in store.review_states().items()
                   if qid in known and state.due > now)
    return [DueItem(qid, due, reason_text(state, now)) for due, qid, state in later]


def exercise_state(store: ProgressStore, exercise: Exercise, now: datetime) -> str:
    """One exercise's word: new (never tried), due, solid (finished, last
    recalled unaided: Good or better) or learning (anything between)."""
    progress = store.exercise(exercise.qualified_id)
    state = store.review_state(exercise.qualified_id)
    if state is None:
        if progress.attempts == 0:
            return "new"
        return "due" if reviewed(exercise) else ("solid" if progress.finished else "learning")
    if state.due <= now:
        return "due"
    return "solid" if progress.finished and state.rating >= GOOD else "learning"


def concept_states(store: ProgressStore, course: Course, now: datetime | None = None) -> dict[str, str]:
    """Each concept the course's exercises name (`Exercise.concepts`), with its
    state: "due" when any of its exercises is due, "new" when none was tried,
    "solid" when every one is solid, else "learning". Concepts in course order."""
    now = now or datetime.now(timezone.utc)
    words: dict[str, list[str]] = {}
    for exercise in _exercises(course):
        concepts = getattr(exercise, "concepts", ())
        if not concepts:
            continue
        word = exercise_state(store, exercise, now)
        for concept in concepts:
            words.setdefault(concept, []).append(word)
    return {concept: _concept_state(states) for concept, states in words.items()}


def _concept_state(states: list[str]) -> str:
    if "due" in states:
        return "due"
    if all(state == "new" for state in states):
        return "new"
    if all(state == "solid" for state in states):
        return "solid"
    return "learning"


def interval_text(delta: timedelta) -> str:
    """'in 5 hours', 'in 3 days', 'in 2 weeks' (for what is coming up)."""
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return "within the hour"
    if hours < 36:
        return f"in {round(hours)} hour{'s' * (round(hours) != 1)}"
    days = round(hours / 24)
    if days < 14:
        return f"in {days} days"
    if days < 61:
        return f"in {days // 7} weeks"
    return f"in {days // 30} months"
