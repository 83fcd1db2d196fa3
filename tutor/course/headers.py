"""Reading just the header of a lesson file (id, title, order, exercise ids), fast.

Listing a course must not cost a full validating parse of every file: a course
of 1,000 lessons has to list in a few tens of milliseconds. So this reads the
raw bytes and finds the few things it needs with substring searches, for files
in the shape `nntutor new` writes. Anything unusual (CRLF line ends, escapes
in the title, an indented fence) makes it return None, and the caller falls
back to the full loader, which is always the authority.
"""

from __future__ import annotations

import re

_FRONT_OPEN = b"+++\n"
_FRONT_CLOSE = b"\n+++\n"
_FRONT_STRING = re.compile(rb'^(id|title) = "([^"\\\n]*)"[ \t]*$', re.MULTILINE)
_FRONT_ORDER = re.compile(rb"^order = (-?\d+)[ \t]*$", re.MULTILINE)
_ID_LINE = b'\nid = "'
_INDENTED_FENCES = (b"\n ```", b"\n  ```", b"\n   ```")


def quick_header(data: bytes) -> tuple[str, str, int, tuple[str, ...]] | None:
    """(id, title, order, exercise ids) of lesson bytes in the usual shape, else None."""
    if not data.startswith(_FRONT_OPEN) or b"\r" in data or b"\n~~~" in data:
        return None  # CRLF and tilde fences are rare: let the full loader handle them
    if b" ```" in data and any(indent in data for indent in _INDENTED_FENCES):
        return None
    end = data.find(_FRONT_CLOSE, 3)
    if end == -1:
        return None
    front = data[3 : end + 1]
    fields = dict(_FRONT_STRING.findall(front))
    order = _FRONT_ORDER.search(front)
    if b"id" not in fields or b"title" not in fields or order is None:
        return None
    ids = _exercise_ids(data, end + len(_FRONT_CLOSE) - 1)
    if ids is None:
        return None
    try:
        return fields[b"id"].decode(), fields[b"title"].decode(), int(order.group(1)), ids
    except UnicodeDecodeError:
        return None


def _exercise_ids(data: bytes, start: int) -> tuple[str, ...] | None:
    """The id of each ```exercise block, or None if any block is not in the usual shape.

    Fences are matched the way the full splitter matches them, so a ```python
    block that mentions ```exercise inside is skipped over, not counted.
    """
    ids: list[str] = []
    position = start
    while True:
        fence = data.find(b"\n```", position)
        if fence == -1:
            return tuple(ids)
        line_end = data.find(b"\n", fence + 1)
        if line_end == -1:
            line_end = len(data)
        opener = data[fence + 1 : line_end]
        ticks = len(opener) - len(opener.lstrip(b"`"))
        closing = b"\n" + b"`" * ticks
        # the closing fence: a line of at least `ticks` backticks and nothing else
        close = line_end
        while True:
            close = data.find(closing, close)
            if close == -1:
                return None  # unclosed: the full loader reports it
            after = data.find(b"\n", close + 1)
            if after == -1:
                after = len(data)
            if not data[close + 1 : after].strip(b"`").strip():
                break
            close = after
        if opener[ticks:].strip() == b"exercise":
            found = data.find(_ID_LINE, line_end, close + 1)
            if found == -1:
                return None
            value_start = found + len(_ID_LINE)
            value_end = data.find(b'"', value_start, close)
            if value_end == -1:
                return None
            try:
                ids.append(data[value_start:value_end].decode())
            except UnicodeDecodeError:
                return None
        position = after
