"""Listing a course (its lessons' headers) with as little imported as possible.

The tutor fills its first screen from this, so it must not pay for the full
loader (tomllib, the schema) when the outline index already knows every file:
the loader is imported only to read a file that changed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from tutor.course.header import LessonHeader


def lesson_files(root: Path) -> list[Path]:
    """The lesson files of a course folder: every *.md directly inside, except README.md."""
    try:
        entries = list(os.scandir(root))
    except OSError:
        return []
    names = sorted(
        entry.name for entry in entries
        if entry.name.endswith(".md") and entry.name.lower() != "readme.md" and entry.is_file()
    )
    return [root / name for name in names]


def course_root(root: Path | None) -> Path:
    """The folder meant: None is the built-in course."""
    if root is None:
        from tutor.course.locate import builtin_course_path

        return builtin_course_path()
    return Path(root)


def _read_header(path: Path) -> LessonHeader:
    from tutor.course.loader import read_header

    return read_header(path)


def load_outline(root: Path | None = None,
                 read_header: Callable[[Path], LessonHeader] | None = None) -> list[LessonHeader]:
    """Headers of a course's lessons in order: front matter and exercise ids only.

    Unchanged files are answered from a small index (tutor.course.outline_cache)
    and changed ones by `read_header` (default: the loader's), so a large course
    lists fast. A file that cannot be read even for its header is left out here;
    load_course reports it as broken.
    """
    from tutor.course.header import LessonHeader
    from tutor.course.outline_cache import cached_headers

    root = course_root(root)
    headers = [
        header for _, header in cached_headers(root, lesson_files(root), read_header or _read_header)
        if isinstance(header, LessonHeader)
    ]
    return sorted(headers, key=_in_order)


def indexed_outline(root: Path | None = None) -> list[LessonHeader] | None:
    """The same list as load_outline, but only if the outline index knows every
    lesson file as it is now (no file is read); None otherwise. Cheap enough for
    the tutor to list the course in its first frame; on None it calls load_outline
    from a worker."""
    from tutor.course.outline_cache import indexed_headers

    root = course_root(root)
    headers = indexed_headers(root, lesson_files(root))
    return None if headers is None else sorted(headers, key=_in_order)


def _in_order(header: LessonHeader) -> tuple[int, str]:
    return header.order, header.path.name
