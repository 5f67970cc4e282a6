"""Side-by-side comparisons with deltas: two sweeps per budget, or every sweep at two budgets.

Each sweep is compared by its headline metric (`Results.headline`: Pass@1 on the bundled data,
acc_norm or string_match elsewhere) and throughput. Deltas are right minus left (B minus A); both
are higher-is-better, so a positive delta means the right side is better. Two scores measured by
different metrics get no delta.
"""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

from tui.core.schema import AVG, TPS, Results, short_label
from tui.core.views import chart_metrics, series

SCORE = "score"  # compare_budgets' column of each row's headline metric, named in `metric`
SIDES = (SCORE, TPS)


def compare_metrics(results: Results, left: tuple[str, str], right: tuple[str, str]) -> tuple[str, str]:
    """The score metric of each side (its headline, or its average's); "score" for a side with none."""
    return tuple(chart_metrics(results, *side)[0] or "score" for side in (left, right))




class CompareChart(NamedTuple):
    """What a comparison's chart draws: one (label, series) per side, the bar metric ("" for no
    bars), and a note saying what was left out and why (None when nothing was)."""

    frames: list[tuple[str, pl.DataFrame]]
    bar: str
    note: str | None


def compare_chart(results: Results, left: tuple[str, str], right: tuple[str, str],
                  labels: tuple[str, str]) -> CompareChart:
    """The chart of two sweeps side by side. One bar axis holds one metric, so sides scored by
    different metrics get the throughput line alone; with no throughput either there is no chart
    (no frames), rather than an empty frame that looks like missing data."""
    metrics = compare_metrics(results, left, right)
    same = metrics[0] == metrics[1]
    shown = (metrics[0], TPS) if same else (TPS,)
    frames = [(label, series(results, *side, shown)) for label, side in zip(labels, (left, right))]
    apart = "{} and {} are different metrics".format(*map(short_label, metrics))
    if not any(frame[m].drop_nulls().len() for _, frame in frames for m in shown):
        return CompareChart([], "", f"no chart: {'nothing to draw' if same else apart + ', and no throughput'}")
    note = None if same else f"the chart shows throughput only: {apart}"
    return CompareChart(frames, metrics[0] if same else "", note)

def compare_series(results: Results, left: tuple[str, str], right: tuple[str, str]) -> pl.DataFrame:
    """Per budget: left and right values of each side's score metric and of throughput, and their
    deltas (right - left; the score's only when both sides share its metric). Columns are named by
    metric: left_pass_at_1, right_pass_at_1, delta_pass_at_1, left_throughput_tps ..."""
    lm, rm = compare_metrics(results, left, right)
    a = _side(results, left, lm, "left")
    b = _side(results, right, rm, "right")
    joined = a.join(b, on="knob", how="full", coalesce=True).sort("knob")
    pairs = [(f"left_{lm}", f"right_{rm}", f"delta_{lm}" if lm == rm else None),
             (f"left_{TPS}", f"right_{TPS}", f"delta_{TPS}")]
    return joined.with_columns(
        # Rounded so 44.6 - 37.9 prints as 6.7, not 6.700000000000003.
        (pl.col(right) - pl.col(left)).round(6).alias(d) for left, right, d in pairs if d
    ).select("knob", *[c for trio in pairs for c in trio if c],
             *[f"{side}_{m}_how" for m, side in ((lm, "left"), (rm, "right"), (TPS, "left"), (TPS, "right"))])


def _side(results: Results, sweep: tuple[str, str], metric: str, side: str) -> pl.DataFrame:
    """One side's series: knob, <side>_<metric>, <side>_throughput_tps and their _how columns."""
    frame = series(results, *sweep, (metric, TPS))
    return frame.rename({c: f"{side}_{c}" for c in frame.columns if c != "knob"})


