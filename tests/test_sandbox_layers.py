"""Each kernel protection on its own, in a fresh interpreter that applies just that layer.

The hostile-snippet tests run with every layer at once, so a hole in one layer
can hide behind another. Here each layer is installed alone and must refuse its
share by itself; a layer the kernel does not offer is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap

import pytest

from tutor.sandbox.child import landlock
from tutor.sandbox.child.syscalls import ARCH

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def in_fresh_python(setup: str, attempts: dict[str, str]) -> dict[str, str]:
    """Run `setup`, then each attempt; report 'refused: Errno' or 'allowed' per attempt."""
    lines = [f"    {name!r}: {code!r}," for name, code in attempts.items()]
    program = textwrap.dedent(
        """
        import json, os, socket, sys, resource
        sys.path.insert(0, {root!r})
        {setup}
        attempts = {{
        {attempts}
        }}
        results = {{}}
        for name, code in attempts.items():
            try:
                exec(code)
                results[name] = "allowed"
            except (PermissionError, ValueError) as error:
                results[name] = "refused"
            except OSError as error:
                results[name] = "allowed (" + type(error).__name__ + ")"
        print(json.dumps(results))
        """
    ).format(root=PACKAGE_ROOT, setup=setup, attempts="\n".join(lines))
    done = subprocess.run([sys.executable, "-I", "-c", program], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture
def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    yield server
    server.close()


def test_landlock_alone_makes_the_filesystem_read_only(tmp_path):
    abi = landlock.abi_version()
    if abi < 1:
        pytest.skip("the kernel offers no Landlock")
    target = tmp_path / "progress.json"
    target.write_text("{}")
    results = in_fresh_python(
        f"from tutor.sandbox.child import landlock, syscalls\nsyscalls.set_no_new_privs()\nlandlock.restrict({abi})",
        {
            "read": f"open({str(target)!r}).read()",
            "write": f"open({str(target)!r}, 'w')",
            "create": f"open({str(tmp_path / 'new')!r}, 'x')",
            "delete": f"os.remove({str(target)!r})",
            **({"truncate": f"os.truncate({str(target)!r}, 0)"} if abi >= 3 else {}),
        },
    )
    assert results.pop("read") == "allowed"
    assert set(results.values()) == {"refused"}, results
    assert target.read_text() == "{}" and not (tmp_path / "new").exists()


def test_landlock_alone_blocks_tcp_and_signals(listener):
    abi = landlock.abi_version()
    if abi < 4:
        pytest.skip(f"Landlock ABI {abi} here; TCP rules need ABI 4 (Linux 6.7)")
    attempts = {"connect": f"socket.create_connection(('127.0.0.1', {listener.getsockname()[1]}), timeout=1)"}
    if abi >= 6:
        attempts["signal parent"] = "os.kill(os.getppid(), 0)"
    results = in_fresh_python(
        f"from tutor.sandbox.child import landlock, syscalls\nsyscalls.set_no_new_privs()\nlandlock.restrict({abi})", attempts
    )
    assert set(results.values()) == {"refused"}, results


@pytest.mark.skipif(ARCH is None, reason="seccomp filter: only Linux x86_64/aarch64 syscall tables are known")
def test_seccomp_alone_refuses_processes_writes_sockets_signals_and_limits(tmp_path):
    target = tmp_path / "progress.json"
    target.write_text("{}")
    results = in_fresh_python(
        "from tutor.sandbox.child import seccomp, syscalls\nsyscalls.set_no_new_privs()\nseccomp.install(os.getpid())",
        {
            "read": f"open({str(target)!r}).read()",
            "limits read": "resource.getrlimit(resource.RLIMIT_AS)",
            "own signal": "os.kill(os.getpid(), 0)",
            "thread": "import threading; t = threading.Thread(target=int); t.start(); t.join()",
            "fork": "os.fork()",
            "exec": "os.execv('/bin/true', ['true'])",
            "write": f"open({str(target)!r}, 'w')",
            "delete": f"os.remove({str(target)!r})",
            "socket": "socket.socket()",
            "signal parent": "os.kill(os.getppid(), 0)",
            "raise limit": "resource.setrlimit(resource.RLIMIT_CPU, (10**6, 10**6))",
            "new session": "os.setsid()",
            # families nobody listed: closed because the filter is an allow-list
            "utime": f"os.utime({str(target)!r}, (0, 0))",
            "setxattr": f"os.setxattr({str(target)!r}, 'user.x', b'1')",
            "getxattr": f"os.listxattr({str(target)!r})",
            "shmget": "import ctypes; libc = ctypes.CDLL(None, use_errno=True); "
                      "assert libc.shmget(0, 4096, 0o1600) == -1 and ctypes.get_errno() == 1; raise PermissionError",
            "chdir": "os.chdir('/')",
        },
    )
    allowed = {name: results.pop(name) for name in ("read", "limits read", "own signal", "thread")}
    assert set(allowed.values()) == {"allowed"}, allowed
    assert set(results.values()) == {"refused"}, results
    assert target.read_text() == "{}"


def test_landlock_alone_reads_only_beneath_the_paths_it_grants(tmp_path):
    abi = landlock.abi_version()
    if abi < 1:
        pytest.skip("the kernel offers no Landlock")
    granted = tmp_path / "granted"
    granted.mkdir()
    (granted / "ok.txt").write_text("fine")
    secret = tmp_path / "progress.json"
    secret.write_text("{}")
    stdlib = os.path.dirname(os.__file__)
    results = in_fresh_python(
        f"from tutor.sandbox.child import landlock, syscalls\nsyscalls.set_no_new_privs()\n"
        f"landlock.restrict({abi}, [{str(granted)!r}, {stdlib!r}])",
        {
            "granted": f"open({str(granted / 'ok.txt')!r}).read()",
            "secret": f"open({str(secret)!r}).read()",
            "listing": f"os.listdir({str(tmp_path)!r})",
            "home": "os.listdir(os.path.expanduser('~'))",
            "proc": "open('/proc/self/status').read()",
        },
    )
    assert results.pop("granted") == "allowed"
    assert set(results.values()) == {"refused"}, results
