"""`nntutor lint`: everything wrong with lesson files, one `file:line: message` each.

Lint is the loader's checks plus those that need more than the file: ids and
order across a course, engine references against the real engine, and the
exercise run through the checker the way a learner's answer would be (the
reference solution must pass, the starter must not, each known mistake must get
its own message). The tutor never pays for these; authors run them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from tutor.course.challenges import is_challenge
from tutor.course.engine_files import engine_file_problems
from tutor.course.loader import LessonError, lesson_files, load_lesson
from tutor.course.model import Exercise, Lesson, Problem, WrongAnswer
from tutor.course.content_rules import content_problems, stated_predictions
from tutor.course.references import computed_problems, exercise_uses, plot_problems, reference_problems
from tutor.course.reference_code import reference_file_problems

CheckFunction = Callable[..., Any]

# the attempt seeds lint checks a code exercise's fresh cases with: fixed, so
# lint says the same on every run, and several, so one lucky draw proves nothing
LINT_SEEDS = (1, 2, 3)
# the variants lint draws of an exercise with parameters (a code exercise's are
# LINT_SEEDS, each also drawing its fresh cases: a sandbox run costs more)
VARIANT_SEEDS = tuple(range(1, 51))


class UsageError(ValueError):
    """The command was called wrongly (exit 2), as opposed to findings (exit 1)."""


def lint_paths(paths: Sequence[Path], *, run_checker: bool = True) -> list[Problem]:
    """Every problem in the given lesson files and course folders.

    `run_checker=False` skips the checks that run answers through the checker
    (the fast, data-and-engine-only part).
    """
    files = _expand(paths)
    problems: list[Problem] = []
    lessons: list[Lesson] = []
    for path in files:
        try:
            lessons.append(load_lesson(path))
        except LessonError as error:
            problems.extend(error.problems)
    problems += _course_problems(lessons)
    problems += content_problems(lessons)
    check = _checker() if run_checker else None
    if check is not None:
        from tutor.course.engine_refs import evaluate

        for lesson in lessons:
            problems += stated_predictions(lesson, evaluate)
    for folder in dict.fromkeys(lesson.path.absolute().parent for lesson in lessons):
        problems += reference_file_problems(folder)
    for lesson in lessons:
        problems += engine_file_problems(lesson)
        for exercise in lesson.exercises:
            problems += engine_problems(lesson, exercise, compute=check is not None)
    for lesson in lessons:
        for exercise in lesson.exercises:
            if check is not None and not _has_reference_problem(problems, lesson, exercise):
                problems += checker_problems(lesson, exercise, check)
    return sorted(set(problems), key=lambda problem: (str(problem.path), problem.line, problem.message))


def checker_findings(lesson: Lesson, known: Sequence[Problem] = ()) -> Iterator[list[Problem]]:
    """What running the checker finds in one loaded lesson, as `nntutor lint`
    would, one exercise at a time, so watch mode can show each finding as it
    comes. `known` are the fast checks' findings: an exercise whose references
    are already broken is not run again (it would only repeat them)."""
    from tutor.course.engine_refs import evaluate

    check = _checker()
    yield stated_predictions(lesson, evaluate)
    for exercise in lesson.exercises:
        if not _has_reference_problem(list(known), lesson, exercise):
            computed = [Problem(lesson.path, use.ref.line or exercise.line, message)
                        for use in exercise_uses(exercise) for message in computed_problems(use, exercise)]
            yield computed or checker_problems(lesson, exercise, check)


def _expand(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = lesson_files(path)
            if not found:
                raise UsageError(f"no lesson files (*.md) in {path}")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    seen: set[Path] = set()
    unique = []
    for path in files:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _course_problems(lessons: list[Lesson]) -> list[Problem]:
    """Lesson ids and orders must be unique within each course folder."""
    problems: list[Problem] = []
    by_folder: dict[Path, list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        by_folder[lesson.path.resolve().parent].append(lesson)
    for group in by_folder.values():
        group.sort(key=lambda lesson: lesson.path.name)
        first_id: dict[str, Lesson] = {}
        first_order: dict[int, Lesson] = {}
        for lesson in group:
            if lesson.id in first_id:
                problems.append(Problem(lesson.path, lesson.field_lines.get("id", 1),
                                        f"duplicate lesson id {lesson.id!r} (also in {first_id[lesson.id].path})"))
            else:
                first_id[lesson.id] = lesson
            if lesson.order in first_order:
                problems.append(Problem(lesson.path, lesson.field_lines.get("order", 1),
                                        f"order {lesson.order} is also used by {first_order[lesson.order].path}"))
            else:
                first_order[lesson.order] = lesson
    return problems


def engine_problems(lesson: Lesson, exercise: Exercise, *, compute: bool = False) -> list[Problem]:
    """Every engine reference of the exercise resolves, fits and seeds, and its plot can be drawn.

    With `compute`, each expected value and wrong answer's reference is also
    computed once (course functions in the sandbox), so a reference that fails
    is blamed at its own line."""
    problems = []
    uses = list(exercise_uses(exercise))
    for use in uses:
        for message in reference_problems(use):
            problems.append(Problem(lesson.path, use.ref.line or exercise.line, message))
    if not problems and compute:
        for use in uses:
            problems += [Problem(lesson.path, use.ref.line or exercise.line, message)
                         for message in computed_problems(use, exercise)]
    if not problems:
        problems += [Problem(lesson.path, line, message) for line, message in plot_problems(exercise)]
    return problems


def _has_reference_problem(problems: list[Problem], lesson: Lesson, exercise: Exercise) -> bool:
    """Running the checker on an exercise whose references are broken only repeats them."""
    last = _last_line(lesson, exercise)
    return any(p.path == lesson.path and exercise.line <= p.line <= last for p in problems)


def _last_line(lesson: Lesson, exercise: Exercise) -> int:
    later = [other.line for other in lesson.exercises if other.line > exercise.line]
    return min(later) - 1 if later else 10**9


def _checker() -> CheckFunction:
    """The checker, imported late so `--no-run` never loads it; a failed
    import is a bug and raises."""
    from tutor.checking.checker import check

    return check


def checker_problems(lesson: Lesson, exercise: Exercise, check: CheckFunction) -> list[Problem]:
    """The reference solution passes, the starter fails, each mistake gets its message."""
    if is_challenge(exercise):
        return challenge_starter_problems(lesson, exercise, check)
    problems: list[Problem] = []
    lines = exercise.field_lines

    def report(line: int, message: str) -> None:
        problems.append(Problem(lesson.path, line or exercise.line, message))

    solution: Any = exercise.tune.solution if exercise.tune is not None else exercise.solution
    # a code exercise adds fresh cases to every attempt: the solution must pass,
    # and the starter fail, whatever the seed draws
    seeds = LINT_SEEDS if exercise.code is not None else (None,)
    for seed in seeds:
        verdict = _run(check, exercise, solution, seed)
        if isinstance(verdict, str):
            report(lines.get("solution", 0), f"checker failed on the reference solution: {verdict}")
            break
        if not verdict.passed:
            engine = _engine_said(exercise)
            said = _said(verdict).rstrip(".") + engine if engine else _said(verdict)
            report(lines.get("solution", 0), f"reference solution does not pass{_with_seed(seed, exercise)}: {said}")
            break

    if exercise.code is not None:
        for seed in seeds:
            verdict = _run(check, exercise, exercise.code.starter, seed)
            if isinstance(verdict, str):
                report(lines.get("code.starter", 0), f"checker failed on the starter code: {verdict}")
                break
            if verdict.passed:
                where = f" in variant {seed}" if exercise.params else ""
                report(lines.get("code.starter", 0), f"starter code passes the exercise{where}; it must leave the learner work to do")
                break

    for wrong in exercise.wrong:
        answer = _wrong_answer(exercise, wrong)
        if answer is None:
            continue
        verdict = _run(check, exercise, answer, seeds[0])
        if isinstance(verdict, str):
            report(wrong.line, f"checker failed on a known wrong answer: {verdict}")
        elif verdict.passed:
            report(wrong.line, f"known wrong answer passes the exercise (expected the message {wrong.message!r})")
        elif verdict.message != wrong.message:
            report(wrong.line, f"known wrong answer gets a different message: expected {wrong.message!r}, "
                               f"got {verdict.message!r}{_shadowed_by(exercise, wrong, verdict.message)}")
    if exercise.kind == "code":
        problems += [Problem(lesson.path, line, message) for line, message in mutant_problems(exercise)]
    if exercise.params and exercise.kind != "code":
        problems += [Problem(lesson.path, line or exercise.line, message)
                     for line, message in variant_problems(exercise, check)]
    return problems


def variant_problems(exercise: Exercise, check: CheckFunction,
                     seeds: Sequence[int] = VARIANT_SEEDS) -> list[tuple[int, str]]:
    """An exercise with parameters, checked in each variant lint draws: the
    expected value is finite and computed without overflow, the reference
    solution passes, and each known mistake gets its own message (it does not
    equal the right answer there, nor another mistake). Each rule reports its
    first failing seed, which `nntutor show --seed N` prints."""
    from tutor.course.variants import VariantError, instantiate

    lines = exercise.field_lines
    found: dict[tuple[int, str], str] = {}

    def report(line: int, rule: str, message: str) -> None:
        found.setdefault((line, rule), message)

    for line, message in literal_problems(exercise):
        report(line, "literal", message)
    for line, message in computed_problems_of(exercise):
        report(line, "computed", message)

    for seed in seeds:
        try:
            variant = instantiate(exercise, seed)
        except VariantError as error:
            report(lines.get("params", 0), "draw", f"variant of seed {seed} cannot be drawn: {error}")
            break
        if variant.expected is not None:
            trouble = _unclean(variant)
            if trouble:
                report(lines.get("expected", 0), "finite",
                       f"variant of seed {seed}: the expected value {trouble}; narrow the parameters' ranges")
                continue
        verdict = _run(check, variant, variant.solution)
        if isinstance(verdict, str) or not verdict.passed:
            said = verdict if isinstance(verdict, str) else _said(verdict)
            report(lines.get("solution", 0), "solution", f"variant of seed {seed}: reference solution does not pass: {said}")
        by_message = {wrong.message: wrong for wrong in variant.wrong}
        for index, wrong in enumerate(variant.wrong):
            line = exercise.wrong[index].line
            answer = _wrong_answer(variant, wrong)
            if answer is None:
                continue
            verdict = _run(check, variant, answer)
            if isinstance(verdict, str):
                report(line, "wrong", f"variant of seed {seed}: checker failed on a known wrong answer: {verdict}")
            elif verdict.passed:
                report(line, "wrong", f"variant of seed {seed}: this wrong answer equals the right one there, "
                                      "so the mistake cannot show; choose parameters where it differs")
            elif verdict.message != wrong.message and verdict.message in by_message:
                other = exercise.wrong[variant.wrong.index(by_message[verdict.message])]
                report(line, "wrong", f"variant of seed {seed}: this wrong answer gives the same value as the one "
                                      f"at line {other.line} there, so its message is never shown; choose "
                                      "parameters where the two mistakes differ")
            elif verdict.message != wrong.message:
                report(line, "wrong", f"variant of seed {seed}: known wrong answer gets a different message: "
                                      f"expected {wrong.message!r}, got {verdict.message!r}")
    return [(line, message) for (line, _), message in found.items()]


def literal_problems(exercise: Exercise) -> list[tuple[int, str]]:
    """A literal wrong answer whose message names a parameter: the message
    follows the variant, the answer stays the same in every variant (a
    forgotten bias typed as "7"), so in the next variant the mistake it names
    has another value."""
    from tutor.course.variants import names_used

    source = exercise.variant_source
    if source is None or exercise.kind == "code":
        return []
    names = [param.name for param in exercise.params]
    problems = []
    for index, entry in enumerate(source.data.get("wrong") or ()):
        if not isinstance(entry, dict) or "answer" not in entry or index >= len(exercise.wrong):
            continue
        answer = entry["answer"]
        named = sorted(names_used(entry.get("message"), names))
        if named and not (isinstance(answer, str) and names_used(answer, names)):
            problems.append((exercise.wrong[index].line,
                             f"this wrong answer's message names {', '.join(repr(name) for name in named)} but its "
                             f"answer {_answer_text(answer)} is the same in every variant: give the mistake as an "
                             "engine computation on the parameters (engine, args with \"$name\"), or write the "
                             "answer with {name}"))
    return problems


def computed_problems_of(exercise: Exercise) -> list[tuple[int, str]]:
    """A computed parameter whose published value is not what the engine
    computes from the published parameters: the lesson as written would state
    one number and judge another."""
    import numpy as np

    from tutor.course.variants import VariantError, computed, published

    if not any(param.ref is not None for param in exercise.params):
        return []
    drawn = {param.name: param.value for param in exercise.params if param.ref is None}
    try:
        engine_values = computed(exercise.params, drawn)
    except VariantError as error:
        return [(exercise.field_lines.get("params", 0), str(error))]
    problems = []
    for param in exercise.params:
        if param.ref is None:
            continue
        stated = np.asarray(published(exercise.params)[param.name], dtype=float)
        value = np.asarray(engine_values[param.name], dtype=float)
        if stated.shape != value.shape or not np.allclose(stated, value, rtol=0.0, atol=1e-12):
            problems.append((param.line, f"parameter {param.name!r}: the published value {param.value!r} is not what "
                                         f"the engine computes from the published parameters ({value.tolist()!r})"))
    return problems


def _answer_text(answer: Any) -> str:
    from tutor.course.schema import answer_text

    return repr(answer_text(answer))


def _unclean(variant: Exercise) -> str | None:
    """What is wrong with a variant's expected value (None: a finite number
    computed without a floating-point warning)."""
    import warnings

    import numpy as np

    from tutor.course.engine_refs import evaluate

    assert variant.expected is not None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            numbers = np.asarray(evaluate(variant.expected), dtype=float)
    except Exception as error:  # noqa: BLE001 - the engine refused these numbers
        return f"cannot be computed ({type(error).__name__}: {error})"
    if caught or not np.all(np.isfinite(numbers)):
        return "overflows or is not a number"
    return None


def challenge_starter_problems(lesson: Lesson, exercise: Exercise, check: CheckFunction) -> list[Problem]:
    """A from-memory challenge checks as the exercise it repeats (linted there);
    only the part of the lesson it gives back, its starter, can pass by itself."""
    assert exercise.code is not None
    if not exercise.code.starter.strip():
        return []  # a blank editor fails without asking the checker
    verdict = _run(check, exercise, exercise.code.starter, LINT_SEEDS[0])
    line = exercise.field_lines.get("code.starter", exercise.line)
    if isinstance(verdict, str):
        return [Problem(lesson.path, line, f"checker failed on the challenge's starter: {verdict}")]
    if verdict.passed:
        return [Problem(lesson.path, line, "the challenge's starter passes it; give back only what the lesson gave, "
                                           "never what it asks for")]
    return []


def mutant_problems(exercise: Exercise) -> list[tuple[int, str]]:
    """Two wrong entries whose code gives the same results on every case
    cannot be told apart: the second's message would never be shown."""
    from tutor.checking.code import indistinguishable

    try:
        pairs = indistinguishable(exercise)
    except Exception as error:  # noqa: BLE001 - reported as a finding, never a crash of lint
        return [(exercise.line, f"checker failed on the wrong answers' code: {type(error).__name__}: {error}")]
    return [
        (later.line or exercise.line,
         f"this wrong answer's code gives the same results as the one at line {first.line} on every case, "
         "so the checker cannot tell them apart: add a case where they differ, or merge the two")
        for first, later in pairs
    ]


