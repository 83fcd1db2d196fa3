"""Lint rules about what a lesson says, not whether its data is valid.

A lesson can load, resolve every engine name and pass every checker run, and
still trip a learner: a formula whose asterisks Markdown turns into italics,
prose that points at a plot the exercise does not have, an exercise with no
prose of its own (the tutor then shows the lesson's opening in its place), the
same question asked twice, or a prediction the prose has just answered. These
rules find those classes of mistake across a course; `tutor.lint` reports them
with the rest. Nothing here runs learner code; only `stated_predictions`
evaluates engine references (the expected values of predict exercises).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

from tutor.course.model import Exercise, Lesson, Problem
from tutor.course.practice_rules import challenge_problems, concept_problems

# -- where prose text is ---------------------------------------------------------


@dataclass(frozen=True)
class ProseLine:
    """One line of prose as Markdown reads it as running text (code removed)."""

    text: str  # the line with code spans blanked out
    source: str  # the line as written, to find it in the file


def prose_lines(markdown: str) -> Iterator[ProseLine]:
    """The lines of `markdown` that Markdown renders as text: fenced and
    indented code blocks are skipped and `code spans` blanked, because inside
    code every character is shown as typed."""
    fence: str | None = None
    previous_blank = True
    for line in markdown.split("\n"):
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            previous_blank = False
            continue
        if stripped.startswith("```") or stripped.startswith("~~~"):
            fence = stripped[:3]
            continue
        if (line.startswith("    ") or line.startswith("\t")) and previous_blank:
            continue  # an indented code block (it continues while lines stay indented)
        previous_blank = not stripped or (previous_blank and (line.startswith("    ") or line.startswith("\t")))
        yield ProseLine(re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group(0)), line), line)


# An asterisk between two operands ("w5*out_h1", "2*3", "(p - y)*x"): Markdown may
# pair it with the next one and print what lies between in italics, dropping both.
# "**bold**" and "*emphasis*" (a space or punctuation on one side) are not matched.
_TIGHT_ASTERISK = re.compile(r"(?<=[\w)\]])\*(?=[\w(\[])")


def _own_prose(lesson: Lesson, index: int) -> str:
    """The prose written for exercise `index` (without the lesson's intro,
    which the first exercise's prose also holds)."""
    exercise = lesson.exercises[index]
    prose = exercise.prose
    if index == 0 and lesson.intro and prose.startswith(lesson.intro):
        prose = prose[len(lesson.intro):]
    return prose


def _texts(lesson: Lesson) -> Iterator[tuple[str, int]]:
    """Every stretch of prose in the lesson, with the line its search starts from."""
    yield lesson.intro, lesson.exercises[0].line if lesson.exercises else 10**9
    for index, exercise in enumerate(lesson.exercises):
        yield _own_prose(lesson, index), exercise.line
    yield lesson.outro, 10**9


def _line_of(lesson: Lesson, source: str, before: int) -> int:
    """The file line holding `source`, searching back from line `before`."""
    try:
        lines = lesson.path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return before if before < 10**9 else 1
    stop = min(before - 1, len(lines))
    for number in range(stop, 0, -1):
        if lines[number - 1] == source:
            return number
    return before if before < 10**9 else 1


def formula_problems(lesson: Lesson) -> list[Problem]:
    """Asterisks in running prose that Markdown may eat (write formulas in
    `backticks` or an indented block, or put spaces around the *)."""
    problems = []
    seen: set[int] = set()
    for text, before in _texts(lesson):
        for line in prose_lines(text):
            if _TIGHT_ASTERISK.search(line.text):
                number = _line_of(lesson, line.source, before)
                if number in seen:
                    continue
                seen.add(number)
                problems.append(Problem(lesson.path, number,
                    "a * between two symbols in prose: Markdown may read it as emphasis and drop it "
                    f"({line.source.strip()!r}); put the formula in `backticks` or an indented block"))
    return problems


# -- prose that points at a picture ----------------------------------------------

_PICTURE = r"(?:plot|picture|chart|graph|curves?)"
# words that mean "look at the picture shown with this exercise"
_MENTIONS_PLOT = re.compile(rf"\b(?:the|this) plot\b|\bin the {_PICTURE}\b|\bshaded\b|\bthe {_PICTURE} shows?\b", re.I)
# where the picture sits depends on the screen (beside the prose, or under it)
_PLACED = re.compile(rf"\b{_PICTURE} (?:below|above|underneath|to the (?:right|left)|on the (?:right|left))\b", re.I)


def plot_reference_problems(lesson: Lesson) -> list[Problem]:
    """Prose, prompt or hints that speak of the plot of an exercise without one,
    and any that say where the plot is (its place depends on the screen)."""
    problems = []
    for exercise in lesson.exercises:
        prose = exercise.prose  # as shown beside the exercise (the first one's includes the intro)
        pieces: list[tuple[str, int, str]] = []  # (text, line, what)
        for line in prose_lines(prose):
            pieces.append((line.text, _line_of(lesson, line.source, exercise.line), "prose"))
        pieces.append((exercise.prompt, exercise.field_lines.get("prompt", exercise.line), "prompt"))
        for hint in exercise.hints:
            pieces.append((hint, exercise.field_lines.get("hints", exercise.line), "hint"))
        for text, line, what in pieces:
            placed = _PLACED.search(text)
            if placed:
                problems.append(Problem(lesson.path, line,
                    f"{exercise.id}: the {what} says {placed.group(0)!r}, but the plot is beside the prose or under it "
                    "depending on the screen: say 'the plot'"))
            mention = _MENTIONS_PLOT.search(text)
            if mention and exercise.plot is None:
                problems.append(Problem(lesson.path, line,
                    f"{exercise.id}: the {what} speaks of a picture ({mention.group(0)!r}) but this exercise has no [plot]"))
    return problems


def missing_prose_problems(lesson: Lesson) -> list[Problem]:
    """An exercise after the first with no prose of its own: the tutor would show
    the lesson's opening beside it, which is about something else."""
    problems = []
    for index, exercise in enumerate(lesson.exercises):
        if index > 0 and not exercise.prose.strip() and exercise.challenge is None:
            problems.append(Problem(lesson.path, exercise.line,
                f"{exercise.id}: no prose of its own before the block, so the tutor shows the lesson's opening "
                "beside it; write a sentence or two that set up this question"))
    return problems


def output_reference_problems(lesson: Lesson) -> list[Problem]:
    """`shows_output_of` must name an earlier code exercise of the same lesson:
    only a code exercise prints, and only one the learner has met can have."""
    problems = []
    seen: dict[str, Exercise] = {}
    for exercise in lesson.exercises:
        source = exercise.shows_output_of
        if source is not None:
            line = exercise.field_lines.get("shows_output_of", exercise.line)
            earlier = seen.get(source)
            if earlier is None:
                ids = [other.id for other in lesson.exercises]
                where = "a later exercise" if source in ids else "no exercise of this lesson"
                problems.append(Problem(lesson.path, line,
                    f"{exercise.id}: shows_output_of {source!r} names {where}; it must name an earlier code exercise"))
            elif earlier.kind != "code":
                problems.append(Problem(lesson.path, line,
                    f"{exercise.id}: shows_output_of {source!r} is a {earlier.kind} exercise; only code prints"))
        seen[exercise.id] = exercise
    return problems


# -- the same question twice ---------------------------------------------------------


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _expected_key(exercise: Exercise) -> tuple[Any, ...] | None:
    """What an answer exercise computes, so two asking for the same value match.
    Code and tune exercises are left out: two of them may share an engine
    reference and still ask for different code (a loop, then no loop)."""
    if exercise.kind in ("number", "array", "predict") and exercise.expected is not None:
        ref = exercise.expected
        return (ref.function, repr(sorted(ref.args.items())), ref.select or "")
    if exercise.kind == "choice":
        return ("choice", tuple(sorted(_normal(choice) for choice in exercise.choices)), _normal(exercise.answer or ""))
    return None


def repeated_question_problems(lessons: Sequence[Lesson]) -> list[Problem]:
    """Two exercises of a course (a folder) with the same prompt, or asking for
    the same engine value (or the same choice), are one question asked twice."""
    problems = []
    courses: dict[Any, list[Lesson]] = {}
    for lesson in lessons:
        courses.setdefault(lesson.path.resolve().parent, []).append(lesson)
    for course in courses.values():
        by_prompt: dict[str, tuple[Lesson, Exercise]] = {}
        by_value: dict[tuple[Any, ...], tuple[Lesson, Exercise]] = {}
        for lesson in sorted(course, key=lambda item: (item.order, item.path.name)):
            for exercise in lesson.exercises:
                if exercise.challenge is not None:
                    continue  # asking again, from memory, is what a challenge is for
                prompt = _normal(exercise.prompt)
                first = by_prompt.get(prompt)
                if first is not None:
                    problems.append(Problem(lesson.path, exercise.field_lines.get("prompt", exercise.line),
                        f"{exercise.id}: the same prompt as {first[1].qualified_id} ({first[0].path.name}); "
                        "ask each question once"))
                    continue
                by_prompt[prompt] = (lesson, exercise)
                key = _expected_key(exercise)
                if key is None:
                    continue
                first = by_value.get(key)
                if first is not None:
                    problems.append(Problem(lesson.path, exercise.line,
                        f"{exercise.id}: asks for the same answer as {first[1].qualified_id} "
                        f"({first[0].path.name}); ask each question once"))
                else:
                    by_value[key] = (lesson, exercise)
    return problems


# -- predictions the prose has already answered ----------------------------------------

_HALF_WORDS = ("one half", "a half")


def value_spellings(value: Any, tolerance_abs: float) -> list[str]:
    """How prose might state `value`: its decimals at the tolerance's precision
    and a few more ("0.0067", "0.007"), a tuple of integers as "(4, 1)", one half
    in words. Whole numbers alone are not returned: "3" or "1" appear in prose as
    inputs all the time, and matching them would flag every lesson."""
    if isinstance(value, tuple) and value and all(isinstance(item, int) for item in value):
        return ["(" + ", ".join(str(item) for item in value) + ("," if len(value) == 1 else "") + ")"]
    try:
        number = float(value)
    except (TypeError, ValueError):
        return []
    if not math.isfinite(number):
        return []
    decimals = 6 if tolerance_abs <= 0 else max(1, min(8, math.ceil(-math.log10(tolerance_abs))))
    spellings: list[str] = []
    for places in range(decimals, decimals + 4):
        text = f"{number:.{places}f}".rstrip("0").rstrip(".")
        if re.fullmatch(r"-?\d+", text) or text in spellings:
            continue  # a whole number: see above
        spellings.append(text)
    if abs(number - 0.5) <= max(tolerance_abs, 1e-9):
        spellings += list(_HALF_WORDS)
    return spellings


def _states(text: str, spelling: str) -> bool:
    if spelling[0].isalpha():
        return re.search(rf"\b{re.escape(spelling)}\b", text, re.I) is not None
    return re.search(rf"(?<![\d.]){re.escape(spelling)}(?!\d)", text) is not None


def stated_predictions(lesson: Lesson, evaluate: Any) -> list[Problem]:
    """A predict exercise (or an array exercise asking for a shape) whose
    expected value the lesson's prose states before it (its intro, every
    earlier exercise's prose, prompt and hints, and its own prose and prompt):
    the learner reads the answer instead of working it out.
    `evaluate(ref)` computes an engine reference (tutor.course.engine_refs.evaluate)."""
    problems = []
    earlier = [lesson.intro]
    for index, exercise in enumerate(lesson.exercises):
        own = _own_prose(lesson, index)
        asks_shape = exercise.kind == "array" and exercise.expected is not None \
            and (exercise.expected.select or "").endswith(".shape")
        if (exercise.kind == "predict" or asks_shape) and exercise.expected is not None:
            try:
                value = evaluate(exercise.expected)
            except Exception:
                value = None  # reported by the engine checks
            if asks_shape:
                value = tuple(int(size) for size in value) if isinstance(value, tuple) else None
            text = "\n".join(earlier + [own, exercise.prompt])
            for spelling in _spellings_of(value, exercise.tolerance.abs):
                if _states(text, spelling):
                    problems.append(Problem(lesson.path, exercise.line,
                        f"{exercise.id}: the prose before this {'prediction' if exercise.kind == 'predict' else 'question'} "
                        f"already says {spelling!r}, the value asked for; let the learner work it out first and "
                        "explain afterwards"))
                    break
        earlier += [own, exercise.prompt, *exercise.hints]
    return problems


def _spellings_of(value: Any, tolerance_abs: float) -> Iterable[str]:
    if isinstance(value, tuple) and value and all(isinstance(item, int) for item in value):
        return value_spellings(value, tolerance_abs)  # a shape
    try:
        import numpy as np

        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return value_spellings(value, tolerance_abs)
    if array.ndim == 0:
        return value_spellings(float(array), tolerance_abs)
    # an array is stated when all its entries are, in order: "0.67, 0.24 and 0.09"
    parts = [value_spellings(float(item), tolerance_abs) for item in array.ravel()]
    if not all(parts):
        return []
    return [" ".join(part[0] for part in parts), ", ".join(part[0] for part in parts)]


#: A run of this many words of a choice's answer, word for word in the prose
#: before it, gives the answer away.
STATED_ANSWER_WORDS = 6


def _tokens(text: str) -> list[str]:
    """Words and formula symbols, lower case, without sentence punctuation
    (`w1*x1 + b = 0` keeps its `=`, so a formula's use is not its definition)."""
    return re.sub(r"[,.;:!?\"'`]", " ", text.lower()).split()


def stated_choice_problems(lesson: Lesson) -> list[Problem]:
    """A choice whose right answer the lesson's prose before it already says,
    word for word (all of it, or a run of STATED_ANSWER_WORDS words): the
    question is then answered by copying, not by thinking."""
    problems = []
    earlier = [lesson.intro]
    for index, exercise in enumerate(lesson.exercises):
        own = _own_prose(lesson, index)
        if exercise.kind == "choice" and exercise.answer:
            text = f" {' '.join(_tokens(' '.join(earlier + [own])))} "
            words = _tokens(exercise.answer)
            size = min(len(words), STATED_ANSWER_WORDS)
            runs = [" ".join(words[start:start + size]) for start in range(len(words) - size + 1)]
            stated = next((run for run in runs if size >= 4 and f" {run} " in text), None)
            if stated is not None:
                problems.append(Problem(lesson.path, exercise.field_lines.get("answer", exercise.line),
                    f"{exercise.id}: the prose before this question already says its answer ({stated!r}); "
                    "ask first and explain afterwards"))
        earlier += [own, exercise.prompt, *exercise.hints]
    return problems


def content_problems(lessons: Sequence[Lesson]) -> list[Problem]:
    """Every rule of this module that needs no engine, over a whole course."""
    problems: list[Problem] = []
    for lesson in lessons:
        problems += formula_problems(lesson)
        problems += plot_reference_problems(lesson)
        problems += missing_prose_problems(lesson)
        problems += output_reference_problems(lesson)
        problems += stated_choice_problems(lesson)
    problems += repeated_question_problems(lessons)
    problems += concept_problems(lessons)
    for lesson in lessons:
        problems += challenge_problems(lesson)
    return problems
