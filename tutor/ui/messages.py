"""Messages that carry the tutor's own events through Textual's message queues.

Workers and background threads never call into a screen: they post one of
these (Textual's post_message is thread-safe) and the screen or app handles it
on the UI thread. Tests watch the same flow with run_test(message_hook=...).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tutor.course.model import Course, Lesson, LessonHeader
    from tutor.progress.attempt import Attempt


class OutlineReady(Message):
    """The lessons' headers (from the outline index) are read: the outline can be
    filled before the full, validating load of every lesson (CourseLoaded).
    None: the headers could not be read (the full load will say why)."""

    def __init__(self, headers: list[LessonHeader] | None) -> None:
        super().__init__()
        self.headers = headers


class CourseLoaded(Message):
    """The course finished loading in its worker.

    (A message rather than call_from_thread: what its handler creates, the
    lesson screen first of all, then runs in the app's context, where
    run_test's message hook sees it.)"""

    def __init__(self, course: Course) -> None:
        super().__init__()
        self.course = course


class LessonReloaded(Message):
    """Author mode: a watched lesson file was read and linted again."""

    def __init__(self, path: Path, ticket: int, lesson: Lesson | None, problems: list[str],
                 announce: bool) -> None:
        super().__init__()
        self.path, self.ticket, self.lesson, self.problems, self.announce = path, ticket, lesson, problems, announce


class LintFound(Message):
    """Author mode: running the checker on a watched lesson (after its fast lint)
    found problems in one more exercise."""

    def __init__(self, path: Path, ticket: int, problems: list[str]) -> None:
        super().__init__()
        self.path, self.ticket, self.problems = path, ticket, problems


class VerdictReady(Message):
    """The check worker judged and recorded an attempt; the screen shows it."""

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt


class DraftFileChanged(Message):
    """Another program saved new text into a code exercise's workspace file."""

    def __init__(self, path: Path, text: str) -> None:
        super().__init__()
        self.path = path
        self.text = text


class SaveFailed(Message):
    """The background saver could not write progress or a draft."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem
