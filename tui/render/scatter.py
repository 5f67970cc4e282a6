"""The parameter-scaling scatter as text: log-scaled x, families joined by lines, labels placed
beside their points.

Each family has its own colour and marker. A label sits on its point's row, one blank cell to
the right or else to the left, whole; one that fits on neither side is left out and its name is
listed under the legend (in the app its point stays in the table and under the cursor).
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
from tui.render.figure import finish, has_axis_titles, plot_rows, set_y, start
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
    and keeps a blank cell from both; a label that fits on neither side is left out, never cut
    or moved away from its point. The selected point goes first.
    """
    taken = {(r, c) for _, r, c in points}
    order = sorted(points, key=lambda p: (p[0] != selected, p[1], p[2]))
    placed = []
    for model, row, col in order:
        text = f"[{clean(model)}]" if model == selected else clean(model)
        spot = next((start for start in (col + 2, col - len(text) - 1)
                     if _free(taken, row, start, len(text), cols)), None)
        if spot is not None:
            taken |= {(row, c) for c in range(spot, spot + len(text))}
            placed.append(Label(model, text, row, spot, row, col))
    return placed


def _free(taken: set[tuple[int, int]], row: int, start: int, length: int, cols: int) -> bool:
    if start < 0 or start + length > cols:
        return False
    return not any((row, c) in taken for c in range(start - 1, start + length + 1))


@dataclass(frozen=True)
class ScalingLayout:
    """Where the scatter's canvas puts things: axes, canvas size, the labels placed and the
    models left unlabelled."""

    x: Axis
    y: Axis
    rows: int
    cols: int
    labels: list[Label]
    unlabelled: list[str]


def scaling_layout(shown: pl.DataFrame, width: int, rows: int, selected: str | None) -> ScalingLayout:
    y = linear_axis(shown["score"].min(), shown["score"].max(), rows)
    # The canvas lies between the left labels and the two frame columns.
    cols = max(width, 20) - 2 - max(len(label) for label in y.labels)
    x = log_axis(shown["params_b"].min(), shown["params_b"].max(), cols)
    ordered = shown.sort("params_b")
    cells = [(m, row_of(s, y, rows), column_of(math.log10(p), x, cols))
             for m, p, s in zip(ordered["model"], ordered["params_b"], ordered["score"])]
    labels = place_labels(cells, rows, cols, selected)
    labelled = {label.model for label in labels}
    return ScalingLayout(x, y, rows, cols, labels, [m for m, _, _ in cells if m not in labelled])


def unlabelled_note(models: list[str], width: int) -> str:
    """'No room to label: A, B' wrapped at the commas to `width`; empty when every point has one."""
    if not models:
        return ""
    lines, line = [], "No room to label:"
    for index, model in enumerate(models):
        word = clean(model) + ("," if index < len(models) - 1 else "")
        if len(line) + 1 + len(word) > width:
            lines.append(line)
            line = fit(word, width)
        else:
            line += " " + word
    return "\n".join([*lines, line])


def _fitted_layout(shown: pl.DataFrame, width: int, height: int, legend_text: str,
                   selected: str | None) -> tuple[ScalingLayout, str]:
    """The layout and the text under the chart (legend, then the unlabelled names): the note
    takes rows from the plot, which can change which labels fit, so settle it in a few passes."""
    text = legend_text
    for _ in range(3):
        layout = scaling_layout(shown, width, plot_rows(height, text), selected)
        note = unlabelled_note(layout.unlabelled, width)
        settled = legend_text + ("\n" + note if note else "")
        if plot_rows(height, settled) == layout.rows:
            break
        text = settled
    return layout, settled


SCALING_TITLE = "MathVision Pass@1 vs activated parameters"


def scaling_chart(points: pl.DataFrame, *, width: int = 80, height: int = 24, color: bool = True,
                  selected: str | None = None, hidden: set[str] | frozenset[str] = frozenset(),
                  title: str = SCALING_TITLE) -> str:
    """The scaling scatter: log-scaled x, each family's points joined in parameter order, labels
    beside their points; each family has its own colour and marker."""
    shown = points.filter(~pl.col("family").is_in(list(hidden)))
    families = sorted(points["family"].unique().to_list())
    if shown.height == 0:
        return f"{clean(title)}\n(every family is hidden)"
    items = [(marker_of(i), clean(f) + (" (hidden)" if f in hidden else ""), color_of(i))
             for i, f in enumerate(families)]
    layout, under = _fitted_layout(shown, width, height, legend(items, color, width), selected)
    rows, titled = layout.rows, has_axis_titles(height, under)
    start(width, rows, titled)
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
    if selected in family_of:  # the cursor's point stands out even when its label has no room
        point = shown.filter(pl.col("model") == selected).row(0, named=True)
        marker, tint = style[family_of[selected]]
        plt.scatter([math.log10(point["params_b"])], [point["score"]], color=tint, marker=marker,
                    style="inverted")
    for label in layout.labels:
        y = layout.y.hi - label.row / (rows - 1) * (layout.y.hi - layout.y.lo)
        tint = style[family_of[label.model]][1]
        # The blank cell between a point and its label is drawn too, over any joining line.
        right = label.col > label.point_col
        text, col = (" " + label.text, label.col - 1) if right else (label.text + " ", label.col)
        plt.text(text, value_at_column(col, layout.x, layout.cols), y, color=tint, alignment="left",
                 style="bold" if label.model == selected else None)
    plt.title(fit(clean(title), max(width - 4, 10)))
    if titled:
        plt.xlabel("Activated parameters (B, log scale)")
        plt.ylabel("MathVision Pass@1")
    return finish(color) + "\n" + under
