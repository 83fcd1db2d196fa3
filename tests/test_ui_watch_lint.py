"""Author mode runs the whole of `nntutor lint` after each save (issue 15, item 4):
the fast checks at once, then every exercise through the checker in the
sandbox, each finding shown as it comes; and an edited starter reaches the
editor while the learner has not changed the draft."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tutor.lint import lint_paths
from tutor.ui.messages import LessonReloaded, LintFound
from tutor.ui.navigation import Spot
from tutor.ui.services import problem_line
from uikit import started, until, widget_text

BROKEN_SOLUTION = "    return 1.0 / (1.0 - np.exp(-z))"  # a minus for the plus


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 5  # a new mtime even on a coarse clock
    os.utime(path, (stamp, stamp))


def editor_text(app) -> str:
    """The code in the editor; "" while a reload re-mounts it (no editor for a moment)."""
    found = app.screen.query("TextArea")
    return found.first().text if found else ""


async def test_a_solution_broken_on_save_gets_lints_own_finding(course, started_tutor, messages):
    lesson_file = course / "01-neuron.md"
    original = lesson_file.read_text(encoding="utf-8")
    assert "    return 1.0 / (1.0 + np.exp(-z))" in original
    async with started_tutor(watch=course) as (app, pilot):
        await app.workers.wait_for_complete()  # the start-up lint of what it watches: clean
        assert app.problems_for(lesson_file) == []
        broken = original.replace("    return 1.0 / (1.0 + np.exp(-z))", BROKEN_SOLUTION)
        save(lesson_file, broken)
        await until(pilot, lambda: any(isinstance(m, LintFound) for m in messages), timeout=60, message=lambda: "no finding came")
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = [problem_line(problem) for problem in lint_paths([lesson_file])]
        assert expected and any("reference solution does not pass" in line for line in expected)
        assert app.problems_for(lesson_file) == expected  # what `nntutor lint` says, word for word
        reloaded = [m for m in messages if isinstance(m, LessonReloaded) and m.path == lesson_file]
        assert reloaded[-1].problems == []  # the fast checks found nothing: it was the checker
        app.open_spot(Spot(0, 0))
        await started(app, pilot)
        await pilot.pause()
        text = widget_text(app.screen.query_one("#problems-text"))
        assert text.startswith("This lesson loads, but lint found problems.")
        assert expected[0] in " ".join(text.split()) or expected[0] in text
        save(lesson_file, original)  # fixed: the findings go
        await until(pilot, lambda: app.problems_for(lesson_file) == [] and not app.screen.query_one("#problems").display,
                    timeout=60, message=lambda: "the fix did not clear the findings")


async def test_an_edited_starter_reaches_an_unchanged_draft_but_not_the_learners_code(course, started_tutor,
                                                                                         messages):
    lesson_file = course / "01-neuron.md"
    original = lesson_file.read_text(encoding="utf-8")

    def reloads() -> int:
        return sum(isinstance(m, LessonReloaded) and m.path == lesson_file for m in messages)

    async with started_tutor(watch=course) as (app, pilot):
        app.open_spot(Spot(0, 2))  # neuron/implement
        await started(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        editor = app.screen.query_one("TextArea")
        assert "    return z\n" in editor.text
        app.drafts.open_file(app.screen.exercise)  # the draft file exists, still the starter
        save(lesson_file, original.replace("    return z\n", "    return z  # your code here\n"))
        await until(pilot, lambda: "return z  # your code here" in editor_text(app),
                    timeout=60, message=lambda: "the edited starter never reached the editor")
        await app.workers.wait_for_complete()  # that save's checker pass too: the editor stays put now
        await pilot.pause()
        editor = app.screen.query_one("TextArea")
        editor.focus()
        editor.move_cursor((0, 0))
        await pilot.press(*"# mine", "enter")
        await pilot.pause(0.3)
        mine = editor.text
        before = reloads()
        save(lesson_file, original.replace("    return z\n", "    return 0 * z\n"))
        await until(pilot, lambda: reloads() > before, timeout=60, message=lambda: "the second save was never read")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await until(pilot, lambda: editor_text(app) != "", timeout=60, message=lambda: "the editor never came back")
        assert editor_text(app) == mine  # the learner's code stays theirs
