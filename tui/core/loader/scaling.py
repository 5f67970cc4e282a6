"""A scaling file (model, activated parameters, score) as the scaling frame of tui.core.schema."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tui.core import schema
from tui.core.loader.convert import first_row, number_exprs, raise_number
from tui.core.loader.rows import Rows
from tui.core.schema import SCALING_SCHEMA


def scaling_from_raw(frame: pl.DataFrame, path: Path, fmt: str, roles: dict[str, str]) -> pl.DataFrame:
    """The scaling frame from columns in their `roles`, or the error naming the first bad cell
    (parameters must be positive, as the chart's x axis is logarithmic)."""
    rows = Rows(path, fmt)
    roles = dict(roles)
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
        if column is None:
            return pl.lit(default, dtype=pl.String)
        return pl.col(column).cast(pl.String).str.strip_chars()

    # One pass converts every column and a second finds the first bad row of each check.
    params, params_error = number_exprs(frame.schema, roles["params_b"], "params_b", rows,
                                        "activated parameters")
    score, score_error = number_exprs(frame.schema, roles["score"], "score", rows, "score")
    out = frame.select(
        text("model").alias("model"), text("family").alias("family"), *params, *score,
        text("params_how", "measured").alias("params_how"),
        text("params_source", path.name).alias("params_source"),
        text("score_how", "measured").alias("score_how"),
        text("score_source", path.name).alias("score_source"),
        text("reading", "accepted").str.to_lowercase().alias("reading"),
        text("note", "").fill_null("").alias("note"),
    )
    flags = [c for c in out.columns if "!" in c]
    first = out.select(*[first_row(pl.col(f), f) for f in flags],
                       first_row(pl.col("params_b") <= 0, "params_b!positive")).row(0, named=True)
    raise_number(first, "params_b", params_error, frame, roles["params_b"], rows, "activated parameters")
    raise_number(first, "score", score_error, frame, roles["score"], rows, "score")
    if first["params_b!positive"] is not None:
        raise rows.error("activated parameters must be positive (the x axis is logarithmic)",
                         first["params_b!positive"], roles["params_b"])
    return out.drop(flags).with_columns(pl.col("family").fill_null(pl.col("model"))).cast(SCALING_SCHEMA)
