"""Judging code as a teacher would (issue 10): each diagnosis, leniency rule and
translated NumPy error, driven by a solution written in one of the sources'
styles (Trask's 11 lines, Britz's WildML code, Nielsen's network.py, Mazur's
step-by-step, micrograd, StackOverflow answers), through the real sandbox and
the built-in course.

Diagnoses are shown on the course's exercises with their [[wrong]] entries
taken away (`bare`): they are what the checker says when no author wrote
anything. The mistakes the issue lists are shown with the entries in place.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tutor.checking.checker import check
from tutor.course.loader import load_course
from tutor.course.model import CodeSpec, EngineRef, Exercise, Tolerance
from tutor.sandbox.api import get_runner


@pytest.fixture(scope="module")
def course():
    return load_course()


@pytest.fixture(scope="module")
def runner():
    return get_runner()


def bare(exercise: Exercise) -> Exercise:
    return replace(exercise, wrong=())


def judged(exercise: Exercise, source: str, runner) -> tuple[str, str]:
    verdict = check(exercise, source, runner=runner)
    return verdict.status, verdict.message


# -- sources' styles, shared ---------------------------------------------------

TRASK_HEAD = '''
import numpy as np

def nonlin(x, deriv=False):
    if deriv:
        return x * (1 - x)
    return 1 / (1 + np.exp(-x))

def train(iterations, seed):
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    y = np.array([[0, 1, 1, 0]]).T
    np.random.seed(seed)
    syn0 = 2 * np.random.random((3, 4)) - 1
    syn1 = 2 * np.random.random((4, 1)) - 1
    for j in range(iterations):
        l1 = nonlin(np.dot(X, syn0))
        l2 = nonlin(np.dot(l1, syn1))
        l2_delta = (y - l2) * nonlin(l2, deriv=True)
        l1_delta = l2_delta.dot(syn1.T) * nonlin(l1, deriv=True)
'''

MAZUR = '''
import numpy as np

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def train(steps, learning_rate):
    i = np.array([0.05, 0.10])
    t = np.array([0.01, 0.99])
    w1 = np.array([[0.15, 0.25], [0.20, 0.30]])
    w2 = np.array([[0.40, 0.50], [0.45, 0.55]])
    errors = []
    for step in range(steps):
        out_h = sigmoid(i @ w1 + 0.35)
        out_o = sigmoid(out_h @ w2 + 0.60)
        RECORD
        delta_o = -(t - out_o) * out_o * (1 - out_o)
        delta_h = (w2 @ delta_o) * out_h * (1 - out_h)
        UPDATE
        AFTER
    return errors
'''
MAZUR_UPDATE = "w2 = w2 - learning_rate * np.outer(out_h, delta_o)\n        w1 = w1 - learning_rate * np.outer(i, delta_h)"
MAZUR_RECORD = "errors.append(np.sum(0.5 * (t - out_o) ** 2))"


def mazur(record: str = MAZUR_RECORD, update: str = MAZUR_UPDATE, after: str = "") -> str:
    return MAZUR.replace("RECORD", record).replace("UPDATE", update).replace("AFTER", after)


BRITZ_NETWORK = '''
import numpy as np

class Network:
    def __init__(self, n_inputs, n_outputs, seed, nn_hdim=5):
        np.random.seed(seed)
        self.W1 = np.random.randn(n_inputs, nn_hdim) / np.sqrt(n_inputs)
        self.b1 = np.zeros((1, nn_hdim))
        self.W2 = np.random.randn(nn_hdim, n_outputs) / np.sqrt(nn_hdim)
        self.b2 = np.zeros((1, n_outputs))

    def forward(self, X):
        self.X = X
        self.a1 = np.tanh(X.dot(self.W1) + self.b1)
        z2 = self.a1.dot(self.W2) + self.b2
        exp_scores = np.exp(z2 - z2.max(axis=1, keepdims=True))
        self.probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
        return self.probs

    def backward(self, y):
        num_examples = len(self.X)
        delta3 = self.probs.copy()
        delta3[range(num_examples), y] -= 1
        delta3 /= num_examples
        self.dW2 = (self.a1.T).dot(delta3)
        self.db2 = np.sum(delta3, axis=0, keepdims=True)
        delta2 = delta3.dot(self.W2.T) * (1 - np.power(self.a1, 2))
        self.dW1 = np.dot(self.X.T, delta2)
        self.db1 = np.sum(delta2, axis=0)

    def step(self, learning_rate):
        STEP
'''


# -- diagnoses no author has to write -------------------------------------------

def test_sign_flipped(course, runner):
    # StackOverflow's log-loss, minus sign forgotten
    source = '''
import numpy as np

def log_loss(probability, target):
    p = np.clip(probability, 1e-15, 1 - 1e-15)
    return np.mean(target * np.log(p) + (1 - target) * np.log(1 - p))
'''
    status, message = judged(bare(course.exercise("logistic/log-loss")), source, runner)
    assert status == "fail"
    assert message.startswith("Your log_loss function returns the right values with the sign flipped "
                              "(expected 0.693147, got -0.693147)")


def test_factor_two_h_instead_of_2h(course, runner):
    # Karpathy's circuits, central difference over h
    source = '''
import math

def forward(a, b, c, x, y):
    return 1 / (1 + math.exp(-(a * x + b * y + c)))

def slope_x(a, b, c, x, y):
    h = 0.0001
    return (forward(a, b, c, x + h, y) - forward(a, b, c, x - h, y)) / h
'''
    status, message = judged(bare(course.exercise("circuits/numerical-dx")), source, runner)
    assert (status, message) == ("fail", "Your slope_x function returns twice the right value in every case: a "
                                         "factor of 2 is off (dividing by h where 2h was meant, or a 1/2 dropped?).")


def test_factor_one_half(course, runner):
    # Mazur's E_total written as a mean over the two outputs: half the sum
    source = mazur(record="errors.append(np.mean(0.5 * (t - out_o) ** 2))")
    status, message = judged(bare(course.exercise("backprop/train")), source, runner)
    assert message.startswith("Your train function returns half the right value in every case")


def test_factor_n_unaveraged(course, runner):
    source = '''
import numpy as np

def log_loss(probability, target):
    p = np.clip(probability, 1e-12, 1 - 1e-12)
    return -np.sum(target * np.log(p) + (1 - target) * np.log(1 - p))
'''
    status, message = judged(bare(course.exercise("logistic/log-loss")), source, runner)
    assert message == ("Your log_loss function returns n times the right value, n the number of examples (4 in the "
                       "first case): the sum over the examples, not the mean. Divide by the number of examples.")


def test_factor_one_over_n(course, runner):
    # averaged twice: np.mean, then divided by m again (a StackOverflow answer's cost)
    source = '''
import numpy as np

def log_loss(probability, target):
    m = len(target)
    p = np.clip(probability, 1e-12, 1 - 1e-12)
    cost = -np.mean(target * np.log(p) + (1 - target) * np.log(1 - p)) / m
    return cost
'''
    status, message = judged(bare(course.exercise("logistic/log-loss")), source, runner)
    assert message.startswith("Your log_loss function returns the right value divided by n, the number of examples")


def test_transposed(course, runner):
    # CS231n's convention, one column per example, never turned back
    source = '''
import numpy as np

def softmax(z):
    scores = np.asarray(z, dtype=float).T
    exp = np.exp(scores - np.max(scores, axis=0))
    return exp / np.sum(exp, axis=0)
'''
    status, message = judged(bare(course.exercise("moons/softmax")), source, runner)
    assert message.startswith("Your softmax function returns the transpose of the right matrix (a 3 x 2 matrix "
                              "where a 2 x 3 matrix was expected)")


def test_column_where_a_vector_was_expected(course, runner):
    # Trask's column convention, where the exercise does not take it
    exercise = course.exercise("vectorise/forward-all")
    strict = replace(exercise, wrong=(), code=replace(exercise.code, column_or_vector=False))
    source = '''
import numpy as np

def predict(inputs, weights, bias):
    syn0 = weights.reshape(-1, 1)
    return 1 / (1 + np.exp(-(np.dot(inputs, syn0) + bias)))
'''
    status, message = judged(strict, source, runner)
    assert message == ("Your predict function returns an (n, 1) column of shape (2, 1) where shape (2,) was expected; "
                       "the values are right: return it flattened with .ravel() (or .reshape(2)).")


def test_vector_where_a_column_was_expected(course, runner):
    # Trask's loop with flat y and syn1: the same numbers, syn1 comes back flat
    source = TRASK_HEAD.replace("np.array([[0, 1, 1, 0]]).T", "np.array([0, 1, 1, 0])").replace(
        "np.random.random((4, 1))", "np.random.random(4)").replace(
        "l2_delta.dot(syn1.T)", "np.outer(l2_delta, syn1)") + '''
        syn1 += l1.T.dot(l2_delta)
        syn0 += X.T.dot(l1_delta)
    return syn0, syn1
'''
    status, message = judged(bare(course.exercise("tiny-network/train")), source, runner)
    assert message == ("Your train function returns a flat vector of shape (4,) where shape (4, 1) was expected; "
                       "the values are right: return it as a column with .reshape(-1, 1).")


def test_trajectory_recorded_after_the_update(course, runner):
    source = mazur(record="", after="errors.append(np.sum(0.5 * (t - sigmoid(sigmoid(i @ w1 + 0.35) @ w2 + 0.60)) ** 2))")
    status, message = judged(bare(course.exercise("backprop/train")), source, runner)
    assert message == ("Your train function records each value one step late: its first is the engine's second. "
                       "Record the loss before the step's update, not after it.")


def test_trajectory_one_step_too_few(course, runner):
    source = '''
def descend(loss_and_gradient, start, learning_rate, steps):
    params = start
    losses = []
    for _ in range(1, steps):
        loss, grad = loss_and_gradient(params)
        losses.append(loss)
        params = params - learning_rate * grad
    return losses
'''
    status, message = judged(bare(course.exercise("gradient-descent/descend")), source, runner)
    assert message == ("Your descend function does one step too few: 19 values where 20 were expected. "
                       "Check the loop's range.")


def test_a_step_that_does_nothing(course, runner):
    # the update goes to new names; Mazur's weights never change
    source = mazur(update="new_w2 = w2 - learning_rate * np.outer(out_h, delta_o)\n        new_w1 = w1 - learning_rate * np.outer(i, delta_h)")
    status, message = judged(bare(course.exercise("backprop/train")), source, runner)
    assert message == ("Your train function returns the same value at every step (0.298371): the loss never moved. "
                       "Does each step change the parameters the next step uses?")


def test_a_parameter_that_never_changed(course, runner):
    source = TRASK_HEAD + '''
        syn0 += X.T.dot(l1_delta)
    return syn0, syn1
'''
    status, message = judged(bare(course.exercise("tiny-network/train")), source, runner)
    assert message == ("Your train function returns syn1 unchanged after 1 iteration: it still holds the starting "
                       "values. Does the loop update syn1 (with += or -=)?")


def test_error_of_order_h(course, runner):
    # a forward difference with another h than the lesson's wrong entry uses
    source = '''
import math

def slope_x(a, b, c, x, y):
    f = lambda x: 1.0 / (1.0 + math.exp(-(a * x + b * y + c)))
    h = 1e-5
    return (f(x + h) - f(x)) / h
'''
    status, message = judged(bare(course.exercise("circuits/numerical-dx")), source, runner)
    assert message.startswith("Your slope_x function is close but off by up to ")
    assert "one-sided difference" in message and "central difference" in message


# -- NumPy's errors in the course's words -----------------------------------------

def test_matmul_mismatch_names_both_operands_and_the_fix(course, runner):
    source = '''
import numpy as np

def predict(inputs, weights, bias):
    return 1.0 / (1.0 + np.exp(-(weights @ inputs + bias)))
'''
    status, message = judged(bare(course.exercise("vectorise/forward-all")), source, runner)
    assert message == ("Your predict function failed on case 1 of 8 (line 5): weights is (3,) and inputs is (2, 3): "
                       "@ needs the inner sizes to match (the last size of weights, the first of inputs); "
                       "did you mean inputs @ weights?")


def test_np_dot_mismatch_is_said_the_same_way(runner):
    # Nielsen's network.py: np.dot(w, a) with w of shape (neurons, inputs)
    exercise = Exercise(
        id="layer", lesson_id="l", kind="code", prompt="?", line=1, expected=EngineRef("neuron_output"),
        tolerance=Tolerance(1e-9, 1e-9),
        code=CodeSpec(entry="layer", signature="def layer(inputs, weights, bias)", starter="",
                      cases=({"inputs": [[1.0, 2.0, 3.0], [1.0, 0.0, 1.0]], "weights": [1.0, 0.5, -1.0], "bias": 0.5},)),
    )
    source = "import numpy as np\n\ndef layer(inputs, weights, bias):\n    return 1 / (1 + np.exp(-(np.dot(weights, inputs) + bias)))\n"
    verdict = check(exercise, source, runner=runner)
    assert verdict.message == ("Your layer function failed on case 1 of 1 (line 4): weights is (3,) and inputs is "
                               "(2, 3): dot needs the inner sizes to match (the last size of weights, the first of "
                               "inputs); did you mean np.dot(inputs, weights)?")


def test_broadcasting_failure(course, runner):
    source = '''
import numpy as np

def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1)
'''
    status, message = judged(bare(course.exercise("moons/softmax")), source, runner)
    assert message == ("Your softmax function failed on case 3 of 9 (line 6): NumPy cannot combine shapes (2, 3) "
                       "and (2,) element by element in 'return e / np.sum(e, axis=-1)': it lines sizes up from the "
                       "right and each pair must be equal or 1.")


def test_if_on_an_array(course, runner):
    source = '''
import numpy as np

def sigmoid(z):
    if z >= 0:
        return 1 / (1 + np.exp(-z))
    else:
        return np.exp(z) / (1 + np.exp(z))
'''
    status, message = judged(course.exercise("sigmoid/implement"), source, runner)
    assert message == ("Your sigmoid function failed on case 4 of 15 (line 5): 'if z >= 0' asks one yes-or-no "
                       "question of a whole array, which is true for some elements and false for others. Decide "
                       "element by element with np.where(condition, value_if_true, value_if_false).")


def test_float_indices(runner):
    # Britz's loss with class numbers the lesson wrote as 0.0 and 1.0
    exercise = Exercise(
        id="grad", lesson_id="l", kind="code", prompt="?", line=1, expected=EngineRef("softmax_cross_entropy_grad"),
        tolerance=Tolerance(1e-9, 1e-9),
        code=CodeSpec(entry="grad", signature="def grad(logits, labels)", starter="",
                      cases=({"logits": [[0.5, -0.5], [1.0, 2.0]], "labels": [0.0, 1.0]},)),
    )
    source = '''
import numpy as np

def grad(logits, labels):
    probs = np.exp(logits) / np.sum(np.exp(logits), axis=1, keepdims=True)
    probs[range(len(logits)), labels] -= 1
    return probs / len(logits)
'''
    verdict = check(exercise, source, runner=runner)
    assert verdict.message == ("Your grad function failed on case 1 of 1 (line 6): an index in "
                               "'probs[range(len(logits)), labels] -= 1' holds numbers with a decimal point (such as "
                               "1.0). Indices must be whole numbers: convert them with .astype(int), or int(i) for "
                               "one number.")


def test_missing_return(course, runner):
    # network.py's sigmoid_prime, the return line lost
    source = '''
import numpy as np

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def sigmoid_prime(z):
    """Derivative of the sigmoid function."""
    s = sigmoid(z)
    s * (1 - s)
'''
    status, message = judged(course.exercise("sigmoid/derivative"), source, runner)
    assert message == "Your sigmoid_prime function returned None on case 1 of 14: did you forget the return statement?"


# -- the leniency policy ------------------------------------------------------------

def test_float32_is_judged_at_float32_precision_with_a_note(course, runner):
    source = '''
import numpy as np

def sigmoid(z):
    z = np.asarray(z, dtype=np.float32)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(np.float32)
'''
    verdict = check(course.exercise("sigmoid/implement"), source, runner=runner)
    assert verdict.status == "pass", verdict.render()
    assert any(line.startswith("Your code computes in float32") for line in verdict.details)


def test_a_renamed_parameter_is_passed_by_position(course, runner):
    # network.py names the sigmoid's argument z... and many write x
    source = '''
import numpy as np

def sigmoid(x):
    x = np.asarray(x, dtype=float)
    return np.exp(-np.logaddexp(0, -x))
'''
    verdict = check(course.exercise("sigmoid/implement"), source, runner=runner)
    assert verdict.status == "pass", verdict.render()
    assert verdict.details == ("Your parameters are named x where the starter has z; the checker passed them by "
                               "position. Keep the starter's names, so your code reads like the lesson's.",)


def test_too_few_parameters_says_which_names_to_use(course, runner):
    source = "import numpy as np\n\ndef neuron_output(x, w):\n    return 1 / (1 + np.exp(-np.dot(x, w)))\n"
    status, message = judged(course.exercise("neuron/forward"), source, runner)
    assert (status, message) == ("fail", "Your neuron_output function takes (x, w), but the checker passes inputs, "
                                         "weights, bias. Keep the starter's parameters: def neuron_output(inputs, "
                                         "weights, bias)")


def test_integer_labels_arrive_as_integers(course, runner):
    # Britz's own indexing, labels used as he uses y
    source = '''
import numpy as np

def softmax_ce_grad(logits, labels):
    num_examples = len(logits)
    exp_scores = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    delta3 = probs
    delta3[range(num_examples), labels] -= 1
    return delta3 / num_examples
'''
    assert judged(course.exercise("moons/softmax-grad"), source, runner)[0] == "pass"


def test_keras_epsilon_clipping_passes_the_stability_probe(course, runner):
    source = '''
import numpy as np

def log_loss(probability, target):
    epsilon = 1e-7
    p = np.clip(probability, epsilon, 1.0 - epsilon)
    return -np.mean(target * np.log(p) + (1.0 - target) * np.log(1.0 - p))
'''
    assert judged(course.exercise("logistic/log-loss"), source, runner)[0] == "pass"


def test_a_finite_value_at_the_extreme_is_not_called_nan(course, runner):
    # clipping so hard the value is wrong, yet finite: said as it is
    source = '''
import numpy as np

def log_loss(probability, target):
    p = np.clip(probability, 0.01, 0.99)
    return -np.mean(target * np.log(p) + (1 - target) * np.log(1 - p))
'''
    status, message = judged(course.exercise("logistic/log-loss"), source, runner)
    assert status == "fail" and "NaN" not in message and "finite" in message


def test_trasks_column_and_a_flat_vector_both_pass_where_the_lesson_shows_both(course, runner):
    column = '''
import numpy as np

def predict(inputs, weights, bias):
    return 1 / (1 + np.exp(-(np.dot(inputs, weights.reshape(-1, 1)) + bias)))
'''
    verdict = check(course.exercise("vectorise/forward-all"), column, runner=runner)
    assert verdict.status == "pass", verdict.render()
    assert verdict.details[0].startswith("Your code returns the values as an (n, 1) column")


def test_a_gate_with_smaller_weights_passes_within_the_stated_margin(course, runner):
    source = '''
import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def xnor(x1, x2):
    a1 = sigmoid(-9 + 6 * x1 + 6 * x2)
    a2 = sigmoid(4 - 8 * x1 - 8 * x2)
    return sigmoid(-4 + 8 * a1 + 8 * a2)
'''
    exercise = course.exercise("gates/xnor")
    sigmoid = lambda z: 1 / (1 + np.exp(-z))
    outputs = [sigmoid(-4 + 8 * sigmoid(-9 + 6 * a + 6 * b) + 8 * sigmoid(4 - 8 * a - 8 * b))
               for a, b in ((0, 0), (0, 1), (1, 0), (1, 1))]
    assert max(abs(o - t) for o, t in zip(outputs, (1, 0, 0, 1))) > 0.01  # the old, unstated band failed it
    assert judged(exercise, source, runner)[0] == "pass"
    assert "within 0.1" in exercise.prompt


def test_a_gate_off_on_some_rows_names_them(course, runner):
    source = '''
import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def xnor(x1, x2):
    a1 = sigmoid(-10 + 7 * x1 + 7 * x2)
    a2 = sigmoid(5 - 10 * x1 - 10 * x2)
    return sigmoid(-2 + 5 * a1 + 5 * a2)
'''
    status, message = judged(course.exercise("gates/xnor"), source, runner)
    assert message.startswith("For inputs (0, 1) and (1, 0) your xnor function gives ")
    assert message.endswith("where XNOR has 0 and 0; each output must be within 0.1 of the truth table.")


def test_a_module_the_sandbox_lacks_is_not_available_here(course, runner):
    source = "from scipy.special import expit\n\ndef sigmoid(z):\n    return expit(z)\n"
    verdict = check(course.exercise("sigmoid/implement"), source, runner=runner)
    assert verdict.status == "error"
    assert verdict.message.startswith("scipy is not available here: your code runs with NumPy and Python's "
                                      "standard library only, so it could not be checked.")


def test_the_checkers_own_finding_is_not_an_exception_the_learner_raised(course, runner):
    source = '''
import numpy as np

def gradient(inputs, targets, weights, bias):
    p = 1 / (1 + np.exp(-(inputs @ weights + bias)))
    return inputs.T @ (targets - p) / len(targets), np.mean(targets - p)
'''
    status, message = judged(bare(course.exercise("logistic/gradient")), source, runner)
    assert message == ("Your gradient points uphill: a small step against it makes the log-loss larger. Check the "
                       "sign: the error is p - y, not y - p. Found on case 1 of 4.")
    assert "raised" not in message


# -- the capstone ---------------------------------------------------------------------

def test_capstone_step_that_changes_nothing(course, runner):
    source = BRITZ_NETWORK.replace("STEP", "W1 = self.W1 - learning_rate * self.dW1\n        W2 = self.W2 - learning_rate * self.dW2")
    status, message = judged(course.exercise("capstone/network"), source, runner)
    assert status == "fail"
    assert message.startswith("Your Network class reached ")
    assert " accuracy on new points after 2,000 steps; the pass mark is 93%. The loss never moved from " in message


def test_capstone_britz_network_passes(course, runner):
    source = BRITZ_NETWORK.replace("STEP", "self.W1 += -learning_rate * self.dW1\n        self.b1 += -learning_rate * self.db1\n"
                                   "        self.W2 += -learning_rate * self.dW2\n        self.b2 += -learning_rate * self.db2")
    assert judged(course.exercise("capstone/network"), source, runner)[0] == "pass"


# -- the mistakes the issue lists, with the course's entries ---------------------------

LISTED = [
    ("neuron/forward", '''
import numpy as np

def neuron_output(inputs, weights, bias):
    z = np.dot(weights, inputs)
    return 1 / (1 + np.exp(-z))
''', "You left out the bias"),
    ("sigmoid/derivative", '''
def sigmoid_prime(z):
    return z * (1 - z)
''', "z * (1 - z)"),
    ("logistic/log-loss", '''
import numpy as np

def log_loss(probability, target):
    p = np.clip(probability, 1e-12, 1 - 1e-12)
    return np.mean(target * np.log(p) + (1 - target) * np.log(1 - p))
''', "minus sign"),
    ("tiny-network/train", TRASK_HEAD + '''
        syn1 = l1.T.dot(l2_delta)
        syn0 = X.T.dot(l1_delta)
    return syn0, syn1
''', "(syn1 += ...)"),
    ("moons/softmax", '''
import numpy as np

def softmax(z):
    exp_scores = np.exp(z - np.max(z))
    return exp_scores / np.sum(exp_scores)
''', "whole matrix"),
    ("vectorise/forward-all", '''
import numpy as np

def predict(inputs, weights, bias):
    return 1 / (1 + np.exp(-(weights @ inputs + bias)))
''', "inputs @ weights"),
    ("sigmoid/implement", '''
import numpy as np

def sigmoid(z):
    if z >= 0:
        return 1 / (1 + np.exp(-z))
    return np.exp(z) / (1 + np.exp(z))
''', "np.where"),
    ("circuits/numerical-dx", '''
import math

def f(a, b, c, x, y):
    return 1 / (1 + math.exp(-(a * x + b * y + c)))

def slope_x(a, b, c, x, y):
    h = 0.0001
    return (f(a, b, c, x + h, y) - f(a, b, c, x, y)) / h
''', "central difference"),
]


@pytest.mark.parametrize("exercise_id, source, named", LISTED, ids=[item[0] for item in LISTED])
def test_each_listed_mistake_is_named(course, runner, exercise_id, source, named):
    status, message = judged(course.exercise(exercise_id), source, runner)
    assert status == "fail" and named in message, message


# -- cost -----------------------------------------------------------------------------

class Counting:
    def __init__(self, runner):
        self.inner, self.runs = runner, 0

    def run(self, *args):
        self.runs += 1
        return self.inner.run(*args)


def test_mutants_cost_nothing_after_the_first_failing_check(course, runner):
    counting = Counting(runner)
    exercise = course.exercise("neuron/forward")
    wrong = "import numpy as np\n\ndef neuron_output(inputs, weights, bias):\n    return np.tanh(np.dot(inputs, weights) + bias)\n"
    check(exercise, wrong, runner=counting)
    first = counting.runs
    assert first == 1 + len(exercise.wrong)
    check(exercise, wrong.replace("tanh", "arctan"), runner=counting)
    assert counting.runs == first + 1  # only the learner's code ran


def test_fresh_cases_of_later_attempts_do_not_rerun_the_mutants(course, runner):
    counting = Counting(runner)
    exercise = course.exercise("neuron/forward")
    no_bias = "import numpy as np\n\ndef neuron_output(inputs, weights, bias):\n    return 1 / (1 + np.exp(-np.dot(weights, inputs)))\n"
    first = check(exercise, no_bias, runner=counting, seed=11)
    runs = counting.runs
    second = check(exercise, no_bias, runner=counting, seed=12)
    assert counting.runs == runs + 1
    assert first.message == second.message and "You left out the bias" in second.message


def test_britz_softmax_on_2d_rows_passes_for_one_row_too(course, runner):
    # Britz always works on (examples, classes): one row of scores comes back as a (1, n) row
    source = '''
import numpy as np

def softmax(z):
    z = np.atleast_2d(z)
    exp_scores = np.exp(z - np.max(z, axis=1, keepdims=True))
    return exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
'''
    assert judged(course.exercise("moons/softmax"), source, runner)[0] == "pass"


def test_trasks_hidden_slope_forgotten_is_named(course, runner):
    source = TRASK_HEAD.replace(" * nonlin(l1, deriv=True)", "") + '''
        syn1 += l1.T.dot(l2_delta)
        syn0 += X.T.dot(l1_delta)
    return syn0, syn1
'''
    status, message = judged(course.exercise("tiny-network/train"), source, runner)
    assert message.startswith("Your l1_delta misses the hidden layer's slope")


def test_float32_gradients_are_judged_at_float32_precision(course, runner):
    # Mazur's backward pass in float32, as a GPU-minded learner writes it
    source = '''
import numpy as np

def backward(inputs, targets, W1, b1, W2, b2):
    x, t = inputs.astype(np.float32), targets.astype(np.float32)
    W1, b1, W2, b2 = (a.astype(np.float32) for a in (W1, b1, W2, b2))
    h = 1 / (1 + np.exp(-(x @ W1 + b1)))
    o = 1 / (1 + np.exp(-(h @ W2 + b2)))
    d_o = (o - t) * o * (1 - o)
    d_h = (W2 @ d_o) * h * (1 - h)
    return {"dW1": np.outer(x, d_h), "db1": d_h, "dW2": np.outer(h, d_o), "db2": d_o}
'''
    verdict = check(course.exercise("backprop/backward"), source, runner=runner)
    assert verdict.status == "pass", verdict.render()
    assert any(line.startswith("Your code computes in float32") for line in verdict.details)


TRASK_LOOP = TRASK_HEAD + '''
        syn1 += l1.T.dot(l2_delta)
        syn0 += X.T.dot(l1_delta)
    return syn0, syn1
'''


def test_one_iteration_too_many(course, runner):
    source = TRASK_LOOP.replace("range(iterations)", "range(iterations + 1)")
    status, message = judged(bare(course.exercise("tiny-network/train")), source, runner)
    assert message == ("Your train function does one iteration too many: its result is the one after 2 iterations "
                       "where 1 was asked. Check the loop's range.")


def test_one_iteration_too_few(course, runner):
    source = TRASK_LOOP.replace("range(iterations)", "range(1, iterations)")
    status, message = judged(bare(course.exercise("tiny-network/train")), source, runner)
    assert message == ("Your train function does one iteration too few: its result is the one after 0 iterations "
                       "where 1 was asked. Check the loop's range.")
