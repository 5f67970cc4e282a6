"""Rich tables and plain formats (CSV, JSON, Markdown) built from core view frames.

Every cell that holds data goes in as rich `Text`, so a model called "[red]x" prints as
those characters and never as markup.
"""

from __future__ import annotations

import io
import json
import re

import polars as pl
from rich import box
from rich.table import Table
from rich.text import Text

from tui.core.schema import AVG, HOW_MARKS, METRIC_SHORT, PASS, TPS, format_knob, how_legend
from tui.render.numbers import exact_floats, exact_text
from tui.render.text import CONTROL_PATTERN, clean

FORMATS = ("table", "csv", "json", "markdown")
MINUS = "\u2212"  # the one minus sign of text formats (tables, Markdown, LaTeX); CSV/JSON keep numbers


def number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}" if digits == 0 else f"{value:.{digits}f}"


def marked(value: float | None, how: str | None, digits: int) -> str:
    """A value with its provenance mark: ~ read off a chart, * derived."""
    return number(value, digits) + (HOW_MARKS.get(how or "", "") if value is not None else "")


def marks_legend(frame: pl.DataFrame, separator: str = "   ") -> str:
    """The legend for the marks a frame's values carry: every column X with an X_how column counts
    where X has a value. "" when nothing shown is marked."""
    hows: set[str] = set()
    for column in frame.columns:
        if f"{column}_how" in frame.columns:
            shown = frame.filter(pl.col(column).is_not_null())[f"{column}_how"]
            hows.update(shown.drop_nulls().unique().to_list())
    return how_legend(hows, separator)


def bench_label(benchmark: str) -> str:
    return "Average" if benchmark == AVG else benchmark


def summary_table(frame: pl.DataFrame, knob_label: str, notes: list[str] | None = None) -> Table:
    """Best accuracy per model and benchmark. When every sweep has Pass@1 the table says so in its
    title; otherwise a Metric column names what each best value is. A group's subtasks are
    indented under it; `notes` (why a model has no average) go under the table."""
    only_pass = frame["metric"].drop_nulls().unique().to_list() == [PASS]
    title = "Best Pass@1 per model and benchmark" if only_pass else "Best value per model and benchmark"
    table = Table(title=title, title_justify="left", caption_justify="left")
    has_groups = "parent" in frame.columns
    parents = dict(frame.select("benchmark", "parent").drop_nulls().iter_rows()) if has_groups else {}
    columns = [("Model", "left"), ("Benchmark", "left")] + ([] if only_pass else [("Metric", "left")])
    # Columns that would be "-" on every row (no knob, no throughput in the data) are left out.
    has_knob = frame["best_budget"].is_not_null().any()
    has_tps = frame["tps_min"].is_not_null().any() or frame["tps_at_best"].is_not_null().any()
    columns += [("Best Pass@1" if only_pass else "Best", "right")] + ([(knob_label, "right")] if has_knob else [])
    columns += [("TPS there", "right"), ("TPS range", "right")] if has_tps else []
    for name, justify in columns:
        table.add_column(name, justify=justify)
    previous = None
    for row in frame.iter_rows(named=True):
        if previous is not None and row["model"] != previous:
            table.add_section()
        previous = row["model"]
        low = marked(row["tps_min"], row["tps_min_how"], 0)
        high = marked(row["tps_max"], row["tps_max_how"], 0)
        tps_range = "-" if row["tps_min"] is None else f"{low}–{high}"
        indent = "  " * _depth(parents, row["benchmark"])
        shown = subtask_label(row["benchmark"], parents.get(row["benchmark"]))
        cells = [Text(clean(row["model"])), Text(indent + bench_label(clean(shown)),
                                                  style="bold" if row["benchmark"] == AVG else "")]
        cells += [] if only_pass else [Text(clean(row["metric"] or "-"))]
        best = marked(row["best_value"], row["best_value_how"], 1)
        there = marked(row["tps_at_best"], row["tps_at_best_how"], 0)
        cells += [best] + ([format_knob(row["best_budget"])] if has_knob else [])
        cells += [there, tps_range] if has_tps else []
        table.add_row(*cells)
    legend = how_legend(frame.select(pl.concat_list(_SUMMARY_HOWS).explode())[:, 0])
    table.caption = "\n".join(filter(None, [legend, *(notes or [])])) or None
    return table


# The summary's how columns, one per value it shows (each null where its value is).
_SUMMARY_HOWS = [pl.when(pl.col(v).is_not_null()).then(pl.col(f"{v}_how"))
                 for v in ("best_value", "tps_at_best", "tps_min", "tps_max")]


