"""An audit hook that names what learner code tried to do, for the verdict.

The kernel (seccomp, Landlock, rlimits) is what actually stops a snippet; a
Python audit hook can be sidestepped with ctypes. What the hook adds is words:
when a snippet calls ``os.fork()`` or ``open(path, "w")`` the hook refuses it
with a PermissionError that says why, and reports the attempt so the verdict can
say "your code tried to start a new process" instead of a bare EPERM. Installed
in the child only, just before learner code runs (audit hooks cannot be removed).
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable

START_PROCESS = "start a new process"
SIGNAL_OTHERS = "send a signal to another process"
NETWORK = "use the network"
WRITE_FILES = "write, change or delete files"
RAISE_LIMITS = "change its resource limits"

_EVENTS: dict[str, str] = {
    "os.fork": START_PROCESS,
    "os.forkpty": START_PROCESS,
    "os.exec": START_PROCESS,
    "os.posix_spawn": START_PROCESS,
    "os.spawn": START_PROCESS,
    "os.system": START_PROCESS,
    "os.startfile": START_PROCESS,
    "subprocess.Popen": START_PROCESS,
    "pty.spawn": START_PROCESS,
    "socket.__new__": NETWORK,
    "socket.getaddrinfo": NETWORK,
    "socket.gethostbyname": NETWORK,
    "os.remove": WRITE_FILES,
    "os.rmdir": WRITE_FILES,
    "os.rename": WRITE_FILES,
    "os.truncate": WRITE_FILES,
    "os.mkdir": WRITE_FILES,
    "os.mkfifo": WRITE_FILES,
    "os.mknod": WRITE_FILES,
    "os.chmod": WRITE_FILES,
    "os.chown": WRITE_FILES,
    "os.link": WRITE_FILES,
    "os.symlink": WRITE_FILES,
    "os.utime": WRITE_FILES,
    "shutil.rmtree": WRITE_FILES,
    "resource.setrlimit": RAISE_LIMITS,
    "resource.prlimit": RAISE_LIMITS,
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def classify(event: str, args: tuple[Any, ...]) -> str | None:
    """The forbidden thing an audit event stands for, or None if it is harmless."""
    if event == "open":
        path, mode, flags = (tuple(args) + (None, None, None))[:3]
        if isinstance(path, int):
            return None  # an already-open descriptor: the kernel has the last word
        if isinstance(mode, str) and any(c in mode for c in "wax+"):
            return WRITE_FILES
        if isinstance(flags, int) and flags & _WRITE_FLAGS:
            return WRITE_FILES
        return None
    if event in ("os.kill", "os.killpg"):
        target = args[0] if args else None
        own = os.getpid() if event == "os.kill" else os.getpgid(0)
        return None if target in (0, own) else SIGNAL_OTHERS
    return _EVENTS.get(event)


def install(report: Callable[[str], None]) -> None:
    """Refuse forbidden operations from now on, calling `report` once per kind."""
    reported: set[str] = set()

    def hook(event: str, args: tuple[Any, ...]) -> None:
        what = classify(event, args)
        if what is None:
            return
        if what not in reported:
            reported.add(what)
            report(what)
        raise PermissionError(f"the tutor does not let your code {what}")

    sys.addaudithook(hook)
