"""Tests for tui.render.answers: formats, display frames, rich tables (markup-safe) and plain data."""

from __future__ import annotations

import json

import polars as pl
import pytest
from rich.console import Console
from test_answers import bundled, frame, series_rows  # tests/ is on sys.path (rootdir conftest)

from tui.core.answers import advise, check_aggregates, dominance, frontier, insights, knee, returns, throughput_trend
from tui.core.schema import AVG, PASS, TPS
from tui.render.answers import (
    advice_display,
    advice_table,
    check_display,
    check_table,
    dominance_display,
    dominance_frame,
    dominance_table,
    fmt_exact,
    fmt_pass,
    fmt_signed,
    fmt_tps,
    frontier_display,
    frontier_table,
    insights_frame,
    insights_text,
    knee_frame,
    knee_text,
    plain_frame,
    returns_display,
    returns_table,
    trend_frame,
    trend_text,
)
from tui.render.tables import markdown, plain


@pytest.fixture(scope="module")
def sweep() -> pl.DataFrame:
    return bundled("kv_sweep.csv")


@pytest.fixture(scope="module")
def aggregates() -> pl.DataFrame:
    return bundled("kv_average.csv")


def text_of(renderable: object) -> str:
    console = Console(width=240, record=True, color_system=None, file=open("/dev/null", "w"))
    console.print(renderable)
    return console.export_text()


def test_number_formats():
    assert (fmt_pass(90.54), fmt_pass(None), fmt_tps(749.6), fmt_tps(None)) == ("90.5", "-", "750", "-")
    assert fmt_signed(1.5, 1) == "▲ +1.5" and fmt_signed(-3, 1) == "▼ −3.0"
    assert fmt_signed(0.04, 1) == "= 0.0" and fmt_signed(-0.04, 1) == "= 0.0" and fmt_signed(None, 1) == "-"
    assert fmt_signed(-20, 0, arrows=False) == "−20" and fmt_signed(5, 0, arrows=False) == "+5"
    assert (fmt_exact(49.825), fmt_exact(54.3), fmt_exact(-0.025), fmt_exact(785.0), fmt_exact(-0.0001)) == \
        ("49.825", "54.3", "−0.025", "785", "0")


def test_advice_display_bundled(sweep):
    shown = advice_display(advise(sweep, benchmark="AMC23"))
    qwen = shown.filter(pl.col("Model") == "R1-Qwen").row(0, named=True)
    assert (qwen["Budget"], qwen["Pass@1"], qwen["TPS"], qwen["Fastest"]) == ("3500", "90.5", "750~", "2500 (790~ TPS)")
    assert qwen["vs fastest"] == "▼ −40 TPS (−5.1%)" and qwen["Status"] == "✓ ok"
    none_fits = advice_display(advise(sweep, benchmark=AVG, min_throughput=700)).row(0, named=True)
    assert (none_fits["Model"], none_fits["Status"], none_fits["Off by"]) == \
        ("R1-Llama", "✗ none fits; closest shown", "14.3%")
    assert none_fits["vs fastest"] == "= fastest"
    text = text_of(advice_table(advise(sweep, benchmark=AVG, min_throughput=700)))
    assert "constraints: throughput >= 700 TPS" in text and "smallest total relative violation" in text


def test_frontier_and_returns_display_bundled(sweep):
    shown = frontier_display(frontier(sweep, "AMC23"))
    llama = shown.filter((pl.col("Model") == "R1-Llama") & (pl.col("Budget") == "3000")).row(0, named=True)
    assert (llama["Frontier"], llama["Dominated by"], llama["Its lead"]) == \
        ("○ dominated", "R1-Qwen @ 3500", "+4.0 Pass@1, +180 TPS")
    assert shown.filter(pl.col("Frontier") == "● on frontier")["Budget"].to_list() == ["2500", "3000", "3500"]
    steps = returns_display(returns(sweep, "R1-Qwen", "AMC23"))
    assert steps["ΔPass@1"].to_list() == ["-", "▲ +2.5", "▲ +6.0", "▼ −3.0", "▼ −0.5", "▲ +1.5"]
    assert steps["ΔTPS /1k"].to_list() == ["-"] + ["▼ −40"] * 5
    assert "per 1,000 tokens" in text_of(returns_table(returns(sweep, "R1-Qwen", "AMC23")))


def test_check_display_bundled(sweep, aggregates):
    shown = check_display(check_aggregates(sweep, aggregates))
    first_tps = shown.filter((pl.col("Model") == "R1-Qwen") & (pl.col("Metric") == "TPS")).row(0, named=True)
    assert (first_tps["Reported"], first_tps["Mean of parts"], first_tps["Difference"], first_tps["Result"]) == \
        ("740~", "785", "−45", "✗ exceeds")
    circular = shown.filter(pl.col("Result").str.contains("circular")).row(0, named=True)
    assert (circular["Model"], circular["Budget"], circular["Reported"], circular["Difference"]) == \
        ("R1-Qwen", "4000", "54.3", "0")
    llama = shown.filter((pl.col("Model") == "R1-Llama") & (pl.col("Budget") == "3500")).row(0, named=True)
    assert (llama["Mean of parts"], llama["Difference"], llama["Parts"]) == ("50.925", "+0.075", "4/4")


