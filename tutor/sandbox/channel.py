"""Length-prefixed JSON messages between the tutor and its worker, over a socket."""

from __future__ import annotations

import socket
import struct
from typing import Any

from tutor.sandbox.wire import InvalidData, dumps, loads

_LENGTH = struct.Struct(">I")
MAX_MESSAGE_BYTES = 256_000_000


def send_message(sock: socket.socket, data: Any) -> None:
    payload = dumps(data)
    sock.sendall(_LENGTH.pack(len(payload)) + payload)


def receive_message(sock: socket.socket) -> Any:
    """One message, or None at end of stream."""
    header = _receive_exactly(sock, _LENGTH.size)
    if header is None:
        return None
    (length,) = _LENGTH.unpack(header)
    if length > MAX_MESSAGE_BYTES:
        raise InvalidData("message too large")
    payload = _receive_exactly(sock, length)
    if payload is None:
        raise EOFError("connection closed mid-message")
    return loads(payload)


def _receive_exactly(sock: socket.socket, count: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < count:
        chunk = sock.recv(min(count - len(chunks), 1 << 20))
        if not chunk:
            if chunks:
                raise EOFError("connection closed mid-message")
            return None
        chunks += chunk
    return bytes(chunks)
