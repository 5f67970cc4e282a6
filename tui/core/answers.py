"""Answers, not just pictures: which budget to pick, who wins, where extra budget stops paying.

Pure functions on the tidy sweep frame (see `tui.core.schema`); polars only. Inputs hold accepted
readings only. Values are keyed by (model, benchmark, knob, metric); repeated keys (for example
rows that differ only in an extra dimension column) are averaged. Budgets are the `knob` column.

Each sweep is scored by one metric, its headline (`Scores`: Pass@1 on the bundled data, a file's
acc_norm or string_match elsewhere); the frames here hold it in column `score` and name it in
column `metric`. The score and throughput are both higher-is-better.

"avg" as a benchmark means the per-model average over benchmarks at each budget: the mean of the
model's benchmarks scored by the average's metric, computed only where every such benchmark is
present at that budget (an average of three benchmarks is not comparable with one of four). When
an `aggregates` frame is given, its reported value is preferred over the computed mean.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from tui.core.schema import AVG, HOW_MARKS, METRIC_SHORT, PASS, TPS, Results
from tui.core.schema import format_knob as _knob

KEY = ["model", "benchmark", "knob"]
SCORE = "score"  # the column holding each sweep's headline metric; `metric` names it
KNEE_MIN_GAIN_PER_1K = 2.0  # score points per 1,000 tokens of extra budget (= 1 point per 500)
PLATEAU_TOLERANCE = 1.0  # score points

# Name parts that make a knob a number of tokens (a budget, a context or sequence length); a ratio,
# fraction or rate is not one even when it names a budget (a kv_budget_ratio is a fraction).
TOKEN_KNOB_PARTS = ("budget", "token", "context", "ctx", "seqlen", "maxlen")
TOKEN_KNOB_WORDS = frozenset({"len", "length", "window"})
NOT_TOKEN_WORDS = frozenset({"ratio", "fraction", "frac", "percent", "pct", "rate", "share", "factor"})


def knob_is_tokens(name: str) -> bool:
    """Whether a knob named `name` counts tokens, so that gains per 1,000 tokens and the knee mean
    something: kv_budget, max_tokens, max_model_len, context_length are; compression_ratio,
    max_num_seqs are not. The name alone decides (the rule is documented in the README)."""
    lowered = name.lower()
    words = set(re.split(r"[^a-z0-9]+", lowered))
    if words & NOT_TOKEN_WORDS:
        return False
    return bool(words & TOKEN_KNOB_WORDS) or any(part in lowered for part in TOKEN_KNOB_PARTS)


@dataclass(frozen=True)
class Knob:
    """The swept knob: its column name and the label people see (`Results.knob_label`)."""

    name: str = "kv_budget"
    label: str = "KV budget"

    @property
    def is_tokens(self) -> bool:
        return knob_is_tokens(self.name)

    @property
    def word(self) -> str:
        """How sentences name one setting: "budget" for a token budget, else the knob's own label."""
        return "budget" if self.is_tokens else self.label

    @property
    def setting(self) -> str:
        """One setting as a noun: "budget", or "compression_ratio setting"."""
        return "budget" if self.is_tokens else f"{self.label} setting"

    def limit(self) -> str:
        """The template of a maximum ("budget <= {:g}"); braces in the label are kept as text."""
        return self.word.replace("{", "{{").replace("}", "}}") + " <= {:g}"

    def no_knee(self) -> str:
        return f"no knee: the knee rule is defined for a token budget; {self.label} is not one"


KV_BUDGET = Knob()
NONE_FITS = "no budget meets the constraints"  # the advisor's status (a value, the same for every knob)


def label(metric: str | None) -> str:
    """How a metric is named in headers and sentences: Pass@1 for pass_at_1, else its own name."""
    return "score" if metric is None else METRIC_SHORT.get(metric, metric)


def _label_expr(metric: pl.Expr, missing: str = "score") -> pl.Expr:
    """`label` as an expression: Pass@1 for pass_at_1, `missing` for none, else the metric."""
    return (pl.when(metric.is_null()).then(pl.lit(missing))
            .when(metric == PASS).then(pl.lit("Pass@1")).otherwise(metric))


def labels(metrics: object) -> str:
    """One label for the metrics of a frame: the metric's when they share one, else "score"."""
    found = {m for m in metrics if m is not None}
    return label(found.pop()) if len(found) == 1 else "score"


def closest_rule(name: str = "Pass@1", knob: Knob = KV_BUDGET) -> str:
    return (f"closest = the {knob.setting} with the smallest total relative violation (sum over the "
            f"constraints of shortfall or excess divided by the limit); ties: higher {name}, "
            f"then the smaller {knob.word}")


