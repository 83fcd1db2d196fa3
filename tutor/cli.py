"""`nntutor` on the command line: one entry point, each subcommand in its own module.

Subcommands are imported only when used, so `nntutor --version` and
`nntutor lint` never pay for textual, and the UI never pays for lint.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module
from typing import Sequence

from tutor import __version__

# subcommand -> (module, one-line help). Each module has `main(argv) -> int`.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("tutor.lint", "validate lesson files (default: the built-in course)"),
    "check": ("tutor.checking.command", "check an answer from a file or stdin"),
    "new": ("tutor.course.skeleton", "write a skeleton lesson that lint accepts"),
    "outline": ("tutor.course.outline", "print the course outline"),
    "doctor": ("tutor.sandbox.doctor", "report which sandbox protections are active"),
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
    parser.add_argument("course", nargs="?", help="a course folder (default: the built-in course)")
    parser.add_argument("--progress", metavar="FILE", help="progress file (default: in your data directory)")
    parser.add_argument("--watch", metavar="PATH", help="author mode: reload lessons in PATH when saved")
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
    from tutor.ui.launch import run_tutor

    return run_tutor(course=options.course, progress=options.progress, watch=options.watch,
                     workspace=options.workspace, open_exercise=options.open_exercise)


if __name__ == "__main__":
    raise SystemExit(main())
