"""`nntutor engine [NAME] [--course FOLDER]`: the catalogue of names a lesson can use.

Without NAME, every computation a lesson's ``engine = "..."`` may name (the
course's reference.py functions first with ``--course``), each with its
signature, what each argument accepts and a one-line description; with NAME,
that one entry, or the closest names when there is none.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from tutor.course.catalogue import Entry, catalogue, format_entry, lesson_names, suggestions


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nntutor engine",
        description="List every computation a lesson can name in `engine = \"...\"`: the engine's functions "
                    "and, with --course, the course's own reference.py functions, each with its signature, "
                    "the values each argument accepts and a one-line description.",
        epilog="Exit status: 0 found, 1 no such name, 2 usage error.",
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="show only this name (e.g. train, datasets.two_moons)")
    parser.add_argument("--course", metavar="FOLDER",
                        help="also list this course's reference.py functions (a course folder or a lesson file in one)")
    try:
        options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit:
        return int(exit.code or 0)
    course: Path | None = None
    if options.course is not None:
        from tutor.course.locate import NotACourse, course_folder

        try:
            course = course_folder(options.course)
        except NotACourse as error:
            print(f"nntutor engine: {error}", file=sys.stderr)
            return 2
    entries = catalogue(course)
    if options.name is not None:
        return _show_one(options.name, entries, course)
    try:
        print(_listing(entries, course))
        sys.stdout.flush()
    except BrokenPipeError:  # `nntutor engine | head`: the reader has all it wants
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _show_one(name: str, entries: list[Entry], course: Path | None) -> int:
    wanted = "sources." + name.removeprefix("worked.") if name.startswith("worked.") else name
    for entry in entries:
        if entry.name == wanted:
            print(format_entry(entry, full=True))
            return 0
    close = suggestions(name, lesson_names(course))
    meant = f" Did you mean {' or '.join(close)}?" if close else ""
    where = "" if course is None else f" or in {course}/reference.py"
    print(f"nntutor engine: no computation named {name!r} in the engine{where}.{meant} "
          "`nntutor engine` lists every name.", file=sys.stderr)
    return 1


def _listing(entries: list[Entry], course: Path | None) -> str:
    sections: list[str] = []
    ours = [entry for entry in entries if entry.from_course]
    if course is not None:
        header = f"The course's own functions ({course / 'reference.py'}), run in the sandbox:"
        body = "\n\n".join(format_entry(entry, full=True) for entry in ours) if ours else "    (none: the course has no reference.py)"
        sections.append(f"{header}\n\n{body}")
    engine = [entry for entry in entries if not entry.from_course]
    sections.append("The engine's functions (lessons also write worked.NAME for sources.NAME):\n\n"
                    + "\n\n".join(format_entry(entry, full=True) for entry in engine))
    return "\n\n".join(sections)
