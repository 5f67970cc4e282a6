"""The advisor: which budget to use per model and benchmark under throughput, budget and score
constraints, and the closest setting when none fits."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from tui.core.answers.common import (
    KV_BUDGET,
    NONE_FITS,
    PASS_AT_1,
    SCORE,
    Knob,
    Scores,
    closest_rule,
    label,
    label_expr,
    labels,
    pick_rule,
    points,
)
from tui.core.schema import AVG, HOW_MARKS, TPS
from tui.core.schema import format_knob as _knob


def advise(sweep: pl.DataFrame, *, model: str | None = None, benchmark: str | None = None,
           min_throughput: float | None = None, max_budget: float | None = None,
           min_score: float | None = None, aggregates: pl.DataFrame | None = None,
           scores: Scores = PASS_AT_1) -> pl.DataFrame:
    """The budget to use, per (model, benchmark), under optional constraints.

    Pick: the budget with the highest score (each sweep's headline metric, named in `metric`)
    among those meeting every constraint (throughput >= min_throughput, budget <= max_budget,
    score >= min_score; limits are inclusive, and a missing
    value never meets its constraint); ties go to the smaller budget. Budgets without a score are
    never picked. The fastest setting is the budget with the highest throughput (ties: smaller
    budget); tps_cost = fastest_tps - throughput_tps, tps_cost_pct = that as % of fastest_tps.

    When no budget meets the constraints, status is "no budget meets the constraints" and the row
    shows the closest setting: the budget with the smallest total relative violation, where each
    constraint contributes max(0, shortfall or excess) / |limit| (a limit of 0 divides by 1); ties go
    to the higher score, then the smaller budget (`closest_rule`, repeated in `note` with the constraints
    missed). `violation` is that total, 0 for a pick that fits. If no budget has the values the
    constraints need, the pick columns are null. status "no <metric> data": nothing to pick from.
    pass_how / tps_how say how the pick's values were obtained; `reading` names each constraint a pick
    meets only by a value read off a chart ("meets throughput >= 700 TPS only by a value read off a
    chart (700~)"), null otherwise.
    """
    pts = points(sweep, benchmark, aggregates, scores)
    if model is not None:
        pts = pts.filter(pl.col("model") == model)
    group = ["model", "benchmark"]
    name = labels(pts["metric"].unique().to_list())
    checks = [(text.format(limit), _violation(value, limit, below)) for limit, value, below, text in (
        (min_throughput, pl.col(TPS), True, "throughput >= {:g} TPS"),
        (max_budget, pl.col("knob"), False, scores.knob.limit()),
        (min_score, pl.col(SCORE), True, name + " >= {:g}")) if limit is not None]
    terms = [term for _, term in checks]
    violation = pl.lit(0.0)
    if terms:  # sum_horizontal skips nulls, but a missing value must leave the violation unknown
        violation = (pl.when(pl.any_horizontal([t.is_null() for t in terms])).then(None)
                     .otherwise(pl.sum_horizontal(terms)))
    missed = pl.concat_str([pl.when(term > 0).then(pl.lit(text)) for text, term in checks],
                           separator=", ", ignore_nulls=True) if checks else pl.lit("")

    best = (pts.filter(pl.col(SCORE).is_not_null()).with_columns(violation=violation, missed=missed)
            .sort([*group, "violation", SCORE, "knob"], descending=[False, False, False, True, False],
                  nulls_last=True)
            .group_by(group, maintain_order=True).first())
    fastest = (pts.filter(pl.col(TPS).is_not_null())
               .sort([*group, TPS, "knob"], descending=[False, False, True, False])
               .group_by(group, maintain_order=True).first()
               .select(*group, fastest_knob="knob", fastest_tps=TPS, fastest_how="tps_how"))
    unknown = pl.col("violation").is_null()
    metrics = pts.group_by(group).agg(pl.col("metric").first())
    out = (metrics.join(best.drop("metric"), on=group, how="left").join(fastest, on=group, how="left")
           .with_columns(status=pl.when(pl.col(SCORE).is_null())
                         .then(pl.format("no {} data", label_expr(pl.col("metric"), scores.missing)))
                         .when(pl.col("violation") == 0).then(pl.lit("ok"))
                         .otherwise(pl.lit(NONE_FITS)),
                         note=pl.when(pl.col(SCORE).is_null()).then(None)
                         .when(pl.col("violation") == 0).then(pl.lit(pick_rule(name, scores.knob)))
                         .when(unknown).then(pl.lit(f"no {scores.knob.setting} has the values needed to "
                                                    "check the constraints"))
                         .otherwise(pl.format("closest setting shown; {}; misses: {}",
                                              pl.lit(closest_rule(name, scores.knob)), "missed")))
           .with_columns(pl.when(unknown).then(None).otherwise(c).alias(c)
                         for c in ("knob", SCORE, TPS, "basis", "pass_how", "tps_how"))
           .with_columns(tps_cost=pl.col("fastest_tps") - pl.col(TPS),
                         constraints=pl.lit(", ".join(t for t, _ in checks) or "none"))
           .with_columns(tps_cost_pct=pl.col("tps_cost") / pl.col("fastest_tps") * 100))
    out = out.with_columns(reading=_met_by_reading(min_throughput, min_score, name))
    return out.select("model", "benchmark", "metric", "status", "knob", SCORE, TPS, "fastest_knob",
                      "fastest_tps", "tps_cost", "tps_cost_pct", "violation", "constraints", "basis", "note",
                      "pass_how", "tps_how", "fastest_how", "reading").sort(group)


def _met_by_reading(min_throughput: float | None, min_score: float | None, name: str) -> pl.Expr:
    """For a pick that fits: which constraints it meets only by a value read off a chart (an estimate)."""
    parts = [pl.when((pl.col("status") == "ok") & (pl.col(how) == "chart-reading"))
             .then(pl.format(f"meets {text.format(limit)} only by a value read off a chart ({{}}~)",
                             pl.col(value).round(decimals).cast(pl.String).str.replace(r"\.0$", "")))
             for limit, value, how, text, decimals in (
                 (min_throughput, TPS, "tps_how", "throughput >= {:g} TPS", 0),
                 (min_score, SCORE, "pass_how", name + " >= {:g}", 1)) if limit is not None]
    joined = pl.concat_str(parts, separator="; ", ignore_nulls=True) if parts else pl.lit("")
    return pl.when(joined != "").then(joined).otherwise(None)


def _violation(value: pl.Expr, limit: float, below: bool) -> pl.Expr:
    """Relative violation of one constraint: 0 when met, null when the value is missing."""
    gap = (limit - value) if below else (value - limit)
    return (gap / (abs(limit) or 1.0)).clip(lower_bound=0.0)


@dataclass(frozen=True)
class Constraints:
    """Limits for the advisor (None: no such constraint), as `kvscope advise` takes them."""

    min_throughput: float | None = None
    max_budget: float | None = None
    min_score: float | None = None  # of the sweep's headline metric (Pass@1 on the bundled data)

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.min_throughput, self.max_budget, self.min_score))

    def describe(self, name: str = "Pass@1", knob: Knob = KV_BUDGET) -> str:
        parts = [text.format(v) for v, text in ((self.min_throughput, "throughput >= {:g} TPS"),
                                                 (self.max_budget, knob.limit()),
                                                 (self.min_score, name + " >= {:g}")) if v is not None]
        return ", ".join(parts) or "none"


@dataclass(frozen=True)
class Advice:
    """The advisor's answer for one sweep under some constraints: the budget (None: nothing to pick),
    whether it fits, and the lines a view shows under the constraints (the pick, a reading it relies
    on, benchmarks that differ)."""

    knob: float | None
    fits: bool
    lines: list[str]


def advise_sweep(sweep: pl.DataFrame, model: str, benchmark: str, constraints: Constraints, *,
                 aggregates: pl.DataFrame | None = None, scores: Scores = PASS_AT_1) -> Advice:
    """`advise` for one model on one benchmark (or AVG). On AVG, also says which of the model's
    benchmarks (those scored by the average's metric) would be advised another budget on its own
    ("AIME24 alone would need 4500")."""
    limits = dict(min_throughput=constraints.min_throughput, max_budget=constraints.max_budget,
                  min_score=constraints.min_score, scores=scores)
    # Everything here is about one model (its average too): the other models' rows are not needed.
    sweep = sweep.filter(pl.col("model") == model)
    if aggregates is not None:
        aggregates = aggregates.filter(pl.col("model") == model)
    found = advise(sweep, model=model, benchmark=benchmark, aggregates=aggregates, **limits)
    if found.height == 0 or found["knob"][0] is None:
        name = label(found["metric"][0] if found.height else scores.of(benchmark))
        return Advice(None, False, [f"no {name} values to pick from"])
    row = found.row(0, named=True)
    fits = row["status"] == "ok"
    values = f"{label(row['metric'])} {with_mark(row[SCORE], row['pass_how'], 1)}"
    if row[TPS] is not None:
        values += f", {with_mark(row[TPS], row['tps_how'], 0)} TPS"
    if fits:
        lines = [f"advised {scores.knob.word} {_knob(row['knob'])} ({values})"]
    else:
        off = f"off by {row['violation'] * 100:.1f}%"
        lines = [f"no {scores.knob.setting} fits; closest {_knob(row['knob'])} ({values}, {off})"]
    if row["reading"]:
        lines.append(row["reading"])
    if benchmark == AVG:
        each = advise(sweep, model=model, aggregates=aggregates, **limits)
        parts = [b for b in each["benchmark"].to_list() if scores.is_part(b)]
        each = each.filter((pl.col("metric") == row["metric"]) & pl.col("benchmark").is_in(parts))
        for b, knob, status in each.select("benchmark", "knob", "status").iter_rows():
            if knob is not None and (knob != row["knob"] or (status == "ok") != fits):
                need = (f"would need {_knob(knob)}" if status == "ok"
                        else f"fits no {scores.knob.setting} (closest {_knob(knob)})")
                lines.append(f"{b} alone {need}")
    return Advice(row["knob"], fits, lines)


def with_mark(value: float | None, how: str | None, decimals: int) -> str:
    return "-" if value is None else f"{value:.{decimals}f}{HOW_MARKS.get(how or '', '')}"
