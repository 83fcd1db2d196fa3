"""A class on JupyterHub: the hub logs learners in and spawns `nntutor serve` for each.

A local JupyterHub (DummyAuthenticator, SimpleLocalProcessSpawner) whose
single-user servers start the tutor through jupyter-server-proxy (nntutor's
entry point, tutor/serve/jupyter.py), as docs/classroom.md describes. Two
learners log in through the hub's own login page in a real browser; each
reaches their own tutor and sees only their own progress; one cannot open the
other's tutor, and a websocket without the hub's sign-in is refused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from servekit import (Browser, chromium_missing_reason, free_port, press, stop, type_text, wait_for_http,
                      wait_for_screen)

pytest.importorskip("jupyterhub", reason="the 'web-test' extra is not installed (pip install -e '.[web-test]')")
pytest.importorskip("jupyter_server_proxy", reason="the 'web-test' extra is not installed (pip install -e '.[web-test]')")
pytestmark = pytest.mark.skipif(chromium_missing_reason() is not None, reason=str(chromium_missing_reason()))

BIN = Path(sys.executable).parent
HUB_WAIT_S = 120.0


def proxy_missing() -> str | None:
    if shutil.which("configurable-http-proxy") is None:
        if os.environ.get("CI"):
            raise AssertionError("CI: configurable-http-proxy is missing; .ci/run should have installed it")
        return "configurable-http-proxy (npm) is not installed: npm install -g configurable-http-proxy"
    return None


def hub_config(root: Path, port: int) -> str:
    """The hub of docs/classroom.md, shrunk to one machine and a test's ports and folders."""
    return f"""
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.pid_file = {str(root / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{root / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(root / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(root / "homes" / "{username}")!r}
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [{str(BIN / "jupyterhub-singleuser")!r}]
c.Spawner.args = ["--allow-root"]  # CI runs as root
c.Spawner.default_url = "/nntutor/"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    reason = proxy_missing()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("hub")
    port = free_port()
    (root / "jupyterhub_config.py").write_text(hub_config(root, port))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    log = open(root / "hub.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(root / "jupyterhub_config.py")],
                               cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for_http(base + "/hub/health", process, HUB_WAIT_S)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{(root / 'hub.log').read_text()}") from None
        yield base, root
    finally:
        stop(process)
        log.close()  # the hub stops the learners' servers it spawned on its way out


@pytest.fixture(scope="module")
def browser():
    browser = Browser()
    yield browser
    browser.close()


def log_in(browser: Browser, base: str, name: str):
    """A learner logs in on the hub's own page and is sent on to their server."""
    from playwright.sync_api import TimeoutError as PageTimeout

    page = browser.screen_page(base + "/hub/login")
    for _ in range(3):  # a hub just started may answer its proxy's first requests with an error page
        try:
            page.wait_for_selector("input[name=username]", timeout=30_000)
            break
        except PageTimeout:
            page.goto(base + "/hub/login")
    else:
        raise AssertionError(f"the hub's login page never showed its form; it shows:\n{page.content()[:2000]}")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", "anything")
    page.click("input[type=submit], button[type=submit]")
    return page


def test_two_hub_users_each_reach_their_own_tutor(hub, browser):
    base, root = hub
    from tutor.course.loader import load_outline

    first = load_outline()[0]
    size = len(first.exercise_ids)

    ada = log_in(browser, base, "ada")
    wait_for_screen(ada, f"1. {first.title}  0/{size}", wait_s=HUB_WAIT_S)
    assert "/user/ada/" in ada.url
    press(ada, "Enter")
    wait_for_screen(ada, f"exercise 1/{size}")
    type_text(ada, "5")
    press(ada, "Control+s")
    wait_for_screen(ada, "✓ Correct")

    bob = log_in(browser, base, "bob")
    wait_for_screen(bob, f"1. {first.title}  0/{size}", wait_s=HUB_WAIT_S)
    assert "/user/bob/" in bob.url

    # bob's browser asking for ada's tutor does not get it (the hub says ada's server is not his)
    response = bob.goto(base + "/user/ada/nntutor/")
    assert response is not None and response.status == 403, (response and response.status, bob.url)
    # nor does a websocket client without anyone's sign-in
    assert websocket_refused(base.replace("http", "ws") + "/user/ada/nntutor/ws?width=80&height=24")

    # each learner's store is in their own home, under the hub's name for them
    exercise = f"{first.id}/{first.exercise_ids[0]}"
    assert stored(root / "homes" / "ada", "ada", exercise).finished
    assert not stored(root / "homes" / "bob", "bob", exercise).finished


def stored(home: Path, learner: str, qualified_id: str):
    """What the store of the learner in this home says about an exercise."""
    from tutor.progress.store import ProgressStore
    from tutor.serve.layout import learner_paths

    data = home / ".local" / "share" / "nntutor" / "class"
    store = ProgressStore.open(learner_paths(data, learner).progress)
    try:
        return store.exercise(qualified_id)
    finally:
        store.close()


def websocket_refused(url: str) -> bool:
    """Whether a websocket handshake without cookies is refused (any HTTP error, no 101)."""
    import base64
    import socket as sockets
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
    with sockets.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(request.encode())
        status_line = connection.recv(4096).split(b"\r\n", 1)[0].decode()
    return " 101 " not in status_line
