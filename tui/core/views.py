"""Per-selection views of a Results object: pure functions returning small polars frames.

The CLI and the app both build what they show from these, so a number is computed once,
one way. Budgets are ascending in every frame; missing values stay null.
"""

from __future__ import annotations

import polars as pl

from tui.core.schema import AVG, PASS, TPS, Results


# Metrics that measure cost or speed, never accuracy (the bars show accuracy).
_EFFICIENCY = r"(throughput|tps|tokens_per|_per_s|latency|_ms$|_s$|ttft|tpot|itl|requests|mem|elapsed|duration|time)"


def accuracy_rank() -> pl.Expr:
    """Preference for the accuracy metric a chart's bars show: Pass@1, then pass-like, then
    accuracy/match/score names, then anything else that is not a cost or speed metric."""
    m = pl.col("metric").str.to_lowercase()
    return (
        pl.when(pl.col("metric") == PASS).then(0)
        .when(m.str.contains(_EFFICIENCY)).then(None)
        .when(m.str.contains("pass")).then(1)
        .when(m.str.contains("acc|match|score|correct|f1")).then(2)
        .otherwise(3)
    )


def chart_metrics(results: Results, model: str, benchmark: str) -> tuple[str | None, str | None]:
    """(accuracy metric for the bars, throughput metric for the line) of one sweep; None if absent."""
    tidy = results.partitions.get((model, benchmark))
    if tidy is None and benchmark == AVG:
        parts = [results.partitions[(model, b)] for b in results.benchmarks(model)]
        tidy = pl.concat(parts) if parts else None
    if tidy is None or tidy.height == 0:
        return PASS, TPS
    names = tidy.select(pl.col("metric").unique()).with_columns(rank=accuracy_rank()).drop_nulls("rank")
    bar = names.sort("rank", "metric")["metric"][0] if names.height else None
    metrics = set(tidy["metric"].unique().to_list())
    line = TPS if TPS in metrics else None
    return bar, line


def series(results: Results, model: str, benchmark: str, metrics: tuple[str, ...] = (PASS, TPS)) -> pl.DataFrame:
    """One sweep as a wide frame: knob, then per metric its value and how it was obtained.

    For benchmark AVG the reported aggregate is used where the data has one; otherwise the
    mean over the model's benchmarks, marked "derived".
    """
    tidy = results.partitions.get((model, benchmark))
    if tidy is None and benchmark == AVG:
        parts = [results.partitions[(model, b)] for b in results.benchmarks(model)]
        tidy = mean_of_parts(pl.concat(parts)) if parts else None
    if tidy is None:
        tidy = results.sweep.clear()
    return widen(tidy, metrics)


def mean_of_parts(parts: pl.DataFrame) -> pl.DataFrame:
    """The per-knob mean over benchmarks, in tidy form, marked derived."""
    return (
        parts.group_by("model", "knob", "metric")
        .agg(pl.col("value").mean(), pl.len().cast(pl.UInt32).alias("n"))
        .with_columns(benchmark=pl.lit(AVG), how=pl.lit("derived"), note=pl.lit("mean over benchmarks"))
    )


def widen(tidy: pl.DataFrame, metrics: tuple[str, ...]) -> pl.DataFrame:
    knobs = tidy.select(pl.col("knob").unique().sort())
    for metric in metrics:
        part = tidy.filter(pl.col("metric") == metric).select(
            "knob", pl.col("value").alias(metric), pl.col("how").alias(f"{metric}_how"))
        # nulls_equal: a file with no knob is one point at a null knob, and must keep its values.
        knobs = knobs.join(part, on="knob", how="left", nulls_equal=True)
    return knobs.sort("knob", nulls_last=True)


def best_budget(frame: pl.DataFrame, metric: str = PASS) -> dict | None:
    """The row with the highest `metric`; ties go to the smaller (cheaper) budget."""
    rows = frame.filter(pl.col(metric).is_not_null())
    if rows.height == 0:
        return None
    return rows.sort([metric, "knob"], descending=[True, False]).row(0, named=True)


