"""Raw Linux system calls through ctypes, for the protections Python has no API for.

Only what the sandbox needs: syscall(), prctl(), and the numbers of the calls the
seccomp filter allows and the child and doctor make, per architecture (from the
kernel's asm/unistd_64.h and asm-generic/unistd.h). On anything but Linux on x86_64 or
aarch64 `ARCH` is None and the kernel-level protections report "unavailable".
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
from dataclasses import dataclass

PR_SET_PDEATHSIG = 1
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
PR_GET_NO_NEW_PRIVS = 39


@dataclass(frozen=True)
class Arch:
    name: str
    audit_arch: int  # AUDIT_ARCH_* as seen in seccomp_data.arch
    numbers: dict[str, int]  # syscall name -> number (absent: no such call here)


_GENERIC = {  # asm-generic numbering (aarch64)
    "brk": 214, "mmap": 222, "munmap": 215, "mremap": 216, "mprotect": 226, "madvise": 233,
    "membarrier": 283, "read": 63, "pread64": 67, "readv": 65, "preadv": 69, "preadv2": 286, "lseek": 62,
    "close": 57, "fstat": 80, "newfstatat": 79, "statx": 291, "readlinkat": 78, "faccessat": 48,
    "faccessat2": 439, "getdents64": 61, "getcwd": 17, "fcntl": 25, "dup": 23, "dup3": 24, "ioctl": 29,
    "fadvise64": 223, "write": 64, "writev": 66, "pipe2": 59, "clock_gettime": 113, "clock_getres": 114,
    "gettimeofday": 169, "nanosleep": 101, "clock_nanosleep": 115, "ppoll": 73, "pselect6": 72,
    "epoll_create1": 20, "epoll_ctl": 21, "epoll_pwait": 22, "setitimer": 103, "getitimer": 102,
    "restart_syscall": 128, "futex": 98, "futex_waitv": 449, "set_robust_list": 99, "get_robust_list": 100,
    "rseq": 293, "set_tid_address": 96, "gettid": 178, "sched_yield": 124, "sched_getaffinity": 123,
    "sched_getparam": 121, "sched_getscheduler": 120, "getcpu": 168, "exit": 93, "exit_group": 94,
    "rt_sigaction": 134, "rt_sigprocmask": 135, "rt_sigreturn": 139, "rt_sigsuspend": 133,
    "rt_sigtimedwait": 137, "rt_sigpending": 136, "sigaltstack": 132, "wait4": 260, "waitid": 95,
    "getpid": 172, "getppid": 173, "getuid": 174, "geteuid": 175, "getgid": 176, "getegid": 177,
    "getgroups": 158, "getresuid": 148, "getresgid": 150, "getpgid": 155, "getsid": 156, "uname": 160,
    "sysinfo": 179, "getrusage": 165, "getrlimit": 163, "times": 153, "getpriority": 141, "capget": 90,
    "getrandom": 278, "clone": 220, "kill": 129, "tgkill": 131, "prlimit64": 261, "openat": 56,
    "clone3": 435, "capset": 91, "setxattr": 5, "shmget": 194, "shmctl": 195, "unshare": 97,
    "landlock_create_ruleset": 444, "landlock_add_rule": 445, "landlock_restrict_self": 446, "utimensat": 88,
    "msgget": 186, "semget": 190, "socket": 198, "execve": 221, "setrlimit": 164, "setsid": 157,
}
_X86_64 = {
    "brk": 12, "mmap": 9, "munmap": 11, "mremap": 25, "mprotect": 10, "madvise": 28, "membarrier": 324,
    "read": 0, "pread64": 17, "readv": 19, "preadv": 295, "preadv2": 327, "lseek": 8, "close": 3, "fstat": 5,
    "stat": 4, "lstat": 6, "newfstatat": 262, "statx": 332, "readlink": 89, "readlinkat": 267, "access": 21,
    "faccessat": 269, "faccessat2": 439, "getdents": 78, "getdents64": 217, "getcwd": 79, "fcntl": 72,
    "dup": 32, "dup2": 33, "dup3": 292, "ioctl": 16, "fadvise64": 221, "write": 1, "writev": 20, "pipe": 22,
    "pipe2": 293, "clock_gettime": 228, "clock_getres": 229, "gettimeofday": 96, "time": 201,
    "nanosleep": 35, "clock_nanosleep": 230, "poll": 7, "ppoll": 271, "select": 23, "pselect6": 270,
    "epoll_create1": 291, "epoll_ctl": 233, "epoll_wait": 232, "epoll_pwait": 281, "alarm": 37,
    "setitimer": 38, "getitimer": 36, "restart_syscall": 219, "futex": 202, "futex_waitv": 449,
    "set_robust_list": 273, "get_robust_list": 274, "rseq": 334, "set_tid_address": 218, "gettid": 186,
    "sched_yield": 24, "sched_getaffinity": 204, "sched_getparam": 143, "sched_getscheduler": 145,
    "getcpu": 309, "exit": 60, "exit_group": 231, "rt_sigaction": 13, "rt_sigprocmask": 14,
    "rt_sigreturn": 15, "rt_sigsuspend": 130, "rt_sigtimedwait": 128, "rt_sigpending": 127,
    "sigaltstack": 131, "wait4": 61, "waitid": 247, "getpid": 39, "getppid": 110, "getuid": 102,
    "geteuid": 107, "getgid": 104, "getegid": 108, "getgroups": 115, "getresuid": 118, "getresgid": 120,
    "getpgrp": 111, "getpgid": 121, "getsid": 124, "uname": 63, "sysinfo": 99, "getrusage": 98,
    "getrlimit": 97, "times": 100, "getpriority": 140, "capget": 125, "getrandom": 318, "clone": 56,
    "kill": 62, "tgkill": 234, "prlimit64": 302, "open": 2, "openat": 257, "clone3": 435, "capset": 126,
    "setxattr": 188, "shmget": 29, "shmctl": 31, "unshare": 272, "landlock_create_ruleset": 444,
    "landlock_add_rule": 445, "landlock_restrict_self": 446, "utimensat": 280, "msgget": 68, "semget": 64,
    "socket": 41, "execve": 59, "fork": 57, "setrlimit": 160, "setsid": 112,
}
_ARCHES = {
    "x86_64": Arch("x86_64", 0xC000003E, _X86_64),
    "aarch64": Arch("aarch64", 0xC00000B7, _GENERIC),
}


def _detect() -> Arch | None:
    if not platform.system() == "Linux":
        return None
    return _ARCHES.get(platform.machine())


ARCH = _detect()
_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True) if ARCH else None


def syscall(name: str, *args: int | ctypes._SimpleCData | ctypes.Array | None) -> int:
    """Call syscall `name`; raise OSError with the kernel's errno on failure."""
    if ARCH is None or _libc is None or name not in ARCH.numbers:
        raise OSError(38, f"{name} is not available on this platform")
    converted = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    result = _libc.syscall(ctypes.c_long(ARCH.numbers[name]), *converted)
    if result == -1:
        err = ctypes.get_errno()
        raise OSError(err, f"{name}: {os.strerror(err)}")
    return result


def prctl(option: int, arg2: int | ctypes.c_void_p = 0, arg3: int = 0, arg4: int = 0, arg5: int = 0) -> int:
    if _libc is None:
        raise OSError(38, "prctl is not available on this platform")
    result = _libc.prctl(ctypes.c_int(option), arg2 if not isinstance(arg2, int) else ctypes.c_ulong(arg2),
                         ctypes.c_ulong(arg3), ctypes.c_ulong(arg4), ctypes.c_ulong(arg5))
    if result == -1:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl({option}): {os.strerror(err)}")
    return result


def set_no_new_privs() -> None:
    """Required before seccomp and Landlock; also makes setuid binaries powerless."""
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def die_with_parent() -> None:
    """If the worker dies mid-run, the kernel kills its child too."""
    prctl(PR_SET_PDEATHSIG, 9)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> None:
    """Give up every capability: as root this is what stops learner code raising
    its hard rlimits (CAP_SYS_RESOURCE), signalling other users' processes
    (CAP_KILL), mounting, or ignoring file permissions."""
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    syscall("capset", ctypes.byref(header), data)


def has_capabilities() -> bool:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("CapEff:"):
                    return int(line.split()[1], 16) != 0
    except OSError:
        pass
    return os.geteuid() == 0
