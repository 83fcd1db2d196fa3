"""A class on one machine: thirty learners' checks through the shared checker pool.

Run: .venv/bin/python bench/serve.py [--quick] [--workers N]

What runs, all in this one run:

* the class's checker pool (`python -m tutor.sandbox.pool`, `--workers`
  warm sandbox workers, default one per core), as `nntutor serve` starts it;
* one learner = one tutor process, as `nntutor serve` starts one per browser
  connection: the real TutorApp, headless (Textual's headless driver instead of
  the web one), with its own progress store and workspace under
  DATA/learners/<id>/, and ``NNTUTOR_CHECKER_SOCKET``/``NNTUTOR_LEARNER`` set,
  so its checks go through `api.get_runner()` to the pool exactly as a served
  tutor's do. It opens sigmoid/implement and, every 10 s (from a random
  phase), loads the reference answer (a fresh draft each time) into the editor
  and presses Ctrl+S; submit-to-verdict is the time from posting that key
  to the lesson screen receiving the verdict (VerdictReady: checked through the
  pool and recorded in the store). Its first check, which imports the checker
  (about half a second of CPU), it makes as it joins, before the phase it
  joins starts: that one is printed apart, not counted in the percentiles;
* one of the class is the runaway: it opens tiny-network/train and submits a
  training loop that never ends, again and again (each run is stopped by the
  exercise's own 10 s limit, so it keeps one worker busy all the time).

Phases: one learner alone (the single-learner figures), then the class growing
to 10, 20 and 30 learners (the runaway among them), 30 held for 2 minutes
(the figures the goals are about), then more learners, 10 at a time, until
the p95 passes 500 ms (the knee) or --max-learners. Latency figures are over
the submissions made within a phase, the runaway's excluded. Each phase line
ends with the machine's 1-minute load average: on a machine shared with other
work the latencies say more about that work than about the class.

Memory is PSS (proportional set size: shared pages split between the processes
sharing them) from /proc/PID/smaps_rollup, summed over every learner process
and the pool with its workers and their children; "per added learner" is
(class total - single-learner total) / (learners - 1). What it leaves out:
textual-serve's per-connection share of the web server (one websocket in an
aiohttp process) and the browser.

Goals: with 30 learners p95 <= 500 ms for the others, and <= 100 MB per added
learner. `--quick` is a smoke run (a small class, short phases, no knee search).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from procs import descendants  # bench/ is on sys.path when a bench runs

ROOT = Path(__file__).resolve().parent.parent
GOAL_P95_MS = 500.0
GOAL_MB_PER_LEARNER = 100.0
RUNAWAY = ("tiny-network/train", "import numpy as np\n\n\ndef train(iterations, seed):\n"
           "    syn0 = np.zeros((3, 4))\n    syn1 = np.zeros((4, 1))\n    while True:  # the stopping test was forgotten\n"
           "        syn0 = syn0 + 0.0\n    return syn0, syn1\n")
NORMAL_EXERCISE = "sigmoid/implement"


# -- one learner (a child process of this script) ------------------------------------------


async def be_a_learner(options: argparse.Namespace) -> None:
    """A headless tutor process that submits a code answer every `interval` s
    until its stdin closes; one JSON line per verdict on stdout."""
    from textual import events

    from tutor.app import TutorApp
    from tutor.course.loader import load_course
    from tutor.ui.messages import VerdictReady

    runaway = options.runaway
    where, answer = RUNAWAY if runaway else (NORMAL_EXERCISE, None)
    if answer is None:
        lesson_id, exercise_id = where.split("/")
        answer = load_course().lesson(lesson_id).exercise(exercise_id).solution
    home = Path(options.home)
    arrived: list[tuple[float, str]] = []

    def hook(message) -> None:  # type: ignore[no-untyped-def]
        if isinstance(message, VerdictReady):
            arrived.append((time.perf_counter(), message.attempt.verdict.status))

    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    app = TutorApp(progress_path=home / "progress.sqlite3", workspace=home / "workspace", open_exercise=where)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        exercise_id = where.split("/")[1]
        while getattr(app.screen, "exercise", None) is None or app.screen.exercise.id != exercise_id \
                or not app.screen.query("#answer-code"):
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()
        editor = app.screen.query_one("#answer-code")
        in_pool = time_the_runner()
        submission = 0

        async def submit() -> dict | None:
            """Load a fresh draft, press Ctrl+S, wait for the verdict: its figures."""
            nonlocal submission
            submission += 1
            editor.load_text(answer + f"# submission {submission}\n")  # a new draft each time
            await pilot.pause()
            before = len(arrived)
            in_pool.clear()
            cpu_before = time.process_time()
            submitted_wall, submitted = time.time(), time.perf_counter()
            app.post_message(events.Key("ctrl+s", None))
            while len(arrived) == before and not stop.is_set():
                await asyncio.sleep(0.002)
            if len(arrived) == before:
                return None
            got, status = arrived[-1]
            await app.workers.wait_for_complete()
            await pilot.pause()
            return {"at": submitted_wall, "ms": (got - submitted) * 1000, "status": status,
                    "cpu_ms": (time.process_time() - cpu_before) * 1000, "pool_ms": sum(in_pool) * 1000}

        first = await submit()  # a fresh tutor's first check imports the checker: reported apart
        print(json.dumps({"ready": True, "pid": os.getpid(), "first": first}), flush=True)
        next_at = time.monotonic() + random.uniform(0, options.interval)
        while not stop.is_set():
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            if stop.is_set():
                break
            record = await submit()
            if record is None:
                break
            print(json.dumps(record), flush=True)
            next_at = max(next_at + options.interval, time.monotonic()) if not runaway else time.monotonic()


def time_the_runner() -> list[float]:
    """Wrap this process's runner (the pool client) so each run's round trip
    (queue, run, reply) is noted: the part of a latency that is the pool's."""
    from tutor.sandbox import api

    runner = api.get_runner()
    if type(runner).__name__ != "PoolRunner":
        raise SystemExit("bench/serve.py: this learner's checks would not go to the pool")
    spent: list[float] = []
    run = runner.run

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return run(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    runner.run = timed  # type: ignore[method-assign]
    return spent


# -- the class (this process) --------------------------------------------------------------


@dataclass
class Learner:
    name: str
    runaway: bool
    process: subprocess.Popen
    ready: threading.Event = field(default_factory=threading.Event)
    pid: int | None = None
    first: dict | None = None  # the first check of this fresh tutor process, before it joined a phase
    verdicts: list[dict] = field(default_factory=list)


class Class:
    def __init__(self, data: Path, pool_socket: Path, interval: float) -> None:
        self.data, self.pool_socket, self.interval = data, pool_socket, interval
        self.learners: list[Learner] = []
        self.logs = data / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    def add(self, runaway: bool = False) -> Learner:
        name = f"learner-{len(self.learners) + 1:03d}" + ("-runaway" if runaway else "")
        home = self.data / "learners" / name
        home.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "NNTUTOR_CHECKER_SOCKET": str(self.pool_socket), "NNTUTOR_LEARNER": name,
               "XDG_DATA_HOME": str(self.data / "xdg-data"), "NNTUTOR_CACHE_DIR": str(self.data / "cache")}
        command = [sys.executable, __file__, "--as-learner", "--home", str(home), "--interval", str(self.interval)]
        process = subprocess.Popen(command + (["--runaway"] if runaway else []), env=env, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=open(self.logs / f"{name}.err", "wb"), text=True)
        learner = Learner(name, runaway, process)
        threading.Thread(target=self._read, args=(learner,), daemon=True).start()
        self.learners.append(learner)
        return learner

    def _read(self, learner: Learner) -> None:
        for line in learner.process.stdout:  # type: ignore[union-attr]
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("ready"):
                learner.pid = record["pid"]
                learner.first = record.get("first")
                learner.ready.set()
            else:
                learner.verdicts.append(record)

    def grow_to(self, count: int, with_runaway: bool) -> None:
        """Start learners until there are `count` (the runaway first, if asked) and
        wait until each shows its exercise, so start-up costs land before the phase."""
        if with_runaway and not any(l.runaway for l in self.learners) and len(self.learners) < count:
            self.add(runaway=True)
        while len(self.learners) < count:
            self.add()
        for learner in self.learners:
            if not learner.ready.wait(timeout=180):
                raise SystemExit(f"bench/serve.py: {learner.name} never got ready; see {self.logs / (learner.name + '.err')}")

    def stop(self) -> None:
        for learner in self.learners:
            try:
                learner.process.stdin.close()  # type: ignore[union-attr]
            except OSError:
                pass
        for learner in self.learners:
            try:
                learner.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                learner.process.kill()


