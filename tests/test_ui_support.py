"""Moved: the UI tests' helpers are in tests/uikit.py, their set-up in conftest.py
fixtures. This name stays only so tests written before the move still import."""

from uikit import *  # noqa: F401,F403
from uikit import LESSON, SIGMOID_SOLUTION, screen_text, started, tap, widget_text, write_course  # noqa: F401
