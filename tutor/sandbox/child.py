"""What a confined child does once it has its job: run it, report, leave.

Shared by the warm worker's children and the plain per-run interpreter, so both
produce exactly the same frames.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from tutor.sandbox import guard
from tutor.sandbox.execute import run_learner_code
from tutor.sandbox.frames import write_frame
from tutor.sandbox.request import decode_request
from tutor.sandbox.wire import dumps


def serve_job(job: Any, result_fd: int, nonce: bytes) -> None:
    """Run one decoded request, then `finish_report` (never returns)."""

    def emit(frame: dict[str, Any]) -> None:
        write_frame(result_fd, nonce, dumps(frame))

    request = decode_request(job)
    guard.install(lambda what: emit({"k": "forbidden", "what": what}))
    run_learner_code(request.source, request.entry, request.calls, emit)
    finish_report(result_fd, nonce)


def finish_report(result_fd: int, nonce: bytes) -> None:
    """Flush and close the output, send the empty end-of-report frame, and exit."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - the learner may have replaced or closed it
            pass
    for fd in (1, 2):
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        write_frame(result_fd, nonce, b"")
        os.close(result_fd)
    finally:
        os._exit(0)
