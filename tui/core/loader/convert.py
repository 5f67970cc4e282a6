"""Columns converted as polars expressions: numbers (with flags marking the rows that are not
numbers), text columns, and the errors that quote the first bad cell."""

from __future__ import annotations

import polars as pl

from tui.core.errors import InputError
from tui.core.loader.rows import Rows


def number_exprs(columns: pl.Schema, column: str, name: str, rows: Rows,
                  what: str) -> tuple[list[pl.Expr], InputError | None]:
    """A column as Float64 (text is stripped first; NaN and empty cells become null), as
    expressions for one pass over the file: the value as `name`, and flags `name!text` (a cell
    that is not a number) and `name!inf` (not finite) whose first true row names the error; an
    integer column needs neither.
    A column that cannot hold numbers gives a null placeholder and its error."""
    dtype = columns[column]
    col = pl.col(column)
    if dtype.is_integer():  # never NaN nor infinite: nothing to flag
        return [col.cast(pl.Float64).alias(name)], None
    if dtype.is_numeric():
        out, bad = col.cast(pl.Float64), None
    elif dtype in (pl.String, pl.Null):
        cleaned = col.str.strip_chars() if dtype == pl.String else col
        out = cleaned.cast(pl.Float64, strict=False)
        bad = out.is_null() & cleaned.is_not_null() & (cleaned != "")
    else:
        error = rows.error(f"{what} must be numbers, found {dtype}", column=column)
        return [pl.lit(None, dtype=pl.Float64).alias(name)], error
    exprs = [out.fill_nan(None).alias(name), out.is_infinite().alias(f"{name}!inf")]
    if bad is not None:
        exprs.append(bad.alias(f"{name}!text"))
    return exprs, None


def raise_number(first: dict, name: str, error: InputError | None, frame: pl.DataFrame | pl.LazyFrame,
                  column: str, rows: Rows, what: str) -> None:
    """The column's first problem, from the first rows `number_exprs` flagged: a cell that is
    not a number, else one that is not finite (each quoted as the file has it)."""
    if error is not None:
        raise error
    if first.get(f"{name}!text") is not None:
        i = first[f"{name}!text"]
        raise rows.error(f"{what} {_cell(frame, column, i)!r} is not a number", i, column)
    if first.get(f"{name}!inf") is not None:
        i = first[f"{name}!inf"]
        raise rows.error(f"{what} {_cell(frame, column, i)!r} is not a finite number", i, column)


def _cell(frame: pl.DataFrame | pl.LazyFrame, column: str, index: int) -> object:
    """One cell as the file has it, to quote in an error (the raw file is read again for it)."""
    return frame.lazy().select(pl.col(column).slice(index, 1)).collect().item()


def text_expr(columns: pl.Schema, column: str, dtype: pl.DataType = pl.Categorical) -> pl.Expr:
    """Text column `column` (of `columns`) as `dtype`, not yet stripped: the check pass finds the
    columns whose distinct values have spaces around them (rarely any) and only those are
    stripped, so the usual file needs no stripped copy of its names. A column the reader already
    gave as `dtype` (a big CSV's names, see one_file) is taken as it is."""
    if columns.get(column) == dtype:
        return pl.col(column)
    return pl.col(column).cast(pl.String).cast(dtype)


# What polars' str.strip_chars() removes: Unicode White_Space (Python's str.strip() would also take
# a few control characters, so the set is spelled out). Padded names are found among a column's
# distinct values in Python, which the check pass gathers anyway: no query strips them.
WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
             "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def first_row(flag: pl.Expr, name: str) -> pl.Expr:
    """The index of the first row where `flag` holds (null when none does), named `name`."""
    return flag.arg_true().first().alias(name)
