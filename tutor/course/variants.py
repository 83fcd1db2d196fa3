"""Variants: an exercise's numbers drawn per seed from the ranges its lesson declares.

A lesson declares parameters as data (``[params] bias = { value = -2, ints = [-5, 5] }``),
uses them by name in its engine references (``args = { bias = "$bias" }``) and
in its text (``prompt = "... bias {bias} ..."``), and never runs code to do so.
The loader reads the exercise with the published values (so a first visit shows
the lesson as written); `instantiate` draws new values from a seed with
``numpy.random.default_rng(seed)`` and reads the same block again with them, so
a variant is validated exactly like the lesson, and everything downstream (the
checker, lint, the UI, the progress store) sees an ordinary Exercise.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterable, Mapping

from tutor.course.model import Exercise, VariantParam

#: fields whose text may name parameters as ``{name}`` or ``{name[0]}``; code
#: (a code exercise's solution, starter and wrong answers) never is, since
#: braces mean something in Python
TEXT_FIELDS = ("prompt", "hints", "solution", "shape_words")
WRONG_TEXT_FIELDS = ("message", "answer")

_DRAW_ATTEMPTS = 1000


class VariantError(ValueError):
    """The declared parameters cannot give a variant (every draw excluded)."""


def instantiate(exercise: Exercise, seed: int | None) -> Exercise:
    """The exercise as a learner sees it for `seed`.

    Seed None is the lesson as written (its published numbers). With a seed, each
    parameter is drawn from ``numpy.random.default_rng(seed)`` in the order the
    lesson declares them and substituted everywhere: prompt, prose, hints,
    expected, wrong answers, visible cases and plots. The same seed always gives
    the same variant. An exercise without parameters is the same for every seed.
    A number, array or predict variant whose solution text names no parameter
    gets the engine's expected value as its solution.
    """
    if seed is None or not exercise.params or exercise.variant_source is None:
        return exercise
    values = computed(exercise.params, draw(exercise.params, seed))
    return with_values(exercise, values, seed)


def with_values(exercise: Exercise, values: Mapping[str, Any], seed: int | None) -> Exercise:
    """The exercise re-read with the given parameter values (drawn or published)."""
    from tutor.course.schema import ExerciseReader, Spot

    source = exercise.variant_source
    if source is None:
        return exercise
    data, prose = substitute(source.data, values, source.prose, exercise.kind)
    spot = Spot(source.path, source.lines, source.offset, source.fence_line)
    variant = ExerciseReader(data, spot, exercise.lesson_id, source.fence_line, prose).read()
    if variant is None:
        raise VariantError(f"{exercise.qualified_id}: the variant of seed {seed} does not read: "
                           + "; ".join(str(problem) for problem in spot.problems))
    solution = variant.solution
    if seed is not None and exercise.kind in ("number", "array", "predict") \
            and not names_used(source.data.get("solution", ""), values):
        try:
            solution = engine_solution(variant)
        except Exception:  # noqa: BLE001 - the engine refuses these numbers: lint says so, the check says so
            solution = variant.solution
    return replace(variant, solution=solution, params=exercise.params, variant_values=dict(values),
                   variant_seed=seed, variant_source=source)


def engine_solution(exercise: Exercise) -> str:
    """The expected value of a drawn variant, typed as a learner would type it."""
    import numpy as np

    from tutor.course.engine_refs import evaluate

    assert exercise.expected is not None
    with np.errstate(all="ignore"):  # a variant too large for floats is lint's finding, not a crash here
        return typed(evaluate(exercise.expected))


def typed(value: Any) -> str:
    """A number or array as a learner would type it."""
    import numpy as np

    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return repr(float(array))
    return repr(array.tolist())


def published(params: Iterable[VariantParam]) -> dict[str, Any]:
    """The values the lesson as written uses, by name."""
    return {param.name: param.value for param in params}


# -- drawing -------------------------------------------------------------------


def draw(params: Iterable[VariantParam], seed: int) -> dict[str, Any]:
    """Each parameter's value for `seed`, in declaration order, as TOML-like data
    (ints, floats, nested lists), so a variant is written exactly like a lesson."""
    import numpy as np

    rng = np.random.default_rng(seed)
    values: dict[str, Any] = {}
    for param in params:
        if param.ref is not None:
            continue  # computed from the drawn ones (`computed`)
        for _ in range(_DRAW_ATTEMPTS):
            value = _draw_one(param, rng)
            if _acceptable(param, value):
                values[param.name] = value
                break
        else:
            raise VariantError(f"parameter {param.name!r}: no draw in {_DRAW_ATTEMPTS} avoids 'exclude'"
                               f"{' and keeps the numbers distinct' if param.distinct else ''}")
    return values


def computed(params: Iterable[VariantParam], values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` with each computed parameter added, in declaration order: its
    engine reference called on the parameters before it, rounded to its
    `digits`, as plain numbers (the engine is trusted; no lesson code runs)."""
    import numpy as np

    from tutor.course.engine_refs import evaluate

    result = dict(values)
    for param in params:
        if param.ref is None:
            continue
        ref = replace(param.ref, args=dollars(dict(param.ref.args), result))
        try:
            with np.errstate(all="ignore"):
                number = np.asarray(evaluate(ref), dtype=float)
        except Exception as error:  # noqa: BLE001 - the lesson's reference is wrong for these numbers
            raise VariantError(f"parameter {param.name!r} cannot be computed: {type(error).__name__}: {error}") from None
        if param.digits is not None:
            number = np.round(number, param.digits)
        result[param.name] = number.tolist()
    return result


