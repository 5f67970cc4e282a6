"""The floor for "time to first frame": the smallest Textual app that shows data polars read.

    python bench/minimal_app.py [FILE]    (default: the bundled data/kv_sweep.csv)

It reads FILE with polars (read_csv, or read_parquet for .parquet) and shows its first rows in a
table under a header and above a footer. Each row's first cell is "model | benchmark" of that
row, so bench/run.py waits for the first row's names, taken from the file, to be on screen.
"""

import sys
from pathlib import Path

import polars as pl
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "kv_sweep.csv"


def read(path: Path) -> pl.DataFrame:
    return pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path)


class Minimal(App):
    def __init__(self, frame: pl.DataFrame) -> None:
        super().__init__()
        self.frame = frame

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("sweep", "knob", "metric", "value")
        head = self.frame.head(20).select("model", "benchmark", "kv_budget", "metric", "value")
        table.add_rows([(f"{model} | {bench}", str(knob), metric, str(value))
                        for model, bench, knob, metric, value in head.iter_rows()])


if __name__ == "__main__":
    Minimal(read(Path(sys.argv[1]) if len(sys.argv) > 1 else BUNDLED)).run()
