"""Judged on what the learner did not see: fresh cases and probe points per attempt.

Every attempt adds cases drawn by the exercise's declared rules from a seed of
its own (recorded with the attempt, repeated by `nntutor check --seed N`),
after the published cases; a function that only remembers earlier feedback
meets inputs it has never seen.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import numpy as np
import pytest

from engine import sigmoid
from tutor.checking.cases import build_cases, new_seed
from tutor.checking.checker import check
from tutor.checking.command import main as check_main
from tutor.checking.probes import build_probes
from tutor.course.loader import load_course
from tutor.course.model import CodeSpec, RandomCases
from tutor.lint import lint_paths
from tutor.sandbox.api import get_runner

SPEC = CodeSpec(
    entry="f", signature="def f(z, labels)", starter="",
    cases=({"z": [1.0, 2.0], "labels": [0, 1]},),
    random=RandomCases(seed=7, count=3, args={
        "z": {"shape": [2], "low": -5.0, "high": 5.0},
        "labels": {"shape": [4], "low": 0, "high": 3, "integer": True},
    }),
)


@pytest.fixture(scope="module")
def runner():
    return get_runner()


@pytest.fixture(scope="module")
def implement():
    return load_course().lesson("sigmoid").exercise("implement")


def test_the_published_cases_come_first_and_do_not_change():
    published = build_cases(SPEC, "t/f")
    with_fresh = build_cases(SPEC, "t/f", seed=123)
    assert [case.title for case in published] == [
        "case 1 of 4", "case 2 of 4 (random, seed 7)", "case 3 of 4 (random, seed 7)", "case 4 of 4 (random, seed 7)"]
    assert [case.title for case in with_fresh] == [
        "case 1 of 7", "case 2 of 7 (random, seed 7)", "case 3 of 7 (random, seed 7)", "case 4 of 7 (random, seed 7)",
        "case 5 of 7 (fresh, seed 123)", "case 6 of 7 (fresh, seed 123)", "case 7 of 7 (fresh, seed 123)"]
    for old, new in zip(published, with_fresh):
        np.testing.assert_array_equal(old.args["z"], new.args["z"])


def test_fresh_cases_follow_the_declared_rules_and_repeat_with_their_seed():
    fresh = build_cases(SPEC, "t/f", seed=123)[4:]
    again = build_cases(SPEC, "t/f", seed=123)[4:]
    other = build_cases(SPEC, "t/f", seed=124)[4:]
    for case, same in zip(fresh, again):
        np.testing.assert_array_equal(case.args["z"], same.args["z"])
        assert case.args["z"].shape == (2,) and np.all((-5 <= case.args["z"]) & (case.args["z"] < 5))
        assert case.args["labels"].dtype.kind == "i" and set(case.args["labels"].tolist()) <= {0, 1, 2}
    assert not np.array_equal(fresh[0].args["z"], other[0].args["z"])
    published = [case.args["z"].tobytes() for case in build_cases(SPEC, "t/f")]
    assert all(case.args["z"].tobytes() not in published for case in fresh)


def test_new_seeds_differ_and_are_short_enough_to_type():
    seeds = {new_seed() for _ in range(50)}
    assert len(seeds) > 45 and all(0 <= seed < 10**8 for seed in seeds)


def _lookup_table(cases) -> str:
    """A 'sigmoid' that answers from a table of the inputs and answers it was shown."""
    table = {case.args["z"].tobytes() if isinstance(case.args["z"], np.ndarray)
             else np.float64(case.args["z"]).tobytes(): np.asarray(sigmoid(case.args["z"])).tolist()
             for case in cases}
    return textwrap.dedent(f"""\
        import numpy as np
        TABLE = {{bytes.fromhex(key): value for key, value in {{ {", ".join(f"{k.hex()!r}: {v!r}" for k, v in table.items())} }}.items()}}
        def sigmoid(z):
            z = np.asarray(z, dtype=float)
            if z.ndim == 0:
                key = np.float64(z).tobytes()
            else:
                key = z.tobytes()
            if key in TABLE:
                return np.asarray(TABLE[key], dtype=float)
            return np.full(z.shape, 0.5)
        """)


def test_a_lookup_table_built_from_earlier_feedback_fails_the_next_attempt(runner, implement):
    seen = build_cases(implement.code, implement.qualified_id, seed=1111)
    seen += [probe.case for probe in build_probes(implement.code, seed=1111)]
    table = _lookup_table(seen)
    assert check(implement, table, runner=runner, seed=1111).passed  # everything it was shown
    verdict = check(implement, table, runner=runner, seed=2222)
    assert verdict.status == "fail"
    assert verdict.values["seed"] == 2222
    first = verdict.cases[0]  # the first failing case, in full
    assert first.title.endswith("(fresh, seed 2222)")
    fresh = build_cases(implement.code, implement.qualified_id, seed=2222)
    failing = next(case for case in fresh if case.title == first.title)
    assert first.inputs.startswith("z = [")
    assert first.expected.startswith("[") and first.actual.startswith("[0.5, 0.5")
    assert failing.args["z"].shape == (6,)
    assert check(implement, implement.solution, runner=runner, seed=2222).passed


def test_the_lesson_solution_passes_whatever_the_seed(runner, implement):
    for seed in (5, 6, 7):
        verdict = check(implement, implement.solution, runner=runner, seed=seed)
        assert verdict.passed, verdict.render()
        assert verdict.message == "All 25 cases pass, and your sigmoid function holds up at the extremes."


CORNER_CUTTING_SIGMOID = textwrap.dedent("""\
    import numpy as np
    def sigmoid(z):
        z = np.asarray(z, dtype=float)
        big = np.abs(z) >= 1000
        safe = np.where(big, 0.0, z)
        return np.where(big, (z > 0).astype(float), 1 / (1 + np.exp(-safe)))
    """)


def test_a_sigmoid_that_special_cases_only_a_thousand_overflows_on_fresh_probe_points(runner, implement):
    for seed in (None, 31, 32, 33):
        verdict = check(implement, CORNER_CUTTING_SIGMOID, runner=runner, seed=seed)
        assert verdict.status == "fail", verdict.render()
        assert verdict.message.startswith("Your sigmoid overflows for very negative z")
        assert -1000 <= float(verdict.cases[0].inputs.removeprefix("z = ")) < -710
    assert check(implement, implement.solution, runner=runner, seed=33).passed


def test_probe_points_are_drawn_across_the_declared_range_from_the_attempt_seed(implement):
    probes = build_probes(implement.code, seed=77, qualified_id=implement.qualified_id)
    fixed, fresh = probes[:3], probes[3:]
    assert [probe.case.title for probe in fixed] == ["probe 1 of 9", "probe 2 of 9", "probe 3 of 9"]
    assert all(probe.case.title.endswith("(fresh, seed 77)") for probe in fresh)
    scalars = [probe.case.args["z"] for probe in fresh[:4]]
    assert all(-1000 <= z < -710 for z in scalars) and len(set(scalars)) == 4
    assert [probe.case.args["z"] for probe in build_probes(implement.code, seed=78)[3:7]] != scalars


def test_nntutor_check_repeats_an_attempt_with_its_seed(tmp_path: Path, capsys):
    answer = tmp_path / "answer.py"
    answer.write_text("import numpy as np\n\ndef sigmoid(z):\n    return np.clip(0.5 + 0.2 * np.asarray(z, dtype=float), 0.0, 1.0)\n")
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        assert check_main(["sigmoid/implement", str(answer), "--seed", "4242"], stdout=out, stderr=io.StringIO()) == 1
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert "FAIL: Your sigmoid function returns wrong values in 24 of 25 cases." in outputs[0]
    capsys.readouterr()
    assert check_main(["sigmoid/implement", str(answer), "--seed", "many"], stdout=io.StringIO()) == 2
    assert "a seed is a whole number such as 48213907, not 'many'" in capsys.readouterr().err


def test_lint_checks_fresh_cases_over_several_seeds(tmp_path: Path):
    """A reference solution that is right only on the published cases is reported."""
    published = build_cases(CodeSpec(entry="sigmoid", signature="", starter="", random=RandomCases(
        seed=3, count=2, args={"z": {"shape": [], "low": -5.0, "high": 5.0}})))
    known = {case.args["z"]: float(sigmoid(case.args["z"])) for case in published}
    lesson = tmp_path / "01-fresh.md"
    lesson.write_text(textwrap.dedent(f'''\
        +++
        id = "fresh"
        title = "Fresh"
        order = 1
        +++

        ```exercise
        id = "memorised"
        kind = "code"
        prompt = "Write sigmoid(z)."
        expected = {{ engine = "sigmoid" }}
        tolerance = {{ abs = 1e-9, rel = 1e-9 }}
        hints = ["1 / (1 + e^-z)"]
        solution = """
        def sigmoid(z):
            return {known!r}.get(z, 0.5)
        """

        [code]
        entry = "sigmoid"
        signature = "def sigmoid(z)"
        starter = """
        def sigmoid(z):
            return z
        """
        random = {{ seed = 3, count = 2, args = {{ z = {{ shape = [], low = -5.0, high = 5.0 }} }} }}
        ```
        '''))
    problems = [problem.message for problem in lint_paths([lesson])]
    assert len(problems) == 1
    assert problems[0].startswith("reference solution does not pass with fresh cases from seed 1: "
                                  "Your sigmoid function returns wrong values in 2 of 4 cases.")


def test_a_failing_attempt_says_how_to_repeat_it(runner, implement):
    wrong = "import numpy as np\n\ndef sigmoid(z):\n    return np.clip(0.5 + 0.2 * np.asarray(z, dtype=float), 0.0, 1.0)\n"
    verdict = check(implement, wrong, runner=runner, seed=4242)
    # the lesson as written (sigmoid/implement has variants of its visible cases): --seed 4242 alone would
    # judge variant 4242, so the line names the variant too
    assert verdict.details[-1] == ("This attempt drew its fresh cases from seed 4242: "
                                   "nntutor check sigmoid/implement FILE --seed 4242 --variant written repeats it.")
    from tutor.course.variants import instantiate

    assert check(instantiate(implement, 4242), wrong, runner=runner, seed=4242).details[-1] == (
        "This attempt drew its fresh cases from seed 4242: nntutor check sigmoid/implement FILE --seed 4242 repeats it.")
    assert not any("seed 4242" in line for line in check(implement, wrong, runner=runner).details)
    assert check(implement, implement.solution, runner=runner, seed=4242).details == ()
