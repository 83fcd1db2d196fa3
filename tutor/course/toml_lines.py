"""Where each key of a TOML document is written.

tomllib returns values without positions, yet an author needs the line of the
offending key, not just of its block. This scanner walks TOML text that tomllib
has already accepted and records the line of every key, table header and array
element, keyed by the same path a validator uses: ``("code", "starter")``,
``("wrong", 1, "message")``, ``("hints", 0)``.
"""

from __future__ import annotations

import re
from typing import Hashable, Mapping

KeyPath = tuple[Hashable, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}\n#]*")
_BLANK = re.compile(r"(?:[ \t\r]+|#[^\n]*)*")
_BLANK_LINES = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map key paths of `text` to 1-based line numbers.

    The text must be valid TOML; on anything unexpected the scan stops and the
    lines found so far are returned, because positions are a help, never a
    reason to fail.
    """
    scanner = _Scanner(text)
    try:
        scanner.document()
    except (IndexError, ValueError):
        pass
    return scanner.lines


def line_of(lines: Mapping[KeyPath, int], path: KeyPath, default: int) -> int:
    """The line of `path`, or of its longest recorded prefix, or `default`."""
    for end in range(len(path), 0, -1):
        line = lines.get(tuple(path[:end]))
        if line is not None:
            return line
    return default


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[KeyPath, int] = {}
        self.array_tables: dict[KeyPath, int] = {}

    # -- characters ---------------------------------------------------------
    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.pos < len(self.text):
                if self.text[self.pos] == "\n":
                    self.line += 1
                self.pos += 1

    def skip_blank(self, newlines: bool) -> None:
        if self.pos < len(self.text) and self.text[self.pos] not in " \t\r\n#":
            return
        end = (_BLANK_LINES if newlines else _BLANK).match(self.text, self.pos).end()
        self.jump(end)

    def record(self, path: KeyPath, line: int) -> None:
        self.lines.setdefault(path, line)

    # -- structure ----------------------------------------------------------
    def document(self) -> None:
        table: KeyPath = ()
        while self.pos < len(self.text):
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return
            start = self.pos
            line = self.line
            if self.text.startswith("[[", self.pos):
                self.advance(2)
                keys = self.key()
                table = self.header_path(keys, array=True)
                self.record(table, line)
                self.expect("]]")
            elif self.peek() == "[":
                self.advance()
                keys = self.key()
                table = self.header_path(keys, array=False)
                self.record(table, line)
                self.expect("]")
            else:
                keys = self.key()
                path = table + keys
                self.record(path, line)
                self.expect("=")
                self.value(path)
            self.skip_blank(newlines=False)
            if self.pos == start:
                raise ValueError("no progress")

    def header_path(self, keys: tuple[str, ...], array: bool) -> KeyPath:
        path: KeyPath = ()
        plain: KeyPath = ()
        for index, key in enumerate(keys):
            path += (key,)
            plain += (key,)
            last = index == len(keys) - 1
            if last and array:
                count = self.array_tables.get(plain, -1) + 1
                self.array_tables[plain] = count
                self.record(path, self.line)
                path += (count,)
            elif plain in self.array_tables:
                path += (self.array_tables[plain],)
        return path

    def expect(self, token: str) -> None:
        self.skip_blank(newlines=False)
        if not self.text.startswith(token, self.pos):
            raise ValueError(f"expected {token!r}")
        self.advance(len(token))

    def key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            char = self.peek()
            if char in "\"'":
                parts.append(self.string_value())
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if not match:
                    raise ValueError("empty key")
                parts.append(match.group())
                self.pos = match.end()
            self.skip_blank(newlines=False)
            if self.peek() == ".":
                self.advance()
                continue
            return tuple(parts)

    def value(self, path: KeyPath) -> None:
        self.skip_blank(newlines=False)
        char = self.peek()
        if char in "\"'":
            self.string_value()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            end = _SCALAR.match(self.text, self.pos).end()
            if end == self.pos:
                raise ValueError("empty value")
            self.pos = end

    def array(self, path: KeyPath) -> None:
        self.advance()  # [
        index = 0
        while True:
            self.skip_blank(newlines=True)
            if self.peek() == "]":
                self.advance()
                return
            self.record(path + (index,), self.line)
            self.value(path + (index,))
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.advance()
                index += 1
            elif self.peek() == "]":
                self.advance()
                return
            else:
                raise ValueError("bad array")

    def inline_table(self, path: KeyPath) -> None:
        self.advance()  # {
        while True:
            self.skip_blank(newlines=False)
            if self.peek() == "}":
                self.advance()
                return
            line = self.line
            keys = self.key()
            self.record(path + keys, line)
            self.expect("=")
            self.value(path + keys)
            self.skip_blank(newlines=False)
            if self.peek() == ",":
                self.advance()
            elif self.peek() == "}":
                self.advance()
                return
            else:
                raise ValueError("bad inline table")

    def jump(self, position: int) -> None:
        """Move to `position`, counting the lines passed in one go."""
        self.line += self.text.count("\n", self.pos, position)
        self.pos = position

    def string_value(self) -> str:
        quote = self.peek()
        text = self.text
        if text.startswith(quote * 3, self.pos):
            start = self.pos + 3
            search = start
            while True:
                end = text.find(quote * 3, search)
                if end == -1:
                    raise ValueError("unterminated string")
                if quote == '"' and _escaped(text, end, start):
                    search = end + 1
                    continue
                break
            # a closing run may carry up to two quotes that belong to the string
            while text.startswith(quote * 4, end):
                end += 1
            self.jump(end + 3)
            return text[start:end]
        start = self.pos + 1
        search = start
        while True:
            end = text.find(quote, search)
            newline = text.find("\n", search, end if end != -1 else len(text))
            if end == -1 or newline != -1:
                raise ValueError("unterminated string")
            if quote == '"' and _escaped(text, end, start):
                search = end + 1
                continue
            break
        self.jump(end + 1)
        # quoted keys are compared with tomllib's keys; escapes are rare in keys
        return text[start:end]


def _escaped(text: str, position: int, start: int) -> bool:
    """True if the character at `position` follows an odd number of backslashes."""
    count = 0
    while position - 1 - count >= start and text[position - 1 - count] == "\\":
        count += 1
    return count % 2 == 1
