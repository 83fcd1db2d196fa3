"""What a teacher sees of a class: who is where, and where the class sticks.

Reads every learner's progress store under a class's data directory
(DATA/learners/<id>/progress.sqlite3, the layout `nntutor serve` writes),
read-only, so it can run while the class works: nothing is locked, migrated or
written. Two views of the same `ClassReport`:

* learners x exercises: where each learner is now, and in each cell the
  exercise's status for that learner, the attempts, the hints shown and the
  time spent (the sum of the attempts' durations: from the exercise being
  shown, or the last try, to each answer);
* per exercise: how many of those who tried it passed it, and the mistakes
  the checker named, counted, most frequent first, with how many learners made
  each: what an author needs to write the next hint.

Headless (never imports textual): `nntutor class report` prints it, and the live
view (`tutor.ui.class_view`) shows the same report and rebuilds it on a timer.
"""

from __future__ import annotations

import collections
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from tutor.course.model import Course

#: One mark per status (ExerciseProgress.status), in the table and its legend.
MARKS = {"passed": "✓", "predicted": "◆", "missed": "◇", "tried": "✗", "new": "·"}
LEGEND = ("✓ passed  ✗ tried, not passed yet  ◆ predicted  ◇ prediction missed  · not tried; "
          "then attempts, hints (h), time spent (m:ss); * the solution was shown")


@dataclass(frozen=True)
class Cell:
    """One learner on one exercise."""

    status: str  # passed, predicted, missed, tried or new
    attempts: int
    hints: int
    time_s: float  # the attempts' durations added up (0 when none was measured)
    solution_seen: bool = False

    @property
    def touched(self) -> bool:
        return self.status != "new" or self.hints > 0 or self.solution_seen

    def text(self) -> str:
        """The cell as the table prints it, e.g. "✓ 3 h1 2:05*"."""
        if not self.touched:
            return MARKS["new"]
        parts = [f"{MARKS.get(self.status, '?')} {self.attempts}"]
        if self.hints:
            parts.append(f"h{self.hints}")
        if self.time_s:
            parts.append(clock(self.time_s))
        return " ".join(parts) + ("*" if self.solution_seen else "")


@dataclass(frozen=True)
class Mistake:
    name: str  # as the checker named it
    times: int  # attempts that made it
    learners: int  # learners who made it at least once


@dataclass(frozen=True)
class ExerciseSummary:
    qualified_id: str
    tried: int  # learners with at least one attempt
    passed: int  # of those, learners who passed (or made their prediction)
    attempts: int
    mistakes: tuple[Mistake, ...]  # most frequent first

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.tried if self.tried else None


@dataclass(frozen=True)
class ClassReport:
    data: Path
    learners: tuple[str, ...]
    exercises: tuple[str, ...]  # the columns: every exercise anyone touched, in course order
    cells: dict[tuple[str, str], Cell]
    summaries: tuple[ExerciseSummary, ...]
    problems: tuple[str, ...] = ()  # stores that could not be read, and why
    # where each learner is now (lesson/exercise, or the lesson), "" before they start:
    # a learner stuck on code that never finishes has no counted attempt, but is there
    positions: dict[str, str] = field(default_factory=dict)

    def position(self, learner: str) -> str:
        return self.positions.get(learner, "")

    def cell(self, learner: str, qualified_id: str) -> Cell:
        return self.cells.get((learner, qualified_id), Cell("new", 0, 0, 0.0))

    def summary(self, qualified_id: str) -> ExerciseSummary:
        return next(summary for summary in self.summaries if summary.qualified_id == qualified_id)


def learner_stores(data: Path) -> list[tuple[str, Path]]:
    """(learner id, progress file) of every learner folder under `data`."""
    from tutor.serve.layout import learners

    return [(paths.learner, paths.progress) for paths in learners(data)]


def build_report(data: Path | str, course: "Course | None" = None) -> ClassReport:
    """Read every learner's store under `data` (read-only) into a ClassReport;
    `course` orders the exercises (default: the built-in course)."""
    from tutor.course.loader import load_course
    from tutor.progress.store import ProgressStore

    data = Path(data)
    course = course if course is not None else load_course()
    order = [exercise.qualified_id for lesson in course.lessons for exercise in lesson.exercises]
    cells: dict[tuple[str, str], Cell] = {}
    attempts_by_exercise: dict[str, list[tuple[str, str | None, bool]]] = collections.defaultdict(list)
    learners: list[str] = []
    problems: list[str] = []
    positions: dict[str, str] = {}
    for learner, path in learner_stores(data):
        learners.append(learner)
        if not path.exists():
            continue  # a learner who has not started yet
        try:
            store = ProgressStore.open(path, read_only=True)
        except Exception as error:  # noqa: BLE001 - one unreadable store must not hide the class
            problems.append(f"{learner}: {path} could not be read ({type(error).__name__}: {error})")
            continue
        try:
            problems += [f"{learner}: {notice}" for notice in store.notices]
            where = store.position
            if where is not None:
                positions[learner] = f"{where.lesson}/{where.exercise}" if where.exercise else where.lesson
            records = store.attempts()
            spent: dict[str, float] = collections.defaultdict(float)
            for record in records:
                spent[record.qualified_id] += record.duration_s or 0.0
                attempts_by_exercise[record.qualified_id].append((learner, record.mistake, record.passed))
            for qualified_id in dict.fromkeys([*order, *spent]):
                progress = store.exercise(qualified_id)
                cell = Cell(progress.status, progress.attempts, progress.hints, spent.get(qualified_id, 0.0),
                            progress.solution_seen)
                if cell.touched:
                    cells[(learner, qualified_id)] = cell
        finally:
            store.close()
    touched = {qualified_id for _, qualified_id in cells}
    exercises = [qid for qid in order if qid in touched] + sorted(touched - set(order))
    summaries = tuple(_summary(qid, [cells.get((who, qid)) for who in learners], attempts_by_exercise[qid])
                      for qid in exercises)
    return ClassReport(data, tuple(learners), tuple(exercises), cells, summaries, tuple(problems), positions)


