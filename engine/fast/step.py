"""The fast step: `Network.backward` then `Network.step`, with reused arrays.

Not the reading path. engine/network.py says what one step of gradient
descent computes; this file computes the same numbers for the 60,000 steps of
Trask's run while a learner watches. For the articles' tiny networks the cost
of a step is the number of NumPy calls, not the arithmetic, so every array is
allocated once per batch size and every formula is written with ``out=``.

The order of the floating-point operations is the one Trask and Britz write
(their sigmoid, their plain softmax), so a run equals their own code bit for
bit on the same machine. tests/test_engine_fast.py checks that it gives the
numbers of the readable step.
"""

from __future__ import annotations

import math

import numpy as np

from engine.losses import total_loss, total_loss_grad
from engine.network import Network

__all__ = ["FastStep"]


class FastStep:
    """What `engine.training.train` needs of a step (``loss``, ``update``), made fast."""

    def __init__(self, network: Network, loss: str, batch: str, l2: float) -> None:
        self.network, self.loss_name, self.batch, self.l2 = network, loss, batch, l2
        self.plans: dict[int, _StepPlan] = {}
        self.plan: _StepPlan | None = None

    def loss(self, x: np.ndarray, y: np.ndarray) -> float:
        rows = x.shape[0]
        plan = self.plans.get(rows)
        if plan is None:
            plan = self.plans[rows] = _StepPlan(self.network, rows, self.loss_name, self.batch, self.l2)
        self.plan = plan
        return plan.forward_and_loss(x, y)

    def update(self, x: np.ndarray, learning_rate: float) -> None:
        assert self.plan is not None, "call loss(x, y) before update"
        self.plan.backward_and_update(x, learning_rate)


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

    def __init__(self, network: Network, rows: int, loss: str, batch: str, l2: float) -> None:
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
