"""The class's web server: textual-serve, with one tutor process per learner.

textual-serve's `Server` starts one process per websocket with the same
command for everyone. Here the command is the learner's own: the server
decides who the connection is (`identity`), and starts that learner's tutor
on their progress store and workspace (`layout`). A learner who reconnects
(a reload, a second tab) takes over: the earlier tutor is asked to quit and
waited for before the new one opens the store, so the new tab resumes where
the learner was instead of opening the store read-only beside a live writer.

Pages and the websocket are addressed relative to the page itself, so the
tutor works at the root, under a token (/t/TOKEN/) and behind a proxy that
mounts it under a prefix (JupyterHub's /user/NAME/).
"""

from __future__ import annotations

import asyncio
import html
import logging
import shlex
import sys
from pathlib import Path
from string import Template

import textual_serve
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tutor.sandbox.pool import LEARNER_ENV
from tutor.serve.identity import Identity
from tutor.serve.layout import LearnerPaths, learner_paths

log = logging.getLogger("nntutor.serve")

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(textual_serve.__file__).parent / "static"
QUIT_WAIT_S = 10.0  # a tutor asked to quit gets this long before it is killed
TITLE = "nntutor"


def session_command(paths: LearnerPaths, course: str | None) -> str:
    """The shell command that starts one learner's tutor, in their workspace,
    named to the class's checker pool (its fair queue is per learner)."""
    argv = [sys.executable, "-m", "tutor.serve.session",
            "--progress", str(paths.progress), "--workspace", str(paths.workspace)]
    if course is not None:
        argv += ["--course", course]
    learner = f"{LEARNER_ENV}={shlex.quote(paths.learner)}"
    return f"cd {shlex.quote(str(paths.workspace))} && {learner} exec {shlex.join(argv)}"


class TutorSession(AppService):
    """One learner's tutor process, which can be stopped and waited for."""

    async def close(self) -> None:
        """Ask the tutor to quit (it saves on the way out); kill it if it does not."""
        try:
            await asyncio.wait_for(self.stop(), QUIT_WAIT_S)
        except (TimeoutError, asyncio.TimeoutError):
            log.warning("a tutor did not quit within %ss; killing it", QUIT_WAIT_S)
        process = self._process  # textual-serve keeps the asyncio Process here
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), QUIT_WAIT_S)
            except (TimeoutError, asyncio.TimeoutError):
                process.kill()
                await process.wait()


class ClassServer(Server):
    """textual-serve's server, knowing its learners."""

    def __init__(self, data: Path, identity: Identity, course: str | None = None,
                 host: str = "127.0.0.1", port: int = 8000, public_url: str | None = None) -> None:
        super().__init__(command=TITLE, host=host, port=port, title=TITLE, public_url=public_url)
        self.data = data
        self.identity = identity
        self.course = course
        self.statics_path = STATIC
        self._live: dict[str, tuple[TutorSession, web.WebSocketResponse]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._index = Template((TEMPLATES / "index.html").read_text(encoding="utf-8"))
        self._refused = Template((TEMPLATES / "refused.html").read_text(encoding="utf-8"))

    async def _make_app(self) -> web.Application:
        app = web.Application()
        app.add_routes([
            web.get("/", self.handle_index),
            web.get("/ws", self.handle_websocket),
            web.get("/t/{token}", self.handle_token_slash),
            web.get("/t/{token}/", self.handle_index),
            web.get("/t/{token}/ws", self.handle_websocket),
            web.static("/static", self.statics_path),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        print(f"nntutor serve: the class is at {self.public_url}/ (data in {self.data}); Ctrl+C stops it",
              flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(session.close() for session, _ in list(self._live.values())))

    # -- who is asking -------------------------------------------------------------------

    def learner(self, request: web.Request) -> str | None:
        """The learner behind a request, or None: a token in the path, else the
        trusted header, else (only when the server knows no learners at all,
        which it allows on loopback alone) the one local learner."""
        token = request.match_info.get("token")
        if token is not None:
            return self.identity.from_token(token)
        if self.identity.header is not None:
            return self.identity.from_header(request.headers.get(self.identity.header))
        if self.identity.tokens is not None:
            return None
        return self.identity.local

    def refusal(self, request: web.Request) -> str:
        if request.match_info.get("token") is not None:
            return "This link is not one of this class's links. Ask your teacher for yours."
        if self.identity.header is not None:
            return (f"The server expected the {self.identity.header} header from the sign-in proxy "
                    "in front of it and did not get it. Sign in through the class's address.")
        return "Open the personal link your teacher gave you (it ends in /t/ and a code)."

    def refuse(self, request: web.Request) -> web.Response:
        body = self._refused.substitute(title=TITLE, reason=html.escape(self.refusal(request)))
        return web.Response(status=403, text=body, content_type="text/html")

    # -- pages ---------------------------------------------------------------------------

    async def handle_token_slash(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"{request.match_info['token']}/")  # relative: keeps any proxy prefix

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.learner(request) is None:
            return self.refuse(request)
        depth = 2 if request.match_info.get("token") is not None else 0
        body = self._index.substitute(
            title=TITLE,
            static="../" * depth + "static/",
            font_size=to_int(request.query.get("fontsize", "16"), 16),
        )
        return web.Response(text=body, content_type="text/html",
                            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        learner = self.learner(request)
        if learner is None:
            return self.refuse(request)
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        paths = learner_paths(self.data, learner)
        paths.workspace.mkdir(parents=True, exist_ok=True)
        session = TutorSession(session_command(paths, self.course), write_bytes=websocket.send_bytes,
                               write_str=websocket.send_str, close=websocket.close,
                               download_manager=self.download_manager)
        async with self._locks.setdefault(learner, asyncio.Lock()):
            earlier = self._live.pop(learner, None)
            if earlier is not None:  # a reload or a second tab: one tutor per learner
                earlier_session, earlier_socket = earlier
                await earlier_socket.close(message=b"opened in another tab")
                await earlier_session.close()
            self._live[learner] = (session, websocket)
            await session.start(width, height)
        log.info("learner %s connected", learner)
        try:
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("learner %s: the connection failed", learner)
        finally:
            if self._live.get(learner, (None,))[0] is session:
                del self._live[learner]
            await session.close()
            await websocket.close()
            log.info("learner %s disconnected", learner)
        return websocket
