"""A course's own reference code: the functions of its ``reference.py``.

A course folder may hold ``reference.py`` beside its lessons. Its public
top-level functions are named in lesson files exactly like engine functions
(``expected = { engine = "leaky_relu", args = { slope = 0.1 } }``), so a
teacher's course can check what the engine does not compute. It is
lesson-supplied code, so it is treated like learner code:

* reading it never runs it: the names, signatures and descriptions come from
  its syntax tree (`read_reference`), which is all loading, the catalogue and
  lint's static checks need;
* calling it runs it in the sandbox, the confinement learner code gets
  (`call`): no file writes, no network, no engine or tutor to import;
  arguments go in and results come back as plain data only;
* results are remembered per file content (its SHA-256), function and exact
  arguments, so an edited file is never answered from a stale result and the
  published cases cost one sandbox run each.

A name is looked up in the course's ``reference.py`` first, then in the
engine; lint refuses a course function named like an engine one, so in a
course that lints clean a name means one thing.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import inspect
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from tutor.course.model import EngineRef, Limits, Problem

REFERENCE_FILE = "reference.py"

#: One call of reference code: training a small network for a plot may take a
#: few seconds, so more room than a learner's check, still bounded.
REFERENCE_LIMITS = Limits(time_s=30.0, output_bytes=1_000_000, memory_mb=1024)


class ReferenceCodeError(ValueError):
    """Reference code that cannot be read, does not fit, or fails when run."""


@dataclass(frozen=True)
class CourseFunction:
    """One public function of a course's reference.py, read from its source."""

    name: str
    line: int
    signature: inspect.Signature
    summary: str  # the docstring's first line ("" without a docstring)
    annotations: Mapping[str, str]  # parameter -> its annotation as written


@dataclass(frozen=True)
class ReferenceCode:
    """A course's reference.py as read (never run)."""

    path: Path
    source: str
    digest: str
    functions: Mapping[str, CourseFunction]
    syntax_error: tuple[int, str] | None = None

    def where(self, name: str) -> str:
        function = self.functions.get(name)
        return f"{self.path.name}:{function.line}" if function else self.path.name


_READ: dict[Path, tuple[tuple[int, int], ReferenceCode]] = {}
_READ_LOCK = threading.Lock()


def reference_path(course: str | Path | None) -> Path | None:
    return None if course is None else Path(course) / REFERENCE_FILE


def read_reference(course: str | Path | None) -> ReferenceCode | None:
    """The course folder's reference.py, read and parsed; None when there is none.

    Re-read whenever the file's size or modification time changes, so an author
    editing it under ``--watch`` is never judged by the old version."""
    path = reference_path(course)
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _READ_LOCK:
        known = _READ.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        code = ReferenceCode(path, "", "", {}, (1, f"cannot read {path.name}: {error}"))
    else:
        code = parse_reference(source, path)
    with _READ_LOCK:
        _READ[path] = (stamp, code)
    return code


def parse_reference(source: str, path: Path) -> ReferenceCode:
    """Public top-level functions of `source`, from its syntax tree alone."""
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as error:
        return ReferenceCode(path, source, digest, {}, (error.lineno or 1, f"invalid Python: {error.msg}"))
    functions: dict[str, CourseFunction] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            functions[node.name] = _course_function(node)
    return ReferenceCode(path, source, digest, functions)


def _course_function(node: ast.FunctionDef) -> CourseFunction:
    spec = node.args
    parameters: list[inspect.Parameter] = []
    annotations: dict[str, str] = {}
    positional = [*spec.posonlyargs, *spec.args]
    defaults = [None] * (len(positional) - len(spec.defaults)) + list(spec.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults)):
        kind = inspect.Parameter.POSITIONAL_ONLY if index < len(spec.posonlyargs) else inspect.Parameter.POSITIONAL_OR_KEYWORD
        parameters.append(_parameter(arg, kind, default, annotations))
    if spec.vararg is not None:
        parameters.append(_parameter(spec.vararg, inspect.Parameter.VAR_POSITIONAL, None, annotations))
    for arg, default in zip(spec.kwonlyargs, spec.kw_defaults):
        parameters.append(_parameter(arg, inspect.Parameter.KEYWORD_ONLY, default, annotations))
    if spec.kwarg is not None:
        parameters.append(_parameter(spec.kwarg, inspect.Parameter.VAR_KEYWORD, None, annotations))
    docstring = ast.get_docstring(node) or ""
    return CourseFunction(
        name=node.name,
        line=node.lineno,
        signature=inspect.Signature(parameters),
        summary=docstring.strip().splitlines()[0].strip() if docstring.strip() else "",
        annotations=annotations,
    )


