"""A lesson: its prose above the current exercise, the answer widget, hints,
feedback and plot.

The screen only coordinates: answers go to the checker in a thread worker,
verdicts to the feedback panel and the progress store, plot numbers come from
tutor.ui.plot_data in workers. Nothing here decides whether an answer is right.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Markdown, RadioSet, Static, TextArea
from textual.worker import Worker, WorkerState, get_current_worker

from tutor.checking.verdict import Verdict
from tutor.course.challenges import is_challenge
from tutor.course.model import Exercise, Lesson
from tutor.progress.store import MISSED, PREDICTED
from tutor.ui.carried_output import with_carried_output
from tutor.ui import styles
from tutor.ui.crash import GuardedHandlers
from tutor.ui.messages import VerdictReady
from tutor.ui.navigation import Spot, exercise_at, lesson_marks, step
from tutor.ui.prose_layout import arrange, widest_code_line
from tutor.ui.screens.confirm import ConfirmScreen
from tutor.ui.widgets.answers import AnswerWidget, ChoiceAnswer, PredictAnswer, answer_widget
from tutor.ui.widgets.code_editor import PythonEditor
from tutor.ui.widgets.footer import FittingFooter
from tutor.ui.widgets.feedback import FeedbackPanel, has_details
from tutor.ui.widgets.plain import plain

ATTEMPTS_BEFORE_SOLUTION = 3

# what a from-memory challenge says above its blank editor, once
FROM_MEMORY_NOTE = ("The lesson's text, its hints and your earlier code are out of sight. "
                    "The solution opens once this passes.")

# Rows of the lesson screen: the prose (and plot) pane keeps at least these...
PROSE_MIN_ROWS, PLOT_MIN_ROWS = 6, 12  # a plot shorter than 12 rows is unreadable
# ...and the exercise pane takes at most this share of the screen.
WORK_SHARE = 0.65
# ...or, with the plot under the prose (it scrolls into view), a few rows more
# than the prose's minimum: the question and its field come first
STACKED_MIN_ROWS = 8
BAR_AND_FOOTER_ROWS = 2
# A code exercise: the editor never shows fewer rows of code than this (it grows
# with the code when there is room), the verdict under it gets the rest; when the
# verdict would get fewer than VERDICT_MIN_ROWS the prose folds away (F6 unfolds).
EDITOR_MIN_ROWS, EDITOR_BORDER_ROWS, VERDICT_MIN_ROWS = 10, 2, 5
PROSE_MAX_SHARE = 0.5  # of the rows, when the code and its verdict leave more
CODE_PLOT_ROWS = 8  # the least a plot beside the prose of a code exercise gets


def _short(value: Any) -> str:
    """A computed value as a learner reads it: 0.119203, not 0.11920292202211755."""
    return f"{value:.6g}" if isinstance(value, float) else str(value)


#: How long a check runs before the feedback says "Checking…".
CHECKING_AFTER_S = 0.15


class LessonScreen(GuardedHandlers, Screen):
    CSS_PATH = styles.SCREENS
    # at 80 columns not every key that works fits: these go first (all are in the help)
    FOOTER_DROP_ORDER = ("playground", "nudge(1)", "nudge(-1)", "engine_version", "to_answer", "to_code", "details",
                         "unfold_prose", "fold_prose", "solution", "run_plot", "hint", "submit")
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("f2,ctrl+t", "hint", "Hint"),
        Binding("f3,ctrl+o", "solution", "Solution"),  # shown once it opens...
        Binding("f3,ctrl+o", "solution_later", "Solution", show=False),  # ...before: says when
        Binding("f5,ctrl+g", "run_plot", "Train"),
        Binding("f8", "engine_version", "Engine"),  # after a pass: the engine's code for this lesson
        Binding("ctrl+n", "next", "Next"),
        # priority: the code editor itself would take Ctrl+E as "end of line"
        Binding("ctrl+e", "external_editor", "Edit in $EDITOR", show=False, priority=True),
        Binding("f9", "playground", "Playground"),  # on the lessons the playground illustrates
        Binding("ctrl+b", "previous", "Back", show=False),
        Binding("ctrl+r", "reset_exercise", "Reset", show=False),
        # priority: the editor's own F6/F7/Ctrl+D (select line, select all, delete) give way
        Binding("f4,ctrl+l", "to_code", "Code", priority=True),  # shown on code exercises...
        Binding("f4,ctrl+l", "to_code_here", "Code", show=False, priority=True),  # ...(in it: no need)
        Binding("f4,ctrl+l", "to_answer", "Answer", show=False, priority=True),  # ...the same key elsewhere
        Binding("f6,ctrl+f", "fold_prose", "Fold", priority=True),
        Binding("f6,ctrl+f", "unfold_prose", "Text", priority=True),
        Binding("f7,ctrl+d", "details", "Details", priority=True),
        *(Binding(str(number), f"choose({number})", show=False) for number in range(1, 10)),
        Binding("escape", "stop_training", "Stop"),  # shown (and taken) only while a run streams
        Binding("escape", "escape", "Outline"),
        Binding("pageup,ctrl+up", "scroll_prose(-1)", "Prose up", show=False),
        Binding("pagedown,ctrl+down", "scroll_prose(1)", "Prose down", show=False),
    ]

    def __init__(self, spot: Spot) -> None:
        super().__init__()
        self.spot = spot
        self.chart: Any = None  # a widgets.plots.Chart once a plot is shown
        self.last_verdict: tuple[Exercise, Any, Verdict] | None = None
        self._answer: AnswerWidget | None = None  # the answer widget on screen (the `answer` property)
        self._stop_asked = False  # "Training stopped." only when the learner stopped it
        self.prose_folded = False  # code exercises: the prose and plot folded away (F6)
        self._notice_timer: Timer | None = None  # a notice shown in the lesson bar (place_notice)
        self._checking_timer: Timer | None = None  # "Checking…", shown if the check takes a while
        self._code_cols = 0  # the prose's widest code line (see tutor.ui.prose_layout)
        self._code_lines = 0  # the editor's line count when the panes were last fitted
        self._unfolded_by_hand = False  # F6 brought the prose back: typing leaves it there
        # each lesson's concept states when it was first shown here, so its closing
        # screen can say which concepts it moved
        self._concepts_before: dict[str, dict[str, str]] = {}

    # -- layout ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that do nothing here, so the footer lists only what works."""
        exercise = self.exercise
        if action == "run_plot":
            return (exercise is not None and self.chart is not None and exercise.plot is not None
                    and exercise.plot.kind == "loss" and self.streams(exercise))
        if action == "stop_training":
            return self.training
        if action == "escape":
            return not self.training
        if action == "hint":
            return exercise is not None and bool(exercise.hints)
        challenge = is_challenge(exercise)
        if action == "playground":
            from tutor.ui.screens.playground import ILLUSTRATES

            return self.lesson.id in ILLUSTRATES
        if action in ("solution", "solution_later"):
            return (action == "solution") == (exercise is not None and self.solution_open(exercise))
        code = exercise is not None and exercise.kind == "code"
        if action == "to_code":  # shown whenever the cursor is not in the code already
            return code and not self.answer_has_focus
        if action == "to_code_here":
            return code and self.answer_has_focus
        if action == "to_answer":
            return exercise is not None and not code
        if action == "fold_prose":
            return code and not self.prose_folded and not challenge
        if action == "unfold_prose":  # a from-memory challenge has no text to bring back
            return code and self.prose_folded and not challenge
        if action == "details":
            return self.verdict_here is not None and has_details(self.verdict_here)
        if action == "choose":
            return exercise is not None and exercise.kind == "choice" and parameters[0] <= len(exercise.choices)
        if action == "engine_version":  # the engine's code is the answer to a challenge
            return self.engine_version_ready and not (challenge and not self.passed_here)
        if action == "external_editor":
            return code
        return True

    @property
    def passed_here(self) -> bool:
        exercise = self.exercise
        return exercise is not None and self.app.store.exercise(exercise.qualified_id).passed

    @property
    def engine_version_ready(self) -> bool:
        """The lesson links engine files and the learner has passed one of its exercises."""
        lesson = self.lesson
        return bool(lesson.engine_files) and any(
            self.app.store.exercise(exercise.qualified_id).passed for exercise in lesson.exercises)

    def compose(self) -> ComposeResult:
        yield Static(id="lesson-bar")
        with Horizontal(id="top"):
            with VerticalScroll(id="prose"):
                yield Markdown(id="prose-text")
            yield Vertical(id="plot-box")
        with VerticalScroll(id="work"):
            yield Static(id="prompt")
            # (the answer widget goes here) what the tutor says back: under a code
            # editor it scrolls by itself, so the code never scrolls out of view
            with VerticalScroll(id="response"):
                yield Static(id="hints")
                yield FeedbackPanel(id="feedback")
                yield Static(id="solution")
        yield VerticalScroll(Static(id="problems-text"), id="problems")
        yield FittingFooter(compact=True, show_command_palette=False)  # Ctrl+P is in the help

    @property
    def lesson(self) -> Lesson:
        return self.exercise_here(self.spot)[0]

    @property
    def exercise(self) -> Exercise | None:
        return self.exercise_here(self.spot)[1]

    # -- what a review session (tutor.ui.screens.review) shows differently ----------

    def exercise_here(self, spot: Spot) -> tuple[Lesson, Exercise | None]:
        """The lesson and exercise shown at `spot`: the course's own (a review: its variant)."""
        return exercise_at(self.app.course, spot)

    def keep_position(self, spot: Spot) -> None:
        self.app.remember_position(spot)

    def saved_draft(self, exercise: Exercise) -> Any:
        return self.app.drafts.get(exercise)

    def hints_shown(self, exercise: Exercise) -> int:
        return self.app.store.exercise(exercise.qualified_id).hints

    def reveal_hint(self, exercise: Exercise) -> None:
        self.app.store.reveal_hint(exercise.qualified_id, len(exercise.hints))
        self.app.save()

    def attempts_here(self, exercise: Exercise) -> int:
        return self.app.store.exercise(exercise.qualified_id).attempts

    def plot_before_answer(self, exercise: Exercise) -> bool:
        """Whether the plot shows before an answer: not a predict exercise's, whose
        plot would give the value away, until its prediction is made."""
        return exercise.kind != "predict" or self.app.store.exercise(exercise.qualified_id).prediction is not None

    def note_attempt(self, attempt: Any) -> None:
        """An attempt at the exercise on screen was judged (before its verdict is shown)."""

    @property
    def training(self) -> bool:
        return any(worker.group == "train" and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
                   and not worker.is_cancelled for worker in self.workers)

    @property
    def verdict_here(self) -> Verdict | None:
        """The verdict shown for the exercise on screen, if any."""
        if self.last_verdict is None or self.last_verdict[0] is not self.exercise:
            return None
        return self.last_verdict[2]

    @property
    def answer(self) -> AnswerWidget | None:
        """The exercise's answer widget (one at a time, mounted by _show). Kept, not
        looked up: the footer's key checks ask for it dozens of times per verdict,
        and a DOM query walks every widget on the screen."""
        answer = self._answer
        return answer if answer is not None and answer.is_attached else None

    async def on_mount(self) -> None:
        await self.show_spot(self.spot)

    async def show_spot(self, spot: Spot, keep_draft: bool = True) -> None:
        """Show one exercise, restoring what the learner last typed there.

        Everything changes in one batch: a frame with the new header over the
        old body (or the old field under a new prompt) would show a lie."""
        if keep_draft:
            self.save_draft()
        self.workers.cancel_group(self, "train")
        with self.app.batch_update():
            await self._show(spot)
        # keys pressed before the learner could see this field were meant for what
        # was on screen then (the outline's "c", the previous exercise): not for it
        self.app.fence_keys()

    async def _show(self, spot: Spot) -> None:
        self._cancel_checking()  # a check still running is for the exercise left
        self.spot = spot
        lesson, exercise = self.exercise_here(spot)
        self.keep_position(spot)
        if lesson.id not in self._concepts_before and any(item.concepts for item in lesson.exercises):
            from tutor.ui.screens.outline_practice import concept_states

            self._concepts_before[lesson.id] = dict(concept_states(self.app))
        challenge = is_challenge(exercise)
        self.set_class(exercise is not None and exercise.kind == "code", "-code")
        self.set_class(challenge, "-from-memory")
        # a new exercise: its prose is there to be read first; a challenge is
        # written from memory, with no prose at all
        self.prose_folded = challenge
        self._unfolded_by_hand = False
        self.fit_panes()
        self.refresh_bindings()
        self._update_bar()
        problems = self.app.problems_for(lesson.path)
        self.query_one("#problems").display = bool(problems)
        self.query_one("#top").display = self.query_one("#work").display = not problems
        if problems:
            self.app.watch_draft(None)
            headline = ("This lesson no longer loads." if lesson.path in self.app.unloadable
                        else "This lesson loads, but lint found problems.")
            self.query_one("#problems-text", Static).update(
                Text(f"{headline} Fix these and save; it reloads by itself:\n\n" + "\n".join(problems),
                     style="red"))
            return
        prose = exercise.prose if exercise is not None else ""
        variant = exercise is not None and getattr(exercise, "variant_seed", None) is not None
        # (a variant's prose is its own: the intro with the published numbers would contradict it)
        if (spot.exercise == 0 or not prose.strip()) and lesson.intro.strip() not in prose and not variant:
            prose = (lesson.intro + "\n\n" + prose).strip()
        prose = prose or f"# {lesson.title}"
        if challenge:
            prose = ""  # not folded away: not there
        if exercise is not None and exercise.shows_output_of:  # what an earlier exercise's code printed
            earlier = self.app.store.exercise(f"{lesson.id}/{exercise.shows_output_of}").output
            prose = with_carried_output(prose, lesson, exercise, earlier)
        self._code_cols = widest_code_line(prose)
        self.fit_panes()
        await self.query_one("#prose-text", Markdown).update(prose)
        self.prose_scroller.scroll_home(animate=False)
        self._answer = None
        for old in self.query(AnswerWidget):
            await old.remove()
        self.query_one("#feedback", FeedbackPanel).clear()
        self.query_one("#solution", Static).update("")
        self.query_one("#solution").display = False
        if exercise is None:
            self.app.watch_draft(None)
            self.query_one("#prompt", Static).update(Text("This lesson has no exercises."))
            return
        if challenge:
            self.query_one("#prompt", Static).update(Text.assemble(
                ("From memory  ", "bold reverse"), " ", plain(exercise.prompt), "\n", (FROM_MEMORY_NOTE, "dim")))
        else:
            self.query_one("#prompt", Static).update(
                Text.assemble((f"{exercise.id}  ", "bold"), plain(exercise.prompt)))
        widget = answer_widget(exercise, learner_seed=self.app.store.learner_seed)
        await self.query_one("#work").mount(widget, after="#prompt")
        self._answer = widget
        progress = self.app.store.exercise(exercise.qualified_id)
        if exercise.kind == "predict" and progress.attempts and progress.prediction is None:
            progress = self.app.store.settle_prediction(exercise.qualified_id)  # judged before predictions finished
        draft = self.saved_draft(exercise)
        if draft is not None:
            widget.restore(draft)
            if isinstance(widget, PredictAnswer) and progress.prediction is not None:
                widget.lock_prediction()
        self._show_hints()
        self._status_line()
        await self._prepare_plot(exercise, show_now=self.plot_before_answer(exercise))
        self.query_one("#work").scroll_home(animate=False)
        self.app.watch_draft(exercise)
        widget.focus_answer()
        self.call_after_refresh(self.fit_panes)  # again, with the prompt's wrapped height known

    def on_resize(self) -> None:
        self.fit_panes()

    def _arrange_across(self) -> str:
        """Prose and plot side by side, the prose as wide as its widest code
        line, or the plot under the prose (see tutor.ui.prose_layout)."""
        arrangement = arrange(self.size.width or self.app.size.width, self._code_cols,
                              self.has_class("-with-plot"))
        self.set_class(arrangement.mode == "stacked", "-stacked")
        self.set_class(arrangement.wrap_code, "-wrap-code")
        self.query_one("#prose").styles.width = arrangement.prose_cols if arrangement.mode == "beside" else None
        return arrangement.mode

    @property
    def prose_scroller(self) -> Widget:
        """What scrolls the prose: the prose pane, or (plot under the prose) the pane holding both."""
        return self.query_one("#top" if self.has_class("-stacked") else "#prose")

    def fit_panes(self) -> None:
        """Split the screen between prose, plot and exercise so nothing is cut.

        Across (`_arrange_across`): the prose is as wide as its widest formula,
        with the plot beside it while the plot keeps a readable width, else
        under the prose. Down: an overflowing screen scrolls as a whole, and the
        feedback ends up under the footer, out of reach of the exercise pane's
        own scrolling. So the exercise pane gets its share of the rows, but
        never more than the prose (or plot) pane leaves. A code exercise is
        laid out by `_fit_code`."""
        mode = self._arrange_across()
        if self.has_class("-code"):
            self._fit_code()
            return
        height = self.size.height
        top_rows = {"beside": PLOT_MIN_ROWS, "stacked": STACKED_MIN_ROWS}.get(mode, PROSE_MIN_ROWS)
        room = height - BAR_AND_FOOTER_ROWS - top_rows
        top = self.query_one("#top")
        top.styles.height = None
        top.styles.min_height = top_rows
        work = self.query_one("#work")
        work.styles.height = None
        work.styles.max_height = max(4, min(int(height * WORK_SHARE), room))
        self.query_one("#response").styles.max_height = None

    def _fit_code(self) -> None:
        """Code first: the editor keeps EDITOR_MIN_ROWS rows of code (all of it when
        there is room), the verdict goes under it and scrolls by itself, the prose
        gets what is left (at least its minimum, or it folds away)."""
        rows = self.size.height - BAR_AND_FOOTER_ROWS
        prompt = self.query_one("#prompt")
        fixed = 1 + max(1, prompt.outer_size.height)  # the pane's top border, the prompt
        editor_min = EDITOR_MIN_ROWS + EDITOR_BORDER_ROWS
        editors = self.query(PythonEditor)
        code_lines = editors.first().document.line_count if editors else 0
        editor_want = max(EDITOR_MIN_ROWS, code_lines + 1) + EDITOR_BORDER_ROWS
        response = self.query_one("#response")
        said = response.virtual_size.height
        top = self.query_one("#top")
        top_min = PLOT_MIN_ROWS if self.has_class("-with-plot") else PROSE_MIN_ROWS
        if self.prose_folded:
            top_rows = 0
        else:
            spare = rows - fixed - editor_want - said
            top_rows = max(min(top_min, rows - fixed - editor_min), min(spare, int(rows * PROSE_MAX_SHARE)))
            # a plot needs 8 rows to be read: the editor lends it a row or two of its 10
            top_rows = max(top_rows, CODE_PLOT_ROWS if self.has_class("-with-plot") else 3)
        top.styles.min_height = None
        top.styles.height = top_rows
        top.display = top_rows > 0
        work = self.query_one("#work")
        work.styles.max_height = None
        work.styles.height = max(4, rows - top_rows)
        response.styles.max_height = max(1, rows - top_rows - fixed - editor_min)

    def fold_for_verdict(self) -> None:
        """Fold the prose when the verdict under the code would get too few rows."""
        if self.prose_folded or not self.has_class("-code"):
            return
        rows = self.size.height - BAR_AND_FOOTER_ROWS
        fixed = 1 + max(1, self.query_one("#prompt").outer_size.height)
        top_min = PLOT_MIN_ROWS if self.has_class("-with-plot") else PROSE_MIN_ROWS
        if rows - min(top_min, self.query_one("#top").outer_size.height) - fixed \
                - (EDITOR_MIN_ROWS + EDITOR_BORDER_ROWS) < VERDICT_MIN_ROWS:
            self.action_fold_prose()

    # -- focus: one key back to the answer, Esc out of the editor ----------------------

    def action_to_code(self) -> None:
        """F4: the cursor back in the editor, the code in view, from wherever it was."""
        from tutor.ui.screens.details import DetailsScreen

        if isinstance(self.app.screen, DetailsScreen):
            self.app.pop_screen()
        if self.answer is not None:
            self.answer.focus_answer()

    @property
    def answer_has_focus(self) -> bool:
        answer, focused = self.answer, self.focused
        return answer is not None and focused is not None and answer in focused.ancestors_with_self

    def action_to_code_here(self) -> None:
        self.action_to_code()  # already there: the cursor's line back in view

    def action_to_answer(self) -> None:
        self.action_to_code()
        if self.answer is not None:
            self.query_one("#work").scroll_to_widget(self.answer, animate=False)

    def action_fold_prose(self) -> None:
        self.prose_folded = True
        self.fit_panes()
        self.refresh_bindings()

    def action_unfold_prose(self) -> None:
        self.prose_folded = False
        self._unfolded_by_hand = True  # typing will not fold it again on this exercise
        self.fit_panes()
        self.refresh_bindings()

    @on(PythonEditor.Typing)
    def _writing(self) -> None:
        """Writing code folds the prose away when it leaves the editor fewer than
        EDITOR_MIN_ROWS rows (a long prompt and a plot at 24 rows); F6 brings it back."""
        if self.prose_folded or self._unfolded_by_hand:
            return
        editors = self.query(PythonEditor)
        if editors and editors.first().size.height - EDITOR_BORDER_ROWS < EDITOR_MIN_ROWS:
            self.action_fold_prose()

    @on(PythonEditor.Escaped)
    def _left_editor(self) -> None:
        """Esc in the editor stops a training run and leaves the editor either way,
        so the next key never lands in the code: a second Esc is the outline."""
        if self.training:
            self.action_stop_training()
        for place in ("#prose", "#response"):
            widget = self.query_one(place)
            if widget.display and widget.parent.display and widget.focusable:
                widget.focus()
                break
        else:
            self.set_focus(None)
        self.refresh_bindings()

    def action_choose(self, number: int) -> None:
        """1-9 pick a multiple-choice option (and submit it), wherever the focus is."""
        if isinstance(self.answer, ChoiceAnswer):
            self.answer.choose(number)

    def action_details(self) -> None:
        from tutor.ui.screens.details import DetailsScreen

        verdict = self.verdict_here
        if verdict is not None:
            self.app.push_screen(DetailsScreen(self.exercise, verdict))

    def place_notice(self, message: str, severity: str, timeout: float) -> bool:
        """With the prose folded the answer fills the screen, so a toast would cover
        the code being written: the notice takes the lesson bar's place (on as many
        lines as it needs) for its timeout instead. False: a toast is fine here."""
        if not self.prose_folded:
            return False
        style = {"error": "bold red", "warning": "bold yellow"}.get(severity, "bold")
        bar = self.query_one("#lesson-bar", Static)
        bar.add_class("-notice")
        bar.update(Text(message, style=style))
        if self._notice_timer is not None:
            self._notice_timer.stop()
        self._notice_timer = self.set_timer(timeout, self._end_notice)
        return True

    def _end_notice(self) -> None:
        self._notice_timer = None
        self.query_one("#lesson-bar", Static).remove_class("-notice")
        self._update_bar()

    def _update_bar(self) -> None:
        if self._notice_timer is not None:
            return  # a notice has the bar; the bar comes back when it ends
        lesson, exercise = self.lesson, self.exercise
        count = len(lesson.exercises)
        bar = Text.assemble((f" {lesson.order}. {lesson.title} ", "bold"),
                            (f" exercise {self.spot.exercise + 1}/{count} " if count else "", ""),
                            (lesson_marks(self.app.store, lesson), "green"))
        if exercise is not None:
            bar.append("  from memory" if is_challenge(exercise) else f"  {exercise.kind}", style="dim")
        if self.app.store.read_only:
            bar.append("  read-only", style="bold yellow")
        update_if_changed(self.query_one("#lesson-bar", Static), bar)

    def _status_line(self) -> None:
        """Say what the learner can do next on this exercise (shown until a verdict replaces it)."""
        exercise = self.exercise
        if exercise is None:
            return
        progress = self.app.store.exercise(exercise.qualified_id)
        feedback = self.query_one("#feedback", FeedbackPanel)
        if progress.prediction == PREDICTED:
            feedback.show_text("◆ Predicted: your prediction was right. Ctrl+N goes on.", "pass")
        elif progress.prediction == MISSED:
            feedback.show_text(f"◇ Missed: you predicted {_short(progress.answer)}. A prediction counts once, "
                               "before the value is shown; the exercise is finished. Ctrl+N goes on.", "note")
        elif progress.passed:
            feedback.show_text("✓ Done. F3 shows the reference solution; Ctrl+N goes on.", "pass")
        elif progress.attempts:
            feedback.show_text(f"{progress.attempts} attempt(s) so far." + (" F2 for a hint." if exercise.hints else ""),
                               "note")

    def action_engine_version(self) -> None:
        from tutor.ui.screens.engine_code import EngineCodeScreen

        if self.engine_version_ready:
            self.app.push_screen(EngineCodeScreen(self.lesson.title, self.lesson.engine_files))

    def action_scroll_prose(self, direction: int) -> None:
        """Read on without leaving the answer field."""
        prose = self.prose_scroller
        prose.scroll_to(y=prose.scroll_y + direction * max(1, prose.size.height - 2), animate=False)

    # -- plots ---------------------------------------------------------------------

    async def _prepare_plot(self, exercise: Exercise, show_now: bool) -> None:
        box = self.query_one("#plot-box")
        await box.remove_children()
        self.chart = None
        box.display = exercise.plot is not None and show_now
        self.set_class(box.display, "-with-plot")
        self.fit_panes()
        if exercise.plot is None or not show_now:
            return  # a predict exercise's plot would give the answer away
        from tutor.ui.widgets.plots import Chart  # plotext is loaded only when a plot is shown

        from tutor.ui import plot_data

        key = Static(id="plot-key")  # the curves' names, under the plot rather than on it
        self.chart = Chart(key=key, id="chart")
        self.chart.set_target(plot_data.target_line(exercise))
        await box.mount_all([self.chart, key])
        if exercise.plot.kind == "loss" and self.streams(exercise):
            self.chart.draw_lines([], exercise.plot.spec.get("title", ""), "step")
            self.train(exercise, None)  # the curves grow as soon as the plot is there: no key to find
        else:
            self.compute_plot(exercise)
        self.refresh_bindings()

    def _bring_plot_into_view(self) -> None:
        """With the plot under the prose, a run the learner just made scrolls it into view."""
        if self.has_class("-stacked"):
            self.call_after_refresh(self.query_one("#top").scroll_to_widget, self.query_one("#plot-box"),
                                    animate=False, top=True)

    @staticmethod
    def streams(exercise: Exercise) -> bool:
        """Whether a loss plot has a training run worth watching live (it starts
        when the plot is shown; F5 runs it again)."""
        from tutor.ui import services

        return any(services.accepts_callback(curve["ref"]) for curve in exercise.plot.spec.get("curves", ()))

    @work(thread=True, exit_on_error=False, group="plot", exclusive=True)
    def compute_plot(self, exercise: Exercise, params: dict[str, Any] | None = None,
                     learner_losses: list[float] | None = None) -> None:
        """The whole picture at once (loss runs that cannot stream, too); a tune
        run's `params` or a code run's `learner_losses` go into it."""
        from tutor.ui import plot_data

        plot = exercise.plot
        picture = plot_data.picture(exercise, params, learner_losses)
        title = plot.spec.get("title", "")
        self.app.call_from_thread(self._draw, exercise, lambda chart: chart.draw(picture, title, plot.kind))

    def _draw(self, exercise: Exercise, draw, worker: Worker | None = None) -> None:
        if self.chart is not None and exercise is self.exercise and (worker is None or not worker.is_cancelled):
            draw(self.chart)

    def action_run_plot(self) -> None:
        exercise = self.exercise
        if exercise is None or exercise.plot is None or exercise.plot.kind != "loss" or not self.streams(exercise):
            self.notify("This exercise has no training run to watch.", timeout=3)
            return
        self.train(exercise, None)

    def train(self, exercise: Exercise, params: dict[str, Any] | None) -> None:
        """Start streaming the plot's loss curves (and the learner's run), replacing
        any run still going; the footer's Esc says "Stop" while it runs."""
        self._stop_asked = False
        self._train(exercise, params)
        self.refresh_bindings()

    @work(thread=True, exit_on_error=False, group="train", exclusive=True)
    def _train(self, exercise: Exercise, params: dict[str, Any] | None) -> list[Any]:
        """Stream each loss curve to the chart; Esc cancels between steps.

        A cancelled run's thread only stops at its next step, so every drawing
        is dropped on the UI thread once its run is cancelled: a run replaced by
        F5 must not add its last points to the new run's curves."""
        from tutor.ui import plot_data

        worker = get_current_worker()
        plot = exercise.plot
        runs = [(curve["ref"], curve.get("label", curve["ref"].function), None) for curve in plot.spec.get("curves", ())]
        if params is not None and exercise.tune is not None:
            runs.append((exercise.tune.run, "your run", params))

        def draw(action) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._draw, exercise, action, worker)

        draw(lambda chart: chart.draw_lines([], plot.spec.get("title", ""), "step"))

        def on_points(label: str, points: list[tuple[int, float]]) -> None:
            draw(lambda chart: chart.add_points(label, points))

        finished = []
        for ref, label, run_params in runs:
            draw(lambda chart, label=label: chart.start_stream(label))
            series = plot_data.run_losses(ref, label, params=run_params, on_points=on_points,
                                          cancelled=lambda: worker.is_cancelled)
            if worker.is_cancelled:
                break
            finished.append(series)
        return finished

    def action_stop_training(self) -> None:
        self._stop_asked = True
        self.workers.cancel_group(self, "train")
        self.refresh_bindings()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "train":
            self.refresh_bindings()  # Esc: "Stop" while a run streams, "Outline" after
        stopped = worker.state == WorkerState.CANCELLED or (
            worker.state == WorkerState.ERROR and type(worker.error).__name__ == "Cancelled")
        if worker.group == "train" and stopped:
            if self._stop_asked:  # not when a new exercise or a new run replaced it
                self._stop_asked = False
                self.notify("Training stopped. F5 runs it again.", timeout=3)
        elif worker.state == WorkerState.ERROR:
            error = worker.error
            if worker.group in ("plot", "train"):
                self.query_one("#feedback", FeedbackPanel).show_text(
                    f"The plot could not be drawn: {type(error).__name__}: {error}", "error")
            else:  # e.g. showing a verdict or an exercise failed: say so, keep the session
                self.app.report_error(error, where=f"worker {worker.name or worker.group}")

    # -- answering ----------------------------------------------------------------

    def action_submit(self) -> None:
        if self.answer is not None:
            self.answer.submit()

    @on(AnswerWidget.Invalid)
    def _invalid(self, message: AnswerWidget.Invalid) -> None:
        self.query_one("#feedback", FeedbackPanel).show_text(message.message, "error")

    @on(AnswerWidget.Submitted)
    def _submitted(self, message: AnswerWidget.Submitted) -> None:
        exercise = self.exercise
        if exercise is None:
            return
        feedback = self.query_one("#feedback", FeedbackPanel)
        # said only for a check that takes a while: a quick one is not kept waiting by
        # drawing "Checking…" it would replace at once (nor does the panel flash)
        self._cancel_checking()
        self._checking_timer = self.set_timer(
            CHECKING_AFTER_S, lambda: feedback.show_checking(
                "Locked in. Running the computation…" if exercise.kind == "predict" else "Checking…"))
        if exercise.kind == "tune" and exercise.plot is not None and exercise.plot.kind == "loss" \
                and exercise.plot.spec.get("learner"):
            self.train(exercise, dict(message.answer))
            self._bring_plot_into_view()
        elif self.chart is not None and plot_data_follows_tuning(exercise):
            self.compute_plot(exercise, dict(message.answer))  # e.g. the boundary of the network just sized
        self.check_answer(exercise, message.answer)

    @work(thread=True, exit_on_error=False, group="check")
    def check_answer(self, exercise: Exercise, answer: Any) -> None:
        """Judge and record in this worker's thread (tutor.progress.attempt), then
        hand the result to the UI thread as a message."""
        from tutor.progress.attempt import Attempt, attempt

        announced = False

        def announce(result: Attempt) -> None:
            nonlocal announced
            announced = True
            self.post_message(VerdictReady(result))

        try:
            attempt(exercise, answer, checker=self.app.checker, drafts=self.app.drafts, announce=announce)
        except Exception as error:  # never "Checking…" for ever: whatever broke is the verdict
            if announced:
                raise  # the verdict is on screen: the worker's error is reported as any other
            from tutor.checking.verdict import Verdict
            from tutor.progress.store import ExerciseProgress

            verdict = Verdict("error", f"This answer could not be checked: {type(error).__name__}: {error}")
            self.post_message(VerdictReady(Attempt(exercise, answer, verdict, ExerciseProgress())))

    def _cancel_checking(self) -> None:
        """No "Checking…" for the check under way (its verdict came, or the exercise changed)."""
        if self._checking_timer is not None:
            self._checking_timer.stop()
            self._checking_timer = None

    @on(VerdictReady)
    def show_verdict(self, message: VerdictReady) -> None:
        self._cancel_checking()
        exercise, answer, verdict = message.attempt.exercise, message.attempt.answer, message.attempt.verdict
        predicting = exercise.kind == "predict"
        if message.attempt.problem is not None:
            self.notify(message.attempt.problem, severity="error", timeout=10)
        if exercise is not self.exercise or not self.is_mounted:
            return  # the learner moved on; the result is recorded all the same
        self.note_attempt(message.attempt)
        self._update_bar()
        self.refresh_bindings()  # a pass makes F8 (the engine's version) available
        if predicting and verdict.status == "error" and isinstance(self.answer, PredictAnswer):
            self.answer.unlock_prediction()  # nothing was shown: the prediction is still to make
            self.answer.focus_answer()
        feedback = self.query_one("#feedback", FeedbackPanel)
        self.last_verdict = (exercise, answer, verdict)
        if exercise.kind == "code":  # under the code, one case: the rest is in the details view
            feedback.show_verdict(verdict, compact=True)
            self.query_one("#response").scroll_home(animate=False)
            self.fold_for_verdict()
            self.call_after_refresh(self.fit_panes)
        else:
            feedback.show_verdict(verdict, outcome=message.attempt.progress.prediction if predicting else None)
            self.call_after_refresh(self.query_one("#work").scroll_to_widget, feedback, animate=False, top=True)
        self.refresh_bindings()
        if exercise.kind == "predict" and "actual" in verdict.values and exercise.plot is not None:
            self.run_worker(self._prepare_plot(exercise, show_now=True), exclusive=False, exit_on_error=False)
        if exercise.kind == "code" and verdict.values.get("losses") is not None and self.chart is not None \
                and exercise.plot is not None and exercise.plot.kind == "loss":
            self.workers.cancel_group(self, "train")  # the whole picture replaces the streaming one
            self.compute_plot(exercise, learner_losses=list(verdict.values["losses"]))  # over the engine's curve
            self._bring_plot_into_view()
        elif isinstance(verdict.values.get("losses"), (list, tuple)) and self.chart is not None \
                and exercise.plot is not None and exercise.plot.kind == "loss":  # never over a boundary
            losses = [float(value) for value in verdict.values["losses"]]
            # (a run streaming now draws "your run" itself, in its place after the engine's curves)
            if not self.training and ("your run" not in self.chart.series or not self.chart.series["your run"].xs):
                self.chart.add_points("your run", list(enumerate(losses)))
        self._show_notes()

    def _show_notes(self) -> None:
        """What to do next, under the verdict: recomputed whenever hints or attempts change."""
        panel = self.query_one("#solution", Static)
        if self.last_verdict is None or self.last_verdict[0] is not self.exercise:
            return
        exercise, answer, verdict = self.last_verdict
        progress = self.app.store.exercise(exercise.qualified_id)
        hints, attempts = self.hints_shown(exercise), self.attempts_here(exercise)
        notes = []
        said = " ".join((verdict.message, *verdict.details))
        if exercise.kind == "predict" and "actual" in verdict.values \
                and "predicted" not in said and "computed" not in said:
            notes.append(f"You predicted {answer}; the computation gives {_short(verdict.values['actual'])}.")
        if exercise.kind == "predict" and progress.prediction == PREDICTED:
            notes.append("Finished as predicted (◆). Ctrl+N: next exercise")
        elif exercise.kind == "predict" and progress.prediction == MISSED:
            notes.append("Finished as missed (◇): a prediction counts once, before the value is shown.")
            if exercise.hints and hints < len(exercise.hints):
                notes.append("F2: a hint on why · Ctrl+N: next exercise")
            else:
                notes.append("Ctrl+N: next exercise")
        elif verdict.passed:
            notes.append("Ctrl+N: next exercise · F3: reference solution"
                         + (" · F8: the engine's version" if self.check_action("engine_version", ()) else ""))
        elif verdict.status == "fail":
            if exercise.hints and hints < len(exercise.hints):
                notes.append("F2: a hint")
            if attempts >= ATTEMPTS_BEFORE_SOLUTION and not is_challenge(exercise):
                notes.append("F3: see the reference solution")
        update_if_changed(panel, Text("\n".join(notes), style="dim"))
        panel.display = bool(notes)

    # -- hints, solution, reset --------------------------------------------------------

    def _show_hints(self) -> None:
        exercise = self.exercise
        hints = self.query_one("#hints", Static)
        if exercise is None:
            return
        shown = self.hints_shown(exercise)
        lines = [Text.assemble((f"Hint {number}/{len(exercise.hints)}: ", "bold"), plain(text))
                 for number, text in enumerate(exercise.hints[:shown], start=1)]
        hints.update(Text("\n").join(lines))
        hints.display = bool(lines)

    def action_hint(self) -> None:
        exercise = self.exercise
        if exercise is None:
            return
        if not exercise.hints:
            self.notify("This exercise has no hints.", timeout=3)
            return
        if self.hints_shown(exercise) >= len(exercise.hints):
            self.notify("That was the last hint. F3 shows the solution after 3 attempts.", timeout=4)
            return
        self.reveal_hint(exercise)
        self._show_hints()
        self._show_notes()
        self._reveal(self.query_one("#hints"))

    def solution_open(self, exercise: Exercise) -> bool:
        progress = self.app.store.exercise(exercise.qualified_id)
        if is_challenge(exercise):  # locked until the code passes: no attempts count, no peeking
            return progress.passed
        return progress.finished or progress.solution_seen or progress.attempts >= ATTEMPTS_BEFORE_SOLUTION

    def action_solution_later(self) -> None:
        self.action_solution()

    def action_solution(self) -> None:
        exercise = self.exercise
        if exercise is None:
            return
        progress = self.app.store.exercise(exercise.qualified_id)
        if is_challenge(exercise) and not progress.passed:
            self.notify("A from-memory challenge's solution opens once your code passes.", timeout=4)
        elif progress.finished or progress.solution_seen:
            self._show_solution(exercise)
        elif progress.attempts >= ATTEMPTS_BEFORE_SOLUTION:
            def answered(yes: bool | None) -> None:
                if yes:
                    self.app.store.mark_solution_seen(exercise.qualified_id)
                    self.app.save()
                    self._show_solution(exercise)

            self.app.push_screen(ConfirmScreen(
                "See the reference solution? Trying once more with a hint (F2) often teaches more.",
                yes="Show it"), answered)
        else:
            left = ATTEMPTS_BEFORE_SOLUTION - progress.attempts
            self.notify(f"The solution opens after you pass, or after {left} more attempt(s).", timeout=4)

    def _show_solution(self, exercise: Exercise) -> None:
        solution = exercise.solution or (exercise.answer or "")
        if exercise.tune is not None and exercise.tune.solution:
            solution = "\n".join(f"{name} = {value}" for name, value in exercise.tune.solution.items())
        panel = self.query_one("#solution", Static)
        panel.update(Text.assemble(("Reference solution\n", "bold"), plain(solution.strip("\n"))))
        panel.display = True
        self._reveal(panel, top=True)

    def _reveal(self, widget: Static, top: bool = False) -> None:
        """Scroll the exercise pane to a panel once it has been laid out with its
        new text: scrolling at once goes by its old size and cuts off its end."""
        self.call_after_refresh(self.query_one("#work").scroll_to_widget, widget, animate=False, top=top)

    def action_reset_exercise(self) -> None:
        exercise = self.exercise
        if exercise is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.drafts.reset(exercise)
                self.run_worker(self.show_spot(self.spot, keep_draft=False), exit_on_error=False)
                self.notify("Exercise reset to its starter.", timeout=3)

        self.app.push_screen(ConfirmScreen(
            f"Reset {exercise.qualified_id}? Your answer, attempts and hints for it are cleared.",
            yes="Reset"), answered)

    # -- moving -------------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(RadioSet.Changed)
    def _typed(self, event: Input.Changed | TextArea.Changed | RadioSet.Changed) -> None:
        """Every edit is kept in memory at once (and on disk at the next save), so
        quitting, crashing into the outline or a reset of the terminal loses nothing.
        What was typed into is brought into view: no key types out of sight."""
        self.record_draft()
        if isinstance(event, TextArea.Changed) and self.has_class("-code"):
            lines = event.text_area.document.line_count
            if lines != self._code_lines:  # the editor grows with the code while there is room
                self._code_lines = lines
                self.fit_panes()
        elif event.control.is_mounted:
            event.control.scroll_visible(animate=False)

    def record_draft(self) -> bool:
        widget, exercise = self.answer, self.exercise
        if widget is None or exercise is None or not widget.is_mounted:
            return False
        try:
            answer = widget.answer()
        except ValueError:
            return False
        saved = self.app.drafts.get(exercise) if exercise.kind != "code" else None
        if exercise.kind != "code" and saved is None and answer == widget.blank():
            return False  # an untouched field is no draft (a code file holds its starter, though)
        shown = widget.exercise.code
        if exercise.kind == "code" and shown is not None and exercise.code is not None \
                and answer == shown.starter != exercise.code.starter:
            return False  # the author edited the starter under an untouched editor: the new one wins
        return self.app.drafts.put(exercise, answer)

    def save_draft(self) -> None:
        self.record_draft()  # the drafts write themselves, off the UI thread

    # -- your own editor ------------------------------------------------------------

    def action_external_editor(self) -> None:
        """Ctrl+E: the draft in $VISUAL or $EDITOR (git's convention); when the
        editor exits, the draft is back here and checked."""
        from tutor.ui.external import EditorUnavailable, edit_in_external_editor

        exercise, widget = self.exercise, self.answer
        if exercise is None or widget is None or exercise.kind != "code":
            self.notify("Ctrl+E opens a code exercise's draft in your editor.", timeout=3)
            return
        self.record_draft()
        path = self.app.watch_draft(exercise)
        self.app.saver.flush()
        try:
            text = edit_in_external_editor(self.app, path)
        except EditorUnavailable as error:
            self.notify(str(error), severity="warning", timeout=10)
            return
        self.app.fence_keys()  # keys typed into the editor are not for the tutor
        if text is None:
            self.notify(f"{path} could not be read back; the draft here is unchanged.", severity="error", timeout=8)
            return
        self.take_draft(exercise, text)

    def draft_file_changed(self, path, text: str) -> None:
        """Another editor saved the draft file of the exercise on screen: reload and check it."""
        exercise = self.exercise
        if exercise is None or exercise.kind != "code" or self.app.drafts.path(exercise) != path:
            return
        self.take_draft(exercise, text)

    def take_draft(self, exercise: Exercise, text: str) -> None:
        """Put `text` (from the draft file) in the editor and check it."""
        widget = self.answer
        if widget is None or exercise is not self.exercise:
            return
        self.app.drafts.loaded(exercise, text)
        if widget.answer() != text:
            widget.restore(text)
        widget.submit()

    async def action_next(self) -> None:
        """The next exercise; after a lesson's last one, its closing screen first."""
        target = step(self.app.course, self.spot, +1)
        if target is None or target.lesson != self.spot.lesson:
            from tutor.ui.screens.closing import ClosingScreen

            self.save_draft()
            self.app.push_screen(ClosingScreen(self.spot.lesson, self._last_run(),
                                               self._concepts_before.get(self.lesson.id)))
            return
        await self.show_spot(target)

    def action_playground(self) -> None:
        self.save_draft()
        self.app.action_playground()

    def _last_run(self) -> dict[str, Any] | None:
        """A passed run's numbers for the closing screen (the capstone's accuracy
        and curve): the verdict shown here, with the curves the plot drew."""
        verdict = self.verdict_here
        if verdict is None or not verdict.passed or "losses" not in verdict.values:
            return None
        run = dict(verdict.values)
        if self.chart is not None and self.chart.series:
            from tutor.ui.plot_data import Series

            run["curve"] = [Series(item.label, list(item.xs), list(item.ys)) for item in self.chart.series.values()]
        return run

    async def action_previous(self) -> None:
        target = step(self.app.course, self.spot, -1)
        if target is None:
            self.notify("This is the first exercise.", timeout=3)
            return
        await self.show_spot(target)

    def action_escape(self) -> None:
        self.save_draft()
        self.app.pop_screen()


def update_if_changed(widget: Static, text: Text) -> None:
    """Update a Static only when its text changes: each update lays the screen out
    again and redraws what it covers (the lesson bar, the notes, after every verdict)."""
    if widget.content != text:
        widget.update(text)


def plot_data_follows_tuning(exercise: Exercise) -> bool:
    from tutor.ui import plot_data  # numpy and the engine load with the first plot, not at start-up

    return plot_data.follows_tuning(exercise)
