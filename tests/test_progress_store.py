"""The progress store: what it writes, what it recovers, what it refuses."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tutor.progress import ProgressStore
from tutor.progress.paths import backup_path
from tutor.progress.schema import SCHEMA_VERSION


def test_save_writes_a_versioned_document_and_reopens_it(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    store = ProgressStore.open(path)
    store.set_position("neuron", "output")
    store.record_attempt("neuron/weighted-sum", "4", passed=False)
    store.record_attempt("neuron/weighted-sum", "5", passed=True)
    store.reveal_hint("neuron/output", available=2)
    assert store.save() is None
    store.close()

    on_disk = json.loads(path.read_text())
    assert on_disk["schema"] == SCHEMA_VERSION
    assert on_disk["position"] == {"lesson": "neuron", "exercise": "output"}
    assert on_disk["exercises"]["neuron/weighted-sum"] == {
        "answer": "5", "attempts": 2, "hints": 0, "passed": True, "solution_seen": False,
    }
    again = ProgressStore.open(path)
    assert again.notices == []
    assert again.position.exercise == "output"
    assert again.exercise("neuron/output").hints == 1
    assert again.exercise("neuron/weighted-sum").passed


def test_passing_is_sticky_and_hints_stop_at_the_last(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path / "p.json")
    store.record_attempt("a/b", "1", passed=True)
    store.record_attempt("a/b", "2", passed=False)
    assert store.exercise("a/b").passed and store.exercise("a/b").attempts == 2
    assert [store.reveal_hint("a/b", available=2) for _ in range(3)] == [1, 2, 2]


def test_previous_version_is_kept_as_backup(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    store = ProgressStore.open(path)
    store.record_answer("a/b", "first")
    store.save()
    store.record_answer("a/b", "second")
    store.save()
    assert json.loads(backup_path(path).read_text())["exercises"]["a/b"]["answer"] == "first"
    assert json.loads(path.read_text())["exercises"]["a/b"]["answer"] == "second"


def test_corrupt_file_is_moved_aside_and_backup_loaded_with_notice(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    store = ProgressStore.open(path)
    store.record_attempt("neuron/output", "0.99", passed=True)
    store.save()
    store.record_answer("neuron/output", "later")
    store.save()
    store.close()
    path.write_text('{"schema": 2, "exercises": {"neuron/out')  # torn by hand

    recovered = ProgressStore.open(path)
    assert len(recovered.notices) == 1
    assert "restored the previous save from the backup" in recovered.notices[0]
    assert recovered.exercise("neuron/output").answer == "0.99"
    aside = list(tmp_path.glob("p.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text().startswith('{"schema": 2')


def test_corrupt_file_without_backup_starts_afresh_with_notice(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"schema": 2, "revision": 1, "position": null, "exercises": {"a/b": {"attempts": -3}}}')
    store = ProgressStore.open(path)
    assert "no usable backup" in store.notices[0] and "attempts and hints" in store.notices[0]
    assert store.exercise("a/b").attempts == 0 and not store.read_only


def test_version_1_documents_migrate(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({
        "version": 1, "last": "sigmoid/implement", "passed": ["neuron/weighted-sum"],
        "answers": {"neuron/weighted-sum": "5", "sigmoid/implement": "def sigmoid(z): ..."},
        "attempts": {"neuron/weighted-sum": 3}, "hints": {"sigmoid/implement": 2},
    }))
    store = ProgressStore.open(path)
    assert store.notices == []
    assert store.position.lesson == "sigmoid" and store.position.exercise == "implement"
    assert store.exercise("neuron/weighted-sum").passed and store.exercise("neuron/weighted-sum").attempts == 3
    assert store.exercise("sigmoid/implement").hints == 2
    store.save()
    assert json.loads(path.read_text())["schema"] == SCHEMA_VERSION


def test_newer_schema_is_opened_read_only_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    original = json.dumps({"schema": SCHEMA_VERSION + 1, "whatever": True})
    path.write_text(original)
    store = ProgressStore.open(path)
    assert store.read_only and "newer nntutor" in store.notices[0]
    store.record_answer("a/b", "x")
    assert store.save() is not None
    assert path.read_text() == original


def test_second_instance_is_read_only_with_notice(tmp_path: Path) -> None:
    """The lock is per open file description, so a second process is the honest test."""
    path = tmp_path / "p.json"
    first = ProgressStore.open(path)
    first.record_answer("a/b", "mine")
    first.save()
    script = textwrap.dedent(f"""
        from tutor.progress import ProgressStore
        s = ProgressStore.open({str(path)!r})
        s.record_answer("a/b", "theirs")
        print(s.read_only, s.save() is not None, s.notices)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.startswith("True True ['Another nntutor is using this progress file: opened read-only")
    assert json.loads(path.read_text())["exercises"]["a/b"]["answer"] == "mine"
    first.close()
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True).stdout
    assert out.strip() == "False False []"  # unlocked now: the second process writes
    assert json.loads(path.read_text())["exercises"]["a/b"]["answer"] == "theirs"


