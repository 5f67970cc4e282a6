"""Copy (`y` cell, `Y` row, ctrl+y the view as TSV) and `e` writing the chart as .svg or .txt."""

from __future__ import annotations

import html
import re

import pytest
from rich.text import Text
from textual.app import App

from helpers import drive, drive_app, press
from tui.app.keys import key_rows
from tui.app.screens.budgets import BudgetTable
from tui.app.screens.export import ExportScreen
from tui.app.textual_compat import FooterKey
from tui.app.widgets.line_table import LineTable
from tui.app.widgets.sweep_view import SweepTable, SweepView

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

    async def chart_only(app, pilot):  # compare's chart alone (`v`): no table has the focus
        await pilot.press("y")
        assert app.clipboard == "" and notes(app)[-1].startswith("Nothing to copy here")

    drive(bundled, ["enter", "c", "down", "enter", "c", "v"], chart_only)


def test_an_empty_table_says_so():
    class OneTable(App):
        def compose(self):
            yield LineTable()

    async def check(app, pilot):
        app.query_one(LineTable).focus()
        await pilot.press("y", "Y")
        assert app.clipboard == "" and notes(app) == ["Nothing to copy: the table is empty."] * 2

    drive_app(OneTable(), [], check)


def test_help_and_footer_list_the_copy_keys(bundled):
    async def check(app, pilot):
        table_keys = {row.action: row.keys for row in key_rows(app.screen.query_one(SweepTable))}
        assert table_keys["copy_cell"] == ("y",) and table_keys["copy_row"] == ("Y",)
        assert ("ctrl+y",) in [row.keys for row in key_rows(app.screen) if row.action == "copy_view"]
        # At 120 columns the footer has room for it; on narrow ones it gives way before Back.
        assert "copy_cell" in [key.action for key in app.screen.query(FooterKey)]

    drive(bundled, LLAMA_AMC23, check, size=(120, 40))


def chart_lines(app, width: int, height: int) -> list[str]:
    """The open sweep's chart text as the widget draws it at width x height."""
    figure = app.screen.query_one(SweepView).chart.draw(width, height, True)
    return [line.rstrip() for line in Text.from_ansi(figure).plain.splitlines()]


def svg_rows(svg: str) -> list[str]:
    """The characters of an SVG written by rich's `export_svg`, one string per terminal row: each
    run of text placed at its column (runs of blanks have no text element, only a background)."""
    runs = re.findall(r'<text [^>]*x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)" '
                      r'clip-path="url\(#[^)]*-line-\d+\)">([^<]*)</text>', svg)
    cell = min(float(length) / len(html.unescape(text)) for _, _, length, text in runs if text)
    rows: dict[float, list[str]] = {}
    for x, y, _, text in runs:
        row = rows.setdefault(float(y), [])
        column = round(float(x) / cell)
        row.extend(" " * (column - len(row)))
        row[column:column + len(text)] = html.unescape(text).replace("\xa0", " ")
    return ["".join(rows[y]).rstrip() for y in sorted(rows)]


def test_e_writes_the_chart_as_text_and_svg_at_the_size_asked(bundled, tmp_path):
    async def check(app, pilot):
        chart = app.screen.query_one(SweepView).chart
        on_screen = [line.rstrip() for line in chart.text.splitlines()]
        # The default size is the chart's on screen: the file is the picture shown.
        assert (tmp_path / "shown.txt").read_text().splitlines() == on_screen
        assert notes(app)[0] == f"wrote shown.txt (chart, {chart.content_size.width}x{len(on_screen)} cells)"
        await press(pilot, "e", "ctrl+u", "type:big.svg", "tab", "ctrl+u", "type:70x20", "enter")
        rows = svg_rows((tmp_path / "big.svg").read_text())
        assert rows == chart_lines(app, 70, 20) and len(rows) == 20 and max(map(len, rows)) == 70
        assert "R1-Llama | AMC23" in rows[0] and all(tick in rows[-3] for tick in ("2500", "3500", "5000"))
        assert notes(app)[-1] == "wrote big.svg (chart, 70x20 cells)"
        await press(pilot, "e", "ctrl+u", "type:big.txt", "tab", "ctrl+u", "type:70x20", "enter")
        assert (tmp_path / "big.txt").read_text().splitlines() == chart_lines(app, 70, 20)

    drive(bundled, [*LLAMA_AMC23, "e", "ctrl+u", "type:shown.txt", "enter"], check)


def test_bad_size_and_existing_file_are_refused(bundled, tmp_path):
    (tmp_path / "mine.svg").write_text("precious\n")

    async def check(app, pilot):
        error = app.screen.query_one("#export-error")
        assert isinstance(app.screen, ExportScreen)
        assert "chart size 70by20: give WIDTHxHEIGHT" in str(error.content)
        assert not (tmp_path / "x.svg").exists()
        await press(pilot, "ctrl+u", "type:9x20", "enter")  # too narrow for axes
        assert "chart size 9x20" in str(error.content) and not (tmp_path / "x.svg").exists()
        await press(pilot, "ctrl+u", "type:70x20", "shift+tab", "ctrl+u", "type:mine.svg", "enter")
        assert "mine.svg exists" in str(error.content)
        assert (tmp_path / "mine.svg").read_text() == "precious\n" and notes(app) == []

    drive(bundled, [*LLAMA_AMC23, "e", "ctrl+u", "type:x.svg", "tab", "ctrl+u", "type:70by20", "enter"],
          check)


def test_compare_and_scaling_charts_export_budgets_has_no_chart(bundled, tmp_path):
    async def scaling(app, pilot):
        assert "MathVision Pass@1 vs activated parameters" in (tmp_path / "s.txt").read_text()

    drive(bundled, ["s", "e", "ctrl+u", "type:s.txt", "enter"], scaling)

    async def compare(app, pilot):
        assert "R1-Llama | AIME24 vs AIME25" in (tmp_path / "c.txt").read_text()
        assert notes(app)[-1].startswith("wrote c.txt (chart")

    drive(bundled, ["enter", "c", "down", "enter", "c", "e", "ctrl+u", "type:c.txt", "enter"], compare)

    async def budgets(app, pilot):
        assert "unknown extension .svg" in str(app.screen.query_one("#export-error").content)
        assert not app.screen.query("#export-size")

    drive(bundled, ["b", "e", "ctrl+u", "type:b.svg", "enter"], budgets)
