"""Every computation a lesson can name, as one catalogue.

The engine's public functions (``engine.__all__``, its submodules' ``__all__``
and the constructors of its classes) and a course's own ``reference.py``
functions, each with its signature, what each argument accepts and a one-line
description. `nntutor engine` prints it and lint's "did you mean" draws on it,
so an author never has to read site-packages to learn a name.

The course's part is read from its source (tutor.course.reference_code), never
run.
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from tutor.course.engine_refs import RENAMED


@dataclass(frozen=True)
class Argument:
    name: str
    accepts: str  # in words: "a number", "one of 'sum', 'mean'"
    default: str | None = None  # as written, None when required


@dataclass(frozen=True)
class Entry:
    """One name a lesson's ``engine = "..."`` may use."""

    name: str
    signature: str  # "leaky_relu(z, slope=0.01)"
    summary: str
    arguments: tuple[Argument, ...]
    origin: str  # "engine" or "reference.py:12"
    fields: tuple[str, ...] = ()  # what `select` can pick from a result type

    @property
    def from_course(self) -> bool:
        return self.origin != "engine"


# Argument names whose strings the engine looks up by name: the names it knows.
def _named_choices() -> dict[str, tuple[str, ...]]:
    from engine.activations import ACTIVATION_NAMES
    from engine.datasets import GATE_NAMES
    from engine.losses import LOSS_NAMES

    return {"activation": ACTIVATION_NAMES, "activations": ACTIVATION_NAMES, "loss": LOSS_NAMES,
            "gate": GATE_NAMES}


def engine_entries() -> list[Entry]:
    """The engine's part of the catalogue, in the order of ``engine.__all__``."""
    import engine

    choices = _named_choices()
    entries: list[Entry] = []
    for name in getattr(engine, "__all__", ()):
        member = getattr(engine, name)
        if inspect.ismodule(member):
            for inner in getattr(member, "__all__", ()):
                value = getattr(member, inner)
                if callable(value):
                    entries.append(_engine_entry(f"{name}.{inner}", value, choices))
            continue
        if not callable(member):
            continue
        entries.append(_engine_entry(name, member, choices))
        if inspect.isclass(member):
            for attribute, raw in vars(member).items():
                if isinstance(raw, classmethod) and not attribute.startswith("_"):
                    entries.append(_engine_entry(f"{name}.{attribute}", getattr(member, attribute), choices))
    return entries


def _engine_entry(name: str, function: Callable[..., Any], choices: dict[str, tuple[str, ...]]) -> Entry:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        signature = inspect.Signature()
    try:
        hints = typing.get_type_hints(function.__init__ if inspect.isclass(function) else function)
    except Exception:  # an annotation that does not evaluate: fall back on its text
        hints = {}
    arguments = tuple(
        Argument(parameter.name,
                 accepts(parameter.name, hints.get(parameter.name, parameter.annotation), choices),
                 None if parameter.default is inspect.Parameter.empty else repr(parameter.default))
        for parameter in signature.parameters.values()
        if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD) and not parameter.name.startswith("_")
    )
    fields = tuple(field.name for field in dataclasses.fields(function)) if dataclasses.is_dataclass(function) else ()
    return Entry(name, f"{name}{_plain_signature(signature)}", _summary(function), arguments, "engine", fields)


def _plain_signature(signature: inspect.Signature) -> str:
    """`(z, slope=0.01)`: names and defaults, without annotations (they are in `accepts`)."""
    parts = []
    for parameter in signature.parameters.values():
        if parameter.name.startswith("_"):
            continue
        text = {parameter.VAR_POSITIONAL: "*", parameter.VAR_KEYWORD: "**"}.get(parameter.kind, "") + parameter.name
        if parameter.default is not inspect.Parameter.empty:
            text += f"={parameter.default!r}"
        parts.append(text)
    return f"({', '.join(parts)})"


def _summary(function: Any) -> str:
    doc = inspect.getdoc(function) or ""
    first = doc.strip().split("\n\n")[0].replace("\n", " ").strip()
    return first


