"""`nntutor doctor`: which protections the sandbox has on this machine, tested for real.

Starts a worker exactly as the tutor does, has it confine a probe child, and
prints: the protections that were put in place (or why not), what a child may
read (Landlock's rule), which system calls it may make (the seccomp
allow-list; every other is refused), and what happened when the probe child
actually tried each forbidden thing, including reading the tutor's own files
and importing the engine. Exit status 0 when the worker runs and every
forbidden attempt was refused, 1 when it runs with gaps, 2 when it cannot run
at all.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import textwrap
from pathlib import Path
from typing import Any, Sequence, TextIO

from tutor.sandbox.host import WarmRunner, WorkerUnavailable

ALWAYS = (
    ("separate process", "learner code never runs in the tutor; a fresh fork of a warm worker per check"),
    ("clean start", "python -I, clean environment, one BLAS thread; NumPy imported before any limit"),
    ("wall-clock deadline", "enforced by the worker: the child's whole process group is killed and reaped"),
    ("output cap", "stdout and stderr are cut at the exercise's limit (1 MB by default)"),
    ("data-only results", "JSON and .npy with allow_pickle=False, nonce-checked frames; never unpickled"),
    ("named refusals", "an audit hook says what was refused (fork, file writes, network, signals)"),
    ("nothing of the tutor in reach", "the worker never imports tutor or engine; a child's import path is the standard library"),
    ("harnesses bound first", "each call's harness driver is looked up before the learner's code runs"),
)


def unreadable_paths() -> list[tuple[str, str]]:
    """The tutor's own files a child must fail to read, where they exist here."""
    from tutor.course.locate import builtin_course_path
    from tutor.progress.paths import default_progress_path

    candidates = [("your home directory", str(Path.home())), ("the lessons", str(builtin_course_path()))]
    progress = default_progress_path()
    candidates.append(("the progress store", str(progress if progress.exists() else progress.parent)))
    candidates.append(("other terminals", "/dev/pts"))
    candidates.append(("another process's command line", "/proc/1/cmdline"))
    import engine

    found = [(what, path) for what, path in candidates if os.path.exists(path)]
    return found + [("import", str(Path(engine.__file__).resolve().parents[1]))]


def report(protections: dict[str, Any], out: TextIO) -> int:
    """Print the probe's findings; returns the exit status."""
    out.write(f"nntutor sandbox on {platform.system()} {platform.release()} ({platform.machine()})\n\n")
    out.write("Protections in place for every check (limits shown are the probe's; a check uses its exercise's):\n")
    for name, detail in ALWAYS:
        out.write(f"  [on]  {name}: {detail}\n")
    for name, detail in dict(protections.get("active", {})).items():
        out.write(f"  [on]  {name}: {detail}\n")
    missing = dict(protections.get("missing", {}))
    for name, detail in missing.items():
        out.write(f"  [off] {name}: {detail}\n")
    if not protections.get("landlock_abi"):
        out.write("        (Landlock needs Linux 5.13+ with landlock in the LSM list; TCP blocking 6.7+, signal scoping 6.12+)\n")
    rule = list(protections.get("read_rule", ()))
    if rule:
        out.write("\nWhat learner code may read (Landlock's read rule; nothing else):\n")
        for line in rule:
            out.write(f"  {line}\n")
    groups = dict(protections.get("allowed_groups", {}))
    if groups:
        out.write("\nSystem calls learner code may make (the seccomp allow-list; every other is refused):\n")
        for what, names in groups.items():
            wrapped = textwrap.wrap(", ".join(names), width=100, initial_indent=f"  {what}: ", subsequent_indent="      ")
            out.write("\n".join(wrapped) + "\n")
        out.write("  with checked arguments: clone (threads only), kill and tgkill (itself only), "
                  "prlimit64 (reading only), open and openat (read-only)\n")
    out.write("\nWhat a confined child got when it tried:\n")
    gaps = 0
    for attempt, outcome in dict(protections.get("attempts", {})).items():
        expected_allowed = attempt == "start a thread"
        fine = outcome.startswith("allowed") if expected_allowed else outcome.startswith("blocked")
        gaps += not fine
        out.write(f"  [{'ok' if fine else '!!'}]  {attempt}: {outcome}\n")
    if gaps or missing:
        out.write("\nSome protections are missing here: learner code is still time-, memory- and output-limited,\n"
                  "but do not serve the tutor to other people from this machine.\n")
        return 1
    out.write("\nAll protections are active.\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nntutor doctor", description="Report which sandbox protections are active on this machine.")
    parser.add_argument("--json", action="store_true", help="print the probe's findings as JSON")
    parser.add_argument("--workspace", metavar="DIR", help="the workspace you run nntutor with (default: the default one)")
    parser.add_argument("--progress", metavar="FILE", help="the progress file you run nntutor with")
    options = parser.parse_args(list(argv or []))
    places = learner_files(options.progress, options.workspace)
    runner = WarmRunner(restart_limit=1)
    try:
        protections = runner.protections(unreadable_paths())
    except WorkerUnavailable as error:
        print(f"nntutor doctor: the sandbox worker could not run here: {error}", file=sys.stderr)
        return 2
    finally:
        runner.close()
    if options.json:
        json.dump({**protections, "files": places}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    for name, path in places.items():
        sys.stdout.write(f"{name}: {path}\n")
    sys.stdout.write("\n")
    return report(protections, sys.stdout)


def learner_files(progress: str | None, workspace: str | None) -> dict[str, str]:
    """Where the tutor keeps a learner's progress and code drafts (one .py per code exercise)."""
    from pathlib import Path

    from tutor.progress.paths import default_progress_path, default_workspace_path

    return {"progress": str(Path(progress).expanduser() if progress else default_progress_path()),
            "workspace (your code drafts)": str(Path(workspace).expanduser() if workspace else default_workspace_path())}
