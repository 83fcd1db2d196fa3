"""Reading lesson files into the course model.

Loading is data only: the file is split as text (tutor.course.document), each
TOML part is read with tomllib, and tutor.course.schema turns the tables into
model objects. Every problem in a file is collected before giving up on it, and
a broken file never stops the others from loading.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from tutor.course import listing
from tutor.course.challenges import resolve_challenges
from tutor.course.listing import course_root, lesson_files
from tutor.course.document import DocumentError, RawBlock, split_lesson
from tutor.course.headers import quick_header
from tutor.course.model import BrokenLesson, Course, Exercise, Lesson, LessonHeader, Problem
from tutor.course.schema import ExerciseReader, Spot, read_front_matter
from tutor.course.toml_lines import key_lines


class LessonError(ValueError):
    """A lesson file that does not validate; `.problems` lists every finding."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def load_lesson(path: Path) -> Lesson:
    """Read and validate one lesson file; raise LessonError with every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise LessonError([Problem(path, 1, f"file is not UTF-8 text: {error.reason} at byte {error.start}")]) from None
    except OSError as error:
        raise LessonError([Problem(path, 1, f"cannot read file: {error.strerror or error}")]) from None
    return parse_lesson(text, path)


def parse_lesson(text: str, path: Path) -> Lesson:
    """Validate lesson text that came from `path` (used in messages)."""
    try:
        raw = split_lesson(text)
    except DocumentError as error:
        raise LessonError([Problem(path, error.line, error.message)]) from None
    problems: list[Problem] = []

    front_data = _parse_toml(raw.front_matter, path, raw.front_line + 1, problems)
    header = None
    front_lines: dict[str, int] = {}
    if front_data is not None:
        spot = Spot(path, key_lines(raw.front_matter), raw.front_line, raw.front_line, problems)
        header = read_front_matter(front_data, spot)
        front_lines = {name: spot.at((name,)) for name in front_data}
    lesson_id = header["id"] if header else "?"

    exercises: list[Exercise] = []
    first_line: dict[str, int] = {}
    for block in raw.blocks:
        found = _read_block(block, path, lesson_id, problems)
        if found is None:
            continue
        exercise_id, id_line, exercise = found
        if isinstance(exercise_id, str):
            if exercise_id in first_line:
                problems.append(
                    Problem(path, id_line, f"duplicate exercise id {exercise_id!r} (first at line {first_line[exercise_id]})")
                )
                continue
            first_line[exercise_id] = id_line
        if exercise is not None:
            exercises.append(exercise)
    exercises = resolve_challenges(exercises, first_line, path, problems)
    if not raw.blocks:
        problems.append(Problem(path, raw.front_line, "a lesson needs at least one exercise block (```exercise)"))
    if problems or header is None:
        raise LessonError(sorted(problems, key=lambda problem: problem.line))
    return Lesson(
        id=header["id"],
        title=header["title"],
        order=header["order"],
        path=path,
        # the first exercise's prose, with any parameters written in (tutor.course.variants)
        intro=exercises[0].prose,
        exercises=tuple(exercises),
        further_reading=header["further_reading"],
        outro=raw.outro,
        engine_files=header["engine_files"],
        field_lines=front_lines,
    )


def _read_block(
    block: RawBlock, path: Path, lesson_id: str, problems: list[Problem]
) -> tuple[object, int, Exercise | None] | None:
    """(the id as written, its line, the exercise or None if invalid), or None
    when the block is not even TOML."""
    data = _parse_toml(block.text, path, block.first_line, problems)
    if data is None:
        return None
    if not data:
        problems.append(Problem(path, block.fence_line, "exercise block is empty"))
        return None
    spot = Spot(path, key_lines(block.text), block.first_line - 1, block.fence_line, problems)
    exercise = ExerciseReader(data, spot, lesson_id, block.fence_line, block.prose).read()
    return data.get("id"), spot.at(("id",)), exercise


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"\s*\(at end of document\)$")


def _parse_toml(text: str, path: Path, first_line: int, problems: list[Problem]) -> dict | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line = text.count("\n") or 1
        column = None
        lineno = getattr(error, "lineno", None)  # Python 3.14+
        if lineno is not None:
            line, column = lineno, getattr(error, "colno", None)
            message = getattr(error, "msg", message)
        match = _TOML_POSITION.search(message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()]
        elif _TOML_END.search(message):
            message = message[: _TOML_END.search(message).start()]  # type: ignore[union-attr]
        where = f" (column {column})" if column else ""
        line, said = _toml_advice(message + where, message, text, line)
        problems.append(Problem(path, first_line + line - 1, f"invalid TOML: {said}"))
        return None


def _toml_advice(said: str, message: str, text: str, line: int) -> tuple[int, str]:
    """tomllib's message `said` (with its column) plus a line of advice for the
    TOML mistakes authors make most; for an unclosed triple quote, the line
    where it was opened (tomllib reports the end of the block)."""
    for quote in ("'''", '"""'):
        if message == f"Expected {quote!r}" or message == f'Expected "{quote}"':
            opened = _unclosed(text, quote)
            if opened is not None:
                return opened, (f"the {quote} opened on this line is never closed: end the text with {quote} "
                                "(on a line of its own is clearest)")
    line, advice = _advice(message, line)
    return line, said + advice


