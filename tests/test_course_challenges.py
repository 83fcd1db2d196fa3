"""From-memory challenges in lesson files: how they are declared, built from the
exercise they repeat, and what lint says about them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tutor.course.loader import LessonError, load_course, parse_lesson
from tutor.course.practice_rules import challenge_problems
from tutor.lint import lint_paths

HEAD = '+++\nid = "t"\ntitle = "T"\norder = 1\n+++\n\nA neuron squashes its weighted sum.\n\n'

CODE = '''\
```exercise
id = "forward"
kind = "code"
concepts = ["weighted sum", "sigmoid"]
prompt = "Write `neuron_output(inputs, weights, bias)`."
expected = { engine = "neuron_output" }
tolerance = { abs = 1e-6, rel = 1e-6 }
hints = ["np.dot, then the sigmoid."]
solution = """
import numpy as np

def neuron_output(inputs, weights, bias):
    return 1 / (1 + np.exp(-(np.dot(inputs, weights) + bias)))
"""

[code]
entry = "neuron_output"
signature = "def neuron_output(inputs, weights, bias)"
starter = """
def neuron_output(inputs, weights, bias):
    # the weighted sum, then the sigmoid
    return 0.0
"""
cases = [
  { inputs = [1.0, 0.0], weights = [7.0, 3.0], bias = -2.0 },
  { inputs = [0.5, -1.0], weights = [1.0, 2.0], bias = 0.25 },
]

[[wrong]]
engine = "weighted_sum"
message = "That is z: the output is sigmoid(z)."
answer = """
import numpy as np

def neuron_output(inputs, weights, bias):
    return np.dot(inputs, weights) + bias
