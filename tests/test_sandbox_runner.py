"""The runner contract (tutor/sandbox/api.py) as the checker relies on it, on the warm
worker and on the plain per-run interpreter alike; restarts; the shared runner; doctor."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pytest

from tutor.course.model import Limits
from tutor.sandbox import api as shared, doctor
from tutor.sandbox.api import Call
from plain_runner import PlainRunner
from tutor.sandbox.host import WarmRunner

FAST = Limits(time_s=2.0, memory_mb=128)
NEURON_CLASS = (
    "import numpy as np\n\nclass Neuron:\n    def __init__(self, w, b):\n        self.w = np.asarray(w, dtype=float)\n"
    "        self.b = b\n\n    def forward(self, x):\n        return float(self.w @ np.asarray(x) + self.b)\n"
)


@pytest.fixture(scope="module")
def warm():
    runner = WarmRunner()
    yield runner
    runner.close()


@pytest.fixture(scope="module", params=["warm", "plain"])
def any_runner(request, warm):
    return warm if request.param == "warm" else PlainRunner()


def test_values_of_every_supported_kind_round_trip(any_runner):
    source = (
        "import numpy as np\n\ndef f(x):\n    return {'int': 3, 'float': 0.5, 'big': 2**70, 'neg_inf': -float('inf'), 'none': None,"
        " 'flag': True, 'text': 'héllo', 'pair': (1, [2.5, np.float32(1.5)]), 'ints': np.arange(6, dtype=np.int16).reshape(2, 3),"
        " 'bools': x > 0, 'scalar': np.float64(x.sum())}\n"
    )
    result = any_runner.run(source, "f", [Call({"x": np.array([-1.0, 2.0])})], FAST)
    assert result.status == "ok", result.message
    value = result.calls[0].value
    assert value["int"] == 3 and value["float"] == 0.5 and value["big"] == 2**70 and value["neg_inf"] == -np.inf
    assert value["none"] is None and value["flag"] is True and value["text"] == "héllo"
    assert value["pair"][0] == 1 and value["pair"][1][0] == 2.5
    assert isinstance(value["pair"], tuple) and value["pair"][1][1].dtype == np.float32
    assert value["ints"].dtype == np.int16 and value["ints"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert value["bools"].tolist() == [False, True]
    assert type(value["scalar"]) is np.float64 and value["scalar"] == 1.0


def test_arguments_arrive_as_the_checker_sent_them(any_runner):
    source = "def f(z, n, shape):\n    return [str(z.dtype), z.shape, n, shape]\n"
    result = any_runner.run(source, "f", [Call({"z": np.zeros((2, 3), dtype=np.float32), "n": 4, "shape": (2, 3)})], FAST)
    assert result.calls[0].value == ["float32", (2, 3), 4, (2, 3)]


def test_one_failing_call_does_not_stop_the_others(any_runner):
    source = "def f(x):\n    return 10 // x\n"
    result = any_runner.run(source, "f", [Call({"x": 2}), Call({"x": 0}), Call({"x": 5})], FAST)
    assert result.status == "ok"
    assert [c.value for c in result.calls] == [5, None, 2]
    assert result.calls[1].error.type_name == "ZeroDivisionError"
    assert result.calls[1].error.traceback == ("line 2, in f: return 10 // x",)


def test_module_is_named_learner_and_output_is_captured(any_runner):
    source = "import sys\nprint('loading', __name__)\n\ndef f():\n    print('to stderr', file=sys.stderr)\n    return __name__\n"
    result = any_runner.run(source, "f", [Call()], FAST)
    assert result.calls[0].value == "learner"
    assert result.output == "loading learner\nto stderr\n"


def test_harness_call_method_drives_a_learner_class(any_runner):
    call = Call({"method": "forward", "init": {"w": [20.0, 20.0], "b": -30.0}, "args": {"x": [1.0, 1.0]}}, harness="call_method")
    result = any_runner.run(NEURON_CLASS, "Neuron", [call], FAST)
    assert result.status == "ok"
    assert result.calls[0].value == 10.0


def test_unknown_harness_is_an_error_not_a_crash(any_runner):
    result = any_runner.run(NEURON_CLASS, "Neuron", [Call({}, harness="os_system")], FAST)
    assert result.status == "ok"
    assert result.calls[0].error.type_name == "HarnessError"


def test_missing_entry_names_what_was_defined(any_runner):
    result = any_runner.run("def sigmoid_(z):\n    return z\n", "sigmoid", [Call({"z": 1.0})], FAST)
    assert result.status == "missing_entry"
    assert result.message == "Your code does not define sigmoid. It defines: sigmoid_."


def test_entry_that_is_not_callable(any_runner):
    result = any_runner.run("sigmoid = 0.5\n", "sigmoid", [Call({"z": 1.0})], FAST)
    assert result.status == "missing_entry"
    assert "as float, not a function" in result.message


def test_error_while_loading_is_reported_for_every_call(any_runner):
    result = any_runner.run("import numpy as np\nw = np.zeros(3) @ np.zeros(2)\n\ndef f():\n    return 1\n", "f", [Call(), Call()], FAST)
    assert result.status == "ok"
    assert "raised ValueError while it was being loaded" in result.message
    assert [c.error.line for c in result.calls] == [2, 2]


def test_plain_and_warm_agree_on_a_timeout_and_a_crash(any_runner):
    assert any_runner.run("def f():\n    while True:\n        pass\n", "f", [Call()], Limits(time_s=0.5)).status == "timeout"
    crashed = any_runner.run("import os\n\ndef f():\n    os.abort()\n", "f", [Call()], FAST)
    assert crashed.status == "crashed" and "SIGABRT" in crashed.message


# -- the warm worker's life ------------------------------------------------------------------------


def test_worker_killed_from_outside_is_replaced():
    runner = WarmRunner()
    try:
        runner.warm_up()
        first = runner.worker_pid()
        os.kill(first, signal.SIGKILL)
        time.sleep(0.1)
        result = runner.run("def f():\n    return 1\n", "f", [Call()], FAST)
        assert result.status == "ok" and result.calls[0].value == 1
        assert runner.worker_pid() not in (None, first)
    finally:
        runner.close()


def test_worker_dying_mid_run_gives_a_clear_status_and_restarts():
    runner = WarmRunner()
    try:
        runner.warm_up()
        pid = runner.worker_pid()
        threading.Timer(0.3, os.kill, (pid, signal.SIGKILL)).start()
        result = runner.run("import time\n\ndef f():\n    time.sleep(5)\n", "f", [Call()], Limits(time_s=3))
        assert result.status == "crashed"
        assert "is being restarted" in result.message
        after = runner.run("def f():\n    return 2\n", "f", [Call()], FAST)
        assert after.calls[0].value == 2
    finally:
        runner.close()


def test_restart_storm_is_capped_with_a_message(monkeypatch):
    runner = WarmRunner(restart_limit=2, restart_window_s=60)
    try:
        for _ in range(2):
            runner.warm_up()
            os.kill(runner.worker_pid(), signal.SIGKILL)
            time.sleep(0.1)
        result = runner.run("def f():\n    return 1\n", "f", [Call()], FAST)
        assert result.status == "unavailable"
        assert "started 2 times within 60 s" in result.message and "nntutor doctor" in result.message
    finally:
        runner.close()


def test_closed_runner_is_unavailable():
    runner = WarmRunner()
    runner.close()
    assert runner.run("def f():\n    return 1\n", "f", [Call()], FAST).status == "unavailable"


def test_shared_runner_is_one_object_across_threads_and_restarts_after_shutdown():
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(shared.get_runner())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert len({id(r) for r in seen}) == 1
        shared.start_in_background()
        deadline = time.monotonic() + 10
        while seen[0].worker_pid() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert seen[0].worker_pid() is not None  # warmed without anyone calling run()
    finally:
        shared.shutdown()
    again = shared.get_runner()
    try:
        assert again is not seen[0]
        assert again.run("def f():\n    return 3\n", "f", [Call()], FAST).calls[0].value == 3
    finally:
        shared.shutdown()


def test_tutor_process_does_not_run_learner_code(warm):
    result = warm.run("import os\n\ndef f():\n    return os.getpid()\n", "f", [Call()], FAST)
    assert result.calls[0].value not in (os.getpid(), warm.worker_pid())


# -- doctor -------------------------------------------------------------------------------------------


def test_doctor_reports_each_protection(capsys):
    status = doctor.main([])
    out = capsys.readouterr().out
    for line in ("wall-clock deadline", "memory limit: RLIMIT_AS", "CPU time limit", "start a process (fork)", "start a thread: allowed"):
        assert line in out
    assert ("All protections are active." in out) == (status == 0)
    if status == 1:
        assert "[off]" in out or "[!!]" in out


def test_doctor_json(capsys):
    assert doctor.main(["--json"]) == 0
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["attempts"]["start a thread"].startswith("allowed")
    assert "memory limit" in report["active"]


def test_doctor_lists_the_allow_list_and_the_read_rule_and_probes_the_refused_families(capsys):
    status = doctor.main([])
    out = capsys.readouterr().out
    if "[on]  seccomp allow-list" in out:
        allow_list = out.split("System calls learner code may make")[1].split("What a confined child")[0]
        assert "every other is refused" in allow_list
        for name in ("read", "mmap", "futex", "getrandom"):
            assert f" {name}," in allow_list or f" {name}\n" in allow_list
        for refused in ("utimensat", "setxattr", "shmget", "socket", "execve"):
            assert refused not in allow_list
        for attempt in ("change a file's timestamps (utime): blocked (EPERM)",
                        "set an extended attribute (setxattr): blocked (EPERM)",
                        "create SysV shared memory (shmget): blocked (EPERM)"):
            assert attempt in out
    assert "import the engine: blocked" in out and "import the tutor: blocked" in out
    if "[on]  landlock: reads only beneath the paths below" in out:
        rule = out.split("What learner code may read")[1].split("System calls")[0]
        assert "the standard library:" in rule and "NumPy:" in rule and "/dev/null" in rule
        assert "lessons" not in rule and str(os.path.expanduser("~")) + "\n" not in rule
        assert f"read your home directory ({os.path.expanduser('~')}): blocked (EACCES)" in out
        assert "read the lessons (" in out and "read other terminals (/dev/pts): blocked" in out
    assert status in (0, 1)


def test_each_call_gets_the_output_it_printed_and_loading_its_own(any_runner):
    source = (
        "import sys\nprint('loading')\nsys.stdout.write('no newline at load')\n\n"
        "def f(n):\n    if n == 1:\n        print('one', end='')\n    elif n == 2:\n        print('two a')\n"
        "        print('two b')\n    elif n == 3:\n        print('three', file=sys.stderr)\n    elif n == 4:\n        print('four')\n        raise ValueError(n)\n"
        "    return n\n"
    )
    result = any_runner.run(source, "f", [Call({"n": n}) for n in (1, 2, 3, 4, 5)], FAST)
    assert result.status == "ok", result.message
    assert result.load_output == "loading\nno newline at load"
    assert result.call_outputs == ("one", "two a\ntwo b\n", "three\n", "four\n", "")  # a call that raised keeps its prints
    assert result.output == result.load_output + "".join(result.call_outputs)  # and the whole run stays one text
    assert [result.call_output(i) for i in (4, 5)] == ["", None]


def test_many_quick_calls_each_keep_their_own_lines(warm):
    # the results travel on another pipe and arrive in batches: only the output's own marks tell the calls apart
    source = "def f(n):\n    for k in range(n % 3):\n        print(n, k)\n    return n\n"
    result = warm.run(source, "f", [Call({"n": n}) for n in range(60)], FAST)
    assert result.call_outputs == tuple("".join(f"{n} {k}\n" for k in range(n % 3)) for n in range(60))


def test_output_that_cannot_be_split_stays_one_piece(any_runner):
    source = "import os\nprint('before', flush=True)\nos.close(1)\n\ndef f():\n    return 1\n"
    result = any_runner.run(source, "f", [Call(), Call()], FAST)
    assert result.status == "ok", result.message
    assert result.output == "before\n" and result.call_outputs == () and result.call_output(0) is None
