"""`nntutor outline` and `nntutor new`, and the two built-in lessons of issue 3."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.cli import main as nntutor
from tutor.course.engine_refs import evaluate
from tutor.course.loader import load_course, load_lesson
from tutor.lint import lint_paths

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"
LESSONS = Path(__file__).parent.parent / "lessons"


@pytest.fixture(autouse=True)
def private_outline_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the outline index of these tests out of the user's cache folder."""
    monkeypatch.setenv("NNTUTOR_CACHE_DIR", str(tmp_path / "outline-index"))


def test_outline_prints_lessons_and_exercises(capsys: pytest.CaptureFixture[str]) -> None:
    assert nntutor(["outline", str(FIXTURES / "valid")]) == 0
    assert capsys.readouterr().out == (
        f"{FIXTURES / 'valid'}: 1 lesson\n"
        "  1. valid  A valid lesson\n"
        "       valid/z  number\n"
    )


def test_outline_lists_broken_lessons_with_their_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(FIXTURES / "valid" / "01-valid.md", tmp_path)
    shutil.copy(FIXTURES / "missing-id" / "01-missing-id.md", tmp_path / "02-missing-id.md")
    assert nntutor(["outline", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.endswith(
        "broken lesson file (not shown in the tutor):\n"
        f"  {tmp_path / '02-missing-id.md'}\n"
        f"    {tmp_path / '02-missing-id.md'}:9: missing required field 'id' in exercise\n"
    )
    assert "  1. valid  A valid lesson" in out


def test_outline_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert nntutor(["outline", str(tmp_path / "missing")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_outline_of_the_builtin_course(capsys: pytest.CaptureFixture[str]) -> None:
    assert nntutor(["outline"]) == 0
    out = capsys.readouterr().out
    assert "  1. neuron " in out and "neuron/weighted-sum" in out and "sigmoid/derivative" in out


def test_new_writes_a_skeleton_at_the_next_order_that_lints_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "valid" / "01-valid.md", tmp_path)
    assert nntutor(["new", "first-steps", "--dir", str(tmp_path)]) == 0
    written = tmp_path / "02-first-steps.md"
    assert capsys.readouterr().out.strip() == str(written)
    lesson = load_lesson(written)
    assert (lesson.id, lesson.title, lesson.order) == ("first-steps", "First steps", 2)
    assert [exercise.kind for exercise in lesson.exercises] == ["number", "choice", "code"]
    assert lint_paths([tmp_path]) == []


def test_new_creates_the_folder_and_takes_a_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "a" / "b"
    assert nntutor(["new", "x", "--dir", str(folder), "--title", 'Quotes " and \\ backslash']) == 0
    lesson = load_lesson(folder / "01-x.md")
    assert lesson.title == 'Quotes " and \\ backslash'


def test_new_refuses_bad_ids_taken_ids_and_existing_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert nntutor(["new", "Bad_Id", "--dir", str(tmp_path)]) == 2
    assert "must be letters, digits and single hyphens" in capsys.readouterr().err
    assert nntutor(["new", "x", "--dir", str(tmp_path)]) == 0
    before = (tmp_path / "01-x.md").read_text()
    assert nntutor(["new", "x", "--dir", str(tmp_path)]) == 2
    assert "already used by" in capsys.readouterr().err
    (tmp_path / "02-y.md").write_text("not a lesson yet")
    assert nntutor(["new", "y", "--dir", str(tmp_path)]) == 2
    assert "already exists; not overwriting it" in capsys.readouterr().err
    assert (tmp_path / "02-y.md").read_text() == "not a lesson yet"
    assert (tmp_path / "01-x.md").read_text() == before
    assert nntutor(["new"]) == 2


def test_the_two_builtin_lessons_state_the_issue_values() -> None:
    course = load_course(LESSONS)
    weighted = course.exercise("neuron/weighted-sum")
    output = course.exercise("neuron/output")
    assert (weighted.kind, output.kind) == ("number", "number")
    assert float(evaluate(weighted.expected)) == 5.0
    assert float(evaluate(output.expected)) == pytest.approx(0.9933071490757153, rel=1e-14)  # e^-5's last bit is libm's
    implement = course.exercise("sigmoid/implement")
    derivative = course.exercise("sigmoid/derivative")
    assert implement.code.signature == "def sigmoid(z)"
    assert derivative.code.signature == "def sigmoid_prime(z)"
    probed = [probe["args"]["z"] for probe in implement.code.probes if "args" in probe]
    assert -1000.0 in probed and 1000.0 in probed
    assert any(isinstance(case["z"], list) for case in implement.code.cases)  # arrays, not only scalars


def test_the_two_builtin_lessons_meet_the_course_standard() -> None:
    for name in ("01-neuron.md", "02-sigmoid.md"):
        lesson = load_lesson(LESSONS / name)
        kinds = {exercise.kind for exercise in lesson.exercises}
        assert len(lesson.exercises) >= 3 and len(kinds) >= 3
        assert all(len(exercise.hints) >= 2 for exercise in lesson.exercises if exercise.challenge is None)
        assert all(exercise.wrong for exercise in lesson.exercises)
        assert any(exercise.plot for exercise in lesson.exercises)
        assert lesson.further_reading


def test_the_two_builtin_lessons_lint_clean() -> None:
    pytest.importorskip("tutor.checking.checker")
    problems = lint_paths([LESSONS / "01-neuron.md", LESSONS / "02-sigmoid.md"])
    assert [str(problem) for problem in problems] == []
