"""Help: every key of the screen it was opened from, generated from the live bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from tui.app.keys import bound_nodes, group_title, key_rows
from tui.app.screens.base import KvScreen
from tui.app.widgets.panes import ScrollPane


class HelpScreen(KvScreen):
    """A scrollable key table for `target`; escape, ? or f1 closes it."""

    BINDING_GROUP_TITLE = "Help"
    BINDINGS = [Binding("escape", "app.pop_screen", "Close")]

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self.target = target
        self.title = "kvscope: keys"

    def compose_body(self) -> ComposeResult:
        with ScrollPane(id="help-pane"):
            yield Static(self.key_table(), id="help-table")

    def on_mount(self) -> None:
        self.query_one(ScrollPane).focus()

    def key_table(self) -> Table:
        where = getattr(self.target, "BINDING_GROUP_TITLE", None) or "this screen"
        table = Table(title=Text(f"Keys on the {where.lower()} screen, read from its bindings"),
                      title_justify="left", expand=True, show_edge=False, pad_edge=False,
                      caption="Keys of the focused widget win; the footer shows the ones that apply now.",
                      caption_justify="left")
        table.add_column("Key", no_wrap=True, style="bold", ratio=1)
        table.add_column("Does", ratio=4)
        for node in bound_nodes(self.target):
            rows = key_rows(node)
            if not rows:
                continue
            table.add_section()
            table.add_row(Text(group_title(node), style="underline"), "")
            for row in rows:
                table.add_row(Text(row.shown), Text(row.description))
        return table
