"""Ctrl+E: a draft file in the learner's own editor, the way git and crontab do it.

$VISUAL, then $EDITOR, is the command (with its own arguments: `code --wait`,
`emacsclient -t`); the tutor gives the terminal to it with Textual's
App.suspend and takes it back when it exits. Where the terminal cannot be
handed over (a headless run, a browser via textual-serve) a headless app
still runs the editor, which is what tests do, and anything else says where
the file is, because saving it from another terminal works too.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import Any

from tutor.progress.workspace import read_text


class EditorUnavailable(Exception):
    """No editor could be run; the message says what to do instead."""


def editor_command(environ: dict[str, str] | None = None) -> list[str] | None:
    """$VISUAL, else $EDITOR, split like a shell would; None when neither is set."""
    environ = dict(os.environ if environ is None else environ)
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError:
                return [value]
    return None


def edit_in_external_editor(app: Any, path: Path) -> str | None:
    """Run the editor on `path` with the terminal suspended; the file's text after
    it exits (None if unreadable). Raises EditorUnavailable with the reason."""
    from textual.app import SuspendNotSupported

    command = editor_command()
    if command is None:
        raise EditorUnavailable(f"Set $VISUAL or $EDITOR to use your editor (e.g. EDITOR=vi). "
                                f"Or edit {path} anywhere: saving it checks it here.")
    try:
        with app.suspend():
            status = _run(command, path, interactive=True)
    except SuspendNotSupported:
        if not app.is_headless:
            raise EditorUnavailable(f"This terminal cannot be handed to an editor. Edit {path} "
                                    "in another window: saving it checks it here.") from None
        status = _run(command, path, interactive=False)
    if status is None:
        raise EditorUnavailable(f"{command[0]!r} could not be started. Check $VISUAL/$EDITOR, "
                                f"or edit {path} anywhere: saving it checks it here.")
    return read_text(path)


def _run(command: list[str], path: Path, interactive: bool) -> int | None:
    """The editor's exit status; None when it could not be started at all."""
    try:
        if interactive:
            return subprocess.call([*command, str(path)])
        return subprocess.call([*command, str(path)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
