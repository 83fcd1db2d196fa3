"""A fresh `python -I` process per run: slow, simple, and no kernel confinement.

Used only by the tests (the runner contract must hold for any runner) and by
`bench/check.py`, as the baseline the warm worker is compared against. It still enforces the
wall-clock deadline and output cap, kills the whole process group and reads the
same nonce-checked frames as the worker, so it produces the same RunResults.
"""

from __future__ import annotations

import os
import subprocess
import time
from typing import Sequence

from tutor.checking.harnesses import DRIVERS_FILE
from tutor.course.model import Limits
from tutor.sandbox.api import Call, RunResult
from tutor.sandbox.host import CLEAN_ENV, run_limits, standalone_command
from tutor.sandbox.protocol import encode_request, new_nonce
from tutor.sandbox.results import to_run_result
from tutor.sandbox.worker.supervise import supervise


class PlainRunner:
    """Runner that starts a new interpreter for every run."""

    def run(self, source: str, entry: str, calls: Sequence[Call], limits: Limits) -> RunResult:
        nonce = new_nonce()
        _, job = encode_request(source, entry, [(call.args, call.harness) for call in calls], run_limits(limits))
        result_r, result_w = os.pipe()
        output_r, output_w = os.pipe()
        request_r, request_w = os.pipe()
        started = time.monotonic()
        try:
            process = subprocess.Popen(
                standalone_command("child.run", str(result_w), str(DRIVERS_FILE)),
                stdin=request_r,
                stdout=output_w,
                stderr=output_w,
                pass_fds=(result_w,),
                env=CLEAN_ENV,
                start_new_session=True,
            )
        except OSError as error:
            for fd in (result_r, result_w, output_r, output_w, request_r, request_w):
                os.close(fd)
            return RunResult(status="unavailable", message=f"Could not start Python to run your code: {error}")
        for fd in (result_w, output_w, request_r):
            os.close(fd)
        try:
            with os.fdopen(request_w, "wb") as pipe:
                pipe.write(nonce + job)
        except BrokenPipeError:
            pass
        raw, _ = supervise(process.pid, output_r, result_r, nonce, limits.time_s, limits.output_bytes, started)
        process.returncode = raw.exit_code if raw.exit_code is not None else -(raw.signal or 0)
        return to_run_result(raw, limits, entry)
