"""The words a learner reads, checked on the built-in course as the tutor shows them.

Feedback is plain text (no Markdown), so a backtick shows as a backtick; the
tutor puts "Not yet:" or "Correct:" in front of every headline, so the checker
adds no verdict word of its own; and a tune goal is a sentence about what the
learner watched ("the final loss"), not a field name. Each test names the text
the learner used to read.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tutor.checking.cases import build_cases
from tutor.checking.checker import check
from tutor.checking.verdict import Verdict
from tutor.course.engine_refs import evaluate
from tutor.course.loader import load_course
from tutor.sandbox.api import get_runner
from tutor.ui.widgets.feedback import render_verdict

COURSE = load_course()


def exercise(qualified_id: str):
    lesson_id, _, exercise_id = qualified_id.partition("/")
    return COURSE.lesson(lesson_id).exercise(exercise_id)


@pytest.fixture(scope="module")
def runner():
    return get_runner()


def on_screen(verdict: Verdict) -> list[str]:
    """The feedback panel's lines, as plain text (wide enough that nothing wraps)."""
    console = Console(width=400, record=True, file=io.StringIO())
    console.print(render_verdict(verdict))
    return [line.rstrip() for line in console.export_text().splitlines() if line.strip()]


def learner_text(verdict: Verdict) -> list[str]:
    """Everything the checker wrote (not the learner's own output or source lines)."""
    texts = [verdict.message, *verdict.details]
    for case in verdict.cases:
        texts += [case.title, case.inputs, case.expected, case.actual, case.detail]
    return texts


SIGMOID_NO_RETURN = "import numpy as np\n\ndef sigmoid(z):\n    1 / (1 + np.exp(-z))\n"
SIGMOID_RAISES = "def sigmoid(z):\n    return z.nope\n"
SIGMOID_WRONG_SHAPE = "import numpy as np\n\ndef sigmoid(z):\n    return np.zeros((3, 3))\n"
SIGMOID_NAIVE = "import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
MISNAMED = "def sigmod(z):\n    return z\n"


def real_checks():
    """(label, exercise, answer) for a spread of real exercises and mistakes."""
    xnor = exercise("gates/xnor")
    return [
        ("sigmoid solution", exercise("sigmoid/implement"), exercise("sigmoid/implement").solution),
        ("sigmoid starter", exercise("sigmoid/implement"), exercise("sigmoid/implement").code.starter),
        ("missing return", exercise("sigmoid/implement"), SIGMOID_NO_RETURN),
        ("raises", exercise("sigmoid/implement"), SIGMOID_RAISES),
        ("wrong shape", exercise("sigmoid/implement"), SIGMOID_WRONG_SHAPE),
        ("unstable", exercise("sigmoid/implement"), SIGMOID_NAIVE),
        ("missing entry", exercise("sigmoid/implement"), MISNAMED),
        ("harness starter", xnor, xnor.code.starter),
        ("number", exercise("neuron/weighted-sum"), "6"),
        ("nearly", exercise("neuron/output"), "0.993"),
        ("choice", exercise("neuron/bias-role"), "4"),
        ("tune", exercise("gates/or-weights"), {"bias": 0.0, "weights": [0.0, 0.0]}),
        ("tune wrong", exercise("gates/or-weights"), {"bias": -30.0, "weights": [20.0, 20.0]}),
        ("tune loss", exercise("gradient-descent/learning-rate"), {"lr": 0.1}),
    ]


@pytest.mark.parametrize("label, item, answer", real_checks(), ids=[label for label, *_ in real_checks()])
def test_no_backticks_and_no_verdict_word_of_the_checkers_own(runner, label, item, answer):
    verdict = check(item, answer, runner=runner)
    for text in learner_text(verdict):
        assert "`" not in text, f"{label}: {text!r}"
    headline = verdict.message.lower()
    assert not headline.startswith(("not yet", "not quite", "not this one", "nearly", "wrong", "incorrect", "goal met"))
    # the tutor says "Not yet" at most once, in its own prefix
    assert "\n".join(on_screen(verdict)).count("Not yet") == (1 if verdict.status == "fail" else 0)


def test_a_passing_sigmoid_names_the_function_in_words(runner):
    # was: "All 15 cases pass, and your `sigmoid` holds up at the extremes."
    item = exercise("sigmoid/implement")
    count = len(build_cases(item.code, item.qualified_id))
    verdict = check(item, item.solution, runner=runner)
    assert verdict.message == f"All {count} cases pass, and your sigmoid function holds up at the extremes."
    assert on_screen(verdict)[0] == f"✓ Correct: All {count} cases pass, and your sigmoid function holds up at the extremes."


