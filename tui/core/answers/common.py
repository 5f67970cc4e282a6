"""What every answer shares: the knob, the metric each sweep is scored by, the rules' wording,
and `points`, one row per (model, benchmark, budget) that every answer starts from."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from tui.core.schema import AVG, PASS, TPS, Results, short_label

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


label = short_label  # the answers' name for it


def label_expr(metric: pl.Expr, missing: str = "score") -> pl.Expr:
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


CLOSEST_RULE = closest_rule()


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


def points(sweep: pl.DataFrame, benchmark: str | None = None,
           aggregates: pl.DataFrame | None = None, scores: Scores = PASS_AT_1) -> pl.DataFrame:
    """One row per (model, benchmark, knob) with score (the sweep's headline metric), its metric,
    throughput_tps (either value may be null), basis, and pass_how / tps_how (how each value was
    obtained: a computed average is "derived").

    benchmark None means every real benchmark; AVG means the per-model average (see module doc).
    basis says where the numbers come from: "benchmark", "reported average" or "mean of N benchmarks".
    """
    # One benchmark's rows are picked before grouping: a copy and a group-by of every row cost
    # more time and memory than the rest of the answer.
    wanted = pl.col("benchmark") != AVG if benchmark in (None, AVG) else pl.col("benchmark") == benchmark
    cells = (sweep.filter(wanted)
             .group_by("model", "benchmark", "knob", "metric")
             .agg(pl.col("value").mean(), how=_weakest_how()))
    if benchmark == AVG:
        long = _average(cells, aggregates, scores)
    else:
        long = cells
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
                          .otherwise(pl.format("{}: {}; TPS: {}", label_expr(pl.col("metric")),
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
