"""The harness drivers: our code that calls a learner's code the way an exercise needs.

Most exercises call the learner's function directly with the case's arguments.
Some cannot: a class has to be built before one of its methods is called, a
training loop has to be driven for a number of steps. A driver is a plain
function ``name(entry, **args)`` that receives the learner's entry (function or
class) and returns what the checker judges. What each harness drives, how its
inputs are described and what it reports is declared once, in
`tutor.checking.harnesses`; this file is only the part that has to run beside
the learner's code.

It runs in the sandbox, never in the tutor: the sandbox's worker loads this
file by its path, standalone, before any limit applies, and each child binds
the driver a call names *before* the learner's code runs (a snippet that
rebinds a name here changes nothing). So it imports only the standard library
and NumPy: no ``tutor``, no ``engine`` (the child must not have the engine in
reach). Data the engine makes (the capstone's point clouds) is made in the
tutor and arrives as arguments; a value the learner could forge in here (an
accuracy) is not computed here but in the tutor, from the learner's outputs.

Keep drivers small and free of I/O; their return value must be plain data
(numbers, NumPy arrays, lists, tuples, dicts with string keys). The sandbox
calls ``prepare_child()`` in each child before the learner's code runs.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable, Mapping

import numpy as np

Progress = Callable[[int, int], None]  # (steps done, steps in all)


def call_method(
    entry: Any,
    method: str,
    init: Mapping[str, Any] | None = None,
    args: Mapping[str, Any] | None = None,
) -> Any:
    """Build the learner's class with `init` and return ``instance.method(**args)``,
    so exercises such as "write a Neuron class with a forward method" can be
    checked case by case like a plain function."""
    instance = entry(**dict(init or {}))
    return getattr(instance, method)(**dict(args or {}))


def call_with(entry: Any, arguments: Mapping[str, Any] | None = None) -> Any:
    """Return ``entry(**arguments)`` with arguments fixed by the lesson.

    For a worked example whose engine reference takes no arguments (Mazur's
    network, say): the case stays empty, so the engine is called as it is,
    while the learner's function still receives the example's numbers as
    parameters instead of reading them from globals."""
    return entry(**dict(arguments or {}))


# Bound now, at load: the learner's code may replace np.errstate and friends in
# its own child, never what the drivers use.
_errstate, _geterr, _seterr = np.errstate, np.geterr, np.seterr
_catch_warnings, _simplefilter = warnings.catch_warnings, warnings.simplefilter
_STRICT = {"over": "raise", "invalid": "raise", "divide": "raise", "under": "ignore"}
_HIDING = frozenset({"ignore", "print", "log", "call"})  # settings that let an overflow pass unseen


class _ErrorStateWatch:
    """How often the learner's code asked NumPy to let overflow, invalid
    operations or division by zero pass unseen (np.seterr / np.errstate)."""

    hidden = 0


_WATCH = _ErrorStateWatch()


def _noting(original: Any) -> Any:
    def relaxed(*args: Any, **settings: Any) -> Any:
        names = ("all", "divide", "over", "under", "invalid")
        asked = {**dict(zip(names, args)), **settings}
        if any(asked.get(name) in _HIDING for name in ("all", "divide", "over", "invalid")):
            _WATCH.hidden += 1
        return original(*args, **settings)

    relaxed.__name__ = relaxed.__qualname__ = getattr(original, "__name__", "errstate")
    relaxed.__doc__ = getattr(original, "__doc__", None)
    return relaxed


def prepare_child() -> None:
    """In each sandboxed child, before the learner's code runs: np.seterr and
    np.errstate note every request to hide floating-point errors, so a
    stability probe can tell a function that silences its own overflow from
    one that does not overflow (see `call_strict`)."""
    import numpy._core._ufunc_config as config  # type: ignore[import-not-found]

    for owner in (np, config):
        for name in ("seterr", "errstate"):
            if hasattr(owner, name):
                setattr(owner, name, _noting(getattr(owner, name)))


def call_strict(entry: Any, arguments: Mapping[str, Any] | None = None) -> Any:
    """Return ``entry(**arguments)`` with floating-point overflow, invalid
    operations and division by zero raising, and every warning an error.

    The checker's stability probes call the learner this way, in the same run
    as the ordinary cases: a sigmoid that overflows inside ``np.exp`` fails its
    probe even when the value it returns is right, and no second run (nor any
    rewriting of the learner's source) is needed. Underflow is fine: e^-1000 is
    simply 0. The strict mode is set around this one call, with functions bound
    before the learner's code ran, and a call that relaxed it (``np.seterr(all=
    "ignore")``, ``with np.errstate(over="ignore")``) fails: the probe asks
    whether the function overflows, and silencing the report is not an answer."""
    before = _WATCH.hidden
    with _catch_warnings():
        _simplefilter("error")
        with _errstate(**_STRICT):
            value = entry(**dict(arguments or {}))
            relaxed = _WATCH.hidden != before or _geterr() != _STRICT
    if relaxed:
        raise FloatingPointError(
            "your function switches off NumPy's floating-point errors (np.seterr or np.errstate), "
            "which hides the overflow this check looks for: compute it so that nothing overflows"
        )
    return value


def _logistic_data(inputs: Any, targets: Any) -> tuple[Any, Any]:
    X = np.asarray(inputs, dtype=float)
    return X, np.asarray(targets, dtype=float).reshape(-1)


def _probabilities(X: Any, weights: Any, bias: float) -> Any:
    z = X @ weights + bias
    return np.exp(-np.logaddexp(0.0, -z))  # sigmoid(z), without overflow


def logistic_descent(
    entry: Any, inputs: Any, targets: Any, learning_rate: float, steps: int, *, progress: Progress | None = None
) -> Any:
    """Train logistic regression with the learner's ``gradient(inputs, targets,
    weights, bias) -> (dw, db)`` and return the probabilities it ends with.

    Gradient descent starts from all zeros, like the engine's
    `logistic_regression`, so a correct gradient reproduces the engine's
    probabilities; a wrong one drifts. Shapes are checked at every step, so
    the learner reads which gradient has the wrong shape instead of a
    broadcasting error from inside this driver."""
    X, y = _logistic_data(inputs, targets)
    weights, bias = np.zeros(X.shape[1]), 0.0
    for step in range(int(steps)):
        result = entry(X.copy(), y.copy(), weights.copy(), bias)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise TypeError("gradient must return two things, dw and db, as in: return dw, db")
        dw, db = np.asarray(result[0], dtype=float), np.asarray(result[1], dtype=float)
        if dw.shape != weights.shape:
            raise ValueError(
                f"dw has shape {dw.shape} but weights have shape {weights.shape}: "
                "dw needs one number per weight"
            )
        if db.size != 1:
            raise ValueError(
                f"db has shape {db.shape}; the bias gradient is a single number "
                "(average the per-example values)"
            )
        db = float(db.reshape(()))
        if step == 0 and _uphill(X, y, weights, bias, dw, db):
            raise ValueError(
                "your gradient points uphill: a small step against it makes the log-loss "
                "larger. Check the sign: the error is p - y, not y - p"
            )
        weights = weights - learning_rate * dw
        bias = bias - learning_rate * db
        if progress is not None:
            progress(step + 1, int(steps))
    return _probabilities(X, weights, bias)


def _log_loss(X: Any, y: Any, weights: Any, bias: float) -> float:
    z = X @ weights + bias
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _uphill(X: Any, y: Any, weights: Any, bias: float, dw: Any, db: float) -> bool:
    """True when a tiny step against the learner's gradient raises the loss,
    which a true gradient never does: the usual cause is y - p for p - y."""
    size = 1e-4 / max(1.0, float(np.linalg.norm(dw)) + abs(db))
    return _log_loss(X, y, weights - size * dw, bias - size * db) > _log_loss(X, y, weights, bias)


def descend_logistic(
    entry: Any, inputs: Any, targets: Any, learning_rate: float, steps: int, *, progress: Progress | None = None
) -> Any:
    """Hand the learner's ``descend(loss_and_gradient, start, learning_rate,
    steps)`` the log-loss of this data as a black box and return the losses
    it records, to compare with the engine's training curve.

    Parameters are one vector, the weights followed by the bias, starting at
    zeros. The learner's loop never sees the model: that is the point."""
    X, y = _logistic_data(inputs, targets)
    first: list[tuple[Any, Any]] = []  # the first call's params and gradient
    seen: list[float] = []  # every loss handed out, in order

    def loss_and_gradient(params: Any) -> tuple[float, Any]:
        params = np.asarray(params, dtype=float)
        if params.shape != (X.shape[1] + 1,):
            raise ValueError(f"params must have shape {(X.shape[1] + 1,)}, got {params.shape}")
        if len(first) == 1 and float(np.dot(params - first[0][0], first[0][1])) > 0:
            raise ValueError(
                "your loop moved the parameters along the gradient, which is uphill; "
                "step against it: params = params - learning_rate * grad"
            )
        z = X @ params[:-1] + params[-1]
        loss = float(np.mean(np.logaddexp(0.0, z) - y * z))
        error = (np.exp(-np.logaddexp(0.0, -z)) - y) / len(y)
        grad = np.append(X.T @ error, error.sum())
        seen.append(loss)
        if progress is not None:
            progress(min(len(seen), int(steps)), int(steps))
        if len(first) < 2:
            first.append((params.copy(), grad.copy()))
        return loss, grad.copy()

    start = np.zeros(X.shape[1] + 1)
    losses = entry(loss_and_gradient, start, float(learning_rate), int(steps))
    recorded = np.asarray(losses, dtype=float).reshape(-1) if losses is not None else np.empty(0)
    if len(recorded) and len(seen) > 1 and recorded[0] == seen[1] and recorded[0] != seen[0]:
        raise ValueError(
            "your first loss is the one after the first step; record each loss before "
            "its step, so the list starts with the loss at the start point"
        )
    return losses


