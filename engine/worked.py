"""The sources' worked examples, rebuilt from the engine.

Each function takes no arguments (or only optional ones) and returns a frozen
dataclass whose field names follow the source (Mazur's ``out_o1``,
``E_total``, ``dE_dw5``; Trask's ``syn0``; Britz's ``loss_after``), so a
lesson can name a function and select one number. Nothing here is typed in:
every value is computed by the engine from the source's data, seeds and
update rules, and the tests compare them with the published numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from engine.activations import sigmoid
from engine.datasets import logic_gate, trask_3bit, two_moons
from engine.network import BackwardPass, Network
from engine.training import StepCallback, train
from engine.value import Value

__all__ = [
    "MAZUR_INPUTS",
    "MAZUR_TARGETS",
    "mazur_network",
    "mazur_forward",
    "mazur_gradients",
    "mazur_step",
    "mazur_training",
    "trask_network",
    "trask_two_layer",
    "britz_moons",
    "ng_gate_neuron",
    "ng_xnor_network",
    "karpathy_gate",
    "karpathy_circuit",
    "karpathy_neuron",
]

# --- Matt Mazur, "A Step by Step Backpropagation Example" --------------------

#: Mazur's single training example: inputs i1, i2 and targets for o1, o2.
MAZUR_INPUTS = (0.05, 0.10)
MAZUR_TARGETS = (0.01, 0.99)


def mazur_network() -> Network:
    """Mazur's 2-2-2 sigmoid network, w1..w8 = 0.15 ... 0.55, b1 = 0.35, b2 = 0.60.

    Rows are inputs and columns are neurons (z = a @ W + b), so h1's weights
    w1 (from i1) and w2 (from i2) form the first COLUMN of weights[0]. Mazur
    never updates his biases: they are frozen.
    """
    hidden = [[0.15, 0.25], [0.20, 0.30]]  # [[w1, w3], [w2, w4]]
    output = [[0.40, 0.50], [0.45, 0.55]]  # [[w5, w7], [w6, w8]]
    return Network([hidden, output], [[0.35, 0.35], [0.60, 0.60]], "sigmoid", bias="frozen")


@dataclass(frozen=True)
class MazurForward:
    net_h1: np.float64
    out_h1: np.float64
    net_h2: np.float64
    out_h2: np.float64
    net_o1: np.float64
    out_o1: np.float64
    net_o2: np.float64
    out_o2: np.float64
    E_o1: np.float64
    E_o2: np.float64
    E_total: np.float64


def mazur_forward() -> MazurForward:
    """The forward pass, named as in the article (out_h1 = 0.593269992, E_total = 0.298371109)."""
    network = mazur_network()
    pass_ = network.forward([MAZUR_INPUTS])
    (net_h1, net_h2), (net_o1, net_o2) = pass_.zs[0][0], pass_.zs[1][0]
    (out_h1, out_h2), (out_o1, out_o2) = pass_.activations[1][0], pass_.activations[2][0]
    errors = 0.5 * (np.array(MAZUR_TARGETS) - pass_.output[0]) ** 2
    return MazurForward(
        net_h1, out_h1, net_h2, out_h2, net_o1, out_o1, net_o2, out_o2,
        errors[0], errors[1], np.float64(errors.sum()),
    )  # fmt: skip


@dataclass(frozen=True)
class MazurGradients:
    """The chain-rule pieces Mazur names, and every dE_total/dw."""

    dE_dout_o1: np.float64
    dout_o1_dnet_o1: np.float64
    dnet_o1_dw5: np.float64
    delta_o1: np.float64
    delta_o2: np.float64
    dE_dout_h1: np.float64
    dout_h1_dnet_h1: np.float64
    dE_dw1: np.float64
    dE_dw2: np.float64
    dE_dw3: np.float64
    dE_dw4: np.float64
    dE_dw5: np.float64
    dE_dw6: np.float64
    dE_dw7: np.float64
    dE_dw8: np.float64
    backward: BackwardPass


def mazur_gradients() -> MazurGradients:
    """The backward pass: dE/dw5 = 0.082167041, dE/dw1 = 0.000438568, ..."""
    network = mazur_network()
    result = network.backward([MAZUR_INPUTS], [MAZUR_TARGETS], "half_squared_error")
    dW1, dW2 = result.gradients.weights
    out_h1 = result.forward.activations[1][0, 0]
    out_o1 = result.output[0, 0]
    delta_o = result.deltas[1][0]
    return MazurGradients(
        dE_dout_o1=np.float64(out_o1 - MAZUR_TARGETS[0]),
        dout_o1_dnet_o1=np.float64(out_o1 * (1 - out_o1)),
        dnet_o1_dw5=np.float64(out_h1),
        delta_o1=delta_o[0],
        delta_o2=delta_o[1],
        dE_dout_h1=np.float64(delta_o @ network.weights[1][0]),
        dout_h1_dnet_h1=np.float64(out_h1 * (1 - out_h1)),
        dE_dw1=dW1[0, 0], dE_dw2=dW1[1, 0], dE_dw3=dW1[0, 1], dE_dw4=dW1[1, 1],
        dE_dw5=dW2[0, 0], dE_dw6=dW2[1, 0], dE_dw7=dW2[0, 1], dE_dw8=dW2[1, 1],
        backward=result,
    )  # fmt: skip


@dataclass(frozen=True)
class MazurStep:
    """The weights after one step of learning rate 0.5, and the error before and after.

    ``E_total_after`` is the correct 0.2910277737. Mazur published 0.291027924:
    his figure comes from computing the hidden layer's gradients with w5..w8
    ALREADY updated. ``E_total_after_mazur_order`` recomputes that mistaken
    order, to show where his number comes from.
    """

    w1: np.float64
    w2: np.float64
    w3: np.float64
    w4: np.float64
    w5: np.float64
    w6: np.float64
    w7: np.float64
    w8: np.float64
    E_total_before: np.float64
    E_total_after: np.float64
    E_total_after_mazur_order: np.float64
    network: Network


def mazur_step(learning_rate: float = 0.5) -> MazurStep:
    """One gradient-descent step on Mazur's network, done correctly (and his way, for comparison)."""
    network = mazur_network()
    before = network.train_step([MAZUR_INPUTS], [MAZUR_TARGETS], learning_rate).loss
    after = network.loss([MAZUR_INPUTS], [MAZUR_TARGETS])
    (w1, w3), (w2, w4) = network.weights[0]
    (w5, w7), (w6, w8) = network.weights[1]
    his = mazur_network()
    mazur_order_step(his, learning_rate)
    his_after = his.loss([MAZUR_INPUTS], [MAZUR_TARGETS])
    return MazurStep(
        w1, w2, w3, w4, w5, w6, w7, w8,
        np.float64(before), np.float64(after), np.float64(his_after), network,
    )  # fmt: skip


