"""The loader: lesson text in, course model (or every problem at once) out."""

from __future__ import annotations

import shutil
import sys
import subprocess
import textwrap
from pathlib import Path

import pytest

from tutor.course.loader import LessonError, load_course, load_lesson, load_outline, parse_lesson, read_header
from tutor.course.model import EngineRef, Tolerance
from tutor.course.toml_lines import key_lines

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"
LESSONS = Path(__file__).parent.parent / "lessons"


@pytest.fixture(autouse=True)
def private_outline_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the outline index of these tests out of the user's cache folder."""
    monkeypatch.setenv("NNTUTOR_CACHE_DIR", str(tmp_path / "outline-index"))


def problems_of(text: str) -> list[str]:
    with pytest.raises(LessonError) as caught:
        parse_lesson(textwrap.dedent(text).lstrip("\n"), Path("l.md"))
    return [str(problem) for problem in caught.value.problems]


HEAD = '+++\nid = "t"\ntitle = "T"\norder = 1\n+++\n\n'


def block(body: str, fence: str = "```") -> str:
    return f"{fence}exercise\n{textwrap.dedent(body).strip()}\n{fence}\n"


NUMBER = """
id = "z"
kind = "number"
prompt = "What is z?"
expected = { engine = "weighted_sum", args = { inputs = [1, 0], weights = [7, 3], bias = -2 } }
tolerance = { abs = 1e-6, rel = 1e-6 }
hints = ["a", "b"]
solution = "5"
"""


def test_the_neuron_lesson_reads_into_the_model() -> None:
    lesson = load_lesson(LESSONS / "01-neuron.md")
    assert (lesson.id, lesson.order, lesson.title) == ("neuron", 1, "One neuron and forward propagation")
    assert [e.id for e in lesson.exercises][:2] == ["weighted-sum", "output"]
    weighted = lesson.exercise("weighted-sum")
    assert weighted.kind == "number" and weighted.qualified_id == "neuron/weighted-sum"
    expected_line = next(number for number, text in enumerate((LESSONS / "01-neuron.md").read_text().splitlines(), 1)
                         if text.startswith('expected = { engine = "weighted_sum", args = { inputs = "$inputs"'))
    assert weighted.expected == EngineRef(
        "weighted_sum", {"inputs": [1, 0], "weights": [7, 3], "bias": -2}, None, line=expected_line
    )
    assert weighted.tolerance == Tolerance(abs=1e-6, rel=1e-6)
    assert weighted.solution == "5"
    assert weighted.prose.startswith("# One neuron") and weighted.prose.endswith("z = w1*x1 + w2*x2 + b")
    assert lesson.intro == weighted.prose
    assert lesson.outro.startswith("That is forward propagation")
    output = lesson.exercise("output")
    assert output.wrong[0].engine is not None and output.wrong[0].engine.function == "weighted_sum"
    assert output.plot is not None and output.plot.kind == "function"
    assert output.plot.spec["curves"][0]["ref"].function == "sigmoid"
    assert len(lesson.further_reading) == 3


def test_the_sigmoid_lesson_code_exercises() -> None:
    lesson = load_lesson(LESSONS / "02-sigmoid.md")
    implement = lesson.exercise("implement")
    assert implement.kind == "code" and implement.code is not None
    assert implement.code.signature == "def sigmoid(z)"
    assert implement.code.random is not None and implement.code.random.seed == 2
    assert [probe.get("args") for probe in implement.code.probes][:2] == [{"z": -1000.0}, {"z": 1000.0}]
    derivative = lesson.exercise("derivative")
    assert derivative.code is not None and derivative.code.entry == "sigmoid_prime"
    assert derivative.wrong[0].engine == EngineRef("sigmoid", {}, None, line=derivative.wrong[0].engine.line)


def test_field_lines_point_into_the_file() -> None:
    lesson = load_lesson(LESSONS / "02-sigmoid.md")
    text = (LESSONS / "02-sigmoid.md").read_text().splitlines()
    implement = lesson.exercise("implement")
    assert text[implement.field_lines["code.starter"] - 1].startswith("starter = '''")
    assert text[implement.field_lines["solution"] - 1].startswith("solution = '''")
    assert text[implement.line - 1] == "```exercise"
    assert text[lesson.field_lines["order"] - 1] == "order = 2"
    for wrong in implement.wrong:
        assert text[wrong.line - 1] == "[[wrong]]"


