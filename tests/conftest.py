"""Suite-wide isolation: no test reads or writes the developer's own data.

Each test session gets its own home for nntutor's caches and data, so the
outline index or a progress file from a real session can never change a
result. In CI, hypothesis runs derandomized so that a run is repeatable; locally
it keeps searching with fresh examples.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import settings

_HOME = tempfile.mkdtemp(prefix="nntutor-tests-")
os.environ.setdefault("NNTUTOR_CACHE_DIR", os.path.join(_HOME, "cache"))
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
os.environ["XDG_CACHE_HOME"] = os.path.join(_HOME, "cache-home")

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def own_data_directory(tmp_path_factory, monkeypatch):
    """Each test its own user data directory: the default workspace of code drafts
    lives there, and two tests must never share a draft file."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))


# -- the UI tests' set-up ------------------------------------------------------------
# A course folder in the real lesson format, a progress file, a workspace of code
# drafts, and a tutor app on them, so each UI test says only what it does.


@pytest.fixture
def course(tmp_path):
    from uikit import write_course

    return write_course(tmp_path / "course")


@pytest.fixture
def progress(tmp_path):
    return tmp_path / "progress.json"


@pytest.fixture
def workspace(tmp_path):
    return tmp_path / "workspace"


@pytest.fixture
def make_tutor(course, progress, workspace):
    """`make_tutor(**kwargs)`: a TutorApp on the test course, progress and workspace
    (no warm sandbox worker unless asked: the checker starts one on first use).
    builtin=True: on the built-in course instead; a `course=` (a Course) or
    `watch=` argument names the course itself."""
    from tutor.app import TutorApp

    test_course = course

    def make(*, builtin: bool = False, **kwargs):
        if not (builtin or "course" in kwargs or "watch" in kwargs):
            kwargs.setdefault("course_path", test_course)
        kwargs.setdefault("progress_path", progress)
        kwargs.setdefault("workspace", workspace)
        kwargs.setdefault("start_sandbox", False)
        return TutorApp(**kwargs)

    return make


@pytest.fixture
def messages():
    """Every message the app handles, in order: pass `messages.append` as run_test's
    message_hook, then assert on the flow (harlequin's functional tests do the same).
    uikit.flow and uikit.posted read it."""
    return []


@pytest.fixture
def started_tutor(make_tutor, messages):
    """`async with started_tutor(**kwargs) as (app, pilot)`: the app (80x24 unless
    `size=` says otherwise) once the course is loaded and the tutor has resumed,
    its messages in `messages`. `at="lesson/exercise"` then opens that exercise;
    `builtin=True` starts on the built-in course; `notifications=True` shows toasts
    (run_test hides them); other keywords go to TutorApp."""
    import contextlib

    from uikit import open_at, started

    @contextlib.asynccontextmanager
    async def start(size=(80, 24), at: str | None = None, notifications: bool = False, **kwargs):
        app = make_tutor(**kwargs)
        async with app.run_test(size=size, message_hook=messages.append, notifications=notifications) as pilot:
            await started(app, pilot)
            if at is not None:
                await open_at(app, pilot, at)
            yield app, pilot

    return start


@pytest.fixture
def builtin_tutor(started_tutor):
    """`async with builtin_tutor(**kwargs) as (app, pilot)`: started_tutor on the
    built-in course (its own progress and workspace still the test's)."""

    def start(**kwargs):
        return started_tutor(builtin=True, **kwargs)

    return start
