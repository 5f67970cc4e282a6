"""Roles named by a Hive-partitioned path (model=x/kv_budget=2500/part-0.parquet) as columns."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from tui.core.loader.roles import REPEAT_COLUMNS, ROLE_ALIASES, fold

_HIVE_SEGMENT = re.compile(r"^([A-Za-z_][\w.-]*)=(.+)$")
HIVE_ROLES = {*ROLE_ALIASES["model"], *ROLE_ALIASES["benchmark"], *ROLE_ALIASES["knob"],
               *REPEAT_COLUMNS}


def with_hive_columns(frame: pl.LazyFrame, path: Path) -> pl.LazyFrame:
    """Hive-partitioned datasets (model=x/kv_budget=2500/part-0.parquet) name roles in the path:
    those folders become columns the file lacks. Only role names (model, benchmark, the knob, a
    repeat) are taken: any other key=value folder could be anything and is left alone."""
    found = {}
    for segment in path.parent.parts:
        match = _HIVE_SEGMENT.match(segment)
        if match and fold(match.group(1)) in HIVE_ROLES and match.group(1) not in frame.collect_schema():
            found[match.group(1)] = match.group(2)
    return frame.with_columns(pl.lit(value).alias(name) for name, value in found.items()) if found else frame
