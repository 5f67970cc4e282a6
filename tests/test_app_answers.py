"""Answers in the explorer agree with the CLI: one knee for `returns`, `insights` and the app, and
the advised budget under constraints (`a`) is the one `kvscope advise` prints."""

from __future__ import annotations

import json

import pytest

from helpers import drive, press, run
from tui.app.selection import Sweep, sweeps
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

    async def check(app, pilot):
        sweep = app.screen.query_one(SweepView)
        for view in views:
            app.screen.open(view)
            # Insights are computed in a worker started after the frame: wait until they are in.
            for _ in range(200):
                await pilot.pause(0.02)
                if view in sweep._insights:
                    break
            await pilot.pause()
            notes[view] = " ".join(app.screen.query_one("#sweep-notes").text.plain.split())

    drive(results, [], check, size=(120, 40))
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


def _picks(table) -> dict[str, str]:
    """Budget -> the Pick column's cell, for the rows that have one."""
    rows = [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]
    return {row[0]: row[-1] for row in rows if row[-1]}


def _advised_by_cli(capsys, *args) -> str:
    _, out, _ = run(capsys, "advise", *args, "-f", "csv")
    return out.splitlines()[1].split(",")[3]  # model,benchmark,status,knob,...


def test_a_marks_the_budget_kvscope_advise_picks(bundled, capsys):
    """`a`, 700 TPS, enter: R1-Qwen's Average marks 3000 in table, chart and notes, as the CLI does;
    the average's answer differs from every benchmark's alone, and the view says so."""

    async def check(app, pilot):
        sweep = app.screen.query_one(SweepView)
        app.screen.open(Sweep("R1-Qwen", AVG))
        await press(pilot, "a", "type:700", "enter")
        assert _picks(sweep.table) == {"3000": "◀"}
        assert app.screen.sub_title == f"{app.sub_title} · advise: throughput >= 700 TPS"  # the header
        assert sweep.highlight == 3000 and sweep.table.cursor_key == "3000"  # the chart's highlighted bar
        notes = " ".join(sweep.query_one("#sweep-notes").text.plain.split())
        assert "▶ a: throughput >= 700 TPS ▶ advised budget 3000 (Pass@1 52.6, 700~ TPS)" in notes
        assert "meets throughput >= 700 TPS only by a value read off a chart (700~)" in notes
        assert "▶ AIME24 alone would need 4500" in notes and "▶ AMC23 alone would need 3500" in notes
        # Kept while moving between sweeps; each marks its own pick.
        app.screen.open(Sweep("R1-Qwen", "AIME24"))
        await pilot.pause()
        assert _picks(sweep.table) == {"4500": "◀"}
        app.screen.open(Sweep("R1-Llama", "AIME24"))
        await pilot.pause()
        assert _picks(sweep.table) == {"2500": "◁"}  # nothing reaches 700 TPS: the closest
        # a, clear every field, enter: no constraints, no marks.
        await press(pilot, "a", "ctrl+l", "enter")
        assert not sweep.constraints and "Pick" not in [c.label.plain for c in sweep.table.columns]
        assert app.screen.sub_title is None
        assert "▶" not in sweep.query_one("#sweep-notes").text.plain

    drive(bundled, [], check)
    assert _advised_by_cli(capsys, "-m", "qwen", "-b", "avg", "--min-throughput", "700") == "3000"
    assert _advised_by_cli(capsys, "-m", "qwen", "-b", "aime24", "--min-throughput", "700") == "4500"
    assert _advised_by_cli(capsys, "-m", "llama", "-b", "aime24", "--min-throughput", "700") == "2500"


def test_constraints_form_rejects_bad_numbers_inline(bundled):
    async def check(app, pilot):
        from tui.app.screens.constraints import ConstraintsScreen

        await press(pilot, "a", "type:fast", "tab", "type:4000", "enter")
        assert isinstance(app.screen, ConstraintsScreen)  # still open, nothing crashed
        error = str(app.screen.query_one("#constraints-error").content)
        assert error == "Minimum throughput (TPS): 'fast' is not a number (leave it empty for no constraint)"
        await press(pilot, "escape")
        assert not app.screen.query_one(SweepView).constraints  # cancelled: nothing set

    drive(bundled, [], check)


