"""Learner text shown exactly as written.

Output of learner code may contain `[bold]`, `[/]` or terminal escape
sequences. Rich/Textual markup would interpret the first two (or raise on the
second) and the terminal would obey the third, so everything learner-made goes
through `plain()`: a Text object (never parsed as markup) with control
characters turned into visible `\\x1b`-style escapes.
"""

from __future__ import annotations

import re

from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` with control characters (except newline and tab) spelled out."""
    text = text.replace("\r\n", "\n").expandtabs(4)
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


def plain(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style, no_wrap=False)
