"""Whatever breaks while an answer is judged and recorded, the learner gets a
verdict, never "Checking…" for ever (a missing dependency once froze it)."""

from __future__ import annotations

import pytest

from tutor.progress.store import ProgressStore
from tutor.ui.messages import VerdictReady
from tutor.ui.widgets.feedback import FeedbackPanel
from uikit import posted, widget_text


async def submit_five(app, pilot) -> str:
    await pilot.press("enter")  # the outline's first lesson: neuron/weighted-sum
    await app.workers.wait_for_complete()
    await pilot.press("5", "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return widget_text(app.screen.query_one("#feedback", FeedbackPanel))


async def test_an_attempt_the_store_cannot_record_still_gets_its_verdict_and_says_so(
        started_tutor, messages, monkeypatch: pytest.MonkeyPatch):
    def broken(self, *args, **kwargs):
        raise ModuleNotFoundError("No module named 'fsrs'")

    monkeypatch.setattr(ProgressStore, "record_attempt", broken)
    said: list[tuple[str, str]] = []
    async with started_tutor() as (app, pilot):
        monkeypatch.setattr(app, "notify", lambda message, **kw: said.append((message, kw.get("severity", ""))))
        shown = await submit_five(app, pilot)
        assert shown.startswith("✓ Correct")
        [ready] = posted(messages, VerdictReady)
        assert ready.attempt.problem == ("This attempt could not be recorded "
                                         "(ModuleNotFoundError: No module named 'fsrs').")
        assert (ready.attempt.problem, "error") in said


async def test_an_attempt_path_that_raises_is_an_error_verdict_not_a_hang(
        started_tutor, messages, monkeypatch: pytest.MonkeyPatch):
    def raising(*args, **kwargs):
        raise RuntimeError("the attempt path broke")

    monkeypatch.setattr("tutor.progress.attempt.attempt", raising)
    async with started_tutor() as (app, pilot):
        shown = await submit_five(app, pilot)
        assert "This answer could not be checked: RuntimeError: the attempt path broke" in " ".join(shown.split())
        assert len(posted(messages, VerdictReady)) == 1
