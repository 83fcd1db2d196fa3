"""The learner's parameter names against the starter's: leniency, not a trap.

Cases are passed by keyword (``sigmoid(z=...)``), so a learner from Nielsen's
network.py who writes ``def sigmoid(x)`` would fail with "unexpected keyword
argument 'z'" although the function is right. Reading the learner's `def`
(parsed, never run) tells the checker which name stands in each position; a
renamed parameter then gets the starter's argument by position, and the
verdict says which name the starter uses. Too few parameters is a finding of
its own, worded with both lists.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from tutor.sandbox.api import Call

# harnesses that pass a case's arguments to the learner by keyword, inside "arguments"
KEYWORD_HARNESSES = ("call_strict", "call_with")


@dataclass(frozen=True)
class Naming:
    """How the starter's parameter names map onto the learner's."""

    renamed: Mapping[str, str] = field(default_factory=dict)  # starter name -> learner's name
    problem: str = ""  # the learner's function cannot take the exercise's arguments

    def apply(self, call: Call) -> Call:
        if not self.renamed:
            return call
        if call.harness is None:
            return Call(args=self._rename(call.args), harness=None)
        if call.harness in KEYWORD_HARNESSES and isinstance(call.args.get("arguments"), Mapping):
            return Call(args={**call.args, "arguments": self._rename(call.args["arguments"])}, harness=call.harness)
        return call

    def _rename(self, args: Mapping[str, Any]) -> dict[str, Any]:
        return {self.renamed.get(name, name): value for name, value in args.items()}

    def note(self) -> str:
        if not self.renamed:
            return ""
        pairs = ", ".join(f"{theirs} where the starter has {ours}" for ours, theirs in self.renamed.items())
        return (f"Your parameters are named {pairs}; the checker passed them by position. "
                "Keep the starter's names, so your code reads like the lesson's.")


@functools.lru_cache(maxsize=256)
def _signature_parameters(signature: str) -> tuple[str, ...] | None:
    found = signature_parameters(signature)
    return None if found is None else tuple(found)


def signature_parameters(signature: str) -> list[str] | None:
    """The parameter names of "def sigmoid(z)" or "class Network(n_inputs, n_outputs, seed)"."""
    match = re.match(r"\s*(?:def|class)\s+\w+\s*\((.*)\)\s*:?\s*$", signature, re.S)
    if not match:
        return None
    try:
        tree = ast.parse(f"def f({match.group(1)}): pass")
    except SyntaxError:
        return None
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    return [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]


def _learner_function(source: str, entry: str) -> tuple[ast.FunctionDef, bool] | None:
    """The entry's def (a class's __init__, with `self` to drop), the last one at top level."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    found: tuple[ast.FunctionDef, bool] | None = None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == entry:
            found = (node, False)
        elif isinstance(node, ast.ClassDef) and node.name == entry:
            init = [item for item in node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"]
            found = (init[-1], True) if init else None
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AsyncFunctionDef)) and entry in _targets(node):
            found = None  # defined some other way: leave it alone
    return found


def _targets(node: ast.AST) -> set[str]:
    names: set[str] = set()
    if isinstance(node, ast.AsyncFunctionDef):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    for target in targets:
        if isinstance(target, ast.Name):
            names.add(target.id)
    return names


def naming(source: str, entry: str, signature: str, arguments: list[str]) -> Naming:
    """How to call the learner's entry with the exercise's `arguments` (the
    names the cases pass), given the starter's `signature`."""
    cached = _signature_parameters(signature)
    ours = None if cached is None else list(cached)
    if ours is not None and f"def {entry}({', '.join(ours)})" in source:
        return Naming()  # the starter's own line, as it is: nothing to parse
    found = _learner_function(source, entry)
    if ours is None or found is None:
        return Naming()
    function, is_method = found
    spec = function.args
    if spec.vararg is not None or spec.kwarg is not None:
        return Naming()
    theirs = [arg.arg for arg in (*spec.posonlyargs, *spec.args)]
    if is_method:
        theirs = theirs[1:]
    keyword_only = {arg.arg for arg in spec.kwonlyargs}
    passed = [name for name in ours if name in arguments]
    missing = [name for name in passed if name not in theirs and name not in keyword_only]
    if not missing:
        return Naming()
    positions = {name: ours.index(name) for name in missing}
    renamed = {}
    for name, position in positions.items():
        if position >= len(theirs) or theirs[position] in ours:
            return Naming(problem=_too_few(entry, signature, theirs, passed, is_method))
        renamed[name] = theirs[position]
    return Naming(renamed=renamed)


def _too_few(entry: str, signature: str, theirs: list[str], passed: list[str], is_method: bool) -> str:
    what = f"your {entry} class's __init__" if is_method else f"your {entry} function"
    takes = ", ".join(theirs) if theirs else "nothing"
    return (f"{what[:1].upper()}{what[1:]} takes ({takes}), but the checker passes {', '.join(passed)}. "
            f"Keep the starter's parameters: {signature.strip()}")


def returned_names(source: str, entry: str) -> list[str]:
    """The names in the entry's last ``return a, b`` ("syn0", "syn1"), to name
    the parts of a returned tuple the way the learner's code does."""
    found = _learner_function(source, entry)
    if found is None or found[1]:
        return []
    names: list[str] = []
    for node in ast.walk(found[0]):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            names = [item.id if isinstance(item, ast.Name) else "" for item in node.value.elts]
    return [name or f"item {index + 1}" for index, name in enumerate(names)]
