"""One chart widget per chart: it owns a drawing function and redraws at its own size.

The figure comes from `tui.render` (charts, scatter) as text with ANSI colours, read as text
and colours only, so data in titles and legends can never be read as markup. plotext keeps
module-level state, so drawing stays on the event loop.

Drawing a figure is most of what a key that changes a chart costs (docs/PERFORMANCE.md). So a
figure that has a `key` is kept, as the screen lines Textual paints, in an app-wide cache keyed
by what it shows and the size it was drawn at: going back to a sweep or a budget is free, and a
view can draw the figures the next key will probably want (`prepare`) while the user is still
reading this one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable

from rich.cells import cell_len
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from tui.render.figure import ANSI_COLOUR

# (width, height, color) -> chart text; built by the view that owns the chart.
Draw = Callable[[int, int, bool], str]


Figure = tuple[list[list[Segment]], str]  # the lines Textual paints, and the plain chart text

# Drawn figures by (key, width, height, color, style), the most recently used kept.
FIGURES: LRUCache[Hashable, Figure] = LRUCache(32)

_FOREGROUND = re.compile(r"38;2;(\d+);(\d+);(\d+)")


class ChartView(Widget):
    """Shows `draw(width, height, color)`; colour is off under NO_COLOR."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._draw: Draw | None = None
        self._key: Hashable | None = None
        self._own: tuple[tuple, Figure] | None = None  # an unkeyed figure, this widget's only
        self.text = ""  # the last plain chart text, for tests and screen readers
        self._painting: tuple[list[list[Segment]], Style] | None = None  # during render_lines

    def show(self, draw: Draw | None, key: Hashable | None = None) -> None:
        """Replace the figure; it is drawn on the next refresh at the current size. Figures with
        equal keys must be equal drawings: the key is what the cache knows them by."""
        self._draw, self._key, self._own = draw, key, None
        self.refresh()

    @property
    def draw(self) -> Draw | None:
        """The drawing function of the figure shown (export draws it again at a size asked for)."""
        return self._draw

    def prepare(self, draw: Draw, key: Hashable) -> bool:
        """Draw a figure into the cache at this widget's size without showing it; False if it
        was there already or the widget has no size yet."""
        width, height = self.content_size
        style = self.rich_style
        full = self._full_key(key, width, height, style)
        if full is None or full in FIGURES:
            return False
        FIGURES.set(full, self._render_figure(draw, width, height, style))
        return True

    def _full_key(self, key: Hashable, width: int, height: int, style: Style) -> tuple | None:
        if width < 10 or height < 4:
            return None
        # The widget's style (theme colours, background) is baked into the lines: part of the key.
        return (key, width, height, not self.app.no_color, style)

    def _render_figure(self, draw: Draw, width: int, height: int, style: Style) -> Figure:
        # The figure fits its legend into `height`; below MIN_CHART_HEIGHT it is taller, not squashed.
        chart = draw(width, height, not self.app.no_color)
        # Plain segment lists on the widget's style, not Textual's Strips: shared styles and no
        # per-line caches keep the cached figures few objects for the garbage collector.
        figure = figure_lines(chart, width, height, style)
        if figure is not None:
            return figure
        rich = Text.from_ansi(chart, no_wrap=True, overflow="ellipsis")
        console = self.app.console
        options = console.options.update(width=width, height=height, no_wrap=True, overflow="ellipsis")
        return console.render_lines(rich, options, style=style, pad=True), rich.plain

    def _figure(self, style: Style) -> list[list[Segment]]:
        width, height = self.content_size
        if self._draw is None or width < 10 or height < 4:
            self.text = ""
            return []
        if self._key is not None:
            full = self._full_key(self._key, width, height, style)
            item = FIGURES.get(full)
            if item is None:
                item = self._render_figure(self._draw, width, height, style)
                FIGURES.set(full, item)
        else:
            full = self._full_key(None, width, height, style)
            if self._own is None or self._own[0] != full:
                self._own = (full, self._render_figure(self._draw, width, height, style))
            item = self._own[1]
        lines, self.text = item
        return lines

    def render_lines(self, crop: Region) -> list[Strip]:
        # The figure's cache key holds the widget's style, which walks the DOM: looked up once
        # per repaint, not once per line.
        style = self.rich_style
        self._painting = self._figure(style), style
        try:
            return super().render_lines(crop)
        finally:
            self._painting = None

    def render_line(self, y: int) -> Strip:
        if self._painting is not None:
            lines, style = self._painting
        else:
            style = self.rich_style
            lines = self._figure(style)
        if y < len(lines):
            return Strip(lines[y], self.size.width)
        return Strip.blank(self.size.width, style)


def figure_lines(chart: str, width: int, height: int, style: Style) -> Figure | None:
    """`chart`'s first `height` lines as segments on `style`, each padded to `width` cells, as
    rich renders `Text.from_ansi(chart)`, and its plain text; None when rich must: a line wider
    than `width` (rich cuts it with an ellipsis), or anything but text, plotext's 24-bit
    foregrounds and resets. Read in one pass, without rich's general decoder, which took half a
    figure's time."""
    plain = ANSI_COLOUR.sub("", chart)
    if any(c in plain for c in "\x1b\r\t"):
        return None
    colours: dict[str, Style] = {}
    lines: list[list[Segment]] = []
    current = style  # a colour lasts until reset, across lines too (as rich's decoder reads it)
    for line in chart.splitlines()[:height]:
        segments, at = [], 0
        for code in ANSI_COLOUR.finditer(line):
            if code.start() > at:
                segments.append(Segment(line[at:code.start()], current))
            at = code.end()
            params = code.group(1)
            if params in ("0", ""):
                current = style
            elif params in colours:
                current = colours[params]
            else:
                rgb = _FOREGROUND.fullmatch(params)
                if rgb is None:
                    return None
                red, green, blue = (min(255, int(part)) for part in rgb.groups())
                current = colours[params] = style + Style.from_color(Color.from_rgb(red, green, blue))
        if at < len(line):
            segments.append(Segment(line[at:], current))
        used = sum(cell_len(segment.text) for segment in segments)
        if used > width:
            return None
        if used < width:
            segments.append(Segment(" " * (width - used), style))
        lines.append(segments)
    lines += [[Segment(" " * width, style)] for _ in range(height - len(lines))]
    return lines, plain
