"""Several files' sweeps as one frame: copies read once, repeats pooled, conflicts skipped,
throughput-only runs joined to their model's accuracy sweeps, varying dimensions in the label."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tui.core import schema
from tui.core.files import ENGINE
from tui.core.loader.keys import ALTERNATIVE
from tui.core.loader.one_file import Loaded
from tui.core.schema import SWEEP_SCHEMA
from tui.core.views import accuracy_rank


def join_efficiency_runs(frame: pl.DataFrame) -> pl.DataFrame:
    """Throughput runs (vLLM bench: no task, only speed metrics) of a model become part of each of
    that model's accuracy benchmarks at the same knob value, so an lm-eval accuracy sweep and a
    vLLM throughput sweep of the same budgets open as one study. Values already present win;
    each copied row's note names where it came from."""
    if frame.height == 0:
        return frame
    kinds = (
        frame.select("model", "benchmark", "metric").unique()
        .with_columns(accuracy=accuracy_rank().is_not_null())
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
        .with_columns(note=pl.format("{} (from {} runs)", pl.col("note"), pl.col("benchmark"))
                      .str.strip_chars(), benchmark=pl.col("target")).drop("target")
    )
    copies = copies.join(frame, on=["model", "benchmark", "knob", "metric", "reading"], how="anti")
    return pl.concat([frame, copies.select(frame.columns)], how="vertical") if copies.height else frame


def fold_dimensions(frame: pl.DataFrame, dims: list[str]) -> pl.DataFrame:
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


def combine(items: list[tuple[Path, Loaded]], dims: list[str]
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
        .with_columns(ALTERNATIVE).collect(engine=ENGINE)
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


def _conflict_reason(frame: pl.DataFrame, key: list[str], row: dict, items: list[tuple[Path, Loaded]],
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
