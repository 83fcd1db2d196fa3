"""`nntutor show` and `nntutor check --seed` on variants: the shell sees what the learner sees.

The must-show of the variants issue, through the real command line: the drawn
`inputs`, `weights` and `bias` of variant 7 come out of `show --json`, and
`check --seed 7 -` passes their weighted sum (computed here by the engine) and
fails it plus one.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np

import engine
from tutor.course.loader import load_course
from tutor.course.show import main as show
from tutor.course.variants import instantiate


def run_show(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = show(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def nntutor(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor", *args], input=stdin, capture_output=True, text=True,
                          timeout=60)


def test_show_seed_json_then_check_seed_from_the_shell() -> None:
    shown = nntutor("show", "neuron/weighted-sum", "--seed", "7", "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert set(data["params"]) == {"inputs", "weights", "bias"}
    assert (data["exercise"], data["kind"], data["seed"]) == ("neuron/weighted-sum", "number", 7)
    params = data["params"]
    assert data["params"] == instantiate(load_course().exercise("neuron/weighted-sum"), 7).variant_values
    assert (f"(inputs {params['inputs'][0]} and {params['inputs'][1]}, weights {params['weights'][0]} and "
            f"{params['weights'][1]}, bias {params['bias']})") in data["prompt"]
    z = float(engine.weighted_sum(np.array(params["inputs"], dtype=float), np.array(params["weights"], dtype=float),
                                  params["bias"]))

    passed = nntutor("check", "neuron/weighted-sum", "--seed", "7", "-", stdin=f"{z}\n")
    assert passed.returncode == 0 and passed.stdout.startswith("PASS: Correct"), (passed.stdout, passed.stderr)
    failed = nntutor("check", "neuron/weighted-sum", "--seed", "7", "-", stdin=f"{z + 1}\n")
    assert failed.returncode == 1 and failed.stdout.startswith("FAIL: "), (failed.stdout, failed.stderr)


def test_show_without_a_seed_is_the_lesson_as_written() -> None:
    code, out, err = run_show(["neuron/weighted-sum"])
    assert (code, err) == (0, "")
    assert out == ("neuron/weighted-sum: number  (the lesson as written)\n\n"
                   "Compute the weighted sum z of the spam-filter neuron (inputs 1 and 0, weights 7 and 3, bias -2).\n")
    code, out, _ = run_show(["neuron/weighted-sum", "--json"])
    data = json.loads(out)
    assert (data["seed"], data["params"]) == (None, {"inputs": [1, 0], "weights": [7, 3], "bias": -2})


def test_show_names_a_variant_and_its_kind_specific_parts() -> None:
    code, out, _ = run_show(["neuron/weighted-sum", "--seed", "3"])
    variant = instantiate(load_course().exercise("neuron/weighted-sum"), 3)
    assert code == 0 and out == f"neuron/weighted-sum: number  (variant, seed 3)\n\n{variant.prompt}\n"
    code, out, _ = run_show(["neuron/bias-role"])
    assert code == 0 and "  2. It shifts the weighted sum up or down, whatever the inputs are\n" in out
    code, out, _ = run_show(["neuron/output", "--prose", "--json"])
    assert code == 0 and json.loads(out)["prose"].startswith("The weighted sum can be any number at all")


def test_show_refuses_an_unknown_exercise_or_seed(capsys) -> None:
    code, out, err = run_show(["neuron/nope"])
    assert code == 2 and out == "" and err.startswith("nntutor show: no exercise neuron/nope in the built-in course")
    code, _, _ = run_show(["neuron/weighted-sum", "--seed", "-1"])
    assert code == 2 and "argument --seed: a seed is not negative, not -1" in capsys.readouterr().err


def test_check_variant_picks_the_variant_apart_from_the_seed(capsys) -> None:
    from tutor.checking.command import main as check

    weighted = load_course().exercise("neuron/weighted-sum")
    z7 = float(engine.weighted_sum(*(np.array(instantiate(weighted, 7).variant_values[name], dtype=float)
                                     for name in ("inputs", "weights")), instantiate(weighted, 7).variant_values["bias"]))

    def judged(argv: list[str], answer: str) -> int:
        return check(argv, stdin=io.StringIO(answer), stdout=io.StringIO())

    assert judged(["neuron/weighted-sum", "--seed", "3", "--variant", "written", "-"], "5") == 0
    assert judged(["neuron/weighted-sum", "--seed", "3", "--variant", "7", "-"], f"{z7}") == 0
    assert judged(["neuron/weighted-sum", "--variant", "7", "-"], f"{z7}") == 0
    assert judged(["neuron/weighted-sum", "--variant", "seven", "-"], "5") == 2
    assert "a variant is a seed such as 7, or 'written' for the lesson as written, not 'seven'" in capsys.readouterr().err