def pick_rule(name: str = "Pass@1", knob: Knob = KV_BUDGET) -> str:
    return (f"the {knob.setting} with the highest {name} that meets every constraint; "
            f"ties: the smaller {knob.word}")


CLOSEST_RULE, PICK_RULE = closest_rule(), pick_rule()


def signed(value: float, decimals: int) -> str:
    """+1.5 / −3.0: sentences use the same minus sign (U+2212) as the tables' deltas."""
    return f"{value:+.{decimals}f}".replace("-", "\u2212")


def knee_rule(min_gain_per_1k: float = KNEE_MIN_GAIN_PER_1K, name: str = "Pass@1") -> str:
    return (f"knee = the smallest budget b, below the largest, from which no larger budget gains more "
            f"than {min_gain_per_1k:g} {name} points per 1,000 tokens of extra budget (gain measured "
            f"from b); none such: no knee, {name} still pays at the largest budget")


@dataclass(frozen=True)
class Scores:
    """Which metric scores each sweep: `of(benchmark)` its headline, `average_of(model)` the metric
    of the model's average, `is_part(benchmark)` whether an average takes it (groups are not
    averaged with their subtasks), `knob` the axis swept. The default scores everything by pass_at_1
    along kv_budget."""

    of: Callable[[str], str | None] = field(default=lambda benchmark: PASS)
    average_of: Callable[[str], str | None] = field(default=lambda model: PASS)
    is_part: Callable[[str], bool] = field(default=lambda benchmark: True)
    missing: str = "score"  # what a benchmark without a score lacks ("no acc data" under --metric acc)
    knob: Knob = KV_BUDGET  # the axis the scores are swept along: rates and the knee depend on it

    @classmethod
    def of_results(cls, results: Results) -> Scores:
        """The headline rule of `results` (or its --metric)."""
        groups = set(results.parents.values())
        asked = label(results.metric) if results.metric else "score"
        return cls(results.headline, lambda model: results.average_metric(model)[0],
                   lambda benchmark: benchmark not in groups, asked, Knob(results.knob, results.knob_label))


PASS_AT_1 = Scores()


# ---------------------------------------------------------------- points: one row per budget


def points(sweep: pl.DataFrame, benchmark: str | None = None,
           aggregates: pl.DataFrame | None = None, scores: Scores = PASS_AT_1) -> pl.DataFrame:
    """One row per (model, benchmark, knob) with score (the sweep's headline metric), its metric,
    throughput_tps (either value may be null), basis, and pass_how / tps_how (how each value was
    obtained: a computed average is "derived").

    benchmark None means every real benchmark; AVG means the per-model average (see module doc).
    basis says where the numbers come from: "benchmark", "reported average" or "mean of N benchmarks".
    """
    cells = (sweep.filter(pl.col("benchmark") != AVG)
             .group_by("model", "benchmark", "knob", "metric")
             .agg(pl.col("value").mean(), how=_weakest_how()))
    if benchmark == AVG:
        long = _average(cells, aggregates, scores)
    else:
        long = cells if benchmark is None else cells.filter(pl.col("benchmark") == benchmark)
        heads = _headlines(long.select("benchmark").unique()["benchmark"].to_list(), scores.of)
        long = long.join(heads.rename({"key": "benchmark"}), on="benchmark", how="left")
        long = long.with_columns(basis=pl.lit("benchmark"))
    is_score = pl.col("metric") == pl.col("headline")
    pass_basis, tps_basis = pl.col("pass_basis"), pl.col("tps_basis")
    return (long.group_by(KEY)
            .agg(_metric(is_score).alias(SCORE), pl.col("headline").first().alias("metric"),
                 _metric(pl.col("metric") == TPS).alias(TPS),
                 _metric(is_score, "basis").alias("pass_basis"),
                 _metric(pl.col("metric") == TPS, "basis").alias("tps_basis"),
                 _metric(is_score, "how").alias("pass_how"),
                 _metric(pl.col("metric") == TPS, "how").alias("tps_how"))
            .with_columns(basis=pl.when(tps_basis.is_null() | (pass_basis == tps_basis)).then(pass_basis)
                          .when(pass_basis.is_null()).then(tps_basis)
                          .otherwise(pl.format("{}: {}; TPS: {}", _label_expr(pl.col("metric")),
                                               pass_basis, tps_basis)))
            .drop("pass_basis", "tps_basis").sort(KEY))


