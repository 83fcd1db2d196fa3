"""Blame where it belongs (issue 15, item 3): each broken lesson in tests/fixtures/lessons/
reported at the line of its own mistake, with the exact `file:line: message`."""

from __future__ import annotations

from pathlib import Path

from tutor.checking.checker import check
from tutor.course.loader import load_lesson
from tutor.lint import lint_paths

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


def lines_of(folder: str, *, run: bool = True) -> list[str]:
    return [str(problem) for problem in lint_paths([FIXTURES / folder], run_checker=run)]


def at(folder: str, line: int, message: str) -> str:
    return f"{FIXTURES / folder / f'01-{folder}.md'}:{line}: {message}"


def test_a_wrong_argument_value_is_blamed_at_expected_with_the_argument() -> None:
    # not "reference solution does not pass" at the solution, nor a knock-on error per wrong answer
    assert lines_of("blame-value") == [at(
        "blame-value", 13,
        "engine function 'neuron_output' failed on argument activation = 'ReLU': ValueError: activation_function: "
        "unknown activation 'ReLU'; choose one of sigmoid, tanh, relu, identity, softmax")]


def test_a_misspelled_keyword_gets_the_parameter_meant_and_the_list() -> None:
    assert lines_of("blame-keyword") == [at(
        "blame-keyword", 13,
        "arguments do not fit engine function 'neuron_output': got an unexpected keyword argument 'activaton' "
        "(did you mean 'activation'?); neuron_output takes inputs, weights, bias, activation")]


def test_a_failing_typed_solution_shows_what_the_engine_computed() -> None:
    assert lines_of("blame-solution") == [at(
        "blame-solution", 16, "reference solution does not pass: 3.5 is too low; the engine computed 5.0")]


def test_a_shadowed_wrong_answer_names_the_entry_that_shadows_it() -> None:
    assert lines_of("blame-shadowed") == [at(
        "blame-shadowed", 23,
        "known wrong answer gets a different message: expected 'That is the first weight alone: add the bias "
        "too.', got 'You left out the bias.'; the [[wrong]] entry at line 18 (engine = 'weighted_sum') matches "
        "this answer first: make the two differ, or put the more specific one first")]


def test_a_wrong_answer_may_match_the_exception_it_raises() -> None:
    assert lines_of("wrong-raises") == []
    exercise = load_lesson(FIXTURES / "wrong-raises" / "01-wrong-raises.md").exercises[0]
    assert exercise.wrong[0].raises == {"type": "ValueError", "match": "truth value of an array"}
    verdict = check(exercise, "def relu(z):\n    return max(0, z)\n")
    assert verdict.message == ("Python's max compares two numbers, not arrays element by element: "
                               "use np.maximum(z, 0).")
    # another exception is not this mistake
    other = check(exercise, "def relu(z):\n    raise ValueError('something else')\n")
    assert not other.passed and other.message != verdict.message


def test_an_unclosed_string_says_how_to_close_it() -> None:
    assert lines_of("bad-toml", run=False) == [at(
        "bad-toml", 11,
        "invalid TOML: Illegal character '\\n' (column 15); a string in \"...\" must end on the line it starts: "
        "close the quote, or write text over several lines between ''' and '''")]


def test_an_unclosed_triple_quote_is_reported_where_it_opens() -> None:
    assert lines_of("toml-triple", run=False) == [at(
        "toml-triple", 12,
        "invalid TOML: the ''' opened on this line is never closed: end the text with ''' "
        "(on a line of its own is clearest)")]


def test_a_backslash_in_a_basic_string_says_what_to_write() -> None:
    assert lines_of("toml-backslash", run=False) == [at(
        "toml-backslash", 12,
        "invalid TOML: Unescaped '\\' in a string (column 21); in a \"...\" string a backslash starts an escape "
        "(\\n, \\t): write \\\\ for a backslash, or use a '...' string, which takes it as it is (for LaTeX and "
        "regular expressions)")]


def test_a_key_under_the_wrong_header_says_to_move_it() -> None:
    assert lines_of("toml-header", run=False) == [
        at("toml-header", 9, "missing required field 'hints' in exercise"),
        at("toml-header", 30,
           "unknown field 'hints' in [code]: 'hints' is a field of the exercise, so if it stands below a [header] "
           "move it above the first one (in TOML every key after a header belongs to that table)"),
    ]