class _Written:
    """A default value shown as the source wrote it (`slope=0.01`)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _parameter(arg: ast.arg, kind: Any, default: ast.expr | None, annotations: dict[str, str]) -> inspect.Parameter:
    if arg.annotation is not None:
        annotations[arg.arg] = ast.unparse(arg.annotation)
    value = inspect.Parameter.empty if default is None else _Written(ast.unparse(default))
    return inspect.Parameter(arg.arg, kind, default=value)


def course_function(ref: EngineRef) -> tuple[ReferenceCode, CourseFunction] | None:
    """The course function `ref` names, with its file; None when it names none
    (then it is an engine name, or unknown)."""
    code = read_reference(ref.course)
    if code is None or ref.function not in code.functions:
        return None
    return code, code.functions[ref.function]


def course_digest(ref: EngineRef) -> str:
    """The content hash of the reference.py `ref` may reach ("" without one):
    part of every cache key for values that may depend on it."""
    code = read_reference(ref.course)
    return code.digest if code is not None else ""


# -- running it ----------------------------------------------------------------------------

_RESULTS: "OrderedDict[tuple[str, str, str], Any]" = OrderedDict()
_RESULTS_MAX = 512
_RESULTS_LOCK = threading.Lock()


def call(code: ReferenceCode, name: str, arguments: Mapping[str, Any]) -> Any:
    """Run `name(**arguments)` from `code` in the sandbox and return its value.

    Arguments must be plain data (numbers, strings, arrays, lists and tables of
    them): what crosses into the sandbox is what a learner's function gets.
    Raises ReferenceCodeError saying, in the author's terms, what went wrong."""
    from tutor.checking.expected import exact_text, to_engine_arguments

    where = f"course function {name!r} ({code.where(name)})"
    arguments = to_engine_arguments(arguments)
    for key, value in arguments.items():
        problem = _not_plain(value)
        if problem is not None:
            raise ReferenceCodeError(
                f"argument {key!r} of {where} is {problem}, which cannot cross into the sandbox: "
                "pass numbers, arrays, lists or tables (select a field of an engine result with "
                "select = \"...\"), or build the object inside reference.py")
    text = exact_text(arguments)
    key = (code.digest, name, text) if text is not None else None
    if key is not None:
        with _RESULTS_LOCK:
            if key in _RESULTS:
                _RESULTS.move_to_end(key)
                return copy.deepcopy(_RESULTS[key])
    value = _run(code, name, arguments, where)
    if key is not None:
        with _RESULTS_LOCK:
            _RESULTS[key] = value
            if len(_RESULTS) > _RESULTS_MAX:
                _RESULTS.popitem(last=False)
        return copy.deepcopy(value)
    return value


def _run(code: ReferenceCode, name: str, arguments: Mapping[str, Any], where: str) -> Any:
    from tutor.sandbox.api import Call, get_runner

    result = get_runner().run(code.source, name, [Call(args=dict(arguments))], REFERENCE_LIMITS)
    outcome = result.calls[0] if result.calls else None
    if outcome is not None and outcome.error is not None:
        error = outcome.error
        at = f"{code.path.name}:{error.line}" if error.line else code.path.name
        text = f"{where} raised {error.type_name} at {at}: {error.message}"
        if result.status == "forbidden":
            text = f"{where} was refused by the sandbox at {at}: {error.message}"
        if error.type_name in ("ModuleNotFoundError", "ImportError"):
            text += (" (reference code runs in the sandbox like a learner's: it may import NumPy and the "
                     "standard library, never the engine or the tutor; pass what it needs as arguments, "
                     "a nested { engine = ... } reference for an engine value)")
        raise ReferenceCodeError(text)
    if result.status != "ok" or outcome is None:
        if result.status == "syntax_error" and result.syntax is not None:
            raise ReferenceCodeError(f"{code.path.name}:{result.syntax.line}: invalid Python: {result.syntax.message}")
        if result.status == "missing_entry":
            raise ReferenceCodeError(f"{code.path.name} defines no function {name!r} when it runs")
        raise ReferenceCodeError(f"{where} did not finish in the sandbox ({result.status}): {result.message}")
    return outcome.value


def _not_plain(value: Any, depth: int = 0) -> str | None:
    """None for data the sandbox accepts; otherwise what the value is, in words."""
    import numpy as np

    if depth > 32:
        return "nested too deeply"
    if value is None or isinstance(value, (bool, int, float, str)):
        return None
    if isinstance(value, (np.ndarray, np.generic)):
        return None if value.dtype.kind in "biufc" else f"a NumPy array of dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return next((found for item in value if (found := _not_plain(item, depth + 1))), None)
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            return "a table with keys that are not strings"
        return next((found for item in value.values() if (found := _not_plain(item, depth + 1))), None)
    name = type(value).__name__
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def result_cache_size() -> int:
    """How many reference results are remembered (for tests of the cache)."""
    with _RESULTS_LOCK:
        return len(_RESULTS)


def reference_file_problems(course: str | Path) -> list[Problem]:
    """Lint's findings about a course's reference.py, read without running it:
    invalid Python, a function named like an engine one (a lesson could not
    tell them apart), a function with no docstring (its first line is what the
    catalogue shows)."""
    code = read_reference(course)
    if code is None:
        return []
    if code.syntax_error is not None:
        line, message = code.syntax_error
        return [Problem(code.path, line, message)]
    from tutor.course.catalogue import engine_entries

    engine_names = {entry.name for entry in engine_entries()}
    problems: list[Problem] = []
    for function in code.functions.values():
        if function.name in engine_names:
            problems.append(Problem(code.path, function.line,
                                    f"function {function.name!r} has the name of an engine function, so a lesson's "
                                    f"engine = {function.name!r} could mean either: rename it "
                                    f"(for instance {function.name + '_course'!r})"))
        if not function.summary:
            problems.append(Problem(code.path, function.line,
                                    f"function {function.name!r} has no docstring: its first line is the description "
                                    "`nntutor engine --course` shows authors"))
    if not code.functions:
        problems.append(Problem(code.path, 1, "reference.py defines no public function (def name(...) at top level, "
                                              "not starting with _): lessons have nothing to name"))
    return problems