def mazur_order_step(network: Network, learning_rate: float) -> float:
    """One step in the order of Mazur's article, in place; returns the loss before it.

    He updates the output weights w5..w8 first, then backpropagates through the
    NEW w5..w8 to get the hidden gradients. The slope it follows is then no
    longer the slope at any one point, which is why his error after one step,
    0.291027924, differs from the correct 0.2910277737.
    """
    output_step = network.backward([MAZUR_INPUTS], [MAZUR_TARGETS])
    network.weights[1] -= learning_rate * output_step.gradients.weights[1]
    hidden = output_step.forward.activations[1]
    hidden_delta = (output_step.deltas[1] @ network.weights[1].T) * (hidden * (1 - hidden))
    network.weights[0] -= learning_rate * (output_step.forward.activations[0].T @ hidden_delta)
    return output_step.loss


@dataclass(frozen=True)
class MazurTraining:
    """Mazur's network after `steps` steps.

    ``E_total``, ``out_o1`` and ``out_o2`` come from the forward pass of the
    last step (before its update); ``final_loss``, ``final_out_o1`` and
    ``final_out_o2`` from the network after every update. ``losses[k]`` is
    E_total when step k began.

    His published figures after 10,000 steps are reproduced, but not by one
    run: E_total = 0.0000351085 is the correct order's last-step error
    (``E_total`` with ``order="correct"``), while out_o1 = 0.015912196 and
    out_o2 = 0.984065734 are the outputs after all 10,000 updates in his own
    order (``final_out_o1`` and ``final_out_o2`` with ``order="mazur"``). The
    correct order ends at out_o1 = 0.015914185.
    """

    E_total: np.float64
    out_o1: np.float64
    out_o2: np.float64
    final_loss: np.float64
    losses: np.ndarray
    network: Network
    final_out_o1: np.float64
    final_out_o2: np.float64


