"""A scripted class for the teacher's-view tests: four learners' progress
written through the real ProgressStore into the layout `nntutor serve` uses.
Not a test module."""

from __future__ import annotations

from pathlib import Path

from tutor.progress.store import ProgressStore
from tutor.serve.layout import learner_paths

WEIGHTED, SIGMOID, FORWARD = "neuron/weighted-sum", "sigmoid/implement", "neuron/forward"
NO_BIAS = "You left out the bias"
TIMES = "You multiplied the bias"


def learner_store(data: Path, learner: str) -> ProgressStore:
    paths = learner_paths(data, learner)
    paths.workspace.mkdir(parents=True, exist_ok=True)
    return ProgressStore.open(paths.progress)


def script_class(data: Path) -> Path:
    """Ada: weighted-sum wrong (no bias), a hint, then right; sigmoid right at once; now at sigmoid/derivative.
    Bob: weighted-sum wrong three times (no bias twice, times once), two hints, the
    solution; forward tried once. Cy: a folder, not started. Dee: only a hint."""
    ada = learner_store(data, "ada")
    ada.record_attempt(WEIGHTED, "7", False, mistake=NO_BIAS, duration_s=30.0)
    ada.reveal_hint(WEIGHTED, 2)
    ada.record_attempt(WEIGHTED, "5", True, duration_s=15.0)
    ada.record_attempt(SIGMOID, None, True, duration_s=60.0, handed_in="def sigmoid(z): ...")
    ada.set_position("sigmoid", "derivative")
    ada.save()
    ada.close()
    bob = learner_store(data, "bob")
    bob.record_attempt(WEIGHTED, "7", False, mistake=NO_BIAS, duration_s=10.0)
    bob.reveal_hint(WEIGHTED, 2)
    bob.reveal_hint(WEIGHTED, 2)
    bob.record_attempt(WEIGHTED, "7.0", False, mistake=NO_BIAS, duration_s=10.0)
    bob.record_attempt(WEIGHTED, "-14", False, mistake=TIMES, duration_s=5.0)
    bob.mark_solution_seen(WEIGHTED)
    bob.record_attempt(FORWARD, None, False, duration_s=125.0, handed_in="def forward(): pass")
    bob.save()
    bob.close()
    learner_paths(data, "cy").workspace.mkdir(parents=True)
    dee = learner_store(data, "dee")
    dee.reveal_hint(SIGMOID, 3)
    dee.save()
    dee.close()
    return data
