"""The end of a lesson: what the learner built, how it went, the ideas it
taught and what to read next; after the capstone, the end of the course.

Shown by Ctrl+N on a lesson's last exercise instead of sliding into the next
lesson. Everything on it comes from the lesson file (its closing prose, its
headings, its further reading and engine files) and the progress store.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tutor.course.model import Lesson
from tutor.ui import styles
from tutor.ui.crash import GuardedHandlers
from tutor.ui.navigation import mark
from tutor.ui.widgets.footer import FittingFooter
from tutor.ui.widgets.plain import plain

HEADING = re.compile(r"^#{1,3}\s+(.+?)\s*$", re.MULTILINE)
BOLD = re.compile(r"\*\*([^*\n]{2,40})\*\*")


def concepts(lesson: Lesson) -> list[str]:
    """The ideas a lesson taught: the terms its prose puts in bold where it
    introduces them, then its section headings (the title aside)."""
    texts = (lesson.intro, *(exercise.prose for exercise in lesson.exercises), lesson.outro)
    found: list[str] = []
    for pattern in (BOLD, HEADING):
        for text in texts:
            for term in pattern.findall(text):
                term = " ".join(term.split())
                if term != lesson.title and term.lower() not in {seen.lower() for seen in found}:
                    found.append(term)
    return found


def lesson_concepts(lesson: Lesson) -> list[str]:
    """The concepts the lesson's exercises name, in the order they first come."""
    found: list[str] = []
    for exercise in lesson.exercises:
        found += [name for name in exercise.concepts if name not in found]
    return found


def moved_concepts(lesson: Lesson, before: Mapping[str, str] | None, now: Mapping[str, str]) -> list[Any]:
    """Each concept of the lesson with where it went: "new → learning", or where it stays."""
    from tutor.ui.screens.outline_practice import STATE_MARKS

    table = Table.grid(padding=(0, 2))
    table.add_column()
    table.add_column()
    moved = 0
    for name in lesson_concepts(lesson):
        then, state = (before or {}).get(name, "new"), now.get(name, "new")
        style = STATE_MARKS.get(state, ("", ""))[1]
        if before is not None and then != state:
            moved += 1
            table.add_row(Text(name), Text.assemble((then, STATE_MARKS.get(then, ("", ""))[1]), " → ", (state, style)))
        else:
            table.add_row(Text(name, style="dim"), Text(state, style=style))
    count = len(lesson_concepts(lesson))
    words = (f"{moved} of {count} concept(s) moved in this lesson." if before is not None
             else f"{count} concept(s) practised here.")
    return [table, Text(words + " The outline shows them all; review keeps them solid.", style="dim")]


def summary(app, lesson: Lesson, concepts_before: Mapping[str, str] | None = None) -> Group:
    """Everything the closing screen says, as one renderable (`concepts_before`:
    the concepts' states when the learner opened the lesson, if known)."""
    store = app.store
    open_ones = sum(not store.exercise(exercise.qualified_id).finished for exercise in lesson.exercises)
    if open_ones:  # "done" only when it is: the rest are one Ctrl+B away
        headline = Text.assemble((f"End of lesson {lesson.order}: {lesson.title}", "bold"),
                                 (f"  ({open_ones} exercise(s) still to do: Ctrl+B goes back)", "yellow"))
    else:
        headline = Text(f"Lesson {lesson.order} done: {lesson.title}", style="bold")
    parts: list[Any] = [headline]
    if lesson.outro.strip():
        parts += [Text(""), Text("What you built", style="bold underline"), plain(lesson.outro.strip())]
    table = Table.grid(padding=(0, 2))
    table.add_column()
    table.add_column()
    table.add_column(justify="right")
    table.add_column(justify="right")
    table.add_row(Text(""), Text("exercise", style="dim"), Text("attempts", style="dim"), Text("hints", style="dim"))
    passed = attempts = hints = 0
    for exercise in lesson.exercises:
        progress = store.exercise(exercise.qualified_id)
        passed += progress.passed
        attempts += progress.attempts
        hints += progress.hints
        table.add_row(Text(mark(store, exercise), style="green" if progress.passed else ""), exercise.id,
                      str(progress.attempts),
                      f"{progress.hints}/{len(exercise.hints)}" if exercise.hints else "none")  # from memory
    parts += [Text(""), Text("Your attempts and hints", style="bold underline"), table,
              Text(f"{passed} of {len(lesson.exercises)} passed · {attempts} attempt(s) · {hints} hint(s)",
                   style="dim")]
    from tutor.ui.screens.outline_practice import concept_states

    if lesson_concepts(lesson):  # named by its exercises, each with its state
        parts += [Text(""), Text("The concepts", style="bold underline"),
                  *moved_concepts(lesson, concepts_before, concept_states(app))]
    elif concepts(lesson):  # a course without concepts: the terms its prose puts in bold
        parts += [Text(""), Text("The concepts", style="bold underline"), Text(" · ".join(concepts(lesson)))]
    reading = [*(f"engine/{name}: the engine's version (F8 on a passed exercise)" for name in lesson.engine_files),
               *lesson.further_reading]
    if reading:
        parts += [Text(""), Text("What to read next", style="bold underline"),
                  Text("\n".join(f"• {item}" for item in reading))]
    return Group(*parts)


