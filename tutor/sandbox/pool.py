"""One checker pool for a class: warm sandbox workers shared by many tutor processes.

Thirty learners in `nntutor serve` are thirty tutor processes; each would
otherwise start its own warm worker (NumPy loaded, two confined spares forked),
which then sits idle nearly all the time. Instead `serve_pool` runs a few
workers (`host.WarmRunner`, with its restart cap) behind a Unix socket, and each
tutor process's `api.get_runner()` returns a `PoolRunner` talking to it when
``NNTUTOR_CHECKER_SOCKET`` names that socket.

At most `workers` checks run at once. Waiting checks sit in a fair queue
(`FairQueue`): one queue per learner, served in turn, the learner served longest
ago first, and never more than one check of a learner running at a time. A
learner whose training loop never ends is stopped by its own time limit anyway;
the fair queue means that, meanwhile, nobody else's check waits behind the
queue of checks that learner keeps submitting: another learner's check waits
for at most one check per worker. And since a worker is a core's worth of
checks, a check past half a second of CPU gets a lower CPU priority
(`lower_long_runs`): the training run keeps every cycle nobody else wants,
the other learners' checks and tutor processes come first.

Who a learner is comes from the tutor process (``NNTUTOR_LEARNER``, set per
tutor process by `nntutor serve`), else the connection. Learner code never
talks to the pool: it runs in the workers' confined children, which cannot open
sockets.

The wire is the sandbox's own (`protocol.send_message`): a request is the
worker request (limits as header, job as blob) with the learner added to the
header; the pool answers ``{"queued": n}`` at once (so a client can tell a
pool that is gone or stuck from one that is busy), then forwards the worker's
reply unread, or ``{"failed": {...}}`` when there was no reply to forward. The
pool never decodes a job or a result: the tutor process does both, exactly as
with its own worker, so verdicts are the same either way.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from tutor.course.model import Limits
from tutor.sandbox.api import CHECKER_SOCKET_ENV, Call, RunResult  # noqa: F401 (the variable serve sets)
from tutor.sandbox.host import WarmRunner, read_reply, run_limits
from tutor.sandbox.protocol import InvalidData, RunLimits, encode_request, receive_message, send_message

LEARNER_ENV = "NNTUTOR_LEARNER"
ACK_TIMEOUT_S = 5.0  # a pool silent this long (no "queued", no reply) is gone or stuck
MAX_LEARNER_CHARS = 200
HEARTBEAT_S = 1.0  # while a check waits or runs, the pool says so this often
LONG_RUN_CPU_S = 0.5  # a check's child past this much CPU is a long run: it yields the CPU to the rest
LONG_RUN_NICE = 10


# -- the queue --------------------------------------------------------------------------------


@dataclass(eq=False)
class Check:
    """One learner's request, waiting for a worker or being run by one."""

    learner: str
    message: tuple[dict[str, Any], bytes]
    time_s: float
    reply: RunResult | tuple[Any, bytes] | None = None
    finished: threading.Event = field(default_factory=threading.Event)


