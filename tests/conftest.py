"""Suite-wide isolation: no test reads or writes the developer's own data.

Each test session gets its own home for nntutor's caches and data, so the
outline index or a progress file from a real session can never change a
result. In CI, hypothesis runs derandomized so that a run is repeatable; locally
it keeps searching with fresh examples.
"""

from __future__ import annotations

import os
import tempfile

from hypothesis import settings

_HOME = tempfile.mkdtemp(prefix="nntutor-tests-")
os.environ.setdefault("NNTUTOR_CACHE_DIR", os.path.join(_HOME, "cache"))
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
os.environ["XDG_CACHE_HOME"] = os.path.join(_HOME, "cache-home")

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
