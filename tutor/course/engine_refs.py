"""Resolving and evaluating the engine references that lesson files name.

A lesson never types an expected value; it names an engine function, its
arguments and optionally a path into the result. This module is the only place
that turns such a name into a call, so the rules (public API only, arguments
bound by name, no eval) hold for lint, the checker and the UI alike.
"""

from __future__ import annotations

import inspect
import re
from typing import Any, Callable, Mapping

from tutor.course.model import EngineRef


class EngineRefError(ValueError):
    """A reference that does not resolve, does not fit, or whose select fails."""


#: Engine names that lesson files use for things that moved: the first part of
#: a name -> where it lives now. ``worked.mazur_forward`` is
#: ``engine.sources.mazur_forward`` (the sources' worked examples, kept out of
#: the engine's reading path), and lessons keep writing ``worked.``.
RENAMED = {"worked": "sources"}


def resolve(name: str) -> Callable[..., Any]:
    """The engine callable called `name` ("sigmoid", "worked.mazur_forward").

    Only names reachable from `engine.__all__` resolve, so a lesson cannot reach
    into private helpers or, through them, anything outside the engine.
    """
    import engine

    parts = name.split(".")
    parts[0] = RENAMED.get(parts[0], parts[0])
    if not all(part.isidentifier() and not part.startswith("_") for part in parts):
        raise EngineRefError(f"engine function {name!r} is not a valid name")
    if parts[0] not in getattr(engine, "__all__", ()):
        raise EngineRefError(f"unknown engine function {name!r}")
    target: Any = engine
    for index, part in enumerate(parts):
        public = getattr(target, "__all__", None)
        if index > 0 and public is not None and part not in public:
            raise EngineRefError(f"unknown engine function {name!r}")
        try:
            target = getattr(target, part)
        except AttributeError:
            raise EngineRefError(f"unknown engine function {name!r}") from None
    if not callable(target):
        raise EngineRefError(f"engine name {name!r} is not a function")
    return target


def signature_of(ref: EngineRef) -> inspect.Signature:
    """The signature of what `ref` names: its course's reference.py function
    (read, never run) or the engine's."""
    from tutor.course.reference_code import course_function

    found = course_function(ref)
    if found is not None:
        return found[1].signature
    function = resolve(ref.function)
    try:
        return inspect.signature(function)
    except (TypeError, ValueError):
        return inspect.Signature([inspect.Parameter("args", inspect.Parameter.VAR_KEYWORD)])


def is_course_function(ref: EngineRef) -> bool:
    from tutor.course.reference_code import course_function

    return course_function(ref) is not None


def check_arguments(ref: EngineRef, extra: Mapping[str, Any] | None = None) -> None:
    """Raise EngineRefError unless `ref.args` (plus `extra`) bind to the function.

    `extra` is for arguments supplied at check time, such as the per-case
    arguments of a code exercise.
    """
    signature = signature_of(ref)
    arguments = {**ref.args, **(extra or {})}
    try:
        signature.bind(**arguments)
    except TypeError as error:
        raise EngineRefError(f"arguments do not fit {_what(ref)} {ref.function!r}: {error}{_keyword_hint(error, signature, ref)}") from None
    if ref.select is not None:
        parse_select(ref.select)


def _keyword_hint(error: TypeError, signature: inspect.Signature, ref: EngineRef) -> str:
    """For a misspelled keyword: the closest parameter and the ones there are."""
    import difflib

    match = re.search(r"unexpected keyword argument '(\w+)'", str(error))
    if not match:
        return ""
    names = [name for name, parameter in signature.parameters.items()
             if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)]
    close = difflib.get_close_matches(match.group(1), names, n=1, cutoff=0.6)
    meant = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{meant}; {ref.function} takes {', '.join(names)}"


def _what(ref: EngineRef) -> str:
    return "course function" if is_course_function(ref) else "engine function"


def nested_refs(ref: EngineRef) -> list[EngineRef]:
    """The references written as arguments of `ref`, at any depth, outermost first."""
    found: list[EngineRef] = []

    def walk(value: Any) -> None:
        inner = _as_ref(value, ref)
        if inner is not None:
            found.append(inner)
            walk(dict(inner.args))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(dict(ref.args))
    return found


def _as_ref(value: Any, outer: EngineRef) -> EngineRef | None:
    """A nested reference table (``{ engine = "...", args = {...}, select = "..." }``) as an EngineRef."""
    if isinstance(value, dict) and isinstance(value.get("engine"), str):
        return EngineRef(value["engine"], value.get("args") or {}, value.get("select"), outer.line, outer.course)
    return None


