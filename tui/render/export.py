"""Exports: the data as CSV/Parquet/JSON, or a paper-ready table as Markdown or LaTeX (booktabs).

Files are written atomically (a temporary file in the same folder, then a rename), so an
interrupted export never leaves half a file, and an existing file is kept unless forced.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polars as pl

from tui.core.schema import AVG, METRIC_SHORT, PASS, TPS, Results
from tui.core.views import series, tree_order
from tui.render.tables import markdown, marks_legend, plain, text_cells
from tui.render.text import clean

FORMATS = ("csv", "parquet", "json", "markdown", "latex")
BINARY = {"parquet"}
_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
          "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tidy_export(results: Results) -> pl.DataFrame:
    """Every accepted value with its provenance, the knob under its own name."""
    frame = pl.concat([results.sweep, results.aggregates], how="diagonal_relaxed")
    return frame.drop("reading").rename({"knob": results.knob})


def paper_table(results: Results, models: list[str] | None = None) -> pl.DataFrame:
    """One row per model and budget: each benchmark's headline metric (Pass@1 where it has one;
    column names say which metric), the average where there is one, and throughput; each value's
    `<column>_how` (last columns) gives the ~ and * marks the Markdown and LaTeX tables carry."""
    rows = []
    for model in models or results.models:
        benches = tree_order(results, results.benchmarks(model))
        metrics = {b: results.headline(b) for b in benches}
        metrics[AVG] = results.average_metric(model)[0]
        frames = {b: series(results, model, b, (metrics[b] or PASS, TPS)) for b in [*benches, AVG]}
        knobs = sorted({k for f in frames.values() for k in f["knob"].to_list()})
        for knob in knobs:
            row, hows = {"Model": model, "Budget": knob}, {}
            for bench, frame in frames.items():
                metric = metrics[bench]
                if metric is None:
                    continue  # a speed-only run, or no single average: no accuracy column for it
                hit = frame.filter(pl.col("knob").eq_missing(knob))  # a file with no knob: null
                label = "Avg" if bench == AVG else bench
                column = f"{label} {METRIC_SHORT.get(metric, metric)}"
                row[column] = hit[metric][0] if hit.height else None
                hows[f"{column}_how"] = hit[f"{metric}_how"][0] if hit.height else None
            avg = frames[AVG].filter(pl.col("knob").eq_missing(knob))
            row["TPS"] = avg[TPS][0] if avg.height and TPS in avg.columns else None
            hows["TPS_how"] = avg[f"{TPS}_how"][0] if avg.height and TPS in avg.columns else None
            rows.append(row | hows)
    return pl.DataFrame(rows, infer_schema_length=None)


def latex_escape(text: object) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in clean(text))


def latex(frame: pl.DataFrame, caption: str = "") -> str:
    """A booktabs table; cells as in Markdown and the tables (`text_cells`: decimals, marks, the
    minus sign), text escaped; the marks' legend ends the caption when any value is marked."""
    cells = text_cells(frame)
    spec = "".join("r" if frame.schema[c].is_numeric() else "l" for c in cells.columns)
    legend = marks_legend(frame, "; ")
    caption = f"{caption} {legend}.".strip() if legend else caption
    lines = [r"\begin{table}[t]", r"\centering"]
    if caption:
        lines.append(rf"\caption{{{latex_escape(caption)}}}")
    lines += [rf"\begin{{tabular}}{{{spec}}}", r"\toprule",
              " & ".join(latex_escape(c) for c in cells.columns) + r" \\", r"\midrule"]
    previous = None
    for row in cells.iter_rows():
        if previous is not None and row[0] != previous and cells.columns[0] == "Model":
            lines.append(r"\midrule")
        previous = row[0]
        lines.append(" & ".join(latex_escape(v) if v else "--" for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines)


def render(frame: pl.DataFrame, fmt: str, knob: str, caption: str = "") -> bytes:
    if fmt == "parquet":
        import io

        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        return buffer.getvalue()
    if fmt == "latex":
        return (latex(frame, caption) + "\n").encode()
    if fmt == "markdown":
        return (markdown(frame) + "\n").encode()
    return (plain(frame, fmt, knob) + "\n").encode()


def write_atomic(path: Path, data: bytes, force: bool = False) -> None:
    """Write `data` to `path` all at once; refuse to replace an existing file unless `force`."""
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; use --force to overwrite it")
    folder = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

