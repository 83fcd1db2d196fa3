"""(docs/screens tool) Run: .venv/bin/python docs/screens/browser_screens.py [OUTDIR]

Screenshots of `nntutor serve` in headless Chromium (Debian's, through
Playwright), for the README: the outline a learner's link opens on, and a code
verdict (the textbook sigmoid, which overflows at z = -1000, submitted on
sigmoid/implement). Uses the browser tests' kit (tests/servekit.py)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from servekit import Browser, press, read_links, running_server, wait_for_screen  # noqa: E402

from tutor.progress.store import ProgressStore  # noqa: E402
from tutor.progress.workspace import Workspace  # noqa: E402
from tutor.serve.layout import learner_paths  # noqa: E402

TEXTBOOK_SIGMOID = "import numpy as np\n\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="nntutor-screens-"))
    browser = Browser()
    try:
        with running_server(data, "--tokens", "2") as _:
            links = read_links(data)
            page = browser.screen_page(links["learner-01"])
            wait_for_screen(page, "1. One neuron and forward propagation", "done")
            page.screenshot(path=str(out / "outline.png"))

            # learner-02 left off on sigmoid/implement with the textbook sigmoid as their draft
            paths = learner_paths(data, "learner-02")
            store = ProgressStore.open(paths.progress)
            store.set_position("sigmoid", "implement")
            store.save()
            store.close()
            Workspace(paths.workspace).write(Workspace(paths.workspace).path("sigmoid/implement"), TEXTBOOK_SIGMOID)
            page = browser.screen_page(links["learner-02"], size=(1000, 900))
            wait_for_screen(page, "return 1 / (1 + np.exp(-z))")
            press(page, "Control+s")
            wait_for_screen(page, "Not yet", "probe 1 of", "expected")
            page.screenshot(path=str(out / "code-verdict.png"))
    finally:
        browser.close()
    print(f"wrote {out / 'outline.png'} and {out / 'code-verdict.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screens")
