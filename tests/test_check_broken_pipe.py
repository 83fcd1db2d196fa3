"""`nntutor check ... | head` and `nntutor lint | head`: a reader that stops early
ends the output quietly, with no BrokenPipeError traceback; lint's summary
comes after the findings, on a line of its own."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.checking import command
from tutor.lint import main as lint_main

ROOT = Path(__file__).resolve().parent.parent
FLOOD = 'for i in range(3000):\n    print("line", i, "x" * 60)\n\ndef sigmoid(z):\n    return z\n'


def run_with_closed_reader(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `nntutor ARGS` with a stdout pipe that is closed before it writes."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tutor", *args], cwd=ROOT,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None and process.stderr is not None and process.stdin is not None
    process.stdout.close()  # the reader is gone before a line is written, like `| head -0`
    process.stdin.write(stdin)
    process.stdin.close()
    error = process.stderr.read()
    return subprocess.CompletedProcess(process.args, process.wait(timeout=60), "", error)


def test_check_into_a_closed_pipe_exits_with_its_verdict_and_no_traceback():
    result = run_with_closed_reader("check", "sigmoid/implement", "-", stdin=FLOOD)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
    assert result.returncode == 1  # still the verdict: fail


def test_lint_into_a_closed_pipe_has_no_traceback(tmp_path):
    lesson = (ROOT / "lessons" / "01-neuron.md").read_text(encoding="utf-8")
    broken = tmp_path / "01-neuron.md"
    broken.write_text(lesson.replace('solution = "5"', 'solution = "6"', 1), encoding="utf-8")
    result = run_with_closed_reader("lint", "--no-run", str(tmp_path))
    assert "Traceback" not in result.stderr, result.stderr
    result = run_with_closed_reader("lint", str(tmp_path))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1 and result.stderr.endswith("\n1 problem in 1 file\n")


class ClosedReader(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_write_to_reader_swallows_a_broken_pipe_on_any_stream():
    command.write_to_reader("FAIL: something", ClosedReader())  # no fileno: nothing to redirect, no error


def test_lint_summary_is_on_its_own_line_after_the_findings(tmp_path, capsys: pytest.CaptureFixture[str]):
    lesson = (ROOT / "lessons" / "01-neuron.md").read_text(encoding="utf-8")
    (tmp_path / "01-neuron.md").write_text(lesson.replace('solution = "5"', 'solution = "6"', 1), encoding="utf-8")
    assert lint_main([str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert out.endswith("\n") and "reference solution does not pass" in out
    assert err == "\n1 problem in 1 file\n"
