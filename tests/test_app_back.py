"""Escape (or backspace) goes back to the previous view, like a browser's back button: after
opening sweeps from the sidebar, after jumps through the command palette, from the scaling study,
from a comparison; escape first undoes what it undid before (the filter, the compare mark)."""

from __future__ import annotations

import pytest

from helpers import drive, press
from tui.app.screens.budgets import BudgetScreen
from tui.app.screens.compare import CompareScreen
from tui.app.screens.explorer import ExplorerScreen
from tui.app.selection import SCALING, Sweep


@pytest.fixture(autouse=True)
def plain_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


def test_escape_leaves_the_scaling_study_for_the_sweep_before(bundled):
    async def check(app, pilot):
        assert app.screen.view == SCALING
        await pilot.press("escape")
        assert app.screen.view == Sweep("R1-Llama", "AMC23")
        await pilot.press("escape")  # the first view, opened at launch
        assert app.screen.view == Sweep("R1-Llama", "AIME24")

    drive(bundled, ["down", "down", "enter", "s"], check)


def test_back_retraces_palette_jumps_across_screens(bundled):
    """Palette: a pair, then budgets, then a comparison; backspace and escape walk back through them."""

    async def check(app, pilot):
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, BudgetScreen)
        await pilot.press("backspace")
        assert isinstance(app.screen, ExplorerScreen)
        assert app.screen.view == Sweep("R1-Llama", "AMC23")
        await pilot.press("escape")
        assert app.screen.view == Sweep("R1-Llama", "AIME24")
        assert app.history == []

    drive(bundled, ["ctrl+p", "type:llama amc23", "enter", "ctrl+p", "type:compare budgets", "enter",
                    "ctrl+p", "type:compare qwen llama gpqa", "enter"], check)


def test_escape_clears_the_filter_then_goes_back(bundled):
    async def check(app, pilot):
        screen = app.screen
        assert screen.view == Sweep("R1-Qwen", "AMC23")
        screen.query_one("#tree").focus()
        await press(pilot, "slash", "type:gpqa", "enter")  # narrows and opens R1-Llama | GPQA-D
        assert screen.view == Sweep("R1-Llama", "GPQA-D")
        screen.query_one("#tree").focus()
        await pilot.press("c")  # marks it for comparison
        assert screen.left == Sweep("R1-Llama", "GPQA-D")
        await pilot.press("escape")  # the filter goes first
        assert screen.query_one("#filter").value == "" and screen.left == Sweep("R1-Llama", "GPQA-D")
        await pilot.press("escape")  # then the compare mark
        assert screen.left is None and screen.view == Sweep("R1-Llama", "GPQA-D")
        await pilot.press("escape")
        assert screen.view == Sweep("R1-Qwen", "AMC23")

    drive(bundled, ["ctrl+p", "type:qwen amc23", "enter"], check)
