"""How the app uses the terminal: one bright cursor, the focused widget's."""

from __future__ import annotations

import pytest

from helpers import drive
from tui.app.widgets.scaling_view import ScalingTable
from tui.app.widgets.sidebar import StudyTree
from tui.app.widgets.sweep_view import SweepTable


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
