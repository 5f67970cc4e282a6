"""Copy (`y` cell, `Y` row, ctrl+y the view as TSV)."""

from __future__ import annotations

import pytest

from helpers import drive
from tui.app.keys import key_rows
from tui.app.screens.budgets import BudgetTable
from tui.app.textual_compat import FooterKey
from tui.app.widgets.sweep_view import SweepTable

LLAMA_AMC23 = ["down", "down", "enter", "tab"]  # the sidebar's R1-Llama, AMC23; tab to its table


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_y_Y_and_ctrl_y_copy_cell_row_and_view_as_shown(bundled):
    async def check(app, pilot):
        assert isinstance(app.focused, SweepTable)
        await pilot.press("l", "y")  # Pass@1 at 2500
        assert app.clipboard == "79.0"
        assert notes(app)[-1] == "Copied 79.0 (R1-Llama | AMC23, 2500, Pass@1)"
        await pilot.press("l", "y")  # throughput, read off a chart: the mark is copied too
        assert app.clipboard == "600~"
        await pilot.press("j", "Y")
        assert app.clipboard == "KV budget\tPass@1\tTPS\n3000\t86.5\t570~\n"
        assert notes(app)[-1] == "Copied row 3000 (3 values, TSV with its header line)"
        await pilot.press("ctrl+y")
        lines = app.clipboard.splitlines()
        assert lines[0] == "kv_budget\tpass_at_1\tpass_at_1_how\tthroughput_tps\tthroughput_tps_how"
        assert lines[2] == "3000\t86.5\tchart-label\t570.0\tchart-reading" and len(lines) == 7
        assert notes(app)[-1] == "Copied the view as TSV (6 rows x 5 columns)"

    drive(bundled, LLAMA_AMC23, check)


def test_y_copies_from_the_budget_table_and_nothing_off_a_table(bundled):
    async def check(app, pilot):
        table = app.screen.query_one(BudgetTable)
        table.focus()
        rows = [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]
        qwen_gpqa = next(i for i, row in enumerate(rows) if row[:2] == ["R1-Qwen", "GPQA-D"])
        table.move_cursor(row=qwen_gpqa, column=2)
        await pilot.press("y")
        assert (app.clipboard, notes(app)[-1]) == ("44.6", "Copied 44.6 (R1-Qwen, Pass@1 2500)")
        await pilot.press("Y")
        header, row = app.clipboard.splitlines()
        assert header.split("\t")[:3] == ["Model", "Benchmark", "Pass@1 2500"]
        assert row.split("\t") == ["R1-Qwen", "GPQA-D", "44.6", "48.2", "▲ +3.6", "780~", "680~", "▼ −100"]

    drive(bundled, ["b"], check)

    async def sidebar(app, pilot):  # the sidebar has the focus at start: no cell to copy
        await pilot.press("y")
        assert app.clipboard == "" and notes(app)[-1].startswith("Nothing to copy here")

    drive(bundled, [], sidebar)


def test_help_and_footer_list_the_copy_keys(bundled):
    async def check(app, pilot):
        table_keys = {row.action: row.keys for row in key_rows(app.screen.query_one(SweepTable))}
        assert table_keys["copy_cell"] == ("y",) and table_keys["copy_row"] == ("Y",)
        assert ("ctrl+y",) in [row.keys for row in key_rows(app.screen) if row.action == "copy_view"]
        assert "copy_cell" in [key.action for key in app.screen.query(FooterKey)]

    drive(bundled, LLAMA_AMC23, check)
