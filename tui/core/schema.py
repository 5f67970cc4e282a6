"""Canonical names, aliases and the shape of the frames every other module shares.

The sweep frame ("tidy") has one row per (model, benchmark, knob value, metric, dimensions):

    model: str, benchmark: str, knob: f64, metric: str, value: f64,
    n: u32 (repeats averaged into value), stderr: f64 | null,
    how: str (chart-label | chart-reading | table | derived | measured),
    reading: str (accepted | rejected), source: str, note: str,
    plus optional dimension columns (str) listed in Results.dims.

Reported aggregates (a paper's "average" panel) live in a frame of the same shape whose
benchmark is always AVG. The scaling frame has one row per model of the scaling study.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl

from tui.core.errors import InputError
from tui.core.metrics import PASS, TPS, headline, is_lower_better

AVG = "avg"
# Optional sweep column: the group a benchmark belongs to (lm-eval's group_subtasks), else null.
PARENT = "parent"

SWEEP_SCHEMA: dict[str, pl.DataType] = {
    "model": pl.String, "benchmark": pl.String, "knob": pl.Float64, "metric": pl.String,
    "value": pl.Float64, "n": pl.UInt32, "stderr": pl.Float64, "how": pl.String,
    "reading": pl.String, "source": pl.String, "note": pl.String,
}
SCALING_SCHEMA: dict[str, pl.DataType] = {
    "model": pl.String, "family": pl.String, "params_b": pl.Float64, "score": pl.Float64,
    "params_how": pl.String, "params_source": pl.String, "score_how": pl.String,
    "score_source": pl.String, "reading": pl.String, "note": pl.String,
}

# Labels people see for metrics and knobs; anything unknown is shown as its own name.
METRIC_LABELS = {PASS: "Pass@1 (%)", TPS: "Throughput (TPS)"}
METRIC_SHORT = {PASS: "Pass@1", TPS: "TPS"}
KNOB_LABELS = {"kv_budget": "KV budget"}

# Marks used in tables for values that are not plain measurements.
HOW_MARKS = {"chart-reading": "~", "derived": "*"}
HOW_LEGEND = "~ read off a chart   * derived"
HOW_LEGEND_PARTS = {"chart-reading": "~ read off a chart", "derived": "* derived"}


def how_legend(hows: object, separator: str = "   ") -> str:
    """The legend of the marks among `hows` (how values of the cells on show), each half only when
    its mark is there; "" when no value is marked."""
    present = {h for h in hows if h in HOW_LEGEND_PARTS} if hows is not None else set()
    return separator.join(text for how, text in HOW_LEGEND_PARTS.items() if how in present)


def _key(text: str) -> str:
    """Folding used to match names: case, spaces, dashes, dots, underscores, `:` and `|` do not matter."""
    return re.sub(r"[\s_\-.:|]+", "", text.strip().lower())


MODEL_ALIASES = {
    "R1-Qwen": ["qwen", "r1qwen", "owen", "r1owen", "deepseekr1distillqwen7b"],
    "R1-Llama": ["llama", "r1llama", "deepseekr1distillllama8b"],
}
BENCHMARK_ALIASES = {
    "AIME24": ["aime24", "aime2024"],
    "AIME25": ["aime25", "aime2025"],
    "AMC23": ["amc23", "amc2023", "amc"],
    "GPQA-D": ["gpqa", "gpqad", "gpoad", "gpqadiamond"],
    AVG: ["avg", "average", "mean", "all"],
}
METRIC_ALIASES = {
    PASS: ["pass@1", "pass1", "passat1", "pass_at_1", "pass@1(%)"],
    TPS: ["throughput", "tps", "tokenspers", "tokens/s", "tokenspersecond", "throughputtps",
          "throughput(tps)", "outputthroughput"],
}


def _lookup(aliases: dict[str, list[str]]) -> dict[str, str]:
    table = {}
    for canonical, names in aliases.items():
        for name in [canonical, *names]:
            table[_key(name)] = canonical
    return table


_BENCH = _lookup(BENCHMARK_ALIASES)
_METRIC = _lookup(METRIC_ALIASES)


def canonical_metric(name: str) -> str:
    return _METRIC.get(_key(name), name)


def canonicalise(column: pl.Series, aliases: dict[str, list[str]]) -> pl.Series:
    """Canonical names for a column, e.g. "qwen" -> "R1-Qwen"; unknown names are kept as given.

    Works on the distinct values only, so a million rows with 100 names cost 100 look-ups.
    """
    renamed = canonical_names(column.unique().drop_nulls().to_list(), aliases, column.name)
    return column if renamed is None else column.to_frame().select(renamed).to_series()


def canonical_names(distinct: list[str], aliases: dict[str, list[str]], column: str) -> pl.Expr | None:
    """`canonicalise` as an expression on `column`, given its distinct names (so a loader can
    gather them in a pass it makes anyway); None when every name is already canonical."""
    table = _lookup(aliases)
    mapping = {name: table.get(_key(name), name.strip()) for name in distinct}
    if all(k == v for k, v in mapping.items()):
        return None
    return pl.col(column).replace_strict(mapping, default=None, return_dtype=pl.String)


def resolve(name: str, known: list[str], what: str, aliases: dict[str, list[str]] | None = None) -> str:
    """The known name a user's spelling means, matched by case-insensitive folding and alias.

    Raises InputError listing the known names when nothing matches.
    """

    wanted = _key(name)
    if aliases:
        table = _lookup(aliases)
        canonical = table.get(wanted)
        if canonical in known:
            return canonical
        # A name that ends in a spelling of the same alias group: "aime2024" finds a file's "aime24",
        # "gpqa" finds "leaderboard_gpqa_diamond" (not "leaderboard_gpqa_main").
        spellings = [k for k, v in table.items() if v == canonical]
        same = [c for c in known if canonical and any(_key(c).endswith(k) for k in spellings)]
        if len(same) == 1:
            return same[0]
    for candidate in known:
        if _key(candidate) == wanted:
            return candidate
    matches = [c for c in known if wanted and wanted in _key(c)]
    if len(matches) == 1:
        return matches[0]
    if "/" in name.strip("/"):  # a full hub name for a model shown without its org prefix
        return resolve(name.strip("/").rsplit("/", 1)[-1], known, what, aliases)
    raise InputError(f"unknown {what} {name!r}; known: {', '.join(known) or '(none)'}")


def format_knob(value: float | None) -> str:
    if value is None:
        return "-"
    # 12 significant digits, the rule of tui.render.numbers: 0.5, 0.125, never 1.23457e+06
    return str(int(value)) if float(value).is_integer() else f"{value:.12g}"


def metric_label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric)


def short_label(metric: str | None) -> str:
    """How a metric is named in headers and sentences: Pass@1 for pass_at_1, else its own name."""
    return "score" if metric is None else METRIC_SHORT.get(metric, metric)


@dataclass(frozen=True)
class Results:
    """Everything loaded from the user's paths (or the bundled data), shared by the CLI and the app.

    `sweep`, `aggregates` and `scaling` hold accepted readings only; `all_readings` and
    `all_scaling` also hold the rejected ones, for users who want to see what was set aside.
    """

    sweep: pl.DataFrame
    aggregates: pl.DataFrame
    scaling: pl.DataFrame
    all_readings: pl.DataFrame
    all_scaling: pl.DataFrame
    knob: str = "kv_budget"
    dims: tuple[str, ...] = ()
    origin: str = "bundled data"
    files: tuple[Path, ...] = ()
    skipped: tuple[tuple[Path, str], ...] = field(default=())
    # The metric the user asked every benchmark to be shown by (--metric), overriding the rule.
    metric: str | None = None
    # Runs that measured nothing (see FailedRun), each with where and why; left out of every frame.
    failed: tuple[tuple[Path, str], ...] = field(default=())
    # Lines to tell the user even without --verbose: a file skipped for a conflict, a named file skipped.
    warnings: tuple[str, ...] = field(default=())
    # Files read from their parsed copy (tui.core.loader.cache), said with --verbose.
    cached: tuple[Path, ...] = field(default=())
    # A first look (tui.core.loader.first_look): the first model's rows only, every model's names.
    first_look: bool = False

    @cached_property
    def partitions(self) -> Partitions:
        """(model, benchmark) -> its tidy rows, so a selection never scans the whole sweep."""
        return Partitions([self.sweep, self.aggregates])

    @cached_property
    def _names(self) -> tuple[list[str], dict[str | None, list[str]]]:
        # From the partitions' keys: their group-by has found every pair already.
        sweep_pairs, aggregate_pairs = self.partitions.keys_by_frame
        by_model: dict[str | None, list[str]] = {}
        for model, benchmark in sweep_pairs:
            by_model.setdefault(model, []).append(benchmark)
        models = sorted(set(by_model) | {model for model, _ in aggregate_pairs})
        by_model = {model: sorted(benchmarks) for model, benchmarks in by_model.items()}
        by_model[None] = sorted({benchmark for _, benchmark in sweep_pairs})
        return models, by_model

    @property
    def knob_label(self) -> str:
        return KNOB_LABELS.get(self.knob, self.knob)

    @property
    def models(self) -> list[str]:
        return list(self._names[0])

    def benchmarks(self, model: str | None = None) -> list[str]:
        return list(self._names[1].get(model, []))

    @property
    def metrics(self) -> list[str]:
        present = self.sweep["metric"].unique().to_list() + self.aggregates["metric"].unique().to_list()
        ordered = [m for m in (PASS, TPS) if m in present]
        return ordered + sorted(set(present) - set(ordered))

    @cached_property
    def _metrics_by_benchmark(self) -> dict[str, list[str]]:
        """Each benchmark's metrics in the order the files give them (first appearance)."""
        pairs = pl.concat([frame.select("benchmark", "metric") for frame in (self.sweep, self.aggregates)])
        # Each pair's first row, in row order: a group-by, cheaper than an order-keeping unique.
        first = (pairs.with_row_index("_i").group_by("benchmark", "metric").agg(pl.col("_i").first())
                 .sort("_i").select("benchmark", "metric"))
        found: dict[str, list[str]] = {}
        for benchmark, metric in first.iter_rows():
            found.setdefault(benchmark, []).append(metric)
        return found

    @cached_property
    def _answered(self) -> dict[tuple[str, str], object]:
        """headline and average_metric, worked out once each: the sidebar asks them for every
        model and each of its benchmarks (thousands of calls with a hundred models)."""
        return {}

    def headline(self, benchmark: str) -> str | None:
        """The metric `benchmark` is shown and averaged by: --metric where it has it, else the rule
        of tui.core.metrics.headline; None for a benchmark with no accuracy metric (a vLLM run)."""
        key = ("headline", benchmark)
        if key not in self._answered:
            self._answered[key] = self._headline(benchmark)
        return self._answered[key]

    def _headline(self, benchmark: str) -> str | None:
        metrics = self._metrics_by_benchmark.get(benchmark, [])
        if self.metric is not None:
            return self.metric if self.metric in metrics else None
        return headline(metrics)

    @cached_property
    def parents(self) -> dict[str, str]:
        """Benchmark -> the group it is a subtask of (lm-eval's group_subtasks); leaves and
        ungrouped benchmarks are absent."""
        if PARENT not in self.sweep.columns:
            return {}
        return dict(self.sweep.select("benchmark", PARENT).drop_nulls().unique().iter_rows())

    def leaves(self, model: str) -> list[str]:
        """The model's benchmarks that are not a group of others: the only ones an average takes."""
        groups = set(self.parents.values())
        return [b for b in self.benchmarks(model) if b not in groups]

    def average_metric(self, model: str) -> tuple[str | None, str]:
        """(the metric the model's average is by, "") or (None, why it has no average).

        A reported average is shown by its own headline; a computed one needs two or more leaf
        benchmarks measured by one headline metric (benchmarks with none, a vLLM run, are left out).
        """
        key = ("average", model)
        if key not in self._answered:
            self._answered[key] = self._average_metric(model)
        return self._answered[key]

    def _average_metric(self, model: str) -> tuple[str | None, str]:
        reported = self.partitions.get((model, AVG))
        if reported is not None:
            found = self.headline(AVG)
            return (found, "") if found else (None, f"its reported average has no {self.metric}")
        by_leaf = [m for m in (self.headline(b) for b in self.leaves(model)) if m]
        measured = sorted(set(by_leaf))
        if len(measured) > 1:
            named = ", ".join(measured)
            return None, f"no single average: its benchmarks are measured by different metrics ({named})"
        if len(by_leaf) < 2:
            by = measured[0] if measured else "accuracy"
            return None, f"no average: fewer than two benchmarks measured by {by}"
        return measured[0], ""

    def prepare(self) -> Results:
        """Work out now what every view asks for first (where each selection's rows are, the
        names, each model's average metric), so a loader thread does it rather than the one
        that draws."""
        for model in self.models:  # each reads the partitions and the metrics by benchmark
            self.average_metric(model)
        return self

    def seeing_all(self, names: tuple[list[str], dict[str | None, list[str]]],
                   metrics_by_benchmark: dict[str, list[str]]) -> Results:
        """These results (a first look: one model's rows) naming every model's benchmarks and each
        benchmark's metrics as the whole file does."""
        from dataclasses import replace

        look = replace(self, first_look=True)
        # The answers of the two cached properties, given rather than worked out from the rows.
        look.__dict__.update(_names=names, _metrics_by_benchmark=metrics_by_benchmark)
        return look

    def with_metric(self, name: str | None) -> Results:
        """These results shown by metric `name` (as typed: case and spelling folded); InputError
        listing the known metrics when no benchmark has it."""
        if not name:
            return self
        from dataclasses import replace

        metric = resolve(canonical_metric(name), self.metrics, "metric")
        if is_lower_better(metric):
            raise InputError(f"--metric {metric}: less is better for it, and kvscope's views rank by a "
                             "metric where more is better (best value, deltas, advice); `kvscope readings` "
                             "lists its values")
        return replace(self, metric=metric)

    def resolve_model(self, name: str) -> str:
        return resolve(name, self.models, "model", MODEL_ALIASES)

    def resolve_benchmark(self, name: str, model: str | None = None) -> str:
        known = self.benchmarks(model)
        if _BENCH.get(_key(name)) == AVG:
            found = AVG
        else:
            found = resolve(name, known + [AVG], "benchmark", BENCHMARK_ALIASES)
        if found == AVG and model is not None:
            metric, why = self.average_metric(model)
            if metric is None:

                raise InputError(f"{model} has no average: {why.removeprefix('no single average: ')}")
        return found


