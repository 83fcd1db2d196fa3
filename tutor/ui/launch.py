"""Start the tutor from the command line (`nntutor [PATH] [--progress FILE] [--watch PATH]
[--workspace DIR] [--open LESSON/EXERCISE]`)."""

from __future__ import annotations


def run_tutor(course: str | None = None, progress: str | None = None, watch: str | None = None,
              workspace: str | None = None, open_exercise: str | None = None) -> int:
    from tutor.ui.app import TutorApp
    from tutor.ui.terminal import drawing_on_the_terminal

    app = TutorApp(course_path=course, progress_path=progress, watch=watch, workspace=workspace,
                   open_exercise=open_exercise)
    with drawing_on_the_terminal():
        result = app.run()
    if app.return_code and app.crash_log is not None:
        import sys

        print(f"nntutor stopped after an unexpected error. Your progress is saved; "
              f"the details are in {app.crash_log}", file=sys.stderr)
    return int(result or app.return_code or 0)