def _advice(message: str, line: int) -> tuple[int, str]:
    if message.startswith("Illegal character '\\n'") or message == "Illegal character '\n'":
        return line, ('; a string in "..." must end on the line it starts: close the quote, or write text '
                      "over several lines between ''' and '''")
    if message.startswith("Unescaped '\\'"):
        return line, ('; in a "..." string a backslash starts an escape (\\n, \\t): write \\\\ for a '
                      "backslash, or use a '...' string, which takes it as it is (for LaTeX and regular expressions)")
    if message.startswith("Cannot declare") and "twice" in message:
        return line, ("; a [table] header may appear once in a block (a repeated entry such as a wrong answer "
                      "is written [[wrong]], with two brackets)")
    if message == "Cannot overwrite a value":
        return line, ("; this key is set twice: once in this table already, or above a [header] and again "
                      "under it (every key after a [header] belongs to that table)")
    return line, ""


def _unclosed(text: str, quote: str) -> int | None:
    """The 1-based line of the last triple quote left open, if any."""
    opened: int | None = None
    position = 0
    while (found := text.find(quote, position)) != -1:
        opened = text.count("\n", 0, found) + 1 if opened is None else None
        position = found + len(quote)
    return opened


def load_course(root: Path | None = None) -> Course:
    """Every lesson of a course folder (None: the built-in course), ordered.

    Files that fail to load are returned as BrokenLesson with their problems,
    and so is a second file claiming a lesson id already taken.
    """
    root = course_root(root)
    lessons: list[Lesson] = []
    broken: list[BrokenLesson] = []
    taken: dict[str, Path] = {}
    for path in lesson_files(root):
        try:
            lesson = load_lesson(path)
        except LessonError as error:
            broken.append(BrokenLesson(path, error.problems))
            continue
        if lesson.id in taken:
            problem = Problem(
                path, lesson.field_lines.get("id", 1), f"duplicate lesson id {lesson.id!r} (also in {taken[lesson.id]})"
            )
            broken.append(BrokenLesson(path, (problem,)))
            continue
        taken[lesson.id] = path
        lessons.append(lesson)
    lessons.sort(key=lambda lesson: (lesson.order, lesson.path.name))
    return Course(root=root, lessons=tuple(lessons), broken=tuple(broken))


# -- the cheap outline ---------------------------------------------------------


def read_header(path: Path) -> LessonHeader:
    """Front matter and exercise ids of one lesson, without validating it.

    The fast path (tutor.course.headers) covers files in the usual shape; any
    other file is read in full, so the answer never depends on which path ran.
    """
    with open(path, "rb") as file:
        data = file.read()
    quick = quick_header(data)
    if quick is not None:
        lesson_id, title, order, exercise_ids = quick
        return LessonHeader(lesson_id, title, order, path, exercise_ids)
    lesson = parse_lesson(data.decode("utf-8"), path)
    return LessonHeader(lesson.id, lesson.title, lesson.order, path, tuple(e.id for e in lesson.exercises))


def load_outline(root: Path | None = None) -> list[LessonHeader]:
    """Headers of a course's lessons in order (tutor.course.listing.load_outline,
    reading changed files with this module's read_header)."""
    return listing.load_outline(root, read_header)
