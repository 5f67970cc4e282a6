"""Side-by-side comparisons with deltas: two sweeps per budget, or every sweep at two budgets.

Deltas are right minus left (B minus A); both metrics here are higher-is-better, so a
positive delta means the right side is better.
"""

from __future__ import annotations

import polars as pl

from tui.core.schema import AVG, PASS, TPS, Results
from tui.core.views import series

METRICS = (PASS, TPS)


def compare_series(results: Results, left: tuple[str, str], right: tuple[str, str]) -> pl.DataFrame:
    """Per budget: left and right values of each metric and their delta (right - left)."""
    a = series(results, *left).rename({m: f"left_{m}" for m in METRICS} | {f"{m}_how": f"left_{m}_how" for m in METRICS})
    b = series(results, *right).rename({m: f"right_{m}" for m in METRICS} | {f"{m}_how": f"right_{m}_how" for m in METRICS})
    joined = a.join(b, on="knob", how="full", coalesce=True).sort("knob")
    return joined.with_columns(
        # Rounded so 44.6 - 37.9 prints as 6.7, not 6.700000000000003.
        (pl.col(f"right_{m}") - pl.col(f"left_{m}")).round(6).alias(f"delta_{m}") for m in METRICS
    ).select("knob", *[c for m in METRICS for c in (f"left_{m}", f"right_{m}", f"delta_{m}")],
             *[c for m in METRICS for c in (f"left_{m}_how", f"right_{m}_how")])


def compare_budgets(results: Results, a: float, b: float) -> pl.DataFrame:
    """Every model and benchmark (then its average) at budget `a` against budget `b`."""
    parts = []
    for model in results.models:
        for benchmark in results.benchmarks(model) + [AVG]:
            frame = series(results, model, benchmark)
            if frame.height:
                parts.append(frame.with_columns(model=pl.lit(model), benchmark=pl.lit(benchmark)))
    if not parts:
        return pl.DataFrame()
    every = pl.concat(parts, how="diagonal_relaxed")
    at_a = every.filter(pl.col("knob") == a).select("model", "benchmark", *[pl.col(m).alias(f"{m}_a") for m in METRICS])
    at_b = every.filter(pl.col("knob") == b).select("model", "benchmark", *[pl.col(m).alias(f"{m}_b") for m in METRICS])
    joined = at_a.join(at_b, on=["model", "benchmark"], how="full", coalesce=True)
    order = {m: i for i, m in enumerate(results.models)}
    return (
        joined.with_columns((pl.col(f"{m}_b") - pl.col(f"{m}_a")).round(6).alias(f"delta_{m}") for m in METRICS)
        .with_columns(_o=pl.col("model").replace_strict(order, default=len(order)), _avg=pl.col("benchmark") == AVG)
        .sort("_o", "_avg", "benchmark").drop("_o", "_avg")
        .select("model", "benchmark", *[c for m in METRICS for c in (f"{m}_a", f"{m}_b", f"delta_{m}")])
    )


def budgets_of(results: Results) -> list[float]:
    return sorted(set(results.sweep["knob"].unique().to_list()) | set(results.aggregates["knob"].unique().to_list()))
