"""The explorer, driven by keys from launch like a user, asserting what is on screen.

Each test is one journey from the issue: a sweep's table and chart, two models compared, two
budgets compared, the scaling scatter with a point selected; then the palette, the filter, the
help, the too-small notice, NO_COLOR and hostile names. pytest-asyncio is not a dependency, so
each test runs its coroutine with asyncio.run.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from helpers import MIXED_METRICS, drive, many_models, screen_text, without_throughput
from tui.app.screens.budgets import BudgetScreen
from tui.app.screens.compare import CompareScreen
from tui.app.screens.explorer import ExplorerScreen
from tui.app.screens.help import HelpScreen
from tui.app.selection import SCALING, Sweep
from tui.app.widgets.chart import ChartView
from tui.app.widgets.scaling_view import ScalingView
from tui.app.widgets.sidebar import StudyTree
from tui.app.widgets.sweep_view import SweepTable, SweepView


@pytest.fixture(autouse=True)
def plain_env(monkeypatch):
    """Same output everywhere: colour on, and plotext told the terminal is big (headless runs have none)."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


def rendered(renderable, width=120) -> str:
    """What a rich renderable (a Static's table) looks like as plain text."""
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


def cell(table, row_key: str, column_key: str) -> str:
    return table.get_cell(row_key, column_key).plain


def test_journey_sweep_table_and_chart(bundled):
    """(1) Sidebar down to R1-Llama | AMC23, Enter: 86.5 at 3000 in the table, the chart's title,
    and moving the table cursor moves the chart's highlighted budget."""

    async def check(app, pilot):
        screen = app.screen
        assert isinstance(screen, ExplorerScreen)
        assert screen.view == Sweep("R1-Llama", "AMC23")
        table = screen.query_one(SweepTable)
        assert cell(table, "3000", "pass_at_1") == "86.5"
        assert cell(table, "3000", "throughput_tps") == "570~"  # read off a chart: marked
        chart = screen.query_one("#sweep-chart", ChartView)
        assert "R1-Llama | AMC23" in chart.text
        assert "~ read off a chart" in screen.query_one("#sweep-notes").text.plain
        sweep = screen.query_one(SweepView)
        assert sweep.highlight == 2500
        await pilot.press("tab", "j")
        assert app.focused is table
        assert sweep.highlight == 3000
        await pilot.press("G")
        assert sweep.highlight == 5000

    drive(bundled, ["down", "down", "enter"], check)


def test_journey_compare_two_models(bundled):
    """(2) Mark R1-Qwen | GPQA-D with c, open R1-Llama | GPQA-D, c again: both values and Δ per budget."""

    async def check(app, pilot):
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert (screen.left, screen.right) == (Sweep("R1-Qwen", "GPQA-D"), Sweep("R1-Llama", "GPQA-D"))
        row = screen.frame.row(0, named=True)
        assert (row["knob"], row["left_pass_at_1"], row["right_pass_at_1"]) == (2500, 44.6, 37.9)
        assert row["delta_pass_at_1"] == pytest.approx(-6.7)
        table = screen.query_one("#compare-table")
        first_row = lambda: [cell.plain for cell in table.get_row_at(0)]  # noqa: E731
        assert first_row()[:4] == ["2500", "44.6", "37.9", "▼ −6.7"]
        assert "R1-Qwen vs R1-Llama | GPQA-D" in screen.query_one(ChartView).text
        await pilot.press("x")  # swap: the delta turns around, marked the other way
        assert first_row()[:4] == ["2500", "37.9", "44.6", "▲ +6.7"]
        await pilot.press("escape")
        assert isinstance(app.screen, ExplorerScreen)

    drive(bundled, ["slash", "type:qwen gpqa", "enter", "c", "slash", "type:llama gpqa", "enter", "c"], check)


def test_journey_compare_two_benchmarks_needs_a_shared_side(bundled):
    """Two benchmarks of one model compare; sweeps sharing nothing are refused with a message."""

    async def check(app, pilot):
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert "R1-Llama | AIME24 vs AIME25" in screen.query_one(ChartView).text

    drive(bundled, ["c", "down", "c"], check)

    async def refused(app, pilot):
        assert isinstance(app.screen, ExplorerScreen)
        assert app.screen.left == Sweep("R1-Llama", "AIME24")

    drive(bundled, ["c", "slash", "type:qwen amc", "enter", "c"], refused)


