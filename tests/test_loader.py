"""The loader: every format, both shapes, aliases, repeats, and one clear error per bad input."""

from __future__ import annotations

import json

import polars as pl
import pytest

from tui.core.errors import InputError
from tui.core.loader import load

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
    text = "model\tdataset\tkv_budget\tmetric\tvalue\nR1-Qwen\tAMC23\t3500\tpass1\t90.5\nR1-Qwen\tAMC23\t3500\ttps\t750\n"
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
    ("nomodel.csv", "model_family,notes\nb,x\n", "missing required column 'knob'"),
    ("nobudget.csv", "model,benchmark,pass_at_1\nq,b,40\n", "missing required column 'knob'"),
    ("text.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,3000,high\n", "line 3, column 'pass_at_1': pass_at_1 value 'high' is not a number"),
    ("neg.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,-100,40\n", "line 2, column 'kv_budget': budget -100 is negative"),
    ("frac.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,2500.5,41\n", "line 3, column 'kv_budget': budget 2500.5 is not a whole number"),
    ("dup.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,2500,41\n", "line 3: duplicate key q | b | 2500 | pass_at_1 has different values (line 2 and line 3)"),
    ("bin.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
    ("fake.parquet", b"PAR1 this is not really parquet", "cannot read as PARQUET"),
    ("prose.txt", "just some words\nand more words\n", "unknown format"),
    ("latin1.csv", "model,benchmark,kv_budget,pass_at_1\nq,caf\xe9,2500,40\n".encode("latin-1"), "not UTF-8 text"),
    ("obj.json", '{"a": [1, 2]}', "JSON is not an array of records"),
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


def test_conflicting_values_across_files_name_both_files(write):
    a = write("a.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\n")
    b = write("b.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,45\n")
    with pytest.raises(InputError, match="has different values in .*a.csv and .*b.csv"):
        load([a, b])


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
