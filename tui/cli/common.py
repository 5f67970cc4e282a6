"""What every command shares: the typer app, common options, loading, errors and output."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tui.cli import say
from tui.core.errors import InputError

app = typer.Typer(
    name="kvscope",
    help="Explore LLM evaluation sweeps (accuracy vs efficiency) in the terminal.\n\n"
         "Run with no command to open the explorer on the bundled results, or give files and folders.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


def path_or_url(text: str):
    """A local path, or a bucket URL kept as typed (a Path would fold its `//`)."""
    from tui.core.remote import as_url

    return as_url(text) or Path(text)


# Typed as text: typer would make every value a Path, folding a URL's `//`; the parser makes each a
# Path or a RemoteURL.
Paths = Annotated[Optional[list[str]], typer.Argument(
    help="Result files or folders (CSV, TSV, JSON, NDJSON, Parquet), or a bucket prefix "
         "(s3://, gs://, az://). Default: the bundled data.",
    show_default=False, parser=path_or_url)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
ModelOpt = Annotated[str, typer.Option("--model", "-m", help="Model name or alias, e.g. qwen.")]
WidthOpt = Annotated[Optional[int], typer.Option(
    "--width", min=20, max=1000, help="Chart width in columns (default: terminal width, at most 100).")]
HeightOpt = Annotated[int, typer.Option("--height", max=500, help="Chart height in rows, at least 15 "
                                        "(a plot area is never shorter than 10 rows).")]


def fail(message: str) -> None:
    """One line on stderr, exit code 2."""
    say(f"error: {message}")
    raise typer.Exit(2)


def load(paths: list[Path] | None, model: str | None = None, benchmark: str | None = None):
    """The results for `paths` (bundled data when empty) under the global options; exit 2 on bad input.
    A bucket is read only for `model` and `benchmark` when given, and says what it lists and reads
    on stderr when that is a terminal (or with --verbose)."""
    from tui.core.loader import load as load_results

    options = SETTINGS.get("load")
    if options is not None and any(is_url(p) for p in paths or []):
        from dataclasses import replace

        where = tuple((role, name) for role, name in (("model", model), ("benchmark", benchmark)) if name)
        loud = SETTINGS.get("verbose") or sys.stderr.isatty()
        options = replace(options, where=where, progress=say if loud else None)
    try:
        results = load_results(paths or None, options)
    except InputError as exc:
        report_skipped(exc)  # nothing loaded: --verbose still says why for each file
        fail(str(exc))
    report_skipped(results)
    return results


def is_url(path) -> bool:
    from tui.core.remote import RemoteURL

    return isinstance(path, RemoteURL)


def report_skipped(results) -> None:
    """What the load skipped, on stderr (tui.cli.opening.report_skipped; all of it with --verbose)."""
    from tui.cli.opening import report_skipped as report

    report(results, bool(SETTINGS.get("verbose")))


# Global options (--knob, --model-col, ..., --verbose) parsed by the app callback for all commands.
SETTINGS: dict = {}


@app.callback()
def global_options(
    knob: Annotated[Optional[str], typer.Option(
        "--knob", help="Where the knob comes from: NAME=REGEX on the file path (first group is the value), "
        "e.g. kv_budget='budget_(\\d+)'.", show_default=False)] = None,
    model_col: Annotated[Optional[str], typer.Option(
        "--model-col", help="The column that names the model.", show_default=False)] = None,
    benchmark_col: Annotated[Optional[str], typer.Option(
        "--benchmark-col", help="The column that names the benchmark.", show_default=False)] = None,
    knob_col: Annotated[Optional[str], typer.Option(
        "--knob-col", help="The column that holds the knob (e.g. kv_budget).", show_default=False)] = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v",
        help="List every file that was skipped and every failed run left out, with the reason, "
             "and the files read from their parsed copy in the cache.")] = False,
    metric: Annotated[Optional[str], typer.Option(
        "--metric", help="Show and average every benchmark by this metric (e.g. acc), instead of each "
                         "benchmark's headline metric.", show_default=False)] = None,
) -> None:
    """Explore LLM evaluation sweeps (accuracy vs efficiency) in the terminal."""
    from tui.core.loader import LoadOptions

    rule = None
    if knob:
        from tui.core.importers import KnobRule

        try:
            rule = KnobRule.parse(knob)
        except (ValueError, InputError) as exc:
            fail(f"--knob {knob!r}: {exc}")
    SETTINGS.clear()
    SETTINGS.update(load=LoadOptions(knob_rule=rule, model_col=model_col, benchmark_col=benchmark_col,
                                     knob_col=knob_col, metric=metric), verbose=verbose)


def console():
    from rich.console import Console

    # Everything printed is either a renderable or plain text meant literally: no markup
    # or :emoji: codes in strings (a number cell parses faster, and rich's emoji table of
    # thousands of names is never imported).
    return Console(highlight=False, soft_wrap=False, markup=False, emoji=False)


def color_on(out) -> bool:
    return out.is_terminal and not out.no_color and "NO_COLOR" not in os.environ


def emit(renderables: list, frames: list | None, fmt: Format, knob: str = "kv_budget") -> None:
    """Print rich renderables for `table`, or the plain frames for csv/json/markdown."""
    from tui.render.tables import plain

    out = console()
    if fmt is Format.table:
        for index, item in enumerate(_fitted(renderables, out.width)):
            if index:
                out.print()
            out.print(item)
        return
    if fmt is Format.json and frames and len(frames) > 1:
        import json

        merged = {name: json.loads(plain(frame, "json", knob)) for name, frame in frames}
        sys.stdout.write(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
        return
    text = "\n\n".join(plain(frame, fmt.value, knob) for _, frame in (frames or []))
    sys.stdout.write(text + "\n")


def _fitted(renderables: list, width: int) -> list:
    """Each table laid out to the output's width (80 on a pipe unless COLUMNS says otherwise)."""
    from rich.table import Table

    from tui.render.fit import fit_table

    return [part for item in renderables
            for part in (fit_table(item, width) if isinstance(item, Table) else [item])]


