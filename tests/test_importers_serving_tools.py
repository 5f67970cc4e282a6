"""Issue 15: SGLang bench_serving, GuideLLM and OpenCompass files, read through the public loader
and the CLI. The real files are in tests/real_files/importers (see its SOURCES.md); every number
checked here is copied from those files. Broken copies are written in tmp_path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from helpers import run
from tui.core import schema
from tui.core.importers.knob import KnobRule
from tui.core.importers.registry import detect_and_import
from tui.core.loader import LoadOptions, load

FILES = Path(__file__).parent / "real_files" / "importers"
SGLANG = FILES / "sglang__datacrunch-research_h200-benchmarks"
ONLINE = SGLANG / "llama_3_3_70b_online_output.jsonl"
OFFLINE = SGLANG / "llama_3_3_70b_offline_output.jsonl"
ONE_RUN = SGLANG / "deepseek_dp_mla_output.jsonl"
REPS = FILES / "sglang__bowenwan6_sglang-vllm-profiler"  # one run per file, three repeats
GUIDE_05 = (FILES / "guidellm__danielkorat_guidellm-bench"
            / "Qwen_Qwen3-4B-Thinking-2507_tp4_quant-fp8_benchmarks.json")
GUIDE_02 = FILES / "guidellm__neuralmagic_guidellm" / "benchmarks_stripped.json"
OPENCOMPASS = FILES / "opencompass__rishabhshah13_quantization-workbench"
MMLU_8BIT = OPENCOMPASS / "8-bit" / "summary_20240324_085416.csv"
COMMONSENSE = [OPENCOMPASS / "16-bit" / "summary_20240324_231719.csv",
               OPENCOMPASS / "8-bit" / "summary_20240324_053259.csv",
               OPENCOMPASS / "4-bit" / "summary_20240323_120011.csv"]


def value(results, metric: str, **where) -> float:
    rows = results.sweep.filter(pl.col("metric") == metric, *[pl.col(k) == v for k, v in where.items()])
    assert rows.height == 1, rows
    return rows["value"][0]


def one_line_error(capsys, path: Path, *words: str) -> str:
    code, out, err = run(capsys, "summary", str(path))
    lines = err.strip().splitlines()
    assert code == 2 and out == "" and "Traceback" not in err, err
    assert len(lines) == 1 and str(path) in lines[0], err
    for word in words:
        assert word in lines[0], err
    return lines[0]


# SGLang ---------------------------------------------------------------------------------------

def test_sglang_lines_are_a_request_rate_sweep_per_workload():
    results = load([ONLINE])
    assert results.knob == "request_rate"
    assert value(results, schema.TPS, benchmark="sglang random", knob=1.0) == 537.4142851849319
    assert value(results, schema.TPS, benchmark="sglang random", knob=16.0) == 4288.049348197696
    # The sharegpt lines at rates 4 and 8 are another workload, never averaged with random's.
    assert value(results, schema.TPS, benchmark="sglang sharegpt", knob=4.0) == 746.0750970739618
    assert value(results, schema.TPS, benchmark="sglang random", knob=4.0) == 2047.9108281108272
    assert value(results, "median_ttft_ms", benchmark="sglang random", knob=1.0) == 85.74514742940664
    assert results.sweep["n"].unique().to_list() == [1]


def test_sglang_sweep_prints_as_the_file_says(capsys):
    code, out, err = run(capsys, "table", str(ONLINE), "-m", "llama_3_3_70b_online", "--format", "csv")
    assert code == 0 and err == ""
    table = pl.read_csv(out.encode())
    assert table["request_rate"].to_list() == [1, 2, 4, 8, 16]
    assert table["sglang random:throughput_tps"].round(1).to_list() == [537.4, 987.3, 2047.9, 3515.0, 4288.0]
    assert table["sglang sharegpt:throughput_tps"].round(1).to_list() == [None, None, 746.1, 1471.1, None]


def test_sglang_runs_at_one_rate_are_repeats_only_with_the_same_lengths():
    results = load([OFFLINE])
    random = results.sweep.filter(pl.col("metric") == schema.TPS, pl.col("benchmark") == "sglang random")
    assert random.height == 5  # six random lines, five workloads
    assert 4520.698730654741 in random["value"].to_list() and 3492.2944910189917 in random["value"].to_list()
    rerun = random.filter(pl.col("random_input_len") == "4096", pl.col("random_output_len") == "1024")
    assert rerun["n"].to_list() == [2]  # 4096/1024 was run twice: 1654.99 and 1652.86 tok/s
    assert rerun["value"][0] == pytest.approx((1654.9938601765348 + 1652.8614806713933) / 2)
    assert results.sweep["knob"].is_null().all()  # every line ran at request_rate Infinity


def test_a_one_run_sglang_file_is_sglang_not_vllm():
    imported = detect_and_import(ONE_RUN)
    assert imported is not None and imported.tool == "SGLang bench_serving"
    assert value(load([ONE_RUN]), schema.TPS) == 12412.394674113431


def test_three_files_of_one_sglang_setting_are_repeats():
    results = load([REPS])
    assert results.sweep["model"].unique().to_list() == ["Qwen3-VL-8B-Instruct"]  # from server_info
    tps = results.sweep.filter(pl.col("metric") == schema.TPS).row(0, named=True)
    runs = [177.057644567603, 177.56407275256876, 177.3929571680717]
    assert (tps["benchmark"], tps["n"], tps["value"]) == ("sglang autobench", 3, pytest.approx(sum(runs) / 3))
    p99 = [63.05998217663728, 61.31307004368864, 60.50181246828287]
    assert value(results, "p99_ttft_ms") == pytest.approx(sum(p99) / 3)


def test_sglang_repeated_runs_are_averaged(tmp_path):
    lines = ONLINE.read_text().splitlines()
    again = json.loads(lines[0]) | {"output_throughput": 547.4142851849319}
    path = tmp_path / "rerun.jsonl"
    path.write_text("\n".join([lines[0], json.dumps(again)]) + "\n")
    row = load([path]).sweep.filter(pl.col("metric") == schema.TPS).row(0, named=True)
    assert (row["value"], row["n"]) == (pytest.approx(542.4142851849319), 2)
    assert row["stderr"] == pytest.approx(5.0)  # std of two values 10 apart, over sqrt(2)


def test_sglang_per_request_arrays_are_ignored_even_when_a_line_outgrows_the_sniffed_head(tmp_path):
    record = json.loads(ONLINE.read_text().splitlines()[0])
    details = {"ttfts": [0.08] * 300, "itls": [[0.01] * 50] * 300, "generated_texts": ["x" * 1000] * 300}
    path = tmp_path / "details.jsonl"
    path.write_text(json.dumps(record | details) + "\n" + json.dumps(record | details) + "\n")
    assert path.stat().st_size > 2 * 256 * 1024
    results = load([path])
    assert value(results, schema.TPS) == 537.4142851849319
    assert not {"ttfts", "itls", "generated_texts"} & set(results.sweep["metric"])


def test_a_kv_budget_in_the_path_is_the_knob_and_the_rate_a_dimension(tmp_path):
    folder = tmp_path / "kv_budget=2048"
    folder.mkdir()
    shutil.copy(ONLINE, folder / ONLINE.name)
    results = load([folder / ONLINE.name])
    assert results.knob == "kv_budget" and results.sweep["knob"].unique().to_list() == [2048.0]
    assert "request_rate" in results.dims
    assert value(results, schema.TPS, request_rate="16", benchmark="sglang random") == 4288.049348197696


def test_our_own_ndjson_with_a_backend_column_is_not_sglang(tmp_path):
    path = tmp_path / "sweep.jsonl"
    rows = [{"model": "m", "benchmark": "b", "kv_budget": k, "pass_at_1": 0.5, "backend": "sglang"}
            for k in (1000, 2000)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert detect_and_import(path) is None
    assert value(load([path]), schema.PASS, knob=1000.0) == 50.0


def test_a_broken_sglang_line_is_named(capsys, tmp_path):
    lines = ONLINE.read_text().splitlines()
    path = tmp_path / "cut.jsonl"
    path.write_text("\n".join([*lines[:2], lines[2][:80]]) + "\n")
    one_line_error(capsys, path, "SGLang bench_serving line 3", "not valid JSON")


def test_an_sglang_line_without_output_throughput_says_so(capsys, tmp_path):
    record = json.loads(ONLINE.read_text().splitlines()[0])
    del record["output_throughput"]
    path = tmp_path / "no_tps.jsonl"
    path.write_text(json.dumps(record) + "\n" + ONLINE.read_text().splitlines()[1] + "\n")
    one_line_error(capsys, path, "SGLang bench_serving line 1", "no output_throughput")


def test_an_sglang_line_of_another_shape_is_named(capsys, tmp_path):
    lines = ONLINE.read_text().splitlines()
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([lines[0], json.dumps({"backend": "sglang", "throughput": 1.0})]) + "\n")
    one_line_error(capsys, path, "SGLang bench_serving line 2", "missing 'backend' or SGLang's latency keys")


# GuideLLM -------------------------------------------------------------------------------------

def test_guidellm_05_report():
    results = load([GUIDE_05])
    assert results.sweep["model"].unique().to_list() == ["Qwen3-4B-Thinking-2507"]
    assert value(results, schema.TPS) == 165.59511945248636
    assert value(results, "median_ttft_ms") == 171.52166366577148
    assert value(results, "requests_successful") == 4
    assert {"mean_e2e_latency_s", "p99_itl_ms"} <= set(results.sweep["metric"])
    assert "input_throughput" not in set(results.sweep["metric"])


def test_guidellm_02_report_matches_guidellms_own_rendering(capsys):
    # GuideLLM printed this file as: Out Tok/sec mean 198.1, Tot Tok/sec 992.7, TTFT p99 21.3 ms.
    results = load([GUIDE_02])
    assert value(results, schema.TPS) == 198.13346751788123
    assert round(value(results, "total_token_throughput"), 1) == 992.7
    assert value(results, "p99_ttft_ms") == 21.281957626342773
    code, out, err = run(capsys, "summary", str(GUIDE_02), "--format", "csv")
    assert code == 0 and err == ""
    row = pl.read_csv(out.encode()).row(0, named=True)
    assert (row["model"], row["benchmark"], row["tps_max"]) == ("example_model", "guidellm", 198.133467518)


def guidellm_with_rates(tmp_path: Path, rates: list[float], successful: int = 46) -> Path:
    """The real 0.2-era report with its one benchmark repeated at constant rates."""
    report = json.loads(GUIDE_02.read_text())
    template = report["benchmarks"][0]
    report["benchmarks"] = []
    for index, rate in enumerate(rates):
        benchmark = json.loads(json.dumps(template))
        benchmark["args"]["strategy"] = {"type_": "constant", "rate": rate}
        benchmark["metrics"]["output_tokens_per_second"]["successful"]["mean"] = 100.0 * (index + 1)
        benchmark["run_stats"]["requests_made"]["successful"] = successful
        report["benchmarks"].append(benchmark)
    path = tmp_path / "benchmarks.json"
    path.write_text(json.dumps(report))
    return path


def test_guidellm_constant_rates_are_the_knob(tmp_path):
    results = load([guidellm_with_rates(tmp_path, [2.0, 4.0])])
    assert results.knob == "rate"
    assert value(results, schema.TPS, knob=2.0) == 100.0 and value(results, schema.TPS, knob=4.0) == 200.0


def test_guidellm_reports_of_other_data_are_not_repeats(capsys, tmp_path):
    first = guidellm_with_rates(tmp_path, [2.0])
    other = json.loads(first.read_text())
    other["benchmarks"][0]["request_loader"]["data"] = "prompt_tokens=512,output_tokens=128"
    other["benchmarks"][0]["metrics"]["output_tokens_per_second"]["successful"]["mean"] = 150.0
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "benchmarks.json").write_text(json.dumps(other))
    results = load([tmp_path])
    assert value(results, schema.TPS) == 100.0  # the later file is skipped, not averaged in
    assert any("prompt_tokens=512" in why for _, why in results.skipped), results.skipped


def test_guidellm_runs_without_a_successful_request_measured_nothing(capsys, tmp_path):
    one_line_error(capsys, guidellm_with_rates(tmp_path, [2.0], successful=0), "GuideLLM", "measured nothing")


def test_a_guidellm_report_of_an_unknown_version_is_refused(capsys, tmp_path):
    report = json.loads(GUIDE_02.read_text())
    del report["benchmarks"][0]["metrics"]
    path = tmp_path / "benchmarks.json"
    path.write_text(json.dumps(report))
    one_line_error(capsys, path, "GuideLLM benchmark 1 has no 'metrics'")


def test_a_guidellm_metric_without_its_successful_distribution_is_named(capsys, tmp_path):
    report = json.loads(GUIDE_05.read_text())
    report["benchmarks"][0]["metrics"]["time_to_first_token_ms"] = {"total": {}}
    path = tmp_path / "benchmarks.json"
    path.write_text(json.dumps(report))
    one_line_error(capsys, path, "GuideLLM benchmark 1", "'time_to_first_token_ms'", "'successful'")


# OpenCompass ----------------------------------------------------------------------------------

def test_opencompass_scores_are_read_as_percent_per_dataset():
    results = load([MMLU_8BIT])
    assert results.sweep["model"].unique().to_list() == ["lesliehd_Mistral-7B-Instruct-v0.2-8-bit-quantized"]
    assert value(results, "accuracy", benchmark="lukaemon_mmlu_college_biology") == 63.89
    assert value(results, "accuracy", benchmark="lukaemon_mmlu_college_chemistry") == 38.0
    assert value(results, "accuracy", benchmark="lukaemon_mmlu_us_foreign_policy") == 80.0  # a CRLF line
    assert results.sweep["benchmark"].n_unique() == 57


def test_opencompass_average_on_the_cli(capsys):
    code, out, err = run(capsys, "summary", str(MMLU_8BIT), "--format", "csv")
    assert code == 0 and err == ""
    table = pl.read_csv(out.encode())
    average = table.filter(pl.col("benchmark") == schema.AVG).row(0, named=True)
    assert average["best_value"] == pytest.approx(59.5612280702) and average["best_value_how"] == "derived"


def test_opencompass_knob_from_the_path():
    results = load(COMMONSENSE, LoadOptions(knob_rule=KnobRule.parse(r"bits=(\d+)-bit/")))
    scores = dict(zip(results.sweep["knob"].to_list(), results.sweep["value"].to_list()))
    assert scores == {16.0: 70.52, 8.0: 70.52, 4.0: 70.02}


def test_opencompass_separator_rows_counts_and_missing_cells(tmp_path):
    path = tmp_path / "summary_20250101_000000.csv"
    path.write_text("dataset,version,metric,mode,qwen-7b,llama-8b\n"
                    "--------- 考试 Exam ---------,-,-,-,-,-\n"
                    "gsm8k,1d7fe4,accuracy,gen,82.00 (7/8),-\n"
                    "----------,----------,----------,----------,----------,----------\n"
                    "math,393424,accuracy,gen,40.5,38.25\n", encoding="utf-8")
    results = load([path])
    assert value(results, "accuracy", model="qwen-7b", benchmark="gsm8k") == 82.0
    assert "7/8 correct" in results.sweep.filter(pl.col("benchmark") == "gsm8k")["note"][0]
    assert results.sweep.filter(pl.col("model") == "llama-8b")["benchmark"].to_list() == ["math"]


def test_opencompass_scores_below_one_percent_stay_percentages(tmp_path):
    """OpenCompass writes percentages: 0.33 is 0.33 %, never a fraction to multiply by 100."""
    path = tmp_path / "summary_20250101_000000.csv"
    path.write_text("dataset,version,metric,mode,qwen-7b\naime24,1d7fe4,accuracy,gen,0.33\n"
                    "math,393424,accuracy,gen,0.80\n", encoding="utf-8")
    results = load([path])
    assert value(results, "accuracy", model="qwen-7b", benchmark="aime24") == 0.33
    assert value(results, "accuracy", model="qwen-7b", benchmark="math") == 0.8


def test_an_opencompass_cell_that_is_no_score_is_named(capsys, tmp_path):
    path = tmp_path / "summary.csv"
    path.write_text("dataset,version,metric,mode,qwen-7b\ngsm8k,1d7fe4,accuracy,gen,82.00\n"
                    "math,393424,accuracy,gen,abc\n")
    one_line_error(capsys, path, "OpenCompass summary", "'abc' is not a score", "line 3", "'qwen-7b'")


def test_an_opencompass_row_with_too_few_fields_is_named(capsys, tmp_path):
    path = tmp_path / "summary.csv"
    path.write_text("dataset,version,metric,mode,qwen-7b,llama-8b\ngsm8k,1d7fe4,accuracy,gen,82.00\n")
    one_line_error(capsys, path, "OpenCompass summary", "line 2", "5 fields")


def test_an_opencompass_model_column_without_a_name_is_named(capsys, tmp_path):
    path = tmp_path / "summary.csv"
    path.write_text("dataset,version,metric,mode,qwen-7b,\ngsm8k,1d7fe4,accuracy,gen,82.00,70.1\n")
    one_line_error(capsys, path, "OpenCompass summary", "model column 6 has no name")


def test_an_opencompass_file_with_bad_bytes_past_the_sniffed_head_is_one_line(capsys, tmp_path):
    path = tmp_path / "summary_20250101_000000.csv"
    rows = "".join(f"task{i},abc123,accuracy,gen,{i % 100}.5\n" for i in range(12_000))
    path.write_bytes(b"dataset,version,metric,mode,qwen-7b\n" + rows.encode() + b"bad,\xff\xfe,accuracy,gen,1\n")
    code, _, err = run(capsys, "summary", str(path))
    assert code == 2 and err.count("\n") == 1 and f"{path}: not UTF-8 text (byte " in err