#: The rows of a two-input truth table, in the order the engine's gates use.
GATE_ROWS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))


def gate_truth_table(entry: Any) -> Any:
    """Call the learner's ``gate(x1, x2)`` on the four input pairs and return
    the four outputs, so a gate written for one pair of inputs can be compared
    with the engine's truth table at once; then follow it off the corners
    (`_smooth_between_rows`), where a gate made of neurons must still behave
    like one."""
    outputs = [_gate_output(entry, x1, x2) for x1, x2 in GATE_ROWS]
    _smooth_between_rows(entry, outputs)
    return np.array(outputs)


def _gate_output(entry: Any, x1: float, x2: float) -> float:
    value = np.asarray(entry(x1, x2), dtype=float)
    if value.size != 1:
        raise ValueError(
            f"gate({x1:.3g}, {x2:.3g}) returned {value.size} numbers (shape {value.shape}); "
            "a gate returns one number for one pair of inputs"
        )
    number = float(value.reshape(()))
    if not np.isfinite(number):
        raise ValueError(f"gate({x1:.3g}, {x2:.3g}) returned {number}: a network of sigmoid neurons gives "
                         "a number between 0 and 1 for any inputs, between the rows of the table too")
    return number


#: The square's edges, as pairs of GATE_ROWS indices: the way from one row to the next.
GATE_EDGES = ((0, 1), (0, 2), (1, 3), (2, 3))
#: The largest step in a gate's output between two neighbouring floats.
GATE_JUMP = 0.1


