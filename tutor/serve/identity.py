"""Who is asking: the learner behind a request, or nobody.

A class server needs one of two sources of identity:
- a trusted reverse proxy (Caddy or nginx with oauth2-proxy, or the school's
  SSO) that authenticates each learner and names them in a header such as
  X-Forwarded-User; the tutor believes that header and nothing else;
- per-learner links with random tokens (a lab without SSO): the teacher hands
  each learner their link from the tokens file that `--tokens` writes.
Without either, every browser that reaches the server would be the same
anonymous learner, so the server only listens on loopback then (`loopback`).

Headless: the standard library only.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

from tutor.serve.layout import BadLearnerName, learner_id

LOCAL_LEARNER = "local"
TOKENS_FILE = "tokens.tsv"
TOKEN_BYTES = 18


def is_loopback(host: str) -> bool:
    """Whether `host` (an address or a name) only ever means this machine.
    A name counts as loopback only if every address it resolves to is one."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    addresses = {info[4][0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


@dataclass(frozen=True)
class TokenEntry:
    learner: str  # the learner's folder name (layout.learner_id of their name)
    name: str  # as the teacher wrote it
    token: str


class TokenBook:
    """The class's tokens: `DATA/tokens.tsv`, one learner a line
    (name, token, link), readable by its owner only. Written once and then
    kept: restarting the server (or adding learners) never invalidates a link
    already handed out."""

    def __init__(self, path: Path, entries: list[TokenEntry]) -> None:
        self.path = path
        self.entries = entries
        self._by_token = {entry.token: entry for entry in entries}

    @classmethod
    def load(cls, path: Path) -> "TokenBook":
        entries: list[TokenEntry] = []
        if path.exists():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip() or line.startswith("#") or number == 1 and line.startswith("learner\t"):
                    continue
                parts = line.split("\t")
                if len(parts) < 2 or not parts[1]:
                    raise ValueError(f"{path}:{number}: expected 'learner<TAB>token<TAB>link', got {line!r}")
                entries.append(TokenEntry(learner_id(parts[0]), parts[0], parts[1]))
        return cls(path, entries)

    def learner_for(self, token: str) -> str | None:
        """The learner whose token this is, or None."""
        entry = self._by_token.get(token)
        return entry.learner if entry is not None and secrets.compare_digest(entry.token, token) else None

    def ensure(self, names: list[str]) -> list[TokenEntry]:
        """Give every name that has no token yet a fresh one; returns the new entries."""
        known = {entry.learner for entry in self.entries}
        added = []
        for name in names:
            folder = learner_id(name)
            if folder in known:
                continue
            known.add(folder)
            entry = TokenEntry(folder, name.strip(), secrets.token_urlsafe(TOKEN_BYTES))
            added.append(entry)
        self.entries.extend(added)
        self._by_token.update((entry.token, entry) for entry in added)
        return added

    def link(self, entry: TokenEntry, public_url: str) -> str:
        return f"{public_url.rstrip('/')}/t/{entry.token}/"

    def save(self, public_url: str) -> None:
        """Write the file atomically, owner-only (the tokens are the learners' keys)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["learner\ttoken\tlink"] + [f"{e.name}\t{e.token}\t{self.link(e, public_url)}" for e in self.entries]
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)


def roster_names(spec: str) -> list[str]:
    """The learners `--tokens SPEC` asks for: a number N (learner-01 .. learner-N)
    or a file of names, one a line (blank lines and '#' comments skipped)."""
    if spec.isdigit():
        count = int(spec)
        if count < 1:
            raise ValueError("--tokens needs at least one learner")
        width = max(2, len(str(count)))
        return [f"learner-{index:0{width}d}" for index in range(1, count + 1)]
    path = Path(spec)
    if not path.is_file():
        raise ValueError(f"--tokens {spec}: neither a number of learners nor a file of names")
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    names = [name for name in names if name and not name.startswith("#")]
    if not names:
        raise ValueError(f"--tokens {spec}: the file names no learner")
    for name in names:
        learner_id(name)  # raises BadLearnerName with the reason
    return names


class Identity:
    """How the server tells learners apart: by a trusted header, by token
    links, or (loopback only) not at all: everyone is the one local learner."""

    def __init__(self, header: str | None = None, tokens: TokenBook | None = None,
                 local: str = LOCAL_LEARNER) -> None:
        self.header = header
        self.tokens = tokens
        self.local = local  # the one learner of a server that knows no others

    @property
    def knows_learners(self) -> bool:
        return self.header is not None or self.tokens is not None

    def from_header(self, value: str | None) -> str | None:
        """The learner a trusted header names, or None when it is missing or unusable."""
        if self.header is None or not value:
            return None
        try:
            return learner_id(value)
        except BadLearnerName:
            return None

    def from_token(self, token: str) -> str | None:
        return None if self.tokens is None else self.tokens.learner_for(token)
