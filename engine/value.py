"""A scalar that remembers how it was computed, so gradients can flow back.

This is automatic differentiation in the style of Karpathy's micrograd: every
operation makes a new `Value` that records its inputs and how to pass a
gradient back to them. ``backward()`` then visits the circuit from the output
to the inputs (reverse topological order), applying the chain rule at each
gate. For f = (x + y) * z with x = -2, y = 5, z = -4 it finds f = -12 and
df/dx = -4, df/dy = -4, df/dz = 3, Karpathy's first circuit.

It is deliberately slow (one Python object per number) and exists to be read;
`bench/engine.py` shows how much faster the array engine is.
"""

from __future__ import annotations

import math
import numbers
from typing import Callable, Union

__all__ = ["Value"]

Number = Union[int, float]


class Value:
    """One number in a circuit, with ``.data`` (its value) and ``.grad`` (d output / d this)."""

    __slots__ = ("data", "grad", "label", "_backward", "_children", "_op")

    def __init__(self, data: Number, _children: tuple["Value", ...] = (), _op: str = "", label: str = "") -> None:
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._backward: Callable[[], None] = _nothing
        self._children = _children
        self._op = _op

    # Each operation computes its output, then says how the output's gradient
    # reaches each input (the local derivative times the incoming gradient).
    # Gradients are ADDED (+=) because a value used twice gets both shares.

    def __add__(self, other: "Value | Number") -> "Value":
        other = _wrap(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward() -> None:  # d(a + b)/da = 1: an add gate passes the gradient through
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: "Value | Number") -> "Value":
        other = _wrap(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward() -> None:  # d(a b)/da = b: a multiply gate swaps its inputs
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent: Number) -> "Value":
        if not isinstance(exponent, numbers.Real):
            raise ValueError("only a plain number can be an exponent here, e.g. x ** 2")
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward() -> None:  # d(a^n)/da = n a^(n-1)
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self) -> "Value":
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward() -> None:  # e^a is its own derivative
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def tanh(self) -> "Value":
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward() -> None:
            self.grad += (1.0 - t * t) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self) -> "Value":
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        out = Value(s, (self,), "sigmoid")

        def _backward() -> None:
            self.grad += s * (1.0 - s) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> "Value":
        out = Value(self.data if self.data > 0 else 0.0, (self,), "relu")

        def _backward() -> None:
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    def log(self) -> "Value":
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self.data}")
        out = Value(math.log(self.data), (self,), "log")

        def _backward() -> None:
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def backward(self) -> None:
        """Fill in ``.grad`` of every value this one depends on.

        Order the values so that each comes after everything it was computed
        from, then walk that order backwards, starting from d self / d self = 1:
        by the time a value passes its gradient on, every use of it has
        already added its share. Every gradient is reset to 0 first, so calling
        backward again (say after changing an input) gives fresh gradients
        instead of adding to the old ones.
        """
        order = self._topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

    def _topological_order(self) -> list["Value"]:
        """Every value this one depends on (itself last), each after its inputs.

        micrograd writes this as a recursive ``build_topo``; this loop keeps its
        own stack instead, so that a chain of 10,000 operations does not hit
        Python's recursion limit. A value is appended once all of its inputs
        have been: that is what the (value, inputs_done) pairs record.
        """
        order: list[Value] = []
        seen: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for child in node._children:
                if id(child) not in seen:
                    stack.append((child, False))
        return order

    # The rest are spelled with the operations above.
    def __neg__(self) -> "Value":
        return self * -1

    def __sub__(self, other: "Value | Number") -> "Value":
        return self + (-_wrap(other))

    def __truediv__(self, other: "Value | Number") -> "Value":
        return self * _wrap(other) ** -1

    def __radd__(self, other: Number) -> "Value":
        return self + other

    def __rmul__(self, other: Number) -> "Value":
        return self * other

    def __rsub__(self, other: Number) -> "Value":
        return _wrap(other) - self

    def __rtruediv__(self, other: Number) -> "Value":
        return _wrap(other) * self**-1

    def __repr__(self) -> str:
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.6g}, grad={self.grad:.6g})"


def _nothing() -> None:
    pass


def _wrap(value: "Value | Number") -> Value:
    if isinstance(value, Value):
        return value
    if isinstance(value, numbers.Real):
        return Value(float(value))
    raise ValueError(f"a Value can only be combined with a number or another Value, not {type(value).__name__}")
