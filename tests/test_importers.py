"""Importers for evaluation tools' own result files, checked on real files and small synthetic ones.

The real files live beside the repository in shared/real_results (see its SOURCES.md); tests that
need them are skipped when that folder is absent. Synthetic files copy the real shapes.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from tui.core.errors import KNOWN_FORMATS, FailedRun, InputError
from tui.core.importers import Imported, KnobRule, detect_and_import, find_knob, knob_column
from tui.core.importers.kvpress import read_config
from tui.core.metrics import to_percent
from tui.core.schema import AVG, PARENT, SWEEP_SCHEMA, TPS

REAL = Path(__file__).parents[1].parent / "shared" / "real_results"
real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real result files not found at {REAL}")

LM = "lm_eval_harness"
SWEEP = "vllm/sweep_serve_v0.25.1__er0080"
SEQS4 = f"{SWEEP}/SERVE--max_num_seqs=4-BENCH--max_concurrency=2-num_prompts=8"
SEQS8 = f"{SWEEP}/SERVE--max_num_seqs=8-BENCH--max_concurrency=2-num_prompts=8"
KVPRESS = "kv_sweeps/kvpress_eval__fax4ever/ruler__4096__Qwen--Qwen3-8B__filtering_stale_keydiff__0.50"
GHULAM = "kv_sweeps/kvpress_benchmark__TheGhulam/benchmark_results_[0.3,0.5,0.7,0.9]_8192_runs=3.csv"
EXPECTED = {  # every file in real_results -> the tool it imports as (None: not a tool's result file)
    "SOURCES.md": None,
    f"{LM}/v0_testdata__EleutherAI/arc_challenge-v2.0-res.json": "lm-eval 0.3",
    f"{LM}/v0.3_style__saucam_model_evals/gpt4all.json": "lm-eval 0.3",
    f"{LM}/v0.4.2plus__saucam_model_evals/gsm8k.json": "lm-eval 0.4",
    f"{LM}/v0.4.8pre__csabakecskemeti/results_2025-01-26T22-29-00.931915.json": "lm-eval 0.4",
    f"{LM}/v0.4.13__akamaslabs_vllm-benchmark/results_2026-10-08T13-17-32.899796.json": "lm-eval 0.4.13",
    "vllm/throughput__zhangxinyuehfad/throughput_llama8B_tp1.json": "vllm bench throughput",
    "vllm/serve__zhangxinyuehfad/serving_llama8B_tp1_sharegpt_qps_inf.json": "vllm bench serve",
    "vllm/serve_2024__LambdaLabsML/Meta-Llama-3.1-8B-FP8_tp1_len8192.json": "vllm bench serve",
    "vllm/bench_serve_v0.25.1__er0080/bench_serve_v0.25.1.json": "vllm bench serve",
    **{f"{folder}/{name}": "vllm sweep"
       for folder in (SEQS4, SEQS8) for name in ("run=0.json", "run=1.json", "summary.json")},
    "lighteval/Neelectric_open-r1_olmo__pythia-14m/results_2025-05-02T21-28-09.714048.json": "lighteval",
    "lighteval/Neelectric_open-r1_olmo__OLMo-2-1124-7B-Instruct_SFTv02.00/"
    "results_2025-05-13T16-25-16.698233.json": "lighteval",
    f"{KVPRESS}/metrics.json": "kvpress",
    f"{KVPRESS}/config.yaml": None,
    GHULAM: None,
}


def imp(rel: str, rule: KnobRule | None = None) -> Imported:
    """The file as imported, with the loader's scale rule applied (fractions as %)."""
    result = detect_and_import(REAL / rel, rule)
    assert result is not None, rel
    return replace(result, frame=to_percent(result.frame))


def value(result: Imported, benchmark: str, metric: str, **dims: str) -> float:
    rows = result.frame.filter(pl.col("benchmark") == benchmark, pl.col("metric") == metric,
                               *[pl.col(k) == v for k, v in dims.items()])
    assert rows.height == 1, (benchmark, metric, rows)
    return rows["value"][0]


@real
def test_every_real_file_is_classified():
    found = {p.relative_to(REAL).as_posix() for p in REAL.rglob("*") if p.is_file()}
    assert found == set(EXPECTED), "a real file was added or removed: classify it in EXPECTED"


