"""`nntutor class report` over a data directory written by a scripted class:
each learner's stores made through the real ProgressStore, then read back
(read-only) into the table, the pass rates, the named mistakes and the CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from classkit import FORWARD, NO_BIAS, SIGMOID, TIMES, WEIGHTED, script_class
from tutor.classroom import command
from tutor.classroom.report import build_report, render_report
from tutor.progress.store import ProgressStore
from tutor.serve.layout import learner_paths


@pytest.fixture
def klass(tmp_path) -> Path:
    return script_class(tmp_path / "class")


def test_the_report_counts_each_learner_on_each_exercise(klass):
    report = build_report(klass)
    assert report.learners == ("ada", "bob", "cy", "dee")
    assert report.exercises == (WEIGHTED, FORWARD, SIGMOID)  # course order, only what someone touched
    ada, bob = report.cell("ada", WEIGHTED), report.cell("bob", WEIGHTED)
    assert (ada.status, ada.attempts, ada.hints, ada.time_s, ada.solution_seen) == ("passed", 2, 1, 45.0, False)
    assert (bob.status, bob.attempts, bob.hints, bob.time_s, bob.solution_seen) == ("tried", 3, 2, 25.0, True)
    assert report.cell("ada", SIGMOID).text() == "✓ 1 1:00"
    assert report.cell("bob", WEIGHTED).text() == "✗ 3 h2 0:25*"
    assert report.cell("bob", FORWARD).text() == "✗ 1 2:05"
    assert report.cell("cy", WEIGHTED).text() == "·"
    dee = report.cell("dee", SIGMOID)
    assert (dee.status, dee.attempts, dee.hints) == ("new", 0, 1) and dee.text() == "· 0 h1"
    assert report.problems == ()
    assert (report.position("ada"), report.position("bob"), report.position("cy")) == ("sigmoid/derivative", "", "")


def test_each_exercise_has_its_pass_rate_and_its_mistakes_most_frequent_first(klass):
    report = build_report(klass)
    weighted = report.summary(WEIGHTED)
    assert (weighted.tried, weighted.passed, weighted.attempts) == (2, 1, 5)
    assert weighted.pass_rate == 0.5
    assert [(m.name, m.times, m.learners) for m in weighted.mistakes] == [(NO_BIAS, 3, 2), (TIMES, 1, 1)]
    sigmoid = report.summary(SIGMOID)
    assert (sigmoid.tried, sigmoid.passed, sigmoid.attempts, sigmoid.mistakes) == (1, 1, 1, ())  # dee only looked
    forward = report.summary(FORWARD)
    assert (forward.tried, forward.passed, forward.pass_rate) == (1, 0, 0.0)


def test_the_command_prints_the_table_and_summaries_and_writes_the_csv(klass, tmp_path, capsys):
    out_csv = tmp_path / "class.csv"
    assert command.main(["report", "--data", str(klass), "--csv", str(out_csv)]) == 0
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert lines[0] == f"{klass}: 4 learners, 3 exercises tried"
    header = next(line for line in lines if line.startswith("learner"))
    assert [word.strip() for word in header.split("  ") if word.strip()] == [
        "learner", "now at", WEIGHTED, FORWARD, SIGMOID]
    bob = next(line for line in lines if line.startswith("bob "))
    assert [cell.strip() for cell in bob.split("  ") if cell.strip()] == ["bob", "-", "✗ 3 h2 0:25*", "✗ 1 2:05", "·"]
    ada = next(line for line in lines if line.startswith("ada "))
    assert [cell.strip() for cell in ada.split("  ") if cell.strip()] == [
        "ada", "sigmoid/derivative", "✓ 2 h1 0:45", "·", "✓ 1 1:00"]
    assert f"{WEIGHTED}: 1 of 2 passed (50%), 5 attempts" in lines
    at = lines.index(f"{WEIGHTED}: 1 of 2 passed (50%), 5 attempts")
    assert lines[at + 1] == f"    3 x (2 learners): {NO_BIAS}"
    assert lines[at + 2] == f"    1 x (1 learner): {TIMES}"
    assert f"{SIGMOID}: 1 of 1 passed (100%), 1 attempt" in lines
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    assert len(rows) == 4 * 3
    assert {key: rows[3][key] for key in rows[3]} == {
        "learner": "bob", "exercise": WEIGHTED, "status": "tried", "attempts": "3", "hints": "2",
        "solution_seen": "1", "time_s": "25.0", "learner_now_at": ""}
    assert {row["learner_now_at"] for row in rows if row["learner"] == "ada"} == {"sigmoid/derivative"}
    assert [row["status"] for row in rows if row["learner"] == "cy"] == ["new"] * 3
    assert printed == render_report(build_report(klass)) + f"\n\nwrote {out_csv} (12 rows)\n"


def test_the_report_reads_the_stores_without_locking_or_changing_them(klass):
    progress = learner_paths(klass, "ada").progress
    before = progress.read_bytes()
    working = ProgressStore.open(progress)  # the learner's tutor has it open right now
    try:
        assert not working.read_only
        assert build_report(klass).cell("ada", WEIGHTED).attempts == 2
        assert not working.read_only
    finally:
        working.close()
    assert progress.read_bytes() == before


def test_an_empty_class_and_a_missing_directory_say_so(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert command.main(["report", "--data", str(tmp_path / "empty")]) == 0
    assert "no learners yet" in capsys.readouterr().out
    assert command.main(["report", "--data", str(tmp_path / "nowhere")]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_attempts_judged_by_the_real_checker_reach_the_report_with_their_named_mistakes(tmp_path):
    """Two learners answer through the attempt path the tutor uses (checker,
    store, saver): a known mistake, in two variants, is counted once per attempt
    under the lesson's own wording."""
    from tutor.checking.checker import check
    from tutor.course.engine_refs import evaluate
    from tutor.course.loader import load_course
    from tutor.course.variants import instantiate, typed
    from tutor.progress.attempt import attempt
    from tutor.progress.drafts import Drafts
    from tutor.progress.saver import BackgroundSaver
    from tutor.progress.workspace import Workspace

    published = load_course().exercise(WEIGHTED)
    data = tmp_path / "class"
    for learner, seed in (("ann", None), ("ben", 5)):
        paths = learner_paths(data, learner)
        paths.workspace.mkdir(parents=True)
        store = ProgressStore.open(paths.progress)
        workspace = Workspace(paths.workspace)
        drafts = Drafts(store, workspace, BackgroundSaver(store, workspace.write))
        exercise = instantiate(published, seed)
        no_bias = typed(evaluate(exercise.wrong[0].engine))
        assert not attempt(exercise, no_bias, checker=check, drafts=drafts).verdict.passed
        assert attempt(exercise, exercise.solution, checker=check, drafts=drafts).verdict.passed
        drafts.saver.flush()
        store.close()
    report = build_report(data)
    summary = report.summary(WEIGHTED)
    assert (summary.tried, summary.passed, summary.attempts) == (2, 2, 4)
    assert [(m.name, m.times, m.learners) for m in summary.mistakes] == [(published.wrong[0].message, 2, 2)]
    assert report.cell("ben", WEIGHTED).text().startswith("✓ 2")
