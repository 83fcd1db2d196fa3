"""Every engine name the guides mention is real, and every example exercise in
them lints clean: an author copying from the docs never meets an unknown
function or arguments that do not fit."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tutor.course.engine_refs import check_arguments, resolve
from tutor.course.model import EngineRef
from tutor.lint import lint_paths

DOCS = sorted((Path(__file__).parent.parent / "docs").glob("*.md"))
HEAD = '+++\nid = "example"\ntitle = "Example"\norder = 1\n+++\n\n'


def engine_names(text: str) -> set[str]:
    """`engine = "name"` anywhere (code blocks and tables alike), and dotted
    names in backticks that start with an engine submodule (`worked.mazur_forward`)."""
    import engine

    submodules = {name for name in engine.__all__ if name.islower() and hasattr(getattr(engine, name), "__all__")}
    named = set(re.findall(r'engine\s*=\s*"([^"]+)"', text))
    dotted = {name for name in re.findall(r"`([A-Za-z_]\w*\.[A-Za-z_][\w.]*)`", text) if name.split(".")[0] in submodules}
    return named | dotted


def toml_blocks(path: Path) -> list[tuple[int, str, dict]]:
    """(line, text, data) of each ```toml block that is a TOML document."""
    text = path.read_text(encoding="utf-8")
    blocks = []
    for match in re.finditer(r"^```toml\n(.*?)^```", text, re.S | re.M):
        line = text[: match.start()].count("\n") + 2
        try:
            blocks.append((line, match.group(1), tomllib.loads(match.group(1))))
        except tomllib.TOMLDecodeError:
            continue  # front matter between +++ lines is shown as toml but is not a TOML document
    return blocks


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_every_engine_name_in_the_docs_resolves(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    # a course's own functions, defined in the guide's reference.py example, are the course's, not the engine's
    course = {name for block in re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)
              for name in re.findall(r"^def (\w+)\(", block, re.M)}
    names = engine_names(text) - course
    unknown = []
    for name in sorted(names):
        try:
            resolve(name)
        except ValueError as error:
            unknown.append(f"{name}: {error}")
    assert unknown == []


def test_the_guide_names_engine_functions_at_all() -> None:
    """The test above would pass on docs that name nothing; they name plenty."""
    names = engine_names("\n".join(doc.read_text(encoding="utf-8") for doc in DOCS))
    assert {"sigmoid", "weighted_sum", "worked.ng_gate_neuron", "datasets.two_moons", "worked.mazur_training"} <= names


def test_a_made_up_name_would_be_caught() -> None:
    assert "worked.ng_gate_weights" in engine_names('expected = { engine = "worked.ng_gate_weights" }')
    with pytest.raises(ValueError, match="unknown engine function 'worked.ng_gate_weights'"):
        resolve("worked.ng_gate_weights")


def test_expected_fragments_fit_their_engine_function() -> None:
    fragments = [(doc.name, line, data["expected"]) for doc in DOCS for line, _, data in toml_blocks(doc)
                 if set(data) == {"expected"}]
    assert len(fragments) >= 2
    for name, line, ref in fragments:
        check_arguments(EngineRef(ref["engine"], ref.get("args", {}), ref.get("select")))


def test_every_example_exercise_in_the_docs_lints_clean(tmp_path: Path) -> None:
    """Each complete example (a block with `id` and `kind`), saved as a lesson
    of its own, passes lint: references bind, the solution passes, the starter
    fails, each wrong answer gets its message."""
    examples = [(doc.name, line, text, data) for doc in DOCS for line, text, data in toml_blocks(doc)
                if {"id", "kind"} <= set(data)]
    assert {data["kind"] for *_, data in examples} >= {"number", "array", "choice", "code", "tune"}
    for name, line, text, _ in examples:
        folder = tmp_path / f"{name}-{line}"
        folder.mkdir()
        (folder / "01-example.md").write_text(HEAD + "```exercise\n" + text + "```\n", encoding="utf-8")
        assert [str(problem) for problem in lint_paths([folder])] == [], f"{name}:{line}"