def _headlines(keys: list[str], rule: Callable[[str], str | None]) -> pl.DataFrame:
    """(key, headline) for each benchmark (or model) in `keys`, by `rule`."""
    return pl.DataFrame({"key": keys, "headline": [rule(k) for k in keys]},
                        schema={"key": pl.String, "headline": pl.String})


def _weakest_how() -> pl.Expr:
    """How a value averaged from several rows was obtained: read off a chart if any part was, else
    derived if any part was, else as its first part."""
    how = pl.col("how")
    return (pl.when((how == "chart-reading").any()).then(pl.lit("chart-reading"))
            .when((how == "derived").any()).then(pl.lit("derived")).otherwise(how.first()))


def _metric(which: pl.Expr, column: str = "value") -> pl.Expr:
    return pl.col(column).filter(which).first()


def _average(cells: pl.DataFrame, aggregates: pl.DataFrame | None, scores: Scores) -> pl.DataFrame:
    """Per model and knob, the average's score (by scores.average_of) and throughput: the reported
    average where there is one, else the mean over the benchmarks scored by that metric."""
    by_model = _headlines(cells.select("model").unique()["model"].to_list(), scores.average_of)
    by_model = by_model.rename({"key": "model"})
    benches = cells.select("benchmark").unique()["benchmark"].to_list()
    parts = [b for b in benches if scores.is_part(b)]
    of_part = _headlines(parts, scores.of).rename({"key": "benchmark", "headline": "part_metric"})
    cells = (cells.join(of_part, on="benchmark", how="inner").join(by_model, on="model", how="inner")
             .filter((pl.col("part_metric") == pl.col("headline"))
                     & ((pl.col("metric") == pl.col("headline")) | (pl.col("metric") == TPS))))
    expected = cells.group_by("model", "metric").agg(pl.col("benchmark").n_unique().alias("expected"))
    means = (cells.group_by("model", "knob", "metric").agg(pl.col("value").mean(), pl.len().alias("parts"))
             .join(expected, on=["model", "metric"]).filter(pl.col("parts") == pl.col("expected"))
             .select("model", "knob", "metric", "value",
                     basis=pl.format("mean of {} benchmark{}", "parts",
                                     pl.when(pl.col("parts") == 1).then(pl.lit("")).otherwise(pl.lit("s"))),
                     how=pl.lit("derived")))
    if aggregates is not None and aggregates.height:
        reported = (aggregates.filter(pl.col("benchmark") == AVG).join(by_model, on="model", how="inner")
                    .filter((pl.col("metric") == pl.col("headline")) | (pl.col("metric") == TPS))
                    .group_by("model", "knob", "metric")
                    .agg(pl.col("value").mean().alias("reported"), _weakest_how().alias("reported_how")))
        means = (means.join(reported, on=["model", "knob", "metric"], how="full", coalesce=True)
                 .select("model", "knob", "metric",
                         value=pl.coalesce("reported", "value"),
                         basis=pl.when(pl.col("reported").is_not_null())
                         .then(pl.lit("reported average")).otherwise("basis"),
                         how=pl.when(pl.col("reported").is_not_null()).then("reported_how").otherwise("how")))
    return means.join(by_model, on="model", how="left").with_columns(benchmark=pl.lit(AVG))


def series(sweep: pl.DataFrame, model: str, benchmark: str,
           aggregates: pl.DataFrame | None = None, scores: Scores = PASS_AT_1) -> pl.DataFrame:
    """The points of one model on one benchmark (or AVG), sorted by budget."""
    return points(sweep, benchmark, aggregates, scores).filter(pl.col("model") == model)


# ---------------------------------------------------------------- 1. advisor


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
                         .then(pl.format("no {} data", _label_expr(pl.col("metric"), scores.missing)))
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
    values = f"{label(row['metric'])} {_valued(row[SCORE], row['pass_how'], 1)}"
    if row[TPS] is not None:
        values += f", {_valued(row[TPS], row['tps_how'], 0)} TPS"
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


def _valued(value: float | None, how: str | None, decimals: int) -> str:
    return "-" if value is None else f"{value:.{decimals}f}{HOW_MARKS.get(how or '', '')}"


# ---------------------------------------------------------------- 2. frontier and dominance


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
        summary = _dominates(model_a, model_b, benchmark, shared, name, knob)
    else:
        worse = [f"{text} at {', '.join(_knob(k) for k in detail.filter(pl.col(col) < 0)['knob'])}"
                 for col, text in (("d_pass", f"lower {name}"), ("d_tps", "lower throughput"))
                 if (detail[col] < 0).any()]
        why = "; ".join(worse) or "never strictly better"
        summary = f"{model_a} does not dominate {model_b} on {benchmark}: {why}"
    metric = pts.filter(pl.col("model") == model_a)["metric"].drop_nulls().first() if pts.height else None
    return Dominance(model_a, model_b, benchmark, holds, shared, detail, summary, metric)


