"""Tables and text for the answers in `tui.core.answers`, plus plain frames for csv/json/markdown.

Each answer has a `*_display` function turning it into a frame of display strings (budgets as
integers, the score (Pass@1, acc_norm ...: the header names it) with 1 decimal, throughput with 0
decimals, changes marked with ▲/▼ and a sign, so meaning never rests on colour alone); the rich
`*_table` functions are built from those frames.
For `--format`: table -> `*_table` / `*_text`; markdown -> `tui.render.tables.markdown(*_display(..))`;
csv/json -> `tui.render.tables.plain(plain_frame(..), fmt)` (full precision, whole budgets as ints).
User data (model and benchmark names) enters rich only as `Text` passed through `clean`, never as markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import polars as pl
from rich import box
from rich.table import Table
from rich.text import Text

from tui.core.answers import (
    KV_BUDGET,
    NONE_FITS,
    SCORE,
    Dominance,
    Knee,
    Knob,
    Trend,
    closest_rule,
    label,
    labels,
    pick_rule,
)
from tui.core.schema import HOW_MARKS, METRIC_SHORT, TPS, format_knob, how_legend
from tui.render.tables import bench_label
from tui.render.text import clean

UP, DOWN, SAME = "▲", "▼", "="
MINUS = "−"
KNOB_COLUMNS = ("knob", "fastest_knob", "dominated_by_knob", "step")


# ---------------------------------------------------------------- number formats


def fmt_pass(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def fmt_tps(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def fmt_signed(value: float | None, decimals: int, arrows: bool = True) -> str:
    """+1.5 / −3.0 (with ▲/▼ when arrows), "= 0.0" when it rounds to zero, "-" when missing."""
    if value is None:
        return "-"
    text = f"{abs(value):.{decimals}f}"
    if round(value, decimals) == 0:
        return f"{SAME} {text}" if arrows else text
    sign, arrow = ("+", UP) if value > 0 else (MINUS, DOWN)
    return f"{arrow} {sign}{text}" if arrows else f"{sign}{text}"


def fmt_exact(value: float | None, decimals: int = 3) -> str:
    """Up to `decimals` decimals with trailing zeros removed: 49.825, 54.3, 785."""
    if value is None:
        return "-"
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace("-", MINUS)


def _column(df: pl.DataFrame, name: str, fmt: Callable[[object], str]) -> list[str]:
    return [fmt(v) for v in df[name].to_list()]


def _marked(df: pl.DataFrame, name: str, how: str, fmt: Callable[[object], str]) -> list[str]:
    """Formatted values with their ~ / * marks (when the frame says how each was obtained)."""
    hows = _or_none(df, how)
    return [fmt(v) + (HOW_MARKS.get(h or "", "") if v is not None else "")
            for v, h in zip(df[name].to_list(), hows)]


def _or_none(df: pl.DataFrame, name: str) -> list:
    return df[name].to_list() if name in df.columns else [None] * df.height


def _frame(columns: dict[str, list[str] | pl.Series]) -> pl.DataFrame:
    return pl.DataFrame(columns, schema={name: pl.String for name in columns})


def _metrics(df: pl.DataFrame) -> list[str | None]:
    return df["metric"].unique().to_list() if "metric" in df.columns and df.height else []


def score_header(df: pl.DataFrame) -> str:
    """The score column's header: the metric's name (Pass@1, acc_norm) when the rows share one,
    else "Score" (each row then names its metric in a Metric column)."""
    name = labels(_metrics(df))
    return "Score" if name == "score" else name


def _metric_column(df: pl.DataFrame) -> dict[str, list[str]]:
    """{"Metric": ...} naming each row's metric when the rows are scored by different metrics."""
    if len(set(_metrics(df)) - {None}) < 2:
        return {}
    return {"Metric": [label(m) if m else "-" for m in df["metric"].to_list()]}


# ---------------------------------------------------------------- display frames


def knob_header(knob: Knob) -> str:
    """The header of a column of settings: "Budget" for a token budget, else the knob's own label."""
    return "Budget" if knob.is_tokens else knob.label


