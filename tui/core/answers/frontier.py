"""The Pareto frontier of score against throughput, and whether one model dominates another."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from tui.core.answers.common import KV_BUDGET, PASS_AT_1, SCORE, Knob, Scores, labels, points
from tui.core.schema import PASS, TPS
from tui.core.schema import format_knob as _knob


def frontier(sweep: pl.DataFrame, benchmark: str, *, aggregates: pl.DataFrame | None = None,
             scores: Scores = PASS_AT_1) -> pl.DataFrame:
    """Pareto frontier of score vs throughput over every (model, budget) point of a benchmark (or AVG).

    Points missing either value are left out; points scored by different metrics (averages of
    models whose benchmarks differ) are never compared: each metric has its own frontier. P
    dominates Q when P is at least as good on both and strictly better on one. A dominated point
    names the dominator with the largest margin = score gain / score range + throughput gain /
    throughput range (ranges over the points of its metric; a zero range counts as 1); ties: higher
    score, higher throughput, model name, smaller budget.
    """
    pts = (points(sweep, benchmark, aggregates, scores).drop_nulls([SCORE, TPS])
           .select("model", "benchmark", "metric", "knob", SCORE, TPS, "pass_how", "tps_how"))
    spread = [((pl.col(m).max() - pl.col(m).min()).over("metric")).alias(f"_{m}_range") for m in (SCORE, TPS)]
    p, t, pb, tb = pl.col(SCORE), pl.col(TPS), pl.col(SCORE + "_by"), pl.col(TPS + "_by")
    ranges = [pl.when(pl.col(f"_{m}_range") == 0).then(1.0).otherwise(pl.col(f"_{m}_range"))
              for m in (SCORE, TPS)]
    best = (pts.with_columns(spread)
            .join(pts.drop("benchmark", "pass_how", "tps_how"), on="metric", suffix="_by")
            .filter((pb >= p) & (tb >= t) & ((pb > p) | (tb > t)))
            .with_columns(margin=(pb - p) / ranges[0] + (tb - t) / ranges[1])
            .sort(["model", "knob", "margin", SCORE + "_by", TPS + "_by", "model_by", "knob_by"],
                  descending=[False, False, True, True, True, False, False])
            .group_by("model", "knob", maintain_order=True).first()
            .select("model", "knob", dominated_by_model="model_by", dominated_by_knob="knob_by",
                    pass_gap=pb - p, tps_gap=tb - t, margin="margin"))
    return (pts.join(best, on=["model", "knob"], how="left")
            .with_columns(on_frontier=pl.col("dominated_by_model").is_null())
            .select("model", "benchmark", "metric", "knob", SCORE, TPS, "on_frontier", "dominated_by_model",
                    "dominated_by_knob", "pass_gap", "tps_gap", "margin", "pass_how", "tps_how")
            .sort("model", "knob"))


@dataclass(frozen=True)
class Dominance:
    """Whether model_a dominates model_b on a benchmark: at least as good on its score (by the same
    metric) and throughput at every shared budget (both models have both values there) and strictly
    better somewhere."""

    model_a: str
    model_b: str
    benchmark: str
    holds: bool
    shared: int
    detail: pl.DataFrame  # knob, pass/tps of a and b, d_pass, d_tps (a - b), at_least_as_good, strictly_better
    summary: str
    metric: str | None = PASS  # the score's metric


def dominance(sweep: pl.DataFrame, benchmark: str, model_a: str, model_b: str, *,
              aggregates: pl.DataFrame | None = None, scores: Scores = PASS_AT_1) -> Dominance:
    """See `Dominance`. No shared budgets means no dominance."""
    return _dominance(points(sweep, benchmark, aggregates, scores), benchmark, model_a, model_b, scores.knob)


def dominance_lines(sweep: pl.DataFrame, benchmark: str, models: list[str], *,
                    aggregates: pl.DataFrame | None = None, scores: Scores = PASS_AT_1,
                    limit: int = 6) -> list[str]:
    """For pairs of `models` in order, the direction of dominance that holds, or why neither
    dominates (both sentences); the first `limit` lines. The points are computed once."""
    pts = points(sweep, benchmark, aggregates, scores)
    lines: list[str] = []
    for i, a in enumerate(models):
        for b in models[i + 1:]:
            if len(lines) >= limit:
                return lines[:limit]
            ab = _dominance(pts, benchmark, a, b, scores.knob)
            ba = _dominance(pts, benchmark, b, a, scores.knob)
            lines.append(ab.summary if ab.holds or not ba.holds else ba.summary)
            if not ab.holds and not ba.holds:
                lines.append(ba.summary)
    return lines[:limit]


def _dominance(pts: pl.DataFrame, benchmark: str, model_a: str, model_b: str,
               knob: Knob = KV_BUDGET) -> Dominance:
    def side(model: str, tag: str) -> pl.DataFrame:
        return (pts.filter(pl.col("model") == model).drop_nulls([SCORE, TPS])
                .select("knob", "metric", **{f"pass_{tag}": SCORE, f"tps_{tag}": TPS}))

    detail = (side(model_a, "a").join(side(model_b, "b"), on=["knob", "metric"]).drop("metric")
              .with_columns(d_pass=pl.col("pass_a") - pl.col("pass_b"), d_tps=pl.col("tps_a") - pl.col("tps_b"))
              .with_columns(at_least_as_good=(pl.col("d_pass") >= 0) & (pl.col("d_tps") >= 0),
                            strictly_better=(pl.col("d_pass") > 0) | (pl.col("d_tps") > 0))
              .sort("knob"))
    shared = detail.height
    holds = bool(shared and detail["at_least_as_good"].all() and detail["strictly_better"].any())
    name = labels(pts.filter(pl.col("model").is_in([model_a, model_b]))["metric"].unique().to_list())
    if not shared:
        summary = f"{model_a} and {model_b} share no {knob.setting} with both metrics on {benchmark}"
    elif holds:
        summary = dominance_sentence(model_a, model_b, benchmark, shared, name, knob)
    else:
        worse = [f"{text} at {', '.join(_knob(k) for k in detail.filter(pl.col(col) < 0)['knob'])}"
                 for col, text in (("d_pass", f"lower {name}"), ("d_tps", "lower throughput"))
                 if (detail[col] < 0).any()]
        why = "; ".join(worse) or "never strictly better"
        summary = f"{model_a} does not dominate {model_b} on {benchmark}: {why}"
    metric = pts.filter(pl.col("model") == model_a)["metric"].drop_nulls().first() if pts.height else None
    return Dominance(model_a, model_b, benchmark, holds, shared, detail, summary, metric)


def dominance_sentence(model_a: str, model_b: str, benchmark: str, shared: int, name: str = "Pass@1",
               knob: Knob = KV_BUDGET) -> str:
    return (f"{model_a} dominates {model_b} on {benchmark}: at least as good on {name} and "
            f"throughput at all {shared} shared {knob.setting}s")


def dominating_pairs(pts: pl.DataFrame, model: str | None = None) -> pl.DataFrame:
    """Every (model, model_b) where model dominates model_b (as in `Dominance`), in one join;
    with `model`, only the pairs it is in: a join of its points, not of every model's."""
    both = pts.drop_nulls([SCORE, TPS]).select("model", "knob", "metric", SCORE, TPS)
    d_pass, d_tps = pl.col(SCORE) - pl.col(SCORE + "_b"), pl.col(TPS) - pl.col(TPS + "_b")
    if model is None:
        pairs = both.join(both, on=["knob", "metric"], suffix="_b")
    else:
        one = both.filter(pl.col("model") == model)
        on = ["knob", "metric"]
        pairs = pl.concat([one.join(both, on=on, suffix="_b"), both.join(one, on=on, suffix="_b")])
    return (pairs.filter(pl.col("model") != pl.col("model_b"))
            .group_by("model", "model_b")
            .agg(pl.col("metric").first(), shared=pl.len(), ok=((d_pass >= 0) & (d_tps >= 0)).all(),
                 strict=((d_pass > 0) | (d_tps > 0)).any())
            .filter(pl.col("ok") & pl.col("strict")).sort("model", "model_b"))
