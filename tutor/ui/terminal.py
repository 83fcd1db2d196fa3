"""Which file descriptor the tutor draws on.

Textual draws on standard error (fd 2), so `nntutor 2>log.txt` would send the
whole screen into the log and leave the terminal blank. When stdout is the
terminal and stderr is not, the tutor draws on the terminal anyway (fd 2 is
pointed at it while the app runs) and what Python itself writes to stderr
(warnings, the crash notice) still goes where the learner sent it.

Headless: no textual import.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Iterator


def _is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


@contextlib.contextmanager
def drawing_on_the_terminal() -> Iterator[None]:
    """While the block runs, fd 2 is the terminal if stdout is one and stderr
    was sent elsewhere; `sys.stderr` keeps writing to where stderr was sent."""
    if not _is_terminal(1) or _is_terminal(2):
        yield
        return
    sys.stderr.flush()
    sent_to = os.dup(2)
    os.dup2(1, 2)
    previous = sys.stderr
    log = os.fdopen(os.dup(sent_to), "w", buffering=1, encoding="utf-8", errors="backslashreplace")
    sys.stderr = log
    try:
        yield
    finally:
        log.flush()
        sys.stderr = previous
        log.close()
        os.dup2(sent_to, 2)
        os.close(sent_to)
