"""The course says what it means: one test per class of content mistake.

Each class has a lint rule (tutor.course.content_rules) with a broken fixture
in tests/fixtures/lessons/<rule>/ asserting its exact `file:line: message`,
and a test that the built-in course is free of it. Prose formulas are also
checked the way the tutor renders them: through markdown-it, the parser
Textual's Markdown widget uses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tutor.course.content_rules import (
    content_problems,
    prose_lines,
    stated_choice_problems,
    stated_predictions,
    value_spellings,
)
from tutor.course.engine_refs import evaluate
from tutor.course.loader import lesson_files, load_lesson
from tutor.course.locate import builtin_course_path
from tutor.lint import lint_paths

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"
LESSONS = sorted((load_lesson(path) for path in lesson_files(builtin_course_path())), key=lambda lesson: lesson.order)


def lines_of(folder: str) -> list[str]:
    return [str(problem) for problem in lint_paths([FIXTURES / folder])]


def at(folder: str, file: str, line: int, message: str) -> str:
    return f"{FIXTURES / folder / file}:{line}: {message}"


def all_prose(lessons=LESSONS):
    for lesson in lessons:
        yield lesson.id, "intro", lesson.intro
        for exercise in lesson.exercises:
            yield lesson.id, exercise.id, exercise.prose
        yield lesson.id, "outro", lesson.outro


# -- the built-in course is clean ----------------------------------------------------


def test_the_builtin_course_has_no_content_findings() -> None:
    assert [str(problem) for problem in content_problems(LESSONS)] == []


def test_no_prediction_in_the_builtin_course_is_stated_before_it() -> None:
    assert [str(problem) for lesson in LESSONS for problem in stated_predictions(lesson, evaluate)] == []


# -- formulas in prose render as written ---------------------------------------------


def lost_asterisks(markdown: str) -> int:
    """How many asterisks of `markdown` the rendered text does not show: every
    `*` is either shown (text, code) or markup the author meant (emphasis,
    bold, a list bullet, a rule)."""
    shown = markup = 0
    for token in MarkdownIt("gfm-like").parse(markdown):
        if token.type in ("fence", "code_block"):
            shown += token.content.count("*")
        if token.type in ("list_item_open", "hr"):  # a "* item" bullet, a "***" rule
            markup += token.markup.count("*")
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                shown += child.content.count("*")
            elif child.type in ("em_open", "em_close", "strong_open", "strong_close"):
                markup += child.markup.count("*")
    return markdown.count("*") - shown - markup


def emphasised(markdown: str) -> list[str]:
    """The text inside every *emphasis* and **bold** span."""
    spans, inside = [], []
    for token in MarkdownIt("gfm-like").parse(markdown):
        for child in token.children or ():
            if child.type in ("em_open", "strong_open"):
                inside.append([])
            elif child.type in ("em_close", "strong_close"):
                spans.append("".join(inside.pop()))
            elif inside:
                inside[-1].append(child.content)
    return spans


@pytest.mark.parametrize("lesson_id, where, prose", list(all_prose()), ids=lambda item: str(item)[:30])
def test_prose_keeps_every_asterisk_and_emphasises_only_words(lesson_id: str, where: str, prose: str) -> None:
    assert lost_asterisks(prose) == 0
    for span in emphasised(prose):
        assert not set(span) & set("=+*/^"), f"{lesson_id}/{where}: a formula rendered as emphasis: {span!r}"


def test_the_measure_sees_a_formula_markdown_eats() -> None:
    # backprop/E-total before the fix: "out_h1 + w6" came out in italics
    broken = "net_o1 = w5*out_h1 + w6*out_h2 + b2, and out_o1 = sigmoid(net_o1)."
    assert emphasised(broken) == ["out_h1 + w6"]  # what the prose test refuses
    assert lost_asterisks("`net_o1 = w5*out_h1 + w6*out_h2 + b2`") == 0
    assert lost_asterisks("**bold**, *emphasis* and\n\n    z = w1*x1 + w2*x2\n") == 0


def test_prose_lines_skip_code_and_blank_code_spans() -> None:
    text = "A `w*x` span.\n\n    z = w1*x1\n\n```python\na*b\n```\nafter"
    assert [line.text for line in prose_lines(text)] == ["A       span.", "", "", "after"]


def test_lint_points_at_a_prose_formula_that_loses_its_asterisks() -> None:
    assert lines_of("prose-formula") == [
        at("prose-formula", "01-prose-formula.md", 8,
           "a * between two symbols in prose: Markdown may read it as emphasis and drop it "
           "('net_o1 = w5*out_h1 + w6*out_h2 + b2, which is fine as `w5*out_h1` in backticks,'); "
           "put the formula in `backticks` or an indented block"),
    ]


# -- text points at what is there ---------------------------------------------------------


def test_lint_finds_a_plot_that_is_not_there_and_a_plot_given_a_place() -> None:
    assert lines_of("plot-reference") == [
        at("plot-reference", "01-plot-reference.md", 7,
           "z: the prose says 'curve below', but the plot is beside the prose or under it depending on the "
           "screen: say 'the plot'"),
        at("plot-reference", "01-plot-reference.md", 24,
           "second: the prose speaks of a picture ('The plot') but this exercise has no [plot]"),
    ]


def test_every_exercise_whose_prose_mentions_the_plot_has_one() -> None:
    mentions = [exercise.qualified_id for lesson in LESSONS for exercise in lesson.exercises
                if "the plot" in (exercise.prose + exercise.prompt + " ".join(exercise.hints)).lower()]
    assert len(mentions) >= 10  # the rule has something to check
    assert [qid for qid in mentions if next(e for l in LESSONS for e in l.exercises if e.qualified_id == qid).plot is None] == []


def test_lint_finds_an_exercise_without_prose_of_its_own() -> None:
    assert lines_of("no-prose") == [
        at("no-prose", "01-no-prose.md", 19,
           "second: no prose of its own before the block, so the tutor shows the lesson's opening beside it; "
           "write a sentence or two that set up this question"),
    ]


def test_circuit_dx_has_its_own_circuit_beside_it() -> None:
    exercise = next(lesson for lesson in LESSONS if lesson.id == "circuits").exercise("circuit-dx")
    assert "x = -2, y = 5" in exercise.prose and "z = -4" in exercise.prose
    assert "x = -2 and y = 3" not in exercise.prose  # the opening's single gate


# -- each question once ---------------------------------------------------------------


def test_lint_finds_a_question_asked_twice() -> None:
    assert lines_of("repeated-question") == [
        at("repeated-question", "02-second.md", 12, "z: the same prompt as first/z (01-first.md); ask each question once"),
        at("repeated-question", "02-second.md", 21,
           "sum: asks for the same answer as first/z (01-first.md); ask each question once"),
    ]


def test_no_two_exercises_of_the_course_share_a_prompt() -> None:
    # (a from-memory challenge asks its exercise's question again: that is what it is for)
    prompts = [" ".join(exercise.prompt.lower().split()) for lesson in LESSONS for exercise in lesson.exercises
               if exercise.challenge is None]
    assert len(prompts) == len(set(prompts))


# -- predictions are predictions ---------------------------------------------------------


def test_lint_finds_a_prediction_the_prose_has_answered() -> None:
    assert lines_of("stated-prediction") == [
        at("stated-prediction", "01-stated-prediction.md", 9,
           "at-zero: the prose before this prediction already says 'one half', the value asked for; "
           "let the learner work it out first and explain afterwards"),
        at("stated-prediction", "01-stated-prediction.md", 21,
           "at-five: the prose before this prediction already says '0.9933', the value asked for; "
           "let the learner work it out first and explain afterwards"),
    ]


def test_a_shape_question_the_prose_has_answered_is_found(tmp_path: Path) -> None:
    # vectorise/output-shape as it was: the prose said Trask's output "is a column"; spelled as a shape:
    lesson = tmp_path / "01-shape.md"
    lesson.write_text('''+++
id = "shape"
title = "Shape"
order = 1
+++

Trask's output for his 4 examples has shape (4, 1).

```exercise
id = "output-shape"
kind = "array"
prompt = "What is the shape of Trask's output?"
shape = [2]
expected = { engine = "worked.trask_network", args = { iterations = 0, seed = 1 }, select = "output.shape" }
tolerance = { abs = 0.0, rel = 0.0 }
hints = ["Rows are examples.", "One column per output neuron."]
solution = "4 1"
```
''', encoding="utf-8")
    assert [problem.message for problem in stated_predictions(load_lesson(lesson), evaluate)] == [
        "output-shape: the prose before this question already says '(4, 1)', the value asked for; "
        "let the learner work it out first and explain afterwards"]


def test_value_spellings_cover_decimals_tuples_and_one_half() -> None:
    assert value_spellings(0.006692850924, 0.002) == ["0.007", "0.0067", "0.00669", "0.006693"]
    assert value_spellings((4, 1), 0.0) == ["(4, 1)"]
    assert "one half" in value_spellings(0.5, 0.01)
    assert value_spellings(3.0, 0.01) == []  # whole numbers are everywhere in prose: not matched


def test_a_choice_the_prose_has_answered_is_found(tmp_path: Path) -> None:
    # logistic/decision-line as it was: the formula of the edge stood right above the question
    lesson = tmp_path / "01-edge.md"
    lesson.write_text('''+++
id = "edge"
title = "Edge"
order = 1
+++

The model is z = w1*x1 + w2*x2 + b and p = sigmoid(z).

The model is undecided where w1*x1 + w2*x2 + b = 0, a straight line.

```exercise
id = "decision-line"
kind = "choice"
prompt = "Which points lie exactly on the edge of the shaded region?"
choices = ["The points where w1*x1 + w2*x2 + b = 0", "The points where p = 0"]
answer = "The points where w1*x1 + w2*x2 + b = 0"
hints = ["On the edge p is one half.", "Which z gives one half?"]
```
''', encoding="utf-8")
    assert [str(problem) for problem in stated_choice_problems(load_lesson(lesson))] == [
        f"{lesson}:16: decision-line: the prose before this question already says its answer "
        "('where w1*x1 + w2*x2 + b'); ask first and explain afterwards"]
    # the model's own formula above the question is not its answer
    lesson.write_text(lesson.read_text().replace("The model is undecided where w1*x1 + w2*x2 + b = 0, a straight line.",
                                                 "Where is it undecided?"))
    assert stated_choice_problems(load_lesson(lesson)) == []
