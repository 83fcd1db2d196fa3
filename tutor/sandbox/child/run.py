"""In the child: run one job (the learner's code and its calls), report each step as a frame, leave.

Shared by the warm worker's children and the fresh interpreter tests and the
bench use, so both produce exactly the same frames.

Reports go out one at a time (`emit`), as they happen, so a child that dies in
the middle still leaves behind everything it finished: the supervisor can say
"case 3 crashed" rather than "something went wrong". The order is:
``syntax`` | ``exit`` | ``missing_entry`` | (``load_error``) then per call
``raised`` (before formatting an exception, whose __str__ may never return) and
``call``; finally ``done``. ``forbidden`` may appear anywhere, and ``progress``
(steps done of a training harness) while a call runs.

Before the learner's code runs, each call's harness driver is looked up and
held here, in this frame's locals: rebinding names in the drivers' module, or
in this one, changes nothing for the run. Then the child forgets what the
learner need not see: the import path shrinks to the standard library (NumPy
is already imported), and the worker's and drivers' modules leave
`sys.modules`.
"""

from __future__ import annotations

import builtins
import errno
import inspect
import os
import resource
import socket
import sys
import sysconfig
import threading
import time
import traceback
from types import ModuleType, TracebackType
from typing import Any, Callable, Mapping, Sequence

from . import guard
from ..protocol import UnsupportedValue, decode_job, dumps, encode, loads, write_frame
from .syscalls import syscall

FILENAME = "<your code>"
MAX_MESSAGE = 2000
MAX_FRAMES = 12
PROGRESS_EVERY_S = 0.2
STANDALONE = "nntutor_sandbox"  # the name the worker loads this package under
Emit = Callable[[dict[str, Any]], None]
Driver = Callable[..., Any]


def serve_job(raw_job: bytes, result_fd: int, nonce: bytes, drivers: ModuleType | None, confinement: dict[str, Any]) -> None:
    """Run one job read from the job pipe, then `finish_report` (never returns)."""
    def emit(frame: dict[str, Any]) -> None:
        write_frame(result_fd, nonce, dumps(frame))

    job = decode_job(loads(raw_job))
    if job.probe:
        payload = {**confinement, "attempts": probe_attempts(job.probe_paths)}
        write_frame(result_fd, nonce, dumps(payload))
        finish_report(result_fd, nonce)
    table = getattr(drivers, "DRIVERS", {}) if drivers is not None else {}
    bound = [(args, _bind(table, harness), harness) for args, harness in job.calls]
    prepare = getattr(drivers, "prepare_child", None)
    if prepare is not None:
        prepare()
    pristine = Pristine(drivers) if drivers is not None and any(driver for _, driver, _ in bound) else None
    forget_the_host()
    guard.install(lambda what: emit({"k": "forbidden", "what": what}))
    run_learner_code(job.source, job.entry, bound, emit, before_driver=pristine.restore if pristine else None,
                     mark_output=lambda: _mark_output(nonce))
    finish_report(result_fd, nonce)


def main() -> None:
    """One run in a fresh interpreter, unconfined (the baseline tests and the
    bench compare the warm worker with): sys.argv[1:] is the result fd and the
    drivers' path; stdin holds the run's nonce, then the job."""
    from ..protocol import NONCE_BYTES
    from ..worker.serve import load_drivers

    result_fd = int(sys.argv[1])
    drivers = load_drivers(sys.argv[2])
    data = sys.stdin.buffer.read()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    serve_job(data[NONCE_BYTES:], result_fd, data[:NONCE_BYTES], drivers, {})


def _bind(table: Mapping[str, Driver], harness: str | None) -> Driver | None:
    return None if harness is None else table.get(harness)


class Pristine:
    """The drivers' module as it was before the learner's code ran: its names
    and each of its functions' code and defaults, put back before every call
    a driver makes, so a snippet that rebinds a helper of the drivers, or
    swaps a driver's ``__code__``, changes nothing for the calls that follow.
    (Code in the same process can still meddle while a call runs; what the
    tutor trusts is only what it computes itself from the learner's outputs.)"""

    def __init__(self, module: ModuleType) -> None:
        self._names = dict(vars(module))
        self._module = vars(module)
        self._functions = [
            (f, f.__code__, f.__defaults__, f.__kwdefaults__) for f in self._names.values() if inspect.isfunction(f)
        ]

    def restore(self) -> None:
        self._module.clear()  # always: comparing first could call the learner's __eq__
        self._module.update(self._names)
        for function, code, defaults, kwdefaults in self._functions:
            if function.__code__ is not code:
                function.__code__ = code
            if function.__defaults__ is not defaults:
                function.__defaults__ = defaults
            if function.__kwdefaults__ is not kwdefaults:
                function.__kwdefaults__ = kwdefaults


