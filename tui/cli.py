"""The `kvscope` command: thin typer commands over core views and renderers.

Textual is imported only inside `open`, so the printing commands start as fast as
polars and rich allow. Bad input exits 2 with one line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

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


Paths = Annotated[Optional[list[Path]], typer.Argument(
    help="Result files or folders (CSV, TSV, JSON, NDJSON, Parquet). Default: the bundled data.",
    show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
ModelOpt = Annotated[str, typer.Option("--model", "-m", help="Model name or alias, e.g. qwen.")]
WidthOpt = Annotated[Optional[int], typer.Option("--width", min=20, max=1000, help="Chart width in columns (default: terminal width, at most 100).")]
HeightOpt = Annotated[int, typer.Option("--height", min=8, max=500, help="Chart height in rows.")]
ShowRejected = Annotated[bool, typer.Option("--rejected", help="Use every reading, including ones set aside as rejected.")]


def fail(message: str) -> None:
    """One line on stderr, exit code 2."""
    typer.echo(f"kvscope: error: {message}", err=True)
    raise typer.Exit(2)


def load(paths: list[Path] | None):
    from tui.core.loader import load as load_results

    try:
        return load_results(paths or None)
    except InputError as exc:
        fail(str(exc))


def console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def color_on(out) -> bool:
    return out.is_terminal and not out.no_color and "NO_COLOR" not in os.environ


def emit(renderables: list, frames: list | None, fmt: Format) -> None:
    """Print rich renderables for `table`, or the plain frames for csv/json/markdown."""
    from tui.render.tables import plain

    out = console()
    if fmt is Format.table:
        for index, item in enumerate(renderables):
            if index:
                out.print()
            out.print(item)
        return
    if fmt is Format.json and frames and len(frames) > 1:
        import json

        merged = {name: json.loads(plain(frame, "json")) for name, frame in frames}
        sys.stdout.write(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
        return
    text = "\n\n".join(plain(frame, fmt.value) for _, frame in (frames or []))
    sys.stdout.write(text + "\n")


def print_chart(text: str) -> None:
    from rich.text import Text

    out = console()
    if color_on(out):
        out.print(Text.from_ansi(text))
    else:
        sys.stdout.write(text + "\n")


def chart_size(width: int | None, height: int) -> tuple[int, int, bool]:
    out = console()
    return (width or min(out.width, 100)), height, color_on(out)


def resolve(fn, *args):
    try:
        return fn(*args)
    except InputError as exc:
        fail(str(exc))


@app.command()
def summary(paths: Paths = None, fmt: FormatOpt = Format.table) -> None:
    """Best Pass@1 and its budget per model and benchmark, throughput ranges, scaling leaders."""
    from tui.core import views
    from tui.render import tables

    results = load(paths)
    frame = views.summary(results)
    leaders = views.scaling_leaders(results)
    renderables = []
    if frame.height:
        renderables.append(tables.summary_table(frame, results.knob_label))
    if leaders.height:
        renderables.append(tables.leaders_table(leaders))
    frames = [("sweep", frame)] + ([("scaling_leaders", leaders.select("rank", "family", "model", "params_b", "score"))] if leaders.height and fmt is not Format.csv else [])
    emit(renderables, frames, fmt)


@app.command()
def table(paths: Paths = None, model: ModelOpt = ..., benchmark: Annotated[Optional[str], typer.Option("--benchmark", "-b", help="One benchmark, or avg (default: all and the average).")] = None,
          fmt: FormatOpt = Format.table) -> None:
    """Budgets x benchmarks for one model: Pass@1 and throughput at each budget."""
    from tui.core import views
    from tui.core.schema import AVG
    from tui.render import tables

    results = load(paths)
    model = resolve(results.resolve_model, model)
    benches = [resolve(results.resolve_benchmark, benchmark, model)] if benchmark else results.benchmarks(model) + [AVG]
    frame = views.budget_table(results, model, benches)
    title = f"{model} | {tables.bench_label(benches[0])}" if len(benches) == 1 else model
    emit([tables.budget_table(frame, benches, title, results.knob_label)], [("table", frame)], fmt)


@app.command()
def chart(paths: Paths = None, model: ModelOpt = ..., benchmark: Annotated[str, typer.Option("--benchmark", "-b", help="Benchmark name or alias, or avg.")] = ...,
          width: WidthOpt = None, height: HeightOpt = 22) -> None:
    """The dual-axis chart: Pass@1 bars (left axis), throughput line (right axis), budget on x."""
    from tui.core import views
    from tui.render.charts import sweep_chart
    from tui.render.tables import bench_label

    results = load(paths)
    model = resolve(results.resolve_model, model)
    bench = resolve(results.resolve_benchmark, benchmark, model)
    w, h, color = chart_size(width, height)
    frame = views.series(results, model, bench)
    print_chart(sweep_chart([(model, frame)], f"{model} | {bench_label(bench)}", knob_label=results.knob_label,
                            width=w, height=h, color=color))


@app.command()
def scaling(paths: Paths = None, width: WidthOpt = None, height: HeightOpt = 24,
            hide: Annotated[Optional[list[str]], typer.Option("--hide", help="Family to leave out (repeatable).")] = None) -> None:
    """The parameter-scaling scatter: log-scaled activated parameters vs MathVision Pass@1."""
    from tui.core.schema import resolve as resolve_name
    from tui.render.charts import scaling_chart

    results = load(paths)
    if results.scaling.height == 0:
        fail("no scaling study in the loaded data (needs model, family, activated_params_b and a score column)")
    families = sorted(results.scaling["family"].unique().to_list())
    hidden = {resolve(resolve_name, name, families, "family") for name in hide or []}
    w, h, color = chart_size(width, height)
    print_chart(scaling_chart(results.scaling, width=w, height=h, color=color, hidden=hidden))


@app.command(name="open")
def open_app(paths: Paths = None) -> None:
    """Open the explorer (the default when no command is given)."""
    results = load(paths)
    from tui.app.main import run  # Textual is imported only here: printing commands stay fast.

    run(results)


COMMANDS = {"summary", "table", "chart", "scaling", "open", "compare", "advise", "check", "insights",
            "export", "screenshots"}


def main(argv: list[str] | None = None) -> None:
    """Entry point: `kvscope [PATHS...]` opens the app; `kvscope COMMAND ...` runs a command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "open")
    if args[0] == "--version":
        from tui import __version__

        print(f"kvscope {__version__}")
        return
    app(args, prog_name="kvscope")
