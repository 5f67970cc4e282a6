"""Per-selection views of a Results object: pure functions returning small polars frames.

The CLI and the app both build what they show from these, so a number is computed once,
one way. Budgets are ascending in every frame; missing values stay null.
"""

from __future__ import annotations

import polars as pl

from tui.core.metrics import EFFICIENCY
from tui.core.schema import AVG, PARENT, PASS, TPS, Results


def accuracy_rank() -> pl.Expr:
    """0 for a metric that can be a headline (an accuracy or other score), null for a cost or speed
    metric (tui.core.metrics.EFFICIENCY): tells accuracy runs from throughput-only runs."""
    m = pl.col("metric").str.to_lowercase()
    return pl.when(m.str.contains(EFFICIENCY)).then(None).otherwise(0)


def chart_metrics(results: Results, model: str, benchmark: str) -> tuple[str | None, str | None]:
    """(the headline metric for the bars, throughput for the line) of one sweep; None if absent.

    The headline follows Results.headline (Results.average_metric for the average)."""
    bar = results.average_metric(model)[0] if benchmark == AVG else results.headline(benchmark)
    tidy = results.partitions.get((model, benchmark))
    if tidy is None and benchmark == AVG:
        tidy = average_parts(results, model)
    has_tps = tidy is not None and tidy.height > 0 and TPS in set(tidy["metric"].unique().to_list())
    return bar, (TPS if has_tps else None)


def average_parts(results: Results, model: str) -> pl.DataFrame | None:
    """The rows a computed average takes: the model's leaf benchmarks, by the average's metric
    (and throughput); None when the model has no computed average."""
    metric, _ = results.average_metric(model)
    leaves = [results.partitions[(model, b)] for b in results.leaves(model) if results.headline(b) == metric]
    if metric is None or not leaves:
        return None
    return pl.concat(leaves, how="diagonal_relaxed").filter(pl.col("metric").is_in([metric, TPS]))


