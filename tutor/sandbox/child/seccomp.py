"""A seccomp BPF filter, assembled in Python, that the child installs last.

What it refuses (with an errno, so Python raises an ordinary OSError):
- new processes: fork, vfork, clone without CLONE_THREAD, clone3 (ENOSYS, so
  glibc falls back to clone, where the flag is visible), execve, execveat.
  *Threads are allowed*: clone with CLONE_THREAD creates a thread of the same
  process, which shares its rlimits (CPU time is per process), its address-space
  limit (every thread stack counts) and its fate (the group kill ends it). NumPy
  and learners' `threading` code keep working; a thread bomb hits the memory limit.
- signals to anyone but itself: kill/tgkill only to its own pid, pgid or 0;
  tkill, sigqueue, pidfd_send_signal, ptrace and process_vm_* refused.
- changing its limits or session: setrlimit, prlimit64 with a new limit
  (reading limits stays possible), setsid, setpgid.
- files: open/openat with any write, create, truncate or append flag, openat2,
  creat, truncate, unlink, rename, mkdir, link, chmod, chown and friends.
- sockets of any family, and a list of administration calls (mount, bpf,
  io_uring, namespaces, keyrings, modules) that a tutor snippet never needs.
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


def _arg_low(index: int) -> int:
    return 16 + 8 * index  # low 32 bits of seccomp_data.args[index] (little-endian)


def _arg_high(index: int) -> int:
    return 20 + 8 * index


DENY_PROCESS = ("fork", "vfork", "execve", "execveat")
DENY_SIGNAL = ("tkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal", "pidfd_getfd",
               "ptrace", "process_vm_readv", "process_vm_writev")
DENY_LIMITS = ("setrlimit", "setsid", "setpgid")  # prlimit64: see build_filter
DENY_FILES = ("creat", "openat2", "truncate", "ftruncate", "rename", "renameat", "renameat2", "mkdir", "mkdirat",
              "rmdir", "link", "linkat", "unlink", "unlinkat", "symlink", "symlinkat", "chmod", "fchmod", "fchmodat",
              "fchmodat2", "chown", "fchown", "lchown", "fchownat", "mknod", "mknodat")
DENY_NETWORK = ("socket", "socketpair")
DENY_ADMIN = ("mount", "umount2", "chroot", "unshare", "setns", "bpf", "userfaultfd", "perf_event_open",
              "io_uring_setup", "io_uring_enter", "io_uring_register", "keyctl", "add_key", "request_key",
              "kexec_load", "init_module", "delete_module", "finit_module", "reboot", "swapon", "swapoff",
              "fsopen", "fsmount", "move_mount", "open_tree", "mount_setattr")


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
    deny = {
        **{n: errno.EPERM for n in DENY_PROCESS + DENY_SIGNAL + DENY_LIMITS + DENY_ADMIN},
        **{n: errno.EACCES for n in DENY_FILES + DENY_NETWORK},
        "clone3": errno.ENOSYS,
    }
    for name, err in deny.items():
        if name in nr:
            p.jump(_JEQ, nr[name], 0, 1)
            p.ret(RET_ERRNO | err)
    # clone: threads only.
    p.jump(_JEQ, nr["clone"], 0, "after_clone")
    p.load(_arg_low(0))
    p.jump(_JSET, CLONE_THREAD, "allow", 0)
    p.ret(RET_ERRNO | errno.EPERM)
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
    p.jump(_JEQ, own_pid, "allow", 0)
    p.ret(RET_ERRNO | errno.EPERM)
    p.label("after_tgkill")
    # prlimit64(pid, resource, new, old): reading limits (new == NULL) is fine, setting is not.
    p.jump(_JEQ, nr["prlimit64"], 0, "after_prlimit")
    p.load(_arg_low(2))
    p.jump(_JEQ, 0, 0, "deny_prlimit")
    p.load(_arg_high(2))
    p.jump(_JEQ, 0, "allow", 0)
    p.label("deny_prlimit")
    p.ret(RET_ERRNO | errno.EPERM)
    p.label("after_prlimit")
    # open(path, flags) / openat(dirfd, path, flags): read-only opens only.
    for name, flags_arg in (("open", 1), ("openat", 2)):
        if name in nr:
            p.jump(_JEQ, nr[name], 0, f"after_{name}")
            p.load(_arg_low(flags_arg))
            p.jump(_JSET, WRITE_FLAGS, 0, "allow")
            p.ret(RET_ERRNO | errno.EACCES)
            p.label(f"after_{name}")
            p.load(_NR)
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
