"""What every plotext figure of kvscope shares: its size rules, a clean start, plain text out.

A plot area is never shorter than MIN_PLOT_ROWS: a smaller `height` gives a taller figure
rather than a squashed one.
"""

from __future__ import annotations

import re

import plotext as plt

from tui.render.axes import Axis

MIN_PLOT_ROWS = 10
# Rows around the plot area: title, top and bottom frame, x tick labels, axis labels.
FRAME_ROWS = 5
# The shortest figure with a one-line legend.
MIN_CHART_HEIGHT = MIN_PLOT_ROWS + FRAME_ROWS + 1
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plot_rows(height: int, legend_text: str) -> int:
    """Canvas rows of a figure `height` rows tall whose legend is `legend_text`."""
    return max(height - (legend_text.count("\n") + 1) - FRAME_ROWS, MIN_PLOT_ROWS)


def start(width: int, rows: int) -> None:
    """A new figure `width` wide whose canvas is `rows` rows high."""
    plt.clear_figure()
    # plotext clips a figure to the terminal it runs in; the size asked for is the size drawn.
    plt.limitsize(False, False)
    plt.plotsize(max(width, 20), rows + FRAME_ROWS)
    plt.theme("clear")


def finish(color: bool) -> str:
    text = plt.build()
    plt.clear_figure()
    lines = [line.rstrip() for line in text.splitlines()]
    text = "\n".join(lines)
    return text if color else _ANSI.sub("", text)


def set_y(axis: Axis, side: str) -> None:
    plt.ylim(axis.lo, axis.hi, yside=side)
    plt.yticks(list(axis.ticks), list(axis.labels), yside=side)
