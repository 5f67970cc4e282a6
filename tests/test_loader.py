"""The loader: every format, both shapes, aliases, repeats, and one clear error per bad input."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from helpers import run
from tui.core.errors import FailedRun, InputError
from tui.core.loader import LoadOptions, load

WIDE = "model,benchmark,kv_budget,pass_at_1,throughput_tps\nqwen,aime24,2500,42.7,780\nqwen,aime24,3000,46.0,760\n"


def value(results, model, benchmark, knob, metric):
    rows = results.sweep.filter((pl.col("model") == model) & (pl.col("benchmark") == benchmark)
                                & (pl.col("knob") == knob) & (pl.col("metric") == metric))
    assert rows.height == 1, rows
    return rows["value"][0]


def test_wide_csv_keeps_its_names_and_aliases_only_resolve(write):
    results = load([write("r.csv", WIDE)])
    assert results.models == ["qwen"]  # never renamed into the bundled R1-Qwen
    assert results.benchmarks() == ["aime24"]
    assert value(results, "qwen", "aime24", 3000, "pass_at_1") == 46.0
    assert value(results, "qwen", "aime24", 2500, "throughput_tps") == 780
    assert results.resolve_model("QWEN") == "qwen" and results.resolve_benchmark("AIME2024") == "aime24"


def test_common_column_spellings_load_without_flags(write):
    text = "Model,Task,Budget,pass@1,tokens_per_s\nllama,GPQA-Diamond,2500,37.9,600\n"
    results = load([write("r.csv", text)])
    assert value(results, "llama", "GPQA-Diamond", 2500, "pass_at_1") == 37.9
    assert value(results, "llama", "GPQA-Diamond", 2500, "throughput_tps") == 600
    assert results.resolve_benchmark("gpqa") == "GPQA-Diamond"


def test_tidy_tsv(write):
    text = ("model\tdataset\tkv_budget\tmetric\tvalue\n"
            "R1-Qwen\tAMC23\t3500\tpass1\t90.5\nR1-Qwen\tAMC23\t3500\ttps\t750\n")
    results = load([write("r.tsv", text)])
    assert value(results, "R1-Qwen", "AMC23", 3500, "pass_at_1") == 90.5
    assert value(results, "R1-Qwen", "AMC23", 3500, "throughput_tps") == 750


def test_json_records_ndjson_and_parquet_load_the_same(write, tmp_path):
    records = [{"model": "qwen", "benchmark": "aime25", "kv_budget": 2500, "pass_at_1": 30.0, "throughput": 790}]
    a = load([write("r.json", json.dumps(records))])
    b = load([write("r.ndjson", "\n".join(json.dumps(r) for r in records * 1) + "\n")])
    path = tmp_path / "r.parquet"
    pl.DataFrame(records).write_parquet(path)
    c = load([path])
    for results in (a, b, c):
        assert value(results, "qwen", "aime25", 2500, "pass_at_1") == 30.0
        assert value(results, "qwen", "aime25", 2500, "throughput_tps") == 790


def test_repeats_are_averaged_and_counted(write):
    text = "model,benchmark,kv_budget,seed,pass_at_1\nq,b,2500,0,40\nq,b,2500,1,50\nq,b,2500,2,60\n"
    results = load([write("r.csv", text)])
    row = results.sweep.row(0, named=True)
    assert row["value"] == 50.0 and row["n"] == 3
    assert row["stderr"] == pytest.approx(10 / 3 ** 0.5)


def test_repeats_listed_together_or_apart_average_alike(write):
    # Seed by seed (each key's repeats apart) or key by key (together, in runs): one result.
    rows = [(knob, seed, 40 + knob // 1000 + seed * 3 + (seed == 2) * 0.5, 0.1 * seed or None)
            for seed in range(3) for knob in (1000, 2000, 3000)]
    header = "model,benchmark,kv_budget,seed,pass_at_1,stderr\n"
    text = "".join(f"q,b,{k},{s},{v},{e if e is not None else ''}\n" for k, s, v, e in rows)
    apart = load([write("apart.csv", header + text)]).sweep
    together = load([write("together.csv", header + "".join(sorted(text.splitlines(True))))]).sweep
    # (the standard deviation's last bit may depend on how polars forms the groups)
    assert_frame_equal(apart.drop("source"), together.drop("source"), check_exact=False, rel_tol=1e-12)
    assert apart["n"].to_list() == [3, 3, 3]
    assert apart["value"].to_list() == pytest.approx([44 + 1 / 6, 45 + 1 / 6, 46 + 1 / 6])
    assert apart["stderr"][0] == pytest.approx(statistics.stdev([41, 44, 47.5]) / 3 ** 0.5)


def test_a_wide_files_metrics_keep_the_files_column_order_however_repeats_are_listed(write):
    """Each source row stacks into one row per metric column, all with that row's number: the
    pooled rows list them in the file's column order, seed by seed or key by key (a group-by
    that did not keep its order gave them in a different order on each run)."""
    header = "model,benchmark,kv_budget,seed,pass_at_1,throughput_tps,acc\n"
    rows = [f"m{m},b,{k},{s},{40 + m + s},{900 - k / 10 + s},{30 + s}\n"
            for s in range(3) for m in range(4) for k in (1000, 2000, 3000)]
    apart = load([write("apart.csv", header + "".join(rows))]).sweep
    together = load([write("together.csv", header + "".join(sorted(rows)))]).sweep
    assert apart["metric"].to_list() == ["pass_at_1", "throughput_tps", "acc"] * 12
    assert_frame_equal(apart.drop("source"), together.drop("source"))


def test_runs_of_different_lengths_average_each_run_alone(write):
    """Two seeds at one budget and three at the next: no common run length, each run pooled alone."""
    from tui.core.loader import collapse

    text = ("model,benchmark,kv_budget,seed,pass_at_1\n"
            "q,b,1000,0,10\nq,b,1000,1,20\nq,b,2000,0,30\nq,b,2000,1,40\nq,b,2000,2,53\n")
    sweep = load([write("r.csv", text)]).sweep
    assert not collapse._common_run_length(pl.Series([0, 0, 1, 1, 1], dtype=pl.UInt32), pl.Series([1.0] * 5))
    assert sweep["n"].to_list() == [2, 3]
    assert sweep["value"].to_list() == pytest.approx([15.0, 41.0])
    assert sweep["stderr"].to_list() == pytest.approx([statistics.stdev([10, 20]) / 2 ** 0.5,
                                                       statistics.stdev([30, 40, 53]) / 3 ** 0.5])


def test_runs_of_one_length_pool_as_the_group_by_does(write, monkeypatch):
    """Runs that all have the same length are pooled by sums across strides, not a group-by:
    the same means, counts and standard errors, in the same order."""
    from tui.core.loader import collapse

    monkeypatch.setenv("KVSCOPE_NO_CACHE", "1")  # the second load must pool again
    sizes = []
    strided_statistics = collapse._strided_statistics
    monkeypatch.setattr(collapse, "_strided_statistics",
                        lambda values, size: sizes.append(size) or strided_statistics(values, size))
    rows = [f"m{m},b{b},{1000 + 500 * k},{s},{(m * 31 + b * 17 + k * 7 + s * s * 3) % 97 / 1.3}"
            for m in range(3) for b in range(2) for k in range(4) for s in range(4)]
    path = write("r.csv", "model,benchmark,kv_budget,seed,pass_at_1\n" + "\n".join(rows) + "\n")
    strided = load([path]).sweep
    monkeypatch.setattr(collapse, "STRIDED_MAX", 0)
    grouped = load([path]).sweep
    assert sizes == [4]  # the first load pooled by strides, the second by the group-by
    assert strided["n"].to_list() == [4] * 24
    assert_frame_equal(strided, grouped, check_exact=False, rel_tol=1e-12)


def test_provenance_a_file_lacks_is_one_value_added_after_pooling(write, monkeypatch):
    """Without how/reading/source/note/stderr columns, the rows pooled are only the file's own
    columns; the collapsed rows then get the defaults. A file that has them keeps its values."""
    from tui.core.loader import collapse

    pooled = []
    averaged_runs = collapse._averaged_runs
    monkeypatch.setattr(collapse, "_averaged_runs",
                        lambda once, *rest: pooled.append(once.columns) or averaged_runs(once, *rest))
    text = "model,benchmark,kv_budget,seed,pass_at_1\nq,b,2500,0,40\nq,b,2500,1,50\nq,b,3000,0,60\nq,b,3000,1,70\n"
    row = load([write("plain.csv", text)]).sweep.row(0, named=True)
    assert not {"how", "reading", "source", "note", "stderr"} & set(pooled[0])
    assert (row["value"], row["n"], row["how"], row["reading"], row["source"], row["note"]) \
        == (45.0, 2, "measured", "accepted", "plain.csv", "")
    assert row["stderr"] == pytest.approx(statistics.stdev([40, 50]) / 2 ** 0.5)
    text = ("model,benchmark,kv_budget,seed,pass_at_1,stderr,how,source,note,reading\n"
            "q,b,2500,0,40,1.5,estimated,paper,fig 2,accepted\nq,b,3000,0,60,,read,table,,Accepted\n")
    sweep = load([write("full.csv", text)]).sweep
    assert sweep.select("knob", "stderr", "how", "source", "note", "reading").rows() == [
        (2500.0, 1.5, "estimated", "paper", "fig 2", "accepted"), (3000.0, None, "read", "table", "", "accepted")]


@pytest.mark.parametrize("seeds, values, expected", [
    ("2,0,1", "60,40,50", (50.0, 3)),  # repeats out of order: no shortcut, still averaged
    ("0,1,1", "40,50,50", (45.0, 2)),  # an identical duplicate within the run is one row
    ("0,1,1", "40,50,55", "line 4: duplicate key q | b | 2500 | pass_at_1 has different values "
                          "(line 3 and line 4)"),
    # Missing seeds are one repeat: two of them with different values clash (and not with seed 0).
    ("0,,", "40,50,55", "line 4: duplicate key q | b | 2500 | pass_at_1 has different values "
                        "(line 3 and line 4)"),
    ("0,,1", "40,50,60", (50.0, 3)),
])
def test_repeats_in_one_run_are_checked_for_duplicates(write, seeds, values, expected):
    lines = [f"q,b,2500,{s},{v}" for s, v in zip(seeds.split(","), values.split(","))]
    path = write("r.csv", "model,benchmark,kv_budget,seed,pass_at_1\n" + "\n".join(lines) + "\nq,b,3000,0,70\n")
    if isinstance(expected, str):
        with pytest.raises(InputError, match=re.escape(expected)):
            load([path])
        return
    row = load([path]).sweep.row(0, named=True)
    assert (row["value"], row["n"]) == expected


@pytest.mark.parametrize("knob, settings, expected_n", [
    ("kv_budget", ["1000", "2000"], [3, 3]),  # whole numbers in a small span: coded by offset
    ("kv_budget", ["1000", "1000000"], [3, 3]),  # a span too wide for offsets: by distinct values
    ("compression_ratio", ["0.25", "0.5"], [3, 3]),  # not whole numbers: by distinct values
    ("compression_ratio", ["-0.0", "0.0"], [6]),  # one value, however it is written
])
def test_repeats_group_by_their_knob_and_seed_values(write, knob, settings, expected_n):
    # Three repeats of each setting (seeds -1, 3 and none; then 4, 5, 6), whatever its spelling.
    seeds = [["-1", "3", ""], ["4", "5", "6"]]
    lines = [f"q,b,{setting},{seed},{10 * i + j}" for i, setting in enumerate(settings)
             for j, seed in enumerate(seeds[i])]
    path = write("r.csv", f"model,benchmark,{knob},seed,pass_at_1\n" + "\n".join(lines) + "\n")
    sweep = load([path]).sweep.sort("knob")
    assert sweep["n"].to_list() == expected_n
    assert sweep["value"].to_list() == ([1.0, 11.0] if len(expected_n) == 2 else [6.0])



@pytest.mark.parametrize("dtype, seeds", [
    (pl.Int8, [-1, 127]),  # a span wider than Int8's positive half
    (pl.Int16, [-30000, 0, 30000]),
    (pl.UInt8, [0, 255]),
])
def test_narrow_integer_repeat_columns_pool_like_wide_ones(tmp_path, dtype, seeds):
    """Parquet keeps narrow integer types: their codes must not wrap around in that type."""
    values = [50.0 + 10 * i for i in range(len(seeds))]
    frame = pl.DataFrame({"model": "m", "benchmark": "b", "kv_budget": 2048,
                          "seed": pl.Series(seeds, dtype=dtype), "pass_at_1": values})
    frame.write_parquet(tmp_path / "narrow.parquet")
    row = load([tmp_path / "narrow.parquet"]).sweep.row(0, named=True)
    assert (row["value"], row["n"]) == (pytest.approx(sum(values) / len(values)), len(seeds))

def test_identical_duplicates_collapse(write):
    text = "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,2500,40\n"
    assert load([write("r.csv", text)]).sweep.height == 1


def test_average_rows_become_reported_aggregates(write):
    text = "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,Average,2500,41\n"
    results = load([write("r.csv", text)])
    assert results.sweep.height == 1 and results.aggregates["value"].to_list() == [41.0]


def test_folder_is_scanned_and_non_results_are_skipped(write, tmp_path):
    write("sweeps/a.csv", WIDE)
    write("sweeps/notes.md", "# not results")
    results = load([tmp_path / "sweeps"])
    assert results.models == ["qwen"]
    assert [p.name for p, _ in results.skipped] == ["notes.md"]
    assert results.origin == "1 file, 1 skipped: sweeps"


@pytest.mark.parametrize("name, text, expected", [
    ("empty.csv", "", "file is empty"),
    ("header.csv", "model,benchmark,kv_budget,pass_at_1\n", "has a header but no rows"),
    ("nomodel.csv", "model_family,notes\nb,x\n", "not a recognised result format (looked for: lm-eval"),
    ("nobudget.csv", "model,benchmark,pass_at_1\nq,b,40\n", "missing required column 'knob'"),
    ("text.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,3000,high\n",
     "line 3, column 'pass_at_1': pass_at_1 value 'high' is not a number"),
    ("neg.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,-100,40\n",
     "line 2, column 'kv_budget': budget -100 is negative"),
    ("frac.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,2500.5,41\n",
     "line 3, column 'kv_budget': budget 2500.5 is not a whole number"),
    ("dup.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,2500,41\n",
     "line 3: duplicate key q | b | 2500 | pass_at_1 has different values (line 2 and line 3)"),
    ("bin.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
    ("fake.parquet", b"PAR1 this is not really parquet", "cannot read as PARQUET"),
    ("prose.txt", "just some words\nand more words\n", "unknown format"),
    ("latin1.csv", "model,benchmark,kv_budget,pass_at_1\nq,caf\xe9,2500,40\n".encode("latin-1"), "not UTF-8 text"),
    ("obj.json", '{"a": [1, 2]}', "not a recognised result format (looked for: lm-eval results"),
    ("numbers.json", '[1, 2]', "JSON is not an array of records"),
])
def test_bad_input_names_the_file_and_the_problem(write, name, text, expected):
    path = write(name, text)
    with pytest.raises(InputError) as caught:
        load([path])
    message = str(caught.value)
    assert expected in message
    assert str(path) in message
    assert "\n" not in message


def test_unreadable_file(write):
    import os

    path = write("secret.csv", WIDE)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        with pytest.raises(InputError, match="permission denied"):
            load([path])
    finally:
        path.chmod(0o644)


def test_measurements_of_one_key_in_two_files_are_repeats(write):
    a = write("a.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,5000,50\n")
    b = write("b.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,45\n")
    rows = load([a, b]).sweep.sort("knob")
    assert rows["value"].to_list() == [42.5, 50.0] and rows["n"].to_list() == [2, 1]
    assert rows["stderr"][0] == pytest.approx(2.5)  # std 3.536 of (40, 45) / sqrt(2)
    assert "mean of 2 result files" in rows["note"][0]


def test_pooled_repeats_weigh_each_file_by_its_own_repeats(write):
    # a.csv averages three seeds itself (40, 42, 44: mean 42, n 3); b.csv is one run of 50.
    a = write("a.csv", "model,benchmark,kv_budget,seed,pass_at_1\n"
                       "q,b,2500,1,40\nq,b,2500,2,42\nq,b,2500,3,44\n")
    b = write("b.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,50\n")
    row = load([a, b]).sweep.row(0, named=True)
    runs = [40, 42, 44, 50]
    assert (row["value"], row["n"]) == (44.0, 4)
    assert row["stderr"] == pytest.approx(statistics.stdev(runs) / 2)


def test_reported_values_that_disagree_skip_the_later_file_and_say_why(write):
    a = write("a.csv", "model,benchmark,kv_budget,pass_at_1,how\nq,b,2500,40,table\nq,c,2500,30,table\n")
    b = write("b.csv", "model,benchmark,kv_budget,pass_at_1,how\nq,b,2500,45,table\n")
    c = write("c.csv", "model,benchmark,kv_budget,pass_at_1\nr,b,2500,60\n")
    results = load([a, b, c])
    assert sorted(results.models) == ["q", "r"] and results.sweep.height == 3
    assert [(p.name, why) for p, why in results.skipped] == [
        ("b.csv", ("conflicting values: q | b | 2500 | pass_at_1 is 45 here, 40 in a.csv "
                   "(values that are not measurements must agree)"))]
    assert results.warnings == (f"skipped {b}: {results.skipped[0][1]}",)
    assert results.origin.startswith("3 files, 1 skipped:")


def test_a_copied_file_is_read_once_not_as_a_repeat(write, tmp_path):
    a = write("a.csv", WIDE)
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "a.csv").write_bytes(a.read_bytes())
    results = load([tmp_path])
    assert set(results.sweep["n"].to_list()) == {1}
    assert [why for _, why in results.skipped] == [f"same content as {a} (a copy is read once)"]


def test_one_table_saved_twice_in_two_formats_is_read_once(write, tmp_path):
    csv = write("sweeps/a.csv", WIDE)
    pl.read_csv(csv).write_parquet(tmp_path / "sweeps" / "b.parquet")
    results = load([tmp_path / "sweeps"])
    assert set(results.sweep["n"].to_list()) == {1} and results.sweep.height == 4
    assert [(p.name, why) for p, why in results.skipped] == [
        ("b.parquet", f"same results as {csv} (read once, not a repeat)")]
    assert results.warnings == ()


RUNS = ("model,benchmark,kv_budget,pass_at_1,throughput_tps,status\n"
        "q,b,1000,40,500,ok\nq,b,2000,,0,OOM\nq,b,3000,0,0,failed (timeout)\nq,b,4000,50,300,completed\n")


def test_rows_whose_status_says_the_run_failed_are_left_out_with_their_lines(write, capsys):
    path = write("runs.csv", RUNS)
    results = load([path])
    assert results.sweep.filter(pl.col("metric") == "throughput_tps")["value"].to_list() == [500, 300]
    assert results.failed == ((path, "line 3: status 'OOM'"), (path, "line 4: status 'failed (timeout)'"))
    assert results.origin == "1 file, 2 failed runs: runs.csv"
    code, _, err = run(capsys, "summary", str(path))
    assert code == 0 and err == ("kvscope: 2 failed runs left out: runs.csv (line 3: status 'OOM'), "
                                 "runs.csv (line 4: status 'failed (timeout)')\n")


def test_a_bad_cell_after_a_failed_row_is_named_by_its_own_line(write):
    path = write("runs.csv", "model,benchmark,kv_budget,pass_at_1,state\n"
                             "q,b,1000,40,done\nq,b,2000,n/a,crashed\nq,b,3000,high,done\n")
    with pytest.raises(InputError, match="line 4, column 'pass_at_1': pass_at_1 value 'high' is not a"):
        load([path])


def test_a_table_of_only_failed_runs_is_a_failed_run_beside_the_files_that_load(write, tmp_path):
    path = write("runs/all_failed.csv", "model,benchmark,kv_budget,throughput_tps,status\nq,b,1000,0,error\n")
    with pytest.raises(FailedRun, match="all_failed.csv: every row's status says the run failed"):
        load([path])
    write("runs/good.csv", WIDE)
    results = load([tmp_path / "runs"])
    assert results.failed == ((path, "line 2: status 'error'"),) and results.skipped == ()


def test_a_status_column_of_readings_is_the_reading_column(write):
    results = load([write("r.csv", "model,benchmark,kv_budget,pass_at_1,status\nq,b,1000,40,accepted\n"
                                   "q,b,1000,45,rejected\n")])
    assert results.sweep["value"].to_list() == [40] and results.all_readings.height == 2


def test_text_columns_about_a_run_never_block_loading(write):
    path = write("t.csv", "model,benchmark,kv_budget,pass_at_1,notes,comment,tags,host,run_id\n"
                          'q,b,1000,40,first,x,"a,b",gpu1,7\nq,b,2000,45,,y,,gpu2,8\n')
    results = load([path])
    assert results.models == ["q"] and results.dims == ()
    rows = results.sweep.select("knob", "metric", "value").rows()
    assert rows == [(1000, "pass_at_1", 40), (2000, "pass_at_1", 45)]
    assert results.sweep["note"].to_list() == ["first", ""]


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        load([tmp_path / "nope.csv"])


def test_a_million_row_sweep_loads_and_averages_repeats(tmp_path):
    # 100 models x 20 benchmarks x 50 budgets x 5 seeds x 2 metrics, built with polars.
    n = 100 * 20 * 50 * 5
    frame = pl.DataFrame({"i": pl.int_range(0, n, eager=True)}).select(
        model=pl.format("m{}", pl.col("i") // 5000), benchmark=pl.format("b{}", (pl.col("i") // 250) % 20),
        kv_budget=1000 + ((pl.col("i") // 5) % 50) * 100, seed=pl.col("i") % 5,
        pass_at_1=(pl.col("i") % 5).cast(pl.Float64) * 10, throughput_tps=pl.lit(500.0))
    path = tmp_path / "big.parquet"
    frame.write_parquet(path)
    results = load([path])
    assert results.sweep.height == 100 * 20 * 50 * 2
    assert set(results.sweep.filter(pl.col("metric") == "pass_at_1")["value"].unique().to_list()) == {20.0}
    assert results.sweep["n"].unique().to_list() == [5]


def test_permission_denied_is_one_line_even_as_root(write, monkeypatch):
    # CI runs as root, who can read a chmod-000 file, so simulate the refusal at open().
    import builtins

    path = write("locked.csv", WIDE)
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    with pytest.raises(InputError, match=r"locked.csv: permission denied"):
        load([path])


def test_a_file_without_model_or_benchmark_is_one_model_on_one_task(write):
    results = load([write("ablation.csv", "kv_budget,pass_at_1\n2500,40\n3000,45\n")])
    assert results.models == ["ablation"] and results.benchmarks() == ["(one task)"]
    assert "no model column" in results.sweep["note"][0]


def test_hive_partitioned_parquet_names_roles_in_folders(tmp_path):
    """model=.../kv_budget=.../part-0.parquet: the folders give the model and the budget."""
    for budget in (2500, 3000):
        for model in ("qa", "qb"):
            folder = tmp_path / "ds" / f"model={model}" / f"kv_budget={budget}" / "shard=0"
            folder.mkdir(parents=True)
            pl.DataFrame({"benchmark": ["x"], "pass_at_1": [budget / 100 + (model == "qb")]}).write_parquet(
                folder / "part-0.parquet")
    results = load([tmp_path / "ds"])
    assert results.models == ["qa", "qb"]
    assert results.origin == "4 files: ds"
    table = results.sweep.filter(pl.col("model") == "qb").sort("knob")
    assert table["knob"].to_list() == [2500.0, 3000.0] and table["value"].to_list() == [26.0, 31.0]
    assert "shard" not in results.sweep.columns  # not a role: left alone


def test_role_options_apply_to_a_scaling_file(tmp_path):
    path = tmp_path / "scaling.csv"
    path.write_text("checkpoint,family,activated_params_b,mathvision_pass_at_1\nA-7B,A,7,30\nA-70B,A,70,45\n")
    results = load([path], LoadOptions(model_col="checkpoint"))
    assert results.scaling["model"].to_list() == ["A-7B", "A-70B"]
    assert results.scaling["score"].to_list() == [30.0, 45.0]


def test_files_of_one_size_are_read_whole_only_when_their_edges_agree(tmp_path, monkeypatch):
    """Per-budget sweeps often share a size: telling them apart must not read each one whole."""
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text("model,benchmark,kv_budget,pass_at_1\nM,AIME24,2500,40\n")
    b.write_text("model,benchmark,kv_budget,pass_at_1\nM,AIME24,3000,41\n")
    assert a.stat().st_size == b.stat().st_size
    read_whole = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read_whole.append(self) or original(self))
    results = load([tmp_path])
    assert read_whole == [] and results.skipped == () and len(results.sweep) == 2


def test_hive_values_are_percent_decoded_as_in_a_bucket(tmp_path):
    """Hive writers encode a value's spaces and slashes; a local copy of a bucket reads alike."""
    folder = tmp_path / "model=Org%2FModel%20A" / "kv_budget=2500"
    folder.mkdir(parents=True)
    pl.DataFrame({"benchmark": ["x"], "pass_at_1": [40.0]}).write_parquet(folder / "part-0.parquet")
    assert load([tmp_path]).sweep["model"].unique().to_list() == ["Org/Model A"]


