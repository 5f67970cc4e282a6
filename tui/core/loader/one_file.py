"""One file (or a tool's group of files) loaded: through its tool's importer when one knows it,
else read raw and turned into a sweep or a scaling frame."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tui.core.errors import InputError, not_recognised
from tui.core.files import collect, read_raw, sniff
from tui.core.importers import detect_and_import
from tui.core.loader.collapse import collapse
from tui.core.loader.hive import with_hive_columns
from tui.core.loader.roles import LoadOptions, assign_roles, recognised
from tui.core.loader.scaling import scaling_from_raw
from tui.core.loader.sweep import sweep_from_raw


@dataclass
class Loaded:
    """One file (or a tool's group of files) as loaded, with what the loader needs to combine it."""

    kind: str  # sweep | scaling
    frame: pl.DataFrame
    knob: str | None
    dims: list[str]
    covers: tuple[Path, ...] = ()
    failed: list[tuple[Path, str]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    scale_settled: bool = False  # see Imported.scale_settled
    table_format: str | None = None  # csv, tsv, parquet ... when read as a table of our own (no importer)
    cached: bool = False  # read from the parsed copy (tui.core.loader.cache)


def load_one(path: Path, options: LoadOptions | None = None, fetched: dict | None = None) -> Loaded:
    """The file through the importer of the tool that wrote it, else read raw: a scaling file or a
    sweep (its rows collapsed to one per key). An object read from a bucket is in `fetched`."""
    if fetched and path in fetched:
        if isinstance(fetched[path], InputError):
            raise fetched[path]
        frame, fmt = fetched.pop(path)
        return load_table(frame, path, fmt, options)
    sniffed = sniff(path)
    imported = detect_and_import(sniffed, options.knob_rule if options else None)
    if imported is not None:
        return Loaded("sweep", imported.frame, imported.knob_name, list(imported.dims), imported.covers,
                      imported.failed, imported.settings, imported.scale_settled)
    frame, fmt = read_raw(path, sniffed)
    return load_table(with_hive_columns(frame, path), path, fmt, options)


def load_table(frame: pl.LazyFrame, path: Path, fmt: str, options: LoadOptions | None) -> Loaded:
    """A table's raw columns as a scaling frame or a sweep (its rows collapsed to one per key)."""
    roles = assign_roles(frame.collect_schema().names(), path, options)
    if not recognised(frame.collect_schema(), roles):
        raise not_recognised(path)
    if "params_b" in roles:
        return Loaded("scaling", scaling_from_raw(collect(frame, path, fmt), path, fmt, roles), None, [], (path,),
                      table_format=fmt)
    long, knob, dims, rows, failed = sweep_from_raw(frame, path, fmt, options)
    del frame  # the raw columns (of a file read eagerly) are done with: their memory can serve the collapse
    return Loaded("sweep", collapse(long, dims, rows), knob, dims, (path,), failed, table_format=fmt)
