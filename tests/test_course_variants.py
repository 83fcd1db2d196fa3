"""Variants: parameters declared in a lesson file, drawn per seed, substituted everywhere.

The published numbers are what the lesson as written (seed None) shows; a seed
draws the same variant every time, and different seeds draw different ones. A
variant's expected value and wrong answers are the engine's computations on the
drawn values, checked here against the engine called directly.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

import engine
from tutor.checking.checker import check
from tutor.checking.expected import expected_value
from tutor.course.engine_refs import evaluate
from tutor.course.loader import LessonError, load_course, parse_lesson
from tutor.course.variants import draw, format_value, instantiate, typed

COURSE = load_course()
WEIGHTED = COURSE.exercise("neuron/weighted-sum")


def lesson_with(params: str, *, prompt: str = "z for inputs {x}, weights {w}, bias {b}?",
                expected: str = 'expected = { engine = "weighted_sum", args = { inputs = "$x", weights = "$w", bias = "$b" } }') -> str:
    return textwrap.dedent('''\
        +++
        id = "v"
        title = "Variants"
        order = 1
        +++

        Inputs {x} and weights {w}.

        ```exercise
        id = "z"
        kind = "number"
        prompt = "%s"
        %s
        tolerance = { abs = 1e-6, rel = 1e-6 }
        hints = ["Multiply {x[0]} by {w[0]}."]
        solution = "5"

        [params]
        %s
        ```
        ''') % (prompt, expected, params)


def exercise_of(text: str):
    return parse_lesson(text, Path("v.md")).exercises[0]


def test_the_first_visit_shows_the_published_numbers() -> None:
    assert WEIGHTED.variant_seed is None
    assert dict(WEIGHTED.variant_values) == {"inputs": [1, 0], "weights": [7, 3], "bias": -2}
    assert WEIGHTED.prompt == ("Compute the weighted sum z of the spam-filter neuron "
                               "(inputs 1 and 0, weights 7 and 3, bias -2).")
    assert "w1 = 7 and w2 = 3" in WEIGHTED.prose and "b = -2" in WEIGHTED.prose
    assert COURSE.lesson("neuron").intro == WEIGHTED.prose  # the intro is shown with the same numbers
    assert WEIGHTED.expected is not None and dict(WEIGHTED.expected.args) == {"inputs": [1, 0], "weights": [7, 3], "bias": -2}
    assert WEIGHTED.solution == "5"
    assert WEIGHTED.wrong[0].message == "You left out the bias. After 1*7 + 0*3, add b = -2."
    assert instantiate(WEIGHTED, None) is WEIGHTED


def test_a_seed_gives_the_same_variant_every_time() -> None:
    first, again = instantiate(WEIGHTED, 7), instantiate(WEIGHTED, 7)
    assert first.variant_seed == 7
    assert first.variant_values == again.variant_values
    assert (first.prompt, first.prose, first.hints, first.expected, first.wrong) == \
           (again.prompt, again.prose, again.hints, again.expected, again.wrong)
    # and across a fresh load of the course
    assert instantiate(load_course().exercise("neuron/weighted-sum"), 7).variant_values == first.variant_values


def test_seeds_draw_different_variants_within_the_declared_ranges() -> None:
    drawn = [instantiate(WEIGHTED, seed).variant_values for seed in range(1, 41)]
    distinct = {repr(values) for values in drawn}
    assert len(distinct) >= 30
    for values in drawn:
        assert values["inputs"] in ([1, 0], [0, 1])
        assert all(weight in range(-9, 10, 2) for weight in values["weights"])  # odd, -9..9
        assert values["bias"] in (-6, -4, -2, 2, 4, 6)  # 0 excluded
        assert all(isinstance(number, int) for number in values["weights"] + [values["bias"]])


@pytest.mark.parametrize("seed", [1, 7, 42, 1234])
def test_a_variants_expected_value_is_the_engines_on_its_parameters(seed: int) -> None:
    variant = instantiate(WEIGHTED, seed)
    values = variant.variant_values
    z = engine.weighted_sum(np.array(values["inputs"], dtype=float), np.array(values["weights"], dtype=float),
                            values["bias"])
    assert float(expected_value(variant)) == float(z)
    assert f"inputs {values['inputs'][0]} and {values['inputs'][1]}" in variant.prompt
    assert f"weights {values['weights'][0]} and {values['weights'][1]}, bias {values['bias']})" in variant.prompt
    assert f"w1 = {values['weights'][0]} and w2 = {values['weights'][1]}" in variant.prose
    assert check(variant, variant.solution).passed
    assert check(variant, format_value(float(z))).passed
    assert not check(variant, format_value(float(z) + 1)).passed


def test_a_variants_wrong_answers_are_the_mistakes_on_its_numbers() -> None:
    variant = instantiate(WEIGHTED, 7)
    values = variant.variant_values
    inputs, weights, bias = (np.array(values["inputs"], dtype=float), np.array(values["weights"], dtype=float),
                             values["bias"])
    no_bias, flipped, summed = variant.wrong
    assert float(evaluate(no_bias.engine)) == float(np.dot(inputs, weights))
    assert float(evaluate(flipped.engine)) == float(np.dot(inputs, weights) - bias)
    assert float(evaluate(summed.engine)) == float(weights.sum() + bias)
    for wrong in variant.wrong:
        verdict = check(variant, typed(evaluate(wrong.engine)))
        assert not verdict.passed and verdict.message == wrong.message
    assert no_bias.message == (f"You left out the bias. After {values['inputs'][0]}*{values['weights'][0]} + "
                               f"{values['inputs'][1]}*{values['weights'][1]}, add b = {bias}.")


def test_each_kind_of_draw_keeps_to_its_declaration() -> None:
    exercise = exercise_of(lesson_with(
        'x = { value = [1, 0, 1], choices = [0, 1] }\n'
        'w = { value = [0.5, -1.25], range = [-2.0, 2.0], step = 0.25, exclude = [0.0], distinct = true }\n'
        'b = { value = -2, ints = [-3, 3] }'))
    for seed in range(1, 60):
        values = exercise.params and draw(exercise.params, seed)
        assert all(number in (0, 1) for number in values["x"]) and len(values["x"]) == 3
        assert all(-2.0 <= number <= 2.0 and (number * 4) == int(number * 4) for number in values["w"])
        assert 0.0 not in values["w"] and values["w"][0] != values["w"][1]
        assert values["b"] in range(-3, 4)
    assert {draw(exercise.params, seed)["b"] for seed in range(1, 60)} == set(range(-3, 4))


def test_whole_array_choices_pick_one_of_the_arrays() -> None:
    exercise = exercise_of(lesson_with(
        'x = { value = [1, 0], choices = [[1, 0], [0, 1], [1, 1]] }\n'
        'w = { value = [7, 3], ints = [1, 9] }\nb = { value = -2, ints = [-3, 3] }'))
    assert {tuple(draw(exercise.params, seed)["x"]) for seed in range(1, 40)} == {(1, 0), (0, 1), (1, 1)}


def test_text_names_parameters_and_other_braces_stay() -> None:
    exercise = exercise_of(lesson_with(
        'x = { value = [1, 0], ints = [0, 1] }\nw = { value = [7, 3], ints = [1, 9] }\nb = { value = -2, ints = [-3, 3] }',
        prompt="z for inputs {x}, weights {w}, bias {b}? (not {y} nor {x[5]})"))
    assert exercise.prompt == "z for inputs [1, 0], weights [7, 3], bias -2? (not {y} nor {x[5]})"
    assert exercise.hints == ("Multiply 1 by 7.",)
    assert exercise.prose == "Inputs [1, 0] and weights [7, 3]."


def test_a_code_exercises_visible_cases_follow_the_seed() -> None:
    forward = COURSE.exercise("neuron/forward")
    if not forward.params:
        pytest.skip("neuron/forward has no variants")
    published = forward.code.cases
    variant = instantiate(forward, 3)
    assert variant.code.cases != published and len(variant.code.cases) == len(published)
    assert instantiate(forward, 3).code.cases == variant.code.cases
    assert check(variant, forward.solution, seed=3).passed


@pytest.mark.parametrize("params, message", [
    ('x = { ints = [0, 1] }', "parameter 'x' needs its published 'value', the one the lesson as written uses"),
    ('x = { value = [1, 0] }', "parameter 'x' needs exactly one of 'ints', 'range' (with 'step') or 'choices'"),
    ('x = { value = [1, 5], ints = [0, 1] }', "parameter 'x': the published value must be whole numbers in 'ints' [0, 1]"),
    ('x = { value = [1, 0], range = [0.0, 1.0], step = 0.3 }', "parameter 'x': 'range' [0.0, 1.0] is not a whole number of steps of 0.3"),
    ('x = { value = [1, 0], choices = [0, 1], exclude = [0] }', "parameter 'x': 'exclude' must not exclude the published value"),
    ('x = { value = [1, 0], ints = [0, 1], sted = 1 }', "unknown field 'sted' in parameter 'x' (did you mean 'step'?)"),
])
def test_a_badly_declared_parameter_is_named(params: str, message: str) -> None:
    text = lesson_with(params + '\nw = { value = [7, 3], ints = [1, 9] }\nb = { value = -2, ints = [-3, 3] }')
    with pytest.raises(LessonError) as error:
        parse_lesson(text, Path("v.md"))
    assert [problem.message for problem in error.value.problems] == [message]


def test_an_undeclared_or_unused_parameter_is_named() -> None:
    with pytest.raises(LessonError) as error:
        parse_lesson(lesson_with('x = { value = [1, 0], ints = [0, 1] }\nw = { value = [7, 3], ints = [1, 9] }\n'
                                 'c = { value = 1, ints = [0, 2] }'), Path("v.md"))
    assert [problem.message for problem in error.value.problems] == [
        "the exercise uses '$b' but [params] declares no 'b'",
        "parameter 'c' is never used: write \"$c\" in an engine reference or {c} in the prompt",
    ]


def test_an_attempt_records_its_variants_seed(tmp_path) -> None:
    """The attempts log keeps which variant was judged (None: the lesson as written)."""
    from tutor.progress.attempt import attempt
    from tutor.progress.drafts import Drafts
    from tutor.progress.saver import BackgroundSaver
    from tutor.progress.store import ProgressStore
    from tutor.progress.workspace import Workspace

    store = ProgressStore.open(tmp_path / "progress.json")
    workspace = Workspace(tmp_path / "ws")
    drafts = Drafts(store, workspace, BackgroundSaver(store, workspace.write))
    variant = instantiate(WEIGHTED, 7)
    assert not attempt(WEIGHTED, "4", checker=check, drafts=drafts).verdict.passed
    assert attempt(variant, variant.solution, checker=check, drafts=drafts).verdict.passed
    drafts.saver.flush()
    assert [(record.variant_seed, record.passed) for record in store.attempts("neuron/weighted-sum")] == [
        (None, False), (7, True)]
    store.close()


VARIANT_EXERCISES = [exercise for lesson in COURSE.lessons for exercise in lesson.exercises
                     if exercise.params and exercise.kind != "code"]


def test_the_built_in_course_has_variants_where_numbers_are_not_the_point() -> None:
    assert {exercise.qualified_id for exercise in VARIANT_EXERCISES} >= {
        "neuron/weighted-sum", "neuron/output", "neuron/no-evidence", "logistic/probability",
        "gradient-descent/slope", "gradient-descent/one-step", "circuits/mul-dx", "circuits/circuit-dx",
        "vectorise/row-sums", "circuits/nudge", "moons/cross-entropy",
    }
    assert {exercise.qualified_id for lesson in COURSE.lessons for exercise in lesson.exercises
            if exercise.params and exercise.kind == "code"} >= {
        "neuron/forward", "sigmoid/implement", "sigmoid/derivative", "circuits/numerical-dx",
        "vectorise/forward-all", "moons/softmax",
    }


def test_any_seed_gives_a_sound_variant_of_every_built_in_exercise() -> None:
    """Beyond lint's 50 seeds: seeds drawn by hypothesis give variants whose
    solution passes and whose every known mistake gets its own message."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=25, deadline=None)
    @given(st.integers(min_value=0, max_value=2**63 - 1))
    def sound(seed: int) -> None:
        for exercise in VARIANT_EXERCISES:
            variant = instantiate(exercise, seed)
            assert variant.variant_values == instantiate(exercise, seed).variant_values
            assert check(variant, variant.solution).passed, (exercise.qualified_id, seed)
            for wrong in variant.wrong:
                answer = wrong.answer if wrong.answer is not None else typed(evaluate(wrong.engine))
                verdict = check(variant, answer)
                assert not verdict.passed and verdict.message == wrong.message, (exercise.qualified_id, seed, answer)

    sound()


