"""What every kvscope screen shares: header (which data is open), footer (keys), too-small notice.

Below MIN_WIDTH x MIN_HEIGHT the breakpoint classes set by the app (see app.tcss) hide the
screen's widgets and show one sentence instead of a squashed layout. Keys keep working.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

MIN_WIDTH, MIN_HEIGHT = 60, 16


class TooSmall(Static):
    """Shown instead of the screen when the terminal is below the usable size."""

    def __init__(self) -> None:
        super().__init__(f"Terminal too small. kvscope needs at least {MIN_WIDTH}x{MIN_HEIGHT}; "
                         "enlarge the window, or press q to quit.", markup=False)


class KvScreen(Screen):
    """Header, `compose_body()`, footer, and the too-small notice; `e` exports what `view_data` gives."""

    BINDINGS = [Binding("e", "export", "Export", tooltip="Write the current view to a file (CSV, JSON, Parquet, Markdown, LaTeX)")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_body()
        yield Footer(compact=True)
        yield TooSmall()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def view_data(self):
        """The current view as a `ViewData` for export; None where there is nothing to export."""
        return None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "export":
            return type(self).view_data is not KvScreen.view_data
        return True

    def action_export(self) -> None:
        data = self.view_data()
        if data is None:
            return
        from tui.app.screens.export import ExportScreen

        def done(message: str | None) -> None:
            if message:
                self.notify(message, title="Exported")

        self.app.push_screen(ExportScreen(data), done)
