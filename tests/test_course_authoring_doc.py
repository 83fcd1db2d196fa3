"""docs/authoring.md, followed literally: skeleton, lint, worked example, outline, tutor.

The commands are taken from the guide's text, so changing the guide without
keeping it true breaks this test.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tutor.cli import main as nntutor
from tutor.course.loader import load_lesson, parse_lesson
from tutor.lint import lint_paths

DOC = Path(__file__).parent.parent / "docs" / "authoring.md"


@pytest.fixture(autouse=True)
def private_outline_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the outline index of these tests out of the user's cache folder."""
    monkeypatch.setenv("NNTUTOR_CACHE_DIR", str(tmp_path / "outline-index"))


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def worked_example() -> str:
    body = doc_text().split("<!-- worked-example:start -->")[1].split("<!-- worked-example:end -->")[0]
    match = re.fullmatch(r"\s*````markdown\n(.*\n)````\s*", body, re.DOTALL)
    assert match, "the worked example is one ````markdown block between the markers"
    return match.group(1)


def walkthrough_commands() -> list[list[str]]:
    """The indented `nntutor ...` commands of the walkthrough section, in order."""
    section = doc_text().split("## From an empty folder to a lesson in the tutor")[1].split("\n## ")[0]
    return [shlex.split(line.strip()) for line in section.splitlines() if line.startswith("       nntutor ")]


def test_the_walkthrough_works_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    commands = walkthrough_commands()
    assert [command[:2] for command in commands] == [
        ["nntutor", "new"], ["nntutor", "lint"], ["nntutor", "outline"], ["nntutor", "mycourse"],
    ]
    assert "mkdir mycourse" in doc_text()
    Path("mycourse").mkdir()

    # 1. the skeleton, where the guide says it goes
    assert nntutor(commands[0][1:]) == 0
    assert capsys.readouterr().out.strip() == "mycourse/01-bias.md"
    assert "This writes `mycourse/01-bias.md`" in doc_text()

    # 2. lint accepts it: nothing printed, exit 0
    assert nntutor(commands[1][1:]) == 0
    assert capsys.readouterr().out == ""

    # 3. replace it with the worked example, as the guide says
    assert "Save this as `mycourse/01-bias.md`" in doc_text()
    Path("mycourse/01-bias.md").write_text(worked_example(), encoding="utf-8")
    assert nntutor(commands[1][1:]) == 0, capsys.readouterr().out
    assert capsys.readouterr().out == ""

    # 4. the outline shows it
    assert nntutor(commands[2][1:]) == 0
    out = capsys.readouterr().out
    assert "1. bias  What the bias does" in out
    for exercise in ("bias/z", "bias/role", "bias/output", "bias/neuron", "bias/from-memory"):
        assert exercise in out


async def test_the_worked_example_shows_in_the_tutor(started_tutor, tmp_path: Path) -> None:
    pytest.importorskip("textual")
    from uikit import screen_text

    course = tmp_path / "mycourse"
    course.mkdir()
    (course / "01-bias.md").write_text(worked_example(), encoding="utf-8")
    async with started_tutor(course_path=course) as (app, pilot):
        await pilot.pause()
        assert "What the bias does" in screen_text(app)


def test_worked_example_uses_every_kind_it_documents_but_tune_and_array() -> None:
    lesson = parse_lesson(worked_example(), Path("01-bias.md"))
    assert [exercise.kind for exercise in lesson.exercises] == ["number", "choice", "predict", "code", "code"]
    *exercises, challenge = lesson.exercises
    assert all(len(exercise.hints) >= 2 for exercise in exercises)
    assert lesson.exercise("z").concepts == ("weighted sum",)
    assert lesson.exercise("neuron").concepts == ("weighted sum", "sigmoid")
    # it ends, as a lesson with code should, with the code again from memory
    assert (challenge.id, challenge.challenge, challenge.repeats) == ("from-memory", "from-memory", "neuron")
    assert challenge.code.starter == "" and challenge.hints == ()
    assert challenge.code.cases == lesson.exercise("neuron").code.cases
    assert challenge.concepts == ("weighted sum", "sigmoid")


