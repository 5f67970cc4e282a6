"""Rates per 1,000 tokens and the knee only for a knob that is a token budget (`knob_is_tokens`).

Checked on real files: a kvpress RULER sweep along compression_ratio (tests/real_files/output) and
a vLLM `bench sweep serve` along max_num_seqs (../shared/real_results/vllm); see their SOURCES.md.
Expected numbers are read from the files themselves.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest

from helpers import run
from tui.core.answers import knob_is_tokens

KVPRESS = Path(__file__).parent / "real_files" / "output" / "kvpress__fax4ever_kvpress-vllm-tests"
VLLM_SWEEP = (Path(__file__).parents[1].parent / "shared" / "real_results" / "vllm"
              / "sweep_serve_v0.25.1__er0080")
ZEROFILL = "filtering_zerofill_keydiff"
RATIOS = ("0.25", "0.50", "0.75")
NO_KNEE_RATIO = "no knee: the knee rule is defined for a token budget; compression_ratio is not one"
NO_KNEE_SEQS = "no knee: the knee rule is defined for a token budget; max_num_seqs is not one"


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.delenv("NO_COLOR", raising=False)


def words(text: str) -> str:
    return " ".join(text.split())


def string_match(ratio: str, task: str) -> float:
    folder = KVPRESS / f"ruler__4096__Qwen--Qwen3-8B__{ZEROFILL}__{ratio}"
    return json.loads((folder / "metrics.json").read_text())[task]["string_match"]


def output_tps(seqs: int) -> float:
    """vLLM's output_throughput at one max_num_seqs, averaged over the runs of the sweep."""
    folder = VLLM_SWEEP / f"SERVE--max_num_seqs={seqs}-BENCH--max_concurrency=2-num_prompts=8"
    runs = [json.loads(p.read_text())["output_throughput"] for p in sorted(folder.glob("run=*.json"))]
    assert len(runs) == 2
    return sum(runs) / len(runs)


@pytest.mark.parametrize("name", ["kv_budget", "budget", "kvbudget", "cache_budget", "max_tokens",
                                  "max_new_tokens", "max_model_len", "context_length", "ctx", "seq_len",
                                  "seqlen", "window", "num_ctx"])
def test_token_knobs(name):
    assert knob_is_tokens(name)


@pytest.mark.parametrize("name", ["compression_ratio", "max_num_seqs", "max_concurrency", "knob",
                                  "temperature", "kv_budget_ratio", "budget_fraction", "request_rate",
                                  "gpu_memory_utilization", "tensor_parallel_size"])
def test_other_knobs(name):
    assert not knob_is_tokens(name)


def test_kvpress_returns_has_steps_but_no_rates_per_1k(capsys):
    code, out, err = run(capsys, "returns", str(KVPRESS), "-m", "zerofill", "-b", "ruler/qa_2")
    assert code == 0, err
    text = words(out)
    values = [string_match(r, "qa_2") for r in RATIOS]
    for ratio, value, before in zip((0.25, 0.5, 0.75), values, [None, *values]):
        delta = "-" if before is None else f"{value - before:+.1f}".replace("-", "−")
        assert f"{ratio:g} {value:.1f} " in text and (before is None or delta in text)
    assert "/1k" not in out and "1,000 tokens of extra budget" not in text
    assert "compression_ratio string_match Δstring_match TPS ΔTPS" in text and "Budget" not in out
    assert "compression_ratio is not a token budget" in text
    assert text.count(NO_KNEE_RATIO) == 1 and "rule:" not in out


