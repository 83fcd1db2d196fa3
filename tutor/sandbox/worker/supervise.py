"""Watch one child until it ends or its time is up; kill and reap it either way.

The parent side of a run: read the child's output (capped) and its result frames
(capped, nonce-checked) while waiting for it to exit, enforce the wall-clock
deadline, then kill its whole process group and reap it so nothing is left
behind. The child is never reaped before the group kill, so its pid (which is
also the group id) cannot have been reused by the time we signal it.
"""

from __future__ import annotations

import errno
import os
import selectors
import signal
import time

from ..protocol import FrameReader, RawRun

MAX_RESULT_BYTES = 64_000_000
_CHUNK = 65536


def supervise(
    pid: int,
    output_fd: int,
    result_fd: int,
    nonce: bytes,
    time_s: float,
    output_bytes: int,
    started: float,
    cpu_limit_s: float | None = None,
    defer_reap: bool = False,
) -> tuple[RawRun, bool]:
    """Collect everything about child `pid`; closes both fds before returning.

    Returns the facts and whether the child was reaped. With `defer_reap`, a child
    that sent its end-of-report frame and closed both pipes is killed (its group
    too) but not waited for: the caller replies first and calls `reap` after,
    taking the teardown of a large address space off the critical path.
    """
    deadline = started + time_s
    output = bytearray()
    frames = FrameReader(nonce, MAX_RESULT_BYTES)
    overflow = timed_out = False
    open_fds = {output_fd, result_fd}
    for fd in open_fds:
        os.set_blocking(fd, False)
    pidfd = _pidfd(pid)
    selector = selectors.DefaultSelector()
    for fd in open_fds:
        selector.register(fd, selectors.EVENT_READ)
    if pidfd is not None:
        selector.register(pidfd, selectors.EVENT_READ)
    exited = reaped = False
    status, usage = 0, None
    try:
        while not exited:
            if defer_reap and frames.finished and not open_fds:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready = selector.select(remaining if pidfd is not None else min(remaining, 0.002))
            for key, _ in ready:
                if key.fd == pidfd:
                    exited = True
                elif not _drain(key.fd, output, frames, output_fd, output_bytes, selector, open_fds):
                    pass
            if _over(output, nonce, output_bytes):
                overflow = True
                break
            if frames.problem is not None and frames.total > MAX_RESULT_BYTES:
                break
            if pidfd is None and not exited:
                exited = _has_exited(pid)
        _kill_group(pid)
        if exited or not (defer_reap and frames.finished and not open_fds):
            status, usage = reap(pid)
            reaped = True
        for fd in list(open_fds):  # whatever the child wrote just before it ended
            _drain(fd, output, frames, output_fd, output_bytes, selector, open_fds)
        if _over(output, nonce, output_bytes):
            overflow = True
    finally:
        selector.close()
        for fd in (output_fd, result_fd, pidfd):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
    frames.finish()
    ended_cleanly = frames.finished and not reaped
    printed, marks = split_output(bytes(output), nonce, output_bytes)
    raw = RawRun(
        payloads=tuple(frames.payloads),
        frame_problem=frames.problem,
        truncated=frames.truncated,
        output=printed,
        output_marks=marks,
        output_overflow=overflow,
        timed_out=timed_out,
        exit_code=None if ended_cleanly else (os.WEXITSTATUS(status) if os.WIFEXITED(status) else None),
        signal=None if ended_cleanly else (os.WTERMSIG(status) if os.WIFSIGNALED(status) else None),
        cpu_s=usage.ru_utime + usage.ru_stime if usage is not None else 0.0,
        cpu_limit_s=cpu_limit_s,
        elapsed_s=time.monotonic() - started,
    )
    return raw, reaped


def _over(output: bytearray, nonce: bytes, output_bytes: int) -> bool:
    """More printed than allowed, not counting the child's end-of-call marks
    (counted only when the raw length is over: the usual run pays nothing)."""
    return len(output) > output_bytes and len(output) - len(nonce) * output.count(nonce) > output_bytes


def split_output(raw: bytes, nonce: bytes, output_bytes: int) -> tuple[str, tuple[int, ...]]:
    """The output without the child's marks (`nonce` after loading and after
    each call), capped at `output_bytes` and decoded, and where each mark was
    (character offsets into it): the parts are what loading and each call printed."""
    parts = raw.split(nonce)
    texts: list[str] = []
    marks: list[int] = []
    room, length = output_bytes, 0
    for number, part in enumerate(parts):
        kept = part[:room]
        room -= len(kept)
        texts.append(kept.decode("utf-8", errors="replace"))
        length += len(texts[-1])
        if number == len(parts) - 1 or len(kept) < len(part):
            break  # the last part, or cut off inside this one: no mark after it can be trusted
        marks.append(length)
    return "".join(texts), tuple(marks)


def _drain(fd: int, output: bytearray, frames: FrameReader, output_fd: int, output_bytes: int, selector: selectors.BaseSelector, open_fds: set[int]) -> bool:
    """Read what is available now; unregister at end of stream. False once closed."""
    if fd not in open_fds:
        return False
    while True:
        try:
            data = os.read(fd, _CHUNK)
        except BlockingIOError:
            return True
        except OSError:
            data = b""
        if not data:
            selector.unregister(fd)
            open_fds.discard(fd)
            return False
        if fd == output_fd:
            output += data
            if len(output) > output_bytes:
                return True
        else:
            frames.feed(data)


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _has_exited(pid: int) -> bool:
    """Exited but not yet reaped (WNOWAIT keeps the zombie, and so the pid, ours)."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def _kill_group(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError as error:
            if error.errno not in (errno.ESRCH, errno.EPERM):
                raise


def reap(pid: int) -> tuple[int, object | None]:
    """Wait for `pid` (already killed) and return its status and resource usage."""
    while True:
        try:
            _, status, usage = os.wait4(pid, 0)
            return status, usage
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0, None
