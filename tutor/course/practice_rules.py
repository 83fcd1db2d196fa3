"""Lint rules for practice: the concepts exercises name.

A concept is only useful if the whole course spells it one way: the outline
groups exercises by it and review schedules by it, so "sigmoid derivatve" in
one exercise is a second, lonely concept rather than a typo. These rules need
no engine and no checker.
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
