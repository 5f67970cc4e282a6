"""Where extra budget stops paying: per-step changes, the knee, and the throughput trend."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from tui.core.answers.common import (
    KNEE_MIN_GAIN_PER_1K,
    KV_BUDGET,
    PASS_AT_1,
    SCORE,
    Knob,
    Scores,
    knee_rule,
    label,
    series,
    signed,
)
from tui.core.schema import PASS, TPS
from tui.core.schema import format_knob as _knob


def returns(sweep: pl.DataFrame, model: str, benchmark: str, *,
            aggregates: pl.DataFrame | None = None, scores: Scores = PASS_AT_1) -> pl.DataFrame:
    """Per budget step: step size, change in the score (`metric`) and throughput, and, for a knob
    that is a token budget (`scores.knob`), both per 1,000 tokens (d_pass_per_1k, d_tps_per_1k).

    Deltas are between consecutive budgets; a delta is null when either side lacks the value. A knob
    that is not a token budget gets no rate columns: a change per unit of a ratio or a batch size
    is not a return on extra memory.
    """
    step = pl.col("knob").diff()
    pts = series(sweep, model, benchmark, aggregates, scores)
    # A setting without a knob value (a file that records none) has no place on the axis: no step.
    steps = pts.select("model", "benchmark", "metric", "knob", SCORE, TPS, step=step,
                       d_pass=pl.when(step.is_not_null()).then(pl.col(SCORE).diff()),
                       d_tps=pl.when(step.is_not_null()).then(pl.col(TPS).diff()))
    if scores.knob.is_tokens:
        steps = steps.with_columns(d_pass_per_1k=pl.col("d_pass") / pl.col("step") * 1000,
                                   d_tps_per_1k=pl.col("d_tps") / pl.col("step") * 1000)
    return steps.with_columns(pts.select("pass_how", "tps_how"))


@dataclass(frozen=True)
class Knee:
    """The knee of one series' score (knob None: no knee), the rule applied, a short note and the
    one sentence that `returns`, `insights` and the explorer all print; `metric` names the score."""

    model: str
    benchmark: str
    knob: float | None
    score: float | None
    min_gain_per_1k: float | None  # None with rule None
    rule: str | None  # None (and note None): the knob is not a token budget, the rule does not apply
    note: str | None
    sentence: str
    metric: str | None = PASS


def knee(sweep: pl.DataFrame, model: str, benchmark: str, *,
         min_gain_per_1k: float = KNEE_MIN_GAIN_PER_1K, aggregates: pl.DataFrame | None = None,
         scores: Scores = PASS_AT_1) -> Knee:
    """The budget after which extra budget stops paying; the rule is `knee_rule(min_gain_per_1k)`.

    Budgets without a score are skipped (gains bridge the gap). The largest budget is never a knee:
    nothing is measured after it, so a series still gaining there has no knee. A knob that is not a
    token budget has no knee: the sentence says so, and rule and note are None.
    """
    return knee_of_points(series(sweep, model, benchmark, aggregates, scores), model, benchmark, min_gain_per_1k,
                 scores.knob)


def knee_of_points(pts: pl.DataFrame, model: str, benchmark: str, min_gain_per_1k: float,
          knob: Knob = KV_BUDGET) -> Knee:
    metric = pts["metric"].drop_nulls().first() if pts.height else None
    if not knob.is_tokens:
        return Knee(model, benchmark, None, None, None, None, None, knob.no_knee(), metric)
    name = label(metric)
    rule = knee_rule(min_gain_per_1k, name)
    s = pts.drop_nulls(SCORE).select("knob", SCORE)
    if s.height < 2:
        note = f"no {name} values" if s.height == 0 else "only one budget measured"
        return Knee(model, benchmark, None, None, min_gain_per_1k, rule, note, f"no knee: {note}", metric)
    later = (s.join(s, how="cross", suffix="_l").filter(pl.col("knob_l") > pl.col("knob"))
             .group_by("knob").agg(best_gain=((pl.col(SCORE + "_l") - pl.col(SCORE))
                                              / (pl.col("knob_l") - pl.col("knob")) * 1000).max()))
    found = (s.join(later, on="knob", how="inner")
             .filter(pl.col("best_gain") <= min_gain_per_1k + 1e-9).sort("knob"))
    gain = f"{min_gain_per_1k:g} points per 1,000 tokens"
    if found.height == 0:
        largest = _knob(s["knob"].max())
        note = (f"still paying at the largest budget: from every smaller budget some larger budget "
                f"gains more than {gain}")
        sentence = f"no knee: {name} still pays off up to the largest budget ({largest})"
        return Knee(model, benchmark, None, None, min_gain_per_1k, rule, note, sentence, metric)
    row = found.row(0, named=True)
    note = f"from {_knob(row['knob'])}, the best later gain is {signed(row['best_gain'], 1)} points per 1,000 tokens"
    sentence = f"extra budget stops paying after {_knob(row['knob'])} (no larger budget gains more than {gain})"
    return Knee(model, benchmark, row["knob"], row[SCORE], min_gain_per_1k, rule, note, sentence, metric)


@dataclass(frozen=True)
class Trend:
    """Least-squares throughput trend of one series; `note` says why slope or R^2 may be None.

    Along a knob that is not a token budget (`knob` then names it) there is no slope per 1,000 tokens:
    `change` is the fitted change in throughput from the smallest setting `low` to the largest `high`.
    """

    model: str
    benchmark: str
    slope_per_1k: float | None  # TPS per 1,000 tokens of budget
    r2: float | None
    n: int
    note: str
    knob: str | None = None
    low: float | None = None
    high: float | None = None
    change: float | None = None


def throughput_trend(sweep: pl.DataFrame, model: str, benchmark: str, *,
                     aggregates: pl.DataFrame | None = None, scores: Scores = PASS_AT_1) -> Trend:
    """Least-squares slope of throughput against budget, in TPS per 1,000 tokens, with R^2.

    Fewer than two budgets with throughput: slope and R^2 are None. A flat series: slope 0 and
    R^2 None (undefined: there is no variance to explain). A knob that is not a token budget: see
    `Trend` (slope None, the fitted change across the settings instead).
    """
    return trend_of_points(series(sweep, model, benchmark, aggregates, scores), model, benchmark, scores.knob)


def trend_of_points(pts: pl.DataFrame, model: str, benchmark: str, knob: Knob = KV_BUDGET) -> Trend:
    s = pts.drop_nulls([TPS, "knob"])
    word = "budgets" if knob.is_tokens else f"{knob.label} settings"
    if s.height < 2:
        return _along(Trend(model, benchmark, None, None, s.height,
                            f"needs at least two {word} with throughput"), knob, s, None)
    if s[TPS].max() == s[TPS].min():
        flat = "every budget" if knob.is_tokens else f"every {knob.label}"
        return _along(Trend(model, benchmark, 0.0, None, s.height, f"flat: the same throughput at {flat}"),
                      knob, s, 0.0)
    cov, var, corr = s.select(pl.cov("knob", TPS).alias("c"), pl.col("knob").var().alias("v"),
                              pl.corr("knob", TPS).alias("r")).row(0)
    return _along(Trend(model, benchmark, cov / var * 1000, corr * corr, s.height, "least squares"),
                  knob, s, cov / var)


def _along(trend: Trend, knob: Knob, s: pl.DataFrame, slope: float | None) -> Trend:
    """The trend as it is, for a token budget; else without the per-1,000-token slope, with the
    fitted change from the smallest to the largest setting."""
    if knob.is_tokens:
        return trend
    low, high = (s["knob"].min(), s["knob"].max()) if s.height else (None, None)
    change = None if slope is None or low is None else slope * (high - low)
    return Trend(trend.model, trend.benchmark, None, trend.r2, trend.n, trend.note, knob.label, low, high,
                 change)
