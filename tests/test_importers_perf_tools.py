"""Issue 15: AIPerf, genai-perf and LLMPerf exports on real files (tests/real_files/importers, see
its SOURCES.md): headline numbers through load() and the CLI, units kept in metric names, the
concurrency as the knob, and one line naming the tool for a broken file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from helpers import run
from tui.core import schema
from tui.core.importers import detect_and_import
from tui.core.loader import load

FILES = Path(__file__).parent / "real_files" / "importers"
ANUD = FILES / "aiperf__anud18_qwen36-vllm-aiperf-benchmark"
DYNAMO = FILES / "aiperf__ai-dynamo_aiperf"
EARLY = FILES / "aiperf__ajcasagrande_aiperf" / "profile_export_aiperf.json"
GENAI = FILES / "genai-perf__Egham-7_adaptive"
GENAI_C10 = GENAI / "concurrency10" / "simple_medium_response_c10_genai_perf.json"
GROQ = FILES / "llmperf__ray-project_llmperf-leaderboard" / "groq_70b.json"
NANO = FILES / "llmperf__johnsonafool_llmperf-test"


def values(results, knob: float | None = None) -> dict[str, float]:
    """metric -> value of a one-model, one-benchmark result (at one knob value when given)."""
    rows = results.sweep if knob is None else results.sweep.filter(pl.col("knob") == knob)
    assert rows.select("model", "benchmark").n_unique() == 1
    return dict(zip(rows["metric"], rows["value"]))


def test_aiperf_0_10_json_gives_throughput_and_latency_percentiles_in_ms():
    results = load([ANUD / "profile_export_aiperf.json"])
    got = values(results)
    assert got[schema.TPS] == pytest.approx(538.5320453113063)
    assert got["p99_ttft_ms"] == pytest.approx(234.56491185)
    assert got["mean_itl_ms"] == pytest.approx(6.74376905272837)
    assert got["median_e2el_ms"] == pytest.approx(1218.97092)
    assert results.sweep["model"].unique().to_list() == ["qwen3.6-nvfp4"]
    assert results.knob == "concurrency" and results.sweep["knob"].unique().to_list() == [4.0]


def test_aiperf_csv_alone_gives_the_json_numbers_to_its_two_decimals(tmp_path):
    shutil.copy(ANUD / "profile_export_aiperf.csv", tmp_path)
    results = load([tmp_path / "profile_export_aiperf.csv"])
    assert results.sweep["benchmark"].unique().to_list() == ["aiperf profile"]  # percentiles from p1 up
    got = values(results)
    assert got[schema.TPS] == pytest.approx(538.53)
    assert got["p99_ttft_ms"] == pytest.approx(234.56)
    assert got["request_throughput"] == pytest.approx(2.63)


def test_aiperf_records_shape_of_2025_reads_tags_and_the_loadgen_concurrency():
    results = load([DYNAMO / "profile_export_aiperf.json"])
    got = values(results)
    assert got[schema.TPS] == pytest.approx(2320.7222350404572)
    assert got["mean_ttft_ms"] == pytest.approx(2343.219436988764)
    assert got["request_throughput"] == pytest.approx(9.551622221540914)
    assert results.sweep["knob"].unique().to_list() == [100.0]


def test_a_json_and_its_csv_in_one_folder_are_one_run_not_two():
    results = load([DYNAMO])
    assert results.sweep.filter(pl.col("metric") == schema.TPS)["n"].to_list() == [1]
    assert not results.skipped and not results.warnings


def test_the_early_aiperf_export_has_latencies_only_and_no_knob():
    results = load([EARLY])
    got = values(results)
    assert got["mean_ttft_ms"] == pytest.approx(30.4630958)
    assert got["median_itl_ms"] == pytest.approx(4.997382368686869)
    assert schema.TPS not in got
    assert results.sweep["knob"].is_null().all()


def test_genai_perf_runs_at_two_concurrencies_are_one_sweep():
    results = load([GENAI])
    assert results.knob == "concurrency"
    tps = results.sweep.filter(pl.col("metric") == schema.TPS).sort("knob")
    assert tps["knob"].to_list() == [1.0, 10.0]
    assert tps["value"].to_list() == pytest.approx([51.63, 408.8289965516585], abs=0.01)
    assert values(results, 10.0)["p99_ttft_ms"] == pytest.approx(19113.67754225)
    assert tps["model"].unique().to_list() == ["auto"]


def test_genai_perf_csv_alone_reads_quoted_thousands_and_the_artifact_folder_concurrency(tmp_path):
    folder = tmp_path / "auto-openai-chat-concurrency10"
    folder.mkdir()
    shutil.copy(GENAI_C10.with_suffix(".csv"), folder)
    results = load([folder / GENAI_C10.with_suffix(".csv").name])
    assert results.sweep["benchmark"].unique().to_list() == ["genai-perf profile"]  # p99 first, "(per sec)"
    got = values(results)
    assert got[schema.TPS] == pytest.approx(408.83)
    assert got["p99_e2el_ms"] == pytest.approx(19113.68)
    assert got["request_throughput"] == pytest.approx(0.91)
    assert results.sweep["knob"].unique().to_list() == [10.0]


def test_a_csv_beside_a_json_that_is_no_export_is_read_from_the_csv(tmp_path):
    csv_path = tmp_path / "auto-openai-chat-concurrency10" / GENAI_C10.with_suffix(".csv").name
    csv_path.parent.mkdir()
    shutil.copy(GENAI_C10.with_suffix(".csv"), csv_path)
    csv_path.with_suffix(".json").write_text('{"note": "my own notes about the run"}')
    results = load([csv_path])
    assert values(results)[schema.TPS] == pytest.approx(408.83)
    assert results.files == (csv_path,)


def test_llmperf_summary_keeps_seconds_in_the_latency_names():
    results = load([GROQ])
    got = values(results)
    assert got[schema.TPS] == pytest.approx(441.84737788500206)
    assert got["median_ttft_s"] == pytest.approx(0.2218883791938424)
    assert got["p99_itl_s"] == pytest.approx(0.006565943489596247)
    assert not any(name.endswith("_ms") for name in got)
    assert results.sweep["knob"].unique().to_list() == [5.0]


def test_llmperf_summaries_at_1_and_10_concurrent_requests_are_one_sweep():
    tps = load([NANO]).sweep.filter(pl.col("metric") == schema.TPS).sort("knob")
    assert tps["knob"].to_list() == [1.0, 10.0]
    assert tps["value"].to_list() == pytest.approx([72.12489131884479, 242.96232158449254])


def test_a_kv_budget_in_the_path_is_the_knob_and_the_concurrency_a_dimension(tmp_path):
    for budget, tps in ((1024, 400.0), (2048, 300.0)):
        folder = tmp_path / f"kv_budget={budget}"
        folder.mkdir()
        broken(folder, GROQ, lambda d, tps=tps: d.update(results_mean_output_throughput_token_per_s=tps))
    results = load([tmp_path])
    assert results.knob == "kv_budget"
    tps = results.sweep.filter(pl.col("metric") == schema.TPS).sort("knob")
    assert tps["knob"].to_list() == [1024.0, 2048.0] and tps["value"].to_list() == [400.0, 300.0]
    assert results.sweep["concurrency"].unique().to_list() == ["5"]


@pytest.mark.parametrize("path, shown", [
    (ANUD / "profile_export_aiperf.json", "539"), (DYNAMO / "profile_export_aiperf.csv", "2,321"),
    (GENAI_C10, "409"), (GROQ, "442")])
def test_summary_prints_the_output_throughput(capsys, path, shown):
    code, out, err = run(capsys, "summary", str(path))
    assert code == 0, err
    assert f"{shown}–{shown}" in out


def test_table_prints_the_llmperf_sweep_by_concurrency(capsys):
    code, out, err = run(capsys, "table", str(NANO), "--model", "gpt-4.1-nano", "--format", "csv")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("concurrency,")
    assert lines[1].startswith("1,72.12489") and lines[2].startswith("10,242.96232")


def broken(tmp_path: Path, source: Path, change) -> Path:
    """A copy of a real file with `change` applied to its parsed JSON."""
    doc = json.loads(source.read_text())
    change(doc)
    target = tmp_path / source.name
    target.write_text(json.dumps(doc))
    return target


def fails(capsys, path: Path) -> str:
    code, _, err = run(capsys, "summary", str(path))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]
    return lines[0]


def test_an_aiperf_latency_without_unit_names_the_tool_and_the_metric(capsys, tmp_path):
    source = ANUD / "profile_export_aiperf.json"
    path = broken(tmp_path, source, lambda d: d["time_to_first_token"].pop("unit"))
    assert "AIPerf profile export: time_to_first_token has no unit" in fails(capsys, path)


def test_an_aiperf_export_of_an_unknown_version_says_what_was_looked_for(capsys, tmp_path):
    def rename(doc):
        doc["aiperf_version"] = "9.0.0"
        for key in [k for k, v in doc.items() if isinstance(v, dict) and "unit" in v]:
            doc[f"v9_{key}"] = doc.pop(key)
    line = fails(capsys, broken(tmp_path, ANUD / "profile_export_aiperf.json", rename))
    assert "AIPerf profile export: no throughput or latency metric (looked for time_to_first_token" in line


def test_a_truncated_aiperf_export_is_named_as_aiperf(capsys, tmp_path):
    path = tmp_path / "profile_export_aiperf.json"
    path.write_text((ANUD / "profile_export_aiperf.json").read_text()[:2000])
    assert "AIPerf profile export: not valid JSON" in fails(capsys, path)


def test_a_genai_perf_value_that_is_not_a_number_names_the_tool_and_field(capsys, tmp_path):
    path = broken(tmp_path, GENAI_C10, lambda d: d["output_token_throughput"].update(avg="fast"))
    line = fails(capsys, path)
    assert "genai-perf profile export: output_token_throughput avg is 'fast', not a number" in line


def test_an_llmperf_summary_without_concurrency_says_so(capsys, tmp_path):
    path = broken(tmp_path, GROQ, lambda d: d.update(num_concurrent_requests=None))
    assert "LLMPerf summary: num_concurrent_requests is missing" in fails(capsys, path)


def test_an_llmperf_summary_of_an_unknown_version_names_the_version(capsys, tmp_path):
    def strip(doc):
        doc["version"] = "2099-01-01"
        for key in [k for k in doc if k.startswith("results_")]:
            doc[key.replace("results_", "r_")] = doc.pop(key)
        doc["results_note"] = "moved"
    line = fails(capsys, broken(tmp_path, GROQ, strip))
    assert "LLMPerf summary: no results_mean_output_throughput_token_per_s" in line
    assert "(version 2099-01-01)" in line


def test_llmperf_per_request_log_points_to_the_summary(capsys, tmp_path):
    path = tmp_path / "llama_550_150_individual_responses.json"
    record = {"error_code": None, "ttft_s": 0.1, "request_output_throughput_token_per_s": 9.0}
    path.write_text(json.dumps([record, record]))
    assert "LLMPerf per-request log, not a summary" in fails(capsys, path)


def test_an_aiperf_csv_cell_that_is_not_a_number_names_the_tool_metric_and_statistic(capsys, tmp_path):
    path = tmp_path / "profile_export_aiperf.csv"
    text = (ANUD / "profile_export_aiperf.csv").read_bytes().decode()
    path.write_bytes(text.replace("Time to First Token (ms),106.67,", "Time to First Token (ms),fast,").encode())
    assert "AIPerf profile export: time_to_first_token avg is 'fast', not a number" in fails(capsys, path)


def test_a_csv_export_parses_its_json_twin_once(monkeypatch):
    """AIPerf's and genai-perf's matches() and the load all ask about the CSV's JSON twin."""
    from tui.core import files

    parsed = []
    monkeypatch.setattr(files.json, "loads", lambda text: parsed.append(len(text)) or json.JSONDecoder().decode(text))
    imported = detect_and_import(GENAI_C10.with_suffix(".csv"))
    assert imported is not None and imported.tool.startswith("genai-perf") and len(parsed) == 1
