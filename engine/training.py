"""Training a network by gradient descent, fast enough to run 60,000 steps.

`train` does the same maths as ``Network.backward`` followed by
``Network.step`` (a test checks that they agree), but it reuses the same
arrays on every step instead of allocating new ones, and writes each
formula with NumPy's ``out=`` arguments. For the tiny networks of the
articles the cost of a step is the number of NumPy calls, so the step below
makes as few as the maths allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from engine.losses import l2_penalty
from engine.network import BatchMode, check_batch_mode

if TYPE_CHECKING:
    from engine.network import Network

__all__ = ["train", "TrainingResult", "StepCallback"]

#: callback(step, loss) after each step; return False to stop training.
StepCallback = Callable[[int, float], Any]


@dataclass(frozen=True)
class TrainingResult:
    """What happened during training.

    ``losses[k]`` is the loss when step k began (before its update), so
    ``losses[0]`` is the loss of the untrained network. ``final_loss`` is the
    loss over all the data after the last step. When training stopped early,
    `stopped_early` is True and `reason` says why and at which step.
    """

    network: "Network"
    losses: np.ndarray
    steps: int
    final_loss: float
    stopped_early: bool
    reason: str

    @property
    def initial_loss(self) -> float:
        return float(self.losses[0]) if len(self.losses) else self.final_loss


def train(
    network: "Network",
    inputs: Any,
    targets: Any,
    learning_rate: float = 0.5,
    steps: int = 1000,
    loss: str = "half_squared_error",
    batch: BatchMode = "sum",
    l2: float = 0.0,
    batch_size: int | None = None,
    seed: int = 0,
    callback: StepCallback | None = None,
    divergence: float = 1e4,
) -> TrainingResult:
    """Run `steps` gradient-descent steps on `network`, in place.

    Full batch by default (every step sees all rows); with `batch_size`, each
    step sees the next slice of a shuffled order that is reshuffled (with
    `seed`) every time the data runs out, as in Nielsen's mini-batch SGD.

    Training stops early, keeping the last good weights, when the loss becomes
    NaN or infinite, when it grows beyond `divergence` times the first loss
    (the learning rate is too large), or when `callback` returns False.
    """
    check_batch_mode(batch)
    network.check_loss(loss)
    X = network.check_inputs(inputs)
    Y = network.check_targets(targets, loss, X.shape[0])
    steps = int(steps)
    if steps < 0:
        raise ValueError(f"steps must be 0 or more, got {steps}")
    learning_rate = float(learning_rate)
    if not math.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate}")
    l2 = float(l2)
    if l2 < 0:
        raise ValueError(f"l2 must be 0 or positive, got {l2}")
    rows = X.shape[0]
    if batch_size is not None and not 1 <= int(batch_size) <= rows:
        raise ValueError(f"batch_size must be between 1 and the number of rows ({rows}), got {batch_size}")

    plans: dict[int, _StepPlan] = {}
    losses: list[float] = []
    reason = f"finished {steps} steps"
    stopped_early = False
    limit = math.inf
    batches = _batches(rows, int(batch_size), seed) if batch_size and batch_size < rows else None

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(steps):
            if batches is None:
                x, y = X, Y
            else:
                index = next(batches)
                x, y = X[index], Y[index]
            plan = plans.get(x.shape[0])
            if plan is None:
                plan = plans[x.shape[0]] = _StepPlan(network, x.shape[0], loss, batch, l2)
            value = plan.forward_and_loss(x, y)
            if not value < limit:  # also true for NaN
                stopped_early = True
                reason = _stop_reason(step, value, learning_rate, losses[0] if losses else value, divergence)
                break
            losses.append(value)
            if step == 0 and value > 0:
                limit = divergence * value
            plan.backward_and_update(x, learning_rate)
            if callback is not None and callback(step, value) is False:
                stopped_early = True
                reason = f"stopped by the callback after step {step}"
                steps = step + 1
                break
        final = network.loss(X, Y, loss, batch, l2)
    taken = len(losses) if stopped_early else steps
    return TrainingResult(network, np.array(losses), taken, float(final), stopped_early, reason)


def _stop_reason(step: int, value: float, learning_rate: float, first: float, divergence: float) -> str:
    if math.isnan(value):
        what = "the loss became NaN"
    elif math.isinf(value):
        what = "the loss became infinite"
    else:
        what = f"the loss grew to {value:.6g}, more than {divergence:g} times its first value {first:.6g}"
    return (
        f"stopped at step {step}: {what}; the weights are those from before that step. "
        f"The learning rate {learning_rate:g} is probably too large."
    )


def _batches(rows: int, size: int, seed: int):
    """Endless mini-batches of row indices: shuffle, slice, reshuffle when used up."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(rows)
        for start in range(0, rows, size):
            yield order[start : start + size]