def _stdlib_dirs() -> frozenset[str]:
    stdlib = {os.path.realpath(os.path.dirname(os.__file__))}
    stdlib |= {os.path.realpath(sysconfig.get_paths()[key]) for key in ("stdlib", "platstdlib")}
    return frozenset(stdlib | {os.path.join(path, "lib-dynload") for path in stdlib})


_STDLIB = _stdlib_dirs()  # worked out once, in the worker, not in every child
_PROGRESS_TAKERS: set[int] = set()  # ids of drivers that accept progress=


def learn_drivers(drivers: ModuleType | None) -> None:
    """In the worker, once: note which drivers report progress (so no child
    inspects signatures while the learner waits)."""
    for driver in (getattr(drivers, "DRIVERS", {}) or {}).values():
        try:
            if "progress" in inspect.signature(driver).parameters:
                _PROGRESS_TAKERS.add(id(driver))
        except (TypeError, ValueError):
            pass


def forget_the_host() -> None:
    """Leave the learner an import path of the standard library alone, and no
    module of ours in `sys.modules` (NumPy stays: it is already imported)."""
    sys.path[:] = [path for path in sys.path if path and (os.path.realpath(path) in _STDLIB or path.endswith(".zip"))]
    sys.path_importer_cache.clear()
    sys.meta_path[:] = [finder for finder in sys.meta_path if getattr(finder, "__module__", "").startswith(("importlib", "_frozen_importlib"))]
    sys.path_hooks[:] = [hook for hook in sys.path_hooks if getattr(hook, "__module__", "").startswith(("importlib", "_frozen_importlib", "zipimport"))]
    package = __name__.split(".")[0]
    if package != STANDALONE:
        return  # imported in the tutor's process (a test): nothing of the tutor's to forget
    for name in list(sys.modules):
        if name == package or name.startswith(package + ".") or name == "nntutor_drivers":
            del sys.modules[name]


