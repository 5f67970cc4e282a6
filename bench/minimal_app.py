"""The floor for "time to first frame": the smallest Textual app that shows a table of data."""

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class Minimal(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("model", "value")
        table.add_rows([("FLOOR-READY", "1.0"), ("b", "2.0")])


if __name__ == "__main__":
    Minimal().run()
