"""Tune exercises: the learner's parameters run through the real engine, and the goal decides."""

from __future__ import annotations

import engine
from tutor.checking.checker import check
from tutor.course.model import EngineRef, Exercise, Tolerance, TuneParam, TuneSpec, WrongAnswer

LEARNING_RATE = Exercise(
    id="learning-rate", lesson_id="gradient-descent", kind="tune", prompt="?", line=1,
    tune=TuneSpec(
        params=(TuneParam("lr", "float", 0.001, min=0.0001, max=100.0), TuneParam("steps", "int", 50, min=1, max=200)),
        run=EngineRef("worked.mazur_training", {"steps": "$steps", "learning_rate": "$lr"}),
        goal={"select": "final_loss", "below": 0.05},
    ),
    wrong=(
        WrongAnswer("Far too small: the loss has barely moved. Try a learning rate near 1.", values={"lr": 0.0001}),
        WrongAnswer("The loss has hardly moved: this step is far too small.", when={"select": "final_loss", "above": 0.29}),
    ),
)

AND_GATE = Exercise(
    id="and-tune", lesson_id="gates", kind="tune", prompt="?", line=1, tolerance=Tolerance(abs=0.0, rel=0.0),
    tune=TuneSpec(
        params=(TuneParam("bias", "float", 0.0), TuneParam("weights", "array", [0.0, 0.0], shape=(2,))),
        run=EngineRef("worked.ng_gate_neuron", {"gate": "AND", "bias": "$bias", "weights": "$weights"}),
        goal={"select": "outputs", "equals": EngineRef("worked.ng_gate_neuron", {"gate": "AND"}, select="truth_table"), "round": True},
    ),
)


def final_loss(lr: float, steps: int) -> float:
    return float(engine.worked.mazur_training(steps=steps, learning_rate=lr).final_loss)


def test_goal_met_reports_the_value_and_hands_back_losses_for_the_plot():
    verdict = check(LEARNING_RATE, {"lr": 5.0, "steps": 200})
    loss = final_loss(5.0, 200)
    assert verdict.status == "pass"
    assert verdict.message == f"The final loss is {loss:.6g}, below 0.05."
    assert len(verdict.values["losses"]) == 200
    assert verdict.values["params"] == {"lr": 5.0, "steps": 200}


def test_goal_not_met_says_by_how_much():
    verdict = check(LEARNING_RATE, {"lr": 0.5, "steps": 20})
    assert verdict.status == "fail"
    # the tutor shows "Not yet:" in front; the sentence names the quantity in words and what it must be
    assert verdict.message == f"The final loss is {final_loss(0.5, 20):.6g}; it must be below 0.05."


def test_known_wrong_values_and_conditions_get_their_messages():
    assert check(LEARNING_RATE, {"lr": 0.0001}).message == "Far too small: the loss has barely moved. Try a learning rate near 1."
    too_small = check(LEARNING_RATE, {"lr": 0.001, "steps": 10})
    assert too_small.message == "The loss has hardly moved: this step is far too small."
    assert too_small.details == (f"The final loss is {final_loss(0.001, 10):.6g}; it must be below 0.05.",)


def test_parameters_are_checked_before_anything_runs():
    assert check(LEARNING_RATE, {"lr": 500}).message == "lr must be between 0.0001 and 100; you gave 500."
    assert check(LEARNING_RATE, {"steps": 2.5}).message == "steps must be a whole number, you gave 2.5."
    assert check(LEARNING_RATE, {"rate": 1}).message == "There is no parameter 'rate'; this exercise has 'lr', 'steps'."
    assert check(LEARNING_RATE, {"lr": "fast"}).message == "lr must be a number, you gave 'fast'."
    assert check(LEARNING_RATE, {"lr": "nan"}).status == "error"


def test_truth_table_goal_with_rounding():
    good = check(AND_GATE, {"bias": -30, "weights": [20, 20]})
    assert good.status == "pass" and good.message == "The neuron matches the AND table on all 4 inputs."
    bad = check(AND_GATE, {"bias": -10, "weights": "20 20"})
    assert bad.status == "fail"
    assert bad.message == "For inputs (0, 1) and (1, 0) the neuron gives 1; AND needs 0."
    assert check(AND_GATE, {"bias": 0, "weights": [1, 2, 3]}).message == "weights needs shape (2,), you gave shape (3,)."


def test_typed_text_is_refused_for_tune():
    assert check(LEARNING_RATE, "lr = 1").message == "A tune exercise takes parameter values (name = value), not typed text."