def shape_of(value: Any) -> tuple[int, ...]:
    shape: list[int] = []
    while isinstance(value, list):
        shape.append(len(value))
        value = value[0] if value else None
    return tuple(shape)


def whole_choices(param: VariantParam) -> bool:
    """Whether `choices` lists whole values (arrays of the value's shape) rather
    than numbers drawn for each element."""
    return bool(param.choices) and shape_of(param.choices[0]) == shape_of(param.value) != ()


def _draw_one(param: VariantParam, rng: Any) -> Any:
    shape = shape_of(param.value)
    if param.choices is not None:
        if whole_choices(param) or not shape:
            return param.choices[int(rng.integers(len(param.choices)))]
        picks = rng.integers(len(param.choices), size=shape)
        return _map(picks.tolist(), lambda index: param.choices[index])
    if param.ints is not None:
        low, high = param.ints
        drawn = rng.integers(low, high, endpoint=True, size=shape or None)
        return drawn.tolist() if shape else int(drawn)
    assert param.range is not None and param.step is not None
    low, high = param.range
    steps = round((high - low) / param.step)
    digits = max(decimals(param.step), decimals(low))
    drawn = rng.integers(0, steps, endpoint=True, size=shape or None)
    whole = digits == 0 and all(isinstance(number, int) for number in flatten(param.value))
    to_value = lambda k: int(round(low + k * param.step)) if whole else round(low + k * param.step, digits)  # noqa: E731
    return _map(drawn.tolist(), to_value) if shape else to_value(int(drawn))


def _acceptable(param: VariantParam, value: Any) -> bool:
    numbers = list(flatten(value))
    if any(number in param.exclude for number in numbers):
        return False
    return not param.distinct or len(set(numbers)) == len(numbers)


def decimals(number: float) -> int:
    """Digits after the point in a decimal as written (0.25 -> 2, 3 -> 0, 1e-3 -> 3)."""
    text = repr(float(number))
    if "e" in text:
        mantissa, exponent = text.split("e")
        return max(0, len(mantissa.partition(".")[2].rstrip("0")) - int(exponent))
    return len(text.partition(".")[2].rstrip("0"))


def flatten(value: Any) -> Iterable[Any]:
    if isinstance(value, list):
        for item in value:
            yield from flatten(item)
    else:
        yield value


def _map(value: Any, function: Any) -> Any:
    if isinstance(value, list):
        return [_map(item, function) for item in value]
    return function(value)


# -- substituting --------------------------------------------------------------


