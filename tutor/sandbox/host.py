"""The tutor's side of the warm worker: start it, talk to it, restart it when it dies.

The worker is started as ``python -I -B -c BOOTSTRAP``: the bootstrap loads
this package's directory standalone, as ``nntutor_sandbox`` (so only
`protocol`, `worker/` and `child/` are ever imported, and nothing named
``tutor``), then the harness drivers the runner was given, by their path.

Runs in the tutor process and never executes learner code. One run at a time
goes to the worker (a lock serialises callers from any thread). If the worker
dies or stops answering, the run gets a clear status, the worker is replaced in
the background, and a restart storm is capped like Jupyter's restarter: after
`restart_limit` starts within `restart_window_s` seconds the runner stops trying
for the rest of that window and every run says why ("unavailable").
"""

from __future__ import annotations

import collections
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, Sequence

from pathlib import Path

from tutor.course.model import Limits
from tutor.sandbox.api import Call, RunResult
from tutor.sandbox.protocol import InvalidData, RawRun, RunLimits, encode_request, probe_request, receive_message, send_message
from tutor.sandbox.results import to_run_result

SANDBOX_DIR = str(Path(__file__).resolve().parent)
STANDALONE = "nntutor_sandbox"
CLEAN_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}
#: Loads tutor/sandbox as the top-level package `nntutor_sandbox` from the
#: directory in argv[-1], then runs `nntutor_sandbox.<module>.main()`.
BOOTSTRAP = (
    "import importlib.util, sys\n"
    "where = sys.argv.pop()\n"
    "spec = importlib.util.spec_from_file_location(%r, where + '/__init__.py', submodule_search_locations=[where])\n"
    "package = importlib.util.module_from_spec(spec)\n"
    "sys.modules[spec.name] = package\n"
    "spec.loader.exec_module(package)\n"
    "importlib.import_module(spec.name + '.' + sys.argv.pop()).main()\n"
) % STANDALONE


def standalone_command(module: str, *args: str) -> list[str]:
    """The command line that runs `<module>.main()` of the standalone sandbox
    package, with `args` in sys.argv[1:]."""
    return [sys.executable, "-I", "-B", "-c", BOOTSTRAP, *args, module, SANDBOX_DIR]


def run_limits(limits: Limits) -> RunLimits:
    return RunLimits(time_s=float(limits.time_s), output_bytes=int(limits.output_bytes), memory_mb=int(limits.memory_mb))
START_TIMEOUT_S = 20.0
REPLY_GRACE_S = 10.0  # on top of the run's own deadline, before the worker counts as hung


def read_reply(reply: Any, blob: bytes, limits: Limits, entry: str) -> RunResult:
    """The worker's reply to a run, as the checker's RunResult."""
    try:
        raw = RawRun.from_message(reply, blob)
    except InvalidData as problem:
        return RunResult(status="invalid_result", message=f"The worker's reply could not be read: {problem}.")
    return to_run_result(raw, limits, entry)


class WorkerUnavailable(Exception):
    """The worker could not be started (or restarted); the message says why."""


class _WorkerProcess:
    """One running worker and the socket to it."""

    def __init__(self, drivers: Path | None) -> None:
        ours, theirs = socket.socketpair()
        self.stderr = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                standalone_command("worker.serve", str(theirs.fileno()), str(drivers or "")),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self.stderr,
                pass_fds=(theirs.fileno(),),
                env=CLEAN_ENV,
                start_new_session=True,
            )
        except OSError as error:
            ours.close()
            raise WorkerUnavailable(f"could not start Python: {error}") from None
        finally:
            theirs.close()
        self.sock = ours
        self.sock.settimeout(START_TIMEOUT_S)
        try:
            hello, _ = receive_message(self.sock) or (None, b"")
        except (OSError, InvalidData, EOFError) as error:
            hello = None
            reason = str(error) or type(error).__name__
        else:
            reason = "it exited during start-up"
        if type(hello) is not dict or not hello.get("ready"):
            self.kill()
            raise WorkerUnavailable(f"the worker did not start ({reason}){self._stderr_tail()}")
        self.hello: dict[str, Any] = hello

    def request(self, message: tuple[dict[str, Any], bytes], timeout_s: float) -> tuple[Any, bytes]:
        self.sock.settimeout(timeout_s)
        send_message(self.sock, *message)
        reply = receive_message(self.sock)
        if reply is None:
            raise EOFError("the worker closed the connection")
        return reply

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.stderr.close()

    def close(self) -> None:
        """Ask politely (end of stream), then insist."""
        try:
            self.sock.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.stderr.close()

    def _stderr_tail(self) -> str:
        try:
            self.stderr.seek(0)
            tail = self.stderr.read()[-600:].decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return f": {tail}" if tail else ""


