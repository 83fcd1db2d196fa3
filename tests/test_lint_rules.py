"""One broken lesson per lint rule, each asserting the exact `file:line: message`.

The fixtures live in tests/fixtures/lessons/<rule>/; each differs from
`valid/` by one mistake, so a finding that moves lines or words is caught.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tutor.lint import lint_paths, main

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


def lines_of(folder: str) -> list[str]:
    return [str(problem) for problem in lint_paths([FIXTURES / folder])]


def at(folder: str, file: str, line: int, message: str) -> str:
    return f"{FIXTURES / folder / file}:{line}: {message}"


def test_valid_fixture_is_clean() -> None:
    assert lines_of("valid") == []


def test_bad_toml_points_at_the_broken_line() -> None:
    assert lines_of("bad-toml") == [
        at("bad-toml", "01-bad-toml.md", 11, "invalid TOML: Illegal character '\\n' (column 15); a string in \"...\" "
           "must end on the line it starts: close the quote, or write text over several lines between ''' and '''"),
    ]


def test_unknown_field_suggests_the_known_one() -> None:
    assert lines_of("unknown-field") == [
        at("unknown-field", "01-unknown-field.md", 9, "missing required field 'tolerance' for a number exercise"),
        at("unknown-field", "01-unknown-field.md", 14, "unknown field 'tolerence' in exercise (did you mean 'tolerance'?)"),
    ]


def test_missing_id_points_at_the_block() -> None:
    assert lines_of("missing-id") == [
        at("missing-id", "01-missing-id.md", 9, "missing required field 'id' in exercise"),
    ]


def test_duplicate_exercise_id_names_the_first() -> None:
    assert lines_of("duplicate-id") == [
        at("duplicate-id", "01-duplicate-id.md", 22, "duplicate exercise id 'z' (first at line 10)"),
    ]


def test_duplicate_lesson_id_across_files() -> None:
    first = FIXTURES / "duplicate-lesson" / "01-twin.md"
    assert lines_of("duplicate-lesson") == [
        at("duplicate-lesson", "02-twin.md", 2, f"duplicate lesson id 'twin' (also in {first})"),
    ]


def test_duplicate_order_across_files() -> None:
    first = FIXTURES / "duplicate-order" / "01-first.md"
    assert lines_of("duplicate-order") == [
        at("duplicate-order", "02-second.md", 4, f"order 3 is also used by {first}"),
    ]


def test_unknown_engine_function_suggests_a_name() -> None:
    assert lines_of("unknown-engine") == [
        at("unknown-engine", "01-unknown-engine.md", 13,
           "unknown engine function 'weighted_summ' (did you mean 'weighted_sum'?); "
           "`nntutor engine` lists every name with its arguments"),
    ]


def test_wrong_arity_names_the_missing_argument() -> None:
    assert lines_of("wrong-arity") == [
        at("wrong-arity", "01-wrong-arity.md", 13,
           "arguments do not fit engine function 'weighted_sum': missing a required argument: 'bias'"),
    ]


def test_tolerance_must_be_declared() -> None:
    assert lines_of("no-tolerance") == [
        at("no-tolerance", "01-no-tolerance.md", 9, "missing required field 'tolerance' for a number exercise"),
    ]


def test_seed_must_be_given() -> None:
    assert lines_of("seed-missing") == [
        at("seed-missing", "01-seed-missing.md", 13,
           "engine function 'datasets.two_moons' takes a seed: give 'seed' explicitly so every run is the same"),
    ]


def test_failing_reference_solution() -> None:
    assert lines_of("solution-fails") == [
        at("solution-fails", "01-solution-fails.md", 16, "reference solution does not pass: 7 is too high; the engine computed 5.0"),
    ]


def test_starter_that_passes() -> None:
    assert lines_of("starter-passes") == [
        at("starter-passes", "01-starter-passes.md", 26,
           "starter code passes the exercise; it must leave the learner work to do"),
    ]


def test_wrong_answer_message_mismatch() -> None:
    assert lines_of("message-mismatch") == [
        at("message-mismatch", "01-message-mismatch.md", 22,
           "known wrong answer gets a different message: expected 'You forgot to add b = -2.', "
           "got 'You left out the bias.'; the [[wrong]] entry at line 18 (answer = '7') matches this answer first: "
           "make the two differ, or put the more specific one first"),
    ]


def test_main_prints_findings_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(FIXTURES / "wrong-arity")]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == lines_of("wrong-arity")
    assert err.strip() == "1 problem in 1 file"


def test_main_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main([str(FIXTURES / "valid")]) == 0
    assert capsys.readouterr().out == ""
    assert main([str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main([str(tmp_path)]) == 2  # an empty folder is a usage error, not a clean course
    assert "no lesson files" in capsys.readouterr().err
    assert main(["--bogus"]) == 2


def test_every_finding_of_several_folders_at_once() -> None:
    problems = lint_paths([FIXTURES / "missing-id", FIXTURES / "wrong-arity", FIXTURES / "valid"], run_checker=False)
    assert [problem.line for problem in problems] == [9, 13]


def test_no_run_skips_the_checker() -> None:
    assert lint_paths([FIXTURES / "solution-fails"], run_checker=False) == []


def test_a_checker_that_cannot_be_imported_is_an_error_not_a_skip(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    # lint once printed a note and reported the course clean without running a single answer
    monkeypatch.setitem(sys.modules, "tutor.checking.checker", None)
    with pytest.raises(ImportError):
        lint_paths([FIXTURES / "solution-fails"])
    assert capsys.readouterr().err == ""
    assert lint_paths([FIXTURES / "solution-fails"], run_checker=False) == []  # --no-run never imports it


def test_plot_that_cannot_be_drawn() -> None:
    assert lines_of("plot-broken") == [
        at("plot-broken", "01-plot-broken.md", 23,
           "plot curve 'first only' must give one number per x value (9), not shape ()"),
    ]


def test_wrong_code_that_passes_is_reported() -> None:
    assert lines_of("wrong-code-passes") == [
        at("wrong-code-passes", "01-wrong-code-passes.md", 32,
           "known wrong answer passes the exercise (expected the message 'You wrote the sigmoid with tanh.')"),
    ]


def test_two_wrong_codes_that_cannot_be_told_apart() -> None:
    # sigmoid(-z) written two ways: the second entry's message could never be shown
    assert lines_of("wrong-code-twins") == [
        at("wrong-code-twins", "01-wrong-code-twins.md", 41,
           "known wrong answer gets a different message: expected 'You computed sigmoid(-z).', "
           "got 'Your exponent has the wrong sign: it is e^(-z) in the denominator.'; the [[wrong]] entry at line 32 "
           "matches this answer first: make the two differ, or put the more specific one first"),
        at("wrong-code-twins", "01-wrong-code-twins.md", 41,
           "this wrong answer's code gives the same results as the one at line 32 on every case, so the "
           "checker cannot tell them apart: add a case where they differ, or merge the two"),
    ]


# -- variants: each rule over the seeds lint draws, naming the first that breaks it


def test_variant_parameters_declared_wrongly_are_named() -> None:
    assert lines_of("variant-params") == [
        at("variant-params", "01-variant-params.md", 18,
           "the exercise uses '$bais' but [params] declares no 'bais' (did you mean 'bias'?)"),
        at("variant-params", "01-variant-params.md", 21,
           "parameter 'scale' is never used: write \"$scale\" in an engine reference or {scale} in the prompt"),
        at("variant-params", "01-variant-params.md", 22, "parameter 'weights': 'step' goes with 'range'"),
    ]


def test_a_variant_whose_solution_fails_names_its_seed() -> None:
    assert lines_of("variant-solution") == [
        at("variant-solution", "01-variant-solution.md", 16,
           "variant of seed 1: reference solution does not pass: 0 is too low."),
    ]


def test_a_variant_whose_starter_passes_names_its_seed() -> None:
    assert lines_of("variant-starter") == [
        at("variant-starter", "01-variant-starter.md", 26,
           "starter code passes the exercise in variant 2; it must leave the learner work to do"),
    ]


def test_a_variant_where_a_mistake_is_the_right_answer() -> None:
    assert lines_of("variant-wrong-equals") == [
        at("variant-wrong-equals", "01-variant-wrong-equals.md", 21,
           "variant of seed 1: this wrong answer equals the right one there, so the mistake cannot show; "
           "choose parameters where it differs"),
    ]


def test_a_variant_where_two_mistakes_tie() -> None:
    assert lines_of("variant-wrong-twins") == [
        at("variant-wrong-twins", "01-variant-wrong-twins.md", 28,
           "variant of seed 2: this wrong answer gives the same value as the one at line 23 there, so its "
           "message is never shown; choose parameters where the two mistakes differ"),
    ]


def test_a_variant_that_overflows() -> None:
    assert lines_of("variant-overflow") == [
        at("variant-overflow", "01-variant-overflow.md", 13,
           "variant of seed 7: the expected value overflows or is not a number; narrow the parameters' ranges"),
    ]


def test_a_literal_mistake_in_a_variant_whose_message_follows_the_variant() -> None:
    assert lines_of("variant-literal") == [
        at("variant-literal", "01-variant-literal.md", 21,
           "this wrong answer's message names 'bias' but its answer '7' is the same in every variant: give the "
           "mistake as an engine computation on the parameters (engine, args with \"$name\"), or write the answer "
           "with {name}"),
    ]


def test_a_computed_parameter_that_disagrees_with_the_engine() -> None:
    assert lines_of("variant-computed") == [
        at("variant-computed", "01-variant-computed.md", 20,
           "parameter 's': the published value 0.9934 is not what the engine computes from the published "
           "parameters (0.9933)"),
    ]