@real
@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_real_file_imports_as_its_tool_in_the_sweep_schema(rel):
    result = detect_and_import(REAL / rel)
    if EXPECTED[rel] is None:
        assert result is None
        return
    assert result.tool == EXPECTED[rel]
    frame = result.frame
    grouped = [PARENT] if PARENT in frame.columns else []  # lm-eval files with groups name each task's group
    assert frame.columns == [*SWEEP_SCHEMA, *result.dims, *grouped]
    assert {c: frame.schema[c] for c in SWEEP_SCHEMA} == SWEEP_SCHEMA
    assert all(frame.schema[d] == pl.String for d in result.dims)
    assert frame.height > 0 and frame["value"].null_count() == 0 and frame["model"].null_count() == 0
    assert set(frame["how"]) <= {"measured", "derived"} and set(frame["reading"]) == {"accepted"}
    assert frame.select("model", "benchmark", "knob", "metric", *result.dims).is_duplicated().sum() == 0


@real
def test_lm_eval_gsm8k_filters_become_metrics_and_fractions_percent():
    result = imp(f"{LM}/v0.4.2plus__saucam_model_evals/gsm8k.json")
    assert set(result.frame["model"]) == {"meta-llama/Meta-Llama-3-8B"}
    assert value(result, "gsm8k", "exact_match (strict-match)") == pytest.approx(50.87187263078089)
    assert value(result, "gsm8k", "exact_match (flexible-extract)") == pytest.approx(51.1751326762699)
    strict = result.frame.filter(pl.col("metric") == "exact_match (strict-match)")
    assert strict["stderr"][0] == pytest.approx(1.3770390697002123)
    assert result.knob_name is None and strict["knob"][0] is None


@real
def test_lm_eval_leaderboard_file_keeps_its_names_and_skips_group_rows():
    result = imp(f"{LM}/v0.4.8pre__csabakecskemeti/results_2025-01-26T22-29-00.931915.json")
    assert set(result.frame["model"]) == {"deepseek-ai/DeepSeek-R1-Distill-Llama-8B"}
    assert value(result, "leaderboard_gpqa_diamond", "acc_norm") == pytest.approx(28.78787878787879)
    assert value(result, "leaderboard_math_algebra_hard", "exact_match") == pytest.approx(48.20846905537459)
    benchmarks = set(result.frame["benchmark"])
    assert not benchmarks & {"leaderboard_bbh", "leaderboard_gpqa", "leaderboard_math_hard", "leaderboard_musr"}
    ifeval = result.frame.filter(pl.col("metric") == "inst_level_strict_acc")
    assert ifeval["stderr"][0] is None and ifeval["value"][0] == pytest.approx(44.004796163069543)
    assert result.frame.height == 44


@real
def test_run_settings_are_recorded_without_seeds_or_unset_values():
    """What decides whether two files are repeats: sampling, shots and sample limits, as given."""
    light = imp("lighteval/Neelectric_open-r1_olmo__pythia-14m/results_2025-05-02T21-28-09.714048.json")
    assert json.loads(light.settings["generation_parameters"]) == {"max_new_tokens": 2048, "temperature": 0.6,
                                                                   "top_p": 0.95}
    sampled = imp(f"{LM}/v0.4.8pre__csabakecskemeti/results_2025-01-26T22-29-00.931915.json")
    sampling = {"do_sample": True, "temperature": 0.6, "top_p": 0.95}
    assert json.loads(sampled.settings["gen_kwargs"]) == sampling
    old = imp(f"{LM}/v0.3_style__saucam_model_evals/gpt4all.json")
    assert old.settings == {"gen_kwargs": "None", "num_fewshot": "0", "limit": "None"}


