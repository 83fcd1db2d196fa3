"""Drafts, the background saver and the workspace watcher, without a screen."""

from __future__ import annotations

import threading
import time
import types
from pathlib import Path

from tutor.progress.attempt import attempt
from tutor.progress.drafts import Drafts
from tutor.progress.saver import BackgroundSaver
from tutor.progress.store import ProgressStore
from tutor.progress.workspace import FileWatcher, Workspace


def code_exercise(qid: str = "neuron/implement", starter: str = "def f(x):\n    return x\n"):
    return types.SimpleNamespace(kind="code", qualified_id=qid, code=types.SimpleNamespace(starter=starter))


def number_exercise(qid: str = "neuron/weighted-sum"):
    return types.SimpleNamespace(kind="number", qualified_id=qid, code=None)


def make(tmp_path: Path) -> Drafts:
    store = ProgressStore.open(tmp_path / "progress.json")
    workspace = Workspace(tmp_path / "ws")
    return Drafts(store, workspace, BackgroundSaver(store, workspace.write))


def test_code_drafts_are_files_and_other_answers_are_progress(tmp_path):
    drafts = make(tmp_path)
    code, number = code_exercise(), number_exercise()
    assert drafts.put(code, "def f(x):\n    return 2 * x\n")
    assert not drafts.put(code, "def f(x):\n    return 2 * x\n")  # unchanged: nothing to write
    assert drafts.put(number, "5")
    drafts.saver.flush()
    assert (tmp_path / "ws" / "neuron" / "implement.py").read_text() == "def f(x):\n    return 2 * x\n"
    assert drafts.store.exercise(code.qualified_id).answer is None
    assert drafts.get(code) == "def f(x):\n    return 2 * x\n" and drafts.get(number) == "5"


def test_open_file_writes_the_starter_and_get_treats_it_as_no_draft(tmp_path):
    drafts = make(tmp_path)
    code = code_exercise()
    path = drafts.open_file(code)
    assert path.read_text() == "def f(x):\n    return x\n"
    assert drafts.get(code) is None


def test_an_attempt_is_recorded_once_and_saved_by_the_saver_thread(tmp_path, monkeypatch):
    from tutor.checking.verdict import Verdict

    drafts = make(tmp_path)
    threads = []
    original = ProgressStore.save
    monkeypatch.setattr(ProgressStore, "save", lambda self: threads.append(threading.current_thread()) or original(self))
    result = attempt(number_exercise(), "5", checker=lambda exercise, answer: Verdict("pass", "Correct."),
                     drafts=drafts)
    assert result.counted and result.progress.attempts == 1 and result.progress.passed
    broken = attempt(number_exercise(), "x", checker=lambda exercise, answer: 1 / 0, drafts=drafts)
    assert broken.verdict.status == "error" and "ZeroDivisionError" in broken.verdict.message
    assert broken.progress.attempts == 1  # an answer that could not be judged is not counted
    drafts.saver.flush()
    assert threads and threading.current_thread() not in threads
    drafts.store.close()
    reopened = ProgressStore.open(tmp_path / "progress.json")
    assert reopened.exercise("neuron/weighted-sum").attempts == 1
    assert reopened.exercise("neuron/weighted-sum").answer == "5"  # (drafts are kept as typed, by the UI)


def test_a_code_attempt_keeps_its_code_in_the_file_only(tmp_path):
    from tutor.checking.verdict import Verdict

    drafts = make(tmp_path)
    result = attempt(code_exercise(), "def f(x):\n    return 3\n", drafts=drafts,
                     checker=lambda exercise, answer: Verdict("fail", "Not yet."))
    drafts.saver.flush()
    assert result.progress.attempts == 1 and result.progress.answer is None
    assert (tmp_path / "ws" / "neuron" / "implement.py").read_text() == "def f(x):\n    return 3\n"