def test_every_problem_is_reported_at_once() -> None:
    text = HEAD + block("""
        id = "Bad_id"
        kind = "numbr"
        prompt = ""
        hints = []
        """) + "\n" + block("""
        id = "y"
        kind = "number"
        prompt = "p"
        hints = ["a"]
        expected = { engine = "sigmoid", args = { z = 0 }, selct = "x" }
        tolerance = { abs = -1, rel = 0 }
        solution = true
        """)
    assert problems_of(text) == [
        "l.md:8: exercise id 'Bad_id' must be letters, digits and single hyphens, starting with a letter",
        "l.md:9: unknown exercise kind 'numbr' (did you mean 'number'?); use one of number, array, choice, predict, code, tune",
        "l.md:10: 'prompt' must not be empty",
        "l.md:11: 'hints' needs at least 1 entry",
        "l.md:19: unknown field 'selct' in expected (did you mean 'select'?)",
        "l.md:20: tolerance 'abs' must be a number >= 0",
        "l.md:21: 'solution' must be the answer as a learner types it, not a boolean",
    ]


def test_front_matter_problems() -> None:
    assert problems_of("# no front matter\n") == ["l.md:1: a lesson must start with front matter between '+++' lines"]
    assert problems_of('+++\nid = "x"\n') == ["l.md:1: front matter opened with '+++' is never closed"]
    assert problems_of('+++\nid = "x"\ntitle = 3\norder = "1"\nextra = 1\n+++\n\n' + block(NUMBER)) == [
        "l.md:3: 'title' must be a string, not an integer",
        "l.md:4: 'order' must be an integer, not a string",
        "l.md:5: unknown field 'extra' in front matter",
    ]
    assert problems_of(HEAD + "Only prose.\n") == ["l.md:1: a lesson needs at least one exercise block (```exercise)"]


def test_unclosed_exercise_block() -> None:
    assert problems_of(HEAD + "```exercise\nid = 1\n") == [
        "l.md:7: exercise block is never closed (no matching closing fence)"
    ]


def test_toml_error_in_front_matter_and_block_both_reported() -> None:
    text = '+++\nid = "x\ntitle = "T"\n+++\n\n' + block('id = "a"\nkind = = 1')
    assert problems_of(text) == [
        "l.md:2: invalid TOML: Illegal character '\\n' (column 8); a string in \"...\" must end on the line it "
        "starts: close the quote, or write text over several lines between \'\'\' and \'\'\'",
        "l.md:8: invalid TOML: Invalid value (column 8)",
    ]


def test_kind_specific_fields() -> None:
    text = HEAD + block("""
        id = "c"
        kind = "choice"
        prompt = "p"
        hints = ["a"]
        choices = ["x", "y", "x"]
        answer = "z"
        tolerance = { abs = 1, rel = 1 }

        [[wrong]]
        answer = "w"
        message = "m"
        """)
    assert problems_of(text) == [
        "l.md:12: choice 'x' is listed twice",
        "l.md:13: 'answer' 'z' is not one of the choices",
        "l.md:14: field 'tolerance' does not apply to a choice exercise",
        "l.md:17: wrong 'answer' 'w' is not one of the choices",
    ]


def test_choice_solution_defaults_to_answer() -> None:
    text = HEAD + block('id = "c"\nkind = "choice"\nprompt = "p"\nhints = ["a"]\nchoices = ["x", "y"]\nanswer = "y"')
    exercise = parse_lesson(text, Path("l.md")).exercises[0]
    assert (exercise.answer, exercise.solution, exercise.choices) == ("y", "y", ("x", "y"))


