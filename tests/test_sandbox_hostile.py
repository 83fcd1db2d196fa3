"""Hostile learner code against the warm sandboxed worker.

Every snippet here is something a learner could submit, by accident or not. For
each: the tutor-side process (this test process) survives, the RunResult's status
and message name what happened, and a correct sigmoid passes right after on the
same runner. Where a snippet goes around the Python-level guard (ctypes, raw
syscalls), the kernel layer is what is tested, and the test skips with the reason
when the probe says that layer is not available on this machine.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import numpy as np
import pytest

from tutor.course.model import Limits
from tutor.sandbox.api import Call, RunResult
from tutor.sandbox.host import WarmRunner

FAST = Limits(time_s=1.0, output_bytes=1_000_000, memory_mb=128)
SIGMOID = "import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
Z = np.array([-2.0, 0.0, 3.0])


@pytest.fixture(scope="module")
def runner():
    runner = WarmRunner()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def probe(runner):
    return runner.protections()


def needs(probe, *layers: str) -> None:
    """Skip (saying why) unless every named protection is active here."""
    missing = [layer for layer in layers if layer not in probe["active"]]
    if missing:
        pytest.skip(f"not available on this machine: {', '.join(missing)} ({probe['missing']})")


def run(runner, source: str, calls=(Call(),), limits: Limits = FAST, entry: str = "f") -> RunResult:
    started = time.monotonic()
    result = runner.run(source, entry, list(calls), limits)
    # The tutor side got its answer within the deadline plus a little slack.
    assert time.monotonic() - started < limits.time_s + 3
    return result


def assert_recovers(runner) -> None:
    """The tutor process is alive and the very next correct answer passes."""
    assert os.getpid() > 0
    result = runner.run(SIGMOID, "sigmoid", [Call({"z": Z})], FAST)
    assert result.status == "ok", result.message
    np.testing.assert_allclose(result.calls[0].value, [0.11920292202211755, 0.5, 0.9525741268224334])


# -- time -----------------------------------------------------------------------------------


def test_infinite_loop_times_out(runner):
    result = run(runner, "def f():\n    while True:\n        pass\n")
    assert result.status == "timeout"
    assert "did not finish within 1 s" in result.message
    assert 0.9 < result.elapsed_s < 2.0
    assert_recovers(runner)


def test_sleep_forever_times_out(runner):
    result = run(runner, "import time\n\ndef f():\n    time.sleep(1e9)\n")
    assert result.status == "timeout"
    assert "did not finish" in result.message
    assert_recovers(runner)


def test_ignoring_sigxcpu_does_not_escape_the_deadline(runner):
    source = "import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\n\ndef f():\n    while True:\n        pass\n"
    result = run(runner, source)
    assert result.status == "timeout"
    assert result.elapsed_s < 2.0
    assert_recovers(runner)


def test_exception_whose_str_loops_still_gets_a_verdict(runner):
    source = (
        "class Stubborn(Exception):\n    def __str__(self):\n        while True:\n            pass\n\n"
        "def f():\n    raise Stubborn()\n"
    )
    result = run(runner, source)
    assert result.status == "timeout"
    assert "raised Stubborn" in result.message and "__str__" in result.message
    assert_recovers(runner)


# -- memory ---------------------------------------------------------------------------------


def test_huge_allocation_is_a_memory_verdict(runner, probe):
    needs(probe, "memory limit")
    result = run(runner, "import numpy as np\n\ndef f():\n    return np.ones((50_000, 50_000))\n")
    assert result.status == "memory"
    assert "128 MB" in result.message
    assert result.calls[0].error.type_name == "MemoryError"
    assert result.calls[0].error.line == 4
    assert_recovers(runner)


def test_gradual_allocation_is_a_memory_verdict(runner, probe):
    needs(probe, "memory limit")
    source = "def f():\n    hoard = []\n    while True:\n        hoard.append(' ' * 1_000_000)\n"
    result = run(runner, source, limits=Limits(time_s=5.0, memory_mb=128))
    assert result.status == "memory"
    assert result.calls[0].error.traceback == ("line 4, in f: hoard.append(' ' * 1_000_000)",)
    assert_recovers(runner)


def test_thread_bomb_runs_out_of_room_not_the_tutor(runner):
    source = (
        "import threading, time\n\ndef f():\n"
        "    for _ in range(100_000):\n        threading.Thread(target=time.sleep, args=(100,), daemon=True).start()\n"
    )
    result = run(runner, source)
    assert result.status in ("ok", "memory")
    assert result.calls[0].error.type_name in ("RuntimeError", "MemoryError")
    assert_recovers(runner)


# -- the process ends -----------------------------------------------------------------------


def test_os_exit_is_a_crash(runner):
    result = run(runner, "import os\n\ndef f():\n    os._exit(3)\n")
    assert result.status == "crashed"
    assert "exit status 3" in result.message
    assert_recovers(runner)


def test_sys_exit_at_top_level_is_a_crash(runner):
    result = run(runner, "import sys\nsys.exit(2)\n\ndef f():\n    return 1\n")
    assert result.status == "crashed"
    assert "sys.exit(2)" in result.message
    assert_recovers(runner)


def test_sys_exit_inside_a_call_is_that_call_s_error(runner):
    result = run(runner, "import sys\n\ndef f(x):\n    if x:\n        sys.exit(1)\n    return 7\n", calls=[Call({"x": True}), Call({"x": False})])
    assert result.status == "ok"
    assert result.calls[0].error.type_name == "SystemExit"
    assert "sys.exit(1)" in result.calls[0].error.message
    assert result.calls[1].value == 7
    assert_recovers(runner)


def test_segfault_through_ctypes_is_a_crash(runner):
    result = run(runner, "import ctypes\n\ndef f():\n    return ctypes.string_at(0)\n")
    assert result.status == "crashed"
    assert "segmentation fault (SIGSEGV)" in result.message
    assert_recovers(runner)


def test_deep_recursion_is_a_recursion_error_with_short_traceback(runner):
    result = run(runner, "def f(n=0):\n    return f(n + 1)\n")
    assert result.status == "ok"
    error = result.calls[0].error
    assert error.type_name == "RecursionError"
    assert error.line == 2
    assert len(error.traceback) <= 13 and any("more lines like these" in t for t in error.traceback)
    assert_recovers(runner)


def test_raising_exceptions_keeps_only_learner_frames_and_other_calls_run(runner):
    source = "import numpy as np\n\ndef helper(x):\n    return x / 0 if x else {}['missing']\n\ndef f(x):\n    return helper(x)\n"
    result = run(runner, source, calls=[Call({"x": 0}), Call({"x": 1})])
    assert result.status == "ok"
    first = result.calls[0].error
    assert first.type_name == "KeyError" and first.message == "'missing'"
    assert first.traceback == ("line 7, in f: return helper(x)", "line 4, in helper: return x / 0 if x else {}['missing']")
    assert first.line == 4
    assert result.calls[1].error.type_name == "ZeroDivisionError"
    assert_recovers(runner)


def test_exception_whose_str_raises_is_named_safely(runner):
    source = "class Odd(Exception):\n    def __str__(self):\n        raise ValueError('no')\n\ndef f():\n    raise Odd()\n"
    result = run(runner, source)
    assert result.status == "ok"
    assert result.calls[0].error.type_name == "Odd"
    assert "could not be shown" in result.calls[0].error.message
    assert_recovers(runner)


# -- output ---------------------------------------------------------------------------------


def test_print_flood_hits_the_output_cap(runner):
    result = run(runner, "def f():\n    while True:\n        print('spam' * 100)\n")
    assert result.status == "output_limit"
    assert "printed more than 1 MB" in result.message
    assert len(result.output) == 1_000_000 and result.output.startswith("spamspam")
    assert_recovers(runner)


def test_os_write_flood_to_stderr_hits_the_output_cap(runner):
    result = run(runner, "import os\n\ndef f():\n    while True:\n        os.write(2, b'\\xff' * 65536)\n", limits=Limits(time_s=1, output_bytes=10_000))
    assert result.status == "output_limit"
    assert len(result.output) == 10_000 and set(result.output) == {"\ufffd"}  # bad UTF-8 replaced
    assert_recovers(runner)


def test_reading_stdin_gets_end_of_file_and_a_hint(runner):
    result = run(runner, "import sys\n\ndef f():\n    rest = sys.stdin.read()\n    return input()\n")
    assert result.status == "ok"
    assert result.calls[0].error.type_name == "EOFError"
    assert "no keyboard input" in result.calls[0].error.message
    assert_recovers(runner)


# -- new processes --------------------------------------------------------------------------


def test_fork_is_forbidden(runner):
    result = run(runner, "import os\n\ndef f():\n    pid = os.fork()\n    return pid\n")
    assert result.status == "forbidden"
    assert result.message == "Your code tried to start a new process, which the tutor does not allow."
    assert_recovers(runner)


def test_fork_bomb_is_forbidden(runner):
    result = run(runner, "import os\n\ndef f():\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n")
    assert result.status == "forbidden"
    assert "start a new process" in result.message
    assert_recovers(runner)


def test_fork_bomb_through_libc_is_refused_by_the_kernel(runner, probe):
    needs(probe, "seccomp allow-list")
    source = "import ctypes\n\ndef f():\n    libc = ctypes.CDLL(None)\n    return sum(libc.fork() != -1 for _ in range(500))\n"
    result = run(runner, source)
    assert result.status == "ok"
    assert result.calls[0].value == 0  # not one fork succeeded
    assert_recovers(runner)


def test_subprocess_is_forbidden(runner):
    result = run(runner, "import subprocess\n\ndef f():\n    return subprocess.run(['echo', 'hi']).returncode\n")
    assert result.status == "forbidden"
    assert "start a new process" in result.message
    assert_recovers(runner)


def test_system_through_libc_is_refused_by_the_kernel(runner, probe, tmp_path):
    needs(probe, "seccomp allow-list")
    marker = tmp_path / "ran"
    result = run(runner, "import ctypes\n\ndef f(cmd):\n    return ctypes.CDLL(None).system(cmd.encode())\n", calls=[Call({"cmd": f"touch {marker}"})])
    assert result.status == "ok"
    assert result.calls[0].value != 0
    assert not marker.exists()
    assert_recovers(runner)


def test_setsid_escape_is_refused(runner, probe):
    needs(probe, "seccomp allow-list")
    source = (
        "import ctypes, time\n\ndef f():\n    libc = ctypes.CDLL(None)\n"
        "    session = libc.setsid()\n    child = libc.fork()\n    if child == 0:\n        time.sleep(1000)\n"
        "    return [session, child]\n"
    )
    result = run(runner, source)
    assert result.status == "ok"
    assert result.calls[0].value == [-1, -1]
    assert_recovers(runner)


def test_threads_are_allowed_and_die_with_the_run(runner):
    source = (
        "import threading\n\ndef spin():\n    while True:\n        pass\n\n"
        "def f():\n    for _ in range(3):\n        threading.Thread(target=spin, daemon=True).start()\n    return 42\n"
    )
    result = run(runner, source)
    assert result.status == "ok"
    assert result.calls[0].value == 42
    assert_recovers(runner)


# -- limits and signals ----------------------------------------------------------------------


def test_raising_its_own_rlimit_is_forbidden(runner):
    source = "import resource\n\ndef f():\n    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
    result = run(runner, source)
    assert result.status == "forbidden"
    assert "change its resource limits" in result.message
    assert_recovers(runner)


def test_raising_its_own_rlimit_through_libc_is_refused_by_the_kernel(runner, probe):
    needs(probe, "seccomp allow-list")
    source = (
        "import ctypes, resource\n\ndef f():\n    libc = ctypes.CDLL(None)\n"
        "    limits = (ctypes.c_ulong * 2)(2**62, 2**62)\n    refused = libc.setrlimit(resource.RLIMIT_AS, limits)\n"
        "    return [refused, resource.getrlimit(resource.RLIMIT_AS)[1] < 2**62]\n"
    )
    result = run(runner, source)
    assert result.status == "ok"
    assert result.calls[0].value == [-1, True]
    assert_recovers(runner)


def test_killing_its_parent_is_forbidden_and_the_worker_lives(runner):
    worker = runner.worker_pid()
    result = run(runner, "import os, signal\n\ndef f():\n    os.kill(os.getppid(), signal.SIGKILL)\n")
    assert result.status == "forbidden"
    assert "send a signal to another process" in result.message
    assert runner.worker_pid() == worker
    assert_recovers(runner)


def test_signalling_worker_and_tutor_through_libc_is_refused(runner, probe):
    needs(probe, "seccomp allow-list")
    received = []
    previous = signal.signal(signal.SIGUSR1, lambda *_: received.append(True))
    try:
        worker = runner.worker_pid()
        source = "import ctypes, os\n\ndef f(tutor):\n    libc = ctypes.CDLL(None)\n    return [libc.kill(os.getppid(), 9), libc.kill(tutor, 10)]\n"
        result = run(runner, source, calls=[Call({"tutor": os.getpid()})])
        time.sleep(0.05)
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert result.status == "ok"
    assert result.calls[0].value == [-1, -1]
    assert received == []
    assert runner.worker_pid() == worker
    assert_recovers(runner)


# -- files ------------------------------------------------------------------------------------


@pytest.fixture
def progress_file(tmp_path) -> Path:
    from tutor.progress.store import ProgressStore

    store = ProgressStore.open(tmp_path / "progress.json")
    store.set_position("01-neuron", "weighted-sum")
    store.save()
    store.close()
    return tmp_path / "progress.json"


@pytest.mark.parametrize(
    "action",
    [
        "open(path, 'w').write('{}')",
        "open(path, 'a').write('junk')",
        "os.truncate(path, 0)",
        "os.remove(path)",
        "os.rename(path, path + '.gone')",
    ],
)
def test_changing_the_progress_file_is_forbidden(runner, progress_file, action):
    before = progress_file.read_bytes()
    result = run(runner, f"import os\n\ndef f(path):\n    {action}\n", calls=[Call({"path": str(progress_file)})])
    assert result.status == "forbidden"
    assert "write, change or delete files" in result.message
    assert progress_file.read_bytes() == before
    assert_recovers(runner)


def test_changing_files_through_libc_is_refused_by_the_kernel(runner, probe, progress_file):
    needs(probe, "seccomp allow-list")
    before = progress_file.read_bytes()
    source = (
        "import ctypes, os\n\ndef f(path):\n    libc = ctypes.CDLL(None)\n    p = path.encode()\n"
        "    return [libc.open(p, os.O_WRONLY | os.O_TRUNC), libc.truncate(p, 0), libc.unlink(p),"
        " libc.rename(p, p + b'.gone'), libc.open(p + b'.new', os.O_CREAT | os.O_WRONLY, 0o600)]\n"
    )
    result = run(runner, source, calls=[Call({"path": str(progress_file)})])
    assert result.status == "ok"
    assert result.calls[0].value == [-1] * 5
    assert progress_file.read_bytes() == before
    assert sorted(p.name for p in progress_file.parent.iterdir() if not p.name.startswith("progress.json.")) == ["progress.json"]
    assert_recovers(runner)


# -- network ----------------------------------------------------------------------------------


@pytest.fixture
def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.2)
    yield server
    server.close()


def _nobody_connected(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except (TimeoutError, socket.timeout):
        return True
    connection.close()
    return False


def test_tcp_connection_is_forbidden(runner, listener):
    port = listener.getsockname()[1]
    source = "import socket\n\ndef f(port):\n    socket.create_connection(('127.0.0.1', port), timeout=0.5)\n"
    result = run(runner, source, calls=[Call({"port": port})])
    assert result.status == "forbidden"
    assert "use the network" in result.message
    assert _nobody_connected(listener)
    assert_recovers(runner)


def test_tcp_connection_through_libc_is_refused_by_the_kernel(runner, probe, listener):
    needs(probe, "seccomp allow-list")
    port = listener.getsockname()[1]
    source = "import ctypes, socket\n\ndef f():\n    return ctypes.CDLL(None).socket(socket.AF_INET, socket.SOCK_STREAM, 0)\n"
    result = run(runner, source)
    assert result.status == "ok"
    assert result.calls[0].value == -1
    assert _nobody_connected(listener)
    assert_recovers(runner)


# -- the result channel ------------------------------------------------------------------------


def test_forged_results_on_inherited_descriptors_are_caught(runner):
    source = (
        "import os, json\n\nforged = b'\\x00' * 16 + (20).to_bytes(4, 'big') + json.dumps({'k': 'done'}).encode()[:20]\n"
        "for fd in range(3, 256):\n    try:\n        os.write(fd, forged)\n    except OSError:\n        pass\n\n"
        "def f():\n    return 1.0\n"
    )
    result = run(runner, source)
    assert result.status == "invalid_result"
    assert "did not come from the checker" in result.message
    assert_recovers(runner)


def test_the_worker_channel_is_not_reachable_from_learner_code(runner):
    source = (
        "import os\n\ndef f():\n    found = []\n    for fd in range(1024):\n        try:\n            os.fstat(fd)\n"
        "        except OSError:\n            continue\n        found.append(fd)\n    return found\n"
    )
    result = run(runner, source)
    assert result.status == "ok"
    # stdin (/dev/null), stdout+stderr (output pipe), the result pipe: nothing else (/proc/self/fd is unreadable).
    assert result.calls[0].value == [0, 1, 2, 3]
    assert_recovers(runner)


# -- state does not leak between runs --------------------------------------------------------------


def test_monkeypatching_numpy_does_not_affect_the_next_run(runner):
    patched = "import numpy as np\nnp.exp = lambda z: 0 * z\n\ndef f():\n    return float(np.exp(1.0))\n"
    assert run(runner, patched).calls[0].value == 0.0
    clean = run(runner, "import numpy as np\n\ndef f():\n    return float(np.exp(1.0))\n")
    assert clean.calls[0].value == pytest.approx(np.e)
    assert_recovers(runner)


# -- wrong answers come back as data, not as crashes ---------------------------------------------------


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("return np.zeros(3)", lambda v: v.shape == (3,)),  # wrong shape
        ("return np.array([np.nan, 1.0])", lambda v: np.isnan(v[0]) and v[1] == 1.0),
        ("return float('nan')", lambda v: v != v),
        ("return 'sigmoid'", lambda v: v == "sigmoid"),
        ("pass", lambda v: v is None),  # missing return
    ],
)
def test_wrong_values_come_back_faithfully(runner, body, check):
    result = run(runner, f"import numpy as np\n\ndef f():\n    {body}\n")
    assert result.status == "ok"
    assert result.calls[0].ok and check(result.calls[0].value)
    assert_recovers(runner)


def test_object_array_is_an_unsupported_value(runner):
    result = run(runner, "import numpy as np\n\ndef f():\n    return np.array([1, 'a', None], dtype=object)\n")
    assert result.status == "ok"
    error = result.calls[0].error
    assert error.type_name == "UnsupportedValue"
    assert error.message == "returned a NumPy array of dtype object, expected an array of numbers"
    assert_recovers(runner)


def test_syntax_error_points_at_line_and_column(runner):
    result = run(runner, "import numpy as np\n\ndef f(z):\n    return 1 / (1 + np.exp(-z)\n")
    assert result.status == "syntax_error"
    assert result.syntax.line == 4 and result.syntax.column == 16
    assert result.syntax.text[result.syntax.column - 1] == "("  # 1-based, at the unclosed bracket
    assert result.message == "Syntax error on line 4, column 16: '(' was never closed"
    assert_recovers(runner)


# -- what a check may see and do (issue 11) ---------------------------------------------------
#
# One test per class of escape the outside suite found. Each is judged by the
# real checker on the course's own exercises where the class is about passing
# without a solution, and by the runner's result where it is about reaching
# outside the check; each ends with a correct answer passing on the same worker.

from tutor.checking.checker import check  # noqa: E402
from tutor.course.loader import load_course  # noqa: E402

LESSONS = Path(__file__).resolve().parents[1] / "lessons"


@pytest.fixture(scope="module")
def course():
    return load_course()


def exercise(course, qualified: str):
    lesson, name = qualified.split("/")
    return course.lesson(lesson).exercise(name)


def assert_solution_passes(runner, course, qualified: str) -> None:
    item = exercise(course, qualified)
    verdict = check(item, item.solution, runner=runner)
    assert verdict.passed, verdict.message


def test_the_engine_cannot_be_imported_to_pass(runner, course):
    item = exercise(course, "sigmoid/implement")
    verdict = check(item, "from engine import sigmoid\n", runner=runner)
    assert not verdict.passed
    # Not even with the engine's directory put back on the path: nothing there can be read.
    root = str(Path(__file__).resolve().parents[1])
    sneaky = f"import sys\nsys.path.insert(0, {root!r})\nfrom engine import sigmoid\n"
    assert not check(item, sneaky, runner=runner).passed
    backward = exercise(course, "backprop/backward")
    copied = "import engine\n\ndef backward(inputs, targets, W1, b1, W2, b2):\n    return engine.network_gradients(inputs, targets, W1, b1, W2, b2)\n"
    assert not check(backward, copied, runner=runner).passed
    assert_solution_passes(runner, course, "sigmoid/implement")


def test_the_engine_and_the_tutor_are_not_in_the_childs_memory(runner):
    source = (
        "import gc, sys\n\ndef f():\n    gc.unfreeze()\n"
        "    seen, todo, found = set(), list(object.__subclasses__()), []\n"
        "    while todo:\n        kind = todo.pop()\n        if id(kind) in seen:\n            continue\n"
        "        seen.add(id(kind))\n        try:\n            todo += kind.__subclasses__()\n        except TypeError:\n            pass\n"
        "        found.append(str(getattr(kind, '__module__', '')))\n"
        "    found += [str(getattr(o, '__module__', '')) for o in gc.get_objects() if callable(o)]\n"
        "    ours = sorted({m for m in found if m.split('.')[0] in ('engine', 'tutor')})\n"
        "    modules = sorted(m for m in sys.modules if m.split('.')[0] in ('engine', 'tutor'))\n"
        "    return [ours, modules, len(found)]\n"
    )
    result = run(runner, source)
    assert result.status == "ok", result.message
    ours, modules, walked = result.calls[0].value
    assert ours == [] and modules == [] and walked > 1000
    assert_recovers(runner)


def test_lessons_progress_home_terminals_and_other_processes_are_unreadable(runner, probe, tmp_path):
    needs(probe, "landlock: reads only beneath the paths below")
    progress = tmp_path / "progress.json"
    progress.write_text('{"answers": {}}')
    targets = [
        str(LESSONS / "02-sigmoid.md"),  # where a snippet would copy the solution from
        str(progress),
        str(Path.home()),
        "/dev/pts",
        f"/proc/{os.getpid()}/cmdline",  # the tutor's own command line
        "/etc/passwd",
    ]
    source = (
        "import os\n\ndef f(paths):\n    out = []\n    for path in paths:\n        try:\n"
        "            os.listdir(path) if os.path.isdir(path) else open(path, 'rb').read(1)\n"
        "            out.append('read')\n        except OSError as error:\n            out.append(type(error).__name__)\n"
        "    return out\n"
    )
    result = run(runner, source, calls=[Call({"paths": targets})])
    assert result.status == "ok", result.message
    assert result.calls[0].value == ["PermissionError"] * len(targets), dict(zip(targets, result.calls[0].value))
    assert_recovers(runner)


def test_copying_the_solution_out_of_the_lesson_file_does_not_pass(runner, course):
    item = exercise(course, "sigmoid/implement")
    thief = (
        f"import re\ntext = open({str(LESSONS / '02-sigmoid.md')!r}).read()\n"
        "exec(re.search(r\"solution = '''(.*?)'''\", text, re.S).group(1))\n"
    )
    verdict = check(item, thief, runner=runner)
    assert not verdict.passed and "PermissionError" in verdict.message + " ".join(verdict.details)
    assert_solution_passes(runner, course, "sigmoid/implement")


def test_rebinding_the_training_harness_does_not_pass_the_capstone(runner, course):
    item = exercise(course, "capstone/network")
    fake = (
        "import gc\n\ndef fake(entry, X, y, **settings):\n    import numpy as np\n"
        "    return {'__value__': np.eye(2)[y], '__extras__': {}}\n\n"
        "for thing in gc.get_objects():\n"
        "    if isinstance(thing, dict) and 'train_classifier' in thing and callable(thing['train_classifier']):\n"
        "        real = thing['train_classifier']\n        thing['train_classifier'] = fake\n"
        "        if hasattr(real, '__code__'):\n            real.__code__ = fake.__code__\n\n"
        + item.code.starter
    )
    verdict = check(item, fake, runner=runner)
    assert not verdict.passed, verdict.message


def test_rebinding_the_strict_caller_keeps_the_stability_probes(runner, course):
    item = exercise(course, "sigmoid/implement")
    naive = "import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
    assert not check(item, naive, runner=runner).passed  # the probe catches the overflow
    rebinding = (
        "import gc\n\ndef lenient(entry, arguments=None):\n    return entry(**dict(arguments or {}))\n\n"
        "for thing in gc.get_objects():\n"
        "    if isinstance(thing, dict) and callable(thing.get('call_strict')):\n"
        "        real = thing['call_strict']\n        thing['call_strict'] = lenient\n"
        "        if hasattr(real, '__code__'):\n            real.__code__ = lenient.__code__\n\n"
        + naive
    )
    verdict = check(item, rebinding, runner=runner)
    assert not verdict.passed and "overflow" in (verdict.message + " ".join(verdict.details)).lower(), verdict.message
    assert_solution_passes(runner, course, "sigmoid/implement")


@pytest.mark.parametrize("silencing", [
    "np.seterr(all='ignore')\n    return 1 / (1 + np.exp(-z))",
    "with np.errstate(over='ignore'):\n        return 1 / (1 + np.exp(-z))",
])
def test_a_probe_does_not_trust_an_error_state_the_learner_set(runner, course, silencing):
    item = exercise(course, "sigmoid/implement")
    source = f"import numpy as np\nnp.seterr(all='ignore')\n\ndef sigmoid(z):\n    {silencing}\n"
    verdict = check(item, source, runner=runner)
    assert not verdict.passed
    assert "overflow" in (verdict.message + " ".join(verdict.details)).lower(), verdict.message
    assert_solution_passes(runner, course, "sigmoid/implement")


def test_file_timestamps_cannot_be_changed(runner, probe, tmp_path):
    needs(probe, "seccomp allow-list")
    target = tmp_path / "progress.json"
    target.write_text("{}")
    os.utime(target, (1_000_000, 1_000_000))
    source = (
        "import os\n\ndef f(path):\n    out = []\n    for attempt in (lambda: os.utime(path, (0, 0)), lambda: os.utime(path)):\n"
        "        try:\n            attempt()\n            out.append('changed')\n        except OSError as error:\n"
        "            out.append(type(error).__name__)\n    return out\n"
    )
    result = run(runner, source, calls=[Call({"path": str(target)})])
    assert result.status in ("ok", "forbidden")
    assert target.stat().st_mtime == 1_000_000
    # Through libc, past the audit hook: the kernel's filter refuses utimensat itself.
    raw = (
        "import ctypes\n\ndef f(path):\n    libc = ctypes.CDLL(None, use_errno=True)\n"
        "    return [libc.utimensat(-100, path.encode(), None, 0), ctypes.get_errno()]\n"
    )
    result = run(runner, raw, calls=[Call({"path": str(target)})])
    assert result.status == "ok" and result.calls[0].value == [-1, 1]  # EPERM
    assert target.stat().st_mtime == 1_000_000
    assert_recovers(runner)


def test_extended_attributes_cannot_be_set_even_on_a_read_only_descriptor(runner, probe, tmp_path):
    needs(probe, "seccomp allow-list")
    target = Path(os.__file__)  # a file the child may read
    before = os.listxattr(target)
    source = (
        "import os\n\ndef f(path):\n    out = []\n    fd = os.open(path, os.O_RDONLY)\n"
        "    for name, value in (('user.nntutor', b'kept'), ('system.posix_acl_access', b'\\x02\\x00\\x00\\x00')):\n"
        "        for target in (path, fd):\n            try:\n                os.setxattr(target, name, value)\n"
        "                out.append('set')\n            except OSError as error:\n                out.append(error.errno)\n"
        "    return out\n"
    )
    result = run(runner, source, calls=[Call({"path": str(target)})])
    assert result.status == "ok", result.message
    assert result.calls[0].value == [1, 1, 1, 1]  # EPERM from the filter, every time
    assert os.listxattr(target) == before
    assert_recovers(runner)


def _sysv_objects() -> int:
    count = 0
    for table in ("shm", "msg", "sem"):
        try:
            with open(f"/proc/sysvipc/{table}") as listing:
                count += len(listing.readlines()) - 1
        except OSError:
            pass
    return count


def test_sysv_ipc_is_refused_and_nothing_outlives_the_check(runner, probe):
    needs(probe, "seccomp allow-list")
    before = _sysv_objects()
    source = (
        "import ctypes\n\ndef f():\n    libc = ctypes.CDLL(None, use_errno=True)\n    out = []\n"
        "    for call in (lambda: libc.shmget(0, 200 << 20, 0o1600), lambda: libc.msgget(0, 0o1600),"
        " lambda: libc.semget(0, 1, 0o1600)):\n"
        "        out.append([call(), ctypes.get_errno()])\n    return out\n"
    )
    result = run(runner, source)
    assert result.status == "ok", result.message
    assert result.calls[0].value == [[-1, 1]] * 3
    assert _sysv_objects() == before
    assert_recovers(runner)


def test_an_ipc_namespace_of_its_own(probe):
    needs(probe, "own IPC namespace")
    assert probe["attempts"]["create SysV shared memory (shmget)"] == "blocked (EPERM)"


def test_a_slow_training_run_says_how_far_it_got(runner, course):
    item = exercise(course, "capstone/network")
    slow = item.solution.replace("    def step(self, learning_rate):\n", "    def step(self, learning_rate):\n        __import__('time').sleep(0.01)\n", 1)
    assert slow != item.solution
    short = type(item.code.limits)(time_s=1.0, output_bytes=item.code.limits.output_bytes, memory_mb=item.code.limits.memory_mb)
    quick = type(item)(**{**item.__dict__, "code": type(item.code)(**{**item.code.__dict__, "limits": short})})
    verdict = check(quick, slow, runner=runner)
    assert verdict.status == "error"
    assert verdict.message.startswith("Your code was still training after 1 s: ")
    assert " of 2,000 steps done, so the whole run would take about " in verdict.message
    assert verdict.message.endswith("Use NumPy arrays for whole layers.")
    stuck = item.solution.replace("    def forward(self, X):\n", "    def forward(self, X):\n        while True:\n            pass\n", 1)
    verdict = check(quick, stuck, runner=runner)
    assert "Is there a loop that never ends?" in verdict.message
    assert_solution_passes(runner, course, "sigmoid/implement")


HOSTILE_ROUND = [
    "import os\n\ndef sigmoid(z):\n    os.fork()\n",
    "def sigmoid(z):\n    return open('/etc/passwd').read()\n",
    "import ctypes\n\ndef sigmoid(z):\n    ctypes.CDLL(None).shmget(0, 1 << 20, 0o1600)\n    return z\n",
    "def sigmoid(z):\n    while True:\n        pass\n",
    "import gc\ngc.unfreeze()\n\ndef sigmoid(z):\n    return [0] * (10 ** 9)\n",
]


def test_the_worker_stays_healthy_through_alternating_hostile_and_correct_checks(runner, course):
    item = exercise(course, "sigmoid/implement")
    pid = runner.worker_pid()
    for round_ in range(4):
        for hostile in HOSTILE_ROUND:
            assert not check(item, hostile, runner=runner).passed
            verdict = check(item, item.solution, runner=runner)
            assert verdict.passed, (round_, hostile, verdict.message)
    assert runner.worker_pid() == pid  # never restarted: nothing got through to it


# -- judged on what the learner did not see (fresh cases, held-out points, probes, gates) ----------
#
# Each snippet below passes what it was shown and nothing else; each gets a fail verdict
# through the real checker on this runner, and a correct answer passes right after.


def judge(course, qualified_id: str, source: str, runner, seed: int):
    from tutor.checking.checker import check

    lesson, _, exercise = qualified_id.partition("/")
    return check(course.lesson(lesson).exercise(exercise), source, runner=runner, seed=seed)


def _sigmoid_table_from(course, seed: int) -> str:
    """A 'sigmoid' that answers every input it was shown in an attempt's feedback, and only those."""
    from engine import sigmoid
    from tutor.checking.cases import build_cases
    from tutor.checking.probes import build_probes

    spec = course.lesson("sigmoid").exercise("implement").code
    shown = [case.args["z"] for case in build_cases(spec, seed=seed)]
    shown += [probe.case.args["z"] for probe in build_probes(spec, seed=seed)]
    table = {np.asarray(z, dtype=float).tobytes().hex(): np.asarray(sigmoid(z)).tolist() for z in shown}
    return (
        "import numpy as np\n"
        f"TABLE = {table!r}\n"
        "def sigmoid(z):\n"
        "    key = np.asarray(z, dtype=float).tobytes().hex()\n"
        "    return np.asarray(TABLE[key]) if key in TABLE else np.zeros(np.shape(z))\n"
    )


