"""How much room a chart needs; the views give way around it (tables beside it or behind focus).

A plotext figure spends rows on its title, the frame's top and bottom, the tick labels, the
axis titles and the legend; the rest is the plot area, which must keep PLOT_ROWS rows so
bars and lines can be read against their ticks.
"""

from __future__ import annotations

from tui.render.figure import FRAME_ROWS, MIN_PLOT_ROWS

PLOT_ROWS = MIN_PLOT_ROWS  # the figures never draw a shorter plot area
# title, top and bottom edge, tick labels, axis titles, a legend of up to 2 lines
CHART_FRAME_ROWS = FRAME_ROWS + 2
CHART_ROWS = PLOT_ROWS + CHART_FRAME_ROWS
CHART_MIN_WIDTH = 40  # narrower, the table goes behind focus rather than squeeze the chart

# The sidebar folds (shown while it has focus, or with `t`) below this width, or below
# FOLD_WIDTH_SHORT columns on a terminal shorter than FOLD_HEIGHT rows.
FOLD_WIDTH, FOLD_WIDTH_SHORT, FOLD_HEIGHT = 80, 100, 32


def sidebar_folds(width: int, height: int) -> bool:
    return width < FOLD_WIDTH or (width < FOLD_WIDTH_SHORT and height < FOLD_HEIGHT)
