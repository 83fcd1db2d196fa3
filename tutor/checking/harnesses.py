"""Each harness, declared once: what it drives, how its inputs read, what it reports.

A lesson's code exercise may name a `harness` (``harness = "train_classifier"``)
when its entry cannot simply be called with a case's arguments. The harness is
declared here, in the tutor: the sentence a failing case's ``inputs:`` line
shows, the arguments its driver gets (engine data is made here, in the tutor,
never in the sandbox), how what the driver reports becomes the value that is
judged, and the hint for a run that was slow rather than stuck. The driver,
the part that has to run beside the learner's code, is the function of the
same name in `drivers.py`; the sandbox loads that file and only runs it.

To add a harness: write its driver in drivers.py (NumPy and the standard
library only), add it to `drivers.DRIVERS`, declare it in `HARNESSES` below,
and give it a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from tutor.checking import drivers
from tutor.checking.values import format_arguments, format_value
from tutor.checking.wording import your_entry
from tutor.course.model import CodeSpec

#: The file the sandbox's worker loads the drivers from.
DRIVERS_FILE = Path(drivers.__file__).resolve()

Describe = Callable[[CodeSpec, Mapping[str, Any], Mapping[str, Any]], str]


def _identity(args: Mapping[str, Any]) -> dict[str, Any]:
    return dict(args)


def _as_reported(value: Any, args: Mapping[str, Any]) -> Any:
    return value


@dataclass(frozen=True)
class Harness:
    """One harness. `describe(spec, settings, case)` is the ``inputs:`` sentence
    (settings are the lesson's `harness_args`); `driver_args(args)` turns the
    harness_args plus the case's arguments into what the driver is called with;
    `judged(value, args)` turns what the driver reported (its value beside any
    extras) into the value compared with the engine's; `slow_hint` ends the
    message for a run that was making progress when its time ran out."""

    name: str
    describe: Describe
    driver_args: Callable[[Mapping[str, Any]], dict[str, Any]] = _identity
    judged: Callable[[Any, Mapping[str, Any]], Any] = _as_reported
    slow_hint: str = ""


@dataclass(frozen=True)
class Reported:
    """What a driver sent back, split into the judged value and its extras."""

    value: Any
    extras: Mapping[str, Any]


def split_reported(value: Any) -> Reported:
    """A driver's `reported(value, ...)` (drivers.py), or any plain value."""
    if isinstance(value, dict) and set(value) == {drivers.REPORTED_VALUE, drivers.REPORTED_EXTRAS}:
        extras = value[drivers.REPORTED_EXTRAS]
        return Reported(value[drivers.REPORTED_VALUE], extras if isinstance(extras, dict) else {})
    return Reported(value, {})


# -- the inputs sentences -----------------------------------------------------------------


def _data(case_args: Mapping[str, Any], joining: str) -> str:
    return f"{joining}{format_arguments(case_args)}" if case_args else ""


def _gate_rows(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    rows = ", ".join(f"({x1:g}, {x2:g})" for x1, x2 in drivers.GATE_ROWS)
    return (f"{your_entry(spec.entry, spec.signature)} on each row of the truth table: {rows}, "
            "and between the rows along the square's edges")


def _logistic_descent(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    return (f"{format_value(settings['steps'])} steps of gradient descent from zero weights with "
            f"{your_entry(spec.entry, spec.signature)}, learning rate {format_value(settings['learning_rate'])}"
            f"{_data(case_args, ', on ')}; compared: the probabilities the model ends with")


def _descend_logistic(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    return (f"{your_entry(spec.entry, spec.signature)} for {format_value(settings['steps'])} steps, learning rate "
            f"{format_value(settings['learning_rate'])}, on the log-loss of logistic regression"
            f"{_data(case_args, ' with ')}; compared: the losses it returns")


def _train_classifier(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    data = str(settings.get("data", "two_moons"))
    data_args = settings.get("data_args") or {}
    dataset = f"{data}({format_arguments(data_args)})" if data_args else data
    judged = "its training accuracy"
    if "holdout_seed" in case_args:
        judged = (f"its accuracy on {format_value(case_args.get('holdout_samples', HOLDOUT_SAMPLES))} new points "
                  f"of the same {data} (seed {format_value(case_args['holdout_seed'])}), never trained on")
    return (f"{your_entry(spec.entry, spec.signature)} built with seed {format_value(settings.get('seed', 0))} and "
            f"trained for {format_value(settings['steps'])} steps, learning rate "
            f"{format_value(settings['learning_rate'])}, on {dataset}; compared: {judged}")


def _call_method(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    merged = {**settings, **case_args}
    init = format_arguments(merged.get("init") or {}) if merged.get("init") else ""
    args = format_arguments(merged.get("args") or {}) if merged.get("args") else ""
    return f"{spec.entry}({init}).{merged['method']}({args})"


def _call_with(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    merged = {**settings, **case_args}
    arguments = merged.get("arguments") or {}
    return f"{spec.entry}({format_arguments(arguments) if arguments else ''})"


def _value_circuit(spec: CodeSpec, settings: Mapping[str, Any], case_args: Mapping[str, Any]) -> str:
    from engine.sources.karpathy import VALUE_CIRCUIT_INPUTS

    circuit = str({**settings, **case_args}.get("circuit", "micrograd"))
    inputs = VALUE_CIRCUIT_INPUTS[circuit]
    what = {"micrograd": "micrograd's README example (g from a = -4 and b = 2)",
            "neuron": "the tanh neuron of Karpathy's micrograd lecture, tanh(x1*w1 + x2*w2 + b)"}[circuit]
    output = "g" if circuit == "micrograd" else "the output"
    return (f"{what}, built with your {spec.entry} class, then backward(); compared: {output}'s data and the grad "
            f"of {', '.join(inputs)}")


# -- the capstone's data, made in the tutor ------------------------------------------------

#: The engine's point clouds with whole-number class labels.
CLASSIFIER_DATA = ("two_moons", "spirals", "blobs")


def classifier_data(args: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """The points and labels `train_classifier` trains on, from the engine."""
    from engine import datasets

    data = str(args.get("data", "two_moons"))
    if data not in CLASSIFIER_DATA:
        raise ValueError(f"train_classifier trains on {', '.join(CLASSIFIER_DATA)}, not {data!r}")
    X, y = getattr(datasets, data)(**dict(args.get("data_args") or {}))
    return np.asarray(X, dtype=float), np.asarray(y).astype(np.int64)


#: how many held-out points the accuracy is measured on, unless a case says
HOLDOUT_SAMPLES = 1000
HOLDOUT_ARGS = ("holdout_seed", "holdout_samples")


def held_out_data(args: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """With a case's ``holdout_seed``: other points of the same distribution
    (the same data function and settings, that seed, `holdout_samples` of
    them), on which the accuracy is measured. The labels `backward` receives
    are the training points' only, so a network that remembers them learns
    nothing it is judged on. None without a holdout_seed (training accuracy)."""
    if args.get("holdout_seed") is None:
        return None
    data_args = dict(args.get("data_args") or {})
    if int(args["holdout_seed"]) == int(data_args.get("seed", 0)):
        raise ValueError("train_classifier: the held-out seed must differ from the training data's seed")
    data_args.update(seed=int(args["holdout_seed"]), n_samples=int(args.get("holdout_samples", HOLDOUT_SAMPLES)))
    return classifier_data({**args, "data_args": data_args})


def _classifier_driver_args(args: Mapping[str, Any]) -> dict[str, Any]:
    X, y = classifier_data(args)
    settings = {name: value for name, value in args.items() if name not in ("data", "data_args", *HOLDOUT_ARGS)}
    held_out = held_out_data(args)
    if held_out is not None:
        settings["judged_on"] = held_out[0]
    return {**settings, "X": X, "y": y}


def _classifier_accuracy(probabilities: Any, args: Mapping[str, Any]) -> Any:
    """The accuracy of the reported probabilities, measured here against labels
    the tutor holds (the held-out points' when the case has them); anything
    not shaped like probabilities is passed on, so the ordinary comparison
    names what is wrong with it."""
    held_out = held_out_data(args)
    _, y = held_out if held_out is not None else classifier_data(args)
    p = np.asarray(probabilities) if isinstance(probabilities, np.ndarray) else None
    if p is None or p.ndim != 2 or p.shape[0] != len(y) or p.dtype.kind not in "fiu":
        return probabilities
    return float(np.mean(np.argmax(p, axis=1) == y))


HARNESSES: dict[str, Harness] = {
    harness.name: harness
    for harness in (
        Harness("call_method", _call_method),
        Harness("call_with", _call_with),
        Harness("call_strict", _call_with),
        Harness("gate_truth_table", _gate_rows),
        Harness("logistic_descent", _logistic_descent,
                slow_hint="Compute each step for all examples at once, with NumPy arrays."),
        Harness("descend_logistic", _descend_logistic,
                slow_hint="Each step should call loss_and_gradient once and update the parameters with NumPy arrays."),
        Harness("train_classifier", _train_classifier, driver_args=_classifier_driver_args,
                judged=_classifier_accuracy, slow_hint="Use NumPy arrays for whole layers."),
        Harness("value_circuit", _value_circuit,
                slow_hint="Build the topological order once per backward() call, visiting each value once."),
    )
}


def harness_named(name: str) -> Harness | None:
    return HARNESSES.get(name)
