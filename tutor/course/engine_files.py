"""The engine files a lesson links to (front matter ``engine_files``).

A lesson names the files of the engine's reading path it teaches
(``engine_files = ["network.py"]``); after a pass the tutor shows them as "the
engine's version" of what the learner just wrote. Only files on
``engine.READING_PATH`` may be named: the fast path and the sources' worked
examples are not what a learner should read next. Lint reports anything else;
the UI reads the text through `engine_file_text`, which refuses it too.
"""

from __future__ import annotations

from pathlib import Path

from tutor.course.model import Lesson, Problem
from tutor.course.schema import did_you_mean


def reading_path() -> tuple[str, ...]:
    """The file names a lesson may link to, in the order the course teaches them."""
    import engine

    return tuple(engine.READING_PATH)


def engine_file(name: str) -> Path:
    """Where the reading-path file `name` ("network.py") lives; ValueError for any other name."""
    import engine

    if name not in reading_path():
        raise ValueError(f"{name!r} is not on the engine's reading path ({', '.join(reading_path())})")
    return Path(engine.__file__).resolve().parent / name


def engine_file_text(name: str) -> str:
    """The source of the reading-path file `name`, as the learner's checkout has it."""
    return engine_file(name).read_text(encoding="utf-8")


def engine_file_problems(lesson: Lesson) -> list[Problem]:
    """Lint's findings about one lesson's ``engine_files``: unknown, off the reading path, or twice."""
    line = lesson.field_lines.get("engine_files", 1)
    known = reading_path()
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in lesson.engine_files:
        if name in seen:
            problems.append(Problem(lesson.path, line, f"engine_files names {name!r} twice"))
        elif name not in known:
            problems.append(Problem(
                lesson.path, line,
                f"engine_files: {name!r} is not a file of the engine's reading path{did_you_mean(name, known)}; "
                f"choose from {', '.join(known)}",
            ))
        elif not engine_file(name).is_file():
            problems.append(Problem(lesson.path, line, f"engine_files: engine/{name} does not exist"))
        seen.add(name)
    return problems
