"""Submit-to-verdict latency of a code check: warm worker vs a fresh Python per check.

The exercise is the course's own sigmoid code exercise (sigmoid/implement)
and the answer its reference solution, checked through the real checker
(`tutor.checking.checker.check`: cases, seeded random cases and stability
probes), 200 times with each runner:

* warm: the sandboxed warm worker the tutor uses (`tutor.sandbox.host`), one
  fork per run, NumPy already imported;
* fresh: `tests/plain_runner.py`, a new `python -I -c` process per run that has
  to import NumPy every time: the baseline, measured in this same run.

Prints p50 and p95 of each and the fresh/warm ratios. Goals: warm p50 at most
15 ms and at least 10x faster than fresh. `--direct` times the runner alone
(one `run` with the exercise's cases, no checker), `--checks N` changes the count.
Run: ``python bench/check.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # plain_runner

from tutor.course.loader import load_course  # noqa: E402
from tutor.sandbox.api import Call, Runner  # noqa: E402
from plain_runner import PlainRunner  # noqa: E402
from tutor.sandbox.host import WarmRunner  # noqa: E402

GOAL_WARM_P50_MS = 15.0
GOAL_RATIO = 10.0


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def sigmoid_exercise():  # type: ignore[no-untyped-def]
    exercise = load_course().lesson("sigmoid").exercise("implement")
    if exercise.code is None or not exercise.solution:
        raise SystemExit("bench/check.py: sigmoid/implement is no longer a code exercise with a solution")
    return exercise


def one_check(exercise, runner: Runner, direct: bool) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    if direct:
        spec = exercise.code
        calls = [Call(args=dict(case)) for case in spec.cases]

        def run_only() -> None:
            result = runner.run(exercise.solution, spec.entry, calls, spec.limits)
            if result.status != "ok" or not all(c.ok for c in result.calls):
                raise SystemExit(f"bench/check.py: the reference solution did not run cleanly: {result}")

        return run_only
    from tutor.checking.checker import check

    def submit() -> None:
        verdict = check(exercise, exercise.solution, runner=runner)
        if not verdict.passed:
            raise SystemExit(f"bench/check.py: the reference solution did not pass: {verdict.message}")

    return submit


def measure(action: Callable[[], None], checks: int) -> list[float]:
    action()  # not counted: starts the worker / fills caches
    times = []
    for _ in range(checks):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--direct", action="store_true", help="time runner.run alone, without the checker")
    options = parser.parse_args(argv)
    exercise = sigmoid_exercise()
    what = "runner.run with the exercise's cases" if options.direct else "check() of the reference solution"
    print(f"{options.checks} checks of sigmoid/implement ({what})")
    warm = WarmRunner()
    try:
        warm_ms = measure(one_check(exercise, warm, options.direct), options.checks)
    finally:
        warm.close()
    fresh_ms = measure(one_check(exercise, PlainRunner(), options.direct), options.checks)
    rows = [("warm worker", warm_ms), ("fresh python -c", fresh_ms)]
    print(f"{'':18}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    for name, samples in rows:
        print(f"{name:18}{percentile(samples, 0.5):10.2f}{percentile(samples, 0.95):10.2f}{statistics.fmean(samples):10.2f}")
    p50_ratio = percentile(fresh_ms, 0.5) / percentile(warm_ms, 0.5)
    p95_ratio = percentile(fresh_ms, 0.95) / percentile(warm_ms, 0.95)
    print(f"fresh/warm ratio: p50 {p50_ratio:.1f}x, p95 {p95_ratio:.1f}x")
    p50 = percentile(warm_ms, 0.5)
    met_latency = p50 <= GOAL_WARM_P50_MS
    met_ratio = p50_ratio >= GOAL_RATIO
    print(f"goal warm p50 <= {GOAL_WARM_P50_MS:g} ms: {'met' if met_latency else 'NOT met'} ({p50:.2f} ms)")
    print(f"goal >= {GOAL_RATIO:g}x faster than fresh: {'met' if met_ratio else 'NOT met'} ({p50_ratio:.1f}x)")
    return 0 if met_latency and met_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
