"""Who a learner is, in `nntutor serve`: the loopback rule, the trusted header,
token links that survive restarts, and learner folders no name can escape."""

from __future__ import annotations

import json
import os
import stat
import urllib.error
import urllib.request

import pytest

from tutor.serve import command
from tutor.serve.identity import TokenBook, is_loopback, roster_names
from tutor.serve.layout import LEARNERS, BadLearnerName, learner_id, learner_paths, learners


# -- the loopback rule ----------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_without_identity_a_non_loopback_bind_is_refused(host, tmp_path, capsys):
    data = tmp_path / "class"
    assert command.main(["--host", host, "--data", str(data)]) == 2
    message = capsys.readouterr().err
    assert f"refusing to listen on {host}" in message
    assert "--tokens" in message and "--trust-header" in message and "docs/classroom.md" in message
    assert not data.exists()  # refused before anything was made


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_addresses_are_loopback(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "[2001:db8::1]"])
def test_other_addresses_are_not(host):
    assert not is_loopback(host)


def test_a_data_directory_learner_code_could_read_is_refused(tmp_path, capsys):
    stdlib = os.path.realpath(os.path.dirname(os.__file__))
    assert command.main(["--data", os.path.join(stdlib, "json", "class")]) == 2
    assert "which learner code may read" in capsys.readouterr().err


def test_a_bad_tokens_argument_is_a_clear_error(tmp_path, capsys):
    assert command.main(["--tokens", str(tmp_path / "nobody.txt"), "--data", str(tmp_path)]) == 2
    assert "neither a number of learners nor a file of names" in capsys.readouterr().err


# -- learner folders --------------------------------------------------------------------------


def test_learner_ids_keep_distinct_names_apart_and_inside_the_class():
    names = ["ada", "a/b", "a_b", "a%2Fb", "..", ".hidden", "../../etc", "Zoë Müller", "ada@school.edu"]
    ids = [learner_id(name) for name in names]
    assert len(set(ids)) == len(names)
    for folder in ids:
        assert "/" not in folder and not folder.startswith(".") and folder not in ("", ".", "..")
    assert learner_id("ada") == "ada" and learner_id("ada@school.edu") == "ada@school%2Eedu"


def test_empty_or_huge_names_are_no_learner():
    for name in ("", "   ", "x" * 201):
        with pytest.raises(BadLearnerName):
            learner_id(name)


def test_layout_is_one_folder_per_learner(tmp_path):
    paths = learner_paths(tmp_path, "ada")
    assert paths.progress == tmp_path / LEARNERS / "ada" / "progress.sqlite3"
    assert paths.workspace == tmp_path / LEARNERS / "ada" / "workspace"
    for name in ("bob", "ada"):
        learner_paths(tmp_path, name).workspace.mkdir(parents=True)
    assert [entry.learner for entry in learners(tmp_path)] == ["ada", "bob"]


# -- tokens -----------------------------------------------------------------------------------


def test_tokens_are_written_owner_only_and_kept_across_restarts(tmp_path):
    book = TokenBook.load(tmp_path / "tokens.tsv")
    book.ensure(roster_names("3"))
    book.save("http://lab:8000")
    assert stat.S_IMODE(os.stat(tmp_path / "tokens.tsv").st_mode) == 0o600
    first = {entry.name: entry.token for entry in book.entries}
    assert sorted(first) == ["learner-01", "learner-02", "learner-03"]
    assert len(set(first.values())) == 3 and all(len(token) >= 24 for token in first.values())

    again = TokenBook.load(tmp_path / "tokens.tsv")
    added = again.ensure(roster_names("4"))
    assert [entry.name for entry in added] == ["learner-04"]
    assert {entry.name: entry.token for entry in again.entries if entry.name != "learner-04"} == first
    assert again.learner_for(first["learner-02"]) == "learner-02"
    assert again.learner_for("not-a-token") is None
    lines = (tmp_path / "tokens.tsv").read_text().splitlines()
    assert lines[1] == f"learner-01\t{first['learner-01']}\thttp://lab:8000/t/{first['learner-01']}/"


def test_a_roster_file_names_the_learners(tmp_path):
    roster = tmp_path / "names.txt"
    roster.write_text("# period 3\nAda Lovelace\n\nalan@school.edu\n", encoding="utf-8")
    assert roster_names(str(roster)) == ["Ada Lovelace", "alan@school.edu"]


# -- the trusted header, over HTTP ------------------------------------------------------------


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_without_the_web_extra_serve_says_how_to_get_it(tmp_path, monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "textual_serve", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "tutor.serve.server", raising=False)
    assert command.main(["--data", str(tmp_path / "class")]) == 2
    assert "pip install 'nntutor[web]'" in capsys.readouterr().err


pytest.importorskip("textual_serve", reason="the 'web' extra is not installed (pip install -e '.[web]')")


def test_each_learner_s_tutor_is_started_on_their_own_files(tmp_path):
    import shlex

    from tutor.serve.server import session_command

    paths = learner_paths(tmp_path / "class", learner_id("Ada O'Neil & co"))
    words = shlex.split(session_command(paths, course="/courses/my course"))
    assert words[:3] == ["cd", str(paths.workspace), "&&"]
    assert words[3] == f"NNTUTOR_LEARNER={paths.learner}" and words[4] == "exec"
    argv = words[5:]
    assert argv[1:4] == ["-m", "tutor.serve.session", "--progress"]
    assert argv[argv.index("--progress") + 1] == str(paths.progress)
    assert argv[argv.index("--workspace") + 1] == str(paths.workspace)
    assert argv[argv.index("--course") + 1] == "/courses/my course"


def test_behind_a_proxy_a_request_without_the_header_is_refused(tmp_path):
    from servekit import running_server

    with running_server(tmp_path / "class", "--trust-header", "X-Forwarded-User") as base:
        status, body = get(base + "/")
        assert status == 403 and "X-Forwarded-User" in body
        status, _ = get(base + "/ws", {"Connection": "Upgrade", "Upgrade": "websocket",
                                       "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
        assert status == 403
        status, body = get(base + "/", {"X-Forwarded-User": "ada@school.edu"})
        assert status == 200 and 'class="textual-terminal"' in body
        status, _ = get(base + "/t/whatever/")  # no token book: no token is anyone's
        assert status == 403
    assert not (tmp_path / "class" / LEARNERS).exists()  # nobody got a folder by being refused


def test_on_every_address_a_learner_without_a_token_is_refused(tmp_path):
    from servekit import read_links, running_server

    data = tmp_path / "class"
    with running_server(data, "--host", "0.0.0.0", "--tokens", "1") as base:  # reached through loopback here
        status, body = get(base + "/")
        assert status == 403 and "personal link" in body
        status, _ = get(base + "/ws", {"Connection": "Upgrade", "Upgrade": "websocket",
                                       "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
        assert status == 403
        link = read_links(data)["learner-01"]
        token = link.rstrip("/").rsplit("/", 1)[1]
        status, body = get(f"{base}/t/{token}/")
        assert status == 200 and 'class="textual-terminal"' in body
        wrong = token[:-1] + ("a" if token[-1] != "a" else "b")  # one character off
        status, _ = get(f"{base}/t/{wrong}/")
        assert status == 403
