"""The fast path (engine/fast) gives the numbers of the readable code.

`engine.train` runs the loop of engine/training.py with `FastStep`; the
readable `engine.training.train` runs it with `GradientStep`, which is
`Network.backward` then `Network.step`. Both run here, on this machine, so the
comparisons hold whatever the CPU: they never compare with digits computed
elsewhere. Runs are kept short where the training oscillates (Britz's), since
an oscillating run amplifies the last-bit differences between two correct
ways of summing.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

import engine
from engine import Network, datasets, fast, training

CASES = [
    ([2, 3, 1], ["sigmoid", "sigmoid"], "half_squared_error", "sum", 0.0, "trained"),
    ([2, 4, 1], ["tanh", "sigmoid"], "binary_cross_entropy", "mean", 0.01, "trained"),
    ([2, 3, 3], ["relu", "identity"], "softmax_cross_entropy", "mean", 0.0, "frozen"),
    ([2, 3, 2], ["tanh", "identity"], "mean_squared_error", "sum", 0.1, "absent"),
    ([2, 3, 2], ["sigmoid", "softmax"], "half_squared_error", "mean", 0.0, "trained"),
    ([2, 4, 1], ["tanh", "tanh"], "binary_cross_entropy", "mean", 0.0, "trained"),  # the plain-formula branch
]


def _data(sizes, loss, rows=6):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(rows, 2))
    if loss == "softmax_cross_entropy":
        return X, rng.integers(0, sizes[-1], rows)
    if loss == "binary_cross_entropy":
        return X, rng.integers(0, 2, (rows, 1)).astype(float)
    return X, rng.normal(size=(rows, sizes[-1]))


def _assert_same_network(a: Network, b: Network) -> None:
    for x, y in zip(a.weights, b.weights):
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-15)
    for x, y in zip(a.biases, b.biases):
        assert (x is None) == (y is None)
        if x is not None:
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-15)


def _both(network: Network, *args, **options):
    readable, quick = network.copy(), network.copy()
    slow = training.train(readable, *args, **options)
    fast_result = fast.train(quick, *args, **options)
    return readable, slow, quick, fast_result


def test_engine_train_is_the_fast_loop():
    assert engine.train is fast.train
    assert training.train.__defaults__[-1] is training.GradientStep


@pytest.mark.parametrize("sizes, activations, loss, batch, l2, bias", CASES)
def test_fast_and_readable_training_agree(sizes, activations, loss, batch, l2, bias):
    X, Y = _data(sizes, loss)
    network = Network.from_sizes(sizes, activations, seed=2, bias=bias)
    readable, slow, quick, result = _both(network, X, Y, learning_rate=0.1, steps=40, loss=loss, batch=batch, l2=l2)
    np.testing.assert_allclose(result.losses, slow.losses, rtol=1e-12)
    assert result.final_loss == pytest.approx(slow.final_loss, rel=1e-12)
    assert (result.steps, result.stopped_early, result.reason) == (slow.steps, slow.stopped_early, slow.reason)
    _assert_same_network(quick, readable)


def test_fast_and_readable_agree_on_mini_batches():
    X, y = datasets.two_moons(60, seed=1)
    network = Network.from_sizes([2, 5, 2], ["tanh", "identity"], seed=0)
    readable, slow, quick, result = _both(
        network, X, y, learning_rate=0.1, steps=50, loss="softmax_cross_entropy", batch="mean", batch_size=16
    )
    np.testing.assert_allclose(result.losses, slow.losses, rtol=1e-12)
    _assert_same_network(quick, readable)


def test_fast_and_readable_stop_at_the_same_step_for_the_same_reason():
    X = np.array([[1.0], [2.0], [3.0]])
    network = Network.from_sizes([1, 1], "identity", seed=0)
    readable, slow, quick, result = _both(network, X, 3 * X, learning_rate=1.0, steps=500)
    assert result.stopped_early and slow.stopped_early
    assert (result.steps, result.reason) == (slow.steps, slow.reason)
    _assert_same_network(quick, readable)
    seen_fast, seen_slow = [], []
    fast.train(network.copy(), X, 3 * X, learning_rate=0.01, steps=9, callback=lambda s, v: seen_fast.append(s) or s < 3)
    training.train(network.copy(), X, 3 * X, learning_rate=0.01, steps=9, callback=lambda s, v: seen_slow.append(s) or s < 3)
    assert seen_fast == seen_slow == [0, 1, 2, 3]


def test_trasks_run_is_the_same_bit_for_bit_either_way():
    """Sigmoid and the half squared error, learning rate 1: the fast step does
    exactly the readable step's operations in the same order."""
    X, y = datasets.trask_3bit("xor")
    network = Network.from_sizes([3, 4, 1], seed=1, bias="absent", init="uniform")
    readable, slow, quick, result = _both(network, X, y, learning_rate=1.0, steps=2000)
    for a, b in zip(quick.weights, readable.weights):
        np.testing.assert_array_equal(a, b)


