"""How a metric's numbers are read: which metrics are accuracy-like, their scale, and the headline.

Rules (the README's "How numbers are read" states them for users):

- Accuracy-like: a metric whose name has one of ACCURACY_TOKENS as a word (split on anything
  that is not a letter or digit: `acc_norm`, `exact_match (flexible-extract)`, `pass_at_1`,
  `multiple_choice_grade`) and none of NOT_ACCURACY_TOKENS (`brier_score`, `perplexity`).
- Scale: in one file, an accuracy-like metric whose values all lie in [0, 1] is a fraction and
  is shown x100 (as %), its stderr too, rounded to the source's decimals minus two so 0.547
  becomes 54.7 and not 54.70000000000001.
- Headline: the metric a benchmark is shown and averaged by. `pass_at_1` where the benchmark
  has it; else its first accuracy-like-or-other non-speed metric in file order, except that
  `acc_norm` is taken over `acc` (same filter) when both exist. Speed-only benchmarks (a vLLM
  run) have none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

from tui.core.schema import PASS

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
FRACTION_NOTE = "×100 from a 0-1 fraction"


def _words(metric: str) -> set[str]:
    return set(re.split(r"[^a-z0-9]+", metric.lower()))


def is_accuracy_like(metric: str) -> bool:
    words = _words(metric)
    return bool(words & ACCURACY_TOKENS) and not words & NOT_ACCURACY_TOKENS


def is_efficiency(metric: str) -> bool:
    return re.search(EFFICIENCY, metric.lower()) is not None


def _decimals(value: pl.Expr) -> pl.Expr:
    """Digits after the point in the value's shortest decimal form (1.5e-05 has 6)."""
    text = value.cast(pl.String).str.to_lowercase()
    mantissa = text.str.split("e").list.first()
    exponent = text.str.split("e").list.get(1, null_on_oob=True).cast(pl.Int32).fill_null(0)
    after_point = mantissa.str.split(".").list.get(1, null_on_oob=True).str.len_chars().fill_null(0)
    return (after_point.cast(pl.Int32) - exponent).clip(0, 17)


def percent(value: str) -> pl.Expr:
    """`value` x100, rounded to its own decimals minus two (a float product carries binary noise)."""
    digits = (_decimals(pl.col(value)) - 2).clip(0, 15)
    scaled = pl.col(value) * 100
    out = pl.when(digits == 0).then(scaled.round(0))
    for d in range(1, 16):
        out = out.when(digits == d).then(scaled.round(d))
    return out.otherwise(scaled)


def to_percent(frame: pl.DataFrame) -> pl.DataFrame:
    """One file's sweep frame with its accuracy-like fractions as % (see the module's Scale rule)."""
    if frame.height == 0:
        return frame
    metrics = [m for m in frame["metric"].unique().to_list() if m is not None and is_accuracy_like(m)]
    if not metrics:
        return frame
    ranges = (frame.filter(pl.col("metric").is_in(metrics)).group_by("metric")
              .agg(low=pl.col("value").min(), high=pl.col("value").max()))
    fractions = ranges.filter((pl.col("low") >= 0) & (pl.col("high") <= 1))["metric"].to_list()
    if not fractions:
        return frame
    hit = pl.col("metric").is_in(fractions)
    note = pl.col("note").fill_null("")
    return frame.with_columns(
        value=pl.when(hit).then(percent("value")).otherwise(pl.col("value")),
        stderr=pl.when(hit).then(percent("stderr")).otherwise(pl.col("stderr")),
        note=pl.when(~hit).then(pl.col("note"))
        .when(note == "").then(pl.lit(FRACTION_NOTE))
        .otherwise(pl.format("{}; {}", note, pl.lit(FRACTION_NOTE))).cast(frame.schema["note"]),
    )


def headline(metrics: Iterable[str]) -> str | None:
    """The headline metric among one benchmark's metrics, given in file order (see the module doc)."""
    ordered = list(dict.fromkeys(metrics))
    if PASS in ordered:
        return PASS
    candidates = [m for m in ordered if not is_efficiency(m)]
    if not candidates:
        return None
    first = candidates[0]
    base, _, rest = first.partition(" ")
    if base == "acc":
        normed = f"acc_norm {rest}".strip()
        if normed in candidates:
            return normed
    return first
