"""Where the built-in course lives.

Installed from a wheel it is `tutor/_course` (hatch force-includes lessons/
there); from a checkout or an editable install it is `lessons/` beside the
packages. Looking in that order means a checkout never shadows an install.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def builtin_course_path() -> Path:
    """The folder of the course that ships with nntutor."""
    installed = _PACKAGE / "_course"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "lessons"
