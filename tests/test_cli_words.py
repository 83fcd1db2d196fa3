"""What `nntutor WORD` does with a word that is not a course, without a terminal,
and with a lesson file where a course folder is expected (issue 15, item 5)."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tutor.cli
from tutor.cli import main as nntutor

ROOT = Path(__file__).parent.parent
VALID = Path(__file__).parent / "fixtures" / "lessons" / "valid"
SUBCOMMANDS = "Subcommands: lint, check, show, new, outline, engine, review, doctor, serve, class (`nntutor --help` says what each does)"
NEEDS_TERMINAL = ("nntutor: the tutor needs a terminal (stdin and stdout are not both one); in a script, "
                  "a pipe or CI use `nntutor outline`, `nntutor check` or `nntutor lint`\n")
# what the tutor is started with when no option is given
NO_OPTIONS = {"course": None, "progress": None, "watch": None, "workspace": None, "open_exercise": None}


@pytest.fixture(autouse=True)
def private_outline_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the outline index of these tests out of the user's cache folder."""
    monkeypatch.setenv("NNTUTOR_CACHE_DIR", str(tmp_path / "outline-index"))


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    folder.mkdir()
    shutil.copy(VALID / "01-valid.md", folder)
    return folder


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Stand in for the TUI (and a terminal): record what it would be started with."""
    calls: list[dict] = []
    monkeypatch.setattr(tutor.cli, "_is_terminal", lambda stream: True)
    monkeypatch.setattr("tutor.ui.launch.run_tutor", lambda **kwargs: calls.append(kwargs) or 0)
    return calls


def cli(*args: str, cwd: Path = ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        input: str | None = None) -> subprocess.CompletedProcess:
    """The real entry point in a child; the timeout turns a spinning TUI into a failure."""
    streams = {"input": input} if input is not None else {"stdin": stdin}
    return subprocess.run([sys.executable, "-m", "tutor.cli", *args], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, **streams)


# -- (a) a word that is neither a subcommand nor a course ----------------------


def test_a_mistyped_subcommand_is_named_with_the_closest_one_and_the_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, launched: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert nntutor(["outline-typo"]) == 2
    assert capsys.readouterr().err == (
        "nntutor: 'outline-typo' is neither a subcommand nor a course folder: not a folder: outline-typo does not exist\n"
        f"Did you mean `nntutor outline`? {SUBCOMMANDS}\n"
    )
    assert launched == []


def test_a_folder_without_lessons_is_not_a_course(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, launched: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    """`nntutor bench` in a checkout: bench/ is a folder, with a README.md but no lessons (`nntutor engine`,
    the issue's example, is now the catalogue subcommand)."""
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "README.md").write_text("# The benches\n", encoding="utf-8")
    (tmp_path / "bench" / "value.py").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert nntutor(["bench"]) == 2
    assert capsys.readouterr().err == (
        "nntutor: 'bench' is neither a subcommand nor a course folder: bench is a folder but holds no "
        "lesson files (*.md other than README.md), so it is not a course\n"
        f"{SUBCOMMANDS}\n"
    )
    assert nntutor([str(tmp_path / "bench")]) == 2  # as a path, only what is wrong with it
    assert capsys.readouterr().err == (
        f"nntutor: {tmp_path / 'bench'} is a folder but holds no lesson files (*.md other than README.md), "
        "so it is not a course\n"
    )
    assert nntutor([str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err == f"nntutor: not a folder: {tmp_path / 'missing'} does not exist\n"
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    assert nntutor(["--watch", str(tmp_path / "notes.txt")]) == 2
    assert capsys.readouterr().err == (
        f"nntutor: {tmp_path / 'notes.txt'} is a file, not a course folder or a lesson file (*.md)\n"
    )
    assert launched == []


def test_an_unknown_word_never_starts_the_tutor_through_the_real_entry(tmp_path: Path) -> None:
    (tmp_path / "bench").mkdir()
    for word in ("outline-typo", "bench"):
        result = cli(word, cwd=tmp_path)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.startswith(f"nntutor: {word!r} is neither a subcommand nor a course folder: ")
        assert result.stderr.endswith(f"{SUBCOMMANDS}\n")


def test_a_course_folder_with_lessons_still_starts_the_tutor(course: Path, launched: list[dict]) -> None:
    assert nntutor([str(course), "--progress", "p.db"]) == 0
    assert launched == [{**NO_OPTIONS, "course": str(course), "progress": "p.db"}]
    assert nntutor([]) == 0 and launched[-1]["course"] is None  # the built-in course


# -- (b) no terminal ------------------------------------------------------------


def test_without_a_terminal_it_says_so_and_exits_2() -> None:
    """A pipe on both ends (a script, CI): one line, exit 2, no escape codes."""
    result = cli()
    assert (result.returncode, result.stdout, result.stderr) == (2, "", NEEDS_TERMINAL)


@pytest.mark.parametrize("terminal_end", ["stdin", "stdout"])
def test_one_end_a_terminal_is_not_enough(terminal_end: str, course: Path) -> None:
    """`nntutor < answers.txt` or `nntutor | less`: the TUI would read or draw nowhere."""
    leader, follower = pty.openpty()
    try:
        ends = {"stdin": follower} if terminal_end == "stdin" else {"stdout": follower}
        result = cli(str(course), **ends)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2 and result.stderr == NEEDS_TERMINAL


def test_headless_commands_still_work_without_a_terminal(course: Path) -> None:
    result = cli("outline", str(course))
    assert result.returncode == 0 and result.stdout.startswith(f"{course}: 1 lesson\n"), result.stderr
    assert cli("--version").stdout.startswith("nntutor ")


# -- (c) a lesson file where a course folder is expected ---------------------------


def test_a_lesson_file_stands_for_its_folder(course: Path, launched: list[dict],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    lesson = course / "01-valid.md"
    assert nntutor([str(lesson)]) == 0
    assert nntutor(["--watch", str(lesson)]) == 0
    assert launched == [{**NO_OPTIONS, "course": str(course), "open_exercise": "valid"},
                        {**NO_OPTIONS, "watch": str(lesson)}]
    assert nntutor(["outline", str(lesson)]) == 0
    assert capsys.readouterr().out == (
        f"{course}: 1 lesson\n"
        "  1. valid  A valid lesson\n"
        "       valid/z  number\n"
    )
    assert "a lesson file (*.md) in one: its folder is the course and the tutor opens on that lesson" in _help(
        ["--help"], capsys)
    assert "a lesson file in one, which stands for its folder" in _help(["outline", "--help"], capsys)


def test_a_readme_or_a_broken_lesson_opens_the_course_where_the_learner_left_off(
    course: Path, launched: list[dict]
) -> None:
    (course / "README.md").write_text("# notes\n", encoding="utf-8")
    (course / "02-broken.md").write_text("+++\nid = \n+++\n", encoding="utf-8")
    assert nntutor([str(course / "README.md")]) == 0
    assert nntutor([str(course / "02-broken.md")]) == 0
    assert nntutor([str(course / "01-valid.md"), "--open", "valid/z"]) == 0  # --open wins
    assert launched == [{**NO_OPTIONS, "course": str(course)}, {**NO_OPTIONS, "course": str(course)},
                        {**NO_OPTIONS, "course": str(course), "open_exercise": "valid/z"}]


def test_a_readme_outside_a_course_says_its_folder_holds_no_lessons(
    tmp_path: Path, launched: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# notes\n", encoding="utf-8")
    assert nntutor([str(readme)]) == 2
    assert capsys.readouterr().err == (
        f"nntutor: {readme} is not in a course: its folder {tmp_path.resolve()} holds no lesson files "
        "(*.md other than README.md), so it is not a course\n"
    )
    assert launched == []


def test_check_takes_a_lesson_file_as_its_course(course: Path) -> None:
    result = cli("check", "valid/z", "--course", str(course / "01-valid.md"), input="5\n")
    assert (result.returncode, result.stdout) == (0, "PASS: Correct: 5.\n"), result.stderr


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    try:
        assert nntutor(argv) == 0  # subcommands return
    except SystemExit as exit_:  # the tutor's own parser exits
        assert exit_.code == 0
    return " ".join(capsys.readouterr().out.split())


# -- (d) check says which course it searched ------------------------------------


def test_check_names_the_builtin_course_when_the_exercise_is_not_there(tmp_path: Path) -> None:
    from tutor.course.loader import load_course

    course = load_course()
    builtin = course.root
    lessons = ", ".join(lesson.id for lesson in course.lessons)
    neuron = ", ".join(exercise.id for exercise in course.lesson("neuron").exercises)
    result = cli("check", "relu/output", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"nntutor check: no exercise relu/output in the built-in course ({builtin}): it has no lesson 'relu' "
        f"(lessons: {lessons}); pass --course DIR to check a course of your own\n"
    )
    result = cli("check", "neuron/nope", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"nntutor check: no exercise neuron/nope in the built-in course ({builtin}): lesson 'neuron' has "
        f"exercises {neuron}; pass --course DIR to check a course "
        "of your own\n"
    )


def test_check_with_course_names_that_folder(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert nntutor(["check", "relu/output", "--course", str(course)]) == 2
    assert capsys.readouterr().err == f"nntutor check: no lesson 'relu' in {course} (lessons: valid)\n"
    assert nntutor(["check", "valid/z", "--course", str(course.parent)]) == 2
    assert capsys.readouterr().err == (
        f"nntutor check: --course {course.parent} is a folder but holds no lesson files (*.md other than "
        "README.md), so it is not a course\n"
    )


# -- (d) standard error sent elsewhere ------------------------------------------


def test_stderr_sent_to_a_file_leaves_the_tutor_on_the_terminal(course: Path, tmp_path: Path) -> None:
    """`nntutor 2>log.txt`: Textual draws on fd 2, so without care the screen went
    into the log and the terminal stayed blank."""
    import fcntl
    import select
    import struct
    import termios
    import time

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    log = tmp_path / "stderr.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
    with log.open("wb") as err:
        tutor = subprocess.Popen(
            [sys.executable, "-m", "tutor.cli", str(course), "--progress", str(tmp_path / "progress"),
             "--workspace", str(tmp_path / "workspace")],
            stdin=follower, stdout=follower, stderr=err, env=env, cwd=tmp_path, start_new_session=True)
    os.close(follower)
    drawn = b""
    try:
        deadline = time.monotonic() + 60
        while b"A valid lesson" not in drawn and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1.0)
            if ready:
                try:
                    drawn += os.read(leader, 65536)
                except OSError:  # the tutor is gone
                    break
        os.write(leader, b"\x11")  # Ctrl+Q
        while tutor.poll() is None and time.monotonic() < deadline + 30:
            if select.select([leader], [], [], 0.5)[0]:
                try:
                    os.read(leader, 65536)
                except OSError:
                    break
        tutor.wait(timeout=30)
    finally:
        if tutor.poll() is None:
            tutor.kill()
        os.close(leader)
    assert b"A valid lesson" in drawn, drawn[-2000:]
    assert tutor.returncode == 0
    assert "\x1b[" not in log.read_text(encoding="utf-8", errors="replace")