class FairQueue:
    """Checks per learner, handed out in turn.

    `take` gives the next check of the learner who was served longest ago
    (never served counts as longest, then by arrival) among those with a check
    waiting and fewer than `per_learner` running. So however many checks one
    learner piles up, each other learner's next check is among the next
    `workers` to start.
    """

    def __init__(self, per_learner: int = 1) -> None:
        self.per_learner = per_learner
        self._condition = threading.Condition()
        self._waiting: dict[str, collections.deque[Check]] = {}
        self._running: collections.Counter[str] = collections.Counter()
        self._served: dict[str, int] = {}  # learner -> turn number of their last start
        self._arrived: dict[str, int] = {}  # learner -> when they first queued anything
        self._turns = itertools.count(1)
        self._closed = False

    def put(self, check: Check) -> int:
        """Queue `check`; returns how many checks are waiting ahead of it."""
        with self._condition:
            ahead = sum(len(queue) for queue in self._waiting.values())
            self._waiting.setdefault(check.learner, collections.deque()).append(check)
            self._arrived.setdefault(check.learner, next(self._turns))
            self._condition.notify()
            return ahead

    def take(self) -> Check | None:
        """The next check to run (blocking), or None once the queue is closed."""
        with self._condition:
            while True:
                if self._closed:
                    return None
                ready = [learner for learner in self._waiting if self._running[learner] < self.per_learner]
                if ready:
                    learner = min(ready, key=lambda who: (self._served.get(who, 0), self._arrived[who]))
                    queue = self._waiting[learner]
                    check = queue.popleft()
                    if not queue:
                        del self._waiting[learner]
                    self._running[learner] += 1
                    self._served[learner] = next(self._turns)
                    return check
                self._condition.wait()

    def done(self, check: Check) -> None:
        with self._condition:
            self._running[check.learner] -= 1
            if not self._running[check.learner]:
                del self._running[check.learner]
            self._condition.notify_all()

    def ahead_of(self, check: Check) -> int:
        """How many checks wait before `check` (0 once it runs): the heartbeat's news."""
        with self._condition:
            if check not in self._waiting.get(check.learner, ()):
                return 0
            return sum(len(queue) for queue in self._waiting.values()) - 1

    def cancel(self, check: Check) -> bool:
        """Drop a check that has not started (its learner went away); False if it has."""
        with self._condition:
            queue = self._waiting.get(check.learner)
            if queue is None or check not in queue:
                return False
            queue.remove(check)
            if not queue:
                del self._waiting[check.learner]
            return True

    def counts(self) -> dict[str, int]:
        with self._condition:
            return {"waiting": sum(len(q) for q in self._waiting.values()), "running": sum(self._running.values()),
                    "learners_waiting": len(self._waiting)}

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()


# -- the pool process ---------------------------------------------------------------------


class Pool:
    """The listening socket, the workers and the queue between them."""

    def __init__(self, socket_path: str | os.PathLike[str], workers: int, per_learner: int = 1) -> None:
        if workers < 1:
            raise ValueError("a checker pool needs at least one worker")
        self.socket_path = Path(socket_path)
        self.queue = FairQueue(per_learner)
        self.runners = [WarmRunner() for _ in range(workers)]
        self._stopping = threading.Event()
        self._connections = itertools.count(1)
        self._listener = _listen(self.socket_path)
        self._threads = [threading.Thread(target=self._work, args=(runner,), name=f"pool-worker-{n}", daemon=True)
                         for n, runner in enumerate(self.runners, 1)]
        self._threads.append(threading.Thread(target=self._lower_long_runs, name="pool-long-runs", daemon=True))
        self.lowered = 0  # long runs given a lower CPU priority so far

    def serve_forever(self) -> None:
        for thread in self._threads:
            thread.start()
        self._listener.settimeout(0.5)  # to notice stop()
        try:
            while not self._stopping.is_set():
                try:
                    connection, _ = self._listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    if self._stopping.is_set():
                        break
                    raise
                connection.settimeout(None)
                number = next(self._connections)
                threading.Thread(target=self._serve_connection, args=(connection, number),
                                 name=f"pool-connection-{number}", daemon=True).start()
        finally:
            self.close()

    def stop(self) -> None:
        self._stopping.set()

    def close(self) -> None:
        self._stopping.set()
        self.queue.close()
        try:
            self._listener.close()
        finally:
            try:
                self.socket_path.unlink()
            except OSError:
                pass
            for runner in self.runners:
                runner.close()

    # -- workers ------------------------------------------------------------------------
    def _work(self, runner: WarmRunner) -> None:
        runner.warm_up()
        while True:
            check = self.queue.take()
            if check is None:
                return
            try:
                check.reply = runner.exchange(check.message, check.time_s)
            except Exception as error:  # noqa: BLE001 - the learner gets a verdict whatever went wrong here
                check.reply = RunResult(status="unavailable", message=f"The class's checker failed: {error}")
            finally:
                check.finished.set()
                self.queue.done(check)

    def _lower_long_runs(self) -> None:
        """Give a check that has used more than LONG_RUN_CPU_S of CPU (a training
        run, or a loop that never ends) a lower CPU priority, so that on a machine
        with as many workers as cores it no longer takes a whole core from the
        other learners' checks and tutor processes: it still gets every cycle
        nobody else wants, and its wall-clock limit is unchanged. The fair queue
        shares the workers; this shares the cores."""
        while not self._stopping.wait(HEARTBEAT_S / 2):
            for runner in self.runners:
                worker = runner.worker_pid()
                if worker is not None:
                    self.lowered += lower_long_runs(worker)

    # -- clients ------------------------------------------------------------------------
    def _serve_connection(self, connection: socket.socket, number: int) -> None:
        with connection:
            while not self._stopping.is_set():
                try:
                    message = receive_message(connection)
                    if message is None:
                        return
                    header, blob = message
                    if type(header) is dict and header.get("status"):
                        send_message(connection, self.status())
                        continue
                    try:
                        check = _read_check(header, blob, f"connection-{number}")
                    except InvalidData as problem:
                        send_message(connection, _failed("invalid_result", f"The class's checker refused the request: {problem}"))
                        continue
                    send_message(connection, {"queued": self.queue.put(check)})
                    while not check.finished.wait(HEARTBEAT_S):
                        if _hung_up(connection) and self.queue.cancel(check):
                            return  # nobody is waiting for this one any more
                        send_message(connection, {"queued": self.queue.ahead_of(check)})
                    send_message(connection, *_reply_message(check.reply))
                except (OSError, EOFError, InvalidData):
                    return

    def status(self) -> dict[str, Any]:
        warm = sum(1 for runner in self.runners if runner.worker_pid() is not None)
        return {"workers": len(self.runners), "warm": warm, "lowered": self.lowered, **self.queue.counts()}


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def lower_long_runs(worker: int) -> int:
    """Renice the children of `worker` that have used more than LONG_RUN_CPU_S
    of CPU (its waiting spares have used none); returns how many it lowered now."""
    lowered = 0
    for child in _children(worker):
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            cpu_s = (int(fields[11]) + int(fields[12])) / _TICKS
            if cpu_s > LONG_RUN_CPU_S and int(fields[16]) < LONG_RUN_NICE:
                os.setpriority(os.PRIO_PROCESS, child, LONG_RUN_NICE)
                lowered += 1
        except (OSError, IndexError, ValueError):
            continue  # it ended meanwhile
    return lowered


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
    except (OSError, ValueError):
        pass
    return found


