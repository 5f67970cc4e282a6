"""Whether reported averages match the mean of their parts."""

from __future__ import annotations

import polars as pl

from tui.core.schema import AVG


def check_aggregates(sweep: pl.DataFrame, aggregates: pl.DataFrame, tolerance: float = 0.15) -> pl.DataFrame:
    """Every reported aggregate row against the mean of its parts.

    Parts of (model, knob, metric) are that model's non-average benchmarks at that knob and metric.
    difference = reported - parts_mean; exceeds when |difference| > tolerance (absolute, in the
    metric's own units). parts lists benchmark=value, "*" marking derived parts, "~" read ones. A
    derived part with the same source as the aggregate was computed from it, so the check is circular
    (circular=True).
    n_expected is how many benchmarks the model has for that metric anywhere. Aggregates without
    parts get status "no parts" and null numbers.
    """
    cells = (sweep.filter(pl.col("benchmark") != AVG)
             .group_by("model", "benchmark", "knob", "metric")
             .agg(pl.col("value").mean(), derived=(pl.col("how") == "derived").any(),
                  read=(pl.col("how") == "chart-reading").any(),
                  derived_source=pl.col("source").filter(pl.col("how") == "derived").first())
             .sort("model", "knob", "metric", "benchmark"))
    expected = cells.group_by("model", "metric").agg(n_expected=pl.col("benchmark").n_unique())
    label = pl.format("{}={}{}", "benchmark", pl.col("value").round(3).cast(pl.String).str.replace(r"\.0$", ""),
                      pl.when("derived").then(pl.lit("*")).when("read").then(pl.lit("~"))
                      .otherwise(pl.lit("")))
    parts = (cells.group_by("model", "knob", "metric", maintain_order=True)
             .agg(parts_mean=pl.col("value").mean(), n_parts=pl.len().cast(pl.UInt32),
                  parts=label.str.join(", "),
                  derived_parts=pl.col("benchmark").filter("derived").str.join(", "),
                  derived_sources=pl.col("derived_source").drop_nulls()))
    diff = pl.col("value") - pl.col("parts_mean")
    out = (aggregates.with_row_index("_row").join(parts, on=["model", "knob", "metric"], how="left")
           .join(expected, on=["model", "metric"], how="left")
           .with_columns(difference=diff, exceeds=diff.abs() > tolerance + 1e-9,
                         derived_parts=pl.when(pl.col("derived_parts") != "").then("derived_parts"),
                         circular=pl.col("derived_sources").list.contains(pl.col("source")).fill_null(False))
           .with_columns(status=pl.when(pl.col("parts_mean").is_null()).then(pl.lit("no parts"))
                         .when("exceeds").then(pl.lit("exceeds tolerance"))
                         .otherwise(pl.lit("within tolerance")),
                         note=pl.concat_str([
                             pl.when(pl.col("parts_mean").is_null())
                             .then(pl.lit("no per-benchmark rows for this model, budget and metric")),
                             pl.when(pl.col("n_parts") < pl.col("n_expected"))
                             .then(pl.format("only {} of {} benchmarks", "n_parts", "n_expected")),
                             pl.when("circular").then(pl.format(
                                 "circular: {} derived from this aggregate, so the check cannot disagree",
                                 "derived_parts"))
                             .when(pl.col("derived_parts").is_not_null())
                             .then(pl.format("includes derived part(s): {}", "derived_parts"))],
                             separator="; ", ignore_nulls=True))
           .sort("_row"))
    return out.select("model", "benchmark", "knob", "metric", reported="value", reported_how="how",
                      parts_mean="parts_mean", n_parts="n_parts", n_expected="n_expected",
                      difference="difference", exceeds="exceeds", status="status", parts="parts",
                      derived_parts="derived_parts", circular="circular",
                      note=pl.when(pl.col("note") != "").then("note"))