def test_code_table_problems_point_at_nested_keys() -> None:
    text = HEAD + block("""
        id = "k"
        kind = "code"
        prompt = "p"
        hints = ["a"]
        expected = { engine = "sigmoid" }
        tolerance = { abs = 1e-9, rel = 1e-9 }
        solution = "def f(z): return z"

        [code]
        entry = "not a name"
        signature = "def f(z)"
        starter = "def f(z): pass"
        probes = [{ args = { z = 1 } }]
        random = { seed = 1, count = 2, args = { z = { shape = [2], low = 0, high = 1, kind = "int" } } }
        limits = { time_s = 0 }
        """)
    assert problems_of(text) == [
        "l.md:17: 'entry' 'not a name' must be a Python name",
        "l.md:20: missing required field 'message' in a probe",
        "l.md:21: unknown field 'kind' in code.random.args.z",
        "l.md:22: 'time_s' must be greater than 0",
    ]


RANDOM_WITH_VALUE = """
    id = "k"
    kind = "code"
    prompt = "p"
    hints = ["a"]
    expected = { engine = "neuron_output" }
    tolerance = { abs = 1e-9, rel = 1e-9 }
    solution = "def f(inputs, weights, bias): return 0"

    [code]
    entry = "f"
    signature = "def f(inputs, weights, bias)"
    starter = "def f(inputs, weights, bias): pass"
    random = { seed = 1, count = 2, args = { inputs = { shape = [2], low = 0, high = 1 }, weights = { value = [7, 3] }, bias = { value = -2 } } }
    """


def test_random_cases_take_a_fixed_value_beside_drawn_arguments() -> None:
    exercise = parse_lesson(HEAD + block(RANDOM_WITH_VALUE), Path("l.md")).exercises[0]
    assert exercise.code is not None and exercise.code.random is not None
    assert dict(exercise.code.random.args) == {
        "inputs": {"shape": [2], "low": 0, "high": 1},
        "weights": {"value": [7, 3]},
        "bias": {"value": -2},
    }


def test_a_fixed_random_value_takes_no_generator_fields() -> None:
    text = HEAD + block(RANDOM_WITH_VALUE.replace("bias = { value = -2 }", "bias = { value = -2, low = 0 }"))
    assert problems_of(text) == ["l.md:20: code.random.args.bias has a fixed 'value': it takes no 'low'"]


def test_tune_exercise_reads_and_checks_parameters() -> None:
    body = """
        id = "lr"
        kind = "tune"
        prompt = "p"
        hints = ["a"]
        solution = { lr = 0.5 }

        [tune]
        params = [{ name = "lr", kind = "float", default = 0.01, min = 0.001, max = 10.0 }]
        run = { engine = "worked.mazur_training", args = { steps = 100, learning_rate = "$lr" } }
        goal = { select = "final_loss", below = 0.1 }

        [[wrong]]
        values = { lr = 0.001 }
        when = { select = "final_loss", above = 0.2 }
        message = "Too small."
        """
    exercise = parse_lesson(HEAD + block(body), Path("l.md")).exercises[0]
    assert exercise.tune is not None
    assert exercise.tune.solution == {"lr": 0.5}
    assert exercise.tune.goal == {"select": "final_loss", "below": 0.1}
    assert exercise.wrong[0].values == {"lr": 0.001}
    assert exercise.wrong[0].when == {"select": "final_loss", "above": 0.2}
    broken = body.replace('"$lr"', '"$rate"').replace("lr = 0.5", "lr = 50.0")
    assert problems_of(HEAD + block(broken)) == [
        "l.md:12: 'solution' for 'lr' is outside [0.001, 10.0]",
        "l.md:16: tune.run uses '$rate' but no parameter is named 'rate'",
        "l.md:16: parameter 'lr' is never used: write \"$lr\" in tune.run.args",
    ]


def test_four_backtick_fence_may_hold_three_backticks() -> None:
    # the ``` inside the string does not close the block: the field after it is still read
    text = HEAD + "````exercise\n" + NUMBER.strip() + "\nprompt2 = '''\n```\n'''\n````\n"
    assert problems_of(text) == ["l.md:15: unknown field 'prompt2' in exercise (did you mean 'prompt'?)"]


def test_other_fenced_blocks_are_prose() -> None:
    text = HEAD + "```python\n```exercise\n```\n\n" + block(NUMBER)
    lesson = parse_lesson(text, Path("l.md"))
    assert lesson.exercises[0].prose == "```python\n```exercise\n```"