def mazur_training(
    steps: int = 10_000, learning_rate: float = 0.5, order: str = "correct", callback: StepCallback | None = None
) -> MazurTraining:
    """Repeat the step (Mazur: "after repeating this process 10,000 times, the error plummets").

    `order` is "correct" (every gradient from the same forward pass, then every
    update) or "mazur" (the article's order: w5..w8 updated before the hidden
    gradients are computed through them; see `mazur_order_step`).

    `callback(step, loss)`, if given, sees each ``losses[step]`` as soon as it
    is known, so a learner can watch the error plummet while it happens;
    returning False stops the run there (the result then holds fewer steps).
    """
    if order not in ("correct", "mazur"):
        raise ValueError(f"order must be 'correct' or 'mazur' (the article's update order), got {order!r}")
    steps = int(steps)
    network = mazur_network()
    if order == "mazur":
        losses_list: list[float] = []
        for step in range(steps):
            if step == steps - 1:
                out = network.predict([MAZUR_INPUTS])[0]
            losses_list.append(mazur_order_step(network, learning_rate))
            if callback is not None and callback(step, losses_list[-1]) is False:
                break
        if len(losses_list) < steps or not steps:
            out = network.predict([MAZUR_INPUTS])[0]
        losses = np.array(losses_list)
        final_loss = network.loss([MAZUR_INPUTS], [MAZUR_TARGETS])
    else:
        earlier = train(network, [MAZUR_INPUTS], [MAZUR_TARGETS], learning_rate=learning_rate,
                        steps=max(steps - 1, 0), callback=callback)
        out = network.predict([MAZUR_INPUTS])[0]
        if earlier.stopped_early or not steps:
            losses, final_loss = earlier.losses, earlier.final_loss
        else:
            last_step = None if callback is None else _shifted(callback, len(earlier.losses))
            last = train(network, [MAZUR_INPUTS], [MAZUR_TARGETS], learning_rate=learning_rate, steps=1,
                         callback=last_step)
            losses = np.concatenate([earlier.losses, last.losses])
            final_loss = last.final_loss
    final_out = network.predict([MAZUR_INPUTS])[0]
    E_total = np.float64(losses[-1]) if len(losses) else np.float64(final_loss)
    return MazurTraining(E_total, out[0], out[1], np.float64(final_loss), losses, network, final_out[0], final_out[1])


def _shifted(callback: StepCallback, offset: int) -> StepCallback:
    """The callback of a run continued in pieces: step numbers count from the very first piece."""
    return lambda step, loss: callback(step + offset, loss)


# --- Andrew Trask, "A Neural Network in 11 Lines of Python" -------------------


@dataclass(frozen=True)
class TraskNetwork:
    """Trask's network after training. ``errors[j]`` is what his code prints at
    iteration j: the mean absolute error of that iteration's forward pass."""

    syn0: np.ndarray
    syn1: np.ndarray
    output: np.ndarray
    errors: dict[int, np.float64]
    losses: np.ndarray
    network: Network


