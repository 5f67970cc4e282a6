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


def emit(renderables: list, frames: list | None, fmt: Format, knob: str = "kv_budget") -> None:
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

        merged = {name: json.loads(plain(frame, "json", knob)) for name, frame in frames}
        sys.stdout.write(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
        return
    text = "\n\n".join(plain(frame, fmt.value, knob) for _, frame in (frames or []))
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
    import polars as pl

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
    # JSON is always {"sweep": [...], "scaling_leaders": [...]}, so scripts see one shape; CSV holds one table.
    frames = [("sweep", frame)]
    if fmt is Format.json or (fmt is Format.markdown and leaders.height):
        columns = ["rank", "family", "model", "params_b", "score"]
        frames.append(("scaling_leaders", leaders.select(columns) if leaders.height else pl.DataFrame(schema=dict.fromkeys(columns, pl.String))))
    emit(renderables, frames, fmt, results.knob)


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
    emit([tables.budget_table(frame, benches, title, results.knob_label)], [("table", frame)], fmt, results.knob)


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


@app.command()
def compare(a: Annotated[str, typer.Argument(help="A model, a benchmark, or a budget.", show_default=False)],
            b: Annotated[str, typer.Argument(help="Another of the same kind.", show_default=False)],
            paths: Paths = None,
            benchmark: Annotated[Optional[str], typer.Option("--benchmark", "-b", help="For two models: the benchmark, or avg (default).")] = None,
            model: Annotated[Optional[str], typer.Option("--model", "-m", help="For two benchmarks: the model (needed when there are several).")] = None,
            fmt: FormatOpt = Format.table,
            chart: Annotated[bool, typer.Option("--chart", help="Also draw both series in one chart (models or benchmarks).")] = False,
            width: WidthOpt = None, height: HeightOpt = 22) -> None:
    """Two models, two benchmarks or two budgets side by side, with deltas (B minus A)."""
    from tui.core import compare as cmp
    from tui.core.schema import AVG, BENCHMARK_ALIASES, MODEL_ALIASES
    from tui.core.schema import resolve as resolve_name
    from tui.render import compare as render
    from tui.render.charts import sweep_chart
    from tui.render.tables import bench_label

    results = load(paths)
    budgets = _as_numbers(a, b)
    if budgets:
        known = cmp.budgets_of(results)
        for value in budgets:
            if value not in known:
                fail(f"unknown budget {value:g}; known: {', '.join(f'{k:g}' for k in known)}")
        frame = cmp.compare_budgets(results, *budgets)
        emit([render.budgets_table(frame, *budgets, results.knob_label)], [("compare", frame)], fmt, results.knob)
        return
    kind = _kind(results, a, b)
    if kind == "model":
        left_model, right_model = (resolve(resolve_name, x, results.models, "model", MODEL_ALIASES) for x in (a, b))
        bench = resolve(results.resolve_benchmark, benchmark or AVG)
        left, right = (left_model, bench), (right_model, bench)
        labels = (left_model, right_model)
        title = f"{left_model} vs {right_model} | {bench_label(bench)}"
    else:
        if model is None and len(results.models) > 1:
            fail(f"comparing two benchmarks needs --model; known: {', '.join(results.models)}")
        the_model = resolve(results.resolve_model, model or results.models[0])
        known = results.benchmarks(the_model) + [AVG]
        left_bench, right_bench = (resolve(resolve_name, x, known, "benchmark", BENCHMARK_ALIASES) for x in (a, b))
        left, right = (the_model, left_bench), (the_model, right_bench)
        labels = (bench_label(left_bench), bench_label(right_bench))
        title = f"{the_model} | {labels[0]} vs {labels[1]}"
    frame = cmp.compare_series(results, left, right)
    # Plain outputs name columns by what they hold: "R1-Qwen:pass_at_1", not "left_pass_at_1".
    named = frame.rename({c: c.replace("left_", f"{labels[0]}:", 1).replace("right_", f"{labels[1]}:", 1)
                          for c in frame.columns if c.startswith(("left_", "right_"))})
    emit([render.compare_table(frame, *labels, results.knob_label, title)], [("compare", named)], fmt, results.knob)
    if chart and fmt is Format.table:
        from tui.core.views import series

        w, h, color = chart_size(width, height)
        print_chart(sweep_chart([(labels[0], series(results, *left)), (labels[1], series(results, *right))],
                                title, knob_label=results.knob_label, width=w, height=h, color=color))


def _as_numbers(a: str, b: str) -> tuple[float, float] | None:
    try:
        return float(a), float(b)
    except ValueError:
        return None


def _kind(results, a: str, b: str) -> str:
    """Whether A and B name models or benchmarks; both must be the same kind."""
    from tui.core.schema import AVG

    def kind_of(name: str) -> str | None:
        try:
            results.resolve_model(name)
            return "model"
        except InputError:
            pass
        try:
            results.resolve_benchmark(name)
            return "benchmark"
        except InputError:
            return None

    kinds = (kind_of(a), kind_of(b))
    if None in kinds:
        bad = a if kinds[0] is None else b
        fail(f"{bad!r} is not a model, benchmark or budget; models: {', '.join(results.models)}; "
             f"benchmarks: {', '.join(results.benchmarks() + [AVG])}; budgets are numbers")
    if kinds[0] != kinds[1]:
        fail(f"cannot compare {kinds[0]} {a!r} with {kinds[1]} {b!r}: give two models, two benchmarks or two budgets")
    return kinds[0]


@app.command()
def readings(paths: Paths = None,
             model: Annotated[Optional[str], typer.Option("--model", "-m", help="Only this model.")] = None,
             benchmark: Annotated[Optional[str], typer.Option("--benchmark", "-b", help="Only this benchmark (or avg).")] = None,
             rejected_only: Annotated[bool, typer.Option("--rejected", help="Only the readings set aside as rejected.")] = False,
             fmt: FormatOpt = Format.table) -> None:
    """Every reading with its provenance: accepted values and the rejected ones kept beside them."""
    import polars as pl

    from tui.render.tables import readings_table

    results = load(paths)
    frame = results.all_readings
    if model:
        frame = frame.filter(pl.col("model") == resolve(results.resolve_model, model))
    if benchmark:
        frame = frame.filter(pl.col("benchmark") == resolve(results.resolve_benchmark, benchmark))
    if rejected_only:
        frame = frame.filter(pl.col("reading") == "rejected")
    frame = frame.sort("model", "benchmark", "metric", "knob", "reading").select(
        "model", "benchmark", "knob", "metric", "value", "how", "reading", "source", "note")
    emit([readings_table(frame, results.knob_label)], [("readings", frame)], fmt, results.knob)


class ExportFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    json = "json"
    markdown = "markdown"
    latex = "latex"


@app.command()
def export(paths: Paths = None,
           fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = ExportFormat.csv,
           out: Annotated[Optional[Path], typer.Option("--out", "-o", help="File to write (default: stdout; needed for parquet).")] = None,
           force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
           model: Annotated[Optional[list[str]], typer.Option("--model", "-m", help="Only these models (repeatable).")] = None,
           tidy: Annotated[bool, typer.Option("--tidy", help="Markdown/LaTeX: the tidy data instead of the paper table.")] = False) -> None:
    """Export the data (CSV, Parquet, JSON) or a paper-ready table (Markdown, LaTeX booktabs)."""
    import polars as pl

    from tui.render import export as exporter

    results = load(paths)
    models = [resolve(results.resolve_model, m) for m in model] if model else None
    if fmt.value in ("markdown", "latex") and not tidy:
        frame = exporter.paper_table(results, models)
        caption = f"Pass@1 (%) by {results.knob_label}; TPS is the average throughput (tokens/s)."
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
def open_app(paths: Paths = None) -> None:
    """Open the explorer (the default when no command is given)."""
    results = load(paths)
    from tui.app.main import run  # Textual is imported only here: printing commands stay fast.

    run(results)


COMMANDS = {"summary", "table", "chart", "scaling", "open", "compare", "readings", "advise", "check", "insights",
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
