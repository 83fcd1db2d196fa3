"""Put the freshly forked child in its cell, one protection after another.

Order matters: the fixed rlimits first, then a fresh IPC namespace,
no_new_privs, Landlock, dropping capabilities, and the seccomp filter last,
because it refuses the setrlimit, unshare and capset calls the earlier steps make. The child does all this *before* it gets
its job (it waits, confined, for the next check); the limits that depend on the
exercise (CPU time, address space) are then set on it by the worker with prlimit. Every step that the
kernel cannot provide is recorded as unavailable and skipped, never fatal:
the wall-clock deadline, the process-group kill and the output cap are enforced
by the supervising parent and hold everywhere.
"""

from __future__ import annotations

import errno
import math
import os
import resource
import sysconfig
from dataclasses import dataclass, field
from typing import Sequence

from . import landlock, seccomp
from .syscalls import ARCH, die_with_parent, drop_capabilities, has_capabilities, set_no_new_privs, syscall

CLONE_NEWUSER = 0x10000000
CLONE_NEWIPC = 0x08000000
#: The device and configuration files a check may read, beside the code it runs.
READABLE_FILES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random", "/etc/ld.so.cache", "/etc/localtime")
_PYTHON_PACKAGES = ("site-packages", "dist-packages")

MB = 1024 * 1024


@dataclass
class Confinement:
    """What was applied to this child, by name, with the reason for anything missing."""

    active: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    def note(self, name: str, ok: bool, detail: str) -> None:
        (self.active if ok else self.missing)[name] = detail


def cpu_limit_for(time_s: float) -> int:
    """A second above the wall-clock deadline: the deadline, with its clearer message
    ("is there a loop that never ends?"), always stops a busy loop first; the CPU
    limit is the backstop for many threads burning CPU faster than the clock."""
    return max(1, math.ceil(time_s)) + 1


def address_space_limit(base_bytes: int, memory_mb: int) -> int:
    """The learner gets `memory_mb` on top of what the worker already maps."""
    return base_bytes + memory_mb * MB


def run_limits(time_s: float, memory_mb: int, base_bytes: int) -> list[tuple[str, int, tuple[int, int], str]]:
    """The limits that depend on the exercise: (name, resource, (soft, hard), detail).

    The worker sets these on the waiting child from outside (prlimit), just
    before handing it the job, because the child's own seccomp filter (already
    installed by then) refuses setrlimit.
    """
    cpu = cpu_limit_for(time_s)
    limit = address_space_limit(base_bytes, memory_mb)
    return [
        ("CPU time limit", resource.RLIMIT_CPU, (cpu, cpu + 1), f"RLIMIT_CPU {cpu} s, SIGKILL at {cpu + 1} s"),
        ("memory limit", resource.RLIMIT_AS, (limit, limit), f"RLIMIT_AS {memory_mb} MB above the worker's {base_bytes // MB} MB"),
    ]


def apply_run_limits(pid: int, limits: list[tuple[str, int, tuple[int, int], str]]) -> Confinement:
    """Set the exercise's limits on child `pid` (called by its parent)."""
    report = Confinement()
    for name, which, value, detail in limits:
        _try(report, name, lambda w=which, v=value: resource.prlimit(pid, w, v), detail)
    return report


def read_rule() -> tuple[list[str], list[str], list[str]]:
    """What a child may read (Landlock's rule, computed once in the worker):
    the paths it may read, the directories it may only list (a directory
    granted entry by entry must still be listed, for imports to find its
    modules), and a few lines saying them for the doctor. The
    standard library without its site-packages, NumPy's package and its
    bundled libraries, the shared libraries the interpreter loads (their
    directories, without any Python packages in them) and `READABLE_FILES`.
    Not the tutor, the engine, the lessons, the progress store, drafts, $HOME,
    /dev/pts or /proc."""
    import numpy

    paths: list[str] = []
    listable: list[str] = []
    said: list[str] = []
    stdlib = os.path.realpath(os.path.dirname(os.__file__))
    numpy_dir = os.path.realpath(os.path.dirname(numpy.__file__))
    packages = [os.path.realpath(p) for p in sysconfig.get_paths().values()]
    entries = _entries_without_packages(stdlib)
    paths.extend(entries)
    listable.append(stdlib)
    said.append(f"the standard library: {stdlib}/* ({len(entries)} entries; site-packages can be listed, not read)")
    for directory in (numpy_dir, numpy_dir + ".libs"):
        if os.path.isdir(directory):
            paths.append(directory)
            said.append(f"NumPy: {directory}")
    for directory in _library_dirs():
        if directory == stdlib or directory.startswith((stdlib + os.sep, numpy_dir)):
            continue
        if any(part in _PYTHON_PACKAGES for part in directory.split(os.sep)):
            continue
        if _holds_python(directory, packages):
            entries = _entries_without_packages(directory)
            paths.extend(entries)
            said.append(f"shared libraries: {directory}/* ({len(entries)} entries, not its Python packages)")
        else:
            paths.append(directory)
            said.append(f"shared libraries: {directory}")
    files = [path for path in READABLE_FILES if os.path.exists(path)]
    paths.extend(files)
    said.append("files: " + ", ".join(files))
    return list(dict.fromkeys(paths)), listable, said