def trask_network(
    iterations: int = 60_000,
    seed: int = 1,
    hidden: int = 4,
    report_every: int = 10_000,
    callback: StepCallback | None = None,
) -> TraskNetwork:
    """Trask's 3-layer network: 3 inputs, `hidden` sigmoid units, 1 sigmoid output, no biases.

    His code after ``np.random.seed(1)``: syn0 = 2 random((3, 4)) - 1, then
    syn1 = 2 random((4, 1)) - 1, then ``syn += l.T.dot(delta)`` with
    delta = (y - l) * l (1 - l). That is gradient descent on the half squared
    error, summed over the four examples, with learning rate 1.

    `callback(step, loss)` sees each ``losses[step]`` during training; returning
    False stops the run there.
    """
    X, y = trask_3bit("xor")
    legacy = np.random.RandomState(seed)
    syn0 = 2 * legacy.random_sample((3, hidden)) - 1
    syn1 = 2 * legacy.random_sample((hidden, 1)) - 1
    network = Network([syn0, syn1], activations="sigmoid", bias="absent")
    errors, losses = {}, []
    done = 0
    while done < iterations:
        if done % report_every == 0:
            errors[done] = np.float64(np.mean(np.abs(y - network.predict(X))))
        chunk = min(report_every - done % report_every, iterations - done)
        piece = train(network, X, y, learning_rate=1.0, steps=chunk,
                      callback=None if callback is None else _shifted(callback, done))
        losses.append(piece.losses)
        done += chunk
        if piece.stopped_early:
            break
    output = network.predict(X)
    return TraskNetwork(
        network.weights[0].copy(), network.weights[1].copy(), output, errors,
        np.concatenate(losses) if losses else np.empty(0), network,
    )  # fmt: skip


@dataclass(frozen=True)
class TraskTwoLayer:
    syn0: np.ndarray
    output: np.ndarray
    network: Network


def trask_two_layer(iterations: int = 10_000, seed: int = 1) -> TraskTwoLayer:
    """Trask's first network: one sigmoid neuron learning y = the first input bit.

    His printed "Output After Training" is the forward pass of the last
    iteration, i.e. before its update; so is ``output`` here.
    """
    X, y = trask_3bit("first")
    syn0 = 2 * np.random.RandomState(seed).random_sample((3, 1)) - 1
    network = Network([syn0], activations="sigmoid", bias="absent")
    if iterations > 1:
        train(network, X, y, learning_rate=1.0, steps=iterations - 1)
    output = network.predict(X)
    if iterations > 0:
        train(network, X, y, learning_rate=1.0, steps=1)
    return TraskTwoLayer(network.weights[0].copy(), output, network)


# --- Denny Britz, "Implementing a Neural Network from Scratch in Python" -----


@dataclass(frozen=True)
class BritzMoons:
    """Britz's moons network after training.

    ``loss_after[i]`` is what his code prints as "Loss after iteration i":
    the loss after i + 1 updates, divided by the number of examples, with the
    L2 term reg_lambda/2 sum W^2 included.
    """

    loss_after: dict[int, np.float64]
    losses: np.ndarray
    final_loss: np.float64
    accuracy: np.float64
    network: Network
    grid_classes: np.ndarray | None = None


