"""Spaced review: FSRS cards rated from attempts, the due queue, concepts, `nntutor review`."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tutor.checking.verdict import Verdict
from tutor.cli import main as nntutor
from tutor.course.loader import load_course
from tutor.practice import schedule
from tutor.practice.schedule import AGAIN, GOOD, HARD, concept_states, due_items, rate, review_attempt
from tutor.progress.attempt import attempt
from tutor.progress.drafts import Drafts
from tutor.progress.saver import BackgroundSaver
from tutor.progress.store import ProgressStore
from tutor.progress.workspace import Workspace

COURSE = load_course()
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path):
    store = ProgressStore.open(tmp_path / "progress.sqlite3")
    yield store
    store.close()


def tries(store: ProgressStore, qid: str, *passes: bool, at: datetime = T0) -> schedule.ReviewState:
    """Attempts of `qid` as the attempt path makes them: each recorded, then its card moved."""
    state = None
    for passed in passes:
        store.record_attempt(qid, "x", passed)
        state = review_attempt(store, COURSE.exercise(qid), now=at)
    return state


def test_a_pass_is_due_later_than_a_fail(store) -> None:
    passed = tries(store, "neuron/weighted-sum", True)
    failed = tries(store, "neuron/output", False)
    assert (passed.rating, passed.reason) == (GOOD, "first-try")
    assert (failed.rating, failed.reason) == (AGAIN, "failed")
    assert T0 < failed.due < passed.due


def test_passes_space_a_card_further_each_time_and_a_fail_brings_it_back_sooner(store) -> None:
    qid, gaps = "neuron/weighted-sum", []
    state = tries(store, qid, True)
    for _ in range(3):  # each review done on the day it is due, recalled first try
        gaps.append(state.due - state.reviewed_at)
        state = tries(store, qid, True, at=state.due)
    gaps.append(state.due - state.reviewed_at)
    assert gaps == sorted(gaps) and gaps[0] < gaps[-1] and len(set(gaps)) == 4
    lapse = tries(store, qid, False, at=state.due)
    assert lapse.due - lapse.reviewed_at < gaps[-1]  # a lapse: sooner than the last gap
    assert lapse.card["stability"] < state.card["stability"]
    relearned = tries(store, qid, True, at=lapse.due)  # passed after the failed try: Hard, not Good
    assert (relearned.rating, relearned.reason) == (HARD, "retries")
    assert lapse.due < relearned.due


def test_the_rating_says_how_the_attempt_went(store) -> None:
    exercise = COURSE.exercise("neuron/weighted-sum")
    qid = exercise.qualified_id

    def last() -> tuple[int, str]:
        return rate(store.attempts(qid))

    store.record_attempt(qid, "4", False)
    assert last() == (AGAIN, "failed")
    store.record_attempt(qid, "5", True)
    assert last() == (HARD, "retries")  # passed, after a failed try in the same round
    store.record_attempt(qid, "5", True)
    assert last() == (GOOD, "first-try")  # a new round
    store.reveal_hint(qid, available=2)
    store.record_attempt(qid, "5", True)
    assert last() == (HARD, "hints")
    store.record_attempt(qid, "5", True)
    assert last() == (GOOD, "first-try")  # the hint was taken in an earlier round: it counts no more
    store.mark_solution_seen(qid)
    store.record_attempt(qid, "5", True)
    assert last() == (AGAIN, "solution")
    store.record_attempt(qid, "5", True)
    assert last() == (GOOD, "first-try")


def test_help_taken_again_in_a_review_counts_though_it_was_shown_before(store) -> None:
    """The first visit used every hint and the solution; a review asks afresh, so
    the store's hint count (capped, as shown) stays, but the help is counted."""
    qid = "neuron/weighted-sum"
    for _ in range(2):
        store.reveal_hint(qid, available=2)
    store.mark_solution_seen(qid)
    store.record_attempt(qid, "5", True)
    assert rate(store.attempts(qid)) == (AGAIN, "solution")
    store.record_attempt(qid, "5", True)
    assert rate(store.attempts(qid)) == (GOOD, "first-try")  # nothing asked for this time
    assert store.reveal_hint(qid, available=2) == 2  # all were shown already...
    store.record_attempt(qid, "4", False)
    store.record_attempt(qid, "5", True)
    assert rate(store.attempts(qid)) == (HARD, "hints")  # ...yet this round asked for one
    store.mark_solution_seen(qid)
    store.record_attempt(qid, "5", True)
    assert rate(store.attempts(qid)) == (AGAIN, "solution")
    assert [record.hints for record in store.attempts(qid)] == [2, 0, 1, 0, 0]


