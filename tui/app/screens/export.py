"""Export the current view to a file: `e` on any data screen opens this dialog.

The format follows the file name's extension (.csv .json .parquet .md .tex), the same writers
as `kvscope export`. On a view with a chart, .svg and .txt write the chart instead: drawn by
the same function as on screen, at the size in the dialog (the chart's size on screen to
start with), through the writer `kvscope chart --out` uses. A file that exists is never
replaced: the dialog says so and waits for another name. Writes are atomic, so a failed write
leaves nothing half-written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.app.widgets.chart import ChartView
from tui.render.chart_file import CHART_SUFFIXES, chart_file
from tui.render.export import render, write_atomic
from tui.render.text import clean

FORMATS = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".md": "markdown", ".tex": "latex"}
SIZE = re.compile(r"\s*(\d+)\s*[x×]\s*(\d+)\s*", re.IGNORECASE)
# A chart narrower or lower than this has no room for its axes; larger is no longer a picture.
MIN_SIZE, MAX_SIZE = (20, 5), (1000, 500)


@dataclass(frozen=True)
class ChartData:
    """A view's chart: its drawing function `draw(width, height, color)`, its size on screen, a title."""

    draw: Callable[[int, int, bool], str]
    size: tuple[int, int]
    title: str


@dataclass(frozen=True)
class ViewData:
    """What a screen offers for export: its table as a frame, a file name stem, the knob's name,
    and its chart when it shows one."""

    frame: pl.DataFrame
    stem: str
    knob: str
    caption: str = ""
    chart: ChartData | None = None


def chart_data(chart: ChartView, title: str) -> ChartData | None:
    """The chart widget's figure for export, or None while it shows none."""
    if chart.draw is None:
        return None
    width, height = chart.content_size
    return ChartData(chart.draw, (max(width, MIN_SIZE[0]), max(height, MIN_SIZE[1])), title)


def parse_size(text: str) -> tuple[int, int]:
    """ "78x18" -> (78, 18); ValueError naming the rule otherwise."""
    match = SIZE.fullmatch(text)
    size = (int(match[1]), int(match[2])) if match else None
    if size is None or not all(low <= n <= high for n, low, high in zip(size, MIN_SIZE, MAX_SIZE)):
        raise ValueError(f"chart size {text.strip() or '(empty)'}: give WIDTHxHEIGHT in cells, e.g. 78x18 "
                         f"(width {MIN_SIZE[0]} to {MAX_SIZE[0]}, height {MIN_SIZE[1]} to {MAX_SIZE[1]})")
    return size


def write_chart(chart: ChartData, path: Path, size: tuple[int, int]) -> str:
    """The chart as an SVG (in colour) or plain text at `size`; returns what was written."""
    figure = chart.draw(*size, True)
    write_atomic(path, chart_file(figure, path.suffix, chart.title))
    rows = Text.from_ansi(figure).plain.splitlines()
    return f"wrote {path} (chart, {max(map(len, rows), default=0)}x{len(rows)} cells)"


def default_name(stem: str, folder: Path = Path(".")) -> Path:
    """kvscope-<stem>.csv in `folder`, numbered when that name is taken."""
    slug = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in clean(stem)).strip("-") or "view"
    path = folder / f"kvscope-{slug}.csv"
    number = 2
    while path.exists():
        path = folder / f"kvscope-{slug}-{number}.csv"
        number += 1
    return path


def extensions(data: ViewData) -> tuple[str, ...]:
    return (*FORMATS, *CHART_SUFFIXES) if data.chart is not None else tuple(FORMATS)


def write_view(data: ViewData, path: Path, size: str = "") -> str:
    """Write `data` to `path` in the format its extension names (a chart at `size`, "WxH");
    returns what was written."""
    if data.chart is not None and path.suffix.lower() in CHART_SUFFIXES:
        return write_chart(data.chart, path, parse_size(size))
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = " ".join(extensions(data))
        raise ValueError(f"unknown extension {path.suffix or '(none)'}: use one of {known}")
    write_atomic(path, render(data.frame, fmt, data.knob, data.caption))
    return f"wrote {path} ({data.frame.height} rows, {fmt})"


class ExportScreen(ModalScreen[str | None]):
    """File name box; Enter writes, escape cancels. Dismisses with the message of what was written."""

    BINDING_GROUP_TITLE = "Export"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, data: ViewData) -> None:
        super().__init__()
        self.data = data

    def compose(self) -> ComposeResult:
        chart = self.data.chart
        with Vertical(id="export-box"):
            yield Static(Text(f"Export {clean(self.data.stem)} ({self.data.frame.height} rows)", style="bold"))
            yield Input(str(default_name(self.data.stem)), id="export-path")
            if chart is not None:
                with Horizontal(id="export-size-row"):
                    yield Static("Chart size (cells, WxH):", id="export-size-label", markup=False)
                    yield Input(f"{chart.size[0]}x{chart.size[1]}", id="export-size")
            charts = f"; the chart: {'  '.join(CHART_SUFFIXES)} at that size" if chart is not None else ""
            yield Static(f"Format by extension: {'  '.join(FORMATS)}{charts}. Enter writes, escape "
                         "cancels; an existing file is never replaced.", id="export-help", markup=False)
            yield Static("", id="export-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = self.query_one("#export-path", Input).value.strip()
        path = Path(name).expanduser()
        size = self.query_one("#export-size", Input).value if self.data.chart is not None else ""
        error = self.query_one("#export-error", Static)
        if not name:
            error.update("Give a file name.")
            return
        try:
            message = write_view(self.data, path, size)
        except FileExistsError:
            error.update(f"{path} exists: choose another name.")
        except ValueError as exc:
            error.update(str(exc))
        except OSError as exc:
            error.update(f"{path}: cannot write: {exc.strerror or exc}")
        else:
            self.dismiss(message)

    def action_cancel(self) -> None:
        self.dismiss(None)