def advice_display(df: pl.DataFrame, knob: Knob = KV_BUDGET) -> pl.DataFrame:
    def cost(c: float | None, pct: float | None) -> str:
        if c is None:
            return "-"
        return f"{SAME} fastest" if round(c) == 0 else f"{DOWN} {MINUS}{c:.0f} TPS ({MINUS}{pct:.1f}%)"

    status = {"ok": "✓ ok", NONE_FITS: "✗ none fits; closest shown"}
    return _frame({
        "Model": df["model"], "Benchmark": [bench_label(b) for b in df["benchmark"].to_list()],
        **_metric_column(df),
        "Status": [status.get(s, s) + (" by a reading ~" if r else "")
                   for s, r in zip(df["status"].to_list(), _or_none(df, "reading"))],
        knob_header(knob): _column(df, "knob", format_knob),
        score_header(df): _marked(df, SCORE, "pass_how", fmt_pass),
        "TPS": _marked(df, TPS, "tps_how", fmt_tps),
        "Fastest": [f"{format_knob(k)} ({t} TPS)" if k is not None else "-"
                    for k, t in zip(df["fastest_knob"].to_list(),
                                    _marked(df, "fastest_tps", "fastest_how", fmt_tps))],
        "vs fastest": [cost(c, p) for c, p in zip(df["tps_cost"].to_list(), df["tps_cost_pct"].to_list())],
        "Off by": [f"{v * 100:.1f}%" if v else "-" for v in df["violation"].to_list()],
        "Basis": [b or "-" for b in df["basis"].to_list()],
        "Reading": [r or "-" for r in _or_none(df, "reading")],
    })


def frontier_display(df: pl.DataFrame, knob: Knob = KV_BUDGET) -> pl.DataFrame:
    name = score_header(df)
    lead = "score" if name == "Score" else name
    return _frame({
        "Model": df["model"], **_metric_column(df), knob_header(knob): _column(df, "knob", format_knob),
        name: _marked(df, SCORE, "pass_how", fmt_pass), "TPS": _marked(df, TPS, "tps_how", fmt_tps),
        "Frontier": ["● on frontier" if f else "○ dominated" for f in df["on_frontier"].to_list()],
        "Dominated by": [f"{m} @ {format_knob(k)}" if m is not None else "-"
                         for m, k in zip(df["dominated_by_model"].to_list(), df["dominated_by_knob"].to_list())],
        "Its lead": [f"{fmt_signed(p, 1, False)} {lead}, {fmt_signed(t, 0, False)} TPS"
                     if p is not None else "-"
                     for p, t in zip(df["pass_gap"].to_list(), df["tps_gap"].to_list())],
    })


def _per_1k(df: pl.DataFrame) -> bool:
    """Whether a returns frame has rates per 1,000 tokens (its knob is a token budget)."""
    return "d_pass_per_1k" in df.columns


def returns_display(df: pl.DataFrame, knob_label: str = "Budget") -> pl.DataFrame:
    """The steps; a frame without rates (a knob that is not a token budget) is headed by the knob's
    own label and shows the changes per step only."""
    name = score_header(df)
    rates = _per_1k(df)
    columns = {
        "Budget" if rates else knob_label: _column(df, "knob", format_knob),
        name: _marked(df, SCORE, "pass_how", fmt_pass),
        f"Δ{name}": _column(df, "d_pass", lambda v: fmt_signed(v, 1)),
        f"Δ{name} /1k": _column(df, "d_pass_per_1k", lambda v: fmt_signed(v, 1)) if rates else None,
        "TPS": _marked(df, TPS, "tps_how", fmt_tps),
        "ΔTPS": _column(df, "d_tps", lambda v: fmt_signed(v, 0)),
        "ΔTPS /1k": _column(df, "d_tps_per_1k", lambda v: fmt_signed(v, 0)) if rates else None,
    }
    return _frame({header: cells for header, cells in columns.items() if cells is not None})


