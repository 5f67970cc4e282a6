"""Row keys: one integer per row standing for several key columns, so that finding duplicates
and grouping repeats work on one integer column instead of several text columns."""

from __future__ import annotations

import polars as pl

from tui.core.files import ENGINE

# Rejected readings are alternatives kept for reference: two sources may each have one for the
# same key, so for them the source is part of the key. Accepted values must agree.
ALTERNATIVE = pl.when(pl.col("reading") == "rejected").then(pl.col("source")).otherwise(pl.lit("")) \
    .alias("_alt")


def _code(column: str, dtype: pl.DataType, nulls: bool = True,
          distinct: pl.Series | None = None) -> pl.Expr | None:
    """A column as integer codes, equal exactly where the values are (nulls equal nulls), or None
    for a column that is neither text nor a number; `_code_size` bounds them.

    Text is coded by its categorical code (process-wide, so not dense: it only has to fit), a
    number by its place among the column's distinct values. With `nulls`, codes start at 1 and 0
    stands for null; a column known to have none is coded from 0 with fewer copies of its rows.
    A number's `distinct` values (from `_distinct_numbers`), when known, are not looked for again.
    (Whole numbers in a small span are coded by `_offset_code` instead.)
    """
    col = pl.col(column)
    if dtype in (pl.String, pl.Categorical):
        codes = col.cast(pl.Categorical).to_physical()
        return (codes.cast(pl.UInt64) + 1).fill_null(0) if nulls else codes
    if dtype.is_numeric():
        # Its index among the sorted distinct values: a search over few values, not a full sort.
        values = _distinct_numbers(column, dtype) if distinct is None else pl.lit(distinct)
        index = values.search_sorted(col)
        return pl.when(col.is_null()).then(0).otherwise(index + 1).cast(pl.UInt64) if nulls else index
    return None


def _code_size(column: str) -> pl.Expr:
    """How many codes `_code` may give a text column (with nulls; an upper bound), found without
    building them: the largest categorical code, plus one for null. (A number column's are
    counted in `_coding_steps`.)"""
    return (pl.col(column).cast(pl.Categorical).to_physical().max().cast(pl.UInt64) + 2).fill_null(1)


def _distinct_numbers(column: str, dtype: pl.DataType) -> pl.Expr:
    # -0.0 and 0.0 are one value, as in a group-by: only the distinct values need the +0.0, as
    # -0.0 is then found at 0.0's place.
    col = pl.col(column)
    return (col + 0.0 if dtype.is_float() else col).drop_nulls().unique().sort()


def _constant(column: str, dtype: pl.DataType) -> pl.Expr:
    """Whether a text column holds one value and no nulls: it adds nothing to a key (often
    reading and _alt), and a column of equal strings need not be encoded."""
    col = pl.col(column)
    if dtype == pl.Categorical:
        col = col.to_physical()
    elif dtype != pl.String:
        return pl.lit(False)
    return (col.null_count() == 0) & (col.min() == col.max())


def row_key(frame: pl.DataFrame, columns: list[str],
            start: tuple[pl.Series | None, int] = (None, 1)) -> tuple[pl.Series | None, int] | None:
    """One integer per row, equal exactly when two rows agree on every one of `columns`: the
    columns' codes (see `_code`) combined in mixed radix, extending `start` (a key from `row_key`).
    Returns (key, how many keys there may be); None when they do not fit in 64 bits or a column
    cannot be coded. Grouping on one integer is cheaper than on several text columns. The key is
    a UInt32 when its values fit (the usual sweep), to hold less memory than a UInt64.
    """
    key, total = start
    schema = frame.schema
    if any(not (schema[c] in (pl.String, pl.Categorical) or schema[c].is_numeric()) for c in columns):
        return None  # (what `_code` cannot code)
    coding = _coding_steps(frame, columns, total)
    if coding is None:
        return None
    steps, total = coding
    dtype = pl.UInt32 if total < 2**32 else pl.UInt64
    if key is not None and key.dtype != dtype:
        key = key.cast(dtype)
    if not steps:
        if key is None:
            key = pl.repeat(0, frame.height, dtype=dtype, eager=True).alias("_key")
        return key, total
    return _built_key(frame, key, steps, dtype), total


def _coding_steps(frame: pl.DataFrame, columns: list[str], total: int
                  ) -> tuple[list[tuple[pl.Expr, int]], int] | None:
    """Each column's codes and their number, found in one query (without building the codes),
    and the number of keys they make with `total` before; None past 64 bits. A column that holds
    one value adds nothing and has no step."""
    schema = frame.schema
    numbers = [c for c in columns if schema[c].is_numeric()]
    sizes = frame.select(
        *[_constant(c, schema[c]).alias(f"{c}!constant") for c in columns],
        *[_code_size(c).alias(f"{c}!size") for c in columns if c not in numbers],
        *[e for c in numbers for e in _number_range(c, schema[c])],
        *[pl.col(c).null_count().alias(f"{c}!nulls") for c in columns],
    ).row(0, named=True) if columns else {}
    ranged = {c: sizes[f"{c}!min"] for c in numbers if _range_coded(sizes, c)}
    for c in ranged:  # codes 1 to max - min + 1, 0 for null
        sizes[f"{c}!size"] = int(sizes[f"{c}!max"] - sizes[f"{c}!min"]) + 2
    distinct = _distinct_of(frame, [c for c in numbers if c not in ranged])
    for c, values in distinct.items():  # a search gives at most len(values), plus one for null
        sizes[f"{c}!size"] = len(values) + 2
    steps = []
    for column in columns:
        if sizes[f"{column}!constant"]:
            continue
        nulls = sizes[f"{column}!nulls"] > 0
        size = sizes[f"{column}!size"] - (not nulls)  # without nulls, codes start at 0
        total *= size
        if total >= 2**64:
            return None
        code = _offset_code(column, ranged[column], nulls) if column in ranged \
            else _code(column, schema[column], nulls, distinct.get(column))
        steps.append((code, size))
    return steps, total


