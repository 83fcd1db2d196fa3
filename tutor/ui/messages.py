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
    from tutor.progress.attempt import Attempt


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
