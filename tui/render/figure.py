"""What every plotext figure of kvscope shares: its size rules, a clean start, plain text out.

A plot area is never shorter than MIN_PLOT_ROWS: when rows are short the axis-titles row goes
first (the legend names the same metrics), and below that a figure is taller than `height`
rather than squashed.
"""

from __future__ import annotations

import re

import plotext as plt
import plotext._utility as plotext_utility

from tui.render.axes import Axis

MIN_PLOT_ROWS = 10
# Rows around the plot area: title, top and bottom frame, x tick labels, axis titles.
FRAME_ROWS = 5
AXIS_TITLE_ROWS = 1
# The shortest figure with a one-line legend (its axis titles left out).
MIN_CHART_HEIGHT = MIN_PLOT_ROWS + FRAME_ROWS - AXIS_TITLE_ROWS + 1
# A colour code, as plotext writes them; its parameters are group 1.
ANSI_COLOUR = re.compile(r"\x1b\[([0-9;]*)m")


def _lowest_at_each_x(x: list, y: list) -> list:
    """For each point, the lowest y of the points at its x: what plotext's get_fill_boundaries
    answers for a filled shape (each bar), found in one pass where plotext compares every pair
    of the shape's points, which made filling the bars much of drawing a sweep chart."""
    lowest: dict = {}
    for xi, yi in zip(x, y):
        if xi not in lowest or yi < lowest[xi]:
            lowest[xi] = yi
    return [lowest[xi] for xi in x]


plotext_utility.get_fill_boundaries = _lowest_at_each_x


def _spare(height: int, legend_text: str) -> int:
    return height - (legend_text.count("\n") + 1) - FRAME_ROWS


def has_axis_titles(height: int, legend_text: str) -> bool:
    """Whether a figure `height` rows tall keeps its axis-titles row next to a full plot area."""
    return _spare(height, legend_text) >= MIN_PLOT_ROWS


def plot_rows(height: int, legend_text: str) -> int:
    """Canvas rows of a figure `height` rows tall whose legend is `legend_text`."""
    spare = _spare(height, legend_text)
    return spare if spare >= MIN_PLOT_ROWS else max(spare + AXIS_TITLE_ROWS, MIN_PLOT_ROWS)


def start(width: int, rows: int, titled: bool = True) -> None:
    """A new figure `width` wide whose canvas is `rows` rows high; `titled` if the caller will
    set axis titles (they take a row of their own)."""
    plt.clear_figure()
    # plotext clips a figure to the terminal it runs in; the size asked for is the size drawn.
    plt.limitsize(False, False)
    plt.plotsize(max(width, 20), rows + FRAME_ROWS - (0 if titled else AXIS_TITLE_ROWS))
    plt.theme("clear")


def finish(color: bool) -> str:
    text = plt.build()
    plt.clear_figure()
    lines = [line.rstrip() for line in text.splitlines()]
    text = "\n".join(lines)
    return text if color else ANSI_COLOUR.sub("", text)


def set_y(axis: Axis, side: str) -> None:
    plt.ylim(axis.lo, axis.hi, yside=side)
    plt.yticks(list(axis.ticks), list(axis.labels), yside=side)