def check_display(df: pl.DataFrame) -> pl.DataFrame:
    """Reported values as given; mean of parts and difference with up to 3 decimals (Pass@1) so a
    0.025 gap stays visible, throughput with 0 decimals."""
    rows = df.to_dicts()

    def num(row: dict, key: str, signed: bool = False) -> str:
        value = row[key]
        if value is None:
            return "-"
        if row["metric"] == TPS:
            return fmt_signed(value, 0, False) if signed else fmt_tps(value)
        if key == "reported":
            return fmt_pass(value)
        text = fmt_exact(value)
        return f"+{text}" if signed and value > 0 and text != "0" else text

    result = {"within tolerance": "✓ within", "exceeds tolerance": "✗ exceeds", "no parts": "? no parts"}
    return _frame({
        "Model": [r["model"] for r in rows], "Budget": [format_knob(r["knob"]) for r in rows],
        "Metric": [METRIC_SHORT.get(r["metric"], r["metric"]) for r in rows],
        "Reported": [num(r, "reported") + HOW_MARKS.get(r["reported_how"] or "", "") for r in rows],
        "Mean of parts": [num(r, "parts_mean") for r in rows],
        "Parts": [f"{r['n_parts'] or 0}/{r['n_expected'] or 0}" for r in rows],
        "Difference": [num(r, "difference", signed=True) for r in rows],
        # A circular row cannot disagree by construction: said instead of "within" (the legend explains).
        "Result": ["✓ circular" if r["circular"] and r["status"] == "within tolerance"
                   else result.get(r["status"], r["status"]) for r in rows],
        "Values": [r["parts"] or "-" for r in rows], "Note": [r["note"] or "" for r in rows],
    })


def dominance_display(d: Dominance, name: str = "Pass@1", knob: Knob = KV_BUDGET) -> pl.DataFrame:
    det = d.detail
    return _frame({
        knob_header(knob): _column(det, "knob", format_knob),
        f"{name} A": _column(det, "pass_a", fmt_pass), f"{name} B": _column(det, "pass_b", fmt_pass),
        f"Δ{name} A−B": _column(det, "d_pass", lambda v: fmt_signed(v, 1)),
        "TPS A": _column(det, "tps_a", fmt_tps), "TPS B": _column(det, "tps_b", fmt_tps),
        "ΔTPS A−B": _column(det, "d_tps", lambda v: fmt_signed(v, 0)),
        "A ≥ B on both": ["✓ yes" if v else "✗ no" for v in det["at_least_as_good"].to_list()],
    })


# ---------------------------------------------------------------- rich


_NUMBER = re.compile(r"^(-|[▲▼=]? ?[+−-]?[\d.,]+[~*%]?)$")


def _style(cell: str) -> str:
    if cell.startswith((UP, "✓", "●")):
        return "green"
    if cell.startswith((DOWN, "✗")):
        return "red"
    if cell.startswith(("?", "○")):
        return "yellow"
    return ""


