"""The paper's dual-axis sweep chart as text: Pass@1 bars, the throughput line, budget on x.

The function builds its own plotext figure from scratch and returns the text, so charts never
share plotext's module-level state. With `color=False` the text has no ANSI codes. Axes carry
round ticks on the rows of their values (`tui.render.axes`); series differ by colour and
marker (`tui.render.series`). The scaling scatter is in `tui.render.scatter`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotext as plt
import polars as pl

from tui.core.schema import METRIC_SHORT, PASS, TPS, format_knob, metric_label
from tui.render.axes import dual_axes, linear_axis
from tui.render.figure import finish, has_axis_titles, plot_rows, set_y, start
from tui.render.series import HIGHLIGHT, RGB, color_of, legend, marker_of
from tui.render.text import clean, fit

# Solid bars for the first series, shaded for the second, so overlaid bars differ without colour.
BAR_GLYPHS = ("█", "▒")
HIGHLIGHT_GLYPH = "▓"


@dataclass
class _Series:
    """One overlaid series of a sweep chart: its bars, its line and how they are drawn."""

    label: str
    bars: list[tuple[float, float, bool]]  # (knob position, value, highlighted)
    line: list[tuple[float, float]]        # (knob position, value)
    index: int
    same_as: str | None = None

    @property
    def bar_color(self) -> RGB:
        return color_of(2 * self.index)

    @property
    def line_color(self) -> RGB:
        return color_of(2 * self.index + 1)

    @property
    def bar_glyph(self) -> str:
        return BAR_GLYPHS[self.index % len(BAR_GLYPHS)]

    @property
    def marker(self) -> str:
        return marker_of(self.index)


def _sweep_series(frames, position, bar: str, line: str, highlight, group: float) -> list[_Series]:
    count = len(frames)
    series: list[_Series] = []
    for index, (label, frame) in enumerate(frames):
        offset = (index - (count - 1) / 2) * (group / count)
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
    """The legend with the metrics' long labels, or their short ones when that saves a line (a
    narrow chart would otherwise lose a legend line, or a plot row, to "(%)" and "(TPS)")."""
    full = legend(_legend_items(series, metric_label(bar), metric_label(line)), color, width)
    short = legend(_legend_items(series, METRIC_SHORT.get(bar, bar), METRIC_SHORT.get(line, line)),
                   color, width)
    return short if short.count("\n") < full.count("\n") else full


def _legend_items(series: list[_Series], bar: str, line: str) -> list[tuple[str, str, RGB | str]]:
    items = []
    for one in series:
        prefix = f"{one.label} " if len(series) > 1 else ""
        if one.bars:
            items.append((one.bar_glyph, f"{prefix}{bar}", one.bar_color))
        if one.line:
            same = f" (same as {one.same_as})" if one.same_as else ""
            items.append((f"─{one.marker}", f"{prefix}{line}{same}", one.line_color))
    return items


def _bar_group(width: int, knobs: int) -> float:
    """The width, in knob steps, of one knob's bars: 0.6, narrower on a narrow chart so that two
    columns stay between neighbours (with less, rounding to cells runs bars together)."""
    columns = max(width - 10, 1) / (knobs + 0.2)  # plot columns per step; 10 for axes and frame
    return max(min(0.6, 1 - 2 / columns), 0.2)


def _draw_series(series: list[_Series], group: float) -> None:
    """Every bar, then every line, then every marker: no series covers another's markers."""
    width = group / len(series)
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


def _x_ticks(knobs: list, columns: int) -> tuple[list[int], list[str]]:
    """The knob positions to label and their labels: from the left, each label that keeps a
    column clear of the one before. plotext drops colliding labels itself, but which one it
    drops varies from run to run; choosing here keeps the picture the same every time."""
    per_step = max(columns, 1) / (len(knobs) + 0.2)
    positions, labels, end = [], [], -math.inf
    for index, knob in enumerate(knobs, start=1):
        label = format_knob(knob)
        first = (index - 0.4) * per_step - len(label) / 2
        if first >= end + 1:
            positions.append(index)
            labels.append(label)
            end = first + len(label)
    return positions, labels


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
    group = _bar_group(width, len(knobs))
    series = _sweep_series(frames, position, bar, line, highlight, group)
    legend_text = _sweep_legend(series, bar, line, color, width)
    rows, titled = plot_rows(height, legend_text), has_axis_titles(height, legend_text)
    start(width, rows, titled)
    _draw_series(series, group)
    heights = [y for one in series for _, y, _ in one.bars]
    speeds = [y for one in series for _, y in one.line]
    if speeds:
        left, right = dual_axes((0.0, max(heights, default=1.0)), (min(speeds), max(speeds)), rows)
        set_y(right, "right")
    else:
        left = linear_axis(0.0, max(heights, default=1.0), rows, from_zero=True)
    set_y(left, "left")
    side_labels = max(map(len, left.labels)) + (max(map(len, right.labels)) if speeds else 0)
    plt.xticks(*_x_ticks(knobs, width - side_labels - 4))
    plt.xlim(0.4, len(knobs) + 0.6)
    plt.title(fit(clean(title), max(width - 4, 10)))
    if titled:
        plt.xlabel(knob_label)
        if heights:  # no accuracy axis label over a speed-only run
            plt.ylabel(fit(clean(metric_label(bar)), 24), yside="left")
        if speeds:
            plt.ylabel(metric_label(line), yside="right")
    return finish(color) + "\n" + legend_text
