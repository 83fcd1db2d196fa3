"""Landlock through raw syscalls: a read-only filesystem, no TCP, no signals out.

Landlock (Linux 5.13+) lets an unprivileged process give up access rights for
itself and its future threads. The child handles every filesystem right the
kernel's ABI knows and grants back only read, list and execute beneath "/", so
nothing can be written, truncated, created or removed (ABI 3 adds truncate). From
ABI 4, binding and connecting TCP sockets are handled and not granted; from
ABI 6, signals to processes outside the domain (the worker, the tutor) are
refused. Each layer is used only when the running kernel offers it.
"""

from __future__ import annotations

import ctypes
import os

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


def restrict(abi: int) -> list[str]:
    """Confine the calling process; returns the layers that are now in force."""
    if abi < 1:
        return []
    handled_fs = _FS_BY_ABI.get(abi, (1 << 16) - 1)
    attr = _RulesetAttr(handled_access_fs=handled_fs)
    layers = ["filesystem read-only"]
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
        root = os.open("/", os.O_PATH | os.O_CLOEXEC)
        try:
            rule = _PathBeneathAttr(allowed_access=FS_EXECUTE | FS_READ_FILE | FS_READ_DIR, parent_fd=root)
            syscall("landlock_add_rule", ruleset, RULE_PATH_BENEATH, ctypes.byref(rule), 0)
        finally:
            os.close(root)
        syscall("landlock_restrict_self", ruleset, 0)
    finally:
        os.close(ruleset)
    return layers
