"""The progress store: what it writes, what it recovers, what it refuses."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tutor.progress import ProgressStore
from tutor.progress.database import SCHEMA_VERSION
from tutor.progress.paths import backup_path, migrated_path
from tutor.progress.store import ReviewState, answer_hash


def saved(path: Path, query: str, *args) -> list[tuple]:
    """Rows of the database on disk, read by a connection of the test's own."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return connection.execute(query, args).fetchall()


def test_save_writes_the_database_and_reopens_it(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = ProgressStore.open(path)
    store.set_position("neuron", "output")
    store.record_attempt("neuron/weighted-sum", "4", passed=False)
    store.record_attempt("neuron/weighted-sum", "5", passed=True)
    store.reveal_hint("neuron/output", available=2)
    assert store.save() is None
    store.close()

    assert saved(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert saved(path, "PRAGMA journal_mode") == [("wal",)]
    assert json.loads(saved(path, "SELECT value FROM meta WHERE key = 'position'")[0][0]) == {
        "lesson": "neuron", "exercise": "output"}
    assert saved(path, "SELECT answer, attempts, hints, passed, solution_seen FROM exercises "
                       "WHERE qualified_id = 'neuron/weighted-sum'") == [('"5"', 2, 0, 1, 0)]
    again = ProgressStore.open(path)
    assert again.notices == []
    assert again.position.exercise == "output"
    assert again.exercise("neuron/output").hints == 1
    assert again.exercise("neuron/weighted-sum").passed
    again.close()


def test_every_attempt_is_a_row_of_the_log(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = ProgressStore.open(path)
    store.set_position("neuron", "weighted-sum")
    store.record_attempt("neuron/weighted-sum", "4", passed=False, mistake="forgot the bias", variant_seed=7)
    store.reveal_hint("neuron/weighted-sum", available=2)
    store.mark_solution_seen("neuron/weighted-sum")
    store.record_attempt("neuron/weighted-sum", "5", passed=True, duration_s=12.5, variant_seed=7)
    store.record_attempt("sigmoid/implement", None, passed=True, seed=3, handed_in="def sigmoid(z): ...")
    pending = store.attempts()  # readable before it is saved
    assert store.save() is None
    store.close()

    reopened = ProgressStore.open(path)
    log = reopened.attempts()
    assert log == pending and reopened.attempts("sigmoid/implement") == log[2:]
    first, second, code = log
    assert (first.status, first.passed, first.mistake, first.hints, first.solution_seen, first.variant_seed) == (
        "fail", False, "forgot the bias", 0, False, 7)
    assert first.answer_hash == answer_hash("4") != second.answer_hash
    assert first.duration_s is not None and first.duration_s >= 0  # shown by set_position
    assert (second.status, second.hints, second.solution_seen, second.duration_s) == ("pass", 1, True, 12.5)
    assert (code.seed, code.answer_hash, code.duration_s) == (3, answer_hash("def sigmoid(z): ..."), None)
    assert first.at.tzinfo is not None and first.at <= second.at <= datetime.now(timezone.utc)
    assert saved(path, "SELECT count(*) FROM attempts") == [(3,)]
    reopened.close()


def test_passing_is_sticky_and_hints_stop_at_the_last(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path / "p.sqlite3")
    store.record_attempt("a/b", "1", passed=True)
    store.record_attempt("a/b", "2", passed=False)
    assert store.exercise("a/b").passed and store.exercise("a/b").attempts == 2
    assert [store.reveal_hint("a/b", available=2) for _ in range(3)] == [1, 2, 2]
    store.close()


def test_the_review_state_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = ProgressStore.open(path)
    due = datetime(2026, 3, 4, 5, 6, tzinfo=timezone.utc)
    state = ReviewState({"card_id": 1, "state": 2, "stability": 2.3}, due, 3, "first-try", due - timedelta(days=2))
    store.set_review_state("a/b", state)
    store.set_review_state("a/c", state)
    store.save()
    store.set_review_state("a/c", None)
    store.save()
    store.close()
    again = ProgressStore.open(path)
    assert again.review_states() == {"a/b": state}
    again.reset_exercise("a/b")  # a reset exercise is new again: nothing to review
    assert again.review_state("a/b") is None
    again.save()
    again.close()
    assert saved(path, "SELECT count(*) FROM review") == [(0,)]


def test_closing_keeps_a_backup_of_what_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = ProgressStore.open(path)
    store.record_answer("a/b", "first")
    store.save()
    store.close()
    store = ProgressStore.open(path)
    store.record_answer("a/b", "second")
    store.save()
    assert saved(backup_path(path), "SELECT answer FROM exercises") == [('"first"',)]  # the last session's
    store.close()
    assert saved(backup_path(path), "SELECT answer FROM exercises") == [('"second"',)]


def test_corrupt_file_is_moved_aside_and_backup_loaded_with_notice(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = ProgressStore.open(path)
    store.record_attempt("neuron/output", "0.99", passed=True)
    store.save()
    store.close()
    crash = ("import os, sys\nfrom tutor.progress import ProgressStore\ns = ProgressStore.open(sys.argv[1])\n"
             "s.record_answer('neuron/output', 'later')\nassert s.save() is None\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", crash, str(path)], check=True)  # never closed: its log stays
    assert (tmp_path / "p.sqlite3-wal").exists()
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 600)  # damaged, header and all

    recovered = ProgressStore.open(path)
    assert len(recovered.notices) == 1
    assert "restored the previous save from the backup" in recovered.notices[0]
    assert recovered.exercise("neuron/output").answer == "0.99" and recovered.exercise("neuron/output").passed
    aside = [p.name for p in tmp_path.glob("p.sqlite3.corrupt-*")]
    assert any(not name.endswith(("-wal", "-shm")) for name in aside)  # kept for a human to look at
    recovered.record_answer("neuron/output", "again")
    assert recovered.save() is None
    recovered.close()
    assert saved(path, "SELECT answer FROM exercises") == [('"again"',)]


def test_corrupt_file_without_backup_starts_afresh_with_notice(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    path.write_bytes(b"\x00\x00garbage")
    store = ProgressStore.open(path)
    assert "no usable backup" in store.notices[0] and "not valid JSON" in store.notices[0]
    assert store.exercise("a/b").attempts == 0 and not store.read_only
    assert store.save() is None
    store.close()
    assert saved(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_a_json_file_at_the_path_migrates_in_place_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    document = {"schema": 2, "revision": 17, "learner_seed": 2868361521,
                "position": {"lesson": "neuron", "exercise": "output"},
                "exercises": {"neuron/weighted-sum": {"answer": "5", "attempts": 2, "hints": 1, "passed": True,
                                                      "solution_seen": False},
                              "tiny/train": {"answer": None, "attempts": 1, "hints": 0, "passed": False,
                                             "solution_seen": True, "seed": 9, "output": "10000 0.0085"},
                              "tune/rate": {"answer": {"rate": 0.5}, "attempts": 0, "hints": 0, "passed": False,
                                            "solution_seen": False},
                              "sigmoid/at-zero": {"answer": "0.9", "attempts": 1, "hints": 0, "passed": False,
                                                  "solution_seen": False, "prediction": "missed"}}}
    original = json.dumps(document)
    path.write_text(original)
    store = ProgressStore.open(path)
    assert store.notices == ["Your progress in progress.json is now a SQLite database; "
                             "the old file is kept as progress.json.migrated."]
    assert migrated_path(path).read_text() == original
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    assert (store.revision, store.learner_seed, store.position.exercise) == (17, 2868361521, "output")
    for qid, entry in document["exercises"].items():
        progress = store.exercise(qid)
        assert {key: getattr(progress, key) for key in entry} == entry, qid
    store.close()
    again = ProgressStore.open(path)  # nothing is lost by the round trip through the database
    assert again.notices == [] and again.exercise("tune/rate").answer == {"rate": 0.5}
    assert again.exercise("sigmoid/at-zero").status == "missed" and again.learner_seed == 2868361521
    again.close()


def test_the_default_json_file_beside_migrates_on_first_start(tmp_path: Path) -> None:
    legacy, path = tmp_path / "progress.json", tmp_path / "progress.sqlite3"
    legacy.write_text(json.dumps({"schema": 2, "revision": 4, "position": None, "exercises": {
        "neuron/weighted-sum": {"answer": "5", "attempts": 1, "hints": 0, "passed": True, "solution_seen": False}}}))
    store = ProgressStore.open(path)
    assert store.notices == ["Your progress in progress.json moved into progress.sqlite3 (SQLite); "
                             "the old file is kept as progress.json.migrated."]
    assert store.exercise("neuron/weighted-sum").passed and not legacy.exists()
    assert json.loads(migrated_path(legacy).read_text())["revision"] == 4
    store.close()
    assert ProgressStore.open(path, read_only=True).exercise("neuron/weighted-sum").passed


def test_version_1_documents_migrate(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({
        "version": 1, "last": "sigmoid/implement", "passed": ["neuron/weighted-sum"],
        "answers": {"neuron/weighted-sum": "5", "sigmoid/implement": "def sigmoid(z): ..."},
        "attempts": {"neuron/weighted-sum": 3}, "hints": {"sigmoid/implement": 2},
    }))
    store = ProgressStore.open(path)
    assert store.position.lesson == "sigmoid" and store.position.exercise == "implement"
    assert store.exercise("neuron/weighted-sum").passed and store.exercise("neuron/weighted-sum").attempts == 3
    assert store.exercise("sigmoid/implement").hints == 2
    assert store.save() is None
    store.close()
    assert saved(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert json.loads(migrated_path(path).read_text())["version"] == 1


def test_a_torn_json_file_migrates_from_its_backup(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    backup_path(path).write_text(json.dumps({"schema": 2, "revision": 2, "position": None, "exercises": {
        "a/b": {"answer": "1", "attempts": 1, "hints": 0, "passed": True, "solution_seen": False}}}))
    path.write_text('{"schema": 2, "exercises": {"neuron/out')
    store = ProgressStore.open(path)
    assert "restored the previous save from the backup" in store.notices[0]
    assert store.exercise("a/b").passed and path.read_bytes().startswith(b"SQLite format 3")
    store.close()


def test_a_read_only_opening_of_a_json_file_reads_it_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    original = json.dumps({"schema": 2, "revision": 2, "position": None, "exercises": {
        "a/b": {"answer": "1", "attempts": 1, "hints": 0, "passed": True, "solution_seen": False}}})
    path.write_text(original)
    store = ProgressStore.open(path, read_only=True)
    assert store.read_only and store.notices == [] and store.exercise("a/b").passed
    assert store.save() is not None
    assert path.read_text() == original and sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]


def test_newer_schema_is_opened_read_only_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE future (x)")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        connection.commit()
    original = path.read_bytes()
    store = ProgressStore.open(path)
    assert store.read_only and "newer nntutor" in store.notices[0]
    store.record_answer("a/b", "x")
    assert store.save() is not None
    store.close()
    assert path.read_bytes() == original and not backup_path(path).exists()


def test_second_instance_is_read_only_with_notice(tmp_path: Path) -> None:
    """The lock is per open file description, so a second process is the honest test.
    While the first writes on, the second reads the progress as it was saved."""
    path = tmp_path / "p.sqlite3"
    first = ProgressStore.open(path)
    first.record_attempt("a/b", "mine", passed=True)
    first.save()
    script = textwrap.dedent(f"""
        from tutor.progress import ProgressStore
        s = ProgressStore.open({str(path)!r})
        seen = s.exercise("a/b").answer, len(s.attempts("a/b"))
        s.record_attempt("a/b", "theirs", passed=False)
        print(s.read_only, s.save() is not None, seen, s.notices)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.startswith("True True ('mine', 1) ['Another nntutor is using this progress file: opened read-only")
    first.record_attempt("a/b", "mine again", passed=True)  # the first goes on saving, undisturbed
    assert first.save() is None
    assert saved(path, "SELECT answer FROM exercises") == [('"mine again"',)]
    assert [record.answer_hash for record in first.attempts()] == [answer_hash("mine"), answer_hash("mine again")]
    first.close()
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True).stdout
    assert out.strip() == "False False ('mine again', 2) []"  # unlocked now: the second process writes
    assert saved(path, "SELECT answer FROM exercises") == [('"theirs"',)]
    assert saved(path, "SELECT count(*) FROM attempts") == [(3,)]


def test_reset_exercise_and_reset_all(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = ProgressStore.open(path)
    store.record_attempt("a/b", "1", passed=True)
    store.record_attempt("a/c", "2", passed=True)
    store.set_position("a", "c")
    store.save()
    store.reset_exercise("a/b")
    assert store.exercise("a/b").attempts == 0 and store.exercise("a/c").passed
    store.save()
    assert saved(path, "SELECT qualified_id FROM exercises") == [("a/c",)]
    before = store.revision
    store.reset_all()
    assert store.exercise("a/c").attempts == 0 and store.position is None
    store.save()
    assert store.revision == before + 1  # revisions keep counting
    assert saved(path, "SELECT count(*) FROM exercises") == [(0,)]
    assert len(store.attempts()) == 2  # the log keeps what happened
    store.close()


def test_a_failed_save_keeps_its_changes_for_the_next(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "p.sqlite3"
    store = ProgressStore.open(path)
    store.record_attempt("a/b", "1", passed=True)
    store.save()
    store.record_attempt("a/b", "2", passed=False)
    real = store._connection
    store._connection = closing_connection = sqlite3.connect(":memory:", check_same_thread=False)
    assert "could not save progress" in store.save()  # (no tables there: the write fails)
    closing_connection.close()
    store._connection = real
    assert store.save() is None
    assert saved(path, "SELECT count(*) FROM attempts") == [(2,)]
    assert saved(path, "SELECT answer FROM exercises") == [('"2"',)]
    store.close()


def test_unwritable_directory_gives_a_message_not_a_crash(tmp_path: Path) -> None:
    target = tmp_path / "file-not-dir"
    target.write_text("")
    store = ProgressStore.open(target / "p.sqlite3")
    assert store.read_only and "kept for this session only" in store.notices[0]
    assert store.save() is not None


def test_the_store_never_imports_textual() -> None:
    code = "import sys, tutor.progress; print('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_a_prediction_is_finished_once_and_retyping_the_value_does_not_pass(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
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
    assert saved(path, "SELECT qualified_id, answer, prediction FROM exercises ORDER BY qualified_id") == [
        ("sigmoid/at-zero", '"0.9"', "missed"), ("sigmoid/at-zero-too", '"0.5"', "predicted")]
    reopened = ProgressStore.open(path)
    assert reopened.exercise("sigmoid/at-zero").status == "missed"
    reopened.close()


def test_a_prediction_judged_by_an_older_tutor_is_settled_as_it_went(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path / "p.sqlite3")
    store.record_attempt("sigmoid/at-zero", "0.9", passed=False)  # no prediction recorded then
    assert store.exercise("sigmoid/at-zero").status == "tried"
    assert store.settle_prediction("sigmoid/at-zero").status == "missed"
    assert store.settle_prediction("sigmoid/never-tried").prediction is None
    store.close()


def test_an_unknown_prediction_word_is_refused_on_load(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"schema": 2, "revision": 1, "position": None, "exercises": {
        "a/b": {"answer": "1", "attempts": 1, "hints": 0, "passed": True, "solution_seen": False,
                "prediction": "lucky"}}}))
    store = ProgressStore.open(path)
    assert any("could not be read" in notice and "prediction" in notice for notice in store.notices)
    assert store.exercise("a/b").attempts == 0
    store.close()


def test_a_migration_cut_short_is_done_again_from_the_json_file(tmp_path: Path) -> None:
    """Killed between keeping the JSON file and replacing it: the JSON file is still
    at the path, beside a stale copy and a half-built database; the next start
    migrates again, from the JSON file, and loses nothing."""
    path = tmp_path / "progress.json"
    document = {"schema": 2, "revision": 9, "position": None, "exercises": {
        "a/b": {"answer": "1", "attempts": 3, "hints": 0, "passed": True, "solution_seen": False}}}
    path.write_text(json.dumps(document))
    migrated_path(path).write_text('{"schema": 2, "revision": 1')  # a copy from an older try, cut short
    (tmp_path / "progress.json.new").write_bytes(b"SQLite format 3\x00half")
    store = ProgressStore.open(path)
    assert store.exercise("a/b").attempts == 3 and store.revision == 9
    assert json.loads(migrated_path(path).read_text()) == document
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "progress.json", "progress.json-shm", "progress.json-wal", "progress.json.lock", "progress.json.migrated"]
    store.close()


def test_the_default_place_moves_from_progress_json_to_progress_sqlite3(tmp_path: Path) -> None:
    """In the user data directory (here XDG_DATA_HOME), as a learner upgrading finds it."""
    data = tmp_path / "data" / "nntutor"
    data.mkdir(parents=True)
    (data / "progress.json").write_text(json.dumps({"schema": 2, "revision": 2, "position": None, "exercises": {
        "neuron/weighted-sum": {"answer": "5", "attempts": 1, "hints": 0, "passed": True, "solution_seen": False}}}))
    script = ("from tutor.progress import ProgressStore\ns = ProgressStore.open()\n"
              "print(s.path.name, s.exercise('neuron/weighted-sum').passed)\ns.close()")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True).stdout
    assert out.split() == ["progress.sqlite3", "True"]
    assert (data / "progress.json.migrated").exists() and not (data / "progress.json").exists()
    assert saved(data / "progress.sqlite3", "SELECT qualified_id FROM exercises") == [("neuron/weighted-sum",)]
