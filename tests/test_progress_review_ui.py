"""Through the real tutor: an answer typed and submitted lands in the attempts
log and moves its exercise's review card, and `nntutor review` lists it."""

from __future__ import annotations

from datetime import timedelta

from tutor.cli import main as nntutor
from tutor.practice.schedule import due_items
from tutor.progress.store import ProgressStore


async def test_submissions_are_logged_and_scheduled(started_tutor, progress, capsys):
    async with started_tutor(open_exercise="neuron/weighted-sum") as (app, pilot):
        assert app.screen.exercise.id == "weighted-sum"
        await pilot.pause(0.3)  # time on the exercise: the first attempt's duration
        await pilot.press("7", "enter")  # the bias left out: a known mistake
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("backspace", "5", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.saver.flush()
        state = app.store.review_state("neuron/weighted-sum")
        assert (state.rating, state.reason) == (2, "retries")  # Hard: passed after a failed try
        course = app.course
    saved = ProgressStore.open(progress, read_only=True)
    wrong, right = saved.attempts("neuron/weighted-sum")
    assert (wrong.status, right.status) == ("fail", "pass")
    assert wrong.mistake and wrong.mistake.startswith("You left out the bias")
    assert right.mistake is None and wrong.answer_hash != right.answer_hash
    assert wrong.duration_s >= 0.3 and right.duration_s is not None
    assert wrong.variant_seed is None  # the first visit: the numbers as published
    assert saved.review_state("neuron/weighted-sum") == state
    assert due_items(saved, course, now=state.due - timedelta(minutes=1)) == []
    assert [item.qualified_id for item in due_items(saved, course, now=state.due)] == ["neuron/weighted-sum"]
    assert nntutor(["review", str(course.root), "--progress", str(progress)]) == 0
    assert "Coming up:\n  neuron/weighted-sum" in capsys.readouterr().out
