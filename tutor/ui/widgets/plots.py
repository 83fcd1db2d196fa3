"""Plots drawn with textual-plotext: function curves, loss curves (streamed) and
decision boundaries.

This module is imported only when a lesson with a plot is opened, so plotext
never slows the tutor's start-up. The widget draws numbers it is given; the
numbers come from tutor.ui.plot_data (the engine) in a worker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from rich.text import Text
from textual.widgets import Static
from textual_plotext import PlotextPlot

from tutor.ui.crash import GuardedHandlers
from tutor.ui.plot_data import Boundary, Landscape, Picture, Series

# distinct markers as well as colours, so curves stay apart under NO_COLOR: a
# line of braille dots, then lines of dots and rings (never blocks, which hide
# what is under them); curves drawn as points get letters (see fit_losses)
MARKERS = ("braille", "•", "o", "·")
UNRULY_MARKERS = ("x", "+", "*")
COLORS = ("blue+", "red+", "green+", "magenta+", "cyan+")  # plotext's names...
RICH_COLORS = {"blue+": "bright_blue", "red+": "bright_red", "green+": "bright_green",  # ...and Rich's
               "magenta+": "bright_magenta", "cyan+": "bright_cyan", "yellow": "yellow"}
KEY_GLYPHS = {"braille": "⠒⠒"}  # how a marker is shown in the key under the plot
TARGET_MARKER, TARGET_COLOR = "-", "yellow"
CLASS_MARKERS = {0: "o", 1: "x", 2: "+", 3: "*"}
ROOMY_ROWS = 10  # a line plot shorter than this drops its title and axis label
MAX_POINTS = 200  # braille cells give two dots per column: 200 is finer than the plot
# a curve that climbs may take the plot up to this many times the height of the
# calm curves above them (so they keep at least half of it); beyond, it is cut
# at the top edge and its label says so
HEADROOM_SPANS = 1.0
OFF_THE_TOP = " ↑ off the plot"


@dataclass
class Curve:
    """A loss curve as drawn: the points inside the plot, its legend label,
    whether it is drawn as points rather than a line, and the steps where it
    leaves the plot (drawn as "↑" on the top edge, at `top`)."""

    series: Series
    label: str
    unruly: bool
    off_xs: list[float] = field(default_factory=list)
    top: float = math.inf


def fit_losses(series: list[Series], target: float | None = None) -> list[Curve]:
    """Keep a diverging or bouncing loss curve from swamping the others.

    The top of the plot is chosen for the calm curves (those that never climb
    above their start nor zigzag): an unruly curve gets room above them of
    their height (a `target` line counts as calm); where it goes higher (or
    is infinite) it is marked by an arrow on the top edge and its label says
    it leaves the plot. Unruly curves are drawn as points: lines joining a
    zigzag every step paint a solid block over everything."""
    unruly = {item.label: _unruly(item.ys) for item in series}
    calm = [item for item in series if item.ys and not unruly[item.label]]
    finite = [y for item in series for y in item.ys if math.isfinite(y)]
    if not calm or not finite:
        return [Curve(item, item.label, unruly[item.label]) for item in series]
    extra = [target] if target is not None else []
    low = min(finite + extra)
    high = max([y for item in calm for y in item.ys] + extra)
    span = (high - low) or abs(high) or 1.0
    top = high + HEADROOM_SPANS * span
    curves = []
    for item in series:
        if not unruly[item.label]:
            curves.append(Curve(item, item.label, False))
            continue
        inside = [(x, y) for x, y in zip(item.xs, item.ys) if math.isfinite(y) and y <= top]
        off = [x for x, y in zip(item.xs, item.ys) if not (math.isfinite(y) and y <= top)]
        kept = Series(item.label, [x for x, _ in inside], [y for _, y in inside])
        curves.append(Curve(kept, item.label + (OFF_THE_TOP if off else ""), True, off, top))
    return curves


def _unruly(ys: list[float]) -> bool:
    """A loss curve that climbs above where it started, is not finite, or turns
    up and down on more than a third of its steps. Only moves of at least 5% of
    its range count: the small wiggles of a run that settles (the capstone's
    engine curve) read fine as a line."""
    if not ys:
        return False
    if not all(math.isfinite(y) for y in ys):
        return True
    if max(ys) > ys[0] + 0.01 * (abs(ys[0]) or 1.0):
        return True
    steps = [b - a for a, b in zip(ys, ys[1:])]
    scale = (max(ys) - min(ys)) * 0.05
    moves = [step for step in steps if abs(step) > scale]
    turns = sum(1 for a, b in zip(moves, moves[1:]) if (a > 0) != (b > 0))
    return len(moves) >= 6 and turns > len(moves) / 3


@dataclass
class Drawn:
    """One curve as handed to plotext: what a test (or a reader) can check the
    picture by without reading braille."""

    label: str
    xs: list[float]
    ys: list[float]
    marker: str
    color: str
    points: bool  # drawn as points (an unruly loss curve), not a line
    off_xs: list[float] = field(default_factory=list)  # steps above the plot's top (drawn as ↑)


class Chart(GuardedHandlers, PlotextPlot):
    """One picture; call a `draw_*` method, or `add_points` while a run streams.

    Curves are named in a key under the plot (`key`, a Static the screen puts
    there), never in plotext's legend: that sits in the top-left corner of the
    canvas, on whatever curve passes there."""

    def __init__(self, key: Static | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title = ""
        self.series: dict[str, Series] = {}
        self.xlabel = ""
        self.key = key
        self.target: tuple[str, float] | None = None  # a goal's line: ("target 0.38", 0.38)
        self._boundary: Boundary | None = None
        self._landscape: Landscape | None = None
        # what the last drawing gave plotext
        self.drawn: list[Drawn] = []
        self.y_limits: tuple[float, float] | None = None
        self.y_ticks: list[str] = []

    def set_target(self, value: float | None, label: str = "target") -> None:
        """A horizontal line at `value` on loss plots (a tune exercise's goal)."""
        self.target = None if value is None else (f"{label} {value:g}", float(value))

    def on_mount(self) -> None:
        # (PlotextPlot's own on_mount runs too: Textual calls each class's handler)
        if self.app.no_color:
            self.theme = "clear"

    def draw(self, picture: Picture, title: str = "", kind: str = "") -> None:
        """Draw whatever `plot_data.picture` computed for an exercise's plot of `kind`."""
        if isinstance(picture, Boundary):
            self.draw_boundary(picture, title)
        elif isinstance(picture, Landscape):
            self.draw_landscape(picture, title)
        else:
            self.draw_lines(picture, title, "step" if kind == "loss" else "")

    def draw_lines(self, series: list[Series], title: str = "", xlabel: str = "") -> None:
        self._boundary = self._landscape = None
        self.title, self.xlabel = title, xlabel
        self.series = {item.label: item for item in series}
        self._replot()

    def start_stream(self, label: str) -> None:
        self._boundary = self._landscape = None
        self.series[label] = Series(label, [], [])
        self._replot()

    def add_points(self, label: str, points: list[tuple[int, float]]) -> None:
        series = self.series.setdefault(label, Series(label, [], []))
        for step, loss in points:
            series.xs.append(float(step))
            series.ys.append(loss)
        self._replot()

    def draw_boundary(self, boundary: Boundary, title: str = "") -> None:
        self.series = {}
        self.title = title
        self._landscape = None
        self._boundary = boundary
        self._replot()

    def draw_landscape(self, landscape: Landscape, title: str = "") -> None:
        self.series = {}
        self.title = title
        self._boundary = None
        self._landscape = landscape
        self._replot()

    @property
    def point_count(self) -> int:
        return sum(len(series.xs) for series in self.series.values())

    @property
    def roomy(self) -> bool:
        """Whether there are rows for the title and the axis label: in a short
        plot (beside a code editor at 24 rows) the curves get them instead."""
        return self.size.height >= ROOMY_ROWS or self._boundary is not None or self._landscape is not None

    @property
    def canvas_rows(self) -> int:
        """Rows the curves are drawn in: the height less frame, ticks, title and label."""
        return self.size.height - 3 - (2 if self.roomy else 0)

    def on_resize(self) -> None:
        self._replot()

    def _replot(self) -> None:
        plt = self.plt
        plt.clear_figure()
        if self.roomy:
            plt.title(self.title)
            if self.xlabel:
                plt.xlabel(self.xlabel)
        self.drawn, self.y_limits, self.y_ticks = [], None, []
        if self._boundary is not None:
            draw_boundary(plt, self._boundary, self.size.width or 80)
        if self._landscape is not None:
            draw_landscape(plt, self._landscape)
        losses = self.xlabel == "step"
        target = self.target if losses else None
        shown = fit_losses(list(self.series.values()), target[1] if target else None) if losses else \
            [Curve(series, series.label, False) for series in self.series.values()]
        drawn = [curve.series for curve in shown if curve.series.xs]
        drawn += [Series("", curve.off_xs, [curve.top] * len(curve.off_xs)) for curve in shown if curve.off_xs]
        if drawn and target is not None:  # first, so the curves are drawn over it
            plt.plot([0.0, max(item.xs[-1] for item in drawn)], [target[1]] * 2,
                     marker=TARGET_MARKER, color=TARGET_COLOR)
        calm = unruly = 0
        for index, curve in enumerate(shown):
            series, color = curve.series, COLORS[index % len(COLORS)]
            if curve.unruly:
                marker = UNRULY_MARKERS[unruly % len(UNRULY_MARKERS)]
                unruly += 1
            else:
                marker = MARKERS[calm % len(MARKERS)]
                calm += 1
            if curve.off_xs:
                stride = max(1, len(curve.off_xs) // MAX_POINTS)
                plt.scatter(curve.off_xs[::stride], [curve.top] * len(curve.off_xs[::stride]), marker="↑", color=color)
            xs, ys = thin(series.xs, series.ys)
            self.drawn.append(Drawn(curve.label, xs, ys, marker, color, curve.unruly, curve.off_xs))
            if not xs:
                continue
            if curve.unruly:  # points, not lines: a line zigzagging every step fills the plot
                plt.scatter(xs, ys, marker=marker, color=color)
            else:
                plt.plot(xs, ys, marker=marker, color=color)
        if drawn and losses:
            self.y_limits, self.y_ticks = loss_axis(plt, drawn, target[1] if target else None,
                                                    self.canvas_rows)
            whole_steps(plt, drawn)
        self._show_key(target if drawn else None)
        self.refresh()

    def _show_key(self, target: tuple[str, float] | None) -> None:
        """The curves' names under the plot, each after its marker in its colour."""
        if self.key is None:
            return
        colored = not self.app.no_color
        def entry(glyph: str, color: str, label: str) -> Text:
            return Text.assemble((glyph, RICH_COLORS.get(color, color) if colored else ""), " ", label)

        parts = [entry(KEY_GLYPHS.get(item.marker, item.marker * 2), item.color, item.label) for item in self.drawn]
        if target is not None:
            parts.append(entry(TARGET_MARKER * 2, TARGET_COLOR, target[0]))
        self.key.update(Text("\n").join(pack(parts, max(10, (self.key.size.width or self.size.width or 40) - 2))))
        self.key.display = bool(parts)


def pack(entries: list[Text], width: int, gap: int = 2) -> list[Text]:
    """Key entries in rows of at most `width` cells, broken between entries, never inside one."""
    rows: list[Text] = []
    for item in entries:
        if rows and rows[-1].cell_len + gap + item.cell_len <= width:
            rows[-1] = Text.assemble(rows[-1], " " * gap, item)
        else:
            rows.append(item.copy())
    return rows


def thin(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """At most about MAX_POINTS of a curve (a terminal is ~80 cells wide), always
    with its last point: a curve must reach the step where its run ended."""
    if not xs:
        return [], []
    stride = max(1, len(xs) // MAX_POINTS)
    kept_x, kept_y = xs[::stride], ys[::stride]
    if kept_x[-1] != xs[-1]:
        kept_x, kept_y = kept_x + [xs[-1]], kept_y + [ys[-1]]
    return kept_x, kept_y


def draw_boundary(plt, boundary: Boundary, width: int = 80) -> None:
    """Points by class over the model's region. The key goes under the plot,
    not in a legend: plotext puts legends in the top-left corner, over
    whatever point lies there (XOR's (0, 1))."""
    region_x, region_y = boundary.region
    if region_x:
        plt.scatter(region_x, region_y, marker="·", color="gray")
    long_key, short_key = [], []
    for label, (xs, ys) in boundary.points.items():
        marker = CLASS_MARKERS.get(label, "•")
        plt.scatter(xs, ys, marker=marker)
        long_key.append(f"{marker} class {label}")
        short_key.append(f"{marker} {label}")
    if region_x:
        long_key.append("· model says 1")
        short_key.append("· model: 1")
    key = "  ".join(long_key)
    if len(key) > width - 8:  # plotext drops an axis label wider than its canvas
        key = "class " + "  ".join(short_key)
    plt.xlabel(key)
    _leave_margin(plt, boundary.points.values())


def _leave_margin(plt, groups) -> None:
    """Limits a little beyond the points, so none sits on the frame, where plotext
    would draw it over the axis line."""
    xs = [x for group_x, _ in groups for x in group_x]
    ys = [y for _, group_y in groups for y in group_y]
    if not xs:
        return
    for values, limits in ((xs, plt.xlim), (ys, plt.ylim)):
        low, high = min(values), max(values)
        pad = 0.08 * (high - low) or 0.5
        limits(low - pad, high + pad)


def draw_landscape(plt, landscape: Landscape) -> None:
    """A loss curve over one parameter, or contour rings over two, with the
    descent path on top: numbered steps would not fit at 80x24, so the path is
    a line through "o" marks, its start a "S" and the lowest point a "*"."""
    path_x, path_y = landscape.path
    if landscape.two_parameters:
        for xs, ys in landscape.levels:
            plt.scatter(xs, ys, marker="braille", color="gray")
        key = f"{landscape.xlabel} across, {landscape.ylabel} up; rings: same loss"
    else:
        curve_x, curve_y = landscape.curve
        plt.plot(curve_x, curve_y, marker="braille", color="gray")
        key = f"{landscape.xlabel} across, {landscape.ylabel} up; o: steps from S"
    if not landscape.two_parameters:  # over two parameters a line would read as one more ring
        plt.plot(path_x, path_y, marker="braille", color="red")
    plt.scatter(path_x, path_y, marker="o", color="red")
    if path_x:
        plt.scatter([path_x[0]], [path_y[0]], marker="S", color="red")
    plt.scatter([landscape.minimum[0]], [landscape.minimum[1]], marker="*", color="blue")
    plt.xlabel(key)


def loss_axis(plt, series: list[Series], target: float | None, rows: int) -> tuple[tuple[float, float], list[str]]:
    """The y axis of a loss plot: from just below the lowest point (never below
    zero when no loss is negative: a loss that cannot be negative gets no
    negative ticks) to just above the highest, the target line included, with
    ticks at round values that never read "-0.00"."""
    ys = [y for item in series for y in item.ys if math.isfinite(y)] + ([target] if target is not None else [])
    if not ys:
        return (0.0, 1.0), []
    low, high = min(ys), max(ys)
    span = (high - low) or abs(high) or 1.0
    bottom, top = low - 0.04 * span, high + 0.04 * span
    if low >= 0:
        bottom = max(0.0, bottom)
    ticks = round_ticks(bottom, top, max(2, min(6, rows // 2)))
    labels = tick_labels(ticks)
    plt.ylim(bottom, top)
    plt.yticks(ticks, labels)
    return (bottom, top), labels


def round_ticks(low: float, high: float, most: int) -> list[float]:
    """Multiples of 1, 2, 2.5 or 5 times a power of ten inside [low, high]: the
    coarsest such step giving at most `most` ticks, but always at least two."""
    span = high - low
    if span <= 0 or not math.isfinite(span):
        return [low]
    size = 10 ** math.floor(math.log10(span / most))
    finer: list[float] = []
    for step in (size * factor for factor in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50)):
        first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
        ticks = [0.0 if k == 0 else k * step for k in range(first, last + 1)]  # exactly zero: no "-0.00"
        if len(ticks) <= most:
            return ticks if len(ticks) >= 2 or not finer else finer
        finer = ticks
    return finer


def tick_labels(ticks: list[float]) -> list[str]:
    """With as many decimals as the step between ticks needs (0.25 apart:
    "0.25", "0.50"); zero is exactly zero in `round_ticks`, so never "-0.00"."""
    if len(ticks) < 2:
        return [f"{tick:g}" for tick in ticks]
    step = ticks[1] - ticks[0]
    decimals = 0
    while decimals < 8 and abs(round(step, decimals) - step) > 1e-6 * step:
        decimals += 1
    return [f"{tick:.{decimals}f}" for tick in ticks]


def whole_steps(plt, series: list[Series]) -> None:
    """Ticks at round numbers (0, 2500, 5000, ...) rather than plotext's even
    fifths of the range (2499.8): only for step axes, whose x are whole numbers."""
    last = max(item.xs[-1] for item in series)
    if last < 5 or any(x != int(x) for item in series for x in item.xs[:3]):
        return
    size = 10 ** math.floor(math.log10(last / 4))
    step = next(size * factor for factor in (1, 2, 2.5, 5, 10) if last / (size * factor) <= 4.5)
    ticks = [step * k for k in range(int(last // step) + 1)]
    plt.xticks(ticks, [f"{tick:g}" for tick in ticks])
