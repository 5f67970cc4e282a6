"""Comparison tables: both values and a delta marked ▲ better / ▼ worse / = same, not by colour alone."""

from __future__ import annotations

import polars as pl
from rich.table import Table
from rich.text import Text

from tui.core.compare import SCORE
from tui.core.schema import PASS, TPS, format_knob, how_legend, short_label
from tui.render.tables import bench_label, marked, marks_legend
from tui.render.text import clean

MINUS = "\u2212"  # the one minus sign of every delta shown as text


def delta_text(delta: float | None, digits: int) -> Text:
    """Signed delta with an arrow: ▲ the right side is better, ▼ worse (both metrics: higher is better)."""
    if delta is None:
        return Text("-", justify="right")
    if round(delta, digits) == 0:
        return Text(f"= {0:.{digits}f}", style="dim", justify="right")
    arrow, style = ("▲", "green") if delta > 0 else ("▼", "red")
    return Text(f"{arrow} {delta:+,.{digits}f}".replace("-", MINUS), style=style, justify="right")


def compare_cells(frame: pl.DataFrame, left_label: str, right_label: str, knob_label: str,
                  metrics: tuple[str, str] = (PASS, PASS)) -> tuple[list[Text], list[list[str | Text]]]:
    """Column headers and one row of cells per budget: the app's compare table and the CLI's share them.
    `metrics` are the sides' score metrics (`compare_series` names its columns by them), named in the
    headers; scores by different metrics get no Δ."""
    left, right = clean(left_label), clean(right_label)
    lm, rm = metrics
    headers = [Text(knob_label, justify="right")]
    for a, b in ((lm, rm), (TPS, TPS)):
        headers += [Text(f"{side} {clean(short_label(m))}", justify="right") for side, m in ((left, a), (right, b))]
        headers.append(Text(f"Δ {clean(short_label(a))}" if a == b else "Δ", justify="right"))
    rows = []
    for row in frame.iter_rows(named=True):
        cells: list[str | Text] = [format_knob(row["knob"])]
        for a, b, digits in ((lm, rm, 1), (TPS, TPS, 0)):
            cells += [marked(row[f"left_{a}"], row[f"left_{a}_how"], digits),
                      marked(row[f"right_{b}"], row[f"right_{b}_how"], digits),
                      delta_text(row.get(f"delta_{a}") if a == b else None, digits)]
        rows.append(cells)
    return headers, rows


def compare_caption(frame: pl.DataFrame, left_label: str, right_label: str,
                    metrics: tuple[str, str] = (PASS, PASS)) -> Text:
    """Which way Δ goes, why there is none when the sides' metrics differ, and the marks' legend."""
    left, right = clean(left_label), clean(right_label)
    lm, rm = (clean(short_label(m)) for m in metrics)
    apart = f" No Δ {lm}: {lm} and {rm} are different metrics." if lm != rm else ""
    legend = marks_legend(frame)
    return Text(f"Δ = {right} {MINUS} {left}; ▲ {right} better, ▼ worse." + apart
                + (f"   {legend}" if legend else ""))


def compare_table(frame: pl.DataFrame, left_label: str, right_label: str, knob_label: str,
                  title: str | None = None, metrics: tuple[str, str] = (PASS, PASS)) -> Table:
    left, right = clean(left_label), clean(right_label)
    table = Table(title=Text(clean(title) if title else f"{left} vs {right}"), title_justify="left",
                  caption=compare_caption(frame, left_label, right_label, metrics), caption_justify="left")
    headers, rows = compare_cells(frame, left_label, right_label, knob_label, metrics)
    for header in headers:
        table.add_column(header, justify="right")
    for cells in rows:
        table.add_row(*cells)
    return table


def budgets_title(a: float, b: float, knob_label: str) -> tuple[str, str]:
    """(title, caption) of a budget comparison."""
    ka, kb = format_knob(a), format_knob(b)
    return f"{knob_label} {ka} vs {kb}", f"Δ = {kb} {MINUS} {ka}; ▲ better at {kb}, ▼ worse."


def budgets_cells(frame: pl.DataFrame, a: float, b: float) -> tuple[list[str], list[list[Text]]]:
    """Column headers and one row of cells per model and benchmark: the app's table and the CLI's share
    them. The score headers name the metric the rows share (Pass@1, acc_norm); rows scored by
    different metrics get "Score" headers and a Metric column naming each row's."""
    ka, kb = format_knob(a), format_knob(b)
    metrics = set(frame["metric"].drop_nulls().to_list()) if frame.height else set()
    name = clean(short_label(next(iter(metrics)))) if len(metrics) == 1 else "Score" if metrics else "Pass@1"
    each = len(metrics) > 1
    headers = ["Model", "Benchmark", *(["Metric"] if each else []), f"{name}\n{ka}", f"{name}\n{kb}",
               f"Δ\n{name}", f"TPS\n{ka}", f"TPS\n{kb}", "Δ TPS"]
    rows = [[Text(clean(row["model"])), Text(bench_label(clean(row["benchmark"]))),
             *([Text(clean(short_label(row["metric"])) if row["metric"] else "-")] if each else []),
             *_pair(row, SCORE, 1), delta_text(row[f"delta_{SCORE}"], 1),
             *_pair(row, TPS, 0), delta_text(row[f"delta_{TPS}"], 0)]
            for row in frame.iter_rows(named=True)]
    return headers, rows


def _pair(row: dict, metric: str, digits: int) -> list[Text]:
    return [_right(marked(row[f"{metric}_{side}"], row.get(f"{metric}_{side}_how"), digits)) for side in "ab"]


def budgets_legend(frame: pl.DataFrame) -> str:
    """The marks' legend for the values a budget comparison shows ("" when none is marked)."""
    hows = [row.get(f"{m}_{side}_how") for row in frame.iter_rows(named=True)
            for m in (SCORE, TPS) for side in "ab" if row[f"{m}_{side}"] is not None]
    return how_legend(hows)


def _right(text: str) -> Text:
    return Text(text, justify="right")


def budgets_table(frame: pl.DataFrame, a: float, b: float, knob_label: str) -> Table:
    title, caption = budgets_title(a, b, knob_label)
    legend = budgets_legend(frame)
    caption = Text(caption + (f"   {legend}" if legend else ""))
    table = Table(title=title, title_justify="left", caption=caption, caption_justify="left")
    headers, rows = budgets_cells(frame, a, b)
    longest = max([len(clean(m)) for m in frame["model"].to_list()] + [5]) if frame.height else 5
    table.add_column(headers[0], no_wrap=True, min_width=min(longest, 24))
    table.add_column(headers[1], no_wrap=True, min_width=9)
    for name in headers[2:]:
        table.add_column(Text(name), justify="left" if name == "Metric" else "right")
    previous = None
    for model, cells in zip(frame["model"].to_list(), rows):
        if previous is not None and model != previous:
            table.add_section()
        previous = model
        table.add_row(*cells)
    return table