def test_the_challenge_example_in_the_guide_is_the_worked_examples() -> None:
    section = doc_text().split("## From-memory challenges")[1].split("\n## ")[0]
    snippet = re.search(r"```toml\n(.*?)```", section, re.DOTALL).group(1)
    assert f"```exercise\n{snippet}```" in worked_example()
    from tutor.course import schema

    for name in schema.CHALLENGE_FIELDS:
        assert f"| `{name}` |" in section


def parameter_commands() -> list[list[str]]:
    """The indented `nntutor ...` commands of the parameters section, in order."""
    section = doc_text().split("## Parameters: a new variant of an exercise per seed")[1].split("\n## ")[0]
    return [shlex.split(line.strip()) for line in section.splitlines() if line.startswith("    nntutor ")]


def test_the_parameters_section_works_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import json

    import numpy as np

    import engine
    from tutor.checking.command import main as check_command
    from tutor.course.variants import instantiate

    monkeypatch.chdir(tmp_path)
    Path("mycourse").mkdir()
    Path("mycourse/01-bias.md").write_text(worked_example(), encoding="utf-8")
    lesson = load_lesson(Path("mycourse/01-bias.md"))
    z = lesson.exercise("z")
    # the guide's [params] table is the worked example's, and the lesson as written keeps its numbers
    table = doc_text().split("## Parameters: a new variant of an exercise per seed")[1].split("```toml\n")[1].split("```")[0]
    assert table in worked_example()
    assert [param.name for param in z.params] == ["inputs", "weights", "bias"]
    assert z.prompt.endswith("for inputs 3 and 4, weights 2 and -1, bias 0.5?")
    assert lesson.intro.startswith("# What the bias does") and "weights 2 and -1, and bias 0.5" in lesson.intro

    show, check = parameter_commands()
    assert show[:2] == ["nntutor", "show"] and check[:2] == ["nntutor", "check"]
    assert nntutor(show[1:]) == 0
    shown = json.loads(capsys.readouterr().out)
    params = shown["params"]
    assert set(params) == {"inputs", "weights", "bias"} and params == instantiate(z, 7).variant_values
    assert params != dict(z.variant_values)
    value = float(engine.weighted_sum(np.array(params["inputs"], dtype=float), np.array(params["weights"], dtype=float),
                                      params["bias"]))
    out = io.StringIO()
    assert check_command(check[2:], stdin=io.StringIO(f"{value}\n"), stdout=out) == 0, out.getvalue()
    assert out.getvalue().startswith("PASS")
    forgot = float(engine.weighted_sum(np.array(params["inputs"], dtype=float), np.array(params["weights"], dtype=float), 0))
    out = io.StringIO()
    assert check_command(check[2:], stdin=io.StringIO(f"{forgot}\n"), stdout=out) == 1
    assert out.getvalue().startswith(f"FAIL: You left out the bias. Add b = {shown['params']['bias']:g} to the sum")


def exercise_snippets() -> list[str]:
    """Every ```toml block of the guide that is a whole exercise (has id and kind)."""
    blocks = re.findall(r"```toml\n(.*?)```", doc_text(), re.DOTALL)
    return [block for block in blocks if re.search(r'^id = ', block, re.M) and re.search(r"^kind = ", block, re.M)]


def test_the_kind_examples_in_the_guide_lint_clean(tmp_path: Path) -> None:
    snippets = exercise_snippets()
    kinds = [re.search(r'^kind = "(\w+)"', snippet, re.M).group(1) for snippet in snippets]
    assert kinds == ["number", "array", "choice", "code", "tune"]
    head = '+++\nid = "kinds"\ntitle = "Kinds"\norder = 1\n+++\n\n'
    path = tmp_path / "01-kinds.md"
    # each exercise gets a sentence of prose of its own, as lint asks
    path.write_text(head + "\n".join(f"Prose before the {kind} exercise.\n\n```exercise\n{snippet}```\n"
                                     for kind, snippet in zip(kinds, snippets)), encoding="utf-8")
    assert load_lesson(path).exercises
    assert [str(problem) for problem in lint_paths([path])] == []