def _engine_said(exercise: Exercise) -> str:
    """What the engine computed for a typed exercise, so a failing solution
    shows both numbers ("3.5 is too low" alone hides the one it missed)."""
    if exercise.kind not in ("number", "array", "predict") or exercise.expected is None:
        return ""
    from tutor.checking.expected import expected_value

    try:
        from tutor.course.variants import typed

        return f"; the engine computed {typed(expected_value(exercise))}"
    except Exception:  # noqa: BLE001 - the reference itself is reported by the engine checks
        return ""


def _shadowed_by(exercise: Exercise, wrong: WrongAnswer, message: str) -> str:
    """Which earlier entry's message this answer got: that entry matches it first."""
    for other in exercise.wrong:
        if other is wrong:
            continue
        if other.message == message:
            what = f"engine = {other.engine.function!r}" if other.engine is not None else (
                f"answer = {other.answer!r}" if other.answer is not None and exercise.kind != "code" else "")
            entry = f"the [[wrong]] entry at line {other.line}" + (f" ({what})" if what else "")
            return (f"; {entry} matches this answer first: make the two differ, or put the more "
                    "specific one first")
    return ""


def _with_seed(seed: int | None, exercise: Exercise | None = None) -> str:
    if seed is None:
        return ""
    if exercise is not None and exercise.params:
        return f" in variant {seed}, with fresh cases from seed {seed}"
    return f" with fresh cases from seed {seed}"