def finish_report(result_fd: int, nonce: bytes) -> None:
    """Flush and close the output, send the empty end-of-report frame, and exit."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - the learner may have replaced or closed it
            pass
    for fd in (1, 2):
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        write_frame(result_fd, nonce, b"")
        os.close(result_fd)
    finally:
        os._exit(0)


def run_learner_code(
    source: str,
    entry: str,
    calls: Sequence[tuple[Mapping[str, Any], Driver | None, str | None]],
    emit: Emit,
    before_driver: Callable[[], None] | None = None,
    mark_output: Callable[[], None] = lambda: None,
) -> None:
    """Compile and exec `source` as module "learner", then make each call to
    `entry`: directly, or through the driver bound to it before.

    `mark_output` ends a part of the output: once after loading the module,
    then once after each call, so the tutor can show what each case printed."""
    lines = source.splitlines()
    try:
        code = compile(source, FILENAME, "exec", dont_inherit=True)
    except SyntaxError as error:
        emit(_syntax_frame(error))
        return
    except (ValueError, MemoryError, RecursionError) as error:  # null bytes, absurd nesting
        emit({"k": "syntax", "line": 1, "column": 1, "message": _safe_message(error), "text": ""})
        return
    namespace: dict[str, Any] = {"__name__": "learner", "__builtins__": builtins}
    load_error = None
    try:
        exec(code, namespace)
    except SystemExit as stop:
        emit({"k": "exit", "code": _exit_code(stop)})
        return
    except BaseException as error:  # noqa: BLE001 - any learner exception is data
        load_error = _error_record(error, lines, emit, index=None)
        emit({"k": "load_error", "error": load_error})
    _flush_output()
    mark_output()
    target = namespace.get(entry)
    if load_error is None and (target is None or not callable(target)):
        emit({"k": "missing_entry", "found": None if target is None else type(target).__name__, "defined": _defined_names(namespace)})
        return
    for index, (args, driver, harness) in enumerate(calls):
        if load_error is not None:
            mark_output()
            emit({"k": "call", "i": index, "error": load_error})
            continue
        if driver is not None and before_driver is not None:
            before_driver()
        frame = _call_frame(index, target, args, driver, harness, lines, emit)
        _flush_output()  # this call's prints, then its end mark, then its result
        mark_output()
        emit(frame)
    emit({"k": "done"})


def _call_frame(
    index: int, target: Any, args: Mapping[str, Any], driver: Driver | None, harness: str | None, lines: list[str], emit: Emit
) -> dict[str, Any]:
    if harness is not None and driver is None:
        return {"k": "call", "i": index, "error": {"type": "HarnessError", "message": f"this exercise names an unknown harness {harness!r}", "traceback": [], "line": None}}
    try:
        if driver is None:
            value = target(**args)
        elif _takes_progress(driver):
            value = driver(target, **args, progress=_progress_reporter(index, emit))
        else:
            value = driver(target, **args)
    except SystemExit as stop:
        message = f"your code called sys.exit({_exit_code(stop)!r}); return a value instead"
        return {"k": "call", "i": index, "error": {"type": "SystemExit", "message": message, "traceback": [], "line": None}}
    except BaseException as error:  # noqa: BLE001
        return {"k": "call", "i": index, "error": _error_record(error, lines, emit, index)}
    try:
        return {"k": "call", "i": index, "value": encode(value)}
    except UnsupportedValue as problem:
        return {"k": "call", "i": index, "error": {"type": "UnsupportedValue", "message": str(problem), "traceback": [], "line": None}}
    except BaseException as error:  # noqa: BLE001 - e.g. MemoryError while encoding a huge array
        return {"k": "call", "i": index, "error": {"type": _type_name(error), "message": "the returned value could not be sent back", "traceback": [], "line": None}}


def _takes_progress(driver: Driver) -> bool:
    if not _PROGRESS_TAKERS:  # a fresh interpreter (tests, bench) that did not learn them
        try:
            return "progress" in inspect.signature(driver).parameters
        except (TypeError, ValueError):
            return False
    return id(driver) in _PROGRESS_TAKERS


def _progress_reporter(index: int, emit: Emit) -> Callable[[int, int], None]:
    """A driver's progress(done, total), sent at most every PROGRESS_EVERY_S:
    a run stopped by its deadline can then say how far it got."""
    started = time.monotonic()
    last = [started - PROGRESS_EVERY_S]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_S or done == total:
            last[0] = now
            emit({"k": "progress", "i": index, "done": int(done), "total": int(total), "s": round(now - started, 3)})

    return progress


def _error_record(error: BaseException, lines: list[str], emit: Emit, index: int | None) -> dict[str, Any]:
    name = _type_name(error)
    emit({"k": "raised", "i": index, "type": name})  # in case formatting never returns
    frames = _learner_frames(error.__traceback__, lines)
    line = None
    if frames:
        line = frames[-1][0]
    if isinstance(error, SyntaxError) and error.filename == FILENAME:
        line = error.lineno
    message = _safe_message(error)
    if isinstance(error, EOFError) and message == "EOF when reading a line":
        message += " (the checker gives your code no keyboard input; use the function's arguments)"
    return {"k": "error", "type": name, "message": message, "traceback": _format_frames(frames), "line": line}


def _learner_frames(tb: TracebackType | None, lines: list[str]) -> list[tuple[int, str, str]]:
    frames = []
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename == FILENAME and lineno is not None:
            text = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
            frames.append((lineno, frame.f_code.co_name, text))
    return frames


def _format_frames(frames: list[tuple[int, str, str]]) -> list[str]:
    shown = [f"line {lineno}, in {name}: {text}" for lineno, name, text in frames]
    if len(shown) > MAX_FRAMES:
        hidden = len(shown) - MAX_FRAMES
        shown = shown[:4] + [f"... {hidden} more lines like these ..."] + shown[-(MAX_FRAMES - 4) :]
    return shown


def _type_name(error: BaseException) -> str:
    name = type(error).__name__
    return name if type(name) is str else "Exception"


def _safe_message(error: BaseException) -> str:
    """str(error), unless it raises; a __str__ that never returns is the deadline's job."""
    try:
        message = str(error)
        if type(message) is not str:
            raise TypeError
    except BaseException as inner:  # noqa: BLE001
        return f"(the message of this {_type_name(error)} could not be shown: {_type_name(inner)})"
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + f"... ({len(message) - MAX_MESSAGE} more characters)"
    return message


def _syntax_frame(error: SyntaxError) -> dict[str, Any]:
    text = (error.text or "").rstrip("\n")
    return {"k": "syntax", "line": int(error.lineno or 1), "column": int(error.offset or 1), "message": str(error.msg), "text": text}


def _exit_code(stop: SystemExit) -> Any:
    code = stop.code
    return code if code is None or type(code) in (int, str) else repr(code)[:200]


