"""Landlock through raw syscalls: a narrow read-only filesystem, no TCP, no signals out.

Landlock (Linux 5.13+) lets an unprivileged process give up access rights for
itself and its future threads. The child handles every filesystem right the
kernel's ABI knows and grants back only read, list and execute, and only
beneath the few paths a check needs (`readable_paths` in the worker: the
standard library, NumPy, shared libraries, a few device files), so nothing can
be written, truncated, created or removed (ABI 3 adds truncate), and the
lessons, the progress store, drafts, $HOME, other terminals and other
processes' /proc cannot be read. (Landlock does not hide that a path exists:
stat still works.) From
ABI 4, binding and connecting TCP sockets are handled and not granted; from
ABI 6, signals to processes outside the domain (the worker, the tutor) are
refused. Each layer is used only when the running kernel offers it.
"""

from __future__ import annotations

import ctypes
import os
import stat
from typing import Sequence

from .syscalls import syscall

CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1

FS_EXECUTE = 1 << 0
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1, 5: (1 << 16) - 1}
NET_BIND_TCP = 1 << 0
NET_CONNECT_TCP = 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
SCOPE_SIGNAL = 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def abi_version() -> int:
    """The Landlock ABI the kernel offers; 0 if none (old kernel, disabled, or not Linux)."""
    try:
        return syscall("landlock_create_ruleset", None, 0, CREATE_RULESET_VERSION)
    except OSError:
        return 0


def prepare(abi: int, readable: Sequence[str], listable: Sequence[str] = ()) -> tuple[int, list[str]]:
    """A ruleset (its fd) that grants reading, listing and executing beneath
    each of `readable`, listing (names, not contents) beneath each of
    `listable`, and nothing else, with the layers it puts in force.

    Made once, in the worker; each child enforces it (`enforce`) on itself, so
    the rules cost a child one system call. Paths that do not exist are skipped.
    """
    handled_fs = _FS_BY_ABI.get(abi, (1 << 16) - 1)
    attr = _RulesetAttr(handled_access_fs=handled_fs)
    layers = ["filesystem read-only", "reads only beneath the paths below"]
    size = 8
    if abi >= 4:
        attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP
        layers.append("TCP bind/connect blocked")
        size = 16
    if abi >= 6:
        attr.scoped = SCOPE_SIGNAL | SCOPE_ABSTRACT_UNIX_SOCKET
        layers.append("signals to other processes blocked")
        size = 24
    ruleset = syscall("landlock_create_ruleset", ctypes.byref(attr), size, 0)
    try:
        for path, listing_only in [(p, False) for p in readable] + [(p, True) for p in listable]:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
                if listing_only and not is_dir:
                    continue
                allowed = FS_READ_DIR if listing_only else FS_EXECUTE | FS_READ_FILE | (FS_READ_DIR if is_dir else 0)
                rule = _PathBeneathAttr(allowed_access=allowed, parent_fd=fd)
                syscall("landlock_add_rule", ruleset, RULE_PATH_BENEATH, ctypes.byref(rule), 0)
            finally:
                os.close(fd)
    except BaseException:
        os.close(ruleset)
        raise
    return ruleset, layers


def enforce(ruleset: int) -> None:
    """Confine the calling process (and its future threads) to `ruleset`."""
    syscall("landlock_restrict_self", ruleset, 0)


def restrict(abi: int, readable: Sequence[str] = ("/",)) -> list[str]:
    """Confine the calling process at once; returns the layers now in force."""
    if abi < 1:
        return []
    ruleset, layers = prepare(abi, readable)
    try:
        enforce(ruleset)
    finally:
        os.close(ruleset)
    return layers