def series(results: Results, model: str, benchmark: str, metrics: tuple[str, ...] = (PASS, TPS)) -> pl.DataFrame:
    """One sweep as a wide frame: knob, then per metric its value and how it was obtained.

    For benchmark AVG the reported aggregate is used where the data has one; otherwise the
    mean over the model's leaf benchmarks of one headline metric, marked "derived".
    """
    tidy = results.partitions.get((model, benchmark))
    if tidy is None and benchmark == AVG:
        parts = average_parts(results, model)
        tidy = mean_of_parts(parts) if parts is not None else None
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
    """Per model and benchmark (then the average): the best value of its headline metric, the
    budget that reaches it, the throughput range, and how each of those values was obtained
    (`*_how`, for the ~ and * marks). Subtasks follow their group (column `parent` when the data
    has groups). Ties for the best go to the cheaper budget."""
    derived = []
    for model in results.models:
        parts = None if results.partitions.get((model, AVG)) is not None else average_parts(results, model)
        if parts is not None:
            derived.append(mean_of_parts(parts).select(_TIDY))
    tidy = pl.concat([results.sweep.select(_TIDY), results.aggregates.select(_TIDY), *derived])
    key = ["model", "benchmark"]
    pairs = tidy.select(key).unique().rows()
    chosen = pl.DataFrame(
        [(m, b, results.average_metric(m)[0] if b == AVG else results.headline(b)) for m, b in pairs],
        schema={"model": pl.String, "benchmark": pl.String, "metric": pl.String}, orient="row")
    accuracy = tidy.join(chosen.drop_nulls("metric"), on=[*key, "metric"], how="semi")
    tps = tidy.filter(pl.col("metric") == TPS).select(*key, "knob", pl.col("value").alias("tps"),
                                                      pl.col("how").alias("tps_how"))
    best = (
        accuracy.sort([*key, "value", "knob"], descending=[False, False, True, False])
        .group_by(key, maintain_order=True).first()
        .join(tps, on=[*key, "knob"], how="left")
        .select(*key, pl.col("value").alias("best_value"), pl.col("knob").alias("best_budget"),
                pl.col("tps").alias("tps_at_best"), pl.col("how").alias("best_value_how"),
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
    out = ranges.join(chosen, on=key, how="left").join(best, on=key, how="left")
    columns = ["model", "benchmark", "metric", "best_value", "best_budget", "tps_at_best", "tps_min",
               "tps_max", pl.col("budgets").cast(pl.Int64), "best_value_how", "tps_at_best_how",
               "tps_min_how", "tps_max_how"]
    if results.parents:
        group = pl.col("benchmark").replace_strict(results.parents, default=None)
        out = out.with_columns(group.alias(PARENT))
        out = pl.concat([out, unscored_groups(results)], how="diagonal_relaxed")
        columns.append(PARENT)
    order = {b: i for i, b in enumerate(tree_order(results, out["benchmark"].unique().to_list()))}
    return (
        out.with_columns(_avg=pl.col("benchmark") == AVG,
                         _at=pl.col("benchmark").replace_strict(order, default=None, return_dtype=pl.Int64))
        .sort(["model", "_avg", "_at"])
        .select(columns)
    )


def leaf_rows(results: Results) -> pl.DataFrame:
    """The sweep without its group benchmarks (lm-eval's mmlu over its subtasks): the parts of an average."""
    groups = set(results.parents.values())
    return results.sweep.filter(~pl.col("benchmark").is_in(list(groups))) if groups else results.sweep


def unscored_groups(results: Results) -> pl.DataFrame:
    """(model, benchmark, parent) for each group a model's subtasks name that has no score of its
    own (lm-eval writes none for leaderboard_bbh): a row without values heads its subtasks."""
    rows = []
    for model in results.models:
        have, needed = set(results.benchmarks(model)), {}
        for benchmark in have:
            group = results.parents.get(benchmark)
            while group is not None and group not in have and group not in needed:
                needed[group] = results.parents.get(group)
                group = needed[group]
        rows += [(model, group, parent) for group, parent in needed.items()]
    columns = {"model": pl.String, "benchmark": pl.String, PARENT: pl.String}
    return pl.DataFrame(rows, schema=columns, orient="row")


def tree_order(results: Results, benchmarks: list[str]) -> list[str]:
    """Benchmarks sorted by name, each group's subtasks right after the group (depth first)."""
    def path(benchmark: str) -> tuple[str, ...]:
        chain = [benchmark]
        while chain[-1] in results.parents and len(chain) < 16:
            chain.append(results.parents[chain[-1]])
        return tuple(reversed(chain))

    return sorted(benchmarks, key=path)


def depth(results: Results, benchmark: str) -> int:
    """How many groups `benchmark` is nested in (0 for a top-level benchmark)."""
    found = 0
    while benchmark in results.parents and found < 16:
        benchmark, found = results.parents[benchmark], found + 1
    return found


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


def scaling_points(results: Results) -> pl.DataFrame:
    """The scaling study's points in parameter order, with Pass@1 per billion activated parameters.

    `score_per_b` is null where the parameter count is missing or not positive. Its provenance
    (`score_per_b_how`) is its inputs': a chart reading in either makes it a reading, else a
    derived input makes it derived.
    """
    frame = results.scaling.sort(["params_b", "score", "model"])
    hows = [pl.col("params_how"), pl.col("score_how")]
    either = lambda how: pl.any_horizontal(h == how for h in hows)  # noqa: E731
    return frame.with_columns(
        score_per_b=pl.when(pl.col("params_b") > 0).then(pl.col("score") / pl.col("params_b")),
        score_per_b_how=pl.when(either("chart-reading")).then(pl.lit("chart-reading"))
        .when(either("derived")).then(pl.lit("derived")).otherwise(pl.lit("table")),
    )