@real
def test_lm_eval_old_shapes_and_dict_model_args():
    old = imp(f"{LM}/v0.3_style__saucam_model_evals/gpt4all.json")
    assert set(old.frame["model"]) == {"saucam/Nereus-7B"} and old.frame.height == 12
    assert value(old, "boolq", "acc") == pytest.approx(85.19877675840979)
    boolq_acc = old.frame.filter(pl.col("benchmark") == "boolq", pl.col("metric") == "acc")
    assert boolq_acc["stderr"][0] == pytest.approx(0.6210949869232172)
    fixture = imp(f"{LM}/v0_testdata__EleutherAI/arc_challenge-v2.0-res.json")
    assert set(fixture.frame["model"]) == {"arc_challenge-v2.0-res"}
    assert "named after the file" in fixture.frame["note"][0]
    assert value(fixture, "arc_challenge", "acc_norm") == pytest.approx(28.242320819112626)
    new = imp(f"{LM}/v0.4.13__akamaslabs_vllm-benchmark/results_2026-10-08T13-17-32.899796.json")
    assert set(new.frame["model"]) == {"gemma4-26b-l40s"} and "sample_len" not in set(new.frame["metric"])
    assert value(new, "gsm8k_platinum_cot_llama", "exact_match (strict-match)") == pytest.approx(95.20264681555004)


@real
def test_vllm_serve_keeps_output_throughput_and_latencies_not_arrays():
    fixture = imp("vllm/bench_serve_v0.25.1__er0080/bench_serve_v0.25.1.json")
    assert set(fixture.frame["model"]) == {"facebook/opt-125m"}
    assert value(fixture, "vllm serve", TPS) == pytest.approx(82.89297074037474)
    assert value(fixture, "vllm serve", "p99_itl_ms") == pytest.approx(29.815922519960626)
    assert not set(fixture.frame["metric"]) & {"rtfx", "duration", "completed", "output_throughput"}
    lambda_ = imp("vllm/serve_2024__LambdaLabsML/Meta-Llama-3.1-8B-FP8_tp1_len8192.json")
    assert set(lambda_.frame["model"]) == {"neuralmagic/Meta-Llama-3.1-8B-FP8"}
    assert value(lambda_, "vllm serve", TPS) == pytest.approx(408.288688998953)
    assert not set(lambda_.frame["metric"]) & {"ttfts", "itls", "input_lens", "generated_texts", "errors"}


@real
def test_vllm_serve_without_throughput_keys_still_imports_latencies():
    result = imp("vllm/serve__zhangxinyuehfad/serving_llama8B_tp1_sharegpt_qps_inf.json")
    assert set(result.frame["model"]) == {"Meta-Llama-3-8B-Instruct"}
    assert TPS not in set(result.frame["metric"]) and result.frame.height == 12
    assert value(result, "vllm serve", "median_tpot_ms") == pytest.approx(124.06945742569125)


@real
def test_vllm_throughput_is_total_tokens_not_output_tps():
    result = imp("vllm/throughput__zhangxinyuehfad/throughput_llama8B_tp1.json")
    assert set(result.frame["metric"]) == {"total_tokens_per_s", "requests_per_s"}
    assert value(result, "vllm throughput", "total_tokens_per_s") == pytest.approx(1198.996134490826)
    assert "prompt+output" in result.frame["note"][0]


@real
@pytest.mark.parametrize("folder,seqs", [(SEQS4, 4.0), (SEQS8, 8.0)])
def test_vllm_sweep_folder_is_one_averaged_group_whichever_file(folder, seqs):
    runs = [json.loads((REAL / folder / f"run={i}.json").read_text()) for i in (0, 1)]
    imports = [imp(f"{folder}/{name}") for name in ("run=0.json", "run=1.json", "summary.json")]
    for result in imports:
        assert result.knob_name == "max_num_seqs" and set(result.frame["knob"]) == {seqs}
        assert set(result.frame["n"]) == {2} and "max_num_seqs" not in result.dims
        assert {"num_prompts", "max_concurrency"} <= set(result.dims)
        assert {p.name for p in result.covers} == {"run=0.json", "run=1.json", "summary.json"}
        assert result.frame.equals(imports[0].frame)
    mean = sum(r["output_throughput"] for r in runs) / 2
    assert value(imports[0], "vllm serve", TPS) == pytest.approx(mean)


@real
def test_vllm_sweep_tree_never_double_counts():
    files = [f"{folder}/{name}" for folder in (SEQS4, SEQS8) for name in ("run=0.json", "run=1.json", "summary.json")]
    combined = pl.concat([imp(f).frame for f in files]).unique(maintain_order=True)
    throughput = combined.filter(pl.col("metric") == TPS).sort("knob")
    assert throughput["knob"].to_list() == [4.0, 8.0] and throughput["n"].to_list() == [2, 2]