def test_kvpress_returns_csv_has_no_rate_columns(capsys):
    _, out, _ = run(capsys, "returns", str(KVPRESS), "-m", "zerofill", "-b", "ruler/qa_2", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [float(r["string_match"]) for r in rows] == [string_match(r, "qa_2") for r in RATIOS]
    assert "d_pass_per_1k" not in rows[0] and "d_tps_per_1k" not in rows[0]
    assert [r["step"] for r in rows] == ["", "0.25", "0.25"]


def test_kvpress_insights_say_no_knee_once_and_never_budget(capsys):
    _, out, _ = run(capsys, "insights", str(KVPRESS), "-m", "zerofill", "-b", "ruler/qa_2", "-f", "csv")
    lines = [r["insight"] for r in csv.DictReader(io.StringIO(out))]
    assert sum(NO_KNEE_RATIO in line for line in lines) == 1
    assert not any("budget" in line.replace("token budget", "") or "1,000" in line for line in lines)
    best = max(RATIOS, key=lambda r: (string_match(r, "qa_2"), -float(r)))
    assert any(f"peaks at {string_match(best, 'qa_2'):.1f} at compression_ratio {float(best):g}" in line
               for line in lines)


def test_vllm_sweep_trend_is_the_change_across_max_num_seqs(capsys):
    code, out, err = run(capsys, "returns", str(VLLM_SWEEP), "-m", "opt", "-b", "vllm", "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    low, high = output_tps(4), output_tps(8)
    assert [s["throughput_tps"] for s in doc["steps"]] == pytest.approx([low, high])
    assert doc["steps"][1]["d_tps"] == pytest.approx(high - low)
    assert "d_tps_per_1k" not in doc["steps"][1]
    trend = doc["trend"]
    assert "slope_per_1k" not in trend and trend["along"] == "max_num_seqs"
    assert (trend["from"], trend["to"]) == (4, 8) and trend["change"] == pytest.approx(high - low)
    assert doc["knee"]["sentence"] == NO_KNEE_SEQS and doc["knee"]["rule"] is None
    _, table, _ = run(capsys, "returns", str(VLLM_SWEEP), "-m", "opt", "-b", "vllm")
    text = words(table)
    assert f"throughput ▲ +{high - low:.0f} TPS from max_num_seqs 4 to 8" in text
    assert "per 1,000 tokens of budget" not in text and f"{(high - low) / 4 * 1000:.0f}" not in text


def test_vllm_sweep_insights(capsys):
    _, out, _ = run(capsys, "insights", str(VLLM_SWEEP), "-f", "csv")
    (line,) = [r["insight"] for r in csv.DictReader(io.StringIO(out))]
    change = output_tps(8) - output_tps(4)
    assert line == (f"opt-125m vllm serve: throughput changes by +{change:.0f} TPS from max_num_seqs 4 to 8 "
                    "(least-squares fit, R² 1.00, 2 settings).")


def _csv(folder: Path, knob: str) -> Path:
    rows = [{"model": "m", "benchmark": "b", knob: k, "pass_at_1": p, "throughput_tps": t}
            for k, p, t in ((1024, 40.0, 900.0), (2048, 50.0, 800.0), (4096, 51.0, 600.0))]
    path = folder / f"{knob}.csv"
    pl.DataFrame(rows).write_csv(path)
    return path


def test_knob_col_named_for_tokens_keeps_rates_and_knee(tmp_path, capsys):
    path = _csv(tmp_path, "max_model_len")
    _, out, _ = run(capsys, "--knob-col", "max_model_len", "returns", str(path), "-m", "m", "-b", "b",
                    "-f", "json")
    doc = json.loads(out)
    # 1024 -> 2048: +10 points over 1,024 tokens = 9.77 per 1,000; 2048 -> 4096: +1 over 2,048 tokens.
    assert doc["steps"][1]["d_pass_per_1k"] == pytest.approx(10 / 1024 * 1000)
    assert doc["knee"]["max_model_len"] == 2048 and "per 1,000 tokens" in doc["knee"]["rule"]
    assert doc["trend"]["slope_per_1k"] is not None


def test_knob_col_named_otherwise_has_no_rates(tmp_path, capsys):
    path = _csv(tmp_path, "max_num_seqs")
    _, out, _ = run(capsys, "--knob-col", "max_num_seqs", "returns", str(path), "-m", "m", "-b", "b",
                    "-f", "json")
    doc = json.loads(out)
    assert "d_pass_per_1k" not in doc["steps"][1] and doc["knee"]["max_num_seqs"] is None
    assert doc["knee"]["sentence"] == NO_KNEE_SEQS
    # The three points lie on one line: the fitted change from 1024 to 4096 is 600 - 900.
    assert doc["trend"]["change"] == pytest.approx(-300.0) and doc["trend"]["r2"] == pytest.approx(1.0)


def test_kvpress_advise_names_compression_ratio(capsys):
    _, out, _ = run(capsys, "advise", str(KVPRESS), "-m", "zerofill", "-b", "ruler/qa_2",
                    "--max-budget", "0.5")
    text = words(out)
    best = max(("0.25", "0.50"), key=lambda r: (string_match(r, "qa_2"), -float(r)))
    assert "Recommended compression_ratio setting" in text and "constraints: compression_ratio <= 0.5" in text
    assert f"ruler/qa_2 {float(best):g} {string_match(best, 'qa_2'):.1f}" in text
    assert "budget" not in text.replace("token budget", "")


def test_a_run_without_a_knob_value_is_no_step(capsys):
    """In the whole real_results folder opt-125m also has a single `vllm bench serve` run that records
    no max_num_seqs: it is shown, but it is no step on the axis and not part of the trend."""
    _, out, _ = run(capsys, "returns", str(VLLM_SWEEP.parent.parent), "-m", "opt", "-b", "vllm serve",
                    "-f", "json")
    doc = json.loads(out)
    single = json.loads((VLLM_SWEEP.parent / "bench_serve_v0.25.1__er0080" / "bench_serve_v0.25.1.json")
                        .read_text())["output_throughput"]
    steps = [(s["knob"], s["throughput_tps"], s["d_tps"]) for s in doc["steps"]]
    assert steps == [(None, pytest.approx(single), None), (4, pytest.approx(output_tps(4)), None),
                     (8, pytest.approx(output_tps(8)), pytest.approx(output_tps(8) - output_tps(4)))]
    assert doc["trend"]["n"] == 2 and doc["trend"]["change"] == pytest.approx(output_tps(8) - output_tps(4))