def test_the_attempt_path_moves_the_card_and_the_card_is_saved(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore.open(path)
    workspace = Workspace(tmp_path / "ws")
    drafts = Drafts(store, workspace, BackgroundSaver(store, workspace.write))
    exercise = COURSE.exercise("neuron/weighted-sum")
    wrong = Verdict("fail", "You left out the bias.", values={"mistake": "You left out the bias."})
    attempt(exercise, "7", checker=lambda exercise, answer: wrong, drafts=drafts)
    drafts.saver.flush()  # the card moves on the saver's thread, before the save
    failed = store.review_state(exercise.qualified_id)
    attempt(exercise, "5", checker=lambda exercise, answer: Verdict("pass", "Correct: 5."), drafts=drafts)
    drafts.saver.flush()
    passed = store.review_state(exercise.qualified_id)
    assert (failed.reason, passed.reason) == ("failed", "retries")
    error = Verdict("error", "Not a number.")
    attempt(exercise, "five", checker=lambda exercise, answer: error, drafts=drafts)  # not counted: no review
    drafts.saver.flush()
    assert store.review_state(exercise.qualified_id) == passed
    drafts.saver.close()
    store.close()
    again = ProgressStore.open(path)
    assert again.review_state(exercise.qualified_id) == passed
    log = again.attempts(exercise.qualified_id)
    assert [(record.status, record.mistake) for record in log] == [("fail", "You left out the bias."),
                                                                    ("pass", None)]
    again.close()


def test_each_attempt_is_rated_alone_even_when_the_saver_runs_late(tmp_path: Path) -> None:
    """Two attempts recorded before the saver's thread gets to the first: each
    card move is rated from the attempts up to its own (fail, then retries)."""
    store = ProgressStore.open(tmp_path / "progress.sqlite3")
    workspace = Workspace(tmp_path / "ws")
    saver = BackgroundSaver(store, workspace.write)
    saver._closed = True  # (no thread: what was asked runs at the next request, in order)
    saver._wake = lambda: None
    drafts = Drafts(store, workspace, saver)
    exercise = COURSE.exercise("neuron/weighted-sum")
    attempt(exercise, "7", checker=lambda exercise, answer: Verdict("fail", "Not yet."), drafts=drafts)
    attempt(exercise, "5", checker=lambda exercise, answer: Verdict("pass", "Correct: 5."), drafts=drafts)
    reviews = []
    original = store.set_review_state
    store.set_review_state = lambda qid, state: reviews.append(state.reason) or original(qid, state)
    with saver._condition:
        saver._run_pending_here()
    assert reviews == ["failed", "retries"]
    store.close()


def test_due_items_are_the_due_ones_most_overdue_first_lessons_mixed(store) -> None:
    tries(store, "neuron/weighted-sum", False, at=T0)
    tries(store, "neuron/output", False, at=T0 + timedelta(hours=1))
    tries(store, "neuron/bias-role", False, at=T0 + timedelta(hours=2))
    tries(store, "sigmoid/max-slope", False, at=T0 + timedelta(hours=3))
    tries(store, "logistic/guessing", True, at=T0)  # due later: a pass
    assert due_items(store, COURSE, now=T0 + timedelta(hours=12)) == []
    due = due_items(store, COURSE, now=T0 + timedelta(days=1, hours=4))
    assert [item.qualified_id for item in due] == [
        "neuron/weighted-sum", "sigmoid/max-slope", "neuron/output", "neuron/bias-role"]  # mixed, then in due order
    assert due[0].due == T0 + timedelta(days=1) and due[0].reason == "failed yesterday"
    assert [item.qualified_id for item in due_items(store, COURSE, now=T0 + timedelta(days=1, hours=4), limit=2)] == [
        "neuron/weighted-sum", "sigmoid/max-slope"]
    later = due_items(store, COURSE, now=T0 + timedelta(days=30))
    assert "logistic/guessing" in [item.qualified_id for item in later]
    assert next(item for item in later if item.qualified_id == "logistic/guessing").reason.startswith(
        "passed first try")


def test_progress_from_before_the_schedule_is_due_once_and_a_tune_never(store) -> None:
    store.record_attempt("neuron/weighted-sum", "5", True)  # migrated from JSON: no card
    tune = next(exercise for lesson in COURSE.lessons for exercise in lesson.exercises if exercise.kind == "tune")
    store.record_attempt(tune.qualified_id, {"rate": 1.0}, True)
    assert review_attempt(store, tune) is None
    due = due_items(store, COURSE, now=T0)
    assert [(item.qualified_id, item.reason) for item in due] == [
        ("neuron/weighted-sum", "done before reviews were scheduled")]
    store.record_attempt("gone/exercise", "1", False)  # no longer in the course: never due
    assert len(due_items(store, COURSE, now=T0)) == 1


def test_concept_states_follow_their_exercises(store) -> None:
    sums = [exercise for lesson in COURSE.lessons for exercise in lesson.exercises
            if "weighted sum" in exercise.concepts]
    assert len(sums) > 2
    assert concept_states(store, COURSE, now=T0)["weighted sum"] == "new"
    first = tries(store, sums[0].qualified_id, True)
    assert concept_states(store, COURSE, now=T0)["weighted sum"] == "learning"  # one done, others new
    for exercise in sums[1:]:
        store.record_attempt(exercise.qualified_id, "x", True, prediction=exercise.kind == "predict")
        review_attempt(store, exercise, now=T0)
    states = concept_states(store, COURSE, now=T0 + timedelta(hours=1))
    assert states["weighted sum"] == "solid" and states["chain rule"] == "new"
    assert concept_states(store, COURSE, now=first.due)["weighted sum"] == "due"
    tries(store, sums[0].qualified_id, False, at=T0 + timedelta(hours=2))
    assert concept_states(store, COURSE, now=T0 + timedelta(hours=3))["weighted sum"] == "learning"
    assert set(states.values()) <= set(schedule.CONCEPT_STATES)


def test_nntutor_review_lists_what_is_due_when_and_why(tmp_path: Path, capsys) -> None:
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore.open(path)
    now = datetime.now(timezone.utc)
    tries(store, "neuron/weighted-sum", False, at=now - timedelta(days=3))
    tries(store, "sigmoid/max-slope", True, True, at=now - timedelta(days=1))
    store.save()  # the tutor stays open, holding its lock: the listing reads beside it
    before = path.read_bytes()
    assert nntutor(["review", "--progress", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("1 exercise due for review:\n")
    assert "neuron/weighted-sum" in out and "failed 3 days ago" in out
    assert "Coming up:\n  sigmoid/max-slope" in out and "passed first try yesterday" in out
    assert nntutor(["review", "--progress", str(path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [item["exercise"] for item in listed["due"]] == ["neuron/weighted-sum"]
    assert datetime.fromisoformat(listed["due"][0]["due"]) == now - timedelta(days=2)
    assert path.read_bytes() == before  # read-only: nothing written
    store.close()


def test_nntutor_review_without_progress_says_so_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none" / "progress.sqlite3"
    run = subprocess.run([sys.executable, "-m", "tutor", "review", "--progress", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Nothing to review yet") and not path.parent.exists()
    assert "review" in subprocess.run([sys.executable, "-m", "tutor", "--help"], capture_output=True,
                                      text=True).stdout
