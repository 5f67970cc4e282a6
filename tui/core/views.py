"""Per-selection views of a Results object: pure functions returning small polars frames.

The CLI and the app both build what they show from these, so a number is computed once,
one way. Budgets are ascending in every frame; missing values stay null.
"""

from __future__ import annotations

import polars as pl

from tui.core.schema import AVG, PASS, TPS, Results


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
        knobs = knobs.join(part, on="knob", how="left")
    return knobs.sort("knob")


def best_budget(frame: pl.DataFrame, metric: str = PASS) -> dict | None:
    """The row with the highest `metric`; ties go to the smaller (cheaper) budget."""
    rows = frame.filter(pl.col(metric).is_not_null())
    if rows.height == 0:
        return None
    return rows.sort([metric, "knob"], descending=[True, False]).row(0, named=True)


def summary(results: Results) -> pl.DataFrame:
    """Per model and benchmark (then the average): best Pass@1, its budget, the throughput range.

    Computed over the whole sweep at once; ties for the best Pass@1 go to the cheaper budget.
    """
    sweep = results.sweep
    derived = [mean_of_parts(sweep.filter(pl.col("model") == m)) for m in results.models
               if results.aggregates.filter(pl.col("model") == m).height == 0 and results.benchmarks(m)]
    tidy = pl.concat([sweep.select(_TIDY), results.aggregates.select(_TIDY), *[d.select(_TIDY) for d in derived]])
    wide = tidy.pivot(on="metric", index=["model", "benchmark", "knob"], values="value", aggregate_function="first")
    for metric in (PASS, TPS):
        if metric not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(metric))
    best = (
        wide.filter(pl.col(PASS).is_not_null())
        .sort(["model", "benchmark", PASS, "knob"], descending=[False, False, True, False])
        .group_by(["model", "benchmark"], maintain_order=True).first()
        .select("model", "benchmark", pl.col(PASS).alias("best_pass_at_1"), pl.col("knob").alias("best_budget"),
                pl.col(TPS).alias("tps_at_best"))
    )
    ranges = wide.group_by(["model", "benchmark"]).agg(
        pl.col(TPS).min().alias("tps_min"), pl.col(TPS).max().alias("tps_max"), pl.len().alias("budgets"))
    out = ranges.join(best, on=["model", "benchmark"], how="left")
    return (
        out.with_columns(_avg=pl.col("benchmark") == AVG)
        .sort(["model", "_avg", "benchmark"])
        .select("model", "benchmark", "best_pass_at_1", "best_budget", "tps_at_best", "tps_min", "tps_max",
                pl.col("budgets").cast(pl.Int64))
    )


_TIDY = ["model", "benchmark", "knob", "metric", "value"]


def budget_table(results: Results, model: str, benchmarks: list[str]) -> pl.DataFrame:
    """Budgets down, (benchmark, metric) across: the table view of one model."""
    out = None
    for benchmark in benchmarks:
        wide = series(results, model, benchmark).rename(
            {c: f"{benchmark}:{c}" for c in (PASS, TPS, f"{PASS}_how", f"{TPS}_how")})
        out = wide if out is None else out.join(wide, on="knob", how="full", coalesce=True)
    return out.sort("knob") if out is not None else pl.DataFrame({"knob": []})


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
