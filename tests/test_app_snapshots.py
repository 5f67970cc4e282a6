"""Snapshots of the main views (pytest-textual-snapshot): the picture a user gets, pinned.

Deterministic by construction: keys are pressed in `run_before`, the insights worker is waited
for, the header has no clock, NO_COLOR is set or unset explicitly, and plotext is told the size
of the virtual terminal. Update after an intended change with `pytest --snapshot-update`.
"""

from __future__ import annotations

import pytest

from helpers import press
from tui.app.main import make_app


@pytest.fixture(autouse=True)
def fixed_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


def keys(*presses: str):
    """A run_before that presses keys (a 'type:' entry types its text), then waits for workers."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await press(pilot, *presses)

    return run_before


# Every view, reached by keys from launch, at the size many SSH users have and at a roomier one.
VIEWS = {
    "sweep": ("down", "down", "enter", "tab", "j"),
    "average": ("down", "down", "down", "down", "down", "down", "enter"),
    "compare_models": ("slash", "type:qwen gpqa", "enter", "c", "slash", "type:llama gpqa", "enter", "c"),
    "compare_benchmarks": ("slash", "type:qwen aime24", "enter", "c", "slash", "type:qwen aime25", "enter",
                           "c"),
    "compare_budgets": ("b",),
    "scaling": ("s", "j"),
    "advised": ("a", "type:700", "enter", "tab"),
    "constraints": ("a",),
    "help": ("question_mark",),
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", list(VIEWS))
def test_view(snap_compare, bundled, view, size):
    assert snap_compare(make_app(bundled), terminal_size=size, run_before=keys(*VIEWS[view]))


def test_sweep_200x60(snap_compare, bundled):
    assert snap_compare(make_app(bundled), terminal_size=(200, 60), run_before=keys("down", "down", "enter"))


def test_sweep_no_color_80x24(snap_compare, bundled, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(bundled), terminal_size=(80, 24), run_before=keys("down", "down", "enter"))


def test_sweep_60x16(snap_compare, bundled):
    assert snap_compare(make_app(bundled), terminal_size=(60, 16), run_before=keys("down", "down", "enter", "tab"))


def test_too_small(snap_compare, bundled):
    assert snap_compare(make_app(bundled), terminal_size=(50, 14), run_before=keys())
