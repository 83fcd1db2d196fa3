"""A dense (fully connected) network, written to be read.

Conventions, as Trask and Britz write them:

* Examples are ROWS. A batch of 4 examples with 3 features is a (4, 3) array.
* Layer l has weights W of shape (n_in, n_out) and biases b of shape (n_out,),
  and computes ``z = a_prev @ W + b`` then ``a = activation(z)``.
* Layers are numbered from 1 in messages, like Nielsen's l = 2, 3, ...; in
  Python the lists are indexed from 0, so layer 1 is ``weights[0]``.

Mazur's single example with inputs 0.05, 0.10 is the (1, 2) row
[[0.05, 0.10]], and his weight w1 (from i1 to h1) sits at ``weights[0][0, 0]``,
w2 (from i2 to h1) at ``weights[0][1, 0]``, w3 (from i1 to h2) at
``weights[0][0, 1]``.

Read `forward`, then `backward` beside it: the backward pass walks the same
layers in reverse, and each of its lines is the chain rule applied to one line
of the forward pass (Nielsen's four equations BP1-BP4). Checking the inputs
lives in engine/_checks.py, so that this file is the maths. `engine.fast` runs
the same maths with reused buffers, because training calls it thousands of
times; the tests check that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Sequence

import numpy as np

from engine import _checks
from engine._checks import BatchMode, BiasMode, check_batch_mode
from engine.activations import activation_derivative, activation_function
from engine.losses import l2_penalty, total_loss, total_loss_grad

__all__ = ["Network", "ForwardPass", "BackwardPass", "Gradients", "BiasMode", "BatchMode"]


@dataclass(frozen=True)
class ForwardPass:
    """Everything the forward pass computed.

    ``zs[l]`` is the weighted input of layer l+1 and ``activations[l+1]`` its
    output; ``activations[0]`` is the input itself, so ``activations`` is one
    longer than ``zs``, exactly as in Nielsen's code.
    """

    zs: tuple[np.ndarray, ...]
    activations: tuple[np.ndarray, ...]

    @property
    def output(self) -> np.ndarray:
        return self.activations[-1]


@dataclass(frozen=True)
class Gradients:
    """d(loss)/d(parameter) for every weight matrix and bias vector.

    ``biases[l]`` is None when the network has no biases. Frozen biases still
    get their gradient computed (it is interesting to look at); they are just
    never changed by a step.
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray | None, ...]


@dataclass(frozen=True)
class BackwardPass:
    """One forward and backward pass: the loss, every delta and every gradient.

    ``deltas[l]`` is dL/dz for layer l+1 (Nielsen's delta^l), one row per example.
    """

    forward: ForwardPass
    loss: float
    deltas: tuple[np.ndarray, ...]
    gradients: Gradients

    @property
    def output(self) -> np.ndarray:
        return self.forward.output




