"""One chart widget per chart: it owns a drawing function and redraws at its own size.

The figure comes from `tui.render.charts` as text with ANSI colours; `Text.from_ansi` turns it
into rich text, so data in titles and legends can never be read as markup. Drawing happens in
`render`, which Textual calls after every resize, so the chart always fills the widget exactly.
plotext keeps module-level state, so drawing stays on the event loop (it takes milliseconds).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widget import Widget

# (width, height, color) -> chart text; built by the view that owns the chart.
Draw = Callable[[int, int, bool], str]


class ChartView(Widget):
    """Shows `draw(width, height, color)`; colour is off under NO_COLOR."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._draw: Draw | None = None
        self._cache: tuple[tuple, Text] | None = None
        self.text = ""  # the last plain chart text, for tests and screen readers

    def show(self, draw: Draw | None) -> None:
        """Replace the figure; it is drawn on the next refresh at the current size."""
        self._draw, self._cache = draw, None
        self.refresh()

    def render(self) -> Text:
        width, height = self.content_size
        if self._draw is None or width < 10 or height < 4:
            return Text("")
        color = not self.app.no_color
        key = (width, height, color)
        if self._cache is None or self._cache[0] != key:
            chart = fit_height(self._draw, width, height, color)
            rich = Text.from_ansi(chart, no_wrap=True, overflow="ellipsis")
            self.text = rich.plain
            self._cache = (key, rich)
        return self._cache[1]


def fit_height(draw: Draw, width: int, height: int, color: bool) -> str:
    """Draw, and if the legend lines pushed the chart past `height`, draw it shorter by that much."""
    chart = draw(width, height, color)
    excess = chart.count("\n") + 1 - height
    if excess > 0:
        chart = draw(width, height - excess, color)
    return chart
