"""The parsed copies of table files (tui.core.loader.cache): used when the file is unchanged,
never when it changed, and never in the way of loading."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from helpers import run
from tui.core.loader import LoadOptions, load, one_file
from tui.core.loader import cache as cache_module
from tui.core.loader import results as results_module

WIDE = ("model,benchmark,kv_budget,pass_at_1,throughput_tps,status\n"
        "q,b,1000,40.5,500,ok\nq,b,2000,41.5,400,OOM\nq,b,3000,42.5,300,ok\n")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    """The cache turned on (conftest turns it off for every other test), in a folder of its own."""
    monkeypatch.delenv("KVSCOPE_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "kvscope"


def pass1(results, knob: float) -> float:
    rows = results.sweep.filter((pl.col("metric") == "pass_at_1") & (pl.col("knob") == knob))
    return rows["value"].max()


def test_a_second_load_reads_the_parsed_copy_with_the_same_results(cache, write, capsys):
    path = write("runs.csv", WIDE)
    first = load([path])
    assert first.cached == () and len(list(cache.glob("*.arrow"))) == 1
    second = load([path])
    assert second.cached == (path,)
    assert second.all_readings.equals(first.all_readings)
    assert second.failed == first.failed == ((path, "line 3: status 'OOM'"),)
    code, out, err = run(capsys, "summary", "--verbose", str(path))
    assert code == 0 and f"kvscope: read from cache: {path}\n" in err and "42.5" in out
    code, _, err = run(capsys, "summary", str(path))
    assert "read from cache" not in err


def test_parquet_is_kept_too_and_the_bundled_data(cache, write, tmp_path):
    path = tmp_path / "runs.parquet"
    pl.read_csv(write("runs.csv", WIDE)).write_parquet(path)
    assert load([path]).cached == ()
    assert load([path]).cached == (path,)
    load()
    assert len(load().cached) == 3


# 6,000 rows (~145 KB): the one 42.5 is on a row beyond the first 64 KB and before the last 64 KB.
LONG = WIDE.split("\n", 1)[0] + "\n" + "".join(
    f"q,b{b},{k},{42.5 if (b, k) == (150, 3000) else 40.5},500,ok\n"
    for b in range(300) for k in range(1000, 21000, 1000))


@pytest.mark.parametrize("text", [WIDE, LONG], ids=["small", "changed-between-head-and-tail"])
def test_a_file_changed_in_place_with_its_size_and_mtime_kept_is_parsed_again(cache, write, text):
    path = write("runs.csv", text)
    assert 64 * 1024 < text.index("42.5") < len(text) - 64 * 1024 or text == WIDE
    assert pass1(load([path]), 3000) == 42.5
    before = os.stat(path)
    path.write_text(text.replace("42.5", "47.5"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    changed = load([path])
    assert changed.cached == () and pass1(changed, 3000) == 47.5
    again = load([path])
    assert again.cached == (path,) and pass1(again, 3000) == 47.5
    assert len(list(cache.glob("*.arrow"))) == 1  # the old copy was replaced, not kept beside


def test_other_load_options_have_copies_of_their_own(cache, write):
    path = write("runs.csv", WIDE.replace("model,", "llm_name,"))
    options = LoadOptions(model_col="llm_name")
    assert load([path], options).cached == ()
    assert load([path], options).cached == (path,)
    assert load([path], LoadOptions(model_col="llm_name", benchmark_col="benchmark")).cached == ()


@pytest.mark.parametrize("damage", [b"", b"not arrow at all", None])
def test_a_damaged_copy_is_ignored_and_replaced(cache, write, damage):
    path = write("runs.csv", WIDE)
    expected = load([path]).all_readings
    (data,) = cache.glob("*.arrow")
    data.write_bytes(data.read_bytes()[:200] if damage is None else damage)
    results = load([path])
    assert results.cached == () and results.all_readings.equals(expected)
    assert load([path]).cached == (path,)


def test_a_damaged_entry_description_is_ignored(cache, write):
    path = write("runs.csv", WIDE)
    load([path])
    (meta,) = cache.glob("*.json")
    meta.write_text('{"key": 1', encoding="utf-8")
    assert pass1(load([path]), 3000) == 42.5


def test_a_cache_folder_that_cannot_be_made_never_blocks_loading(write, tmp_path, monkeypatch):
    monkeypatch.delenv("KVSCOPE_NO_CACHE", raising=False)
    blocker = write("xdg", "a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = write("runs.csv", WIDE)
    assert pass1(load([path]), 3000) == 42.5
    assert load([path]).cached == ()


def test_a_read_only_cache_folder_never_blocks_loading(cache, write, monkeypatch):
    def read_only(*args, **kwargs):
        raise PermissionError(13, "Read-only file system")

    path = write("runs.csv", WIDE)
    load([path])
    monkeypatch.setattr(cache_module.tempfile, "mkstemp", read_only)
    path.write_text(WIDE.replace("42.5", "47.5"), encoding="utf-8")
    assert pass1(load([path]), 3000) == 47.5
    assert load([path]).cached == ()


def test_a_full_disk_leaves_no_half_written_copy(cache, write, monkeypatch):
    def disk_full(self, file, **kwargs):
        file.write(b"ARROW1")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_ipc", disk_full)
    path = write("runs.csv", WIDE)
    assert pass1(load([path]), 3000) == 42.5
    assert list(cache.iterdir()) == []


def test_kvscope_no_cache_turns_it_off(cache, write, monkeypatch):
    monkeypatch.setenv("KVSCOPE_NO_CACHE", "1")
    path = write("runs.csv", WIDE)
    load([path])
    assert load([path]).cached == () and not cache.exists()


REAL = Path(__file__).parent / "real_files"


@pytest.mark.parametrize("name", [
    "loading/lm-eval__csabakecskemeti_lm_eval_results/results_2025-01-26T22-29-00.931915.json",
    "importers/opencompass__rishabhshah13_quantization-workbench/8-bit/summary_20240324_085416.csv",
])
def test_files_a_tools_importer_reads_are_not_kept(cache, name):
    files = [REAL / name]
    load(files)
    assert load(files).cached == () and not list(cache.glob("*.arrow"))


def test_old_entries_beyond_the_limit_are_dropped(cache, write, monkeypatch):
    monkeypatch.setattr(cache_module, "MAX_ENTRIES", 2)
    paths = [write(f"runs{i}.csv", WIDE) for i in range(3)]
    for path in paths:
        load([path])
    assert len(list(cache.glob("*.json"))) == 2 and len(list(cache.glob("*.arrow"))) == 2
    assert load([paths[0]]).cached == () and load([paths[2]]).cached == (paths[2],)


def test_a_copy_holds_fractions_already_as_percent(cache, write, monkeypatch):
    path = write("r.csv", WIDE.replace("40.5", "0.405").replace("41.5", "0.415").replace("42.5", "0.425"))
    assert pass1(load([path]), 1000) == 40.5
    # A hit converts nothing: the copy holds what the conversion made.
    def no_conversion(frame):
        raise AssertionError("converted again")
    monkeypatch.setattr(one_file, "to_percent", no_conversion, raising=False)
    monkeypatch.setattr(results_module, "to_percent", no_conversion)
    again = load([path])
    assert again.cached == (path,) and pass1(again, 1000) == 40.5 and pass1(again, 3000) == 42.5


def test_columns_with_one_value_are_described_not_copied(cache, write):
    """A column that holds one value on every row (the file's source, its notes) is kept in the
    entry's description and given back on reading: the copy holds only the columns that vary, and
    the results are the same, types and column order included."""
    path = write("runs.csv", WIDE)
    first = load([path])
    (copy,) = cache.glob("*.arrow")
    held = pl.read_ipc(copy).columns
    assert {"knob", "metric", "value"} <= set(held)  # one model here: it is described too
    assert not {"source", "note", "how"} & set(held)
    second = load([path])
    assert second.cached == (path,)
    assert second.all_readings.equals(first.all_readings)
    assert second.all_readings.schema == first.all_readings.schema
