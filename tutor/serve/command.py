"""`nntutor serve`: start a class (the tutor in the browser, one process per learner).

    nntutor serve [COURSE] [--data DIR] [--host H] [--port P]
                  [--tokens N|FILE] [--trust-header NAME] [--public-url URL]

Who each learner is comes from `--trust-header` (a sign-in proxy in front) or
`--tokens` (personal links written to DATA/tokens.tsv). With neither, the
server serves one learner, whoever reaches it, and so listens on loopback
only: asked for any other address it refuses and exits with status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from tutor.sandbox.api import CHECKER_SOCKET_ENV
from tutor.serve.identity import LOCAL_LEARNER, TOKENS_FILE, Identity, TokenBook, is_loopback, roster_names
from tutor.serve.layout import BadLearnerName, learner_id

NEEDS_IDENTITY = (
    "nntutor serve: refusing to listen on {host}: without knowing who each learner is, everyone "
    "who reaches the server would share one learner's progress. Either\n"
    "  --tokens N (or --tokens names.txt): personal links for each learner, written to DATA/tokens.tsv, or\n"
    "  --trust-header X-Forwarded-User: behind a sign-in proxy (oauth2-proxy, the school's SSO) that sets it,\n"
    "or listen on 127.0.0.1 only (the default). docs/classroom.md has the recipes."
)
NEEDS_EXTRA = "nntutor serve needs the web extra: pip install 'nntutor[web]' ({error})"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nntutor serve", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("course", nargs="?", help="a course folder (default: the built-in course)")
    p.add_argument("--data", metavar="DIR",
                   help="the class's data: DIR/learners/<learner>/{progress.sqlite3,workspace/} "
                        "(default: 'class' in your data directory)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; any other needs --tokens or --trust-header)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--tokens", metavar="N|FILE",
                   help="personal links: N learners (learner-01...) or a file of names, one a line; "
                        "written to DATA/tokens.tsv and kept across restarts")
    p.add_argument("--trust-header", metavar="NAME",
                   help="take the learner from this request header (e.g. X-Forwarded-User), set by a "
                        "sign-in proxy in front; only that proxy may be able to reach the server")
    p.add_argument("--public-url", metavar="URL",
                   help="the address learners use, for the links in the tokens file (default http://HOST:PORT)")
    p.add_argument("--learner", default=LOCAL_LEARNER, metavar="NAME",
                   help="without --tokens or --trust-header the server serves one learner: their name "
                        f"(default {LOCAL_LEARNER!r}; under JupyterHub the hub's user)")
    p.add_argument("--checkers", type=int, default=None, metavar="N",
                   help="sandbox workers in the class's shared checker pool (default: the number of CPUs)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    options = parser().parse_args(argv)
    # absolute: each tutor process starts in its learner's workspace
    data = (Path(options.data).expanduser() if options.data else default_data()).absolute()
    public_url = (options.public_url or f"http://{_link_host(options.host)}:{options.port}").rstrip("/")
    try:
        tokens = _tokens(options.tokens, data, public_url) if options.tokens else None
    except (ValueError, BadLearnerName) as error:
        print(f"nntutor serve: {error}", file=sys.stderr)
        return 2
    try:
        identity = Identity(header=options.trust_header, tokens=tokens, local=learner_id(options.learner))
    except BadLearnerName as error:
        print(f"nntutor serve: --learner: {error}", file=sys.stderr)
        return 2
    if not identity.knows_learners and not is_loopback(options.host):
        print(NEEDS_IDENTITY.format(host=options.host), file=sys.stderr)
        return 2
    if options.trust_header and not is_loopback(options.host):
        print(f"nntutor serve: trusting {options.trust_header} on {options.host}: anyone who reaches port "
              f"{options.port} directly can claim to be any learner, so only the sign-in proxy may reach it",
              file=sys.stderr)
    problem = readable_by_learner_code(data)
    if problem:
        print(f"nntutor serve: {problem}", file=sys.stderr)
        return 2
    try:
        from tutor.serve.server import ClassServer
    except ImportError as error:
        print(NEEDS_EXTRA.format(error=error), file=sys.stderr)
        return 2
    data.mkdir(parents=True, exist_ok=True)
    if tokens is not None:
        print(f"nntutor serve: {len(tokens.entries)} learners' links in {tokens.path} (hand each learner theirs)",
              flush=True)
    pool = start_checker_pool(options.checkers)
    try:
        asyncio.set_event_loop(asyncio.new_event_loop())
        ClassServer(data, identity, course=options.course, host=options.host, port=options.port,
                    public_url=public_url).serve()
    finally:
        if pool is not None:
            pool.terminate()
            pool.join(5)
            shutil.rmtree(os.path.dirname(os.environ.pop(CHECKER_SOCKET_ENV)), ignore_errors=True)
    return 0


def default_data() -> Path:
    from platformdirs import user_data_path

    return user_data_path("nntutor", appauthor=False) / "class"


def _tokens(spec: str, data: Path, public_url: str) -> TokenBook:
    book = TokenBook.load(data / TOKENS_FILE)
    book.ensure(roster_names(spec))
    book.save(public_url)
    return book


def _link_host(host: str) -> str:
    """The host name for learners' links when the server listens on every address."""
    if host in ("0.0.0.0", "::", ""):
        return socket.getfqdn()
    return f"[{host}]" if ":" in host else host


def readable_by_learner_code(data: Path) -> str | None:
    """Why `data` would be readable by learner code (inside a path the sandbox's
    read rule grants), or None. Learners' stores must be out of its reach."""
    from tutor.sandbox.child.confine import read_rule

    resolved = os.path.realpath(data)
    granted, _, _ = read_rule()
    for path in granted:
        if resolved == path or resolved.startswith(path.rstrip(os.sep) + os.sep):
            return (f"the data directory {data} is inside {path}, which learner code may read; "
                    "choose one outside it")
    return None


def start_checker_pool(workers: int | None):
    """The class's shared pool of sandbox workers (`tutor.sandbox.pool`), in a
    child process, and NNTUTOR_CHECKER_SOCKET pointing every tutor at it; None
    where this version has no pool (each tutor then keeps its own worker)."""
    try:
        from tutor.sandbox.pool import default_workers, serve_pool, wait_for_pool
    except ImportError:
        return None
    import multiprocessing

    socket_path = os.path.join(tempfile.mkdtemp(prefix="nntutor-class-"), "checker.sock")
    count = workers or default_workers()
    process = multiprocessing.get_context("spawn").Process(
        target=serve_pool, args=(socket_path,), kwargs={"workers": count}, name="nntutor checker pool", daemon=True)
    process.start()
    try:
        wait_for_pool(socket_path, timeout_s=60.0, warm=False)
    except TimeoutError as error:
        process.terminate()
        print(f"nntutor serve: {error}; each tutor keeps its own checker instead", file=sys.stderr)
        return None
    os.environ[CHECKER_SOCKET_ENV] = socket_path
    print(f"nntutor serve: {count} shared checker workers (at most {count} checks at once, learners served in turn)",
          flush=True)
    return process
