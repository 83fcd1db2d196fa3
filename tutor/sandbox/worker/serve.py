"""The warm worker's loop: a `python -I` process with NumPy loaded that forks one child per run.

Started by `tutor.sandbox.host` with a clean environment (one BLAS thread, set
before NumPy loads: a fork of a process with a live OpenBLAS pool can spin
forever at its first matmul), as a standalone copy of this package plus the
harness drivers, loaded by path: nothing of ``tutor`` or ``engine`` is ever
in its memory, so no child can reach it. It imports everything a child will need, measures
its own address-space size (the memory limit is relative to it), then serves
requests on the socket it was handed: one length-prefixed JSON message in, one
reply out.

A child is forked *ahead* of each request (the spare): it rearranges its
descriptors (stdin from /dev/null, stdout/stderr into the output pipe, results
on fd 3, the job on fd 4, *everything else closed*, including the tutor
socket), confines itself (`child/confine.py`) and waits for its job. When a request
arrives the worker sets the exercise's CPU and memory limits on the spare with
prlimit, writes the job to it and supervises it (`supervise.py`); it replies
as soon as the child has sent its end-of-report frame, and only then, while no request is
waiting, reaps it and forks spares (two are kept ready). Fork, confinement and teardown are thus off the
learner's critical path. A fork per run still means each check starts from the
same clean state: a snippet that monkeypatches `np.exp` changes only its own,
throw-away copy.
"""

from __future__ import annotations

import collections
import fcntl
import gc
import importlib.util
import os
import select
import socket
import sys
import time
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np

from types import ModuleType

from ..child import landlock, run, seccomp
from ..child.confine import apply_run_limits, confine, cpu_limit_for, read_rule, run_limits
from ..protocol import InvalidData, RunLimits, new_nonce, receive_message, send_message
from .supervise import reap, supervise

DRIVERS_MODULE = "nntutor_drivers"

RESULT_FD = 3
JOB_FD = 4
RULESET_FD = 5  # the Landlock ruleset, prepared once here, enforced by each child
SPARES = 2  # two waiting children: a checker's back-to-back runs never wait for a fork
_MAX_FD = 1 << 20  # closerange uses close_range(2), so the size of the range costs nothing


@dataclass
class Spare:
    """A forked, confined child waiting for its job."""

    pid: int
    nonce: bytes
    job_w: int
    result_r: int
    output_r: int


def address_space_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


class Worker:
    def __init__(self, sock: socket.socket, drivers: ModuleType | None) -> None:
        self.sock = sock
        self.drivers = drivers
        self.landlock_abi = landlock.abi_version()
        self.readable, self.listable, self.read_rule = read_rule()
        self.ruleset: int | None = None
        self.ruleset_problem = ""
        if self.landlock_abi >= 1:
            try:
                self.ruleset, _ = landlock.prepare(self.landlock_abi, self.readable, self.listable)
            except OSError as error:
                self.ruleset_problem = str(error)
        self.base_bytes = address_space_bytes()
        self.spares: collections.deque[Spare] = collections.deque()
        self.zombies: list[int] = []  # finished children, killed but not yet reaped

    def serve(self) -> None:
        self.spares.append(self.fork_spare())
        send_message(self.sock, {"ready": True, "pid": os.getpid(), "landlock_abi": self.landlock_abi, "base_mb": self.base_bytes >> 20})
        while True:
            if self._housekeeping_due() and not select.select([self.sock], [], [], 0)[0]:
                self._housekeep_one()  # only while no request is waiting
                continue
            try:
                message = receive_message(self.sock)
            except (InvalidData, EOFError, OSError):
                return
            if message is None:
                return
            self.handle(*message)

    def handle(self, header: Any, job: bytes) -> None:
        """Run one request on the spare, reply, then clean up and fork the next spare."""
        try:
            if type(header) is not dict:
                raise InvalidData("request is not an object")
            limits = RunLimits.from_json(header.get("limits"))
        except InvalidData as error:
            send_message(self.sock, {"error": str(error)})
            return
        spare = self.spares.popleft() if self.spares else self.fork_spare()
        applied = apply_run_limits(spare.pid, run_limits(limits.time_s, limits.memory_mb, self.base_bytes))
        started = time.monotonic()
        try:
            _write_all(spare.job_w, job)
        except OSError:
            pass  # the spare died; supervise() will say how
        finally:
            os.close(spare.job_w)
        raw, reaped = supervise(
            spare.pid, spare.output_r, spare.result_r, spare.nonce, limits.time_s, limits.output_bytes, started,
            cpu_limit_s=float(cpu_limit_for(limits.time_s)), defer_reap=True,
        )
        if header.get("probe"):
            send_message(self.sock, _probe_reply(raw, applied, self))
        else:
            send_message(self.sock, *raw.to_message())
        if not reaped:
            self.zombies.append(spare.pid)

    def _housekeeping_due(self) -> bool:
        return bool(self.zombies) or len(self.spares) < SPARES

    def _housekeep_one(self) -> None:
        """Fork a missing spare first (the next request needs it), then reap."""
        if len(self.spares) < SPARES:
            self.spares.append(self.fork_spare())
        elif self.zombies:
            reap(self.zombies.pop())

    def fork_spare(self) -> Spare:
        nonce = new_nonce()
        result_r, result_w = os.pipe()
        output_r, output_w = os.pipe()
        job_r, job_w = os.pipe()
        devnull = os.open(os.devnull, os.O_RDONLY)
        pid = os.fork()
        if pid == 0:  # child: never returns from here
            try:
                os.setpgid(0, 0)
                for source, target in ((devnull, 0), (output_w, 1), (output_w, 2)):
                    os.dup2(source, target)
                # Move the two pipes above the fixed slots first, so neither clobbers the other.
                result_high = fcntl.fcntl(result_w, fcntl.F_DUPFD, 10)
                job_high = fcntl.fcntl(job_r, fcntl.F_DUPFD, 10)
                ruleset_high = fcntl.fcntl(self.ruleset, fcntl.F_DUPFD, 10) if self.ruleset is not None else None
                os.dup2(result_high, RESULT_FD)
                os.dup2(job_high, JOB_FD)
                if ruleset_high is not None:
                    os.dup2(ruleset_high, RULESET_FD)
                os.closerange(RULESET_FD + 1 if ruleset_high is not None else JOB_FD + 1, _MAX_FD)
                _child_main(self.landlock_abi, nonce, self.drivers, RULESET_FD if ruleset_high is not None else None)
            except BaseException:  # noqa: BLE001 - our own failure: leave a trace in the output
                try:
                    traceback.print_exc()
                    sys.stderr.flush()
                except BaseException:  # noqa: BLE001
                    pass
            finally:
                os._exit(70)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass  # the child already did it (or already exited)
        for fd in (result_w, output_w, job_r, devnull):
            os.close(fd)
        return Spare(pid, nonce, job_w, result_r, output_r)


