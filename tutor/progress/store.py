"""The learner's progress: what the UI reads and records, and when it hits disk.

Progress lives in one SQLite file (tutor.progress.database): the state of
each exercise, the log of every attempt, and the spaced-review state. The
store keeps the state in memory, so reading it never touches the disk; its
methods change memory, and `save()` (from the background saver's thread)
writes what changed in one transaction.

Opening never fails because of the file: a corrupt file is moved aside and the
backup loaded, a file from a newer nntutor or one locked by another tutor is
opened read-only, a JSON progress file from before the SQLite store is
migrated (and kept, renamed), and each of these leaves a plain-English notice
for the UI to show. Progress is worth more than any error message.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from tutor.progress import database
from tutor.progress.lock import ProgressLock
from tutor.progress.paths import (
    backup_path,
    companion_paths,
    default_progress_path,
    legacy_json_path,
    migrated_path,
)
from tutor.progress.schema import NewerSchemaError, SchemaError, empty_document, migrate, validate

Answer = str | Mapping[str, Any] | None

# how a predict exercise is finished, once the engine's value was shown
PREDICTED, MISSED = "predicted", "missed"

#: How much of what a learner's code printed is kept with its attempt.
OUTPUT_KEPT = 8000


@dataclass(frozen=True)
class ExerciseProgress:
    """A snapshot of one exercise's progress (a copy: changing it changes nothing)."""

    answer: Answer = None
    attempts: int = 0
    hints: int = 0
    passed: bool = False
    solution_seen: bool = False
    seed: int | None = None  # the last attempt's seed for fresh cases
    # a predict exercise, once the engine's value was shown: "predicted" or "missed"
    prediction: str | None = None
    output: str | None = None  # what the learner's code printed in the last check that printed

    @property
    def finished(self) -> bool:
        """Nothing more to do here: passed, or a prediction made (hit or missed)."""
        return self.passed or self.prediction is not None

    @property
    def status(self) -> str:
        """One word for the outline's mark: passed, predicted, missed, tried or new."""
        if self.prediction is not None:
            return self.prediction
        if self.passed:
            return "passed"
        return "tried" if self.attempts else "new"


@dataclass(frozen=True)
class Position:
    lesson: str
    exercise: str | None = None


@dataclass(frozen=True)
class AttemptRecord:
    """One judged attempt, as the attempts log keeps it (never changed once written)."""

    qualified_id: str
    at: datetime  # UTC
    seed: int | None  # the seed of the fresh cases (code exercises)
    variant_seed: int | None  # the seed the variant's numbers were drawn with; None: the published ones
    answer_hash: str | None  # sha256 of the answer or code handed in (first 32 hex digits)
    passed: bool
    status: str  # the verdict's status ("pass" or "fail")
    mistake: str | None  # the mistake the verdict named, if it named one
    hints: int  # hints asked for since the exercise's previous attempt (in this session)
    solution_seen: bool  # whether the solution was shown since its previous attempt (in this session)
    duration_s: float | None  # seconds since the exercise was shown or last tried

    def row(self) -> tuple:
        return (self.qualified_id, self.at.isoformat(), self.seed, self.variant_seed, self.answer_hash,
                int(self.passed), self.status, self.mistake, self.hints, int(self.solution_seen), self.duration_s)

    @classmethod
    def from_row(cls, row: tuple) -> "AttemptRecord":
        qid, at, seed, variant_seed, answer_hash, passed, status, mistake, hints, solution_seen, duration = row
        return cls(qid, datetime.fromisoformat(at), seed, variant_seed, answer_hash, bool(passed), status,
                   mistake, hints, bool(solution_seen), duration)


@dataclass(frozen=True)
class ReviewState:
    """An exercise's spaced-review state (kept for tutor.practice.schedule,
    which alone knows FSRS): the card as fsrs.Card.to_dict() gives it, when it
    is due, and the last review's rating and the reason for it."""

    card: Mapping[str, Any]
    due: datetime  # UTC
    rating: int  # fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy
    reason: str  # failed, solution, hints, retries or first-try
    reviewed_at: datetime  # UTC

    def row(self, qualified_id: str) -> tuple:
        return (qualified_id, json.dumps(dict(self.card)), self.due.isoformat(), self.rating, self.reason,
                self.reviewed_at.isoformat())

    @classmethod
    def from_row(cls, row: tuple) -> "ReviewState":
        _, card, due, rating, reason, reviewed_at = row
        return cls(json.loads(card), datetime.fromisoformat(due), rating, reason, datetime.fromisoformat(reviewed_at))


