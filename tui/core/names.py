"""How a model is named on screen: as its file names it, without an org prefix when that is unambiguous.

Rule: a model named `org/name` (a hub id) is shown as `name` when no other loaded model is `other-org/name`
(a model loaded as plain `name` is the same model and takes the short name too). Two orgs with
the same `name` keep their full names. The full name stays in the row's note. Aliases never
rename (they only help resolve what the user types, in tui.core.schema.resolve).
"""

from __future__ import annotations

import re
from collections import defaultdict

import polars as pl

# A hub id, `org/name`: letters, digits, `_`, `.` and `-` on both sides of one slash.
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/([A-Za-z0-9][\w.-]*)$")


def last_part(name: str) -> str:
    """The name without its org when it is a hub id, else the name itself."""
    found = HUB_ID.match(name)
    return found.group(1) if found else name


def short_names(models: list[str]) -> dict[str, str]:
    """Full name -> the name shown, for the names that change."""
    by_last: dict[str, set[str]] = defaultdict(set)
    for model in models:
        by_last[last_part(model)].add(model)
    renamed = {}
    for short, full in by_last.items():
        prefixed = [m for m in full if m != short]
        if len(prefixed) == 1 and short:
            renamed[prefixed[0]] = short
    return renamed


def drop_org_prefixes(frame: pl.DataFrame, renamed: dict[str, str] | None = None) -> pl.DataFrame:
    """The sweep frame with models renamed by `short_names` (or by `renamed`, the renames of a
    whole file this frame is part of), the full name kept in the note."""
    if frame.height == 0:
        return frame
    if renamed is None:
        renamed = short_names([m for m in frame["model"].unique().to_list() if m is not None])
    if not renamed:
        return frame
    hit = pl.col("model").cast(pl.String).is_in(list(renamed))
    note = pl.col("note").cast(pl.String).fill_null("")
    full = pl.format("model {}", pl.col("model").cast(pl.String))
    return frame.with_columns(
        note=pl.when(~hit).then(pl.col("note").cast(pl.String)).when(note == "").then(full)
        .otherwise(pl.format("{}; {}", full, note)).cast(frame.schema["note"]),
        model=pl.col("model").cast(pl.String).replace(renamed).cast(frame.schema["model"]),
    )