@real
def test_lighteval_task_names_and_pass_at_1_samples():
    olmo = imp("lighteval/Neelectric_open-r1_olmo__OLMo-2-1124-7B-Instruct_SFTv02.00/"
               "results_2025-05-13T16-25-16.698233.json")
    assert set(olmo.frame["model"]) == {"Neelectric/OLMo-2-1124-7B-Instruct_SFTv02.00"} and olmo.dims == ["samples"]
    assert value(olmo, "gpqa:diamond", "pass_at_1", samples="8") == pytest.approx(28.03030303030303)
    assert value(olmo, "gpqa:diamond", "pass_at_1", samples="1") == pytest.approx(26.262626262626265)
    assert AVG not in set(olmo.frame["benchmark"])  # "all" repeats the single task
    pythia = imp("lighteval/Neelectric_open-r1_olmo__pythia-14m/results_2025-05-02T21-28-09.714048.json")
    assert set(pythia.frame["benchmark"]) == {"aime24"} and set(pythia.frame["model"]) == {"EleutherAI/pythia-14m"}
    assert value(pythia, "aime24", "pass_at_1", samples="32") == 0.0
    assert set(pythia.frame["metric"]) == {"pass_at_1", "extractive_match"}


@real
def test_kvpress_metrics_with_config():
    result = imp(f"{KVPRESS}/metrics.json")
    assert result.knob_name == "compression_ratio" and set(result.frame["knob"]) == {0.5}
    assert set(result.frame["press"]) == {"filtering_stale_keydiff"}
    assert set(result.frame["context_length"]) == {"4096"} and set(result.frame["model"]) == {"Qwen/Qwen3-8B"}
    assert value(result, "ruler/cwe", "string_match") == 97.9
    scores = json.loads((REAL / KVPRESS / "metrics.json").read_text())
    mean = result.frame.filter(pl.col("benchmark") == "ruler")
    assert mean["how"].to_list() == ["derived"]
    assert mean["value"][0] == pytest.approx(sum(s["string_match"] for s in scores.values()) / len(scores))
    # The subtasks name ruler as their group, so an average takes them, never ruler beside them.
    assert mean[PARENT].to_list() == [None]
    assert set(result.frame.filter(pl.col("benchmark") != "ruler")[PARENT]) == {"ruler"}


@real
def test_kvpress_config_parser_reads_top_level_scalars_only():
    config = read_config(REAL / KVPRESS / "config.yaml")
    assert config["dataset"] == "ruler" and config["data_dir"] == 4096 and config["compression_ratio"] == 0.5
    assert config["device"] is None and config["query_aware"] is False and config["seed"] == 42
    assert config["press_init_command"].startswith("FilteringPress(") and "attn_implementation" not in config


@real
def test_plain_kvpress_csv_is_left_to_the_loader_with_a_knob_column():
    path = REAL / GHULAM
    assert detect_and_import(path) is None
    frame = pl.read_csv(path, glob=False)  # "[0.3,...]" in the name is not a glob
    assert knob_column(frame.columns) == "compression_ratio"
    assert [c for c, t in frame.schema.items() if t == pl.String] == ["press"]
    assert find_knob(path, {}) is None  # "runs=3" in the name is a repeat count, not a knob
    assert knob_column(["press", "ratio", "num_runs"], KnobRule.parse(r"ratio=r(\d+)")) == "ratio"
    assert knob_column(["press", "num_runs", "needle_accuracy"]) is None


# ---- synthetic files modelled on the real shapes ----

def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def lm_eval(model_args: object, acc: float = 0.5, **extra: object) -> dict:
    return {"results": {"gsm8k": {"alias": "gsm8k", "exact_match,strict-match": acc,
                                  "exact_match_stderr,strict-match": 0.01, **extra}},
            "versions": {"gsm8k": 3.0}, "config": {"model": "hf", "model_args": model_args}}


def serve(model: str, tps: float, **extra: object) -> dict:
    return {"date": "20250101-000000", "backend": "vllm", "model_id": model, "num_prompts": 8,
            "request_rate": "inf", "max_concurrency": None, "output_throughput": tps, "mean_ttft_ms": 20.0, **extra}