# A number column of whole values within this span is coded by its offset from its least value:
# no distinct values to find and no search among them (budgets, seeds, counts).
RANGE_CODES = 1 << 16


def _number_range(column: str, dtype: pl.DataType) -> list[pl.Expr]:
    col = pl.col(column)
    whole = (col.floor() == col).all() if dtype.is_float() else pl.lit(True)
    return [col.min().alias(f"{column}!min"), col.max().alias(f"{column}!max"),
            whole.alias(f"{column}!whole")]


def _range_coded(sizes: dict, column: str) -> bool:
    low, high = sizes[f"{column}!min"], sizes[f"{column}!max"]
    # Whole numbers below 2**53 in magnitude subtract exactly, as floats too.
    return low is not None and sizes[f"{column}!whole"] and high - low < RANGE_CODES \
        and max(abs(low), abs(high)) < 2**53


def _offset_code(column: str, low: float, nulls: bool) -> pl.Expr:
    """A whole-number column's codes as offsets from its least value `low` (see `_code`)."""
    col = pl.col(column)
    # In Int64: an Int8 or Int16 column's own type would wrap on a span wider than half its range.
    offset = (col.cast(pl.Int64) - int(low)).cast(pl.UInt64)
    return pl.when(col.is_null()).then(0).otherwise(offset + 1).cast(pl.UInt64) if nulls else offset


def _distinct_of(frame: pl.DataFrame, numbers: list[str]) -> dict[str, pl.Series]:
    """Number columns' sorted distinct values, found once for their codes and their number."""
    if not numbers:
        return {}
    found = frame.select(_distinct_numbers(c, frame.schema[c]).implode() for c in numbers).row(0)
    return {c: pl.Series(values, dtype=frame.schema[c]) for c, values in zip(numbers, found)}


def _built_key(frame: pl.DataFrame, key: pl.Series | None, steps: list[tuple[pl.Expr, int]],
               dtype: pl.DataType) -> pl.Series:
    """The key extended by each step's codes, one column at a time: a chain of steps, each
    replacing the key, so only one column's codes are held at once."""
    query = frame.lazy() if key is None else frame.lazy().with_columns(key.alias("_key"))
    for i, (code, size) in enumerate(steps):
        code = code.cast(dtype)
        extend = key is not None or i > 0
        key_expr = pl.col("_key") * pl.lit(size, dtype=dtype) + code if extend else code
        query = query.with_columns(key_expr.alias("_key"))
    return query.select("_key").collect(engine=ENGINE, optimizations=_ONE_QUERY).to_series()


# A chain of with_columns run as written: one query instead of one per step, and no step merged
# into another (merged, every column's codes would be held at once).
_ONE_QUERY = pl.QueryOptFlags(cluster_with_columns=False, comm_subexpr_elim=False)


def key_only(keyed: tuple[pl.Series | None, int] | None) -> pl.Series | None:
    """The key of `row_key`'s answer, without its count; None when there is no key."""
    return keyed[0] if keyed is not None else None


def all_distinct(key: pl.Series) -> bool:
    """Whether no value repeats: no two neighbours are equal once sorted (a sorted copy of an
    integer key holds less memory than a hash table of its values)."""
    if not key.is_sorted():
        key = key.sort()
    return key.len() < 2 or not (key.slice(1) == key.slice(0, key.len() - 1)).any()


def run_lengths(key: pl.Series) -> pl.Series | None:
    """The length of each run of equal keys, in order, when equal keys are next to each other
    (files usually list a sweep's repeats together): so when the runs' keys are distinct (checked
    on one key a run, far fewer than the rows). None when they are not."""
    if key.len() == 0:
        return None
    runs = key.rle()
    return runs.struct.field("len") if key.is_sorted() or all_distinct(runs.struct.field("value")) else None


def in_runs(key: pl.Series) -> bool:
    """Whether equal keys are next to each other (see `run_lengths`)."""
    return run_lengths(key) is not None


def distinct_in_runs(key: pl.Series, full_key: pl.Series, runs: bool) -> bool:
    """Whether no value of `full_key` (`key` extended by more columns) repeats. When `key` is in
    runs (`in_runs`) and `full_key` rises within each (repeats listed in order, the usual file),
    no sort is needed; else `all_distinct` finds out."""
    if runs and full_key.len() > 1:
        n = full_key.len()
        rises = (full_key.slice(1) > full_key.slice(0, n - 1)) | (key.slice(1) != key.slice(0, n - 1))
        if rises.all():
            return True
    return all_distinct(full_key)


def group_by_key(frame: pl.DataFrame, columns: list[str], key: pl.Series | None,
                 *aggs: pl.Expr, runs: bool | None = None) -> pl.DataFrame:
    """`frame.group_by(columns).agg(*aggs)`, grouping on `key` (from `row_key`) when there is one;
    `runs` is `in_runs(key)` when already known. Groups come in the order of their first rows:
    a wide file's metrics share their source rows, and only this order keeps them as the file
    lists them, the same on every load."""
    if key is None:
        return frame.group_by(columns, maintain_order=True).agg(*aggs)
    if runs if runs is not None else in_runs(key):
        # Each run is a group, and run ids are sorted, which polars groups without hashing.
        key = key.rle_id().alias("_key")
    return frame.with_columns(key).group_by("_key", maintain_order=True) \
        .agg(*[pl.col(c).first() for c in columns], *aggs).drop("_key")
