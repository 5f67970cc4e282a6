"""Small focusable widgets shared by screens: a scrolling pane and a budget picker."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui.app.keys import VI_KEYS, Move, vi_bindings
from tui.core.schema import format_knob


class ScrollPane(VerticalScroll):
    """A focusable scrolling area (a rich table, the help list) that also scrolls with j/k/g/G."""

    BINDING_GROUP_TITLE = "Pane"
    BINDINGS = [
        *vi_bindings(down=Move("scroll_down", "Scroll down"), up=Move("scroll_up", "Scroll up"),
                     first=Move("scroll_home", "Top"), last=Move("scroll_end", "Bottom")),
    ]


class KnobPicker(Widget, can_focus=True):
    """Picks one value from a list of budgets with left/right (or h/l); posts `Changed`."""

    BINDING_GROUP_TITLE = "Budget picker"
    BINDINGS = [
        *vi_bindings("before",
                     left=Move("step(-1)", "Smaller", show=True, key_display=f"←/{VI_KEYS['left']}"),
                     right=Move("step(1)", "Larger", show=True, key_display=f"→/{VI_KEYS['right']}"),
                     first=Move("jump(0)", "Smallest"), last=Move("jump(-1)", "Largest")),
    ]
    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, picker: KnobPicker, value: float) -> None:
            super().__init__()
            self.picker, self.value = picker, value

    def __init__(self, name: str, values: list[float], index: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label, self.values = name, values
        self.set_reactive(KnobPicker.index, index % len(values) if values else 0)

    @property
    def value(self) -> float | None:
        return self.values[self.index] if self.values else None

    def render(self) -> Text:
        shown = format_knob(self.value) if self.values else "-"
        return Text.assemble((f"{self.label} ", "bold"), "◀ ", (shown, "reverse" if self.has_focus else "bold"), " ▶")

    def action_step(self, step: int) -> None:
        if self.values:
            self.index = max(0, min(len(self.values) - 1, self.index + step))

    def action_jump(self, index: int) -> None:
        if self.values:
            self.index = index % len(self.values)

    def watch_index(self) -> None:
        if self.values:
            self.post_message(self.Changed(self, self.values[self.index]))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