def test_journey_compare_budgets(bundled):
    """(3) b opens budget A vs B (smallest vs largest); every model and benchmark with deltas."""

    def row(screen, model, bench):
        table = screen.query_one("#budgets-table")
        rows = [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]
        return next(r for r in rows if r[:2] == [model, bench])

    async def check(app, pilot):
        screen = app.screen
        assert isinstance(screen, BudgetScreen)
        assert (screen.a, screen.b) == (2500, 5000)
        assert row(screen, "R1-Qwen", "GPQA-D")[2:5] == ["44.6", "48.2", "▲ +3.6"]
        assert row(screen, "R1-Llama", "Average")[2:] == ["44.2", "53.0", "▲ +8.8", "578~", "420~", "▼ −158"]
        await pilot.press("l")  # A: 2500 -> 3000
        assert screen.a == 3000
        await pilot.press("tab", "h")  # B: 5000 -> 4500
        assert screen.b == 4500
        assert str(screen.query_one("#budgets-title").content) == "KV budget 3000 vs 4500"
        assert str(screen.query_one("#budgets-caption").content).endswith("   ~ read off a chart")
        assert row(screen, "R1-Qwen", "GPQA-D")[2:5] == ["46.7", "48.4", "▲ +1.7"]

    drive(bundled, ["b"], check)


def test_journey_scaling_point_selected(bundled):
    """(4) s opens the scatter; j moves to Kimi-VL-A3B-Thinking-2506, bracketed in the chart, its
    row and source shown; space hides its family and a shows every family again."""

    async def check(app, pilot):
        view = app.screen.query_one(ScalingView)
        assert view.selected == "Kimi-VL-A3B-Thinking-2506"
        chart = view.query_one(ChartView)
        assert "[Kimi-VL-A3B-Thinking-2506]" in chart.text
        detail = str(view.query_one("#scaling-detail").content)
        assert "Kimi-VL-A3B-Thinking-2506" in detail and "56.9" in detail and "Kimi-VL Technical Report" in detail
        await pilot.press("space")
        assert view.hidden == {"Kimi"} and "Kimi (hidden)" in chart.text
        await pilot.press("a")
        assert view.hidden == set()
        await pilot.press("j")  # the next point
        assert view.selected != "Kimi-VL-A3B-Thinking-2506"

    drive(bundled, ["s", "j"], check)


def test_palette_jumps_to_a_pair(bundled):
    """ctrl+p, 'llama amc23', Enter: the palette finds "R1-Llama | AMC23" and opens it."""

    async def check(app, pilot):
        assert app.screen.view == Sweep("R1-Llama", "AMC23")

    drive(bundled, ["ctrl+p", "type:llama amc23", "enter"], check)


def test_palette_reaches_a_scaling_point(bundled):
    async def check(app, pilot):
        assert app.screen.view == SCALING
        assert app.screen.query_one(ScalingView).selected == "Kimi-VL-A3B-Thinking-2506"

    drive(bundled, ["ctrl+p", "type:kimi 2506", "enter"], check)


def test_filter_narrows_and_escape_clears(bundled):
    async def check(app, pilot):
        tree = app.screen.query_one(StudyTree)
        leaves = lambda: [n.data for n in _walk(tree.root) if n.data is not None]  # noqa: E731
        assert leaves() == [Sweep("R1-Qwen", "avg")]
        await pilot.press("escape")  # clears the filter, back in the tree
        assert app.focused is tree
        assert len(leaves()) == 11  # 2 models x (4 benchmarks + Average) + the scaling study

    drive(bundled, ["slash", "type:qwen avg"], check)


def _walk(node):
    for child in node.children:
        yield child
        yield from _walk(child)


def test_help_is_generated_from_live_bindings(bundled):
    """Help lists what the bindings say, including one added at runtime, and closes again."""

    async def check(app, pilot):
        app.bind("z", "bell", description="Ring the bell")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = rendered(app.screen.query_one("#help-table").content)
        for expected in ("Compare", "Budgets", "Filter", "Sort descending", "Quit", "Ring the bell", "Palette"):
            assert expected in text
        await pilot.press("question_mark")
        assert isinstance(app.screen, ExplorerScreen)

    drive(bundled, [], check)


def test_too_small_terminal_says_so(bundled):
    async def check(app, pilot):
        notice = app.screen.query_one("TooSmall")
        assert notice.display and notice.region.width > 0
        assert not app.screen.query_one("#body").region.width
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not notice.region.width and app.screen.query_one("#body").region.width

    drive(bundled, [], check, size=(50, 14))


