"""The neuron playground: two inputs, two weights, a bias, and a truth table that
answers back as you change them.

Every number is the engine's (weighted_sum, neuron_output, datasets.logic_gate),
so what the learner sees here is exactly what the exercises check.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from tutor.ui import styles
from tutor.ui.crash import GuardedHandlers
from tutor.ui.widgets.footer import FittingFooter

GATES = ("AND", "OR", "XOR")
ILLUSTRATES = ("gates",)  # the lessons whose screen opens the playground (F9)
PARAMS = ("w1", "w2", "b")


def truth_table(weights: tuple[float, float], bias: float, gate: str) -> list[tuple[int, int, float, float, int]]:
    """(x1, x2, z, output, target) per row, computed by the engine."""
    import engine

    X, y = engine.datasets.logic_gate(gate)
    rows = []
    for inputs, target in zip(X, y):
        z = float(engine.weighted_sum(inputs=list(inputs), weights=list(weights), bias=bias))
        out = float(engine.neuron_output(inputs=list(inputs), weights=list(weights), bias=bias))
        rows.append((int(inputs[0]), int(inputs[1]), z, out, int(round(float(target if not hasattr(target, "__len__") else target[0])))))
    return rows


class PlaygroundScreen(GuardedHandlers, Screen):
    CSS_PATH = styles.SCREENS
    BINDINGS = [
        Binding("up", "select(-1)", "Prev", show=False),
        Binding("down", "select(1)", "Next", show=False),
        Binding("right,plus,equals_sign", "change(1)", "+1"),
        Binding("left,minus", "change(-1)", "-1"),
        Binding("shift+right,full_stop", "change(0.1)", "+0.1", show=False),  # the controls' key line
        Binding("shift+left,comma", "change(-0.1)", "-0.1", show=False),  # says these (80 columns)
        Binding("pageup,right_square_bracket", "change(10)", "+10", show=False),
        Binding("pagedown,left_square_bracket", "change(-10)", "-10", show=False),
        Binding("g", "gate", "Next gate"),
        Binding("escape,q", "app.pop_screen", "Back"),
    ]

    selected: reactive[int] = reactive(0)
    gate: reactive[str] = reactive("AND")

    def __init__(self) -> None:
        super().__init__()
        self.values = {"w1": 0.0, "w2": 0.0, "b": 0.0}

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("Neuron playground", "bold"),
                                   "  output = sigmoid(w1·x1 + w2·x2 + b)", style=""), id="playground-title")
        yield Static(id="controls")
        yield Static(id="table")
        yield Static(id="verdict")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.redraw()

    def watch_selected(self) -> None:
        if self.is_mounted:
            self.redraw()

    def watch_gate(self) -> None:
        if self.is_mounted:
            self.redraw()

    def action_select(self, delta: int) -> None:
        self.selected = (self.selected + delta) % len(PARAMS)

    def action_change(self, amount: float) -> None:
        name = PARAMS[self.selected]
        self.values[name] = round(self.values[name] + amount, 6)
        self.redraw()

    def action_gate(self) -> None:
        self.gate = GATES[(GATES.index(self.gate) + 1) % len(GATES)]

    def redraw(self) -> None:
        controls = Text()
        for index, name in enumerate(PARAMS):
            pointer = "▶ " if index == self.selected else "  "
            controls.append(f"{pointer}{name:<2} = {self.values[name]:>8.2f}\n",
                            style="bold reverse" if index == self.selected else "")
        controls.append("↑↓ pick · ←→ ±1 · ] [ ±10 · shift+←→ or . , ±0.1 · g: gate", style="dim")
        self.query_one("#controls", Static).update(controls)

        rows = truth_table((self.values["w1"], self.values["w2"]), self.values["b"], self.gate)
        table = Table(title=f"Truth table: {self.gate}", title_justify="left", expand=False)
        for header in ("x1", "x2", "z = w·x + b", "sigmoid(z)", "≥ 0.5?", self.gate, ""):
            table.add_column(header, justify="right")
        right = 0
        for x1, x2, z, out, target in rows:
            fired = int(out >= 0.5)  # the neuron "says 1" when its output reaches one half
            ok = fired == target
            right += ok
            table.add_row(str(x1), str(x2), f"{z:.2f}", f"{out:.4f}", str(fired), str(target),
                          Text("✓" if ok else "✗", style="green" if ok else "red"))
        self.query_one("#table", Static).update(table)
        if right == len(rows):
            message = Text(f"This neuron computes {self.gate}.", style="bold green")
        elif self.gate == "XOR":
            message = Text(f"{right}/4 rows right. No single neuron gets all four: XOR needs a hidden layer.", style="yellow")
        else:
            message = Text(f"{right}/4 rows right.", style="yellow")
        self.query_one("#verdict", Static).update(message)
