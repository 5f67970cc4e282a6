"""What every kvscope screen shares: header (which data is open), footer (keys), too-small notice.

Below MIN_WIDTH x MIN_HEIGHT the breakpoint classes set by the app (see app.tcss) hide the
screen's widgets and show one sentence instead of a squashed layout. Keys keep working.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

MIN_WIDTH, MIN_HEIGHT = 60, 16


class TooSmall(Static):
    """Shown instead of the screen when the terminal is below the usable size."""

    def __init__(self) -> None:
        super().__init__(f"Terminal too small. kvscope needs at least {MIN_WIDTH}x{MIN_HEIGHT}; "
                         "enlarge the window, or press q to quit.", markup=False)


class KvScreen(Screen):
    """Header, `compose_body()`, footer, and the too-small notice."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_body()
        yield Footer(compact=True)
        yield TooSmall()

    def compose_body(self) -> ComposeResult:
        yield from ()
