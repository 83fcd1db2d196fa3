"""The UI's doors to the headless tutor, each opened on first use.

Importing numpy, the checker or the sandbox costs more than drawing the first
frame, so nothing here is imported at module level; the app calls these from
workers or after the first frame. Keeping them in one place also means the UI
never grows its own copy of checker, loader or sandbox logic.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

if TYPE_CHECKING:  # the model and verdict load with the course, after the first frame
    from tutor.checking.verdict import Verdict
    from tutor.course.model import Course, EngineRef, Exercise, Lesson, LessonHeader, Problem

Checker = Callable[["Exercise", Any], "Verdict"]


def load_course(root: Path | None) -> Course:
    from tutor.course.loader import load_course as load

    return load(root)


def load_outline(root: Path | None) -> list[LessonHeader]:
    """The lessons' headers, mostly from the outline index: enough to list the
    course long before every lesson is validated."""
    from tutor.course.listing import load_outline as load  # not the loader: tomllib and the schema can wait

    return load(root)


def indexed_outline(root: Path | None) -> list[LessonHeader] | None:
    """The lessons' headers if the outline index knows every file as it is (no
    file read, fast enough for the first frame), else None: then load_outline."""
    from tutor.course.listing import indexed_outline as indexed

    try:
        return indexed(root)
    except Exception:  # e.g. the course folder is not readable: the worker's load says why
        return None


def load_lesson(path: Path) -> Lesson:
    """Raises the loader's LessonError (with `.problems`) when the file does not validate."""
    from tutor.course.loader import load_lesson as load

    return load(path)


def check(exercise: Exercise, answer: str | Mapping[str, Any]) -> Verdict:
    """The real checker; blocking, so only ever called from a thread worker.
    Each call is a new attempt with its own seed for fresh cases (kept in
    ``verdict.values["seed"]`` and recorded with the attempt)."""
    from tutor.checking.cases import new_seed
    from tutor.checking.checker import check as run_check

    return run_check(exercise, answer, seed=new_seed())


def parse_number(text: str) -> float:
    from tutor.checking.answers import parse_number as parse

    return parse(text)


def parse_array(text: str, shape: tuple[int, ...] | None = None) -> Any:
    from tutor.checking.answers import parse_array as parse

    return parse(text, shape)


def start_sandbox() -> None:
    """Warm the learner-code worker so the first check is quick."""
    from tutor.sandbox.api import start_in_background

    start_in_background()


def stop_sandbox() -> None:
    from tutor.sandbox.api import shutdown

    shutdown()


def lint_fast(path: Path) -> list[Problem]:
    """What `nntutor lint` finds in one lesson file without running the checker:
    the loader's problems plus engine references and plots that cannot work.
    Imports the engine, so only ever called from a thread worker."""
    from tutor.lint import lint_paths

    return lint_paths([path], run_checker=False)


def lint_by_checker(lesson: Lesson, known: list[Problem]) -> Iterator[list[Problem]]:
    """The rest of `nntutor lint` for a loaded lesson (solutions, starters and
    known wrong answers run through the checker, in the sandbox), one exercise
    at a time. Blocking: only ever called from a thread worker."""
    from tutor.lint import checker_findings

    return checker_findings(lesson, known)


def problem_line(problem: Any) -> str:
    """`file.md:12: message`: the folder is known (it is the lesson on screen) and
    would only push the message off an 80-column line."""
    return f"{Path(problem.path).name}:{problem.line}: {problem.message}"


def evaluate(ref: EngineRef, params: Mapping[str, Any] | None = None,
             extra: Mapping[str, Any] | None = None) -> Any:
    """An engine reference evaluated in this process (the engine is trusted)."""
    from tutor.course.engine_refs import evaluate as run

    return run(ref, params, extra)


def accepts_callback(ref: EngineRef) -> bool:
    """Whether the referenced engine function can stream its loss per step."""
    import inspect

    from tutor.course.engine_refs import resolve

    try:
        return "callback" in inspect.signature(resolve(ref.function)).parameters
    except (ValueError, TypeError):
        return False


def engine_function(name: str) -> Callable[..., Any]:
    from tutor.course.engine_refs import resolve

    return resolve(name)
