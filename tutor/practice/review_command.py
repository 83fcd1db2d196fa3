"""`nntutor review [COURSE] [--progress FILE]`: what is due for spaced review, when and why.

The progress is opened read-only (no lock, nothing migrated or written), so
it can run beside a tutor that is open on the same file. The session itself
is in the tutor (the outline's review entry); this only lists.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence, TextIO

from tutor.practice.schedule import DueItem, due_items, interval_text, next_due
from tutor.progress.store import ProgressStore

#: A review session's size (the tutor's review entry brings back this many).
SESSION = 10


def _when(moment: datetime, now: datetime) -> str:
    """A local time a learner reads: "today 09:12", "yesterday 18:40", "3 Dec 10:04"."""
    local, today = moment.astimezone(), now.astimezone().date()
    days = (today - local.date()).days
    day = {0: "today", 1: "yesterday", -1: "tomorrow"}.get(days, f"{local.day} {local:%b}")
    return f"{day} {local:%H:%M}"


def render(due: Sequence[DueItem], coming: Sequence[DueItem], now: datetime, path: Path,
           shown: int | None = SESSION) -> str:
    """The listing as plain text: the first `shown` due (None: all), and what comes next."""
    if not due and not coming:
        return (f"Nothing to review yet ({path}): an exercise comes back for review once you have tried it.\n")
    lines: list[str] = []
    if due:
        count = len(due)
        session = f"; a session brings back {SESSION} at a time" if count > SESSION else ""
        lines.append(f"{count} exercise{'s' * (count != 1)} due for review{session}:")
        lines.append("")
        listed = due if shown is None else due[:shown]
        width = max(len(item.qualified_id) for item in listed)
        for item in listed:
            lines.append(f"  {item.qualified_id:<{width}}  due {_when(item.due, now):<15}  {item.reason}")
        if len(listed) < count:
            lines.append(f"  ... and {count - len(listed)} more (--all lists them)")
        lines.append("")
        lines.append("Review them in the tutor: `nntutor`, then the outline's Review entry.")
    else:
        lines.append("Nothing is due for review now.")
    if coming:
        lines.append("")
        lines.append("Coming up:")
        width = max(len(item.qualified_id) for item in coming[:5])
        for item in coming[:5]:
            lines.append(f"  {item.qualified_id:<{width}}  {interval_text(item.due - now):<16} "
                         f"({_when(item.due, now)})  {item.reason}")
        if len(coming) > 5:
            lines.append(f"  ... and {len(coming) - 5} more")
    return "\n".join(lines) + "\n"


def as_json(due: Sequence[DueItem], coming: Sequence[DueItem]) -> str:
    def item(entry: DueItem) -> dict[str, str]:
        return {"exercise": entry.qualified_id, "due": entry.due.isoformat(), "reason": entry.reason}

    return json.dumps({"due": [item(entry) for entry in due], "coming": [item(entry) for entry in coming]},
                      indent=2) + "\n"


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nntutor review",
        description="List the exercises due for spaced review: when each became due and why "
                    "(how its last attempt went). Reads the progress; changes nothing.",
        epilog="Exit status: 0 listed (due or not), 2 usage error.",
    )
    parser.add_argument("course", nargs="?", type=Path,
                        help="a course folder, or a lesson file in one (default: the built-in course)")
    parser.add_argument("--progress", metavar="FILE", help="progress file (default: in your data directory)")
    parser.add_argument("--all", action="store_true", help=f"list every due exercise, not only the next {SESSION}")
    parser.add_argument("--json", action="store_true", help="print the due and coming exercises as JSON")
    try:
        options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit:
        return int(exit.code or 0)
    from tutor.course.loader import load_course
    from tutor.course.locate import NotACourse, course_folder

    try:
        folder = None if options.course is None else course_folder(options.course)
    except NotACourse as error:
        print(f"nntutor review: {error}", file=sys.stderr)
        return 2
    course = load_course(folder)
    store = ProgressStore.open(options.progress, read_only=True)
    try:
        for notice in store.notices:
            print(f"nntutor review: {notice}", file=sys.stderr)
        now = datetime.now(timezone.utc)
        due = due_items(store, course, now=now, limit=None)
        coming = next_due(store, course, now=now)
    finally:
        store.close()
    out = out or sys.stdout
    try:
        out.write(as_json(due, coming) if options.json else render(due, coming, now, store.path,
                                                                   shown=None if options.all else SESSION))
        out.flush()
    except BrokenPipeError:  # `nntutor review | head` is fine
        sys.stdout = None  # type: ignore[assignment]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