class _Layer:
    """One layer's parameters (shared with the network) and its reusable arrays."""

    __slots__ = ("W", "b", "train_bias", "z", "a", "grad_a", "tmp", "dW", "db", "wtmp", "forward", "backward")

    def __init__(self, W: np.ndarray, b: np.ndarray | None, train_bias: bool, activation: str, rows: int) -> None:
        self.W, self.b, self.train_bias = W, b, train_bias
        n_out = W.shape[1]
        self.z = np.empty((rows, n_out))
        self.a = self.z if activation == "identity" else np.empty((rows, n_out))
        self.grad_a = np.empty((rows, n_out))
        self.tmp = np.empty((rows, n_out))
        self.dW = np.empty_like(W)
        self.db = None if b is None else np.empty_like(b)
        self.wtmp = np.empty_like(W)
        self.forward = _FORWARD[activation]
        self.backward = _BACKWARD[activation]


class _StepPlan:
    """The arrays and the order of operations for one step on `rows` rows."""

    def __init__(self, network: "Network", rows: int, loss: str, batch: str, l2: float) -> None:
        train_bias = network.bias == "trained"
        self.layers = [
            _Layer(W, b, train_bias, name, rows)
            for W, b, name in zip(network.weights, network.biases, network.activations)
        ]
        self.weights = network.weights
        self.loss, self.l2 = loss, l2
        self.scale = 1.0 / rows if batch == "mean" else 1.0
        self.units = network.weights[-1].shape[1]
        self.rows_index = np.arange(rows)
        self.output_activation = network.activations[-1]
        self.delta: np.ndarray | None = None

    def forward_and_loss(self, x: np.ndarray, y: np.ndarray) -> float:
        """Forward pass, then the loss and the output delta (kept for the backward pass)."""
        matmul = np.matmul
        a = x
        for layer in self.layers:
            matmul(a, layer.W, out=layer.z)
            if layer.b is not None:
                layer.z += layer.b
            layer.forward(layer)
            a = layer.a
        value = self._output_delta(self.layers[-1], y)
        if self.l2:
            squares = 0.0
            for W in self.weights:
                squares += float(np.vdot(W, W))
            value += 0.5 * self.l2 * squares
        return value

    def _output_delta(self, last: _Layer, y: np.ndarray) -> float:
        loss, scale = self.loss, self.scale
        if loss == "half_squared_error" or loss == "mean_squared_error":
            g = last.grad_a
            np.subtract(last.a, y, out=g)
            value = float(np.vdot(g, g))
            if loss == "half_squared_error":
                value *= 0.5
                factor = scale
            else:
                value /= self.units
                factor = 2.0 * scale / self.units
            if factor != 1.0:
                g *= factor
            self.delta = last.backward(last, g)
            return value * scale
        if loss == "binary_cross_entropy" and self.output_activation == "sigmoid":
            # softplus(z) - y z is -[y log a + (1 - y) log(1 - a)] written without a logarithm of 0.
            np.logaddexp(0.0, last.z, out=last.tmp)
            np.multiply(y, last.z, out=last.grad_a)
            last.tmp -= last.grad_a
            value = float(last.tmp.sum()) / self.units
            delta = last.grad_a
            np.subtract(last.a, y, out=delta)
            factor = scale / self.units
            if factor != 1.0:
                delta *= factor
            self.delta = delta
            return value * scale
        if loss == "softmax_cross_entropy":
            # First the plain formula, exactly as Britz writes it (so we match his
            # numbers bit for bit): probabilities e^z / sum e^z, loss -log p[label].
            z, delta = last.z, last.grad_a
            np.exp(z, out=delta)
            sums = delta.sum(axis=1, keepdims=True)
            delta /= sums
            value = -float(np.log(delta[self.rows_index, y]).sum())
            if not math.isfinite(value):
                # e^z overflowed, or a probability underflowed to 0: redo it the
                # careful way, subtracting each row's largest logit first.
                shifted = last.tmp
                np.subtract(z, z.max(axis=1, keepdims=True), out=shifted)
                np.exp(shifted, out=delta)
                sums = delta.sum(axis=1, keepdims=True)
                value = float(np.log(sums).sum()) - float(shifted[self.rows_index, y].sum())
                delta /= sums
            delta[self.rows_index, y] -= 1.0
            if scale != 1.0:
                delta *= scale
            self.delta = delta
            return value * scale
        # Any other pairing (say binary cross-entropy after tanh): the plain formulas.
        from engine.losses import total_loss, total_loss_grad

        value = total_loss(loss, last.a, y)
        np.multiply(total_loss_grad(loss, last.a, y), scale, out=last.grad_a)
        self.delta = last.backward(last, last.grad_a)
        return value * scale

    def backward_and_update(self, x: np.ndarray, learning_rate: float) -> None:
        """BP2-BP4 from the output layer down, stepping each layer once its delta has moved on."""
        matmul = np.matmul
        layers, l2 = self.layers, self.l2
        delta = self.delta
        for index in range(len(layers) - 1, -1, -1):
            layer = layers[index]
            below = layers[index - 1].a if index else x
            matmul(below.T, delta, out=layer.dW)
            if l2:
                np.multiply(layer.W, l2, out=layer.wtmp)
                layer.dW += layer.wtmp
            if layer.train_bias:
                np.sum(delta, axis=0, out=layer.db)
            if index:
                previous = layers[index - 1]
                matmul(delta, layer.W.T, out=previous.grad_a)  # uses W before this step changes it
                delta = previous.backward(previous, previous.grad_a)
            layer.dW *= learning_rate
            layer.W -= layer.dW
            if layer.train_bias:
                layer.db *= learning_rate
                layer.b -= layer.db