def test_a_serve_run_with_some_failed_requests_is_kept_and_says_so(tmp_path):
    partly = detect_and_import(write(tmp_path / "a.json", serve("m", 300.0, completed=6, failed=2)))
    assert value(partly, "vllm serve", TPS) == 300.0 and "2 of 8 requests failed" in partly.frame["note"][0]
    with pytest.raises(FailedRun, match="measured nothing: 0 of 8 requests completed, 8 failed"):
        detect_and_import(write(tmp_path / "b.json", serve("m", 0.0, completed=0, failed=8)))
    with pytest.raises(FailedRun, match="measured nothing: 0 of 8 requests completed$"):
        detect_and_import(write(tmp_path / "c.json", serve("m", 0.0, completed=0)))


def test_lm_eval_and_vllm_budgets_concatenate_into_one_sweep(tmp_path):
    model = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"
    files = [write(tmp_path / "acc" / f"kv_budget={b}" / "results_2025.json",
                   lm_eval(f"pretrained={model},dtype=auto", acc))
             for b, acc in ((2500, 0.40), (3000, 0.45))]
    files.append(write(tmp_path / "tps" / "kv_budget=2500" / "serve.json", serve(model, 600.0)))
    files.append(write(tmp_path / "tps" / "serve_b3000.json", serve(model, 520.0, kv_budget="3000")))  # --metadata
    imports = [detect_and_import(f) for f in files]
    assert {i.knob_name for i in imports} == {"kv_budget"}
    sweep = pl.concat([to_percent(i.frame) for i in imports], how="diagonal_relaxed")
    assert set(sweep["model"]) == {model}  # as the files name it, never the bundled R1-Qwen
    wide = sweep.pivot("metric", index="knob", values="value").sort("knob")
    assert wide["knob"].to_list() == [2500.0, 3000.0]
    assert wide["exact_match (strict-match)"].to_list() == pytest.approx([40.0, 45.0])
    assert wide[TPS].to_list() == [600.0, 520.0]


def test_knob_search_order(tmp_path):
    path = tmp_path / "budget=3000" / "SERVE--max_num_seqs=4-BENCH--num_prompts=8" / "run=0.json"
    assert find_knob(path, {"kv_budget": 2500}) == ("budget", 3000.0)  # path budget beats config
    plain = tmp_path / "SERVE--max_num_seqs=4-BENCH--num_prompts=8" / "run=0.json"
    assert find_knob(plain, {"kv_budget": "2500", "seed": 1}) == ("kv_budget", 2500.0)
    assert find_knob(plain, {"run_number": 0}) == ("max_num_seqs", 4.0)
    assert find_knob(tmp_path / "temperature=0.6" / "results.json", {}) == ("temperature", 0.6)
    assert find_knob(tmp_path / "x" / "run=3.json", {"run_number": 3, "foo": 1}) is None
    assert find_knob(tmp_path / "x" / "run.json", {"run_number": 3, "foo": 1}, sweep=True) == ("foo", 1.0)
    rule = KnobRule.parse(r"kv_budget=budget_(\d+)")
    assert find_knob(tmp_path / "budget_2048" / "r.json", {"kv_budget": 1}, rule=rule) == ("kv_budget", 2048.0)
    assert find_knob(tmp_path / "other" / "kv_budget=1" / "r.json", {}, rule=rule) is None  # a rule is final


def test_knob_rule_errors_are_one_line_input_errors(tmp_path):
    for text in ("kv_budget", "kv_budget=(", r"kv_budget=budget_\d+", r"=(\d+)"):
        with pytest.raises(InputError):
            KnobRule.parse(text)
    with pytest.raises(InputError, match="not a number"):
        KnobRule.parse(r"kv_budget=budget_(\w+)").value(tmp_path / "budget_abc" / "r.json")


def test_lm_eval_budget_in_model_args_string_or_dict(tmp_path):
    a = detect_and_import(write(tmp_path / "a.json", lm_eval("pretrained=Org/M,kv_budget=1024,max_length=4096")))
    b = detect_and_import(write(tmp_path / "b.json", lm_eval({"model": "Org/M", "kv_cache_budget": 512})))
    assert (a.knob_name, a.frame["knob"][0]) == ("kv_budget", 1024.0)
    assert (b.knob_name, b.frame["knob"][0], b.frame["model"][0]) == ("kv_cache_budget", 512.0, "Org/M")


