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

from tui.core.answers.advise import Advice, Constraints, advise, advise_sweep
from tui.core.answers.check import check_aggregates
from tui.core.answers.common import (
    CLOSEST_RULE,
    KV_BUDGET,
    NONE_FITS,
    SCORE,
    Knob,
    Scores,
    closest_rule,
    knob_is_tokens,
    label,
    labels,
    pick_rule,
    points,
    series,
    signed,
)
from tui.core.answers.frontier import Dominance, dominance, dominance_lines, frontier
from tui.core.answers.insights import insights
from tui.core.answers.returns import Knee, Trend, knee, returns, throughput_trend

__all__ = [
    "dominance_lines",
    "CLOSEST_RULE",
    "KV_BUDGET",
    "Knob",
    "NONE_FITS",
    "SCORE",
    "Scores",
    "closest_rule",
    "knob_is_tokens",
    "label",
    "labels",
    "pick_rule",
    "points",
    "series",
    "signed",
    "Advice",
    "Constraints",
    "advise",
    "advise_sweep",
    "Dominance",
    "dominance",
    "frontier",
    "Knee",
    "Trend",
    "knee",
    "returns",
    "throughput_trend",
    "check_aggregates",
    "insights",
]
