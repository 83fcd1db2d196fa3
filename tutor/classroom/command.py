"""`nntutor class`: the teacher's view of a class served by `nntutor serve`.

    nntutor class report --data DIR [--csv FILE] [--course PATH]   print it once
    nntutor class --data DIR [--every SECONDS] [--course PATH]      live, in the terminal

Both read the learners' stores read-only, so they are safe while the class works.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nntutor class",
        description="A teacher's view of a class: each learner on each exercise, and per exercise its pass "
                    "rate and the mistakes the checker named, most frequent first.",
        epilog="Without `report`, a live view in the terminal that refreshes by itself.",
    )
    parser.add_argument("action", nargs="?", choices=("report",), help="print the report once and exit")
    parser.add_argument("--data", required=True, metavar="DIR", type=Path,
                        help="the class's data directory (the one given to `nntutor serve --data`)")
    parser.add_argument("--csv", metavar="FILE", type=Path,
                        help="with report: also write one row per learner and exercise to FILE ('-' for stdout only)")
    parser.add_argument("--course", metavar="PATH", help="the course the class takes (default: the built-in course)")
    parser.add_argument("--every", metavar="SECONDS", type=float, default=5.0,
                        help="live view: seconds between refreshes (default 5)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit:
        return int(exit.code or 0)
    if not options.data.is_dir():
        print(f"nntutor class: {options.data} is not a directory (give the folder `nntutor serve --data` uses)",
              file=sys.stderr)
        return 2
    try:
        course = _course(options.course)
    except ValueError as error:
        print(f"nntutor class: {error}", file=sys.stderr)
        return 2
    if options.action != "report":
        if options.csv is not None:
            print("nntutor class: --csv goes with `report`", file=sys.stderr)
            return 2
        from tutor.ui.class_view import run_class_view

        return run_class_view(options.data, course=course, every_s=options.every)
    from tutor.classroom.report import build_report, render_report, report_csv

    report = build_report(options.data, course)
    try:
        if options.csv is not None and str(options.csv) == "-":
            sys.stdout.write(report_csv(report))
            return 0
        print(render_report(report))
        sys.stdout.flush()
    except BrokenPipeError:  # `nntutor class report | head` is fine
        sys.stdout = None  # type: ignore[assignment]
        return 0
    if options.csv is not None:
        try:
            options.csv.write_text(report_csv(report), encoding="utf-8")
        except OSError as error:
            print(f"nntutor class: could not write {options.csv}: {error.strerror}", file=sys.stderr)
            return 1
        print(f"\nwrote {options.csv} ({len(report.learners) * len(report.exercises)} rows)")
    return 0


def _course(path: str | None):  # type: ignore[no-untyped-def]
    from tutor.course.loader import load_course

    if path is None:
        return load_course()
    from tutor.course.locate import NotACourse, course_folder

    try:
        return load_course(course_folder(path))
    except NotACourse as error:
        raise ValueError(str(error)) from None
