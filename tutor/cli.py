"""`nntutor` on the command line: one entry point, each subcommand in its own module.

Subcommands are imported only when used, so `nntutor --version` and
`nntutor lint` never pay for textual, and the UI never pays for lint.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from importlib import import_module
from pathlib import Path
from typing import Sequence, TextIO

from tutor import __version__
from tutor.course.locate import NotACourse, course_folder

# subcommand -> (module, one-line help). Each module has `main(argv) -> int`.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("tutor.lint", "validate lesson files (default: the built-in course)"),
    "check": ("tutor.checking.command", "check an answer from a file or stdin"),
    "show": ("tutor.course.show", "print an exercise as the learner sees it (--seed N: variant N)"),
    "new": ("tutor.course.skeleton", "write a skeleton lesson that lint accepts"),
    "outline": ("tutor.course.outline", "print the course outline"),
    "engine": ("tutor.course.catalogue_command", "list what a lesson can compute: engine and course functions"),
    "review": ("tutor.practice.review_command", "list the exercises due for spaced review, when and why"),
    "doctor": ("tutor.sandbox.doctor", "report which sandbox protections are active"),
    "serve": ("tutor.serve.command", "the tutor in the browser for a class (needs the 'web' extra)"),
    "class": ("tutor.classroom.command", "a teacher's view of a class: `class report --data DIR`, or live"),
}


def _tutor_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nntutor",
        description="A terminal tutor: learn how neural networks work by building one.",
        epilog="subcommands:\n"
        + "\n".join(f"  {name:<8} {text}" for name, (_, text) in SUBCOMMANDS.items())
        + "\n\nRun `nntutor SUBCOMMAND --help` for details.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"nntutor {__version__}")
    parser.add_argument("course", nargs="?",
                        help="a course folder, or a lesson file (*.md) in one: its folder is the course and "
                             "the tutor opens on that lesson (default: the built-in course)")
    parser.add_argument("--progress", metavar="FILE", help="progress file (default: in your data directory)")
    parser.add_argument("--watch", metavar="PATH",
                        help="author mode: reload lessons in PATH (a course folder or one lesson file) when saved")
    parser.add_argument("--workspace", metavar="DIR",
                        help="folder of your code drafts, one .py file per exercise; saving one in any "
                             "editor checks it in the tutor (default: in your data directory)")
    parser.add_argument("--open", metavar="LESSON/EXERCISE", dest="open_exercise",
                        help="start on this exercise (ids as `nntutor outline` prints them), e.g. sigmoid/implement")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        module = import_module(SUBCOMMANDS[args[0]][0])
        return int(module.main(args[1:]) or 0)
    options = _tutor_parser().parse_args(args)
    try:
        course = None if options.course is None else str(_course_word(options.course))
        if options.watch is not None:
            course_folder(options.watch)  # the app watches the file itself; only check it is one
    except NotACourse as error:
        print(f"nntutor: {error}", file=sys.stderr)
        return 2
    if not (_is_terminal(sys.stdin) and _is_terminal(sys.stdout)):
        print(NEEDS_TERMINAL, file=sys.stderr)
        return 2
    open_exercise = options.open_exercise
    if open_exercise is None and options.course is not None and Path(options.course).is_file():
        open_exercise = _lesson_id(Path(options.course))
    from tutor.ui.launch import run_tutor

    return run_tutor(course=course, progress=options.progress, watch=options.watch,
                     workspace=options.workspace, open_exercise=open_exercise)


NEEDS_TERMINAL = ("nntutor: the tutor needs a terminal (stdin and stdout are not both one); in a script, "
                  "a pipe or CI use `nntutor outline`, `nntutor check` or `nntutor lint`")


def _course_word(word: str) -> Path:
    """The course folder a word names. A bare word that is no course is most
    likely a mistyped subcommand, so its error lists them too."""
    try:
        return course_folder(word)
    except NotACourse as error:
        if os.sep in word or (os.altsep and os.altsep in word) or word.endswith(".md"):
            raise
        close = difflib.get_close_matches(word, SUBCOMMANDS, n=1)
        suggestion = f"Did you mean `nntutor {close[0]}`? " if close else ""
        raise NotACourse(
            f"{word!r} is neither a subcommand nor a course folder: {error}\n"
            f"{suggestion}Subcommands: {', '.join(SUBCOMMANDS)} (`nntutor --help` says what each does)"
        ) from None


def _lesson_id(path: Path) -> str | None:
    """The id of the lesson file given as the course, so the tutor opens on it;
    None for a README or a file that does not load (the outline shows why)."""
    from tutor.course.loader import read_header

    if path.name.lower() == "readme.md":
        return None
    try:
        return read_header(path).id or None
    except Exception:  # a broken lesson: the tutor lists it with its problems
        return None


def _is_terminal(stream: TextIO | None) -> bool:
    """Whether a standard stream is a terminal; a missing or closed one is not."""
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


if __name__ == "__main__":
    raise SystemExit(main())