def test_a_lookup_table_built_from_earlier_feedback_fails_the_next_attempt(course, runner):
    table = _sigmoid_table_from(course, seed=101)
    assert judge(course, "sigmoid/implement", table, runner, seed=101).passed  # it saw all of that attempt
    verdict = judge(course, "sigmoid/implement", table, runner, seed=102)
    assert verdict.status == "fail"
    assert verdict.cases[0].title.endswith("(fresh, seed 102)")  # the first failing case, shown in full
    assert verdict.cases[0].actual.startswith("[0, 0, 0")
    solution = course.lesson("sigmoid").exercise("implement").solution
    assert judge(course, "sigmoid/implement", solution, runner, seed=102).passed


LABEL_TABLE = '''
import numpy as np

class Network:
    # remembers the labels backward received, for the very points forward saw
    def __init__(self, n_inputs, n_outputs, seed):
        self.k, self.known = n_outputs, {}

    def forward(self, X):
        self.X = X
        labels = self.known.get(X.tobytes())
        if labels is None:
            labels = np.zeros(len(X), dtype=int)
        return np.eye(self.k)[labels]

    def backward(self, y):
        self.known[self.X.tobytes()] = np.asarray(y, dtype=int)

    def step(self, learning_rate):
        pass
'''


def test_a_table_of_the_labels_backward_receives_fails_the_capstone(course, runner):
    verdict = judge(course, "capstone/network", LABEL_TABLE, runner, seed=7)
    assert verdict.status == "fail"
    assert "reached 50% accuracy on new points after 2,000 steps; the pass mark is 93%." in " ".join(verdict.details)
    assert "never trained on" in verdict.cases[0].inputs
    solution = course.lesson("capstone").exercise("network").solution
    assert judge(course, "capstone/network", solution, runner, seed=7).passed


