"""The answer parser: what a learner types becomes a number or an array, or a friendly error."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.checking.answers import AnswerParseError, parse_array, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [("5", 5.0), ("0.99", 0.99), ("-3e-4", -3e-4), ("  2.5  ", 2.5), ("[5]", 5.0), ("\u22122", -2.0), ("np.float64(0.5)", 0.5), (".5", 0.5), ("1E3", 1000.0)],
)
def test_numbers_as_typed(text, value):
    assert parse_number(text) == value


def test_nan_and_inf_are_numbers_the_checker_names():
    assert math.isnan(parse_number("nan"))
    assert parse_number("-inf") == -math.inf


@pytest.mark.parametrize(
    "text",
    ["-30 20 20", "-30, 20, 20", "[-30, 20, 20]", "(-30, 20, 20)", "[-30 20 20]", "array([-30., 20., 20.])", "-30,20,20"],
)
def test_vectors_in_every_form(text):
    np.testing.assert_array_equal(parse_array(text), [-30.0, 20.0, 20.0])


@pytest.mark.parametrize(
    "text",
    ["1 2\n3 4", "1, 2\n3, 4\n", "[[1, 2], [3, 4]]", "[[1. 2.]\n [3. 4.]]", "1 2; 3 4", "[[np.float64(1.0), 2], [3, np.int64(4)]]", "np.array([[1, 2], [3, 4]])"],
)
def test_matrices_one_row_per_line_or_nested(text):
    np.testing.assert_array_equal(parse_array(text), [[1.0, 2.0], [3.0, 4.0]])


def test_scientific_notation_inside_arrays():
    np.testing.assert_array_equal(parse_array("1e-3 -2.5E2"), [1e-3, -250.0])


def test_shape_arranges_a_flat_list_but_leaves_mismatches_for_the_checker():
    assert parse_array("1 2 3", shape=(3, 1)).shape == (3, 1)
    assert parse_array("5", shape=(1,)).shape == (1,)
    assert parse_array("1 2 3", shape=(2,)).shape == (3,)
    assert parse_array("1 2\n3 4\n5 6", shape=(2, 3)).shape == (3, 2)


@pytest.mark.parametrize(
    ("function", "text", "message"),
    [
        (parse_number, "", "Type a number, for example 5 or 0.99."),
        (parse_number, "abc", "'abc' is not a number. Type digits such as 5, 0.99 or -3e-4."),
        (parse_number, "0,99", "Use a dot for decimals: 0.99 rather than 0,99."),
        (parse_number, "5 6", "Type one number; you typed 2."),
        (parse_number, "two and a half", "'two and a half' is not a number. Type digits such as 5, 0.99 or -3e-4."),
        (parse_array, "", "Type the values, for example: -30 20 20"),
        (parse_array, "1 2 x", "'x' is not a number. Type digits such as 5, 0.99 or -3e-4."),
        (parse_array, "[1, 2", "A bracket is not closed: add ']' at the end."),
        (parse_array, "1, 2]", "There is a closing bracket without an opening one."),
        (parse_array, "1 2\n3", "Every row needs the same number of values: row 1 has 2, row 2 has 1."),
        (parse_array, "[[1, 2], [3]]", "Every row needs the same number of values: row 1 has 2, row 2 has 1."),
        (parse_array, "[]", "There are no numbers in the brackets."),
        (parse_array, "__import__('os')", "\"__import__('os')\" is not a number. Type digits such as 5, 0.99 or -3e-4."),
    ],
)
def test_friendly_errors(function, text, message):
    with pytest.raises(AnswerParseError) as raised:
        function(text)
    assert str(raised.value) == message


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_a_value_or_an_answer_parse_error(text):
    try:
        parse_array(text)
    except AnswerParseError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.floats(allow_nan=False, width=64), min_size=3, max_size=3), min_size=1, max_size=4))
def test_round_trip_of_typed_rows(rows):
    text = "\n".join(" ".join(repr(x) for x in row) for row in rows)
    parsed = parse_array(text)
    expected = np.asarray(rows if len(rows) > 1 else rows[0], dtype=float)
    np.testing.assert_array_equal(parsed, expected)