def test_every_field_the_loader_accepts_is_documented() -> None:
    from tutor.course import schema

    text = doc_text()
    names = set(schema.FRONT_MATTER_FIELDS + schema.ALL_EXERCISE_FIELDS + schema.CHALLENGE_FIELDS + schema.REF_FIELDS + schema.CODE_FIELDS
                + schema.RANDOM_FIELDS + schema.RANDOM_ARG_FIELDS + schema.PROBE_FIELDS + schema.LIMIT_FIELDS
                + schema.PARAM_FIELDS + schema.CONDITION_FIELDS + schema.X_FIELDS + schema.VARIANT_FIELDS
                + schema.RAISES_FIELDS)
    for kind_fields in schema.PLOT_FIELDS.values():
        names.update(kind_fields)
    missing = sorted(name for name in names if f"`{name}`" not in text and f"{name} =" not in text)
    assert missing == []



def own_reference_section() -> str:
    return doc_text().split("## Your own reference code (reference.py)")[1].split("\n## ")[0]


def test_the_own_reference_walkthrough_works_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    section = own_reference_section()
    steps = section.split("<!-- own-reference:start -->")[1].split("<!-- own-reference:end -->")[0]
    reference = re.search(r"save this as `(leakycourse/reference\.py)`:\n\n```python\n(.*?)```", steps, re.DOTALL)
    lesson = re.search(r"and this as `(leakycourse/01-leaky\.md)`:\n\n````markdown\n(.*?)````", steps, re.DOTALL)
    assert reference and lesson, "the walkthrough saves a reference.py and a lesson, each from one block"
    monkeypatch.chdir(tmp_path)
    Path("leakycourse").mkdir()
    Path(reference.group(1)).write_text(reference.group(2), encoding="utf-8")
    Path(lesson.group(1)).write_text(lesson.group(2), encoding="utf-8")
    Path("solution.py").write_text(load_lesson(Path(lesson.group(1))).exercise("implement").solution, encoding="utf-8")
    commands = [shlex.split(line.strip()) for line in steps.splitlines() if line.startswith("    nntutor ")]
    assert [command[:2] for command in commands] == [["nntutor", "lint"], ["nntutor", "engine"], ["nntutor", "check"]]
    assert nntutor(commands[0][1:]) == 0
    assert capsys.readouterr().out == ""  # "Lint prints nothing"
    assert nntutor(commands[1][1:]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert f"`nntutor engine` prints\n`{first}`" in section
    assert nntutor(commands[2][1:]) == 0
    assert capsys.readouterr().out.startswith("PASS")


def test_the_nested_reference_example_computes_what_the_engine_does() -> None:
    import tomllib

    import engine
    from tutor.course.engine_refs import evaluate
    from tutor.course.model import EngineRef

    block = own_reference_section().split("### Nested references")[1].split("```\n")[1]
    table = tomllib.loads(block)["expected"]
    value = evaluate(EngineRef(table["engine"], table["args"], table.get("select")))
    network = engine.Network.from_sizes([2, 3, 1], ["relu", "sigmoid"], seed=3)
    direct = engine.train(network, [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], steps=500, seed=0)
    assert value == direct.final_loss


def test_the_catalogue_commands_print_what_the_guide_quotes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    section = own_reference_section().split("### The catalogue: `nntutor engine`")[1].split("###")[0]
    commands = [shlex.split(line.strip()) for line in section.splitlines() if line.startswith("    nntutor ")]
    assert commands == [["nntutor", "engine"], ["nntutor", "engine", "train"], ["nntutor", "engine", "--course", "mycourse"]]
    monkeypatch.chdir(tmp_path)
    Path("mycourse").mkdir()
    Path("mycourse/01-bias.md").write_text(worked_example(), encoding="utf-8")
    outputs = []
    for command in commands:
        assert nntutor(command[1:]) == 0
        outputs.append(capsys.readouterr().out)
    assert "    activation: one of 'sigmoid', 'tanh', 'relu', 'identity', 'softmax' (default 'sigmoid')" in outputs[0]
    assert "    network: a Network: a nested reference such as" in outputs[1]
    assert "(none: the course has no reference.py)" in outputs[2]
    from tutor.course.model import EngineRef
    from tutor.course.references import Use, reference_problems

    [message] = reference_problems(Use(EngineRef("leaky_relu", {"z": 1.0})))
    assert "(did you mean 'relu'" in message and "a lesson may name sigmoid" in message


def test_the_goal_wording_table_is_what_the_learner_reads() -> None:
    from tutor.checking.goals import Quantity, judge_condition
    from tutor.course.model import Exercise

    tune = doc_text().split("### `tune`: parameters that must make a property true")[1].split("\n## ")[0]
    rows = re.findall(r"^\| `([^`]+)` \| (the [^|]+?) \|$", tune, re.M)
    assert len(rows) == 5
    for select, words in rows:
        assert Quantity.of(select).words == words
    exercise = Exercise(id="t", lesson_id="l", kind="tune", prompt="p", line=1)
    report = judge_condition({"select": "final_loss", "below": 0.01}, {"final_loss": 0.0213}, exercise)
    assert f'reads "{report.text}"' in " ".join(tune.split())


def test_a_parameter_inside_an_array_and_the_starter_rule(tmp_path: Path) -> None:
    from tutor.course.engine_refs import evaluate
    from tutor.course.model import EngineRef

    assert 'sizes = [2, "$hidden", 1]' in doc_text()
    network = evaluate(EngineRef("Network.from_sizes", {"sizes": [2, "$hidden", 1], "seed": 0}), params={"hidden": 4})
    assert network.sizes == (2, 4, 1)
    # "it may also raise NotImplementedError": a starter that does lints clean
    steps = own_reference_section().split("<!-- own-reference:start -->")[1]
    reference = re.search(r"```python\n(.*?)```", steps, re.DOTALL).group(1)
    lesson = re.search(r"````markdown\n(.*?)````", steps, re.DOTALL).group(1)
    assert "it may also raise `NotImplementedError`" in doc_text()
    (tmp_path / "reference.py").write_text(reference, encoding="utf-8")
    (tmp_path / "01-leaky.md").write_text(lesson.replace(
        "def leaky_relu(z, slope):\n    return z\n", "def leaky_relu(z, slope):\n    raise NotImplementedError\n"),
        encoding="utf-8")
    assert "raise NotImplementedError" in (tmp_path / "01-leaky.md").read_text(encoding="utf-8")
    assert [str(problem) for problem in lint_paths([tmp_path])] == []


def test_the_raises_example_is_the_fixture_lint_checks() -> None:
    """The guide's `raises` entry, as written, gives its message to max(0, z)."""
    from tutor.checking.checker import check

    section = doc_text().split("## Wrong answers")[1].split("\n## ")[0]
    entry = "\n".join(line[4:] for line in section.split("    [[wrong]]\n")[1].split("\n\n")[0].splitlines())
    fixture = Path(__file__).parent / "fixtures" / "lessons" / "wrong-raises" / "01-wrong-raises.md"
    text = fixture.read_text(encoding="utf-8")
    head = text.split("[[wrong]]")[0]
    lesson = parse_lesson(head + "[[wrong]]\n" + entry + "\n```\n", fixture)
    exercise = lesson.exercises[0]
    verdict = check(exercise, "def relu(z):\n    return max(0, z)\n")
    assert verdict.message == exercise.wrong[0].message
    assert exercise.wrong[0].raises == {"type": "ValueError", "match": "truth value of an array"}
