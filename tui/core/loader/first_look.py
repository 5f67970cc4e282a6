"""A first look at a big sweep file: the explorer's first frame shows one sweep and lists every
model's benchmarks, which a checked file has long before all its repeats are pooled.

The first look holds the rows of the model the explorer opens on, pooled as the whole file's
are, and the names every model and benchmark has in the whole file. It is made only when it is
sure to show what the whole file will (otherwise there is none and the explorer waits, as it
always did): the file's other models cannot change this model's rows, its scale or its names.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass

import polars as pl

from tui.core.metrics import is_accuracy_like
from tui.core.names import short_names
from tui.core.schema import AVG, Results
from tui.core.views import accuracy_rank

# How long a load waits for its first look to be on screen before pooling the rest anyway.
SHOWN_WAIT = 2.0


class Handoff:
    """Between a load thread and the app: the first look (when the file gets one) and when it is
    on screen, so that pooling the rest does not compete with drawing it for the 2 cores."""

    def __init__(self) -> None:
        self.look: Future[Results] = Future()
        self._shown = threading.Event()

    def offer(self, look: Results) -> None:
        """From the load thread: the first look, then wait for it to be shown (or declined)."""
        self.look.set_result(look)
        self._shown.wait(SHOWN_WAIT)

    def shown(self) -> None:
        """The first look is on screen (or will not be used): the load goes on."""
        self._shown.set()


@dataclass(frozen=True)
class FirstModel:
    """What a first look is made of: the first model's rows (not yet pooled), the accuracy
    metrics that are fractions in the whole file, the whole file's model renames, every model's
    benchmarks (as `Results._names` has them) and each benchmark's metrics in file order."""

    rows: pl.DataFrame
    fractions: list[str]
    renamed: dict[str, str]
    names: tuple[list[str], dict[str | None, list[str]]]
    metrics_by_benchmark: dict[str, list[str]]


def first_model(long: pl.DataFrame, dims: list[str]) -> FirstModel | None:
    """The first look at `long` (a checked sweep file's rows, before pooling: see
    `sweep_from_raw`), or None when the whole file could show something else: dimensions that
    rename models, readings set aside, reported averages, a throughput-only run that joins other
    benchmarks, or an accuracy metric whose scale only its pooled values decide."""
    if dims or "reading" in long.columns or long.height == 0:
        return None
    triples = _triples(long)
    if AVG in triples["benchmark"]:
        return None
    accuracy = triples.with_columns(accuracy=accuracy_rank().is_not_null())
    if not accuracy.group_by("model", "benchmark").agg(pl.col("accuracy").any())["accuracy"].all():
        return None  # a throughput-only run: join_efficiency_runs copies it into other benchmarks
    fractions = _fractions(long, triples["metric"].unique().to_list())
    if fractions is None:
        return None
    originals = triples["model"].unique().to_list()
    renamed = short_names(originals)
    shown = {model: renamed.get(model, model) for model in originals}
    first = min(shown.values())
    by_model: dict[str | None, list[str]] = {}
    metrics: dict[str, list[str]] = {}
    for model, benchmark, metric in triples.select("model", "benchmark", "metric").iter_rows():
        by_model.setdefault(shown[model], []).append(benchmark)
        if metric not in metrics.setdefault(benchmark, []):
            metrics[benchmark].append(metric)
    names = {model: sorted(set(benchmarks)) for model, benchmarks in by_model.items()}
    names[None] = sorted(set(triples["benchmark"]))
    rows = long.filter(pl.col("model").is_in([m for m in originals if shown[m] == first]))
    return FirstModel(rows, fractions, renamed, (sorted(set(shown.values())), names), metrics)


def _triples(long: pl.DataFrame) -> pl.DataFrame:
    """Each (model, benchmark, metric) once, as text, in the order the pooled rows will have
    them: by the first source row, then by place (a wide file's metrics share their rows)."""
    codes = [pl.col(c).to_physical() for c in ("model", "benchmark", "metric")]
    # Rows come in runs of one model, benchmark and metric: only each run's first row is needed.
    changed = pl.any_horizontal([code != code.shift(1) for code in codes]).fill_null(True)
    starts = long.select("model", "benchmark", "metric", "_row", _at=pl.int_range(pl.len(), dtype=pl.UInt32)) \
        .filter(changed)
    return (starts.sort("_row", "_at").unique(["model", "benchmark", "metric"], keep="first", maintain_order=True)
            .select(pl.col("model", "benchmark", "metric").cast(pl.String)))


def _fractions(long: pl.DataFrame, metrics: list[str]) -> list[str] | None:
    """The accuracy metrics to_percent will find to be fractions once the file is pooled (each
    pooled value is a mean of rows: within the rows' range, and their overall mean is a mean of
    them); None when the rows cannot tell."""
    candidates = [m for m in metrics if is_accuracy_like(m)]
    if not candidates:
        return []
    value, metric = pl.col("value"), pl.col("metric")  # (a category compared as one, not as text)
    stats = long.select(*[agg(value.filter(metric == m)).alias(f"{m}!{name}") for m in candidates
                          for name, agg in (("low", pl.Expr.min), ("high", pl.Expr.max), ("mean", pl.Expr.mean))]
                        ).row(0, named=True)
    fractions = []
    for m in candidates:
        low, high, mean = stats[f"{m}!low"], stats[f"{m}!high"], stats[f"{m}!mean"]
        if low is None:
            continue
        if 0 <= low and high <= 1:
            fractions.append(m)
        elif 0 <= mean <= 1:
            return None  # some rows outside [0, 1]; whether every pooled value is inside, only pooling tells
    return fractions