def test_migration_moves_an_old_code_draft_and_the_file_wins(tmp_path):
    drafts = make(tmp_path)
    old, mine = code_exercise("a/old"), code_exercise("a/both")
    drafts.store.record_answer("a/old", "old draft\n")
    drafts.store.record_answer("a/both", "stale draft\n")
    (tmp_path / "ws" / "a").mkdir(parents=True)
    (tmp_path / "ws" / "a" / "both.py").write_text("newer file\n")
    assert drafts.migrate_all([old, mine, number_exercise()]) == 2
    drafts.saver.flush()
    assert (tmp_path / "ws" / "a" / "old.py").read_text() == "old draft\n"
    assert (tmp_path / "ws" / "a" / "both.py").read_text() == "newer file\n"
    assert drafts.store.exercise("a/old").answer is None and drafts.store.exercise("a/both").answer is None
    assert drafts.get(old) == "old draft\n"


def test_read_only_progress_writes_no_draft_files(tmp_path):
    first = make(tmp_path)
    second = make(tmp_path)  # the same progress file: opened read-only
    assert second.store.read_only
    second.put(code_exercise(), "mine\n")
    second.saver.flush()
    assert not (tmp_path / "ws" / "neuron" / "implement.py").exists()
    first.store.close()


def test_watcher_reports_other_programs_saves_not_the_tutors_own(tmp_path):
    drafts = make(tmp_path)
    code = code_exercise()
    changes = []
    watcher = FileWatcher(lambda path, text: changes.append(text), known=drafts.known, interval=0.02,
                          workspace=drafts.workspace)
    path = drafts.open_file(code)
    watcher.watch(path)
    try:
        drafts.put(code, "typed in the tutor\n")
        drafts.saver.flush()
        time.sleep(0.3)
        assert changes == []
        # the saver writing a draft older than the one on screen (typing outran it) is no edit
        drafts.put(code, "typed further\n")
        drafts.workspace.write(path, "typed in the tutor, an older draft\n")
        time.sleep(0.3)
        assert changes == []
        time.sleep(0.01)  # a new mtime even on coarse clocks
        path.write_text("saved in vim\n")
        deadline = time.time() + 5
        while not changes and time.time() < deadline:
            time.sleep(0.02)
        assert changes == ["saved in vim\n"]
        watcher.watch(None)
        path.write_text("after moving on\n")
        time.sleep(0.3)
        assert changes == ["saved in vim\n"]
    finally:
        watcher.stop()


def test_saver_reports_a_failed_write_and_goes_on(tmp_path):
    problems = []
    store = ProgressStore.open(tmp_path / "progress.json")

    def failing(path, text):
        raise PermissionError(13, "Permission denied")

    saver = BackgroundSaver(store, failing, on_problem=problems.append)
    saver.write_draft(tmp_path / "x.py", "text")
    saver.save_progress()
    assert saver.flush()
    assert problems and "could not save your draft" in problems[0]
    assert (tmp_path / "progress.json").exists()  # the progress was still saved
    saver.close()


def test_an_attempt_is_announced_counted_before_its_file_and_save_are_asked_for(tmp_path, monkeypatch):
    """The UI is told first (announce), so a verdict never waits for the draft file,
    the review card or the saver thread those wake."""
    from tutor.checking.verdict import Verdict

    drafts = make(tmp_path)
    asked: list[str] = []
    monkeypatch.setattr(drafts.saver, "write_draft", lambda path, text: asked.append("draft"))
    monkeypatch.setattr(drafts.saver, "save_progress", lambda **when: asked.append("save"))
    announced = []
    result = attempt(code_exercise(), "def f(x):\n    return 3\n", drafts=drafts,
                     checker=lambda exercise, answer: Verdict("fail", "Not yet."),
                     announce=lambda shown: announced.append((shown, list(asked))))
    assert announced == [(result, [])]  # nothing asked of the saver yet
    assert result.progress.attempts == 1 and drafts.store.exercise("neuron/implement").attempts == 1
    assert asked == ["draft", "save"]
