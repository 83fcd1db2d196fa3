"""Start the tutor. Until the Textual UI lands this prints the course outline."""

from __future__ import annotations


def run_tutor(course: str | None = None, progress: str | None = None, watch: str | None = None) -> int:
    from tutor.course.outline import main as outline

    return outline([course] if course else [])
