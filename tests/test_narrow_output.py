"""Issue 12 item 9: printed tables on a pipe are 80 columns wide and stay readable.

On the bundled data, the shared real results (long model names, many leaderboard_* and ruler/*
benchmarks) and a real kvpress sweep of three presses whose names differ only in the middle
(tests/real_files/output/, see SOURCES.md): no line over 80 cells, every number whole, and
every header and name shown in full, so distinct labels stay distinct.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from helpers import run
from tui.render.fit import fit_table, wrapped
from tui.render.tables import subtask_label

KVPRESS = Path(__file__).parent / "real_files" / "output" / "kvpress__fax4ever_kvpress-vllm-tests"
REAL = Path(__file__).parents[1].parent / "shared" / "real_results"
real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real result files not found at {REAL}")
PRESSES = ("filtering_stale_keydiff", "filtering_zerofill_keydiff", "uniform_filtering_keydiff")


@pytest.fixture(autouse=True)
def piped(monkeypatch):
    """Output to a pipe with no COLUMNS: rich prints 80 columns wide."""
    monkeypatch.delenv("COLUMNS", raising=False)


def printed(capsys, *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 0, err
    too_wide = [line for line in out.splitlines() if cell_len(line) > 80]
    assert not too_wide, too_wide[:3]
    assert "…" not in out
    return out


def _joined(fragments: list[str]) -> str:
    """Lines of one wrapped cell back into one string, compared without spaces (`squeezed`): a line
    may break at a space, after _ / - =, or inside a word too long for the column."""
    return squeezed("".join(fragments))


def squeezed(text: str) -> str:
    return text.replace(" ", "")


def boxed_tables(out: str, row_starts: int = 0) -> list[dict[str, list[str]]]:
    """Every box-drawn table in `out` as {header: cells}. A row wrapped over several lines is one
    row: a new row starts where column `row_starts` is not blank."""
    tables, lines = [], out.splitlines()
    for start, line in enumerate(lines):
        if not line.startswith("┏"):
            continue
        end = next(i for i in range(start, len(lines)) if lines[i].startswith("┡"))
        stop = next(i for i in range(end, len(lines)) if lines[i].startswith("└"))
        split = [[c.strip() for c in row[1:-1].split(sep)] for row, sep in
                 [(r, "┃") for r in lines[start + 1:end]]]
        headers = [_joined([row[i] for row in split]) for i in range(len(split[0]))]
        body: list[list[list[str]]] = []
        for row in lines[end + 1:stop]:
            if row.startswith("├"):
                continue
            cells = [c.strip() for c in row[1:-1].split("│")]
            if cells[row_starts] or not body:
                body.append([[c] for c in cells])
            else:
                for column, cell in zip(body[-1], cells):
                    column.append(cell)
        tables.append({h: [_joined(cell) for cell in (r[i] for r in body)] for i, h in enumerate(headers)})
    return tables


def merged(tables: list[dict[str, list[str]]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for table in tables:
        out.update(table)
    return out


WHOLE_NUMBER = re.compile(r"^(-|[+−-]?\d[\d,]*(\.\d+)?[~*]?)$")


def value(cell: str) -> float:
    assert WHOLE_NUMBER.match(cell), f"not a whole number: {cell!r}"
    return float(cell.rstrip("~*").replace(",", ""))


def test_bundled_table_four_benchmarks_two_metrics_fits_80_columns(capsys):
    parts = boxed_tables(printed(capsys, "table", "-m", "llama"))
    assert len(parts) == 2 and all("KVbudget" in part for part in parts)
    # a benchmark's two columns stay together
    for bench in ("AIME24", "AIME25", "AMC23", "GPQA-D", "Average"):
        assert any(f"{bench}Pass@1" in part and f"{bench}TPS" in part for part in parts)
    columns = merged(parts)
    expected = ["KV budget"] + [f"{b} {m}" for b in ("AIME24", "AIME25", "AMC23", "GPQA-D", "Average")
                                for m in ("Pass@1", "TPS")]
    assert sorted(columns) == sorted(squeezed(e) for e in expected)
    _, data, _ = run(capsys, "table", "-m", "llama", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(data)))
    for cells in columns.values():
        assert all(WHOLE_NUMBER.match(c) for c in cells), cells
    aime24 = [round(float(r["AIME24:pass_at_1"]), 1) for r in rows]
    assert [value(c) for c in columns["AIME24Pass@1"]] == aime24
    assert [value(c) for c in columns["GPQA-DTPS"]] == [float(r["GPQA-D:throughput_tps"]) for r in rows]


def test_kvpress_sweep_of_13_tasks_prints_on_its_side_with_whole_numbers(capsys):
    out = printed(capsys, "table", str(KVPRESS), "-m", "zerofill")
    tables = boxed_tables(out)
    assert len(tables) == 1  # one table in long form, not three parts of squeezed columns
    table = tables[0]
    labels = table.pop("compression_ratio")
    assert list(table) == ["0.25", "0.5", "0.75"]
    assert len(labels) == len(set(labels)) == 13 + 2  # 13 tasks, the ruler group and the average
    for ratio, knob in zip(("0.25", "0.50", "0.75"), table):
        scores = json.loads((KVPRESS / f"ruler__4096__Qwen--Qwen3-8B__filtering_zerofill_keydiff__{ratio}" /
                             "metrics.json").read_text())
        for task, score in scores.items():
            row = labels.index(f"ruler/{task}string_match")
            assert value(table[knob][row]) == round(score["string_match"], 1)


@real
def test_one_model_with_40_tasks_prints_on_its_side(capsys):
    out = printed(capsys, "table", str(REAL), "-m", "R1-Llama")
    tables = boxed_tables(out)
    assert len(tables) == 1
    labels = tables[0].pop("knob")
    _, data, _ = run(capsys, "table", str(REAL), "-m", "R1-Llama", "-f", "csv")
    header = data.splitlines()[0].split(",")
    shown = [c for c in header[1:] if not c.endswith("_how")]
    assert len(labels) == len(set(labels)) == len(shown)
    assert "leaderboard_bbh_logical_deduction_seven_objectsacc_norm" in labels
    assert all(WHOLE_NUMBER.match(c) and c != "-" for c in tables[0]["-"])


def test_presses_differing_in_the_middle_keep_distinct_headers(capsys):
    out = printed(capsys, "compare", "stale", "zerofill", str(KVPRESS), "-b", "ruler/qa_2")
    headers = set(merged(boxed_tables(out)))
    for press in PRESSES[:2]:
        assert squeezed(f"Qwen3-8B · press={press} string_match") in headers


def test_summary_names_every_benchmark_in_full(capsys):
    out = printed(capsys, "summary", str(KVPRESS))
    table = boxed_tables(out, row_starts=3)[0]
    models = [m for m in table["Model"] if m]
    assert models == [squeezed(f"Qwen3-8B · press={p}") for p in PRESSES]
    _, data, _ = run(capsys, "summary", str(KVPRESS), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(data)))
    # A subtask is shown under its group without the group's name in front (ruler/cwe -> cwe).
    assert table["Benchmark"] == [subtask_label(r["benchmark"], r["parent"]).replace("avg", "Average")
                                  for r in rows]
    assert table["Benchmark"][:3] == ["ruler", "cwe", "fwe"]
    assert [value(c) for c in table["Best"]] == [round(float(r["best_value"]), 1) for r in rows]


@real
def test_real_results_summary_names_are_whole(capsys):
    out = printed(capsys, "summary", str(REAL))
    table = boxed_tables(out, row_starts=3)[0]
    benches = [b for b in table["Benchmark"]]
    metrics = json.loads(next((REAL / "kv_sweeps").rglob("metrics.json")).read_text())
    ruler = [b for b in benches if b in metrics]
    assert len(ruler) == 13 and len(set(ruler)) == 13  # never nine identical `ruler/nia…`
    assert benches[benches.index("ruler") + 1:][:13] == ruler  # folded under their group
    assert squeezed("Qwen3-8B · press=filtering_stale_keydiff") in table["Model"]
    assert all(WHOLE_NUMBER.match(c) for c in table["Best"])


COMMANDS = [("summary",), ("table", "-m", "llama"), ("readings",), ("advise",), ("frontier",), ("check",),
            ("insights",), ("scaling",), ("compare", "R1-Qwen", "R1-Llama"), ("compare", "2500", "5000"),
            ("returns", "-m", "llama")]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_every_printing_command_fits_80_columns_on_the_bundled_data(capsys, args):
    printed(capsys, *args)


@pytest.mark.parametrize("args", [("readings",), ("advise",), ("frontier", "-b", "ruler/qa_1"), ("insights",),
                                  ("compare", "0.25", "0.75"), ("returns", "-m", "stale", "-b", "ruler/vt")],
                         ids=lambda a: " ".join(a))
def test_printing_commands_fit_80_columns_on_the_kvpress_sweep(capsys, args):
    printed(capsys, *args, str(KVPRESS))


def test_a_wide_terminal_keeps_one_table(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    _, out, _ = run(capsys, "table", "-m", "llama")
    assert out.count("┏") == 1 and "part" not in out


def test_wrapping_a_name_keeps_every_character():
    name = "Qwen/Qwen3-8B · press=filtering_zerofill_keydiff"
    lines = wrapped(Text(name, style="bold"), 16).plain.split("\n")
    assert all(cell_len(line) <= 16 for line in lines)
    assert _joined(lines) == squeezed(name) and lines[0] == "Qwen/Qwen3-8B ·"


def test_a_table_that_fits_is_left_as_it_is():
    table = Table("Model", "Pass@1")
    table.add_row("R1-Qwen", "52.0")
    assert fit_table(table, 80) == [table]


def test_a_wide_character_name_folds_by_cells():
    name = "评测模型名称非常长的一个模型"
    lines = wrapped(name, 7).plain.split("\n")
    assert all(cell_len(line) <= 7 for line in lines) and "".join(lines) == name


def test_an_indented_name_keeps_its_indent_on_every_line():
    lines = wrapped("  leaderboard_bbh_logical_deduction_seven_objects", 20).plain.split("\n")
    assert lines[0] == "  leaderboard_bbh_" and all(line.startswith("  ") for line in lines)
    assert "".join(line.strip() for line in lines) == "leaderboard_bbh_logical_deduction_seven_objects"