def test_lm_eval_only_scales_fraction_metrics(tmp_path):
    extra = {"word_perplexity,none": 12.5, "bits_per_byte,none": 0.6}
    raw = detect_and_import(write(tmp_path / "r.json", lm_eval("pretrained=M", 0.5, **extra)))
    result = replace(raw, frame=to_percent(raw.frame))
    assert value(result, "gsm8k", "exact_match (strict-match)") == 50.0
    assert value(result, "gsm8k", "word_perplexity") == 12.5 and value(result, "gsm8k", "bits_per_byte") == 0.6


def test_sweep_folder_skips_warmup_and_unites_runs_by_number(tmp_path):
    folder = tmp_path / "SERVE--kv_budget=2048-BENCH--max_concurrency=4"
    runs = [serve("M", tps, run_number=i, kv_budget=2048, max_concurrency=4) for i, tps in enumerate((100.0, 200.0))]
    write(folder / "run=0.json", runs[0])
    write(folder / "run=1.json", runs[1])
    write(folder / "warmup.json", serve("M", 5.0, run_number=-1, kv_budget=2048))
    write(folder / "summary.json", [runs[0]])  # an interrupted sweep: summary lags behind
    frames = [detect_and_import(folder / n) for n in ("run=0.json", "run=1.json", "summary.json", "warmup.json")]
    for result in frames:
        assert result.knob_name == "kv_budget" and value(result, "vllm serve", TPS) == 150.0
        assert result.frame.filter(pl.col("metric") == TPS)["n"][0] == 2
        assert math.isclose(result.frame.filter(pl.col("metric") == TPS)["stderr"][0], 50.0)
    lonely = write(tmp_path / "SERVE--kv_budget=1" / "warmup.json", serve("M", 5.0, run_number=-1))
    with pytest.raises(InputError, match="no measured runs"):
        detect_and_import(lonely)  # a warm-up is not a measurement