def test_max_budget_and_min_pass1_from_the_form(bundled, capsys):
    async def check(app, pilot):
        sweep = app.screen.query_one(SweepView)
        app.screen.open(Sweep("R1-Llama", "AMC23"))
        await press(pilot, "a", "tab", "type:4000", "tab", "type:86", "enter")
        assert sweep.constraints.max_budget == 4000 and sweep.constraints.min_score == 86
        assert _picks(sweep.table) == {"4000": "◀"}

    drive(bundled, [], check)
    assert _advised_by_cli(capsys, "-m", "llama", "-b", "amc23", "--max-budget", "4000", "--min-pass1", "86") == "4000"


def test_palette_opens_the_constraints_form(bundled):
    async def check(app, pilot):
        from tui.app.screens.constraints import ConstraintsScreen

        assert isinstance(app.screen, ConstraintsScreen)
        await press(pilot, "type:750", "enter")
        assert app.screen.query_one(SweepView).constraints.min_throughput == 750

    drive(bundled, ["ctrl+p", "type:advise", "enter"], check)


def test_constraints_survive_a_reload(write, monkeypatch):
    """--watch: the file changes, the data reloads, the constraints stay and mark the new pick."""
    import os
    import time

    import tui.app.app as app_module
    from tui.core.loader import load

    monkeypatch.setattr(app_module, "WATCH_SECONDS", 0.05)
    text = "model,benchmark,kv_budget,pass_at_1,throughput_tps\nq,b,1000,40,900\nq,b,2000,50,{}\n"
    path = write("r.csv", text.format(800))

    async def check(app, pilot):
        sweep = app.screen.query_one(SweepView)
        app.screen.open(Sweep("q", "b"))
        await press(pilot, "a", "type:850", "enter")
        assert _picks(sweep.table) == {"1000": "◀"}
        path.write_text(text.format(860))
        later = time.time() + 5
        os.utime(path, (later, later))
        deadline = time.monotonic() + 5
        while "reloaded" not in " ".join(str(n.message) for n in app._notifications):
            assert time.monotonic() < deadline, "never reloaded"
            await pilot.pause(0.05)
        await pilot.pause()
        sweep = app.screen.query_one(SweepView)  # rebuilt on reload
        assert sweep.constraints.min_throughput == 850 and _picks(sweep.table) == {"2000": "◀"}
        assert app.screen.sub_title.endswith("· advise: throughput >= 850 TPS")

    drive(load([path]), [], check, size=(100, 30), watch=[path])


def test_app_notes_say_no_knee_for_a_compression_ratio(capsys):
    """Along kvpress's compression_ratio the explorer's notes, like `insights`, say once that the knee
    is not defined and never speak of a budget or of tokens."""
    from pathlib import Path

    from tui.core.loader import load

    results = load([Path(__file__).parent / "real_files" / "output"])
    model = next(m for m in results.models if "zerofill" in m)
    view = Sweep(model, "ruler/qa_2")
    notes = _app_notes(results, [view])[view]
    sentence = "no knee: the knee rule is defined for a token budget; compression_ratio is not one."
    assert notes.count(sentence) == 1
    assert "budget" not in notes.replace("token budget", "") and "1,000 tokens" not in notes
    _, out, _ = run(capsys, "insights", str(Path(__file__).parent / "real_files" / "output"),
                    "-m", "zerofill", "-b", "ruler/qa_2", "-f", "csv")
    assert sentence in out


def test_sidebar_names_the_sweep_by_its_knob():
    from pathlib import Path

    from tui.app.widgets.sidebar import StudyTree
    from tui.core.loader import load

    async def check(app, pilot):
        roots = [str(node.label) for node in app.screen.query_one(StudyTree).root.children]
        assert roots[0] == "compression_ratio sweep", roots

    drive(load([Path(__file__).parent / "real_files" / "output"]), [], check)
