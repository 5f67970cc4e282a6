"""The ~ (read off a chart) and * (derived) marks, and their legend: each half of the legend only
when its mark is on show, in the CLI and the app; nothing at all on a real file of measured values."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import drive, run, settle
from tui.app.selection import Sweep
from tui.app.widgets.sweep_view import SweepView
from tui.core.loader import load
from tui.core.schema import how_legend

REAL = Path(__file__).parents[1].parent / "shared" / "real_results"
GSM8K = REAL / "lm_eval_harness" / "v0.4.2plus__saucam_model_evals" / "gsm8k.json"
CHART, DERIVED = "~ read off a chart", "* derived"


@pytest.fixture(autouse=True)
def plain_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


def test_legend_names_only_the_marks_present():
    assert how_legend(["chart-reading", "measured"]) == CHART
    assert how_legend(["derived", None]) == DERIVED
    assert how_legend(["derived", "chart-reading"]) == f"{CHART}   {DERIVED}"
    assert how_legend(["measured", "table", "chart-label", None]) == ""


def test_cli_legend_follows_the_marks_shown(capsys):
    _, out, _ = run(capsys, "table", "-m", "qwen", "-b", "aime25")
    assert "35.9*" in out and "730~" in out and out.rstrip().endswith(f"{CHART}   {DERIVED}")
    _, out, _ = run(capsys, "table", "-m", "qwen", "-b", "amc23")
    assert "*" not in out and out.rstrip().endswith(CHART)
    _, out, _ = run(capsys, "compare", "aime24", "amc23", "-m", "qwen")
    assert CHART in out and DERIVED not in out


@pytest.mark.skipif(not GSM8K.exists(), reason="needs ../shared/real_results")
def test_no_legend_on_a_real_file_without_marked_values(capsys):
    """lm-eval's own output: measured values only, so no value is marked and no legend is shown."""
    results = load([GSM8K])
    model, bench = results.models[0], results.benchmarks()[0]
    for args in (["summary"], ["table", "-m", model, "-b", bench],
                 ["table", "-m", model, "-b", bench, "-f", "markdown"]):
        code, out, _ = run(capsys, *args, str(GSM8K))
        assert code == 0 and "50.9" in out, args  # exact_match (strict-match) 0.5087, the headline: there...
        assert "read off a chart" not in out and "derived" not in out and "~" not in out, args  # ...unmarked

    async def check(app, pilot):
        app.screen.open(Sweep(model, bench))
        await settle(pilot)
        notes = app.screen.query_one("#sweep-notes").text.plain
        assert "read off a chart" not in notes and "derived" not in notes and "~" not in notes
        table = app.screen.query_one(SweepView).table
        assert "50.9" in [c.plain for i in range(table.row_count) for c in table.get_row_at(i)]

    drive(results, [], check, size=(100, 30))


def test_app_legend_follows_the_marks_shown(bundled):
    async def check(app, pilot):
        notes = {}
        for view in (Sweep("R1-Qwen", "AIME25"), Sweep("R1-Qwen", "AMC23")):
            app.screen.open(view)
            await pilot.pause()
            notes[view.benchmark] = app.screen.query_one("#sweep-notes").text.plain
        assert notes["AIME25"].startswith(f"{CHART}\n{DERIVED}")  # 35.9* at 4000
        assert notes["AMC23"].startswith(CHART) and DERIVED not in notes["AMC23"]

    drive(bundled, [], check, size=(100, 30))