# --- activations written in place --------------------------------------------
# forward(layer): layer.a = f(layer.z).   backward(layer, g): g * f'(z), returned.


def _sigmoid_forward(layer: _Layer) -> None:
    a = layer.a
    np.negative(layer.z, out=a)
    np.exp(a, out=a)
    a += 1.0
    np.reciprocal(a, out=a)


def _sigmoid_backward(layer: _Layer, g: np.ndarray) -> np.ndarray:
    tmp = layer.tmp
    np.subtract(1.0, layer.a, out=tmp)
    tmp *= layer.a
    np.multiply(g, tmp, out=g)
    return g


def _tanh_forward(layer: _Layer) -> None:
    np.tanh(layer.z, out=layer.a)


def _tanh_backward(layer: _Layer, g: np.ndarray) -> np.ndarray:
    tmp = layer.tmp
    np.multiply(layer.a, layer.a, out=tmp)
    np.subtract(1.0, tmp, out=tmp)
    np.multiply(g, tmp, out=g)
    return g


def _relu_forward(layer: _Layer) -> None:
    np.maximum(layer.z, 0.0, out=layer.a)


def _relu_backward(layer: _Layer, g: np.ndarray) -> np.ndarray:
    np.greater(layer.z, 0.0, out=layer.tmp)
    np.multiply(g, layer.tmp, out=g)
    return g


def _identity_forward(layer: _Layer) -> None:
    pass  # layer.a is layer.z


def _identity_backward(layer: _Layer, g: np.ndarray) -> np.ndarray:
    return g


def _softmax_forward(layer: _Layer) -> None:
    a = layer.a
    np.subtract(layer.z, layer.z.max(axis=1, keepdims=True), out=a)
    np.exp(a, out=a)
    a /= a.sum(axis=1, keepdims=True)


def _softmax_backward(layer: _Layer, g: np.ndarray) -> np.ndarray:
    tmp = layer.tmp
    np.multiply(g, layer.a, out=tmp)
    np.subtract(g, tmp.sum(axis=1, keepdims=True), out=g)
    g *= layer.a
    return g


_FORWARD = {
    "sigmoid": _sigmoid_forward,
    "tanh": _tanh_forward,
    "relu": _relu_forward,
    "identity": _identity_forward,
    "softmax": _softmax_forward,
}
_BACKWARD = {
    "sigmoid": _sigmoid_backward,
    "tanh": _tanh_backward,
    "relu": _relu_backward,
    "identity": _identity_backward,
    "softmax": _softmax_backward,
}
