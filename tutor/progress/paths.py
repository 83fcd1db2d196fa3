"""Where progress lives when the learner does not say (`--progress FILE` overrides)."""

from __future__ import annotations

from pathlib import Path


def default_progress_path() -> Path:
    """The progress file in the user's data directory.

    platformdirs picks the place each OS expects (XDG on Linux, Application
    Support on macOS), so progress survives reinstalls and is not mixed with
    the course files.
    """
    from platformdirs import user_data_path

    return user_data_path("nntutor", appauthor=False) / "progress.json"


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
