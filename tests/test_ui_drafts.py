"""Drafts as workspace files, your own editor, --open, and the verdict path as
messages: through the real loader, checker, sandbox, progress store and disk."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from textual.widgets import TextArea

from tutor.ui.messages import DraftFileChanged, VerdictReady
from tutor.ui.navigation import Spot
from tutor.progress.store import ProgressStore
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.widgets.answers import AnswerWidget
from tutor.ui.widgets.feedback import FeedbackPanel
from uikit import SIGMOID_SOLUTION, flow, widget_text

IMPLEMENT = "neuron/implement"


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, condition, seconds: float = 30.0, message=lambda: "") -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), message()


def feedback(app) -> str:
    return widget_text(app.screen.query_one("#feedback", FeedbackPanel))


def code(app) -> str:
    return app.screen.query_one("#answer-code", TextArea).text


async def test_a_submission_flows_as_messages_and_is_recorded_once_off_the_ui_thread(started_tutor, messages,
                                                                                     monkeypatch):
    from tutor.progress.store import ProgressStore

    calls: list[tuple[str, str]] = []
    for name in ("record_answer", "record_attempt"):
        original = getattr(ProgressStore, name)

        def counted(self, qualified_id, *args, _name=name, _original=original, **kwargs):
            calls.append((_name, qualified_id))
            return _original(self, qualified_id, *args, **kwargs)

        monkeypatch.setattr(ProgressStore, name, counted)
    save_threads: list[threading.Thread] = []
    original_save = ProgressStore.save

    def save(self):
        save_threads.append(threading.current_thread())
        return original_save(self)

    monkeypatch.setattr(ProgressStore, "save", save)

    async with started_tutor(open_exercise="neuron/weighted-sum") as (app, pilot):
        assert app.screen.exercise.id == "weighted-sum"
        calls.clear()
        messages.clear()
        await pilot.press("5", "enter")
        await settle(app, pilot)
        assert feedback(app).startswith("✓ Correct")
        seen = flow(messages, AnswerWidget.Submitted, VerdictReady)
        assert seen == ["Submitted", "VerdictReady"]
        ready = next(message for message in messages if isinstance(message, VerdictReady))
        assert ready.attempt.verdict.passed and ready.attempt.answer == "5"
        assert ready.attempt.progress.attempts == 1 and ready.attempt.progress.passed
        # typing "5" keeps the draft once; the submission records the attempt once
        assert calls == [("record_answer", "neuron/weighted-sum"), ("record_attempt", "neuron/weighted-sum")]
        app.saver.flush()
        assert save_threads and threading.main_thread() not in save_threads
    saved = ProgressStore.open(app.store.path, read_only=True).exercise("neuron/weighted-sum")  # as on disk
    assert (saved.answer, saved.attempts, saved.hints, saved.passed, saved.solution_seen) == ("5", 1, 0, True, False)


def editor_script(tmp_path: Path, body: str) -> Path:
    """An executable "editor": it is called with the draft file's path, like vi would be."""
    script = tmp_path / "fake-editor"
    script.write_text(f"#!{sys.executable}\nimport sys\npath = sys.argv[-1]\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


async def test_ctrl_e_edits_the_draft_in_editor_and_checks_it(started_tutor, messages, workspace, tmp_path,
                                                               monkeypatch):
    seen = tmp_path / "seen.py"
    script = editor_script(tmp_path, textwrap.dedent(f'''\
        text = open(path).read()
        open({str(seen)!r}, "w").write(text)  # what the editor was given
        open(path, "w").write({SIGMOID_SOLUTION!r})
        '''))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{script} --wait")  # an editor command with its own argument
    async with started_tutor(open_exercise=IMPLEMENT) as (app, pilot):
        assert isinstance(app.screen, LessonScreen) and app.screen.exercise.id == "implement"
        await pilot.pause()
        await pilot.press("ctrl+home")
        await pilot.press("#", "space", "m", "i", "n", "e", "enter")  # typed, not yet saved
        messages.clear()
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        await until(pilot, lambda: feedback(app).startswith("✓"), message=lambda: (feedback(app), code(app)))
        assert seen.read_text().startswith("# mine\nimport numpy")  # the editor got the draft as typed
        assert code(app) == SIGMOID_SOLUTION  # the editor's version is back in the tutor
        assert flow(messages, AnswerWidget.Submitted, VerdictReady) == ["Submitted", "VerdictReady"]
        assert app.store.exercise(IMPLEMENT).passed
    assert (workspace / "neuron" / "implement.py").read_text() == SIGMOID_SOLUTION


async def test_ctrl_e_without_an_editor_says_what_to_set(started_tutor, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    async with started_tutor(open_exercise=IMPLEMENT) as (app, pilot):
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert any("Set $VISUAL or $EDITOR" in notice.message for notice in app._notifications)
        assert app.store.exercise(IMPLEMENT).attempts == 0


async def test_a_save_from_another_program_reloads_and_checks_without_a_key(started_tutor, messages, workspace):
    async with started_tutor(open_exercise=IMPLEMENT) as (app, pilot):
        draft = workspace / "neuron" / "implement.py"
        assert draft.read_text() == code(app)  # the starter is on disk for any editor to open
        messages.clear()
        subprocess.run([sys.executable, "-c", f"open({str(draft)!r}, 'w').write({SIGMOID_SOLUTION!r})"], check=True)
        await until(pilot, lambda: feedback(app).startswith("✓"))
        assert code(app) == SIGMOID_SOLUTION
        assert flow(messages, DraftFileChanged, AnswerWidget.Submitted, VerdictReady) == \
            ["DraftFileChanged", "Submitted", "VerdictReady"]
        assert app.store.exercise(IMPLEMENT).passed


async def test_typing_writes_the_workspace_file_and_the_tutor_does_not_reload_its_own_write(
        started_tutor, messages, workspace):
    async with started_tutor(open_exercise=IMPLEMENT) as (app, pilot):
        await pilot.pause()
        await pilot.press("ctrl+home")
        await pilot.press("#", "space", "x", "enter")
        await pilot.pause(0.1)
        app.saver.flush()
        draft = workspace / "neuron" / "implement.py"
        assert draft.read_text() == code(app) and draft.read_text().startswith("# x\nimport numpy")
        await pilot.pause(0.8)  # several polls of the watcher
        assert not flow(messages, DraftFileChanged)
        assert app.store.exercise(IMPLEMENT).attempts == 0
        assert not list(draft.parent.glob("*.tmp"))


async def test_open_starts_on_the_exercise_and_an_unknown_one_is_named(started_tutor):
    async with started_tutor(open_exercise="neuron/bias-role") as (app, pilot):
        assert isinstance(app.screen, LessonScreen) and app.screen.exercise.id == "bias-role"
    async with started_tutor(open_exercise="neuron/nope") as (app, pilot):
        assert app.screen.exercise.id == "bias-role"  # named, then resumed where the learner was
        assert any("--open neuron/nope: no such lesson/exercise" in notice.message for notice in app._notifications)


async def test_code_drafts_of_older_progress_move_to_the_workspace(started_tutor, progress, workspace):
    old_draft = "import numpy as np\n\ndef sigmoid(z):\n    return 0.5  # from before the workspace\n"
    progress.write_text(json.dumps({"schema": 2, "revision": 3, "position": None, "exercises": {
        IMPLEMENT: {"answer": old_draft, "attempts": 2, "hints": 1, "passed": False, "solution_seen": False},
        "neuron/weighted-sum": {"answer": "7", "attempts": 1, "hints": 0, "passed": False, "solution_seen": False},
    }}))
    async with started_tutor() as (app, pilot):
        await settle(app, pilot)
        app.saver.flush()
        assert (workspace / "neuron" / "implement.py").read_text() == old_draft
        saved = ProgressStore.open(progress, read_only=True)  # as on disk, migrated into the database
        code_progress = saved.exercise(IMPLEMENT)
        assert (code_progress.answer, code_progress.attempts, code_progress.hints) == (None, 2, 1)
        assert saved.exercise("neuron/weighted-sum").answer == "7"  # not code: stays in the progress
        app.open_spot(Spot(0, 2))
        await settle(app, pilot)
        assert code(app) == old_draft


def test_workspace_is_in_the_cli_help_and_doctor(tmp_path, capsys):
    from tutor.sandbox import doctor

    out = subprocess.run([sys.executable, "-m", "tutor", "--help"], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, env={**os.environ, "COLUMNS": "100"})
    assert "--workspace DIR" in out.stdout and "--open LESSON/EXERCISE" in out.stdout
    doctor.main(["--json", "--workspace", str(tmp_path / "mine")])
    assert json.loads(capsys.readouterr().out)["files"]["workspace (your code drafts)"] == str(tmp_path / "mine")
    doctor.main([])
    assert f"workspace (your code drafts): {os.environ['XDG_DATA_HOME']}/nntutor/workspace" in capsys.readouterr().out


async def test_the_help_screen_names_the_workspace_and_ctrl_e(started_tutor, workspace):
    from tutor.ui.screens.help import HelpScreen

    async with started_tutor(open_exercise=IMPLEMENT) as (app, pilot):
        app.action_help()  # (what F1 does)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert widget_text(app.screen.query_one("#help-workspace")).startswith(
            f"Your code drafts: {workspace}/LESSON/EXERCISE.py\nSave one in any editor")
        assert "Ctrl+E" in widget_text(app.screen.query("Static")[1])