def _library_dirs() -> list[str]:
    """The directories of the shared libraries mapped into this process, and the
    platform's library directories (where a lazily loaded module's libraries are)."""
    found = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                parts = line.split()
                if len(parts) >= 6 and ".so" in parts[5]:
                    found.append(os.path.dirname(os.path.realpath(parts[5])))
    except OSError:
        pass
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    for base in ("/lib", "/usr/lib"):
        if multiarch:
            found.append(os.path.join(base, multiarch))
    found += ["/lib64", "/usr/lib64"]
    return [d for d in dict.fromkeys(os.path.realpath(d) for d in found) if os.path.isdir(d)]


def _holds_python(directory: str, packages: Sequence[str]) -> bool:
    """Whether granting `directory` whole would grant some Python's packages too."""
    try:
        names = os.listdir(directory)
    except OSError:
        return True
    if any(name.startswith("python") or name in _PYTHON_PACKAGES for name in names):
        return True
    return any(p == directory or p.startswith(directory + os.sep) for p in packages)


def _entries_without_packages(directory: str) -> list[str]:
    """Each entry of `directory`, except Python package trees (site-packages, python3.x)."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    skip = lambda name: name in _PYTHON_PACKAGES or (name.startswith("python") and os.path.isdir(os.path.join(directory, name)))
    return [os.path.join(directory, name) for name in names if not skip(name)]


def new_ipc_namespace() -> str:
    """A fresh IPC namespace: SysV shared memory, queues and semaphores made in
    it (the seccomp filter refuses them anyway) die with the child. As root
    directly; otherwise inside a new user namespace, where the kernel offers
    one without privileges."""
    try:
        syscall("unshare", CLONE_NEWIPC)
        return "CLONE_NEWIPC"
    except OSError as error:
        if error.errno != errno.EPERM:
            raise
    syscall("unshare", CLONE_NEWUSER | CLONE_NEWIPC)
    return "CLONE_NEWUSER | CLONE_NEWIPC (unprivileged)"


def confine(landlock_abi: int, ruleset: int | None = None) -> Confinement:
    """Apply every protection that does not depend on the exercise to the calling
    (child) process; the run limits follow from outside (`apply_run_limits`).
    `ruleset` is the Landlock ruleset the worker prepared (`read_rule`)."""
    report = Confinement()
    _try(report, "die with the worker", die_with_parent, "PR_SET_PDEATHSIG")
    for name, which, value, detail in (
        ("no file growth", resource.RLIMIT_FSIZE, (0, 0), "RLIMIT_FSIZE 0"),
        ("no core dumps", resource.RLIMIT_CORE, (0, 0), "RLIMIT_CORE 0"),
        ("few open files", resource.RLIMIT_NOFILE, (64, 64), "RLIMIT_NOFILE 64"),
    ):
        _try(report, name, lambda w=which, v=value: resource.setrlimit(w, v), detail)
    try:
        report.note("own IPC namespace", True, new_ipc_namespace())
    except OSError as error:
        report.note("own IPC namespace", False, str(error))
    capable = has_capabilities()  # read /proc/self now: Landlock closes it
    _try(report, "no_new_privs", set_no_new_privs, "PR_SET_NO_NEW_PRIVS")
    if landlock_abi >= 1 and ruleset is not None:
        try:
            landlock.enforce(ruleset)
            os.close(ruleset)
            for layer in ("filesystem read-only", "reads only beneath the paths below") + _net_layers(landlock_abi):
                report.note(f"landlock: {layer}", True, f"Landlock ABI {landlock_abi}")
        except OSError as error:
            report.note("landlock", False, str(error))
    elif landlock_abi >= 1:
        report.note("landlock", False, "no ruleset could be prepared")
    else:
        report.note("landlock", False, "the kernel offers no Landlock")
    if capable:
        _try(report, "capabilities dropped", drop_capabilities, "capset: none effective, permitted or inheritable")
    else:
        report.note("capabilities dropped", True, "none held")
    if ARCH is None:
        report.note("seccomp allow-list", False, "unsupported platform")
    else:
        _try(report, "seccomp allow-list", lambda: seccomp.install(os.getpid()),
             f"BPF filter for {ARCH.name}: {len(seccomp.allowed_names())} calls allowed, every other refused")
    return report


def _net_layers(abi: int) -> tuple[str, ...]:
    return (("TCP bind/connect blocked",) if abi >= 4 else ()) + (("signals to other processes blocked",) if abi >= 6 else ())


def _try(report: Confinement, name: str, action, detail: str) -> None:  # type: ignore[no-untyped-def]
    try:
        action()
        report.note(name, True, detail)
    except (OSError, ValueError) as error:
        report.note(name, False, str(error))
