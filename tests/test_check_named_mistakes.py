"""A verdict that gives a known mistake's message names the mistake
(values["mistake"]), as the lesson publishes it whatever the variant: what the
attempts log keeps and `nntutor class report` counts."""

from __future__ import annotations

from tutor.checking.checker import check
from tutor.course.engine_refs import evaluate
from tutor.course.loader import load_course
from tutor.course.variants import instantiate, typed
from plain_runner import PlainRunner

COURSE = load_course()


def test_a_known_wrong_number_names_its_mistake_in_every_variant():
    published = COURSE.exercise("neuron/weighted-sum")
    assert published.params, "neuron/weighted-sum is the built-in exercise with variants"
    for seed in (None, 3, 11):
        exercise = instantiate(published, seed)
        for index, wrong in enumerate(exercise.wrong):
            verdict = check(exercise, typed(evaluate(wrong.engine)))
            assert verdict.status == "fail" and verdict.message == wrong.message
            assert verdict.values["mistake"] == published.wrong[index].message
    variant = instantiate(published, 3)
    assert variant.wrong[0].message != published.wrong[0].message  # the variant's own numbers in what it shows


def test_a_right_answer_or_an_unknown_wrong_one_names_no_mistake():
    exercise = COURSE.exercise("neuron/weighted-sum")
    assert "mistake" not in check(exercise, exercise.solution).values
    unknown = check(exercise, "123456")
    assert unknown.status == "fail" and "mistake" not in unknown.values


def test_a_code_mistake_is_named_too():
    exercise = COURSE.exercise("sigmoid/implement")
    wrong = next(entry for entry in exercise.wrong if entry.answer is not None)
    verdict = check(exercise, wrong.answer, runner=PlainRunner())
    assert verdict.status == "fail" and verdict.values["mistake"] == wrong.message
