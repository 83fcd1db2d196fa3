"""`nntutor outline [PATH]`: the course as the tutor will list it, and what is broken.

Authors use it to see that a new lesson is picked up, in the right place, with
the exercise ids they meant; a file that does not validate is listed with its
problems instead of silently missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from tutor.course.loader import load_course
from tutor.course.locate import NotACourse, course_folder
from tutor.course.model import Course


def render_outline(course: Course) -> str:
    """The outline as plain text (what `nntutor outline` prints)."""
    count = len(course.lessons)
    lines = [f"{course.root}: {count} lesson{'s' * (count != 1)}"]
    id_width = max((len(lesson.id) for lesson in course.lessons), default=0)
    for lesson in course.lessons:
        lines.append(f"{lesson.order:>3}. {lesson.id:<{id_width}}  {lesson.title}")
        ex_width = max(len(exercise.qualified_id) for exercise in lesson.exercises)
        for exercise in lesson.exercises:
            lines.append(f"       {exercise.qualified_id:<{ex_width}}  {exercise.kind}")
    if course.broken:
        lines.append("")
        lines.append(f"broken lesson file{'s' * (len(course.broken) != 1)} (not shown in the tutor):")
        for broken in course.broken:
            lines.append(f"  {broken.path}")
            lines += [f"    {problem}" for problem in broken.problems]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nntutor outline",
        description="Print a course's lessons and exercises, and any lesson files that do not validate.",
        epilog="Exit status: 0 all lessons load, 1 some are broken, 2 usage error.",
    )
    parser.add_argument("path", nargs="?", type=Path,
                        help="a course folder, or a lesson file in one, which stands for its folder "
                             "(default: the built-in course)")
    try:
        options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit:
        return int(exit.code or 0)
    try:
        folder = None if options.path is None else course_folder(options.path)
    except NotACourse as error:
        print(f"nntutor outline: {error}", file=sys.stderr)
        return 2
    course = load_course(folder)
    try:
        print(render_outline(course))
        sys.stdout.flush()
    except BrokenPipeError:  # `nntutor outline | head` is fine
        sys.stdout = None  # type: ignore[assignment]
    return 1 if course.broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