def rich_table(display: pl.DataFrame, title: str | None = None, caption: str | None = None,
               keep: list[str] | None = None) -> Table:
    """A compact rich Table of a display frame (the `keep` columns; all by default) that fits an
    80-column terminal; every cell, title and caption is plain Text (no markup). CSV, JSON and
    Markdown outputs carry every column."""
    if keep:
        display = display.select([c for c in keep if c in display.columns])
    caption = "\n".join(clean(line) for line in caption.split("\n")) if caption else None
    table = Table(title=Text(clean(title)) if title else None, caption=Text(caption) if caption else None,
                  title_justify="left", caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
    for index, name in enumerate(display.columns):
        numeric = all(_NUMBER.match(cell or "-") for cell in display[name].cast(pl.String).to_list())
        # Only a long last column (notes, statuses with reasons) may wrap.
        longest = max([len(str(c or "")) for c in display[name].to_list()] + [0])
        wrap = index == len(display.columns) - 1 and longest > 16
        table.add_column(Text(name), justify="right" if numeric and display.height else "left", no_wrap=not wrap)
    for row in display.iter_rows():
        table.add_row(*(Text(clean(cell), style=_style(clean(cell))) for cell in row))
    return table


def advice_table(df: pl.DataFrame, knob: Knob = KV_BUDGET) -> Table:
    constraints = df["constraints"][0] if df.height else "none"
    display = advice_display(df, knob).with_columns(
        pl.when(pl.col("Off by") != "-").then(pl.format("{} (off by {})", pl.col("Status"), pl.col("Off by")))
        .otherwise(pl.col("Status")).alias("Status"))
    basis = sorted(set(b for b in df["basis"].to_list() if b)) if df.height else []
    readings = [f"{m} {bench_label(b)}: {r}"
                for m, b, r in df.select("model", "benchmark", "reading").iter_rows() if r]
    legend = advice_legend(df)
    name = labels(_metrics(df))
    mixed = ("\nscore = each benchmark's headline metric (its Metric); a minimum score applies to each"
             if name == "score" and df.height else "")
    rules = f"pick: {pick_rule(name, knob)}\nif none fits: {closest_rule(name, knob)}"
    return rich_table(display, f"Recommended {knob.setting}",
                      f"constraints: {constraints}\n{rules}"
                      + mixed + (f"\nbasis: {'; '.join(basis)}" if basis else "")
                      + "".join(f"\n{line}" for line in readings) + (f"\n{legend}" if legend else ""),
                      keep=["Model", "Benchmark", "Metric", knob_header(knob), score_header(df), "TPS",
                            "vs fastest", "Status"])


def advice_legend(df: pl.DataFrame) -> str:
    """The marks' legend for a frame's score and throughput (pass_how, tps_how; "" when none is marked)."""
    if "pass_how" not in df.columns:
        return ""
    shown = df.select(pl.when(pl.col(SCORE).is_not_null()).then("pass_how"),
                      pl.when(pl.col(TPS).is_not_null()).then("tps_how"))
    return how_legend(shown.to_series(0).to_list() + shown.to_series(1).to_list())


def frontier_table(df: pl.DataFrame, knob: Knob = KV_BUDGET) -> Table:
    bench = df["benchmark"][0] if df.height else ""
    legend = advice_legend(df)
    name = labels(_metrics(df)) if df.height else "Pass@1"
    apart = ("; points scored by different metrics are never compared: each metric has its own frontier"
             if name == "score" else "")
    title = f"{name} vs throughput frontier: {bench_label(bench)}".rstrip(": ")
    return rich_table(frontier_display(df, knob), title,
                      "dominated = another point is at least as good on both and better on one; "
                      "the dominator shown has the largest margin" + apart
                      + (f"\n{legend}" if legend else ""))


def returns_table(df: pl.DataFrame, knob_label: str = "Budget") -> Table:
    rates = _per_1k(df)
    step = "budget" if rates else knob_label
    title = (f"Returns per {step} step: {df['model'][0]} {bench_label(df['benchmark'][0])}" if df.height
             else "Returns")
    legend = advice_legend(df)
    key = ("/1k = per 1,000 tokens of extra budget" if rates else
           f"Δ = change from the previous {knob_label}; no rate per 1,000 tokens: {knob_label} is not a "
           "token budget")
    return rich_table(returns_display(df, knob_label), title, key + (f"\n{legend}" if legend else ""))


def check_table(df: pl.DataFrame) -> Table:
    """The check, one row per aggregate; the caption lists each disagreement with its parts."""
    display = check_display(df)
    flagged = [f"{m} {b} {metric}: {values}" for m, b, metric, values, result in
               display.select("Model", "Budget", "Metric", "Values", "Result").iter_rows() if "exceeds" in result]
    # Each part of the legend only when what it explains is on show.
    legend = "; ".join(text for shown, text in (
        (any(c.endswith("~") for c in display["Reported"]) or any("~" in line for line in flagged),
         "~ read off a chart (estimate)"),
        (any("*" in line for line in flagged), "* = a derived part"),
        (any(c == "✓ circular" for c in display["Result"]),
         "circular = the derived part was computed from this average, so the check cannot disagree"))
        if shown)
    disagreements = "parts of each disagreement:\n" + "\n".join(flagged) if flagged else ""
    caption = "\n".join(filter(None, [legend, disagreements]))
    # Shorter headers on screen so the table fits 80 columns; CSV and JSON keep the full names.
    display = display.rename({"Mean of parts": "Mean", "Difference": "Diff"})
    return rich_table(display, "Reported averages vs the mean of their parts", caption or None,
                      keep=["Model", "Budget", "Metric", "Reported", "Mean", "Parts", "Diff", "Result"])


def dominance_table(d: Dominance, knob: Knob = KV_BUDGET) -> Table:
    title = f"{d.model_a} (A) vs {d.model_b} (B) on {bench_label(d.benchmark)}"
    return rich_table(dominance_display(d, label(d.metric), knob), title, d.summary)


def insights_text(lines: Iterable[str]) -> Text:
    text = Text()
    for line in lines:
        text.append("• ")
        text.append(clean(line))
        text.append("\n")
    text.rstrip()
    return text


def knee_text(k: Knee) -> Text:
    text = Text()
    text.append(clean(f"{k.model} {k.benchmark}: "), style="bold")
    if k.knob is not None:
        text.append(f"knee at {format_knob(k.knob)} ({label(k.metric)} {fmt_pass(k.score)}): ")
    text.append(k.sentence)
    if k.rule is not None:
        text.append(f"\nrule: {k.rule}\n{k.note}")
    return text


def trend_text(t: Trend) -> Text:
    text = Text()
    text.append(clean(f"{t.model} {t.benchmark}: "), style="bold")
    if t.knob is not None and t.change is not None:
        text.append(f"throughput {fmt_signed(t.change, 0)} TPS from {t.knob} {format_knob(t.low)} to "
                    f"{format_knob(t.high)}", style=_style(fmt_signed(t.change, 0)))
        r2 = "undefined" if t.r2 is None else f"{t.r2:.2f}"
        text.append(f" (least-squares fit, R² {r2}, {t.n} settings)")
    elif t.slope_per_1k is None:
        text.append("no throughput trend")
    else:
        text.append(f"throughput {fmt_signed(t.slope_per_1k, 0)} TPS per 1,000 tokens of budget",
                    style=_style(fmt_signed(t.slope_per_1k, 0)))
        text.append(f" (R² {'undefined' if t.r2 is None else f'{t.r2:.2f}'}, {t.n} budgets)")
    text.append(f"\n{t.note}")
    return text


# ---------------------------------------------------------------- plain data (csv / json / markdown)


def plain_frame(df: pl.DataFrame) -> pl.DataFrame:
    """Full-precision frame for csv/json; budget columns become Int64 when every value is whole.
    The score column is named by its metric (pass_at_1, acc_norm) when the rows share one; rows
    scored by different metrics keep `score` beside a `metric` column naming each one's."""
    fixes = [pl.col(c).cast(pl.Int64) for c in KNOB_COLUMNS
             if c in df.columns and df[c].dtype.is_float() and (df[c].drop_nulls() % 1 == 0).all()]
    df = df.with_columns(fixes) if fixes else df
    return named_score(df)


def named_score(df: pl.DataFrame) -> pl.DataFrame:
    """`score` renamed to the metric it holds, without the `metric` column, when there is one metric."""
    metrics = set(_metrics(df)) - {None}
    if SCORE not in df.columns or len(metrics) > 1:
        return df
    metric = metrics.pop() if metrics else "score"
    return df.drop("metric").rename({SCORE: metric}) if metric not in df.columns else df


def knee_frame(k: Knee) -> pl.DataFrame:
    schema = {"model": pl.String, "benchmark": pl.String, "knob": pl.Float64, SCORE: pl.Float64,
              "min_gain_per_1k": pl.Float64, "rule": pl.String, "note": pl.String,
              "sentence": pl.String, "metric": pl.String}
    return plain_frame(pl.DataFrame([vars(k)], schema=schema))


def trend_frame(t: Trend) -> pl.DataFrame:
    """The trend as one row; along a knob that is not a token budget, without slope_per_1k and with
    the knob, the settings' range and the fitted change across it."""
    schema = {"model": pl.String, "benchmark": pl.String, "slope_per_1k": pl.Float64, "r2": pl.Float64,
              "n": pl.Int64, "note": pl.String}
    if t.knob is not None:
        # "knob" would be renamed to the knob's own name by the csv/json writer: named "along" here.
        row = {**vars(t), "along": t.knob, "from": t.low, "to": t.high}
        schema = {"model": pl.String, "benchmark": pl.String, "along": pl.String, "from": pl.Float64,
                  "to": pl.Float64, "change": pl.Float64, "r2": pl.Float64, "n": pl.Int64, "note": pl.String}
        return pl.DataFrame([{key: row[key] for key in schema}], schema=schema)
    return pl.DataFrame([{key: vars(t)[key] for key in schema}], schema=schema)


def dominance_frame(d: Dominance) -> pl.DataFrame:
    names = [pl.lit(d.model_a).alias("model_a"), pl.lit(d.model_b).alias("model_b"),
             pl.lit(d.benchmark).alias("benchmark")]
    return plain_frame(d.detail.select(*names, pl.all(), pl.lit(d.holds).alias("a_dominates_b")))


def insights_frame(lines: Iterable[str]) -> pl.DataFrame:
    return _frame({"insight": list(lines)})