def test_the_sources_runs_are_the_readable_steps():
    """engine/sources trains with the fast path; the readable loop gives its numbers."""
    from engine import sources

    mazur = sources.mazur_training(steps=2000)
    readable = training.train(sources.mazur_network(), [sources.MAZUR_INPUTS], [sources.MAZUR_TARGETS],
                              learning_rate=0.5, steps=2000)
    np.testing.assert_allclose(mazur.losses, readable.losses, rtol=1e-12)
    X, y = datasets.trask_3bit("xor")
    trask = sources.trask_network(iterations=3000, report_every=1000)
    start = sources.trask_network(iterations=0).network
    training.train(start, X, y, learning_rate=1.0, steps=3000)
    np.testing.assert_array_equal(trask.syn0, start.weights[0])
    np.testing.assert_array_equal(trask.syn1, start.weights[1])


def test_britz_first_steps_agree():
    """The readable step takes the softmax with the largest logit subtracted,
    the fast one as Britz writes it (plain e^z), so their last bits differ and
    200 summed steps let the difference grow to about 1e-12: compared to 1e-9."""
    X, y = datasets.two_moons(200, noise=0.2, seed=0)
    network = Network.from_sizes([2, 3, 2], ["tanh", "identity"], seed=0)
    readable, slow, quick, result = _both(
        network, X, y, learning_rate=0.01, steps=200, loss="softmax_cross_entropy", batch="sum", l2=0.01
    )
    np.testing.assert_allclose(result.losses, slow.losses, rtol=1e-9)
    for a, b in zip(quick.weights + quick.biases, readable.weights + readable.biases):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def _engine_imports(name: str) -> set[str]:
    import ast
    from pathlib import Path

    tree = ast.parse((Path(engine.__file__).parent / name).read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return modules | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}


@pytest.mark.parametrize("name", engine.READING_PATH)
def test_the_reading_path_stands_on_its_own(name):
    """Every file a learner reads imports only the standard library, NumPy and
    other engine files, never the fast path or the sources beside it; and
    network.py knows nothing of training (the circle is gone)."""
    allowed = set(sys.stdlib_module_names) | {"numpy", "engine"}
    for module in _engine_imports(name):
        assert module.split(".")[0] in allowed, (name, module)
        assert not module.startswith(("engine.fast", "engine.sources")), (name, module)
    if name == "network.py":
        assert not any(module.startswith("engine.training") for module in _engine_imports(name))


def test_no_engine_module_imports_itself_round_a_circle():
    """network.py once imported training.py, which imported network.py back.
    The engine's modules (package __init__ files aside, which only re-export)
    now form a one-way graph: no module reaches itself through its imports."""
    import ast
    from pathlib import Path

    root = Path(engine.__file__).parent
    modules = {}
    for path in root.rglob("*.py"):
        if path.name == "__init__.py":
            continue
        name = ".".join(("engine", *path.relative_to(root).with_suffix("").parts))
        modules[name] = ast.parse(path.read_text(encoding="utf-8"))
    packages = {".".join(("engine", *p.relative_to(root).parent.parts)).rstrip(".") for p in root.rglob("__init__.py")}

    def imports(tree) -> set[str]:
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("engine"):
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            found |= {target for target in targets if target in modules}
            found |= {target for target in targets if target in packages and target != "engine"}
        return found

    graph = {name: imports(tree) for name, tree in modules.items()}
    for package in packages - {"engine"}:
        init = ast.parse((root / Path(*package.split(".")[1:]) / "__init__.py").read_text(encoding="utf-8"))
        graph[package] = imports(init)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and not seen.add(nxt) and reaches(nxt, goal, seen)):
                return True
        return False

    assert graph["engine.network"] and "engine.training" in graph["engine.fast.step"] | graph["engine.fast"]
    circles = [name for name in graph if reaches(name, name, set())]
    assert circles == []
