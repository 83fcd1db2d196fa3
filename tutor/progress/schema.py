"""The progress document: its current shape, its validation and its migrations.

The document is deliberately small and boring JSON so a learner can read it,
and it carries a schema version so that a newer tutor can upgrade an older
file instead of discarding someone's progress.

Version 2 (current)::

    {"schema": 2, "revision": 17, "learner_seed": 2868361521,
     "position": {"lesson": "neuron", "exercise": "output"},
     "exercises": {"neuron/weighted-sum": {"answer": "5", "attempts": 2,
                                           "hints": 1, "passed": true,
                                           "solution_seen": false}}}

``learner_seed`` (optional, drawn on first use) orders the options of choice
exercises for this learner (tutor.course.choice_order).

An entry may also hold ``"seed"`` (the last attempt's seed for fresh cases)
and, for a predict exercise once the engine's value was shown,
``"prediction": "predicted"`` or ``"missed"``.

Version 1 (the first prototype) kept flat maps keyed by exercise:
``{"version": 1, "last": "neuron/output", "passed": [...], "answers": {...},
"attempts": {...}, "hints": {...}}``.
"""

from __future__ import annotations

from typing import Any, Callable

SCHEMA_VERSION = 2


class SchemaError(ValueError):
    """The document is not progress we understand (corrupt, or hand-edited badly)."""


class NewerSchemaError(SchemaError):
    """Written by a newer nntutor: readable by it, not by us; never overwrite it."""


def empty_document() -> dict[str, Any]:
    return {"schema": SCHEMA_VERSION, "revision": 0, "position": None, "exercises": {}}


def _migrate_v1(old: dict[str, Any]) -> dict[str, Any]:
    exercises: dict[str, dict[str, Any]] = {}

    def entry(qid: str) -> dict[str, Any]:
        return exercises.setdefault(
            qid, {"answer": None, "attempts": 0, "hints": 0, "passed": False, "solution_seen": False}
        )

    for qid in old.get("passed", []):
        entry(qid)["passed"] = True
    for key in ("answers", "attempts", "hints"):
        field = "answer" if key == "answers" else key
        for qid, value in dict(old.get(key, {})).items():
            entry(qid)[field] = value
    position = None
    last = old.get("last")
    if isinstance(last, str) and "/" in last:
        lesson, _, exercise = last.partition("/")
        position = {"lesson": lesson, "exercise": exercise}
    return {"schema": 2, "revision": 0, "position": position, "exercises": exercises}


# version -> function upgrading a document of that version by one step
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _migrate_v1}


def document_version(document: Any) -> int:
    if not isinstance(document, dict):
        raise SchemaError("the progress file does not hold a JSON object")
    version = document.get("schema", document.get("version"))
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SchemaError("the progress file has no schema version")
    return version


def migrate(document: Any) -> tuple[dict[str, Any], int]:
    """Upgrade `document` to the current schema; returns it and its original version."""
    original = version = document_version(document)
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"the progress file was written by a newer nntutor (schema {version}; this one reads {SCHEMA_VERSION})"
        )
    while version < SCHEMA_VERSION:
        try:
            document = MIGRATIONS[version](document)
        except (TypeError, ValueError, AttributeError) as error:
            raise SchemaError(f"cannot upgrade schema {version}: {error}") from None
        version = document_version(document)
    validate(document)
    return document, original


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def validate(document: dict[str, Any]) -> None:
    """Reject anything the store could trip over later, so damage is caught on load."""
    if not _is_int(document.get("revision")):
        raise SchemaError("'revision' must be a non-negative integer")
    position = document.get("position")
    if position is not None and not (
        isinstance(position, dict)
        and isinstance(position.get("lesson"), str)
        and isinstance(position.get("exercise"), (str, type(None)))
    ):
        raise SchemaError("'position' must name a lesson and an exercise")
    seed = document.get("learner_seed")
    if seed is not None and not _is_int(seed):
        raise SchemaError("'learner_seed' must be a non-negative integer")
    exercises = document.get("exercises")
    if not isinstance(exercises, dict):
        raise SchemaError("'exercises' must be an object")
    for qid, entry in exercises.items():
        if not isinstance(entry, dict):
            raise SchemaError(f"progress of {qid!r} must be an object")
        if not all(_is_int(entry.get(key, 0)) for key in ("attempts", "hints")):
            raise SchemaError(f"attempts and hints of {qid!r} must be counts")
        if not all(isinstance(entry.get(key, False), bool) for key in ("passed", "solution_seen")):
            raise SchemaError(f"passed and solution_seen of {qid!r} must be true or false")
        if entry.get("prediction") not in (None, "predicted", "missed"):
            raise SchemaError(f"the prediction of {qid!r} must be \"predicted\" or \"missed\"")
        if not isinstance(entry.get("output", ""), str):
            raise SchemaError(f"the output kept for {qid!r} must be text")
        if not isinstance(entry.get("answer"), (str, dict, type(None))):
            raise SchemaError(f"the answer of {qid!r} must be text or a table of values")
