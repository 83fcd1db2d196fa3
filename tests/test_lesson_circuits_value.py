"""Lesson 6's autodiff exercise: the learner's own micrograd-style Value.

Checked on micrograd's published example (its README prints g = 24.7041,
a.grad = 138.8338, b.grad = 645.5773) and on the tanh neuron of Karpathy's
micrograd lecture. A micrograd-style class passes; `=` instead of `+=` and a
backward() without a topological order fail with messages that name them.
"""

from __future__ import annotations

import re

import pytest

from engine import worked
from tutor.checking.checker import check
from tutor.course.loader import load_lesson
from tutor.course.locate import builtin_course_path
from tutor.checking.drivers import value_circuit

EXERCISE = load_lesson(builtin_course_path() / "06-circuits.md").exercise("value")

# Karpathy's micrograd engine.py as he wrote it (a set of children, grad 0 as an
# int, recursive build_topo), plus the tanh of his lecture, written with exp.
MICROGRAD = '''
import math

class Value:
    """ stores a single scalar value and its gradient """

    def __init__(self, data, _children=(), _op=''):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward

        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward

        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only supporting int/float powers for now"
        out = Value(self.data**other, (self,), f'**{other}')

        def _backward():
            self.grad += (other * self.data**(other-1)) * out.grad
        out._backward = _backward

        return out

    def relu(self):
        out = Value(0 if self.data < 0 else self.data, (self,), 'ReLU')

        def _backward():
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward

        return out

    def tanh(self):
        x = self.data
        t = (math.exp(2*x) - 1)/(math.exp(2*x) + 1)
        out = Value(t, (self, ), 'tanh')

        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward

        return out

    def backward(self):
        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)

        self.grad = 1
        for v in reversed(topo):
            v._backward()

    def __neg__(self): # -self
        return self * -1

    def __radd__(self, other): # other + self
        return self + other

    def __sub__(self, other): # self - other
        return self + (-other)

    def __rsub__(self, other): # other - self
        return other + (-self)

    def __rmul__(self, other): # other * self
        return self * other

    def __truediv__(self, other): # self / other
        return self * other**-1

    def __rtruediv__(self, other): # other / self
        return other * self**-1

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"
'''

# The same class with an iterative topological sort (children as a list, a stack
# instead of recursion): another way people write it.
ITERATIVE = MICROGRAD.replace('''        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
''', '''        topo, visited, stack = [], set(), [(self, False)]
        while stack:
            v, expanded = stack.pop()
            if expanded:
                topo.append(v)
            elif id(v) not in visited:
                visited.add(id(v))
                stack.append((v, True))
                stack.extend((child, False) for child in v._prev)
''')

BUILD = '''        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)

        self.grad = 1
        for v in reversed(topo):
            v._backward()
'''


def namespace_of(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "<learner>", "exec"), namespace)  # our own fixtures, in the test process
    return namespace


def test_the_engine_reproduces_micrograds_published_numbers() -> None:
    g, da, db = worked.value_circuit("micrograd")
    assert (round(g, 4), round(da, 4), round(db, 4)) == (24.7041, 138.8338, 645.5773)
    out, dx1, dw1, dx2, dw2, db_ = worked.value_circuit("neuron")
    assert round(out, 4) == 0.7071 and [round(v, 6) for v in (dx1, dw1, dx2, dw2, db_)] == [-1.5, 1.0, 0.5, 0.0, 0.5]


def test_the_harness_runs_micrograds_own_class_to_its_published_numbers() -> None:
    g, da, db = value_circuit(namespace_of(MICROGRAD)["Value"], "micrograd")
    assert (round(g, 4), round(da, 4), round(db, 4)) == (24.7041, 138.8338, 645.5773)


@pytest.mark.parametrize("source", [MICROGRAD, ITERATIVE, EXERCISE.solution], ids=["micrograd", "iterative", "reference"])
def test_a_micrograd_style_value_passes(source: str) -> None:
    verdict = check(EXERCISE, source)
    assert verdict.passed, (verdict.message, verdict.details)


def test_the_starter_does_not_pass_and_says_which_rule_to_write() -> None:
    verdict = check(EXERCISE, EXERCISE.code.starter)
    assert not verdict.passed
    assert verdict.message.startswith("Your __add__ rule is wrong")


def test_setting_instead_of_adding_is_named() -> None:
    source = MICROGRAD.replace("self.grad += out.grad\n            other.grad += out.grad",
                               "self.grad = out.grad\n            other.grad = out.grad")
    verdict = check(EXERCISE, source)
    assert not verdict.passed
    assert "+= instead of setting it with =" in verdict.message or "with = where they must add to it with +=" in verdict.message
    mul_only = MICROGRAD.replace("self.grad += other.data * out.grad\n            other.grad += self.data * out.grad",
                                 "self.grad = other.data * out.grad\n            other.grad = self.data * out.grad")
    verdict = check(EXERCISE, mul_only)
    assert verdict.message.startswith("A value used twice got the gradient of only one use: in __mul__'s _backward, "
                                      "add to .grad with += instead of setting it with =")


@pytest.mark.parametrize("walk", [
    # straight recursion from the output: each value's rule runs once per path
    '''        self.grad = 1
        def walk(v):
            v._backward()
            for child in v._prev:
                walk(child)
        walk(self)
''',
    # the same with a visited set: once per value, but before its last share arrives
    '''        self.grad = 1
        seen = set()
        def walk(v):
            if v not in seen:
                seen.add(v)
                v._backward()
                for child in v._prev:
                    walk(child)
        walk(self)
''',
    # breadth first from the output
    '''        self.grad = 1
        queue, seen = [self], set()
        while queue:
            v = queue.pop(0)
            if v in seen:
                continue
            seen.add(v)
            v._backward()
            queue.extend(v._prev)
''',
], ids=["recursion", "visited-set", "breadth-first"])
def test_a_backward_without_topological_order_is_named(walk: str) -> None:
    source = MICROGRAD.replace(BUILD, walk)
    assert source != MICROGRAD
    verdict = check(EXERCISE, source)
    assert not verdict.passed
    assert "topological order" in verdict.message, verdict.message


def test_a_backward_that_stops_at_the_output_says_so() -> None:
    verdict = check(EXERCISE, MICROGRAD.replace(BUILD, "        self.grad = 1\n        self._backward()\n"))
    assert verdict.message.startswith("Your backward() does not reach every value")


def test_a_wrong_tanh_slope_is_named() -> None:
    verdict = check(EXERCISE, MICROGRAD.replace("(1 - t**2)", "(1 - t)"))
    assert verdict.message.startswith("Your tanh rule is wrong: for t = a.tanh() at a = 0.5")


def test_the_prose_does_not_print_the_rules_the_learner_writes() -> None:
    prose = EXERCISE.prose
    assert "def __pow__" in prose  # the worked gate
    for rule in ("def __add__", "def __mul__", "def tanh", "build_topo", "reversed("):
        assert rule not in prose
    assert re.search(r"g = 24\.7041, dg/da = 138\.8338 and dg/db = 645\.5773", prose)
