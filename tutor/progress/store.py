"""The learner's progress: what the UI reads and records, and when it hits disk.

Opening never fails because of the file: a corrupt file is moved aside and the
backup loaded, a file from a newer nntutor or one locked by another tutor is
opened read-only, and each of these leaves a plain-English notice for the UI
to show. Progress is worth more than any error message.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from tutor.progress.durable import write_durably
from tutor.progress.lock import ProgressLock
from tutor.progress.paths import backup_path, default_progress_path
from tutor.progress.schema import (
    SCHEMA_VERSION,
    NewerSchemaError,
    SchemaError,
    empty_document,
    migrate,
)

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


def _read_document(path: Path) -> dict[str, Any]:
    """Parse and migrate one file; SchemaError for anything unusable."""
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


class ProgressStore:
    """Progress in memory plus the file it came from. Methods change memory;
    `save()` writes. Thread-safe, so workers may record results too."""

    def __init__(self, path: Path, document: dict[str, Any], *, read_only: bool, notices: list[str],
                 lock: ProgressLock | None) -> None:
        self.path = path
        self.read_only = read_only
        self.notices = notices
        self._document = document
        self._lock = lock
        self._mutex = threading.RLock()

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None) -> "ProgressStore":
        """Open (or start) the progress at `path` (default: the user data directory)."""
        path = Path(path).expanduser() if path is not None else default_progress_path()
        notices: list[str] = []
        lock: ProgressLock | None = ProgressLock(path)
        read_only = False
        try:
            locked = lock.acquire()
        except OSError as error:
            locked = False
            notices.append(f"Progress cannot be saved ({path.parent}: {error.strerror}); it is kept for this session only.")
        else:
            if not locked:
                notices.append("Another nntutor is using this progress file: opened read-only, nothing you do here is saved.")
        if not locked:
            lock, read_only = None, True
        document, more, newer = cls._load(path, move_corrupt_aside=not read_only)
        notices += more
        if newer:
            read_only = True
        return cls(path, document, read_only=read_only, notices=notices, lock=lock)

    @staticmethod
    def _load(path: Path, *, move_corrupt_aside: bool) -> tuple[dict[str, Any], list[str], bool]:
        """The document at `path`, else its backup, else a fresh one, with notices."""
        try:
            return _read_document(path), [], False
        except FileNotFoundError:
            if not backup_path(path).exists():
                return empty_document(), [], False
            problem = f"{path.name} is missing"
        except NewerSchemaError as error:
            return empty_document(), [f"{error}; opened read-only so it is not overwritten."], True
        except SchemaError as error:
            problem = str(error)
            if move_corrupt_aside:
                aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
                try:
                    os.replace(path, aside)
                    problem += f"; it was moved to {aside.name}"
                except OSError:
                    pass
        try:
            document = _read_document(backup_path(path))
        except (OSError, SchemaError):
            return empty_document(), [f"Progress could not be read ({problem}) and no usable backup exists: starting afresh."], False
        return document, [f"Progress could not be read ({problem}): restored the previous save from the backup."], False

    def close(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # -- reading -----------------------------------------------------------------

    @property
    def revision(self) -> int:
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

    # -- recording ---------------------------------------------------------------

    def _entry(self, qualified_id: str) -> dict[str, Any]:
        return self._document["exercises"].setdefault(
            qualified_id, {"answer": None, "attempts": 0, "hints": 0, "passed": False, "solution_seen": False}
        )

    def set_position(self, lesson_id: str, exercise_id: str | None) -> None:
        with self._mutex:
            self._document["position"] = {"lesson": lesson_id, "exercise": exercise_id}

    def record_answer(self, qualified_id: str, answer: Answer) -> None:
        """Remember a draft answer so nothing typed is lost on quit."""
        with self._mutex:
            self._entry(qualified_id)["answer"] = copy.deepcopy(dict(answer) if isinstance(answer, Mapping) else answer)

    def record_attempt(self, qualified_id: str, answer: Answer, passed: bool,
                       seed: int | None = None, prediction: bool = False,
                       output: str | None = None) -> ExerciseProgress:
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
        it again, in this session or the next."""
        with self._mutex:
            entry = self._entry(qualified_id)
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
            return entry["hints"]

    def mark_solution_seen(self, qualified_id: str) -> None:
        with self._mutex:
            self._entry(qualified_id)["solution_seen"] = True

    def reset_exercise(self, qualified_id: str) -> None:
        """Clear one exercise. A prediction made stays made: its value has been
        seen, so predicting again would prove nothing."""
        with self._mutex:
            entry = self._document["exercises"].pop(qualified_id, None)
            if entry is not None and "prediction" in entry:
                kept = self._entry(qualified_id)
                kept.update({key: entry[key] for key in ("answer", "attempts", "passed", "prediction")})

    def reset_all(self) -> None:
        with self._mutex:
            revision, seed = self.revision, self._document.get("learner_seed")
            self._document = empty_document()
            self._document["revision"] = revision
            if seed is not None:  # the same learner: the same option orders
                self._document["learner_seed"] = seed

    # -- saving ------------------------------------------------------------------

    def save(self) -> str | None:
        """Write durably; returns None, or a message saying why nothing was written.
        Errors become messages because a full disk must not end the lesson."""
        if self.read_only:
            return "read-only: progress is not saved in this window"
        with self._mutex:
            self._document["revision"] += 1
            self._document["schema"] = SCHEMA_VERSION
            data = json.dumps(self._document, indent=1, sort_keys=True).encode("utf-8")
            try:
                write_durably(self.path, data)
            except OSError as error:
                return f"could not save progress to {self.path}: {error.strerror or error}"
        return None
