"""Trusted drivers that call a learner's code the way an exercise needs.

Most exercises call the learner's function directly with the case's arguments.
Some cannot: a class has to be built before one of its methods is called, a
training loop has to be driven for a number of steps. A harness is a plain
function ``name(entry, **args)`` that receives the learner's entry (function or
class) and returns the value the checker compares. Harnesses run inside the
sandboxed child, next to the learner code, but they are *our* code: the worker
imports this module before any limits are applied, and only names listed in
``__all__`` can be chosen by a lesson (``harness = "call_method"``).

To add one: write the function here, add its name to ``__all__``, and give it a
test. Keep harnesses small and free of I/O; their return value must be plain
data (numbers, NumPy arrays, lists, tuples, dicts with string keys).
"""

from __future__ import annotations

from typing import Any, Mapping

__all__ = ["call_method", "call_with"]


def call_method(
    entry: Any,
    method: str,
    init: Mapping[str, Any] | None = None,
    args: Mapping[str, Any] | None = None,
) -> Any:
    """Build the learner's class with `init` and return ``instance.method(**args)``,
    so exercises such as "write a Neuron class with a forward method" can be
    checked case by case like a plain function."""
    instance = entry(**dict(init or {}))
    return getattr(instance, method)(**dict(args or {}))


def call_with(entry: Any, arguments: Mapping[str, Any] | None = None) -> Any:
    """Return ``entry(**arguments)`` with arguments fixed by the lesson.

    For a worked example whose engine reference takes no arguments (Mazur's
    network, say): the case stays empty, so the engine is called as it is,
    while the learner's function still receives the example's numbers as
    parameters instead of reading them from globals."""
    return entry(**dict(arguments or {}))
