"""A course's own reference code (reference.py): named like the engine, run in the sandbox.

The course under tests/fixtures/courses/leaky teaches leaky ReLU, which the
engine does not compute: its code exercise, wrong answer and training-run plot
all come from the course's reference.py. Each test copies it out of the
package tree first, as a teacher's course would live.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from tutor.checking.checker import check
from tutor.cli import main as nntutor
from tutor.course.engine_refs import EngineRefError, evaluate
from tutor.course.loader import load_lesson
from tutor.course.model import EngineRef
from tutor.lint import lint_paths

LEAKY = Path(__file__).parent / "fixtures" / "courses" / "leaky"
LESSON_LINE_OF_EXPECTED = 18  # `expected = { engine = "leaky_relu" }` in 01-leaky-relu.md

PLAIN_RELU = "import numpy as np\n\ndef leaky_relu(z, slope):\n    return np.maximum(np.asarray(z, dtype=float), 0.0)\n"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "leaky"
    shutil.copytree(LEAKY, folder)
    return folder


def lines(problems: list) -> list[str]:
    return [str(problem) for problem in problems]


def test_the_outside_course_lints_clean(course: Path) -> None:
    assert lines(lint_paths([course])) == []


def test_the_course_function_gives_the_expected_values(course: Path) -> None:
    lesson = load_lesson(course / "01-leaky-relu.md")
    implement, loss = lesson.exercises
    assert implement.expected.line == LESSON_LINE_OF_EXPECTED
    value = evaluate(implement.expected, extra={"z": [-2.0, 0.0, 3.0], "slope": 0.1})
    assert value.tolist() == [-0.2, 0.0, 3.0]
    # nested: the engine's mean_squared_error over what the course's leaky_relu computed
    assert float(evaluate(loss.expected)) == pytest.approx(0.02, abs=1e-15)


def test_the_training_run_plot_comes_from_the_course(course: Path) -> None:
    plot = load_lesson(course / "01-leaky-relu.md").exercises[0].plot
    dead, leaky = (np.asarray(evaluate(curve["ref"])) for curve in plot.spec["curves"])
    assert dead.shape == leaky.shape == (300,)
    # with slope 0 every hidden unit stays dead: the loss stops falling; the leaky one keeps learning
    assert dead[-1] == pytest.approx(dead[100], rel=1e-9)
    assert leaky[-1] < dead[-1] / 10


def test_check_judges_answers_with_the_course_function(course: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    answer = tmp_path / "answer.py"
    answer.write_text(PLAIN_RELU, encoding="utf-8")
    assert nntutor(["check", "--course", str(course), "leaky/implement", str(answer), "--seed", "5"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL: Negative inputs come out as 0: that is the plain ReLU. Multiply them by `slope` instead.")
    assert "expected: [-0.2, 0, 3]" in out
    solution = load_lesson(course / "01-leaky-relu.md").exercises[0].solution
    answer.write_text(solution, encoding="utf-8")
    assert nntutor(["check", "--course", str(course), "leaky/implement", str(answer), "--seed", "5"]) == 0
    assert capsys.readouterr().out.startswith("PASS")


def test_loading_and_listing_never_run_the_reference(course: Path) -> None:
    marker = course / "ran"
    (course / "reference.py").write_text(
        f"open({str(marker)!r}, 'w').write('ran')\n\n"
        "def leaky_relu(z, slope=0.01):\n    \"\"\"Leaky.\"\"\"\n    return z\n", encoding="utf-8")
    from tutor.course.catalogue import course_entries

    load_lesson(course / "01-leaky-relu.md")
    assert [entry.name for entry in course_entries(course)] == ["leaky_relu"]
    assert not marker.exists()


@pytest.mark.parametrize(("body", "message"), [
    ("    \"\"\"Leaky.\"\"\"\n    open('written-by-reference', 'w').write('x')\n    return z\n",
     "course function 'leaky_relu' (reference.py:1) was refused by the sandbox at reference.py:3: "
     "the tutor does not let your code write, change or delete files"),
    ("    \"\"\"Leaky.\"\"\"\n    import engine\n    return engine.relu(z)\n",
     "course function 'leaky_relu' (reference.py:1) raised ModuleNotFoundError at reference.py:3: "
     "No module named 'engine' (reference code runs in the sandbox like a learner's: it may import NumPy "
     "and the standard library, never the engine or the tutor; pass what it needs as arguments, a nested "
     "{ engine = ... } reference for an engine value)"),
])
def test_reference_code_is_confined_like_learner_code(course: Path, monkeypatch: pytest.MonkeyPatch,
                                                       body: str, message: str) -> None:
    monkeypatch.chdir(course)
    source = (course / "reference.py").read_text(encoding="utf-8")
    rest = source[source.index("def relu_ignoring_slope"):]
    (course / "reference.py").write_text(
        f"def leaky_relu(z, slope=0.01):\n{body}\n\nimport numpy as np\n\n\n{rest}", encoding="utf-8")
    lesson = course / "01-leaky-relu.md"
    nested = lesson.read_text(encoding="utf-8").splitlines().index(
        'expected = { engine = "mean_squared_error", args = { output = { engine = "leaky_relu", '
        'args = { z = [-2.0, 3.0], slope = 0.1 } }, target = [0.0, 3.0] } }') + 1
    # the code exercise's expected value, and the number exercise's nested reference
    assert lines(lint_paths([course])) == [f"{lesson}:{LESSON_LINE_OF_EXPECTED}: {message}",
                                           f"{lesson}:{nested}: {message}"]
    assert not (course / "written-by-reference").exists()


def test_an_edited_reference_is_never_answered_from_the_old_file(course: Path) -> None:
    ref = load_lesson(course / "01-leaky-relu.md").exercises[0].expected
    assert float(evaluate(ref, extra={"z": -1.0, "slope": 0.5})) == -0.5
    source = (course / "reference.py").read_text(encoding="utf-8")
    (course / "reference.py").write_text(source.replace("slope * z)", "2 * slope * z)"), encoding="utf-8")
    assert float(evaluate(ref, extra={"z": -1.0, "slope": 0.5})) == -1.0


def test_reference_file_problems_name_the_file_and_line(course: Path) -> None:
    reference = course / "reference.py"
    reference.write_text("import numpy as np\n\n\ndef sigmoid(z):\n    return z\n\n\n"
                         "def leaky_relu(z, slope=0.01):\n    \"\"\"Leaky.\"\"\"\n    return np.where(z > 0, z, slope * z)\n\n\n"
                         "def relu_ignoring_slope(z, slope=0.01):\n    \"\"\"Plain.\"\"\"\n    return np.maximum(z, 0)\n\n\n"
                         "def train_hidden_layer(slope, seed):\n    \"\"\"Flat.\"\"\"\n    return np.zeros(300)\n",
                         encoding="utf-8")
    assert lines(lint_paths([course], run_checker=False)) == [
        f"{reference}:4: function 'sigmoid' has no docstring: its first line is the description "
        "`nntutor engine --course` shows authors",
        f"{reference}:4: function 'sigmoid' has the name of an engine function, so a lesson's engine = 'sigmoid' "
        "could mean either: rename it (for instance 'sigmoid_course')",
    ]
    reference.write_text("def leaky_relu(z, slope=0.01:\n    return z\n", encoding="utf-8")
    assert f"{reference}:1: invalid Python: " in "\n".join(lines(lint_paths([course], run_checker=False)))


def test_arguments_that_do_not_fit_a_course_function(course: Path) -> None:
    lesson = course / "01-leaky-relu.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("args = { slope = 0.0, seed = 0 }", "args = { slop = 0.0, seed = 0 }"), encoding="utf-8")
    line = text.splitlines().index(
        '  { engine = "train_hidden_layer", args = { slope = 0.0, seed = 0 }, label = "ReLU (slope 0)" },') + 1
    assert lines(lint_paths([course], run_checker=False)) == [
        f"{lesson}:{line}: arguments do not fit course function 'train_hidden_layer': "
        "missing a required argument: 'slope'",
    ]


def test_a_nested_engine_network_is_built_then_trained() -> None:
    network = {"engine": "Network.from_sizes", "args": {"sizes": [2, 3, 1], "activations": ["relu", "sigmoid"], "seed": 3}}
    ref = EngineRef("train", {"network": network, "inputs": [[0, 0], [0, 1], [1, 0], [1, 1]],
                              "targets": [[0], [1], [1], [0]], "steps": 5, "seed": 0}, select="losses")
    import engine

    direct = engine.train(engine.Network.from_sizes([2, 3, 1], ["relu", "sigmoid"], seed=3),
                          [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], steps=5, seed=0).losses
    assert np.array_equal(evaluate(ref), direct)


def test_an_engine_object_cannot_cross_into_the_sandbox(course: Path) -> None:
    ref = EngineRef("leaky_relu", {"z": {"engine": "Network.from_sizes", "args": {"sizes": [1, 1], "seed": 0}}},
                    course=str(course))
    with pytest.raises(EngineRefError) as error:
        evaluate(ref)
    assert str(error.value) == (
        "argument 'z' of course function 'leaky_relu' (reference.py:11) is a Network, which cannot cross into "
        "the sandbox: pass numbers, arrays, lists or tables (select a field of an engine result with "
        "select = \"...\"), or build the object inside reference.py")


def test_the_checker_verdict_for_the_number_exercise(course: Path) -> None:
    loss = load_lesson(course / "01-leaky-relu.md").exercises[1]
    assert check(loss, "0.02").passed
    assert not check(loss, "0.04").passed
