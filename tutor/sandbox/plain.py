"""A fresh `python -I` process per run: slow, simple, and no kernel confinement.

It exists as a fallback where a warm forking worker cannot run, and as the
baseline `bench/check.py` compares the warm worker against. It still enforces the
wall-clock deadline and output cap, kills the whole process group and reads the
same nonce-checked frames as the worker, so it produces the same RunResults.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from tutor.course.model import Limits
from tutor.sandbox.api import Call, RunResult
from tutor.sandbox.frames import new_nonce
from tutor.sandbox.request import encode_request
from tutor.sandbox.supervise import supervise
from tutor.sandbox.translate import to_run_result
from tutor.sandbox.wire import dumps

PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
CLEAN_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}
_BOOTSTRAP = "import sys; sys.path.insert(0, sys.argv[1]); from tutor.sandbox.plain import child_main; child_main()"


class PlainRunner:
    """Runner that starts a new interpreter for every run."""

    def run(self, source: str, entry: str, calls: Sequence[Call], limits: Limits) -> RunResult:
        nonce = new_nonce()
        request = encode_request(source, entry, calls, limits)
        request["nonce"] = nonce.hex()
        result_r, result_w = os.pipe()
        output_r, output_w = os.pipe()
        request_r, request_w = os.pipe()
        started = time.monotonic()
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", "-B", "-c", _BOOTSTRAP, PACKAGE_ROOT, str(result_w)],
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
                pipe.write(dumps(request))
        except BrokenPipeError:
            pass
        raw, _ = supervise(process.pid, output_r, result_r, nonce, limits.time_s, limits.output_bytes, started)
        process.returncode = raw.exit_code if raw.exit_code is not None else -(raw.signal or 0)
        return to_run_result(raw, limits, entry)


def child_main() -> None:
    """Entry point of the per-run interpreter: read the request, run, report."""
    from tutor.sandbox.child import serve_job
    from tutor.sandbox.wire import loads

    result_fd = int(sys.argv[2])
    data = loads(sys.stdin.buffer.read())
    nonce = bytes.fromhex(data.pop("nonce"))
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    serve_job(data, result_fd, nonce)
