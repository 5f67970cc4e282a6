"""The parameter-scaling scatter as text: log-scaled x, families joined by lines, labels placed
beside their points.

Each family has its own colour and marker. A label sits on its point's row, one blank cell to
the right or else to the left; one that fits on neither side, even shortened, is left out
(its point stays in the table and under the cursor).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotext as plt
import polars as pl

from tui.render.axes import (
    Axis,
    column_of,
    linear_axis,
    log_axis,
    row_of,
    value_at_column,
)
from tui.render.figure import finish, plot_rows, set_y, start
from tui.render.series import color_of, legend, marker_of
from tui.render.text import clean, fit


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
    start(width, rows)
    # plotext's own log scale ignores limits and ticks, so plot log10(x) on a linear axis.
    plt.xlim(layout.x.lo, layout.x.hi)
    plt.xticks(list(layout.x.ticks), list(layout.x.labels))
    set_y(layout.y, "left")
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
            marker, tint = style[family]
            plt.scatter(xs, rows_of_family["score"].to_list(), color=tint, marker=marker)
    family_of = dict(zip(shown["model"], shown["family"]))
    for label in layout.labels:
        y = layout.y.hi - label.row / (rows - 1) * (layout.y.hi - layout.y.lo)
        tint = style[family_of[label.model]][1]
        # The blank cell between a point and its label is drawn too, over any joining line.
        right = label.col > label.point_col
        text, col = (" " + label.text, label.col - 1) if right else (label.text + " ", label.col)
        plt.text(text, value_at_column(col, layout.x, layout.cols), y, color=tint, alignment="left",
                 style="bold" if label.model == selected else None)
    plt.title(fit(clean(title), max(width - 4, 10)))
    plt.xlabel("Activated parameters (B, log scale)")
    plt.ylabel("MathVision Pass@1")
    return finish(color) + "\n" + legend_text
