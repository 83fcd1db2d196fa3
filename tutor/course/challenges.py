"""From-memory challenges: the lesson's key code again, written without looking.

A challenge block names the earlier code exercise it repeats (``repeats``) and
says little else; everything the checker needs (entry, cases, harness, expected
values, known mistakes, the reference solution) is taken from that exercise, so
the code is declared once. What a challenge changes: its id, optionally its
prompt and concepts, a blank editor (or a `starter` holding only what the lesson
gave, never what it asks for), no hints and no plot. The lesson screen shows it
with the prose and earlier drafts out of sight and the solution locked until it
passes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Mapping

from tutor.course.model import Exercise, Problem

FROM_MEMORY = "from-memory"


def is_challenge(exercise: Exercise | None) -> bool:
    return exercise is not None and exercise.challenge == FROM_MEMORY


def resolve_challenges(exercises: list[Exercise], id_lines: Mapping[str, int], path: Path,
                       problems: list[Problem]) -> list[Exercise]:
    """Each challenge as a whole exercise built from the one it repeats.

    `id_lines` holds the line of every exercise id as written, valid or not: a
    challenge repeating an exercise that has problems of its own gets no second
    problem for it."""
    built: list[Exercise] = []
    earlier: dict[str, Exercise] = {}
    for exercise in exercises:
        if exercise.challenge is not None:
            source = _source(exercise, earlier, id_lines, path, problems)
            if source is None:
                continue
            exercise = from_memory(exercise, source)
        earlier[exercise.id] = exercise
        built.append(exercise)
    return built


def _source(challenge: Exercise, earlier: Mapping[str, Exercise], id_lines: Mapping[str, int], path: Path,
            problems: list[Problem]) -> Exercise | None:
    name = challenge.repeats or ""
    line = challenge.field_lines.get("repeats", challenge.line)
    source = earlier.get(name)
    if source is None:
        if name in id_lines and id_lines[name] < challenge.line:
            return None  # it is there but broken: its own problems say why
        where = "a later exercise" if name in id_lines else "no exercise of this lesson"
        problems.append(Problem(path, line, f"{challenge.id}: repeats {name!r}, which names {where}; "
                                            "a from-memory challenge repeats an earlier code exercise"))
        return None
    if source.challenge is not None:
        problems.append(Problem(path, line, f"{challenge.id}: repeats {name!r}, itself a challenge; "
                                            f"repeat the exercise it repeats ({source.repeats!r})"))
        return None
    if source.kind != "code" or source.code is None:
        problems.append(Problem(path, line, f"{challenge.id}: repeats {name!r}, a {source.kind} exercise; "
                                            "a from-memory challenge repeats code"))
        return None
    return source


def from_memory(challenge: Exercise, source: Exercise) -> Exercise:
    """`source` as a from-memory challenge: its checks, the challenge's face."""
    assert source.code is not None and challenge.code is not None
    lines = dict(source.field_lines)
    lines.update({name: line for name, line in challenge.field_lines.items() if name != "starter"})
    lines["code.starter"] = challenge.field_lines.get("starter", challenge.line)
    return replace(
        source,
        id=challenge.id,
        prompt=challenge.prompt or source.prompt,
        line=challenge.line,
        prose=challenge.prose,
        hints=(),
        plot=None,
        shows_output_of=None,
        concepts=challenge.concepts or source.concepts,
        code=replace(source.code, starter=challenge.code.starter),
        challenge=challenge.challenge,
        repeats=source.id,
        field_lines=lines,
        # one version, the lesson's published numbers (its checks still add
        # fresh random cases per attempt): what is practised is the code itself
        params=(),
        variant_values={},
        variant_seed=None,
        variant_source=None,
    )
