"""Inside a confined probe child: try each forbidden thing for real and record what the kernel said.

Raw calls (no audit hook is installed in the probe), so the answer reflects the
kernel-level protections only. Every attempt is harmless if it succeeds: a forked
probe exits at once, exec targets a path that does not exist, the file written is
removed again, the TCP connection goes to a closed local port, the signal is 0.
"""

from __future__ import annotations

import errno
import os
import resource
import socket
import threading


def _outcome(action) -> str:  # type: ignore[no-untyped-def]
    try:
        action()
    except OSError as error:
        if error.errno in (errno.EPERM, errno.EACCES, errno.ENOSYS):
            return "blocked"
        return f"allowed ({errno.errorcode.get(error.errno or 0, error.errno)})"
    except ValueError:  # resource.setrlimit's way of saying EPERM
        return "blocked"
    return "allowed"


def _fork() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def _exec() -> None:
    os.execv("/nonexistent/nntutor-probe", ["nntutor-probe"])


def _write_file() -> None:
    path = f"/tmp/nntutor-probe-{os.getpid()}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.unlink(path)


def _tcp() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        sock.connect(("127.0.0.1", 9))


def _signal_parent() -> None:
    os.kill(os.getppid(), 0)


def _raise_rlimit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (hard + 10, hard + 10))


def _thread() -> None:
    thread = threading.Thread(target=lambda: None)
    thread.start()
    thread.join()


def attempts() -> dict[str, str]:
    """name -> "blocked" or "allowed (...)"; threads are meant to be allowed."""
    return {
        "start a process (fork)": _outcome(_fork),
        "run a program (execve)": _outcome(_exec),
        "write a file": _outcome(_write_file),
        "open a TCP connection": _outcome(_tcp),
        "signal the worker": _outcome(_signal_parent),
        "raise its CPU limit": _outcome(_raise_rlimit),
        "start a thread": _outcome(_thread),
    }