def _read_check(header: Any, blob: bytes, connection_name: str) -> Check:
    if type(header) is not dict:
        raise InvalidData("the request is not an object")
    limits = RunLimits.from_json(header.get("limits"))
    learner = header.get("learner")
    if learner is None or learner == "":
        learner = connection_name
    if type(learner) is not str or len(learner) > MAX_LEARNER_CHARS:
        raise InvalidData("the learner is not a short text")
    return Check(learner=f"learner:{learner}", message=({"limits": limits.to_json()}, blob), time_s=limits.time_s)


def _failed(status: str, message: str, elapsed_s: float = 0.0) -> dict[str, Any]:
    return {"failed": {"status": status, "message": message, "elapsed_s": elapsed_s}}


def _reply_message(reply: RunResult | tuple[Any, bytes] | None) -> tuple[dict[str, Any], bytes]:
    if reply is None:
        return _failed("unavailable", "The class's checker stopped before running your code. Try again."), b""
    if isinstance(reply, RunResult):
        return _failed(reply.status, reply.message, reply.elapsed_s), b""
    return reply


def _hung_up(connection: socket.socket) -> bool:
    """The client closed its end (peeking, so a pipelined request is left alone)."""
    try:
        connection.setblocking(False)
        try:
            return connection.recv(1, socket.MSG_PEEK) == b""
        finally:
            connection.setblocking(True)
    except BlockingIOError:
        return False
    except OSError:
        return True


def _listen(path: Path) -> socket.socket:
    """A listening Unix socket at `path` that only this user can connect to; a
    stale socket file left by a dead pool is replaced, a live pool's is not."""
    if path.exists():
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink()
        else:
            probe.close()
            raise OSError(f"a checker pool is already serving on {path}")
        finally:
            probe.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_mask = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old_mask)
    listener.listen(128)
    return listener


def default_workers() -> int:
    """One worker per core: a check is CPU-bound."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def serve_pool(socket_path: str | os.PathLike[str], workers: int | None = None, per_learner: int = 1) -> None:
    """Run the class's checker pool on the Unix socket `socket_path` until
    SIGTERM or SIGINT (blocking). `workers` warm workers (default: one per core)
    bound how many checks run at once."""
    pool = Pool(socket_path, workers or default_workers(), per_learner)
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: pool.stop())
    pool.serve_forever()


def wait_for_pool(socket_path: str | os.PathLike[str], timeout_s: float = 30.0, warm: bool = True) -> dict[str, Any]:
    """Block until the pool at `socket_path` answers (and, with `warm`, all
    its workers are started); returns its status. Raises TimeoutError."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            status = pool_status(socket_path)
            if not warm or status["warm"] == status["workers"]:
                return status
        except (OSError, EOFError, InvalidData):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"no checker pool answered on {socket_path} within {timeout_s:g} s")
        time.sleep(0.05)


