"""Charts as text: the paper's dual-axis sweep chart and the parameter-scaling scatter.

Each function builds its own plotext figure from scratch and returns the text, so charts
never share plotext's module-level state. With `color=False` the text has no ANSI codes.
Axes carry round ticks on the rows of their values (`tui.render.axes`); series differ by
colour and marker (`tui.render.series`). A plot area is never shorter than MIN_PLOT_ROWS:
a smaller `height` gives a taller figure rather than a squashed one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import plotext as plt
import polars as pl

from tui.core.schema import PASS, TPS, format_knob, metric_label
from tui.render.axes import Axis, column_of, dual_axes, linear_axis, log_axis, row_of, value_at_column
from tui.render.series import HIGHLIGHT, SELECTED, color_of, legend, marker_of
from tui.render.text import clean, fit

MIN_PLOT_ROWS = 10
# Rows around the plot area: title, top and bottom frame, x tick labels, axis labels.
FRAME_ROWS = 5
# The shortest figure with a one-line legend.
MIN_CHART_HEIGHT = MIN_PLOT_ROWS + FRAME_ROWS + 1
# Solid bars for the first series, shaded for the second, so overlaid bars differ without colour.
BAR_GLYPHS = ("█", "▒")
HIGHLIGHT_GLYPH = "▓"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plot_rows(height: int, legend_text: str) -> int:
    """Canvas rows of a figure `height` rows tall whose legend is `legend_text`."""
    return max(height - (legend_text.count("\n") + 1) - FRAME_ROWS, MIN_PLOT_ROWS)


def _start(width: int, rows: int) -> None:
    plt.clear_figure()
    # plotext clips a figure to the terminal it runs in; the size asked for is the size drawn.
    plt.limitsize(False, False)
    plt.plotsize(max(width, 20), rows + FRAME_ROWS)
    plt.theme("clear")


def _finish(color: bool) -> str:
    text = plt.build()
    plt.clear_figure()
    lines = [line.rstrip() for line in text.splitlines()]
    text = "\n".join(lines)
    return text if color else _ANSI.sub("", text)


def _set_y(axis: Axis, side: str) -> None:
    plt.ylim(axis.lo, axis.hi, yside=side)
    plt.yticks(list(axis.ticks), list(axis.labels), yside=side)


@dataclass
class _Series:
    """One overlaid series of a sweep chart: its bars, its line and how they are drawn."""

    label: str
    bars: list[tuple[float, float, bool]]  # (knob position, value, highlighted)
    line: list[tuple[float, float]]        # (knob position, value)
    index: int
    same_as: str | None = None

    @property
    def bar_color(self):
        return color_of(2 * self.index)

    @property
    def line_color(self):
        return color_of(2 * self.index + 1)

    @property
    def bar_glyph(self) -> str:
        return BAR_GLYPHS[self.index % len(BAR_GLYPHS)]

    @property
    def marker(self) -> str:
        return marker_of(self.index)


def _sweep_series(frames, position, bar: str, line: str, highlight) -> list[_Series]:
    count = len(frames)
    series: list[_Series] = []
    for index, (label, frame) in enumerate(frames):
        offset = (index - (count - 1) / 2) * (0.6 / count)
        bars, points = [], []
        if bar in frame.columns:
            rows = frame.filter(pl.col(bar).is_not_null())
            bars = [(position[k] + offset, v, highlight is not None and k == highlight)
                    for k, v in zip(rows["knob"], rows[bar])]
        if line in frame.columns:
            rows = frame.filter(pl.col(line).is_not_null())
            points = [(position[k], v) for k, v in zip(rows["knob"], rows[line])]
        one = _Series(clean(label), bars, points, index)
        # An identical line would hide under the other one: say so in the legend.
        one.same_as = next((s.label for s in series if points and s.line == points), None)
        series.append(one)
    return series


def _sweep_legend(series: list[_Series], bar: str, line: str, color: bool, width: int) -> str:
    items = []
    for one in series:
        prefix = f"{one.label} " if len(series) > 1 else ""
        if one.bars:
            items.append((one.bar_glyph, f"{prefix}{metric_label(bar)}", one.bar_color))
        if one.line:
            same = f" (same as {one.same_as})" if one.same_as else ""
            items.append((f"─{one.marker}", f"{prefix}{metric_label(line)}{same}", one.line_color))
    return legend(items, color, width)


def _draw_series(series: list[_Series]) -> None:
    """Every bar, then every line, then every marker: no series covers another's markers."""
    width = 0.6 / len(series)
    for one in series:
        for lit, color, glyph in ((False, one.bar_color, one.bar_glyph), (True, HIGHLIGHT, HIGHLIGHT_GLYPH)):
            chosen = [(x, y) for x, y, on in one.bars if on == lit]
            if chosen:
                plt.bar([x for x, _ in chosen], [y for _, y in chosen], color=color, width=width,
                        yside="left", marker=glyph)
    for one in series:
        if one.line:
            plt.plot(*zip(*one.line), color=one.line_color, marker="hd", yside="right")
    for one in series:
        if one.line:
            plt.scatter(*zip(*one.line), color=one.line_color, marker=one.marker, yside="right")


