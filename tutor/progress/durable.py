"""Writing a small file so that a crash at any instant leaves a readable file.

The order of steps is the whole point:

1. the new version is written to a temp file in the same directory and fsynced;
2. the current version becomes the backup (a hard link, or a copy that is itself
   written the same careful way), so the backup is never newer than the file;
3. the temp file atomically replaces the file;
4. the directory is fsynced so the renames themselves survive a power cut.

A reader therefore always finds either the old or the new version at `path`, and
the backup holds the version before it.
"""

from __future__ import annotations

import os
from pathlib import Path

from tutor.progress.paths import backup_path, temp_path


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # some platforms cannot open directories; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes, mode: int = 0o600) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_backup(path: Path) -> None:
    """Make the backup the current version of `path` without ever exposing a
    half-written backup: link (or copy) to a temp name, then rename over."""
    backup = backup_path(path)
    staging = backup.with_name(backup.name + ".tmp")
    try:
        staging.unlink(missing_ok=True)
        os.link(path, staging)
    except FileNotFoundError:
        return  # first save: nothing to back up
    except OSError:
        _write_synced(staging, path.read_bytes())  # filesystems without hard links
    os.replace(staging, backup)


def write_durably(path: Path, data: bytes, *, backup: bool = True, mode: int = 0o600) -> None:
    """Replace `path` with `data`, keeping the previous version as its backup
    (unless `backup` is False: a learner's workspace is not littered with .bak files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path(path)
    _write_synced(temp, data, mode)
    if backup:
        _keep_backup(path)
    os.replace(temp, path)
    _fsync_dir(path.parent)
