"""Where each learner's data lives under a class's data directory.

    DATA/learners/<learner-id>/progress.sqlite3
    DATA/learners/<learner-id>/workspace/

One folder per learner, so a learner's tutor process is handed only its own
store and workspace, and the teacher's report (`nntutor class report`) finds
every learner by listing one directory. A learner id is a folder name made from
whatever names the learner (an SSO user, a roster line) by `learner_id`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

LEARNERS = "learners"
PROGRESS_FILE = "progress.sqlite3"
WORKSPACE_DIR = "workspace"
MAX_NAME = 200


class BadLearnerName(ValueError):
    """A name that cannot be anyone's folder (empty, or absurdly long)."""


def learner_id(name: str) -> str:
    """The folder name for a learner called `name`: its safe characters kept
    and every other one percent-encoded, so distinct names never share a folder
    ("a/b" and "a_b" stay apart) and no name climbs out of DATA/learners
    ("..", "/etc" or a leading dot are encoded, never interpreted)."""
    name = name.strip()
    if not name:
        raise BadLearnerName("an empty learner name")
    if len(name) > MAX_NAME:
        raise BadLearnerName(f"a learner name longer than {MAX_NAME} characters")
    folder = quote(name, safe="@-_+")  # '.' is encoded too: no '..', no hidden folders
    return folder.replace(".", "%2E")


@dataclass(frozen=True)
class LearnerPaths:
    """One learner's progress store and workspace."""

    learner: str
    root: Path

    @property
    def progress(self) -> Path:
        return self.root / PROGRESS_FILE

    @property
    def workspace(self) -> Path:
        return self.root / WORKSPACE_DIR


def learner_paths(data: Path | str, learner: str) -> LearnerPaths:
    """The paths of the learner whose folder name is `learner` (see `learner_id`)."""
    return LearnerPaths(learner, Path(data) / LEARNERS / learner)


def learners(data: Path | str) -> list[LearnerPaths]:
    """Every learner with a folder under `data`, by folder name."""
    folder = Path(data) / LEARNERS
    if not folder.is_dir():
        return []
    return [learner_paths(data, entry.name) for entry in sorted(folder.iterdir()) if entry.is_dir()]
