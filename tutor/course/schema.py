"""The lesson schema: TOML tables in, model objects (or problems) out.

Every check here is about the data alone: which fields exist, their types and
their relations within one file. Nothing is imported from the engine and no
code runs, so the tutor can load a course cheaply and lint can add the checks
that need the engine or the checker on top.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Mapping

from tutor.course.model import (
    EXERCISE_KINDS,
    CodeSpec,
    EngineRef,
    Exercise,
    Limits,
    Plot,
    Problem,
    RandomCases,
    Tolerance,
    TuneParam,
    TuneSpec,
    VariantParam,
    VariantSource,
    WrongAnswer,
)
from tutor.course.toml_lines import KeyPath, line_of

ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")
ID_RULE = "letters, digits and single hyphens, starting with a letter"

FRONT_MATTER_FIELDS = ("id", "title", "order", "further_reading", "engine_files")

COMMON_FIELDS = ("id", "kind", "prompt", "hints", "solution", "wrong", "plot", "shows_output_of", "concepts")
# a concept is named in lower case words ("weighted sum", "cross-entropy"), so
# the same idea is spelled one way across a course
CONCEPT_PATTERN = re.compile(r"^[a-z0-9]+(?:[ -][a-z0-9]+)*$")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "number": ("expected", "tolerance", "params"),
    "array": ("expected", "tolerance", "shape", "shape_words", "params"),
    "predict": ("expected", "tolerance", "shape", "shape_words", "params"),
    "choice": ("choices", "answer", "pinned"),
    "code": ("expected", "tolerance", "code", "params"),
    "tune": ("tune", "tolerance"),
}
ALL_EXERCISE_FIELDS = COMMON_FIELDS + tuple(
    sorted({name for names in KIND_FIELDS.values() for name in names})
)
# a from-memory challenge names the exercise it repeats and takes the rest from it
CHALLENGE_KINDS = ("from-memory",)
CHALLENGE_FIELDS = ("id", "challenge", "repeats", "prompt", "concepts", "starter")
REF_FIELDS = ("engine", "args", "select")
RAISES_FIELDS = ("type", "match")
CODE_FIELDS = (
    "entry", "signature", "starter", "cases", "random", "harness",
    "harness_args", "probes", "gradcheck", "limits", "column_or_vector", "pass_mark",
)
RANDOM_FIELDS = ("seed", "count", "args")
PROBE_RANDOM_FIELDS = ("count", "args")
RANDOM_ARG_FIELDS = ("shape", "low", "high", "value", "integer")
PROBE_FIELDS = ("args", "random", "message", "tolerance")
LIMIT_FIELDS = ("time_s", "output_bytes", "memory_mb")
TUNE_FIELDS = ("params", "run", "goal")
PARAM_FIELDS = ("name", "kind", "default", "min", "max", "shape")
PARAM_KINDS = ("float", "int", "array")
VARIANT_FIELDS = ("value", "ints", "range", "step", "choices", "exclude", "distinct", "engine", "args", "select",
                  "digits")
VARIANT_DRAWS = ("ints", "range", "choices")
CONDITION_FIELDS = ("select", "below", "above", "equals", "round")
PLOT_KINDS = ("function", "loss", "boundary", "surface")
PLOT_FIELDS: dict[str, tuple[str, ...]] = {
    "function": ("kind", "title", "x", "curves"),
    "loss": ("kind", "title", "curves", "learner"),
    "boundary": ("kind", "title", "data", "model", "grid_arg", "learner"),
    "surface": ("kind", "title", "surface"),
}
X_FIELDS = ("arg", "from", "to", "points")
MAX_PLOT_POINTS = 2000

_MISSING = object()


@dataclass
class Spot:
    """Where problems in one TOML text go: the file, and how key paths map to lines."""

    path: Path
    lines: Mapping[KeyPath, int]
    offset: int  # file line of the text's first line, minus one
    default: int  # file line used when a path has no recorded line
    problems: list[Problem] = field(default_factory=list)

    def at(self, path: KeyPath) -> int:
        line = line_of(self.lines, path, 0)
        return self.offset + line if line else self.default

    def report(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.path, self.at(path), message))


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (datetime, date, time)):
        return "a date/time"
    return type(value).__name__


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def did_you_mean(name: str, known: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_fields(
    table: Mapping[str, Any], allowed: tuple[str, ...], spot: Spot, path: KeyPath, context: str
) -> None:
    for name in table:
        if name not in allowed:
            misplaced = ""
            header = len(path) == 1 or (len(path) == 2 and path[0] == "wrong")  # [code], [[wrong]]: a [header]
            if header and name in ALL_EXERCISE_FIELDS:
                misplaced = (f": {name!r} is a field of the exercise, so if it stands below a [header] move it "
                             "above the first one (in TOML every key after a header belongs to that table)")
            suggestion = "" if misplaced else did_you_mean(name, allowed)
            spot.report(path + (name,), f"unknown field {name!r} in {context}{suggestion}{misplaced}")


def take(
    table: Mapping[str, Any],
    name: str,
    expected: str,
    spot: Spot,
    path: KeyPath,
    context: str,
    required: bool = False,
) -> Any:
    """The value of `name` if present and of the `expected` type, else _MISSING
    (having reported why)."""
    if name not in table:
        if required:
            spot.report(path, f"missing required field {name!r} in {context}")
        return _MISSING
    value = table[name]
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": is_integer,
        "number": is_number,
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "table": lambda v: isinstance(v, dict),
    }
    if not checks[expected](value):
        article = "an" if expected[0] in "aeiou" else "a"
        spot.report(path + (name,), f"{name!r} must be {article} {expected}, not {type_name(value)}")
        return _MISSING
    return value


def answer_text(value: Any) -> str:
    """A TOML value as the text a learner would type for it."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value)


def read_front_matter(data: Mapping[str, Any], spot: Spot) -> dict[str, Any] | None:
    """Validate front matter; the fields as a dict, or None if any is wrong."""
    before = len(spot.problems)
    unknown_fields(data, FRONT_MATTER_FIELDS, spot, (), "front matter")
    lesson_id = take(data, "id", "string", spot, (), "front matter", required=True)
    if lesson_id is not _MISSING and not ID_PATTERN.match(lesson_id):
        spot.report(("id",), f"lesson id {lesson_id!r} must be {ID_RULE}")
    title = take(data, "title", "string", spot, (), "front matter", required=True)
    if title is not _MISSING and not title.strip():
        spot.report(("title",), "'title' must not be empty")
    order = take(data, "order", "integer", spot, (), "front matter", required=True)
    reading = take(data, "further_reading", "array", spot, (), "front matter")
    if reading is _MISSING:
        reading = []
    for index, item in enumerate(reading):
        if not isinstance(item, str) or not item.strip():
            spot.report(("further_reading", index), "each entry of 'further_reading' must be a non-empty string")
    engine_files = take(data, "engine_files", "array", spot, (), "front matter")
    if engine_files is _MISSING:
        engine_files = []
    for index, item in enumerate(engine_files):
        if not isinstance(item, str) or not item.strip():
            spot.report(("engine_files", index), "each entry of 'engine_files' must be a file name like \"network.py\"")
    if len(spot.problems) > before:
        return None
    return {"id": lesson_id, "title": title, "order": order, "further_reading": tuple(reading),
            "engine_files": tuple(engine_files)}