def britz_moons(
    hidden_size: int = 3,
    passes: int = 20_000,
    epsilon: float = 0.01,
    reg_lambda: float = 0.01,
    seed: int = 0,
    print_every: int = 1000,
    callback: StepCallback | None = None,
    grid: Any = None,
) -> BritzMoons:
    """2 inputs, a tanh hidden layer, 2 softmax outputs, on make_moons(200, noise=0.20).

    His gradients are SUMMED over the 200 examples (not averaged), L2 adds
    reg_lambda * W to the weight gradients, and the weights start as
    randn(n_in, n_out) / sqrt(n_in) right after ``np.random.seed(0)``.

    `callback(step, loss)` sees each ``losses[step]`` during training (return
    False to stop). `grid`, an (n, 2) array of points, asks for the trained
    network's class at each of them (``grid_classes``): colour a grid by it
    and the decision boundary appears, as in Britz's plots.
    """
    X, labels = two_moons(200, noise=0.2, seed=0)
    legacy = np.random.RandomState(seed)
    W1 = legacy.randn(2, hidden_size) / np.sqrt(2)
    W2 = legacy.randn(hidden_size, 2) / np.sqrt(hidden_size)
    network = Network([W1, W2], [np.zeros(hidden_size), np.zeros(2)], ["tanh", "identity"], "trained")
    rows = X.shape[0]
    result = train(
        network, X, labels, learning_rate=epsilon, steps=passes,
        loss="softmax_cross_entropy", batch="sum", l2=reg_lambda,
        callback=None if callback is None else _after_update(callback, rows),
    )  # fmt: skip
    after_update = np.append(result.losses[1:], result.final_loss) / rows if len(result.losses) else np.empty(0)
    if callback is not None and len(after_update) and not result.stopped_early:
        callback(len(after_update) - 1, float(after_update[-1]))  # the loss after the last update
    loss_after = {i: np.float64(after_update[i]) for i in range(0, len(after_update), print_every)}
    predictions = np.argmax(network.predict(X), axis=1)
    grid_classes = None if grid is None else np.argmax(network.predict(grid), axis=1)
    return BritzMoons(
        loss_after, after_update, np.float64(result.final_loss / rows),
        np.float64(np.mean(predictions == labels)), network, grid_classes,
    )  # fmt: skip


def _after_update(callback: StepCallback, rows: int) -> StepCallback:
    """Britz reports the loss AFTER each update, per example; `train` reports it
    before. The loss before step k is the loss after update k - 1, so each
    report is passed on one step late (the last one comes after training)."""

    def report(step: int, loss: float) -> Any:
        return True if step == 0 else callback(step - 1, loss / rows)

    return report


# --- Andrew Ng, logic gates from single neurons ---------------------------------

_NG_GATES = {
    "AND": (-30.0, (20.0, 20.0)),
    "OR": (-10.0, (20.0, 20.0)),
    "NOR": (10.0, (-20.0, -20.0)),  # Ng's "(NOT x1) AND (NOT x2)"
    "NAND": (30.0, (-20.0, -20.0)),  # not in the lecture: AND with every sign flipped
}


@dataclass(frozen=True)
class NgGate:
    """A gate neuron on the four input pairs: h = sigmoid(bias + w1 x1 + w2 x2)."""

    gate: str
    bias: np.float64
    weights: np.ndarray
    inputs: np.ndarray
    outputs: np.ndarray
    predictions: np.ndarray
    truth_table: np.ndarray
    matches: bool


def ng_gate_neuron(gate: str = "AND", bias: float | None = None, weights: Sequence[float] | None = None) -> NgGate:
    """Ng's neuron for `gate` (AND: -30, 20, 20), or your own bias and weights tried on that gate.

    With weights of size 20 the sigmoid is pushed to within 5e-5 of 0 or 1,
    so the neuron behaves like the logic gate.
    """
    key = gate.upper()
    data = logic_gate(key)
    if bias is None or weights is None:
        if key not in _NG_GATES:
            raise ValueError(f"Ng gives weights for {', '.join(_NG_GATES)}; pass bias and weights for {key}")
        default_bias, default_weights = _NG_GATES[key]
        bias = default_bias if bias is None else bias
        weights = default_weights if weights is None else weights
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (2,):
        raise ValueError(f"a gate neuron has two weights, got shape {w.shape}")
    outputs = sigmoid(data.inputs @ w + float(bias))
    predictions = (outputs >= 0.5).astype(np.int64)
    table = data.targets[:, 0].astype(np.int64)
    return NgGate(key, np.float64(bias), w, data.inputs, outputs, predictions, table, bool(np.all(predictions == table)))


