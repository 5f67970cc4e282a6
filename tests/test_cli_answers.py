"""The answer commands print what the data says (values worked out by hand from data/)."""

from __future__ import annotations

import csv
import io
import json

from helpers import run


def rows(out):
    return list(csv.DictReader(io.StringIO(out)))


def test_advise_unconstrained_picks_the_peak_with_cheaper_ties(capsys):
    _, out, _ = run(capsys, "advise", "-f", "csv")
    picks = {(r["model"], r["benchmark"]): r["kv_budget"] for r in rows(out)}
    assert picks[("R1-Qwen", "AMC23")] == "3500"  # 90.5
    assert picks[("R1-Llama", "AMC23")] == "4000"  # 87.0 at 4000, 4500, 5000: the cheapest
    assert picks[("R1-Llama", "AIME25")] == "3500"  # 29.3 at 3500 and 5000


def test_advise_under_a_throughput_floor_says_when_nothing_fits(capsys):
    code, out, _ = run(capsys, "advise", "-b", "avg", "--min-throughput", "700")
    assert code == 0
    qwen = [line for line in out.splitlines() if line.strip().startswith("R1-Qwen")][0]
    llama = [line for line in out.splitlines() if line.strip().startswith("R1-Llama")][0]
    assert "3000" in qwen and "52.6" in qwen and "✓ ok" in qwen  # reported avg: 700 TPS at 3000
    assert "none fits" in llama and "2500" in llama  # best R1-Llama average is 578 TPS


def test_check_reports_throughput_averages_honestly_and_strict_exits_1(capsys):
    code, out, err = run(capsys, "check", "-f", "csv")
    assert code == 0 and "12 of 24 aggregates differ" in err
    by_key = {(r["model"], r["kv_budget"], r["metric"]): r for r in rows(out)}
    qwen_tps = by_key[("R1-Qwen", "2500", "throughput_tps")]
    assert float(qwen_tps["reported"]) == 740 and float(qwen_tps["parts_mean"]) == 785  # (780+790+790+780)/4
    assert qwen_tps["exceeds"] == "true"
    assert by_key[("R1-Qwen", "4000", "pass_at_1")]["circular"] == "true"
    code, _, _ = run(capsys, "check", "--strict")
    assert code == 1
    code, _, _ = run(capsys, "check", "--strict", "--tolerance", "100")
    assert code == 0


def test_frontier_names_the_dominating_point(capsys):
    _, out, _ = run(capsys, "frontier", "-b", "amc23", "-f", "json")
    points = json.loads(out)
    on = sorted((p["model"], p["kv_budget"]) for p in points if p["on_frontier"])
    assert on == [("R1-Qwen", 2500), ("R1-Qwen", 3000), ("R1-Qwen", 3500)]
    llama = [p for p in points if p["model"] == "R1-Llama"]
    assert {p["dominated_by_model"] for p in llama} == {"R1-Qwen"}


def test_frontier_states_dominance_both_ways(capsys):
    _, out, _ = run(capsys, "frontier", "-b", "gpqa")
    assert "R1-Qwen dominates R1-Llama on GPQA-D" in " ".join(out.split())


def test_returns_knee_and_slope(capsys):
    _, out, _ = run(capsys, "returns", "-m", "qwen", "-b", "amc23", "-f", "json")
    doc = json.loads(out)
    assert doc["knee"]["kv_budget"] == 3500
    assert doc["trend"]["slope_per_1k"] == -40.0  # 790 -> 690 over 2,500 tokens
    steps = {s["kv_budget"]: s for s in doc["steps"]}
    assert round(steps[3500]["d_pass"], 1) == 6.0


def test_insights_are_computed_sentences(capsys):
    _, out, _ = run(capsys, "insights", "-m", "qwen")
    text = " ".join(out.split())
    assert "R1-Qwen AMC23: Pass@1 peaks at 90.5 at budget 3500" in text
    assert "R1-Qwen dominates R1-Llama on GPQA-D" in text


def test_answers_on_a_users_file(capsys, write):
    path = write("mine.csv", "model,benchmark,kv_budget,pass_at_1,throughput_tps\n"
                             "a,t,1000,50,900\na,t,2000,60,800\na,t,3000,61,700\n")
    _, out, _ = run(capsys, "advise", str(path), "--min-throughput", "750", "-f", "csv")
    assert rows(out)[0]["pass_at_1"] == "60.0"


def test_insights_for_one_benchmark(capsys):
    code, out, _ = run(capsys, "insights", "-m", "qwen", "-b", "amc23", "-f", "csv")
    assert code == 0
    lines = out.splitlines()[1:]
    assert lines and all("AMC23" in line for line in lines)
    assert any("peaks at 90.5 at budget 3500" in line for line in lines)
    code, _, err = run(capsys, "insights", "-b", "nope")
    assert code == 2 and "unknown benchmark 'nope'" in err


def test_advise_says_when_a_constraint_is_met_only_by_a_chart_reading(capsys):
    _, out, _ = run(capsys, "advise", "-m", "qwen", "-b", "avg", "--min-throughput", "700")
    text = " ".join(out.split())
    assert "R1-Qwen Average 3000 52.6 700~" in text and "✓ ok by a reading ~" in text
    assert "R1-Qwen Average: meets throughput >= 700 TPS only by a value read off a chart (700~)" in text
    assert text.endswith("~ read off a chart")  # the legend, only the half whose mark is shown
    _, out, _ = run(capsys, "advise", "-m", "qwen", "-b", "avg", "--min-throughput", "700", "-f", "json")
    row = json.loads(out)[0]
    assert row["tps_how"] == "chart-reading" and row["reading"].startswith("meets throughput >= 700 TPS only")


def test_advise_on_measured_values_has_no_reading_and_no_legend(capsys, write):
    path = write("mine.csv", "model,benchmark,kv_budget,pass_at_1,throughput_tps\n"
                             "m,b,100,10,900\nm,b,200,20,700\n")
    _, out, _ = run(capsys, "advise", str(path), "--min-throughput", "700")
    assert "only by a value read off a chart" not in out and "read off a chart" not in out
    assert "derived" not in out and "✓ ok " in out
