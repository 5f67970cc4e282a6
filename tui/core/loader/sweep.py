"""A raw sweep file (wide: a column per metric; tidy: metric and value columns) as the tidy
sweep frame of tui.core.schema, checked, with its names canonical."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tui.core import schema
from tui.core.errors import InputError
from tui.core.files import collect
from tui.core.importers.knob import find_knob
from tui.core.loader.convert import WHITESPACE, first_row, number_exprs, raise_number, text_expr
from tui.core.loader.roles import INFO_COLUMNS, READINGS, REPEAT_COLUMNS, LoadOptions, assign_roles, fold, has_metrics
from tui.core.loader.rows import Rows, drop_failed_runs
from tui.core.schema import AVG

_BUDGET_CHECKS = {"negative": lambda knob: knob < 0, "fraction": lambda knob: knob != knob.floor()}


def _sweep_checks(base: pl.DataFrame, texts: list[str], flags: list[str], tidy: bool) -> dict:
    """One query over the built columns: where each check first fails, and the distinct names (to
    canonicalise, and to see which text columns need stripping)."""
    exprs = [first_row(pl.col(f), f) for f in flags]
    # Budgets are checked row by row: a comparison over a million floats costs less than the hash
    # table of their distinct values, and gives the first bad row in the same query.
    exprs += [first_row(pl.col("knob").is_null(), "knob!missing"),
              *[first_row(check(pl.col("knob")), f"knob!{name}") for name, check in _BUDGET_CHECKS.items()]]
    exprs += [first_row(pl.col(role).is_null() | (pl.col(role) == ""), f"{role}!empty")
              for role in ("model", "benchmark")]
    exprs.append(first_row(~pl.col("reading").is_in(list(READINGS)), "reading!bad"))
    names = list(dict.fromkeys(["model", "benchmark", *(["metric"] if tidy else []), *texts]))
    if tidy:
        exprs.append(first_row(pl.col("metric").is_null(), "metric!null"))
    # Each column's distinct values once (a categorical's are found from its codes, a few ms a million rows).
    exprs += [pl.col(c).unique().drop_nulls().cast(pl.String).implode().alias(f"{c}!names") for c in names]
    first = base.select(exprs).row(0, named=True)
    for c in texts:
        first[f"{c}!strip"] = any(name != name.strip(WHITESPACE) for name in first[f"{c}!names"])
    return first


def sweep_from_raw(frame: pl.LazyFrame, path: Path, fmt: str, options: LoadOptions | None = None
                    ) -> tuple[pl.DataFrame, str, list[str], Rows, list[tuple[Path, str]]]:
    """A raw sweep file (wide or tidy) as the tidy sweep frame, plus its knob name, dimensions, the
    namer of its rows and the failed runs (rows) left out.

    A file without a model or benchmark column is one model on one task: it is named after the
    file, and the note says so.

    The columns are converted in one pass and checked in a second (polars runs each eager step
    as a query of its own, and a small file's load was mostly their fixed cost); the checks are
    then raised in the order a person fixing the file meets them: the knob, stderr, names,
    readings, then the values. The first pass reads the file (see `read_raw`): only its result,
    the converted columns, is held in memory.
    """
    rows = Rows(path, fmt)
    roles = assign_roles(frame.collect_schema().names(), path, options)
    frame, rows, failed_runs = drop_failed_runs(frame, roles, rows)
    if "knob" not in roles:
        # One run per file, the knob in its path (kv_budget=2500/ or a --knob rule): a constant column.
        found = find_knob(path, rule=options.knob_rule if options else None)
        if found is None:
            raise rows.error("missing required column 'knob' (also accepted: kv_budget/budget/compression_ratio; "
                             "or name it with --knob-col, or give --knob NAME=REGEX on the path)")
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
    tidy = "metric" in roles and "value" in roles
    columns = frame.collect_schema()
    used = set(roles.values())
    repeats = [c for c in columns if fold(c) in REPEAT_COLUMNS and c not in used and c != roles.get("n")]
    extra = [c for c in columns if c not in used and c not in repeats and not c.startswith("_")
             and fold(c) not in INFO_COLUMNS and not columns[c].is_nested()]

    # Pass 1: every column converted, with flags for the rows that fail a check.
    cat = pl.Categorical
    knob_exprs, knob_error = number_exprs(columns, roles["knob"], "knob", rows, roles["knob"])
    if knob_error is not None:
        raise knob_error
    exprs = [pl.int_range(0, pl.len(), dtype=pl.UInt32).alias("_row"),
             # Names and provenance repeat on every row: categorical until the rows are collapsed (a
             # quarter of the memory of text, and their codes are the group keys; see collapse).
             text_expr(roles["model"], None, cat).alias("model"),
             text_expr(roles["benchmark"], None, cat).alias("benchmark"),
             *knob_exprs]
    stderr_error = None
    if "stderr" in roles:
        stderr_exprs, stderr_error = number_exprs(columns, roles["stderr"], "stderr", rows, "stderr")
        exprs += stderr_exprs
    else:
        exprs.append(pl.lit(None, dtype=pl.Float64).alias("stderr"))
    reading = roles.get("reading")
    exprs += [text_expr(roles.get("how"), "measured", cat).alias("how"),
              (pl.col(reading).cast(pl.String).str.strip_chars().str.to_lowercase().cast(cat) if reading
               else pl.lit("accepted", dtype=cat)).alias("reading"),
              text_expr(roles.get("source"), path.name, cat).alias("source"),
              text_expr(roles.get("note"), "; ".join(default_note), cat).fill_null("").alias("note")]
    for column in repeats:
        # Repeats are told apart by their text; whole numbers need no conversion to be told apart.
        rep = pl.col(column) if columns[column].is_integer() else pl.col(column).cast(pl.String).cast(cat)
        exprs.append(rep.alias(f"_rep_{column}"))
    texts = [role for role in ("model", "benchmark", "how", "source", "note") if roles.get(role)]
    value_errors: dict[str, InputError | None] = {}
    candidates: list[tuple[str, str]] = []  # (column, name of its converted values)
    if tidy:
        dims = [c for c in extra if columns[c] in (pl.String, pl.Categorical, pl.Boolean)]
        value_exprs, value_errors["value"] = number_exprs(columns, roles["value"], "value", rows, "value")
        exprs += [text_expr(roles["metric"], None, cat).alias("metric"), *value_exprs]
        texts.append("metric")
    else:
        # A column is a metric when its name is one, it holds numbers, or it is text whose every
        # non-empty cell is a number (no `!text` flag): all are converted in this pass.
        for index, column in enumerate(extra):
            dtype = columns[column]
            if schema.canonical_metric(column) in schema.METRIC_LABELS or dtype.is_numeric() or dtype == pl.String:
                name = f"_value{index}"
                column_exprs, value_errors[name] = number_exprs(columns, column, name, rows, f"{column} value")
                exprs += column_exprs
                candidates.append((column, name))
    base = collect(frame.select(exprs), path, fmt)
    flags = [c for c in base.columns if "!" in c]

    # Pass 2: where each check first fails (and a third pass in the rare file with padded names).
    first = _sweep_checks(base, texts, flags, tidy)
    padded = [c for c in texts if first[f"{c}!strip"]]
    if padded:
        base = base.with_columns(pl.col(c).cast(pl.String).str.strip_chars().cast(cat) for c in padded)
        first = _sweep_checks(base, [], flags, tidy)
    raise_number(first, "knob", None, frame, roles["knob"], rows, roles["knob"])
    knob_name = roles["knob"]
    if first["knob!missing"] is not None:
        raise rows.error(f"{knob_name} is missing", first["knob!missing"], knob_name)
    if "budget" in fold(knob_name) or knob_name == "knob":
        for check, problem in (("negative", "is negative"), ("fraction", "is not a whole number of tokens")):
            i = first[f"knob!{check}"]
            if i is not None:
                raise rows.error(f"budget {base['knob'][i]:g} {problem}", i, knob_name)
    if "stderr" in roles:
        raise_number(first, "stderr", stderr_error, frame, roles["stderr"], rows, "stderr")
    for role in ("model", "benchmark"):
        if first[f"{role}!empty"] is not None:
            raise rows.error(f"{role} is empty", first[f"{role}!empty"], roles[role])
    if first["reading!bad"] is not None:
        i = first["reading!bad"]
        raise rows.error(f"reading {base['reading'][i]!r} must be accepted or rejected", i, roles["reading"])
    # Names are kept as the file gives them (trimmed); only "avg"/"average" rows mean an aggregate.
    averages = {AVG: schema.BENCHMARK_ALIASES[AVG]}
    renames = [schema.canonical_names(first["model!names"], {}, "model"),
               schema.canonical_names(first["benchmark!names"], averages, "benchmark")]
    if tidy:
        raise_number(first, "value", value_errors["value"], frame, roles["value"], rows, "value")
        if first["metric!null"] is not None:
            raise rows.error("metric is empty", first["metric!null"], roles["metric"])
        renames.append(schema.canonical_names(first["metric!names"], schema.METRIC_ALIASES, "metric"))
    renames = [expr.cast(cat) for expr in renames if expr is not None]
    base = base.drop(flags)
    if renames:
        base = base.with_columns(renames)

    if tidy:
        long = base
    else:
        metric_columns, dims = [], []
        converted = dict(candidates)
        for column in extra:
            known = schema.canonical_metric(column) in schema.METRIC_LABELS
            name = converted.get(column)
            if known or columns[column].is_numeric() or (name and first.get(f"{name}!text") is None):
                metric_columns.append(column)
            else:
                dims.append(column)
        if not metric_columns:
            raise rows.error("no metric columns (expected e.g. pass_at_1, throughput_tps) and no metric/value columns")
        for column in metric_columns:
            name = converted[column]
            raise_number(first, name, value_errors[name], frame, column, rows, f"{column} value")
        common = [c for c in base.columns if not c.startswith("_value")]
        long = pl.concat([base.select(*common, pl.lit(schema.canonical_metric(column), dtype=cat).alias("metric"),
                                      pl.col(converted[column]).alias("value"))
                          for column in metric_columns], how="vertical")
    # Dimensions are looked up by source row, which also serves the wide form's stacked copies.
    if dims:
        raw = collect(frame.select(pl.col(dims).cast(pl.String)), path, fmt)
        long = long.with_columns(raw[c].gather(long["_row"]).alias(c) for c in dims)
    if long["value"].null_count():  # (a filter that keeps every row would still copy them all)
        long = long.filter(pl.col("value").is_not_null())
    return long, roles["knob"], dims, rows, failed_runs
