"""Numbers and names as their files meant them: scale, headline metric, averages, names.

Checked on real lm-eval files in tests/real_files/truth (see its SOURCES.md).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from helpers import drive, run
from tui.core import views
from tui.core.errors import InputError
from tui.core.loader import load
from tui.core.metrics import headline, is_accuracy_like, to_percent
from tui.core.names import short_names

TRUTH = Path(__file__).parent / "real_files" / "truth"
BIGBENCH = TRUTH / "lm_eval_0.3__saucam_model_evals" / "bigbench.json"
MMLU = TRUTH / "lm_eval_0.4__saucam_model_evals" / "mmlu.json"
LEADERBOARD = (TRUTH / "lm_eval_0.4__csabakecskemeti_lm_eval_results"
               / "results_2025-01-25T04-48-43.622918.json")
GROUP = TRUTH / "lm_eval_0.4__EleutherAI_lm-evaluation-harness" / "cpu_group_regression_expected.json"


def cell(results, benchmark: str, metric: str, column: str = "value"):
    rows = results.sweep.filter((pl.col("benchmark") == benchmark) & (pl.col("metric") == metric))
    assert rows.height == 1, rows
    return rows[column][0]


# -- Scale -----------------------------------------------------------------------------------------

def test_lm_eval_03_multiple_choice_grade_is_a_fraction_shown_in_percent():
    results = load([BIGBENCH])
    assert cell(results, "bigbench_causal_judgement", "multiple_choice_grade") == 53.68421052631579
    stderr = cell(results, "bigbench_causal_judgement", "multiple_choice_grade", "stderr")
    assert stderr == pytest.approx(3.6270781985)
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
        "saucam/Orpomis-Prime-7B": "Orpomis-Prime-7B",
        "meta-llama/Llama-3.1-8B-Instruct": "Llama-3.1-8B-Instruct"}
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
    code, out, _ = run(capsys, "table", str(BIGBENCH), "-m", "saucam/Orpomis-Prime-7B", "-b", "causal",
                       "-f", "csv")
    assert code == 0
    assert out.splitlines()[1] == ",53.6842105263,measured"


# -- Averages and groups ---------------------------------------------------------------------------

def test_group_is_not_averaged_with_its_subtasks():
    results = load([MMLU])
    model = "Orpomis-Prime-7B"
    assert results.parents["mmlu_humanities"] == "mmlu"
    assert results.parents["mmlu_formal_logic"] == "mmlu_humanities"
    leaves = results.leaves(model)
    assert len(leaves) == 57 and "mmlu" not in leaves and "mmlu_humanities" not in leaves
    assert results.average_metric(model) == ("acc", "")
    average = views.series(results, model, "avg", ("acc",))["acc"][0]
    subtasks = results.sweep.filter(pl.col("benchmark").is_in(leaves) & (pl.col("metric") == "acc"))["value"]
    assert average == pytest.approx(subtasks.mean()) and subtasks.len() == 57
    assert average != pytest.approx(cell(results, "mmlu", "acc"))  # 52.43 is lm-eval's own weighted mmlu


def test_summary_folds_subtasks_under_their_group(capsys):
    code, out, _ = run(capsys, "summary", str(MMLU), "-f", "csv")
    lines = out.splitlines()
    assert code == 0 and lines[0].endswith(",parent")
    names = [line.split(",")[1] for line in lines[1:]]
    assert names[:3] == ["mmlu", "mmlu_humanities", "mmlu_formal_logic"] and names[-1] == "avg"
    assert lines[2].endswith(",mmlu") and lines[3].endswith(",mmlu_humanities")
    code, out, _ = run(capsys, "summary", str(MMLU))
    assert "\n│ Orpomis-… │   mmlu_h" in out or "  mmlu_hum" in out


def test_different_metrics_have_no_single_average(capsys):
    results = load([MMLU, BIGBENCH])
    metric, why = results.average_metric("Orpomis-Prime-7B")
    assert metric is None and why == ("no single average: its benchmarks are measured by different metrics "
                                      "(acc, multiple_choice_grade)")
    code, out, _ = run(capsys, "summary", str(MMLU), str(BIGBENCH), "-f", "csv")
    assert code == 0 and ",avg," not in out
    code, out, _ = run(capsys, "summary", str(MMLU), str(BIGBENCH))
    assert code == 0 and out.count("no single average") == 1 and "Average" not in out


# -- Headline metric -------------------------------------------------------------------------------

def test_headline_rule():
    assert headline(["throughput_tps", "acc", "pass_at_1"]) == "pass_at_1"
    assert headline(["acc", "acc_norm"]) == "acc_norm"
    assert headline(["acc (strict)", "acc_norm (strict)", "acc_norm"]) == "acc_norm (strict)"
    assert headline(["multiple_choice_grade", "exact_str_match"]) == "multiple_choice_grade"
    assert headline(["output_throughput", "mean_ttft_ms"]) is None


def test_headline_on_real_files_and_table_headers_name_it(capsys):
    results = load([LEADERBOARD, BIGBENCH])
    assert results.headline("hellaswag") == "acc_norm"  # both acc and acc_norm in the file
    assert results.headline("bigbench_geometric_shapes") == "multiple_choice_grade"  # first in file order
    assert results.headline("leaderboard_ifeval") == "prompt_level_strict_acc"
    code, out, _ = run(capsys, "table", str(LEADERBOARD), "-m", "llama", "-b", "hellaswag")
    assert code == 0 and "hellaswag acc_norm" in out and "79.3" in out and "Pass@1" not in out
    code, out, _ = run(capsys, "summary", str(LEADERBOARD), "-f", "csv")
    row = next(line for line in out.splitlines() if ",hellaswag," in line)
    assert row.split(",")[2:4] == ["acc_norm", "79.2969527982"]


def test_metric_option_overrides_the_rule(capsys):
    code, out, _ = run(capsys, "--metric", "acc", "table", str(LEADERBOARD), "-m", "llama", "-b", "hellaswag",
                       "-f", "csv")
    assert code == 0
    assert out.splitlines()[:2] == ["kv_budget,hellaswag:acc,hellaswag:acc_how", ",59.0818562039,measured"]
    code, out, _ = run(capsys, "summary", str(LEADERBOARD), "--metric", "ACC", "-f", "csv")
    rows = [line.split(",") for line in out.splitlines()[1:]]
    assert {r[2] for r in rows if r[3]} == {"acc"}  # benchmarks without acc show no value
    code, out, err = run(capsys, "summary", str(LEADERBOARD), "--metric", "bogus")
    assert code == 2 and out == ""
    assert err.strip() == ("kvscope: error: unknown metric 'bogus'; known: acc, acc_norm, exact_match, "
                           "inst_level_loose_acc, inst_level_strict_acc, prompt_level_loose_acc, "
                           "prompt_level_strict_acc")


def test_explorer_takes_metric_and_shows_it(capsys, monkeypatch):
    import tui.app.main

    seen = {}

    def opened(app):  # the app's run, on the loaded results (or their Future)
        seen["r"] = app.results if app.results is not None else app.pending.result()

    monkeypatch.setattr(tui.app.main, "run", opened)
    code, _, _ = run(capsys, str(LEADERBOARD), "--metric", "acc")
    assert code == 0 and seen["r"].metric == "acc" and seen["r"].headline("hellaswag") == "acc"


# -- The explorer ----------------------------------------------------------------------------------

EXPLORER_SIZE = (100, 30)


def test_explorer_folds_subtasks_under_the_group_and_says_why_no_average(monkeypatch):
    from tui.app.widgets.sidebar import StudyTree
    from tui.app.widgets.sweep_view import SweepTable

    monkeypatch.setenv("COLUMNS", "400")

    async def check(app, pilot):
        tree = app.screen.query_one(StudyTree)
        model = tree.root.children[0].children[0]
        labels = [str(node.label) for node in model.children]
        assert labels[-1] == "mmlu" and "Average" not in labels and "mmlu_formal_logic" not in labels
        mmlu = model.children[-1]
        assert mmlu.allow_expand and mmlu.data.benchmark == "mmlu"
        mmlu.expand()
        await pilot.pause()
        assert [str(n.label) for n in mmlu.children] == [
            "mmlu_humanities", "mmlu_other", "mmlu_social_sciences", "mmlu_stem"]
        notes = app.screen.query_one("#sweep-notes").text.plain
        assert notes.count("No single average: its benchmarks are measured by different metrics") == 1
        table = app.screen.query_one(SweepTable)
        assert table.get_cell("-", "multiple_choice_grade").plain == "53.7"

    drive(load([MMLU, BIGBENCH]), [], check, size=EXPLORER_SIZE)


def test_explorer_group_without_values_is_a_folding_node(monkeypatch):
    from tui.app.widgets.sidebar import StudyTree

    monkeypatch.setenv("COLUMNS", "400")

    async def check(app, pilot):
        tree = app.screen.query_one(StudyTree)
        model = tree.root.children[0].children[0]
        gpqa = next(node for node in model.children if str(node.label) == "leaderboard_gpqa")
        assert gpqa.data is None and gpqa.allow_expand  # lm-eval wrote no score for the group itself
        gpqa.expand()
        await pilot.pause()
        assert [n.data.benchmark for n in gpqa.children] == [
            "leaderboard_gpqa_diamond", "leaderboard_gpqa_extended", "leaderboard_gpqa_main"]

    drive(load([LEADERBOARD]), [], check, size=EXPLORER_SIZE)


def test_check_takes_leaves_not_groups():
    results = load([MMLU])
    parts = views.leaf_rows(results)
    assert "mmlu" not in set(parts["benchmark"]) and parts["benchmark"].n_unique() == 57


def test_asking_for_a_missing_average_says_why(capsys):
    code, out, err = run(capsys, "chart", str(MMLU), str(BIGBENCH), "-m", "orpomis", "-b", "avg")
    assert code == 2 and out == ""
    assert err.strip() == ("kvscope: error: Orpomis-Prime-7B has no average: its benchmarks are measured by "
                           "different metrics (acc, multiple_choice_grade)")
    code, out, _ = run(capsys, "table", str(GROUP), "-m", "cpu", "-f", "csv")
    assert code == 0 and out.splitlines()[0].split(",")[1::2] == [
        "regression_arc:acc_norm", "arc_challenge:acc_norm", "arc_easy:acc_norm", "avg:acc_norm"]
    assert out.splitlines()[1].split(",")[1::2] == ["5.0", "0.0", "10.0", "5.0"]


def test_palette_jump_to_a_subtask_unfolds_its_groups(monkeypatch):
    from tui.app.widgets.sidebar import StudyTree

    monkeypatch.setenv("COLUMNS", "400")

    async def check(app, pilot):
        assert app.screen.view.benchmark == "mmlu_formal_logic"
        await pilot.pause()
        tree = app.screen.query_one(StudyTree)
        assert tree.cursor_node.data.benchmark == "mmlu_formal_logic"
        assert [str(tree.cursor_node.parent.label), str(tree.cursor_node.parent.parent.label)] == [
            "mmlu_humanities", "mmlu"]
        assert tree.cursor_node.parent.is_expanded and tree.cursor_node.parent.parent.is_expanded

    drive(load([MMLU]), ["ctrl+p", "type:formal_logic", "enter"], check, size=EXPLORER_SIZE)


def test_summary_heads_subtasks_with_a_group_that_has_no_score(capsys):
    code, out, _ = run(capsys, "summary", str(LEADERBOARD), "-f", "csv")
    lines = out.splitlines()
    assert code == 0
    at = next(i for i, line in enumerate(lines) if line.startswith("Llama-3.1-8B-Instruct,leaderboard_gpqa,"))
    assert lines[at] == "Llama-3.1-8B-Instruct,leaderboard_gpqa" + "," * 12  # lm-eval wrote no score for it
    assert [line.split(",")[1] for line in lines[at + 1:at + 4]] == [
        "leaderboard_gpqa_diamond", "leaderboard_gpqa_extended", "leaderboard_gpqa_main"]
    assert all(line.endswith(",leaderboard_gpqa") for line in lines[at + 1:at + 4])


def test_summary_of_accuracy_only_files_has_no_empty_knob_or_tps_columns(capsys):
    code, out, _ = run(capsys, "summary", str(TRUTH / "lm_eval_0.3__saucam_model_evals"))
    header = next(line for line in out.splitlines() if "Model" in line)
    assert code == 0 and "Best" in header
    assert "TPS" not in out and "knob" not in header


def test_frontier_without_points_says_why_once(capsys):
    code, out, _ = run(capsys, "frontier", str(TRUTH / "lm_eval_0.3__saucam_model_evals"))
    assert code == 0
    assert out.strip().splitlines() == ["no frontier on Average: no point has both a score and a throughput"]