@dataclass(frozen=True)
class NgXnor:
    hidden: np.ndarray
    outputs: np.ndarray
    predictions: np.ndarray
    network: Network


def ng_xnor_network() -> NgXnor:
    """XNOR from three gate neurons: a1 = x1 AND x2, a2 = NOR, output = a1 OR a2."""
    and_bias, and_w = _NG_GATES["AND"]
    nor_bias, nor_w = _NG_GATES["NOR"]
    or_bias, or_w = _NG_GATES["OR"]
    network = Network(
        [np.column_stack([and_w, nor_w]), np.array(or_w).reshape(2, 1)],
        [[and_bias, nor_bias], [or_bias]],
        "sigmoid",
        "frozen",
    )
    pass_ = network.forward(logic_gate("XNOR").inputs)
    outputs = pass_.output[:, 0]
    return NgXnor(pass_.activations[1], outputs, (outputs >= 0.5).astype(np.int64), network)


# --- Andrej Karpathy, "Hacker's guide to Neural Networks" ----------------------


@dataclass(frozen=True)
class KarpathyGate:
    f: np.float64
    dx: np.float64
    dy: np.float64
    f_after_step: np.float64


def karpathy_gate(x: float = -2.0, y: float = 3.0, step_size: float = 0.01) -> KarpathyGate:
    """A single multiply gate f = x y: the gradient (y, x) says how to nudge each input to raise f."""
    vx, vy = Value(x, label="x"), Value(y, label="y")
    f = vx * vy
    f.backward()
    after = (x + step_size * vx.grad) * (y + step_size * vy.grad)
    return KarpathyGate(np.float64(f.data), np.float64(vx.grad), np.float64(vy.grad), np.float64(after))


@dataclass(frozen=True)
class KarpathyCircuit:
    q: np.float64
    f: np.float64
    df_dq: np.float64
    dx: np.float64
    dy: np.float64
    dz: np.float64


def karpathy_circuit(x: float = -2.0, y: float = 5.0, z: float = -4.0) -> KarpathyCircuit:
    """f = (x + y) z through q = x + y: the add gate hands df/dq = z to both x and y."""
    vx, vy, vz = Value(x, label="x"), Value(y, label="y"), Value(z, label="z")
    q = vx + vy
    f = q * vz
    f.backward()
    return KarpathyCircuit(*(np.float64(v) for v in (q.data, f.data, q.grad, vx.grad, vy.grad, vz.grad)))


@dataclass(frozen=True)
class KarpathyNeuron:
    output: np.float64
    da: np.float64
    db: np.float64
    dc: np.float64
    dx: np.float64
    dy: np.float64
    output_after_step: np.float64


def karpathy_neuron(
    a: float = 1.0, b: float = 2.0, c: float = -3.0, x: float = -1.0, y: float = 3.0, step_size: float = 0.01
) -> KarpathyNeuron:
    """sigmoid(a x + b y + c), its gradient for every input, and the output after one nudge.

    Karpathy nudges every input along its gradient (step_size 0.01) to make
    the output larger: 0.8808 becomes 0.8825.
    """
    values = {name: Value(v, label=name) for name, v in dict(a=a, b=b, c=c, x=x, y=y).items()}
    va, vb, vc, vx, vy = values.values()
    out = (va * vx + vb * vy + vc).sigmoid()
    out.backward()
    nudged = {name: v.data + step_size * v.grad for name, v in values.items()}
    after = sigmoid(nudged["a"] * nudged["x"] + nudged["b"] * nudged["y"] + nudged["c"])
    return KarpathyNeuron(
        np.float64(out.data), *(np.float64(v.grad) for v in (va, vb, vc, vx, vy)), np.float64(after)
    )