def test_dominance_display_and_frame(sweep):
    d = dominance(sweep, "AMC23", "R1-Qwen", "R1-Llama")
    shown = dominance_display(d)
    assert shown.filter(pl.col("Budget") == "3000")["A ≥ B on both"].to_list() == ["✗ no"]
    assert shown["ΔPass@1 A−B"].to_list()[:2] == ["▲ +3.0", "▼ −2.0"]
    assert "lower Pass@1 at 3000" in text_of(dominance_table(d))
    out = dominance_frame(d)
    assert out["knob"].dtype == pl.Int64 and not out["a_dominates_b"].any() and out.height == 6
    assert dominance_display(dominance(sweep, "AMC23", "R1-Qwen", "nobody")).height == 0


def test_plain_frame_keeps_precision_and_makes_budgets_integers(sweep):
    out = plain_frame(advise(sweep, benchmark=AVG))
    assert out["knob"].dtype == pl.Int64 and out["fastest_knob"].dtype == pl.Int64
    assert out.filter(pl.col("model") == "R1-Qwen")[PASS].item() == pytest.approx(56.35)
    assert plain_frame(frontier(sweep, "AMC23"))["dominated_by_knob"].dtype == pl.Int64
    odd = plain_frame(pl.DataFrame({"knob": [1.5, 2.0]}))
    assert odd["knob"].dtype == pl.Float64
    rows = json.loads(plain(plain_frame(advise(sweep, benchmark="AMC23")), "json"))
    assert rows[1]["fastest_knob"] == 2500 and rows[1]["tps_cost_pct"] == pytest.approx(40 / 790 * 100)
    assert rows[1]["kv_budget"] == 3500  # the project's plain() names the knob column


def test_small_frames_for_csv_and_json(sweep):
    k = knee_frame(knee(sweep, "R1-Qwen", "AMC23"))
    assert k.row(0, named=True)["knob"] == 3500 and k["knob"].dtype == pl.Int64 and "rule" in k.columns
    none = knee_frame(knee(frame([("M", "B", 1, TPS, 5)]), "M", "B"))
    assert none["knob"].to_list() == [None]
    t = trend_frame(throughput_trend(frame(series_rows("M", "B", TPS, {1: 5})), "M", "B"))
    assert t.row(0, named=True)["slope_per_1k"] is None and t["r2"].dtype == pl.Float64
    lines = insights(sweep, model="R1-Qwen")
    assert insights_frame(lines)["insight"].to_list() == lines
    assert insights_frame([]).height == 0


def test_display_frames_print_as_markdown(sweep):
    md = markdown(advice_display(advise(sweep, benchmark="AMC23"))).splitlines()
    assert md[0].startswith("| Model | Benchmark | Status | Budget | Pass@1 | TPS |")
    assert md[3] == ("| R1-Qwen | AMC23 | ✓ ok | 3500 | 90.5 | 750~ | 2500 (790~ TPS) | ▼ −40 TPS (−5.1%) | - "
                     "| benchmark | - |")


def test_texts(sweep, aggregates):
    text = text_of(knee_text(knee(sweep, "R1-Qwen", "AMC23")))
    assert "knee at 3500 (Pass@1 90.5)" in text and "per 1,000 tokens" in text
    text = text_of(trend_text(throughput_trend(sweep, "R1-Qwen", "AMC23")))
    assert "▼ −40 TPS per 1,000 tokens" in text and "R² 1.00" in text
    assert "R² undefined" in text_of(trend_text(throughput_trend(frame(series_rows("M", "B", TPS, {1: 5, 2: 5})),
                                                                 "M", "B")))
    text = text_of(insights_text(insights(sweep, aggregates, model="R1-Qwen")))
    assert text.startswith("• R1-Qwen AIME24:") and "• R1-Qwen dominates R1-Llama on AIME25" in text


EVIL = ["[bold red]boom[/]", "[/]", "[link=http://x]y", "esc\x1b[2Jape"]


@pytest.mark.parametrize("name", EVIL)
def test_model_names_are_never_markup_or_control_codes(name):
    df = frame(series_rows(name, "B", PASS, {1000: 50, 2000: 60}) + series_rows(name, "B", TPS, {1000: 100, 2000: 90})
               + series_rows("other", "B", PASS, {1000: 40, 2000: 41})
               + series_rows("other", "B", TPS, {1000: 90, 2000: 80}))
    aggs = frame([(name, AVG, 1000, PASS, 45)])
    renderables = [advice_table(advise(df)), frontier_table(frontier(df, "B")), returns_table(returns(df, name, "B")),
                   check_table(check_aggregates(df, aggs)), dominance_table(dominance(df, "B", name, "other")),
                   knee_text(knee(df, name, "B")), trend_text(throughput_trend(df, name, "B")),
                   insights_text(insights(df))]
    shown = name.replace("\x1b", "\ufffd")  # control characters are replaced, never sent to the terminal
    for renderable in renderables:
        text = text_of(renderable)
        assert shown in text and "\x1b" not in text, type(renderable)
