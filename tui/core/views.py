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
    if benchmark == AVG:
        tidy = results.aggregates.filter(pl.col("model") == model)
        if tidy.height == 0:
            tidy = mean_of_parts(results.sweep.filter(pl.col("model") == model))
    else:
        tidy = results.sweep.filter((pl.col("model") == model) & (pl.col("benchmark") == benchmark))
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
    """Per model and benchmark (then the average): best Pass@1, its budget, the throughput range."""
    records = []
    for model in results.models:
        benches = results.benchmarks(model) + [AVG]
        for benchmark in benches:
            frame = series(results, model, benchmark)
            if frame.height == 0:
                continue
            best = best_budget(frame) if PASS in frame.columns else None
            tps = frame[TPS].drop_nulls() if TPS in frame.columns else pl.Series([], dtype=pl.Float64)
            records.append({
                "model": model, "benchmark": benchmark,
                "best_pass_at_1": best[PASS] if best else None,
                "best_budget": best["knob"] if best else None,
                "tps_at_best": best.get(TPS) if best else None,
                "tps_min": tps.min() if len(tps) else None,
                "tps_max": tps.max() if len(tps) else None,
                "budgets": frame.height,
            })
    schema = {"model": pl.String, "benchmark": pl.String, "best_pass_at_1": pl.Float64,
              "best_budget": pl.Float64, "tps_at_best": pl.Float64, "tps_min": pl.Float64,
              "tps_max": pl.Float64, "budgets": pl.Int64}
    return pl.DataFrame(records, schema=schema)


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
