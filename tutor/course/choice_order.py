"""The order in which one learner sees the options of a choice exercise.

Authors tend to write the right answer first; shown in file order, a learner
soon learns to press 1. So the options are shuffled per learner: the order
comes from the learner's own seed (kept in the progress file) and the
exercise's id, so it is the same every time that learner opens the exercise
(resume shows what they saw before) and differs between learners. Options an
author pins (``pinned = ["All of the above"]``) stay where the file puts them.

The order is a function of option *identity*, never of position: each movable
option is ranked by a hash of (seed, exercise, option text), so an author who
reorders the file does not reshuffle anyone, and the checker judges the
option's text, never where it was shown. Headless: the UI only displays it.
"""

from __future__ import annotations

import hashlib

from tutor.course.model import Exercise


def _rank(learner_seed: int, qualified_id: str, option: str) -> bytes:
    return hashlib.sha256(f"{learner_seed}\x00{qualified_id}\x00{option}".encode("utf-8")).digest()


def choice_order(exercise: Exercise, learner_seed: int) -> tuple[int, ...]:
    """Indices into ``exercise.choices``, in the order this learner sees them.

    Pinned options keep their index; the others fill the remaining places in
    an order ranked by hash. If that order happens to be the file's own, the
    movable options are rotated by one, so no learner ever sees the file order
    (when at least two options can move).
    """
    choices = exercise.choices
    pinned = set(exercise.pinned)
    movable = [index for index, option in enumerate(choices) if option not in pinned]
    ranked = sorted(movable, key=lambda index: _rank(learner_seed, exercise.qualified_id, choices[index]))
    if len(ranked) >= 2 and ranked == movable:
        ranked = ranked[1:] + ranked[:1]
    places = iter(ranked)
    return tuple(index if choices[index] in pinned else next(places) for index in range(len(choices)))


def shown_choices(exercise: Exercise, learner_seed: int) -> tuple[str, ...]:
    """The option texts in the order this learner sees them."""
    return tuple(exercise.choices[index] for index in choice_order(exercise, learner_seed))
