"""The class's checker pool (tutor/sandbox/pool.py): the same results as the
tutor's own warm worker, checks served in turn per learner, and a pool that is
gone or stuck gives a verdict, never a hang."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import numpy as np
import pytest

from tutor.checking.checker import check
from tutor.course.loader import load_course
from tutor.course.model import Limits
from tutor.sandbox import api as shared, pool as pool_module
from tutor.sandbox.api import Call
from tutor.sandbox.host import WarmRunner
from tutor.sandbox.pool import Check, FairQueue, PoolRunner, pool_status, wait_for_pool

FAST = Limits(time_s=2.0, memory_mb=128)


def start_pool(socket_path, workers: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "tutor.sandbox.pool", str(socket_path), "--workers", str(workers)])
    try:
        wait_for_pool(socket_path, timeout_s=60)
    except TimeoutError:
        process.kill()
        raise
    return process


def stop_pool(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGCONT)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def pool_socket(tmp_path_factory):
    path = tmp_path_factory.mktemp("pool") / "checker.sock"
    process = start_pool(path, workers=2)
    yield path
    stop_pool(process)
    assert not path.exists(), "the pool removes its socket when it stops"


@pytest.fixture(scope="module")
def local():
    runner = WarmRunner()
    yield runner
    runner.close()


def comparable(result):
    """A RunResult without its timings, arrays as (dtype, list): what must be equal."""

    def plain(value):
        if isinstance(value, np.ndarray):
            return ("ndarray", value.dtype.str, value.tolist())
        if isinstance(value, np.generic):
            return ("scalar", value.dtype.str, value.item())
        if isinstance(value, (list, tuple)):
            return (type(value).__name__, [plain(item) for item in value])
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    return {
        "status": result.status, "message": result.message, "output": result.output, "syntax": result.syntax,
        "load_output": result.load_output, "call_outputs": result.call_outputs,
        "calls": [(plain(call.value), call.error) for call in result.calls],
    }


SNIPPETS = {
    "values": ("import numpy as np\n\ndef f(x):\n    print('x is', x)\n    return {'twice': x * 2, 'sum': np.float32(x.sum()), 'pair': (1, [2.5])}\n",
               [Call({"x": np.array([1.0, -2.0])}), Call({"x": np.arange(3, dtype=np.int16)})]),
    "raises": ("def f(x):\n    return 1 / x\n", [Call({"x": 2}), Call({"x": 0})]),
    "syntax": ("def f(x)\n    return x\n", [Call({"x": 1})]),
    "missing": ("def g(x):\n    return x\n", [Call({"x": 1})]),
    "loops": ("def f(x):\n    while True:\n        x += 1\n", [Call({"x": 1})]),
    "crashes": ("import os\n\ndef f(x):\n    os._exit(3)\n", [Call({"x": 1})]),
    "writes": ("def f(x):\n    open('/tmp/nntutor-pool-test', 'w').write('x')\n    return x\n", [Call({"x": 1})]),
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_a_run_through_the_pool_equals_the_local_worker_run(name, pool_socket, local):
    source, calls = SNIPPETS[name]
    limits = Limits(time_s=1.0, memory_mb=128) if name == "loops" else FAST
    through_pool = PoolRunner(pool_socket, learner="ada").run(source, "f", calls, limits)
    here = local.run(source, "f", calls, limits)
    assert comparable(through_pool) == comparable(here)
    assert through_pool.status != "unavailable"


def test_verdicts_on_the_course_exercise_are_the_same_through_the_pool(pool_socket, local):
    exercise = load_course().lesson("sigmoid").exercise("implement")
    runner = PoolRunner(pool_socket, learner="ada")
    wrong = exercise.wrong[0].answer
    for answer in (exercise.solution, wrong):
        mine, theirs = check(exercise, answer, runner=runner, seed=11), check(exercise, answer, runner=local, seed=11)
        assert (mine.status, mine.message, mine.details) == (theirs.status, theirs.message, theirs.details)
    assert check(exercise, exercise.solution, runner=runner).passed


def test_get_runner_talks_to_the_pool_named_by_the_environment(pool_socket, monkeypatch):
    shared.shutdown()
    monkeypatch.setenv("NNTUTOR_CHECKER_SOCKET", str(pool_socket))
    monkeypatch.setenv("NNTUTOR_LEARNER", "grace")
    try:
        runner = shared.get_runner()
        assert isinstance(runner, PoolRunner) and runner.learner == "grace"
        result = runner.run("def f(x):\n    return x + 1\n", "f", [Call({"x": 41})], FAST)
        assert result.status == "ok" and result.calls[0].value == 42
    finally:
        shared.shutdown()
    monkeypatch.delenv("NNTUTOR_CHECKER_SOCKET")
    try:
        assert isinstance(shared.get_runner(), WarmRunner)
    finally:
        shared.shutdown()


# -- fairness ---------------------------------------------------------------------------------


def queued(learner: str, n: int) -> Check:
    return Check(learner=learner, message=({"n": n}, b""), time_s=1.0)


def test_the_queue_serves_a_newcomer_before_the_flooding_learners_next_check():
    queue = FairQueue()
    flood = [queued("a", n) for n in range(10)]
    for item in flood:
        queue.put(item)
    first = queue.take()
    assert first is flood[0]
    newcomer = queued("b", 0)
    assert queue.put(newcomer) == 9
    queue.done(first)
    assert queue.take() is newcomer
    assert queue.take() is flood[1]  # a's next, while b's check still runs


def test_a_learner_runs_one_check_at_a_time_and_others_take_turns():
    queue = FairQueue(per_learner=1)
    for learner in "aaab":
        queue.put(queued(learner, 0))
    queue.put(queued("c", 0))
    started = [queue.take(), queue.take(), queue.take()]
    assert [check.learner for check in started] == ["a", "b", "c"]  # not a's second: a already has one running
    queue.done(started[1])
    queue.put(queued("b", 1))
    queue.done(started[0])
    queue.done(started[2])
    # a (served longest ago) goes first, then b; c has nothing waiting
    assert [queue.take().learner for _ in range(2)] == ["a", "b"]


def test_a_cancelled_check_is_never_run():
    queue = FairQueue()
    keep, drop = queued("a", 0), queued("b", 0)
    queue.put(keep)
    queue.put(drop)
    assert queue.cancel(drop)
    assert queue.take() is keep
    assert not queue.cancel(keep)  # already running
    queue.close()
    assert queue.take() is None


STAMPED = "import time\n\ndef f(who):\n    started = time.monotonic()\n    time.sleep(0.3)\n    return [who, started]\n"


def test_one_learners_flood_does_not_hold_back_another_learner(tmp_path):
    """One worker; learner a floods it from four tabs, then b submits once:
    b's check starts right after the check of a's that was running."""
    path = tmp_path / "fair.sock"
    process = start_pool(path, workers=1)
    try:
        starts: list[tuple[str, float]] = []
        lock = threading.Lock()

        def submit(learner: str) -> None:
            result = PoolRunner(path, learner=learner).run(STAMPED, "f", [Call({"who": learner})], FAST)
            assert result.status == "ok", result.message
            with lock:
                starts.append(tuple(result.calls[0].value))

        flood = [threading.Thread(target=submit, args=("a",)) for _ in range(4)]
        for thread in flood:
            thread.start()
        wait_until(lambda: pool_status(path)["waiting"] == 3)
        other = threading.Thread(target=submit, args=("b",))
        other.start()
        for thread in [*flood, other]:
            thread.join(timeout=120)
        order = [who for who, _ in sorted(starts, key=lambda pair: pair[1])]
        assert order == ["a", "b", "a", "a", "a"]
    finally:
        stop_pool(process)


def wait_until(condition, attempts: int = 600) -> None:
    """Poll (a liveness guard, not a timing assertion)."""
    import time

    for _ in range(attempts):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the pool never reached the expected state")


# -- a pool that is gone or stuck ------------------------------------------------------------


def run_in_thread(runner, source, limits=FAST):
    """Run a check in a thread; the result, or an assertion if it hangs (the
    bound is a hang guard, far above any run's own limit)."""
    box: list = []
    thread = threading.Thread(target=lambda: box.append(runner.run(source, "f", [Call({"x": 1})], limits)))
    thread.start()
    return thread, box


def finished(thread, box, guard_s: float = 60.0):
    thread.join(timeout=guard_s)
    assert not thread.is_alive(), "the check hung instead of giving a verdict"
    return box[0]


def test_no_pool_at_all_gives_an_unavailable_verdict(tmp_path):
    result = PoolRunner(tmp_path / "nobody.sock", learner="ada").run("def f(x):\n    return x\n", "f", [Call({"x": 1})], FAST)
    assert result.status == "unavailable"
    assert "checker is not answering" in result.message and "not run" in result.message


def test_a_pool_killed_mid_check_gives_a_verdict_and_a_restarted_pool_serves_again(tmp_path):
    path = tmp_path / "dies.sock"
    process = start_pool(path, workers=1)
    runner = PoolRunner(path, learner="ada")
    try:
        assert runner.run("def f(x):\n    return x\n", "f", [Call({"x": 1})], FAST).status == "ok"
        thread, box = run_in_thread(runner, "import time\n\ndef f(x):\n    time.sleep(30)\n", Limits(time_s=60.0))
        wait_until(lambda: pool_status(path)["running"] == 1)
        process.kill()
        process.wait()
        result = finished(thread, box)
        assert result.status == "unavailable" and "it stopped" in result.message
        os.unlink(path)  # what a SIGKILL leaves behind
        process = start_pool(path, workers=1)
        again = runner.run("def f(x):\n    return x * 3\n", "f", [Call({"x": 2})], FAST)
        assert again.status == "ok" and again.calls[0].value == 6
    finally:
        stop_pool(process)


def test_a_stuck_pool_gives_a_verdict(tmp_path, monkeypatch):
    path = tmp_path / "stuck.sock"
    process = start_pool(path, workers=1)
    monkeypatch.setattr(pool_module, "ACK_TIMEOUT_S", 1.0)
    try:
        process.send_signal(signal.SIGSTOP)
        thread, box = run_in_thread(PoolRunner(path, learner="ada"), "def f(x):\n    return x\n")
        result = finished(thread, box)
        assert result.status == "unavailable" and "did not answer in time" in result.message
    finally:
        stop_pool(process)


def test_a_socket_left_by_a_dead_pool_is_replaced_and_a_live_one_is_not(tmp_path, pool_socket):
    with pytest.raises(OSError, match="already serving"):
        pool_module._listen(pool_socket)
    stale = tmp_path / "stale.sock"
    import socket

    leftover = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    leftover.bind(str(stale))
    leftover.close()  # bound, never listening: what a killed pool leaves
    listener = pool_module._listen(stale)
    try:
        assert oct(stale.stat().st_mode & 0o777) == oct(0o600)
    finally:
        listener.close()


def test_a_long_run_gets_a_lower_cpu_priority_and_a_short_one_does_not(pool_socket):
    """A check past LONG_RUN_CPU_S of CPU is reniced (it shares the cores with
    the other learners); quick checks, and the spares waiting for the next
    check, keep their priority."""
    before = pool_status(pool_socket)["lowered"]
    runner = PoolRunner(pool_socket, learner="ada")
    for _ in range(3):
        assert runner.run("def f(x):\n    return x\n", "f", [Call({"x": 1})], FAST).status == "ok"
    assert pool_status(pool_socket)["lowered"] == before
    # 1.5 s of CPU (not of the clock, so a busy machine only makes it slower):
    # the pool looks every half second, so it sees the run past 0.5 s
    spin = "import time\n\ndef f(x):\n    while time.process_time() < 1.5:\n        x += 1\n    return 'done'\n"
    result = runner.run(spin, "f", [Call({"x": 1})], Limits(time_s=60.0, memory_mb=128))
    assert result.status == "ok" and result.calls[0].value == "done"
    assert pool_status(pool_socket)["lowered"] == before + 1
