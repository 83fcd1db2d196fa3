"""Framing of the child's reports on its result pipe.

Each frame is ``nonce (16 bytes) | length (4 bytes, big-endian) | JSON``. The
nonce is drawn fresh for every run by the supervising process, so bytes that
learner code writes blindly to whatever file descriptors it finds cannot pass as
a report: the reader stops at the first frame without the nonce and says so.
An empty frame marks the end of the report, so the supervisor need not wait
for the child's exit (tearing down its address space) to know it is done.
(Learner code runs in the same process as the reporter, so a determined snippet
could dig the nonce out of memory; what it gains is control over its *own*
run's values, which the tutor still compares with the engine. It can never reach
the worker's channel to the tutor, which the child closes before running it.)
"""

from __future__ import annotations

import os
import struct

NONCE_BYTES = 16
_LENGTH = struct.Struct(">I")
HEADER_BYTES = NONCE_BYTES + _LENGTH.size


def new_nonce() -> bytes:
    return os.urandom(NONCE_BYTES)


def pack(nonce: bytes, payload: bytes) -> bytes:
    return nonce + _LENGTH.pack(len(payload)) + payload


def write_frame(fd: int, nonce: bytes, payload: bytes) -> None:
    """Write one whole frame, retrying short writes (pipes may take it in pieces)."""
    view = memoryview(pack(nonce, payload))
    while view:
        written = os.write(fd, view)
        view = view[written:]


class FrameReader:
    """Incrementally splits the bytes read from a result pipe into payloads.

    `problem` is set (and further bytes ignored) as soon as something arrives that
    is not a frame of this run; `total` counts every byte for the size cap.
    """

    def __init__(self, nonce: bytes, max_bytes: int) -> None:
        self._nonce = nonce
        self._max_bytes = max_bytes
        self._buffer = bytearray()
        self.payloads: list[bytes] = []
        self.problem: str | None = None
        self.truncated = False  # the stream ended inside a frame: the child was cut off
        self.finished = False  # the child sent its empty end-of-report frame
        self.total = 0

    def feed(self, data: bytes) -> None:
        self.total += len(data)
        if self.problem is not None:
            return
        if self.total > self._max_bytes:
            self.problem = f"the result was larger than {self._max_bytes // 1_000_000} MB"
            return
        self._buffer += data
        while len(self._buffer) >= HEADER_BYTES:
            if bytes(self._buffer[:NONCE_BYTES]) != self._nonce:
                self.problem = "the result channel received bytes that did not come from the checker"
                return
            (length,) = _LENGTH.unpack_from(self._buffer, NONCE_BYTES)
            if len(self._buffer) < HEADER_BYTES + length:
                return
            if length == 0:
                self.finished = True
            else:
                self.payloads.append(bytes(self._buffer[HEADER_BYTES : HEADER_BYTES + length]))
            del self._buffer[: HEADER_BYTES + length]

    def finish(self) -> None:
        """Call at end of stream: a partial frame left over means the child was cut off mid-report."""
        if self.problem is None and self._buffer:
            if len(self._buffer) >= NONCE_BYTES and bytes(self._buffer[:NONCE_BYTES]) != self._nonce:
                self.problem = "the result channel received bytes that did not come from the checker"
            elif len(self._buffer) < NONCE_BYTES and not self._nonce.startswith(bytes(self._buffer)):
                self.problem = "the result channel received bytes that did not come from the checker"
            else:
                self.truncated = True
