"""Where progress lives when the learner does not say (`--progress FILE` overrides)."""

from __future__ import annotations

from pathlib import Path


def default_progress_path() -> Path:
    """The progress file in the user's data directory.

    platformdirs picks the place each OS expects (XDG on Linux, Application
    Support on macOS), so progress survives reinstalls and is not mixed with
    the course files. (Before the SQLite store it was progress.json beside it:
    see legacy_json_path.)
    """
    from platformdirs import user_data_path

    return user_data_path("nntutor", appauthor=False) / "progress.sqlite3"


def default_workspace_path() -> Path:
    """The folder of the learner's code drafts, one .py file per code exercise
    (`--workspace DIR` overrides): beside the progress, in the user data directory."""
    from platformdirs import user_data_path

    return user_data_path("nntutor", appauthor=False) / "workspace"


def backup_path(path: Path) -> Path:
    """The previous version of `path`, kept so one bad write never costs progress."""
    return path.with_name(path.name + ".bak")


def temp_path(path: Path) -> Path:
    """Where a new version is written before it replaces `path` (same directory, so
    the replace is atomic; one fixed name, so a killed writer leaves no litter)."""
    return path.with_name(path.name + ".tmp")


def lock_path(path: Path) -> Path:
    """A separate lock file: `path` itself is replaced on each save, so a lock on
    its inode would not outlive the first save."""
    return path.with_name(path.name + ".lock")


def legacy_json_path(path: Path) -> Path:
    """Where a JSON progress file from before the SQLite store would be for
    `path` (progress.sqlite3 -> progress.json): migrated on first start."""
    return path.with_suffix(".json")


def migrated_path(path: Path) -> Path:
    """The JSON progress file, kept as it was once its progress moved into SQLite."""
    return path.with_name(path.name + ".migrated")


def companion_paths(path: Path) -> tuple[Path, Path]:
    """SQLite's write-ahead log and shared-memory index beside a database: they
    belong to it, so moving the database aside moves them too."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")
