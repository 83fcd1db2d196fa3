"""The process-wide runner the checker uses: get_runner(), start_in_background(), shutdown()."""

from __future__ import annotations

import atexit
import threading

from tutor.sandbox.api import Runner
from tutor.sandbox.warm import WarmRunner

_lock = threading.Lock()
_runner: Runner | None = None


def get_runner() -> Runner:
    """The shared runner, created on first use."""
    global _runner
    with _lock:
        if _runner is None:
            _runner = WarmRunner()
        return _runner


atexit.register(lambda: shutdown())


def start_in_background() -> None:
    """Start the worker without blocking the caller (the UI calls this after its
    first frame), so the learner's first check does not pay for importing NumPy."""

    def warm() -> None:
        runner = get_runner()
        warm_up = getattr(runner, "warm_up", None)
        if warm_up is not None:
            warm_up()

    threading.Thread(target=warm, name="nntutor-runner-start", daemon=True).start()


def shutdown() -> None:
    """Stop the shared runner's worker, if any; a later get_runner() starts a new one."""
    global _runner
    with _lock:
        runner, _runner = _runner, None
    close = getattr(runner, "close", None)
    if close is not None:
        close()
