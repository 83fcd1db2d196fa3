"""What an earlier code exercise printed, shown again where a later one asks about it.

Trask's training loop prints its error every 10,000 iterations, and the next
exercise asks for one of those numbers; once the learner moves on, the
feedback that held the output is gone. An exercise that says
``shows_output_of = "train"`` gets that output (kept with the attempt in the
progress file) appended to its prose, so it stays in view while the learner
answers, in this session or the next. Plain text in, Markdown out: no Textual.
"""

from __future__ import annotations

from tutor.course.model import Exercise, Lesson

#: Lines of the earlier output shown under the prose (the rest is cut, from the top).
SHOWN_LINES = 20


def carried_output(lesson: Lesson, exercise: Exercise, output: str | None) -> str:
    """Markdown for the output of ``exercise.shows_output_of`` (or a note saying
    how to get it); "" when the exercise asks about no earlier output."""
    source = exercise.shows_output_of
    if not source:
        return ""
    try:
        title = f"`{lesson.exercise(source).id}`"
    except KeyError:
        title = f"`{source}`"
    if not output or not output.strip():
        return (f"**Your code printed:** nothing yet. Check your code in {title} (the exercise before) "
                "and what it prints appears here.")
    lines = output.rstrip("\n").splitlines()
    cut = len(lines) - SHOWN_LINES
    shown = lines[-SHOWN_LINES:] if cut > 0 else lines
    note = f" (its last {SHOWN_LINES} lines)" if cut > 0 else ""
    fence = "````" if any(line.startswith("```") for line in shown) else "```"
    return f"**Your code printed** in {title}{note}:\n\n{fence}text\n" + "\n".join(shown) + f"\n{fence}"


def with_carried_output(prose: str, lesson: Lesson, exercise: Exercise | None, output: str | None) -> str:
    """`prose` with the carried output after it, if the exercise asks for one."""
    if exercise is None:
        return prose
    extra = carried_output(lesson, exercise, output)
    return f"{prose}\n\n{extra}" if extra else prose
