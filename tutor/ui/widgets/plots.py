"""Plots drawn with textual-plotext: function curves, loss curves (streamed) and
decision boundaries.

This module is imported only when a lesson with a plot is opened, so plotext
never slows the tutor's start-up. The widget draws numbers it is given; the
numbers come from tutor.ui.plot_data (the engine) in a worker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from textual_plotext import PlotextPlot

from tutor.ui.crash import GuardedHandlers
from tutor.ui.plot_data import Boundary, Landscape, Picture, Series

# distinct markers as well as colours, so curves stay apart under NO_COLOR
MARKERS = ("braille", "dot", "hd", "x")
CLASS_MARKERS = {0: "o", 1: "x", 2: "+", 3: "*"}
UNRULY_MARKERS = ("x", "+", "*")  # loss curves drawn as points (see fit_losses)
MAX_POINTS = 200  # braille cells give two dots per column: 200 is finer than the plot
# a curve that climbs may take the plot up to this many times the height of the
# calm curves above them; beyond, it is cut at the top edge and its label says so
HEADROOM_SPANS = 3.0
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


def fit_losses(series: list[Series]) -> list[Curve]:
    """Keep a diverging or bouncing loss curve from swamping the others.

    The top of the plot is chosen for the calm curves (those that never climb
    above their start nor zigzag): an unruly curve gets room above them of
    three times their height; where it goes higher (or is infinite) it is
    marked by an arrow on the top edge and its label says it leaves the plot.
    Unruly curves are drawn as points: lines joining a zigzag every step
    paint a solid block over everything."""
    unruly = {item.label: _unruly(item.ys) for item in series}
    calm = [item for item in series if item.ys and not unruly[item.label]]
    finite = [y for item in series for y in item.ys if math.isfinite(y)]
    if not calm or not finite:
        return [Curve(item, item.label, unruly[item.label]) for item in series]
    low = min(finite)
    high = max(y for item in calm for y in item.ys)
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


class Chart(GuardedHandlers, PlotextPlot):
    """One picture; call a `draw_*` method, or `add_points` while a run streams."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title = ""
        self.series: dict[str, Series] = {}
        self.xlabel = ""
        self._boundary: Boundary | None = None
        self._landscape: Landscape | None = None

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

    def _replot(self) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(self.title)
        if self.xlabel:
            plt.xlabel(self.xlabel)
        if self._boundary is not None:
            draw_boundary(plt, self._boundary, self.size.width or 80)
        if self._landscape is not None:
            draw_landscape(plt, self._landscape)
        losses = self.xlabel == "step"
        shown = fit_losses(list(self.series.values())) if losses else \
            [Curve(series, series.label, False) for series in self.series.values()]
        unruly = 0
        for index, curve in enumerate(shown):
            series = curve.series
            if curve.off_xs:
                stride = max(1, len(curve.off_xs) // MAX_POINTS)
                plt.scatter(curve.off_xs[::stride], [curve.top] * len(curve.off_xs[::stride]), marker="↑")
            if not series.xs:
                if curve.off_xs:  # still in the legend, which says where it went
                    plt.scatter([curve.off_xs[0]], [curve.top], label=curve.label,
                                marker=UNRULY_MARKERS[unruly % len(UNRULY_MARKERS)])
                    unruly += 1
                continue
            stride = max(1, len(series.xs) // MAX_POINTS)  # a terminal is ~80 cells wide
            xs, ys = series.xs[::stride], series.ys[::stride]
            if xs[-1] != series.xs[-1]:
                xs, ys = xs + [series.xs[-1]], ys + [series.ys[-1]]
            if curve.unruly:  # points, not lines: a line zigzagging every step fills the plot
                plt.scatter(xs, ys, label=curve.label, marker=UNRULY_MARKERS[unruly % len(UNRULY_MARKERS)])
                unruly += 1
            else:
                plt.plot(xs, ys, label=curve.label, marker=MARKERS[index % len(MARKERS)])
        drawn = [curve.series for curve in shown if curve.series.xs]
        drawn += [Series("", curve.off_xs, [curve.top] * len(curve.off_xs)) for curve in shown if curve.off_xs]
        if drawn and losses:  # loss curves: they start in the legend's corner
            room_for_legend(plt, drawn, self.size.height)
            whole_steps(plt, drawn)
        self.refresh()


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


def room_for_legend(plt, series: list[Series], height: int) -> None:
    """Raise the top of the y axis so the legend's rows (plotext draws it in the
    top-left corner, one row per curve) sit above every point: a loss curve
    starts at its highest value exactly there."""
    ys = [y for item in series for y in item.ys if math.isfinite(y)]
    if not ys:
        return
    rows = len(series) + 1
    canvas = max(height - 6, rows + 2)  # minus title, frame, tick labels and axis label
    low, high = min(ys), max(ys)
    span = (high - low) or abs(high) or 1.0
    plt.ylim(low - 0.02 * span, high + span * rows / (canvas - rows))


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
