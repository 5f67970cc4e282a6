"""One file (or a tool's group of files) loaded: through its tool's importer when one knows it,
else read raw and turned into a sweep or a scaling frame."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tui.core.errors import InputError, not_recognised
from tui.core.files import Sniffed, check_last_line, collect, read_raw, sniff
from tui.core.importers import detect_and_import
from tui.core.loader.collapse import collapse
from tui.core.loader.hive import with_hive_columns
from tui.core.loader.roles import LoadOptions, assign_roles, recognised
from tui.core.loader.scaling import scaling_from_raw
from tui.core.loader.sweep import CATEGORY_ROLES, sweep_from_raw
from tui.core.metrics import to_percent


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
    scale_settled: bool = False  # see Imported.scale_settled (a table of our own: converted when loaded)
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
    loaded = _load_scanned(path, sniffed, options)
    if loaded is not None:
        return loaded
    frame, fmt = read_raw(path, sniffed)
    return load_table(with_hive_columns(frame, path), path, fmt, options, streaming=_many_rows(frame, fmt))


# Smaller delimited files are read whole at once (fewer queries); from this size on, the file is
# scanned by the one query that converts it, so its raw text columns are never all held at once.
SCAN_BYTES = 1 << 20
# Parquet files of this many rows or more are converted by the streaming engine, whose fixed cost
# (about a millisecond a query) is more than it saves on a small file.
STREAM_ROWS = 100_000


def _many_rows(frame: pl.LazyFrame, fmt: str) -> bool:
    """Whether a Parquet file (rows counted from its footer) is big enough to convert streaming."""
    return fmt == "parquet" and frame.select(pl.len()).collect().item() >= STREAM_ROWS


def _load_scanned(path: Path, sniffed: Sniffed, options: LoadOptions | None) -> Loaded | None:
    """A big CSV or TSV sweep of plain columns, scanned and converted in one streaming query; None
    (read it whole) for any other file, or when the scan fails: the whole read names the problem."""
    if sniffed.fmt not in ("csv", "tsv") or sniffed.problem or path.stat().st_size < SCAN_BYTES:
        return None
    separator = "\t" if sniffed.fmt == "tsv" else ","
    try:
        check_last_line(path, separator.encode())
        scan = pl.scan_csv(path, separator=separator, infer_schema_length=10_000, encoding="utf8", glob=False)
        csv_columns = scan.collect_schema()
        frame = with_hive_columns(scan, path)
        schema = frame.collect_schema()
        roles = assign_roles(schema.names(), path, options)
        used = set(roles.values())
        # A failed run's status, a scaling table or a text column that may be a dimension would
        # each scan the file again: those files are read whole.
        if "status" in roles or "params_b" in roles or not recognised(schema, roles) \
                or any(not dtype.is_numeric() for c, dtype in schema.items() if c not in used):
            return None
        # Names are parsed straight into categories, as the conversion keeps them: no column of
        # text is made only to be cast (less work and memory; see docs/PERFORMANCE.md).
        names = {roles[role]: pl.Categorical() for role in CATEGORY_ROLES
                 if roles.get(role) in csv_columns and csv_columns[roles[role]] == pl.String}
        if names:
            frame = with_hive_columns(pl.scan_csv(path, separator=separator, schema={**csv_columns, **names},
                                                  encoding="utf8", glob=False), path)
        loaded = load_table(frame, path, sniffed.fmt, options, streaming=True)
    except (pl.exceptions.PolarsError, OSError, InputError):
        return None
    return loaded if loaded.frame.height else None


def load_table(frame: pl.LazyFrame, path: Path, fmt: str, options: LoadOptions | None,
               streaming: bool = False) -> Loaded:
    """A table's raw columns as a scaling frame or a sweep (its rows collapsed to one per key);
    a scanned file (Parquet, a big CSV) is converted `streaming` (see `sweep_from_raw`)."""
    roles = assign_roles(frame.collect_schema().names(), path, options)
    if not recognised(frame.collect_schema(), roles):
        raise not_recognised(path)
    if "params_b" in roles:
        return Loaded("scaling", scaling_from_raw(collect(frame, path, fmt), path, fmt, roles), None, [], (path,),
                      table_format=fmt)
    long, knob, dims, rows, failed, constants = sweep_from_raw(frame, path, fmt, options, streaming)
    del frame  # the raw columns (of a file read eagerly) are done with: their memory can serve the collapse

    def pooled(checked: pl.DataFrame, fractions: list[str] | None = None) -> Loaded:
        # Fractions shown as % here, so a parsed copy (tui.core.loader.cache) holds them converted.
        return Loaded("sweep", to_percent(collapse(checked, dims, rows, constants), fractions), knob, dims,
                      (path,), failed, scale_settled=True, table_format=fmt)

    if streaming and options is not None and options.checked is not None:
        options.checked(long, dims, pooled)
    return pooled(long)
