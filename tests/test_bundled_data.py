"""The bundled data: what was accepted, what was set aside, and the evidence tying them."""

from __future__ import annotations

import polars as pl

from tui.core.bundled import bundled_dir


def accepted(results, model, benchmark, metric):
    frame = results.sweep if benchmark != "avg" else results.aggregates
    rows = frame.filter((pl.col("model") == model) & (pl.col("benchmark") == benchmark) & (pl.col("metric") == metric))
    return rows.sort("knob")["value"].to_list()


def test_full_grid_of_accepted_values(bundled):
    assert bundled.sweep.height == 2 * 4 * 6 * 2
    assert bundled.aggregates.height == 2 * 6 * 2
    assert bundled.scaling.height == 13


def test_r1_qwen_pass1_reading_reproduces_the_reported_average(bundled):
    reported = accepted(bundled, "R1-Qwen", "avg", "pass_at_1")
    parts = [accepted(bundled, "R1-Qwen", b, "pass_at_1") for b in ("AIME24", "AIME25", "AMC23", "GPQA-D")]
    means = [sum(col) / 4 for col in zip(*parts)]
    assert all(abs(m - r) <= 0.15 for m, r in zip(means, reported)), (means, reported)


def test_rejected_reading_is_kept_and_would_not_reproduce_the_average(bundled):
    rejected = bundled.all_readings.filter(
        (pl.col("reading") == "rejected") & (pl.col("model") == "R1-Qwen") & (pl.col("metric") == "pass_at_1")
        & pl.col("source").str.contains("seed 001") & (pl.col("knob") == 2500))
    assert sorted(rejected["value"].to_list()) == [20.0, 27.0, 40.6, 70.0]
    assert abs(sum(rejected["value"]) / 4 - 49.8) > 10


def test_the_gap_is_derived_and_says_how(bundled):
    row = bundled.sweep.filter((pl.col("model") == "R1-Qwen") & (pl.col("benchmark") == "AIME25")
                               & (pl.col("knob") == 4000) & (pl.col("metric") == "pass_at_1")).row(0, named=True)
    assert row["how"] == "derived" and row["value"] == 35.9
    assert "4 x reported average 54.3" in row["note"]


def test_every_row_has_a_source_and_a_how():
    for name in ("kv_sweep.csv", "kv_average.csv"):
        frame = pl.read_csv(bundled_dir() / name)
        assert frame["source"].null_count() == 0 and frame["how"].null_count() == 0
        assert set(frame["how"]) <= {"chart-label", "chart-reading", "derived", "table"}
    scaling = pl.read_csv(bundled_dir() / "scaling.csv")
    assert scaling["params_source"].null_count() == 0 and scaling["score_source"].null_count() == 0


def test_scaling_prefers_tabulated_values_over_figure_readings(bundled):
    kimi = bundled.scaling.filter(pl.col("model") == "Kimi-VL-A3B-Thinking-2506").row(0, named=True)
    assert kimi["score"] == 56.9 and kimi["params_b"] == 3.2 and kimi["score_how"] == "table"
    seed = bundled.all_scaling.filter((pl.col("model") == "Kimi-VL-A3B-Thinking-2506")
                                      & (pl.col("reading") == "rejected"))
    assert seed["score"].to_list() == [55.0]
    assert "Owen" not in " ".join(bundled.all_scaling["model"].to_list())