def sweep_chart(frames: list[tuple[str, pl.DataFrame]], title: str, *, knob_label: str = "KV budget",
                width: int = 80, height: int = 22, color: bool = True, highlight: float | None = None,
                bar: str = PASS, line: str = TPS) -> str:
    """Pass@1 bars on the left axis and the throughput line on the right, KV budget on x.

    `frames` holds one (label, series frame) per overlaid series; a second series draws its
    bars beside the first. `highlight` is a knob value whose bar is drawn in a contrasting colour.
    Both y axes tick on the same rows, so a bar reads against the line on a shared gridline.
    """
    # A file with no knob is one point at a null knob, drawn at a position labelled "-".
    values = {k for _, f in frames for k in f["knob"].to_list()}
    knobs = sorted(k for k in values if k is not None) + ([None] if None in values else [])
    if not knobs:
        return f"{clean(title)}\n(no data)"
    position = {k: i + 1 for i, k in enumerate(knobs)}
    series = _sweep_series(frames, position, bar, line, highlight)
    legend_text = _sweep_legend(series, bar, line, color, width)
    rows = plot_rows(height, legend_text)
    _start(width, rows)
    _draw_series(series)
    heights = [y for one in series for _, y, _ in one.bars]
    speeds = [y for one in series for _, y in one.line]
    if speeds:
        left, right = dual_axes((0.0, max(heights, default=1.0)), (min(speeds), max(speeds)), rows)
        _set_y(right, "right")
        plt.ylabel(metric_label(line), yside="right")
    else:
        left = linear_axis(0.0, max(heights, default=1.0), rows, from_zero=True)
    _set_y(left, "left")
    plt.xticks(list(position.values()), [format_knob(k) for k in knobs])
    plt.xlim(0.4, len(knobs) + 0.6)
    plt.title(fit(clean(title), max(width - 4, 10)))
    plt.xlabel(knob_label)
    if any(bar in frame.columns for _, frame in frames):  # no accuracy axis label over a speed-only run
        plt.ylabel(fit(clean(metric_label(bar)), 24), yside="left")
    return _finish(color) + "\n" + legend_text


@dataclass(frozen=True)
class Label:
    """A point's label as placed in the canvas: `row`, `col` (0 = top left) of its first character."""

    model: str
    text: str
    row: int
    col: int
    point_row: int
    point_col: int


def place_labels(points: list[tuple[str, int, int]], rows: int, cols: int,
                 selected: str | None = None) -> list[Label]:
    """Labels on their points' rows, right of the point or else left of it, one cell away.

    `points` are (model, row, col) canvas cells. A label never covers a point or another label
    and keeps a blank cell from both; a label that fits on neither side even shortened is left
    out (its point stays in the table and under the cursor). The selected point goes first.
    """
    taken = {(r, c) for _, r, c in points}
    order = sorted(points, key=lambda p: (p[0] != selected, p[1], p[2]))
    placed = []
    for model, row, col in order:
        full = f"[{clean(model)}]" if model == selected else clean(model)
        for length in (len(full), 16, 10, 7):
            text = fit(full, length)
            spot = next((start for start in (col + 2, col - len(text) - 1)
                         if _free(taken, row, start, len(text), cols)), None)
            if spot is not None:
                taken |= {(row, c) for c in range(spot, spot + len(text))}
                placed.append(Label(model, text, row, spot, row, col))
                break
    return placed