def accepts(name: str, annotation: Any, choices: dict[str, tuple[str, ...]] | None = None) -> str:
    """What argument `name` accepts, in an author's words, from its annotation
    (a type or its text) and, for names the engine looks up, the names it knows."""
    choices = _named_choices() if choices is None else choices
    text = annotation if isinstance(annotation, str) else _type_text(annotation)
    literal = _literal_values(annotation)
    if literal:
        return "one of " + ", ".join(repr(value) for value in literal)
    if name in choices:
        names = ", ".join(repr(value) for value in choices[name])
        many = "Sequence" in text or "list" in text
        return f"one of {names}" + (" (or a list of them, one per layer)" if many else "")
    optional = "None" in text and text.strip() != "None"
    words = _words(text.replace("| None", "").replace("None |", "").strip())
    return words + (", or omitted" if optional else "")


def _literal_values(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    for inner in typing.get_args(annotation):
        if typing.get_origin(inner) is typing.Literal:
            return typing.get_args(inner)
    return ()


def _type_text(annotation: Any) -> str:
    if annotation is inspect.Parameter.empty:
        return ""
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "").replace("collections.abc.", "").replace("numpy.", "np.")


_WORDS = (
    ("Callable", "a Python function (the tutor passes it; not from a lesson file)"),
    ("StepCallback", "a Python function (the tutor passes it; not from a lesson file)"),
    ("Network", 'a Network: a nested reference such as { engine = "Network.from_sizes", args = { sizes = [2, 3, 1] } }'),
    ("ForwardPass", "a ForwardPass (from a nested reference)"),
    ("Sequence[int]", "a list of integers"),
    ("Sequence[float]", "a list of numbers"),
    ("Sequence", "a list (of numbers or arrays)"),
    ("ndarray", "an array (a TOML list; nested lists for a matrix)"),
    ("bool", "true or false"),
    ("int", "an integer"),
    ("float", "a number"),
    ("Number", "a number"),
    ("str", "a string"),
    ("Any", "a number or an array (a TOML list; nested lists for a matrix)"),
)


def _words(text: str) -> str:
    if not text:
        return "any value (lists arrive as float arrays)"
    for key, words in _WORDS:
        if key in text:
            return words
    return text


def course_entries(course: str | Path | None) -> list[Entry]:
    """The course's reference.py functions (read, not run), in file order."""
    from tutor.course.reference_code import read_reference

    code = read_reference(course)
    if code is None:
        return []
    entries = []
    for function in code.functions.values():
        arguments = tuple(
            Argument(parameter.name, accepts(parameter.name, function.annotations.get(parameter.name, "")),
                     None if parameter.default is inspect.Parameter.empty else repr(parameter.default))
            for parameter in function.signature.parameters.values()
            if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
        )
        entries.append(Entry(function.name, f"{function.name}{_plain_signature(function.signature)}",
                             function.summary, arguments, f"{code.path.name}:{function.line}"))
    return entries


def catalogue(course: str | Path | None = None) -> list[Entry]:
    """The course's functions first (they are looked up first), then the engine's."""
    return course_entries(course) + engine_entries()


def lesson_names(course: str | Path | None = None) -> list[str]:
    """Every name `engine = "..."` may use, with the earlier spellings (`worked.`)."""
    names = [entry.name for entry in catalogue(course)]
    for old, new in RENAMED.items():
        names += [old + name[len(new):] for name in names if name.startswith(new + ".")]
    return names


def suggestions(name: str, names: Sequence[str]) -> list[str]:
    """The names an author most likely meant by `name`: close spellings, the
    same last part (`activations.relu` -> `relu`), and names sharing a word
    (`leaky_relu` -> `relu`, `relu_prime`)."""
    found = difflib.get_close_matches(name, list(names), n=3, cutoff=0.6)
    last = name.rsplit(".", 1)[-1]
    found += [known for known in names if known.rsplit(".", 1)[-1] == last]
    words = {word for word in last.lower().split("_") if len(word) > 2}
    found += [known for known in names
              if words & set(known.rsplit(".", 1)[-1].lower().split("_"))]
    unique: list[str] = []
    for known in found:
        if known != name and known not in unique:
            unique.append(known)
    return unique[:4]


def format_entry(entry: Entry, *, full: bool = False) -> str:
    """One entry as `nntutor engine` prints it: the signature and summary, and
    with `full` each argument's accepted values."""
    lines = [entry.signature + ("" if not entry.from_course else f"    [{entry.origin}]")]
    if entry.summary:
        lines.append(f"    {entry.summary}")
    if full:
        for argument in entry.arguments:
            default = f" (default {argument.default})" if argument.default is not None else " (required)"
            lines.append(f"    {argument.name}: {argument.accepts}{default}")
        if entry.fields:
            lines.append(f"    select from the result: {', '.join(entry.fields)}")
    return "\n".join(lines)
