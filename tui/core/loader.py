"""One loader for everything: paths -> validated, canonical frames -> a Results object.

Each file is read raw (tui.core.files), its columns are given roles by name (aliases
below), and it is turned into the tidy sweep frame or the scaling frame of tui.core.schema.
All work is polars expressions over whole columns, so a million-row sweep loads in
about the time polars takes to read it; Python only touches the rare bad row to name it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tui.core import schema
from tui.core.bundled import bundled_files
from tui.core.errors import FailedRun, InputError, not_recognised
from tui.core.files import ENGINE, collect, discover, read_raw, sniff
from tui.core.importers import KnobRule, detect_and_import, knob_column
from tui.core.importers.knob import find_knob
from tui.core.metrics import to_percent
from tui.core.names import drop_org_prefixes
from tui.core.schema import AVG, SCALING_SCHEMA, SWEEP_SCHEMA, Results


@dataclass(frozen=True)
class LoadOptions:
    """What the user told us about their files: a knob rule and which column plays which role."""

    knob_rule: KnobRule | None = None
    model_col: str | None = None
    benchmark_col: str | None = None
    knob_col: str | None = None
    metric: str | None = None  # --metric: show every benchmark by this metric (Results.with_metric)

    def forced_roles(self) -> dict[str, str]:
        return {role: col for role, col in (("model", self.model_col), ("benchmark", self.benchmark_col),
                                            ("knob", self.knob_col)) if col}


ROLE_ALIASES = {
    "model": ["model", "model_name", "modelname", "model_id", "llm"],
    "benchmark": ["benchmark", "task", "dataset", "bench", "task_name"],
    "knob": ["kv_budget", "budget", "kvbudget", "kv_cache_budget", "knob", "cache_budget"],
    "metric": ["metric", "metric_name"],
    "value": ["value", "score_value", "result"],
    "stderr": ["stderr", "std_err", "se", "uncertainty"],
    "how": ["how", "provenance"],
    "reading": ["reading"],
    # A run's outcome; a column of only accepted/rejected values is read as `reading`.
    "status": ["status", "state", "run_status", "job_status", "run_state"],
    "source": ["source", "origin"],
    "note": ["note", "notes", "comment"],
    "family": ["family", "model_family"],
    "params_b": ["activated_params_b", "params_b", "activated_params", "params", "parameters_b"],
    "params_how": ["params_how"], "params_source": ["params_source"],
    "score_how": ["score_how"], "score_source": ["score_source"],
    "score": ["mathvision_pass_at_1", "score"],
    "n": ["n", "num_runs", "runs", "n_runs"],
}
REPEAT_COLUMNS = {"seed", "sample", "samples", "run", "repeat", "trial", "run_number", "replicate"}
READINGS = {"accepted", "rejected"}
# Text about a run that is neither a metric nor a setting: never converted, never a dimension.
INFO_COLUMNS = {"tags", "tag", "host", "hostname", "date", "time", "timestamp", "datetime", "created_at",
                "started_at", "finished_at", "error", "errors", "error_message", "message", "log",
                "description", "git_sha", "git_hash", "commit", "user", "run_id", "job_id", "id", "uuid",
                "path", "file", "filename", "url", "comments", "remarks", "notes", "comment"}
# Words in a status cell that say the run failed (so its numbers, if any, measure nothing).
FAILED_WORDS = {"fail", "failed", "failure", "error", "errored", "crash", "crashed", "oom", "timeout",
                "cancelled", "canceled", "killed", "aborted", "exception", "died"}
# Roles a second column may also match without being an error: the first one is used.
_FIRST_WINS = {"note"}
# Rejected readings are alternatives kept for reference: two sources may each have one for the
# same key, so for them the source is part of the key. Accepted values must agree.
_ALTERNATIVE = pl.when(pl.col("reading") == "rejected").then(pl.col("source")).otherwise(pl.lit("")).alias("_alt")


def _fold(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def assign_roles(columns: list[str], path: Path, options: LoadOptions | None = None) -> dict[str, str]:
    """Map each role to the file's column that plays it; two columns claiming one role is an error.

    Columns the user named (--model-col and friends) win; the knob may also come from the
    knob importer's rule (`--knob NAME=...` names the column NAME) or its name heuristics.
    """
    forced = options.forced_roles() if options else {}
    for role, column in forced.items():
        if column not in columns:
            raise InputError(f"no column {column!r} for --{role}-col; columns: {', '.join(columns)}", path=path)
    roles: dict[str, str] = dict(forced)
    for column in columns:
        if column in forced.values():
            continue
        folded = _fold(column)
        for role, names in ROLE_ALIASES.items():
            if folded in names:
                if role in forced:
                    break
                if role in roles and role in _FIRST_WINS:
                    break
                if role in roles:
                    raise InputError(f"columns {roles[role]!r} and {column!r} both look like the {role} column",
                                     path=path)
                roles[role] = column
    if "knob" not in roles and "params_b" not in roles:
        rule = options.knob_rule if options else None
        guess = knob_column([c for c in columns if c not in roles.values()], rule)
        if guess:
            roles["knob"] = guess
    return roles


class _Rows:
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
        return InputError(message, path=self.path, row=None if index is None else self.label(index), column=column)


def _has_metrics(columns: pl.Schema, roles: dict[str, str]) -> bool:
    """Whether the columns without a role include a metric (so a model-less file is still results)."""
    used = set(roles.values())
    return any(schema.canonical_metric(c) in schema.METRIC_LABELS or dtype.is_numeric()
               for c, dtype in columns.items()
               if c not in used and _fold(c) not in REPEAT_COLUMNS and _fold(c) not in INFO_COLUMNS)


def _recognised(columns: pl.Schema, roles: dict[str, str]) -> bool:
    """Whether a table is one of ours at all: a role column or a metric kvscope knows by name."""
    roles_found = ("model", "benchmark", "knob", "metric", "value", "params_b", "score")
    return any(role in roles for role in roles_found) \
        or any(schema.canonical_metric(c) in schema.METRIC_LABELS for c in columns)


def _says_failed(status: str) -> bool:
    text = status.lower()
    words = set(re.split(r"[^a-z]+", text))
    return bool(FAILED_WORDS & words) or "out of memory" in text or "timed out" in text


def _drop_failed_runs(frame: pl.LazyFrame, roles: dict[str, str], rows: _Rows
                      ) -> tuple[pl.LazyFrame, _Rows, list[tuple[Path, str]]]:
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
        error = FailedRun(f"every row's {column} says the run failed ({said})", path=rows.path)
        error.runs = left_out
        raise error
    return frame.filter(~failed), _Rows(rows.path, rows.fmt, kept), left_out


def _number_exprs(columns: pl.Schema, column: str, name: str, rows: _Rows,
                  what: str) -> tuple[list[pl.Expr], InputError | None]:
    """A column as Float64 (text is stripped first; NaN and empty cells become null), as
    expressions for one pass over the file: the value as `name`, and flags `name!text` (a cell
    that is not a number) and `name!inf` (not finite) whose first true row names the error.
    A column that cannot hold numbers gives a null placeholder and its error."""
    dtype = columns[column]
    col = pl.col(column)
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


def _raise_number(first: dict, name: str, error: InputError | None, frame: pl.DataFrame | pl.LazyFrame,
                  column: str, rows: _Rows, what: str) -> None:
    """The column's first problem, from the first rows `_number_exprs` flagged: a cell that is
    not a number, else one that is not finite (each quoted as the file has it)."""
    if error is not None:
        raise error
    if first.get(f"{name}!text") is not None:
        i = first[f"{name}!text"]
        raise rows.error(f"{what} {_cell(frame, column, i)!r} is not a number", i, column)
    if first[f"{name}!inf"] is not None:
        i = first[f"{name}!inf"]
        raise rows.error(f"{what} {_cell(frame, column, i)!r} is not a finite number", i, column)


def _cell(frame: pl.DataFrame | pl.LazyFrame, column: str, index: int) -> object:
    """One cell as the file has it, to quote in an error (the raw file is read again for it)."""
    return frame.lazy().select(pl.col(column).slice(index, 1)).collect().item()


def _text_expr(column: str | None, default: str | None, dtype: pl.DataType = pl.String) -> pl.Expr:
    """A text column as `dtype` (or `default` on every row), not yet stripped: the check pass
    finds the columns whose distinct values have spaces around them (rarely any) and only those
    are stripped, so the usual million-row file costs no stripped copy of its names."""
    if column is None:
        return pl.lit(default, dtype=dtype)
    return pl.col(column).cast(pl.String).cast(dtype)


# What polars' str.strip_chars() removes: Unicode White_Space (Python's str.strip() would also take
# a few control characters, so the set is spelled out). Padded names are found among a column's
# distinct values in Python, which the check pass gathers anyway: no query strips them.
_WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
              "\u2028\u2029\u202f\u205f\u3000"


def _first(flag: pl.Expr, name: str) -> pl.Expr:
    """The index of the first row where `flag` holds (null when none does), named `name`."""
    return flag.arg_true().first().alias(name)


_BUDGET_CHECKS = {"negative": lambda knob: knob < 0, "fraction": lambda knob: knob != knob.floor()}


def _sweep_checks(base: pl.DataFrame, texts: list[str], flags: list[str], tidy: bool) -> dict:
    """One query over the built columns: where each check first fails, and the distinct names (to
    canonicalise, and to see which text columns need stripping)."""
    exprs = [_first(pl.col(f), f) for f in flags]
    # Budgets are checked row by row: a comparison over a million floats costs less than the hash
    # table of their distinct values, and gives the first bad row in the same query.
    exprs += [_first(pl.col("knob").is_null(), "knob!missing"),
              *[_first(check(pl.col("knob")), f"knob!{name}") for name, check in _BUDGET_CHECKS.items()]]
    exprs += [_first(pl.col(role).is_null() | (pl.col(role) == ""), f"{role}!empty") for role in ("model", "benchmark")]
    exprs.append(_first(~pl.col("reading").is_in(list(READINGS)), "reading!bad"))
    names = list(dict.fromkeys(["model", "benchmark", *(["metric"] if tidy else []), *texts]))
    if tidy:
        exprs.append(_first(pl.col("metric").is_null(), "metric!null"))
    # Each column's distinct values once (a categorical's are found from its codes, a few ms a million rows).
    exprs += [pl.col(c).unique().drop_nulls().cast(pl.String).implode().alias(f"{c}!names") for c in names]
    first = base.select(exprs).row(0, named=True)
    for c in texts:
        first[f"{c}!strip"] = any(name != name.strip(_WHITESPACE) for name in first[f"{c}!names"])
    return first


def _sweep_from_raw(frame: pl.LazyFrame, path: Path, fmt: str, options: LoadOptions | None = None
                    ) -> tuple[pl.DataFrame, str, list[str], _Rows, list[tuple[Path, str]]]:
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
    rows = _Rows(path, fmt)
    roles = assign_roles(frame.collect_schema().names(), path, options)
    frame, rows, failed_runs = _drop_failed_runs(frame, roles, rows)
    if "knob" not in roles:
        # One run per file, the knob in its path (kv_budget=2500/ or a --knob rule): a constant column.
        found = find_knob(path, rule=options.knob_rule if options else None)
        if found is None:
            raise rows.error("missing required column 'knob' (also accepted: kv_budget/budget/compression_ratio; "
                             "or name it with --knob-col, or give --knob NAME=REGEX on the path)")
        frame = frame.with_columns(pl.lit(found[1], dtype=pl.Float64).alias(found[0]))
        roles["knob"] = found[0]
    if "model" not in roles and "benchmark" not in roles and not _has_metrics(frame.collect_schema(), roles):
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
    repeats = [c for c in columns if _fold(c) in REPEAT_COLUMNS and c not in used and c != roles.get("n")]
    extra = [c for c in columns if c not in used and c not in repeats and not c.startswith("_")
             and _fold(c) not in INFO_COLUMNS and not columns[c].is_nested()]

    # Pass 1: every column converted, with flags for the rows that fail a check.
    cat = pl.Categorical
    knob_exprs, knob_error = _number_exprs(columns, roles["knob"], "knob", rows, roles["knob"])
    if knob_error is not None:
        raise knob_error
    exprs = [pl.int_range(0, pl.len(), dtype=pl.UInt32).alias("_row"),
             # Names and provenance repeat on every row: categorical until the rows are collapsed (a
             # quarter of the memory of text, and their codes are the group keys; see _collapse).
             _text_expr(roles["model"], None, cat).alias("model"),
             _text_expr(roles["benchmark"], None, cat).alias("benchmark"),
             *knob_exprs]
    stderr_error = None
    if "stderr" in roles:
        stderr_exprs, stderr_error = _number_exprs(columns, roles["stderr"], "stderr", rows, "stderr")
        exprs += stderr_exprs
    else:
        exprs.append(pl.lit(None, dtype=pl.Float64).alias("stderr"))
    reading = roles.get("reading")
    exprs += [_text_expr(roles.get("how"), "measured", cat).alias("how"),
              (pl.col(reading).cast(pl.String).str.strip_chars().str.to_lowercase().cast(cat) if reading
               else pl.lit("accepted", dtype=cat)).alias("reading"),
              _text_expr(roles.get("source"), path.name, cat).alias("source"),
              _text_expr(roles.get("note"), "; ".join(default_note), cat).fill_null("").alias("note")]
    for column in repeats:
        # Repeats are told apart by their text; whole numbers need no conversion to be told apart.
        rep = pl.col(column) if columns[column].is_integer() else pl.col(column).cast(pl.String).cast(cat)
        exprs.append(rep.alias(f"_rep_{column}"))
    texts = [role for role in ("model", "benchmark", "how", "source", "note") if roles.get(role)]
    value_errors: dict[str, InputError | None] = {}
    candidates: list[tuple[str, str]] = []  # (column, name of its converted values)
    if tidy:
        dims = [c for c in extra if columns[c] in (pl.String, pl.Categorical, pl.Boolean)]
        value_exprs, value_errors["value"] = _number_exprs(columns, roles["value"], "value", rows, "value")
        exprs += [_text_expr(roles["metric"], None, cat).alias("metric"), *value_exprs]
        texts.append("metric")
    else:
        # A column is a metric when its name is one, it holds numbers, or it is text whose every
        # non-empty cell is a number (no `!text` flag): all are converted in this pass.
        for index, column in enumerate(extra):
            dtype = columns[column]
            if schema.canonical_metric(column) in schema.METRIC_LABELS or dtype.is_numeric() or dtype == pl.String:
                name = f"_value{index}"
                column_exprs, value_errors[name] = _number_exprs(columns, column, name, rows, f"{column} value")
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
    _raise_number(first, "knob", None, frame, roles["knob"], rows, roles["knob"])
    knob_name = roles["knob"]
    if first["knob!missing"] is not None:
        raise rows.error(f"{knob_name} is missing", first["knob!missing"], knob_name)
    if "budget" in _fold(knob_name) or knob_name == "knob":
        for check, problem in (("negative", "is negative"), ("fraction", "is not a whole number of tokens")):
            i = first[f"knob!{check}"]
            if i is not None:
                raise rows.error(f"budget {base['knob'][i]:g} {problem}", i, knob_name)
    if "stderr" in roles:
        _raise_number(first, "stderr", stderr_error, frame, roles["stderr"], rows, "stderr")
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
        _raise_number(first, "value", value_errors["value"], frame, roles["value"], rows, "value")
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
            _raise_number(first, name, value_errors[name], frame, column, rows, f"{column} value")
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


def _code(column: str, dtype: pl.DataType, nulls: bool = True, distinct: pl.Series | None = None) -> pl.Expr | None:
    """A column as integer codes, equal exactly where the values are (nulls equal nulls), or None
    for a column that is neither text nor a number; `_code_size` bounds them.

    Text is coded by its categorical code (process-wide, so not dense: it only has to fit), a
    number by its place among the column's distinct values. With `nulls`, codes start at 1 and 0
    stands for null; a column known to have none is coded from 0 with fewer copies of its rows.
    A number's `distinct` values (from `_distinct_numbers`), when known, are not looked for again.
    """
    col = pl.col(column)
    if dtype in (pl.String, pl.Categorical):
        codes = col.cast(pl.Categorical).to_physical()
        return (codes.cast(pl.UInt64) + 1).fill_null(0) if nulls else codes
    if dtype.is_numeric():
        # Its index among the sorted distinct values: a search over few values, not a full sort.
        index = (_distinct_numbers(column, dtype) if distinct is None else pl.lit(distinct)).search_sorted(col)
        return pl.when(col.is_null()).then(0).otherwise(index + 1).cast(pl.UInt64) if nulls else index
    return None


def _code_size(column: str, dtype: pl.DataType) -> pl.Expr:
    """How many codes `_code` may give the column (with nulls; an upper bound), found without
    building them: the largest categorical code, or the number of distinct numbers (a search
    gives at most that index), plus one for null."""
    col = pl.col(column)
    if dtype in (pl.String, pl.Categorical):
        return (col.cast(pl.Categorical).to_physical().max().cast(pl.UInt64) + 2).fill_null(1)
    return _distinct_numbers(column, dtype).len().cast(pl.UInt64) + 2


def _distinct_numbers(column: str, dtype: pl.DataType) -> pl.Expr:
    # -0.0 and 0.0 are one value, as in a group-by: only the distinct values need the +0.0, as
    # -0.0 is then found at 0.0's place.
    col = pl.col(column)
    return (col + 0.0 if dtype.is_float() else col).drop_nulls().unique().sort()


def _constant(column: str, dtype: pl.DataType) -> pl.Expr:
    """Whether a text column holds one value and no nulls: it adds nothing to a key (often
    reading and _alt), and a million equal strings need no encoding."""
    col = pl.col(column)
    if dtype == pl.Categorical:
        col = col.to_physical()
    elif dtype != pl.String:
        return pl.lit(False)
    return (col.null_count() == 0) & (col.min() == col.max())


def _row_key(frame: pl.DataFrame, columns: list[str],
             start: tuple[pl.Series | None, int] = (None, 1)) -> tuple[pl.Series | None, int] | None:
    """One integer per row, equal exactly when two rows agree on every one of `columns`: the
    columns' codes (see `_code`) combined in mixed radix, extending `start` (a key from `_row_key`).
    Returns (key, how many keys there may be); None when they do not fit in 64 bits or a column
    cannot be coded. Grouping a million rows on one integer is several times faster than on
    several text columns. One query finds each column's number of codes (without building
    them); a second builds the key, one column at a time (a chain of steps, each replacing the
    key, so only one column's codes exist at once: all at once they took more memory than the
    rows themselves). The key is a UInt32 when its values fit (the usual sweep), half the memory
    of a UInt64.
    """
    key, total = start
    schema = frame.schema
    if any(not (schema[c] in (pl.String, pl.Categorical) or schema[c].is_numeric()) for c in columns):
        return None  # (what `_code` cannot code)
    # A number's distinct values are kept for its codes (finding them is half the cost of coding it).
    numbers = [c for c in columns if schema[c].is_numeric()]
    sizes = frame.select(
        *[_constant(c, schema[c]).alias(f"{c}!constant") for c in columns],
        *[_code_size(c, schema[c]).alias(f"{c}!size") for c in columns if c not in numbers],
        *[_distinct_numbers(c, schema[c]).implode().alias(f"{c}!distinct") for c in numbers],
        *[pl.col(c).null_count().alias(f"{c}!nulls") for c in columns],
    ).row(0, named=True) if columns else {}
    distinct = {c: pl.Series(sizes[f"{c}!distinct"], dtype=schema[c]) for c in numbers}
    for c in numbers:  # as `_code_size` counts them
        sizes[f"{c}!size"] = len(distinct[c]) + 2
    steps = []
    for column in columns:
        if sizes[f"{column}!constant"]:
            continue
        nulls = sizes[f"{column}!nulls"] > 0
        size = sizes[f"{column}!size"] - (not nulls)  # without nulls, codes start at 0
        total *= size
        if total >= 2**64:
            return None
        steps.append((_code(column, schema[column], nulls, distinct.get(column)), size))
    dtype = pl.UInt32 if total < 2**32 else pl.UInt64
    if key is not None and key.dtype != dtype:
        key = key.cast(dtype)
    if not steps:
        return (key if key is not None else pl.repeat(0, frame.height, dtype=dtype, eager=True).alias("_key")), total
    query = frame.lazy() if key is None else frame.lazy().with_columns(key.alias("_key"))
    for i, (code, size) in enumerate(steps):
        code = code.cast(dtype)
        extend = key is not None or i > 0
        key_expr = pl.col("_key") * pl.lit(size, dtype=dtype) + code if extend else code
        query = query.with_columns(key_expr.alias("_key"))
    return query.select("_key").collect(engine=ENGINE, optimizations=_ONE_QUERY).to_series(), total


# A chain of with_columns run as written: one query instead of one per step, and no step merged
# into another (merged, every column's codes would be held at once).
_ONE_QUERY = pl.QueryOptFlags(cluster_with_columns=False, comm_subexpr_elim=False)


def _key_only(keyed: tuple[pl.Series | None, int] | None) -> pl.Series | None:
    return keyed[0] if keyed is not None else None


def _distinct(key: pl.Series) -> bool:
    """Whether no value repeats: no two neighbours are equal once sorted (a sorted copy of an
    integer key takes less memory than a hash table of its values, and is as fast)."""
    if not key.is_sorted():
        key = key.sort()
    return key.len() < 2 or not (key.slice(1) == key.slice(0, key.len() - 1)).any()


def _group(frame: pl.DataFrame, columns: list[str], key: pl.Series | None, *aggs: pl.Expr) -> pl.DataFrame:
    """`frame.group_by(columns).agg(*aggs)`, grouping on `key` (from `_row_key`) when there is one."""
    if key is None:
        return frame.group_by(columns).agg(*aggs)
    runs = key.rle_id()
    # Equal keys are all in one run when the runs' keys are distinct (checked on one key a run: a
    # sort of a few rows a group, cheaper than counting a million keys' distinct values).
    if frame.height and (key.is_sorted() or _distinct(key.rle().struct.field("value"))):
        # Equal keys are next to each other (files usually list a sweep's repeats together): each
        # run is a group, and run ids are sorted, which polars groups without hashing.
        key = runs.alias("_key")
    return frame.with_columns(key).group_by("_key").agg(*[pl.col(c).first() for c in columns], *aggs).drop("_key")


def _collapse(long: pl.DataFrame, dims: list[str], rows: _Rows) -> pl.DataFrame:
    """Reject conflicting duplicates, then average repeats (seed/sample columns) into one row with n.

    One group-by finds conflicts and removes exact duplicates at once; it is skipped when every
    row's key is distinct (the usual case), the rows of a conflict are looked up only when there
    is one, and a second group-by runs only when there are repeats.
    """
    repeat_cols = [c for c in long.columns if c.startswith("_rep_")]
    key = ["model", "benchmark", "knob", "metric", "reading", *dims]
    if (long["reading"] == "rejected").any():
        # Only rejected readings are told apart by their source: a file without any (the usual
        # one) needs no `_alt` column, a text column as long as the file and equal on every row.
        long = long.with_columns(_ALTERNATIVE)
        key.insert(5, "_alt")
    keyed = _row_key(long, key)
    full_key = _key_only(_row_key(long, repeat_cols, keyed)) if keyed is not None else None
    if full_key is not None and _distinct(full_key):
        once, group_key = long, keyed[0]  # no duplicates: the key still fits the rows
    else:
        group_key = None
        once = _group(
            long, [*key, *repeat_cols], full_key,
            pl.col("value").min().alias("_min"), pl.col("value").max().alias("_max"),
            pl.col("_row").min(), pl.col("stderr").first(),
            pl.col("how").first(), pl.col("source").first(), pl.col("note").first(),
        )
        clash = once.filter(pl.col("_min") != pl.col("_max"))
        if clash.height:
            first = clash.sort("_row").row(0, named=True)
            same = long.filter(*[pl.col(c) == first[c] for c in [*key, *repeat_cols] if first[c] is not None])
            a, b = same["_row"].sort().head(2).to_list()
            raise rows.error(
                f"duplicate key {first['model']} | {first['benchmark']} | {schema.format_knob(first['knob'])} | "
                f"{first['metric']} has different values ({rows.label(a)} and {rows.label(b)})", b)
        once = once.rename({"_min": "value"})
    if repeat_cols:
        once = _group(
            once, key, group_key if group_key is not None else _key_only(_row_key(once, key)),
            pl.col("value").mean(), pl.len().cast(pl.UInt32).alias("n"),
            pl.when(pl.len() > 1).then(pl.col("value").std() / pl.len().sqrt())
            .otherwise(pl.col("stderr").first()).alias("stderr"),
            pl.col("_row").min(), pl.col("how").first(), pl.col("source").first(), pl.col("note").first(),
        )
    else:
        once = once.lazy().with_columns(n=pl.lit(1, dtype=pl.UInt32))
    # File order, so tables list models and budgets as the file does (the last steps as one query).
    return once.lazy().sort("_row", maintain_order=True).select(*SWEEP_SCHEMA, *dims).cast(SWEEP_SCHEMA) \
        .collect(engine=ENGINE)


def _scaling_from_raw(frame: pl.DataFrame, path: Path, fmt: str) -> pl.DataFrame:
    rows = _Rows(path, fmt)
    roles = assign_roles(frame.columns, path)
    if "score" not in roles:
        # In a scaling file a plain pass_at_1 column is the score.
        for column in frame.columns:
            if schema.canonical_metric(column) == schema.PASS:
                roles["score"] = column
    for role in ("model", "params_b", "score"):
        if role not in roles:
            raise rows.error(f"missing required column {role!r} for a scaling study")

    def text(role: str, default: str | None = None) -> pl.Expr:
        column = roles.get(role)
        return pl.lit(default, dtype=pl.String) if column is None else pl.col(column).cast(pl.String).str.strip_chars()

    # One pass converts every column and a second finds the first bad row of each check.
    params, params_error = _number_exprs(frame.schema, roles["params_b"], "params_b", rows, "activated parameters")
    score, score_error = _number_exprs(frame.schema, roles["score"], "score", rows, "score")
    out = frame.select(
        text("model").alias("model"), text("family").alias("family"), *params, *score,
        text("params_how", "measured").alias("params_how"), text("params_source", path.name).alias("params_source"),
        text("score_how", "measured").alias("score_how"), text("score_source", path.name).alias("score_source"),
        text("reading", "accepted").str.to_lowercase().alias("reading"), text("note", "").fill_null("").alias("note"),
    )
    flags = [c for c in out.columns if "!" in c]
    first = out.select(*[_first(pl.col(f), f) for f in flags], _first(pl.col("params_b") <= 0, "params_b!positive")
                       ).row(0, named=True)
    _raise_number(first, "params_b", params_error, frame, roles["params_b"], rows, "activated parameters")
    _raise_number(first, "score", score_error, frame, roles["score"], rows, "score")
    if first["params_b!positive"] is not None:
        raise rows.error("activated parameters must be positive (the x axis is logarithmic)",
                         first["params_b!positive"], roles["params_b"])
    return out.drop(flags).with_columns(pl.col("family").fill_null(pl.col("model"))).cast(SCALING_SCHEMA)


@dataclass
class _Loaded:
    """One file (or a tool's group of files) as loaded, with what the loader needs to combine it."""

    kind: str  # sweep | scaling
    frame: pl.DataFrame
    knob: str | None
    dims: list[str]
    covers: tuple[Path, ...] = ()
    failed: list[tuple[Path, str]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)


def _load_one(path: Path, options: LoadOptions | None = None) -> _Loaded:
    sniffed = sniff(path)
    imported = detect_and_import(sniffed, options.knob_rule if options else None)
    if imported is not None:
        return _Loaded("sweep", imported.frame, imported.knob_name, list(imported.dims), imported.covers,
                       imported.failed, imported.settings)
    frame, fmt = read_raw(path, sniffed)
    frame = _with_hive_columns(frame, path)
    roles = assign_roles(frame.collect_schema().names(), path, options)
    if not _recognised(frame.collect_schema(), roles):
        raise not_recognised(path)
    if "params_b" in roles:
        return _Loaded("scaling", _scaling_from_raw(collect(frame, path, fmt), path, fmt), None, [], (path,))
    long, knob, dims, rows, failed = _sweep_from_raw(frame, path, fmt, options)
    del frame  # the raw columns (of a file read eagerly) are not needed any more: their memory can serve the collapse
    return _Loaded("sweep", _collapse(long, dims, rows), knob, dims, (path,), failed)


_HIVE_SEGMENT = re.compile(r"^([A-Za-z_][\w.-]*)=(.+)$")
_HIVE_ROLES = {*ROLE_ALIASES["model"], *ROLE_ALIASES["benchmark"], *ROLE_ALIASES["knob"], *REPEAT_COLUMNS}


def _with_hive_columns(frame: pl.LazyFrame, path: Path) -> pl.LazyFrame:
    """Hive-partitioned datasets (model=x/kv_budget=2500/part-0.parquet) name roles in the path:
    those folders become columns the file lacks. Only role names (model, benchmark, the knob, a
    repeat) are taken: any other key=value folder could be anything and is left alone."""
    found = {}
    for segment in path.parent.parts:
        match = _HIVE_SEGMENT.match(segment)
        if match and _fold(match.group(1)) in _HIVE_ROLES and match.group(1) not in frame.collect_schema():
            found[match.group(1)] = match.group(2)
    return frame.with_columns(pl.lit(value).alias(name) for name, value in found.items()) if found else frame


def load(paths: list[Path] | None = None, options: LoadOptions | None = None) -> Results:
    """Load the user's files and folders, or the bundled data when `paths` is empty.

    A file given alone must load (else its InputError is the answer). Among several, a file that
    does not load is skipped with its reason (Results.skipped) and the others load; a run that
    measured nothing is left out (Results.failed). Nothing loaded at all is an InputError that
    carries both lists (`skipped`, `failed`) so the CLI can still say why for each file.
    """
    bundled = not paths
    given = [Path(p) for p in paths or []]
    strict = bundled or (len(given) == 1 and not given[0].is_dir())
    files, skipped = (bundled_files(), []) if bundled else discover(given)
    files, copies = _distinct_files(files)
    skipped += copies
    loaded, failed, warnings = _load_each(files, options, strict, set(given), skipped)
    for _, item in loaded:
        failed += item.failed
    sweeps = [(path, item) for path, item in loaded if item.kind == "sweep"]
    for _, item in sweeps:
        item.frame = to_percent(item.frame)
    scalings = [item.frame for _, item in loaded if item.kind == "scaling"]
    knobs = [_canonical_knob(item.knob) for _, item in sweeps if item.knob]
    dims = list(dict.fromkeys(d for _, item in sweeps for d in item.dims))
    if not sweeps and not scalings:
        raise _nothing_loaded(given, skipped, failed)
    combined, same, conflicts = _combine(sweeps, dims)
    skipped += same + conflicts
    warnings += [f"skipped {path}: {why}" for path, why in conflicts]
    all_readings = _join_efficiency_runs(_fold_dimensions(drop_org_prefixes(combined), dims))
    all_scaling = pl.concat(scalings, how="vertical") if scalings else schema.empty_scaling()
    accepted = _where(all_readings, pl.col("reading") == "accepted")
    results = Results(
        sweep=_where(accepted, pl.col("benchmark") != AVG),
        aggregates=accepted.filter(pl.col("benchmark") == AVG),
        scaling=all_scaling.filter(pl.col("reading") == "accepted"),
        all_readings=all_readings,
        all_scaling=all_scaling,
        # Files in one folder may vary different knobs (a kvpress ratio, a vLLM max_num_seqs).
        knob=knobs[0] if len(set(knobs)) == 1 else ("knob" if knobs else "kv_budget"),
        dims=tuple(dims),
        origin="bundled data" if bundled else _describe(given, files, skipped, failed),
        files=tuple(files),
        skipped=tuple(skipped),
        failed=tuple(failed),
        warnings=tuple(warnings),
    )
    return results.with_metric(options.metric if options else None)


def _load_each(files: list[Path], options: LoadOptions | None, strict: bool, named: set[Path],
               skipped: list[tuple[Path, str]]) -> tuple[list[tuple[Path, _Loaded]], list, list[str]]:
    """Each file loaded once (a file another one's import already covers is not read again);
    files that do not load go to `skipped`, runs that measured nothing to the failed list."""
    loaded, failed, warnings = [], [], []
    covered: set[Path] = set()
    for path in files:
        if path in covered:
            continue
        try:
            item = _load_one(path, options)
        except FailedRun as exc:
            if strict:
                raise
            covered.update(getattr(exc, "covers", ()))
            failed += getattr(exc, "runs", None) or [(path, _reason(exc, path))]
            continue
        except InputError as exc:
            if strict:
                raise
            skipped.append((path, _reason(exc, path)))
            if path in named:  # the user asked for this file by name: say so without --verbose
                warnings.append(f"skipped {path}: {skipped[-1][1]}")
            continue
        covered.update(item.covers)
        loaded.append((path, item))
    return loaded, failed, warnings


def _reason(error: InputError, path: Path) -> str:
    return str(error).removeprefix(f"{path}: ").removeprefix(f"{path}, ")


def _nothing_loaded(given: list[Path], skipped: list[tuple[Path, str]],
                    failed: list[tuple[Path, str]]) -> InputError:
    parts = [f"{len(skipped)} skipped"] if skipped else []
    parts += [_runs(len(failed)) + " left out"] if failed else []
    why = f" ({', '.join(parts)}; --verbose lists why)" if parts else ""
    error = InputError(f"no results found in {', '.join(map(str, given))}{why}")
    error.skipped, error.failed = tuple(skipped), tuple(failed)
    return error


def _runs(count: int) -> str:
    return f"{count} failed run{'s' if count != 1 else ''}"


def describe_failed(failed: tuple[tuple[Path, str], ...] | list[tuple[Path, str]], shown: int = 2) -> str:
    """One line for the runs left out as failed: "2 failed runs left out: a.json (why), ..."."""
    parts = [f"{path.name} ({why})" for path, why in failed[:shown]]
    more = f", and {len(failed) - shown} more (--verbose lists them)" if len(failed) > shown else ""
    return f"{_runs(len(failed))} left out: {', '.join(parts)}{more}"


def _distinct_files(files: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Byte-identical files (a copied result) are one result, not two repeats: the first is read."""
    by_size: dict[int, list[Path]] = {}
    for path in files:
        try:
            by_size.setdefault(path.stat().st_size, []).append(path)
        except OSError:
            pass  # the reader names the problem
    copies: dict[Path, Path] = {}
    for same in (group for group in by_size.values() if len(group) > 1):
        seen: dict[str, Path] = {}
        for path in same:
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                continue
            if digest in seen:
                copies[path] = seen[digest]
            else:
                seen[digest] = path
    kept = [path for path in files if path not in copies]
    return kept, [(path, f"same content as {first} (a copy is read once)") for path, first in copies.items()]


def _where(frame: pl.DataFrame, condition: pl.Expr) -> pl.DataFrame:
    """`frame.filter(condition)`, but the frame itself when every row is kept: a filter copies the
    rows it keeps, and the usual file (no rejected readings, no averages) keeps them all."""
    keep = frame.select(condition.fill_null(False)).to_series()
    return frame if keep.all() else frame.filter(keep)


def _join_efficiency_runs(frame: pl.DataFrame) -> pl.DataFrame:
    """Throughput runs (vLLM bench: no task, only speed metrics) of a model become part of each of
    that model's accuracy benchmarks at the same knob value, so an lm-eval accuracy sweep and a
    vLLM throughput sweep of the same budgets open as one study. Values already present win;
    each copied row's note names where it came from."""
    from tui.core.views import accuracy_rank

    if frame.height == 0:
        return frame
    kinds = (
        frame.select("model", "benchmark", "metric").unique().with_columns(accuracy=accuracy_rank().is_not_null())
        .group_by("model", "benchmark").agg(pl.col("accuracy").any())
    )
    speed_only = kinds.filter(~pl.col("accuracy")).select("model", "benchmark")
    accuracy = kinds.filter(pl.col("accuracy")).select("model", pl.col("benchmark").alias("target"))
    if speed_only.height == 0 or accuracy.height == 0:
        return frame
    runs = frame.join(speed_only, on=["model", "benchmark"], how="semi").filter(pl.col("knob").is_not_null())
    target_knobs = frame.select("model", pl.col("benchmark").alias("target"), "knob").unique()
    copies = (
        runs.join(accuracy, on="model").join(target_knobs, on=["model", "target", "knob"], how="semi")
        .with_columns(note=pl.format("{} (from {} runs)", pl.col("note"), pl.col("benchmark")).str.strip_chars(),
                      benchmark=pl.col("target")).drop("target")
    )
    copies = copies.join(frame, on=["model", "benchmark", "knob", "metric", "reading"], how="anti")
    return pl.concat([frame, copies.select(frame.columns)], how="vertical") if copies.height else frame


def _fold_dimensions(frame: pl.DataFrame, dims: list[str]) -> pl.DataFrame:
    """Dimensions that vary (a kvpress press, a context length) become part of the model's label,
    "Qwen3-8B · press=snapkv", so every view and comparison treats each variant like a model.
    The dimension columns stay in the frame for export."""
    varying = [d for d in dims if d in frame.columns and frame[d].drop_nulls().n_unique() > 1]
    if not varying:
        return frame
    parts = [pl.when(pl.col(d).is_not_null()).then(pl.format(f"{d}={{}}", pl.col(d))) for d in varying]
    suffix = pl.concat_str(parts, separator=" ", ignore_nulls=True)
    return frame.with_columns(
        pl.when(suffix.str.len_chars() > 0).then(pl.format("{} · {}", pl.col("model"), suffix))
        .otherwise(pl.col("model")).alias("model"))


def _combine(items: list[tuple[Path, _Loaded]], dims: list[str]
             ) -> tuple[pl.DataFrame, list[tuple[Path, str]], list[tuple[Path, str]]]:
    """The files' sweeps as one frame, with the files skipped as the same results as an earlier
    file and those skipped for a conflict (each with why). Where files share a (model, benchmark,
    knob, metric) they are repeats when all are measurements run with the same settings (pooled:
    mean, n, standard error); equal values are one value; anything else is a conflict, and the
    later file is skipped so the others still load."""
    if not items:
        return schema.empty_sweep(), [], []
    frame = pl.concat([item.frame.with_columns(pl.lit(i, dtype=pl.UInt32).alias("_file"),
                                               pl.lit(_settings_text(item.settings)).alias("_settings"))
                       for i, (_, item) in enumerate(items)], how="diagonal_relaxed")
    # The added and cast columns in one query (each eager step would be one of its own).
    missing = [pl.lit(None, dtype=dtype).alias(column)
               for column, dtype in SWEEP_SCHEMA.items() if column not in frame.columns]
    present = [d for d in dims if d in frame.columns]
    key = ["model", "benchmark", "knob", "metric", "reading", "_alt", *present]
    frame = frame.lazy().with_columns(missing).with_columns(pl.col(d).cast(pl.String) for d in present) \
        .with_columns(_ALTERNATIVE).collect(engine=ENGINE)
    same: list[tuple[Path, str]] = []
    conflicts: list[tuple[Path, str]] = []
    shared = _shared_keys(frame, key) if len(items) > 1 else frame.clear()
    if shared.height and (shared["distinct"] == 1).any():  # equal values: maybe a file read twice
        for later, earlier in _same_results(frame, key).items():
            same.append((items[later][0], f"same results as {items[earlier][0]} (read once, not a repeat)"))
            frame = frame.filter(pl.col("_file") != later)
        shared = _shared_keys(frame, key)
    while shared.height:
        clash = shared.filter(pl.col("conflict"))
        if not clash.height:
            frame = _pool_repeats(frame, key)
            break
        row = clash.sort(key, nulls_last=True).row(0, named=True)
        first, later = row["first"], row["later"]
        conflicts.append((items[later][0], _conflict_reason(frame, key, row, items, first, later)))
        frame = frame.filter(pl.col("_file") != later)
        shared = _shared_keys(frame, key)
    return frame.drop("_file", "_alt", "_settings"), same, conflicts


def _same_results(frame: pl.DataFrame, key: list[str]) -> dict[int, int]:
    """Files every row of which an earlier file holds with the same value (one table saved as
    CSV and as Parquet, say): later file -> the earliest such file. Re-runs differ somewhere."""
    rows = frame.select(*key, "value", "_file")
    pairs = rows.join(rows, on=[*key, "value"], nulls_equal=True, suffix="_earlier") \
        .filter(pl.col("_file_earlier") < pl.col("_file")) \
        .group_by("_file", "_file_earlier").agg(pl.len().alias("matched"))
    sizes = dict(rows.group_by("_file").agg(pl.len()).iter_rows())
    found: dict[int, int] = {}
    for later, earlier, matched in pairs.sort("_file", "_file_earlier").iter_rows():
        if matched == sizes[later] and later not in found and earlier not in found:
            found[later] = earlier
    return found


def _settings_text(settings: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in sorted(settings.items()))


def _shared_keys(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Each key found in more than one file, with its files and whether they conflict."""
    return frame.group_by(key).agg(
        first=pl.col("_file").min(), later=pl.col("_file").max(), distinct=pl.col("value").n_unique(),
        measured=(pl.col("how") == "measured").all(), settings=pl.col("_settings").n_unique(),
    ).filter(pl.col("first") != pl.col("later")).with_columns(
        conflict=(pl.col("distinct") > 1) & ~(pl.col("measured") & (pl.col("settings") == 1)))


def _pool_repeats(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """One row per key. Measurements of one key from several files with the same settings are
    pooled as repeats: mean weighted by each file's n, and the standard error of all the runs
    (each file's own spread, from its stderr when it averaged repeats itself, plus the spread
    between files). Other shared keys hold equal values: the first file's row is kept."""
    n = pl.col("n").cast(pl.Float64)
    total = n.sum()
    mean = (pl.col("value") * n).sum() / total
    within = pl.when(n > 1).then((n - 1) * n * pl.col("stderr").fill_null(0.0) ** 2).otherwise(0.0).sum()
    between = (n * (pl.col("value") - mean) ** 2).sum()
    files = pl.col("_file").n_unique()
    repeat = (files > 1) & (pl.col("how") == "measured").all() & (pl.col("_settings").n_unique() == 1)
    note = pl.format("{}; mean of {} result files", pl.col("note").first(), files).str.strip_chars("; ")
    pooled = {
        "value": pl.when(repeat).then(mean).otherwise(pl.col("value").first()),
        "n": pl.when(repeat).then(total).otherwise(n.first()).cast(pl.UInt32),
        "stderr": pl.when(repeat).then(((within + between) / (total - 1) / total).sqrt())
        .otherwise(pl.col("stderr").first()),
        "note": pl.when(repeat).then(note).otherwise(pl.col("note").first()),
    }
    others = [pl.col(c).first() for c in frame.columns if c not in key and c not in pooled]
    return frame.group_by(key, maintain_order=True).agg(*[e.alias(c) for c, e in pooled.items()], *others) \
        .select(frame.columns)


def _conflict_reason(frame: pl.DataFrame, key: list[str], row: dict, items: list[tuple[Path, _Loaded]],
                     first: int, later: int) -> str:
    """Why the later of two files is skipped, naming the first file, the key and what differs."""
    match = [pl.col(c).is_null() if row[c] is None else pl.col(c) == row[c] for c in key]
    both = frame.filter(*match, pl.col("_file").is_in([first, later]))
    values = dict(both.select("_file", "value").iter_rows())
    what = f"{row['model']} | {row['benchmark']} | {schema.format_knob(row['knob'])} | {row['metric']}"
    differs = f"{what} is {values[later]:g} here, {values[first]:g} in {items[first][0].name}"
    a, b = items[first][1].settings, items[later][1].settings
    changed = [f"{k} {a.get(k)} vs {b.get(k)}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    if changed:
        return f"not a repeat: {differs}, run with other settings ({'; '.join(changed)})"
    return f"conflicting values: {differs} (values that are not measurements must agree)"


def _canonical_knob(name: str) -> str:
    return "kv_budget" if _fold(name) in ROLE_ALIASES["knob"] else name


def name_paths(paths: list[Path]) -> str:
    """The paths the user gave, briefly: "real_results", "a.csv, b.csv and 3 more"."""
    return ", ".join(p.name or str(p) for p in paths[:2]) + (f" and {len(paths) - 2} more" if len(paths) > 2 else "")


def _describe(paths: list[Path], files: list[Path], skipped: list[tuple[Path, str]],
              failed: list[tuple[Path, str]] = ()) -> str:
    """What the header says: "19 files, 2 skipped, 1 failed run: real_results" (paths as given)."""
    shown = name_paths(paths)
    count = f"{len(files)} file{'s' if len(files) != 1 else ''}" + (f", {len(skipped)} skipped" if skipped else "")
    return f"{count}{', ' + _runs(len(failed)) if failed else ''}: {shown}"
