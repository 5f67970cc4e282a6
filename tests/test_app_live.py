"""The app's data lifecycle: a load still running when it starts, a load that fails, and --watch
(rewritten, truncated and deleted files) — each asserted on what the screen shows."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from concurrent.futures import Future

import pytest
from textual.widget import Widget

import tui.app.app as app_module
from helpers import drive
from tui.app.main import make_app
from tui.app.screens.explorer import ExplorerScreen
from tui.app.screens.loading import LoadingScreen
from tui.app.widgets.sweep_view import SweepTable, SweepView
from tui.core.errors import InputError
from tui.core.loader import load

GOOD = "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,3000,45\n"


@pytest.fixture(autouse=True)
def fast_polling(monkeypatch):
    monkeypatch.setattr(app_module, "WATCH_SECONDS", 0.05)
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


def rewrite(path, text):
    """Write and move the mtime on, so even a same-size rewrite within one clock tick is seen."""
    path.write_text(text)
    later = time.time() + 5 + rewrite.calls
    rewrite.calls += 1
    os.utime(path, (later, later))


rewrite.calls = 0


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def until(pilot, condition, seconds=5.0):
    """Let the app run until `condition()` holds (the poll runs in a thread)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the app never got there"
        await pilot.pause(0.05)


def test_loading_screen_then_the_data(bundled):
    release = threading.Event()
    future: Future = Future()

    def finish():
        release.wait(5)
        future.set_result(bundled)

    async def journey():
        app = make_app(future, loading="sweep.csv")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, LoadingScreen)
            assert "Loading sweep.csv" in str(app.screen.query_one("#loading-what").content)
            assert app.sub_title == "loading sweep.csv"
            release.set()
            await until(pilot, lambda: isinstance(app.screen, ExplorerScreen))
            await pilot.pause()
            assert app.sub_title == "bundled data"
            assert app.screen.query_one(SweepTable).get_cell("2500", "pass_at_1").plain == "40.0"

    threading.Thread(target=finish).start()
    asyncio.run(journey())


def test_an_app_made_over_a_load_opens_on_the_data_that_arrived_before_it_ran(bundled):
    """What `kvscope FILE` does: the app is made over the running load and its CSS parsed while the
    load finishes; data there before it runs opens the explorer straight away, with no loading
    screen, styled as an app made over the data."""
    future: Future = Future()
    app = make_app(future, loading="sweep.csv")
    app.parse_css()
    assert app.sub_title == "loading sweep.csv"
    future.set_result(bundled)
    app.open_on(future.result())

    async def journey():
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ExplorerScreen) and app.sub_title == "bundled data"
            table = app.screen.query_one(SweepTable)
            assert table.get_cell("2500", "pass_at_1").plain == "40.0"
            return table.styles.background, app.screen.query_one(SweepView).styles.height

    made_ahead = asyncio.run(journey())
    app = make_app(bundled)

    async def plain():
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            return app.screen.query_one(SweepTable).styles.background, \
                app.screen.query_one(SweepView).styles.height

    assert made_ahead == asyncio.run(plain())


def test_a_failed_load_ends_the_app_with_its_message():
    future: Future = Future()
    future.set_exception(InputError("bad.csv: line 3: pass_at_1 'x' is not a number"))

    async def journey():
        app = make_app(future)
        async with app.run_test() as pilot:
            await pilot.pause()
        return app

    app = asyncio.run(journey())
    assert app.return_code == 2
    assert app.return_value == "bad.csv: line 3: pass_at_1 'x' is not a number"


def test_watch_reloads_keeps_the_last_good_data_and_says_so(write):
    path = write("r.csv", GOOD)

    async def check(app, pilot):
        table = lambda: app.screen.query_one(SweepTable)  # noqa: E731 (rebuilt on reload)
        assert table().get_cell("3000", "pass_at_1").plain == "45.0"

        rewrite(path, GOOD.replace("45", "47") + "q,b,3500,50\n")
        await until(pilot, lambda: any("reloaded r.csv" in m for m in messages(app)))
        await pilot.pause()
        assert table().get_cell("3000", "pass_at_1").plain == "47.0"
        assert table().get_cell("3500", "pass_at_1").plain == "50.0"
        assert any("1 value added" in m and "1 value changed" in m for m in messages(app))

        rewrite(path, GOOD + "q,b,35")  # half-written last line
        await until(pilot, lambda: any("kept the last good data" in m for m in messages(app)))
        assert table().get_cell("3500", "pass_at_1").plain == "50.0"

        rewrite(path, "")  # truncated
        await until(pilot, lambda: any("file is empty" in m for m in messages(app)))
        assert table().get_cell("3000", "pass_at_1").plain == "47.0"

        path.unlink()
        await until(pilot, lambda: any("was deleted" in m for m in messages(app)))
        assert table().get_cell("3000", "pass_at_1").plain == "47.0"
        assert isinstance(app.screen, ExplorerScreen)

    drive(load([path]), [], check, size=(100, 30), watch=[path])