def _smooth_between_rows(entry: Any, outputs: list[float]) -> None:
    """A gate made of sigmoid neurons is a smooth function of its inputs:
    along an edge of the square where its output is above 0.5 at one row and
    below at the other, it passes through 0.5 on the way (at x1 = 0.5, say).
    Each such edge is bisected down to two neighbouring floats, and the
    outputs there must be all but equal. A comparison such as
    ``float(x1 == x2)`` jumps from 1 to 0 in one step and fails, whatever it
    gives on the corners; a network with any weights passes."""
    for a, b in GATE_EDGES:
        low, high = np.array(GATE_ROWS[a]), np.array(GATE_ROWS[b])
        at_low, at_high = outputs[a], outputs[b]
        if (at_low >= 0.5) == (at_high >= 0.5):
            continue
        for _ in range(200):
            middle = (low + high) / 2.0
            if np.array_equal(middle, low) or np.array_equal(middle, high):
                break
            at_middle = _gate_output(entry, float(middle[0]), float(middle[1]))
            if (at_middle >= 0.5) == (at_low >= 0.5):
                low, at_low = middle, at_middle
            else:
                high, at_high = middle, at_middle
        if abs(at_high - at_low) > GATE_JUMP:
            raise ValueError(
                f"your gate jumps from {at_low:.3g} to {at_high:.3g} between ({low[0]:.3g}, {low[1]:.3g}) and "
                f"({high[0]:.3g}, {high[1]:.3g}), points a hair apart: a network of sigmoid neurons "
                "changes smoothly as the inputs move between the rows of the table. Build it from neurons, "
                "not from a comparison of the inputs"
            )


