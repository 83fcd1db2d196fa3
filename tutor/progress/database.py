"""The progress database: one SQLite file (stdlib sqlite3, WAL) and its tables.

Why SQLite: every attempt is now kept (a log that only grows), and a JSON
document rewritten whole on each save grows with it. SQLite appends the new
rows in one transaction, and its write-ahead log makes a commit atomic: a
process killed at any instant leaves the last committed transaction, never a
torn file. `synchronous=FULL` also makes a commit survive a power cut; it
costs an fsync per save, which the background saver pays, never the UI.

Tables (schema version 3, kept in ``PRAGMA user_version``; versions 1 and 2
were JSON documents, see tutor.progress.schema):

- ``meta``: key -> JSON value: ``revision`` (saves so far), ``position``,
  ``learner_seed``;
- ``exercises``: one row per exercise with progress (the fields of
  tutor.progress.store.ExerciseProgress);
- ``attempts``: one row per judged attempt, appended, never changed;
- ``review``: the spaced-review state of each exercise (an FSRS card,
  written by tutor.practice.schedule).

Headless: never imports textual.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 3

#: The first bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"

TABLES = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS exercises (
    qualified_id TEXT PRIMARY KEY,
    answer TEXT,  -- JSON: text, or a table of values (tune), or null
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    hints INTEGER NOT NULL DEFAULT 0 CHECK (hints >= 0),
    passed INTEGER NOT NULL DEFAULT 0 CHECK (passed IN (0, 1)),
    solution_seen INTEGER NOT NULL DEFAULT 0 CHECK (solution_seen IN (0, 1)),
    seed INTEGER,
    prediction TEXT CHECK (prediction IN ('predicted', 'missed')),
    output TEXT
);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    qualified_id TEXT NOT NULL,
    at TEXT NOT NULL,              -- UTC, ISO 8601
    seed INTEGER,                  -- the fresh cases' seed (code exercises)
    variant_seed INTEGER,          -- the variant's parameters' seed, null for the published numbers
    answer_hash TEXT,              -- sha256 of the answer or code handed in (first 32 hex digits)
    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
    status TEXT NOT NULL,          -- the verdict's status: pass or fail
    mistake TEXT,                  -- the named mistake the verdict found, if any
    hints INTEGER NOT NULL,        -- hints asked for since the exercise's previous attempt
    solution_seen INTEGER NOT NULL CHECK (solution_seen IN (0, 1)),  -- shown since then
    duration_s REAL                -- seconds since the exercise was shown or last tried
);
CREATE INDEX IF NOT EXISTS attempts_by_exercise ON attempts (qualified_id, id);
CREATE TABLE IF NOT EXISTS review (
    qualified_id TEXT PRIMARY KEY,
    card TEXT NOT NULL,            -- the FSRS card, as fsrs.Card.to_json() writes it
    due TEXT NOT NULL,             -- UTC, ISO 8601
    rating INTEGER NOT NULL,       -- the last review's fsrs.Rating (1 Again .. 4 Easy)
    reason TEXT NOT NULL,          -- why it was rated so: failed, solution, hints, retries, first-try
    reviewed_at TEXT NOT NULL
);
"""

EXERCISE_COLUMNS = ("qualified_id", "answer", "attempts", "hints", "passed", "solution_seen",
                    "seed", "prediction", "output")
ATTEMPT_COLUMNS = ("qualified_id", "at", "seed", "variant_seed", "answer_hash", "passed", "status",
                   "mistake", "hints", "solution_seen", "duration_s")
REVIEW_COLUMNS = ("qualified_id", "card", "due", "rating", "reason", "reviewed_at")


class NewerDatabaseError(Exception):
    """Written by a newer nntutor (a higher schema version): never write it."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def is_database(path: Path) -> bool:
    """Whether `path` starts like a SQLite file (False for a JSON progress file)."""
    try:
        with open(path, "rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def connect(path: Path, *, writable: bool) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), usable from
    the saver's thread too (the store serialises its use with a lock).

    A writer creates the tables and sets WAL; a reader (mode=ro) never
    changes the file. Raises NewerDatabaseError for a newer schema and
    sqlite3.DatabaseError for a file that is not a database."""
    if writable:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
    else:
        from urllib.parse import quote  # (only readers pay for it)

        uri = f"file:{quote(str(path))}?mode=ro"
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=5.0)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise NewerDatabaseError(version)
        if writable:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            if version < SCHEMA_VERSION:  # a new file: its tables, in one transaction
                connection.executescript(f"BEGIN IMMEDIATE;{TABLES}PRAGMA user_version={SCHEMA_VERSION};COMMIT;")
    except BaseException:
        connection.close()
        raise
    return connection


