"""A class server and a real browser for the serve tests (and the screenshots).

`running_server` starts `nntutor serve` as a learner's teacher would, on a free
loopback port, and waits until it answers. `Browser` drives Debian's headless
Chromium through Playwright (no browser download: executable_path is the
system's /usr/bin/chromium). The screen is read from the page itself: xterm.js
draws with WebGL or a canvas, which has no text to read, so `screen_page`
gives it no canvas and it falls back to its DOM renderer, whose rows are text.

Waits are generous and say what they waited for and what the screen showed:
a slow CI machine takes longer, never fails differently.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

CHROMIUM = "/usr/bin/chromium"
START_WAIT_S = 60.0
SCREEN_WAIT_S = 60.0
NO_CANVAS = "HTMLCanvasElement.prototype.getContext = function () { return null; };"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen | None = None, wait_s: float = START_WAIT_S) -> None:
    """Until `url` answers at all (any HTTP status), or fail saying why."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode} before answering")
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url} within {wait_s:.0f} s")


@contextlib.contextmanager
def running_server(data: Path, *options: str, course: str | None = None) -> Iterator[str]:
    """`nntutor serve --data DATA OPTIONS` on a free loopback port; yields its base URL."""
    port = free_port()
    argv = [sys.executable, "-m", "tutor.cli", "serve", "--data", str(data), "--port", str(port), *options]
    if course is not None:
        argv.append(course)
    # its log goes to a file: a pipe nobody reads would fill up and stall the server
    data.parent.mkdir(parents=True, exist_ok=True)
    log_path = data.parent / f"serve-{port}.log"
    log = open(log_path, "w")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for_http(base + "/static/css/xterm.css", process)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{log_path.read_text()}") from None
        yield base
    finally:
        log.close()
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """End a server started in its own session: politely, then its whole group."""
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()


def read_links(data: Path) -> dict[str, str]:
    """learner name -> personal link, from the tokens file the server wrote."""
    lines = (data / "tokens.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {name: link for name, _, link in (line.split("\t") for line in lines)}


def chromium_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[web,test]'; .ci/run does)"
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):  # .ci/run installs it: in CI a missing browser is a failure, not a skip
            raise AssertionError(f"CI: no Chromium at {CHROMIUM}, which .ci/run should have installed")
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    return None


class Browser:
    """One headless Chromium for a module's tests; a page per learner."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.chromium = self._playwright.chromium.launch(executable_path=CHROMIUM,
                                                         args=["--no-sandbox", "--disable-gpu"])

    def screen_page(self, url: str, readable: bool = True, size: tuple[int, int] = (1000, 640),
                    headers: dict[str, str] | None = None):
        """A page in its own browser context (its own cookies: another learner);
        `readable` gives it the DOM renderer, whose text `screen` reads;
        `headers` go with every request, the websocket's too (as a sign-in proxy adds them)."""
        context = self.chromium.new_context(viewport={"width": size[0], "height": size[1]},
                                            extra_http_headers=headers or {})
        if readable:
            context.add_init_script(NO_CANVAS)
        page = context.new_page()
        page.goto(url)
        return page

    def close(self) -> None:
        self.chromium.close()
        self._playwright.stop()


def screen(page) -> str:
    """The terminal's text as the page shows it (rows joined by newlines); empty
    while the page is still on its way (a redirect, a hub's spawn page)."""
    from playwright.sync_api import Error

    try:
        return page.evaluate(
            "() => { const rows = document.querySelector('.xterm-rows');"
            " return rows ? Array.from(rows.children, r => r.textContent).join('\\n') : ''; }")
    except Error as error:
        if "navigation" in str(error) or "context was destroyed" in str(error):
            return ""
        raise


def wait_for_screen(page, *texts: str, wait_s: float = SCREEN_WAIT_S) -> str:
    """Until the page's terminal shows every one of `texts`; returns the screen.
    Fails naming what was missing and showing the last screen."""
    deadline = time.monotonic() + wait_s
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(page)
        if all(text in shown for text in texts):
            return shown
        page.wait_for_timeout(200)
    missing = [text for text in texts if text not in shown]
    raise AssertionError(f"after {wait_s:.0f} s the page does not show {missing}; it shows:\n{shown}")


def focus_terminal(page) -> None:
    """Keys go to the terminal's input element (as after a click on it)."""
    page.focus(".xterm-helper-textarea")


def press(page, *keys: str) -> None:
    focus_terminal(page)
    for key in keys:
        page.keyboard.press(key)


def type_text(page, text: str) -> None:
    focus_terminal(page)
    page.keyboard.type(text)
