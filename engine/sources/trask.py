"""Andrew Trask, "A Neural Network in 11 Lines of Python" (2015): his two networks.

His loop is gradient descent on the half squared error summed over four
examples, learning rate 1, no biases. He prints the mean absolute error every
10,000 iterations, so the run is trained in chunks of 10,000 steps with the
error read between them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.datasets import trask_3bit
from engine.fast import train
from engine.network import Network
from engine.sources._pieces import shifted
from engine.training import StepCallback

__all__ = ["trask_network", "trask_two_layer", "TraskNetwork", "TraskTwoLayer"]

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
                      callback=None if callback is None else shifted(callback, done))
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
