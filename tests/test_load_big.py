"""Big table files: a CSV from one_file.SCAN_BYTES on is scanned and converted in one streaming
query; its results, and its errors, are those of reading it whole."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tui.core.errors import InputError
from tui.core.loader import load, one_file

ROWS = 40_000  # ~1.4 MB: past SCAN_BYTES


def big_csv(changes: dict[int, str] | None = None, tail: str = "") -> str:
    """A tidy-ish wide sweep: 4 models x 2 benchmarks x 1000 budgets x 5 seeds; fractions, so they
    are shown as %. `changes` replaces whole data lines (0 = the first row)."""
    lines = ["model,benchmark,kv_budget,seed,pass_at_1,throughput_tps"]
    for i in range(ROWS):
        lines.append(f"model-{i // 10_000},bench-{(i // 5_000) % 2},{1000 + (i // 5) % 1000},{i % 5},"
                     f"{(i * 7919) % 1000 / 1000},{900 - (i // 5) % 1000 * 0.5 + i % 5}")
    for index, line in (changes or {}).items():
        lines[index + 1] = line
    return "\n".join(lines) + "\n" + tail


def whole_read(monkeypatch) -> None:
    monkeypatch.setattr(one_file, "SCAN_BYTES", 1 << 40)


def loaded_by_scan(monkeypatch, path: Path):
    """load() of `path`, failing if the file is read whole instead of scanned."""
    def not_read_whole(*args, **kwargs):
        raise AssertionError("read whole")
    with monkeypatch.context() as patch:
        patch.setattr(one_file, "read_raw", not_read_whole)
        return load([path])


@pytest.mark.parametrize("name, separator", [("big.csv", ","), ("big.tsv", "\t")])
def test_a_big_csv_is_scanned_and_gives_the_results_of_a_whole_read(write, monkeypatch, name, separator):
    path = write(name, big_csv().replace(",", separator))
    assert path.stat().st_size > one_file.SCAN_BYTES
    scanned = loaded_by_scan(monkeypatch, path)
    whole_read(monkeypatch)
    whole = load([path])
    assert scanned.all_readings.equals(whole.all_readings)
    assert scanned.sweep.height == 4 * 2 * 1000 * 2  # seeds pooled, two metrics
    first = scanned.sweep.filter((pl.col("model") == "model-0") & (pl.col("benchmark") == "bench-0")
                                 & (pl.col("knob") == 1000) & (pl.col("metric") == "pass_at_1")).row(0, named=True)
    assert first["n"] == 5 and first["value"] == pytest.approx(sum(i * 7919 % 1000 for i in range(5)) / 50)


NAMES = ['"Qwen, 7B"', " padded ", "Ünïcode-模型", '"say ""hi"""']