def compare_budgets(results: Results, a: float, b: float) -> pl.DataFrame:
    """Every model and benchmark (then its average) with its score (`metric`: the benchmark's
    headline) and throughput at budget `a` or `b`, and how each value was obtained (`score_a_how`,
    `throughput_tps_b_how` ...). `named_by_metric` names the score columns for output.

    One pass over the frames (not one `series` per sweep), so a 100 x 20 sweep compares at once.
    The average is the reported one for a model that has reported aggregates, as in `series`,
    else the mean over its leaf benchmarks scored by the average's metric.
    """
    columns = ["model", "benchmark", "knob", "metric", "kind", "value", "how"]
    parts = _scored(results, results.sweep, a, b).select(columns)
    reported = _scored(results, results.aggregates, a, b).select(columns)
    averages = pl.DataFrame({"model": results.models,
                             "_avg_metric": [results.average_metric(m)[0] for m in results.models]},
                            schema={"model": pl.String, "_avg_metric": pl.String})
    groups = set(results.parents.values())
    derived = (
        parts.filter(~pl.col("benchmark").is_in(list(groups)))
        .join(averages, on="model").filter(pl.col("metric") == pl.col("_avg_metric"))
        .group_by("model", "knob", "metric", "kind").agg(pl.col("value").mean())
        .join(results.aggregates.select("model").unique(), on="model", how="anti")
        .with_columns(benchmark=pl.lit(AVG), how=pl.lit("derived")).select(columns)
    )
    every = pl.concat([parts, reported, derived], how="vertical_relaxed")

    def at(knob: float, suffix: str) -> pl.DataFrame:
        return (every.filter(pl.col("knob") == knob)
                .group_by("model", "benchmark")
                .agg(pl.col("metric").drop_nulls().first().alias(f"metric_{suffix}"),
                     *[pl.col(c).filter(pl.col("kind") == k).first().alias(f"{k}_{suffix}{tail}")
                       for k in SIDES for c, tail in (("value", ""), ("how", "_how"))]))

    joined = (at(a, "a").join(at(b, "b"), on=["model", "benchmark"], how="full", coalesce=True)
              .with_columns(metric=pl.coalesce("metric_a", "metric_b")))
    order = {m: i for i, m in enumerate(results.models)}
    return (
        joined.with_columns((pl.col(f"{k}_b") - pl.col(f"{k}_a")).round(6).alias(f"delta_{k}") for k in SIDES)
        .with_columns(_o=pl.col("model").replace_strict(order, default=len(order)), _avg=pl.col("benchmark") == AVG)
        .sort("_o", "_avg", "benchmark").drop("_o", "_avg")
        .select("model", "benchmark", "metric",
                *[c for k in SIDES for c in (f"{k}_a", f"{k}_b", f"delta_{k}")],
                *[f"{k}_{side}_how" for k in SIDES for side in "ab"])
    )


def _scored(results: Results, frame: pl.DataFrame, a: float, b: float) -> pl.DataFrame:
    """`frame`'s rows at budget a or b that are a benchmark's headline metric (kind "score", with
    the metric kept) or its throughput (kind throughput_tps)."""
    names = frame["benchmark"].unique().to_list()
    heads = pl.DataFrame({"benchmark": names, "_headline": [results.headline(n) for n in names]},
                         schema={"benchmark": pl.String, "_headline": pl.String})
    at = frame.filter(pl.col("knob").is_in([float(a), float(b)])).join(heads, on="benchmark", how="left")
    is_score = pl.col("metric") == pl.col("_headline")
    return (at.filter(is_score | (pl.col("metric") == TPS))
            .with_columns(kind=pl.when(is_score).then(pl.lit(SCORE)).otherwise(pl.lit(TPS)),
                          metric=pl.col("_headline")))


def named_by_metric(frame: pl.DataFrame) -> pl.DataFrame:
    """A budget comparison's score columns named by their metric (pass_at_1_a, delta_acc_norm ...)
    when every row shares one, without the `metric` column; else as they are, `metric` naming each."""
    metrics = set(frame["metric"].drop_nulls().unique().to_list()) if "metric" in frame.columns else set()
    if len(metrics) > 1:
        return frame
    metric = metrics.pop() if metrics else SCORE
    rename = {c: c.replace(SCORE, metric, 1) for c in frame.columns
              if c.startswith((SCORE, f"delta_{SCORE}"))}
    rename = {c: new if not c.startswith("delta") else f"delta_{metric}" for c, new in rename.items()}
    return frame.drop("metric").rename(rename)


def budgets_of(results: Results) -> list[float]:
    """Every knob value in the data, smallest first (a run without a knob has none to compare)."""
    knobs = pl.concat([results.sweep["knob"], results.aggregates["knob"]]).drop_nulls().unique()
    return sorted(knobs.to_list())
