"""Every registered binding, fired on every screen, raises nothing.

The plan comes from the same live bindings the help screen lists (tui.app.keys), so a binding
added anywhere is fired here without editing this file. Each binding is pressed with its widget
focused when that widget can take focus, else run as an action on it. A key that leaves the
screen (back, help, the palette) is followed by a fresh trip to the screen under test.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.widget import Widget

from helpers import post_key
from tui.app.keys import bound_nodes, key_rows
from tui.app.main import make_app
from tui.app.selection import SCALING, Sweep

# Keys that end the app: fired on their own, by test_quit_keys.
QUIT_ACTIONS = {"quit", "app.quit"}


def _not_app(node) -> bool:
    return node is not node.app


def _in_scaling(node) -> bool:
    return any(type(a).__name__ == "ScalingView" for a in getattr(node, "ancestors_with_self", []))


# name -> (how to get there, which nodes to fire). The app's own keys are the same on every
# screen, so they are fired once, on the explorer. The scaling table is hidden while a sweep is
# open, so its keys get their own run with the scaling study open.
SETUPS = {
    "explorer-sweep": (lambda app: app.show_view(Sweep("R1-Llama", "AMC23")), lambda node: not _in_scaling(node)),
    "explorer-scaling": (lambda app: app.show_view(SCALING), _in_scaling),
    "compare": (lambda app: app.show_compare(Sweep("R1-Qwen", "GPQA-D"), Sweep("R1-Llama", "GPQA-D")), _not_app),
    "budgets": (lambda app: app.show_budgets(), _not_app),
    "help": (lambda app: app.action_help(), _not_app),
}


@pytest.fixture(autouse=True)
def big_virtual_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


def _selector(node) -> str:
    if node is node.app:
        return "app"
    if node is node.screen:
        return "screen"
    return f"#{node.id}" if node.id else type(node).__name__


def _find(screen, selector: str):
    if selector == "app":
        return screen.app
    if selector == "screen":
        return screen
    return screen.query(selector).first()


async def _fire_all(app, pilot, setup, which) -> int:
    setup(app)
    await pilot.pause()
    screen = app.screen
    plan = [(_selector(node), row.action, key)
            for node in bound_nodes(screen) if which(node)
            for row in key_rows(node) for key in row.keys if row.action not in QUIT_ACTIONS]
    for selector, action, key in plan:
        if app.screen is not screen:
            app.show_view(Sweep("R1-Llama", "AMC23"))  # back to the explorer, then to the screen again
            await pilot.pause()
            setup(app)
            await pilot.pause()
            screen = app.screen
        node = _find(screen, selector)
        if isinstance(node, Widget) and node.focusable:
            if app.focused is not node:
                node.focus()
            post_key(app, key)  # then one wait for idle, where Pilot.press waits twice
            await pilot.pause()
        else:
            await app.run_action(action, node)
            await pilot.pause()
        assert app.is_running, f"{key} ({action}) on {selector} stopped the app"
    return len(plan)


@pytest.mark.parametrize("name", SETUPS)
def test_every_binding_on_every_screen(bundled, name):
    async def run():
        app = make_app(bundled)
        app.animation_level = "none"  # scrolling keys would otherwise wait for each animation
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            fired = await _fire_all(app, pilot, *SETUPS[name])
            assert fired > 5
        # run_test re-raises anything a handler raised, so reaching here means nothing did.

    asyncio.run(run())


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
def test_quit_keys(bundled, key):
    async def run():
        app = make_app(bundled)
        async with app.run_test() as pilot:
            await pilot.pause()
            await pilot.press(key)
            assert not app.is_running

    asyncio.run(run())
