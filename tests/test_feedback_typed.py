"""What the learner reads for typed answers: numbers, arrays, choices, predictions."""

from __future__ import annotations

import numpy as np
import pytest

from test_check_fake_runner import real_engine_or_stand_in
from tutor.checking.checker import check
from tutor.course.model import EngineRef, Exercise, Tolerance, WrongAnswer

SPAM = {"inputs": [1, 0], "weights": [7, 3], "bias": -2}


@pytest.fixture(autouse=True)
def _engine(monkeypatch):
    real_engine_or_stand_in(monkeypatch)


def exercise(kind: str, **fields) -> Exercise:
    return Exercise(id="x", lesson_id="neuron", kind=kind, prompt="?", line=1, **fields)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + np.exp(-z))


WEIGHTED_SUM = exercise(
    "number",
    expected=EngineRef("weighted_sum", SPAM),
    wrong=(WrongAnswer("You left out the bias: z = 1*7 + 0*3 + (-2).", answer="7"),),
)
OUTPUT = exercise(
    "number",
    expected=EngineRef("neuron_output", SPAM),
    tolerance=Tolerance(abs=1e-6, rel=1e-6),
    wrong=(WrongAnswer("That is z. You forgot the activation.", engine=EngineRef("weighted_sum", SPAM)),),
)


def test_number_pass_names_the_engine_value():
    verdict = check(WEIGHTED_SUM, "5")
    assert verdict.status == "pass" and verdict.message == "Correct: 5."


def test_number_within_relative_tolerance_passes():
    value = sigmoid(5.0)
    assert check(OUTPUT, repr(value * (1 + 5e-7))).passed
    assert not check(OUTPUT, repr(value * (1 + 5e-6))).passed


def test_known_wrong_literal_and_engine_values_get_their_message():
    assert check(WEIGHTED_SUM, "7").message == "You left out the bias: z = 1*7 + 0*3 + (-2)."
    verdict = check(OUTPUT, "5.0")
    assert verdict.status == "fail" and verdict.message == "That is z. You forgot the activation."


def test_known_wrong_matches_the_rounding_the_learner_typed():
    exercise_ = exercise(
        "number",
        expected=EngineRef("sigmoid", {"z": 2.0}),
        wrong=(WrongAnswer("That is sigmoid(1), not sigmoid(2).", engine=EngineRef("sigmoid", {"z": 1.0})),),
    )
    assert check(exercise_, "0.731").message == "That is sigmoid(1), not sigmoid(2)."


def test_number_direction_and_rounding_feedback():
    assert check(WEIGHTED_SUM, "6").message == "6 is too high."
    assert check(WEIGHTED_SUM, "-1.5").message == "-1.5 is too low."
    assert check(OUTPUT, "0.9933").message == (
        "0.9933 is right to the digits you gave, but the answer must be "
        "within 1e-06 or within 0.0001% relative. Give more digits."
    )


def test_nan_and_infinity_are_named():
    assert check(WEIGHTED_SUM, "nan").message == "You gave NaN (not a number); the answer is a real number."
    assert check(WEIGHTED_SUM, "inf").message == "You gave inf (infinity); the answer is a finite number."


def test_unparsable_answer_is_an_error_with_the_parser_message():
    verdict = check(WEIGHTED_SUM, "five")
    assert verdict.status == "error"
    assert verdict.message == "'five' is not a number. Type digits such as 5, 0.99 or -3e-4."


# -- arrays -------------------------------------------------------------------

WEIGHTS = exercise(
    "array",
    expected=EngineRef("sigmoid", {"z": [-30.0, 20.0, 20.0]}),  # any engine array stands in for a weight vector
    shape=(3,),
    shape_words="this neuron has 2 inputs and a bias",
    tolerance=Tolerance(abs=1e-6, rel=0.0),
)


def test_array_pass_in_any_typed_form():
    values = sigmoid(np.array([-30.0, 20.0, 20.0]))
    for text in (" ".join(map(repr, values)), ", ".join(map(repr, values)), "[" + ", ".join(map(repr, values)) + "]"):
        assert check(WEIGHTS, text).passed


def test_array_shape_mismatch_in_words():
    assert check(WEIGHTS, "20 20").message == "You gave 2 numbers; this neuron has 2 inputs and a bias (3 numbers)."
    plain = exercise("array", expected=EngineRef("sigmoid", {"z": [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]}), shape=(2, 3))
    assert check(plain, "1 2\n3 4\n5 6").message == "You gave a 3 x 2 matrix; the answer is a 2 x 3 matrix (it looks transposed)."


def test_array_first_wrong_value_named_without_giving_the_answer_away():
    values = sigmoid(np.array([-30.0, 20.0, 20.0]))
    text = f"{values[0]!r} 0.5 {values[2]!r}"
    assert check(WEIGHTS, text).message == "The value at [1] (0.5) is too low; the others are right."
    assert check(WEIGHTS, "0.5 0.5 0.5").message == "The value at [0] (0.5) is too high; 3 of 3 values are off."


def test_array_nan_named_with_its_position():
    assert check(WEIGHTS, "0 nan 1").message == "You gave NaN (not a number) at [1]; every value must be a real number."


