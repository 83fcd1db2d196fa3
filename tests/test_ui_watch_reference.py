"""Author mode watches a course's reference.py too: saving it re-lints the lessons that name it."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from tutor.ui.messages import LintFound
from uikit import until

LEAKY = Path(__file__).parent / "fixtures" / "courses" / "leaky"


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 5  # a new mtime even on a coarse clock
    os.utime(path, (stamp, stamp))


async def test_a_reference_broken_on_save_reaches_its_lessons_findings(tmp_path, started_tutor, messages):
    course = tmp_path / "leaky"
    shutil.copytree(LEAKY, course)
    lesson_file = course / "01-leaky-relu.md"
    reference = course / "reference.py"
    async with started_tutor(course_path=course, watch=course) as (app, pilot):
        await app.workers.wait_for_complete()
        assert app.problems_for(lesson_file) == []
        source = reference.read_text(encoding="utf-8")
        save(reference, source.replace("    z = np.asarray(z, dtype=float)\n    return np.where",
                                        "    raise ValueError('not yet')\n    return np.where"))
        await until(pilot, lambda: any(isinstance(m, LintFound) and m.path == lesson_file for m in messages),
                    timeout=60, message=lambda: "saving reference.py never re-linted the lesson")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ("01-leaky-relu.md:18: course function 'leaky_relu' (reference.py:11) raised ValueError at "
                "reference.py:13: not yet") in app.problems_for(lesson_file)
