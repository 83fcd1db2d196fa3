"""The process-wide runner the checker uses: get_runner(), start_in_background(), shutdown()."""

from __future__ import annotations

import threading

from tutor.sandbox.api import Runner
from tutor.sandbox.plain import PlainRunner

_lock = threading.Lock()
_runner: Runner | None = None


def get_runner() -> Runner:
    """The shared runner, created on first use."""
    global _runner
    with _lock:
        if _runner is None:
            _runner = PlainRunner()
        return _runner


def start_in_background() -> None:
    """Warm the runner up without blocking the caller (the UI calls this after its first frame)."""
    threading.Thread(target=get_runner, name="nntutor-runner-start", daemon=True).start()


def shutdown() -> None:
    """Stop the shared runner's worker, if any; a later get_runner() starts a new one."""
    global _runner
    with _lock:
        runner, _runner = _runner, None
    close = getattr(runner, "close", None)
    if close is not None:
        close()