def test_reload_keeps_the_open_view(write):
    path = write("r.csv", GOOD.replace("q,b,3000,45\n", "q,b,3000,45\nq,c,2500,10\n"))

    async def check(app, pilot):
        await pilot.press("down", "enter")  # q | c
        assert app.screen.view.benchmark == "c"
        rewrite(path, GOOD.replace("q,b,3000,45\n", "q,b,3000,45\nq,c,2500,12\n"))
        await until(pilot, lambda: any("reloaded" in m for m in messages(app)))
        await pilot.pause()
        assert app.screen.view.benchmark == "c"
        assert app.screen.query_one(SweepTable).get_cell("2500", "pass_at_1").plain == "12.0"

    drive(load([path]), [], check, size=(100, 30), watch=[path])


@pytest.mark.parametrize("keys, screen", [(["c", "down", "c"], "compare"), (["b"], "budgets")])
def test_reload_refreshes_a_comparison_on_show(write, keys, screen):
    """A comparison or the budgets screen open when the files change shows the new numbers, as
    the explorer does: never the old data under a "Reloaded" notice."""
    from tui.app.screens.budgets import BudgetScreen
    from tui.app.screens.compare import CompareScreen

    two = "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,3000,45\nq,c,2500,30\nq,c,3000,35\n"
    path = write("r.csv", two)
    kind = {"compare": CompareScreen, "budgets": BudgetScreen}[screen]

    def cells(app) -> str:
        """The first row: budget 2500 of b vs c (compare), or q | b's row (budgets)."""
        table = app.screen.query_one("#compare-table" if screen == "compare" else "KeyTable")
        return " ".join(cell.plain if hasattr(cell, "plain") else str(cell) for cell in table.get_row_at(0))

    async def check(app, pilot):
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, kind) and "40.0" in cells(app)
        rewrite(path, two.replace("q,b,2500,40", "q,b,2500,99"))
        await until(pilot, lambda: any("reloaded" in m.lower() for m in messages(app)))
        await pilot.pause()
        assert isinstance(app.screen, kind) and app.screen.results is app.results
        assert "99.0" in cells(app) and "40.0" not in cells(app)

    drive(load([path]), [], check, size=(100, 30), watch=[path])


def test_reloads_let_the_old_data_go(write, monkeypatch):
    """A sweep still running reloads again and again: the old data must be freed, not kept by the
    panes a reload replaced (nor frozen with them out of the collector's sight), so memory stays
    bounded however long it runs."""
    import gc
    import weakref

    from tui.app.screens import explorer

    monkeypatch.setattr(explorer, "COLLECT_AFTER_RELOAD", 0.05)
    path = write("r.csv", GOOD)
    old = []

    async def check(app, pilot):
        await pilot.pause(0.1)  # the first frame is out: start-up's objects are frozen
        first_pane = weakref.ref(app.screen.query_one(SweepView))
        for i in range(4):
            old.append(weakref.ref(app.results))
            rewrite(path, GOOD + f"q,b,{4000 + i},{50 + i}\n")
            await until(pilot, lambda i=i: sum("reloaded" in m for m in messages(app)) > i)
            await pilot.pause(0.2)
        gc.collect()
        # The first is the one this test handed to the app. Of the others, the last replaced may
        # still be held for a moment (a worker finishing on it) and so frozen again until the next
        # reload; none before it.
        kept = [ref() is not None for ref in old[1:]]
        assert kept[:2] == [False, False] and sum(kept) <= 1
        assert first_pane() is None  # frozen at start-up, given back to the collector on reload
        gc.unfreeze()
        gc.collect()
        replaced = [o for o in gc.get_objects() if isinstance(o, Widget) and o not in app._registry]
        assert replaced == []  # no replaced widget kept (the header and filter were, by Textual)
        assert app.screen.query_one(SweepTable).get_cell("4003", "pass_at_1").plain == "53.0"

    drive(load([path]), [], check, size=(100, 30), watch=[path])