class Partitions(Mapping):
    """(model, benchmark) -> that selection's rows of the frames, in frame order (as `partition_by`).

    One group-by finds every selection's row numbers; a selection's frame is gathered the first
    time it is asked for. Splitting a million-row sweep into thousands of frames up front would
    cost a noticeable pause when the first view opens; this costs a few milliseconds.
    """

    def __init__(self, frames: list[pl.DataFrame]) -> None:
        # Each key -> its frame, that frame's row-number lists and the index of its own list: the
        # row numbers stay in polars (a million of them as Python ints would cost more than the
        # group-by).
        self._rows: dict[tuple[str, str], tuple[pl.DataFrame, pl.Series, int]] = {}
        self._frames: dict[tuple[str, str], pl.DataFrame] = {}
        self.keys_by_frame: list[list[tuple[str, str]]] = []  # each frame's (model, benchmark) pairs
        for frame in frames:
            keys: list[tuple[str, str]] = []
            self.keys_by_frame.append(keys)
            if frame.height == 0:
                continue
            groups = (frame.select("model", "benchmark", _i=pl.int_range(pl.len(), dtype=pl.UInt32))
                      .group_by("model", "benchmark").agg("_i"))
            rows = groups["_i"]
            keys += groups.select("model", "benchmark").iter_rows()
            for at, key in enumerate(keys):
                self._rows[key] = (frame, rows, at)

    def __getitem__(self, key: tuple[str, str]) -> pl.DataFrame:
        found = self._frames.get(key)
        if found is None:
            frame, rows, at = self._rows[key]
            found = self._frames[key] = frame[rows[at]]
        return found

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def empty_sweep() -> pl.DataFrame:
    return pl.DataFrame(schema=SWEEP_SCHEMA)


def empty_scaling() -> pl.DataFrame:
    return pl.DataFrame(schema=SCALING_SCHEMA)
