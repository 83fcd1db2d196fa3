"""An attempt: an answer handed in, judged, and recorded once.

This is the one place that says what happens when a learner submits: the
checker judges the answer (a checker that raises costs a verdict, not the
session), the progress counts the attempt and logs it (or, for an answer that
could not be judged, keeps only the draft), and the save is asked of the
background saver, which first moves the exercise's spaced-review card with the
attempt's rating (tutor.practice.schedule) so that never delays the verdict.
It runs in the check worker's thread, so nothing here ever blocks the UI;
the UI only shows the `Attempt` it returns.

Headless: never imports textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from tutor.progress.drafts import Answer, Drafts, in_workspace
from tutor.progress.store import AttemptRecord, ExerciseProgress, ProgressStore

if TYPE_CHECKING:
    from tutor.checking.verdict import Verdict
    from tutor.course.model import Exercise

Checker = Callable[["Exercise", Any], "Verdict"]


@dataclass(frozen=True)
class Attempt:
    """What the UI needs to show one judged answer."""

    exercise: Exercise
    answer: Answer
    verdict: Verdict
    progress: ExerciseProgress  # the exercise's progress with this attempt counted
    problem: str | None = None  # why the attempt could not be recorded, if it could not

    @property
    def counted(self) -> bool:
        """Whether it counted as an attempt (an answer that could not be judged does not)."""
        return self.verdict.status != "error"


def judge(exercise: Exercise, answer: Answer, checker: Checker) -> Verdict:
    """The checker's verdict; a checker bug becomes an "error" verdict that says so."""
    from tutor.checking.verdict import Verdict

    try:
        return checker(exercise, answer)
    except Exception as error:
        return Verdict("error", f"The checker failed: {type(error).__name__}: {error}")


def move_review_card(store: ProgressStore, exercise: Exercise, record: AttemptRecord | None) -> None:
    """The exercise's spaced-review card after the attempt `record` (fsrs is
    imported on first use, which is why this waits for the saver's thread)."""
    from tutor.practice.schedule import review_attempt

    review_attempt(store, exercise, attempt=record)


def attempt(exercise: Exercise, answer: Answer, *, checker: Checker, drafts: Drafts,
            announce: Callable[[Attempt], None] | None = None) -> Attempt:
    """Judge `answer` and record it, once. Blocking (the checker runs learner
    code in the sandbox): call it from a worker thread.

    `announce(attempt)` is called as soon as the attempt is counted (in memory),
    before its draft file and its save are asked for, so the learner sees the
    verdict without waiting for the saver thread they wake; and once more, with
    `problem` set, if recording it fails after that."""
    verdict = judge(exercise, answer, checker)
    tell = announce or (lambda result: None)
    try:
        return _record(exercise, answer, verdict, drafts, tell)
    except Exception as error:  # a store, disk or install failure costs the record, never the verdict
        try:
            progress = drafts.store.exercise(exercise.qualified_id)
        except Exception:
            progress = ExerciseProgress()
        result = Attempt(exercise, answer, verdict, progress,
                         problem=f"This attempt could not be recorded ({type(error).__name__}: {error}).")
        tell(result)
        return result


def _record(exercise: Exercise, answer: Answer, verdict: Verdict, drafts: Drafts,
            tell: Callable[[Attempt], None]) -> Attempt:
    code = in_workspace(exercise)
    store = drafts.store
    counted = verdict.status != "error"
    record = None
    if counted:  # (other drafts were kept as typed; a prediction stays as made)
        progress = store.record_attempt(exercise.qualified_id, None if code else answer, verdict.passed,
                                        seed=verdict.values.get("seed"), prediction=exercise.kind == "predict",
                                        output=verdict.output or None, status=verdict.status,
                                        mistake=verdict.values.get("mistake"),
                                        variant_seed=getattr(exercise, "variant_seed", None),
                                        handed_in=answer if code else None)
        record = store.latest_attempt(exercise.qualified_id)
    else:
        progress = store.exercise(exercise.qualified_id)
    result = Attempt(exercise, answer, verdict, progress)
    tell(result)
    if code:
        drafts.put(exercise, answer)  # the file holds what was handed in, judged or not
    if counted:
        # its review card moves with this attempt's rating, on the saver's thread before the save
        drafts.saver.save_progress(before=lambda: move_review_card(store, exercise, record))
    else:
        drafts.saver.save_progress()
    return result
