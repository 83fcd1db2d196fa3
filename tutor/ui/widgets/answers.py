"""One answer widget per exercise kind, all speaking the same small protocol.

Each widget knows how to collect what the learner typed (`answer()`), put a
saved answer back (`restore()`), go back to the starter (`reset()`) and say
"submit this" (the `Submitted` message). What the answer means is left to the
checker: the widgets hand over text, source code, or a mapping for tune.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, RadioButton, RadioSet, Static, TextArea

from tutor.course.choice_order import choice_order
from tutor.course.model import Exercise, TuneParam
from tutor.ui.crash import GuardedHandlers
from tutor.ui.textual_private import BoundKeysInOrder
from tutor.ui.widgets.code_editor import python_editor
from tutor.ui.widgets.choices import WrappingRadioButton

Answer = str | dict[str, Any]


class AnswerInput(BoundKeysInOrder, Input):
    """A one-line answer: its own keys (Backspace, arrows, Home, End) act in the order typed."""


class MatrixArea(BoundKeysInOrder, TextArea):
    """An array answer over several lines, keys in the order typed like AnswerInput."""


class AnswerWidget(GuardedHandlers, Vertical):
    """Base: subclasses fill in compose/answer/restore/reset."""

    class Submitted(Message):
        def __init__(self, answer: Answer) -> None:
            super().__init__()
            self.answer = answer

    class Invalid(Message):
        """The input could not even be handed to the checker (e.g. a tune value that is not a number)."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, exercise: Exercise, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.exercise = exercise

    def answer(self) -> Answer:
        raise NotImplementedError

    def restore(self, answer: Any) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError

    def blank(self) -> Answer:
        """What the widget holds before the learner touches it (nothing worth saving)."""
        return ""

    def submit(self) -> None:
        try:
            answer = self.answer()
        except ValueError as error:
            self.post_message(self.Invalid(str(error)))
            return
        self.post_message(self.Submitted(answer))

    def focus_answer(self) -> None:
        target = self.query("Input, TextArea, RadioSet").first()
        target.focus()


class NumberAnswer(AnswerWidget):
    PLACEHOLDER = "a number, e.g. 0.73 (Enter to submit)"

    def compose(self) -> ComposeResult:
        yield AnswerInput(placeholder=self.PLACEHOLDER, id="answer-input")

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def answer(self) -> Answer:
        return self.query_one(Input).value

    def restore(self, answer: Any) -> None:
        if isinstance(answer, str):
            self.query_one(Input).value = answer

    def reset(self) -> None:
        self.query_one(Input).value = ""


# Example values for placeholders: never integers, so they can pass for no shape,
# and far from the weights of any gate, so they give no answer away.
NEUTRAL_EXAMPLE = (0.5, -1.5, 2.5, 0.25, -3.5, 1.5)


def _numbers(count: int) -> str:
    return f"{count} number" + ("" if count == 1 else "s")


def shape_in_words(shape: tuple[int, ...] | None) -> str:
    """The expected shape as a learner would say it: "2 numbers", "2 rows of 3 numbers"."""
    if not shape:
        return "numbers separated by spaces or commas"
    if len(shape) == 1:
        return _numbers(shape[0])
    if len(shape) == 2:
        return f"{shape[0]} row{'' if shape[0] == 1 else 's'} of {_numbers(shape[1])}, one row per line"
    return f"an array of shape {shape} as nested lists"


def example_row(count: int) -> str:
    """Neutral example values for a row of `count` numbers ("0.5 -1.5"); "" when too long to help."""
    if count > len(NEUTRAL_EXAMPLE):
        return ""
    return " ".join(f"{value:g}" for value in NEUTRAL_EXAMPLE[:count])


def array_placeholder(shape: tuple[int, ...] | None) -> str:
    """What the empty answer field says: the shape in words with neutral values, never the answer."""
    if shape and len(shape) == 1 and example_row(shape[0]):
        return f"{shape_in_words(shape)}, e.g. {example_row(shape[0])} (Enter to submit)"
    if shape and len(shape) == 2:
        example = example_row(shape[1])
        return shape_in_words(shape) + (f", e.g. {example}" if example else "") + " (Ctrl+S to submit)"
    if not shape:
        return f"numbers separated by spaces, e.g. {example_row(2)} (Enter to submit)"
    return f"{shape_in_words(shape)} (Enter to submit)"


