"""One learner's tutor, as `nntutor serve` starts it for each connection.

textual-serve runs this with its web driver (TEXTUAL_DRIVER in the
environment): stdin and stdout are the server's pipes, not a terminal, so this
entry point skips the terminal check of `nntutor` and starts the app directly
on the learner's own progress store and workspace.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tutor.serve.session")
    parser.add_argument("--progress", required=True)
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--course")
    options = parser.parse_args(argv)
    from tutor.ui.launch import run_tutor

    return run_tutor(course=options.course, progress=options.progress, workspace=options.workspace)


if __name__ == "__main__":
    sys.exit(main())
