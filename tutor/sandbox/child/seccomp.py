"""A seccomp BPF allow-list, assembled in Python, that the child installs last.

The posture of isolate, nsjail and browser sandboxes: every system call is
refused (EPERM, so Python raises an ordinary PermissionError) unless it is on
the list below, grouped by what the learner's code, NumPy and the harness need
it for. A family nobody thought of (timestamps, extended attributes, SysV IPC,
io_uring, keyrings, a call added to the kernel next year) is closed by default.

A few allowed calls are only allowed with certain arguments:
- clone: threads only (CLONE_THREAD). A thread shares its process's rlimits (CPU
  time is per process), its address-space limit (every thread stack counts)
  and its fate (the group kill ends it). clone3 answers ENOSYS, so glibc falls
  back to clone, where the flag is visible.
- kill / tgkill: only to itself (its pid, its group, 0).
- prlimit64: reading limits (new limit NULL), never setting them.
- open / openat: read-only flags (no write, create, truncate or append).
Anything from another ABI (x32 on x86_64, or a different AUDIT_ARCH) kills the
process, since syscall numbers would not mean what the filter thinks.
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct

from .syscalls import ARCH, PR_SET_SECCOMP, prctl

SECCOMP_MODE_FILTER = 2
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000
RET_ALLOW = 0x7FFF0000
CLONE_THREAD = 0x00010000
X32_SYSCALL_BIT = 0x40000000
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

_LD_ABS_W = 0x20
_JEQ = 0x15
_JSET = 0x45
_RET = 0x06
_NR = 0
_ARCH_OFFSET = 4

#: What the child may call, by what for. Calls a platform lacks (aarch64 has no
#: `open`, `stat`, `poll`, ...) are simply absent there.
ALLOWED: dict[str, tuple[str, ...]] = {
    "its own memory": ("brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "membarrier"),
    "reading (Landlock decides what)": (
        "read", "pread64", "readv", "preadv", "preadv2", "lseek", "close", "fstat", "stat", "lstat",
        "newfstatat", "statx", "readlink", "readlinkat", "access", "faccessat", "faccessat2",
        "getdents", "getdents64", "getcwd", "fcntl", "dup", "dup2", "dup3", "ioctl", "fadvise64",
    ),
    "writing its output": ("write", "writev", "pipe", "pipe2"),
    "time and waiting": (
        "clock_gettime", "clock_getres", "gettimeofday", "time", "nanosleep", "clock_nanosleep",
        "poll", "ppoll", "select", "pselect6", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",
        "alarm", "setitimer", "getitimer", "restart_syscall",
    ),
    "threads and signals to itself": (
        "futex", "futex_waitv", "set_robust_list", "get_robust_list", "rseq", "set_tid_address", "gettid",
        "sched_yield", "sched_getaffinity", "sched_getparam", "sched_getscheduler", "getcpu",
        "exit", "exit_group", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend",
        "rt_sigtimedwait", "rt_sigpending", "sigaltstack", "wait4", "waitid",
    ),
    "facts about itself": (
        "getpid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getgroups", "getresuid", "getresgid",
        "getpgrp", "getpgid", "getsid", "uname", "sysinfo", "getrusage", "getrlimit", "times",
        "getpriority", "capget", "getrandom",
    ),
}
#: Allowed with the argument checks described above.
CHECKED = ("clone", "kill", "tgkill", "prlimit64", "open", "openat")
#: Called often enough to be worth testing first.
_FIRST = ("read", "write", "newfstatat", "futex", "close", "lseek", "mmap", "munmap", "ioctl", "getdents64", "brk")


def allowed_names() -> list[str]:
    """Every call the filter lets through on this platform (some only with checked arguments)."""
    numbers = ARCH.numbers if ARCH is not None else {}
    names = [name for group in ALLOWED.values() for name in group] + list(CHECKED)
    return [name for name in dict.fromkeys(names) if name in numbers]


def _arg_low(index: int) -> int:
    return 16 + 8 * index  # low 32 bits of seccomp_data.args[index] (little-endian)


def _arg_high(index: int) -> int:
    return 20 + 8 * index


class _Program:
    """Tiny classic-BPF assembler: forward jumps to labels, resolved at the end."""

    def __init__(self) -> None:
        self._code: list[tuple[int, object, object, int]] = []
        self._labels: dict[str, int] = {}

    def load(self, offset: int) -> None:
        self._code.append((_LD_ABS_W, 0, 0, offset))

    def jump(self, op: int, k: int, true: object = 0, false: object = 0) -> None:
        self._code.append((op, true, false, k & 0xFFFFFFFF))

    def ret(self, value: int) -> None:
        self._code.append((_RET, 0, 0, value))

    def label(self, name: str) -> None:
        self._labels[name] = len(self._code)

    def assemble(self) -> bytes:
        out = bytearray()
        for index, (code, jt, jf, k) in enumerate(self._code):
            out += struct.pack("=HBBI", code, self._offset(index, jt), self._offset(index, jf), k)
        return bytes(out)

    def _offset(self, index: int, target: object) -> int:
        if isinstance(target, int):
            return target
        distance = self._labels[str(target)] - index - 1
        if not 0 <= distance <= 255:
            raise ValueError("seccomp jump out of range")
        return distance


def build_filter(own_pid: int) -> bytes:
    """The filter for a child whose pid (and process group) is `own_pid`."""
    if ARCH is None:
        raise OSError(errno.ENOSYS, "seccomp filter: unsupported architecture")
    nr = ARCH.numbers
    p = _Program()
    p.load(_ARCH_OFFSET)
    p.jump(_JEQ, ARCH.audit_arch, 1, 0)
    p.ret(RET_KILL_PROCESS)
    p.load(_NR)
    if ARCH.name == "x86_64":
        p.jump(_JSET, X32_SYSCALL_BIT, 0, 1)
        p.ret(RET_KILL_PROCESS)
    plain = [name for name in allowed_names() if name not in CHECKED]
    for name in sorted(plain, key=lambda n: (n not in _FIRST, _FIRST.index(n) if n in _FIRST else 0)):
        p.jump(_JEQ, nr[name], "allow", 0)
    if "clone3" in nr:
        p.jump(_JEQ, nr["clone3"], 0, 1)
        p.ret(RET_ERRNO | errno.ENOSYS)
    # clone: threads only.
    p.jump(_JEQ, nr["clone"], 0, "after_clone")
    p.load(_arg_low(0))
    p.jump(_JSET, CLONE_THREAD, "allow", "deny")
    p.label("after_clone")
    # kill(pid, sig): only itself, its own group, or 0 (its group).
    p.jump(_JEQ, nr["kill"], 0, "after_kill")
    p.load(_arg_low(0))
    for allowed in (0, own_pid, -own_pid):
        p.jump(_JEQ, allowed, "allow", 0)
    p.ret(RET_ERRNO | errno.EPERM)
    p.label("after_kill")
    # tgkill(tgid, tid, sig): only threads of its own process.
    p.jump(_JEQ, nr["tgkill"], 0, "after_tgkill")
    p.load(_arg_low(0))
    p.jump(_JEQ, own_pid, "allow", "deny")
    p.label("after_tgkill")
    # prlimit64(pid, resource, new, old): reading limits (new == NULL) is fine, setting is not.
    p.jump(_JEQ, nr["prlimit64"], 0, "after_prlimit")
    p.load(_arg_low(2))
    p.jump(_JEQ, 0, 0, "deny")
    p.load(_arg_high(2))
    p.jump(_JEQ, 0, "allow", "deny")
    p.label("after_prlimit")
    # open(path, flags) / openat(dirfd, path, flags): read-only opens only.
    for name, flags_arg in (("open", 1), ("openat", 2)):
        if name in nr:
            p.jump(_JEQ, nr[name], 0, f"after_{name}")
            p.load(_arg_low(flags_arg))
            p.jump(_JSET, WRITE_FLAGS, "deny_files", "allow")
            p.label(f"after_{name}")
    p.label("deny")
    p.ret(RET_ERRNO | errno.EPERM)
    p.label("deny_files")
    p.ret(RET_ERRNO | errno.EACCES)
    p.label("allow")
    p.ret(RET_ALLOW)
    return p.assemble()


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install(own_pid: int) -> None:
    """Install the filter on the calling thread (the child is single-threaded
    here, and threads it makes later inherit it). Needs no_new_privs first."""
    program = build_filter(own_pid)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog))