class ArrayAnswer(AnswerWidget):
    """Vectors in one line (Enter submits); matrices in a small editor (Ctrl+S submits)."""

    @property
    def is_matrix(self) -> bool:
        return bool(self.exercise.shape) and len(self.exercise.shape) >= 2

    def compose(self) -> ComposeResult:
        shape, words = self.exercise.shape, self.exercise.shape_words
        line = f"Shape {tuple(shape)}: {shape_in_words(shape)}" if shape else shape_in_words(shape)
        yield Label(Text(line + (f" ({words})" if words else "")), classes="hint-line")
        if self.is_matrix:
            yield MatrixArea(id="answer-matrix", soft_wrap=True, placeholder=array_placeholder(shape))
        else:
            yield AnswerInput(placeholder=array_placeholder(shape), id="answer-input")

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def answer(self) -> Answer:
        if self.is_matrix:
            return self.query_one(TextArea).text
        return self.query_one(Input).value

    def restore(self, answer: Any) -> None:
        if isinstance(answer, str):
            if self.is_matrix:
                self.query_one(TextArea).load_text(answer)
            else:
                self.query_one(Input).value = answer

    def reset(self) -> None:
        self.restore("")


class ChoiceAnswer(AnswerWidget):
    """Arrows move, Enter (or Space) picks an option and submits it at once;
    Ctrl+S submits the picked option again."""

    def __init__(self, exercise: Exercise, order: Sequence[int] | None = None, **kwargs: Any) -> None:
        super().__init__(exercise, **kwargs)
        self._restored: int | None = None  # a restore's Changed message is not a pick
        # shown position -> index in the file (tutor.course.choice_order); the
        # answer is the option's text, so where it was shown never matters
        self._order = tuple(order) if order is not None else tuple(range(len(exercise.choices)))

    def compose(self) -> ComposeResult:
        yield Label(Text(f"1-{len(self.exercise.choices)} or ↑ ↓ and Enter to choose"), classes="hint-line")
        with RadioSet(id="answer-choices"):
            for number, index in enumerate(self._order, start=1):
                yield WrappingRadioButton(Text(f"{number}. {self.exercise.choices[index]}"))

    def answer(self) -> Answer:
        index = self.query_one(RadioSet).pressed_index
        if index < 0:
            raise ValueError("Pick one of the options first (arrows, then Enter).")
        return self.exercise.choices[self._order[index]]

    def restore(self, answer: Any) -> None:
        choices = self.exercise.choices
        if answer in choices:
            index = self._order.index(choices.index(answer))
        else:  # saved by an older tutor as the option's number in the file
            try:
                index = self._order.index(int(str(answer)) - 1)
            except ValueError:
                return
        buttons = list(self.query(RadioButton))
        if 0 <= index < len(buttons):
            self._restored = index
            buttons[index].value = True

    def reset(self) -> None:
        for button in self.query(RadioButton):
            button.value = False

    def choose(self, number: int) -> None:
        """Pick option `number` (1-based) and submit it, as a number key does."""
        buttons = list(self.query(RadioButton))
        if not 1 <= number <= len(buttons):
            return
        radio_set = self.query_one(RadioSet)
        if buttons[number - 1].value:
            self.submit()  # already picked: no Changed message comes, so submit again here
        else:
            buttons[number - 1].value = True  # RadioSet.Changed submits it
        radio_set.focus()

    @on(RadioSet.Changed)
    def _picked(self, event: RadioSet.Changed) -> None:
        if event.index == self._restored:
            self._restored = None
            return
        self.submit()


class PredictAnswer(NumberAnswer):
    """Predict first; once submitted the prediction is locked and the computation runs."""

    PLACEHOLDER = "your prediction (Enter locks it in)"

    def lock_prediction(self) -> None:
        field = self.query_one(Input)
        field.disabled = True
        self.add_class("-locked")

    def unlock_prediction(self) -> None:
        self.query_one(Input).disabled = False
        self.remove_class("-locked")

    @property
    def locked(self) -> bool:
        return self.query_one(Input).disabled

    def submit(self) -> None:
        if self.locked:
            return
        if not self.query_one(Input).value.strip():
            self.post_message(self.Invalid("Type your prediction first: a guess is fine, that is the point."))
            return
        super().submit()
        self.lock_prediction()

    def restore(self, answer: Any) -> None:
        super().restore(answer)

    def reset(self) -> None:
        super().reset()
        self.unlock_prediction()


