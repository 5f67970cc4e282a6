"""The one rule for numbers written out as data (CSV, JSON, Markdown, LaTeX, knob labels).

A value keeps 12 significant digits, written in the shortest form that reads back as the same
number. That holds every digit a result file means (a score written as 42.7, a rate computed
to 16 digits by the tool), and drops the binary remainder that scaling or averaging leaves
behind (42.699999999999996 -> 42.7, 95.26153846153845 -> 95.2615384615). Tables on screen
round further, to the decimals a reader compares (see `tui.render.tables.number`).
"""

from __future__ import annotations

import math

import polars as pl

SIGNIFICANT = 12
# A float32 column holds about 7 significant digits; more would print its binary remainder.
SIGNIFICANT_FLOAT32 = 7


def exact(value: float, significant: int = SIGNIFICANT) -> float:
    """`value` rounded to `significant` digits (decimal rounding, so no new remainder appears)."""
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{significant}g}")


def exact_text(value: float) -> str:
    """The shortest text of `exact(value)`: 42.7, 2500 (a whole number has no .0), 1e-07."""
    rounded = exact(value)
    if rounded.is_integer() and abs(rounded) < 1e15:
        return str(int(rounded))
    return repr(rounded)


def exact_floats(frame: pl.DataFrame) -> pl.DataFrame:
    """Every float column of `frame` by the rule, as Float64 (CSV and JSON then print it cleanly)."""
    fixes = [pl.col(name).map_batches(lambda s, d=dtype: _exact_series(s, d), return_dtype=pl.Float64)
             for name, dtype in frame.schema.items() if dtype in (pl.Float32, pl.Float64)]
    return frame.with_columns(fixes) if fixes else frame


def _exact_series(series: pl.Series, dtype: pl.DataType) -> pl.Series:
    significant = SIGNIFICANT_FLOAT32 if dtype == pl.Float32 else SIGNIFICANT
    values = [None if v is None else exact(v, significant) for v in series.to_list()]
    return pl.Series(series.name, values, dtype=pl.Float64)
