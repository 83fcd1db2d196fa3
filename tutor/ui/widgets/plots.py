"""Plots drawn with textual-plotext: function curves, loss curves (streamed) and
decision boundaries.

This module is imported only when a lesson with a plot is opened, so plotext
never slows the tutor's start-up. The widget draws numbers it is given; the
numbers come from tutor.ui.plot_data (the engine) in a worker.
"""

from __future__ import annotations

from textual_plotext import PlotextPlot

from tutor.ui.plot_data import Boundary, Series

# distinct markers as well as colours, so curves stay apart under NO_COLOR
MARKERS = ("braille", "dot", "hd", "x")
CLASS_MARKERS = {0: "o", 1: "x", 2: "+", 3: "*"}
MAX_POINTS = 200  # braille cells give two dots per column: 200 is finer than the plot


class Chart(PlotextPlot):
    """One picture; call a `draw_*` method, or `add_points` while a run streams."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title = ""
        self.series: dict[str, Series] = {}
        self.xlabel = ""
        self._boundary: Boundary | None = None

    def on_mount(self) -> None:
        # (PlotextPlot's own on_mount runs too: Textual calls each class's handler)
        if self.app.no_color:
            self.theme = "clear"

    def draw_lines(self, series: list[Series], title: str = "", xlabel: str = "") -> None:
        self._boundary = None
        self.title, self.xlabel = title, xlabel
        self.series = {item.label: item for item in series}
        self._replot()

    def start_stream(self, label: str) -> None:
        self._boundary = None
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
        self._boundary = boundary
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
            region_x, region_y = self._boundary.region
            if region_x:
                plt.scatter(region_x, region_y, marker="·", color="gray")
            for label, (xs, ys) in self._boundary.points.items():
                plt.scatter(xs, ys, marker=CLASS_MARKERS.get(label, "•"), label=f"class {label}")
        for index, series in enumerate(self.series.values()):
            if series.xs:
                stride = max(1, len(series.xs) // MAX_POINTS)  # a terminal is ~80 cells wide
                xs, ys = series.xs[::stride], series.ys[::stride]
                if xs[-1] != series.xs[-1]:
                    xs, ys = xs + [series.xs[-1]], ys + [series.ys[-1]]
                plt.plot(xs, ys, label=series.label, marker=MARKERS[index % len(MARKERS)])
        self.refresh()
