"""A raw sweep file (wide: a column per metric; tidy: metric and value columns) as the tidy
sweep frame of tui.core.schema, checked, with its names canonical."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tui.core import schema
from tui.core.errors import InputError
from tui.core.files import collect
from tui.core.importers.knob import find_knob
from tui.core.loader.convert import WHITESPACE, first_row, number_exprs, raise_number, text_expr
from tui.core.loader.roles import (
    INFO_COLUMNS,
    READINGS,
    REPEAT_COLUMNS,
    LoadOptions,
    assign_roles,
    fold,
    has_metrics,
)
from tui.core.loader.rows import Rows, drop_failed_runs
from tui.core.schema import AVG

# The text columns kept as categories until the rows are collapsed (see `_conversion`); a big
# CSV's scan parses them so (one_file).
CATEGORY_ROLES = ("model", "benchmark", "metric", "how", "source", "note")
_BUDGET_CHECKS = {"negative": lambda knob: knob < 0, "fraction": lambda knob: knob != knob.floor()}


def _sweep_checks(base: pl.DataFrame, texts: list[str], flags: list[str], tidy: bool) -> dict:
    """One query over the built columns: where each check first fails, and the distinct names (to
    canonicalise, and to see which text columns need stripping)."""
    exprs = [first_row(pl.col(f), f) for f in flags]
    # A file without a reading column is all accepted: no column to check.
    reading_ok = pl.col("reading").is_in(list(READINGS)) if "reading" in base.columns else pl.lit(True)
    exprs.append(first_row(~reading_ok, "reading!bad"))
    names = list(dict.fromkeys(["model", "benchmark", *(["metric"] if tidy else []), *texts]))
    # Each column's distinct values once (a categorical's are found from its codes: cheap).
    exprs += [pl.col(c).unique().drop_nulls().cast(pl.String).implode().alias(f"{c}!names") for c in names]
    # Missing knobs and names are rare: counted (or seen among the distinct names) in this query,
    # and their first row looked for in another only when there is one.
    rare = {"knob!missing": ("knob", pl.col("knob").is_null())}
    for role in ("model", "benchmark"):
        rare[f"{role}!empty"] = (role, pl.col(role).is_null() | (pl.col(role) == ""))
    if tidy:
        rare["metric!null"] = ("metric", pl.col("metric").is_null())
    exprs += [pl.col(c).null_count().alias(f"{c}!nulls") for c, _ in rare.values()]
    first = base.select(exprs).row(0, named=True)
    found = [check for check, (c, _) in rare.items()
             if first[f"{c}!nulls"] or (check.endswith("!empty") and "" in first[f"{c}!names"])]
    first |= dict.fromkeys(rare)
    if found:
        first |= base.select(first_row(rare[check][1], check) for check in found).row(0, named=True)
    for c in texts:
        first[f"{c}!strip"] = any(name != name.strip(WHITESPACE) for name in first[f"{c}!names"])
    return first


@dataclass
class _RawSweep:
    """A raw sweep file being converted: its (lazy) rows, how to name them, the roles of its
    columns, their types, and the columns that are repeats or may be metrics or dimensions."""

    frame: pl.LazyFrame
    path: Path
    fmt: str
    rows: Rows
    roles: dict[str, str]
    columns: pl.Schema = field(init=False)
    repeats: list[str] = field(init=False)
    extra: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.columns = columns = self.frame.collect_schema()
        used = set(self.roles.values())
        self.repeats = [c for c in columns
                        if fold(c) in REPEAT_COLUMNS and c not in used and c != self.roles.get("n")]
        self.extra = [c for c in columns if c not in used and c not in self.repeats and not c.startswith("_")
                      and fold(c) not in INFO_COLUMNS and not columns[c].is_nested()]

    @property
    def tidy(self) -> bool:
        return "metric" in self.roles and "value" in self.roles


@dataclass
class _Conversion:
    """Pass 1 as expressions: the converted columns and their check flags, the text columns whose
    names may need stripping, each number column's error when it cannot hold numbers (by the
    name of its converted values), in a wide file each candidate metric column's that name, and
    the columns the file lacks, whose one value is added once its rows are collapsed."""

    exprs: list[pl.Expr]
    texts: list[str]
    errors: dict[str, InputError | None] = field(default_factory=dict)
    candidates: dict[str, str] = field(default_factory=dict)
    constants: list[pl.Expr] = field(default_factory=list)


def sweep_from_raw(frame: pl.LazyFrame, path: Path, fmt: str, options: LoadOptions | None = None,
                   streaming: bool = False
                   ) -> tuple[pl.DataFrame, str, list[str], Rows, list[tuple[Path, str]], list[pl.Expr]]:
    """A raw sweep file (wide or tidy) as the tidy sweep frame, plus its knob name, dimensions, the
    namer of its rows, the failed runs (rows) left out, and the provenance columns the file lacks
    as literals (see `collapse`): the frame holds them only once its rows are one per key.

    The columns are converted in one pass and checked in a second (each polars query has a fixed
    cost, which dominates a small file's load); the checks are then raised in the order a person
    fixing the file meets them: the knob, stderr, names, readings, then the values. The first pass
    reads the file (see `read_raw`): only its result, the converted columns, is held in memory.
    A scanned file is converted `streaming`, in batches as it is read: its raw columns are never
    all decoded at once.
    """
    raw, failed_runs, default_note = _raw_sweep(frame, path, fmt, options)
    conversion = _conversion(raw, default_note)
    query = raw.frame.select(conversion.exprs)
    base = _collect_streaming(query, path, fmt) if streaming else collect(query, path, fmt)
    flags = [c for c in base.columns if "!" in c]
    base, first = _checked(base, conversion.texts, flags, raw.tidy)
    _raise_knob_problems(raw, base, first)
    _raise_row_problems(raw, base, first, conversion.errors)
    base = base.drop(flags)
    renames = _canonical_renames(first, raw.tidy)
    if renames:
        base = base.with_columns(renames)
    if raw.tidy:
        long, dims = base, [c for c in raw.extra if raw.columns[c] in (pl.String, pl.Categorical, pl.Boolean)]
    else:
        long, dims = _stacked(raw, base, first, conversion)
    return _with_dimensions(raw, long, dims), raw.roles["knob"], dims, raw.rows, failed_runs, conversion.constants


def _collect_streaming(query: pl.LazyFrame, path: Path, fmt: str) -> pl.DataFrame:
    """The query run in batches; should it fail, it runs again as `collect` runs it, which names a
    damaged Parquet file (and raises anything else as it comes)."""
    try:
        return query.collect(engine="streaming")
    except (pl.exceptions.PolarsError, OSError):
        return collect(query, path, fmt)


def _raw_sweep(frame: pl.LazyFrame, path: Path, fmt: str, options: LoadOptions | None
               ) -> tuple[_RawSweep, list[tuple[Path, str]], list[str]]:
    """The file with its roles found, failed runs left out and the columns it lacks made up: the
    knob from its path, the model and benchmark (with the note saying they were made up).

    A file without a model or benchmark column is one model on one task: it is named after the
    file, and the note says so.
    """
    rows = Rows(path, fmt)
    roles = assign_roles(frame.collect_schema().names(), path, options)
    frame, rows, failed_runs = drop_failed_runs(frame, roles, rows)
    if "knob" not in roles:
        # One run per file, the knob in its path (kv_budget=2500/ or a --knob rule): a constant column.
        found = find_knob(path, rule=options.knob_rule if options else None)
        if found is None:
            raise rows.error("missing required column 'knob' (also accepted: "
                             "kv_budget/budget/compression_ratio; or name it with --knob-col, "
                             "or give --knob NAME=REGEX on the path)")
        frame = frame.with_columns(pl.lit(found[1], dtype=pl.Float64).alias(found[0]))
        roles["knob"] = found[0]
    if "model" not in roles and "benchmark" not in roles and not has_metrics(frame.collect_schema(), roles):
        raise rows.error("missing required column 'model' (also accepted: model/model_name/modelname)")
    default_note = []
    for role in ("model", "benchmark"):
        if role not in roles:
            column = f"_{role}"
            frame = frame.with_columns(pl.lit(path.stem if role == "model" else "(one task)").alias(column))
            roles[role] = column
            default_note.append(f"no {role} column")
    return _RawSweep(frame, path, fmt, rows, roles), failed_runs, default_note


def _conversion(raw: _RawSweep, default_note: list[str]) -> _Conversion:
    """Pass 1: every column converted, with flags for the rows that fail a check."""
    roles = raw.roles
    knob_exprs, knob_error = number_exprs(raw.columns, roles["knob"], "knob", raw.rows, roles["knob"])
    if knob_error is not None:
        raise knob_error
    exprs = [pl.int_range(0, pl.len(), dtype=pl.UInt32).alias("_row"),
             # Names and provenance repeat on every row: categorical until the rows are collapsed (less
             # memory than text, and their codes are the group keys; see collapse).
             text_expr(raw.columns, roles["model"]).alias("model"),
             text_expr(raw.columns, roles["benchmark"]).alias("benchmark"),
             *knob_exprs,
             # Budgets are checked row by row as they are converted (a comparison needs no hash table
             # of their distinct values, and the conversion's batches hold its temporaries).
             *[check(knob_exprs[0]).alias(f"knob!{name}") for name, check in _BUDGET_CHECKS.items()
               if not (name == "fraction" and raw.columns[roles["knob"]].is_integer())]]
    texts = [role for role in ("model", "benchmark", "how", "source", "note") if roles.get(role)]
    conversion = _Conversion(exprs, texts)
    if "stderr" in roles:
        stderr_exprs, conversion.errors["stderr"] = number_exprs(raw.columns, roles["stderr"], "stderr",
                                                                 raw.rows, "stderr")
        exprs += stderr_exprs
    else:
        conversion.constants.append(pl.lit(None, dtype=pl.Float64).alias("stderr"))
    _add_provenance(raw, default_note, conversion)
    exprs += _repeat_exprs(raw)
    if raw.tidy:
        value_exprs, conversion.errors["value"] = number_exprs(raw.columns, roles["value"], "value",
                                                               raw.rows, "value")
        exprs += [text_expr(raw.columns, roles["metric"]).alias("metric"), *value_exprs]
        texts.append("metric")
    else:
        _add_metric_candidates(raw, conversion)
    return conversion


def _add_provenance(raw: _RawSweep, default_note: list[str], conversion: _Conversion) -> None:
    """How each value was obtained, whether it is accepted, its source and note: converted when
    the file has the column, else one value for all its rows (a constant, not a column yet)."""
    roles, cat = raw.roles, pl.Categorical
    reading = roles.get("reading")
    if reading:
        conversion.exprs.append(pl.col(reading).cast(pl.String).str.strip_chars().str.to_lowercase().cast(cat)
                                .alias("reading"))
    else:
        conversion.constants.append(pl.lit("accepted").alias("reading"))
    for role, default in (("how", "measured"), ("source", raw.path.name), ("note", "; ".join(default_note))):
        if role in roles:
            expr = text_expr(raw.columns, roles[role])
            conversion.exprs.append((expr.fill_null("") if role == "note" else expr).alias(role))
        else:
            conversion.constants.append(pl.lit(default).alias(role))


def _repeat_exprs(raw: _RawSweep) -> list[pl.Expr]:
    """The repeat columns (seed, sample...) as `_rep_<column>`."""
    exprs = []
    for column in raw.repeats:
        # Repeats are told apart by their text; whole numbers need no conversion to be told apart.
        rep = pl.col(column) if raw.columns[column].is_integer() else pl.col(column).cast(pl.String) \
            .cast(pl.Categorical)
        exprs.append(rep.alias(f"_rep_{column}"))
    return exprs


def _add_metric_candidates(raw: _RawSweep, conversion: _Conversion) -> None:
    """A wide file's columns that may be metrics, converted as `_value<index>`.

    A column is a metric when its name is one, it holds numbers, or it is text whose every
    non-empty cell is a number (no `!text` flag): all are converted in this pass.
    """
    for index, column in enumerate(raw.extra):
        dtype = raw.columns[column]
        known = schema.canonical_metric(column) in schema.METRIC_LABELS
        if known or dtype.is_numeric() or dtype == pl.String:
            name = f"_value{index}"
            column_exprs, conversion.errors[name] = number_exprs(raw.columns, column, name, raw.rows,
                                                                 f"{column} value")
            conversion.exprs += column_exprs
            conversion.candidates[column] = name


def _checked(base: pl.DataFrame, texts: list[str], flags: list[str], tidy: bool) -> tuple[pl.DataFrame, dict]:
    """Pass 2: where each check first fails (and a third pass in the rare file with padded names,
    once they are stripped)."""
    first = _sweep_checks(base, texts, flags, tidy)
    padded = [c for c in texts if first[f"{c}!strip"]]
    if padded:
        base = base.with_columns(pl.col(c).cast(pl.String).str.strip_chars().cast(pl.Categorical)
                                 for c in padded)
        first = _sweep_checks(base, [], flags, tidy)
    return base, first


def _raise_knob_problems(raw: _RawSweep, base: pl.DataFrame, first: dict) -> None:
    """The knob's first problem: not a number, missing, or a budget that is negative or fractional."""
    knob_name, rows = raw.roles["knob"], raw.rows
    raise_number(first, "knob", None, raw.frame, knob_name, rows, knob_name)
    if first["knob!missing"] is not None:
        raise rows.error(f"{knob_name} is missing", first["knob!missing"], knob_name)
    if "budget" in fold(knob_name) or knob_name == "knob":
        for check, problem in (("negative", "is negative"), ("fraction", "is not a whole number of tokens")):
            i = first.get(f"knob!{check}")
            if i is not None:
                raise rows.error(f"budget {base['knob'][i]:g} {problem}", i, knob_name)


def _raise_row_problems(raw: _RawSweep, base: pl.DataFrame, first: dict,
                        errors: dict[str, InputError | None]) -> None:
    """After the knob, the first problem in stderr, the names, the readings, then (tidy) the values."""
    roles, rows = raw.roles, raw.rows
    if "stderr" in roles:
        raise_number(first, "stderr", errors["stderr"], raw.frame, roles["stderr"], rows, "stderr")
    for role in ("model", "benchmark"):
        if first[f"{role}!empty"] is not None:
            raise rows.error(f"{role} is empty", first[f"{role}!empty"], roles[role])
    if first["reading!bad"] is not None:
        i = first["reading!bad"]
        raise rows.error(f"reading {base['reading'][i]!r} must be accepted or rejected", i, roles["reading"])
    if raw.tidy:
        raise_number(first, "value", errors["value"], raw.frame, roles["value"], rows, "value")
        if first["metric!null"] is not None:
            raise rows.error("metric is empty", first["metric!null"], roles["metric"])


def _canonical_renames(first: dict, tidy: bool) -> list[pl.Expr]:
    """Expressions giving the model, benchmark (and tidy metric) names their canonical spelling."""
    # Names are kept as the file gives them (trimmed); only "avg"/"average" rows mean an aggregate.
    averages = {AVG: schema.BENCHMARK_ALIASES[AVG]}
    renames = [schema.canonical_names(first["model!names"], {}, "model"),
               schema.canonical_names(first["benchmark!names"], averages, "benchmark")]
    if tidy:
        renames.append(schema.canonical_names(first["metric!names"], schema.METRIC_ALIASES, "metric"))
    return [expr.cast(pl.Categorical) for expr in renames if expr is not None]


def _stacked(raw: _RawSweep, base: pl.DataFrame, first: dict, conversion: _Conversion
             ) -> tuple[pl.DataFrame, list[str]]:
    """A wide file's metric columns stacked into metric and value, and its dimensions (the other
    columns); a metric column that is not all numbers raises its first bad cell."""
    metric_columns, dims = [], []
    converted = conversion.candidates
    for column in raw.extra:
        known = schema.canonical_metric(column) in schema.METRIC_LABELS
        name = converted.get(column)
        if known or raw.columns[column].is_numeric() or (name and first.get(f"{name}!text") is None):
            metric_columns.append(column)
        else:
            dims.append(column)
    if not metric_columns:
        raise raw.rows.error("no metric columns (expected e.g. pass_at_1, throughput_tps) "
                             "and no metric/value columns")
    for column in metric_columns:
        name = converted[column]
        raise_number(first, name, conversion.errors[name], raw.frame, column, raw.rows, f"{column} value")
    common = [c for c in base.columns if not c.startswith("_value")]
    long = pl.concat([base.select(*common, pl.lit(schema.canonical_metric(column), dtype=pl.Categorical)
                                  .alias("metric"), pl.col(converted[column]).alias("value"))
                      for column in metric_columns], how="vertical")
    return long, dims


def _with_dimensions(raw: _RawSweep, long: pl.DataFrame, dims: list[str]) -> pl.DataFrame:
    """The dimension columns added as text, and the rows without a value left out."""
    # Dimensions are looked up by source row, which also serves the wide form's stacked copies.
    if dims:
        values = collect(raw.frame.select(pl.col(dims).cast(pl.String)), raw.path, raw.fmt)
        long = long.with_columns(values[c].gather(long["_row"]).alias(c) for c in dims)
    if long["value"].null_count():  # (a filter that keeps every row would still copy them all)
        long = long.filter(pl.col("value").is_not_null())
    return long
