"""How a metric's numbers are read: which metrics are accuracy-like, their scale, and the headline.

Rules (the README's "How numbers are read" states them for users):

- Accuracy-like: a metric whose name has one of ACCURACY_TOKENS as a word (split on anything
  that is not a letter or digit: `acc_norm`, `exact_match (flexible-extract)`, `pass_at_1`,
  `multiple_choice_grade`) and none of NOT_ACCURACY_TOKENS (`brier_score`, `perplexity`).
- Scale: in one file, an accuracy-like metric whose values all lie in [0, 1] is a fraction and
  is shown x100 (as %), its stderr too, with the source's digits (0.547 becomes 54.7, not the
  float product 54.70000000000001).
- Headline: the metric a benchmark is shown and averaged by. `pass_at_1` where the benchmark
  has it; else its first accuracy-like-or-other non-speed metric in file order, except that
  `acc_norm` is taken over `acc` (same filter) when both exist. A metric where less is better
  (a perplexity, a loss) is never the headline: views rank by it as more-is-better. Benchmarks
  with only speed or such metrics (a vLLM run, wikitext's perplexities) have none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

# The canonical metrics every view knows by name (tui.core.schema re-exports them).
PASS = "pass_at_1"
TPS = "throughput_tps"

ACCURACY_TOKENS = frozenset({
    "acc", "accuracy", "exact", "match", "em", "qem", "pem", "pqem", "f1", "mc1", "mc2", "pass",
    "grade", "correct", "maj", "extractive", "score",
})
# Words that make a metric something else than a share of right answers, whatever else it says.
NOT_ACCURACY_TOKENS = frozenset({
    "brier", "loss", "perplexity", "ppl", "bits", "bpb", "ece", "error", "err", "entropy", "stderr",
})
# Cost or speed metrics: never a headline (the chart's bars show accuracy).
EFFICIENCY = (r"(throughput|tps|tokens_per|_per_s|latency|_ms$|_s$|ttft|tpot|itl|requests|mem|elapsed"
              r"|duration|time)")
# Metrics where less is better (a latency, a loss): kvscope's answers and "Best" rank the other way,
# so such a metric is never the one they rank by. A rate per second is never one of them.
LOWER_IS_BETTER = (r"(latency|ttft|tpot|itl|e2el|_ms$|(?<!per)_s$|duration|elapsed|time|loss|perplexity"
                   r"|ppl|error|brier|bpb|bits_per)")
FRACTION_NOTE = "×100 from a 0-1 fraction"


def _words(metric: str) -> set[str]:
    return set(re.split(r"[^a-z0-9]+", metric.lower()))


def is_accuracy_like(metric: str) -> bool:
    words = _words(metric)
    return bool(words & ACCURACY_TOKENS) and not words & NOT_ACCURACY_TOKENS


def is_lower_better(metric: str) -> bool:
    return re.search(LOWER_IS_BETTER, metric.lower()) is not None and not re.search(r"throughput|tps", metric.lower())


def is_efficiency(metric: str) -> bool:
    return re.search(EFFICIENCY, metric.lower()) is not None


def percent(value: str) -> pl.Expr:
    """`value` x100 with the source's digits: the decimal point of its shortest decimal form moves
    two places ("0.547" -> "54.7"), since a float product carries binary noise (54.70000000000001).
    Forms with an exponent (rare: below 1e-4 or so) are multiplied and rounded to 15 places."""
    text = pl.col(value).cast(pl.String)
    whole = text.str.split(".").list.first()
    fraction = text.str.split(".").list.get(1, null_on_oob=True).fill_null("").str.pad_end(2, "0")
    rest = fraction.str.slice(2)
    shifted = pl.concat_str([whole, fraction.str.slice(0, 2), pl.lit("."),
                             pl.when(rest == "").then(pl.lit("0")).otherwise(rest)])
    return (pl.when(text.str.contains("e", literal=True)).then((pl.col(value) * 100).round(15))
            .otherwise(shifted.cast(pl.Float64, strict=False)))


def _percent_of(column: pl.Series) -> pl.Series:
    """`percent` of every value of `column`, worked out once per distinct value (the text
    operations are the costly part, and a sweep repeats its values)."""
    distinct = column.unique().drop_nulls().to_frame("v").with_columns(p=percent("v"))
    return column.to_frame("v").join(distinct, on="v", how="left", maintain_order="left")["p"]


def to_percent(frame: pl.DataFrame, fractions: list[str] | None = None) -> pl.DataFrame:
    """One file's sweep frame with its accuracy-like fractions as % (see the module's Scale rule);
    `fractions`, when given, are the metrics the whole file has as fractions (this frame being
    part of it)."""
    if frame.height == 0:
        return frame
    if fractions is None:
        # Each metric's range in one group-by (a filter first would copy the rows it keeps).
        ranges = frame.group_by("metric").agg(low=pl.col("value").min(), high=pl.col("value").max())
        fractions = [metric for metric, low, high in ranges.iter_rows() if metric is not None
                     and is_accuracy_like(metric) and low is not None and 0 <= low and high <= 1]
    if not fractions:
        return frame
    hit = pl.col("metric").is_in(fractions)
    note = pl.col("note").fill_null("")
    return frame.with_columns(
        value=pl.when(hit).then(_percent_of(frame["value"])).otherwise(pl.col("value")),
        stderr=pl.when(hit).then(_percent_of(frame["stderr"])).otherwise(pl.col("stderr")),
        note=pl.when(~hit).then(pl.col("note"))
        .when(note == "").then(pl.lit(FRACTION_NOTE))
        .otherwise(pl.format("{}; {}", note, pl.lit(FRACTION_NOTE))).cast(frame.schema["note"]),
    )


def headline(metrics: Iterable[str]) -> str | None:
    """The headline metric among one benchmark's metrics, given in file order (see the module doc)."""
    ordered = list(dict.fromkeys(metrics))
    if PASS in ordered:
        return PASS
    candidates = [m for m in ordered if not is_efficiency(m) and not is_lower_better(m)]
    if not candidates:
        return None
    first = candidates[0]
    base, _, rest = first.partition(" ")
    if base == "acc":
        normed = f"acc_norm {rest}".strip()
        if normed in candidates:
            return normed
    return first
