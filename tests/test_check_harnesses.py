"""Each harness declared once (tutor/checking/harnesses.py), its driver beside it
(tutor/checking/drivers.py), and the driver file fit to run in the sandbox."""

from __future__ import annotations

import ast
import sys

import numpy as np

from tutor.checking import drivers
from tutor.checking.harnesses import DRIVERS_FILE, HARNESSES, classifier_data, split_reported
from tutor.course.loader import load_course


def test_every_declared_harness_has_a_driver_and_every_driver_a_declaration():
    assert set(HARNESSES) == set(drivers.DRIVERS)
    for name, driver in drivers.DRIVERS.items():
        assert driver.__name__ == name


def test_the_course_names_only_declared_harnesses():
    named = {e.code.harness for lesson in load_course().lessons for e in lesson.exercises if e.code and e.code.harness}
    assert named and named <= set(HARNESSES)


def test_the_drivers_import_nothing_but_numpy_and_the_standard_library():
    tree = ast.parse(DRIVERS_FILE.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imported - set(sys.stdlib_module_names) == {"numpy"}, imported


def test_the_capstone_is_judged_in_the_tutor_from_the_probabilities_the_driver_reports():
    declared = HARNESSES["train_classifier"]
    settings = {"steps": 1, "learning_rate": 1.0, "data": "two_moons", "data_args": {"n_samples": 40, "noise": 0.1, "seed": 1}}
    args = declared.driver_args(settings)
    X, y = classifier_data(settings)
    assert np.array_equal(args["X"], X) and np.array_equal(args["y"], y) and "data" not in args
    right = np.eye(2)[y]
    assert declared.judged(split_reported(drivers.reported(right)).value, settings) == 1.0
    assert declared.judged(right[:, ::-1], settings) == 0.0
    assert declared.judged("not probabilities", settings) == "not probabilities"  # left for the comparison to name