def _child_main(landlock_abi: int, nonce: bytes, drivers: ModuleType | None, ruleset: int | None) -> None:
    """In the spare: confine, wait for the job, run it (or the doctor's probe)."""
    report = confine(landlock_abi, ruleset)
    chunks = []
    while True:
        chunk = os.read(JOB_FD, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(JOB_FD)
    run.serve_job(b"".join(chunks), RESULT_FD, nonce, drivers, {"active": report.active, "missing": report.missing})


def _probe_reply(raw: Any, applied: Any, worker: Worker) -> dict[str, Any]:
    if not raw.payloads:
        return {"error": f"probe child ended without a report (exit {raw.exit_code}, signal {raw.signal}): {raw.output[-500:]}"}
    from ..protocol import loads

    report = loads(raw.payloads[0])
    report["active"] = {**applied.active, **report["active"]}
    report["missing"] = {**applied.missing, **report["missing"]}
    report["landlock_abi"] = worker.landlock_abi
    report["read_rule"] = worker.read_rule
    report["allowed_calls"] = seccomp.allowed_names()
    report["allowed_groups"] = {what: [n for n in names if n in report["allowed_calls"]] for what, names in seccomp.ALLOWED.items()}
    if worker.ruleset_problem:
        report["missing"]["landlock"] = worker.ruleset_problem
    report["base_mb"] = worker.base_bytes >> 20
    return report


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _warm_up() -> None:
    """Touch the NumPy paths a check takes, so their lazy set-up happens once, here."""
    z = np.linspace(-1.0, 1.0, 8)
    (1.0 / (1.0 + np.exp(-z))) @ np.ones((8, 2))
    np.frombuffer(np.ascontiguousarray(z).tobytes(), dtype=z.dtype).reshape(z.shape)
    np.random.default_rng(0).uniform(size=2)
    with np.errstate(over="raise"):
        np.argmax(z)


def load_drivers(path: str) -> ModuleType | None:
    """The harness drivers, from their file, as a module of their own (never
    as part of ``tutor``): NumPy and the standard library only."""
    if not path:
        return None
    spec = importlib.util.spec_from_file_location(DRIVERS_MODULE, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the harness drivers from {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[DRIVERS_MODULE] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    sock = socket.socket(fileno=int(sys.argv[1]))
    drivers = load_drivers(sys.argv[2] if len(sys.argv) > 2 else "")
    run.learn_drivers(drivers)
    _warm_up()
    # Everything alive now is shared with every child. Frozen objects are never
    # traversed by the collector, so a child's garbage collection does not touch
    # (and copy, page by page) the whole inherited heap.
    gc.collect()
    gc.freeze()
    Worker(sock, drivers).serve()