def tidy_csv_with_awkward_names(model_cell: dict[int, str] | None = None) -> str:
    """A big tidy sweep whose names need CSV quoting, stripping or many bytes, with provenance
    columns; `model_cell` replaces the model cell of a data line."""
    lines = ["model,benchmark,kv_budget,seed,metric,value,how,source,note"]
    for i in range(ROWS // 2):
        model = (model_cell or {}).get(i, NAMES[i * len(NAMES) // (ROWS // 2)])
        for metric, value in (("pass_at_1", (i * 7919) % 1000 / 10), ("throughput_tps", 900 - i % 997)):
            lines.append(f"{model},bench-{(i // 5) % 2},{1000 + (i // 10) % 1000},{i % 5},{metric},{value},"
                         f"measured,run {i % 3}.json,")
    return "\n".join(lines) + "\n"


def test_a_big_csvs_names_are_read_as_categories_and_equal_a_whole_reads(write, monkeypatch):
    """The scan parses name columns straight into categories (no text column cast afterwards):
    quoted, padded and multi-byte names come out as from a whole read."""
    path = write("awkward.csv", tidy_csv_with_awkward_names())
    assert path.stat().st_size > one_file.SCAN_BYTES
    asked = []
    scan_csv = pl.scan_csv
    monkeypatch.setattr(pl, "scan_csv", lambda *a, **k: asked.append(k.get("schema")) or scan_csv(*a, **k))
    scanned = loaded_by_scan(monkeypatch, path)
    categories = {name for schema in asked if schema for name, dtype in schema.items() if dtype == pl.Categorical}
    assert categories == {"model", "benchmark", "metric", "how", "source", "note"}
    whole_read(monkeypatch)
    whole = load([path])
    assert scanned.all_readings.equals(whole.all_readings)
    assert scanned.models == ["Qwen, 7B", "padded", 'say "hi"', "Ünïcode-模型"]
    assert set(scanned.sweep["source"].unique()) == {"run 0.json", "run 1.json", "run 2.json"}


def test_a_big_csvs_empty_name_is_named_as_by_a_whole_read(write, monkeypatch):
    path = write("awkward.csv", tidy_csv_with_awkward_names({15_000: ""}))
    with pytest.raises(InputError) as scanned:
        load([path])
    whole_read(monkeypatch)
    with pytest.raises(InputError) as whole:
        load([path])
    assert str(scanned.value) == str(whole.value) and "line 30002" in str(scanned.value)


@pytest.mark.parametrize("changes, tail, message", [
    # A text cell past the rows the column types are inferred from: the scan fails, the whole read names it.
    ({25_000: "model-2,bench-1,1000,0,oops,10"}, "", "line 25002, column 'pass_at_1': pass_at_1 value 'oops'"),
    ({20_000: "model-2,bench-0,-5,0,0.5,10"}, "", "line 20002, column 'kv_budget': budget -5 is negative"),
    ({}, "model-9,bench-0", "the last line is incomplete"),
])
def test_a_big_csvs_errors_are_those_of_a_whole_read(write, monkeypatch, changes, tail, message):
    path = write("big.csv", big_csv(changes, tail))
    with pytest.raises(InputError) as scanned:
        load([path])
    whole_read(monkeypatch)
    with pytest.raises(InputError) as whole:
        load([path])
    assert str(scanned.value) == str(whole.value)
    assert message in str(scanned.value)


def test_a_big_csv_with_a_status_column_is_read_whole(write, monkeypatch):
    text = big_csv().replace("throughput_tps\n", "throughput_tps,status\n", 1).replace("\n", ",ok\n")
    text = text.replace("status,ok\n", "status\n", 1)
    path = write("big.csv", text)
    with pytest.raises(AssertionError, match="read whole"):
        loaded_by_scan(monkeypatch, path)
    assert load([path]).sweep.height == 4 * 2 * 1000 * 2


def big_parquet(path: Path) -> Path:
    """The big CSV's rows as Parquet: past STREAM_ROWS once repeated 3 times (as more models)."""
    frame = pl.read_csv(big_csv().encode())
    frame = pl.concat([frame.with_columns(pl.col("model") + f"-{i}") for i in range(3)])
    assert frame.height >= one_file.STREAM_ROWS
    frame.write_parquet(path)
    return path


def test_a_big_parquet_file_is_converted_streaming_with_the_same_results(tmp_path, monkeypatch):
    path = big_parquet(tmp_path / "big.parquet")
    streamed = load([path])
    monkeypatch.setattr(one_file, "STREAM_ROWS", 1 << 60)
    assert streamed.all_readings.equals(load([path]).all_readings)
    assert streamed.sweep.height == 3 * 4 * 2 * 1000 * 2


def test_a_damaged_parquet_page_is_named_as_when_read_in_memory(tmp_path, monkeypatch):
    path = big_parquet(tmp_path / "big.parquet")
    data = bytearray(path.read_bytes())
    middle = len(data) // 3
    data[middle:middle + 2000] = bytes(2000)  # the footer (schema, row count) is intact
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as streamed:
        load([path])
    monkeypatch.setattr(one_file, "STREAM_ROWS", 1 << 60)
    with pytest.raises(InputError) as in_memory:
        load([path])
    assert str(streamed.value) == str(in_memory.value)
    assert "cannot read as PARQUET" in str(streamed.value)
