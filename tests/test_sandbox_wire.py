"""Values and frames as data: what the tutor accepts from a child, and what it refuses."""

from __future__ import annotations

import base64
import io
import pickle

import numpy as np
import pytest
from hypothesis import given, strategies as st

from tutor.course.model import Limits
from tutor.sandbox.protocol import FrameReader, RawRun, new_nonce, pack
from tutor.sandbox.results import to_run_result
from tutor.sandbox.protocol import InvalidData, UnsupportedValue, decode, dumps, encode, loads

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=20,
)


@given(plain)
def test_plain_values_survive_the_trip(value):
    assert decode(loads(dumps(encode(value)))) == value


@given(st.sampled_from(["float64", "float32", "int64", "uint8", "bool", "complex128"]), st.lists(st.integers(0, 4), max_size=3))
def test_numeric_arrays_survive_with_dtype_and_shape(dtype, shape):
    array = (np.arange(int(np.prod(shape)) if shape else 1) % 3).astype(dtype).reshape(shape)
    back = decode(loads(dumps(encode(array))))
    assert back.dtype == array.dtype and back.shape == array.shape and np.array_equal(back, array)


def test_non_finite_floats_are_tagged_because_json_has_none():
    assert dumps(encode([float("nan"), float("inf")])) == b'[{"$float":"nan"},{"$float":"inf"}]'
    back = decode(loads(b'[{"$float":"nan"},{"$float":"-inf"}]'))
    assert np.isnan(back[0]) and back[1] == -np.inf


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ((x for x in []), "returned a generator, expected a number or a NumPy array"),
        ({1: 2}, "returned a dict with an int key; only text keys can be shown"),
        (np.array([object()]), "returned a NumPy array of dtype object, expected an array of numbers"),
        (np.zeros(2, dtype=[("a", "f8")]), "expected an array of numbers"),
        (1 + 2j, "returned a complex, expected a number or a NumPy array"),
    ],
)
def test_unsupported_values_are_named(value, message):
    with pytest.raises(UnsupportedValue, match=message.replace("(", r"\(").replace(")", r"\)")):
        encode(value)


def test_a_value_containing_itself_is_unsupported_not_a_hang():
    loop: list = []
    loop.append(loop)
    with pytest.raises(UnsupportedValue, match="nested too deeply"):
        encode(loop)


NESTED: object = 1
for _ in range(40):
    NESTED = [NESTED]


def _npy(array) -> str:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.parametrize(
    "data",
    [
        {"$nd": _npy(np.array([{"a": 1}], dtype=object))},  # a pickled object array
        {"$nd": base64.b64encode(pickle.dumps([1, 2])).decode()},  # a bare pickle
        {"$nd": "not base64!"},
        {"$np": _npy(np.zeros(2))},  # a "scalar" with a shape
        {"$what": 1},
        {"$dict": [1]},
        {"a": 1, "b": 2},
        NESTED,
    ],
)
def test_malformed_data_is_invalid_never_unpickled(data):
    with pytest.raises(InvalidData):
        decode(data)


def test_bare_nan_and_broken_json_are_invalid():
    for raw in (b"NaN", b"[1, Infinity]", b"{", b"\xff", b"[" * 100_000 + b"]" * 100_000):
        with pytest.raises(InvalidData):
            loads(raw)


def test_frame_reader_splits_frames_fed_in_pieces():
    nonce = new_nonce()
    stream = pack(nonce, b'{"k":"done"}') + pack(nonce, b"[1]") + pack(nonce, b"")
    reader = FrameReader(nonce, 1000)
    for i in range(len(stream)):
        reader.feed(stream[i : i + 1])
    reader.finish()
    assert reader.payloads == [b'{"k":"done"}', b"[1]"] and reader.finished and reader.problem is None


def test_frame_reader_rejects_foreign_bytes_and_oversize():
    nonce = new_nonce()
    forged = FrameReader(nonce, 1000)
    forged.feed(pack(b"\x00" * 16, b'{"k":"done"}'))
    assert forged.problem == "the result channel received bytes that did not come from the checker"
    big = FrameReader(nonce, 10)
    big.feed(pack(nonce, b"x" * 20))
    assert big.problem == "the result was larger than 0 MB"
    cut = FrameReader(nonce, 1000)
    cut.feed(pack(nonce, b"[1, 2]")[:-2])
    cut.finish()
    assert cut.truncated and cut.problem is None


@pytest.mark.parametrize(
    "payloads",
    [
        (b'{"k":"call","i":1,"value":1}',),  # out of order
        (b'{"k":"call","i":0,"error":{"type":3,"message":"x"}}',),
        (b'{"k":"launch"}',),
        (b"[]",),
        (b'{"k":"call","i":0,"value":{"$nd":"AAAA"}}',),
    ],
)
def test_malformed_frames_make_an_invalid_result(payloads):
    result = to_run_result(RawRun(payloads=payloads, exit_code=0), Limits(), "f")
    assert result.status == "invalid_result"
    assert result.message.startswith("The result of your code could not be read:")


def test_forgery_takes_precedence_over_anything_the_frames_claim():
    payloads = (b'{"k":"call","i":0,"value":1}', b'{"k":"done"}')
    result = to_run_result(RawRun(payloads=payloads, frame_problem="the result channel received bytes that did not come from the checker"), Limits(), "f")
    assert result.status == "invalid_result" and result.calls == ()
