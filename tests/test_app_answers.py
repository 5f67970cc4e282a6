"""Answers in the explorer agree with the CLI: one knee for `returns`, `insights` and the app, and
the advised budget under constraints (`a`) is the one `kvscope advise` prints."""

from __future__ import annotations

import asyncio
import json

import pytest

from helpers import run
from tui.app.main import make_app
from tui.app.selection import sweeps
from tui.app.widgets.sweep_view import SweepView
from tui.core.answers import knee
from tui.core.schema import AVG


@pytest.fixture(autouse=True)
def plain_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


def _app_notes(results, views) -> dict:
    """The notes the sweep view shows for each view, once its insights are in."""
    notes = {}

    async def journey():
        app = make_app(results)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for view in views:
                app.screen.open(view)
                await app.workers.wait_for_complete()
                await pilot.pause()
                notes[view] = " ".join(app.screen.query_one("#sweep-notes").text.plain.split())

    asyncio.run(journey())
    return notes


def test_one_knee_for_returns_insights_and_the_app(bundled, capsys):
    every = sweeps(bundled)
    app_notes = _app_notes(bundled, every)
    for view in every:
        k = knee(bundled.sweep, view.model, view.benchmark, aggregates=bundled.aggregates)
        bench = "avg" if view.benchmark == AVG else view.benchmark
        _, out, _ = run(capsys, "returns", "-m", view.model, "-b", bench, "-f", "json")
        assert json.loads(out)["knee"]["kv_budget"] == k.knob
        _, out, _ = run(capsys, "returns", "-m", view.model, "-b", bench)
        assert k.sentence in " ".join(out.split())
        _, out, _ = run(capsys, "insights", "-m", view.model, "-b", bench, "-f", "csv")
        assert f"{view.model} {view.benchmark}: {k.sentence}." in out
        assert f"• {k.sentence}." in app_notes[view], view
    knees = {(v.model, v.benchmark): knee(bundled.sweep, v.model, v.benchmark).knob for v in every}
    assert knees[("R1-Qwen", "AIME24")] is None and knees[("R1-Qwen", "AMC23")] == 3500
