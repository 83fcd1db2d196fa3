"""One learner's code cannot read another learner's store or workspace.

Learner code runs in the sandbox, whatever the server: the test lays out a
class's data directory the way `nntutor serve` does, gives learner B a real
progress store and a draft, and runs learner A's code trying every way at B's
data, through both checkers a tutor can have: its own warm worker, and the
class's shared pool (`tutor.sandbox.pool`, as `nntutor serve` starts it).
"""

from __future__ import annotations

import threading

import pytest

from tutor.course.model import Limits
from tutor.progress.store import ProgressStore
from tutor.sandbox.host import WarmRunner
from tutor.sandbox.api import Call
from tutor.serve.command import readable_by_learner_code
from tutor.serve.layout import learner_paths

LIMITS = Limits(time_s=5.0, output_bytes=100_000, memory_mb=256)

SNOOP = '''
import os

def snoop(targets):
    found = {}
    for name, path in targets.items():
        try:
            if os.path.isdir(path):
                found[name] = "listed: " + ",".join(sorted(os.listdir(path)))
            else:
                with open(path, "rb") as handle:
                    found[name] = "read: " + handle.read(40).decode("latin-1")
        except OSError as error:
            found[name] = "refused: " + type(error).__name__
    return found
'''


@pytest.fixture(scope="module")
def landlock():
    runner = WarmRunner()
    try:
        protections = runner.protections()
    finally:
        runner.close()
    if "landlock: reads only beneath the paths below" not in protections["active"]:
        pytest.skip(f"Landlock is not active on this machine: {protections['missing']}")


@pytest.fixture(scope="module", params=["own worker", "class pool"])
def runner(request, landlock, tmp_path_factory):
    if request.param == "own worker":
        runner = WarmRunner()
        yield runner
        runner.close()
        return
    from tutor.sandbox.pool import Pool, PoolRunner, wait_for_pool

    socket_path = tmp_path_factory.mktemp("pool") / "checker.sock"
    pool = Pool(socket_path, 1, 1)
    serving = threading.Thread(target=pool.serve_forever, daemon=True)
    serving.start()
    wait_for_pool(socket_path, timeout_s=60.0)
    yield PoolRunner(socket_path, learner="ada")
    pool.stop()
    serving.join(30)


def test_learner_code_cannot_read_another_learners_store_or_workspace(runner, tmp_path):
    data = tmp_path / "class"
    ada, bob = learner_paths(data, "ada"), learner_paths(data, "bob")
    for learner in (ada, bob):
        learner.workspace.mkdir(parents=True)
    store = ProgressStore.open(bob.progress)
    store.reveal_hint("neuron/weighted-sum", 2)
    assert store.save() is None
    store.close()
    draft = bob.workspace / "sigmoid" / "implement.py"
    draft.parent.mkdir()
    draft.write_text("# bob's secret draft\n")
    assert readable_by_learner_code(data) is None

    targets = {"bob's store": str(bob.progress), "bob's draft": str(draft), "bob's workspace": str(bob.workspace),
               "bob's folder": str(bob.root), "the learners": str(data / "learners"),
               "ada's own store": str(ada.progress), "ada's own workspace": str(ada.workspace)}
    result = runner.run(SNOOP, "snoop", [Call({"targets": targets})], LIMITS)
    assert result.status == "ok", result.message
    found = result.calls[0].value
    assert set(found) == set(targets)
    assert all(outcome.startswith("refused: ") for outcome in found.values()), found
    assert draft.read_text() == "# bob's secret draft\n"
