"""Numbers and names as their files meant them: scale, headline metric, averages, names.

Checked on real lm-eval files in tests/real_files/truth (see its SOURCES.md).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from helpers import run

from tui.core.errors import InputError
from tui.core.loader import load
from tui.core.metrics import is_accuracy_like, to_percent
from tui.core.names import short_names

TRUTH = Path(__file__).parent / "real_files" / "truth"
BIGBENCH = TRUTH / "lm_eval_0.3__saucam_model_evals" / "bigbench.json"
MMLU = TRUTH / "lm_eval_0.4__saucam_model_evals" / "mmlu.json"
LEADERBOARD = TRUTH / "lm_eval_0.4__csabakecskemeti_lm_eval_results" / "results_2025-01-25T04-48-43.622918.json"
GROUP = TRUTH / "lm_eval_0.4__EleutherAI_lm-evaluation-harness" / "cpu_group_regression_expected.json"


def cell(results, benchmark: str, metric: str, column: str = "value"):
    rows = results.sweep.filter((pl.col("benchmark") == benchmark) & (pl.col("metric") == metric))
    assert rows.height == 1, rows
    return rows[column][0]


# -- Scale -----------------------------------------------------------------------------------------

def test_lm_eval_03_multiple_choice_grade_is_a_fraction_shown_in_percent():
    results = load([BIGBENCH])
    assert cell(results, "bigbench_causal_judgement", "multiple_choice_grade") == 53.68421052631579
    assert cell(results, "bigbench_causal_judgement", "multiple_choice_grade", "stderr") == pytest.approx(3.6270781985)
    # 0.222 x 100 is 22.200000000000003 in binary floats; the source's decimals say 22.2.
    assert cell(results, "bigbench_logical_deduction_five_objects", "multiple_choice_grade") == 22.2
    assert "×100 from a 0-1 fraction" in cell(results, "bigbench_navigate", "multiple_choice_grade", "note")


def test_scale_rule_words_and_ranges():
    for metric in ("acc", "acc_norm", "multiple_choice_grade", "exact_match (flexible-extract)", "pass_at_1",
                   "mc2", "prompt_level_strict_acc", "exact_str_match", "f1"):
        assert is_accuracy_like(metric), metric
    for metric in ("brier_score", "word_perplexity", "bits_per_byte", "bleu", "throughput_tps", "acc_stderr"):
        assert not is_accuracy_like(metric), metric
    rows = pl.DataFrame({"metric": ["pass_at_1", "pass_at_1", "acc", "acc", "bleu"],
                         "value": [0.38, 0.547, 0.5, 40.0, 0.3], "stderr": [None, 0.01, None, None, None],
                         "note": ["", "", "", "", ""]})
    out = to_percent(rows)
    # pass_at_1 all in [0, 1]: x100; acc has a 40 in the same file: already %; bleu is not accuracy-like.
    assert out["value"].to_list() == [38.0, 54.7, 0.5, 40.0, 0.3]
    assert out["stderr"].to_list() == [None, 1.0, None, None, None]


def test_user_csv_with_fraction_pass_at_1_reads_as_percent(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("model,benchmark,kv_budget,pass_at_1\nm,b,1000,0.38\nm,b,2000,0.547\n")
    results = load([path])
    assert results.sweep.sort("knob")["value"].to_list() == [38.0, 54.7]


# -- Names -----------------------------------------------------------------------------------------

def test_org_prefix_dropped_only_when_unambiguous():
    assert short_names(["saucam/Orpomis-Prime-7B", "meta-llama/Llama-3.1-8B-Instruct"]) == {
        "saucam/Orpomis-Prime-7B": "Orpomis-Prime-7B", "meta-llama/Llama-3.1-8B-Instruct": "Llama-3.1-8B-Instruct"}
    assert short_names(["a/M", "b/M"]) == {}  # two orgs: both keep their full names
    assert short_names(["org/M", "M"]) == {"org/M": "M"}  # the same model, once with its org
    assert short_names(["[bold]x[/]", "x"]) == {}  # not a hub id


def test_file_names_are_shown_not_bundled_aliases():
    results = load([LEADERBOARD, BIGBENCH])
    assert results.models == ["Llama-3.1-8B-Instruct", "Orpomis-Prime-7B"]
    assert "leaderboard_gpqa_diamond" in results.benchmarks("Llama-3.1-8B-Instruct")
    assert "GPQA-D" not in results.benchmarks()
    assert "model meta-llama/Llama-3.1-8B-Instruct" in cell(results, "hellaswag", "acc", "note")
    # Aliases and full hub names still help typing.
    assert results.resolve_benchmark("gpqa") == "leaderboard_gpqa_diamond"
    assert results.resolve_benchmark("GPQA-Diamond") == "leaderboard_gpqa_diamond"
    assert results.resolve_model("meta-llama/Llama-3.1-8B-Instruct") == "Llama-3.1-8B-Instruct"
    with pytest.raises(InputError, match="known: Llama-3.1-8B-Instruct, Orpomis-Prime-7B"):
        results.resolve_model("R1-Llama")


def test_cli_shows_the_files_names_and_percent(capsys):
    code, out, _ = run(capsys, "table", str(BIGBENCH), "-m", "saucam/Orpomis-Prime-7B", "-b", "causal", "-f", "csv")
    assert code == 0
    assert out.splitlines()[1] == ",53.68421052631579,measured"
