"""How feedback names things in the sentences a learner reads.

Feedback is shown as plain text (never Markdown), so a name is written as a
word ("your sigmoid function") or in plain quotes, never in backticks, which
would show literally. And the tutor puts its own verdict word in front of a
headline ("Not yet: ...", "Correct: ..."), so a headline starts with what is
wrong rather than with a verdict word of its own.
"""

from __future__ import annotations


def your_entry(entry: str, signature: str = "") -> str:
    """The learner's function or class as a teacher would say it: "your sigmoid
    function", "your Network class" (a bare name such as "gradient" or
    "backward" reads as a concept, not as the code the learner wrote)."""
    kind = "class" if signature.lstrip().startswith("class ") else "function"
    return f"your {entry} {kind}"


def quoted(text: str) -> str:
    """Text marked as quoted in plain text: 'like this', or "like this" when it
    has an apostrophe of its own."""
    text = text.strip()
    return f'"{text}"' if "'" in text else f"'{text}'"


def sentence(text: str) -> str:
    """`text` with its first letter made upper case, the rest untouched."""
    return text[:1].upper() + text[1:]