CORNER_CUTTING_SIGMOID = '''
import numpy as np

def sigmoid(z):
    z = np.asarray(z, dtype=float)
    if np.all(np.abs(z) >= 1000):          # the values the lesson names
        return (z > 0).astype(float)
    big = np.abs(z) >= 1000
    return np.where(big, (z > 0).astype(float), 1 / (1 + np.exp(-np.where(big, 0.0, z))))
'''


def test_a_sigmoid_that_special_cases_a_thousand_overflows_on_fresh_probe_points(course, runner):
    for seed in (201, 202):
        verdict = judge(course, "sigmoid/implement", CORNER_CUTTING_SIGMOID, runner, seed=seed)
        assert verdict.status == "fail"
        assert verdict.message.startswith("Your sigmoid overflows for very negative z")
        assert -1000 <= float(verdict.cases[0].inputs.removeprefix("z = ")) < -710  # e.g. z = -800
        assert "Overflow encountered in exp" in verdict.details[0]
    solution = course.lesson("sigmoid").exercise("implement").solution
    assert judge(course, "sigmoid/implement", solution, runner, seed=202).passed


def test_a_gate_without_neurons_fails_and_a_gentler_network_passes(course, runner):
    verdict = judge(course, "gates/xnor", "def xnor(x1, x2):\n    return float(x1 == x2)\n", runner, seed=1)
    assert verdict.status == "fail"
    assert verdict.message.startswith("Your gate jumps from 1 to 0 between (0, 0) and (0, ")
    assert "Build it from neurons, not from a comparison of the inputs" in verdict.message
    gentle = (
        "import numpy as np\n\n"
        "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n\n"
        "def xnor(x1, x2):\n"  # weights 6 instead of Ng's 20: outputs 0.94 and 0.08, within the stated 0.1
        "    return sigmoid(-3 + 6 * sigmoid(-9 + 6 * x1 + 6 * x2) + 6 * sigmoid(3 - 6 * x1 - 6 * x2))\n"
    )
    assert judge(course, "gates/xnor", gentle, runner, seed=1).passed


def test_retyping_a_shown_prediction_does_not_turn_a_miss_into_a_pass(course, tmp_path):
    from tutor.checking.checker import check
    from tutor.progress import ProgressStore

    exercise = course.lesson("neuron").exercise("no-evidence")
    store = ProgressStore.open(tmp_path / "progress.json")
    missed = check(exercise, "0.9")
    shown = missed.values["actual"]  # the engine's value is shown
    assert missed.status == "fail" and abs(shown - 0.9) > 0.1
    store.record_attempt(exercise.qualified_id, "0.9", missed.passed, prediction=True)
    retyped = check(exercise, repr(float(shown)))
    assert retyped.passed  # the checker judges the number as typed...
    after = store.record_attempt(exercise.qualified_id, "0.5", retyped.passed, prediction=True)
    assert (after.status, after.passed, after.finished, after.answer) == ("missed", False, True, "0.9")  # ...the record stays
    fresh = course.lesson("logistic").exercise("guessing")
    good = check(fresh, repr(float(check(fresh, "0").values["actual"])))
    assert store.record_attempt(fresh.qualified_id, "x", good.passed, prediction=True).status == "predicted"
    store.close()
