"""(docs/screens tool) Run: .venv/bin/python docs/screens/walk_course.py SESSION WIDTH HEIGHT OUTDIR [lesson-id,...]

Walk the whole built-in course in tmux as a learner: capture each exercise
before, after a wrong answer, after the right one, and with the solution."""
import json, subprocess, sys, time
from pathlib import Path
sys.path.insert(0, "/work/main")
from tutor.course.loader import load_course

S, W, H, OUT = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
ONLY = sys.argv[5].split(",") if len(sys.argv) > 5 else None
OUT.mkdir(parents=True, exist_ok=True)
course = load_course(None)

def tm(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout

def cap():
    return tm("capture-pane", "-p", "-t", S)

def keys(*k):
    tm("send-keys", "-t", S, *k)

def lit(text):
    tm("send-keys", "-t", S, "-l", "--", text)

def paste(text):
    (OUT / "buf.txt").write_text(text)
    tm("load-buffer", "-b", "walk", str(OUT / "buf.txt"))
    tm("paste-buffer", "-p", "-d", "-b", "walk", "-t", S)

def settle(timeout=20.0, quiet=0.4):
    deadline = time.time() + timeout
    last, same_since = cap(), time.time()
    while time.time() < deadline:
        time.sleep(0.15)
        now = cap()
        if now != last:
            last, same_since = now, time.time()
        elif time.time() - same_since > quiet and "Checking" not in now and "Running the computation" not in now:
            return now
    return last

def clear_input():
    keys("Home"); keys("C-k")

def choice_index(ex, text):
    for i, c in enumerate(ex.choices):
        if c == text:
            return i
    try:
        return int(text) - 1
    except ValueError:
        return 0

def answer(ex, value, first=False):
    """Type `value` into the exercise's widget and submit."""
    if ex.kind in ("number", "predict") or (ex.kind == "array" and (not ex.shape or len(ex.shape) < 2)):
        clear_input(); lit(value); keys("Enter")
    elif ex.kind == "array":
        keys("F7"); paste(value); keys("C-s")
    elif ex.kind == "choice":
        global CUR
        idx = choice_index(ex, value)
        for _ in range((idx - CUR) % len(ex.choices)):
            keys("Down")
        keys("Enter")
        CUR = idx
    elif ex.kind == "code":
        keys("F7"); paste(value); keys("C-s")
    elif ex.kind == "tune":
        for i, p in enumerate(ex.tune.params):
            v = value.get(p.name, p.default)
            if isinstance(v, (list, tuple)):
                v = " ".join(str(x) for x in v)
            clear_input(); lit(str(v))
            if i < len(ex.tune.params) - 1:
                keys("Tab")
        keys("Enter")

def wrong_for(ex):
    for w in ex.wrong:
        if ex.kind == "tune" and w.values:
            return dict(w.values)
        if w.answer is not None and ex.kind != "tune":
            return w.answer
    if ex.kind == "code":
        return ex.code.starter
    if ex.kind == "tune":
        return {p.name: p.default for p in ex.tune.params}
    if ex.kind == "choice":
        return next(c for c in ex.choices if c != ex.answer)
    if ex.kind == "array":
        n = ex.shape[-1] if ex.shape else 2
        row = " ".join(["1"] * n)
        return "\n".join([row] * ex.shape[0]) if ex.shape and len(ex.shape) == 2 else row
    return "0.123"

def right_for(ex):
    if ex.kind == "choice":
        return ex.answer
    if ex.kind == "tune":
        return dict(ex.tune.solution)
    return ex.solution.strip("\n") if ex.kind != "code" else ex.solution

subprocess.run(["tmux", "kill-session", "-t", S], capture_output=True)
prog = OUT / "progress.json"
for f in OUT.glob("progress.json*"):
    f.unlink()
first = next((lesson for lesson in course.lessons if ONLY is None or lesson.id in ONLY), None)
if ONLY and first is not None:  # start at the first lesson asked for: the tutor resumes there
    from tutor.progress.store import ProgressStore

    store = ProgressStore.open(prog)
    store.set_position(first.id, first.exercises[0].id if first.exercises else None)
    store.save()
    store.close()
tm("new", "-d", "-s", S, "-x", str(W), "-y", str(H), f"/work/main/.venv/bin/nntutor --progress {prog}; echo NNTUTOR-EXITED $?; sleep 900")
time.sleep(2.5)
(OUT / "00-outline.txt").write_text(settle())
if not ONLY:
    keys("c")
    settle()
n = 0
started = False
for lesson in course.lessons:
    for ex in lesson.exercises:
        n += 1
        if ONLY and lesson.id not in ONLY:
            if started:
                keys("C-n"); settle()
            continue
        started = True
        log = []
        CUR = 0
        log.append(("open", settle()))
        # scroll prose to read it all
        for i in range(6):
            keys("PageDown"); s = settle(quiet=0.3)
            if s == log[-1][1]:
                break
            log.append((f"pgdn{i+1}", s))
        for _ in range(8):
            keys("PageUp")
        settle(quiet=0.3)
        wrong = wrong_for(ex)
        answer(ex, wrong, first=True)
        log.append((f"wrong {wrong!r}"[:200], settle(timeout=40)))
        keys("F2"); log.append(("hint1", settle()))
        if ex.kind == "predict":
            keys("C-r"); settle(); keys("y"); settle()
        answer(ex, right_for(ex))
        log.append(("right", settle(timeout=60)))
        keys("F3"); log.append(("solution", settle()))
        with open(OUT / f"{n:02d}-{lesson.id}-{ex.id}.txt", "w") as fh:
            for name, screen in log:
                fh.write(f"==== {name}\n{screen}\n")
        keys("C-n")
        settle()
print("done", n)
