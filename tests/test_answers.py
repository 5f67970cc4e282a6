"""Tests for tui.core.answers: hand-made frames with answers worked out by hand, then the bundled data."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.answers import (
    CLOSEST_RULE,
    SCORE,
    advise,
    check_aggregates,
    dominance,
    frontier,
    insights,
    knee,
    returns,
    throughput_trend,
)
from tui.core.schema import AVG, PASS, SWEEP_SCHEMA, TPS

ROOT = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------- fixture helpers


def bundled(name: str) -> pl.DataFrame:
    """A bundled CSV as a sweep frame of accepted readings (kv_budget -> knob, n=1, stderr=null)."""
    raw = pl.read_csv(ROOT / "data" / name, infer_schema=False)
    return (raw.filter(pl.col("reading") == "accepted")
            .select(pl.col("model"), pl.col("benchmark"), pl.col("kv_budget").cast(pl.Float64).alias("knob"),
                    pl.col("metric"), pl.col("value").cast(pl.Float64), pl.lit(1, pl.UInt32).alias("n"),
                    pl.lit(None, pl.Float64).alias("stderr"), pl.col("how"), pl.col("reading"),
                    pl.col("source"), pl.col("note").fill_null("")))


def frame(rows: list[tuple]) -> pl.DataFrame:
    """Sweep frame from (model, benchmark, knob, metric, value[, how[, source]]) tuples."""
    full = []
    for model, bench, knob, metric, value, *rest in rows:
        how, source = (*rest, "table", "paper")[:2] if len(rest) < 2 else rest
        full.append((model, bench, float(knob), metric, float(value), 1, None, how, "accepted", source, ""))
    return pl.DataFrame(full, schema=SWEEP_SCHEMA, orient="row")


def series_rows(model: str, bench: str, metric: str, values: dict[float, float]) -> list[tuple]:
    return [(model, bench, k, metric, v) for k, v in values.items()]


@pytest.fixture(scope="module")
def sweep() -> pl.DataFrame:
    return bundled("kv_sweep.csv")


@pytest.fixture(scope="module")
def aggregates() -> pl.DataFrame:
    return bundled("kv_average.csv")


def only(df: pl.DataFrame, **where: object) -> dict:
    rows = df.filter(*[pl.col(k) == v for k, v in where.items()])
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def test_fixture_loads_accepted_rows_only(sweep, aggregates):
    assert sweep.schema == pl.Schema(SWEEP_SCHEMA)
    assert set(sweep["reading"].unique()) == {"accepted"}
    assert sweep.height == 96 and aggregates.height == 24  # 4 benchmarks x 6 budgets x 2 metrics x 2 models


# ---------------------------------------------------------------- advisor

TIE = frame(series_rows("M", "B", PASS, {1000: 50, 2000: 60, 3000: 60})
            + series_rows("M", "B", TPS, {1000: 100, 2000: 90, 3000: 80}))


def test_advise_tie_goes_to_the_cheaper_budget():
    row = only(advise(TIE), model="M")
    assert (row["status"], row["knob"], row[SCORE], row[TPS]) == ("ok", 2000, 60, 90)
    assert (row["fastest_knob"], row["fastest_tps"], row["tps_cost"]) == (1000, 100, 10)
    assert row["tps_cost_pct"] == pytest.approx(10.0)
    assert row["violation"] == 0 and row["constraints"] == "none"


def test_advise_constraints_are_inclusive():
    assert only(advise(TIE, min_throughput=90), model="M")["knob"] == 2000
    row = only(advise(TIE, min_throughput=95), model="M")
    assert (row["knob"], row[SCORE], row["tps_cost"]) == (1000, 50, 0)
    assert only(advise(TIE, max_budget=1999), model="M")["knob"] == 1000
    assert only(advise(TIE, min_score=60, max_budget=2000), model="M")["knob"] == 2000


def test_advise_closest_setting_when_nothing_fits():
    # violations: 1000: 20/120 + 500/500 = 1.1667; 2000: 30/120 + 1500/500 = 3.25; 3000: 40/120 + 5 = 5.33
    row = only(advise(TIE, min_throughput=120, max_budget=500), model="M")
    assert row["status"] == "no budget meets the constraints"
    assert row["knob"] == 1000 and row["violation"] == pytest.approx(20 / 120 + 1.0)
    assert CLOSEST_RULE in row["note"] and "misses: throughput >= 120 TPS, budget <= 500" in row["note"]
    # only the budget constraint is missed when throughput is fine
    row = only(advise(TIE, min_throughput=50, max_budget=500), model="M")
    assert row["knob"] == 1000 and row["note"].endswith("misses: budget <= 500")


def test_advise_closest_ties_go_to_higher_pass1_then_fastest_to_smaller_budget():
    df = frame(series_rows("M", "B", PASS, {1000: 40, 2000: 70}) + series_rows("M", "B", TPS, {1000: 90, 2000: 90}))
    row = only(advise(df, min_throughput=100), model="M")  # both miss by 10 %
    assert row["knob"] == 2000 and row["violation"] == pytest.approx(0.1)
    assert row["fastest_knob"] == 1000  # equal throughput: the smaller budget is "the fastest"


def test_advise_missing_throughput_never_meets_a_throughput_constraint():
    df = frame(series_rows("M", "B", PASS, {1000: 50, 2000: 60}) + series_rows("M", "B", TPS, {1000: 100}))
    row = only(advise(df), model="M")
    assert row["knob"] == 2000 and row[TPS] is None and row["tps_cost"] is None
    assert only(advise(df, min_throughput=50), model="M")["knob"] == 1000
    # throughput missing everywhere: nothing can be checked, so nothing is shown as the pick
    row = only(advise(frame(series_rows("M", "B", PASS, {1000: 50})), min_throughput=50), model="M")
    assert row["status"] == "no budget meets the constraints" and row["knob"] is None
    assert "values needed" in row["note"]


def test_advise_without_pass1_and_model_filter():
    df = TIE.vstack(frame(series_rows("N", "B", TPS, {1000: 10})))
    out = advise(df)
    assert out["model"].to_list() == ["M", "N"]
    assert only(out, model="N")["status"] == "no Pass@1 data"
    assert advise(df, model="M")["model"].to_list() == ["M"]
    assert advise(df, model="nobody").height == 0


def test_advise_average_from_complete_parts_or_reported():
    df = frame(series_rows("M", "B1", PASS, {1000: 40, 2000: 60, 3000: 99})
               + series_rows("M", "B2", PASS, {1000: 60, 2000: 60})
               + series_rows("M", "B1", TPS, {1000: 100, 2000: 80, 3000: 70})
               + series_rows("M", "B2", TPS, {1000: 100, 2000: 90, 3000: 60}))
    # Pass@1 means: 1000: 50, 2000: 60; 3000 has only B1 -> no average there
    row = only(advise(df, benchmark=AVG), model="M")
    assert (row["benchmark"], row["knob"], row[SCORE], row[TPS]) == (AVG, 2000, 60, 85)
    assert row["basis"] == "mean of 2 benchmarks"
    reported = frame([("M", AVG, 3000, PASS, 70), ("M", AVG, 3000, TPS, 65)])
    row = only(advise(df, benchmark=AVG, aggregates=reported), model="M")
    assert (row["knob"], row[SCORE], row[TPS], row["basis"]) == (3000, 70, 65, "reported average")


def test_advise_bundled_amc23(sweep):
    row = only(advise(sweep, benchmark="AMC23", model="R1-Qwen"), model="R1-Qwen")
    assert (row["knob"], row[SCORE], row[TPS]) == (3500, 90.5, 750)
    assert (row["fastest_knob"], row["fastest_tps"], row["tps_cost"]) == (2500, 790, 40)
    assert row["tps_cost_pct"] == pytest.approx(40 / 790 * 100)
    assert only(advise(sweep, benchmark="AMC23"), model="R1-Llama")["knob"] == 4000  # 87.0 at 4000/4500/5000


def test_advise_bundled_average_with_min_throughput(sweep, aggregates):
    # Mean of parts, R1-Qwen: TPS 785 765 745 725 705 685, Pass@1 at 4500 = (48+34+87+48.4)/4 = 54.35
    out = advise(sweep, benchmark=AVG, min_throughput=700)
    qwen = only(out, model="R1-Qwen")
    assert (qwen["status"], qwen["knob"], qwen[TPS], qwen["fastest_tps"]) == ("ok", 4500, 705, 785)
    assert qwen[SCORE] == pytest.approx(54.35) and qwen["tps_cost_pct"] == pytest.approx(80 / 785 * 100)
    llama = only(out, model="R1-Llama")  # at most 600 TPS: closest is 2500, short by 100/700
    assert (llama["status"], llama["knob"]) == ("no budget meets the constraints", 2500)
    assert llama["violation"] == pytest.approx(100 / 700) and llama[SCORE] == pytest.approx(44.225)
    # Reported averages: R1-Qwen 740 700 670 ... -> 3000 (52.6 at 700 TPS); R1-Llama best is 578 TPS
    out = advise(sweep, benchmark=AVG, min_throughput=700, aggregates=aggregates)
    qwen = only(out, model="R1-Qwen")
    assert (qwen["knob"], qwen[SCORE], qwen[TPS], qwen["tps_cost"]) == (3000, 52.6, 700, 40)
    assert only(out, model="R1-Llama")["violation"] == pytest.approx(122 / 700)


@settings(max_examples=60, deadline=None)
# No subnormal floats (below 2.2e-308): no score is one, and polars divides by a constant as a
# multiplication by its reciprocal, infinite for a subnormal (0 / 2e-313 comes out NaN, not 0).
@given(st.lists(st.tuples(st.floats(0, 100, allow_subnormal=False), st.floats(1, 1000)), min_size=1, max_size=6),
       st.one_of(st.none(), st.floats(1, 1000)), st.one_of(st.none(), st.floats(0, 100, allow_subnormal=False)))
def test_advise_property_pick_is_best_feasible(points, min_tps, min_pass):
    rows = []
    for i, (p, t) in enumerate(points):
        rows += [("M", "B", 1000 * (i + 1), PASS, p), ("M", "B", 1000 * (i + 1), TPS, t)]
    row = only(advise(frame(rows), min_throughput=min_tps, min_score=min_pass), model="M")
    feasible = [(p, -1000 * (i + 1)) for i, (p, t) in enumerate(points)
                if (min_tps is None or t >= min_tps) and (min_pass is None or p >= min_pass)]
    if feasible:
        best = max(feasible)
        assert row["status"] == "ok" and (row[SCORE], -row["knob"]) == best
    else:
        assert row["status"] == "no budget meets the constraints" and row["violation"] > 0


# ---------------------------------------------------------------- frontier and dominance

POINTS = frame([("A", "B", 1, PASS, 50), ("A", "B", 1, TPS, 100), ("A", "B", 2, PASS, 60), ("A", "B", 2, TPS, 90),
                ("B", "B", 1, PASS, 55), ("B", "B", 1, TPS, 100), ("B", "B", 2, PASS, 60), ("B", "B", 2, TPS, 80),
                ("B", "B", 3, PASS, 60), ("B", "B", 3, TPS, 90), ("C", "B", 1, PASS, 99)])


def test_frontier_by_hand():
    out = frontier(POINTS, "B")
    assert out.height == 5  # C has no throughput: left out
    on = out.filter("on_frontier").select("model", "knob").rows()
    assert on == [("A", 2), ("B", 1), ("B", 3)]  # A@2 and B@3 are identical: neither dominates the other
    a1 = only(out, model="A", knob=1.0)
    assert (a1["dominated_by_model"], a1["dominated_by_knob"], a1["pass_gap"], a1["tps_gap"]) == ("B", 1, 5, 0)
    # B@2 is dominated by A@2 and B@3 with equal margins (0 + 10/20): ties go to the model name
    b2 = only(out, model="B", knob=2.0)
    assert (b2["dominated_by_model"], b2["dominated_by_knob"], b2["margin"]) == ("A", 2, 0.5)


def test_frontier_picks_the_largest_margin():
    # ranges: Pass@1 10, TPS 20. X is dominated by Y (1/10 + 20/20 = 1.1) and Z (10/10 + 1/20 = 1.05)
    df = frame([("X", "B", 1, PASS, 50), ("X", "B", 1, TPS, 80), ("Y", "B", 1, PASS, 51), ("Y", "B", 1, TPS, 100),
                ("Z", "B", 1, PASS, 60), ("Z", "B", 1, TPS, 81)])
    x = only(frontier(df, "B"), model="X")
    assert x["dominated_by_model"] == "Y" and x["margin"] == pytest.approx(1.1)
    assert frontier(df, "nothing").height == 0


def test_frontier_bundled_amc23(sweep):
    out = frontier(sweep, "AMC23")
    assert out.filter("on_frontier").select("model", "knob").rows() == [("R1-Qwen", 2500), ("R1-Qwen", 3000),
                                                                         ("R1-Qwen", 3500)]
    llama = out.filter(pl.col("model") == "R1-Llama")
    assert set(zip(llama["dominated_by_model"], llama["dominated_by_knob"])) == {("R1-Qwen", 3500)}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=8))
def test_frontier_property(points):
    rows = []
    for i, (p, t) in enumerate(points):
        rows += [("M", "B", i, PASS, p), ("M", "B", i, TPS, t)]
    out = frontier(frame(rows), "B")
    value = {r["knob"]: (r[SCORE], r[TPS]) for r in out.iter_rows(named=True)}
    for r in out.iter_rows(named=True):
        p, t = value[r["knob"]]
        dominated = any(q >= p and u >= t and (q > p or u > t) for q, u in value.values())
        assert r["on_frontier"] is (not dominated)
        if not r["on_frontier"]:
            q, u = value[r["dominated_by_knob"]]
            assert q >= p and u >= t and (q > p or u > t)


def test_dominance_by_hand():
    df = frame(series_rows("A", "B", PASS, {1000: 50, 2000: 60, 3000: 70})
               + series_rows("A", "B", TPS, {1000: 100, 2000: 90, 3000: 80})
               + series_rows("Z", "B", PASS, {1000: 50, 2000: 55, 3000: 99, 4000: 1})
               + series_rows("Z", "B", TPS, {1000: 100, 2000: 90, 4000: 1}))
    d = dominance(df, "B", "A", "Z")  # shared budgets: 1000 and 2000 (Z lacks throughput at 3000)
    assert d.holds and d.shared == 2 and d.detail["knob"].to_list() == [1000, 2000]
    assert d.detail["d_pass"].to_list() == [0, 5] and "dominates" in d.summary
    back = dominance(df, "B", "Z", "A")
    assert not back.holds and back.summary.endswith("lower Pass@1 at 2000")
    same = dominance(df, "B", "A", "A")
    assert not same.holds and "never strictly better" in same.summary
    none = dominance(df, "B", "A", "nobody")
    assert not none.holds and none.shared == 0 and "share no budget" in none.summary


def test_dominance_bundled(sweep):
    assert dominance(sweep, "AIME25", "R1-Qwen", "R1-Llama").holds
    assert dominance(sweep, "GPQA-D", "R1-Qwen", "R1-Llama").holds
    amc = dominance(sweep, "AMC23", "R1-Qwen", "R1-Llama")  # 84.5 < 86.5 at 3000
    assert not amc.holds and amc.summary.endswith("lower Pass@1 at 3000")
    aime24 = dominance(sweep, "AIME24", "R1-Qwen", "R1-Llama")  # 42.0 < 45.3 at 3500
    assert not aime24.holds and aime24.summary.endswith("lower Pass@1 at 3500")
    assert dominance(sweep, AVG, "R1-Qwen", "R1-Llama").holds


# ---------------------------------------------------------------- returns, knee, trend


def test_returns_by_hand_with_a_gap():
    df = frame(series_rows("M", "B", PASS, {1000: 50, 2000: 56, 4000: 60})
               + series_rows("M", "B", TPS, {1000: 100, 4000: 80}))
    out = returns(df, "M", "B")
    assert out["step"].to_list() == [None, 1000, 2000]
    assert out["d_pass"].to_list() == [None, 6, 4] and out["d_pass_per_1k"].to_list() == [None, 6, 2]
    assert out["d_tps"].to_list() == [None, None, None]  # 2000 has no throughput


def test_returns_single_budget_and_bundled(sweep):
    one = returns(frame([("M", "B", 1000, PASS, 5)]), "M", "B")
    assert one.height == 1 and one["d_pass"].to_list() == [None]
    out = returns(sweep, "R1-Qwen", "AMC23")
    assert [None if v is None else round(v, 6) for v in out["d_pass"]] == [None, 2.5, 6.0, -3.0, -0.5, 1.5]
    assert out["d_tps_per_1k"].to_list() == [None] + [-40.0] * 5


def knee_of(values: dict[float, float], **kw) -> object:
    return knee(frame(series_rows("M", "B", PASS, values)), "M", "B", **kw)


def test_knee_by_hand():
    # from 2000 the best later gain is 1 point per 1k (to 3000); from 1000 it is 10 per 1k
    k = knee_of({1000: 50, 2000: 60, 3000: 61, 4000: 61.5})
    assert (k.knob, k.score) == (2000, 60) and "2 Pass@1 points per 1,000 tokens" in k.rule
    assert knee_of({1000: 50, 2000: 60, 3000: 61, 4000: 61.5}, min_gain_per_1k=0.5).knob == 3000  # 0.5 <= 0.5


def test_knee_measures_gain_from_the_budget_not_step_by_step():
    # 2000 -> 3000 falls, but 2000 -> 4000 gains 6 points over 2,000 tokens = 3 per 1k > 2
    k = knee_of({1000: 50, 2000: 60, 3000: 55, 4000: 66})
    assert k.knob is None and "still paying" in k.note and k.sentence.startswith("no knee")
    assert knee_of({1000: 50, 2000: 60, 3000: 55, 4000: 64}).knob == 2000  # exactly 2 per 1k: stops paying


def test_knee_edge_cases(sweep):
    assert knee_of({1000: 50}).knob is None and knee_of({1000: 50}).note == "only one budget measured"
    assert knee_of({1000: 50, 2000: 50, 3000: 50}).knob == 1000
    assert knee(frame([("M", "B", 1, TPS, 5)]), "M", "B").knob is None
    assert knee(sweep, "R1-Qwen", "AMC23").knob == 3500
    assert knee(sweep, "R1-Llama", "AMC23").knob == 3000  # 86.5, then at most +0.5 per 1,000 tokens
    aime24 = knee(sweep, "R1-Qwen", "AIME24")  # 48 -> 52 at the end: still paying, so no knee
    assert aime24.knob is None and aime24.sentence == (
        "no knee: Pass@1 still pays off up to the largest budget (5000)")


def trend_of(values: dict[float, float]) -> object:
    return throughput_trend(frame(series_rows("M", "B", TPS, values)), "M", "B")


def test_throughput_trend_by_hand():
    t = trend_of({1000: 100, 2000: 90, 3000: 80})
    assert t.slope_per_1k == pytest.approx(-10) and t.r2 == pytest.approx(1) and t.n == 3
    # y = 100, 80, 90: Sxy = -10000, Sxx = 2e6, Syy = 200 -> slope -5 per 1k, r = -0.5
    t = trend_of({1000: 100, 2000: 80, 3000: 90})
    assert t.slope_per_1k == pytest.approx(-5) and t.r2 == pytest.approx(0.25)


def test_throughput_trend_edge_cases():
    t = trend_of({1000: 100})
    assert (t.slope_per_1k, t.r2, t.n) == (None, None, 1)
    t = trend_of({1000: 100, 2000: 100})
    assert (t.slope_per_1k, t.r2) == (0.0, None) and "flat" in t.note
    t = throughput_trend(frame(series_rows("M", "B", PASS, {1000: 1, 2000: 2})), "M", "B")
    assert (t.slope_per_1k, t.n) == (None, 0)


def test_throughput_trend_bundled(sweep, aggregates):
    t = throughput_trend(sweep, "R1-Qwen", "AMC23")
    assert t.slope_per_1k == pytest.approx(-40) and t.r2 == pytest.approx(1)
    # reported averages 740 700 670 670 650 620: Sxy = -187500, Sxx = 4375000, Syy = 8550
    t = throughput_trend(sweep, "R1-Qwen", AVG, aggregates=aggregates)
    assert t.slope_per_1k == pytest.approx(-187500 / 4375000 * 1000)
    assert t.r2 == pytest.approx(187500**2 / (4375000 * 8550))


# ---------------------------------------------------------------- consistency

PARTS = frame([("M", "B1", 1000, PASS, 50), ("M", "B2", 1000, PASS, 60),
               ("M", "B1", 2000, PASS, 50), ("M", "B2", 2000, PASS, 61),
               ("M", "B1", 4000, PASS, 40), ("M", "B2", 4000, PASS, 70, "derived", "avg-fig"),
               ("M", "B1", 5000, PASS, 40), ("M", "B2", 5000, PASS, 70, "derived", "elsewhere"),
               ("M", "B1", 6000, PASS, 40)])
AGGS = frame([("M", AVG, knob, PASS, value, "chart-label", "avg-fig")
              for knob, value in ((1000, 55.1), (2000, 56), (3000, 50), (4000, 55), (5000, 55), (6000, 41))]
             + [("Q", AVG, 1000, TPS, 9, "chart-reading", "avg-fig")])


def test_check_aggregates_by_hand():
    out = check_aggregates(PARTS, AGGS)
    assert out["knob"].to_list() == [1000, 2000, 3000, 4000, 5000, 6000, 1000]  # input order kept
    r = only(out, model="M", knob=1000.0)
    assert r["parts_mean"] == 55 and r["difference"] == pytest.approx(0.1) and not r["exceeds"]
    assert (r["parts"], r["n_parts"], r["status"], r["circular"]) == ("B1=50, B2=60", 2, "within tolerance", False)
    r = only(out, model="M", knob=2000.0)
    assert r["difference"] == pytest.approx(0.5) and r["exceeds"] and r["status"] == "exceeds tolerance"
    r = only(out, model="M", knob=3000.0)
    assert (r["status"], r["parts_mean"], r["exceeds"], r["n_parts"]) == ("no parts", None, None, None)
    r = only(out, model="M", knob=4000.0)  # derived from the aggregate's own source: circular
    assert r["circular"] and r["derived_parts"] == "B2" and r["parts"] == "B1=40, B2=70*" and "circular" in r["note"]
    r = only(out, model="M", knob=5000.0)  # derived from elsewhere: flagged, not circular
    assert not r["circular"] and r["note"] == "includes derived part(s): B2"
    r = only(out, model="M", knob=6000.0)
    assert (r["n_parts"], r["n_expected"], r["note"]) == (1, 2, "only 1 of 2 benchmarks")
    assert only(out, model="Q")["status"] == "no parts"


def test_check_aggregates_tolerance_is_a_parameter_and_inclusive():
    out = check_aggregates(PARTS, AGGS, tolerance=0.05)
    assert only(out, model="M", knob=1000.0)["exceeds"]
    # parts mean 50.2, reported 50.05: |difference| is 0.15 (0.1500000000000057 in floats), not "more than 0.15"
    edge = check_aggregates(frame([("M", "B1", 1, PASS, 40.1), ("M", "B2", 1, PASS, 60.3)]),
                            frame([("M", AVG, 1, PASS, 50.05)]))
    assert only(edge, model="M")["difference"] == pytest.approx(-0.15) and not only(edge, model="M")["exceeds"]


def test_check_aggregates_bundled(sweep, aggregates):
    out = check_aggregates(sweep, aggregates)
    assert out.height == 24 and (out["n_parts"] == 4).all()
    passes, tps = out.filter(pl.col("metric") == PASS), out.filter(pl.col("metric") == TPS)
    assert not passes["exceeds"].any()  # every Pass@1 average within 0.15 of its parts
    assert tps["exceeds"].all()  # every throughput average is far off: chart estimates
    llama_pass = passes.filter(pl.col("model") == "R1-Llama").sort("knob")
    assert [round(v, 3) for v in llama_pass["difference"]] == [-0.025, -0.025, 0.075, -0.025, -0.05, 0.0]
    qwen_pass = passes.filter(pl.col("model") == "R1-Qwen").sort("knob")
    assert [round(v, 3) for v in qwen_pass["difference"]] == [-0.025, -0.025, -0.025, 0.0, -0.05, -0.05]
    qwen_tps = tps.filter(pl.col("model") == "R1-Qwen").sort("knob")
    assert qwen_tps["difference"].to_list() == [-45, -65, -75, -55, -55, -65]
    llama_tps = tps.filter(pl.col("model") == "R1-Llama").sort("knob")
    assert llama_tps["difference"].to_list() == [-22, -45, -50, -40, -30, -30]
    circular = out.filter("circular")
    assert circular.select("model", "knob", "metric").rows() == [("R1-Qwen", 4000, PASS)]
    assert "AIME25=35.9*" in circular["parts"][0]


# ---------------------------------------------------------------- insights


def test_insights_by_hand():
    df = frame(series_rows("A", "B", PASS, {1000: 50, 2000: 60, 3000: 60.5, 4000: 59.8})
               + series_rows("A", "B", TPS, {1000: 100, 2000: 90, 3000: 80, 4000: 70})
               + series_rows("Z", "B", PASS, {1000: 40, 2000: 41, 3000: 42, 4000: 43})
               + series_rows("Z", "B", TPS, {1000: 90, 2000: 80, 3000: 70, 4000: 60}))
    lines = insights(df)
    assert lines == insights(df)  # deterministic
    assert "A B: Pass@1 peaks at 60.5 at budget 3000; from 2000 on it stays within 1 point (59.8–60.5)." in lines
    assert "A B: Pass@1 is not monotone: it falls at 1 of 3 steps (largest drop −0.7 from 3000 to 4000)." in lines
    assert "Z B: Pass@1 is monotone: it never falls as the budget grows." in lines
    assert "A B: throughput changes by −10 TPS per 1,000 tokens of budget (R² 1.00, 4 budgets)." in lines
    assert any(x.startswith("A B: unconstrained pick is budget 3000 (Pass@1 60.5, 80 TPS, 20 TPS (20.0%)")
               for x in lines)
    assert lines[-2:] == ["A dominates Z on B: at least as good on Pass@1 and throughput at all 4 shared budgets.",
                          "A dominates Z on avg: at least as good on Pass@1 and throughput at all 4 shared budgets."]
    firsts = [x.split()[0] for x in lines[:-2]]  # per-series lines are ordered by model, then benchmark
    assert firsts == sorted(firsts) and firsts.count("A") == firsts.count("Z") == 11
    assert lines[5] == "A avg: the average is the mean of 1 benchmark."
    only_z = insights(df, model="Z")
    assert only_z and all(x.startswith("Z ") or "dominates Z" in x for x in only_z)


def test_insights_single_budget_and_flat_series():
    one = frame([("M", "B", 1000, PASS, 50), ("M", "B", 1000, TPS, 100)])
    assert [x for x in insights(one) if x.startswith("M B:")] == [
        "M B: Pass@1 peaks at 50.0 at budget 1000.",
        "M B: unconstrained pick is budget 1000 (Pass@1 50.0, 100 TPS, also the fastest setting)."]
    flat = frame(series_rows("M", "B", PASS, {1000: 50, 2000: 50}) + series_rows("M", "B", TPS, {1000: 9, 2000: 9}))
    lines = [x for x in insights(flat) if x.startswith("M B:")]
    assert "M B: Pass@1 is flat across budgets." in lines
    assert "M B: throughput is flat across budgets (2 budgets)." in lines
    assert "M B: extra budget stops paying after 1000 (no larger budget gains more than 2 points per 1,000 tokens)." \
        in lines


def test_insights_are_generated_not_hard_coded(sweep):
    renamed = sweep.with_columns(pl.col("model").replace({"R1-Qwen": "Foo", "R1-Llama": "Bar"}))
    text = "\n".join(insights(renamed))
    assert "Foo AMC23: Pass@1 peaks at 90.5 at budget 3500." in text and "R1-" not in text


def test_insights_bundled(sweep, aggregates):
    lines = insights(sweep, aggregates)
    assert "R1-Qwen AMC23: Pass@1 peaks at 90.5 at budget 3500." in lines
    assert ("R1-Llama AMC23: Pass@1 peaks at 87.0 at budget 4000; from 4000 on it stays within 1 point "
            "(87.0–87.0).") in lines
    assert "R1-Qwen avg: the average is the reported average." in lines
    assert "R1-Qwen avg: Pass@1 is monotone: it never falls as the budget grows." in lines
    assert "R1-Qwen avg: the average is the mean of 4 benchmarks." in insights(sweep)
    assert "R1-Qwen AMC23: extra budget stops paying after 3500 (no larger budget gains more than 2 points " \
           "per 1,000 tokens)." in lines
    dominance_lines = [x for x in lines if " dominates " in x]
    assert [x.split(":")[0] for x in dominance_lines] == ["R1-Qwen dominates R1-Llama on AIME25",
                                                          "R1-Qwen dominates R1-Llama on GPQA-D",
                                                          "R1-Qwen dominates R1-Llama on avg"]
    assert all(x.endswith(".") for x in lines)
    assert insights(sweep.clear()) == []


def test_insights_for_one_model_are_the_all_model_lines_about_it():
    """With `model`, dominance is joined for that model's points only (the explorer's fast path);
    the sentences must be exactly the ones the all-model run says about it, in the same order."""
    rows = []
    for m, (base, speed) in {"A": (50, 100), "B": (40, 90), "C": (55, 80), "D": (40, 95)}.items():
        rows += series_rows(m, "X", PASS, {k: base + k / 1000 for k in (1000, 2000, 3000)})
        rows += series_rows(m, "X", TPS, {k: speed - k / 100 for k in (1000, 2000, 3000)})
    df = frame(rows)
    every = insights(df)
    for m in "ABCD":
        about = [x for x in every if x.startswith(f"{m} ") or f" {m} on " in x or x.startswith(f"{m} dominates")]
        assert insights(df, model=m) == about
        assert insights(df, model=m, benchmark="X") == [x for x in about if " X:" in x or " on X:" in x]
    assert "A dominates B on X: at least as good on Pass@1 and throughput at all 3 shared budgets." in every


def test_dominance_lines_take_each_pairs_direction_and_stop_at_the_limit():
    from tui.core.answers import dominance, dominance_lines
    from tui.core.loader import load

    results = load()
    lines = dominance_lines(results.sweep, "AMC23", ["R1-Llama", "R1-Qwen"])
    ab = dominance(results.sweep, "AMC23", "R1-Llama", "R1-Qwen")
    ba = dominance(results.sweep, "AMC23", "R1-Qwen", "R1-Llama")
    expected = [ab.summary if ab.holds or not ba.holds else ba.summary]
    expected += [ba.summary] if not ab.holds and not ba.holds else []
    assert lines == expected
    assert dominance_lines(results.sweep, "AMC23", ["R1-Llama", "R1-Qwen"], limit=1) == expected[:1]
