"""How long a 1,000-lesson course takes to list, against the start-up of Textual.

Issue 3's goal: listing the outline of a course of 1,000 lesson files costs
under 10% of the tutor's start-up, measured here (in the same run, on the same
machine) as the wall time of a bare `python -c "import textual.app"`.

The lessons are the built-in ones, copied with fresh ids and orders, so each
file is as long and as rich as a real lesson. Also printed, for information:
the full validating load of the same course (what `nntutor lint` and the
tutor's lesson screen do, lesson by lesson, on demand).

Listing is measured twice: cold (no header index: every file is read, the
first start after installing or editing the whole course) and warm (the index
of tutor.course.outline_cache answers for unchanged files, every later start).
The generated files are dated a minute back, like an installed course; files
changed in the last two seconds are never indexed.

Run: .venv/bin/python bench/course.py [--lessons 1000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.course.loader import lesson_files, load_course, load_outline  # noqa: E402
from tutor.course.outline_cache import CACHE_ENV  # noqa: E402

GOAL = 0.10


def write_course(folder: Path, count: int) -> None:
    """`count` lesson files made from the built-in lessons, each with its own id and order."""
    sources = [path.read_text(encoding="utf-8") for path in lesson_files(ROOT / "lessons")]
    for index in range(count):
        text = sources[index % len(sources)]
        lesson_id = f"lesson-{index + 1:04d}"
        text = re.sub(r'(?m)^id = "[^"]*"', f'id = "{lesson_id}"', text, count=1)
        text = re.sub(r"(?m)^order = \d+", f"order = {index + 1}", text, count=1)
        path = folder / f"{index + 1:04d}-{lesson_id}.md"
        path.write_text(text, encoding="utf-8")
        a_minute_ago = time.time_ns() - 60 * 10**9
        os.utime(path, ns=(a_minute_ago, a_minute_ago))


def timed(function, repeat: int) -> float:
    """Median wall time of `repeat` calls, after one warm-up call."""
    function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def python_startup(code: str, repeat: int) -> float:
    """Median wall time of a fresh interpreter running `code`."""
    return timed(lambda: subprocess.run([sys.executable, "-c", code], check=True), repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as temp, tempfile.TemporaryDirectory() as cache:
        folder = Path(temp) / "course"
        folder.mkdir()
        write_course(folder, options.lessons)
        size = sum(path.stat().st_size for path in folder.iterdir())

        os.environ[CACHE_ENV] = ""  # no index: every file is read
        headers = load_outline(folder)
        course = load_course(folder)
        assert len(headers) == options.lessons, f"outline listed {len(headers)} lessons"
        assert len(course.lessons) == options.lessons and not course.broken, course.broken[:1]
        assert [h.exercise_ids for h in headers] == [tuple(e.id for e in l.exercises) for l in course.lessons]
        cold_s = timed(lambda: load_outline(folder), options.repeat)
        full_s = timed(lambda: load_course(folder), max(1, options.repeat // 3))

        os.environ[CACHE_ENV] = cache  # the index, filled by the warm-up call
        outline_s = timed(lambda: load_outline(folder), options.repeat)
        assert load_outline(folder) == headers, "the index must give the same outline"

        bare_s = python_startup("pass", options.repeat)
        textual_s = python_startup("import textual.app", options.repeat)
        outline_process_s = python_startup(
            f"from tutor.course.loader import load_outline; load_outline(__import__('pathlib').Path({str(folder)!r}))",
            options.repeat,
        )

    ratio = outline_s / textual_s
    print(f"course: {options.lessons} lesson files, {size / 1e6:.1f} MB")
    print(f"bare python start-up:                 {bare_s * 1e3:8.1f} ms")
    print(f"python + import textual.app:          {textual_s * 1e3:8.1f} ms   (the baseline)")
    print(f"load_outline, cold (no index):        {cold_s * 1e3:8.1f} ms   ratio {cold_s / textual_s:.3f}")
    print(f"load_outline, warm (index):           {outline_s * 1e3:8.1f} ms   ratio {ratio:.3f}")
    print(f"python + import loader + warm outline:{outline_process_s * 1e3:8.1f} ms")
    print(f"load_course (full validation):        {full_s * 1e3:8.1f} ms   ratio {full_s / textual_s:.2f} (information)")
    print(f"goal: warm outline < {GOAL:.2f} of textual start-up: {'met' if ratio < GOAL else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
