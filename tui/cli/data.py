"""Commands that move data out or open the app: export, open, screenshots."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tui.cli.common import SETTINGS, Paths, app, fail, load, resolve
from tui.core.schema import PASS


class ExportFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    json = "json"
    markdown = "markdown"
    latex = "latex"


@app.command()
def export(paths: Paths = None,
           fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = ExportFormat.csv,
           out: Annotated[Optional[Path], typer.Option(
               "--out", "-o", help="File to write (default: stdout; needed for parquet).")] = None,
           force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
           model: Annotated[Optional[list[str]], typer.Option(
               "--model", "-m", help="Only these models (repeatable).")] = None,
           tidy: Annotated[bool, typer.Option(
               "--tidy", help="Markdown/LaTeX: the tidy data instead of the paper table.")] = False) -> None:
    """Export the data (CSV, Parquet, JSON) or a paper-ready table (Markdown, LaTeX booktabs)."""
    import polars as pl

    from tui.render import export as exporter

    results = load(paths)
    models = [resolve(results.resolve_model, m) for m in model] if model else None
    if fmt.value in ("markdown", "latex") and not tidy:
        frame = exporter.paper_table(results, models)
        shown = {results.headline(b) for b in results.benchmarks()} - {None}
        what = "Pass@1 (%)" if shown <= {PASS} else "Each benchmark's metric (named in its column)"
        caption = f"{what} by {results.knob_label}; TPS is the average throughput (tokens/s)."
    else:
        frame = exporter.tidy_export(results)
        if models:
            frame = frame.filter(pl.col("model").is_in(models))
        caption = ""
    if fmt.value in exporter.BINARY and out is None:
        fail(f"{fmt.value} is a binary format: give --out FILE")
    data = exporter.render(frame, fmt.value, results.knob, caption)
    if out is None:
        sys.stdout.write(data.decode())
        return
    try:
        exporter.write_atomic(out, data, force)
    except FileExistsError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror or exc}")
    typer.echo(f"wrote {out} ({frame.height} rows, {fmt.value})", err=True)


@app.command(name="open")
def open_app(paths: Paths = None,
             watch: Annotated[bool, typer.Option(
                 "--watch", "-w",
                 help="Reload when the files change (a sweep still running); keeps the last good data.")] = False,
             ) -> None:
    """Open the explorer (the default when no command is given)."""
    if watch and not paths:
        fail("--watch needs PATHS to watch (the bundled data never changes)")
    from tui.cli.opening import Handoff, open_explorer, start_load

    options, handoff = SETTINGS.get("load"), Handoff()
    error = open_explorer(paths, start_load(paths, options, handoff), watch=watch, options=options,
                          verbose=bool(SETTINGS.get("verbose")), handoff=handoff)
    if error:
        fail(error)


@app.command()
def screenshots(paths: Paths = None,
                out: Annotated[Path, typer.Option(
                    "--out", "-o", help="Folder for the SVG files (created if missing).")] = Path("screenshots"),
                width: Annotated[int, typer.Option(
                    "--width", min=60, max=400, help="Terminal width in columns.")] = 120,
                height: Annotated[int, typer.Option(
                    "--height", min=16, max=200, help="Terminal height in rows.")] = 36) -> None:
    """Render each main view headlessly (sweep, average, compare, budgets, scaling, help) as SVG files."""
    results = load(paths)
    from tui.app.screenshots import write_screenshots

    try:
        written = write_screenshots(results, out, (width, height))
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror or exc}")
    for path in written:
        typer.echo(str(path))
