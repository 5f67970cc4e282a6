"""The parts that keep keys fast: the light table, the notes box, the figure cache and drawing ahead.

Each is driven through the app (Pilot) and asserted on what is on screen or in the cache, so a
fast path that shows the wrong thing fails here, not only in bench/run.py.
"""

from __future__ import annotations

import polars as pl
import pytest
from textual.widgets import ContentSwitcher

from helpers import drive, many_models, press
from tui.app.keys import bound_nodes
from tui.app.selection import Sweep
from tui.app.widgets import chart as chart_module
from tui.app.widgets.notes import NotesView
from tui.app.widgets.scaling_view import ScalingTable, ScalingView
from tui.app.widgets.sweep_view import SweepTable, SweepView
from tui.core.bundled import bundled_dir
from tui.core.loader import load

SIZE = (100, 40)


@pytest.fixture(autouse=True)
def plain_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


@pytest.fixture
def long_sweep(tmp_path):
    """One model, two benchmarks, 40 budgets: longer than the table's box."""
    rows = [{"model": "m", "benchmark": b, "kv_budget": 1000 + 100 * i,
             "pass_at_1": float(i if b == "x" else 100 - i), "throughput_tps": 900.0 - i}
            for b in ("x", "y") for i in range(40)]
    path = tmp_path / "long.csv"
    pl.DataFrame(rows).write_csv(path)
    return load([path])


@pytest.fixture
def drawn(monkeypatch):
    """Every sweep chart drawn: (the draw's arguments (frames, title, knob label, highlight, ...), width, height)."""
    calls = []
    render = chart_module.ChartView._render_figure

    def recorded(self, draw, width, height, style):
        calls.append((draw.args, width, height))
        return render(self, draw, width, height, style)

    monkeypatch.setattr(chart_module.ChartView, "_render_figure", recorded)
    return calls


