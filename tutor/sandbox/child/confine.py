"""Put the freshly forked child in its cell, one protection after another.

Order matters: the fixed rlimits first, then no_new_privs, Landlock, dropping
capabilities, and the seccomp filter last, because it refuses the setrlimit and
capset calls the earlier steps make. The child does all this *before* it gets
its job (it waits, confined, for the next check); the limits that depend on the
exercise (CPU time, address space) are then set on it by the worker with prlimit. Every step that the
kernel cannot provide is recorded as unavailable and skipped, never fatal:
the wall-clock deadline, the process-group kill and the output cap are enforced
by the supervising parent and hold everywhere.
"""

from __future__ import annotations

import math
import os
import resource
from dataclasses import dataclass, field

from . import landlock, seccomp
from .syscalls import ARCH, die_with_parent, drop_capabilities, has_capabilities, set_no_new_privs

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


def confine(landlock_abi: int) -> Confinement:
    """Apply every protection that does not depend on the exercise to the calling
    (child) process; the run limits follow from outside (`apply_run_limits`)."""
    report = Confinement()
    _try(report, "die with the worker", die_with_parent, "PR_SET_PDEATHSIG")
    for name, which, value, detail in (
        ("no file growth", resource.RLIMIT_FSIZE, (0, 0), "RLIMIT_FSIZE 0"),
        ("no core dumps", resource.RLIMIT_CORE, (0, 0), "RLIMIT_CORE 0"),
        ("few open files", resource.RLIMIT_NOFILE, (64, 64), "RLIMIT_NOFILE 64"),
    ):
        _try(report, name, lambda w=which, v=value: resource.setrlimit(w, v), detail)
    _try(report, "no_new_privs", set_no_new_privs, "PR_SET_NO_NEW_PRIVS")
    if landlock_abi >= 1:
        try:
            layers = landlock.restrict(landlock_abi)
            for layer in layers:
                report.note(f"landlock: {layer}", True, f"Landlock ABI {landlock_abi}")
        except OSError as error:
            report.note("landlock", False, str(error))
    else:
        report.note("landlock", False, "the kernel offers no Landlock")
    if has_capabilities():
        _try(report, "capabilities dropped", drop_capabilities, "capset: none effective, permitted or inheritable")
    else:
        report.note("capabilities dropped", True, "none held")
    if ARCH is None:
        report.note("seccomp filter", False, "unsupported platform")
    else:
        _try(report, "seccomp filter", lambda: seccomp.install(os.getpid()), f"BPF filter for {ARCH.name}")
    return report


def _try(report: Confinement, name: str, action, detail: str) -> None:  # type: ignore[no-untyped-def]
    try:
        action()
        report.note(name, True, detail)
    except (OSError, ValueError) as error:
        report.note(name, False, str(error))
