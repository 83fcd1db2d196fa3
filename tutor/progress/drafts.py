"""Where a learner's draft answer lives, said once.

A code exercise's draft is its workspace file (tutor.progress.workspace), so
any editor can open it and the tutor can watch it; every other answer (a
number, a choice, tune values) is a field of the progress store. The UI asks
`Drafts` for a draft and hands it new ones; it never picks the place itself.
Writes go through the background saver, so typing never waits for a disk.

Progress written before the workspace existed kept code drafts in the store:
`migrate()` moves each into its file (the file wins if both exist) the first
time the exercise is seen, so nothing typed then is lost.

Headless: never imports textual.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from tutor.progress.saver import BackgroundSaver
from tutor.progress.store import ProgressStore
from tutor.progress.workspace import Workspace

if TYPE_CHECKING:
    from tutor.course.model import Exercise

Answer = str | Mapping[str, Any] | None


def in_workspace(exercise: Exercise) -> bool:
    """Code drafts are files; the rest are fields of the progress."""
    return exercise.kind == "code"


def starter(exercise: Exercise) -> str:
    return exercise.code.starter if exercise.code is not None else ""


class Drafts:
    """Drafts of one learner: the progress store plus the workspace folder."""

    def __init__(self, store: ProgressStore, workspace: Workspace, saver: BackgroundSaver) -> None:
        self.store = store
        self.workspace = workspace
        self.saver = saver
        self._known: dict[Path, str] = {}  # the text the tutor last wrote to, or read from, each file
        self._lock = threading.Lock()

    @property
    def writable(self) -> bool:
        return not self.store.read_only

    def path(self, exercise: Exercise) -> Path:
        return self.workspace.path(exercise.qualified_id)

    def known(self, path: Path) -> str | None:
        """What the tutor believes `path` holds (the file watcher's "not a change")."""
        with self._lock:
            return self._known.get(path)

    # -- reading ------------------------------------------------------------------

    def get(self, exercise: Exercise) -> Answer:
        """The learner's draft, or None when they have not written one."""
        if not in_workspace(exercise):
            return self.store.exercise(exercise.qualified_id).answer
        self.migrate(exercise)
        path = self.path(exercise)
        text = self.saver.pending_draft(path)
        if text is None:
            text = self.workspace.read(exercise.qualified_id)
        if text is None:
            return None
        with self._lock:
            self._known[path] = text
        return None if text == starter(exercise) else text

    def open_file(self, exercise: Exercise) -> Path:
        """The exercise's draft file, written now (the starter if there is no
        draft yet) so that another editor can open it this moment."""
        path = self.path(exercise)
        self.migrate(exercise)
        if self.saver.pending_draft(path) is not None:
            self.saver.flush()
        if self.writable and self.workspace.read(exercise.qualified_id) is None:
            text = starter(exercise)
            self.workspace.write(path, text)
            with self._lock:
                self._known[path] = text
        return path

    # -- writing ------------------------------------------------------------------

    def put(self, exercise: Exercise, answer: Answer) -> bool:
        """Keep `answer` as the draft (soon on disk); False when nothing changed."""
        if not in_workspace(exercise):
            current = self.store.exercise(exercise.qualified_id).answer
            if _plain(answer) == current:
                return False
            self.store.record_answer(exercise.qualified_id, answer)
            self.saver.save_progress()
            return True
        if not isinstance(answer, str):
            return False
        path = self.path(exercise)
        with self._lock:
            if self._known.get(path) == answer:
                return False
            self._known[path] = answer
        if self.writable:
            self.saver.write_draft(path, answer)
        return True

    def follow_starter(self, old: Exercise, new: Exercise) -> bool:
        """Author mode: `new` is `old` with its starter edited. A draft the learner
        never changed (still the old starter) becomes the new starter; their own
        code stays theirs. True when the draft now is the new starter."""
        if not in_workspace(new) or starter(old) == starter(new):
            return False
        path = self.path(new)
        text = self.saver.pending_draft(path)
        if text is None:
            text = self.workspace.read(new.qualified_id)
        if text is None:
            return True  # no file yet: the editor shows the (new) starter anyway
        if text != starter(old):
            return False
        with self._lock:
            self._known[path] = starter(new)
        if self.writable:
            self.saver.write_draft(path, starter(new))
        return True

    def loaded(self, exercise: Exercise, text: str) -> None:
        """The file was changed by another program and its text taken into the tutor."""
        with self._lock:
            self._known[self.path(exercise)] = text

    def reset(self, exercise: Exercise) -> None:
        """Back to the starter: the draft file says so too (it is the draft)."""
        self.store.reset_exercise(exercise.qualified_id)
        if in_workspace(exercise):
            path = self.path(exercise)
            with self._lock:
                self._known[path] = starter(exercise)
            if self.writable:
                self.saver.write_draft(path, starter(exercise))
        self.saver.save_progress()

    # -- migrating ------------------------------------------------------------------

    def migrate(self, exercise: Exercise) -> bool:
        """Move a code draft kept in the progress (before the workspace) into its
        file; True when the progress changed. The file wins if both exist."""
        if not in_workspace(exercise) or not self.writable:
            return False
        old = self.store.exercise(exercise.qualified_id).answer
        if old is None:
            return False
        path = self.path(exercise)
        if isinstance(old, str) and self.workspace.read(exercise.qualified_id) is None \
                and self.saver.pending_draft(path) is None:
            self.workspace.write(path, old)  # on disk before the progress forgets it
            with self._lock:
                self._known[path] = old
        self.store.record_answer(exercise.qualified_id, None)
        self.saver.save_progress()
        return True

    def migrate_all(self, exercises: Iterable[Exercise]) -> int:
        """Migrate every code draft of the course; returns how many moved."""
        moved = 0
        for exercise in exercises:
            try:
                moved += self.migrate(exercise)
            except OSError:
                continue  # the progress keeps it; the next try is when the exercise opens
        return moved


def _plain(answer: Answer) -> Any:
    return dict(answer) if isinstance(answer, Mapping) else answer