@dataclass
class Phase:
    learners: int
    duration_s: float
    latencies_ms: list[float]
    runaway_verdicts: int
    failures: list[str]
    learner_mb: list[float]
    pool_mb: float

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 0.95)

    @property
    def total_mb(self) -> float:
        return sum(self.learner_mb) + self.pool_mb


def percentile(samples: list[float], fraction: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_phase(klass: Class, pool_pid: int, learners: int, duration_s: float, with_runaway: bool) -> Phase:
    klass.grow_to(learners, with_runaway)
    pool_tree = [pool_pid, *descendants(pool_pid)]
    cpu_before = (sum(cpu_s(l.process.pid) for l in klass.learners), sum(cpu_s(pid, children=True) for pid in pool_tree))
    started = time.time()
    time.sleep(duration_s)
    ended = time.time()
    cpu_learners = sum(cpu_s(l.process.pid) for l in klass.learners) - cpu_before[0]
    cpu_pool = sum(cpu_s(pid, children=True) for pid in pool_tree) - cpu_before[1]
    latencies, failures, runaway_verdicts, tutor_cpu, in_pool = [], [], 0, [], []
    for learner in klass.learners:
        for record in list(learner.verdicts):
            if not started <= record["at"] <= ended:
                continue
            if learner.runaway:
                runaway_verdicts += 1
                continue
            latencies.append(record["ms"])
            tutor_cpu.append(record["cpu_ms"])
            in_pool.append(record["pool_ms"])
            if record["status"] != "pass":
                failures.append(f"{learner.name}: {record['status']}")
    learner_mb = [pss_mb(l.process.pid) for l in klass.learners]
    pool_mb = sum(pss_mb(pid) for pid in [pool_pid, *descendants(pool_pid)])
    phase = Phase(learners, duration_s, latencies, runaway_verdicts, failures, learner_mb, pool_mb)
    who = f"{learners} learner{'s' * (learners != 1)}" + (" (1 runaway)" if with_runaway and learners > 1 else "")
    print(f"  {who:<24} {duration_s:>4.0f} s: {len(latencies):>4} checks, submit-to-verdict p50 {phase.p50:>5.0f} ms, "
          f"p95 {phase.p95:>5.0f} ms, max {max(latencies, default=float('nan')):>5.0f} ms"
          + (f"; {len(failures)} not passed!" if failures else ""), flush=True)
    print(f"  {'':<24}         of which in the pool p95 {percentile(in_pool, 0.95):>5.0f} ms; "
          f"memory {phase.total_mb:.0f} MB (tutor processes {sum(learner_mb):.0f}, pool {pool_mb:.0f}); "
          f"CPU in % of a core: tutor processes {cpu_learners / duration_s:.0%} "
          f"({statistics.median(tutor_cpu or [0]):.0f} ms a submission), pool {cpu_pool / duration_s:.0%}; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    return phase


def pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int, children: bool = False) -> float:
    """CPU seconds used by `pid` (and, with `children`, by its reaped children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return (utime + stime + ((cutime + cstime) if children else 0)) / _TICK


def available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 6 learners, short phases, no knee search")
    parser.add_argument("--workers", type=int, default=None, help="the pool's workers (default: one per core)")
    parser.add_argument("--learners", type=int, default=30, help="the class (default 30, the runaway included)")
    parser.add_argument("--max-learners", type=int, default=150, help="where the knee search gives up (default 150)")
    parser.add_argument("--keep", metavar="DIR", help="keep the class's data here (for `nntutor class report`)")
    parser.add_argument("--as-learner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--runaway", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--interval", type=float, default=10.0, help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if options.as_learner:
        asyncio.run(be_a_learner(options))
        return 0

    from tutor.sandbox.pool import default_workers, wait_for_pool

    quick = options.quick
    size = 6 if quick else options.learners
    hold_s, step_s, alone_s = (30.0, 20.0, 30.0) if quick else (120.0, 45.0, 120.0)
    workers = options.workers or default_workers()
    data = Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="nntutor-bench-serve-"))
    data.mkdir(parents=True, exist_ok=True)
    pool_socket = Path(tempfile.mkdtemp(prefix="nntutor-pool-")) / "checker.sock"
    pool = subprocess.Popen([sys.executable, "-m", "tutor.sandbox.pool", str(pool_socket), "--workers", str(workers)],
                            stderr=open(data / "pool.err", "wb"))
    klass = Class(data, pool_socket, interval=10.0)
    print(f"bench/serve.py: {os.cpu_count()} cores, pool of {workers} workers; each learner a headless tutor "
          f"process submitting {NORMAL_EXERCISE} every 10 s; the runaway submits {RUNAWAY[0]} with a loop that never ends",
          flush=True)
    phases: dict[int, Phase] = {}
    knee: tuple[int, int | None] | None = None
    try:
        wait_for_pool(pool_socket, timeout_s=60)
        print("phases:")
        phases[1] = alone = run_phase(klass, pool.pid, 1, alone_s, with_runaway=False)
        ramp = [n for n in (10, 20) if n < size] if not quick else []
        for count in ramp:
            phases[count] = run_phase(klass, pool.pid, count, step_s, with_runaway=True)
        phases[size] = held = run_phase(klass, pool.pid, size, hold_s, with_runaway=True)
        if not quick:
            last_good = max((n for n, p in phases.items() if p.p95 <= GOAL_P95_MS), default=0)
            first_bad = min((n for n, p in phases.items() if p.p95 > GOAL_P95_MS), default=None)
            count = size
            while first_bad is None and count + 10 <= options.max_learners:
                if available_mb() < 2048:
                    print("  (stopped adding learners: under 2 GB of memory left)")
                    break
                count += 10
                phase = phases[count] = run_phase(klass, pool.pid, count, step_s, with_runaway=True)
                if phase.p95 <= GOAL_P95_MS:
                    last_good = count
                else:
                    first_bad = count
            knee = (last_good, first_bad)
    finally:
        klass.stop()
        pool.terminate()
        try:
            pool.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pool.kill()
        shutil.rmtree(pool_socket.parent, ignore_errors=True)

    with open(data / "verdicts.jsonl", "w") as out:  # every submission, for a closer look
        for learner in klass.learners:
            for record in learner.verdicts:
                out.write(json.dumps({"learner": learner.name, **record}) + "\n")
    per_learner_mb = (held.total_mb - alone.total_mb) / (size - 1)
    print()
    print(f"single learner: p50 {alone.p50:.0f} ms, p95 {alone.p95:.0f} ms over {len(alone.latencies_ms)} checks; "
          f"memory {alone.total_mb:.0f} MB (tutor process {sum(alone.learner_mb):.0f} MB, pool {alone.pool_mb:.0f} MB)")
    print(f"class of {size} (1 runaway): p50 {held.p50:.0f} ms, p95 {held.p95:.0f} ms over {len(held.latencies_ms)} "
          f"checks of the others; the runaway got {held.runaway_verdicts} verdicts; memory {held.total_mb:.0f} MB")
    print(f"  p95 {held.p95:.0f} ms vs single learner {alone.p95:.0f} ms: x{held.p95 / alone.p95:.2f}; "
          f"goal <= {GOAL_P95_MS:.0f} ms: {'met' if held.p95 <= GOAL_P95_MS else 'NOT met'}")
    print(f"  memory per added learner {per_learner_mb:.0f} MB (single-learner total {alone.total_mb:.0f} MB); "
          f"goal <= {GOAL_MB_PER_LEARNER:.0f} MB: {'met' if per_learner_mb <= GOAL_MB_PER_LEARNER else 'NOT met'}")
    firsts = [learner.first for learner in klass.learners if learner.first and not learner.runaway]
    if firsts:
        print(f"  (not in these figures: each tutor process's first check, made as it joined: p50 "
              f"{statistics.median(r['ms'] for r in firsts):.0f} ms, max {max(r['ms'] for r in firsts):.0f} ms, "
              f"{statistics.median(r['cpu_ms'] for r in firsts):.0f} ms of CPU: the checker's imports)")
    failures = [f for phase in phases.values() for f in phase.failures]
    if failures:
        print(f"  {len(failures)} checks of the reference answer did not pass: {failures[:5]}")
    if knee is not None:
        last_good, first_bad = knee
        if first_bad is None:
            print(f"knee: not reached; p95 stayed <= {GOAL_P95_MS:.0f} ms up to {last_good} learners (the most tried)")
        else:
            print(f"knee: this machine holds {last_good} learner{'s' * (last_good != 1)}; at {first_bad} the p95 was "
                  f"{phases[first_bad].p95:.0f} ms (> {GOAL_P95_MS:.0f} ms)")
    if options.keep:
        print(f"the class's data is in {data} (try: nntutor class report --data {data})")
    else:
        shutil.rmtree(data, ignore_errors=True)
    return 0 if not failures else 1


if __name__ == "__main__":
    raise SystemExit(main())
