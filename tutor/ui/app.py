"""TutorApp: the course, the learner's progress, and the screens that join them.

The app owns the shared state (course, progress store, current position) and
the services (checker, sandbox, author-mode reload); screens ask it to open an
exercise, save, or tell what is wrong with a lesson file.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tutor.ui import services, styles
from tutor.ui.crash import GuardedHandlers, crash_log_path, summary, write_crash
from tutor.ui.textual_private import ReportsFatalErrors, event_clock
from tutor.ui.messages import CourseLoaded, DraftFileChanged, LessonReloaded, LintFound, OutlineReady, SaveFailed
from tutor.ui.navigation import Spot, find, resume_spot
from tutor.ui.screens import too_small
from tutor.ui.screens.outline import OutlineScreen

if TYPE_CHECKING:
    from tutor.course.model import Course, Exercise, Lesson, LessonHeader
    from tutor.progress.drafts import Drafts
    from tutor.progress.saver import BackgroundSaver
    from tutor.progress.store import ProgressStore
    from tutor.progress.workspace import FileWatcher

WATCH_INTERVAL_S = 0.5


class TutorApp(GuardedHandlers, ReportsFatalErrors, App[int]):
    CSS_PATH = styles.FIRST_FRAME  # absolute, so subclasses anywhere find it; the rest: tutor.ui.styles
    TITLE = "nntutor"
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(
        self,
        course_path: str | Path | None = None,
        progress_path: str | Path | None = None,
        *,
        watch: str | Path | None = None,
        workspace: str | Path | None = None,
        open_exercise: str | None = None,
        course: Course | None = None,
        checker: services.Checker | None = None,
        start_sandbox: bool = True,
    ) -> None:
        super().__init__()
        self.watch_path = Path(watch) if watch else None
        root = Path(course_path) if course_path else None
        if root is None and self.watch_path is not None:
            root = self.watch_path if self.watch_path.is_dir() else self.watch_path.parent
        self.course_root = root
        self._course = course
        self.headers: list[LessonHeader] | None = None  # the outline index, before the full load
        self._after_load: list[Callable[[Course], None]] = []  # asked for before the course loaded
        self.progress_path = progress_path
        self.store: ProgressStore | None = None  # opened after the first frame, with the course
        self.workspace_path = Path(workspace).expanduser() if workspace else None  # None: the default
        self.drafts: Drafts | None = None  # the learner's drafts (code ones are workspace files)
        self.saver: BackgroundSaver | None = None  # writes progress and drafts off the UI thread
        self.draft_watcher: FileWatcher | None = None  # the open code exercise's file, for other editors
        self.open_exercise = open_exercise  # --open LESSON/EXERCISE: where to start instead of resuming
        self.notices: list[str] = []
        self.checker: services.Checker = checker or services.check
        self.start_sandbox = start_sandbox
        self.current_spot: Spot | None = None
        self.broken_files: dict[Path, list[str]] = {}  # author mode: lint's findings per lesson file
        self.unloadable: set[Path] = set()  # ... of which these do not even load
        self._mtimes: dict[Path, float] = {}
        self._reloads: dict[Path, int] = {}  # the newest reload of each file; older results are dropped
        self._key_fence = 0.0
        self.errors: list[BaseException] = []  # unexpected errors reported (and survived) this session
        self.crash_log: Path | None = None  # where the last one was written

    @property
    def course(self) -> Course:
        """The course; loads it here if the background load has not finished yet."""
        if self._course is None:
            self._course = services.load_course(self.course_root)
        return self._course

    @property
    def course_ready(self) -> bool:
        return self._course is not None

    # -- start and stop ---------------------------------------------------------

    def on_mount(self) -> None:
        if not self.course_ready:  # the first frame lists the course, if the outline index knows it
            self.headers = services.indexed_outline(self.course_root)
        self.push_screen(OutlineScreen())
        self.call_after_refresh(self._after_first_frame)
        self.call_after_refresh(too_small.follow, self)

    def on_resize(self, event: events.Resize) -> None:
        too_small.follow(self, event.size)  # below the size that works, a notice says so instead

    def _after_first_frame(self) -> None:
        """Open the progress, load the course, warm the checker's worker and resume,
        once the learner sees the outline: none of it may delay the first frame,
        which lists the lessons from the outline index when it knows them."""
        self._open_progress()
        self.notices = list(self.store.notices)
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=12)
        if self.course_ready:
            self._course_loaded(self._course)
            self._load_the_rest()
        elif self.headers is not None:  # listed in the first frame: the progress marks now
            self.post_message(OutlineReady(self.headers))
        else:  # a thread started before the first frame would delay it
            self._load_outline()
        self.call_after_refresh(styles.read_the_rest, self)  # the lesson screens' rules, while the outline shows

    def _load_the_rest(self) -> None:
        """After the outline is drawn: validate every lesson and warm the checker's
        worker (threads that would otherwise hold the GIL while the outline fills)."""
        if not self.course_ready:
            self._load_course()
        if self.start_sandbox:
            self._start_sandbox()

    def _open_progress(self) -> None:
        from tutor.progress.drafts import Drafts
        from tutor.progress.paths import default_workspace_path
        from tutor.progress.saver import BackgroundSaver
        from tutor.progress.store import ProgressStore
        from tutor.progress.workspace import FileWatcher, Workspace

        self.store = ProgressStore.open(self.progress_path)
        if self.workspace_path is None:
            self.workspace_path = default_workspace_path()
        workspace = Workspace(self.workspace_path)
        self.saver = BackgroundSaver(self.store, workspace.write,
                                     on_problem=lambda problem: self.post_message(SaveFailed(problem)))
        self.drafts = Drafts(self.store, workspace, self.saver)
        self.draft_watcher = FileWatcher(lambda path, text: self.post_message(DraftFileChanged(path, text)),
                                         known=self.drafts.known, workspace=workspace)

    def watch_draft(self, exercise: Exercise | None) -> Path | None:
        """Watch the workspace file of the exercise on screen (a code exercise)
        so a save in another editor reloads it; returns the file's path."""
        from tutor.progress.drafts import in_workspace

        if exercise is None or not in_workspace(exercise):
            self.draft_watcher.watch(None)
            return None
        try:
            path = self.drafts.open_file(exercise)
        except OSError as error:
            self.notify(f"Your draft's file cannot be written ({error.strerror or error}); "
                        "it is kept in the tutor for now.", severity="warning", timeout=8)
            path = self.drafts.path(exercise)
        self.draft_watcher.watch(path)
        return path

    def on_draft_file_changed(self, message: DraftFileChanged) -> None:
        from tutor.ui.screens.lesson import LessonScreen

        for screen in self.screen_stack:
            if isinstance(screen, LessonScreen):
                screen.draft_file_changed(message.path, message.text)

    def on_save_failed(self, message: SaveFailed) -> None:
        if self.store is not None and not self.store.read_only:
            self.notify(message.problem, severity="error", timeout=8)

    @work(thread=True, exit_on_error=False, group="load")
    def _load_outline(self) -> None:
        """The headers first (the outline index: the outline fills at once); every
        lesson is validated after that frame (CourseLoaded: broken lessons and their problems)."""
        try:
            headers = services.load_outline(self.course_root)
        except Exception:  # the full load says what is wrong
            headers = None
        self.post_message(OutlineReady(headers))

    @work(thread=True, exit_on_error=False, group="load")
    def _load_course(self) -> None:
        try:
            course = services.load_course(self.course_root)
        except Exception as error:  # e.g. the folder vanished: say so, keep the window
            self.call_from_thread(self.notify, f"The course could not be loaded: {error}",
                                  severity="error", timeout=30)
            return
        self.post_message(CourseLoaded(course))

    def on_outline_ready(self, message: OutlineReady) -> None:
        """Headers read (the progress is open): fill the outline, then load the rest."""
        if not self.course_ready:
            self.headers = message.headers
        for screen in self.screen_stack:
            if isinstance(screen, OutlineScreen):
                screen.refresh_outline()
        self.call_after_refresh(self._load_the_rest)

    def on_course_loaded(self, message: CourseLoaded) -> None:
        self._course_loaded(message.course)

    def when_course_loaded(self, action: Callable[[Course], None]) -> None:
        """Run `action` with the course now if it is loaded, else as soon as it is
        (opening a lesson from the header-filled outline never blocks the UI)."""
        if self.course_ready:
            action(self._course)
        else:
            self._after_load.append(action)

    def _course_loaded(self, course: Course) -> None:
        self._course = course
        for screen in self.screen_stack:
            if isinstance(screen, OutlineScreen):
                screen.refresh_outline()
        if self.watch_path is not None:
            self._mtimes = self._scan()
            self.set_interval(WATCH_INTERVAL_S, self._poll_watch)
            self._lint_watched()
        self._migrate_drafts(course)
        pending, self._after_load = self._after_load, []
        if pending:  # the learner already chose where to go
            for action in pending:
                action(course)
            return
        spot = self._start_spot(course)
        if spot is not None and isinstance(self.screen, OutlineScreen):
            self.open_spot(spot)

    def _start_spot(self, course: Course) -> Spot | None:
        """Where the tutor opens: `--open LESSON/EXERCISE`, else where the learner left off."""
        if self.open_exercise is None:
            return resume_spot(course, self.store)
        lesson_id, _, exercise_id = self.open_exercise.partition("/")
        spot = find(course, lesson_id, exercise_id or None)
        known = spot is not None and (not exercise_id or any(
            exercise.id == exercise_id for exercise in course.lessons[spot.lesson].exercises))
        if not known:
            self.notify(f"--open {self.open_exercise}: no such lesson/exercise in this course "
                        "(`nntutor outline` lists them).", severity="error", timeout=12)
            return resume_spot(course, self.store)
        return spot

    @work(thread=True, exit_on_error=False, group="migrate")
    def _migrate_drafts(self, course: Course) -> None:
        """Code drafts kept in an older progress file move to their workspace files."""
        self.drafts.migrate_all(exercise for lesson in course.lessons for exercise in lesson.exercises)

    @work(thread=True, exit_on_error=False, group="sandbox")
    def _start_sandbox(self) -> None:
        services.start_sandbox()

    def on_unmount(self) -> None:
        if self.store is not None:
            self.draft_watcher.stop()
            self.save()  # drafts are already recorded: every edit is kept as typed
            self.saver.close()  # waits for the writes asked for so far
            self.store.close()
        if self.start_sandbox:
            services.stop_sandbox()

    # -- unexpected errors -----------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """A toast, unless the screen would have it cover what the learner is
        answering: then the screen shows the notice in a place of its own
        (`place_notice`, e.g. the lesson bar while the prose is folded away)."""
        place = getattr(self.screen, "place_notice", None)
        shown_for = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        text = f"{title}: {message}" if title else message
        if place is not None and place(text, severity, shown_for):
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)  # type: ignore[arg-type]

    def report_error(self, error: BaseException, where: str = "") -> None:
        """An error no handler expected: log it beside the progress, save, say so.
        The session goes on (see tutor.ui.crash)."""
        self.errors.append(error)
        logged = self._log_crash(error, where)
        try:
            if self.store is not None:
                self.save()
                self.saver.flush(timeout=2.0)
        except Exception:  # the save failing must not hide the first error
            pass
        where_logged = f" Details: {logged}" if logged else ""
        self.notify(f"Something went wrong ({summary(error)}). Your progress is saved.{where_logged}",
                    severity="error", timeout=20)

    def _log_crash(self, error: BaseException, where: str) -> Path | None:
        path = crash_log_path(self.store.path if self.store is not None else
                              (Path(self.progress_path) if self.progress_path else None))
        if not write_crash(path, error, where):
            return None
        self.crash_log = path
        return path

    def before_fatal_error(self, error: Exception) -> None:
        """What still ends the app (an error while drawing, while starting) is
        logged first, with the progress saved, so the exit can name the log."""
        self._log_crash(error, "fatal")
        try:
            if self.saver is not None:
                self.saver.save_progress()
                self.saver.flush(timeout=2.0)
        except Exception:
            pass

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers catch what they expect; anything else is reported."""
        worker = event.worker
        if worker.state == WorkerState.ERROR and type(worker.error).__name__ != "Cancelled":
            self.report_error(worker.error, where=f"worker {worker.name or worker.group}")

    def save(self) -> None:
        """Save the progress soon, off the UI thread (problems come back as SaveFailed)."""
        self.saver.save_progress()

    # -- keys ---------------------------------------------------------------------

    def fence_keys(self) -> None:
        """From now on, drop keys pressed before this moment that are still on their way.

        A key is meant for what was on screen when it was pressed. Without this, a
        key that opened a screen (or one pressed while it was opening) could also
        land in the answer field the new screen focuses."""
        self._key_fence = event_clock()  # the clock Textual stamps events with

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and event.time < self._key_fence:
            return
        await super().on_event(event)

    # -- moving around ------------------------------------------------------------

    def open_spot(self, spot: Spot) -> None:
        from tutor.ui.screens.lesson import LessonScreen  # markdown and editors load on first use

        if isinstance(self.screen, LessonScreen):
            self.screen.run_worker(self.screen.show_spot(spot), exit_on_error=False)
            return
        while not isinstance(self.screen, OutlineScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(LessonScreen(spot))

    def continue_course(self) -> None:
        spot = resume_spot(self.course, self.store) or (Spot(0, 0) if self.course.lessons else None)
        if spot is None:
            self.notify("There are no lessons to open.", timeout=3)
        else:
            self.open_spot(spot)

    def remember_position(self, spot: Spot) -> None:
        self.current_spot = spot
        lesson = self.course.lessons[spot.lesson]
        exercise = lesson.exercises[spot.exercise].id if lesson.exercises else None
        self.store.set_position(lesson.id, exercise)
        self.save()

    def go_to_lesson(self, lesson_id: str) -> None:
        spot = find(self.course, lesson_id)
        if spot is not None:
            self.open_spot(spot)

    # -- actions ---------------------------------------------------------------------

    def action_help(self) -> None:
        from tutor.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_playground(self) -> None:
        from tutor.ui.screens.playground import PlaygroundScreen

        if not isinstance(self.screen, PlaygroundScreen):
            self.push_screen(PlaygroundScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_reset_exercise(self) -> None:
        reset = getattr(self.screen, "action_reset_exercise", None)
        if reset is None:
            self.notify("Open an exercise first.", timeout=3)
        else:
            reset()

    def action_reset_all(self) -> None:
        from tutor.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            self.store.reset_all()
            self.save()
            while len(self.screen_stack) > 2:
                self.pop_screen()
            if isinstance(self.screen, OutlineScreen):
                self.screen.refresh_outline()
            self.notify("All progress was reset.", timeout=4)

        self.push_screen(ConfirmScreen("Reset ALL progress? Every answer, attempt and hint is forgotten.",
                                       yes="Reset everything"), answered)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for lesson in self.course.lessons:
            # the id in the title: the palette matches titles only, and "moons" should find lesson 10
            yield SystemCommand(f"Go to lesson: {lesson.order}. {lesson.title} ({lesson.id})", f"open {lesson.id}",
                                lambda lesson_id=lesson.id: self.go_to_lesson(lesson_id))
        yield SystemCommand("Reset exercise", "clear this exercise back to its starter", self.action_reset_exercise)
        yield SystemCommand("Reset all progress", "forget every answer (asks first)", self.action_reset_all)
        yield SystemCommand("Toggle theme", "switch between dark and light", self.action_toggle_theme)
        yield SystemCommand("Neuron playground", "weights, bias and a truth table, live", self.action_playground)
        yield SystemCommand("Help", "every key", self.action_help)
        yield from super().get_system_commands(screen)

    # -- author mode --------------------------------------------------------------

    def problems_for(self, path: Path) -> list[str]:
        return self.broken_files.get(path, [])

    def _watched_files(self) -> list[Path]:
        paths = {lesson.path for lesson in self.course.lessons} | {item.path for item in self.course.broken}
        if self.watch_path is not None and self.watch_path.is_file():
            paths = {self.watch_path}
        return sorted(paths)

    def _scan(self) -> dict[Path, float]:
        from tutor.course.reference_code import REFERENCE_FILE

        times = {}
        lessons = self._watched_files()
        # a course's reference.py: its lessons' expected values come from it
        references = {path.parent / REFERENCE_FILE for path in lessons}
        for path in [*lessons, *sorted(references)]:
            try:
                times[path] = os.stat(path).st_mtime_ns
            except OSError:
                continue
        return times

    def _poll_watch(self) -> None:
        from tutor.course.reference_code import REFERENCE_FILE

        times = self._scan()
        changed = [path for path, mtime in times.items() if self._mtimes.get(path) != mtime]
        self._mtimes = times
        lessons = self._watched_files()
        for path in changed:
            if path.name == REFERENCE_FILE and path not in lessons:
                # saving the course's reference code re-lints every lesson that may name it
                for lesson in lessons:
                    if lesson.parent == path.parent and lesson not in changed:
                        self._start_reload(lesson, announce=True)
                continue
            self._start_reload(path, announce=True)

    def _lint_watched(self) -> None:
        """Author mode starts by linting what it watches, so a lesson that loads but
        cannot work (an engine name misspelt) says so before the first save."""
        for path in self._watched_files():
            self._start_reload(path, announce=False)

    def _start_reload(self, path: Path, announce: bool) -> None:
        ticket = self._reloads.get(path, 0) + 1
        self._reloads[path] = ticket
        self._reload(path, ticket, announce)

    @work(thread=True, exit_on_error=False, group="reload")
    def _reload(self, path: Path, ticket: int, announce: bool) -> None:
        """Load the file and lint it off the UI thread, the way `nntutor lint` does:
        first the fast checks (the loader, engine references, plots), shown at
        once; then each exercise run through the checker in the sandbox (its
        solution, starter and wrong answers), each finding shown as it comes.
        A newer save of the file stops this run between exercises."""
        lesson, fast = None, []
        try:
            lesson = services.load_lesson(path)
        except Exception as error:
            fast = list(getattr(error, "problems", ()))
            problems = [services.problem_line(problem) for problem in fast] or [f"{path.name}: {error}"]
        try:
            fast = services.lint_fast(path)  # the loader's problems are among lint's
            problems = [services.problem_line(problem) for problem in fast]
        except Exception as error:  # lint itself failing must not hide the loader's findings
            if lesson is not None:
                problems = [f"{path.name}: lint failed: {type(error).__name__}: {error}"]
        self.post_message(LessonReloaded(path, ticket, lesson, problems, announce))
        if lesson is None:
            return
        try:
            for found in services.lint_by_checker(lesson, fast):
                if self._reloads.get(path) != ticket:
                    return  # saved again: that save's run takes over
                if found:
                    self.post_message(LintFound(path, ticket, [services.problem_line(p) for p in found]))
        except Exception as error:
            self.post_message(LintFound(path, ticket, [f"{path.name}: lint failed: {type(error).__name__}: {error}"]))

    def on_lesson_reloaded(self, message: LessonReloaded) -> None:
        self._reloaded(message.path, message.ticket, message.lesson, message.problems, message.announce)

    def _reloaded(self, path: Path, ticket: int, lesson: Lesson | None, problems: list[str],
                  announce: bool) -> None:
        if self._reloads.get(path) != ticket:
            return  # a newer save of the same file is being read
        if lesson is not None:
            self._follow_starters(lesson)
            self._replace_lesson(lesson)
            self.unloadable.discard(path)
        else:
            self.unloadable.add(path)
        if problems:
            self.broken_files[path] = problems
            verb = "no longer loads" if lesson is None else "has problems"
            self.notify(f"{path.name} {verb} ({len(problems)} problem(s)).", severity="error", timeout=5)
        else:
            had_problems = self.broken_files.pop(path, None) is not None
            if announce or had_problems:
                self.notify(f"Reloaded {path.name}.", timeout=3)
        self._refresh_current(path)

    def on_lint_found(self, message: LintFound) -> None:
        """What running the checker found in a watched lesson, added as it comes."""
        if self._reloads.get(message.path) != message.ticket:
            return
        known = self.broken_files.setdefault(message.path, [])
        new = [line for line in message.problems if line not in known]
        if not new:
            return
        known.extend(new)
        self.notify(f"{message.path.name}: running the checker found {len(new)} problem(s).",
                    severity="error", timeout=5)
        self._refresh_current(message.path)

    def _follow_starters(self, lesson: Lesson) -> None:
        """An edited starter reaches the editor of every exercise whose draft the
        learner has not changed (the author sitting on the exercise they write)."""
        old = next((item for item in self.course.lessons if item.path == lesson.path), None)
        if old is None or self.drafts is None:
            return
        before = {exercise.id: exercise for exercise in old.exercises}
        for exercise in lesson.exercises:
            if exercise.id in before:
                self.drafts.follow_starter(before[exercise.id], exercise)

    def _replace_lesson(self, lesson: Lesson) -> None:
        lessons = list(self.course.lessons)
        for index, old in enumerate(lessons):
            if old.path == lesson.path:
                lessons[index] = lesson
                break
        else:
            lessons.append(lesson)
            lessons.sort(key=lambda item: item.order)
        broken = tuple(item for item in self.course.broken if item.path != lesson.path)
        self._course = dataclasses.replace(self.course, lessons=tuple(lessons), broken=broken)

    def _refresh_current(self, path: Path) -> None:
        from tutor.ui.screens.lesson import LessonScreen

        screen = self.screen
        if isinstance(screen, LessonScreen) and screen.lesson.path == path:
            spot = screen.spot
            count = len(self.course.lessons[spot.lesson].exercises)
            screen.run_worker(screen.show_spot(Spot(spot.lesson, min(spot.exercise, max(count - 1, 0)))),
                              exit_on_error=False)
        elif isinstance(screen, OutlineScreen):
            screen.refresh_outline()
