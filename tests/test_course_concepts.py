"""Concepts on exercises: read from the lesson file, checked by lint, named in the built-in course."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import pytest

from tutor.course.loader import LessonError, load_course, parse_lesson
from tutor.lint import lint_paths

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"

HEAD = '+++\nid = "t"\ntitle = "T"\norder = 1\n+++\n\nSome prose.\n\n'


def lesson_with(concepts_line: str) -> str:
    return HEAD + textwrap.dedent(f"""\
        ```exercise
        id = "z"
        kind = "number"
        {concepts_line}
        prompt = "What is z?"
        expected = {{ engine = "weighted_sum", args = {{ inputs = [1, 0], weights = [7, 3], bias = -2 }} }}
        tolerance = {{ abs = 1e-6, rel = 1e-6 }}
        hints = ["Multiply and add."]
        solution = "5"
        ```
        """)


def problems_of(text: str) -> list[str]:
    with pytest.raises(LessonError) as caught:
        parse_lesson(text, Path("l.md"))
    return [str(problem) for problem in caught.value.problems]


def test_concepts_are_read_in_order_and_default_to_none() -> None:
    lesson = parse_lesson(lesson_with('concepts = ["weighted sum", "cross-entropy"]'), Path("l.md"))
    assert lesson.exercises[0].concepts == ("weighted sum", "cross-entropy")
    assert lesson.exercises[0].field_lines["concepts"] == 12
    assert parse_lesson(lesson_with(""), Path("l.md")).exercises[0].concepts == ()


def test_a_concept_is_lower_case_words_named_once() -> None:
    assert problems_of(lesson_with('concepts = ["Weighted Sum", "bias", "bias", ""]')) == [
        "l.md:12: each entry of 'concepts' must be a non-empty string",
        "l.md:12: concept 'Weighted Sum' must be lower-case words separated by single spaces or hyphens "
        '(e.g. "weighted sum")',
        "l.md:12: concept 'bias' is named twice",
    ]
    assert problems_of(lesson_with('concepts = "sigmoid"')) == [
        "l.md:12: 'concepts' must be an array, not a string",
    ]


def test_lint_finds_a_concept_spelled_two_ways() -> None:
    folder = FIXTURES / "concept-twins"
    assert [str(problem) for problem in lint_paths([folder], run_checker=False)] == [
        f"{folder / '01-concept-twins.md'}:38: z-third: concept 'weighted sums' looks like 'weighted sum' "
        "(2 times in the course); spell each concept one way",
    ]


def test_every_exercise_of_the_built_in_course_names_its_concepts() -> None:
    course = load_course()
    unnamed = [exercise.qualified_id for lesson in course.lessons for exercise in lesson.exercises
               if not exercise.concepts]
    assert unnamed == []
    uses = Counter(name for lesson in course.lessons for exercise in lesson.exercises for name in exercise.concepts)
    # a small vocabulary the outline can show: the ideas the course is about
    assert {"weighted sum", "sigmoid", "sigmoid derivative", "log loss", "gradient descent", "learning rate",
            "chain rule", "backprop", "shapes", "vectorising"} <= set(uses)
    assert len(uses) <= 20
    assert course.exercise("neuron/weighted-sum").concepts == ("weighted sum",)
    assert course.exercise("backprop/backward").concepts == ("backprop", "chain rule")
