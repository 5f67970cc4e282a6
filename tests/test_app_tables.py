"""Every table (sweep, scaling, budgets, compare) sorts by the cursor's column: `[` ascending,
`]` descending (text too), blanks last either way, with ▲/▼ in the sorted column's header. The
scaling table has a computed Pass@1 per billion activated parameters column, the same numbers
`kvscope scaling` prints."""

from __future__ import annotations

import pytest

from helpers import drive, press, run, screen_text
from tui.app.screens.budgets import BudgetScreen
from tui.app.selection import Sweep
from tui.app.widgets.scaling_view import ScalingTable, ScalingView
from tui.app.widgets.sorting import sort_key
from tui.app.widgets.sweep_view import SweepTable
from tui.core.views import scaling_points


@pytest.fixture(autouse=True)
def plain_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


CELLS = ["b", "10", "-", "2~", "A", "", "1,000*", "▼ \u22126.7"]


def ordered(descending: bool) -> list[str]:
    return sorted(CELLS, key=sort_key(descending), reverse=descending)


def test_sort_key_orders_numbers_then_text_then_blanks_both_ways():
    assert ordered(False) == ["▼ \u22126.7", "2~", "10", "1,000*", "A", "b", "-", ""]
    assert ordered(True) == ["1,000*", "10", "2~", "▼ \u22126.7", "b", "A", "-", ""]


def header_line(app, label: str) -> str:
    return next(line for line in screen_text(app).splitlines() if label in line)


def test_sweep_table_sorts_by_the_cursor_column_with_an_arrow(bundled):
    """R1-Llama | AMC23 by Pass@1 descending: 87.0 (4000, 4500, 5000) first, 79.0 last."""

    async def check(app, pilot):
        table = app.screen.query_one(SweepTable)
        header = header_line(app, "Pass@1")
        assert "▲ Pass@1" not in header and "▼ Pass@1" not in header
        await pilot.press("l", "right_square_bracket")
        keys = [table.get_row_key(i) for i in range(table.row_count)]
        assert keys == ["4000", "4500", "5000", "3000", "3500", "2500"]
        assert "▼ Pass@1" in header_line(app, "Pass@1")
        assert table.cursor_key == "2500"  # the cursor stays on its row
        await pilot.press("left_square_bracket")
        assert [table.get_row_key(i) for i in range(table.row_count)][0] == "2500"
        assert "▲ Pass@1" in header_line(app, "Pass@1")

    drive(bundled, ["down", "down", "enter", "tab"], check)


def test_scaling_table_sorts_text_descending_and_by_pass1_per_b(bundled):
    async def check(app, pilot):
        view = app.screen.query_one(ScalingView)
        table = view.query_one(ScalingTable)
        await pilot.press("right_square_bracket")  # the Model column, z to a
        models = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        assert models == sorted(models, key=str.lower, reverse=True)
        assert "Model ▼" in header_line(app, "Family")
        await pilot.press(*["l"] * 4, "right_square_bracket")  # Pass@1/B, largest first
        first = table.get_row_at(0)
        assert (first[0].plain, first[4].plain) == ("Kimi-VL-A3B-Thinking-2506", "17.78")
        assert "▼ Pass@1/B" in header_line(app, "Family") and "Model ▼" not in header_line(app, "Family")
        assert view.selected == view.points["model"][int(table.coordinate_to_cell_key(
            table.cursor_coordinate).row_key.value)]

    drive(bundled, ["s"], check, size=(120, 40))


def test_budget_table_keeps_its_sort_when_a_budget_changes(bundled):
    async def check(app, pilot):
        screen = app.screen
        assert isinstance(screen, BudgetScreen)
        table = screen.query_one("#budgets-table")
        table.focus()
        await pilot.press("l", "l", "l", "l", "left_square_bracket")  # the Δ Pass@1 column, smallest first
        deltas = lambda: [table.get_row_at(i)[4].plain for i in range(table.row_count)]  # noqa: E731
        values = [float(d.split()[-1]) for d in deltas() if d.split()[-1] not in ("-", "")]
        assert values == sorted(values)
        assert "▲" in header_line(app, "Model")
        screen.query_one("#budget-a").focus()
        await press(pilot, "l")  # budget A 2500 -> 3000: refilled, still sorted, still marked
        values = [float(d.split()[-1]) for d in deltas() if d.split()[-1] not in ("-", "")]
        assert screen.a == 3000 and values == sorted(values)
        assert "▲" in header_line(app, "Model")

    drive(bundled, ["b"], check, size=(120, 40))


def test_compare_table_sorts_by_its_delta_and_keeps_the_sort_on_swap(bundled):
    """R1-Qwen vs R1-Llama on GPQA-D: Δ Pass@1 largest first is -0.9 (3000), smallest -6.7 (2500)."""

    async def check(app, pilot):
        table = app.screen.query_one("#compare-table")
        await pilot.press("l", "l", "l", "right_square_bracket")
        deltas = lambda: [table.get_row_at(i)[3].plain for i in range(table.row_count)]  # noqa: E731
        assert deltas()[0] == "▼ \u22120.9" and deltas()[-1] == "▼ \u22126.7"
        assert "▼ Δ" in screen_text(app)
        await pilot.press("x")  # sides swapped: the deltas turn around, the order by Δ stays descending
        assert deltas()[0] == "▲ +6.7" and deltas()[-1] == "▲ +0.9"

    async def start(app, pilot):
        app.show_compare(Sweep("R1-Qwen", "GPQA-D"), Sweep("R1-Llama", "GPQA-D"))
        await pilot.pause()
        await check(app, pilot)

    drive(bundled, [], start, size=(120, 40))


def test_pass1_per_billion_parameters_in_core_and_cli(bundled, capsys):
    points = scaling_points(bundled)
    row = points.filter(points["model"] == "Gemma-3-4B-IT").row(0, named=True)
    assert row["score_per_b"] == pytest.approx(25.0 / 4.4)
    assert row["score_per_b_how"] == "chart-reading"  # its Pass@1 was read off a chart
    code, out, _ = run(capsys, "scaling", "--width", "100")
    assert code == 0 and "Pass@1 per B params" in out
    table = out[out.index("Pass@1 per B params"):]
    line = next(line for line in table.splitlines() if "Gemma-3-4B-IT" in line)
    assert line.rstrip(" │").endswith("5.68~")
