"""nntutor's reference engine: a small neural-network library in NumPy, written to be read.

Every answer in the tutor is checked against these functions. The files in
`READING_PATH` are written to be opened and followed by a learner, one idea a
file; `engine.fast` (the same training with a hand-tuned step) and
`engine.sources` (the articles' worked examples, quirks included) sit beside
them and are not for reading first. It imports only NumPy and the standard
library. The public API is listed in ``__all__`` and documented in
engine/README.md.
"""

from engine import datasets, fast, sources
from engine.activations import (
    identity,
    identity_prime,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    softmax,
    tanh,
    tanh_prime,
)
from engine.gradients import network_gradients
from engine.gradcheck import GradientCheck, gradient_check, numerical_gradient, relative_error
from engine.landscape import LossProfile, LossSurface, line_gradient, line_loss, loss_profile, loss_surface
from engine.logistic import LogisticFit, LogisticRegression, logistic_regression
from engine.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    half_squared_error,
    half_squared_error_grad,
    l2_penalty,
    mean_squared_error,
    mean_squared_error_grad,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)
from engine.network import BackwardPass, ForwardPass, Gradients, Network
from engine.neuron import neuron_output, weighted_sum
from engine.fast import train  # engine/training.py's loop with the fast step: same numbers, quicker
from engine.training import TrainingResult
from engine.value import Value

#: The earlier name of `sources`, which lesson files still use ("worked.mazur_forward").
worked = sources

#: The files of engine/ a learner reads, in the order the course teaches them.
#: Lessons link to them (front matter `engine_files`) and the tutor shows them.
READING_PATH: tuple[str, ...] = (
    "neuron.py",
    "activations.py",
    "logistic.py",
    "losses.py",
    "landscape.py",
    "network.py",
    "gradcheck.py",
    "value.py",
    "training.py",
    "datasets.py",
)

__all__ = [
    # activations
    "sigmoid",
    "sigmoid_prime",
    "tanh",
    "tanh_prime",
    "relu",
    "relu_prime",
    "identity",
    "identity_prime",
    "softmax",
    # one neuron
    "weighted_sum",
    "neuron_output",
    # losses
    "half_squared_error",
    "half_squared_error_grad",
    "mean_squared_error",
    "mean_squared_error_grad",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "l2_penalty",
    # networks and training
    "Network",
    "ForwardPass",
    "BackwardPass",
    "Gradients",
    "network_gradients",
    "train",
    "TrainingResult",
    "LogisticRegression",
    "LogisticFit",
    "logistic_regression",
    # loss landscapes
    "line_loss",
    "line_gradient",
    "loss_profile",
    "LossProfile",
    "loss_surface",
    "LossSurface",
    # checking gradients
    "gradient_check",
    "GradientCheck",
    "numerical_gradient",
    "relative_error",
    # scalar autodiff
    "Value",
    # submodules lessons reach into
    "datasets",
    "sources",
]