def screen_text(widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


def test_light_table_pages_scrolls_and_keeps_the_chart_on_the_cursor(long_sweep):
    async def check(app, pilot):
        sweep = app.screen.query_one(SweepView)
        table = app.screen.query_one(SweepTable)
        assert table.get_cell("1000", "pass_at_1").plain == "0.0"
        await pilot.press("tab")
        assert app.focused is table
        page = table.size.height - 1  # rows under the header
        await pilot.press("pagedown")
        assert table.cursor_row == page and sweep.highlight == 1000 + 100 * page
        await pilot.press("G")
        assert table.cursor_key == "4900" and sweep.highlight == 4900
        lines = screen_text(table)
        assert "KV budget" in lines[0]  # the header stays on top when the rows scroll
        assert "4900" in lines[-1] and "1000 " not in "\n".join(lines[1:])
        await pilot.press("g")
        assert table.cursor_key == "1000" and "1000" in screen_text(table)[1]

    drive(long_sweep, [], check, size=(100, 30))


def test_light_table_sorts_by_the_cursor_column_and_the_cursor_stays_on_its_budget(long_sweep):
    async def check(app, pilot):
        table = app.screen.query_one(SweepTable)
        await pilot.press("tab", "j", "j", "l", "]")  # budget 1200, Pass@1 column, descending
        assert table.cursor_key == "1200"
        values = [float(table.get_row_at(i)[1].plain) for i in range(table.row_count)]
        assert values == sorted(values, reverse=True)
        assert app.screen.query_one(SweepView).highlight == 1200
        await pilot.press("[")
        assert [float(table.get_row_at(i)[1].plain) for i in range(3)] == [0.0, 1.0, 2.0]

    drive(long_sweep, [], check, size=SIZE)


def test_notes_say_what_is_cut_off_and_scroll_with_j_k(bundled):
    async def check(app, pilot):
        notes = app.screen.query_one(NotesView)
        await pilot.press("tab")  # at 80x24 table and notes sit beside the chart, the notes under the table
        lines = screen_text(notes)
        assert "~ read off a chart" in lines[0]
        assert "more lines" in lines[-1]  # the insights do not fit under the table at 80x24
        app.set_focus(notes)
        await pilot.press("j", "j")
        assert notes.top == 2 and screen_text(notes)[0] != lines[0]
        await pilot.press("k")
        assert notes.top == 1

    drive(bundled, [], check, size=(80, 24))


def test_a_figure_drawn_ahead_is_the_one_shown(bundled, drawn):
    """Highlighting a sidebar leaf draws its chart into the cache; opening it then draws nothing new,
    and what is shown is that sweep's chart."""

    async def check(app, pilot):
        sweep = app.screen.query_one(SweepView)
        at_start = len(drawn)
        await pilot.press("j", "j")  # onto R1-Llama | AMC23, not opened
        await pilot.pause(0.4)  # drawing ahead starts a moment after the last key
        ahead = len(drawn)
        assert [args[1:4] for args, *_ in drawn[at_start:]] == [("R1-Llama | AMC23", "KV budget", 2500)]
        await pilot.press("enter")
        await pilot.pause()
        assert sweep.view == Sweep("R1-Llama", "AMC23")
        assert "R1-Llama | AMC23" in sweep.chart.text
        highlights = [args[3] for args, *_ in drawn[ahead:]]  # what was drawn since, if anything
        assert sweep.highlight == 2500 and 2500 not in highlights  # the figure shown came from the cache

    drive(bundled, [], check, size=SIZE)


def test_a_chart_repaint_looks_up_its_style_once(bundled, monkeypatch):
    """The chart's style (which walks the DOM) is part of its figure's cache key and the colour of
    its blank lines: one lookup serves the whole repaint, not one per line."""
    from textual.geometry import Region
    from textual.widget import Widget

    async def check(app, pilot):
        chart = app.screen.query_one(SweepView).chart
        lookups = []
        monkeypatch.setattr(chart_module.ChartView, "rich_style",
                            property(lambda self: lookups.append(1) or Widget.rich_style.fget(self)))
        strips = chart.render_lines(Region(0, 0, chart.size.width, chart.size.height))
        assert len(strips) == chart.size.height > 20 and "AIME24" in chart.text
        assert len(lookups) == 1
        chart_module.FIGURES.clear()  # a repaint that draws its figure: still one lookup
        chart.render_lines(Region(0, 0, chart.size.width, chart.size.height))
        assert len(lookups) == 2 and "AIME24" in chart.text

    drive(bundled, [], check, size=SIZE)


def test_start_up_focuses_the_tree_and_nothing_before_it(bundled, monkeypatch):
    """The explorer opens with the sidebar's tree focused, and no other widget (the hidden filter
    box was Textual's first pick) is focused and blurred on the way."""
    from textual.screen import Screen

    focused = []
    set_focus = Screen.set_focus
    monkeypatch.setattr(Screen, "set_focus",
                        lambda self, widget, *args, **kwargs: focused.append(type(widget).__name__)
                        or set_focus(self, widget, *args, **kwargs))

    async def check(app, pilot):
        assert type(app.focused).__name__ == "StudyTree"
        assert set(focused) == {"StudyTree"}, focused

    drive(bundled, [], check, size=SIZE)


def test_the_explorer_is_not_restyled_whole_when_first_shown(bundled, monkeypatch):
    """Each widget is styled as it mounts; Textual's restyle of a whole screen when it is shown
    would only repeat that, for every widget, before the first frame."""
    from textual.css.stylesheet import Stylesheet

    from tui.app.screens.explorer import ExplorerScreen
    from tui.app.widgets.sidebar import StudyTree

    restyles = []
    update_nodes = Stylesheet.update_nodes

    def spy(self, nodes, animate=False):
        nodes = list(nodes)
        restyles.append({type(node).__name__ for node in nodes})
        return update_nodes(self, nodes, animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", spy)

    async def check(app, pilot):
        assert isinstance(app.screen, ExplorerScreen) and app.screen.query_one(StudyTree).region
        whole = [names for names in restyles if {"ExplorerScreen", "StudyTree", "SweepTable"} <= names]
        assert whole == []

    drive(bundled, [], check, size=SIZE)


def test_the_explorer_is_restyled_when_first_shown_if_the_css_changed_since_compose(bundled):
    """The skipped restyle is only skipped while it would change nothing: when the app's CSS
    changed between the explorer's compose and its first show, Textual restyles it."""
    from textual.events import ScreenResume

    async def check(app, pilot):
        screen = app.screen
        assert screen._composed_at is None  # shown: the next show is Textual's to restyle
        screen._composed_at = -1  # as if composed under an older theme, and not yet shown
        event = ScreenResume()
        screen.on_screen_resume(event)
        assert event.refresh_styles and screen._composed_at is None

    drive(bundled, [], check, size=SIZE)


def test_cache_keeps_the_most_recent_figures():
    figures = type(chart_module.FIGURES)(2)  # the chart's kind of cache, smaller
    for key in "abc":
        figures.set(key, ([], key))
    assert "a" not in figures and figures.get("b") == ([], "b")
    figures.set("d", ([], "d"))  # b was used last, so c goes
    assert "b" in figures and "c" not in figures


def test_the_first_chart_is_drawn_once_at_its_final_size(bundled, drawn):
    """The breakpoint classes (sidebar width) are set before the first layout, so start-up does
    not draw the first chart for a sidebar of the wrong width and then again (nor show that
    layout for a frame)."""

    async def check(app, pilot):
        chart = app.screen.query_one(SweepView).chart
        assert app.screen.has_class("-wide")
        first = [(w, h) for args, w, h in drawn if args[3] == 2500]  # the first budget's figure: the one on screen
        assert first == [(chart.content_size.width, chart.content_size.height)]

    drive(bundled, [], check, size=(130, 40))


def test_too_small_at_start_draws_no_chart(bundled, drawn):
    """Started below the usable size, the first layout is already the notice: no chart is drawn
    for a layout that would be replaced at once."""
    from tui.app.screens.base import TooSmall

    async def check(app, pilot):
        assert app.screen.query_one(TooSmall).display
        assert drawn == []

    drive(bundled, [], check, size=(40, 12))


def test_a_folded_models_leaves_appear_when_it_unfolds(tmp_path):
    """Past 12 models the folded ones get their leaves only when unfolded; `l` then `j` then
    `enter` opens that model's first benchmark as if the leaves had always been there."""
    from tui.app.widgets.sidebar import StudyTree


    async def check(app, pilot):
        tree = app.screen.query_one(StudyTree)
        second = tree.root.children[0].children[1]
        assert str(second.label) == "m01" and not second.children and len(tree.folded) == 19
        tree.move_cursor(second)
        await press(pilot, "l", "j", "enter")
        assert [str(child.label) for child in second.children] == ["x", "y", "Average"]
        assert app.screen.view == Sweep("m01", "x")
        assert app.screen.query_one(SweepTable).get_cell("2000", "pass_at_1").plain == "3.0"

    drive(many_models(tmp_path), [], check, size=SIZE)


def test_a_click_on_a_row_moves_the_cursor_and_the_chart(long_sweep):
    async def check(app, pilot):
        table = app.screen.query_one(SweepTable)
        await pilot.click(SweepTable, offset=(2, 4))  # the header is line 0: line 4 is the 4th budget
        assert table.cursor_key == "1300"
        assert app.screen.query_one(SweepView).highlight == 1300

    drive(long_sweep, [], check, size=SIZE)



def test_nothing_maximizes_over_the_too_small_notice(bundled):
    """The palette's Maximize can land just after a resize to below the usable size: refused,
    so the notice stays on top (the monkey test found it covering the notice)."""
    from tui.app.screens.base import TooSmall

    async def check(app, pilot):
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert app.screen.maximize(app.screen.query_one(SweepTable)) is False
        await pilot.pause()
        assert app.screen.maximized is None and app.screen.query_one(TooSmall).display
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert app.screen.maximize(app.screen.query_one(SweepTable)) is True

    drive(bundled, [], check, size=SIZE)



def test_the_scaling_view_is_built_after_the_first_chart_and_its_keys_are_in_help(bundled, drawn,
                                                                                      monkeypatch):
    built_after = []
    init = ScalingView.__init__

    def recorded(self, *args, **kwargs):
        built_after.append(len(drawn))
        init(self, *args, **kwargs)

    monkeypatch.setattr(ScalingView, "__init__", recorded)

    async def check(app, pilot):
        assert built_after == [1]  # one view, made once the first sweep chart was drawn
        assert any(isinstance(node, ScalingTable) for node in bound_nodes(app.screen))  # help lists them
        await press(pilot, "s")
        assert app.screen.query_one(ContentSwitcher).current == "scaling"
        assert app.focused is app.screen.query_one(ScalingView).table

    drive(bundled, [], check, size=(130, 40))


def test_a_study_of_scaling_only_opens_on_it_with_its_first_point(tmp_path):
    path = tmp_path / "scaling.csv"
    path.write_bytes((bundled_dir() / "scaling.csv").read_bytes())
    results = load([path])

    async def check(app, pilot):
        view = app.screen.query_one(ScalingView)
        assert app.screen.query_one(ContentSwitcher).current == "scaling"
        assert view.selected == "Kimi-VL-A3B-Thinking" and view.table.cursor_row == 0  # the first row

    drive(results, [], check, size=SIZE)


@pytest.fixture
def three_benchmarks(tmp_path):
    """One model, benchmarks x, y and z at two budgets; `shift` moves every Pass@1 (a new file)."""

    def make(shift: float = 0.0):
        rows = [{"model": "m", "benchmark": b, "kv_budget": k, "pass_at_1": 10.0 * i + k / 1000 + shift,
                 "throughput_tps": 900.0 - k / 10} for i, b in enumerate("xyz") for k in (1000, 2000)]
        path = tmp_path / f"three{shift:g}.csv"
        pl.DataFrame(rows).write_csv(path)
        return load([path])

    return make


def compare_rows(screen) -> list[list[str]]:
    table = screen.table
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def expected_rows(results, left: Sweep, right: Sweep) -> list[list[str]]:
    """The cells `kvscope compare` computes for the pair, straight from the core and render layers."""
    from tui.app.selection import side_label
    from tui.core.compare import compare_metrics, compare_series
    from tui.render.compare import compare_cells

    sides = (left.model, left.benchmark), (right.model, right.benchmark)
    frame = compare_series(results, *sides)
    labels = side_label(left, right), side_label(right, left)
    _, rows = compare_cells(frame, *labels, results.knob_label, compare_metrics(results, *sides))
    return [[cell if isinstance(cell, str) else cell.plain for cell in row] for row in rows]


def compare_titles(drawn) -> list[str]:
    """The titles of the comparison charts drawn (a comparison's draw starts with its CompareChart)."""
    from tui.core.compare import CompareChart

    return [args[1] for args, *_ in drawn if isinstance(args[0], CompareChart)]


def test_a_comparison_got_ready_ahead_is_the_one_shown(three_benchmarks, drawn):
    """With a compare mark set, the sweep under the sidebar cursor is compared ahead in the kept
    screen (its chart drawn into the cache); `c` then shows that comparison, drawing nothing."""
    results = three_benchmarks()
    x, y, z = (Sweep("m", b) for b in "xyz")

    async def check(app, pilot):
        await pilot.press("j", "c", "k")  # mark y, the cursor to x
        await pilot.pause(0.4)
        assert app._compare is None  # before the first comparison there is no screen to fill
        await pilot.press("c")
        await pilot.pause()
        first = app.screen
        assert (first.left, first.right) == (y, x)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c", "j", "j")  # mark x, the cursor to z
        await pilot.pause(0.4)
        assert first._prepared == (x, z) and compare_titles(drawn)[-1] == "m | x vs z"
        before = len(drawn)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is first and (first.left, first.right) == (x, z)
        assert compare_rows(first) == expected_rows(results, x, z)
        assert "m | x vs z" in first.chart.text and len(drawn) == before  # the figure came from the cache
        assert first.table.has_focus and first.table.cursor_coordinate == (0, 0)
        assert {"swap", "layout", "sort(False)", "app.go_back"} <= footer_actions(first)
        await pilot.press("escape")
        await pilot.pause()
        explorer = app.screen
        assert explorer.view == z and not explorer.query_one("#compare-hint").has_class("-shown")
        assert "compare" in footer_actions(explorer) and "swap" not in footer_actions(explorer)

    drive(results, [], check, size=SIZE)


def footer_actions(screen) -> set[str]:
    from tui.app.textual_compat import FooterKey

    return {key.action for key in screen.query(FooterKey)}


def test_the_footer_is_rebuilt_only_when_its_keys_change(three_benchmarks):
    """Focus moving between two widgets with the same keys keeps the footer's items; a focus that
    brings other keys rebuilds them."""
    from tui.app.textual_compat import FooterKey

    async def check(app, pilot):
        screen = app.screen  # the explorer, the sidebar focused
        items = list(screen.query(FooterKey))
        assert "select_cursor" in footer_actions(screen) and "sort(False)" not in footer_actions(screen)
        screen.refresh_bindings()  # nothing changed
        await pilot.pause()
        assert list(screen.query(FooterKey)) == items
        await pilot.press("tab")  # to the sweep table: its keys instead of the sidebar's
        await pilot.pause()
        assert "sort(False)" in footer_actions(screen) and "select_cursor" not in footer_actions(screen)

    drive(three_benchmarks(), [], check, size=SIZE)


def test_a_comparison_ahead_for_another_cursor_or_old_data_is_never_shown(three_benchmarks, drawn):
    """`c` faster than the drawing ahead, or after a reload (--watch), shows the comparison asked
    for, from the data open now."""
    from tui.core.watch import Reload

    results = three_benchmarks()
    x, y, z = (Sweep("m", b) for b in "xyz")

    async def check(app, pilot):
        await pilot.press("c", "j", "c", "escape")  # build the kept screen (x vs y), back
        await pilot.pause()
        kept = app._compare
        await pilot.press("c", "j")  # mark y, the cursor to z: y vs z gets ready
        await pilot.pause(0.4)
        assert kept._prepared == (y, z)
        await pilot.press("k", "k", "c")  # x, before anything is ready for it
        await pilot.pause()
        assert app.screen is kept and (kept.left, kept.right) == (y, x)
        assert compare_rows(kept) == expected_rows(results, y, x) and "m | y vs x" in kept.chart.text
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c", "j")  # mark x, the cursor to y: x vs y ready with the old data
        await pilot.pause(0.4)
        assert kept._prepared == (x, y)
        newer = three_benchmarks(shift=5.0)
        await app._apply_reload(Reload(newer, "reloaded"))
        await pilot.pause()
        assert app.explorer.left == x and app.explorer.view == x  # the reload puts the cursor on it
        await pilot.press("j", "c")  # y again, at once
        await pilot.pause()
        shown = app.screen
        assert shown is not kept and shown.results is newer and (shown.left, shown.right) == (x, y)
        assert compare_rows(shown) == expected_rows(newer, x, y) != expected_rows(results, x, y)

    drive(results, [], check, size=SIZE)


def test_a_kept_comparison_is_restyled_only_when_the_css_changed(three_benchmarks):
    """Showing the kept compare screen again keeps its styles and the rows it laid out ahead;
    a theme chosen while it was hidden restyles it when it shows."""
    results = three_benchmarks()
    x, y = Sweep("m", "x"), Sweep("m", "y")

    async def check(app, pilot):
        await pilot.press("c", "j", "c", "escape")  # build the kept screen (x vs y), back on y
        await pilot.pause()
        kept = app._compare
        dark = kept.table.styles.background
        restyled = []
        notify = kept.table.notify_style_update
        kept.table.notify_style_update = lambda: (restyled.append(1), notify())[1]
        await pilot.press("c", "k")  # mark y, the cursor to x: y vs x gets ready
        await pilot.pause(0.4)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is kept and compare_rows(kept) == expected_rows(results, y, x)
        assert not restyled
        await pilot.press("escape")
        await pilot.pause()
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        await pilot.press("c", "j")  # mark x, the cursor to y
        await pilot.pause(0.4)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is kept and compare_rows(kept) == expected_rows(results, x, y)
        assert restyled and kept.table.styles.background != dark

    drive(results, [], check, size=SIZE)


def test_a_comparison_with_wider_columns_is_laid_out_before_it_shows(tmp_path):
    """Refilled ahead with a longer name (wider columns), the hidden compare screen is laid out
    then, not when `c` shows it; what shows is that comparison, laid out for its widths."""
    long = "z-a-much-longer-benchmark"
    rows = [{"model": "m", "benchmark": b, "kv_budget": k, "pass_at_1": 10.0 * i + k / 1000,
             "throughput_tps": 900.0 - k / 10} for i, b in enumerate(("x", "y", long)) for k in (1000, 2000)]
    pl.DataFrame(rows).write_csv(tmp_path / "wide.csv")
    results = load([tmp_path / "wide.csv"])
    y, z = Sweep("m", "y"), Sweep("m", long)

    async def check(app, pilot):
        await pilot.press("c", "j", "c", "escape")  # build the kept screen (x vs y), back on y
        await pilot.pause()
        kept = app._compare
        narrow = kept.table.virtual_size.width
        await pilot.press("c", "j")  # mark y, the cursor to the long name: y vs it gets ready
        await pilot.pause(0.4)
        layouts = []
        lay_out = kept._refresh_layout
        kept._refresh_layout = lambda *args, **kwargs: (layouts.append(args), lay_out(*args, **kwargs))[1]
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is kept and (kept.left, kept.right) == (y, z)
        assert compare_rows(kept) == expected_rows(results, y, z)
        assert kept.table.virtual_size.width > narrow and not layouts
        widths = [region.width for region in (kept.table.region, kept.chart.region)]
        assert widths == [SIZE[0], SIZE[0]] and kept.table.region.height > 2

    drive(results, [], check, size=SIZE)


@pytest.mark.parametrize("start, end", [((80, 24), (100, 24)), ((100, 30), (100, 22))])
def test_a_comparison_got_ready_before_a_resize_shows_as_a_fresh_one(start, end):
    """The terminal resized after the kept screen was refilled ahead (hidden screens are not
    resized): `c` shows it as a new one at the new size would, with rows painted full width, the
    panes and focus of that size, and the whole chart."""
    results = load([bundled_dir()])

    def shown_after(keys, resize):
        shown = {}

        async def check(app, pilot):
            await press(pilot, *keys[:6])  # the kept screen built, then refilled ahead (mark, move)
            if resize:
                await pilot.pause(0.4)
                await pilot.resize_terminal(*end)
            await press(pilot, *keys[6:])
            screen = app.screen
            table = screen.table
            shown["lines"] = [strip.cell_length for strip in table.render_lines(table.region.reset_offset)]
            shown["pane"] = screen.query_one("#compare-pane").region.height
            shown["focus"] = type(screen.focused).__name__ if screen.focused else None
            shown["chart"] = screen.chart.text
            shown["width"] = table.region.width

        drive(results, [], check, size=start if resize else end)
        return shown

    after_resize = shown_after(["c", "j", "c", "escape", "c", "j", "c"], resize=True)
    fresh = shown_after(["c", "j", "c", "escape", "c", "j", "c"], resize=False)
    assert after_resize == fresh
    assert set(after_resize["lines"]) <= {after_resize["width"]}  # every painted line full width


def test_the_collector_runs_again_after_the_first_frame(bundled):
    """`kvscope open` starts the app with the garbage collector off; once the first frame is out,
    what start-up made is frozen out of its passes and the collector is on again."""
    import gc

    async def check(app, pilot):
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0

    gc.unfreeze()
    gc.disable()
    try:
        drive(bundled, [], check)
    finally:
        gc.enable()
        gc.unfreeze()