RARE_PROBLEMS = {
    "kv_budget": ([1000, 2000, None, 4000], 3, "kv_budget is missing"),
    "model": (["m", "m", "", "m"], 3, "model is empty"),
    "benchmark": (["b", None, "b", "b"], 2, "benchmark is empty"),
    "metric": (["pass_at_1", "pass_at_1", "pass_at_1", None], 4, "metric is empty"),
}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
@pytest.mark.parametrize("column", list(RARE_PROBLEMS))
def test_a_missing_budget_or_name_names_its_first_row(tmp_path, fmt, column):
    """Missing budgets and names are counted in the check pass and their row found only then: the
    error still names the first one, in a Parquet file (whole-number budgets: no NaN to flag) and
    a CSV file."""
    cells, row, problem = RARE_PROBLEMS[column]
    frame = pl.DataFrame({"model": ["m"] * 4, "benchmark": ["b"] * 4, "kv_budget": [1000, 2000, 3000, 4000],
                          "metric": ["pass_at_1"] * 4, "value": [1.0, 2.0, 3.0, 4.0], column: cells})
    path = tmp_path / f"sweep.{fmt}"
    frame.write_parquet(path) if fmt == "parquet" else frame.write_csv(path)
    where = f"row {row}" if fmt == "parquet" else f"line {row + 1}"
    with pytest.raises(InputError) as exc:
        load([path])
    assert str(exc.value) == f"{path}, {where}, column '{column}': {problem}"