def _summary(qualified_id: str, cells: Sequence[Cell | None], attempts: Iterable[tuple[str, str | None, bool]]) -> ExerciseSummary:
    tried = [cell for cell in cells if cell is not None and cell.attempts > 0]
    times: collections.Counter[str] = collections.Counter()
    who: dict[str, set[str]] = collections.defaultdict(set)
    count = 0
    for learner, mistake, _ in attempts:
        count += 1
        if mistake:
            times[mistake] += 1
            who[mistake].add(learner)
    mistakes = tuple(Mistake(name, n, len(who[name]))
                     for name, n in sorted(times.items(), key=lambda item: (-item[1], -len(who[item[0]]), item[0])))
    passed = sum(1 for cell in tried if cell.status in ("passed", "predicted"))
    return ExerciseSummary(qualified_id, len(tried), passed, count, mistakes)


# -- as text and CSV --------------------------------------------------------------------------


def clock(seconds: float) -> str:
    """2:05 for 125 s; 1:02:05 past an hour."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def rate_text(summary: ExerciseSummary) -> str:
    if summary.pass_rate is None:
        return "nobody tried it yet"
    return (f"{summary.passed} of {summary.tried} passed ({summary.pass_rate:.0%}), "
            f"{summary.attempts} attempt{'s' * (summary.attempts != 1)}")


def render_table(report: ClassReport) -> str:
    """Learners down, exercises across, each cell `Cell.text`."""
    header = ["learner", "now at", *report.exercises]
    rows = [[learner, report.position(learner) or "-", *(report.cell(learner, qid).text() for qid in report.exercises)]
            for learner in report.learners]
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip() for row in [header, *rows]]
    return "\n".join([lines[0], "  ".join("-" * width for width in widths), *lines[1:]])


def render_summaries(report: ClassReport, mistakes_shown: int = 5) -> str:
    lines = []
    for summary in report.summaries:
        lines.append(f"{summary.qualified_id}: {rate_text(summary)}")
        for mistake in summary.mistakes[:mistakes_shown]:
            learners = f"{mistake.learners} learner{'s' * (mistake.learners != 1)}"
            lines.append(f"  {mistake.times:>3} x ({learners}): {mistake.name}")
        if len(summary.mistakes) > mistakes_shown:
            lines.append(f"  ... and {len(summary.mistakes) - mistakes_shown} more named mistakes")
    return "\n".join(lines)


def headcount(report: ClassReport) -> str:
    """"4 learners, 3 exercises tried"."""
    learners, exercises = len(report.learners), len(report.exercises)
    return f"{learners} learner{'s' * (learners != 1)}, {exercises} exercise{'s' * (exercises != 1)} tried"


def render_report(report: ClassReport) -> str:
    count = len(report.learners)
    if not count:
        return f"{report.data}: no learners yet (nothing under {report.data / 'learners'})"
    parts = [f"{report.data}: {headcount(report)}"]
    if report.exercises:
        parts += ["", render_table(report), "", LEGEND, "", "Per exercise (pass rate, and the mistakes the checker named):",
                  render_summaries(report)]
    else:
        parts.append("nobody has tried an exercise yet")
    if report.problems:
        parts += ["", "Could not read everything:", *(f"  {problem}" for problem in report.problems)]
    return "\n".join(parts)


CSV_COLUMNS = ("learner", "exercise", "status", "attempts", "hints", "solution_seen", "time_s", "learner_now_at")


def report_csv(report: ClassReport) -> str:
    """One row per learner and exercise (every exercise in the report, tried or not)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for learner in report.learners:
        for qid in report.exercises:
            cell = report.cell(learner, qid)
            writer.writerow([learner, qid, cell.status, cell.attempts, cell.hints, int(cell.solution_seen),
                             f"{cell.time_s:.1f}", report.position(learner)])
    return out.getvalue()