def _defined_names(namespace: Mapping[str, Any]) -> list[str]:
    return sorted(
        name for name, value in namespace.items() if type(name) is str and not name.startswith("__") and callable(value)
    )[:20]


def _mark_output(nonce: bytes) -> None:
    """End one part of the output with the run's nonce, written into the
    output pipe itself: only the pipe's own order tells one call's prints from
    the next (the result frames travel on another pipe and may be read in a
    batch). A learner who closed or redirected fd 1 loses the marks, and the
    tutor then shows the output as one piece."""
    try:
        os.write(1, nonce)
    except OSError:
        pass


def _flush_output() -> None:
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - the learner may have closed it
            pass


# -- the doctor's probe ---------------------------------------------------------------------
#
# Inside a confined probe child: try each forbidden thing for real and record
# what the kernel said. Raw calls (no audit hook is installed in the probe), so
# the answer reflects the kernel-level protections only. Every attempt is
# harmless if it succeeds: a forked probe exits at once, exec targets a path that
# does not exist, the file written is removed again, the TCP connection goes to
# a closed local port, the signal is 0, the segment is removed at once.


def _outcome(action: Callable[[], Any]) -> str:
    try:
        action()
    except OSError as error:
        name = errno.errorcode.get(error.errno or 0, str(error.errno))
        if error.errno in (errno.EPERM, errno.EACCES, errno.ENOSYS):
            return f"blocked ({name})"
        return f"allowed ({name})"
    except ValueError:  # resource.setrlimit's way of saying EPERM
        return "blocked (EPERM)"
    except ImportError as error:  # the import probes: not found, and unreadable where it lives
        return "blocked (not importable)" if "No module named" in str(error) else f"allowed ({error})"
    return "allowed"


def _fork() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def _write_file() -> None:
    path = f"/tmp/nntutor-probe-{os.getpid()}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.unlink(path)


def _tcp() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        sock.connect(("127.0.0.1", 9))


def _raise_rlimit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (hard + 10, hard + 10))


def _thread() -> None:
    thread = threading.Thread(target=lambda: None)
    thread.start()
    thread.join()


def _xattr() -> None:
    os.setxattr(sys.executable, "user.nntutor-probe", b"1")


def _utime() -> None:
    os.utime(sys.executable, None)


def _shmget() -> None:
    ipc_private, ipc_creat, ipc_rmid = 0, 0o1000, 0
    segment = syscall("shmget", ipc_private, 4096, ipc_creat | 0o600)
    syscall("shmctl", segment, ipc_rmid, 0)


def _read_dir(path: str) -> Callable[[], None]:
    def attempt() -> None:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            with open(path, "rb") as handle:
                handle.read(1)

    return attempt


def _import(name: str, where: Sequence[str]) -> Callable[[], None]:
    """Import `name` with the directories it is installed in put back on the
    path: what stops it then is that nothing there can be read."""

    def attempt() -> None:
        sys.modules.pop(name, None)
        saved = list(sys.path)
        sys.path[:0] = list(where)
        try:
            __import__(name)
        finally:
            sys.path[:] = saved

    return attempt


def probe_attempts(unreadable: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """name -> "blocked" or "allowed (...)"; threads are meant to be allowed.
    `unreadable` names paths the tutor holds (its home, lessons, progress) that
    the child must not be able to read; ("import", dir) pairs name where the
    tutor and the engine are installed."""
    forget_the_host()
    where = [path for what, path in unreadable if what == "import"]
    unreadable = [(what, path) for what, path in unreadable if what != "import"]
    attempts = {
        "start a process (fork)": _outcome(_fork),
        "run a program (execve)": _outcome(lambda: os.execv("/nonexistent/nntutor-probe", ["nntutor-probe"])),
        "write a file": _outcome(_write_file),
        "change a file's timestamps (utime)": _outcome(_utime),
        "set an extended attribute (setxattr)": _outcome(_xattr),
        "create SysV shared memory (shmget)": _outcome(_shmget),
        "open a TCP connection": _outcome(_tcp),
        "signal the worker": _outcome(lambda: os.kill(os.getppid(), 0)),
        "raise its CPU limit": _outcome(_raise_rlimit),
        "import the engine": _outcome(_import("engine", where)),
        "import the tutor": _outcome(_import("tutor", where)),
    }
    for name, path in unreadable:
        attempts[f"read {name} ({path})"] = _outcome(_read_dir(path))
    attempts["start a thread"] = _outcome(_thread)
    return attempts
