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
        {"$np": encode(np.zeros(2))["$nd"]},  # a "scalar" with a shape
        {"$nd": {"dtype": "|O", "shape": [1], "data": base64.b64encode(b"\0" * 8).decode()}},  # objects
        {"$nd": {"dtype": "<f8", "shape": [3], "data": base64.b64encode(b"\0" * 16).decode()}},  # too few bytes
        {"$nd": {"dtype": "<f8", "shape": [-1], "data": ""}},
        {"$nd": {"dtype": "[('a', '<f8')]", "shape": [1], "data": base64.b64encode(b"\0" * 8).decode()}},
        {"$nd": {"dtype": "<f8", "shape": [1], "data": "AAAA", "extra": 1}},
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


# -- the reply and the limits, each said once in tutor/sandbox/protocol.py --------------------

from tutor.sandbox.protocol import PROBE_LIMITS, RunLimits, decode_job, encode_request  # noqa: E402


def test_a_reply_carries_the_childs_frames_verbatim_and_is_read_back_whole():
    frames = (b'{"k":"call","i":0,"value":1}', b'{"k":"done"}')
    raw = RawRun(payloads=frames, output="hi", exit_code=0, cpu_s=0.25, elapsed_s=0.5)
    header, blob = raw.to_message()
    assert blob == b"".join(frames) and header["frames"] == [len(f) for f in frames]
    back = RawRun.from_message(loads(dumps(header)), blob)
    assert back.payloads == frames and back.output == "hi" and back.cpu_s == 0.25
    with pytest.raises(InvalidData, match="frame sizes"):
        RawRun.from_message({**header, "frames": [3]}, blob)


def test_run_limits_are_parsed_in_one_place_and_refuse_nonsense():
    assert RunLimits.from_json({"time_s": 2, "output_bytes": 100, "memory_mb": 64}) == RunLimits(2.0, 100, 64)
    for bad in (None, {"time_s": 2}, {"time_s": "x", "output_bytes": 1, "memory_mb": 1}, {"time_s": -1, "output_bytes": 1, "memory_mb": 1}):
        with pytest.raises(InvalidData):
            RunLimits.from_json(bad)
    assert PROBE_LIMITS.time_s > 0


def test_the_job_goes_to_the_child_as_bytes_the_worker_never_parses():
    header, job = encode_request("def f(z): return z", "f", [({"z": np.arange(3.0)}, None), ({}, "call_with")], RunLimits(1.0, 10, 64))
    assert set(header) == {"limits"}
    decoded = decode_job(loads(job))
    assert decoded.entry == "f" and decoded.calls[1] == ({}, "call_with")
    assert np.array_equal(decoded.calls[0][0]["z"], np.arange(3.0))


def test_progress_frames_say_how_far_a_slow_run_got():
    payloads = (dumps({"k": "progress", "i": 0, "done": 20, "total": 2000, "s": 10.0}),)
    result = to_run_result(RawRun(payloads=payloads, timed_out=True, signal=9, elapsed_s=10.0), Limits(time_s=10.0), "Network")
    assert result.status == "timeout" and result.progress.done == 20 and result.progress.total == 2000
    assert result.message == ("Your code was still training after 10 s: 20 of 2,000 steps done, "
                              "so the whole run would take about 17 minutes at this speed.")
    nothing = to_run_result(RawRun(timed_out=True, signal=9, elapsed_s=10.0), Limits(time_s=10.0), "Network")
    assert "is there a loop that never ends" in nothing.message
    bad = to_run_result(RawRun(payloads=(dumps({"k": "progress", "i": 0, "done": "x", "total": 1, "s": 1}),)), Limits(), "f")
    assert bad.status == "invalid_result"  # a malformed progress frame is not trusted


def test_the_output_is_split_at_the_childs_marks_capped_and_decoded_as_before():
    from tutor.sandbox.worker.supervise import split_output

    nonce = new_nonce()
    raw = b"load\n" + nonce + b"one" + nonce + nonce + "é\n".encode() + nonce + b"cut off mid-call"
    assert split_output(raw, nonce, 1000) == ("load\noneé\ncut off mid-call", (5, 8, 8, 10))  # characters, not bytes
    # at the cap: the output stops where it always did, and no mark after the cut claims a call printed nothing
    assert split_output(raw, nonce, 7) == ("load\non", (5,))
    assert split_output(b"no marks", nonce, 1000) == ("no marks", ())


def test_the_marks_travel_with_the_reply_and_split_the_result_by_call():
    frames = (dumps({"k": "call", "i": 0, "value": 1}), dumps({"k": "call", "i": 1, "value": 2}), dumps({"k": "done"}))
    raw = RawRun(payloads=frames, output="load\nab\n", output_marks=(5, 5, 8), exit_code=0)
    header, blob = raw.to_message()
    back = RawRun.from_message(loads(dumps(header)), blob)
    assert back.output_marks == (5, 5, 8)
    result = to_run_result(back, Limits(), "f")
    assert (result.load_output, result.call_outputs, result.output) == ("load\n", ("", "ab\n"), "load\nab\n")
    for bad in ([9], [3, 2], ["x"]):
        with pytest.raises(InvalidData):
            RawRun.from_message({**header, "output_marks": bad}, blob)
    # a mark missing (the code closed its stdout): the output stays one piece rather than be misfiled
    assert to_run_result(RawRun(payloads=frames, output="ab", output_marks=(0, 2), exit_code=0), Limits(), "f").call_outputs == ()


@pytest.mark.parametrize(
    "array",
    [
        np.array(0.7310585786300049),
        np.arange(6, dtype=np.int64).reshape(2, 3),
        np.array([[True, False]]),
        np.array([1 + 2j], dtype=np.complex128),
        np.zeros((0, 3), dtype=np.float32),
        np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        np.arange(10.0)[::3],
    ],
)
def test_arrays_cross_as_raw_bytes_bit_for_bit(array):
    back = decode(loads(dumps(encode(array))))
    assert back.dtype == array.dtype and back.shape == array.shape
    assert back.tobytes() == np.ascontiguousarray(array).tobytes()
    back[...] = 0  # the tutor gets an array of its own, not a view of the message
