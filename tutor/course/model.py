"""The course model: what a lesson file means once it has been read and validated.

Everything downstream (the checker, lint, the progress store and the UI) works on
these frozen dataclasses and never on the raw file, so the file format can evolve
without the rest of the tutor noticing. Nothing here imports textual or runs code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping

from tutor.course.header import LessonHeader  # noqa: F401  (re-exported; its own module so listing stays cheap)

ExerciseKind = Literal["number", "array", "choice", "predict", "code", "tune"]
EXERCISE_KINDS: tuple[str, ...] = ("number", "array", "choice", "predict", "code", "tune")

PlotKind = Literal["function", "loss", "boundary", "surface"]


@dataclass(frozen=True)
class Tolerance:
    """Two tolerances, because a weighted sum of 5 wants an absolute one and a
    gradient of 4e-4 wants a relative one; a value passes if either holds
    (the rule of numpy.isclose)."""

    abs: float = 1e-6
    rel: float = 1e-6


@dataclass(frozen=True)
class EngineRef:
    """An expected value named, never typed: the engine computes it.

    `function` is a public engine name ("sigmoid", "worked.mazur_gradients");
    `args` are TOML values (lists become arrays inside the engine); `select` is an
    optional path into the result such as ``weights[1][0, 0]`` or ``.loss``.
    Inside a tune exercise an argument string of the form ``"$name"`` stands for
    the learner's parameter `name`. An argument that is itself a table with an
    ``engine`` key is a nested reference, computed first (a network built, then
    trained). `course` is the folder of the lesson that wrote it: a name its
    ``reference.py`` defines means that course function (tutor.course.reference_code).
    """

    function: str
    args: Mapping[str, Any] = field(default_factory=dict)
    select: str | None = None
    line: int = 0
    course: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class WrongAnswer:
    """A known mistake and the message that explains it.

    Either `answer` (a literal as the learner would type it, or source code for a
    code exercise) or `engine` (the wrong value computed, e.g. z instead of
    sigmoid(z)) is set. For a code exercise `engine` is the function whose values
    the mistaken code reproduces (called per case, like `expected`), and `answer`,
    when also set, is a sample of that mistaken code for lint to run. For a tune
    exercise `values` holds the mistaken parameter values and `when`, if set, a
    condition on the run's result (same form as TuneSpec.goal) that recognises
    the mistake; without `when` the message belongs to exactly those values.
    """

    message: str
    answer: str | None = None
    engine: EngineRef | None = None
    line: int = 0
    values: Mapping[str, Any] | None = None
    when: Mapping[str, Any] | None = None
    # code exercises: the mistake raises, ``{"type": "ValueError", "match": "truth value"}``
    # (`match` a regular expression searched in the message; optional)
    raises: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Plot:
    """A picture shown with the exercise; `spec` is kind-specific (see docs/authoring.md).

    `spec` holds the [plot] table minus `kind`, with every engine reference
    already read into an EngineRef: for "function" and "loss", ``spec["curves"]``
    is a tuple of ``{"ref": EngineRef, "label": str}`` and ``spec["x"]`` (function
    only) is ``{"arg", "from", "to", "points"}``; for "boundary", ``spec["data"]``
    and the optional ``spec["model"]`` are EngineRefs, ``spec["grid_arg"]`` a
    name; for "surface", ``spec["surface"]`` is an EngineRef to a loss landscape
    (``engine.loss_profile`` / ``loss_surface``). ``title`` (str) and
    ``learner`` (bool) are optional everywhere.
    """

    kind: PlotKind
    spec: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True)
class Limits:
    """Resource limits for one check of learner code."""

    time_s: float = 5.0
    output_bytes: int = 1_000_000
    memory_mb: int = 512


@dataclass(frozen=True)
class RandomCases:
    """Seeded random arguments: the same attempt always sees the same cases.

    `args` maps each parameter to a generator spec, e.g.
    ``{"z": {"shape": [5], "low": -10, "high": 10}}``: uniform floats in
    [low, high); ``"shape": []`` is a scalar. ``{"value": 0.5}`` is an argument
    that is the same in every random call (a learning rate beside drawn inputs).
    """

    seed: int
    count: int
    args: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class CodeSpec:
    """How a code exercise is run.

    The learner defines `entry` (a function or class). Each case's arguments are
    passed to it (through `harness`, a harness declared in tutor.checking.harnesses,
    when set) and the result is compared with the exercise's `expected` engine
    reference called with the same arguments. `probes` are extra cases that test a
    property rather than a value, e.g. stability at z = +/-1000: each is
    ``{"args": {...}, "message": str, "line": int}``; it passes when the call
    returns a finite value equal to `expected` without any warning, else the
    learner sees its message.
    """

    entry: str
    signature: str
    starter: str
    cases: tuple[Mapping[str, Any], ...] = ()
    random: RandomCases | None = None
    harness: str | None = None
    harness_args: Mapping[str, Any] = field(default_factory=dict)
    probes: tuple[Mapping[str, Any], ...] = ()
    gradcheck: bool = False
    limits: Limits = field(default_factory=Limits)
    # the lesson shows both Trask's (n, 1) column and a flat (n,) vector: either passes
    column_or_vector: bool = False
    # a judged number passes when it reaches this mark (a training accuracy), not
    # when it equals `expected`; the verdict states the value reached and the mark
    pass_mark: float | None = None


@dataclass(frozen=True)
class TuneParam:
    """One control the learner sets in a tune exercise."""

    name: str
    kind: Literal["float", "int", "array"]
    default: Any
    min: float | None = None
    max: float | None = None
    shape: tuple[int, ...] | None = None


@dataclass(frozen=True)
class TuneSpec:
    """Parameters the learner picks, the engine run they feed, and the goal.

    `run` is an engine reference whose ``"$name"`` arguments are replaced by the
    learner's values; `goal` states the property, e.g.
    ``{"select": "final_loss", "below": 0.05}`` or ``{"truth_table": "AND"}``.
    """

    params: tuple[TuneParam, ...]
    run: EngineRef
    goal: Mapping[str, Any]
    # the reference parameter values (the exercise's `solution` table)
    solution: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VariantParam:
    """One parameter of a variant exercise, declared in its ``[params]`` table.

    `value` is the published value (what the lesson as written uses, and what a
    first visit shows); its shape is every variant's shape. A variant draws each
    number from exactly one of: `ints` (whole numbers low..high, both included),
    `range` with `step` (decimals low, low + step, ... high) or `choices` (one
    of the listed values: numbers, or whole arrays of the value's shape).
    `exclude` lists numbers never drawn (a zero weight), and `distinct` asks
    that an array's numbers all differ. Drawing is data, never code. A
    *computed* parameter has `ref` instead, an engine reference on the
    parameters declared before it (sigmoid of the drawn z, for the prompt to
    state), rounded to `digits` decimals when given.
    """

    name: str
    value: Any
    ints: tuple[int, int] | None = None
    range: tuple[float, float] | None = None
    step: float | None = None
    choices: tuple[Any, ...] | None = None
    exclude: tuple[float, ...] = ()
    distinct: bool = False
    line: int = 0
    ref: EngineRef | None = None
    digits: int | None = None


@dataclass(frozen=True)
class VariantSource:
    """What `tutor.course.variants.instantiate` re-reads an exercise from: the
    block's TOML data with ``$name`` and ``{name}`` still in it, the prose before
    it, and where its lines are (so a variant's problems name the lesson file)."""

    data: Mapping[str, Any]
    prose: str
    path: Path
    lines: Mapping[Any, int]
    offset: int
    fence_line: int


@dataclass(frozen=True)
class Exercise:
    """One question. `prose` is the Markdown that leads up to it in the lesson."""

    id: str
    lesson_id: str
    kind: ExerciseKind
    prompt: str
    line: int
    prose: str = ""
    expected: EngineRef | None = None
    choices: tuple[str, ...] = ()
    answer: str | None = None  # the literal answer: choice exercises only
    # choice exercises: options shown where the file puts them while the others
    # are shuffled per learner ("All of the above" stays last)
    pinned: tuple[str, ...] = ()
    shape: tuple[int, ...] | None = None  # array exercises
    # array exercises: the shape in the learner's terms, quoted when an answer has
    # the wrong shape ("this neuron has 2 inputs and a bias")
    shape_words: str | None = None
    tolerance: Tolerance = field(default_factory=Tolerance)
    hints: tuple[str, ...] = ()
    solution: str = ""
    wrong: tuple[WrongAnswer, ...] = ()
    plot: Plot | None = None
    # the id of an earlier code exercise of the lesson whose printed output this
    # one asks about: the tutor shows what the learner's code printed beside it
    shows_output_of: str | None = None
    code: CodeSpec | None = None
    tune: TuneSpec | None = None
    # the concepts the exercise practises ("weighted sum", "chain rule"): the
    # outline shows each concept's state and review schedules by them
    concepts: tuple[str, ...] = ()
    # a from-memory challenge (challenge = "from-memory") repeats the earlier code
    # exercise `repeats` of its lesson in a blank editor, with the prose, hints
    # and earlier drafts out of sight (tutor.course.challenges builds it)
    challenge: str | None = None
    repeats: str | None = None
    # line of each field in the lesson file, keyed by dotted name ("solution",
    # "code.starter", "tolerance"), so lint can point at the offending line
    field_lines: Mapping[str, int] = field(default_factory=dict)
    # variants: the declared parameters (empty: the exercise has one version),
    # the values this copy uses by name (the published ones as loaded) and the
    # seed they were drawn from (None: the lesson as written)
    params: tuple[VariantParam, ...] = ()
    variant_values: Mapping[str, Any] = field(default_factory=dict)
    variant_seed: int | None = None
    variant_source: VariantSource | None = field(default=None, repr=False, compare=False)

    @property
    def qualified_id(self) -> str:
        return f"{self.lesson_id}/{self.id}"

    @property
    def has_variants(self) -> bool:
        return bool(self.params)


@dataclass(frozen=True)
class Lesson:
    """A lesson: its prose, its exercises in order, and where it came from."""

    id: str
    title: str
    order: int
    path: Path
    intro: str
    exercises: tuple[Exercise, ...]
    further_reading: tuple[str, ...] = ()
    outro: str = ""
    # the engine files this lesson teaches ("network.py"), shown after a pass
    engine_files: tuple[str, ...] = ()
    # line of each front-matter field ("id", "order"), for lint's messages
    field_lines: Mapping[str, int] = field(default_factory=dict)

    def exercise(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(f"{self.id}/{exercise_id}")


@dataclass(frozen=True)
class Problem:
    """One finding about a lesson file, printed as ``file:line: message``."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class BrokenLesson:
    """A lesson file that did not validate: listed in the outline with its problems."""

    path: Path
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Course:
    """Lessons in order, plus the files that failed, so one bad file never hides the rest."""

    root: Path
    lessons: tuple[Lesson, ...]
    broken: tuple[BrokenLesson, ...] = ()

    def lesson(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)

    def exercise(self, qualified_id: str) -> Exercise:
        lesson_id, _, exercise_id = qualified_id.partition("/")
        return self.lesson(lesson_id).exercise(exercise_id)
