"""Numbers the first two lessons state in words agree with the engine.

Each claim pairs the exact phrase a learner reads with the engine computation
behind it, rounded the way the phrase rounds it. Editing the phrase away or
changing the engine makes the claim fail, so prose and engine cannot drift.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import engine
from tutor.course.locate import builtin_course_path

COURSE = builtin_course_path()


def _text(name: str) -> str:
    return (COURSE / name).read_text(encoding="utf-8")


# (file, phrase in the lesson, value the phrase states, engine value, decimals of the phrase)
CLAIMS = [
    ("01-neuron.md", "for z = 5 it is about 0.006738", 0.006738, float(np.exp(-5.0)), 6),
    ("01-neuron.md", 'solution = "0.99331"', 0.99331, float(engine.neuron_output([1, 0], [7, 3], -2)), 5),
    ("01-neuron.md", "about 0.99 means", 0.99, float(engine.neuron_output([1, 0], [7, 3], -2)), 2),
    ("01-neuron.md", "e^2 is about 7.4", 7.4, float(np.exp(2.0)), 1),
    ("01-neuron.md", 'solution = "0.12"', 0.12, float(engine.neuron_output([0, 0], [7, 3], -2)), 2),
    ("01-neuron.md", "0.5 is sigmoid(0)", 0.5, float(engine.sigmoid(0.0)), 1),
    ("02-sigmoid.md", "the largest float (about 1.8e308)", "1.8e+308", float(np.finfo(np.float64).max), None),
    ("02-sigmoid.md", 'solution = "0.0067"', 0.0067, float(engine.sigmoid(-5.0)), 4),
    ("02-sigmoid.md", "sigmoid(5) = 0.9933", 0.9933, float(engine.sigmoid(5.0)), 4),
    ("02-sigmoid.md", 'solution = "0.25"', 0.25, float(engine.sigmoid_prime(0.0)), 2),
]


@pytest.mark.parametrize("name,phrase,stated,value,decimals", CLAIMS, ids=[c[1] for c in CLAIMS])
def test_stated_number_is_the_engine_value_rounded(name: str, phrase: str, stated: float | str, value: float, decimals: int | None) -> None:
    assert phrase in _text(name), f"{name} no longer says {phrase!r}: update this claim"
    if decimals is None:  # stated to two significant figures (1.8e308 itself is beyond a float)
        assert f"{value:.1e}" == stated
    else:
        assert round(value, decimals) == pytest.approx(stated, abs=10 ** -(decimals + 3))


def test_article_neuron_is_the_one_the_lesson_teaches() -> None:
    assert float(engine.weighted_sum([1, 0], [7, 3], -2)) == 5.0
    assert float(engine.neuron_output([1, 0], [7, 3], -2)) == pytest.approx(1 / (1 + math.exp(-5)), abs=0)
