"""One writer per progress file.

Two tutors saving the same file would silently undo each other's work, so the
first one takes an exclusive lock and a second one opens read-only and says so.
"""

from __future__ import annotations

import os
from pathlib import Path

from tutor.progress.paths import lock_path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, single writer assumed
    fcntl = None  # type: ignore[assignment]


class ProgressLock:
    """An advisory fcntl lock on `<progress>.lock`, held until `release()` or exit."""

    def __init__(self, path: Path) -> None:
        self.path = lock_path(path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Try once, without waiting; True when this process now holds the lock."""
        if fcntl is None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None or fcntl is None