def course_end(last_run: dict[str, Any] | None) -> Group:
    """After the capstone: the end of the course and the learner's result
    first (their curve over the engine's goes right under it)."""
    return Group(Text("The end of the course", style="bold green"), *(capstone_result(last_run) if last_run else ()))


def course_end_words(app) -> Group:
    """What the whole course came to, in numbers and a sentence."""
    store, lessons = app.store, app.course.lessons
    total = sum(len(lesson.exercises) for lesson in lessons)
    done = sum(store.exercise(exercise.qualified_id).passed for lesson in lessons for exercise in lesson.exercises)
    return Group(Text(f"You passed {done} of {total} exercises across {len(lessons)} lessons. You built a "
                      "neuron, trained it, backpropagated through a network by hand and in NumPy, and "
                      "trained your own network on data it had never seen. The engine/ folder is the same "
                      "code, written out: read it next."), Text(""))


def capstone_result(values: dict[str, Any]) -> list[Any]:
    """The capstone's pass: the accuracy reached against its pass mark."""
    lines: list[Any] = []
    if values.get("reached") is not None:
        mark_text = f" (the pass mark is {100 * values['pass_mark']:.0f}%)" if values.get("pass_mark") else ""
        lines.append(Text(f"Accuracy on new points: {100 * values['reached']:.1f}%{mark_text}"))
    losses = values.get("losses")
    if losses:
        lines.append(Text(f"Your loss went from {losses[0]:.4f} to {losses[-1]:.4f} over {len(losses)} steps: "
                          "your curve over the engine's, below.", style="dim"))
    return lines


class ClosingScreen(GuardedHandlers, Screen):
    """A lesson's last page. Ctrl+N (or Enter) goes on to the next lesson."""

    CSS_PATH = styles.SCREENS
    BINDINGS = [
        Binding("ctrl+n,enter", "next_lesson", "Next lesson"),
        Binding("ctrl+b", "back", "Back to the exercises"),
        Binding("escape", "outline", "Outline"),
    ]

    def __init__(self, lesson_index: int, last_run: dict[str, Any] | None = None,
                 concepts_before: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.lesson_index = lesson_index
        self.last_run = last_run
        self.concepts_before = concepts_before

    @property
    def lesson(self) -> Lesson:
        return self.app.course.lessons[self.lesson_index]

    @property
    def final(self) -> bool:
        return self.lesson_index == len(self.app.course.lessons) - 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_lesson":
            return not self.final
        return True

    def compose(self) -> ComposeResult:
        yield Static(Text(f" {self.lesson.order}. {self.lesson.title}  the end of the lesson", style="bold"),
                     id="lesson-bar")
        with VerticalScroll(id="closing"):
            if self.final:
                yield Static(course_end(self.last_run), id="course-end")
                if self.last_run and self.last_run.get("curve") is not None:
                    from tutor.ui.widgets.plots import Chart

                    key = Static(id="plot-key")
                    self._curve = self.last_run["curve"]
                    yield Chart(key=key, id="closing-chart")
                    yield key
                yield Static(course_end_words(self.app), id="course-end-words")
            yield Static(summary(self.app, self.lesson, self.concepts_before), id="closing-text")
        yield FittingFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        charts = self.query("#closing-chart")
        if charts:
            charts.first().draw(self._curve, "your network's loss over the engine's", "loss")
        self.query_one("#closing").focus()

    def action_next_lesson(self) -> None:
        from tutor.ui.navigation import Spot

        self.app.pop_screen()
        self.app.open_spot(Spot(self.lesson_index + 1, 0))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_outline(self) -> None:
        self.app.pop_screen()
        self.app.screen.action_escape()
