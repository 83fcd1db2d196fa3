"""The workspace: every code exercise's draft as a plain .py file.

Like rustlings' exercise files: `WORKSPACE/<lesson>/<exercise>.py` is the
draft, open it in any editor, save, and the tutor (watching it with
`FileWatcher`) reloads it and checks it. The tutor writes these files
atomically (a temp file, fsync, rename), so a reader, an editor or a crash
sees either the old draft or the new one, never half of one.

Headless: never imports textual.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Callable

from tutor.progress.durable import write_durably

SAFE_PART = re.compile(r"[^A-Za-z0-9_.-]+")
POLL_S = 0.25


def _part(name: str) -> str:
    """An id as a file-name part: ids are slugs already; anything else cannot climb out."""
    cleaned = SAFE_PART.sub("_", name).strip(".") or "_"
    return cleaned


class Workspace:
    """The folder of draft files. Reading never raises; writing raises OSError."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).expanduser()
        # Each file's stamp right after the tutor's own last write to it, kept under
        # `lock` with the write, so a watcher holding the lock never mistakes the
        # tutor's write (of a draft older than the one on screen) for an edit.
        self.lock = threading.Lock()
        self._written: dict[Path, tuple[int, int] | None] = {}

    def path(self, qualified_id: str) -> Path:
        lesson_id, _, exercise_id = qualified_id.partition("/")
        return self.root / _part(lesson_id) / f"{_part(exercise_id)}.py"

    def read(self, qualified_id: str) -> str | None:
        return read_text(self.path(qualified_id))

    def write(self, path: Path, text: str) -> None:
        """Atomically and durably replace the draft file `path` (any editor may be
        reading it); readable by its owner's editors, like any file they make."""
        with self.lock:
            write_durably(path, text.encode("utf-8"), backup=False, mode=0o644)
            self._written[path] = _stamp(path)

    def written_by_us(self, path: Path, stamp: tuple[int, int] | None) -> bool:
        """(Call with `lock` held.) Whether `stamp` is that of the tutor's own last write."""
        return stamp is not None and self._written.get(path) == stamp

    def remove(self, qualified_id: str) -> None:
        try:
            self.path(qualified_id).unlink()
        except OSError:
            pass


def read_text(path: Path) -> str | None:
    """The file's text, or None when it is missing, unreadable or not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class FileWatcher:
    """Polls one file's mtime and size from a thread; calls `on_change(path, text)`
    (in that thread) when another program saved new text into it.

    The tutor's own writes are not changes: their stamps are recorded by the
    `workspace` that made them, and text equal to `known(path)` (what the tutor
    last wrote or loaded) is not one either.

    A change counts once the stamp held still for one poll, so a file caught in
    the middle of an editor's write is read after the write, not during it. Text
    equal to `known(path)` is not a change: the tutor's own saves never come
    back as edits."""

    def __init__(self, on_change: Callable[[Path, str], None], known: Callable[[Path], str | None],
                 interval: float = POLL_S, workspace: Workspace | None = None) -> None:
        self._on_change = on_change
        self._known = known
        self._workspace = workspace
        self._interval = interval
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._seen: tuple[int, int] | None = None  # the stamp last acted on
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, path: Path | None) -> None:
        """Watch `path` from now on (None: nothing); its current state is not a change."""
        with self._lock:
            self._path = path
            self._seen = _stamp(path) if path is not None else None
        if path is not None and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="nntutor-watch", daemon=True)
            self._thread.start()

    @property
    def path(self) -> Path | None:
        return self._path

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)

    def poll(self) -> None:
        """One look at the file (the thread calls this every `interval`)."""
        with self._lock:
            path, seen = self._path, self._seen
        if path is None:
            return
        first = _stamp(path)
        if first is None or first == seen:
            return
        if self._stop.wait(min(self._interval, 0.1)):
            return
        guard = self._workspace.lock if self._workspace is not None else threading.Lock()
        with guard:  # no write of the tutor's own in between: it would look like an edit
            stamp = _stamp(path)
            if stamp != first:
                return  # still being written: look again next time
            ours = self._workspace is not None and self._workspace.written_by_us(path, stamp)
            text = None if ours else read_text(path)
        with self._lock:
            if self._path != path:
                return  # the learner moved to another exercise meanwhile
            self._seen = first
        if not ours and text is not None and text != self._known(path):
            self._on_change(path, text)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.poll()
            except Exception:  # a watcher that dies silently is worse than one that skips a beat
                continue