#: A harness with more to show than the value it is judged on returns
#: ``reported(value, losses=...)``: the checker compares the value and passes
#: the rest on (``verdict.values``) for the UI to draw. Plain data only, so it
#: crosses the sandbox boundary like any result.
REPORTED_VALUE, REPORTED_EXTRAS = "__value__", "__extras__"


def reported(value: Any, **extras: Any) -> dict[str, Any]:
    """`value` to compare, with `extras` (e.g. the learner's losses) beside it."""
    return {REPORTED_VALUE: value, REPORTED_EXTRAS: extras}


def train_classifier(
    entry: Any,
    X: Any,
    y: Any,
    steps: int,
    learning_rate: float,
    seed: int = 0,
    report_losses: bool = False,
    judged_on: Any = None,
    *,
    progress: Progress | None = None,
) -> Any:
    """Build the learner's network class, train it on (X, y), and report the
    class probabilities it ends with on `judged_on` (X itself by default).

    The class is built as ``entry(n_inputs, n_outputs, seed)``; each of the
    `steps` steps calls ``forward(X)`` (class probabilities, one row per
    example), ``backward(y)`` (y holds class numbers) and
    ``step(learning_rate)``. The accuracy is computed in the tutor from the
    probabilities reported here, so neither the learner's code nor anything
    it does to this process decides it. Shapes are checked on the first step,
    where a mistake is cheapest to read.

    With `report_losses`, the mean cross-entropy of each step's ``forward(X)``
    (before its update, like the engine's ``losses``) is reported too, so the
    tutor can draw the learner's curve over the engine's.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y).astype(np.int64)
    steps = int(steps)
    classes = int(y.max()) + 1
    network = entry(n_inputs=X.shape[1], n_outputs=classes, seed=int(seed))
    losses = []
    for index in range(steps):
        probabilities = network.forward(X.copy())
        if index == 0:
            _check_probabilities(probabilities, X.shape[0], classes)
        if report_losses:
            losses.append(_cross_entropy(probabilities, y))
        network.backward(y.copy())
        network.step(float(learning_rate))
        if progress is not None:
            progress(index + 1, steps)
    points = X if judged_on is None else np.asarray(judged_on, dtype=float)
    probabilities = _check_probabilities(network.forward(points.copy()), points.shape[0], classes)
    extras = {"losses": np.array(losses, dtype=float)} if report_losses else {}
    return reported(probabilities, **extras)


def _cross_entropy(probabilities: Any, labels: Any) -> float:
    """Mean -log p(true class), from whatever forward returned (clipped, so a
    learner's 0 does not end the run with an error in our code)."""
    p = np.asarray(probabilities, dtype=float)
    if p.ndim != 2 or p.shape[0] != len(labels):
        return float("nan")
    return float(-np.mean(np.log(np.clip(p[np.arange(len(labels)), labels], 1e-12, 1.0))))


def _check_probabilities(value: Any, rows: int, classes: int) -> Any:
    probabilities = np.asarray(value, dtype=float)
    if probabilities.shape != (rows, classes):
        raise ValueError(
            f"forward(X) returned shape {probabilities.shape}; it must return {rows} rows "
            f"(one per example) of {classes} class probabilities, shape {(rows, classes)}"
        )
    if not np.all(np.isfinite(probabilities)):
        raise ValueError("forward(X) returned NaN or infinity: the training blew up (a learning-rate or overflow problem)")
    sums = probabilities.sum(axis=1)
    bad = np.flatnonzero((np.abs(sums - 1.0) > 1e-6) | np.any(probabilities < 0.0, axis=1))
    if bad.size:
        row = int(bad[0])
        raise ValueError(
            f"forward(X) must return probabilities, each row >= 0 and adding up to 1, "
            f"but row {row} adds up to {sums[row]:.6g}: apply the softmax to the scores"
        )
    return probabilities


# -- the autodiff exercise: a learner's own micrograd-style Value ---------------------
#
# The harness of the autodiff exercise: a learner's own micrograd-style `Value`.
#
# The learner writes the backward rules of add, mul and tanh and the topological
# ``backward()``; the harness builds a circuit with their class, calls
# ``backward()`` on its output and returns the output's value and the inputs'
# gradients, which the checker compares with the engine's (`worked.value_circuit`,
# the same circuits built with engine/value.py).
#
# A wrong number alone would not say which rule is wrong, so before the circuit
# the harness tries each piece on its own, in an order where every step relies
# only on the steps before it, and stops at the first that fails with a message
# that names the mistake:
#
# 1. each gate's rule, by calling the gate's own ``_backward`` (not the learner's
#    ``backward``) on a one-gate circuit: the local gradients of +, * and tanh;
# 2. a value used twice by the same gate (a + a, a * a, a.tanh() twice): a
#    gradient *set* with ``=`` keeps only one use's share, ``+=`` collects both;
# 3. the learner's ``backward()`` on a chain (every value reached, from the
#    output down) and on a circuit where one value reaches the output along
#    paths of different lengths (each value's ``_backward`` must run once, after
#    every value computed from it: a topological order, walked in reverse; a
#    walk from the output that visits a value as soon as it meets it runs its
#    rule before its last share of gradient has arrived).
#
# Like micrograd, backward() need not reset gradients: every check builds fresh
# values.
#
# Plain Python on floats; no I/O. Written against the starter's names (``data``,
# ``grad``, ``_backward``, ``backward``).

_VALUE_TOLERANCE = 1e-9
_DIAMONDS = 16


def _close(actual: Any, expected: float) -> bool:
    try:
        return math.isclose(float(actual), expected, rel_tol=_VALUE_TOLERANCE, abs_tol=_VALUE_TOLERANCE)
    except (TypeError, ValueError):
        return False


def _grad(value: Any) -> Any:
    return getattr(value, "grad", None)


def _got(value: Any) -> str:
    """A learner's gradient as the message shows it (six digits, or as it is)."""
    grad = _grad(value)
    return f"{grad:.6g}" if isinstance(grad, (int, float)) else repr(grad)


def _run_gate(out: Any) -> None:
    """The gate's own rule, with the output's gradient 1, as backward would."""
    step = getattr(out, "_backward", None)
    if not callable(step):
        raise ValueError("a Value made by an operation has no _backward function to call: "
                           "keep the starter's out._backward = _backward")
    out.grad = 1.0
    step()


def _gate_rules(Value: Callable[[float], Any]) -> None:
    """Steps 1 and 2: each rule alone, then a value used twice by one gate."""
    a, b = Value(3.0), Value(-2.0)
    _run_gate(a + b)
    if not (_close(_grad(a), 1.0) and _close(_grad(b), 1.0)):
        raise ValueError(f"your __add__ rule is wrong: for c = a + b, with c.grad = 1, a.grad and b.grad must "
                           f"both be 1 (an add gate passes the gradient on unchanged), got {_got(a)} and {_got(b)}")
    a, b = Value(3.0), Value(-2.0)
    _run_gate(a * b)
    if not (_close(_grad(a), -2.0) and _close(_grad(b), 3.0)):
        raise ValueError(f"your __mul__ rule is wrong: for c = a * b with a = 3, b = -2 and c.grad = 1, a.grad "
                           f"must be b = -2 and b.grad must be a = 3 (each input gets the other's value), "
                           f"got {_got(a)} and {_got(b)}")
    a = Value(0.5)
    _run_gate(a.tanh())
    slope = 1.0 - math.tanh(0.5) ** 2
    if not _close(_grad(a), slope):
        raise ValueError(f"your tanh rule is wrong: for t = a.tanh() at a = 0.5 and t.grad = 1, a.grad must be "
                           f"1 - t**2 = {slope:.6f}, got {_got(a)}")
    twice = "a value used twice got the gradient of only one use: in {where}'s _backward, add to .grad with += instead of setting it with ="
    a = Value(3.0)
    _run_gate(a + a)
    if not _close(_grad(a), 2.0):
        raise ValueError(twice.format(where="__add__") + f" (for c = a + a, a.grad must be 2, got {_got(a)})")
    a = Value(3.0)
    _run_gate(a * a)
    if not _close(_grad(a), 6.0):
        raise ValueError(twice.format(where="__mul__") + f" (for c = a * a at a = 3, a.grad must be 2a = 6, got {_got(a)})")
    a = Value(0.5)
    first, second = a.tanh(), a.tanh()
    _run_gate(first)
    _run_gate(second)
    if not _close(_grad(a), 2.0 * slope):
        raise ValueError(twice.format(where="tanh") + f" (a.tanh() twice: a.grad must be 2 * {slope:.6f}, got {_got(a)})")


def _walk(Value: Callable[[float], Any]) -> None:
    """Step 3: the learner's backward() over circuits where order matters."""
    a, b = Value(2.0), Value(-3.0)
    out = (a * b + 1.0) * 2.0  # a chain: each value used once
    out.backward()
    if not (_close(_grad(a), -6.0) and _close(_grad(b), 4.0)):
        raise ValueError(f"your backward() does not reach every value: for f = (a*b + 1) * 2 at a = 2, b = -3, a.grad "
                           f"must be 2b = -6 and b.grad 2a = 4, got {_got(a)} and {_got(b)}. Start with the output's "
                           "grad = 1 and call _backward on every value of the circuit, from the output down")
    # Values that reach the output along paths of different lengths: y = 3x feeds g
    # directly and through v = 2y, w = 2v, so g = y + w = 5y. A walk from the output
    # that runs y's rule when it first meets y runs it before w's share arrived.
    # Sixteen copies side by side: a class that keeps its children in a set
    # (micrograd does) walks each copy in its own order, and every copy must be
    # right, so no wrong walk passes by the luck of that order.
    xs, ys, total = [], [], None
    for copy in range(_DIAMONDS):
        x = Value(1.0 + copy / 8)
        y = x * 3.0
        w = (y * 2.0) * 2.0
        g = y + w
        total = g if total is None else total + g
        xs.append(x)
        ys.append(y)
    total.backward()
    bad = next((i for i in range(_DIAMONDS) if not (_close(_grad(xs[i]), 15.0) and _close(_grad(ys[i]), 5.0))), None)
    if bad is not None:
        raise ValueError(f"your backward() runs the gates in the wrong order (a missing topological order): for "
                           f"y = 3x, w = 2(2y), g = y + w, y.grad must be 1 + 4 = 5 and x.grad 15, got y.grad "
                           f"{_got(ys[bad])} and x.grad {_got(xs[bad])}. Each value's _backward must run once, after "
                           "the _backward of every value computed from it: list the values in topological order "
                           "(each after the values it was made from), then call _backward on them in reverse")


def _micrograd(Value: Callable[[float], Any]) -> tuple[Any, list[Any]]:
    """micrograd's README example (engine: worked.value_circuit("micrograd"))."""
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
    return g, [a, b]


def _neuron(Value: Callable[[float], Any]) -> tuple[Any, list[Any]]:
    """The tanh neuron of Karpathy's micrograd lecture (engine: worked.value_circuit("neuron"))."""
    x1, x2 = Value(2.0), Value(0.0)
    w1, w2 = Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    return (x1 * w1 + x2 * w2 + b).tanh(), [x1, w1, x2, w2, b]


VALUE_CIRCUITS = {"micrograd": _micrograd, "neuron": _neuron}


def value_circuit(entry: Any, circuit: str = "micrograd") -> list[float]:
    """[output.data, then each input's grad] of `circuit` built with the learner's
    Value class, after its gates and its backward() have passed the checks above."""
    if circuit not in VALUE_CIRCUITS:
        raise ValueError(f"value_circuit builds {', '.join(VALUE_CIRCUITS)}, not {circuit!r}")
    _gate_rules(entry)
    _walk(entry)
    out, inputs = VALUE_CIRCUITS[circuit](entry)
    out.backward()
    return [float(out.data)] + [float(_grad(value)) for value in inputs]


#: Every driver, by the name a lesson gives as its ``harness``.
DRIVERS: dict[str, Callable[..., Any]] = {
    "call_method": call_method,
    "call_with": call_with,
    "call_strict": call_strict,
    "logistic_descent": logistic_descent,
    "descend_logistic": descend_logistic,
    "gate_truth_table": gate_truth_table,
    "train_classifier": train_classifier,
    "value_circuit": value_circuit,
}