def _run(check: CheckFunction, exercise: Exercise, answer: Any, seed: int | None = None) -> Any:
    """The verdict, or a string saying how the checker itself broke. A seed
    draws the attempt's fresh cases and, for an exercise with parameters, its
    variant too (as `nntutor check --seed` does)."""
    from tutor.course.variants import instantiate

    try:
        if seed is None:
            return check(exercise, answer)
        return check(instantiate(exercise, seed), answer, seed=seed)
    except Exception as error:  # a checker bug must not hide the other findings
        return f"{type(error).__name__}: {error}"


def _said(verdict: Any) -> str:
    text = verdict.message
    if verdict.status == "error" and verdict.details:
        text += " " + " ".join(verdict.details)
    return text


def _wrong_answer(exercise: Exercise, wrong: WrongAnswer) -> Any:
    """What to submit to show a known mistake: its sample answer, its values, or
    the value its engine reference computes (typed as a learner would)."""
    if exercise.kind == "tune":
        return dict(wrong.values) if wrong.values is not None else None
    if wrong.answer is not None:
        return wrong.answer
    if wrong.engine is not None and exercise.kind != "code":
        from tutor.course.engine_refs import evaluate

        try:
            value = evaluate(wrong.engine)
        except Exception:
            return None  # reported by the engine checks
        from tutor.course.variants import typed

        return typed(value)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nntutor lint",
        description="Validate lesson files: schema, ids, engine references, and each exercise "
        "run through the checker. Prints one `file:line: message` per problem.",
        epilog="Exit status: 0 clean, 1 problems found, 2 usage error.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="lesson files or course folders (default: the built-in course)")
    parser.add_argument("--no-run", action="store_true",
                        help="skip running solutions, starters and wrong answers through the checker")
    try:
        options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit:
        return int(exit.code or 0)
    paths = options.paths
    if not paths:
        from tutor.course.locate import builtin_course_path

        paths = [builtin_course_path()]
    try:
        problems = lint_paths(paths, run_checker=not options.no_run)
    except UsageError as error:
        print(f"nntutor lint: {error}", file=sys.stderr)
        return 2
    try:
        for problem in problems:
            print(problem)
        sys.stdout.flush()  # the findings first, then the summary on stderr
    except BrokenPipeError:  # `nntutor lint | head`: the reader has all it wants
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    if problems:
        files = len({problem.path for problem in problems})
        print(f"\n{len(problems)} problem{'s' * (len(problems) != 1)} in {files} file{'s' * (files != 1)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
