"""What happens to an error nobody expected: it costs a notice, not the session.

Textual's answer to an exception escaping a message handler is to end the app
(and the handler's message loop stops for good). For a learner that is the
pane vanishing with their train of thought. So our screens, widgets and the
app dispatch their messages through `GuardedHandlers`: the traceback goes to a
crash log beside the progress file, the learner gets a notification naming
it, and the loop goes on. What still ends the app (an error while drawing, at
start-up) is written to the same log first, and the exit message names it.

No textual import here: the mixin works on whatever MessagePump it is mixed into.
"""

from __future__ import annotations

import datetime
import traceback
from pathlib import Path
from typing import Any

CRASH_LOG_NAME = "crash.log"
MAX_LOG_BYTES = 256_000  # a log that grows without end helps nobody: older entries are dropped


def crash_log_path(progress_path: Path | None) -> Path:
    """Beside the progress file (the user's data directory unless --progress says otherwise)."""
    if progress_path is not None:
        return Path(progress_path).parent / CRASH_LOG_NAME
    from tutor.progress.paths import default_progress_path

    return default_progress_path().parent / CRASH_LOG_NAME


def write_crash(path: Path, error: BaseException, where: str = "") -> bool:
    """Append the error's traceback to the log at `path`; False if even that failed
    (a read-only disk must not turn one error into two)."""
    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    entry = f"==== {stamp} {where}\n" + "".join(traceback.format_exception(error))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        text = (old + entry)[-MAX_LOG_BYTES:]
        path.write_text(text, encoding="utf-8")
    except OSError:
        return False
    return True


def summary(error: BaseException) -> str:
    """One line a learner can read: the exception's type and first line."""
    first = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


from tutor.ui.textual_private import GuardedHandlers  # noqa: E402  (it overrides a private method)

__all__ = ["GuardedHandlers", "crash_log_path", "summary", "write_crash"]