def subtask_label(benchmark: str, group: str | None) -> str:
    """A subtask's name without its group's name in front (`leaderboard_bbh_navigate` under
    `leaderboard_bbh` is `navigate`): the row above names the group, and the rest is what tells
    its subtasks apart at 80 columns."""
    if group and len(benchmark) > len(group) + 1 and benchmark.startswith(group) \
            and benchmark[len(group)] in "_/:.-|":
        return benchmark[len(group) + 1:]
    return benchmark


def _depth(parents: dict[str, str], benchmark: str) -> int:
    found = 0
    while benchmark in parents and found < 16:
        benchmark, found = parents[benchmark], found + 1
    return found


def leaders_table(frame: pl.DataFrame) -> Table:
    table = Table(title="Scaling study: best model of each family (MathVision Pass@1)", title_justify="left")
    for name, justify in (("#", "right"), ("Family", "left"), ("Model", "left"), ("Params (B)", "right"),
                          ("Pass@1", "right")):
        table.add_column(name, justify=justify)
    for row in frame.iter_rows(named=True):
        table.add_row(str(row["rank"]), Text(clean(row["family"])), Text(clean(row["model"])),
                      f"{row['params_b']:g}" + HOW_MARKS.get(row.get("params_how") or "", ""),
                      marked(row["score"], row.get("score_how"), 1))
    table.caption = marks_legend(frame.rename({"params_b": "params"})) or None
    table.caption_justify = "left"
    return table


def scaling_table(frame: pl.DataFrame) -> Table:
    """Every point of the scaling study (`views.scaling_points`), values marked by provenance."""
    table = Table(title="Scaling study: MathVision Pass@1 per model", title_justify="left",
                  caption=marks_legend(frame.rename({"params_b": "params"})) or None, caption_justify="left")
    for name, justify in (("Model", "left"), ("Family", "left"), ("Params (B)", "right"), ("Pass@1", "right"),
                          ("Pass@1 per B params", "right")):
        table.add_column(name, justify=justify)
    for row in frame.iter_rows(named=True):
        table.add_row(Text(clean(row["model"])), Text(clean(row["family"])),
                      marked(row["params_b"], row["params_how"], 1),
                      marked(row["score"], row["score_how"], 1),
                      marked(row["score_per_b"], row["score_per_b_how"], 2))
    return table


def budget_table(frame: pl.DataFrame, benchmarks: list[str], title: str, knob_label: str) -> Table:
    """Budgets down; per benchmark its accuracy and throughput columns, values marked by provenance."""
    table = Table(title=Text(clean(title)), title_justify="left", caption=marks_legend(frame) or None,
                  caption_justify="left")
    table.add_column(knob_label, justify="right")
    columns = []
    for benchmark in benchmarks:
        label = bench_label(clean(benchmark))
        for column in frame.columns:
            prefix = f"{benchmark}:"
            if column.startswith(prefix) and not column.endswith("_how"):
                metric = column[len(prefix):]
                table.add_column(Text(f"{label} {METRIC_SHORT.get(metric, clean(metric))}"), justify="right")
                columns.append((column, 0 if metric == TPS else 1))
    for row in frame.iter_rows(named=True):
        cells = [format_knob(row["knob"])]
        cells += [marked(row.get(column), row.get(f"{column}_how"), digits) for column, digits in columns]
        table.add_row(*cells)
    return table


