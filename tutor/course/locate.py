"""Where the built-in course lives.

Installed from a wheel it is `tutor/_course` (hatch force-includes lessons/
there); from a checkout or an editable install it is `lessons/` beside the
packages. Looking in that order means a checkout never shadows an install.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def builtin_course_path() -> Path:
    """The folder of the course that ships with nntutor."""
    installed = _PACKAGE / "_course"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "lessons"


class NotACourse(ValueError):
    """A path given as a course that is not one; the message says exactly why."""


def course_folder(given: str | Path) -> Path:
    """The course folder meant by a path a learner or author typed.

    A lesson file (`01-relu.md`, or the course's README.md) stands for the
    folder holding it, so the file an author is editing can be passed wherever
    a course is expected.
    Anything else must be a folder with at least one lesson file in it:
    otherwise NotACourse says what the path is and what is missing.
    """
    from tutor.course.loader import lesson_files

    path = Path(given)
    if path.is_file():
        if path.suffix != ".md":
            raise NotACourse(f"{given} is a file, not a course folder or a lesson file (*.md)")
        path = path.parent
    elif not path.is_dir():
        raise NotACourse(f"not a folder: {given} does not exist")
    if not lesson_files(path):
        where = f"{given} is not in a course: its folder {path.resolve()}" if path != Path(given) \
            else f"{given} is a folder but"
        raise NotACourse(f"{where} holds no lesson files (*.md other than README.md), so it is not a course")
    return path
