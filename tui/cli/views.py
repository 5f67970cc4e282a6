"""Commands that show the data: summary, table, chart, scaling, compare, readings."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from tui.cli import say
from tui.cli.common import (
    ChartOutOpt,
    ForceOpt,
    Format,
    FormatOpt,
    HeightOpt,
    ModelOpt,
    Paths,
    WidthOpt,
    app,
    chart_size,
    check_chart_out,
    check_height,
    emit,
    fail,
    load,
    print_chart,
    resolve,
    show_chart,
)
from tui.core.errors import InputError


@app.command()
def summary(paths: Paths = None, fmt: FormatOpt = Format.table) -> None:
    """Best value of each benchmark's headline metric (e.g. Pass@1) and its budget, throughput
    ranges, scaling leaders."""
    import polars as pl

    from tui.core import views
    from tui.render import tables

    results = load(paths)
    frame = views.summary(results)
    leaders = views.scaling_leaders(results)
    renderables = []
    if frame.height:
        renderables.append(tables.summary_table(frame, results.knob_label, average_notes(results)))
    if leaders.height:
        renderables.append(tables.leaders_table(leaders))
    # JSON is always {"sweep": [...], "scaling_leaders": [...]}, so scripts see one shape; CSV holds one table.
    frames = [("sweep", frame)]
    if fmt is Format.json or (fmt is Format.markdown and leaders.height):
        columns = ["rank", "family", "model", "params_b", "score"]
        empty = pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
        frames.append(("scaling_leaders", leaders.select(columns) if leaders.height else empty))
    emit(renderables, frames, fmt, results.knob)


def average_notes(results) -> list[str]:
    """One line per model whose benchmarks have no single average, saying why."""
    found = ((model, results.average_metric(model)[1]) for model in results.models)
    return [f"{model}: {why}" for model, why in found if why.startswith("no single average")]


@app.command()
def table(paths: Paths = None, model: ModelOpt = ...,
          benchmark: Annotated[Optional[str], typer.Option(
              "--benchmark", "-b", help="One benchmark, or avg (default: all and the average).")] = None,
          fmt: FormatOpt = Format.table) -> None:
    """Budgets x benchmarks for one model: each benchmark's headline metric and throughput at each budget."""
    from tui.core import views
    from tui.core.schema import AVG
    from tui.render import tables

    results = load(paths, model, benchmark)
    model = resolve(results.resolve_model, model)
    if benchmark:
        benches = [resolve(results.resolve_benchmark, benchmark, model)]
    else:  # a group's subtasks after it; the average where the model has one
        has_average = results.average_metric(model)[0] is not None
        benches = views.tree_order(results, results.benchmarks(model)) + ([AVG] if has_average else [])
    frame = views.budget_table(results, model, benches)
    title = f"{model} | {tables.bench_label(benches[0])}" if len(benches) == 1 else model
    emit([tables.budget_table(frame, benches, title, results.knob_label)], [("table", frame)], fmt, results.knob)


@app.command()
def chart(paths: Paths = None, model: ModelOpt = ...,
          benchmark: Annotated[str, typer.Option("--benchmark", "-b", help="Benchmark name or alias, or avg.")] = ...,
          width: WidthOpt = None, height: HeightOpt = 22, out: ChartOutOpt = None, force: ForceOpt = False) -> None:
    """The dual-axis chart: headline-metric bars (left axis), throughput line (right axis), budget on x."""
    from tui.core import views
    from tui.core.schema import PASS, TPS
    from tui.render.charts import sweep_chart
    from tui.render.tables import bench_label

    check_chart_out(out)
    check_height(height)
    results = load(paths, model, benchmark)
    model = resolve(results.resolve_model, model)
    bench = resolve(results.resolve_benchmark, benchmark, model)
    w, h, color = chart_size(width, height)
    bar, line = views.chart_metrics(results, model, bench)
    frame = views.series(results, model, bench, tuple(m for m in (bar, line) if m))
    title = f"{model} | {bench_label(bench)}"
    show_chart(lambda colored: sweep_chart([(model, frame)], title, knob_label=results.knob_label, width=w, height=h,
                                           color=colored, bar=bar or PASS, line=line or TPS),
               out, force, color, title)