def pool_status(socket_path: str | os.PathLike[str]) -> dict[str, Any]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(ACK_TIMEOUT_S)
        sock.connect(str(socket_path))
        send_message(sock, {"status": True})
        reply = receive_message(sock)
    if reply is None or type(reply[0]) is not dict:
        raise InvalidData("the pool's status is not an object")
    return reply[0]


# -- the tutor's side ------------------------------------------------------------------------


class PoolRunner:
    """A Runner (as `api.Runner`) whose checks run in the class's pool.

    One connection, kept open and reconnected after any failure; one check at
    a time from this process (a lock, as with the warm worker). The pool sends
    a heartbeat every HEARTBEAT_S while the check waits or runs, so a pool that
    is gone gives an "unavailable" verdict at once and one that is stuck within
    ACK_TIMEOUT_S: never a hang, however long the queue.
    """

    def __init__(self, socket_path: str | os.PathLike[str], learner: str | None = None) -> None:
        self.socket_path = str(socket_path)
        self.learner = learner or os.environ.get(LEARNER_ENV) or f"process-{os.getpid()}"
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None

    def run(self, source: str, entry: str, calls: Sequence[Call], limits: Limits) -> RunResult:
        header, blob = encode_request(source, entry, [(call.args, call.harness) for call in calls], run_limits(limits))
        started = time.monotonic()
        with self._lock:
            for attempt in (1, 2):
                reused = self._sock is not None
                acknowledged = False
                try:
                    sock = self._connected()
                    send_message(sock, {**header, "learner": self.learner}, blob)
                    reply = _receive(sock)
                    while type(reply[0]) is dict and "queued" in reply[0]:  # the pool's heartbeat
                        acknowledged = True
                        reply = _receive(sock)
                    break
                except (OSError, EOFError, InvalidData) as error:
                    self._drop()
                    if attempt == 1 and reused and not acknowledged:
                        continue  # a connection to a pool since restarted: the check never ran, send it again
                    return RunResult(status="unavailable", elapsed_s=time.monotonic() - started, message=(
                        f"The class's code checker is not answering ({_reason(error)}), so your code was not run. "
                        "Try again in a moment; if it keeps happening, tell your teacher."))
        reply_header, reply_blob = reply
        if type(reply_header) is dict and type(reply_header.get("failed")) is dict:
            failed = reply_header["failed"]
            status = failed.get("status") if failed.get("status") in _FAILURE_STATUSES else "unavailable"
            return RunResult(status=status, message=str(failed.get("message", "")),
                             elapsed_s=float(failed.get("elapsed_s") or 0.0))
        return read_reply(reply_header, reply_blob, limits, entry)

    def warm_up(self) -> None:
        """Connect now, so the first check does not pay for it."""
        with self._lock:
            try:
                self._connected()
            except OSError:
                self._drop()

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _connected(self) -> socket.socket:
        if self._sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(ACK_TIMEOUT_S)
            try:
                sock.connect(self.socket_path)
            except OSError:
                sock.close()
                raise
            self._sock = sock
        return self._sock

    def _drop(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None


_FAILURE_STATUSES = {"timeout", "memory", "crashed", "invalid_result", "unavailable"}


def _receive(sock: socket.socket) -> tuple[Any, bytes]:
    message = receive_message(sock)
    if message is None:
        raise EOFError("the pool closed the connection")
    return message


def _reason(error: BaseException) -> str:
    if isinstance(error, FileNotFoundError):
        return "its socket is gone"
    if isinstance(error, ConnectionRefusedError):
        return "nothing is listening on its socket"
    if isinstance(error, TimeoutError):
        return "it did not answer in time"
    if isinstance(error, (BrokenPipeError, ConnectionResetError, EOFError)):
        return "it stopped"
    return str(error) or type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tutor.sandbox.pool",
                                     description="Run a class's shared checker pool on a Unix socket.")
    parser.add_argument("socket", help="path of the Unix socket to listen on")
    parser.add_argument("--workers", type=int, default=None, help="warm workers, i.e. checks at once (default: one per core)")
    options = parser.parse_args(argv)
    serve_pool(options.socket, workers=options.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
