"""How the app uses the terminal: the chart keeps a 10-row plot at every size from 60x16 up (the
sidebar folds, tables go beside the chart or behind focus), notes and tables grow on big terminals,
one bright cursor (the focused widget's), a footer with the keys that open views, and help with
kvscope's keys first and none of a text box's editing keys."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from helpers import drive, press, screen_text
from tui.app.layout import CHART_MIN_WIDTH, CHART_ROWS, PLOT_ROWS
from tui.app.screens.help import HelpScreen
from tui.app.selection import SCALING, Sweep
from tui.app.widgets.chart import ChartView
from tui.app.widgets.notes import NotesView
from tui.app.widgets.scaling_view import ScalingTable
from tui.app.widgets.sidebar import StudyTree
from tui.app.widgets.sweep_view import SweepTable
from tui.core.schema import AVG


@pytest.fixture(autouse=True)
def plain_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


def cursor_style(widget, component: str):
    return widget.get_component_rich_style(component, partial=True)


def bright(style) -> bool:
    return bool(style.bold)


def dimmed(widget, component: str) -> bool:
    """The cursor's text is fainter than the widget's own text, and not bold."""
    style = cursor_style(widget, component)
    return not style.bold and style.color is not None and style.color != widget.rich_style.color


def test_only_the_focused_widgets_cursor_is_bright(bundled):
    async def check(app, pilot):
        tree, table = app.screen.query_one(StudyTree), app.screen.query_one(SweepTable)
        assert app.focused is tree
        tree_on, table_off = cursor_style(tree, "tree--cursor"), cursor_style(table, "line-table--cursor")
        assert bright(tree_on) and dimmed(table, "line-table--cursor")
        assert table_off.bgcolor != tree_on.bgcolor
        await pilot.press("tab")
        assert app.focused is table
        tree_off, table_on = cursor_style(tree, "tree--cursor"), cursor_style(table, "line-table--cursor")
        assert bright(table_on) and dimmed(tree, "tree--cursor")
        assert (table_on.bgcolor, tree_off.bgcolor) == (tree_on.bgcolor, table_off.bgcolor)
        await pilot.press("s")  # the scaling table (a DataTable) has focus; the tree's cursor is dim
        points = app.screen.query_one(ScalingTable)
        assert app.focused is points
        assert bright(cursor_style(points, "datatable--cursor"))
        assert dimmed(tree, "tree--cursor")
        await pilot.press("shift+tab")
        assert app.focused is tree and dimmed(points, "datatable--cursor")

    drive(bundled, [], check, size=(120, 40))


def test_without_colour_the_focused_cursor_is_reversed_and_the_others_underlined(bundled, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def check(app, pilot):
        tree, table = app.screen.query_one(StudyTree), app.screen.query_one(SweepTable)
        assert cursor_style(tree, "tree--cursor").reverse
        off = cursor_style(table, "line-table--cursor")
        assert off.underline and not off.reverse
        await pilot.press("tab")
        assert cursor_style(table, "line-table--cursor").reverse
        assert cursor_style(tree, "tree--cursor").underline and not cursor_style(tree, "tree--cursor").reverse

    drive(bundled, [], check, size=(120, 40))


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


@pytest.mark.parametrize("size", [(60, 16), (80, 24), (120, 40)])
def test_footer_shows_the_keys_that_open_views(bundled, size):
    async def check(app, pilot):
        line = footer(app)
        for key in ("⏎ Open", "s Scaling", "c Compare", "b Budgets", "? Help"):
            assert key in line, (size, line)
        await pilot.press("tab")  # on the table: enter opens nothing there, the others stay
        line = footer(app)
        for key in ("s Scaling", "c Compare", "b Budgets", "? Help"):
            assert key in line, (size, line)

    drive(bundled, [], check, size=size)


def test_help_lists_kvscope_keys_first_and_no_text_box_keys(bundled):
    async def check(app, pilot):
        app.screen.query_one("#filter", Input).focus()  # the filter box on screen: its keys could be listed
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for _ in range(6):
            await pilot.press("pagedown")
            text += screen_text(app)
        assert "Clear filter" in text  # kvscope's own key on the filter box
        for textual_only in ("Delete character", "Move cursor", "Select all", "Delete to end"):
            assert textual_only not in text
        lines = text.splitlines()
        first = lambda word: next(i for i, line in enumerate(lines) if word in line)  # noqa: E731
        assert first("Explorer") < first("Sidebar") < first("Everywhere")
        assert first("Export") < first("Focus next")  # the screen's own keys before Textual's
        assert first("Quit") < first("Palette")
        assert "Escape" not in text or first("Back") < first("Everywhere")

    drive(bundled, ["slash", "type:ll"], check, size=(100, 40))


# -- the chart keeps its room at every size ----------------------------------------------------

SIZES = [(60, 16), (80, 24), (120, 40), (200, 60)]
VIEWS = {
    "sweep": lambda app: app.show_view(Sweep("R1-Llama", "AMC23")),
    "average": lambda app: app.show_view(Sweep("R1-Qwen", AVG)),
    "compare-models": lambda app: app.show_compare(Sweep("R1-Qwen", "GPQA-D"), Sweep("R1-Llama", "GPQA-D")),
    "compare-benchmarks": lambda app: app.show_compare(Sweep("R1-Llama", "AIME24"),
                                                       Sweep("R1-Llama", "AIME25")),
    "scaling": lambda app: app.screen.action_scaling(),  # as `s`: the scaling table takes the focus
}


def plot_rows(chart: ChartView) -> int:
    """Rows inside the chart's frame (between its ┌ and └ lines), as drawn on screen."""
    lines = chart.text.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return bottom - top - 1


