"""The header index behind load_outline: same answers as reading, fewer reads."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tutor.course import listing, loader
from tutor.course.outline_cache import CACHE_ENV, VERSION, decode, encode, index_path

LESSONS = Path(__file__).parent.parent / "lessons"
FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


def age(path: Path, seconds: float = 60) -> None:
    """Date a file back, as if it had been there for a while."""
    when = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(when, when))


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "course"
    folder.mkdir()
    for path in sorted(LESSONS.glob("0[12]-*.md")):
        shutil.copy(path, folder / path.name)
        age(folder / path.name)
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = loader.read_header

    def counting(path: Path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(loader, "read_header", counting)
    return seen


def test_second_listing_reads_no_file(course: Path, reads: list[str]) -> None:
    first = loader.load_outline(course)
    assert reads == ["01-neuron.md", "02-sigmoid.md"]
    reads.clear()
    assert loader.load_outline(course) == first
    assert reads == []
    assert [header.id for header in first] == ["neuron", "sigmoid"]


def test_a_changed_file_is_read_again(course: Path, reads: list[str]) -> None:
    loader.load_outline(course)
    reads.clear()
    path = course / "02-sigmoid.md"
    path.write_text(path.read_text().replace('title = "The sigmoid function"', 'title = "Sigmoid"'))
    age(path, 30)
    headers = loader.load_outline(course)
    assert reads == ["02-sigmoid.md"]
    assert headers[1].title == "Sigmoid"


def test_a_file_saved_just_now_is_never_indexed(course: Path, reads: list[str]) -> None:
    (course / "02-sigmoid.md").touch()  # mtime is now: the next save might keep it
    loader.load_outline(course)
    reads.clear()
    loader.load_outline(course)
    assert reads == ["02-sigmoid.md"]


def test_added_and_removed_files_show(course: Path, reads: list[str]) -> None:
    loader.load_outline(course)
    (course / "01-neuron.md").unlink()
    shutil.copy(FIXTURES / "valid" / "01-valid.md", course / "03-valid.md")
    assert [header.id for header in loader.load_outline(course)] == ["valid", "sigmoid"]
    index = decode(index_path(course).read_text())
    assert sorted(index["files"]) == ["02-sigmoid.md"]  # 03-valid.md is too fresh to index


def test_a_corrupt_index_is_ignored_and_rebuilt(course: Path, reads: list[str]) -> None:
    expected = loader.load_outline(course)
    where = index_path(course)
    for junk in (b"{not an index", b"[]", b"__import__('os')", b"{'version': 2, 'files': " + b"[" * 10_000,
                 encode({"version": VERSION, "root": str(course.resolve()),
                         "files": {"01-neuron.md": [1, 2, 3]}}).encode()):
        where.write_bytes(junk)
        assert loader.load_outline(course) == expected
    stat = (course / "01-neuron.md").stat()
    forged = {"version": VERSION, "root": str(course.resolve()),
              "files": {"01-neuron.md": [stat.st_size, stat.st_mtime_ns, "neuron", "T", "x", []]}}
    where.write_text(encode(forged))
    assert loader.load_outline(course) == expected  # a bad order is not believed


def test_an_unwritable_cache_still_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    assert [header.id for header in loader.load_outline(LESSONS)][:2] == ["neuron", "sigmoid"]


def test_empty_setting_disables_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "")
    assert index_path(tmp_path) is None
    assert loader.load_outline(FIXTURES / "valid")[0].exercise_ids == ("z",)


def test_the_index_alone_lists_an_unchanged_course(course: Path, reads: list[str]) -> None:
    """What the tutor's first frame lists: no file read, the same headers as a listing."""
    assert listing.indexed_outline(course) is None  # nothing indexed yet
    expected = loader.load_outline(course)
    reads.clear()
    assert listing.indexed_outline(course) == expected
    assert reads == []


def test_the_index_alone_answers_none_when_a_file_changed_came_or_went(course: Path, reads: list[str]) -> None:
    loader.load_outline(course)
    reads.clear()
    path = course / "02-sigmoid.md"
    path.write_text(path.read_text().replace('title = "The sigmoid function"', 'title = "Sigmoid"'))
    age(path, 30)
    assert listing.indexed_outline(course) is None  # changed: a worker reads it
    loader.load_outline(course)
    assert [header.title for header in listing.indexed_outline(course)][1] == "Sigmoid"
    shutil.copy(FIXTURES / "valid" / "01-valid.md", course / "03-valid.md")
    age(course / "03-valid.md")
    assert listing.indexed_outline(course) is None  # a new file
    loader.load_outline(course)
    (course / "01-neuron.md").unlink()
    assert [header.id for header in listing.indexed_outline(course)] == ["valid", "sigmoid"]  # one gone: still known
    assert reads == ["02-sigmoid.md", "03-valid.md"]  # only the listings read, never indexed_outline