def _free(taken: set[tuple[int, int]], row: int, start: int, length: int, cols: int) -> bool:
    if start < 0 or start + length > cols:
        return False
    return not any((row, c) in taken for c in range(start - 1, start + length + 1))


@dataclass(frozen=True)
class ScalingLayout:
    """Where the scatter's canvas puts things: axes, canvas size, the labels placed."""

    x: Axis
    y: Axis
    rows: int
    cols: int
    labels: list[Label]


def scaling_layout(shown: pl.DataFrame, width: int, rows: int, selected: str | None) -> ScalingLayout:
    y = linear_axis(shown["score"].min(), shown["score"].max(), rows)
    # The canvas lies between the left labels and the two frame columns.
    cols = max(width, 20) - 2 - max(len(label) for label in y.labels)
    x = log_axis(shown["params_b"].min(), shown["params_b"].max(), cols)
    cells = [(m, row_of(s, y, rows), column_of(math.log10(p), x, cols))
             for m, p, s in zip(shown["model"], shown["params_b"], shown["score"])]
    return ScalingLayout(x, y, rows, cols, place_labels(cells, rows, cols, selected))


def scaling_chart(points: pl.DataFrame, *, width: int = 80, height: int = 24, color: bool = True,
                  selected: str | None = None, hidden: set[str] | frozenset[str] = frozenset(),
                  title: str = "MathVision Pass@1 vs activated parameters") -> str:
    """The scaling scatter: log-scaled x, each family's points joined in parameter order, labels
    beside their points; each family has its own colour and marker."""
    shown = points.filter(~pl.col("family").is_in(list(hidden)))
    families = sorted(points["family"].unique().to_list())
    if shown.height == 0:
        return f"{clean(title)}\n(every family is hidden)"
    items = [(marker_of(i), clean(f) + (" (hidden)" if f in hidden else ""), color_of(i))
             for i, f in enumerate(families)]
    legend_text = legend(items, color, width)
    rows = plot_rows(height, legend_text)
    layout = scaling_layout(shown, width, rows, selected)
    _start(width, rows)
    # plotext's own log scale ignores limits and ticks, so plot log10(x) on a linear axis.
    plt.xlim(layout.x.lo, layout.x.hi)
    plt.xticks(list(layout.x.ticks), list(layout.x.labels))
    _set_y(layout.y, "left")
    style = {f: (marker_of(i), color_of(i)) for i, f in enumerate(families)}
    by_family = [(f, shown.filter(pl.col("family") == f).sort("params_b")) for f in families]
    # Every joining line first, then every point, so no line runs over another family's marker.
    for family, rows_of_family in by_family:
        if rows_of_family.height > 1:
            xs = [math.log10(v) for v in rows_of_family["params_b"]]
            plt.plot(xs, rows_of_family["score"].to_list(), color=style[family][1], marker="braille")
    for family, rows_of_family in by_family:
        if rows_of_family.height:
            xs = [math.log10(v) for v in rows_of_family["params_b"]]
            plt.scatter(xs, rows_of_family["score"].to_list(), color=style[family][1], marker=style[family][0])
    family_of = dict(zip(shown["model"], shown["family"]))
    for label in layout.labels:
        y = layout.y.hi - label.row / (rows - 1) * (layout.y.hi - layout.y.lo)
        tint = SELECTED if label.model == selected else style[family_of[label.model]][1]
        # The blank cell between a point and its label is drawn too, over any joining line.
        right = label.col > label.point_col
        text, col = (" " + label.text, label.col - 1) if right else (label.text + " ", label.col)
        plt.text(text, value_at_column(col, layout.x, layout.cols), y, color=tint, alignment="left")
    plt.title(fit(clean(title), max(width - 4, 10)))
    plt.xlabel("Activated parameters (B, log scale)")
    plt.ylabel("MathVision Pass@1")
    return _finish(color) + "\n" + legend_text
