"""Charts as text: the paper's dual-axis sweep chart and the parameter-scaling scatter.

Each function builds its own plotext figure from scratch and returns the text, so charts
never share plotext's module-level state. With `color=False` the text has no ANSI codes.
"""

from __future__ import annotations

import math
import re

import plotext as plt
import polars as pl

from tui.core.schema import PASS, TPS, format_knob, metric_label
from tui.render.text import clean, fit

BAR_COLOR, LINE_COLOR, HIGHLIGHT_COLOR = "blue", "orange", "cyan"
SERIES_COLORS = [("blue", "orange"), ("magenta", "green")]
# Without colour, overlaid series still differ: solid bars for the first, shaded for the second.
BAR_MARKERS = ["█", "▒"]
FAMILY_COLORS = ["blue", "magenta", "gray", "green", "red", "cyan", "yellow", "orange"]
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _start(width: int, height: int) -> None:
    plt.clear_figure()
    plt.plotsize(max(width, 20), max(height, 8))
    plt.theme("clear")


def _finish(color: bool) -> str:
    text = plt.build()
    plt.clear_figure()
    lines = [line.rstrip() for line in text.splitlines()]
    text = "\n".join(lines)
    return text if color else _ANSI.sub("", text)


def _nice_top(value: float) -> float:
    """A round axis maximum a little above `value`, leaving headroom above the tallest bar."""
    if value <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    return math.ceil(value * 1.08 / step * 2) * step / 2


def _legend(items: list[tuple[str, str, str]], color: bool, width: int) -> str:
    """The legend as lines under the chart, so it can never cover a bar or a point; wraps to `width`."""
    lines, line, used = [], [], 0
    for glyph, label, col in items:
        label = fit(label, max(width - 2, 4))
        cells = len(label) + 2 + (3 if line else 0)
        if line and used + cells > width:
            lines.append("   ".join(line))
            line, used = [], 0
            cells -= 3
        line.append(f"{plt.colorize(glyph, col) if color else glyph} {label}")
        used += cells
    if line:
        lines.append("   ".join(line))
    return "\n".join(lines)


def sweep_chart(frames: list[tuple[str, pl.DataFrame]], title: str, *, knob_label: str = "KV budget",
                width: int = 80, height: int = 22, color: bool = True, highlight: float | None = None,
                bar: str = PASS, line: str = TPS) -> str:
    """Pass@1 bars on the left axis and the throughput line on the right, KV budget on x.

    `frames` holds one (label, series frame) per overlaid series; a second series draws its
    bars beside the first. `highlight` is a knob value whose bar is drawn in a contrasting colour.
    """
    # A file with no knob is one point at a null knob, drawn at a position labelled "-".
    values = {k for _, f in frames for k in f["knob"].to_list()}
    knobs = sorted(k for k in values if k is not None) + ([None] if None in values else [])
    if not knobs:
        return f"{clean(title)}\n(no data)"
    position = {k: i + 1 for i, k in enumerate(knobs)}
    _start(width, height - 1)
    count = len(frames)
    bar_width = 0.6 / count
    legend: list[tuple[str, str, str]] = []
    tallest, tps_values = 0.0, []
    for index, (label, frame) in enumerate(frames):
        bar_col, line_col = SERIES_COLORS[index % len(SERIES_COLORS)]
        prefix = f"{clean(label)} " if count > 1 else ""
        offset = (index - (count - 1) / 2) * bar_width
        if bar in frame.columns:
            rows = frame.filter(pl.col(bar).is_not_null())
            xs = [position[k] + offset for k in rows["knob"]]
            ys = rows[bar].to_list()
            lit = [highlight is not None and k == highlight for k in rows["knob"]]
            normal = [(x, y) for x, y, on in zip(xs, ys, lit) if not on]
            marked = [(x, y) for x, y, on in zip(xs, ys, lit) if on]
            if normal:
                plt.bar([x for x, _ in normal], [y for _, y in normal], color=bar_col, width=bar_width,
                        yside="left", marker=BAR_MARKERS[index % 2])
            if marked:
                plt.bar([x for x, _ in marked], [y for _, y in marked], color=HIGHLIGHT_COLOR, width=bar_width,
                        yside="left", marker="▓")
            tallest = max([tallest, *ys])
            legend.append((BAR_MARKERS[index % 2], f"{prefix}{metric_label(bar)}", bar_col))
        if line in frame.columns:
            rows = frame.filter(pl.col(line).is_not_null())
            if rows.height:
                plt.plot([position[k] for k in rows["knob"]], rows[line].to_list(), color=line_col,
                         marker="hd", yside="right")
                tps_values += rows[line].to_list()
                legend.append(("─", f"{prefix}{metric_label(line)}", line_col))
    plt.ylim(0, _nice_top(tallest), yside="left")
    if tps_values:
        low, high = min(tps_values), max(tps_values)
        pad = max((high - low) * 0.15, 10.0)
        plt.ylim(max(low - pad, 0), high + pad, yside="right")
    plt.xticks(list(position.values()), [format_knob(k) for k in knobs])
    plt.xlim(0.4, len(knobs) + 0.6)
    plt.title(fit(clean(title), max(width - 4, 10)))
    plt.xlabel(knob_label)
    if any(bar in frame.columns for _, frame in frames):  # no accuracy axis label over a speed-only run
        plt.ylabel(fit(clean(metric_label(bar)), 24), yside="left")
    if tps_values:
        plt.ylabel(metric_label(line), yside="right")
    return _finish(color) + "\n" + _legend(legend, color, width)


