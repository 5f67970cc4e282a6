"""A block of wrapped text whose updates repaint it without a screen layout.

A Static sized to its text lays out the whole screen on every update, and a scrollable container
repaints its scrollbars a frame later (docs/PERFORMANCE.md). The sweep's notes sit in a box of
fixed size, so this widget wraps the text to its width itself and shows the lines that fit,
scrolled by j/k when focused or by the mouse wheel; when lines are cut off the last line says
how many.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from tui.app.keys import Move, vi_bindings

MORE = Style(dim=True, italic=True)


class NotesView(Widget, can_focus=True):
    """Shows `Text` wrapped to the widget's width, from line `top`; j/k or the wheel scroll it."""

    BINDING_GROUP_TITLE = "Notes"
    BINDINGS = [
        *vi_bindings("after", down=Move("scroll(1)", "Scroll down"), up=Move("scroll(-1)", "Scroll up")),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.parts: list[Text] = []
        self.top = 0
        self._wraps: LRUCache[tuple, list[Strip]] = LRUCache(64)  # wrapping is slow: once per text and width
        self._version = 0
        self._shown: tuple[tuple, list[Strip]] = ((), [])  # the lines on screen, for (parts, width)

    @property
    def text(self) -> Text:
        return Text("\n\n").join(self.parts)

    def update(self, *parts: Text) -> None:
        """Show the parts, a blank line between each."""
        self.parts, self.top = list(parts), 0
        self._version += 1
        self.refresh()

    def _wrapped(self) -> list[Strip]:
        width, console, lines = max(self.size.width, 1), self.app.console, []
        if self._shown[0] == (self._version, width):
            return self._shown[1]
        for i, part in enumerate(self.parts):
            key = (part.plain, str(part.style), tuple(part.spans), width)
            wrapped = self._wraps.get(key)
            if wrapped is None:
                lines_of = console.render_lines(part, console.options.update_width(width), pad=False)
                wrapped = [Strip(line) for line in lines_of]
                self._wraps.set(key, wrapped)
            lines += ([Strip.blank(0)] if i else []) + wrapped
        self._shown = ((self._version, width), lines)
        return lines

    def render_lines(self, crop: Region) -> list[Strip]:
        self._style = self.rich_style  # walks the DOM: once per repaint, not once per line
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        lines, width, height, style = self._wrapped(), self.size.width, self.size.height, self._style
        below = len(lines) - self.top - height
        if y == height - 1 and below > 0:  # the last line on screen says what is cut off
            more = Strip([Segment(f"↓ {below + 1} more lines (tab)", MORE)])
            return more.apply_style(style).crop_extend(0, width, style)
        row = self.top + y
        if row < len(lines):
            return lines[row].apply_style(style).crop_extend(0, width, style)
        return Strip.blank(width, style)

    def action_scroll(self, step: int) -> None:
        top = max(0, min(self.top + step, len(self._wrapped()) - self.size.height))
        if top != self.top:
            self.top = top
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.action_scroll(1)
        event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.action_scroll(-1)
        event.stop()