def test_code_headlines_name_the_function_in_words(runner):
    item = exercise("sigmoid/implement")
    count = len(build_cases(item.code, item.qualified_id))
    # was: "`sigmoid` returned None: did you forget `return`? on case 1 of 15."
    assert check(item, SIGMOID_NO_RETURN, runner=runner).message == (
        f"Your sigmoid function returned None on case 1 of {count}: did you forget the return statement?"
    )
    # was: "Your code does not define `sigmoid`. ..." with "Your code does not define `sigmoid`. It defines: sigmod."
    missing = check(item, MISNAMED, runner=runner)
    assert missing.message == "Your code does not define sigmoid. Keep the name and signature: def sigmoid(z)"
    assert missing.details == ("It defines: sigmod.",)


def test_a_harness_case_says_what_was_done_with_the_function(runner):
    # was: "your `xnor` on each row of the truth table: ..."
    xnor = exercise("gates/xnor")
    verdict = check(xnor, xnor.code.starter, runner=runner)
    assert verdict.cases[0].inputs == "your xnor function on each row of the truth table: (0, 0), (0, 1), (1, 0), (1, 1), and between the rows along the square's edges"


def test_a_wrong_option_without_its_own_message_is_quoted_once():
    # was: "✗ Not yet: Not this one: It decides which inputs are ignored"
    verdict = check(exercise("neuron/bias-role"), "4")
    assert verdict.message == "'It decides which inputs are ignored' is not right."
    assert on_screen(verdict) == ["✗ Not yet: 'It decides which inputs are ignored' is not right."]


def test_typed_numbers_read_after_the_tutors_not_yet():
    # was: "✗ Not yet: Not quite: 6 is too high."
    assert on_screen(check(exercise("neuron/weighted-sum"), "6")) == ["✗ Not yet: 6 is too high."]
    # was: "Nearly: 0.993 is right to the digits you gave, ..."
    assert check(exercise("neuron/output"), "0.993").message == (
        "0.993 is right to the digits you gave, but the answer must be within 5e-05. Give more digits."
    )


def test_a_loss_goal_names_the_loss_in_words():
    item = exercise("gradient-descent/learning-rate")
    run = evaluate(item.tune.run, params={"lr": 0.1})
    # was: "Not yet: final_loss is 0.403210, not below 0.38."
    verdict = check(item, {"lr": 0.1})
    assert verdict.message == f"The final loss is {float(run.final_loss):.6g}; it must be below 0.38."
    assert on_screen(verdict) == [f"✗ Not yet: The final loss is {float(run.final_loss):.6g}; it must be below 0.38."]
    solved = evaluate(item.tune.run, params=dict(item.tune.solution))
    assert check(item, dict(item.tune.solution)).message == f"The final loss is {float(solved.final_loss):.6g}, below 0.38."


def test_a_truth_table_goal_names_the_wrong_rows():
    item = exercise("gates/or-weights")
    # was: "  Not yet: outputs is [9.35762e-14, 4.53979e-05, …], wanted [0, 1, 1, 1] (first difference at [1]:
    #       expected 1, got 4.53979e-05 (2 of 4 values differ))." under the AND-weights message
    # sigmoid(-30 + 20) = 4.5398e-05 is what each single-input row gives
    and_weights = check(item, {"bias": -30.0, "weights": [20.0, 20.0]})
    assert on_screen(and_weights) == [
        "✗ Not yet: Those are the AND weights: with bias -30, one input alone gives z = -10 and the neuron stays off. "
        "OR needs a weaker bias.",
        "  For inputs (0, 1) and (1, 0) the neuron gives 0.000045; OR needs 1.",
    ]
    # sigmoid(1) = 0.73 on every row: one row wants 0, three want 1
    assert check(item, {"bias": 1.0, "weights": [0.0, 0.0]}).message == (
        "For input (0, 0) the neuron gives 0.73; OR needs 0. "
        "For inputs (0, 1), (1, 0) and (1, 1) the neuron gives 0.73; OR needs 1."
    )
    # an output of exactly one half is undecided, and is said so
    assert "one half" in check(item, {"bias": 0.0, "weights": [0.0, 0.0]}).message
    # one value per wrong row, in row order, with the digits that show the miss
    assert check(item, {"bias": -10.0, "weights": [5.0, 8.0]}).message == (
        "For inputs (0, 1), (1, 0) and (1, 1) the neuron gives 0.12, 0.0067 and 0.95; OR needs 1."
    )
    assert check(item, dict(item.tune.solution)).message == "The neuron matches the OR table on all 4 inputs."


def test_an_answer_that_cannot_be_judged_is_not_said_twice():
    # was: "! Could not check: This exercise cannot be checked: the lesson has a problem."
    from tutor.checking.checker import lesson_error_verdict
    from tutor.checking.expected import LessonError

    verdict = lesson_error_verdict(LessonError("neuron/x: unknown engine function 'nope'"))
    assert on_screen(verdict) == ["! Could not check: The lesson has a problem, not your answer.",
                                  "  neuron/x: unknown engine function 'nope'"]
