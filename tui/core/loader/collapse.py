"""One row per sweep key: duplicates that disagree are an error, repeats (seed, sample...
columns) are averaged into one row with n and a standard error."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from tui.core import schema
from tui.core.files import ENGINE
from tui.core.loader.keys import ALTERNATIVE, distinct_in_runs, group_by_key, key_only, row_key, run_lengths
from tui.core.loader.rows import Rows
from tui.core.schema import SWEEP_SCHEMA


def collapse(long: pl.DataFrame, dims: list[str], rows: Rows, constants: Sequence[pl.Expr] = ()) -> pl.DataFrame:
    """Reject conflicting duplicates, then average repeats (seed/sample columns) into one row with n.

    One group-by finds conflicts and removes exact duplicates at once; it is skipped when every
    row's key is distinct (the usual case), the rows of a conflict are looked up only when there
    is one, and a second group-by runs only when there are repeats. Provenance columns the file
    lacks come as `constants` (literals): added to the collapsed rows, not carried through.
    """
    repeat_cols = [c for c in long.columns if c.startswith("_rep_")]
    readings = ["reading"] if "reading" in long.columns else []  # else: all accepted (a constant)
    key = ["model", "benchmark", "knob", "metric", *readings, *dims]
    if readings and "source" in long.columns and (long["reading"] == "rejected").any():
        # Only rejected readings are told apart by their source: a file without any (the usual
        # one) needs no `_alt` column, a text column as long as the file and equal on every row.
        long = long.with_columns(ALTERNATIVE)
        key.insert(key.index("reading") + 1, "_alt")
    kept = [c for c in _PROVENANCE if c in long.columns]
    keyed = row_key(long, key)
    lengths = run_lengths(keyed[0]) if keyed is not None else None  # None: not in runs
    if lengths is not None and _repeat_rises(long, repeat_cols, keyed[0]):
        once, group_key = long, keyed[0]  # no duplicates: the key still fits the rows
    else:
        full_key = key_only(row_key(long, repeat_cols, keyed)) if keyed is not None else None
        if full_key is not None and distinct_in_runs(keyed[0], full_key, lengths is not None):
            once, group_key = long, keyed[0]
        else:
            once, group_key = _without_duplicates(long, [*key, *repeat_cols], kept, full_key, rows), None
            lengths = None
    if repeat_cols:
        once = _averaged_repeats(once, key, kept, group_key, lengths)
    # File order, so tables list models and budgets as the file does: the rows usually are in it
    # already (read in order, repeats pooled run by run), and a sort would cost more than the check.
    query = once.lazy() if repeat_cols else once.lazy().with_columns(n=pl.lit(1, dtype=pl.UInt32))
    if not once["_row"].is_sorted():
        query = query.sort("_row", maintain_order=True)
    added = [c for c in constants if c.meta.output_name() not in once.columns]
    if added:
        query = query.with_columns(added)
    return query.select(*SWEEP_SCHEMA, *dims).cast(SWEEP_SCHEMA).collect(engine=ENGINE)


def _repeat_rises(long: pl.DataFrame, repeat_cols: list[str], key: pl.Series) -> bool:
    """Whether the one repeat column (seeds listed in order, the usual sweep) rises within each
    run of equal keys: then no two rows share a key and a repeat, found without the full key."""
    if len(repeat_cols) != 1 or not long.schema[repeat_cols[0]].is_numeric() or long[repeat_cols[0]].null_count():
        return False  # (a comparison with a missing repeat is null, which `all` would pass over)
    repeat = pl.col(repeat_cols[0])
    rises = (repeat > repeat.shift(1)) | (pl.col("_key") != pl.col("_key").shift(1))
    return long.select(repeat, key.alias("_key")).select(rises.all()).item()


# Columns carried from a key's first row, when the file has them.
_PROVENANCE = ("stderr", "how", "source", "note")


def _without_duplicates(long: pl.DataFrame, key: list[str], kept: list[str], full_key: pl.Series | None,
                        rows: Rows) -> pl.DataFrame:
    """One row per full key (repeat columns included); rows sharing one with different values
    are an error naming the first two such rows."""
    once = group_by_key(
        long, key, full_key,
        pl.col("value").min().alias("_min"), pl.col("value").max().alias("_max"),
        pl.col("_row").min(), *[pl.col(c).first() for c in kept],
    )
    clash = once.filter(pl.col("_min") != pl.col("_max"))
    if clash.height:
        first = clash.sort("_row").row(0, named=True)
        same = long.filter(*[pl.col(c).is_null() if first[c] is None else pl.col(c) == first[c] for c in key])
        a, b = same["_row"].sort().head(2).to_list()
        raise rows.error(
            f"duplicate key {first['model']} | {first['benchmark']} | {schema.format_knob(first['knob'])} | "
            f"{first['metric']} has different values ({rows.label(a)} and {rows.label(b)})", b)
    return once.rename({"_min": "value"})


def _averaged_repeats(once: pl.DataFrame, key: list[str], kept: list[str], group_key: pl.Series | None,
                      lengths: pl.Series | None) -> pl.DataFrame:
    """The repeats of each key as one row: their mean, their number n, and the standard error of
    the mean (a lone row keeps its own stderr, when the file gives one); `kept` are the
    provenance columns taken from each key's first row.

    Each aggregation costs polars a step per group, so the group-by does only what needs one: the
    standard error is worked out on its result. Rows in file order (`group_key` given: `once` is
    the file's rows) have their first row first in each group, found without a minimum; when
    their equal keys are runs, of `lengths` (`run_lengths`), no group-by is needed to find them.
    """
    if lengths is not None and group_key is not None:
        averaged = _averaged_runs(once, key, kept, group_key, lengths)
    else:
        first_row = pl.col("_row").first() if group_key is not None else pl.col("_row").min()
        averaged = group_by_key(
            once, key, group_key if group_key is not None else key_only(row_key(once, key)),
            # A key given and no run lengths: its equal keys are known not to be runs.
            *_STATISTICS, first_row, *[pl.col(c).first() for c in kept], runs=False if group_key is not None else None,
        )
    lone = pl.col("stderr") if "stderr" in kept else pl.lit(None, dtype=pl.Float64)
    return averaged.with_columns(stderr=pl.when(pl.col("n") > 1).then(pl.col("_std") / pl.col("n").sqrt())
                                 .otherwise(lone)).drop("_std")


_STATISTICS = (pl.col("value").mean(), pl.len().cast(pl.UInt32).alias("n"),
               pl.col("value").std().alias("_std"))


def _averaged_runs(once: pl.DataFrame, key: list[str], kept: list[str], group_key: pl.Series,
                   lengths: pl.Series) -> pl.DataFrame:
    """`_averaged_repeats` of rows in file order whose equal keys are runs of `lengths`: each
    run's first row gives its names and provenance, and only the values are grouped."""
    firsts = once.select(*key, "_row", *kept)[lengths.cum_sum() - lengths]
    size = _common_run_length(lengths, once["value"])
    if size is not None:
        return pl.concat([firsts, _strided_statistics(once["value"], size)], how="horizontal")
    # Run ids rise through the file, so groups in order of appearance are the runs in order.
    statistics = once.select("value", group_key.rle_id().alias("_key")).group_by("_key", maintain_order=True) \
        .agg(*_STATISTICS)
    return pl.concat([firsts, statistics.drop("_key")], how="horizontal")


# Runs longer than this are few for their rows: the group-by's cost per group does not matter.
STRIDED_MAX = 32


def _common_run_length(lengths: pl.Series, values: pl.Series) -> int | None:
    """The length every run shares (a sweep of 5 seeds each: 5), when no value is missing and it
    is at most STRIDED_MAX; else None."""
    if values.null_count() or lengths.min() != lengths.max():
        return None
    return lengths[0] if 1 < lengths[0] <= STRIDED_MAX else None


def _strided_statistics(values: pl.Series, size: int) -> pl.DataFrame:
    """`_STATISTICS` of runs of `size` values each, in order: value j of every run is every
    size-th value from offset j, so the mean and standard deviation are sums across `size`
    columns, with none of the group-by's cost per group."""
    parts = [pl.col("value").gather_every(size, offset=j).alias(f"_{j}") for j in range(size)]
    columns = [pl.col(f"_{j}") for j in range(size)]
    mean = pl.sum_horizontal(columns) / size
    spread = pl.sum_horizontal([(column - pl.col("value")) ** 2 for column in columns])
    return (
        values.to_frame("value").lazy().select(parts).with_columns(value=mean)
        .select("value", n=pl.lit(size, dtype=pl.UInt32), _std=(spread / (size - 1)).sqrt())
        .collect()
    )