def test_no_color_draws_plain_charts(bundled, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def check(app, pilot):
        assert app.no_color
        chart = app.screen.query_one("#sweep-chart", ChartView)
        assert "R1-Llama | AIME24" in chart.text
        assert chart_colors(chart) <= {app.screen.query_one("#sweep-chart").rich_style.color}  # none of its own

    drive(bundled, [], check)


def chart_colors(chart: ChartView) -> set:
    """The foreground colours in the chart's painted lines."""
    return {seg.style.color for y in range(chart.size.height) for seg in chart.render_line(y)
            if seg.style is not None and seg.style.color is not None}


def test_charts_are_drawn_in_colour_by_default(bundled, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)

    async def check(app, pilot):
        chart = app.screen.query_one("#sweep-chart", ChartView)
        assert len(chart_colors(chart)) >= 3  # bars, line, axes: the NO_COLOR test above can fail

    drive(bundled, [], check)


def test_names_are_shown_as_text_never_markup(write):
    from tui.core.loader import load

    name = "[bold red]x[/]"
    path = write("hostile.csv", "model,benchmark,kv_budget,pass_at_1,throughput_tps\n"
                                f"\"{name}\",\"[link=x]b\",2500,40,700\n\"{name}\",\"[link=x]b\",3000,45,650\n")

    async def check(app, pilot):
        labels = [n.label.plain for n in _walk(app.screen.query_one(StudyTree).root)]
        assert name in labels and "[link=x]b" in labels
        assert f"{name} | [link=x]b" in app.screen.query_one("#sweep-chart", ChartView).text

    drive(load([path]), [], check)


def test_quit_key_exits(bundled):
    async def check(app, pilot):
        await pilot.press("q")
        assert not app.is_running

    drive(bundled, [], check)


REAL = __import__("pathlib").Path(__file__).parents[1].parent / "shared" / "real_results"


@pytest.mark.skipif(not REAL.is_dir(), reason="real result files not found")
def test_real_results_show_each_sweeps_own_metric_and_fit_the_sidebar():
    """The whole real_results folder: the header counts files, a kvpress sweep shows its
    string_match column (not an empty Pass@1), and long model names are cut in the middle."""
    from tui.core.loader import load

    async def check(app, pilot):
        assert app.sub_title == "19 files, 2 skipped: real_results"
        screen = app.screen
        assert screen.view.benchmark == "ruler" and "press=" in screen.view.model
        table = screen.query_one(SweepTable)
        assert [c.label.plain for c in table.columns] == ["knob", "string_match"]
        assert table.get_cell("0.5", "string_match").plain.startswith("95.")
        tree = screen.query_one(StudyTree)
        await pilot.press("escape")  # clear the filter: every model in the sidebar
        for model in tree.root.children[0].children:  # fold the others, so the kvpress runs are on screen
            if "press=" not in str(model.label):
                model.collapse()
        await pilot.pause()
        lines = [strip.text for strip in tree.render_lines(tree.region.reset_offset)]
        cut = [line.strip() for line in lines if "…" in line and "Press" in line]
        # Seven kvpress runs differ only in their press, at the end of a long name: cut in the
        # middle, they stay apart.
        assert len(cut) >= 7 and len(set(cut)) == len(cut), lines

    drive(load([REAL]), ["slash", "type:press ruler", "enter"], check)


def test_sidebar_label_widths_are_those_of_the_labels_drawn(write):
    """StudyTree measures a label without building it; each width must be what Textual's own
    measure (the drawn label's cells) gives: short, cut in the middle, wide characters, folded,
    unfolded and leaves, at a width where some are cut and some are not."""
    from textual.widgets import Tree

    from tui.core.loader import load

    names = ["q", "Qwen2.5-7B-Instruct · press=SnapKVPress · runs=3 · compression=0.5",
             "模型甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉", "R1-Llama"]
    rows = [f"{name},{bench},{knob},{40 + knob / 1000}" for name in names
            for bench in ("aime24", "長い名前のベンチマーク・評価") for knob in (1000, 2000)]
    path = write("names.csv", "model,benchmark,kv_budget,pass_at_1\n" + "\n".join(rows) + "\n")

    async def check(app, pilot):
        tree = app.screen.query_one(StudyTree)
        for model in tree.root.children[0].children[1:]:
            model.collapse()
        await pilot.pause()
        nodes, stack = [], [tree.root]
        while stack:
            node = stack.pop()
            nodes.append(node)
            stack.extend(node.children)
        widths = {node.id: (tree.get_label_width(node), Tree.get_label_width(tree, node)) for node in nodes}
        assert all(ours == drawn for ours, drawn in widths.values()), widths
        from rich.style import Style

        drawn = [tree.render_label(node, Style(), Style()).plain for node in nodes]
        assert any("…" in label for label in drawn) and any("…" not in label for label in drawn)
        assert any("模型" in label and "…" in label for label in drawn)  # a wide name, cut

    drive(load([path]), [], check, size=(100, 30))


def test_many_models_start_folded_and_the_palette_unfolds_its_target(tmp_path):
    """Past 12 models only the first starts unfolded; jumping to another model's sweep unfolds it."""

    async def check(app, pilot):
        tree = app.screen.query_one(StudyTree)
        models = tree.root.children[0].children
        assert len(models) == 20 and [m.is_expanded for m in models[:3]] == [True, False, False]
        assert app.screen.view == Sweep("m15", "y")
        assert models[15].is_expanded and tree.cursor_node.data == Sweep("m15", "y")

    drive(many_models(tmp_path), ["ctrl+p", "type:m15 y", "enter"], check)


def test_too_small_notice_wins_over_a_maximized_widget(bundled):
    """Textual's Maximize command, then the terminal shrinks: the notice still shows."""
    from tui.app.screens.base import TooSmall

    async def check(app, pilot):
        app.screen.maximize(app.screen.query_one(SweepTable))
        await pilot.pause()
        await pilot.resize_terminal(160, 15)
        await pilot.pause()
        assert app.screen.maximized is None
        assert app.screen.query_one(TooSmall).region.width > 0

    drive(bundled, [], check, size=(160, 40))


def test_too_small_notice_wins_over_textuals_keys_panel(bundled):
    """The palette's "Keys" command docks Textual's key panel; the terminal shrinks (or was
    already small): the notice alone fills the screen (found by a monkey soak)."""
    from tui.app.screens.base import TooSmall

    async def check(app, pilot):
        app.action_show_help_panel()
        await pilot.pause()
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert app.screen.query_one(TooSmall).region.width == 40
        assert "Cursor Up" not in screen_text(app)

    drive(bundled, [], check, size=(80, 24))


LOADING = __import__("pathlib").Path(__file__).parent / "real_files" / "loading"


def test_header_counts_the_skipped_files_and_failed_runs_and_repeats_open_averaged():
    """tests/real_files/loading: a re-run under other settings is skipped and a vLLM run that
    completed no request is left out; the header says both, and the two runs of one setting
    open as one averaged sweep."""
    from tui.core.loader import load

    async def check(app, pilot):
        assert app.sub_title == "7 files, 3 skipped, 1 failed run: loading"
        assert app.screen.view.model == "gemma4-26b-l40s"
        table = app.screen.query_one(SweepTable)
        cells = [cell.plain for cell in table.get_row_at(0)]
        assert float(cells[-1].rstrip("~*")) == pytest.approx(95.285, abs=0.05), cells  # mean of 95.20, 95.37

    drive(load([LOADING]), ["ctrl+p", "type:gemma gsm8k", "enter"], check)


@pytest.mark.parametrize("with_throughput", [True, False])
def test_compare_chart_follows_the_cli_rule_for_different_metrics(write, with_throughput):
    """Benchmarks scored by different metrics: the throughput lines alone, as `kvscope compare
    --chart` draws them; with no throughput either, a line saying there is no chart."""
    from tui.core.loader import load

    text = MIXED_METRICS if with_throughput else without_throughput(MIXED_METRICS)
    results = load([write("mixed.csv", text)])

    async def check(app, pilot):
        assert isinstance(app.screen, CompareScreen)
        chart = app.screen.query_one(ChartView).text
        if with_throughput:
            assert "alpha Throughput (TPS)" in chart and "beta Throughput (TPS)" in chart
            assert "Pass@1" not in chart and "█" not in chart
        else:
            assert chart.splitlines()[1] == "(no chart: Pass@1 and acc are different metrics, and no throughput)"

    drive(results, ["c", "down", "c"], check, size=(100, 40))


def test_compare_layouts_give_the_table_its_focus_back(bundled):
    """`v` cycles chart only, table only, both: the table hidden loses the focus, and gets it back
    (with its keys in the footer) when it shows again."""

    async def check(app, pilot):
        seen = []
        for _ in range(3):
            await pilot.press("v")
            await pilot.pause()
            focused = app.screen.focused
            seen.append((app.screen.layout_class, type(focused).__name__ if focused else None))
        assert seen == [("-chart-only", None), ("-table-only", "CompareTable"), ("", "CompareTable")]

    drive(bundled, ["c", "down", "c"], check, size=(100, 40))