def readings_table(frame: pl.DataFrame, knob_label: str) -> Table:
    """All readings with where each came from. Sources (S1...) and notes (N1...) are keyed and
    listed under the table, so the rows fit an 80-column terminal."""
    sources = {src: f"S{i + 1}" for i, src in enumerate(dict.fromkeys(frame["source"].to_list()))}
    notes = {n: f"N{i + 1}" for i, n in enumerate(dict.fromkeys(n for n in frame["note"].to_list() if n))}
    caption = "\n".join([f"{k} {clean(v)}" for v, k in sources.items()] + [f"{k} {clean(v)}" for v, k in notes.items()])
    table = Table(title="Readings and their provenance (Kept: no = a rejected reading)", title_justify="left",
                  caption=caption, caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    for name in ("Model", "Benchmark", "Budget", "Metric", "Value", "How", "Kept", "Src", "Note"):
        table.add_column(name, no_wrap=True, justify="right" if name in ("Budget", "Value") else "left")
    for row in frame.iter_rows(named=True):
        table.add_row(Text(clean(row["model"])), Text(bench_label(clean(row["benchmark"]))), format_knob(row["knob"]),
                      Text(METRIC_SHORT.get(row["metric"], clean(row["metric"]))), number(row["value"], 1), row["how"],
                      "yes" if row["reading"] == "accepted" else "no", sources[row["source"]],
                      notes.get(row["note"], ""),
                      style="dim" if row["reading"] == "rejected" else "")
    return table


def plain(frame: pl.DataFrame, fmt: str, knob: str = "kv_budget") -> str:
    """CSV, TSV, JSON (array of records) or GitHub Markdown of a frame, for scripts and pipes;
    numbers by the one rule of `tui.render.numbers`."""
    frame = _integral_knobs(exact_floats(frame))
    if "knob" in frame.columns and knob not in frame.columns:
        frame = frame.rename({"knob": knob})
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        safe_for_spreadsheets(frame).write_csv(buffer, separator="," if fmt == "csv" else "\t")
        return buffer.getvalue().rstrip("\n")
    if fmt == "json":
        return json.dumps(frame.to_dicts(), indent=2, ensure_ascii=False)
    if fmt == "markdown":
        return markdown(frame)
    raise ValueError(fmt)


_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def tsv_rows(rows: list[list[str]]) -> str:
    """Cells as shown, as TSV guarded like `safe_for_spreadsheets`: a cell that would start a
    formula gets a ' in front (a number, or the bare "-" of a missing value, stays as shown)."""
    def safe(cell: str) -> str:
        cell = clean(cell)  # a tab or newline inside a cell becomes U+FFFD, as in the CSV export
        numeric = cell == "-" or re.fullmatch(r"[+\-\u2212]?[\d.,]+[~*%]?", cell) is not None
        return cell if numeric or not _FORMULA_START.match(cell) else "'" + cell
    return "\n".join("\t".join(safe(cell) for cell in row) for row in rows) + "\n"


def safe_for_spreadsheets(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells without control characters, and never read as a formula by a spreadsheet
    (a leading = + - @ gets a ' in front, as OWASP advises for CSV injection)."""
    text = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        pl.col(c).str.replace_all(CONTROL_PATTERN, "\ufffd")
        .str.replace(r"^([=+\-@\t\r])", "'$1") for c in text)


def markdown(frame: pl.DataFrame) -> str:
    """GitHub Markdown: numbers as the tables print them (see `text_cells`), marks on the values, and
    the marks' legend under the table when any value carries one."""
    legend = marks_legend(frame)
    cells = text_cells(frame)
    numeric = [frame.schema[c].is_numeric() for c in cells.columns]

    def cell(value: object) -> str:
        return clean(value).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(c) for c in cells.columns) + " |",
             "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in cells.iter_rows()]
    return "\n".join(lines) + (f"\n\n{legend}" if legend else "")


def text_cells(frame: pl.DataFrame) -> pl.DataFrame:
    """Every cell as text formats (Markdown, LaTeX) show it, with the decimals of the tables: throughput
    0, other numbers 1 (stderr and parameter counts as given), whole budgets as integers, negative
    numbers with the minus sign U+2212, deltas signed; an X_how column becomes X's ~ or * mark."""
    out = {}
    for column in frame.columns:
        if column.endswith("_how") and column[:-4] in frame.columns:
            continue
        hows = frame[f"{column}_how"].to_list() if f"{column}_how" in frame.columns else [None] * frame.height
        out[column] = [_text_cell(column, frame.schema[column], value, how)
                       for value, how in zip(frame[column].to_list(), hows)]
    return pl.DataFrame(out, schema=dict.fromkeys(out, pl.String))


def _text_cell(column: str, dtype: pl.DataType, value: object, how: str | None) -> str:
    if value is None:
        return ""
    if not isinstance(value, float):
        return str(value).replace("-", MINUS) if dtype.is_numeric() else clean(value)
    name = column.lower()
    if "budget" in name or name == "knob":
        text = format_knob(value)
    elif "stderr" in name or "params" in name:
        text = exact_text(value)
    else:
        text = number(value, 0 if "tps" in name or "throughput" in name else 1)
        if "delta" in name and value > 0 and text.strip("0.,"):
            text = "+" + text
    return text.replace("-", MINUS) + HOW_MARKS.get(how or "", "")


def _integral_knobs(frame: pl.DataFrame) -> pl.DataFrame:
    """Budgets print as 2500, not 2500.0, when every value is a whole number."""
    casts = []
    for column in frame.columns:
        if column in ("knob", "best_budget", "kv_budget") and frame.schema[column] == pl.Float64:
            values = frame[column].drop_nulls()
            if len(values) == 0 or (values == values.floor()).all():
                casts.append(pl.col(column).cast(pl.Int64))
    return frame.with_columns(casts) if casts else frame
