"""A file's rows as a person finds them (line and record numbers in errors), and the rows of
failed runs, which are left out and listed rather than read as results."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from tui.core.errors import FailedRun, InputError
from tui.core.files import collect
from tui.core.loader.roles import READINGS

# Words in a status cell that say the run failed (so its numbers, if any, measure nothing).
FAILED_WORDS = {"fail", "failed", "failure", "error", "errored", "crash", "crashed", "oom", "timeout",
                "cancelled", "canceled", "killed", "aborted", "exception", "died"}


class Rows:
    """Names rows the way a person finds them in the file: CSV line numbers, JSON record numbers.
    `kept` maps row positions to the file's rows when some rows (failed runs) were left out."""

    def __init__(self, path: Path, fmt: str, kept: pl.Series | None = None) -> None:
        self.path, self.fmt, self.kept = path, fmt, kept

    def label(self, index: int) -> str:
        if self.kept is not None:
            index = self.kept[index]
        if self.fmt in ("csv", "tsv"):
            return f"line {index + 2}"
        return f"record {index + 1}" if self.fmt in ("json", "ndjson") else f"row {index + 1}"

    def error(self, message: str, index: int | None = None, column: str | None = None) -> InputError:
        row = None if index is None else self.label(index)
        return InputError(message, path=self.path, row=row, column=column)


def _says_failed(status: str) -> bool:
    text = status.lower()
    words = set(re.split(r"[^a-z]+", text))
    return bool(FAILED_WORDS & words) or "out of memory" in text or "timed out" in text


def drop_failed_runs(frame: pl.LazyFrame, roles: dict[str, str], rows: Rows
                      ) -> tuple[pl.LazyFrame, Rows, list[tuple[Path, str]]]:
    """Rows whose status column says the run failed are left out (each listed with its line). A
    status column holding only accepted/rejected is the `reading` column of older files."""
    column = roles.get("status")
    if column is None:
        return frame, rows, []
    status = pl.col(column).cast(pl.String).str.strip_chars()
    values = collect(frame.select(status.unique().drop_nulls()), rows.path, rows.fmt)[column].to_list()
    if {v.lower() for v in values} <= READINGS and "reading" not in roles:
        roles["reading"] = roles.pop("status")
        return frame, rows, []
    bad = [v for v in values if _says_failed(v)]
    if not bad:
        return frame, rows, []
    failed = status.is_in(bad).fill_null(False)
    marks = collect(frame.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_line"),
                                 failed.alias("_failed"), status.alias("_status")), rows.path, rows.fmt)
    dropped = marks.filter(pl.col("_failed")).select("_line", "_status")
    left_out = [(rows.path, f"{rows.label(i)}: {column} {value!r}") for i, value in dropped.iter_rows()]
    kept = marks.filter(~pl.col("_failed"))["_line"]
    if kept.len() == 0:
        said = ", ".join(sorted(set(bad))[:3])
        raise FailedRun(f"every row's {column} says the run failed ({said})", path=rows.path, runs=left_out)
    return frame.filter(~failed), Rows(rows.path, rows.fmt, kept), left_out