def evaluate(ref: EngineRef, params: Mapping[str, Any] | None = None, extra: Mapping[str, Any] | None = None) -> Any:
    """Call the referenced function and apply its select path.

    String arguments of the form "$name" are replaced by ``params[name]`` (the
    learner's choices in a tune exercise); `extra` adds per-case arguments;
    nested references among the arguments are computed first. A course
    function runs in the sandbox (tutor.course.reference_code); an engine
    function here, since the engine is trusted.
    """
    from tutor.course.reference_code import ReferenceCodeError, call, course_function

    arguments = {key: _computed(_substitute(value, params or {}), ref, params) for key, value in ref.args.items()}
    arguments.update(extra or {})
    found = course_function(ref)
    if found is not None:
        code, function = found
        try:
            function.signature.bind(**arguments)
        except TypeError as error:
            raise EngineRefError(f"arguments do not fit course function {ref.function!r}: {error}") from None
        try:
            result = call(code, ref.function, arguments)
        except ReferenceCodeError as error:
            raise EngineRefError(str(error)) from None
    else:
        function = resolve(ref.function)
        try:
            inspect.signature(function).bind(**arguments)
        except TypeError as error:
            raise EngineRefError(f"arguments do not fit engine function {ref.function!r}: {error}") from None
        result = function(**arguments)
    return apply_select(result, ref.select) if ref.select else result


def _computed(value: Any, outer: EngineRef, params: Mapping[str, Any] | None) -> Any:
    """`value` with each nested reference replaced by what it computes."""
    inner = _as_ref(value, outer)
    if inner is not None:
        try:
            return evaluate(inner, params)
        except EngineRefError:
            raise
        except Exception as error:  # the engine raised: say which nested call
            raise EngineRefError(f"the nested reference to {inner.function!r} failed: "
                                 f"{type(error).__name__}: {error}") from None
    if isinstance(value, dict):
        return {key: _computed(item, outer, params) for key, item in value.items()}
    if isinstance(value, list):
        return [_computed(item, outer, params) for item in value]
    return value


def _substitute(value: Any, params: Mapping[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        name = value[1:]
        if name not in params:
            raise EngineRefError(f"no parameter named {name!r} for {value!r}")
        return params[name]
    if isinstance(value, list):
        return [_substitute(item, params) for item in value]
    if isinstance(value, dict):
        return {key: _substitute(item, params) for key, item in value.items()}
    return value


_TOKEN = re.compile(r"\s*(?:\.(?P<attr>[A-Za-z_]\w*)|\[(?P<index>[^\]]*)\]|(?P<bare>[A-Za-z_]\w*))")


def parse_select(select: str) -> list[tuple[str, Any]]:
    """Split a select path like ``weights[1][0, 0]`` or ``.loss`` into steps.

    Steps are ("attr", name), ("key", str) or ("index", int | tuple[int, ...]).
    A leading bare name counts as an attribute, so ``weights[1]`` and
    ``.weights[1]`` mean the same.
    """
    steps: list[tuple[str, Any]] = []
    position = 0
    text = select.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position or (match.group("bare") and steps):
            raise EngineRefError(f"cannot read select path {select!r} at character {position + 1}")
        if match.group("attr") or match.group("bare"):
            steps.append(("attr", match.group("attr") or match.group("bare")))
        else:
            steps.append(_index_step(match.group("index"), select))
        position = match.end()
    if not steps:
        raise EngineRefError("select path is empty")
    return steps


def _index_step(body: str, select: str) -> tuple[str, Any]:
    body = body.strip()
    if len(body) >= 2 and body[0] == body[-1] and body[0] in "'\"":
        return ("key", body[1:-1])
    try:
        numbers = tuple(int(part) for part in body.split(","))
    except ValueError:
        raise EngineRefError(f"select path {select!r}: index [{body}] must be integers or a quoted key") from None
    return ("index", numbers[0] if len(numbers) == 1 else numbers)


def apply_select(value: Any, select: str) -> Any:
    """Follow a select path into an engine result."""
    for kind, step in parse_select(select):
        try:
            if kind == "attr":
                value = value[step] if isinstance(value, Mapping) else getattr(value, step)
            else:
                value = value[step]
        except (AttributeError, KeyError, IndexError, TypeError) as error:
            raise EngineRefError(f"select path {select!r} fails at {step!r}: {error}") from None
    return value
