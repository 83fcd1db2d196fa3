"""`nntutor show LESSON/EXERCISE [--seed N] [--json]`: an exercise as the learner sees it.

Without a seed it is the lesson as written (the published numbers, as a first
visit shows them); with `--seed N` it is variant N, the one `nntutor check
--seed N` judges and a review with that seed shows. `--json` adds the drawn
parameters by name, for scripts and for authors checking their ranges.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Sequence, TextIO

from tutor.course.model import Exercise
from tutor.course.variants import VariantError, instantiate

EXIT_OK, EXIT_USAGE = 0, 2


def _parser() -> argparse.ArgumentParser:
    from tutor.checking.command import seed_argument

    parser = argparse.ArgumentParser(
        prog="nntutor show",
        description="Print an exercise as the learner sees it: its prose with --prose, its prompt "
                    "with its numbers, and what the answer looks like.",
        epilog="Exit status: 0 shown, 2 usage or lesson errors.",
    )
    parser.add_argument("exercise", metavar="LESSON/EXERCISE", help="e.g. neuron/weighted-sum")
    parser.add_argument("--seed", metavar="N", type=seed_argument,
                        help="show variant N of an exercise with parameters (default: the lesson as written)")
    parser.add_argument("--json", action="store_true",
                        help="print JSON: the prompt, the kind, the seed and the drawn parameters by name")
    parser.add_argument("--prose", action="store_true", help="also print the lesson text that leads up to it")
    parser.add_argument("--course", metavar="PATH",
                        help="a course folder, or a lesson file in one (default: the built-in course)")
    return parser


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    from tutor.checking.command import UsageError, find_exercise, write_to_reader

    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        options = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    try:
        exercise = instantiate(find_exercise(options.exercise, options.course), options.seed)
    except UsageError as error:
        print(f"nntutor show: {error}", file=err)
        return EXIT_USAGE
    except VariantError as error:
        print(f"nntutor show: {error}", file=err)
        return EXIT_USAGE
    if options.json:
        text = json.dumps(as_json(exercise, options.prose), indent=2, ensure_ascii=False)
    else:
        text = as_text(exercise, options.prose)
    write_to_reader(text, out)
    return EXIT_OK


def as_json(exercise: Exercise, prose: bool = False) -> dict[str, Any]:
    """The exercise as shown, as data: ``params`` holds the parameter values it
    uses by name (the published ones without a seed; empty when it has none)."""
    shown: dict[str, Any] = {
        "exercise": exercise.qualified_id,
        "kind": exercise.kind,
        "seed": exercise.variant_seed,
        "prompt": exercise.prompt,
        "params": dict(exercise.variant_values),
    }
    if prose:
        shown["prose"] = exercise.prose
    if exercise.choices:
        shown["choices"] = list(exercise.choices)
    if exercise.shape is not None:
        shown["shape"] = list(exercise.shape)
    if exercise.code is not None:
        shown["signature"] = exercise.code.signature
        shown["starter"] = exercise.code.starter
        shown["cases"] = [dict(case) for case in exercise.code.cases]
    return shown


def as_text(exercise: Exercise, prose: bool = False) -> str:
    variant = "" if not exercise.params else (
        "  (the lesson as written)" if exercise.variant_seed is None else f"  (variant, seed {exercise.variant_seed})")
    lines = [f"{exercise.qualified_id}: {exercise.kind}{variant}", ""]
    if prose and exercise.prose.strip():
        lines += [exercise.prose.strip(), ""]
    lines.append(exercise.prompt)
    for number, choice in enumerate(exercise.choices, start=1):
        lines.append(f"  {number}. {choice}")
    if exercise.shape is not None:
        lines.append(f"Answer shape: {' x '.join(str(size) for size in exercise.shape)}")
    if exercise.code is not None:
        lines += ["", exercise.code.signature]
        for case in exercise.code.cases:
            lines.append("  case: " + ", ".join(f"{name} = {json.dumps(value)}" for name, value in case.items()))
    return "\n".join(lines)