def test_reset_exercise_and_reset_all(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path / "p.json")
    store.record_attempt("a/b", "1", passed=True)
    store.record_attempt("a/c", "2", passed=True)
    store.set_position("a", "c")
    store.reset_exercise("a/b")
    assert store.exercise("a/b").attempts == 0 and store.exercise("a/c").passed
    store.save()
    before = store.revision
    store.reset_all()
    assert store.exercise("a/c").attempts == 0 and store.position is None
    store.save()
    assert store.revision == before + 1  # revisions keep counting so the backup is never newer


def test_unwritable_directory_gives_a_message_not_a_crash(tmp_path: Path) -> None:
    target = tmp_path / "file-not-dir"
    target.write_text("")
    store = ProgressStore.open(target / "p.json")
    assert store.read_only and "kept for this session only" in store.notices[0]
    assert store.save() is not None


def test_the_store_never_imports_textual() -> None:
    code = "import sys, tutor.progress; print('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_a_prediction_is_finished_once_and_retyping_the_value_does_not_pass(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    store = ProgressStore.open(path)
    missed = store.record_attempt("sigmoid/at-zero", "0.9", passed=False, prediction=True)
    assert (missed.status, missed.finished, missed.passed) == ("missed", True, False)
    again = store.record_attempt("sigmoid/at-zero", "0.5", passed=True, prediction=True)  # the shown value
    assert (again.status, again.passed, again.answer, again.attempts) == ("missed", False, "0.9", 2)
    store.reset_exercise("sigmoid/at-zero")  # a reset clears hints, never the prediction made
    assert store.exercise("sigmoid/at-zero").status == "missed"
    hit = store.record_attempt("sigmoid/at-zero-too", "0.5", passed=True, prediction=True)
    assert (hit.status, hit.passed) == ("predicted", True)
    assert store.save() is None
    store.close()
    on_disk = json.loads(path.read_text())["exercises"]
    assert on_disk["sigmoid/at-zero"]["prediction"] == "missed" and on_disk["sigmoid/at-zero"]["answer"] == "0.9"
    assert on_disk["sigmoid/at-zero-too"]["prediction"] == "predicted"
    reopened = ProgressStore.open(path)
    assert reopened.exercise("sigmoid/at-zero").status == "missed"
    reopened.close()


def test_a_prediction_judged_by_an_older_tutor_is_settled_as_it_went(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path / "p.json")
    store.record_attempt("sigmoid/at-zero", "0.9", passed=False)  # no prediction recorded then
    assert store.exercise("sigmoid/at-zero").status == "tried"
    assert store.settle_prediction("sigmoid/at-zero").status == "missed"
    assert store.settle_prediction("sigmoid/never-tried").prediction is None
    store.close()


def test_an_unknown_prediction_word_is_refused_on_load(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"schema": SCHEMA_VERSION, "revision": 1, "position": None, "exercises": {
        "a/b": {"answer": "1", "attempts": 1, "hints": 0, "passed": True, "solution_seen": False,
                "prediction": "lucky"}}}))
    store = ProgressStore.open(path)
    assert any("could not be read" in notice and "prediction" in notice for notice in store.notices)
    assert store.exercise("a/b").attempts == 0
    store.close()
