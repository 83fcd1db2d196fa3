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

        if not path.exists():
            # Killed before its very first save finished (a loaded machine): nothing to lose yet.
            assert last_seen == 0
            continue
        revision = _revision(path)  # raises if the file is torn
        assert revision >= last_seen
        if backup_path(path).exists():
            assert _revision(backup_path(path)) <= revision
        last_seen = revision
    assert last_seen > 0  # the savers did save (how often depends on the machine's load)

    store = ProgressStore.open(path)
    assert store.notices == [] and store.revision == last_seen