"""
```
'''


def lesson(*blocks: str) -> str:
    return HEAD + "\n".join(textwrap.dedent(block) for block in blocks)


def challenge(body: str = 'repeats = "forward"') -> str:
    return f'```exercise\nid = "from-memory"\nchallenge = "from-memory"\n{body}\n```\n'


def problems_of(text: str) -> list[str]:
    with pytest.raises(LessonError) as caught:
        parse_lesson(text, Path("l.md"))
    return [str(problem) for problem in caught.value.problems]


def test_a_challenge_is_the_repeated_exercise_with_a_blank_editor_and_no_hints() -> None:
    forward, again = parse_lesson(lesson(CODE, challenge()), Path("l.md")).exercises
    assert (again.id, again.kind, again.challenge, again.repeats) == ("from-memory", "code", "from-memory", "forward")
    assert again.code.starter == "" and forward.code.starter.startswith("def neuron_output")
    assert again.hints == () and again.plot is None
    # everything the checker needs is the repeated exercise's, declared once
    assert (again.expected, again.code.cases, again.wrong, again.solution, again.prompt, again.concepts) == \
        (forward.expected, forward.code.cases, forward.wrong, forward.solution, forward.prompt, forward.concepts)
    assert again.line == HEAD.count("\n") + CODE.count("\n") + 2
    assert again.field_lines["repeats"] == again.line + 3


def test_a_challenge_may_set_its_prompt_concepts_and_the_part_the_lesson_gave() -> None:
    body = ('repeats = "forward"\nprompt = "Once more, without looking."\nconcepts = ["forward pass"]\n'
            'starter = "import numpy as np"')
    again = parse_lesson(lesson(CODE, challenge(body)), Path("l.md")).exercises[1]
    assert (again.prompt, again.concepts, again.code.starter) == \
        ("Once more, without looking.", ("forward pass",), "import numpy as np")


def test_a_challenge_block_takes_only_its_own_fields() -> None:
    start = HEAD.count("\n") + CODE.count("\n") + 2
    body = 'repeats = "forward"\nhints = ["no"]\nsolution = "x"\ncolour = "red"'
    assert problems_of(lesson(CODE, challenge(body))) == [
        f"l.md:{start + 4}: a from-memory challenge shows no hints: remove 'hints'",
        f"l.md:{start + 5}: field 'solution' does not apply to a from-memory challenge: "
        "it takes it from the exercise it repeats",
        f"l.md:{start + 6}: unknown field 'colour' in a from-memory challenge",
    ]
    assert problems_of(lesson(CODE, challenge('repeats = "forward"').replace('"from-memory"\nrepeats',
                                                                             '"from-memroy"\nrepeats'))) == [
        f"l.md:{start + 2}: unknown challenge 'from-memroy' (did you mean 'from-memory'?); use from-memory",
    ]
    assert problems_of(lesson(CODE, challenge(""))) == [
        f"l.md:{start}: missing required field 'repeats' in a from-memory challenge",
    ]


def test_a_challenge_repeats_an_earlier_code_exercise() -> None:
    choice = ('```exercise\nid = "pick"\nkind = "choice"\nprompt = "Which?"\nchoices = ["a", "b"]\n'
              'answer = "a"\nhints = ["a."]\n```\n')
    start = HEAD.count("\n") + 2
    assert problems_of(lesson(challenge(), "More prose.\n", CODE)) == [
        f"l.md:{start + 2}: from-memory: repeats 'forward', which names a later exercise; "
        "a from-memory challenge repeats an earlier code exercise",
    ]
    assert problems_of(lesson(choice, challenge('repeats = "pick"'))) == [
        f"l.md:{start + choice.count(chr(10)) + 3}: from-memory: repeats 'pick', a choice exercise; "
        "a from-memory challenge repeats code",
    ]
    assert problems_of(lesson(CODE, challenge('repeats = "fwd"'))) == [
        f"l.md:{start + CODE.count(chr(10)) + 3}: from-memory: repeats 'fwd', which names no exercise of this lesson; "
        "a from-memory challenge repeats an earlier code exercise",
    ]
    # a broken repeated exercise has its own problems, and no echo here
    broken = CODE.replace('kind = "code"', 'kind = "code"\ncolour = "red"')
    assert problems_of(lesson(broken, challenge())) == [
        f"l.md:{start + 2}: unknown field 'colour' in exercise",
    ]


def test_a_challenge_closes_its_lesson_and_has_no_text_before_it() -> None:
    number = ('```exercise\nid = "z"\nkind = "number"\nprompt = "z?"\n'
              'expected = { engine = "weighted_sum", args = { inputs = [1], weights = [2], bias = 0 } }\n'
              'tolerance = { abs = 1e-6, rel = 1e-6 }\nhints = ["2."]\nsolution = "2"\n```\n')
    parsed = parse_lesson(lesson(CODE, "Now without looking.\n", challenge(), "And then.\n", number), Path("l.md"))
    again, z = parsed.exercises[1], parsed.exercises[2]
    assert [str(problem) for problem in challenge_problems(parsed)] == [
        f"l.md:{again.line}: from-memory: the text before a from-memory challenge is never shown (it is written "
        "without the lesson in sight); move it after the block or into the exercise before",
        f"l.md:{z.line}: z: comes after the from-memory challenge 'from-memory'; "
        "a challenge closes its lesson, so move it before",
    ]


def test_lint_runs_a_challenge_starter_that_gives_the_answer_away(tmp_path: Path) -> None:
    giveaway = 'starter = """\nimport numpy as np\n\ndef neuron_output(inputs, weights, bias):\n' \
               '    return 1 / (1 + np.exp(-(np.dot(inputs, weights) + bias)))\n"""'
    path = tmp_path / "01-t.md"
    path.write_text(lesson(CODE, challenge('repeats = "forward"\n' + giveaway)))
    again = parse_lesson(path.read_text(), path).exercises[1]
    assert [str(problem) for problem in lint_paths([path])] == [
        f"{path}:{again.field_lines['code.starter']}: the challenge's starter passes it; "
        "give back only what the lesson gave, never what it asks for",
    ]
    path.write_text(lesson(CODE, challenge()))
    assert lint_paths([path]) == []


def test_every_lesson_with_code_ends_with_a_challenge_but_the_capstone() -> None:
    course = load_course()
    *lessons, capstone = course.lessons
    for lesson_ in lessons:
        code = [exercise for exercise in lesson_.exercises if exercise.kind == "code"]
        if code:
            last = lesson_.exercises[-1]
            assert last.challenge == "from-memory", lesson_.id
            assert last.repeats in [exercise.id for exercise in code if exercise.challenge is None]
            assert not last.hints and not last.prose.strip()
            assert last.code.starter.count("\n") < lesson_.exercise(last.repeats).code.starter.count("\n") \
                or "#" not in last.code.starter.replace("# the stable sigmoid", "").replace("# Trask's", "")
    # the capstone stays the final one: built from scratch, nothing after it
    assert capstone.id == "capstone" and capstone.exercises[-1].kind == "code"
    assert not any(exercise.challenge for exercise in capstone.exercises)
