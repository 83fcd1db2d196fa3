"""Saving in the background: the UI asks, a thread writes.

A durable save fsyncs a file and its directory, which can take tens of
milliseconds on a slow disk; done on the UI thread after every verdict and
every move, that is a frame the learner waits for. So the UI only marks the
progress (or a draft file) dirty here and goes on; one thread writes whatever
is dirty, newest version only, in order. `flush()` waits for it, for the
moments that must not return before the data is on disk (quitting, a crash).

Headless: never imports textual.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Protocol, Sequence


class Savable(Protocol):
    def save(self) -> str | None: ...


Writer = Callable[[Path, str], None]
#: Work to do on the saver's thread just before the next save (an attempt's
#: review card: tutor.practice.schedule), so it never delays a verdict.
Preparation = Callable[[], None]


class BackgroundSaver:
    """Writes the progress store and draft files off the caller's thread.

    `on_problem(message)` is called (from the saver's thread) when a save fails;
    the caller decides how to show it. The thread starts on first use."""

    def __init__(self, store: Savable, write_file: Writer,
                 on_problem: Callable[[str], None] | None = None) -> None:
        self._store = store
        self._write_file = write_file
        self._on_problem = on_problem or (lambda message: None)
        self._condition = threading.Condition()
        self._store_dirty = False
        self._preparations: list[Preparation] = []  # run, in order, before the next save
        self._files: dict[Path, str] = {}  # newest text per draft file not yet written
        self._busy = False
        self._closed = False
        self._thread: threading.Thread | None = None

    # -- asking -------------------------------------------------------------------

    def save_progress(self, before: Preparation | None = None) -> None:
        """Save the progress store soon (several requests before it runs cost one
        save), running `before` first on the saver's thread."""
        with self._condition:
            self._store_dirty = True
            if before is not None:
                self._preparations.append(before)
            self._wake()

    def write_draft(self, path: Path, text: str) -> None:
        """Write `text` to the draft file `path` soon (only the newest text is written)."""
        with self._condition:
            self._files[path] = text
            self._wake()

    def pending_draft(self, path: Path) -> str | None:
        """The text waiting to be written to `path`, if any."""
        with self._condition:
            return self._files.get(path)

    def flush(self, timeout: float | None = 10.0) -> bool:
        """Wait until everything asked for so far is written; False on timeout."""
        with self._condition:
            if self._thread is None or not self._thread.is_alive():
                self._run_pending_here()
                return True
            return self._condition.wait_for(lambda: not self._dirty() and not self._busy, timeout)

    def close(self) -> None:
        """Write what is pending, then stop the thread."""
        self.flush()
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=10.0)

    # -- the thread --------------------------------------------------------------------

    def _dirty(self) -> bool:
        return self._store_dirty or bool(self._files)

    def _wake(self) -> None:
        if self._closed:
            self._run_pending_here()  # after close, saving is synchronous again
            return
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="nntutor-saver", daemon=True)
            self._thread.start()
        self._condition.notify_all()

    def _take(self) -> tuple[bool, dict[Path, str], list[Preparation]]:
        store, files, preparations = self._store_dirty, self._files, self._preparations
        self._store_dirty, self._files, self._preparations = False, {}, []
        return store, files, preparations

    def _write(self, store: bool, files: dict[Path, str], preparations: Sequence[Preparation] = ()) -> None:
        """Draft files first: they are what a learner typed, the store only counts."""
        for path, text in files.items():
            try:
                self._write_file(path, text)
            except OSError as error:
                self._on_problem(f"could not save your draft to {path}: {error.strerror or error}")
        for prepare in preparations:
            try:
                prepare()
            except Exception as error:  # the save must still happen: say it, go on
                self._on_problem(f"could not update the review schedule: {type(error).__name__}: {error}")
        if store:
            problem = self._store.save()
            if problem is not None:
                self._on_problem(problem)

    def _run_pending_here(self) -> None:
        """(Called with the condition held.) Write synchronously, in the caller's thread."""
        store, files, preparations = self._take()
        if store or files:
            self._write(store, files, preparations)

    def _run(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._dirty() or self._closed)
                if self._closed and not self._dirty():
                    return
                store, files, preparations = self._take()
                self._busy = True
            try:
                self._write(store, files, preparations)
            except Exception as error:  # never let the saver die silently: say it, go on
                self._on_problem(f"saving failed: {type(error).__name__}: {error}")
            finally:
                with self._condition:
                    self._busy = False
                    self._condition.notify_all()
