"""Splitting a lesson file into front matter, prose and exercise blocks.

This is plain text processing, kept apart from TOML and the schema so that the
cheap outline (which reads only front matter and exercise ids) and the full
loader agree on where every block starts and ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FRONT_MATTER_FENCE = "+++"
EXERCISE_INFO = "exercise"

# CommonMark fences: up to three spaces, then three or more backticks or tildes.
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@dataclass(frozen=True)
class RawBlock:
    """The TOML text of one exercise block and where it sits in the file."""

    text: str
    fence_line: int  # the opening fence
    first_line: int  # the first line of `text`
    prose: str  # the Markdown before the block, back to the previous block


@dataclass(frozen=True)
class RawLesson:
    front_matter: str
    front_line: int  # line of the opening +++
    blocks: tuple[RawBlock, ...]
    outro: str


class DocumentError(ValueError):
    """The file's layout is wrong; `line` is where to look."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def split_lesson(text: str) -> RawLesson:
    """Split a lesson file; raise DocumentError if its layout is wrong."""
    lines = text.removeprefix("\ufeff").splitlines()
    front_line, body_start, front = _front_matter(lines)
    blocks: list[RawBlock] = []
    prose_lines: list[str] = []
    index = body_start
    while index < len(lines):
        line = lines[index]
        match = _FENCE.match(line)
        if not match:
            prose_lines.append(line)
            index += 1
            continue
        fence = match.group("fence")
        closing = _find_closing(lines, index + 1, fence)
        is_exercise = match.group("info").strip().split(" ", 1)[0] == EXERCISE_INFO
        if closing is None:
            if is_exercise:
                raise DocumentError(index + 1, "exercise block is never closed (no matching closing fence)")
            closing = len(lines)
        if is_exercise:
            blocks.append(
                RawBlock(
                    text="\n".join(lines[index + 1 : closing]) + "\n",
                    fence_line=index + 1,
                    first_line=index + 2,
                    prose=_clean(prose_lines),
                )
            )
            prose_lines = []
        else:
            prose_lines.extend(lines[index : closing + 1])
        index = closing + 1
    return RawLesson(front_matter=front, front_line=front_line, blocks=tuple(blocks), outro=_clean(prose_lines))


def _front_matter(lines: list[str]) -> tuple[int, int, str]:
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or lines[start].strip() != FRONT_MATTER_FENCE:
        raise DocumentError(start + 1 if start < len(lines) else 1, "a lesson must start with front matter between '+++' lines")
    for end in range(start + 1, len(lines)):
        if lines[end].strip() == FRONT_MATTER_FENCE:
            return start + 1, end + 1, "\n".join(lines[start + 1 : end]) + "\n"
    raise DocumentError(start + 1, "front matter opened with '+++' is never closed")


def _find_closing(lines: list[str], start: int, fence: str) -> int | None:
    for index in range(start, len(lines)):
        match = _FENCE.match(lines[index])
        if (
            match
            and match.group("fence")[0] == fence[0]
            and len(match.group("fence")) >= len(fence)
            and not match.group("info").strip()
        ):
            return index
    return None


def _clean(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")