def summary(results: Results) -> pl.DataFrame:
    """Per model and benchmark (then the average): best Pass@1, its budget, the throughput range,
    and how each of those values was obtained (`*_how`, for the ~ and * marks).

    Computed over the whole sweep at once; ties for the best Pass@1 go to the cheaper budget.
    """
    sweep = results.sweep
    # An average is shown where reported, or derived where a model has two or more benchmarks.
    derived = [mean_of_parts(sweep.filter(pl.col("model") == m)) for m in results.models
               if results.aggregates.filter(pl.col("model") == m).height == 0 and len(results.benchmarks(m)) > 1]
    tidy = pl.concat([sweep.select(_TIDY), results.aggregates.select(_TIDY), *[d.select(_TIDY) for d in derived]])
    key = ["model", "benchmark"]
    # Each sweep's accuracy metric: Pass@1 where there is one, else the best-ranked other (see accuracy_rank).
    chosen = (
        tidy.select(*key, "metric").unique().with_columns(rank=accuracy_rank()).drop_nulls("rank")
        .sort(*key, "rank", "metric").group_by(key, maintain_order=True).first().select(*key, "metric")
    )
    accuracy = tidy.join(chosen, on=[*key, "metric"], how="semi")
    tps = tidy.filter(pl.col("metric") == TPS).select(*key, "knob", pl.col("value").alias("tps"),
                                                      pl.col("how").alias("tps_how"))
    best = (
        accuracy.sort([*key, "value", "knob"], descending=[False, False, True, False])
        .group_by(key, maintain_order=True).first()
        .join(tps, on=[*key, "knob"], how="left")
        .select(*key, "metric", pl.col("value").alias("best_pass_at_1"), pl.col("knob").alias("best_budget"),
                pl.col("tps").alias("tps_at_best"), pl.col("how").alias("best_pass_at_1_how"),
                pl.col("tps_how").alias("tps_at_best_how"))
    )
    is_tps = pl.col("metric") == TPS
    ranges = tidy.group_by(key).agg(
        pl.col("value").filter(is_tps).min().alias("tps_min"),
        pl.col("value").filter(is_tps).max().alias("tps_max"),
        # How the range's ends were obtained, so they carry their marks as every other value does.
        pl.col("how").filter(is_tps).sort_by(pl.col("value").filter(is_tps)).first().alias("tps_min_how"),
        pl.col("how").filter(is_tps).sort_by(pl.col("value").filter(is_tps)).last().alias("tps_max_how"),
        pl.col("knob").n_unique().alias("budgets"))
    out = ranges.join(best, on=key, how="left")
    return (
        out.with_columns(_avg=pl.col("benchmark") == AVG)
        .sort(["model", "_avg", "benchmark"])
        .select("model", "benchmark", "metric", "best_pass_at_1", "best_budget", "tps_at_best", "tps_min", "tps_max",
                pl.col("budgets").cast(pl.Int64), "best_pass_at_1_how", "tps_at_best_how", "tps_min_how",
                "tps_max_how")
    )


_TIDY = ["model", "benchmark", "knob", "metric", "value", "how"]


def budget_table(results: Results, model: str, benchmarks: list[str]) -> pl.DataFrame:
    """Budgets down, (benchmark, metric) across: the table view of one model.

    Columns are "<benchmark>:<metric>" and "<benchmark>:<metric>_how", with each benchmark's
    accuracy metric (Pass@1 where present) and throughput.
    """
    out = None
    for benchmark in benchmarks:
        metrics = tuple(m for m in chart_metrics(results, model, benchmark) if m)
        frame = series(results, model, benchmark, metrics)
        wide = frame.rename({c: f"{benchmark}:{c}" for c in frame.columns if c != "knob"})
        out = wide if out is None else out.join(wide, on="knob", how="full", coalesce=True, nulls_equal=True)
    return out.sort("knob", nulls_last=True) if out is not None else pl.DataFrame({"knob": []})


def scaling_leaders(results: Results, top: int = 3) -> pl.DataFrame:
    """The scaling study's top scores, and each family's best, with score per log-parameter."""
    frame = results.scaling
    if frame.height == 0:
        return frame
    best_family = frame.sort("score", descending=True).group_by("family", maintain_order=True).first()
    return (
        best_family.sort(["score", "params_b"], descending=[True, False])
        .with_columns(rank=pl.int_range(1, pl.len() + 1))
        .with_columns(leader=pl.col("rank") <= top)
    )
