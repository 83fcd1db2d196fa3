"""`nntutor engine`: the catalogue of names a lesson can compute, and lint's suggestions from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.cli import main as nntutor
from tutor.course.model import EngineRef
from tutor.course.references import Use, reference_problems

LEAKY = Path(__file__).parent / "fixtures" / "courses" / "leaky"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = nntutor(["engine", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_one_engine_name_with_what_each_argument_accepts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "neuron_output")
    assert code == 0
    assert out.splitlines() == [
        "neuron_output(inputs, weights, bias, activation='sigmoid')",
        "    activation(weighted_sum(...)): the number the neuron passes on.",
        "    inputs: a number or an array (a TOML list; nested lists for a matrix) (required)",
        "    weights: a number or an array (a TOML list; nested lists for a matrix) (required)",
        "    bias: a number or an array (a TOML list; nested lists for a matrix) (required)",
        "    activation: one of 'sigmoid', 'tanh', 'relu', 'identity', 'softmax' (default 'sigmoid')",
    ]


def test_a_result_type_lists_what_select_can_pick(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "TrainingResult")
    assert code == 0
    assert out.splitlines()[-1] == "    select from the result: network, losses, steps, final_loss, stopped_early, reason"


def test_train_says_how_to_give_it_a_network(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "train")
    assert code == 0
    assert ('    network: a Network: a nested reference such as { engine = "Network.from_sizes", '
            'args = { sizes = [2, 3, 1] } } (required)') in out.splitlines()
    assert "    batch: one of 'sum', 'mean' (default 'sum')" in out.splitlines()


def test_the_whole_listing_names_every_engine_function(capsys: pytest.CaptureFixture[str]) -> None:
    import engine

    code, out, _ = run(capsys)
    assert code == 0
    signatures = {line.split("(")[0] for line in out.splitlines() if line and not line.startswith(" ")}
    functions = {name for name in engine.__all__ if callable(getattr(engine, name))}
    assert functions <= signatures
    assert {"datasets.two_moons", "sources.mazur_forward", "Network.from_sizes"} <= signatures


def test_the_course_functions_come_first_with_their_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--course", str(LEAKY))
    assert code == 0
    assert out.splitlines()[:6] == [
        f"The course's own functions ({LEAKY / 'reference.py'}), run in the sandbox:",
        "",
        "leaky_relu(z, slope=0.01)    [reference.py:11]",
        "    z where z > 0, slope * z elsewhere: a ReLU that never goes quite flat.",
        "    z: any value (lists arrive as float arrays) (required)",
        "    slope: any value (lists arrive as float arrays) (default 0.01)",
    ]
    code, out, _ = run(capsys, "train_hidden_layer", "--course", str(LEAKY / "01-leaky-relu.md"))
    assert code == 0
    assert out.splitlines()[2:4] == ["    slope: a number (required)", "    seed: an integer (required)"]


def test_an_unknown_name_gets_the_closest_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "leaky_relu")
    assert (code, out) == (1, "")
    assert err == ("nntutor engine: no computation named 'leaky_relu' in the engine. Did you mean relu or "
                   "relu_prime? `nntutor engine` lists every name.\n")


def test_a_course_that_is_not_one_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--course", str(tmp_path / "nowhere"))
    assert code == 2
    assert err == f"nntutor engine: not a folder: {tmp_path / 'nowhere'} does not exist\n"


@pytest.mark.parametrize("name", ["leaky_relu", "activations.relu"])
def test_lint_suggests_and_lists_the_names_a_lesson_may_use(name: str) -> None:
    [message] = reference_problems(Use(EngineRef(name, {"z": 1.0})))
    assert message.startswith(f"unknown engine function {name!r} (did you mean 'relu' or 'relu_prime'?); ")
    assert "a lesson may name sigmoid, sigmoid_prime, tanh, tanh_prime, relu, relu_prime, " in message
    assert message.endswith(", datasets.* and sources.* (`nntutor engine` lists every name with its arguments)")
    assert ("only datasets.*, sources.* (or worked.*) and Network.* names have a dot" in message) == ("." in name)


def test_lint_suggests_a_course_function_too() -> None:
    ref = EngineRef("leaky_relux", {"z": 1.0}, course=str(LEAKY))
    assert reference_problems(Use(ref)) == [
        "unknown engine function 'leaky_relux' (nor a function of the course's reference.py) (did you mean "
        "'leaky_relu'?); `nntutor engine --course FOLDER` lists every name with its arguments",
    ]
