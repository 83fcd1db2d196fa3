"""Andrej Karpathy, "Hacker's guide to Neural Networks": gates and circuits, with `Value`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.activations import sigmoid
from engine.value import Value

__all__ = [
    "karpathy_gate", "karpathy_circuit", "karpathy_neuron", "KarpathyGate", "KarpathyCircuit", "KarpathyNeuron",
    "value_circuit", "VALUE_CIRCUIT_INPUTS",
]

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


# The circuits of micrograd (Karpathy, 2020): what a learner's own Value class is
# checked on. Each returns the output's value, then the gradient of every input.

#: The inputs each circuit reports the gradient of, in order.
VALUE_CIRCUIT_INPUTS = {
    "micrograd": ("a", "b"),
    "neuron": ("x1", "w1", "x2", "w2", "b"),
}


def _micrograd_readme() -> tuple[Value, dict[str, Value]]:
    """micrograd's README example, line by line: it prints g = 24.7041,
    a.grad = 138.8338 and b.grad = 645.5773."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g, {"a": a, "b": b}


def _tanh_neuron() -> tuple[Value, dict[str, Value]]:
    """The neuron of Karpathy's micrograd lecture: tanh(x1 w1 + x2 w2 + b) = 0.7071,
    with x1.grad = -1.5, w1.grad = 1, x2.grad = 0.5, w2.grad = 0, b.grad = 0.5."""
    x1, x2 = Value(2.0), Value(0.0)
    w1, w2 = Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    out = (x1 * w1 + x2 * w2 + b).tanh()
    return out, {"x1": x1, "w1": w1, "x2": x2, "w2": w2, "b": b}


_CIRCUITS = {"micrograd": _micrograd_readme, "neuron": _tanh_neuron}


def value_circuit(circuit: str = "micrograd") -> np.ndarray:
    """[output, d output / d input for each input of VALUE_CIRCUIT_INPUTS[circuit]],
    computed with the engine's Value: "micrograd" is micrograd's README example
    ([24.7041, 138.8338, 645.5773]), "neuron" the tanh neuron of its lecture."""
    if circuit not in _CIRCUITS:
        raise ValueError(f"circuit must be one of {', '.join(_CIRCUITS)}, got {circuit!r}")
    out, inputs = _CIRCUITS[circuit]()
    out.backward()
    return np.array([out.data] + [inputs[name].grad for name in VALUE_CIRCUIT_INPUTS[circuit]])
