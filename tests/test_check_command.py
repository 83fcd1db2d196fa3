"""`nntutor check LESSON/EXERCISE [FILE|-]`: printed verdict and exit status 0/1/2."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tutor.checking.command import main

LESSON = textwrap.dedent('''\
    +++
    id = "bias"
    title = "What the bias does"
    order = 1
    +++

    Some prose.

    ```exercise
    id = "z"
    kind = "number"
    prompt = "What is z?"
    expected = { engine = "weighted_sum", args = { inputs = [3, 4], weights = [2, -1], bias = 0.5 } }
    tolerance = { abs = 1e-6, rel = 1e-6 }
    hints = ["Multiply.", "Add the bias."]
    solution = "2.5"

    [[wrong]]
    answer = "2"
    message = "You left out the bias."
    ```

    ```exercise
    id = "w"
    kind = "array"
    prompt = "The weights?"
    shape = [2, 2]
    expected = { engine = "sigmoid", args = { z = [[0.0, 0.0], [0.0, 0.0]] } }
    tolerance = { abs = 1e-6, rel = 0.0 }
    hints = ["Half.", "Every one is a half."]
    solution = "0.5 0.5\\n0.5 0.5"
    ```

    ```exercise
    id = "lr"
    kind = "tune"
    prompt = "Pick a learning rate."
    hints = ["Bigger.", "Near 5."]
    solution = { lr = 5.0 }

    [tune]
    params = [{ name = "lr", kind = "float", default = 0.01, min = 0.0001, max = 50.0 }]
    run = { engine = "worked.mazur_training", args = { steps = 50, learning_rate = "$lr" } }
    goal = { select = "final_loss", below = 0.05 }
    ```
''')


@pytest.fixture
def course(tmp_path: Path) -> Path:
    (tmp_path / "01-bias.md").write_text(LESSON, encoding="utf-8")
    return tmp_path


def run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_pass_from_stdin_exits_0(course):
    assert run(["bias/z", "--course", str(course)], "2.5\n") == (0, "PASS: Correct: 2.5.\n", "")


def test_fail_with_targeted_message_exits_1(course):
    assert run(["bias/z", "-", "--course", str(course)], "2") == (1, "FAIL: You left out the bias.\n", "")


def test_answer_from_a_file_one_row_per_line(course, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text("0.5 0.5\n0.5 0.5\n", encoding="utf-8")
    assert run(["bias/w", str(answer), "--course", str(course)])[0] == 0
    answer.write_text("[[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]", encoding="utf-8")
    code, out, _ = run(["bias/w", str(answer), "--course", str(course)])
    assert (code, out) == (1, "FAIL: You gave a 3 x 2 matrix; the answer is a 2 x 2 matrix.\n")


def test_unparsable_answer_is_judged_not_a_usage_error(course):
    code, out, _ = run(["bias/z", "--course", str(course)], "two and a half")
    assert (code, out) == (1, "ERROR: 'two and a half' is not a number. Type digits such as 5, 0.99 or -3e-4.\n")


def test_tune_answer_as_name_value_lines(course):
    code, out, _ = run(["bias/lr", "--course", str(course)], "lr = 5.0\n")
    assert code == 0 and out.startswith("PASS: The final loss is ")
    code, out, err = run(["bias/lr", "--course", str(course)], "lr = = 5\n")
    assert code == 2 and out == "" and err.startswith("nntutor check: tune answers are \"name = value\" lines (TOML): ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["bias"], "nntutor check: name the exercise as LESSON/EXERCISE (e.g. neuron/weighted-sum), not 'bias'\n"),
        (["bias/nope"], "nntutor check: lesson 'bias' has no exercise 'nope' (exercises: z, w, lr)\n"),
        (["bias/z", "/no/such/file"], "nntutor check: cannot read /no/such/file: No such file or directory\n"),
    ],
)
def test_usage_errors_exit_2(course, argv, message):
    assert run([*argv, "--course", str(course)]) == (2, "", message)


def test_unknown_lesson_lists_lessons_and_broken_files(course):
    (course / "02-broken.md").write_text("+++\nid = \n+++\n", encoding="utf-8")
    code, out, err = run(["nope/z", "--course", str(course)])
    assert code == 2 and out == ""
    assert err.startswith(f"nntutor check: no lesson 'nope' in {course} (lessons: bias)\nthese lesson files did not load:\n")
    assert f"{course / '02-broken.md'}:2: " in err


def test_missing_course_folder_and_bad_arguments_exit_2(tmp_path):
    assert run(["bias/z", "--course", str(tmp_path / "missing")])[0] == 2
    assert run([])[0] == 2
    assert run(["--help"])[0] == 0


def test_lesson_error_exits_2(tmp_path):
    broken = LESSON.replace('engine = "weighted_sum", args = { inputs = [3, 4], weights = [2, -1], bias = 0.5 }',
                            'engine = "weighted_sum", args = { inputs = [3, 4], weights = [2, -1, 7], bias = 0.5 }')
    (tmp_path / "01-bias.md").write_text(broken, encoding="utf-8")
    code, out, _ = run(["bias/z", "--course", str(tmp_path)], "2.5")
    assert code == 2
    assert out.startswith("ERROR: The lesson has a problem, not your answer.\n  bias/z: engine function 'weighted_sum' failed: ")


def test_builtin_course_through_the_real_cli():
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "check", "neuron/weighted-sum", "-"],
        input="5\n", capture_output=True, text=True, timeout=60,
    )
    assert (result.returncode, result.stdout) == (0, "PASS: Correct: 5.\n"), result.stderr
    wrong = subprocess.run(
        [sys.executable, "-m", "tutor", "check", "neuron/weighted-sum"],
        input="4\n", capture_output=True, text=True, timeout=60,
    )
    assert wrong.returncode == 1 and wrong.stdout.startswith("FAIL: ")
