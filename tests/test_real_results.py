"""Issue 5 end to end: the real files in shared/real_results open through the loader and the CLI,
and a sweep split across lm-eval (accuracy) and vLLM (throughput) files opens as one study."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from helpers import run
from tui.core import views
from tui.core.importers import KnobRule
from tui.core.loader import LoadOptions, load

REAL = Path(__file__).parents[1].parent / "shared" / "real_results"
real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real result files not found at {REAL}")




@real
def test_the_whole_real_results_folder_opens_in_one_view():
    results = load([REAL])
    skipped = {p.name: why for p, why in results.skipped}
    assert set(skipped) == {"SOURCES.md", "config.yaml"}
    assert "not a result file" in skipped["SOURCES.md"]
    assert len(results.files) == 19 and results.origin == "19 files, 2 skipped: real_results"
    models = results.models
    # Org prefixes are dropped where no other org has the same model name; nothing is renamed.
    for expected in ("DeepSeek-R1-Distill-Llama-8B", "Meta-Llama-3-8B", "opt-125m", "Nereus-7B"):
        assert expected in models
    assert any(m.startswith("Qwen3-8B · ") for m in models)  # kvpress press folded into the label
    gpqa = results.sweep.filter((pl.col("model") == "DeepSeek-R1-Distill-Llama-8B")
                                & (pl.col("benchmark") == "leaderboard_gpqa_diamond"))
    assert gpqa["value"].round(2).to_list() == [28.79]


@real
def test_vllm_sweep_budgets_on_the_x_axis(capsys):
    code, out, _ = run(capsys, "table", str(REAL / "vllm" / "sweep_serve_v0.25.1__er0080"),
                       "-m", "opt-125m", "-f", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("max_num_seqs,")
    assert [line.split(",")[0] for line in lines[1:]] == ["4", "8"]


@real
def test_verbose_lists_skipped_files_with_reasons(capsys):
    code, _, err = run(capsys, "summary", str(REAL), "--verbose")
    assert code == 0 and "skipped" in err and "SOURCES.md: not a result file" in err


def lm_eval(model: str, acc: float) -> dict:
    return {"results": {"aime24": {"alias": "aime24", "exact_match,none": acc, "exact_match_stderr,none": 0.02}},
            "versions": {"aime24": 1.0}, "config": {"model": "hf", "model_args": f"pretrained={model}"}}


def serve(model: str, tps: float) -> dict:
    return {"date": "20260101-000000", "backend": "vllm", "model_id": model, "num_prompts": 30,
            "request_rate": "inf", "max_concurrency": None, "output_throughput": tps, "mean_ttft_ms": 40.0}


@pytest.fixture
def split_sweep(tmp_path):
    model = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"
    for budget, acc, tps in ((2500, 0.427, 780.0), (3000, 0.46, 760.0), (3500, 0.42, 740.0)):
        for kind, doc in (("lmeval", lm_eval(model, acc)), ("vllm", serve(model, tps))):
            path = tmp_path / "runs" / f"kv_budget={budget}" / kind / "results.json"
            path.parent.mkdir(parents=True)
            path.write_text(json.dumps(doc))
    return tmp_path / "runs"


def test_split_lm_eval_and_vllm_sweep_opens_as_one_study(split_sweep):
    results = load([split_sweep])
    assert results.knob == "kv_budget" and results.models == ["DeepSeek-R1-Distill-Qwen-7B"]
    bar, line = views.chart_metrics(results, "DeepSeek-R1-Distill-Qwen-7B", "aime24")
    assert bar == "exact_match" and line == "throughput_tps"
    frame = views.series(results, "DeepSeek-R1-Distill-Qwen-7B", "aime24", (bar, line))
    assert frame["knob"].to_list() == [2500.0, 3000.0, 3500.0]
    assert frame["exact_match"].to_list() == pytest.approx([42.7, 46.0, 42.0])
    assert frame["throughput_tps"].to_list() == [780.0, 760.0, 740.0]
    note = results.sweep.filter((pl.col("benchmark") == "aime24") & (pl.col("metric") == "throughput_tps"))["note"][0]
    assert "from vllm serve runs" in note


def test_split_sweep_chart_draws_bars_and_line_over_budgets(capsys, split_sweep):
    code, out, _ = run(capsys, "chart", str(split_sweep), "-m", "qwen", "-b", "aime24", "--width", "70")
    assert code == 0
    assert "DeepSeek-R1-Distill-Qwen-7B | aime24" in out and "KV budget" in out
    assert "Throughput (TPS)" in out and "exact_match" in out
    assert "2500" in out and "3500" in out


def test_knob_rule_from_the_path(capsys, tmp_path):
    for budget, value in ((100, 10), (200, 20)):
        path = tmp_path / f"budget_{budget}" / "r.csv"
        path.parent.mkdir()
        path.write_text(f"model,benchmark,pass_at_1\nm,t,{value}\n")
    # The files have no knob column; the rule reads the budget off each path.
    code, out, err = run(capsys, "table", str(tmp_path), "-m", "m", "-f", "csv", "--knob", r"kv_budget=budget_(\d+)")
    assert code == 0, err
    assert [line.split(",")[:3] for line in out.splitlines()[1:]] == [["100", "10.0", "measured"],
                                                                     ["200", "20.0", "measured"]]
    results = load([tmp_path], LoadOptions(knob_rule=KnobRule.parse(r"kv_budget=budget_(\d+)")))
    assert results.sweep["knob"].to_list() == [100.0, 200.0]


def test_role_flags_name_unusual_columns(capsys, write):
    path = write("odd.csv", "llm,suite,ctx,pass_at_1\nm,t,100,10\nm,t,200,20\n")
    code, _, err = run(capsys, "summary", str(path))
    assert code == 2 and "missing required column" in err
    code, out, err = run(capsys, "table", str(path), "--model-col", "llm", "--benchmark-col", "suite",
                         "--knob-col", "ctx", "-m", "m", "-f", "csv")
    assert code == 0, err
    assert out.splitlines()[0].startswith("ctx,") and out.splitlines()[2].startswith("200,20.0")