class ExerciseReader:
    """Reads one exercise table; `read` returns an Exercise or None with problems in `spot`."""

    def __init__(self, data: Mapping[str, Any], spot: Spot, lesson_id: str, fence_line: int, prose: str) -> None:
        self.data = data
        self.spot = spot
        self.lesson_id = lesson_id
        self.fence_line = fence_line
        self.prose = prose

    def read(self) -> Exercise | None:
        if "challenge" in self.data:
            return self.challenge()
        before = len(self.spot.problems)
        params, source = self.variants()
        data, spot = self.data, self.spot
        exercise_id = take(data, "id", "string", spot, (), "exercise", required=True)
        if exercise_id is not _MISSING and not ID_PATTERN.match(exercise_id):
            spot.report(("id",), f"exercise id {exercise_id!r} must be {ID_RULE}")
        kind = take(data, "kind", "string", spot, (), "exercise", required=True)
        if kind is not _MISSING and kind not in EXERCISE_KINDS:
            spot.report(
                ("kind",),
                f"unknown exercise kind {kind!r}{did_you_mean(kind, EXERCISE_KINDS)}; "
                f"use one of {', '.join(EXERCISE_KINDS)}",
            )
            kind = _MISSING
        self.fields_for(kind)
        prompt = take(data, "prompt", "string", spot, (), "exercise", required=True)
        if prompt is not _MISSING and not prompt.strip():
            spot.report(("prompt",), "'prompt' must not be empty")
        hints = self.strings("hints", required=True, at_least=1)
        concepts = self.concepts()
        wrong_tables = take(data, "wrong", "array", spot, (), "exercise")
        plot = self.plot()
        shows_output_of = take(data, "shows_output_of", "string", spot, (), "exercise")
        if shows_output_of is not _MISSING and not ID_PATTERN.fullmatch(shows_output_of):
            spot.report(("shows_output_of",), f"'shows_output_of' must be an exercise id of this lesson ({ID_RULE})")
        if kind is _MISSING:
            return None
        built = self.by_kind(kind)
        wrong = self.wrong(kind, wrong_tables, built)
        if len(spot.problems) > before:
            return None
        return Exercise(
            id=exercise_id,
            lesson_id=self.lesson_id,
            kind=kind,
            prompt=prompt,
            line=self.fence_line,
            prose=self.prose,
            hints=tuple(hints),
            wrong=tuple(wrong),
            plot=plot,
            shows_output_of=None if shows_output_of is _MISSING else shows_output_of,
            concepts=concepts,
            field_lines=self.field_lines(),
            params=tuple(params),
            variant_values={param.name: param.value for param in params},
            variant_source=source,
            **built,
        )

    # -- variants -------------------------------------------------------------
    def variants(self) -> tuple[list[VariantParam], VariantSource | None]:
        """The block's ``[params]``, checked; the rest of the block is then read
        with their published values written in (tutor.course.variants)."""
        from tutor.course import variants

        if "params" not in self.data:
            return [], None
        table = take(self.data, "params", "table", self.spot, (), "exercise")
        kind = self.data.get("kind")
        if table is _MISSING or kind not in ("number", "array", "predict", "code"):
            return [], None  # the field check says it does not apply
        params = self.variant_params(table)
        names = [param.name for param in params]
        rest = {key: value for key, value in self.data.items() if key != "params"}
        for name in sorted(variants.dollar_names(rest)):
            if name not in names and name not in table:
                self.spot.report(("params",), f"the exercise uses '${name}' but [params] declares no {name!r}"
                                              f"{did_you_mean(name, names)}")
        used = variants.dollar_names(rest) | variants.template_names(rest, self.prose, names)
        for param in params:
            if param.name not in used:
                self.spot.report(("params", param.name), f"parameter {param.name!r} is never used: write "
                                                         f"\"${param.name}\" in an engine reference or "
                                                         f"{{{param.name}}} in the prompt")
        source = VariantSource(data=dict(self.data), prose=self.prose, path=self.spot.path, lines=self.spot.lines,
                               offset=self.spot.offset, fence_line=self.fence_line)
        self.data, self.prose = variants.substitute(self.data, variants.published(params), self.prose, kind)
        return params, source

    def variant_params(self, table: Mapping[str, Any]) -> list[VariantParam]:
        spot = self.spot
        result: list[VariantParam] = []
        for name, spec in table.items():
            path: KeyPath = ("params", name)
            context = f"parameter {name!r}"
            if not name.isidentifier():
                spot.report(path, f"parameter name {name!r} must be a Python name")
                continue
            if not isinstance(spec, dict):
                spot.report(path, f"{context} must be a table like {{ value = -2, ints = [-5, 5] }}, not {type_name(spec)}")
                continue
            before = len(spot.problems)
            unknown_fields(spec, VARIANT_FIELDS, spot, path, context)
            if "value" not in spec:
                spot.report(path, f"{context} needs its published 'value', the one the lesson as written uses")
            if "engine" in spec:
                computed = self.computed_param(name, spec, path, context, [param.name for param in result])
                if computed is not None and len(spot.problems) == before:
                    result.append(computed)
                continue
            draws = [field for field in VARIANT_DRAWS if field in spec]
            if len(draws) != 1:
                spot.report(path, f"{context} needs exactly one of 'ints', 'range' (with 'step') or 'choices'")
            value = spec.get("value")
            numbers = _flatten(value) if "value" in spec else None
            if "value" in spec and (numbers is None or _shape_of(value) is None or not numbers):
                spot.report(path + ("value",), f"{context}: 'value' must be a number or an array of numbers")
            ints = rng = step = choices = None
            if "ints" in spec:
                ints = self.bounds(spec["ints"], path + ("ints",), context, "ints", integers=True)
                if ints is not None and numbers and not all(is_integer(n) and ints[0] <= n <= ints[1] for n in numbers):
                    spot.report(path + ("value",), f"{context}: the published value must be whole numbers in 'ints' {list(ints)}")
            if "range" in spec:
                rng = self.bounds(spec["range"], path + ("range",), context, "range", integers=False)
                step = take(spec, "step", "number", spot, path, context, required=True)
                if step is not _MISSING and step <= 0:
                    spot.report(path + ("step",), f"{context}: 'step' must be greater than 0")
                elif step is not _MISSING and rng is not None:
                    steps = (rng[1] - rng[0]) / step
                    if abs(steps - round(steps)) > 1e-9:
                        spot.report(path + ("step",), f"{context}: 'range' {list(rng)} is not a whole number of steps of {step}")
                    elif numbers and not all(_on_grid(n, rng, step) for n in numbers):
                        spot.report(path + ("value",), f"{context}: the published value must lie on the grid of "
                                                       f"'range' {list(rng)} in steps of {step}")
            elif "step" in spec:
                spot.report(path + ("step",), f"{context}: 'step' goes with 'range'")
            if "choices" in spec:
                raw = take(spec, "choices", "array", spot, path, context)
                if raw is not _MISSING:
                    if not raw or any(_flatten(item) is None for item in raw):
                        spot.report(path + ("choices",), f"{context}: 'choices' must list numbers (or arrays of the value's shape)")
                    else:
                        choices = tuple(raw)
                        whole = _shape_of(raw[0]) == _shape_of(value) != ()
                        pool = [tuple(_flatten(item) or ()) for item in raw] if whole else [n for n in raw if is_number(n)]
                        if not whole and len(pool) != len(raw):
                            spot.report(path + ("choices",), f"{context}: 'choices' must be numbers, or arrays of the value's shape")
                        elif numbers and (tuple(numbers) not in pool if whole else not all(n in pool for n in numbers)):
                            spot.report(path + ("value",), f"{context}: the published value must be one of the 'choices'")
            exclude = take(spec, "exclude", "array", spot, path, context)
            if exclude is not _MISSING and not all(is_number(n) for n in exclude):
                spot.report(path + ("exclude",), f"{context}: 'exclude' must list numbers")
            elif exclude is not _MISSING and numbers and any(n in exclude for n in numbers):
                spot.report(path + ("exclude",), f"{context}: 'exclude' must not exclude the published value")
            distinct = take(spec, "distinct", "boolean", spot, path, context)
            if distinct is True and numbers and len(set(numbers)) != len(numbers):
                spot.report(path + ("distinct",), f"{context}: the published value's numbers are not distinct")
            if len(spot.problems) > before:
                continue
            result.append(VariantParam(
                name=name, value=value, ints=ints, range=rng,
                step=float(step) if step not in (None, _MISSING) else None,
                choices=choices, exclude=tuple(exclude) if exclude is not _MISSING else (),
                distinct=bool(distinct) if distinct is not _MISSING else False, line=spot.at(path),
            ))
        if not table:
            spot.report(("params",), "[params] declares no parameter")
        return result

    def computed_param(self, name: str, spec: Mapping[str, Any], path: KeyPath, context: str,
                       earlier: list[str]) -> VariantParam | None:
        """A parameter the engine computes from those declared before it; its
        published `value` is given, so loading never calls the engine (lint
        checks the engine agrees)."""
        from tutor.course import variants

        spot = self.spot
        for field in VARIANT_DRAWS + ("step", "exclude", "distinct"):
            if field in spec:
                spot.report(path + (field,), f"{context} is computed ('engine'): it takes no {field!r}")
        ref = self.engine_ref({key: spec[key] for key in REF_FIELDS if key in spec}, path, context)
        for used in sorted(variants.dollar_names(dict(ref.args) if ref is not None else {})):
            if used not in earlier:
                spot.report(path + ("args",), f"{context} uses '${used}', which no parameter declared before it is")
        digits = take(spec, "digits", "integer", spot, path, context)
        if digits is not _MISSING and not 0 <= digits <= 15:
            spot.report(path + ("digits",), f"{context}: 'digits' must be between 0 and 15")
        value = spec.get("value")
        if "value" in spec and (_flatten(value) is None or _shape_of(value) is None):
            spot.report(path + ("value",), f"{context}: 'value' must be a number or an array of numbers")
        if ref is None:
            return None
        return VariantParam(name=name, value=value, ref=ref, digits=None if digits is _MISSING else digits,
                            line=spot.at(path))

    def bounds(self, value: Any, path: KeyPath, context: str, name: str, integers: bool) -> tuple[Any, Any] | None:
        check = is_integer if integers else is_number
        if not (isinstance(value, list) and len(value) == 2 and all(check(n) for n in value)):
            kind = "whole numbers" if integers else "numbers"
            self.spot.report(path, f"{context}: {name!r} must be two {kind} [low, high]")
            return None
        if not value[0] < value[1]:
            self.spot.report(path, f"{context}: {name!r} needs low < high, not {value}")
            return None
        return (value[0], value[1])

    def challenge(self) -> Exercise | None:
        """A from-memory challenge as written: its id, the exercise it repeats and
        what it changes. tutor.course.challenges fills in the rest from the
        repeated exercise once the whole lesson is read."""
        data, spot = self.data, self.spot
        before = len(spot.problems)
        exercise_id = take(data, "id", "string", spot, (), "exercise", required=True)
        if exercise_id is not _MISSING and not ID_PATTERN.match(exercise_id):
            spot.report(("id",), f"exercise id {exercise_id!r} must be {ID_RULE}")
        for name in data:
            if name == "hints":
                spot.report((name,), "a from-memory challenge shows no hints: remove 'hints'")
            elif name in ALL_EXERCISE_FIELDS and name not in CHALLENGE_FIELDS:
                spot.report((name,), f"field {name!r} does not apply to a from-memory challenge: "
                                     "it takes it from the exercise it repeats")
            elif name not in CHALLENGE_FIELDS:
                spot.report((name,), f"unknown field {name!r} in a from-memory challenge"
                                     f"{did_you_mean(name, CHALLENGE_FIELDS)}")
        challenge = take(data, "challenge", "string", spot, (), "exercise")
        if challenge is not _MISSING and challenge not in CHALLENGE_KINDS:
            spot.report(("challenge",), f"unknown challenge {challenge!r}{did_you_mean(challenge, CHALLENGE_KINDS)}; "
                                        f"use {', '.join(CHALLENGE_KINDS)}")
        repeats = take(data, "repeats", "string", spot, (), "a from-memory challenge", required=True)
        if repeats is not _MISSING and not ID_PATTERN.fullmatch(repeats):
            spot.report(("repeats",), f"'repeats' must be the id of an earlier code exercise of this lesson ({ID_RULE})")
        prompt = take(data, "prompt", "string", spot, (), "exercise")
        if prompt is not _MISSING and not prompt.strip():
            spot.report(("prompt",), "'prompt' must not be empty")
        starter = take(data, "starter", "string", spot, (), "exercise")
        concepts = self.concepts()
        if len(spot.problems) > before:
            return None
        # a code exercise whose code holds only the starter: the loader puts the
        # repeated exercise's entry, cases and checks around it
        return Exercise(
            id=exercise_id,
            lesson_id=self.lesson_id,
            kind="code",
            prompt="" if prompt is _MISSING else prompt,
            line=self.fence_line,
            prose=self.prose,
            code=CodeSpec(entry="", signature="", starter="" if starter is _MISSING else starter),
            concepts=concepts,
            challenge=challenge,
            repeats=repeats,
            field_lines=self.field_lines(),
        )

    # -- helpers --------------------------------------------------------------
    def field_lines(self) -> dict[str, int]:
        lines: dict[str, int] = {}
        for path in self.spot.lines:
            if all(isinstance(part, str) for part in path):
                lines[".".join(str(part) for part in path)] = self.spot.at(path)
        return lines

    def fields_for(self, kind: Any) -> None:
        applicable = COMMON_FIELDS + (KIND_FIELDS[kind] if kind is not _MISSING else ())
        for name in self.data:
            if name not in ALL_EXERCISE_FIELDS:
                self.spot.report((name,), f"unknown field {name!r} in exercise{did_you_mean(name, ALL_EXERCISE_FIELDS)}")
            elif name not in applicable and kind is not _MISSING:
                self.spot.report((name,), f"field {name!r} does not apply to a {kind} exercise")

    def strings(self, name: str, required: bool, at_least: int) -> list[str]:
        values = take(self.data, name, "array", self.spot, (), "exercise", required=required)
        if values is _MISSING:
            return []
        good = []
        for index, item in enumerate(values):
            if not isinstance(item, str) or not item.strip():
                self.spot.report((name, index), f"each entry of {name!r} must be a non-empty string")
            else:
                good.append(item)
        if len(values) < at_least:
            self.spot.report((name,), f"{name!r} needs at least {at_least} entr{'y' if at_least == 1 else 'ies'}")
        return good

    def concepts(self) -> tuple[str, ...]:
        """The concepts the exercise practises: lower-case names, each once."""
        names = self.strings("concepts", required=False, at_least=0)
        seen: list[str] = []
        for index, name in enumerate(names):
            if not CONCEPT_PATTERN.fullmatch(name):
                self.spot.report(
                    ("concepts", index),
                    f"concept {name!r} must be lower-case words separated by single spaces or hyphens "
                    f"(e.g. \"weighted sum\")",
                )
            elif name in seen:
                self.spot.report(("concepts", index), f"concept {name!r} is named twice")
            else:
                seen.append(name)
        return tuple(seen)

    def require(self, name: str, kind: str) -> bool:
        if name not in self.data:
            self.spot.report((), f"missing required field {name!r} for a {kind} exercise")
            return False
        return True

    def engine_ref(self, value: Any, path: KeyPath, context: str, allowed: tuple[str, ...] = REF_FIELDS) -> EngineRef | None:
        if not isinstance(value, dict):
            self.spot.report(path, f"{context} must be a table with 'engine' and 'args', not {type_name(value)}")
            return None
        before = len(self.spot.problems)
        unknown_fields(value, allowed, self.spot, path, context)
        function = take(value, "engine", "string", self.spot, path, context, required=True)
        args = take(value, "args", "table", self.spot, path, context)
        select = take(value, "select", "string", self.spot, path, context)
        if function is not _MISSING and not function.strip():
            self.spot.report(path + ("engine",), "'engine' must name an engine function")
        if args is not _MISSING:
            self.nested_refs(args, path + ("args",))
        if len(self.spot.problems) > before:
            return None
        return EngineRef(
            function=function,
            args=args if args is not _MISSING else {},
            select=select if select is not _MISSING else None,
            line=self.spot.at(path + ("engine",)),
            course=str(self.spot.path.absolute().parent),
        )

    def nested_refs(self, value: Any, path: KeyPath) -> None:
        """Validate every table with an ``engine`` key inside `value` (the
        arguments of a reference) as a nested reference; they stay tables in
        the args and are computed, innermost first, when the outer one is."""
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            if isinstance(item, dict) and "engine" in item:
                self.engine_ref(item, path + (key,), f"the nested reference in {'.'.join(map(str, path + (key,)))}")
            elif isinstance(item, (dict, list)):
                self.nested_refs(item, path + (key,))

    def tolerance(self) -> Tolerance | None:
        table = take(self.data, "tolerance", "table", self.spot, (), "exercise")
        if table is _MISSING:
            return None
        path = ("tolerance",)
        unknown_fields(table, ("abs", "rel"), self.spot, path, "tolerance")
        values = {}
        for name in ("abs", "rel"):
            value = take(table, name, "number", self.spot, path, "tolerance", required=True)
            if value is not _MISSING and (value < 0 or value != value):
                self.spot.report(path + (name,), f"tolerance {name!r} must be a number >= 0")
                value = _MISSING
            values[name] = value
        if _MISSING in values.values():
            return None
        return Tolerance(abs=float(values["abs"]), rel=float(values["rel"]))

    def shape(self, path: KeyPath, value: Any, allow_scalar: bool = False) -> tuple[int, ...] | None:
        name = path[-1]
        if not isinstance(value, list) or not all(is_integer(n) for n in value):
            self.spot.report(path, f"{name!r} must be an array of integers, like [3] or [2, 3]")
            return None
        low = 0 if allow_scalar else 1
        if (not value and not allow_scalar) or any(n < low for n in value):
            self.spot.report(path, f"{name!r} must list {'non-negative' if allow_scalar else 'positive'} sizes, like [3] or [2, 3]")
            return None
        return tuple(value)

    # -- kinds ----------------------------------------------------------------
    def by_kind(self, kind: str) -> dict[str, Any]:
        built: dict[str, Any] = {}
        data, spot = self.data, self.spot
        if kind in ("number", "array", "predict", "code"):
            for name in ("expected", "tolerance", "solution"):
                self.require(name, kind)
            if "expected" in data:
                built["expected"] = self.engine_ref(data["expected"], ("expected",), "expected")
            tolerance = self.tolerance()
            if tolerance is not None:
                built["tolerance"] = tolerance
        if kind in ("array", "predict"):
            if kind == "array":
                self.require("shape", kind)
            if "shape" in data:
                built["shape"] = self.shape(("shape",), data["shape"])
            words = take(data, "shape_words", "string", spot, (), "exercise")
            if words is not _MISSING:
                built["shape_words"] = words
        if kind in ("number", "array", "predict"):
            solution = data.get("solution", _MISSING)
            if solution is not _MISSING:
                if isinstance(solution, str) or is_number(solution) or (kind != "number" and isinstance(solution, list)):
                    built["solution"] = answer_text(solution)
                    if isinstance(solution, str) and not solution.strip():
                        spot.report(("solution",), "'solution' must not be empty")
                else:
                    spot.report(("solution",), f"'solution' must be the answer as a learner types it, not {type_name(solution)}")
        if kind == "choice":
            self.choice(built)
        if kind == "code":
            solution = take(data, "solution", "string", spot, (), "exercise")
            if solution is not _MISSING:
                built["solution"] = solution
            if self.require("code", kind):
                built["code"] = self.code()
        if kind == "tune":
            self.require("solution", kind)
            if self.require("tune", kind):
                built["tune"] = self.tune()
            tolerance = self.tolerance()
            if tolerance is not None:
                built["tolerance"] = tolerance
        return {name: value for name, value in built.items() if value is not None}

    def choice(self, built: dict[str, Any]) -> None:
        data, spot = self.data, self.spot
        self.require("choices", "choice")
        self.require("answer", "choice")
        choices = self.strings("choices", required=False, at_least=2) if "choices" in data else []
        seen: dict[str, int] = {}
        for index, choice in enumerate(choices):
            if choice in seen:
                spot.report(("choices", index), f"choice {choice!r} is listed twice")
            seen[choice] = index
        built["choices"] = tuple(choices)
        if "pinned" in data:
            pinned = self.strings("pinned", required=False, at_least=1)
            for index, option in enumerate(pinned):
                if choices and option not in choices:
                    spot.report(("pinned", index), f"pinned option {option!r} is not one of the choices{did_you_mean(option, choices)}")
            if choices and set(pinned) >= set(choices):
                spot.report(("pinned",), "every option is pinned, so none would be shuffled; pin only options such as 'All of the above'")
            built["pinned"] = tuple(option for option in pinned if option in choices)
        answer = take(data, "answer", "string", spot, (), "exercise")
        if answer is not _MISSING:
            if choices and answer not in choices:
                spot.report(("answer",), f"'answer' {answer!r} is not one of the choices{did_you_mean(answer, choices)}")
            built["answer"] = answer
        solution = take(data, "solution", "string", spot, (), "exercise")
        if solution is not _MISSING:
            if choices and solution not in choices:
                spot.report(("solution",), f"'solution' {solution!r} is not one of the choices")
            built["solution"] = solution
        elif answer is not _MISSING:
            built["solution"] = answer

    def code(self) -> CodeSpec | None:
        spot = self.spot
        table = take(self.data, "code", "table", spot, (), "exercise")
        if table is _MISSING:
            return None
        path: KeyPath = ("code",)
        before = len(spot.problems)
        unknown_fields(table, CODE_FIELDS, spot, path, "[code]")
        entry = take(table, "entry", "string", spot, path, "[code]", required=True)
        if entry is not _MISSING and not entry.isidentifier():
            spot.report(path + ("entry",), f"'entry' {entry!r} must be a Python name")
        signature = take(table, "signature", "string", spot, path, "[code]", required=True)
        starter = take(table, "starter", "string", spot, path, "[code]", required=True)
        cases = take(table, "cases", "array", spot, path, "[code]")
        if cases is not _MISSING:
            for index, case in enumerate(cases):
                if not isinstance(case, dict):
                    spot.report(path + ("cases", index), f"each case must be a table of arguments, like {{ z = 0.0 }}, not {type_name(case)}")
        random = self.random_cases(table, path)
        if cases is _MISSING and "random" not in table:
            spot.report(path, "[code] needs 'cases' or 'random' (or both)")
        harness = take(table, "harness", "string", spot, path, "[code]")
        if harness is not _MISSING and not harness.isidentifier():
            spot.report(path + ("harness",), f"'harness' {harness!r} must be a Python name")
        harness_args = take(table, "harness_args", "table", spot, path, "[code]")
        probes = self.probes(table, path)
        gradcheck = take(table, "gradcheck", "boolean", spot, path, "[code]")
        column_or_vector = take(table, "column_or_vector", "boolean", spot, path, "[code]")
        pass_mark = take(table, "pass_mark", "number", spot, path, "[code]")
        limits = self.limits(table, path)
        if len(spot.problems) > before:
            return None
        return CodeSpec(
            entry=entry,
            signature=signature,
            starter=starter,
            cases=tuple(cases) if cases is not _MISSING else (),
            random=random,
            harness=harness if harness is not _MISSING else None,
            harness_args=harness_args if harness_args is not _MISSING else {},
            probes=probes,
            gradcheck=gradcheck if gradcheck is not _MISSING else False,
            limits=limits,
            column_or_vector=column_or_vector if column_or_vector is not _MISSING else False,
            pass_mark=float(pass_mark) if pass_mark is not _MISSING else None,
        )

    def random_cases(self, table: Mapping[str, Any], code_path: KeyPath) -> RandomCases | None:
        spot = self.spot
        random = take(table, "random", "table", spot, code_path, "[code]")
        if random is _MISSING:
            return None
        path = code_path + ("random",)
        unknown_fields(random, RANDOM_FIELDS, spot, path, "code.random")
        seed = take(random, "seed", "integer", spot, path, "code.random", required=True)
        count = take(random, "count", "integer", spot, path, "code.random", required=True)
        if count is not _MISSING and count < 1:
            spot.report(path + ("count",), "'count' must be at least 1")
        args = take(random, "args", "table", spot, path, "code.random", required=True)
        generators = self.generators(args, path, "code.random") if args is not _MISSING else {}
        if _MISSING in (seed, count, args):
            return None
        return RandomCases(seed=seed, count=count, args=generators)

    def generators(self, args: Mapping[str, Any], path: KeyPath, where: str) -> dict[str, dict[str, Any]]:
        """The declared rules random arguments are drawn by (``code.random.args``
        and a probe's ``random.args``), checked once for both."""
        spot = self.spot
        generators: dict[str, dict[str, Any]] = {}
        if not args:
            spot.report(path + ("args",), "'args' must give a generator for at least one argument")
        for name, spec in args.items():
            arg_path = path + ("args", name)
            context = f"{where}.args.{name}"
            if not isinstance(spec, dict):
                spot.report(arg_path, f"{context} must be a table like {{ shape = [3], low = -1.0, high = 1.0 }}"
                                      " or { value = 0.5 }")
                continue
            unknown_fields(spec, RANDOM_ARG_FIELDS, spot, arg_path, context)
            if "value" in spec:
                # the same argument in every random call (a learning rate, say)
                drawn = [field for field in ("shape", "low", "high") if field in spec]
                if drawn:
                    spot.report(arg_path + (drawn[0],), f"{context} has a fixed 'value': "
                                                         f"it takes no {', '.join(repr(f) for f in drawn)}")
                generators[name] = {"value": spec["value"]}
                continue
            shape = spec.get("shape", [])
            shape = self.shape(arg_path + ("shape",), shape, allow_scalar=True)
            low = take(spec, "low", "number", spot, arg_path, context, required=True)
            high = take(spec, "high", "number", spot, arg_path, context, required=True)
            if low is not _MISSING and high is not _MISSING and not low < high:
                spot.report(arg_path + ("high",), f"'high' must be greater than 'low' in {context}")
            generator = {"shape": list(shape or ()), "low": low, "high": high}
            integer = take(spec, "integer", "boolean", spot, arg_path, context)
            if integer is not _MISSING and integer:
                generator["integer"] = True  # whole numbers in [low, high): class labels, seeds
            generators[name] = generator
        return generators

    def probes(self, table: Mapping[str, Any], code_path: KeyPath) -> tuple[Mapping[str, Any], ...]:
        spot = self.spot
        probes = take(table, "probes", "array", spot, code_path, "[code]")
        if probes is _MISSING:
            return ()
        result = []
        for index, probe in enumerate(probes):
            path = code_path + ("probes", index)
            if not isinstance(probe, dict):
                spot.report(path, f"each probe must be a table with 'args' and 'message', not {type_name(probe)}")
                continue
            unknown_fields(probe, PROBE_FIELDS, spot, path, "a probe")
            message = take(probe, "message", "string", spot, path, "a probe", required=True)
            extra: dict[str, Any] = {}
            tolerance = take(probe, "tolerance", "table", spot, path, "a probe")
            if tolerance is not _MISSING:
                unknown_fields(tolerance, ("abs", "rel"), spot, path + ("tolerance",), "a probe's tolerance")
                try:
                    extra["tolerance"] = Tolerance(abs=float(tolerance.get("abs", 0.0)), rel=float(tolerance.get("rel", 0.0)))
                except (TypeError, ValueError):
                    spot.report(path + ("tolerance",), "a probe's tolerance takes numbers: { abs = 1e-6, rel = 0.0 }")
            if "random" in probe:  # fresh points drawn across a range for every attempt
                fresh = self.probe_random(probe, path)
                if fresh is not None and message is not _MISSING:
                    result.append({"random": fresh, "message": message, "line": spot.at(path), **extra})
                continue
            args = take(probe, "args", "table", spot, path, "a probe (or 'random')", required=True)
            if args is not _MISSING and message is not _MISSING:
                result.append({"args": args, "message": message, "line": spot.at(path), **extra})
        return tuple(result)

    def probe_random(self, probe: Mapping[str, Any], path: KeyPath) -> dict[str, Any] | None:
        """A probe's ``random = { count = N, args = {...} }``: N calls whose
        arguments are drawn by the same rules as ``code.random.args``."""
        spot = self.spot
        if "args" in probe:
            spot.report(path + ("args",), "a probe takes 'args' or 'random', not both")
        random = take(probe, "random", "table", spot, path, "a probe")
        if random is _MISSING:
            return None
        where = path + ("random",)
        unknown_fields(random, PROBE_RANDOM_FIELDS, spot, where, "a probe's random")
        count = take(random, "count", "integer", spot, where, "a probe's random", required=True)
        if count is not _MISSING and count < 1:
            spot.report(where + ("count",), "'count' must be at least 1")
        args = take(random, "args", "table", spot, where, "a probe's random", required=True)
        if count is _MISSING or args is _MISSING:
            return None
        return {"count": count, "args": self.generators(args, where, "probe.random")}

    def limits(self, table: Mapping[str, Any], code_path: KeyPath) -> Limits:
        spot = self.spot
        limits = take(table, "limits", "table", spot, code_path, "[code]")
        if limits is _MISSING:
            return Limits()
        path = code_path + ("limits",)
        unknown_fields(limits, LIMIT_FIELDS, spot, path, "code.limits")
        values: dict[str, Any] = {}
        for name, kind in (("time_s", "number"), ("output_bytes", "integer"), ("memory_mb", "integer")):
            value = take(limits, name, kind, spot, path, "code.limits")
            if value is _MISSING:
                continue
            if value <= 0:
                spot.report(path + (name,), f"{name!r} must be greater than 0")
                continue
            values[name] = float(value) if name == "time_s" else value
        return Limits(**values)

    def tune(self) -> TuneSpec | None:
        spot = self.spot
        table = take(self.data, "tune", "table", spot, (), "exercise")
        if table is _MISSING:
            return None
        path: KeyPath = ("tune",)
        before = len(spot.problems)
        unknown_fields(table, TUNE_FIELDS, spot, path, "[tune]")
        params = self.tune_params(table, path)
        run = None
        if "run" in table:
            run = self.engine_ref(table["run"], path + ("run",), "tune.run")
        else:
            spot.report(path, "missing required field 'run' in [tune]")
        goal = None
        if "goal" in table:
            goal = self.condition(table["goal"], path + ("goal",), "tune.goal")
        else:
            spot.report(path, "missing required field 'goal' in [tune]")
        names = [param.name for param in params]
        if run is not None:
            used = _dollar_names(run.args)
            for name in used:
                if name not in names:
                    spot.report(path + ("run", "args"), f"tune.run uses '${name}' but no parameter is named {name!r}{did_you_mean(name, names)}")
            for name in names:
                if name not in used:
                    spot.report(path + ("run",), f"parameter {name!r} is never used: write \"${name}\" in tune.run.args")
        if goal is not None and "equals" in goal and "tolerance" not in self.data:
            spot.report(path + ("goal",), "a goal with 'equals' needs a 'tolerance' in the exercise")
        solution = self.tune_values(self.data.get("solution"), ("solution",), params, "'solution'")
        if len(spot.problems) > before or run is None or goal is None or solution is None:
            return None
        return TuneSpec(params=tuple(params), run=run, goal=goal, solution=solution)

    def tune_params(self, table: Mapping[str, Any], tune_path: KeyPath) -> list[TuneParam]:
        spot = self.spot
        params = take(table, "params", "array", spot, tune_path, "[tune]", required=True)
        if params is _MISSING:
            return []
        if not params:
            spot.report(tune_path + ("params",), "[tune] needs at least one parameter in 'params'")
        result: list[TuneParam] = []
        for index, param in enumerate(params):
            path = tune_path + ("params", index)
            if not isinstance(param, dict):
                spot.report(path, f"each parameter must be a table with 'name', 'kind' and 'default', not {type_name(param)}")
                continue
            before = len(spot.problems)
            unknown_fields(param, PARAM_FIELDS, spot, path, "a tune parameter")
            name = take(param, "name", "string", spot, path, "a tune parameter", required=True)
            if name is not _MISSING and not name.isidentifier():
                spot.report(path + ("name",), f"parameter name {name!r} must be a Python name")
            if name is not _MISSING and name in [p.name for p in result]:
                spot.report(path + ("name",), f"parameter {name!r} is declared twice")
            kind = take(param, "kind", "string", spot, path, "a tune parameter", required=True)
            if kind is not _MISSING and kind not in PARAM_KINDS:
                spot.report(path + ("kind",), f"parameter kind {kind!r} must be one of {', '.join(PARAM_KINDS)}{did_you_mean(kind, PARAM_KINDS)}")
                kind = _MISSING
            low = take(param, "min", "number", spot, path, "a tune parameter")
            high = take(param, "max", "number", spot, path, "a tune parameter")
            if low is not _MISSING and high is not _MISSING and not low < high:
                spot.report(path + ("max",), "'max' must be greater than 'min'")
            shape = None
            if kind == "array":
                if "shape" not in param:
                    spot.report(path, "an array parameter needs a 'shape'")
                else:
                    shape = self.shape(path + ("shape",), param["shape"])
            elif "shape" in param and kind is not _MISSING:
                spot.report(path + ("shape",), f"'shape' applies only to array parameters, not {kind}")
            if "default" not in param:
                spot.report(path, "missing required field 'default' in a tune parameter")
            if len(spot.problems) > before:
                continue
            candidate = TuneParam(
                name=name, kind=kind, default=param["default"],
                min=low if low is not _MISSING else None,
                max=high if high is not _MISSING else None,
                shape=shape,
            )
            if self.param_value(candidate, param["default"], path + ("default",), "'default'"):
                result.append(candidate)
        return result

    def param_value(self, param: TuneParam, value: Any, path: KeyPath, what: str) -> bool:
        spot = self.spot
        if param.kind == "int" and not is_integer(value):
            spot.report(path, f"{what} for {param.name!r} must be an integer, not {type_name(value)}")
            return False
        if param.kind == "float" and not is_number(value):
            spot.report(path, f"{what} for {param.name!r} must be a number, not {type_name(value)}")
            return False
        if param.kind == "array":
            numbers = _flatten(value)
            if numbers is None or _shape_of(value) != param.shape:
                spot.report(path, f"{what} for {param.name!r} must be an array of numbers of shape {list(param.shape or ())}")
                return False
        else:
            numbers = [value]
        for number in numbers:
            if param.min is not None and number < param.min or param.max is not None and number > param.max:
                spot.report(path, f"{what} for {param.name!r} is outside [{param.min}, {param.max}]")
                return False
        return True

    def tune_values(self, value: Any, path: KeyPath, params: list[TuneParam], what: str) -> dict[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.spot.report(path, f"{what} of a tune exercise must be a table of parameter values, like {{ lr = 0.5 }}")
            return None
        by_name = {param.name: param for param in params}
        ok = True
        for name, item in value.items():
            if name not in by_name:
                if by_name:
                    self.spot.report(path + (name,), f"{what} sets {name!r}, which is not a parameter{did_you_mean(name, list(by_name))}")
                ok = False
            elif not self.param_value(by_name[name], item, path + (name,), what):
                ok = False
        for name in by_name:
            if name not in value:
                self.spot.report(path, f"{what} must set parameter {name!r}")
                ok = False
        return dict(value) if ok else None

    def condition(self, value: Any, path: KeyPath, context: str) -> dict[str, Any] | None:
        spot = self.spot
        if not isinstance(value, dict):
            spot.report(path, f"{context} must be a table like {{ select = \"losses[-1]\", below = 0.05 }}")
            return None
        before = len(spot.problems)
        unknown_fields(value, CONDITION_FIELDS, spot, path, context)
        select = take(value, "select", "string", spot, path, context)
        tests = [name for name in ("below", "above", "equals") if name in value]
        if len(tests) != 1:
            spot.report(path, f"{context} needs exactly one of 'below', 'above' or 'equals'")
        condition: dict[str, Any] = {}
        if select is not _MISSING:
            condition["select"] = select
        for name in ("below", "above"):
            number = take(value, name, "number", spot, path, context)
            if number is not _MISSING:
                condition[name] = number
        if "equals" in value:
            ref = self.engine_ref(value["equals"], path + ("equals",), f"{context}.equals")
            if ref is not None:
                condition["equals"] = ref
        rounding = take(value, "round", "boolean", spot, path, context)
        if rounding is not _MISSING:
            if "equals" not in value:
                spot.report(path + ("round",), "'round' applies only with 'equals'")
            condition["round"] = rounding
        return condition if len(spot.problems) == before else None

    def raises(self, table: Mapping[str, Any], path: KeyPath) -> dict[str, str] | None:
        """A code mistake recognised by the exception it raises: `type` (the
        exception's class name) and an optional `match` (a regular expression
        searched in its message)."""
        value = take(table, "raises", "table", self.spot, path, "[[wrong]]")
        if value is _MISSING:
            return None
        where = path + ("raises",)
        unknown_fields(value, RAISES_FIELDS, self.spot, where, "raises")
        type_ = take(value, "type", "string", self.spot, where, "raises", required=True)
        match = take(value, "match", "string", self.spot, where, "raises")
        if type_ is not _MISSING and not type_.isidentifier():
            self.spot.report(where + ("type",), f"'type' must be an exception's class name such as \"ValueError\", not {type_!r}")
            return None
        if match is not _MISSING:
            try:
                re.compile(match)
            except re.error as error:
                self.spot.report(where + ("match",), f"'match' is not a regular expression: {error}")
                return None
        if type_ is _MISSING:
            return None
        return {"type": type_, **({"match": match} if match is not _MISSING else {})}

    def wrong(self, kind: str, tables: Any, built: Mapping[str, Any]) -> list[WrongAnswer]:
        if tables is _MISSING:
            return []
        spot = self.spot
        result: list[WrongAnswer] = []
        for index, table in enumerate(tables):
            path: KeyPath = ("wrong", index)
            if not isinstance(table, dict):
                spot.report(path, f"each wrong answer must be a table with 'message', not {type_name(table)}")
                continue
            before = len(spot.problems)
            if kind == "tune":
                allowed: tuple[str, ...] = ("values", "when", "message")
            elif kind == "choice":
                allowed = ("answer", "message")
            elif kind == "code":
                allowed = ("answer", "message", "raises") + REF_FIELDS
            else:
                allowed = ("answer", "message") + REF_FIELDS
            unknown_fields(table, allowed, spot, path, "[[wrong]]")
            message = take(table, "message", "string", spot, path, "[[wrong]]", required=True)
            if message is not _MISSING and not message.strip():
                spot.report(path + ("message",), "'message' must not be empty")
            answer: str | None = None
            engine: EngineRef | None = None
            values = when = None
            raises = self.raises(table, path) if kind == "code" and "raises" in table else None
            if kind == "tune":
                tune: TuneSpec | None = built.get("tune")
                if "values" not in table:
                    spot.report(path, "missing required field 'values' in [[wrong]] of a tune exercise")
                elif tune is not None:
                    values = self.tune_values(table["values"], path + ("values",), list(tune.params), "'values'")
                if "when" in table:
                    when = self.condition(table["when"], path + ("when",), "[[wrong]] when")
            else:
                if "answer" in table:
                    raw = table["answer"]
                    if isinstance(raw, str) or (kind != "code" and kind != "choice" and (is_number(raw) or isinstance(raw, list))):
                        answer = answer_text(raw)
                    else:
                        spot.report(path + ("answer",), f"'answer' must be {'source code (a string)' if kind == 'code' else 'the answer as a learner types it'}, not {type_name(raw)}")
                if kind == "choice" and answer is not None and built.get("choices") and answer not in built["choices"]:
                    spot.report(path + ("answer",), f"wrong 'answer' {answer!r} is not one of the choices{did_you_mean(answer, list(built['choices']))}")
                has_ref = any(name in table for name in REF_FIELDS)
                if has_ref:
                    ref_table = {name: table[name] for name in REF_FIELDS if name in table}
                    engine = self.engine_ref(ref_table, path, "[[wrong]]", REF_FIELDS)
                if kind == "choice" and "answer" not in table:
                    spot.report(path, "missing required field 'answer' in [[wrong]]")
                elif kind in ("number", "array", "predict") and ("answer" in table) == has_ref:
                    spot.report(path, "a wrong answer needs either 'answer' or 'engine', not both or neither")
                elif kind == "code" and "answer" not in table and not has_ref and "raises" not in table:
                    spot.report(path, "a wrong answer of a code exercise needs 'engine', 'answer', 'raises' or several")
                elif kind == "code" and "raises" in table and has_ref:
                    spot.report(path, "a wrong answer that raises has no value to compute: give 'raises' or 'engine', not both")
            if len(spot.problems) > before:
                continue
            result.append(
                WrongAnswer(message=message, answer=answer, engine=engine, line=spot.at(path), values=values, when=when,
                            raises=raises)
            )
        return result

    def plot(self) -> Plot | None:
        spot = self.spot
        table = take(self.data, "plot", "table", spot, (), "exercise")
        if table is _MISSING:
            return None
        path: KeyPath = ("plot",)
        before = len(spot.problems)
        kind = take(table, "kind", "string", spot, path, "[plot]", required=True)
        if kind is not _MISSING and kind not in PLOT_KINDS:
            spot.report(path + ("kind",), f"unknown plot kind {kind!r}{did_you_mean(kind, PLOT_KINDS)}; use one of {', '.join(PLOT_KINDS)}")
            return None
        if kind is _MISSING:
            return None
        unknown_fields(table, PLOT_FIELDS[kind], spot, path, f"a {kind} [plot]")
        spec: dict[str, Any] = {}
        title = take(table, "title", "string", spot, path, "[plot]")
        if title is not _MISSING:
            spec["title"] = title
        if kind in ("loss", "boundary"):
            learner = take(table, "learner", "boolean", spot, path, "[plot]")
            if learner is not _MISSING:
                spec["learner"] = learner
        if kind == "function":
            spec["x"] = self.plot_x(table, path)
        if kind in ("function", "loss"):
            spec["curves"] = self.curves(table, path)
        if kind == "boundary":
            if "data" in table:
                spec["data"] = self.engine_ref(table["data"], path + ("data",), "plot.data")
            else:
                spot.report(path, "missing required field 'data' in a boundary [plot]")
            if "model" in table:
                spec["model"] = self.engine_ref(table["model"], path + ("model",), "plot.model")
            grid_arg = take(table, "grid_arg", "string", spot, path, "[plot]")
            spec["grid_arg"] = grid_arg if grid_arg is not _MISSING else "X"
        if kind == "surface":
            if "surface" in table:
                spec["surface"] = self.engine_ref(table["surface"], path + ("surface",), "plot.surface")
            else:
                spot.report(path, "missing required field 'surface' in a surface [plot]")
        if len(spot.problems) > before:
            return None
        return Plot(kind=kind, spec=spec, line=spot.at(path))

    def plot_x(self, table: Mapping[str, Any], path: KeyPath) -> dict[str, Any] | None:
        spot = self.spot
        x = take(table, "x", "table", spot, path, "a function [plot]", required=True)
        if x is _MISSING:
            return None
        x_path = path + ("x",)
        unknown_fields(x, X_FIELDS, spot, x_path, "plot.x")
        arg = take(x, "arg", "string", spot, x_path, "plot.x", required=True)
        start = take(x, "from", "number", spot, x_path, "plot.x", required=True)
        stop = take(x, "to", "number", spot, x_path, "plot.x", required=True)
        points = take(x, "points", "integer", spot, x_path, "plot.x", required=True)
        if start is not _MISSING and stop is not _MISSING and not start < stop:
            spot.report(x_path + ("to",), "plot.x 'to' must be greater than 'from'")
        if points is not _MISSING and not 2 <= points <= MAX_PLOT_POINTS:
            spot.report(x_path + ("points",), f"plot.x 'points' must be between 2 and {MAX_PLOT_POINTS}")
        return {"arg": arg, "from": start, "to": stop, "points": points}

    def curves(self, table: Mapping[str, Any], path: KeyPath) -> tuple[dict[str, Any], ...]:
        spot = self.spot
        curves = take(table, "curves", "array", spot, path, "[plot]", required=True)
        if curves is _MISSING:
            return ()
        if not curves:
            spot.report(path + ("curves",), "'curves' needs at least one curve")
        result = []
        for index, curve in enumerate(curves):
            curve_path = path + ("curves", index)
            if not isinstance(curve, dict):
                spot.report(curve_path, f"each curve must be a table with 'engine' and 'label', not {type_name(curve)}")
                continue
            label = take(curve, "label", "string", spot, curve_path, "a curve", required=True)
            ref = self.engine_ref(curve, curve_path, "a curve", REF_FIELDS + ("label",))
            if ref is not None and label is not _MISSING:
                result.append({"ref": ref, "label": label})
        return tuple(result)


def _on_grid(number: float, bounds: tuple[float, float], step: float) -> bool:
    steps = (number - bounds[0]) / step
    return bounds[0] - 1e-12 <= number <= bounds[1] + 1e-12 and abs(steps - round(steps)) < 1e-9


def _dollar_names(value: Any) -> list[str]:
    if isinstance(value, str) and value.startswith("$"):
        return [value[1:]]
    if isinstance(value, list):
        return [name for item in value for name in _dollar_names(item)]
    if isinstance(value, dict):
        return [name for item in value.values() for name in _dollar_names(item)]
    return []


def _flatten(value: Any) -> list[float] | None:
    if is_number(value):
        return [value]
    if isinstance(value, list):
        out: list[float] = []
        for item in value:
            inner = _flatten(item)
            if inner is None:
                return None
            out.extend(inner)
        return out
    return None


def _shape_of(value: Any) -> tuple[int, ...] | None:
    if is_number(value):
        return ()
    if isinstance(value, list) and value:
        inner = [_shape_of(item) for item in value]
        if any(shape is None or shape != inner[0] for shape in inner):
            return None
        return (len(value),) + inner[0]  # type: ignore[operator]
    if isinstance(value, list):
        return (0,)
    return None