@app.command()
def scaling(paths: Paths = None, width: WidthOpt = None, height: HeightOpt = 24,
            hide: Annotated[Optional[list[str]], typer.Option(
                "--hide", help="Family to leave out (repeatable).")] = None,
            out: ChartOutOpt = None, force: ForceOpt = False) -> None:
    """The parameter-scaling scatter: log-scaled activated parameters vs MathVision Pass@1."""
    import polars as pl

    from tui.core.schema import resolve as resolve_name
    from tui.render.scatter import SCALING_TITLE, scaling_chart

    check_chart_out(out)
    check_height(height)
    results = load(paths)
    if results.scaling.height == 0:
        fail("no scaling study in the loaded data (needs model, family, activated_params_b and a score column)")
    families = sorted(results.scaling["family"].unique().to_list())
    hidden = {resolve(resolve_name, name, families, "family") for name in hide or []}
    w, h, color = chart_size(width, height)
    show_chart(lambda colored: scaling_chart(results.scaling, width=w, height=h, color=colored, hidden=hidden),
               out, force, color, SCALING_TITLE)
    if out is not None:
        return  # the file holds the chart; the table below it is `kvscope scaling` without --out
    from tui.core.views import scaling_points
    from tui.render.tables import scaling_table

    points = scaling_points(results)
    emit([scaling_table(points.filter(~pl.col("family").is_in(sorted(hidden))))], None, Format.table)


@app.command()
def compare(a: Annotated[str, typer.Argument(help="A model, a benchmark, or a budget.", show_default=False)],
            b: Annotated[str, typer.Argument(help="Another of the same kind.", show_default=False)],
            paths: Paths = None,
            benchmark: Annotated[Optional[str], typer.Option(
                "--benchmark", "-b", help="For two models: the benchmark, or avg (default).")] = None,
            model: Annotated[Optional[str], typer.Option(
                "--model", "-m", help="For two benchmarks: the model (needed when there are several).")] = None,
            fmt: FormatOpt = Format.table,
            chart: Annotated[bool, typer.Option(
                "--chart", help="Also draw both series in one chart (models or benchmarks).")] = False,
            width: WidthOpt = None, height: HeightOpt = 22) -> None:
    """Two models, two benchmarks or two budgets side by side, with deltas (B minus A)."""
    from tui.core import compare as cmp
    from tui.core.schema import AVG, BENCHMARK_ALIASES, MODEL_ALIASES
    from tui.core.schema import resolve as resolve_name
    from tui.render import compare as render
    from tui.render.charts import sweep_chart
    from tui.render.tables import bench_label

    if chart:
        check_height(height)
    results = load(paths)
    budgets = _as_numbers(a, b)
    if budgets:
        known = cmp.budgets_of(results)
        for value in budgets:
            if value not in known:
                fail(f"unknown budget {value:g}; known: {', '.join(f'{k:g}' for k in known)}")
        frame = cmp.compare_budgets(results, *budgets)
        emit([render.budgets_table(frame, *budgets, results.knob_label)],
             [("compare", cmp.named_by_metric(frame))], fmt, results.knob)
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
    metrics = cmp.compare_metrics(results, left, right)
    # Plain outputs name columns by what they hold: "R1-Qwen:pass_at_1", not "left_pass_at_1".
    named = frame.rename({c: c.replace("left_", f"{labels[0]}:", 1).replace("right_", f"{labels[1]}:", 1)
                          for c in frame.columns if c.startswith(("left_", "right_"))})
    emit([render.compare_table(frame, *labels, results.knob_label, title, metrics)], [("compare", named)],
         fmt, results.knob)
    if chart and fmt is Format.table:

        drawn = cmp.compare_chart(results, left, right, labels)
        if drawn.note:
            say(drawn.note)
        if drawn.frames:
            w, h, color = chart_size(width, height)
            print_chart(sweep_chart(drawn.frames, title, knob_label=results.knob_label, width=w, height=h,
                                    color=color, bar=drawn.bar))


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
             benchmark: Annotated[Optional[str], typer.Option(
                 "--benchmark", "-b", help="Only this benchmark (or avg).")] = None,
             rejected_only: Annotated[bool, typer.Option(
                 "--rejected", help="Only the readings set aside as rejected.")] = False,
             fmt: FormatOpt = Format.table) -> None:
    """Every reading with its provenance: accepted values and the rejected ones kept beside them."""
    import polars as pl

    from tui.render.tables import readings_table

    results = load(paths, model, benchmark)
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


