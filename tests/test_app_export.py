"""The explorer's export key: `e` writes the current view; existing files are never replaced."""

from __future__ import annotations

import polars as pl
import pytest
from textual import events

from helpers import drive, press
from tui.app.screens.export import ExportScreen

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_e_writes_the_open_sweep_as_csv(bundled, tmp_path):
    async def check(app, pilot):
        assert notes(app) == ["wrote kvscope-R1-Llama-AMC23.csv (6 rows, csv)"]
        frame = pl.read_csv(tmp_path / "kvscope-R1-Llama-AMC23.csv")
        assert frame.columns[:3] == ["kv_budget", "pass_at_1", "pass_at_1_how"]
        assert frame.filter(pl.col("kv_budget") == 3000)["pass_at_1"].item() == 86.5

    drive(bundled, ["down", "down", "enter", "e", "enter"], check, size=SIZE)


def test_existing_file_is_never_replaced(bundled, tmp_path):
    (tmp_path / "mine.csv").write_text("precious\n")

    async def check(app, pilot):
        assert isinstance(app.screen, ExportScreen)
        assert "mine.csv exists: choose another name" in str(app.screen.query_one("#export-error").content)
        assert (tmp_path / "mine.csv").read_text() == "precious\n"
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen) and notes(app) == []

    drive(bundled, ["e", "ctrl+u", "type:mine.csv", "enter"], check, size=SIZE)


def test_format_follows_the_extension(bundled, tmp_path):
    async def check(app, pilot):
        text = (tmp_path / "t.tex").read_text()
        assert r"\toprule" in text and "kv\\_budget" in text

    drive(bundled, ["e", "ctrl+u", "type:t.tex", "enter"], check, size=SIZE)

    async def refused(app, pilot):
        assert "unknown extension .xls" in str(app.screen.query_one("#export-error").content)

    drive(bundled, ["e", "ctrl+u", "type:t.xls", "enter"], refused, size=SIZE)


def qwen_gpqa(path) -> dict:
    """R1-Qwen's GPQA-D row of an exported budget comparison."""
    frame = pl.read_csv(path)
    return frame.filter((pl.col("model") == "R1-Qwen") & (pl.col("benchmark") == "GPQA-D")).row(0, named=True)


def test_budgets_and_scaling_export(bundled, tmp_path):
    async def check(app, pilot):
        row = qwen_gpqa(tmp_path / "kvscope-budgets-2500-vs-5000.csv")
        assert (row["pass_at_1_at_2500"], row["pass_at_1_at_5000"]) == (44.6, 48.2)
        assert (row["throughput_tps_at_2500"], row["throughput_tps_at_2500_how"]) == (780, "chart-reading")

    drive(bundled, ["b", "e", "enter"], check, size=SIZE)

    async def same_budget(app, pilot):  # A moved up to B: both columns kept (a monkey soak found a crash)
        assert notes(app)[-1].startswith("wrote kvscope-budgets-5000-vs-5000.csv")
        row = qwen_gpqa(tmp_path / "kvscope-budgets-5000-vs-5000.csv")
        assert (row["pass_at_1_a"], row["pass_at_1_b"]) == (48.2, 48.2)

    drive(bundled, ["b", "end", "e", "enter"], same_budget, size=SIZE)

    async def scaling(app, pilot):
        frame = pl.read_csv(tmp_path / "kvscope-scaling.csv")
        assert "Kimi-VL-A3B-Thinking-2506" in frame["model"].to_list()

    drive(bundled, ["s", "e", "enter"], scaling, size=SIZE)


def test_budgets_export_right_after_a_picker_moves_has_the_new_budget(bundled, tmp_path):
    """`end` then `e` at once: the export is asked for before the table has caught up with the
    picker (its update is a message), and must still hold the budgets it is named after."""

    async def check(app, pilot):
        for key in ("end", "e"):  # posted together, as keys typed quickly arrive
            app.post_message(events.Key(key, None))
        await pilot.pause()
        await press(pilot, "enter")
        row = qwen_gpqa(tmp_path / "kvscope-budgets-5000-vs-5000.csv")
        assert (row["pass_at_1_a"], row["pass_at_1_b"]) == (48.2, 48.2)

    drive(bundled, ["b"], check, size=SIZE)