class Network:
    """A stack of dense layers with per-layer activations.

    Build one from explicit weights (``Network(weights, biases, ...)`` or
    ``Network.from_weights``) or from layer sizes and a seed
    (``Network.from_sizes([2, 3, 1], seed=0)``). `bias` is "trained" (biases
    learn), "frozen" (biases are used but never updated, as in Mazur's
    example) or "absent" (no biases at all, as in Trask's network).
    """

    def __init__(
        self,
        weights: Sequence[Any],
        biases: Sequence[Any] | None = None,
        activations: str | Sequence[str] = "sigmoid",
        bias: BiasMode = "trained",
    ) -> None:
        self.bias: BiasMode = _checks.check_bias_mode(bias)  # type: ignore[assignment]
        self.weights: list[np.ndarray] = _checks.weight_matrices(weights)
        self.biases: list[np.ndarray | None] = _checks.bias_vectors(self.bias, biases, self.weights)
        self.activations: tuple[str, ...] = _checks.activation_names(activations, len(self.weights))

    @classmethod
    def from_weights(
        cls,
        weights: Sequence[Any],
        biases: Sequence[Any] | None = None,
        activations: str | Sequence[str] = "sigmoid",
        bias: BiasMode = "trained",
    ) -> "Network":
        """The same as ``Network(...)``, under a name that says what it does."""
        return cls(weights, biases, activations, bias)

    @classmethod
    def from_sizes(
        cls,
        sizes: Sequence[int],
        activations: str | Sequence[str] = "sigmoid",
        seed: int = 0,
        bias: BiasMode = "trained",
        init: Literal["normal", "uniform"] = "normal",
    ) -> "Network":
        """Random weights for layer sizes like [2, 3, 1] (inputs, hidden, outputs).

        "normal" draws W ~ N(0, 1) / sqrt(n_in), Britz's choice, so that each
        weighted sum starts out roughly of size 1 however many inputs feed it;
        "uniform" draws from [-1, 1), Trask's ``2 * random - 1``. Biases start at
        0: the random weights already make the neurons differ.
        """
        sizes = [int(size) for size in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least an input and an output size, all positive; got {sizes}")
        if init not in ("normal", "uniform"):
            raise ValueError(f"init must be 'normal' or 'uniform', got {init!r}")
        rng = np.random.default_rng(seed)
        weights = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            if init == "normal":
                weights.append(rng.standard_normal((n_in, n_out)) / np.sqrt(n_in))
            else:
                weights.append(2.0 * rng.random((n_in, n_out)) - 1.0)
        biases = None if bias == "absent" else [np.zeros(n_out) for n_out in sizes[1:]]
        return cls(weights, biases, activations, bias)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Layer sizes, inputs first: (2, 2, 2) for Mazur's network."""
        return (self.weights[0].shape[0], *(w.shape[1] for w in self.weights))

    def copy(self) -> "Network":
        """An independent copy, so training it leaves this one untouched."""
        biases = None if self.bias == "absent" else [b.copy() for b in self.biases]  # type: ignore[union-attr]
        return Network([w.copy() for w in self.weights], biases, self.activations, self.bias)

    def __repr__(self) -> str:
        return f"Network(sizes={list(self.sizes)}, activations={list(self.activations)}, bias={self.bias!r})"

    # --- forward: inputs -> output ----------------------------------------

    def forward(self, inputs: Any) -> ForwardPass:
        """Feed the inputs through every layer, keeping every z and every a.

        Each layer is two lines: the weighted sums z = a_prev @ W + b (every
        neuron of the layer at once, every example at once), then the
        activation a = f(z). `backward` needs all of them, so all are kept.
        """
        a = self.check_inputs(inputs)
        zs, activations = [], [a]
        for W, b, name in zip(self.weights, self.biases, self.activations):
            z = a @ W if b is None else a @ W + b
            a = activation_function(name)(z)
            zs.append(z)
            activations.append(a)
        return ForwardPass(tuple(zs), tuple(activations))

    def predict(self, inputs: Any) -> np.ndarray:
        """Just the output of the last layer."""
        return self.forward(inputs).output

    def loss(
        self, inputs: Any, targets: Any, loss: str = "half_squared_error", batch: BatchMode = "sum", l2: float = 0.0
    ) -> float:
        """The number training drives down: the loss summed or averaged over rows, plus the L2 penalty."""
        self.check_loss(loss)
        check_batch_mode(batch)
        output = self.forward(inputs).output
        targets = self.check_targets(targets, loss, output.shape[0])
        value = total_loss(loss, output, targets)
        if batch == "mean":
            value /= output.shape[0]
        return value + float(l2_penalty(self.weights, l2)) if l2 else value

    # --- backward: the chain rule through the same lines, output first -----

    def backward(
        self, inputs: Any, targets: Any, loss: str = "half_squared_error", batch: BatchMode = "sum", l2: float = 0.0
    ) -> BackwardPass:
        """Backpropagation: Nielsen's four equations, one per line below.

        Read it against `forward`. ``a = f(z)`` gives ``dL/dz = dL/da * f'(z)``;
        ``z = a_prev @ W + b`` gives ``dL/dW = a_prev.T @ dL/dz``, ``dL/db =
        dL/dz`` summed over the rows, and ``dL/da_prev = dL/dz @ W.T``, which is
        where the layer below starts. The delta of a layer is its dL/dz:

        BP1  delta_L = dL/da_L * activation'(z_L)        (the output layer)
        BP2  delta_l = (delta_{l+1} @ W_{l+1}.T) * activation'(z_l)
        BP3  dL/db_l = delta_l summed over the rows
        BP4  dL/dW_l = a_{l-1}.T @ delta_l

        With batch="mean" every gradient is divided by the number of rows.
        L2 adds lam * W to the weight gradients only.
        """
        self.check_loss(loss)
        check_batch_mode(batch)
        pass_ = self.forward(inputs)
        output = pass_.output
        rows = output.shape[0]
        targets = self.check_targets(targets, loss, rows)
        value = total_loss(loss, output, targets)
        scale = 1.0 / rows if batch == "mean" else 1.0

        delta = self._output_delta(loss, pass_, targets) * scale  # BP1
        deltas = [delta]
        for index in range(len(self.weights) - 1, 0, -1):
            z = pass_.zs[index - 1]
            derivative = activation_derivative(self.activations[index - 1])(z)
            delta = (delta @ self.weights[index].T) * derivative  # BP2
            deltas.append(delta)
        deltas.reverse()

        weight_grads = tuple(
            pass_.activations[i].T @ deltas[i] + (l2 * self.weights[i] if l2 else 0.0)  # BP4 (+ L2)
            for i in range(len(self.weights))
        )
        bias_grads = tuple(None if b is None else deltas[i].sum(axis=0) for i, b in enumerate(self.biases))  # BP3
        value = value * scale + (float(l2_penalty(self.weights, l2)) if l2 else 0.0)
        return BackwardPass(pass_, value, tuple(deltas), Gradients(weight_grads, bias_grads))

    def _output_delta(self, loss: str, pass_: ForwardPass, targets: np.ndarray) -> np.ndarray:
        """dL/dz for the output layer (before any averaging over rows).

        In general it is dL/da (the loss's gradient) times f'(z). Two pairings
        simplify beautifully and are used as such: a sigmoid output with binary
        cross-entropy gives (a - y) / n_outputs, and softmax_cross_entropy on
        logits gives softmax(z) - one_hot(y).
        """
        output, z, name = pass_.output, pass_.zs[-1], self.activations[-1]
        if loss == "binary_cross_entropy" and name == "sigmoid":
            return (output - targets) / output.shape[1]
        grad_output = total_loss_grad(loss, output, targets)
        if name == "softmax":
            # The softmax Jacobian applied to a row g: a * (g - sum(g * a)).
            return output * (grad_output - np.sum(grad_output * output, axis=1, keepdims=True))
        return grad_output * activation_derivative(name)(z)

    # --- learning: one step downhill ----------------------------------------

    def step(self, gradients: Gradients, learning_rate: float) -> None:
        """One gradient-descent step, in place: every parameter moves against its gradient.

        Frozen biases stay where they are.
        """
        learning_rate = float(learning_rate)
        for W, dW in zip(self.weights, gradients.weights):
            W -= learning_rate * dW
        if self.bias == "trained":
            for b, db in zip(self.biases, gradients.biases):
                b -= learning_rate * db  # type: ignore[operator]

    def train_step(
        self,
        inputs: Any,
        targets: Any,
        learning_rate: float,
        loss: str = "half_squared_error",
        batch: BatchMode = "sum",
        l2: float = 0.0,
    ) -> BackwardPass:
        """Backward pass then one step; returns the pass (computed before the step).

        Repeating this is all training is: engine/training.py does it `steps`
        times and watches the loss.
        """
        result = self.backward(inputs, targets, loss, batch, l2)
        self.step(result.gradients, learning_rate)
        return result

    # --- what the maths is fed (checked in engine/_checks.py) ---------------

    def check_inputs(self, inputs: Any) -> np.ndarray:
        """Inputs as a (rows, features) array; one flat list counts as one example."""
        return _checks.input_rows(inputs, self.weights[0])

    def check_targets(self, targets: Any, loss: str, rows: int) -> np.ndarray:
        """Targets shaped like the output (class numbers for softmax_cross_entropy)."""
        return _checks.target_rows(targets, loss, rows, self.weights)

    def check_loss(self, loss: str) -> str:
        """`loss` if the engine knows it and it fits this network's output layer."""
        return _checks.loss_for_output(loss, self.activations[-1])