def _dominates(model_a: str, model_b: str, benchmark: str, shared: int, name: str = "Pass@1",
               knob: Knob = KV_BUDGET) -> str:
    return (f"{model_a} dominates {model_b} on {benchmark}: at least as good on {name} and "
            f"throughput at all {shared} shared {knob.setting}s")


def _dominating_pairs(pts: pl.DataFrame, model: str | None = None) -> pl.DataFrame:
    """Every (model, model_b) where model dominates model_b (as in `Dominance`), in one join;
    with `model`, only the pairs it is in (a join of its points, not of every model's: with a
    hundred models that is 50x fewer rows and tens of MB less memory)."""
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


# ---------------------------------------------------------------- 3. returns, knee, trend


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
    return _knee(series(sweep, model, benchmark, aggregates, scores), model, benchmark, min_gain_per_1k,
                 scores.knob)


def _knee(pts: pl.DataFrame, model: str, benchmark: str, min_gain_per_1k: float,
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
    return _trend(series(sweep, model, benchmark, aggregates, scores), model, benchmark, scores.knob)


def _trend(pts: pl.DataFrame, model: str, benchmark: str, knob: Knob = KV_BUDGET) -> Trend:
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


# ---------------------------------------------------------------- 4. consistency


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


# ---------------------------------------------------------------- 5. insights


def insights(sweep: pl.DataFrame, aggregates: pl.DataFrame | None = None, model: str | None = None, *,
             benchmark: str | None = None,
             plateau_tolerance: float = PLATEAU_TOLERANCE,
             min_gain_per_1k: float = KNEE_MIN_GAIN_PER_1K, scores: Scores = PASS_AT_1) -> list[str]:
    """Short sentences generated from the data, ordered by model, then benchmark (avg last).

    Every sentence about one series starts "{model} {benchmark}:"; for avg the first one says whether
    the numbers are the reported average or the mean of the benchmarks. Per model and benchmark:
    the peak (ties: smaller budget) and plateau (the smallest budget b,
    before the last, from which every score stays within plateau_tolerance points of each other),
    whether the score is monotone (each sentence names the series' metric: Pass@1, acc_norm ...),
    the throughput slope and R^2, the knee and the advisor's
    unconstrained pick. Then, per benchmark, every pair of models where one dominates the other.
    `benchmark` limits all of it to one benchmark (or AVG): what the explorer shows for a sweep.
    """
    real = sorted(b for b in sweep.filter(pl.col("benchmark") != AVG)["benchmark"].unique().to_list())
    by_bench = {b: points(sweep, b, aggregates, scores) for b in ([benchmark] if benchmark else [*real, AVG])}
    models = sorted({m for pts in by_bench.values() for m in pts["model"].to_list()})
    picks = pl.concat([advise(sweep, benchmark=b, aggregates=aggregates, model=model, scores=scores)
                       for b in by_bench])
    lines: list[str] = []
    for m in models:
        if model is not None and m != model:
            continue
        for b, pts in by_bench.items():
            s = pts.filter(pl.col("model") == m)
            if s.height:
                pick = picks.filter((pl.col("model") == m) & (pl.col("benchmark") == b))
                lines += _series_insights(s, pick, plateau_tolerance, min_gain_per_1k, scores.knob)
    for b, pts in by_bench.items():
        pairs = _dominating_pairs(pts, model).select("model", "model_b", "shared", "metric")
        for a, other, shared, metric in pairs.iter_rows():
            if model is None or model in (a, other):
                lines.append(_dominates(a, other, b, shared, label(metric), scores.knob) + ".")
    return lines


def _series_insights(s: pl.DataFrame, pick: pl.DataFrame, tolerance: float, min_gain: float,
                     knob: Knob = KV_BUDGET) -> list[str]:
    model, bench, name = s["model"][0], s["benchmark"][0], label(s["metric"].drop_nulls().first())
    head = f"{model} {bench}:"
    out: list[str] = []
    if bench == AVG:
        out.append(f"{head} the average is the {' / '.join(sorted(set(s['basis'].drop_nulls())))}.")
    p = s.drop_nulls(SCORE).select("knob", SCORE, "pass_how")
    if p.height:
        top = p.sort([SCORE, "knob"], descending=[True, False]).row(0, named=True)
        peak = _valued(top[SCORE], top["pass_how"], 1)
        line = (f"{head} {name} peaks at {peak} at {knob.word} {_knob(top['knob'])}"
                if top["knob"] is not None else f"{head} {name} is {peak} (one setting, no {knob.word})")
        tail = p.with_columns(lo=pl.col(SCORE).reverse().cum_min().reverse(),
                              hi=pl.col(SCORE).reverse().cum_max().reverse()).head(p.height - 1)
        flat = tail.filter(pl.col("hi") - pl.col("lo") <= tolerance + 1e-9)
        if flat.height:
            start = flat.row(0, named=True)
            unit = "point" if tolerance == 1 else "points"
            line += (f"; from {_knob(start['knob'])} on it stays within {tolerance:g} {unit} "
                     f"({start['lo']:.1f}–{start['hi']:.1f})")
        out.append(line + ".")
    out += _shape(head, name, p, knob)
    out += _trend_sentences(head, _trend(s, model, bench, knob))
    k = _knee(s, model, bench, min_gain, knob)
    if p.height > 1:
        out.append(f"{head} {k.sentence}.")
    if pick.height and pick["status"][0] == "ok" and pick["knob"][0] is not None:
        out.append(_pick_sentence(head, name, pick.row(0, named=True), knob))
    return out


def _shape(head: str, name: str, p: pl.DataFrame, knob: Knob) -> list[str]:
    """Whether the score is flat, monotone or not along the knob."""
    if p.height < 2:
        return []
    grows = "the budget grows" if knob.is_tokens else f"{knob.label} grows"
    across = "budgets" if knob.is_tokens else f"{knob.label} settings"
    d = p.with_columns(d=pl.col(SCORE).diff(), prev=pl.col("knob").shift()).drop_nulls("d")
    falls, rises = d.filter(pl.col("d") < 0), d.filter(pl.col("d") > 0)
    if falls.height == 0 and rises.height == 0:
        return [f"{head} {name} is flat across {across}."]
    if falls.height == 0:
        return [f"{head} {name} is monotone: it never falls as {grows}."]
    if rises.height == 0:
        return [f"{head} {name} is monotone: it never rises as {grows}."]
    worst = falls.sort(["d", "knob"]).row(0, named=True)
    drop = f"largest drop {signed(worst['d'], 1)} from {_knob(worst['prev'])} to {_knob(worst['knob'])}"
    return [f"{head} {name} is not monotone: it falls at {falls.height} of {d.height} steps ({drop})."]


def _trend_sentences(head: str, trend: Trend) -> list[str]:
    """The throughput trend: per 1,000 tokens of budget, or across the settings of another knob."""
    r2 = "R² undefined" if trend.r2 is None else f"R² {trend.r2:.2f}"
    if trend.knob is not None:
        if trend.change is None:
            return []
        if trend.change == 0 and trend.r2 is None:
            return [f"{head} throughput is flat across {trend.knob} settings ({trend.n} settings)."]
        span = f"from {trend.knob} {_knob(trend.low)} to {_knob(trend.high)}"
        fit = f"least-squares fit, {r2}, {trend.n} settings"
        return [f"{head} throughput changes by {signed(trend.change, 0)} TPS {span} ({fit})."]
    if trend.slope_per_1k == 0 and trend.r2 is None:
        return [f"{head} throughput is flat across budgets ({trend.n} budgets)."]
    if trend.slope_per_1k is not None:
        slope = f"{signed(trend.slope_per_1k, 0)} TPS per 1,000 tokens of budget"
        return [f"{head} throughput changes by {slope} ({r2}, {trend.n} budgets)."]
    return []


def _pick_sentence(head: str, name: str, r: dict, knob: Knob) -> str:
    """The advisor's unconstrained pick, with its throughput cost against the fastest setting."""
    tps, pass1 = _valued(r[TPS], r["tps_how"], 0), _valued(r[SCORE], r["pass_how"], 1)
    line = f"{head} unconstrained pick is {knob.word} {_knob(r['knob'])} ({name} {pass1}"
    if r[TPS] is None:
        line += ", throughput unknown)"
    elif r["knob"] == r["fastest_knob"]:
        line += f", {tps} TPS, also the fastest setting)"
    else:
        line += (f", {tps} TPS, {r['tps_cost']:.0f} TPS ({r['tps_cost_pct']:.1f}%) below the "
                 f"fastest setting at {_knob(r['fastest_knob'])})")
    return line + "."