class WarmRunner:
    """Runner backed by a warm forking worker; thread-safe; restarts with a cap."""

    def __init__(self, restart_limit: int = 5, restart_window_s: float = 60.0, drivers: Path | None = None) -> None:
        """`drivers`: the file of harness drivers the children may call (by
        default the course's, `tutor/checking/drivers.py`)."""
        if drivers is None:
            from tutor.checking.harnesses import DRIVERS_FILE

            drivers = DRIVERS_FILE
        self._drivers = drivers
        self._lock = threading.Lock()
        self._worker: _WorkerProcess | None = None
        self._starts: collections.deque[float] = collections.deque()
        self._restart_limit = restart_limit
        self._restart_window_s = restart_window_s
        self._last_failure = ""
        self._closed = False

    # -- public -----------------------------------------------------------
    def run(self, source: str, entry: str, calls: Sequence[Call], limits: Limits) -> RunResult:
        message = encode_request(source, entry, [(call.args, call.harness) for call in calls], run_limits(limits))
        exchanged = self.exchange(message, limits.time_s)
        if isinstance(exchanged, RunResult):
            return exchanged
        return read_reply(*exchanged, limits, entry)

    def exchange(self, message: tuple[dict[str, Any], bytes], time_s: float) -> RunResult | tuple[Any, bytes]:
        """Send one encoded request and return the worker's reply undecoded, or
        the verdict-ready failure when the worker could not answer. The class's
        pool (`tutor.sandbox.pool`) forwards replies this way without reading them."""
        with self._lock:
            try:
                worker = self._ensure_worker()
            except WorkerUnavailable as error:
                return RunResult(status="unavailable", message=str(error))
            started = time.monotonic()
            try:
                return worker.request(message, time_s + REPLY_GRACE_S)
            except (OSError, EOFError, InvalidData) as error:
                self._lose_worker()
                hung = isinstance(error, TimeoutError) or isinstance(error, socket.timeout)
                what = "stopped answering" if hung else "stopped unexpectedly"
                return RunResult(
                    status="unavailable" if hung else "crashed",
                    message=f"The process that runs your code {what} while running it; it is being restarted. Try again.",
                    elapsed_s=time.monotonic() - started,
                )

    def warm_up(self) -> None:
        """Start the worker now if it is not running (blocking)."""
        with self._lock:
            try:
                self._ensure_worker()
            except WorkerUnavailable:
                pass

    def protections(self, unreadable: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        """Ask the worker to confine a probe child and test each protection from
        inside; `unreadable` names paths the child must fail to read."""
        with self._lock:
            worker = self._ensure_worker()
            try:
                reply, _ = worker.request(probe_request(unreadable), 30.0)
            except (OSError, EOFError, InvalidData) as error:
                self._lose_worker()
                raise WorkerUnavailable(f"the worker failed during the probe: {error}") from None
        if type(reply) is not dict or "error" in reply:
            raise WorkerUnavailable(str(reply.get("error") if type(reply) is dict else reply))
        return reply

    def worker_pid(self) -> int | None:
        worker = self._worker
        return worker.process.pid if worker is not None and worker.alive() else None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            worker, self._worker = self._worker, None
        if worker is not None:
            worker.close()

    # -- internals --------------------------------------------------------
    def _ensure_worker(self) -> _WorkerProcess:
        """Called with the lock held."""
        if self._worker is not None and self._worker.alive():
            return self._worker
        if self._worker is not None:
            self._worker.kill()
            self._worker = None
        if self._closed:
            raise WorkerUnavailable("The code runner has been shut down.")
        now = time.monotonic()
        while self._starts and now - self._starts[0] > self._restart_window_s:
            self._starts.popleft()
        if len(self._starts) >= self._restart_limit:
            raise WorkerUnavailable(
                f"The process that runs your code had to be started {len(self._starts)} times within "
                f"{self._restart_window_s:g} s, so the tutor stopped restarting it for now. "
                f"Last problem: {self._last_failure or 'it kept dying'}. Run `nntutor doctor` for details."
            )
        self._starts.append(now)
        try:
            self._worker = _WorkerProcess(self._drivers)
        except WorkerUnavailable as error:
            self._last_failure = str(error)
            raise WorkerUnavailable(f"The process that runs your code could not be started: {error}") from None
        return self._worker

    def _lose_worker(self) -> None:
        """Called with the lock held: drop the dead worker, start another in the background."""
        if self._worker is not None:
            self._last_failure = "the worker died during a run" + self._worker._stderr_tail()
            self._worker.kill()
            self._worker = None
        threading.Thread(target=self.warm_up, name="nntutor-worker-restart", daemon=True).start()
