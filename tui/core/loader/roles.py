"""Column roles: which of a file's columns is the model, the benchmark, the knob, a metric...

Roles are found by name (ROLE_ALIASES), unless the user named the column (LoadOptions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tui.core import schema
from tui.core.errors import InputError
from tui.core.hive import fold
from tui.core.importers import KnobRule, knob_column


@dataclass(frozen=True)
class LoadOptions:
    """What the user told us about their files: a knob rule and which column plays which role."""

    knob_rule: KnobRule | None = None
    model_col: str | None = None
    benchmark_col: str | None = None
    knob_col: str | None = None
    metric: str | None = None  # --metric: show every benchmark by this metric (Results.with_metric)
    # Read from a bucket only: role -> the name a command asks for (pruned before reading), and
    # where to say what is being listed and read.
    where: tuple[tuple[str, str], ...] = ()
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    # Given a big sweep file's checked rows, its dimensions and how rows are pooled into a Loaded
    # (see tui.core.loader.first_look); set by `load` itself.
    checked: Callable[[pl.DataFrame, list[str], Callable], None] | None = field(default=None, compare=False)

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
# Roles a second column may also match without being an error: the first one is used.
_FIRST_WINS = {"note"}


def assign_roles(columns: list[str], path: Path, options: LoadOptions | None = None) -> dict[str, str]:
    """Map each role to the file's column that plays it; two columns claiming one role is an error.

    Columns the user named (--model-col and friends) win; the knob may also come from the
    knob importer's rule (`--knob NAME=...` names the column NAME) or its name heuristics.
    """
    forced = options.forced_roles() if options else {}
    for role, column in forced.items():
        if column not in columns:
            raise InputError(f"no column {column!r} for --{role}-col; columns: {', '.join(columns)}",
                             path=path)
    roles: dict[str, str] = dict(forced)
    for column in columns:
        if column in forced.values():
            continue
        folded = fold(column)
        for role, names in ROLE_ALIASES.items():
            if folded in names:
                if role in forced:
                    break
                if role in roles and role in _FIRST_WINS:
                    break
                if role in roles:
                    raise InputError(f"columns {roles[role]!r} and {column!r} both look like the "
                                     f"{role} column", path=path)
                roles[role] = column
    if "knob" not in roles and "params_b" not in roles:
        rule = options.knob_rule if options else None
        guess = knob_column([c for c in columns if c not in roles.values()], rule)
        if guess:
            roles["knob"] = guess
    return roles


def has_metrics(columns: pl.Schema, roles: dict[str, str]) -> bool:
    """Whether the columns without a role include a metric (so a model-less file is still results)."""
    used = set(roles.values())
    return any(schema.canonical_metric(c) in schema.METRIC_LABELS or dtype.is_numeric()
               for c, dtype in columns.items()
               if c not in used and fold(c) not in REPEAT_COLUMNS and fold(c) not in INFO_COLUMNS)


def recognised(columns: pl.Schema, roles: dict[str, str]) -> bool:
    """Whether a table is one of ours at all: a role column or a metric kvscope knows by name."""
    roles_found = ("model", "benchmark", "knob", "metric", "value", "params_b", "score")
    return any(role in roles for role in roles_found) \
        or any(schema.canonical_metric(c) in schema.METRIC_LABELS for c in columns)


def canonical_knob(name: str) -> str:
    """Every spelling of the KV-cache budget as kv_budget; other knobs keep their names."""
    return "kv_budget" if fold(name) in ROLE_ALIASES["knob"] else name
