"""Lessons link the engine files they teach (front matter `engine_files`), and lint
holds them to the engine's reading path."""

from __future__ import annotations

from pathlib import Path

import engine
from tutor.course.engine_files import engine_file, engine_file_text, reading_path
from tutor.course.loader import load_course
from tutor.lint import lint_paths

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"
LESSONS = Path(__file__).resolve().parent.parent / "lessons"


def test_lint_names_every_bad_engine_file_with_the_choices():
    folder = FIXTURES / "engine-files"
    lesson = folder / "01-engine-files.md"
    found = [str(problem) for problem in lint_paths([folder])]
    choices = ", ".join(engine.READING_PATH)
    assert found == [
        f"{lesson}:5: engine_files names 'network.py' twice",
        f"{lesson}:5: engine_files: 'fast/step.py' is not a file of the engine's reading path; choose from {choices}",
        f"{lesson}:5: engine_files: 'netwrok.py' is not a file of the engine's reading path"
        f" (did you mean 'network.py'?); choose from {choices}",
    ]


def test_engine_files_must_be_strings(tmp_path: Path):
    text = (FIXTURES / "valid" / "01-valid.md").read_text(encoding="utf-8")
    lesson = tmp_path / "01-valid.md"
    lesson.write_text(text.replace("order = 1\n", "order = 1\nengine_files = [\"\", 3]\n"), encoding="utf-8")
    found = [str(problem) for problem in lint_paths([tmp_path], run_checker=False)]
    assert found == [f"{lesson}:5: each entry of 'engine_files' must be a file name like \"network.py\""]


def test_every_builtin_lesson_links_the_engine_and_every_reading_file_is_linked():
    course = load_course(LESSONS)
    linked = {name for lesson in course.lessons for name in lesson.engine_files}
    assert all(lesson.engine_files for lesson in course.lessons)
    assert linked == set(reading_path())


def test_the_text_shown_is_the_engine_file_and_nothing_off_the_path_is_served():
    assert engine_file_text("network.py") == (Path(engine.__file__).parent / "network.py").read_text(encoding="utf-8")
    for name in ("fast/step.py", "../tutor/lint.py", "_checks.py", "sources/britz.py"):
        try:
            engine_file(name)
        except ValueError as error:
            assert "not on the engine's reading path" in str(error)
        else:
            raise AssertionError(f"{name} was served")
