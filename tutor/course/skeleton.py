"""`nntutor new LESSON-ID [--dir DIR]`: a complete lesson to start from.

The skeleton is a real lesson, not a template full of blanks: it loads, lints
clean and shows in the tutor as it is, so an author changes one thing at a time
and always has a working file to compare against.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from tutor.course.loader import load_outline
from tutor.course.schema import ID_PATTERN, ID_RULE

SKELETON = '''+++
id = "{lesson_id}"
title = {title_toml}
order = {order}
further_reading = [
  "Credit your sources here: author, title, year, address.",
]
+++

# {title}

Write the prose of your lesson here, in your own words. Markdown works:
*emphasis*, lists, tables and `code`. The text before each exercise block is
shown with that exercise.

A neuron with inputs 2 and 3, weights 0.5 and -1, and bias 1 adds up its
weighted inputs and its bias. That sum is called z.

```exercise
id = "weighted-sum"
kind = "number"
prompt = "What is z = w1*x1 + w2*x2 + b for this neuron?"
expected = {{ engine = "weighted_sum", args = {{ inputs = [2, 3], weights = [0.5, -1], bias = 1 }} }}
tolerance = {{ abs = 1e-6, rel = 1e-6 }}
hints = [
  "Multiply each input by its weight: 2*0.5 and 3*(-1).",
  "Add the two products, then add the bias.",
]
solution = "-1"

[[wrong]]
answer = "-2"
message = "You left out the bias: add b = 1 to the sum of the products."
```

A choice exercise tests a concept. Its answer is the only literal in a lesson.

```exercise
id = "bias-effect"
kind = "choice"
prompt = "If the bias grows by 1, what happens to z?"
choices = ["z grows by 1", "z doubles", "z does not change"]
answer = "z grows by 1"
hints = [
  "The bias is one of the terms of the sum z.",
  "When one term of a sum grows by 1, so does the sum.",
]

[[wrong]]
answer = "z doubles"
message = "The bias is added to z, not multiplied: it shifts z by the same amount."
```

A code exercise asks for a function; the tutor calls it on fixed and on seeded
random cases and compares it with the engine.

```exercise
id = "code-weighted-sum"
kind = "code"
prompt = "Write `weighted_sum(inputs, weights, bias)`."
expected = {{ engine = "weighted_sum" }}
tolerance = {{ abs = 1e-9, rel = 1e-9 }}
hints = [
  "np.dot(inputs, weights) multiplies pairwise and adds the products.",
  "Then add the bias.",
]
solution = \'\'\'
import numpy as np

def weighted_sum(inputs, weights, bias):
    return np.dot(inputs, weights) + bias
\'\'\'

[code]
entry = "weighted_sum"
signature = "def weighted_sum(inputs, weights, bias)"
starter = \'\'\'
import numpy as np

def weighted_sum(inputs, weights, bias):
    # multiply, add up, add the bias
    return 0.0
\'\'\'
cases = [
  {{ inputs = [2.0, 3.0], weights = [0.5, -1.0], bias = 1.0 }},
  {{ inputs = [1.0, 0.0], weights = [7.0, 3.0], bias = -2.0 }},
]
random = {{ seed = 1, count = 5, args = {{ inputs = {{ shape = [3], low = -5.0, high = 5.0 }}, weights = {{ shape = [3], low = -5.0, high = 5.0 }}, bias = {{ shape = [], low = -1.0, high = 1.0 }} }} }}
```

Say what the learner has achieved and what comes next.
'''


def skeleton_text(lesson_id: str, title: str, order: int) -> str:
    """The skeleton lesson for `lesson_id` as file text."""
    # a JSON string is a valid TOML basic string
    return SKELETON.format(lesson_id=lesson_id, title=title, title_toml=json.dumps(title, ensure_ascii=False), order=order)


def default_title(lesson_id: str) -> str:
    return lesson_id.replace("-", " ").capitalize()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nntutor new",
        description="Write a skeleton lesson that `nntutor lint` accepts, as DIR/NN-LESSON-ID.md "
        "where NN is the next free order.",
    )
    parser.add_argument("lesson_id", metavar="LESSON-ID", help=f"the new lesson's id ({ID_RULE})")
    parser.add_argument("--dir", type=Path, default=Path("."), help="the course folder (default: the current folder)")
    parser.add_argument("--title", help="the lesson title (default: from the id)")
    try:
        options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit:
        return int(exit.code or 0)
    lesson_id: str = options.lesson_id
    if not ID_PATTERN.match(lesson_id):
        print(f"nntutor new: lesson id {lesson_id!r} must be {ID_RULE}", file=sys.stderr)
        return 2
    folder: Path = options.dir
    if folder.exists() and not folder.is_dir():
        print(f"nntutor new: not a folder: {folder}", file=sys.stderr)
        return 2
    headers = load_outline(folder) if folder.is_dir() else []
    for header in headers:
        if header.id == lesson_id:
            print(f"nntutor new: lesson id {lesson_id!r} is already used by {header.path}", file=sys.stderr)
            return 2
    order = max((header.order for header in headers), default=0) + 1
    path = folder / f"{order:02d}-{lesson_id}.md"
    if path.exists():
        print(f"nntutor new: {path} already exists; not overwriting it", file=sys.stderr)
        return 2
    title = options.title or default_title(lesson_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:
            file.write(skeleton_text(lesson_id, title, order))
    except OSError as error:
        print(f"nntutor new: cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