def print_chart(text: str) -> None:
    from rich.text import Text

    out = console()
    if color_on(out):
        out.print(Text.from_ansi(text))
    else:
        sys.stdout.write(text + "\n")


ChartOutOpt = Annotated[Optional[Path], typer.Option(
    "--out", "-o", help="Write the chart to this file instead of printing it: .svg (in colour) or .txt.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")]


def check_chart_out(out: Path | None) -> None:
    """Refuse a chart file name we cannot write before any data is loaded."""
    from tui.render.chart_file import CHART_SUFFIXES

    if out is not None and out.suffix.lower() not in CHART_SUFFIXES:
        fail(f"{out}: a chart is written as {' or '.join(CHART_SUFFIXES)} (the extension chooses)")


def show_chart(draw, out: Path | None, force: bool, color: bool, title: str) -> None:
    """Print `draw(color)`, or write `draw(True)` to `out` as the picture its extension names."""
    if out is None:
        print_chart(draw(color))
        return
    from tui.render.chart_file import chart_file
    from tui.render.export import write_atomic

    figure = draw(True)
    try:
        write_atomic(out, chart_file(figure, out.suffix, title), force)
    except FileExistsError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror or exc}")
    from rich.text import Text

    rows = Text.from_ansi(figure).plain.splitlines()
    typer.echo(f"wrote {out} (chart, {max(map(len, rows), default=0)}x{len(rows)} cells)", err=True)


def check_height(height: int) -> None:
    """Refuse a chart height too short to draw, before any data is loaded or printed."""
    from tui.render.figure import MIN_CHART_HEIGHT, MIN_PLOT_ROWS

    if height < MIN_CHART_HEIGHT:
        fail(f"--height {height} is too short: a chart needs at least {MIN_CHART_HEIGHT} rows "
             f"(its plot area is never shorter than {MIN_PLOT_ROWS})")


def chart_size(width: int | None, height: int) -> tuple[int, int, bool]:
    check_height(height)
    out = console()
    return (width or min(out.width, 100)), height, color_on(out)


def resolve(fn, *args):
    try:
        return fn(*args)
    except InputError as exc:
        fail(str(exc))


