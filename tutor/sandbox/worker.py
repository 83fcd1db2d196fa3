"""The warm worker: a `python -I` process with NumPy loaded that forks one child per run.

Started by `tutor.sandbox.warm` with a clean environment (one BLAS thread, set
before NumPy loads: a fork of a process with a live OpenBLAS pool can spin
forever at its first matmul). It imports everything a child will need, measures
its own address-space size (the memory limit is relative to it), then serves
requests on the socket it was handed: one length-prefixed JSON request in, one
reply out. For each run it forks a child that rearranges its descriptors (stdin
from /dev/null, stdout/stderr into the output pipe, results on fd 3, *everything
else closed*, including this socket), confines itself and runs the learner code.
The worker supervises the child (`supervise.py`) and replies with the facts. A
fork per run means each check starts from the same clean state: a snippet that
monkeypatches `np.exp` changes only its own, throw-away copy.
"""

from __future__ import annotations

import os
import socket
import sys
import time
import traceback
from typing import Any

import numpy as np

from tutor.sandbox import guard, harnesses, landlock  # noqa: F401 - imported before any limits
from tutor.sandbox.confine import confine, cpu_limit_for
from tutor.sandbox.execute import run_learner_code
from tutor.sandbox.frames import new_nonce, write_frame
from tutor.sandbox.request import Job, decode_request
from tutor.sandbox.supervise import supervise
from tutor.sandbox.channel import receive_message, send_message
from tutor.sandbox.wire import InvalidData, dumps, loads

RESULT_FD = 3


def address_space_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


class Worker:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.landlock_abi = landlock.abi_version()
        self.base_bytes = address_space_bytes()

    def serve(self) -> None:
        send_message(self.sock, {"ready": True, "pid": os.getpid(), "landlock_abi": self.landlock_abi, "base_mb": self.base_bytes >> 20})
        while True:
            try:
                message = receive_message(self.sock)
            except (InvalidData, EOFError, OSError):
                return
            if message is None:
                return
            try:
                if message.get("probe"):
                    reply = self.probe()
                else:
                    reply = self.run(decode_request(message))
            except InvalidData as error:
                reply = {"error": str(error)}
            send_message(self.sock, reply)

    def run(self, job: Job) -> dict[str, Any]:
        nonce = new_nonce()
        cpu = cpu_limit_for(job.limits.time_s)

        def child(result_fd: int) -> None:
            def emit(frame: dict[str, Any]) -> None:
                write_frame(result_fd, nonce, dumps(frame))

            confine(job.limits.time_s, job.limits.memory_mb, self.base_bytes, self.landlock_abi)
            guard.install(lambda what: emit({"k": "forbidden", "what": what}))
            run_learner_code(job.source, job.entry, job.calls, emit)

        raw = self._fork_and_supervise(child, nonce, job.limits.time_s, job.limits.output_bytes, cpu)
        return raw.to_json()

    def probe(self) -> dict[str, Any]:
        """Confine a child exactly as for a run, then check from inside that each
        protection really bites; `nntutor doctor` and the tests read this."""
        nonce = new_nonce()

        def child(result_fd: int) -> None:
            report = confine(2.0, 256, self.base_bytes, self.landlock_abi)
            from tutor.sandbox.probe import attempts

            write_frame(result_fd, nonce, dumps({"active": report.active, "missing": report.missing, "attempts": attempts()}))

        raw = self._fork_and_supervise(child, nonce, 5.0, 100_000, 2)
        if not raw.payloads:
            return {"error": f"probe child ended without a report (exit {raw.exit_code}, signal {raw.signal}): {raw.output[-500:]}"}
        report = loads(raw.payloads[0])
        report["landlock_abi"] = self.landlock_abi
        report["base_mb"] = self.base_bytes >> 20
        return report

    def _fork_and_supervise(self, child, nonce: bytes, time_s: float, output_bytes: int, cpu: int):  # type: ignore[no-untyped-def]
        result_r, result_w = os.pipe()
        output_r, output_w = os.pipe()
        devnull = os.open(os.devnull, os.O_RDONLY)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # child: never return from here
            status = 70
            try:
                os.setpgid(0, 0)
                os.dup2(output_w, 1)
                os.dup2(output_w, 2)
                os.dup2(devnull, 0)
                if result_w != RESULT_FD:
                    os.dup2(result_w, RESULT_FD)
                os.closerange(RESULT_FD + 1, _MAX_FD)
                child(RESULT_FD)
                status = 0
            except BaseException:  # noqa: BLE001 - our own failure: leave a trace in the output
                try:
                    traceback.print_exc()
                except BaseException:  # noqa: BLE001
                    pass
            finally:
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except BaseException:  # noqa: BLE001
                        pass
                os._exit(status)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass  # the child already did it (or already exited)
        for fd in (result_w, output_w, devnull):
            os.close(fd)
        return supervise(pid, output_r, result_r, nonce, time_s, output_bytes, started, cpu_limit_s=float(cpu))


_MAX_FD = 1 << 20  # closerange uses close_range(2), so the size of the range costs nothing


def _warm_up() -> None:
    """Touch the NumPy paths a check takes, so their lazy set-up happens once, here."""
    z = np.linspace(-1.0, 1.0, 8)
    (1.0 / (1.0 + np.exp(-z))) @ np.ones((8, 2))
    np.save(__import__("io").BytesIO(), z, allow_pickle=False)


def main() -> None:
    sock = socket.socket(fileno=int(sys.argv[1]))
    _warm_up()
    Worker(sock).serve()


if __name__ == "__main__":
    main()
