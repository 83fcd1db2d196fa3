"""Computing the review queue over 10,000 stored attempts.

A progress database is filled the way the tutor fills it: 10,000 attempts
over the built-in course's reviewed exercises across 120 simulated days, each
recorded by the store and rated into its FSRS card by
`tutor.practice.schedule.review_attempt`, saved in batches. Then, 50 times
each (p50 and p95):

* queue, open store: `due_items(store, course)` on the store the tutor has open
  (what the outline's review entry and a review session ask for);
* queue, from disk: `ProgressStore.open(path, read_only=True)` + `due_items`
  (what `nntutor review` does, course already loaded);
* concepts: `concept_states(store, course)` (the outline's concept view);
* baseline: reading the whole attempts log (`store.attempts()`), measured in
  this same run: the queue must not grow with the log, so it should be well
  under this.

Goal: the queue on the open store under 20 ms. Prints the figures and the
ratio of each to the baseline. Run: ``python bench/review.py`` (``--attempts N``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tutor.course.loader import load_course  # noqa: E402
from tutor.practice.schedule import concept_states, due_items, review_attempt, reviewed  # noqa: E402
from tutor.progress.store import ProgressStore  # noqa: E402

GOAL_QUEUE_MS = 20.0
RUNS = 50


def fill(path: Path, attempts: int, seed: int = 13) -> datetime:
    """`attempts` attempts over the course's reviewed exercises; returns the simulated 'now'."""
    course = load_course()
    exercises = [exercise for lesson in course.lessons for exercise in lesson.exercises if reviewed(exercise)]
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    store = ProgressStore.open(path)
    for n in range(attempts):
        exercise = exercises[rng.randrange(len(exercises))]
        at = start + timedelta(days=120 * n / attempts)
        if rng.random() < 0.1:
            store.reveal_hint(exercise.qualified_id, available=max(1, len(exercise.hints)))
        store.record_attempt(exercise.qualified_id, f"answer {rng.randrange(1000)}", rng.random() < 0.7,
                             mistake="a named mistake" if rng.random() < 0.2 else None,
                             duration_s=rng.uniform(5, 300), variant_seed=rng.randrange(2**31))
        review_attempt(store, exercise, now=at)
        if n % 200 == 199:
            store.save()
    store.save()
    store.close()
    return start + timedelta(days=121)


def timed(action: Callable[[], object], runs: int = RUNS) -> list[float]:
    action()  # warm caches and imports
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    options = parser.parse_args(argv)
    course = load_course()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "progress.sqlite3"
        began = time.perf_counter()
        now = fill(path, options.attempts)
        print(f"filled {options.attempts} attempts in {time.perf_counter() - began:.1f} s "
              f"({path.stat().st_size / 1e6:.1f} MB)")
        store = ProgressStore.open(path, read_only=True)
        logged = len(store.attempts())
        due = due_items(store, course, now=now, limit=None)
        print(f"{logged} attempts logged, {len(store.review_states())} exercises scheduled, {len(due)} due")

        def from_disk() -> None:
            fresh = ProgressStore.open(path, read_only=True)
            due_items(fresh, course, now=now)
            fresh.close()

        rows = {
            "queue, open store": timed(lambda: due_items(store, course, now=now)),
            "queue, from disk": timed(from_disk),
            "concepts": timed(lambda: concept_states(store, course, now=now)),
            "baseline: read the log": timed(lambda: store.attempts()),
        }
        store.close()
    baseline = statistics.median(rows["baseline: read the log"])
    print(f"\n{'':<24}{'p50 ms':>9}{'p95 ms':>9}{'x baseline':>12}")
    for name, samples in rows.items():
        p50 = statistics.median(samples)
        print(f"{name:<24}{p50:>9.2f}{percentile(samples, 0.95):>9.2f}{p50 / baseline:>12.3f}")
    queue = statistics.median(rows["queue, open store"])
    verdict = "meets" if queue < GOAL_QUEUE_MS else "MISSES"
    print(f"\nreview queue over {logged} stored attempts: {queue:.2f} ms p50 ({verdict} the goal < {GOAL_QUEUE_MS:g} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
