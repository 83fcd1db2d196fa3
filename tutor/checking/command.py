"""`nntutor check LESSON/EXERCISE [FILE|-]`: the tutor's checker from the shell.

The answer comes from a file or stdin in the form a learner would type it (a
number, rows of an array, an option, source code, or ``name = value`` lines for
a tune exercise), and the verdict is printed exactly as the tutor would state
it. Exit status: 0 pass, 1 fail (or the answer could not be judged), 2 usage or
lesson errors, so scripts and CI can tell a wrong answer from a broken lesson.
A code exercise is judged, as in the tutor, on fresh cases too; `--seed N`
repeats an attempt whose failing case said "fresh, seed N". The same seed picks
the variant of an exercise with parameters (tutor.course.variants): without it
the answer is judged against the lesson as written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path
from typing import Any, Sequence, TextIO

from tutor.checking.cases import new_seed
from tutor.checking.checker import check
from tutor.course.variants import VariantError, instantiate

EXIT_PASS, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments, an unknown exercise or a lesson that does not load: exit 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nntutor check",
        description="Check an answer to one exercise and print the tutor's feedback.",
        epilog=(
            "The answer is typed as in the tutor: 5, 0.99, -30 20 20, [-30, 20, 20], one matrix row per "
            "line, an option's number, letter or text, Python source for code exercises, and "
            "\"name = value\" lines for tune exercises.\n"
            "Exit status: 0 pass, 1 fail, 2 usage or lesson errors."
        ),
    )
    parser.add_argument("exercise", metavar="LESSON/EXERCISE", help="e.g. neuron/weighted-sum")
    parser.add_argument("answer", metavar="FILE", nargs="?", default="-", help="the answer (default or '-': stdin)")
    parser.add_argument("--course", metavar="PATH",
                        help="a course folder, or a lesson file in one, which stands for its folder (default: "
                             "the built-in course, wherever you run this)")
    parser.add_argument("--seed", metavar="N", type=seed_argument,
                        help="the attempt's seed: an exercise with parameters is judged as variant N (the one "
                             "`nntutor show --seed N` prints), and a code exercise's fresh cases are drawn with N, "
                             "as a failing case's title shows it (\"fresh, seed N\"), to repeat that check exactly "
                             "(default: the lesson as written, with fresh cases from a new seed, as a first visit "
                             "in the tutor)")
    parser.add_argument("--variant", metavar="N|written", type=variant_argument,
                        help="judge variant N of an exercise with parameters, or 'written' for the lesson as "
                             "written, whatever --seed draws the fresh cases from (default: the --seed; "
                             "without --seed, the lesson as written)")
    return parser


def seed_argument(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a seed is a whole number such as 48213907, not {text!r}") from None
    if seed < 0:
        raise argparse.ArgumentTypeError(f"a seed is not negative, not {seed}")
    return seed


WRITTEN = "written"


def variant_argument(text: str) -> int | str:
    """A variant's seed, or "written": the lesson as written (its published numbers)."""
    if text.strip().lower() == WRITTEN:
        return WRITTEN
    try:
        return seed_argument(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"a variant is a seed such as 7, or 'written' for the lesson as written, "
                                         f"not {text!r}") from None


def main(argv: Sequence[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        options = _parser().parse_intermixed_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit_:  # argparse has printed usage or help
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_PASS
    try:
        variant = options.seed if options.variant is None else (None if options.variant == WRITTEN else options.variant)
        exercise = instantiate(find_exercise(options.exercise, options.course), variant)
        text = read_answer(options.answer, stdin or sys.stdin)
        answer: str | dict[str, Any] = parse_tune_answer(text) if exercise.kind == "tune" else text
    except (UsageError, VariantError) as error:
        print(f"nntutor check: {error}", file=err)
        return EXIT_USAGE
    verdict = check(exercise, answer, seed=new_seed() if options.seed is None else options.seed)
    write_to_reader(verdict.render(), out)
    if "lesson_error" in verdict.values:
        return EXIT_USAGE
    return EXIT_PASS if verdict.passed else EXIT_FAIL


def write_to_reader(text: str, stream: TextIO) -> None:
    """Print `text`; a reader that stops early (`nntutor check ... | head`) is
    not an error, so the rest goes nowhere instead of ending in a traceback."""
    try:
        print(text, file=stream)
        stream.flush()
    except BrokenPipeError:
        discard_rest(stream)


def discard_rest(stream: TextIO) -> None:
    """Point the stream's file at /dev/null, so Python's own flush at exit
    does not raise BrokenPipeError again."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


def find_exercise(qualified_id: str, course_path: str | None) -> Any:
    from tutor.course.loader import load_course
    from tutor.course.locate import NotACourse, course_folder

    lesson_id, slash, exercise_id = qualified_id.partition("/")
    if not slash or not lesson_id or not exercise_id:
        raise UsageError(f"name the exercise as LESSON/EXERCISE (e.g. neuron/weighted-sum), not {qualified_id!r}")
    try:
        root = course_folder(course_path) if course_path else None
    except NotACourse as error:
        raise UsageError(f"--course {error}") from None
    course = load_course(root)
    # Without --course the built-in course is searched, wherever the shell is:
    # a miss says so, as an author in their own course folder expects theirs.
    builtin = f"no exercise {qualified_id} in the built-in course ({course.root})" if root is None else ""
    other = "; pass --course DIR to check a course of your own"
    try:
        lesson = course.lesson(lesson_id)
    except KeyError:
        broken = [str(problem) for lesson_file in course.broken for problem in lesson_file.problems]
        known = ", ".join(lesson.id for lesson in course.lessons) or "none"
        if builtin:
            message = f"{builtin}: it has no lesson {lesson_id!r} (lessons: {known}){other}"
        else:
            message = f"no lesson {lesson_id!r} in {course.root} (lessons: {known})"
        if broken:
            message += "\nthese lesson files did not load:\n" + "\n".join(broken)
        raise UsageError(message) from None
    try:
        return lesson.exercise(exercise_id)
    except KeyError:
        known = ", ".join(exercise.id for exercise in lesson.exercises)
        message = f"lesson {lesson_id!r} has no exercise {exercise_id!r} (exercises: {known})"
        if builtin:
            message = f"{builtin}: lesson {lesson_id!r} has exercises {known}{other}"
        raise UsageError(message) from None


def read_answer(source: str, stdin: TextIO) -> str:
    if source == "-":
        return stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{source} is not UTF-8 text") from None
    except OSError as error:
        raise UsageError(f"cannot read {source}: {error.strerror or error}") from None


def parse_tune_answer(text: str) -> dict[str, Any]:
    """``name = value`` lines (TOML): ``lr = 0.5``, ``hidden = 4``, ``w = [1, 2]``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"tune answers are \"name = value\" lines (TOML): {error}") from None