def test_a_computed_parameter_is_the_engines_value_on_the_drawn_ones() -> None:
    mirror = COURSE.exercise("sigmoid/mirror")
    assert mirror.prompt == "sigmoid(5) is 0.9933. Predict sigmoid(-5) (three decimals are enough)."
    for seed in range(1, 12):
        variant = instantiate(mirror, seed)
        z, s = variant.variant_values["z"], variant.variant_values["s"]
        assert s == round(float(engine.sigmoid(float(z))), 4)
        assert variant.prompt == f"sigmoid({z}) is {format_value(s)}. Predict sigmoid(-{z}) (three decimals are enough)."
        assert float(expected_value(variant)) == float(engine.sigmoid(-float(z)))
        assert check(variant, format_value(s)).message == f"That is sigmoid({z}). At z = -{z} the curve is at its " \
                                                         f"other end, near 0: 1 / (1 + e^{z})."
    with pytest.raises(LessonError) as error:
        exercise_of(lesson_with('x = { value = [1, 0], ints = [0, 1] }\nw = { value = [7, 3], ints = [1, 9] }\n'
                                'b = { value = -2, engine = "weighted_sum", args = { inputs = "$x", weights = "$v", bias = 0 }, ints = [0, 1] }'))
    assert [problem.message for problem in error.value.problems] == [
        "parameter 'b' is computed ('engine'): it takes no 'ints'",
        "parameter 'b' uses '$v', which no parameter declared before it is",
    ]