def shown_chart(app) -> ChartView:
    return next(chart for chart in app.screen.query(ChartView) if chart.region.height)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("view", VIEWS)
def test_the_chart_keeps_its_rows(bundled, view, size):
    async def check(app, pilot):
        VIEWS[view](app)
        await pilot.pause()
        if view in ("sweep", "average"):
            await pilot.press("t")  # the table focused: a folded sidebar goes away
            if size[0] < 80:
                app.screen.set_focus(None)  # and on a narrow terminal the table shows only while focused
        await pilot.pause()
        chart = shown_chart(app)
        if size[1] > 16:
            assert plot_rows(chart) >= PLOT_ROWS, (view, size, chart.region)
            assert chart.region.height >= CHART_ROWS
        else:  # every row but the footer's: the header folds too
            assert chart.region.height == size[1] - 1, (view, size, chart.region)
        assert chart.region.width >= min(size[0] - 2, CHART_MIN_WIDTH)

    drive(bundled, [], check, size=size)


def test_the_sidebar_folds_on_small_terminals_and_t_brings_it_back(bundled):
    async def check(app, pilot):
        sidebar, tree = app.screen.query_one("#sidebar"), app.screen.query_one(StudyTree)
        assert app.focused is tree and sidebar.region.width > 0  # folded, but open while focused
        await pilot.press("tab")
        assert sidebar.region.width == 0  # the table has the focus: the sidebar gives its room
        assert "t Sidebar" in footer(app)
        await pilot.press("t")
        assert app.focused is tree and sidebar.region.width > 0
        await pilot.press("t")
        assert app.focused is app.screen.query_one(SweepTable) and sidebar.region.width == 0

    drive(bundled, [], check, size=(80, 24))


def test_the_sidebar_stays_on_large_terminals_unless_hidden(bundled):
    async def check(app, pilot):
        sidebar = app.screen.query_one("#sidebar")
        await pilot.press("tab")
        assert sidebar.region.width == 32
        await pilot.press("t")
        assert sidebar.region.width == 0

    drive(bundled, [], check, size=(120, 40))


def test_notes_and_tables_grow_with_the_terminal(bundled):
    async def check(app, pilot):
        notes = app.screen.query_one(NotesView)
        assert notes.region.height > 6
        assert "more lines" not in screen_text(app)  # every note shows
        app.show_view(SCALING)
        await pilot.pause()
        table = app.screen.query_one(ScalingTable)
        assert table.region.height == table.row_count + 1  # every point, no scrolling

    drive(bundled, ["down", "down", "enter"], check, size=(200, 60))


def test_a_short_sweep_puts_its_table_beside_the_chart(bundled):
    async def check(app, pilot):
        table, chart = app.screen.query_one(SweepTable), app.screen.query_one("#sweep-chart", ChartView)
        assert table.region.right <= chart.region.x  # side by side
        assert table.region.height == table.row_count + 1
        assert chart.region.height == 22

    drive(bundled, ["down", "down", "enter", "tab"], check, size=(80, 24))


def test_too_narrow_beside_the_table_the_chart_makes_way_while_the_table_has_focus(bundled):
    async def check(app, pilot):
        table, chart = app.screen.query_one(SweepTable), app.screen.query_one("#sweep-chart", ChartView)
        assert table.has_focus and not chart.display  # never a chart too narrow to tell bars apart
        assert "79.0" in screen_text(app) and "86.5" in screen_text(app)  # R1-Llama AMC23
        await press(pilot, "shift+tab")  # back to the sidebar: the chart returns, full size
        assert chart.display and chart.region.width >= CHART_MIN_WIDTH - 10
        assert chart.region.height == app.size.height - 1  # every row but the footer

    drive(bundled, ["down", "down", "enter", "tab"], check, size=(60, 16))


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (100, 30), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_first_sweep_is_arranged_for_the_room_it_gets(bundled, size, monkeypatch):
    """Before the first layout the sweep view works out its room from the sidebar's styles (a
    folded sidebar shows while it has focus, as at start): the first frame is laid out as the
    final one, not beside a chart that is then moved."""
    from tui.app.widgets.sweep_view import SweepView

    rooms = []
    real = SweepView._arrange
    monkeypatch.setattr(SweepView, "_arrange", lambda self: rooms.append(self._room()) or real(self))

    async def check(app, pilot):
        view = app.screen.query_one(SweepView)
        assert rooms[0] == (view.size.width, view.size.height)

    drive(bundled, [], check, size=size)