def answer_hash(answer: Answer) -> str | None:
    """A fingerprint of what was handed in: equal answers, equal hashes, and
    the log never holds a learner's code or answers twice."""
    import hashlib

    if answer is None:
        return None
    text = answer if isinstance(answer, str) else json.dumps(dict(answer), sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _read_json(path: Path) -> dict[str, Any]:
    """Parse and migrate one JSON progress file; SchemaError for anything unusable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as error:
        raise SchemaError(f"cannot read {path}: {error.strerror}") from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SchemaError(f"{path.name} is not valid JSON ({error})") from None
    return migrate(document)[0]


@dataclass
class _Loaded:
    """What opening found: the state, and the connection to keep (None: in memory only)."""

    document: dict[str, Any]
    reviews: dict[str, ReviewState]
    connection: sqlite3.Connection | None = None
    newer: bool = False


def _fresh() -> _Loaded:
    return _Loaded(empty_document(), {})


def _read_database(path: Path, *, writable: bool) -> _Loaded:
    """The progress in the database at `path`; SchemaError if it is unusable,
    NewerSchemaError if a newer nntutor wrote it."""
    try:
        connection = database.connect(path, writable=writable)
    except database.NewerDatabaseError as error:
        raise NewerSchemaError(f"the progress file was written by a newer nntutor (schema {error.version}; "
                               f"this one reads {database.SCHEMA_VERSION})") from None
    except sqlite3.Error as error:
        raise SchemaError(f"{path.name} is not a readable progress database ({error})") from None
    try:
        document, rows = database.read_all(connection)
        validate(document)
        reviews = {qid: ReviewState.from_row(row) for qid, row in rows.items()}
    except (sqlite3.Error, ValueError, TypeError, KeyError) as error:
        connection.close()
        message = str(error) if isinstance(error, SchemaError) else f"{path.name} is damaged ({error})"
        raise SchemaError(message) from None
    return _Loaded(document, reviews, connection)


def _create_database(path: Path, document: dict[str, Any]) -> None:
    """A database holding `document` at `path`, which appears only once whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(path.name + ".new")
    for leftover in (staging, *companion_paths(staging)):
        leftover.unlink(missing_ok=True)
    connection = database.connect(staging, writable=True)
    try:
        database.write_document(connection, document)
    finally:
        connection.close()  # the last connection: the log is folded into the file
    os.replace(staging, path)


def _keep_as(source: Path, target: Path) -> None:
    """`target` becomes a copy of `source` (a link where the filesystem allows)."""
    import shutil

    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


class ProgressStore:
    """Progress in memory plus the database it came from. Methods change memory;
    `save()` writes. Thread-safe, so workers may record results too."""

    def __init__(self, path: Path, loaded: _Loaded, *, read_only: bool, notices: list[str],
                 lock: ProgressLock | None) -> None:
        self.path = path
        self.read_only = read_only
        self.notices = notices
        self._document = loaded.document
        self._reviews = loaded.reviews
        self._connection = loaded.connection
        self._lock = lock
        self._mutex = threading.RLock()  # guards the state in memory
        self._db_mutex = threading.Lock()  # guards the connection: one save at a time
        # what changed since the last save
        self._changed: set[str] = set()  # exercises to write (or delete, when gone)
        self._reviews_changed: set[str] = set()
        self._wiped = False  # reset_all: the saved exercises and reviews go first
        self._pending: list[AttemptRecord] = []  # attempts not yet written
        self._saved = False
        # when each exercise was last shown or tried in this session (time.monotonic)
        self._started: dict[str, float] = {}
        self._latest: dict[str, AttemptRecord] = {}  # each exercise's last attempt in this session
        # help taken since each exercise's last attempt: [hints asked for, solution shown]
        self._help: dict[str, list] = {}

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None, *, read_only: bool = False) -> "ProgressStore":
        """Open (or start) the progress at `path` (default: the user data directory).

        With `read_only` (a report, `nntutor review`), nothing is locked,
        migrated or written, and no notice says so."""
        path = Path(path).expanduser() if path is not None else default_progress_path()
        notices: list[str] = []
        lock: ProgressLock | None = None
        if not read_only:
            lock = ProgressLock(path)
            try:
                locked = lock.acquire()
            except OSError as error:
                locked = False
                notices.append(f"Progress cannot be saved ({path.parent}: {error.strerror}); "
                               "it is kept for this session only.")
            else:
                if not locked:
                    notices.append("Another nntutor is using this progress file: opened read-only, "
                                   "nothing you do here is saved.")
            if not locked:
                lock, read_only = None, True
        loaded = cls._load(path, writable=not read_only, notices=notices)
        if loaded.newer:
            read_only = True
        return cls(path, loaded, read_only=read_only, notices=notices, lock=lock)

    @classmethod
    def _load(cls, path: Path, *, writable: bool, notices: list[str]) -> _Loaded:
        """The progress at `path`: the database, a JSON file to migrate, its
        backup, or a fresh start, with a notice for anything but the first."""
        try:
            if path.exists() and path.stat().st_size > 0:
                return cls._load_file(path, path, writable=writable, notices=notices)
        except NewerSchemaError as error:
            notices.append(f"{error}; opened read-only so it is not overwritten.")
            return _Loaded(empty_document(), {}, newer=True)
        except SchemaError as error:
            problem = str(error)
            if writable:
                problem += cls._move_aside(path)
        else:
            legacy = legacy_json_path(path)
            if legacy != path and legacy.is_file() and not database.is_database(legacy):
                try:
                    return cls._load_file(legacy, path, writable=writable, notices=notices)
                except SchemaError as error:  # a broken old file stays where it is, for a human
                    notices.append(f"The progress in {legacy.name} could not be read ({error}): starting afresh.")
                    return _fresh()
            if not backup_path(path).exists():
                return _fresh()
            problem = f"{path.name} is missing"
        try:
            loaded = cls._load_file(backup_path(path), path, writable=writable, notices=[])
        except (OSError, SchemaError):
            notices.append(f"Progress could not be read ({problem}) and no usable backup exists: starting afresh.")
            return _fresh()
        notices.append(f"Progress could not be read ({problem}): restored the previous save from the backup.")
        return loaded

    @classmethod
    def _load_file(cls, source: Path, path: Path, *, writable: bool, notices: list[str]) -> _Loaded:
        """Read `source` (a database, or a JSON file of an older nntutor) as the
        progress of `path`; a writable store makes `path` the database holding it."""
        if database.is_database(source):
            if source != path:  # the backup: a copy of it becomes the database
                import shutil

                if not writable:
                    return cls._in_memory(_read_database(source, writable=False))
                staging = path.with_name(path.name + ".new")
                shutil.copyfile(source, staging)
                for stale in companion_paths(path):  # a log left beside belongs to the damaged file
                    stale.unlink(missing_ok=True)
                os.replace(staging, path)
            return _read_database(path, writable=writable)
        document = _read_json(source)
        if not writable:
            return _Loaded(document, {})
        kept = migrated_path(source)
        if source == path:  # the JSON file is at the very path: keep it first, then replace it
            _keep_as(source, kept)
            _create_database(path, document)
        elif source == legacy_json_path(path):
            _create_database(path, document)
            os.replace(source, kept)
        else:  # a JSON backup restored into the database
            _create_database(path, document)
            kept = None
        if kept is not None:
            where = "is now a SQLite database" if source == path else f"moved into {path.name} (SQLite)"
            notices.append(f"Your progress in {source.name} {where}; the old file is kept as {kept.name}.")
        return _read_database(path, writable=True)

    @staticmethod
    def _in_memory(loaded: _Loaded) -> _Loaded:
        if loaded.connection is not None:
            loaded.connection.close()
            loaded.connection = None
        return loaded

    @staticmethod
    def _move_aside(path: Path) -> str:
        """Move a damaged database (with its log) out of the way, keeping it for a human."""
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(path, aside)
        except OSError:
            return ""
        for companion, moved in zip(companion_paths(path), companion_paths(aside)):
            try:
                os.replace(companion, moved)
            except OSError:
                pass
        return f"; it was moved to {aside.name}"

    def close(self) -> None:
        """Release the file. A store that saved keeps a backup of what it saved
        (the database as of this moment), for a file damaged later on."""
        with self._db_mutex:
            connection, self._connection = self._connection, None
            if connection is not None:
                if self._saved and not self.read_only:
                    try:
                        database.backup_to(connection, backup_path(self.path))
                    except (OSError, sqlite3.Error):
                        pass  # no backup this time; the database itself is whole
                connection.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # -- reading -----------------------------------------------------------------

    @property
    def revision(self) -> int:
        """How many saves this progress has had (it only grows, over sessions too)."""
        return int(self._document["revision"])

    def exercise(self, qualified_id: str) -> ExerciseProgress:
        with self._mutex:
            entry = self._document["exercises"].get(qualified_id, {})
            return ExerciseProgress(
                answer=copy.deepcopy(entry.get("answer")),
                attempts=entry.get("attempts", 0),
                hints=entry.get("hints", 0),
                passed=entry.get("passed", False),
                solution_seen=entry.get("solution_seen", False),
                seed=entry.get("seed"),
                prediction=entry.get("prediction"),
                output=entry.get("output"),
            )

    @property
    def learner_seed(self) -> int:
        """This learner's own random seed, drawn once and kept in the file, so
        whatever is shuffled per learner (the options of a choice exercise)
        comes out the same every session. A read-only store draws one for the
        session."""
        with self._mutex:
            seed = self._document.get("learner_seed")
            if not isinstance(seed, int) or isinstance(seed, bool):
                seed = secrets.randbits(32)
                self._document["learner_seed"] = seed
            return seed

    @property
    def position(self) -> Position | None:
        with self._mutex:
            position = self._document["position"]
            return Position(position["lesson"], position.get("exercise")) if position else None

    def attempts(self, qualified_id: str | None = None) -> list[AttemptRecord]:
        """The attempts log, oldest first: of one exercise, or of all. Reads the
        database (attempts are not kept in memory), plus those not saved yet."""
        with self._db_mutex:
            saved: list[AttemptRecord] = []
            if self._connection is not None:
                query = f"SELECT {', '.join(database.ATTEMPT_COLUMNS)} FROM attempts"
                if qualified_id is None:
                    rows = self._connection.execute(query + " ORDER BY id")
                else:
                    rows = self._connection.execute(query + " WHERE qualified_id = ? ORDER BY id", (qualified_id,))
                try:
                    saved = [AttemptRecord.from_row(row) for row in rows]
                except sqlite3.Error:
                    saved = []
            with self._mutex:
                pending = [record for record in self._pending
                           if qualified_id is None or record.qualified_id == qualified_id]
        return saved + pending

    def latest_attempt(self, qualified_id: str) -> AttemptRecord | None:
        """The exercise's last attempt recorded in this session (from memory: the
        attempt path names it to the schedule without reading the log)."""
        with self._mutex:
            return self._latest.get(qualified_id)

    def review_state(self, qualified_id: str) -> ReviewState | None:
        with self._mutex:
            return self._reviews.get(qualified_id)

    def review_states(self) -> dict[str, ReviewState]:
        """Every exercise's review state, by qualified id (a copy)."""
        with self._mutex:
            return dict(self._reviews)

    # -- recording ---------------------------------------------------------------

    def _entry(self, qualified_id: str) -> dict[str, Any]:
        self._changed.add(qualified_id)
        return self._document["exercises"].setdefault(
            qualified_id, {"answer": None, "attempts": 0, "hints": 0, "passed": False, "solution_seen": False}
        )

    def set_position(self, lesson_id: str, exercise_id: str | None) -> None:
        """Where the learner is; an exercise set here is on screen from now,
        which is where the time an attempt took starts."""
        with self._mutex:
            self._document["position"] = {"lesson": lesson_id, "exercise": exercise_id}
            if exercise_id is not None:
                self._started[f"{lesson_id}/{exercise_id}"] = time.monotonic()

    def record_answer(self, qualified_id: str, answer: Answer) -> None:
        """Remember a draft answer so nothing typed is lost on quit."""
        with self._mutex:
            self._entry(qualified_id)["answer"] = copy.deepcopy(dict(answer) if isinstance(answer, Mapping) else answer)

    def record_attempt(self, qualified_id: str, answer: Answer, passed: bool,
                       seed: int | None = None, prediction: bool = False,
                       output: str | None = None, *, mistake: str | None = None,
                       duration_s: float | None = None, variant_seed: int | None = None,
                       status: str | None = None, handed_in: Answer = None) -> ExerciseProgress:
        """One submission judged by the checker. Passing is sticky: a later wrong
        attempt does not take away an exercise already done. `seed` is the one
        the attempt's fresh cases were drawn with (`nntutor check --seed`). An
        `answer` of None leaves the answer field alone (a code draft lives in its
        workspace file).

        With `prediction`, the attempt is a prediction the engine's value was
        shown for: the exercise is finished as "predicted" (`passed`) or
        "missed", once. The value is known from then on, so no later attempt
        changes either, and retyping it never turns a miss into a pass.

        `output`, what the learner's code printed, is kept (its last
        OUTPUT_KEPT characters) so a later exercise that asks about it can show
        it again, in this session or the next.

        Every attempt is also appended to the attempts log (see `attempts()`):
        with `mistake` (the mistake the verdict named), `variant_seed` (the
        variant's numbers), `status` (the verdict's; by default from `passed`),
        a hash of the answer (of `handed_in` when `answer` is None: a code
        exercise's code), and `duration_s`, by default the time since the
        exercise was shown (`set_position`) or last tried in this session. Its
        `hints` and `solution_seen` are the help taken since the exercise's
        previous attempt (`reveal_hint`, `mark_solution_seen` calls, each
        counted even when the hint or solution was on screen before: a
        review asks afresh)."""
        now = time.monotonic()
        with self._mutex:
            started = self._started.get(qualified_id)
            if duration_s is None and started is not None:
                duration_s = round(now - started, 3)
            self._started[qualified_id] = now
            entry = self._entry(qualified_id)
            hints, solution = self._help.pop(qualified_id, (0, False))
            record = AttemptRecord(
                qualified_id, datetime.now(timezone.utc), None if seed is None else int(seed),
                None if variant_seed is None else int(variant_seed),
                answer_hash(answer if answer is not None else handed_in), bool(passed),
                status or ("pass" if passed else "fail"), mistake, hints, solution, duration_s)
            self._pending.append(record)
            self._latest[qualified_id] = record
            if output:
                entry["output"] = output[-OUTPUT_KEPT:]
            entry["attempts"] += 1
            if "prediction" in entry:  # the prediction stays as it was made
                return self.exercise(qualified_id)
            if answer is not None:
                entry["answer"] = copy.deepcopy(dict(answer) if isinstance(answer, Mapping) else answer)
            if seed is not None:
                entry["seed"] = int(seed)
            if prediction:
                entry["prediction"] = PREDICTED if passed else MISSED
            entry["passed"] = entry["passed"] or passed
            return self.exercise(qualified_id)

    def settle_prediction(self, qualified_id: str) -> ExerciseProgress:
        """A predict exercise judged before predictions were finished (an older
        progress file): its value was shown, so it is finished now, as it went."""
        with self._mutex:
            entry = self._entry(qualified_id)
            if entry["attempts"] and "prediction" not in entry:
                entry["prediction"] = PREDICTED if entry["passed"] else MISSED
            return self.exercise(qualified_id)

    def reveal_hint(self, qualified_id: str, available: int) -> int:
        """Count one more hint used (at most `available`); returns how many are shown."""
        with self._mutex:
            entry = self._entry(qualified_id)
            entry["hints"] = min(available, entry["hints"] + 1)
            self._help.setdefault(qualified_id, [0, False])[0] += 1
            return entry["hints"]

    def mark_solution_seen(self, qualified_id: str) -> None:
        with self._mutex:
            self._entry(qualified_id)["solution_seen"] = True
            self._help.setdefault(qualified_id, [0, False])[1] = True

    def set_review_state(self, qualified_id: str, state: ReviewState | None) -> None:
        """Record (or, with None, forget) an exercise's review state."""
        with self._mutex:
            if state is None:
                self._reviews.pop(qualified_id, None)
            else:
                self._reviews[qualified_id] = state
            self._reviews_changed.add(qualified_id)

    def reset_exercise(self, qualified_id: str) -> None:
        """Clear one exercise, and its review state (its attempts stay in the log).
        A prediction made stays made: its value has been seen, so predicting
        again would prove nothing."""
        with self._mutex:
            self._changed.add(qualified_id)
            entry = self._document["exercises"].pop(qualified_id, None)
            if entry is not None and "prediction" in entry:
                kept = self._entry(qualified_id)
                kept.update({key: entry[key] for key in ("answer", "attempts", "passed", "prediction")})
            self.set_review_state(qualified_id, None)

    def reset_all(self) -> None:
        """A fresh start: every exercise and review state goes (the attempts log stays)."""
        with self._mutex:
            revision, seed = self.revision, self._document.get("learner_seed")
            self._document = empty_document()
            self._document["revision"] = revision
            if seed is not None:  # the same learner: the same option orders
                self._document["learner_seed"] = seed
            self._reviews = {}
            self._wiped = True
            self._changed.clear()
            self._reviews_changed.clear()

    # -- saving ------------------------------------------------------------------

    def save(self) -> str | None:
        """Write what changed, in one transaction; returns None, or a message
        saying why nothing was written. Errors become messages because a full
        disk must not end the lesson (what was not written is kept for the next
        save)."""
        if self.read_only:
            return "read-only: progress is not saved in this window"
        with self._db_mutex:
            with self._mutex:
                self._document["revision"] += 1
                changes = self._take_changes()
            try:
                if self._connection is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._connection = database.connect(self.path, writable=True)
                self._write(self._connection, changes)
            except (OSError, sqlite3.Error) as error:
                with self._mutex:
                    self._give_back(changes)
                reason = getattr(error, "strerror", None) or error
                return f"could not save progress to {self.path}: {reason}"
            self._saved = True
        return None

    def _take_changes(self) -> dict[str, Any]:
        """(With the state locked.) What the next transaction writes, taken out of
        the change lists."""
        exercises = self._document["exercises"]
        changed = {qid: copy.deepcopy(exercises[qid]) if qid in exercises else None for qid in self._changed}
        reviews = {qid: self._reviews.get(qid) for qid in self._reviews_changed}
        changes = {"meta": {key: copy.deepcopy(self._document[key]) for key in ("revision", "position", "learner_seed")
                            if key in self._document},
                   "wiped": self._wiped, "exercises": changed, "reviews": reviews, "attempts": self._pending}
        if self._wiped:  # everything is written again after a reset
            changes["exercises"] = {qid: copy.deepcopy(entry) for qid, entry in exercises.items()}
            changes["reviews"] = dict(self._reviews)
        self._changed, self._reviews_changed, self._wiped, self._pending = set(), set(), False, []
        return changes

    def _give_back(self, changes: dict[str, Any]) -> None:
        """(With the state locked.) A failed save: its changes are still to write."""
        self._changed |= set(changes["exercises"])
        self._reviews_changed |= set(changes["reviews"])
        self._wiped = self._wiped or changes["wiped"]
        self._pending = changes["attempts"] + self._pending

    @staticmethod
    def _write(connection: sqlite3.Connection, changes: dict[str, Any]) -> None:
        connection.execute("BEGIN IMMEDIATE")
        try:
            if changes["wiped"]:
                connection.execute("DELETE FROM exercises")
                connection.execute("DELETE FROM review")
            database.write_meta(connection, changes["meta"])
            gone = [(qid,) for qid, entry in changes["exercises"].items() if entry is None]
            connection.executemany("DELETE FROM exercises WHERE qualified_id = ?", gone)
            database.write_exercises(connection, [database.exercise_row(qid, entry)
                                                  for qid, entry in changes["exercises"].items() if entry is not None])
            connection.executemany("DELETE FROM review WHERE qualified_id = ?",
                                   [(qid,) for qid, state in changes["reviews"].items() if state is None])
            database.write_reviews(connection, [state.row(qid) for qid, state in changes["reviews"].items()
                                                if state is not None])
            database.write_attempts(connection, [record.row() for record in changes["attempts"]])
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
