"""The sources' worked examples, rebuilt from the engine. Not the reading path.

One module per source (mazur, trask, britz, ng, karpathy). Each function takes
no arguments (or only optional ones) and returns a frozen dataclass whose field
names follow the source (Mazur's ``out_o1``, ``E_total``, ``dE_dw5``; Trask's
``syn0``; Britz's ``loss_after``), so a lesson can name a function and select
one number. Nothing here is typed in: every value is computed by the engine
from the source's data, seeds and update rules, including the sources' own
quirks (Mazur's update order, Trask's chunked run, Britz's loss reported
after the update), and the tests compare them with the published numbers and
with the sources' own code.

Lesson files name these as ``worked.<function>``, the package's earlier name;
``sources.<function>`` is the same function.
"""

from engine.sources.britz import BritzMoons, britz_moons
from engine.sources.karpathy import (
    KarpathyCircuit,
    KarpathyGate,
    KarpathyNeuron,
    karpathy_circuit,
    karpathy_gate,
    karpathy_neuron,
    value_circuit,
)
from engine.sources.mazur import (
    MAZUR_INPUTS,
    MAZUR_TARGETS,
    MazurForward,
    MazurGradients,
    MazurStep,
    MazurTraining,
    mazur_forward,
    mazur_gradients,
    mazur_network,
    mazur_order_step,
    mazur_step,
    mazur_training,
)
from engine.sources.ng import NgGate, NgXnor, ng_gate_neuron, ng_xnor_network
from engine.sources.trask import TraskNetwork, TraskTwoLayer, trask_network, trask_two_layer

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
    "value_circuit",
]
