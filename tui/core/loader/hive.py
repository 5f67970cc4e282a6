"""Roles named by a Hive-partitioned path (model=x/kv_budget=2500/part-0.parquet) as columns."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tui.core.hive import hive_pairs
from tui.core.loader.roles import REPEAT_COLUMNS, ROLE_ALIASES

HIVE_ROLES = {*ROLE_ALIASES["model"], *ROLE_ALIASES["benchmark"], *ROLE_ALIASES["knob"],
               *REPEAT_COLUMNS}


def with_hive_columns(frame: pl.LazyFrame, path: Path) -> pl.LazyFrame:
    """Hive-partitioned datasets (model=x/kv_budget=2500/part-0.parquet) name roles in the path:
    those folders become columns the file lacks. Only role names (model, benchmark, the knob, a
    repeat) are taken: any other key=value folder could be anything and is left alone."""
    columns = frame.collect_schema()
    found = {k: v for k, v in hive_pairs(path.parent.parts, HIVE_ROLES).items() if k not in columns}
    return frame.with_columns(pl.lit(value).alias(name) for name, value in found.items()) if found else frame
