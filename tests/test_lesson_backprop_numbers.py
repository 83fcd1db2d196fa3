"""Numbers that lessons 5-7 state in prose, hints and messages agree with the engine.

Each entry is a phrase quoted from a lesson file and the engine value it
states; the test finds the phrase in the file, reads the number out of it and
checks it is the engine's value correctly rounded to the digits written. A phrase that is
edited away fails the test, so stale numbers cannot survive silently.
(A wrong answer that became an engine computation of its exercise's
parameters, like circuits/nudge's, has no number left to quote: lint checks
it in every variant instead.)
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from engine import sigmoid, worked

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def mazur():
    return worked.mazur_forward(), worked.mazur_gradients()


def stated():
    f, g = mazur()
    gate = worked.karpathy_gate()
    circuit = worked.karpathy_circuit()
    neuron = worked.karpathy_neuron()
    return [
        ("05-backprop.md", "net_h1 = 0.3775", f.net_h1),
        ("05-backprop.md", "out_o1 = 0.75136507", f.out_o1),
        ("05-backprop.md", "out_o2 = 0.772928465", f.out_o2),
        ("05-backprop.md", "E_o1 is about 0.2748", f.E_o1),
        ("05-backprop.md", "E_o2 about 0.0236", f.E_o2),
        ("05-backprop.md", "out_h1 = 0.593269992", f.out_h1),
        ("05-backprop.md", "They are about 0.741365", g.dE_dout_o1),
        ("05-backprop.md", "0.741365, 0.186816", g.dout_o1_dnet_o1),
        ("05-backprop.md", "and 0.593270", g.dnet_o1_dw5),
        ("05-backprop.md", "dE/dw5 is 0.082167041", g.dE_dw5),
        ("05-backprop.md", "0.5 * 0.082167041", g.dE_dw5),
        ("05-backprop.md", "delta_o1 = 0.138498562", g.delta_o1),
        ("05-backprop.md", "delta_o2 = -0.038098237", g.delta_o2),
        ("05-backprop.md", "dE/dout_h1 is about 0.036350", g.dE_dout_h1),
        ("05-backprop.md", "out_h1 (1 - out_h1) is about 0.241301", g.dout_h1_dnet_h1),
        ("05-backprop.md", 'answer = "0.596742218"', 2 * f.E_total),
        ("05-backprop.md", 'answer = "0.439829649"', g.dE_dout_o1 * g.dnet_o1_dw5),
        ("05-backprop.md", 'answer = "-0.082167041"', -g.dE_dw5),
        ("05-backprop.md", 'answer = "0.44108352"', 0.4 + 0.5 * g.dE_dw5),
        ("05-backprop.md", 'answer = "0.317832959"', 0.4 - g.dE_dw5),
        ("05-backprop.md", 'answer = "0.000668396"', g.delta_o1 * 0.4 * g.dout_h1_dnet_h1 * 0.05),
        ("05-backprop.md", 'answer = "0.008771355"', g.dE_dout_h1 * g.dout_h1_dnet_h1),
        ("06-circuits.md", "so f = -6", gate.f),
        ("06-circuits.md", "q = x + y = 3", circuit.q),
        ("06-circuits.md", "then f = q * z = -12", circuit.f),
        ("06-circuits.md", "df/dz = q = 3", circuit.dz),
        # circuits/neuron-da's prose and hint now state sigmoid(z) and its slope as computed
        # parameters ({out}, {slope}, {slope6}): lint checks their published values instead
        ("06-circuits.md", "from about 0.8808", neuron.output),
        ("06-circuits.md", "to 0.8826", neuron.output_after_step),
        ("06-circuits.md", "0.01 gives 0.8826", neuron.output_after_step),
        ("07-tiny-network.md", "It is below 0.01", None),
    ]


@pytest.mark.parametrize("lesson, phrase, value", stated(), ids=lambda item: str(item)[:40])
def test_stated_number_matches_the_engine(lesson, phrase, value):
    text = (LESSONS / lesson).read_text(encoding="utf-8")
    assert phrase in text, f"{lesson} no longer says {phrase!r}"
    if value is None:
        return
    numbers = NUMBER.findall(phrase)
    assert numbers, phrase
    written = numbers[-1]
    places = -Decimal(written).as_tuple().exponent
    half_unit = 0.5 * 10.0 ** -places * (1 + 1e-9)  # the engine's value, correctly rounded
    assert abs(float(written) - float(value)) <= half_unit, (
        f"{lesson}: {phrase!r} but the engine gives {float(value)!r}"
    )


def test_iteration_10000_error_is_below_what_the_hint_says():
    assert worked.trask_network(iterations=10001, seed=1).errors[10000] < 0.01


def test_untrained_trask_error_is_near_one_half():
    """The predict exercise's reasoning: outputs near 0.5 give an error near 0.5."""
    first = worked.trask_network(iterations=1, seed=1).errors[0]
    assert abs(first - 0.5) < 0.05


def test_stuck_hidden_sizes_named_in_messages_really_fail_and_four_succeeds():
    errors = {h: worked.trask_network(iterations=10001, seed=1, hidden=h).errors[10000] for h in (1, 2, 3, 4)}
    assert errors[1] > 0.05 and errors[2] > 0.05 and errors[3] > 0.05
    assert errors[4] < 0.05


def test_negative_step_lowers_the_karpathy_neuron():
    assert worked.karpathy_neuron(step_size=-0.5).output_after_step < worked.karpathy_neuron().output


def test_mazur_sigmoid_inputs_in_prose():
    assert float(sigmoid(0.3775)) == pytest.approx(worked.mazur_forward().out_h1, abs=1e-15)
    assert np.isclose(0.15 * 0.05 + 0.20 * 0.10 + 0.35, 0.3775)
