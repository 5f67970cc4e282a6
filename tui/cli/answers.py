"""Commands that answer questions: advise, frontier, returns, check, insights."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from tui.cli import say
from tui.cli.common import Format, FormatOpt, Paths, app, emit, fail, load, resolve

BenchOpt = Annotated[Optional[str], typer.Option("--benchmark", "-b", help="A benchmark, or avg.")]
ModelFilter = Annotated[Optional[str], typer.Option("--model", "-m", help="Only this model.")]


def _model(results, name):
    return resolve(results.resolve_model, name) if name else None


def _bench(results, name, model=None):
    return resolve(results.resolve_benchmark, name, model) if name else None


@app.command()
def advise(paths: Paths = None, model: ModelFilter = None, benchmark: BenchOpt = None,
           min_throughput: Annotated[Optional[float], typer.Option(
               "--min-throughput", help="Lowest acceptable throughput (TPS).")] = None,
           max_budget: Annotated[Optional[float], typer.Option("--max-budget", help="Largest budget allowed.")] = None,
           min_score: Annotated[Optional[float], typer.Option(
               "--min-score", "--min-pass1",
               help="Lowest acceptable score of each benchmark's headline metric (Pass@1, acc_norm ...; "
                    "--min-pass1 is the same option).")] = None,
           fmt: FormatOpt = Format.table) -> None:
    """The budget that maximises each benchmark's headline metric (e.g. Pass@1) under your constraints,
    per model (and benchmark)."""
    from tui.core import answers as core
    from tui.render import answers as render

    results = load(paths)
    frame = core.advise(results.sweep, model=_model(results, model), benchmark=_bench(results, benchmark),
                        min_throughput=min_throughput, max_budget=max_budget, min_score=min_score,
                        aggregates=results.aggregates, scores=core.Scores.of_results(results))
    knob = core.Knob(results.knob, results.knob_label)
    _emit(render.advice_table(frame, knob), render.advice_display(frame, knob), render.plain_frame(frame),
          fmt, results.knob)


@app.command()
def frontier(paths: Paths = None,
             benchmark: Annotated[str, typer.Option("--benchmark", "-b", help="A benchmark, or avg.")] = "avg",
             fmt: FormatOpt = Format.table) -> None:
    """Pareto frontier of the headline metric (e.g. Pass@1) vs throughput over every (model, budget)
    point, and who dominates whom."""
    from tui.core import answers as core
    from tui.render import answers as render

    results = load(paths, benchmark=benchmark)
    bench = _bench(results, benchmark)
    frame = core.frontier(results.sweep, bench, aggregates=results.aggregates,
                          scores=core.Scores.of_results(results))
    knob = core.Knob(results.knob, results.knob_label)
    tables = [render.frontier_table(frame, knob)]
    if fmt is Format.table and frame.height == 0:
        from rich.text import Text

        from tui.render.tables import bench_label

        # An empty table and a line per model pair would only repeat this reason.
        tables = [Text(f"no frontier on {bench_label(bench)}: no point has both a score and a "
                       "throughput")]
    elif fmt is Format.table:
        from rich.text import Text

        lines = core.dominance_lines(results.sweep, bench, results.models, aggregates=results.aggregates,
                                     scores=core.Scores.of_results(results))
        tables += [Text(line) for line in lines]
    _emit(tables, render.frontier_display(frame, knob), render.plain_frame(frame), fmt, results.knob)


@app.command(name="returns")
def returns_(paths: Paths = None, model: Annotated[str, typer.Option("--model", "-m", help="The model.")] = ...,
             benchmark: Annotated[str, typer.Option("--benchmark", "-b", help="A benchmark, or avg.")] = "avg",
             min_gain: Annotated[float, typer.Option(
                 "--min-gain",
                 help="Knee rule: points of the headline metric (e.g. Pass@1) per 1,000 tokens that still "
                      "pay."
             )] = 2.0,
             fmt: FormatOpt = Format.table) -> None:
    """Diminishing returns: the headline metric (e.g. Pass@1) and throughput per budget step, the knee,
    and the throughput slope."""
    from tui.core import answers as core
    from tui.render import answers as render

    results = load(paths, model, benchmark)
    the_model = resolve(results.resolve_model, model)
    bench = _bench(results, benchmark, the_model)
    scores = core.Scores.of_results(results)
    frame = core.returns(results.sweep, the_model, bench, aggregates=results.aggregates, scores=scores)
    knee = core.knee(results.sweep, the_model, bench, min_gain_per_1k=min_gain, aggregates=results.aggregates,
                     scores=scores)
    trend = core.throughput_trend(results.sweep, the_model, bench, aggregates=results.aggregates,
                                  scores=scores)
    if fmt is Format.json:
        import json

        from tui.render.tables import plain

        doc = {"steps": json.loads(plain(render.plain_frame(frame), "json", results.knob)),
               "knee": json.loads(plain(render.knee_frame(knee), "json", results.knob))[0],
               "trend": json.loads(plain(render.trend_frame(trend), "json", results.knob))[0]}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return
    _emit([render.returns_table(frame, results.knob_label), render.knee_text(knee), render.trend_text(trend)],
          render.returns_display(frame, results.knob_label), render.plain_frame(frame), fmt, results.knob)


@app.command()
def check(paths: Paths = None,
          tolerance: Annotated[float, typer.Option(
              "--tolerance", min=0,
              help="Largest acceptable |reported - mean of parts|, in the metric's units.")] = 0.15,
          strict: Annotated[bool, typer.Option(
              "--strict", help="Exit 1 when any aggregate is off by more than the tolerance.")] = False,
          fmt: FormatOpt = Format.table) -> None:
    """Check every reported aggregate (e.g. per-model averages) against the mean of its parts."""
    from tui.core import answers as core
    from tui.core.views import leaf_rows
    from tui.render import answers as render

    results = load(paths)
    if results.aggregates.height == 0:
        say("no reported aggregates (rows with benchmark avg/average) to check")
        return
    frame = core.check_aggregates(leaf_rows(results), results.aggregates, tolerance)
    _emit(render.check_table(frame), render.check_display(frame), render.plain_frame(frame), fmt, results.knob)
    bad = frame.filter(frame["exceeds"]).height
    typer.echo(f"{bad} of {frame.height} aggregates differ from their parts by more than {tolerance:g}", err=True)
    if strict and bad:
        raise typer.Exit(1)


@app.command()
def insights(paths: Paths = None, model: ModelFilter = None, benchmark: BenchOpt = None,
             fmt: FormatOpt = Format.table) -> None:
    """Findings in words, computed from the data: peaks, plateaus, slopes, dominance, the advisor's pick."""
    from tui.core import answers as core
    from tui.render import answers as render

    results = load(paths)
    name = _model(results, model)
    lines = core.insights(results.sweep, results.aggregates, model=name,
                          benchmark=_bench(results, benchmark, name) if benchmark else None,
                          scores=core.Scores.of_results(results))
    _emit(render.insights_text(lines), render.insights_frame(lines), render.insights_frame(lines), fmt, results.knob)


def _emit(renderables, display, data, fmt: Format, knob: str) -> None:
    """Rich output for `table`, the display frame for Markdown, the raw frame for CSV/JSON."""
    from tui.render.tables import markdown

    if fmt is Format.markdown:
        sys.stdout.write(markdown(display) + "\n")
        return
    emit(renderables if isinstance(renderables, list) else [renderables], [("data", data)], fmt, knob)


__all__ = ["advise", "frontier", "returns_", "check", "insights", "fail"]
