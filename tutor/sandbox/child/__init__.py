"""The child: one forked, confined process per check, running the learner's code.

Runs in the warm worker's children (and, for tests and the bench, in a fresh
interpreter per run), from the standalone copy of this package the worker
loads: neither ``tutor`` nor ``engine`` is in its memory, on its path or
readable. `confine` puts it in its cell (rlimits, an IPC namespace, Landlock,
capabilities, the seccomp allow-list: `landlock`, `seccomp`, `syscalls`);
`run` runs one job and reports each step as a frame; `guard` names refusals.
Imports are relative: this code must never import the tutor.
"""
