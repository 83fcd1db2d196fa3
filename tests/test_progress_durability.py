"""SIGKILL a process while it saves progress in a loop, over and over.

After every kill the file must parse, and its revision must be at least the
backup's: a crash may lose the save in flight, never an older one.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tutor.progress.paths import backup_path
from tutor.progress.store import ProgressStore

SAVER = """
import sys
from tutor.progress.store import ProgressStore
store = ProgressStore.open(sys.argv[1])
assert not store.read_only, store.notices
assert not store.notices, store.notices
assert store.save() is None  # one whole save before the kills may start: each run adds at least one
print("ready", flush=True)
n = 0
while True:
    n += 1
    store.record_attempt(f"lesson/ex-{n % 40}", "x" * (n % 500), passed=n % 3 == 0)
    store.set_position("lesson", f"ex-{n % 40}")
    assert store.save() is None
"""

KILLS = 120


def _revision(path: Path) -> int:
    return json.loads(path.read_text())["revision"]


def test_sigkill_during_saves_never_loses_a_readable_file(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    rng = random.Random(5)
    last_seen = 0
    for _ in range(KILLS):
        saver = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True)
        assert saver.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.02))
        os.kill(saver.pid, signal.SIGKILL)
        saver.wait()
        saver.stdout.close()

        revision = _revision(path)  # raises if the file is torn
        assert revision >= last_seen
        if backup_path(path).exists():
            assert _revision(backup_path(path)) <= revision
        last_seen = revision
    assert last_seen >= KILLS  # every saver saved at least once before it was killed

    store = ProgressStore.open(path)
    assert store.notices == [] and store.revision == last_seen


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
    path, workspace = tmp_path / "progress.json", tmp_path / "workspace"
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
            _revision(path)  # the progress beside it is whole too
    assert last_seen >= KILLS // 2
    assert [p.name for p in draft.parent.iterdir() if p.name != "code.py"] in ([], ["code.py.tmp"])
