"""Raw Linux system calls through ctypes, for the protections Python has no API for.

Only what the sandbox needs: syscall(), prctl(), and the numbers of the calls the
seccomp filter names, per architecture. On anything but Linux on x86_64 or
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
    "clone": 220, "execve": 221, "execveat": 281, "clone3": 435,
    "kill": 129, "tkill": 130, "tgkill": 131, "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240,
    "pidfd_send_signal": 424, "pidfd_getfd": 438, "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271,
    "setpgid": 154, "setsid": 157, "setrlimit": 164, "prlimit64": 261, "capset": 91,
    "socket": 198, "socketpair": 199,
    "openat": 56, "openat2": 437, "truncate": 45, "ftruncate": 46, "mkdirat": 34, "mknodat": 33, "unlinkat": 35,
    "symlinkat": 36, "linkat": 37, "renameat": 38, "renameat2": 276, "fchmod": 52, "fchmodat": 53,
    "fchmodat2": 452, "fchownat": 54, "fchown": 55,
    "mount": 40, "umount2": 39, "chroot": 51, "unshare": 97, "setns": 268, "bpf": 280, "userfaultfd": 282,
    "perf_event_open": 241, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    "keyctl": 219, "add_key": 217, "request_key": 218, "kexec_load": 104, "init_module": 105,
    "delete_module": 106, "finit_module": 273, "reboot": 142, "swapon": 224, "swapoff": 225,
    "fsopen": 430, "fsmount": 432, "move_mount": 429, "open_tree": 428, "mount_setattr": 442,
    "landlock_create_ruleset": 444, "landlock_add_rule": 445, "landlock_restrict_self": 446,
}
_X86_64 = {
    "clone": 56, "fork": 57, "vfork": 58, "execve": 59, "execveat": 322, "clone3": 435,
    "kill": 62, "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297,
    "pidfd_send_signal": 424, "pidfd_getfd": 438, "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311,
    "setpgid": 109, "setsid": 112, "setrlimit": 160, "prlimit64": 302, "capset": 126,
    "socket": 41, "socketpair": 53,
    "open": 2, "creat": 85, "openat": 257, "openat2": 437, "truncate": 76, "ftruncate": 77, "rename": 82,
    "mkdir": 83, "rmdir": 84, "link": 86, "unlink": 87, "symlink": 88, "chmod": 90, "fchmod": 91,
    "chown": 92, "fchown": 93, "lchown": 94, "mknod": 133, "mkdirat": 258, "mknodat": 259, "fchownat": 260,
    "unlinkat": 263, "renameat": 264, "linkat": 265, "symlinkat": 266, "fchmodat": 268, "renameat2": 316,
    "fchmodat2": 452,
    "mount": 165, "umount2": 166, "chroot": 161, "unshare": 272, "setns": 308, "bpf": 321, "userfaultfd": 323,
    "perf_event_open": 298, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    "keyctl": 250, "add_key": 248, "request_key": 249, "kexec_load": 246, "init_module": 175,
    "delete_module": 176, "finit_module": 313, "reboot": 169, "swapon": 167, "swapoff": 168,
    "fsopen": 430, "fsmount": 432, "move_mount": 429, "open_tree": 428, "mount_setattr": 442,
    "landlock_create_ruleset": 444, "landlock_add_rule": 445, "landlock_restrict_self": 446,
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
