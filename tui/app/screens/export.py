"""Export the current view to a file: `e` on any data screen opens this dialog.

The format follows the file name's extension (.csv .json .parquet .md .tex), the same writers
as `kvscope export`. A file that exists is never replaced: the dialog says so and waits for
another name. Writes are atomic, so a failed write leaves nothing half-written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.render.export import render, write_atomic
from tui.render.text import clean

FORMATS = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".md": "markdown", ".tex": "latex"}


@dataclass(frozen=True)
class ViewData:
    """What a screen offers for export: its table as a frame, a file name stem, the knob's name."""

    frame: pl.DataFrame
    stem: str
    knob: str
    caption: str = ""


def default_name(stem: str, folder: Path = Path(".")) -> Path:
    """kvscope-<stem>.csv in `folder`, numbered when that name is taken."""
    slug = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in clean(stem)).strip("-") or "view"
    path = folder / f"kvscope-{slug}.csv"
    number = 2
    while path.exists():
        path = folder / f"kvscope-{slug}-{number}.csv"
        number += 1
    return path


def write_view(data: ViewData, path: Path) -> str:
    """Write `data` to `path` in the format its extension names; returns what was written."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"unknown extension {path.suffix or '(none)'}: use one of {' '.join(FORMATS)}")
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
        with Vertical(id="export-box"):
            yield Static(Text(f"Export {clean(self.data.stem)} ({self.data.frame.height} rows)", style="bold"))
            yield Input(str(default_name(self.data.stem)), id="export-path")
            yield Static(f"Format by extension: {'  '.join(FORMATS)}. Enter writes, escape cancels; "
                         "an existing file is never replaced.", id="export-help", markup=False)
            yield Static("", id="export-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        error = self.query_one("#export-error", Static)
        if not event.value.strip():
            error.update("Give a file name.")
            return
        try:
            message = write_view(self.data, path)
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
