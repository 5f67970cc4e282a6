"""Issue 12, items 4-6 on real files (tests/real_files/loading, see its SOURCES.md): re-runs are
repeats, a run under other settings is skipped with one line, a serving run that completed no
request is left out as failed, and a file in no known format says what was looked for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from helpers import run
from tui.core import schema
from tui.core.errors import FailedRun
from tui.core.loader import load

FILES = Path(__file__).parent / "real_files" / "loading"
AKAMAS = FILES / "lm-eval__akamaslabs_vllm-benchmark"
CSABA = FILES / "lm-eval__csabakecskemeti_lm_eval_results"
ER0080 = FILES / "vllm__er0080_vllm-benchmarking"
FAILED = ER0080 / "bench_serve_all_requests_failed_v0.25.1.json"
HPO = FILES / "hpo__UPCBarcelonaTech_infpop" / "results_hpo_vLLM_from_a100_to_tesla.json"
SHARED_SWEEP = (Path(__file__).parents[1].parent / "shared" / "real_results" / "vllm"
                / "sweep_serve_v0.25.1__er0080" / "SERVE--max_num_seqs=4-BENCH--max_concurrency=2-num_prompts=8")
# exact_match,strict-match of the two greedy baseline runs (baseline-a, baseline-b), as fractions.
RUN_A, RUN_B = 0.9520264681555004, 0.9536807278742763


def strict_match(results) -> dict:
    rows = results.sweep.filter(pl.col("metric").str.contains("strict"))
    assert rows.height == 1
    return rows.row(0, named=True)


def test_two_lm_eval_runs_of_one_model_task_and_setting_are_averaged_with_n_and_stderr():
    row = strict_match(load([AKAMAS]))
    assert row["value"] == pytest.approx((RUN_A + RUN_B) / 2 * 100)
    assert row["n"] == 2
    assert row["stderr"] == pytest.approx(abs(RUN_A - RUN_B) / 2 * 100)  # std of two / sqrt(2)
    assert "mean of 2 result files" in row["note"]


def test_each_run_alone_is_one_run():
    for run_dir, expected in (("baseline-a", RUN_A), ("baseline-b", RUN_B)):
        row = strict_match(load([AKAMAS / run_dir]))
        assert (row["value"], row["n"]) == (pytest.approx(expected * 100), 1)


def test_the_averaged_repeats_are_what_the_cli_prints(capsys):
    code, out, err = run(capsys, "summary", str(AKAMAS), "--format", "csv")
    assert code == 0 and err == ""
    best = pl.read_csv(out.encode()).to_series(3)  # model, benchmark, metric, then its best value
    assert best.to_list() == [pytest.approx((RUN_A + RUN_B) / 2 * 100)]


def test_runs_under_other_generation_settings_skip_the_later_file_with_one_line(capsys):
    results = load([CSABA])
    later = CSABA / "results_2025-01-26T22-29-00.931915.json"
    [(path, why)] = results.skipped
    assert path == later
    assert why.startswith("not a repeat: ") and "in results_2025-01-24T19-02-29.392595.json" in why
    assert 'gen_kwargs None vs {"do_sample": true, "temperature": 0.6, "top_p": 0.95}' in why
    # The earlier (greedy) run is what loads, unaveraged.
    strict = results.sweep.filter(pl.col("metric") == "prompt_level_strict_acc")
    assert strict["value"].to_list() == [pytest.approx(28.650646950092423)] and strict["n"].to_list() == [1]
    assert results.origin == "2 files, 1 skipped: lm-eval__csabakecskemeti_lm_eval_results"

    code, out, err = run(capsys, "summary", str(CSABA), "--format", "csv")
    _, _, metric, best = pl.read_csv(out.encode()).filter(
        pl.col("benchmark").str.contains("ifeval")).row(0)[:4]
    greedy = json.loads((CSABA / "results_2025-01-24T19-02-29.392595.json").read_text())["results"]
    assert code == 0 and best == pytest.approx(greedy["leaderboard_ifeval"][f"{metric},none"] * 100)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0] == f"kvscope: skipped {later}: {why}"


def test_the_two_files_named_on_the_command_line_still_load(capsys):
    names = sorted(str(p) for p in CSABA.iterdir())
    code, _, err = run(capsys, "summary", *names)
    assert code == 0 and "not a repeat" in err and len(err.splitlines()) == 1


def test_a_serve_run_that_completed_no_request_is_left_out_not_zero():
    results = load([ER0080])
    why = "vLLM bench serve measured nothing: 0 of 8 requests completed, 8 failed"
    assert results.failed == ((FAILED, why),)
    tps = results.sweep.filter(pl.col("metric") == schema.TPS)
    assert tps["value"].to_list() == [pytest.approx(82.89297074037474)]  # the run that completed, only
    assert results.all_readings.filter(pl.col("value") == 0).height == 0
    assert results.origin == "2 files, 1 failed run: vllm__er0080_vllm-benchmarking"


def test_failed_runs_are_counted_once_and_listed_with_verbose(capsys):
    code, out, err = run(capsys, "summary", str(ER0080), "--format", "csv")
    assert code == 0 and pl.read_csv(out.encode())["tps_min"].to_list() == [pytest.approx(82.89297074037474)]
    assert err == ("kvscope: 1 failed run left out: bench_serve_all_requests_failed_v0.25.1.json "
                   "(vLLM bench serve measured nothing: 0 of 8 requests completed, 8 failed)\n")
    code, _, err = run(capsys, "--verbose", "summary", str(ER0080))
    assert f"kvscope: failed run left out: {FAILED}: vLLM bench serve measured nothing" in err
    assert err.count("1 failed run left out") == 1


def test_a_failed_run_given_alone_exits_2_with_its_one_line(capsys):
    with pytest.raises(FailedRun):
        load([FAILED])
    code, out, err = run(capsys, "summary", str(FAILED))
    assert code == 2 and out == ""
    assert err == (f"kvscope: error: {FAILED}: vLLM bench serve measured nothing: "
                   "0 of 8 requests completed, 8 failed\n")


@pytest.mark.skipif(not SHARED_SWEEP.is_dir(), reason="shared real_results not found")
def test_a_failed_run_inside_a_vllm_sweep_is_left_out_of_its_mean(tmp_path):
    folder = tmp_path / SHARED_SWEEP.name
    shutil.copytree(SHARED_SWEEP, folder)
    (folder / "summary.json").unlink()
    good = json.loads((folder / "run=0.json").read_text())
    # The real all-failed record as this sweep's run 1 (the sweep adds run_number and its parameter).
    failed = {**json.loads(FAILED.read_text()), "run_number": 1, "max_num_seqs": good["max_num_seqs"]}
    (folder / "run=1.json").write_text(json.dumps(failed))
    results = load([tmp_path])
    tps = results.sweep.filter(pl.col("metric") == schema.TPS)
    assert tps["value"].to_list() == [pytest.approx(good["output_throughput"])] and tps["n"].to_list() == [1]
    assert results.failed == ((folder, "run 1: 0 of 8 requests completed, 8 failed"),)


@pytest.mark.skipif(not SHARED_SWEEP.is_dir(), reason="shared real_results not found")
def test_two_vllm_serve_results_of_one_model_and_setting_outside_a_sweep_are_repeats(tmp_path):
    """The sweep's two runs saved as two plain result files: pooled across files as the sweep
    folder pools them itself."""
    runs = [json.loads((SHARED_SWEEP / f"run={i}.json").read_text()) for i in (0, 1)]
    for i in (0, 1):
        shutil.copy(SHARED_SWEEP / f"run={i}.json", tmp_path / f"serve_{i}.json")
    tps = load([tmp_path]).sweep.filter(pl.col("metric") == schema.TPS).row(0, named=True)
    values = [r["output_throughput"] for r in runs]
    assert (tps["value"], tps["n"]) == (pytest.approx(sum(values) / 2), 2)
    assert tps["stderr"] == pytest.approx(abs(values[0] - values[1]) / 2)
    in_folder = load([SHARED_SWEEP]).sweep.filter(pl.col("metric") == schema.TPS).row(0, named=True)
    assert (in_folder["value"], in_folder["n"]) == (pytest.approx(tps["value"]), 2)


def test_a_json_in_no_known_format_says_what_was_looked_for(capsys):
    code, _, err = run(capsys, "summary", str(HPO))
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith(f"kvscope: error: {HPO}: not a recognised result format "
                          "(looked for: lm-eval results, vLLM bench")
    assert "missing required column" not in err


def test_verbose_lists_every_skipped_file_even_when_all_were_skipped(capsys):
    folder = HPO.parent
    code, _, err = run(capsys, "summary", str(folder))
    nothing = f"kvscope: error: no results found in {folder} (1 skipped; --verbose lists why)"
    assert code == 2 and err == nothing + "\n"
    code, _, err = run(capsys, "--verbose", "summary", str(folder))
    lines = err.splitlines()
    assert code == 2 and len(lines) == 2
    assert lines[0].startswith(f"kvscope: skipped {HPO}: not a recognised result format (looked for: ")
    assert lines[1] == nothing


def test_the_whole_folder_loads_around_the_odd_files(capsys):
    results = load([FILES])
    reasons = {p.name: why for p, why in results.skipped}
    assert set(reasons) == {"SOURCES.md", "results_2025-01-26T22-29-00.931915.json", HPO.name}
    assert [p.name for p, _ in results.failed] == [FAILED.name]
    assert results.origin == "7 files, 3 skipped, 1 failed run: loading"
    gemma = results.sweep.filter(pl.col("model") == "gemma4-26b-l40s", pl.col("metric").str.contains("strict"))
    assert gemma["n"].to_list() == [2]