def scaling_chart(points: pl.DataFrame, *, width: int = 80, height: int = 24, color: bool = True,
                  selected: str | None = None, hidden: set[str] | frozenset[str] = frozenset(),
                  title: str = "MathVision Pass@1 vs activated parameters") -> str:
    """The scaling scatter: log-scaled x, each family's points joined in parameter order, labels."""
    shown = points.filter(~pl.col("family").is_in(list(hidden)))
    families = sorted(points["family"].unique().to_list())
    _start(width, height - 1)
    if shown.height == 0:
        plt.clear_figure()
        return f"{clean(title)}\n(every family is hidden)"
    # plotext's own log scale ignores limits and ticks, so plot log10(x) on a linear axis.
    lo, hi = math.log10(shown["params_b"].min()), math.log10(shown["params_b"].max())
    span = hi - lo if hi > lo else 1.0
    x_lo, x_hi = lo - span * 0.04, hi + span * 0.04
    plt.xlim(x_lo, x_hi)
    s_lo, s_hi = shown["score"].min(), shown["score"].max()
    plt.ylim(max(s_lo - 5, 0), s_hi + 5)
    legend, labels = [], []
    for index, family in enumerate(families):
        col = FAMILY_COLORS[index % len(FAMILY_COLORS)]
        legend.append(("●" if family not in hidden else "○", clean(family) + (" (hidden)" if family in hidden else ""), col))
        rows = shown.filter(pl.col("family") == family).sort("params_b")
        if rows.height == 0:
            continue
        xs = [math.log10(v) for v in rows["params_b"]]
        ys = rows["score"].to_list()
        if rows.height > 1:
            plt.plot(xs, ys, color=col, marker="braille")
        plt.scatter(xs, ys, color=col, marker="●")
        labels += [(m, x, y, col) for m, x, y in zip(rows["model"], xs, ys)]
    grid = _Grid(x_lo, x_hi, max(s_lo - 5, 0), s_hi + 5, cols=width - 7, rows=height - 6)
    for model, x, y, col in sorted(labels, key=lambda item: -item[2]):
        text = f"[{clean(model)}]" if model == selected else clean(model)
        spot = grid.place(text, x, y)
        if spot:
            label, lx, ly = spot
            plt.text(label, lx, ly, color=HIGHLIGHT_COLOR if model == selected else col, alignment="left")
    ticks = [t for t in (1, 2, 3, 5, 10, 20, 30, 50, 70, 100, 200, 500) if x_lo <= math.log10(t) <= x_hi]
    plt.xticks([math.log10(t) for t in ticks], [str(t) for t in ticks])
    plt.title(fit(clean(title), max(width - 4, 10)))
    plt.xlabel("Activated parameters (B, log scale)")
    plt.ylabel("MathVision Pass@1")
    return _finish(color) + "\n" + _legend(legend, color, width)


class _Grid:
    """Places point labels in character cells so they neither overlap each other nor any point."""

    def __init__(self, x_lo: float, x_hi: float, y_lo: float, y_hi: float, cols: int, rows: int) -> None:
        self.x_lo, self.x_hi, self.y_lo, self.y_hi = x_lo, x_hi, y_lo, y_hi
        self.cols, self.rows = max(cols, 10), max(rows, 4)
        self.taken: set[tuple[int, int]] = set()
        self.points: list[tuple[int, int]] = []

    def cell(self, x: float, y: float) -> tuple[int, int]:
        col = round((x - self.x_lo) / (self.x_hi - self.x_lo) * (self.cols - 1))
        row = round((self.y_hi - y) / (self.y_hi - self.y_lo) * (self.rows - 1))
        return row, col

    def data(self, row: int, col: int) -> tuple[float, float]:
        x = self.x_lo + col / (self.cols - 1) * (self.x_hi - self.x_lo)
        y = self.y_hi - row / (self.rows - 1) * (self.y_hi - self.y_lo)
        return x, y

    def place(self, text: str, x: float, y: float) -> tuple[str, float, float] | None:
        row, col = self.cell(x, y)
        self.taken.add((row, col))
        for length in (len(text), 16, 10):
            label = fit(text, length)
            n = len(label)
            # Beside the point first, then one row above or below, right side before left.
            for dr, start in ((0, col + 2), (0, col - n - 1), (-1, col + 1), (1, col + 1),
                              (-1, col - n), (1, col - n), (-2, col - n // 2), (2, col - n // 2)):
                r = row + dr
                cells = {(r, c) for c in range(start, start + n)}
                if 0 <= r < self.rows and start >= 0 and start + n <= self.cols and not cells & self.taken:
                    self.taken |= cells
                    lx, ly = self.data(r, start)
                    return label, lx, ly
        return None
