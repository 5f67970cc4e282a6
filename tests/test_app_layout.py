"""How the app uses the terminal: one bright cursor (the focused widget's), a footer with the
keys that open views, help with kvscope's keys first and none of a text box's editing keys."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from helpers import drive, screen_text
from tui.app.screens.help import HelpScreen
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
        app.screen.query_one("#filter", Input).focus()  # the filter box is on screen: its keys could be listed
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for scroll in range(6):
            await pilot.press("pagedown")
            text += screen_text(app)
        assert "Clear filter" in text  # kvscope's own key on the filter box
        for textual_only in ("Delete character", "Move cursor", "Select all", "Delete to end"):
            assert textual_only not in text
        lines = text.splitlines()
        first = lambda word: next(i for i, line in enumerate(lines) if word in line)  # noqa: E731
        assert first("Explorer") < first("Sidebar") < first("Everywhere")
        assert "Escape" not in text or first("Back") < first("Everywhere")

    drive(bundled, ["slash", "type:ll"], check, size=(100, 40))
