"""Start the tutor from the command line (`nntutor [PATH] [--progress FILE] [--watch PATH]`)."""

from __future__ import annotations


def run_tutor(course: str | None = None, progress: str | None = None, watch: str | None = None) -> int:
    from tutor.ui.app import TutorApp

    app = TutorApp(course_path=course, progress_path=progress, watch=watch)
    result = app.run()
    return int(result or 0)