def read_all(connection: sqlite3.Connection) -> tuple[dict[str, Any], dict[str, tuple]]:
    """The progress document (the shape tutor.progress.schema describes) and the
    review rows by exercise, as of one commit (a writer may be saving meanwhile).
    A file no writer has set up yet (no tables) gives an empty document."""
    connection.execute("BEGIN")  # one read transaction: one snapshot for every table
    try:
        return _read_tables(connection)
    finally:
        connection.execute("COMMIT")


def _read_tables(connection: sqlite3.Connection) -> tuple[dict[str, Any], dict[str, tuple]]:
    document: dict[str, Any] = {"schema": 2, "revision": 0, "position": None, "exercises": {}}
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables:
        return document, {}
    for key, value in connection.execute("SELECT key, value FROM meta"):
        if key in ("revision", "position", "learner_seed"):
            document[key] = json.loads(value)
    exercises = document["exercises"]
    for row in connection.execute(f"SELECT {', '.join(EXERCISE_COLUMNS)} FROM exercises"):
        qid, answer, attempts, hints, passed, solution_seen, seed, prediction, output = row
        entry: dict[str, Any] = {"answer": None if answer is None else json.loads(answer), "attempts": attempts,
                                 "hints": hints, "passed": bool(passed), "solution_seen": bool(solution_seen)}
        if seed is not None:
            entry["seed"] = seed
        if prediction is not None:
            entry["prediction"] = prediction
        if output is not None:
            entry["output"] = output
        exercises[qid] = entry
    reviews = {row[0]: row for row in connection.execute(f"SELECT {', '.join(REVIEW_COLUMNS)} FROM review")}
    return document, reviews


def exercise_row(qualified_id: str, entry: dict[str, Any]) -> tuple:
    answer = entry.get("answer")
    return (qualified_id, None if answer is None else json.dumps(answer), entry.get("attempts", 0),
            entry.get("hints", 0), int(bool(entry.get("passed"))), int(bool(entry.get("solution_seen"))),
            entry.get("seed"), entry.get("prediction"), entry.get("output"))


def write_meta(connection: sqlite3.Connection, document: dict[str, Any]) -> None:
    rows = [(key, json.dumps(document[key])) for key in ("revision", "position", "learner_seed") if key in document]
    connection.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", rows)


def write_exercises(connection: sqlite3.Connection, rows: list[tuple]) -> None:
    marks = ", ".join("?" * len(EXERCISE_COLUMNS))
    connection.executemany(f"INSERT OR REPLACE INTO exercises ({', '.join(EXERCISE_COLUMNS)}) VALUES ({marks})", rows)


def write_attempts(connection: sqlite3.Connection, rows: list[tuple]) -> None:
    marks = ", ".join("?" * len(ATTEMPT_COLUMNS))
    connection.executemany(f"INSERT INTO attempts ({', '.join(ATTEMPT_COLUMNS)}) VALUES ({marks})", rows)


def write_reviews(connection: sqlite3.Connection, rows: list[tuple]) -> None:
    marks = ", ".join("?" * len(REVIEW_COLUMNS))
    connection.executemany(f"INSERT OR REPLACE INTO review ({', '.join(REVIEW_COLUMNS)}) VALUES ({marks})", rows)


def write_document(connection: sqlite3.Connection, document: dict[str, Any]) -> None:
    """All of a document (a migrated JSON file) in one transaction."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        write_meta(connection, document)
        write_exercises(connection, [exercise_row(qid, entry) for qid, entry in document["exercises"].items()])
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def backup_to(connection: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the database at `target`, replacing it only once whole."""
    staging = target.with_name(target.name + ".tmp")
    staging.unlink(missing_ok=True)
    copy = sqlite3.connect(staging)
    try:
        connection.backup(copy)
    finally:
        copy.close()
    fd = os.open(staging, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(staging, target)