def test_array_known_wrong_answer():
    exercise_ = exercise(
        "array",
        expected=EngineRef("sigmoid", {"z": [0.0, 0.0]}),
        shape=(2,),
        wrong=(WrongAnswer("Those are the weighted sums; apply the sigmoid.", answer="0 0"),),
    )
    assert check(exercise_, "[0, 0]").message == "Those are the weighted sums; apply the sigmoid."


# -- choices ------------------------------------------------------------------

CHOICE = exercise(
    "choice",
    choices=("It scales every input", "It shifts the weighted sum", "It squashes the output"),
    answer="It shifts the weighted sum",
    wrong=(WrongAnswer("Scaling is what the weights do.", answer="It scales every input"),),
)


@pytest.mark.parametrize("text", ["2", "b", "B", "b)", "It shifts the weighted sum", "it shifts  the weighted sum."])
def test_choice_by_number_letter_or_text(text):
    assert check(CHOICE, text).passed


def test_choice_feedback():
    assert check(CHOICE, "a").message == "Scaling is what the weights do."
    assert check(CHOICE, "3").message == "'It squashes the output' is not right."
    verdict = check(CHOICE, "7")
    assert verdict.status == "error"
    assert verdict.message == "There is no option '7': choose 1 to 3, a to c, or type the option's text."


FORMULAS = exercise(
    "choice",
    choices=("a * (1 - a)", "(4, 4)", "1 - a", "sigma(z)."),
    answer="a * (1 - a)",
    wrong=(WrongAnswer("That is the shape of W1, not of the product.", answer="(4, 4)"),),
)


@pytest.mark.parametrize(
    ("text", "picked"),
    [
        ("a * (1 - a)", 1), ("  a * (1 - a)  ", 1), ("A * (1 - A)", 1), ("a*(1-a)", 1), ("`a * (1 - a)`", 1),
        ("(4, 4)", 2), ("(4,4)", 2), ("1 - a", 3), ("sigma(z)", 4), ("sigma(z).", 4),
        ("1", 1), ("2)", 2), ("(c)", 3), ("d.", 4),
    ],
)
def test_choice_options_ending_in_a_bracket_match_as_typed(text, picked):
    """Options such as "a * (1 - a)" end in ")": typed in full, or written more
    loosely (case, spaces), they are matched like any other option."""
    verdict = check(FORMULAS, text)
    assert verdict.values["choice"] == picked
    assert verdict.passed == (picked == 1)


def test_choice_known_wrong_option_ending_in_a_bracket():
    assert check(FORMULAS, "(4, 4)").message == "That is the shape of W1, not of the product."


def test_choice_option_text_wins_over_its_number():
    numbers = exercise("choice", choices=("4", "2", "8"), answer="2")
    assert check(numbers, "2").passed
    assert check(numbers, "3").message == "'8' is not right."


# -- predictions ---------------------------------------------------------------

PREDICT = exercise(
    "predict",
    expected=EngineRef("neuron_output", SPAM),
    tolerance=Tolerance(abs=0.01, rel=0.0),
    wrong=(WrongAnswer("That is z itself.", engine=EngineRef("weighted_sum", SPAM)),),
)


def test_prediction_always_hands_back_the_computed_value():
    good = check(PREDICT, "0.99")
    assert good.passed and good.message == "Good prediction. The engine computed 0.993307."
    assert good.values["actual"] == pytest.approx(sigmoid(5.0))
    off = check(PREDICT, "0.5")
    assert off.status == "fail" and off.message == "The engine computed 0.993307; you predicted 0.5."
    assert off.values["actual"] == pytest.approx(sigmoid(5.0)) and off.values["prediction"] == 0.5


def test_prediction_known_wrong():
    verdict = check(PREDICT, "5")
    assert verdict.message == "That is z itself." and verdict.details == ("The engine computed 0.993307.",)


# -- broken lessons ------------------------------------------------------------

def test_broken_engine_reference_blames_the_lesson_not_the_learner():
    broken = exercise("number", expected=EngineRef("no_such_function", {}))
    verdict = check(broken, "5")
    assert verdict.status == "error"
    assert verdict.message == "The lesson has a problem, not your answer."
    assert verdict.details == ("neuron/x: unknown engine function 'no_such_function'",)


def test_number_exercise_whose_engine_value_is_not_one_number_is_a_lesson_error():
    broken = exercise("number", expected=EngineRef("sigmoid", {"z": [0.0, 0.0]}))
    verdict = check(broken, "0.5")
    assert verdict.status == "error" and verdict.details == (
        "neuron/x: a number exercise needs one number from the engine, got [0.5, 0.5]",
    )


def test_a_checker_failure_is_an_error_verdict_not_an_exception(monkeypatch):
    import tutor.checking.typed as typed

    def explode(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr(typed, "check_number", explode)
    verdict = check(WEIGHTED_SUM, "5")
    assert verdict.status == "error"
    assert verdict.message == "The tutor itself has a problem, not your answer."
    assert verdict.details == ("RuntimeError: boom",)
