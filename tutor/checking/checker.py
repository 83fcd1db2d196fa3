"""The one entry point that judges an answer: exercise + answer in, verdict out.

The UI, `nntutor check` and lint all call `check`, so an answer judged in one
is judged the same in the others. Each exercise kind has its own module; this
one only dispatches and turns a broken lesson into an "error" verdict instead of
an exception in the caller.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Mapping

from tutor.checking.expected import LessonError
from tutor.checking.verdict import Verdict
from tutor.course.model import Exercise

if TYPE_CHECKING:
    from tutor.sandbox.api import Runner


def check(exercise: Exercise, answer: str | Mapping[str, Any], *, runner: "Runner | None" = None,
          seed: int | None = None) -> Verdict:
    """Judge `answer` to `exercise`.

    `answer` is the typed text for number, array, predict and choice exercises
    (a choice by its text, 1-based number or letter), the source code for code
    exercises, and a mapping of parameter name to value for tune exercises.
    Code runs through `runner` (default: the sandboxed worker); everything else
    is judged here against the engine.

    `seed` is the attempt's (`tutor.checking.cases.new_seed()`): a code
    exercise adds fresh cases drawn with it after the published ones, and the
    verdict keeps it in ``values["seed"]``. None checks the published cases
    only, the same on every call.

    A failing verdict that gives one of the exercise's ``[[wrong]]`` messages
    names that mistake in ``values["mistake"]`` (see `named_mistake`).
    """
    try:
        return named_mistake(exercise, _dispatch(exercise, answer, runner, seed))
    except LessonError as error:
        return lesson_error_verdict(error)
    except Exception as error:  # a checker bug must never take the tutor down
        return Verdict(
            "error",
            "The tutor itself has a problem, not your answer.",
            details=(f"{type(error).__name__}: {error}",),
            values={"internal_error": f"{type(error).__name__}: {error}"},
        )


def named_mistake(exercise: Exercise, verdict: Verdict) -> Verdict:
    """The verdict, with ``values["mistake"]`` set when its headline is one of the
    exercise's known mistakes (a ``[[wrong]]`` entry): that entry's message as the
    lesson publishes it, so every variant of the exercise names a mistake the
    same way and a class's attempts log (`nntutor class report`) can count it."""
    if verdict.status != "fail" or "mistake" in verdict.values:
        return verdict
    for index, wrong in enumerate(exercise.wrong):
        if wrong.message == verdict.message:
            name = wrong.message
            if exercise.variant_seed is not None and exercise.params:
                from tutor.course.variants import published, with_values

                as_written = with_values(exercise, published(exercise.params), None)
                if index < len(as_written.wrong):
                    name = as_written.wrong[index].message
            return replace(verdict, values={**verdict.values, "mistake": name})
    return verdict


def lesson_error_verdict(error: LessonError) -> Verdict:
    return Verdict(
        "error",
        "The lesson has a problem, not your answer.",
        details=(str(error),),
        values={"lesson_error": str(error)},
    )


def _dispatch(exercise: Exercise, answer: str | Mapping[str, Any], runner: "Runner | None",
              seed: int | None = None) -> Verdict:
    kind = exercise.kind
    if kind == "tune":
        from tutor.checking.tune import check_tune

        return check_tune(exercise, answer)
    if not isinstance(answer, str):
        return Verdict("error", f"A {kind} exercise takes a typed answer, not {type(answer).__name__}.")
    if kind == "number":
        from tutor.checking.typed import check_number

        return check_number(exercise, answer)
    if kind == "array":
        from tutor.checking.typed import check_array

        return check_array(exercise, answer)
    if kind == "choice":
        from tutor.checking.typed import check_choice

        return check_choice(exercise, answer)
    if kind == "predict":
        from tutor.checking.typed import check_predict

        return check_predict(exercise, answer)
    if kind == "code":
        from tutor.checking.code import check_code

        return check_code(exercise, answer, runner, seed)
    raise LessonError(f"{exercise.qualified_id}: unknown exercise kind {kind!r}")