def test_key_lines_follow_tables_arrays_and_strings() -> None:
    text = textwrap.dedent('''
        a = """x
        y"""
        b = [
          { c = 1 },
          { c = 2 },
        ]
        [t]
        d = 'q'
        [[w]]
        e = 1
        [[w]]
        e = 2
        [w.sub]
        f = 3
        ''').lstrip()
    lines = key_lines(text)
    assert lines[("a",)] == 1 and lines[("b",)] == 3
    assert lines[("b", 1, "c")] == 5
    assert lines[("t", "d")] == 8
    assert lines[("w", 1, "e")] == 12
    assert lines[("w", 1, "sub", "f")] == 14


def test_broken_lesson_does_not_take_the_course_down(tmp_path: Path) -> None:
    shutil.copy(LESSONS / "01-neuron.md", tmp_path / "01-neuron.md")
    (tmp_path / "02-broken.md").write_text(HEAD.replace('"t"', '"broken"') + block(NUMBER.replace("kind", "knd")))
    (tmp_path / "03-twin.md").write_text((LESSONS / "01-neuron.md").read_text())
    (tmp_path / "README.md").write_text("not a lesson")
    (tmp_path / "04-binary.md").write_bytes(b"+++\n\xff\xfe\n")
    course = load_course(tmp_path)
    assert [lesson.id for lesson in course.lessons] == ["neuron"]
    assert [broken.path.name for broken in course.broken] == ["02-broken.md", "03-twin.md", "04-binary.md"]
    assert str(course.broken[1].problems[0]) == f"{tmp_path / '03-twin.md'}:2: duplicate lesson id 'neuron' (also in {tmp_path / '01-neuron.md'})"
    assert course.broken[2].problems[0].message.startswith("file is not UTF-8 text")


def test_builtin_course_is_found_and_ordered() -> None:
    course = load_course()
    assert [lesson.id for lesson in course.lessons][:2] == ["neuron", "sigmoid"]
    assert course.broken == ()
    assert course.exercise("neuron/weighted-sum").kind == "number"


def test_outline_agrees_with_the_full_load() -> None:
    course = load_course(LESSONS)
    headers = load_outline(LESSONS)
    assert [(h.id, h.title, h.order, h.exercise_ids) for h in headers] == [
        (l.id, l.title, l.order, tuple(e.id for e in l.exercises)) for l in course.lessons
    ]


def test_header_falls_back_to_a_full_read_for_unusual_files(tmp_path: Path) -> None:
    path = tmp_path / "01-x.md"
    path.write_text('\n+++\ntitle = "Odd \\"title\\""\nid = "x"\norder = 0x1\n+++\n' + block(NUMBER))
    header = read_header(path)
    assert (header.id, header.title, header.order, header.exercise_ids) == ("x", 'Odd "title"', 1, ("z",))


def test_loading_never_imports_textual_or_the_engine() -> None:
    code = (
        "import sys\nfrom tutor.course.loader import load_course\n"
        "course = load_course()\nassert course.lessons\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'engine', 'numpy')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_quick_header_agrees_with_the_full_parse_wherever_it_answers() -> None:
    from tutor.course.headers import quick_header

    paths = sorted(LESSONS.glob("*.md")) + sorted(FIXTURES.glob("*/*.md"))
    tricky = HEAD + "```python\n```exercise\n```\n\n" + block(NUMBER) + "\n````text\n```exercise\nid = \"no\"\n```\n````\n"
    texts = [path.read_text() for path in paths] + [tricky]
    answered = 0
    for text in texts:
        quick = quick_header(text.encode())
        try:
            lesson = parse_lesson(text, Path("x.md"))
        except LessonError:
            continue
        if quick is not None:
            answered += 1
            assert quick == (lesson.id, lesson.title, lesson.order, tuple(e.id for e in lesson.exercises))
    assert answered >= 3
    assert quick_header(tricky.encode()) == ("t", "T", 1, ("z",))
    assert quick_header(tricky.replace("\n", "\r\n").encode()) is None  # unusual shapes go the full way
