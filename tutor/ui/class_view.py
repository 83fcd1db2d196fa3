"""`nntutor class`: the teacher's live view of a class, refreshed as learners work.

The same report as `nntutor class report` (tutor.classroom.report): a table of
learners by exercises, and under it each exercise's pass rate and named
mistakes. The report is rebuilt in a worker thread every few seconds (reading
the learners' stores read-only), so the view never waits on the disk; the
table keeps the teacher's cursor across refreshes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from tutor.classroom.report import LEGEND, ClassReport, build_report, headcount, rate_text

if TYPE_CHECKING:
    from tutor.course.model import Course


class ClassView(App):
    """Learners x exercises, and where the class sticks."""

    TITLE = "nntutor class"
    CSS = """
    #class-title { height: auto; padding: 0 1; text-style: bold; }
    #class-table { height: auto; max-height: 60%; }
    #class-legend { height: auto; padding: 0 1; color: $text-muted; }
    #class-summaries-scroll { height: 1fr; border-top: solid $primary; }
    #class-summaries { padding: 0 1; }
    """
    BINDINGS = [("r", "refresh_now", "Refresh now"), ("q", "quit", "Quit")]

    def __init__(self, data: Path | str, course: "Course | None" = None, every_s: float = 5.0) -> None:
        super().__init__()
        self.data = Path(data)
        self.course = course
        self.every_s = every_s
        self.report: ClassReport | None = None
        self.refreshed_at: float | None = None
        self._building = False

    def compose(self) -> ComposeResult:
        yield Static(f"{self.data}: reading the class…", id="class-title")
        table: DataTable = DataTable(id="class-table", zebra_stripes=True)
        yield table
        yield Static(LEGEND, id="class-legend")
        with VerticalScroll(id="class-summaries-scroll"):
            yield Static("", id="class-summaries")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_report()
        self.set_interval(self.every_s, self.refresh_report)

    def action_refresh_now(self) -> None:
        self.refresh_report()

    def refresh_report(self) -> None:
        """Rebuild the report in a thread, unless a rebuild is already under way."""
        if not self._building:
            self._building = True
            self._build()

    @work(thread=True, group="class-report", exit_on_error=False)
    def _build(self) -> None:
        try:
            self._read_class()
        finally:
            self._building = False

    def _read_class(self) -> None:
        if self.course is None:
            from tutor.course.loader import load_course

            self.course = load_course()
        try:
            report = build_report(self.data, self.course)
        except Exception as error:  # noqa: BLE001 - say so on screen and try again at the next refresh
            self.call_from_thread(self.show_failure, f"{type(error).__name__}: {error}")
        else:
            self.call_from_thread(self.show_report, report)

    def show_failure(self, problem: str) -> None:
        self.query_one("#class-title", Static).update(Text(f"{self.data}: could not read the class ({problem})", style="red"))

    def show_report(self, report: ClassReport) -> None:
        self.report = report
        self.refreshed_at = time.time()
        stamp = time.strftime("%H:%M:%S", time.localtime(self.refreshed_at))
        title = self.query_one("#class-title", Static)
        title.update(f"{report.data}: {headcount(report)} · refreshed {stamp}, every {self.every_s:g} s")
        table = self.query_one("#class-table", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column("learner", key="learner")
        table.add_column("now at", key="now-at")
        for qualified_id in report.exercises:
            table.add_column(qualified_id, key=qualified_id)
        for learner in report.learners:
            table.add_row(learner, report.position(learner) or "-",
                          *(report.cell(learner, qid).text() for qid in report.exercises), key=learner)
        if table.row_count and table.columns:
            table.cursor_coordinate = table.validate_cursor_coordinate(cursor)
        text = Text()
        for summary in report.summaries:
            text.append(summary.qualified_id, style="bold")
            text.append(f": {rate_text(summary)}\n")
            for m in summary.mistakes[:5]:
                text.append(f"  {m.times:>3} x ({m.learners} learner{'s' * (m.learners != 1)}): {m.name}\n")
        for problem in report.problems:
            text.append(problem + "\n", style="red")
        text.rstrip()
        self.query_one("#class-summaries", Static).update(text if text.plain else "Nobody has tried an exercise yet.")


def run_class_view(data: Path | str, course: "Course | None" = None, every_s: float = 5.0) -> int:
    ClassView(data, course=course, every_s=every_s).run()
    return 0
