"""Mutated lesson files: the loader answers with a Lesson or a LessonError, nothing else.

Authors save half-written files all the time (and `--watch` loads each save), so
no edit may crash the loader or produce a problem pointing outside the file.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.course.loader import LessonError, load_lesson, parse_lesson
from tutor.course.model import Lesson

ROOT = Path(__file__).parent.parent
SOURCES = sorted((ROOT / "lessons").glob("*.md")) + sorted((ROOT / "tests" / "fixtures" / "lessons").glob("*/*.md"))
TEXTS = [path.read_text(encoding="utf-8") for path in SOURCES]

# characters that matter to the format, plus some that should never matter
SYNTAX = st.sampled_from(list("\"'[]{}=#+`~.,-_ \n\t\\$") + ["```", "+++", "'''", '"""', "```exercise\n", "[[wrong]]\n",
                                                           "[code]\n", "id = ", "kind = ", "\u00e9", "\u2028", "\x00", "0x", "1e309"])
SNIPPET = st.lists(st.one_of(SYNTAX, st.text(max_size=4)), max_size=6).map("".join)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines = [""]
        where = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace", "edit", "truncate"]))
        if operation == "delete":
            del lines[where]
        elif operation == "duplicate":
            lines.insert(where, lines[where])
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[where], lines[other] = lines[other], lines[where]
        elif operation == "insert":
            lines.insert(where, draw(SNIPPET))
        elif operation == "replace":
            lines[where] = draw(SNIPPET)
        elif operation == "edit":
            line = lines[where]
            cut = draw(st.integers(0, len(line)))
            span = draw(st.integers(0, 3))
            lines[where] = line[:cut] + draw(SNIPPET) + line[cut + span :]
        else:
            lines = lines[:where]
    return "\n".join(lines)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_lessons_load_or_raise_lesson_error(text: str) -> None:
    path = Path("fuzz.md")
    try:
        lesson = parse_lesson(text, path)
    except LessonError as error:
        assert error.problems, "a LessonError always carries at least one problem"
        last = max(1, len(text.splitlines()) + 1)
        for problem in error.problems:
            assert problem.path == path
            assert 1 <= problem.line <= last, problem
            assert problem.message.strip()
    else:
        assert isinstance(lesson, Lesson)
        assert lesson.exercises


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(TEXTS), st.integers(0, 2000), st.binary(min_size=1, max_size=4))
def test_bytes_that_are_not_utf8_are_a_lesson_error(tmp_path_factory, text: str, where: int, junk: bytes) -> None:
    data = text.encode("utf-8")
    where = min(where, len(data))
    path = tmp_path_factory.mktemp("bytes") / "01-x.md"
    path.write_bytes(data[:where] + junk + data[where:])
    try:
        load_lesson(path)
    except LessonError as error:
        assert all(problem.line >= 1 for problem in error.problems)
