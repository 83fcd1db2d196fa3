"""Lint rules for practice: the concepts exercises name, and from-memory challenges.

A concept is only useful if the whole course spells it one way: the outline
groups exercises by it and review schedules by it, so "sigmoid derivatve" in
one exercise is a second, lonely concept rather than a typo. A from-memory challenge
closes its lesson and is shown with no prose at all, so text written before it
would never be read. These rules need no engine and no checker.
"""

from __future__ import annotations

import difflib
from collections import Counter
from typing import Sequence

from tutor.course.model import Exercise, Lesson, Problem

# two concept names this alike are one name spelled twice ("chain rule" / "chain-rule")
_ALIKE = 0.85


def _key(name: str) -> str:
    return name.replace("-", " ").removesuffix("s")


def concept_problems(lessons: Sequence[Lesson]) -> list[Problem]:
    """Each concept spelled one way across the course: a name that is nearly another,
    more used, one gets a problem at the exercise that names it."""
    uses: Counter[str] = Counter(name for lesson in lessons for exercise in lesson.exercises
                                 for name in exercise.concepts)
    names = sorted(uses, key=lambda name: (-uses[name], name))
    twin: dict[str, str] = {}
    for index, name in enumerate(names):
        for other in names[:index]:
            if other in twin:
                continue
            if _key(name) == _key(other) or difflib.SequenceMatcher(None, name, other).ratio() >= _ALIKE:
                twin[name] = other
                break
    problems: list[Problem] = []
    for lesson in lessons:
        for exercise in lesson.exercises:
            for name in exercise.concepts:
                if name in twin:
                    other = twin[name]
                    problems.append(Problem(lesson.path, _concepts_line(exercise),
                        f"{exercise.id}: concept {name!r} looks like {other!r} ({_times(uses[other])} in the course); "
                        "spell each concept one way"))
    return problems


def _concepts_line(exercise: Exercise) -> int:
    return exercise.field_lines.get("concepts", exercise.line)


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def challenge_problems(lesson: Lesson) -> list[Problem]:
    """A from-memory challenge comes after the lesson's other exercises, and has
    no text of its own before it (the tutor shows it with the prose hidden)."""
    problems: list[Problem] = []
    challenge: Exercise | None = None
    for exercise in lesson.exercises:
        if exercise.challenge is not None:
            challenge = challenge or exercise
            if exercise.prose.strip():
                problems.append(Problem(lesson.path, exercise.line,
                    f"{exercise.id}: the text before a from-memory challenge is never shown (it is written without "
                    "the lesson in sight); move it after the block or into the exercise before"))
        elif challenge is not None:
            problems.append(Problem(lesson.path, exercise.line,
                f"{exercise.id}: comes after the from-memory challenge {challenge.id!r}; "
                "a challenge closes its lesson, so move it before"))
    return problems
