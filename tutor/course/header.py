"""LessonHeader: what the outline needs of a lesson, in a module of its own.

The tutor lists the course in its first frame from these, so they must not
cost the import of the whole course model (a dozen dataclasses); the model
re-exports the class, so everything else keeps `tutor.course.model.LessonHeader`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LessonHeader:
    """A lesson's id, title, order, file and exercise ids, read without
    validating the whole file (tutor.course.listing), so a large course lists quickly."""

    id: str
    title: str
    order: int
    path: Path
    exercise_ids: tuple[str, ...] = ()
