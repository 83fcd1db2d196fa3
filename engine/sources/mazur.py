"""Matt Mazur, "A Step by Step Backpropagation Example" (2015): his 2-2-2 network.

Named as in the article (``out_h1``, ``E_total``, ``dE_dw5``), computed by the
engine from his weights. It also reproduces his update order: he updates
w5..w8 first and backpropagates through the new values, which is where his
0.291027924 after one step comes from (the correct order gives 0.2910277737).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.fast import train
from engine.network import BackwardPass, Network
from engine.sources._pieces import shifted
from engine.training import StepCallback

__all__ = ["MAZUR_INPUTS", "MAZUR_TARGETS", "mazur_network", "mazur_forward", "mazur_gradients", "mazur_step",
           "mazur_training", "mazur_order_step", "MazurForward", "MazurGradients", "MazurStep", "MazurTraining"]

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
            last_step = None if callback is None else shifted(callback, len(earlier.losses))
            last = train(network, [MAZUR_INPUTS], [MAZUR_TARGETS], learning_rate=learning_rate, steps=1,
                         callback=last_step)
            losses = np.concatenate([earlier.losses, last.losses])
            final_loss = last.final_loss
    final_out = network.predict([MAZUR_INPUTS])[0]
    E_total = np.float64(losses[-1]) if len(losses) else np.float64(final_loss)
    return MazurTraining(E_total, out[0], out[1], np.float64(final_loss), losses, network, final_out[0], final_out[1])