@pytest.mark.parametrize("name,content,message", [
    ("r.json", {"results": [1], "versions": {}}, "not an object"),
    ("r.json", lm_eval("pretrained=M", acc="oops"), "not a number"),
    ("r.json", '{"results": {"gsm8k": {"acc,none": 0.5}}, "versions": {"gsm8k": 1', "not valid JSON"),
    ("s.json", {"model_id": "M", "output_throughput": None, "mean_ttft_ms": None}, "no throughput or latency"),
    ("run=1.failure.json", {"run_number": 1, "error_type": "TimeoutError", "error": "server down"}, "failure"),
    ("samples_gsm8k.jsonl", '{"doc_id": 0, "resps": [["a"]]}\n{"doc_id": 1, "resps": [["b"]]}\n', "per-sample"),
    ("l.json", {"config_general": {"model_name": "M"}, "results": {}}, "no metric values"),
])
def test_broken_tool_files_raise_input_errors_naming_the_file(tmp_path, name, content, message):
    path = write(tmp_path / name, content)
    with pytest.raises(InputError, match=message) as caught:
        detect_and_import(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_kvpress_needs_its_config_and_numeric_scores(tmp_path):
    metrics = write(tmp_path / "run" / "metrics.json", {"cwe": {"string_match": 90.0}})
    assert detect_and_import(metrics) is None  # anonymous without config.yaml
    write(tmp_path / "run" / "config.yaml", "dataset: longbench\ndata_dir: narrativeqa\nmodel: Org/M\n"
          "press_name: no_press\ncompression_ratio: 0.0\nmodel_kwargs:\n  dtype: auto\n")
    assert value(detect_and_import(metrics), "longbench/narrativeqa/cwe", "string_match") == 90.0
    write(metrics, {"cwe": {"string_match": "high"}})
    with pytest.raises(InputError, match="not a number"):
        detect_and_import(metrics)


def test_our_own_formats_are_not_claimed(tmp_path):
    records = write(tmp_path / "sweep.json",
                    [{"model": "M", "benchmark": "AIME24", "kv_budget": 2500, "pass_at_1": 40.0}])
    csv = write(tmp_path / "sweep.csv", "model,benchmark,kv_budget,pass_at_1\nM,AIME24,2500,40\n")
    other = write(tmp_path / "other.json", {"results": {"a": 1}})  # no lm-eval markers
    ndjson = write(tmp_path / "sweep.ndjson",
                   '{"model": "M", "kv_budget": 1, "pass_at_1": 4}\n{"model": "M", "kv_budget": 2, "pass_at_1": 5}\n')
    assert [detect_and_import(p) for p in (records, csv, other, ndjson)] == [None, None, None, None]


def test_every_importer_module_is_registered_and_keeps_the_contract():
    """Adding an importer is one module and one registry line: a module that has TOOL but is not
    listed would silently never run."""
    from tui.core.importers import registry

    package = Path(registry.__file__).parent
    modules = sorted(p.stem for p in package.glob("*.py") if re.search(r"^TOOL = ", p.read_text(), re.M))
    assert sorted(registry.IMPORTERS) == modules
    for importer in registry.importers():
        assert isinstance(importer.TOOL, str) and importer.TOOL
        assert callable(importer.matches) and callable(importer.load)
        # "not a recognised result format (looked for: ...)" must name every tool we read.
        assert importer.TOOL.split()[0] in KNOWN_FORMATS, importer.TOOL


def test_a_table_of_our_own_is_read_without_importing_other_formats_tool_modules(tmp_path):
    # Only the importers of tools that write CSV (OpenCompass, AIPerf, genai-perf) look at a CSV of ours.
    sweep = write(tmp_path / "sweep.csv", "model,benchmark,kv_budget,pass_at_1\nM,AIME24,2500,40\n")
    code = ("import sys, pathlib; from tui.core.loader import load; load([pathlib.Path(sys.argv[1])]);"
            "print(' '.join(m for m in sys.modules if m.startswith('tui.core.importers.')))")
    out = subprocess.run([sys.executable, "-c", code, str(sweep)], capture_output=True, text=True, check=True)
    from tui.core.importers.registry import IMPORTERS

    other_formats = {f"tui.core.importers.{name}" for name, formats in IMPORTERS.items() if "csv" not in formats}
    assert other_formats and not set(out.stdout.split()) & other_formats


def test_a_broken_json_document_is_blamed_on_the_tool_whose_marker_it_shows(tmp_path):
    broken = write(tmp_path / "l.json", '{"config_general": {"model_name": "M"}, "results": {')
    with pytest.raises(InputError, match="looks like a lighteval result but is not valid JSON"):
        detect_and_import(broken)
    ours = write(tmp_path / "o.json", '[{"model": "M", "pass_at_1": 4}')
    assert detect_and_import(ours) is None  # our own table: the loader's reader names the problem


def test_a_json_table_of_our_own_is_not_parsed_by_any_importer(tmp_path, monkeypatch):
    """Its own reader parses it: an importer that parsed it too would read every such file twice."""
    from tui.core.files import Sniffed

    def parsed(self):
        raise AssertionError(f"an importer parsed {self.path}")

    monkeypatch.setattr(Sniffed, "document", parsed)
    one = write(tmp_path / "one.json", {"model": "M", "benchmark": "AIME24", "kv_budget": 2500, "pass_at_1": 40.0})
    many = write(tmp_path / "many.json", [{"model": "M", "benchmark": "AIME24", "kv_budget": 2500, "pass_at_1": 40}])
    assert detect_and_import(one) is None and detect_and_import(many) is None


def test_a_load_setting_is_the_same_text_from_every_tool(tmp_path):
    """vLLM writes a request rate of 2 as 2.0, SGLang and AIPerf as 2: one load, one dimension value."""
    from tui.core.importers.common import dim_text

    vllm = detect_and_import(write(tmp_path / "v.json", serve("m", 300.0, request_rate=2.0, max_concurrency=16)))
    assert vllm.frame["request_rate"][0] == "2" == dim_text(2) and vllm.frame["max_concurrency"][0] == "16"
    assert dim_text(0.5) == "0.5" and dim_text(1234567.0) == "1234567" and dim_text("inf") == "inf"
