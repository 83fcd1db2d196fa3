"""Run tests under other floating-point kernels, to find assertions that hold only on this machine.

A test must pass on any machine, so it may not assert digits that depend on
the CPU's float kernel. This one machine can imitate others: NumPy's OpenBLAS
picks its matrix kernel at start-up and obeys ``OPENBLAS_CORETYPE`` (Haswell,
Sandybridge, Nehalem, Prescott, ... : each sums in another order), and NumPy's
own loops (exp, tanh, log, sums) obey ``NPY_DISABLE_CPU_FEATURES``. Each
configuration below runs the given tests in a fresh interpreter; a test that
fails under some configurations but not all depends on the kernel.

    python tests/float_kernels.py tests/test_engine_worked.py tests/test_lesson_gates_numbers.py
    python tests/float_kernels.py tests/test_engine_worked.py -k britz
    python tests/float_kernels.py --list        # the configurations

Not itself a test (pytest does not collect it): it takes minutes, and what it
can imitate depends on the machine (a kernel the CPU cannot run is skipped).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: name -> environment changes. "this machine" is the reference.
CONFIGURATIONS: dict[str, dict[str, str]] = {
    "this machine": {},
    "OpenBLAS Haswell": {"OPENBLAS_CORETYPE": "Haswell"},
    "OpenBLAS Sandybridge": {"OPENBLAS_CORETYPE": "Sandybridge"},
    "OpenBLAS Nehalem": {"OPENBLAS_CORETYPE": "Nehalem"},
    "OpenBLAS Prescott": {"OPENBLAS_CORETYPE": "Prescott"},
    "NumPy without AVX2 (X86_V3)": {"NPY_DISABLE_CPU_FEATURES": "X86_V3"},
    "Sandybridge, NumPy without AVX2": {"OPENBLAS_CORETYPE": "Sandybridge", "NPY_DISABLE_CPU_FEATURES": "X86_V3"},
}

_FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


def runs_here(changes: dict[str, str]) -> bool:
    """Whether NumPy starts at all under `changes` (a kernel the CPU lacks crashes it)."""
    probe = subprocess.run([sys.executable, "-c", "import numpy; numpy.ones((2, 2)) @ numpy.ones((2, 2))"],
                           env={**os.environ, **changes}, capture_output=True)
    return probe.returncode == 0


def failures(changes: dict[str, str], pytest_args: list[str]) -> tuple[set[str], str]:
    """The ids of the tests that fail under `changes`, and pytest's last line."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfE", *pytest_args],
        cwd=ROOT, env={**os.environ, **changes}, capture_output=True, text=True,
    )
    lines = result.stdout.strip().splitlines()
    return set(_FAILED.findall(result.stdout)), lines[-1] if lines else result.stderr.strip()[-200:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the configurations and exit")
    options, pytest_args = parser.parse_known_args(argv)  # everything else goes to pytest
    options.pytest_args = pytest_args or ["tests/test_engine_worked.py"]
    if options.list:
        for name, changes in CONFIGURATIONS.items():
            print(f"{name}: {changes or '(no change)'}")
        return 0
    failed: dict[str, set[str]] = {}
    for name, changes in CONFIGURATIONS.items():
        if not runs_here(changes):
            print(f"{name}: skipped (this CPU cannot run it)")
            continue
        failed[name], summary = failures(changes, options.pytest_args)
        print(f"{name}: {summary}", flush=True)
    always = set.intersection(*failed.values()) if failed else set()
    kernel_dependent = set.union(*failed.values()) - always if failed else set()
    for test in sorted(always):
        print(f"fails everywhere (not a kernel question): {test}")
    for test in sorted(kernel_dependent):
        where = ", ".join(name for name, tests in failed.items() if test in tests)
        print(f"DEPENDS ON THE KERNEL: {test} (fails under {where})")
    if not kernel_dependent:
        print("no test depends on the float kernel among these configurations")
    return 1 if kernel_dependent else 0


if __name__ == "__main__":
    sys.exit(main())
