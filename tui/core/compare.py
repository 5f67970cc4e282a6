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
    """Every model and benchmark (then its average) with Pass@1 or throughput at budget `a` or `b`,
    and how each value was obtained (`<metric>_a_how`, `<metric>_b_how`).

    One pass over the frames (not one `series` per sweep), so a 100 x 20 sweep compares at once.
    The average is the reported one for a model that has reported aggregates, as in `series`,
    else the mean over its benchmarks.
    """
    wanted = pl.col("knob").is_in([float(a), float(b)]) & pl.col("metric").is_in(METRICS)
    columns = ["model", "benchmark", "knob", "metric", "value", "how"]
    parts = results.sweep.filter(wanted).select(columns)
    reported = results.aggregates.filter(wanted).select(columns)
    derived = (
        parts.group_by("model", "knob", "metric").agg(pl.col("value").mean())
        .join(results.aggregates.select("model").unique(), on="model", how="anti")
        .with_columns(benchmark=pl.lit(AVG), how=pl.lit("derived")).select(columns)
    )
    every = pl.concat([parts, reported, derived], how="vertical_relaxed")

    def at(knob: float, suffix: str) -> pl.DataFrame:
        return (every.filter(pl.col("knob") == knob)
                .group_by("model", "benchmark")
                .agg(*[pl.col(c).filter(pl.col("metric") == m).first().alias(f"{m}_{suffix}{tail}")
                       for m in METRICS for c, tail in (("value", ""), ("how", "_how"))]))

    joined = at(a, "a").join(at(b, "b"), on=["model", "benchmark"], how="full", coalesce=True)
    order = {m: i for i, m in enumerate(results.models)}
    return (
        joined.with_columns((pl.col(f"{m}_b") - pl.col(f"{m}_a")).round(6).alias(f"delta_{m}") for m in METRICS)
        .with_columns(_o=pl.col("model").replace_strict(order, default=len(order)), _avg=pl.col("benchmark") == AVG)
        .sort("_o", "_avg", "benchmark").drop("_o", "_avg")
        .select("model", "benchmark", *[c for m in METRICS for c in (f"{m}_a", f"{m}_b", f"delta_{m}")],
                *[f"{m}_{side}_how" for m in METRICS for side in "ab"])
    )


def budgets_of(results: Results) -> list[float]:
    """Every knob value in the data, smallest first (a run without a knob has none to compare)."""
    knobs = pl.concat([results.sweep["knob"], results.aggregates["knob"]]).drop_nulls().unique()
    return sorted(knobs.to_list())