def substitute(data: Mapping[str, Any], values: Mapping[str, Any], prose: str, kind: str) -> tuple[dict[str, Any], str]:
    """The block's data with every ``"$name"`` replaced by its value and every
    ``{name}`` in its text written out, and the prose likewise; the ``params``
    table itself is dropped (a variant is an ordinary exercise)."""
    result: dict[str, Any] = {}
    for key, item in data.items():
        if key == "params":
            continue
        item = dollars(item, values)
        if key in TEXT_FIELDS and not (key == "solution" and kind == "code"):
            item = _text(item, values)
        elif key == "wrong" and isinstance(item, list):
            item = [_wrong_text(entry, values, kind) for entry in item]
        elif key == "plot" and isinstance(item, dict) and isinstance(item.get("title"), str):
            item = {**item, "title": render(item["title"], values)}
        result[key] = item
    return result, render(prose, values)


def dollars(value: Any, values: Mapping[str, Any]) -> Any:
    """``"$name"`` strings replaced by the named value, anywhere in the data;
    ``"-$name"`` is its negative (a bias with its sign flipped, as a mistake)."""
    if isinstance(value, str) and value.startswith("$") and value[1:] in values:
        return values[value[1:]]
    if isinstance(value, str) and value.startswith("-$") and value[2:] in values:
        return _map(values[value[2:]], lambda number: -number)
    if isinstance(value, list):
        return [dollars(item, values) for item in value]
    if isinstance(value, dict):
        return {key: dollars(item, values) for key, item in value.items()}
    return value


def _wrong_text(entry: Any, values: Mapping[str, Any], kind: str) -> Any:
    if not isinstance(entry, dict):
        return entry
    fields = ("message",) if kind == "code" else WRONG_TEXT_FIELDS
    return {key: _text(item, values) if key in fields else item for key, item in entry.items()}


def _text(value: Any, values: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        return render(value, values)
    if isinstance(value, list):
        return [_text(item, values) for item in value]
    return value


_TEMPLATE = re.compile(r"\{(?P<name>[A-Za-z_]\w*)(?P<index>(?:\[-?\d+\])*)\}")


def render(text: str, values: Mapping[str, Any]) -> str:
    """`text` with ``{name}`` and ``{name[i]}`` written out for declared names;
    any other braces are left as they are."""
    def one(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in values:
            return match.group(0)
        value = values[name]
        for index in re.findall(r"-?\d+", match.group("index")):
            try:
                value = value[int(index)]
            except (IndexError, TypeError):
                return match.group(0)
        return format_value(value)

    return _TEMPLATE.sub(one, text)


def names_used(text: Any, values: Iterable[str]) -> set[str]:
    """The declared names a text writes as ``{name}`` or ``{name[i]}``."""
    if not isinstance(text, str):
        return set()
    known = set(values)
    return {match.group("name") for match in _TEMPLATE.finditer(text) if match.group("name") in known}


def dollar_names(value: Any) -> set[str]:
    """Every name written as ``"$name"`` (or ``"-$name"``) in the data."""
    if isinstance(value, str) and value.startswith(("$", "-$")):
        return {value.lstrip("-")[1:]}
    if isinstance(value, list):
        return set().union(*(dollar_names(item) for item in value)) if value else set()
    if isinstance(value, dict):
        return set().union(*(dollar_names(item) for item in value.values())) if value else set()
    return set()


def template_names(data: Mapping[str, Any], prose: str, names: Iterable[str]) -> set[str]:
    """The declared names the block's text and prose write as ``{name}``."""
    names = list(names)
    used = names_used(prose, names)
    for key in TEXT_FIELDS:
        for text in _strings(data.get(key)):
            used |= names_used(text, names)
    for entry in data.get("wrong", ()) if isinstance(data.get("wrong"), list) else ():
        if isinstance(entry, dict):
            for key in WRONG_TEXT_FIELDS:
                used |= names_used(entry.get(key), names)
    plot = data.get("plot")
    if isinstance(plot, dict):
        used |= names_used(plot.get("title"), names)
    return used


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def format_value(value: Any) -> str:
    """A parameter as the prose writes it: 7, -2, 0.5, [1, 0]."""
    if isinstance(value, list):
        return "[" + ", ".join(format_value(item) for item in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        # a decimal drawn on a grid that lands on a whole number reads as one: "bias -3"
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)
