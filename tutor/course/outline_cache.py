"""A small index of lesson headers on disk, so listing a course reads only changed files.

Reading 1,000 lesson files costs more than the whole budget for listing them;
a stat per file does not. The index maps each file name to its size, its
modification time and the header read from it. A file whose size or mtime
differs is read again; a file changed within the last few seconds is never
indexed (its mtime might not change on the next save: git's "racy" rule).
The index is only a cache: any problem with it (missing, corrupt, unwritable)
means reading the files, never an error.

It is written as a Python literal and read with `ast.literal_eval`, which only
ever builds literals: the tutor reads it on the way to its first frame, where
Textual has already imported `ast` while `json` would cost its own import (a few
milliseconds of compiled regular expressions, a tenth of the tutor's start-up
budget over a bare Textual app).

Location: $NNTUTOR_CACHE_DIR if set (empty disables the index), else the
user cache directory from platformdirs.
"""

from __future__ import annotations

import ast
import os
import time
import zlib
from pathlib import Path
from typing import Any, Callable

from tutor.course.header import LessonHeader

CACHE_ENV = "NNTUTOR_CACHE_DIR"
VERSION = 2  # 1 was JSON
RACY_NS = 2_000_000_000


def index_path(root: Path) -> Path | None:
    """Where the index of the course folder `root` lives, or None when disabled."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        if not configured:
            return None
        base = Path(configured)
    else:
        from platformdirs import user_cache_path

        base = user_cache_path("nntutor")
    # zlib, not hashlib (whose OpenSSL import costs a few ms of the first frame); a clash
    # of two folders is harmless: the index names its root and a mismatch reads the files
    name = str(root.resolve()).encode("utf-8", "surrogatepass")
    return base / "outlines" / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}.index"


def indexed_headers(root: Path, files: list[Path]) -> list[LessonHeader] | None:
    """The header of each file from the index alone, or None as soon as one file is
    new or changed (then the caller reads files, off the UI thread). One stat per
    file and one small JSON read: cheap enough for the tutor's first frame."""
    where = index_path(root)
    if where is None:
        return None
    known = _read_index(where, root)
    headers = []
    for path in files:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        header = _indexed(known.get(path.name), path, stat)
        if header is None:
            return None
        headers.append(header)
    return headers


def _indexed(entry: list[Any] | None, path: Path, stat: os.stat_result) -> LessonHeader | None:
    """The header an index entry holds for `path`, if the entry matches the file's size and mtime."""
    if entry is None or entry[:2] != [stat.st_size, stat.st_mtime_ns]:
        return None
    try:
        return LessonHeader(str(entry[2]), str(entry[3]), int(entry[4]), path, tuple(map(str, entry[5])))
    except (TypeError, ValueError):
        return None


def cached_headers(
    root: Path, files: list[Path], read_header: Callable[[Path], LessonHeader]
) -> list[tuple[Path, LessonHeader | Exception]]:
    """The header of each file (or the exception reading it raised), from the
    index where the file is unchanged, else by `read_header`; the index is
    refreshed when anything was read."""
    where = index_path(root)
    known = _read_index(where, root) if where is not None else {}
    fresh: dict[str, list[Any]] = {}
    results: list[tuple[Path, LessonHeader | Exception]] = []
    changed = False
    now = time.time_ns()
    for path in files:
        try:
            stat = os.stat(path)
        except OSError as error:
            results.append((path, error))
            continue
        stamp = [stat.st_size, stat.st_mtime_ns]
        header = _indexed(known.get(path.name), path, stat)
        if header is not None:
            fresh[path.name] = known[path.name]
            results.append((path, header))
            continue
        changed = True
        try:
            header = read_header(path)
        except Exception as error:  # the caller decides what a failed read means
            results.append((path, error))
            continue
        results.append((path, header))
        if now - stat.st_mtime_ns > RACY_NS:
            fresh[path.name] = stamp + [header.id, header.title, header.order, list(header.exercise_ids)]
    if where is not None and (changed or len(fresh) != len(known)):
        _write_index(where, root, fresh)
    return results


def _read_index(where: Path, root: Path) -> dict[str, list[Any]]:
    try:
        data = decode(where.read_text(encoding="utf-8"))
    except (OSError, ValueError, SyntaxError, MemoryError, RecursionError):  # missing, cut short, not ours
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION or data.get("root") != str(root.resolve()):
        return {}
    entries = data.get("files")
    if not isinstance(entries, dict):
        return {}
    return {name: entry for name, entry in entries.items() if _valid(entry)}


def _valid(entry: Any) -> bool:
    """Cheap shape check; the index is ours, so this guards against truncation and
    hand edits, not against a determined forgery (it is never executed)."""
    return type(entry) is list and len(entry) == 6 and type(entry[5]) is list


def _write_index(where: Path, root: Path, entries: dict[str, list[Any]]) -> None:
    """Replace the index atomically; give up quietly if the cache is not writable."""
    import tempfile  # only when something changed: not on the way to the first frame

    data = {"version": VERSION, "root": str(root.resolve()), "files": entries}
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=where.parent, prefix=".outline-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(encode(data))
            os.replace(temporary, where)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass


def encode(data: dict[str, Any]) -> str:
    """The index as it is stored: a Python literal of dicts, lists, strings and ints."""
    return repr(data) + "\n"


def decode(text: str) -> Any:
    """A stored index back; raises ValueError or SyntaxError for anything but a literal."""
    return ast.literal_eval(text)
