"""nntutor in a Jupyter server: the jupyter-server-proxy entry point.

Installed beside jupyter-server-proxy (`pip install 'nntutor[web]'
jupyter-server-proxy` in the single-user image), it puts the tutor at
/user/NAME/nntutor/ in every learner's Jupyter server, and a launcher tile.
JupyterHub signs the learner in and proxies only their own server to them, so
the tutor serves one learner on loopback, named after the hub's user
($JUPYTERHUB_USER); the class's data is $NNTUTOR_CLASS_DATA when set (a
volume the teacher's `nntutor class report` reads), else in the learner's home.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def server_process() -> dict[str, Any]:
    """jupyter-server-proxy's description of the tutor server ({port} is filled in by it)."""
    command = [sys.executable, "-m", "tutor.cli", "serve", "--host", "127.0.0.1", "--port", "{port}",
               "--learner", os.environ.get("JUPYTERHUB_USER") or "local"]
    if os.environ.get("NNTUTOR_CLASS_DATA"):
        command += ["--data", os.environ["NNTUTOR_CLASS_DATA"]]
    return {
        "command": command,
        "timeout": 120,
        "absolute_url": False,
        "launcher_entry": {"enabled": True, "title": "nntutor"},
        "new_browser_tab": False,
    }