class CodeAnswer(AnswerWidget):
    """A Python editor with the starter code; Ctrl+S submits, Ctrl+Z undoes.
    The signature to write is the editor's title, so every row below it is code."""

    def compose(self) -> ComposeResult:
        code = self.exercise.code
        yield python_editor(code.starter if code else "", code.signature if code else "")

    def focus_answer(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.scroll_cursor_visible()

    def answer(self) -> Answer:
        return self.query_one(TextArea).text

    def restore(self, answer: Any) -> None:
        if isinstance(answer, str):
            self.query_one(TextArea).load_text(answer)

    def reset(self) -> None:
        self.restore(self.blank())

    def blank(self) -> Answer:
        return self.exercise.code.starter if self.exercise.code else ""


def _step(param: TuneParam, value: float) -> float:
    if param.kind == "int":
        return 1
    if param.min is not None and param.max is not None and param.max > param.min:
        return (param.max - param.min) / 20
    return max(abs(value) * 0.1, 0.01)


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return " ".join(_format(item) for item in value)
    return str(value)


class ParamInput(GuardedHandlers, BoundKeysInOrder, Input):
    """One tune parameter; Up/Down nudge numbers within their range."""

    BINDINGS = [("up", "nudge(1)", "More"), ("down", "nudge(-1)", "Less")]

    def __init__(self, param: TuneParam, **kwargs: Any) -> None:
        super().__init__(value=_format(param.default), **kwargs)
        self.param = param

    def parsed(self) -> Any:
        from tutor.ui import services

        text = self.value.strip()
        try:
            if self.param.kind == "array":
                return services.parse_array(text, self.param.shape).tolist()
            number = services.parse_number(text)
        except Exception as error:  # the parser's own error type: its message is for the learner
            raise ValueError(f"{self.param.name}: {error}") from None
        if self.param.kind == "int":
            if number != int(number):
                raise ValueError(f"{self.param.name} must be a whole number, not {text}")
            number = int(number)
        if self.param.min is not None and number < self.param.min:
            raise ValueError(f"{self.param.name} must be at least {_format(self.param.min)}")
        if self.param.max is not None and number > self.param.max:
            raise ValueError(f"{self.param.name} must be at most {_format(self.param.max)}")
        return number

    def action_nudge(self, direction: int) -> None:
        if self.param.kind == "array":
            return
        try:
            value = self.parsed()
        except ValueError:
            return
        value = value + direction * _step(self.param, value)
        if self.param.min is not None:
            value = max(self.param.min, value)
        if self.param.max is not None:
            value = min(self.param.max, value)
        self.value = _format(int(value) if self.param.kind == "int" else float(value))


class TuneAnswer(AnswerWidget):
    """A row per parameter; Enter on any row runs the training."""

    def compose(self) -> ComposeResult:
        assert self.exercise.tune is not None
        for param in self.exercise.tune.params:
            bounds = ""
            if param.min is not None or param.max is not None:
                bounds = f" [{_format(param.min) if param.min is not None else '…'}, {_format(param.max) if param.max is not None else '…'}]"
            with Horizontal(classes="param-row"):
                yield Label(Text(f"{param.name}{bounds}"), classes="param-name")
                yield ParamInput(param, id=f"param-{param.name}")

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def answer(self) -> Answer:
        return {field.param.name: field.parsed() for field in self.query(ParamInput)}

    def restore(self, answer: Any) -> None:
        if isinstance(answer, Mapping):
            for field in self.query(ParamInput):
                if field.param.name in answer:
                    field.value = _format(answer[field.param.name])

    def reset(self) -> None:
        for field in self.query(ParamInput):
            field.value = _format(field.param.default)

    def blank(self) -> Answer:
        return {field.param.name: field.param.default for field in self.query(ParamInput)}


class MissingAnswer(AnswerWidget):
    def compose(self) -> ComposeResult:
        yield Static(Text(f"This tutor cannot show {self.exercise.kind!r} exercises."))

    def answer(self) -> Answer:
        raise ValueError("nothing to submit")

    def restore(self, answer: Any) -> None:
        pass

    def reset(self) -> None:
        pass

    def focus_answer(self) -> None:
        pass


WIDGETS: dict[str, type[AnswerWidget]] = {
    "number": NumberAnswer, "array": ArrayAnswer, "choice": ChoiceAnswer,
    "predict": PredictAnswer, "code": CodeAnswer, "tune": TuneAnswer,
}


def answer_widget(exercise: Exercise, learner_seed: int = 0) -> AnswerWidget:
    """The widget for `exercise`; a choice's options in this learner's order."""
    options: dict[str, Any] = {"id": "answer", "classes": f"answer -{exercise.kind}"}
    if exercise.kind == "choice":
        options["order"] = choice_order(exercise, learner_seed)
    return WIDGETS.get(exercise.kind, MissingAnswer)(exercise, **options)
