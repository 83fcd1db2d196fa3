"""The class server in a real browser: Debian's headless Chromium, driven by Playwright.

A teacher starts `nntutor serve --tokens 2`; each learner opens their own link,
sees the outline, opens lesson 1, answers, and gets the verdict; the other
learner's page shows their own progress, and a reload returns to the same place.
Behind a sign-in proxy the header names the learner, and a page without it is
refused. What the stores on disk hold is checked beside what the pages show.
"""

from __future__ import annotations

import pytest

from servekit import Browser, chromium_missing_reason, press, read_links, running_server, type_text, wait_for_screen

pytestmark = pytest.mark.skipif(chromium_missing_reason() is not None, reason=str(chromium_missing_reason()))


@pytest.fixture(scope="module")
def browser():
    browser = Browser()
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def course():
    """The built-in course's first lesson and its size, as the outline counts them."""
    from tutor.course.loader import load_outline

    headers = load_outline()
    total = sum(len(header.exercise_ids) for header in headers)
    return headers[0], total


def stored(data, learner: str, qualified_id: str):
    """What a learner's progress store on disk says about one exercise."""
    from tutor.progress.store import ProgressStore
    from tutor.serve.layout import learner_paths

    store = ProgressStore.open(learner_paths(data, learner).progress)
    try:
        return store.exercise(qualified_id)
    finally:
        store.close()


def position(data, learner: str) -> tuple[str, str | None] | None:
    from tutor.progress.store import ProgressStore
    from tutor.serve.layout import learner_paths

    store = ProgressStore.open(learner_paths(data, learner).progress)
    try:
        spot = store.position
        return None if spot is None else (spot.lesson, spot.exercise)
    finally:
        store.close()


def test_two_learners_each_reach_their_own_tutor(browser, course, tmp_path):
    first, total = course
    lesson_size = len(first.exercise_ids)
    data = tmp_path / "class"
    with running_server(data, "--tokens", "2") as base:
        links = read_links(data)
        assert sorted(links) == ["learner-01", "learner-02"] and all(link.startswith(base + "/t/") for link in links.values())

        ada = browser.screen_page(links["learner-01"])
        wait_for_screen(ada, f"1. {first.title}  0/{lesson_size}", f"0/{total} done")
        press(ada, "Enter")  # lesson 1, at its first exercise: the weighted sum z
        wait_for_screen(ada, f"exercise 1/{lesson_size}")
        type_text(ada, "5")  # 1*7 + 0*3 - 2
        press(ada, "Control+s")
        wait_for_screen(ada, "✓ Correct")

        bob = browser.screen_page(links["learner-02"])
        bob_screen = wait_for_screen(bob, f"1. {first.title}  0/{lesson_size}", f"0/{total} done")
        assert f"1/{total} done" not in bob_screen

        ada.reload()  # the same place: the exercise just answered, with its answer kept
        ada_screen = wait_for_screen(ada, f"exercise 1/{lesson_size} ✓", "✓ Done")
        assert f"1. {first.title}" in ada_screen
        press(ada, "Escape")
        wait_for_screen(ada, f"1. {first.title}  1/{lesson_size}", f"1/{total} done")

        # a second tab takes the learner's tutor over: one writer per store, the first tab says so
        again = browser.screen_page(links["learner-01"])
        # the new tab's tutor resumes where the learner left off, once its course has
        # loaded (an Enter on the outline before that would race the resume)
        wait_for_screen(again, f"exercise 1/{lesson_size} ✓", "✓ Done")
        ada.wait_for_selector("body.-closed", timeout=60_000)
        assert "opened in another tab" in ada.inner_text(".closed")
        press(again, "Escape")
        wait_for_screen(again, f"1. {first.title}  1/{lesson_size}", f"1/{total} done")
        press(again, "Enter")  # on to the next exercise not yet done; the new tab's tutor saves where it is
        wait_for_screen(again, f"exercise 2/{lesson_size}")

    first_exercise = f"{first.id}/{first.exercise_ids[0]}"
    assert stored(data, "learner-01", first_exercise).finished
    assert not stored(data, "learner-02", first_exercise).finished
    # the tab that took over was a writer, not a read-only second opener of the store
    assert position(data, "learner-01") == (first.id, first.exercise_ids[1])


def test_behind_a_sign_in_proxy_the_header_names_the_learner(browser, course, tmp_path):
    first, total = course
    data = tmp_path / "class"
    with running_server(data, "--trust-header", "X-Forwarded-User", "--tokens", "1") as base:
        page = browser.screen_page(base + "/")  # straight to the tutor, past the proxy: no header
        assert "expected the X-Forwarded-User header" in page.inner_text("body")
        page = browser.screen_page(base + "/t/not-a-token/")
        assert "not one of this class's links" in page.inner_text("body")
        assert not (data / "learners").exists()

        carol = browser.screen_page(base + "/", headers={"X-Forwarded-User": "carol@school.edu"})
        wait_for_screen(carol, f"1. {first.title}", f"0/{total} done")
    assert [entry.name for entry in (data / "learners").iterdir()] == ["carol@school%2Eedu"]
    assert (data / "learners" / "carol@school%2Eedu" / "progress.sqlite3").is_file()
