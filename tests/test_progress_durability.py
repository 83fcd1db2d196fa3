"""SIGKILL a process while it saves progress in a loop, over and over.

After every kill the database must pass SQLite's integrity check, hold every
attempt whose save had returned (at most the one being written is lost), and
its counters must agree with its attempts log: a crash may lose the save in
flight, never an older one, and never half of one.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from tutor.progress.store import ProgressStore

SAVER = """
import sys, types
from tutor.practice.schedule import review_attempt
from tutor.progress.store import ProgressStore
store = ProgressStore.open(sys.argv[1])
assert not store.read_only, store.notices
assert not store.notices, store.notices
assert store.save() is None  # one whole save before the kills may start: each run adds at least one
attempts = len(store.attempts())
print("ready", attempts, flush=True)
n = 0
while True:
    n += 1
    store.record_attempt(f"lesson/ex-{n % 40}", "x" * (n % 500), passed=n % 3 == 0, mistake="m" if n % 2 else None)
    review_attempt(store, types.SimpleNamespace(qualified_id=f"lesson/ex-{n % 40}", kind="number"))
    store.set_position("lesson", f"ex-{n % 40}")
    if n % 7 == 0:
        store.reveal_hint(f"lesson/ex-{n % 40}", available=3)
    assert store.save() is None
    attempts += 1
    print(attempts, flush=True)  # this many attempts are committed
"""

KILLS = 120


def _on_disk(path: Path) -> tuple[int, int, int]:
    """(revision, attempts logged, attempts counted) after SQLite's integrity check;
    read as the next tutor would, recovering the write-ahead log. Every exercise
    in the log has its review card: the card moved in the attempt's save."""
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        revision = int(connection.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])
        logged = connection.execute("SELECT count(*) FROM attempts").fetchone()[0]
        counted = connection.execute("SELECT coalesce(sum(attempts), 0) FROM exercises").fetchone()[0]
        tried = connection.execute("SELECT DISTINCT qualified_id FROM attempts ORDER BY 1").fetchall()
        assert connection.execute("SELECT qualified_id FROM review ORDER BY 1").fetchall() == tried
    return revision, logged, counted


def test_sigkill_during_saves_never_corrupts_the_store_and_loses_at_most_one_attempt(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    rng = random.Random(5)
    last_seen, corrupt, lost = 0, 0, []
    for _ in range(KILLS):
        saver = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True)
        ready, committed = saver.stdout.readline().split()
        assert ready == "ready"
        time.sleep(rng.uniform(0.0, 0.02))
        os.kill(saver.pid, signal.SIGKILL)
        saver.wait()
        said = saver.stdout.read().split()
        saver.stdout.close()
        committed = int(said[-1]) if said else int(committed)

        try:
            revision, logged, counted = _on_disk(path)
        except (AssertionError, sqlite3.DatabaseError):
            corrupt += 1
            continue
        assert revision >= last_seen
        assert logged == counted  # the log and the counters were written in one transaction
        lost.append(committed - logged)  # 0, or -1 when the kill fell after a commit, before its print
        assert committed <= logged <= committed + 1
        last_seen = revision
    assert corrupt == 0
    assert last_seen >= KILLS  # every saver saved at least once before it was killed
    assert max(lost) <= 0  # nothing whose save had returned was ever lost

    store = ProgressStore.open(path)
    assert store.notices == [] and store.revision == last_seen
    assert len(store.attempts()) == sum(store.exercise(f"lesson/ex-{n}").attempts for n in range(40))
    store.close()


READER = """
import sys
from tutor.progress.store import ProgressStore
store = ProgressStore.open(sys.argv[1])
assert store.save() is None
print("ready", flush=True)
n = 0
while True:
    n += 1
    store.record_attempt(f"lesson/ex-{n % 10}", str(n), passed=True)
    assert store.save() is None
"""


def test_a_second_instance_reads_consistent_progress_while_the_first_writes(tmp_path: Path) -> None:
    """Safely concurrent: a read-only opening (a second window, `nntutor review`)
    while a tutor saves sees one whole save, never a mix or an error."""
    path = tmp_path / "progress.sqlite3"
    writer = subprocess.Popen([sys.executable, "-c", READER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "ready\n"
        revisions = []
        for _ in range(60):
            reader = ProgressStore.open(path, read_only=True)
            assert reader.read_only and reader.notices == []
            counted = sum(reader.exercise(f"lesson/ex-{n}").attempts for n in range(10))
            assert counted == reader.revision - 1  # one attempt per save after the first
            assert len(reader.attempts()) >= counted  # the log only grows
            revisions.append(reader.revision)
            reader.close()
            time.sleep(0.005)
        assert revisions == sorted(revisions) and revisions[-1] > revisions[0]
        second = ProgressStore.open(path)  # a second tutor: read-only while the first holds the lock
        assert second.read_only and "Another nntutor" in second.notices[0]
        second.close()
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()


DRAFTER = """
import sys, types
from pathlib import Path
from tutor.progress.drafts import Drafts
from tutor.progress.saver import BackgroundSaver
from tutor.progress.store import ProgressStore
from tutor.progress.workspace import Workspace

store = ProgressStore.open(sys.argv[1])
workspace = Workspace(sys.argv[2])
saver = BackgroundSaver(store, workspace.write)
drafts = Drafts(store, workspace, saver)
exercise = types.SimpleNamespace(kind="code", qualified_id="lesson/code", code=None)


def draft(n):
    body = "".join(f"x{i} = {i}\\n" for i in range(n % 300))
    return f"# version {n}\\n{body}# end {n}\\n"

n = int(sys.argv[3])  # go on from the version the last run left, so versions only grow
drafts.put(exercise, draft(n))
saver.flush()  # one whole draft on disk before the kills may start
print("ready", flush=True)
while True:
    n += 1
    drafts.put(exercise, draft(n))  # what the tutor does as a learner types: each edit a new draft
    store.set_position("lesson", "code")
    saver.save_progress()
    if n % 50 == 0:
        saver.flush()
"""


def _draft_version(text: str) -> int:
    """The version a draft file holds; fails unless it is one whole version."""
    lines = text.splitlines()
    assert lines[0].startswith("# version ") and lines[-1].startswith("# end "), text[:80]
    first, last = int(lines[0].split()[-1]), int(lines[-1].split()[-1])
    assert first == last and len(lines) == 2 + first % 300
    return first


def test_sigkill_while_drafts_are_written_never_tears_or_loses_a_draft(tmp_path: Path) -> None:
    """The tutor writes code drafts to workspace files from its saver thread: a kill
    at any instant leaves the last whole draft written, never a torn or empty file."""
    path, workspace = tmp_path / "progress.sqlite3", tmp_path / "workspace"
    draft = workspace / "lesson" / "code.py"
    rng = random.Random(9)
    last_seen = 0
    for _ in range(KILLS // 2):
        drafter = subprocess.Popen([sys.executable, "-c", DRAFTER, str(path), str(workspace), str(last_seen + 1)],
                                   stdout=subprocess.PIPE, text=True)
        assert drafter.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(drafter.pid, signal.SIGKILL)
        drafter.wait()
        drafter.stdout.close()
        version = _draft_version(draft.read_text())  # fails unless it is one whole draft
        assert version > last_seen  # the draft on disk before this run started was never lost
        last_seen = version
        if path.exists():
            with closing(sqlite3.connect(path)) as connection:  # the progress beside it is whole too
                assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert last_seen >= KILLS // 2
    assert [p.name for p in draft.parent.iterdir() if p.name != "code.py"] in ([], ["code.py.tmp"])
