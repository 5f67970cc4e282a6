"""Charts read right at every size: round ticks on their rows, labels beside their points,
series told apart without colour. Tick labels are parsed back out of the drawn text."""

from __future__ import annotations

import math
import os
import random
import re
import subprocess
import sys
from itertools import pairwise

import polars as pl
import pytest

from helpers import MIXED_METRICS, drive, run, without_throughput
from tui.core import views
from tui.render.axes import column_of, dual_axes, linear_axis, log_axis, row_of
from tui.render.charts import sweep_chart
from tui.render.figure import MIN_CHART_HEIGHT, MIN_PLOT_ROWS
from tui.render.scatter import scaling_chart, scaling_layout
from tui.render.series import MARKERS, PALETTE, contrast

SIZES = [(60, 16), (80, 24), (100, 30), (120, 40), (200, 60)]
NICE = {1.0, 2.0, 2.5, 5.0}


def frame_of(text: str) -> tuple[list[str], int, int, int]:
    """The chart's lines, the index of its top frame line, its left and right frame columns
    (the last frame in `text`: `compare --chart` prints its table first)."""
    lines = text.splitlines()
    top = max(i for i, line in enumerate(lines) if "┌" in line and "┐" in line)
    return lines, top, lines[top].index("┌"), lines[top].index("┐")


def y_ticks(text: str) -> tuple[int, dict[int, float], dict[int, float]]:
    """Canvas rows, and {canvas row (0 = top): value} for the left and the right axis labels."""
    lines, top, left_col, right_col = frame_of(text)
    bottom = next(i for i in range(top + 1, len(lines)) if "└" in lines[i])
    left, right = {}, {}
    for row, line in enumerate(lines[top + 1:bottom]):
        if line[left_col] == "┤":
            left[row] = float(line[:left_col])
        if len(line) > right_col and line[right_col] == "├":
            right[row] = float(line[right_col + 1:])
    return bottom - top - 1, left, right


def assert_round_and_even(ticks: dict[int, float]) -> tuple[float, float]:
    """Ticks are multiples of one round step, on evenly spaced rows; returns (value per row, step)."""
    assert len(ticks) >= 2, ticks
    rows, values = sorted(ticks), [ticks[r] for r in sorted(ticks)]
    gaps = {b - a for a, b in pairwise(rows)}
    steps = {round(a - b, 9) for a, b in pairwise(values)}
    assert len(gaps) == 1 and len(steps) == 1, ticks  # evenly spaced rows, one step
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in NICE, step
    assert all(abs(v / step - round(v / step)) < 1e-6 for v in values), values
    return step / gaps.pop(), step


def value_of_row(ticks: dict[int, float], row: int) -> float:
    per_row, _ = assert_round_and_even(ticks)
    first = min(ticks)
    return ticks[first] + (first - row) * per_row


def marker_cells(text: str, marker: str) -> list[tuple[int, int]]:
    """(canvas row, column) of every `marker` inside the frame, left to right."""
    lines, top, left_col, right_col = frame_of(text)
    bottom = next(i for i in range(top + 1, len(lines)) if "└" in lines[i])
    cells = [(r, c) for r, line in enumerate(lines[top + 1:bottom])
             for c, ch in enumerate(line[left_col + 1:right_col]) if ch == marker]
    return sorted(cells, key=lambda cell: cell[1])


def test_the_reported_chart_labels_consecutive_round_rows(capsys):
    """`chart -m llama -b avg` at the shortest height: round values on evenly spaced rows."""
    code, out, _ = run(capsys, "chart", "-m", "llama", "-b", "avg", "--height", "16", "--width", "80")
    assert code == 0
    rows, left, right = y_ticks(out)
    assert rows == MIN_PLOT_ROWS
    assert_round_and_even(left)
    assert_round_and_even(right)


@pytest.mark.parametrize("width,height", SIZES)
def test_sweep_chart_ticks_are_round_on_their_rows_and_shared(bundled, width, height):
    frame = views.series(bundled, "R1-Llama", "avg")
    out = sweep_chart([("R1-Llama", frame)], "t", width=width, height=height, color=False)
    rows, left, right = y_ticks(out)
    assert rows >= MIN_PLOT_ROWS
    assert_round_and_even(left)
    assert_round_and_even(right)
    assert set(left) == set(right)  # the two axes share gridline rows
    # Each throughput marker sits on the row its value maps to on the right axis.
    tps = frame.sort("knob")["throughput_tps"].to_list()
    per_row, _ = assert_round_and_even(right)
    found = marker_cells(out, "●")
    assert len(found) == len(tps)
    for (row, _), value in zip(found, tps):
        assert abs(value_of_row(right, row) - value) <= per_row / 2 + 1e-9


@pytest.mark.parametrize("width,height", SIZES)
def test_compare_chart_ticks_and_distinct_series(bundled, width, height):
    qwen, llama = views.series(bundled, "R1-Qwen", "GPQA-D"), views.series(bundled, "R1-Llama", "GPQA-D")
    out = sweep_chart([("R1-Qwen", qwen), ("R1-Llama", llama)], "t", width=width, height=height, color=False)
    rows, left, right = y_ticks(out)
    assert rows >= MIN_PLOT_ROWS
    assert_round_and_even(left)
    assert_round_and_even(right)
    assert set(left) == set(right)
    lines, top, _, _ = frame_of(out)
    legend = "\n".join(lines[top + rows + 3:])  # under the frame and its tick labels
    # "TPS" or "Throughput (TPS)": short metric names where the long ones would take a second line.
    for glyph, name in (("█", "R1-Qwen Pass@1"), ("─●", "R1-Qwen T"),
                        ("▒", "R1-Llama Pass@1"), ("─▲", "R1-Llama T")):
        # on one legend line from 80 columns on
        assert f"{glyph} {name}" in (legend.splitlines()[-1] if width >= 80 else legend)


def test_identical_lines_stay_visible_and_say_so(bundled):
    frame = views.series(bundled, "R1-Qwen", "GPQA-D")
    out = sweep_chart([("A", frame), ("B", frame)], "t", width=80, height=24, color=False)
    assert "─▲ B TPS (same as A)" in out
    wide = sweep_chart([("A", frame), ("B", frame)], "t", width=160, height=24, color=False)
    assert "─▲ B Throughput (TPS) (same as A)" in wide  # long names where they fit on one line
    # the second line's markers are drawn over the first's
    assert len(marker_cells(out, "▲")) == frame.height


@pytest.mark.parametrize("width,height", SIZES)
def test_scaling_ticks_round_and_points_on_their_rows(bundled, width, height):
    points = bundled.scaling
    out = scaling_chart(points, width=width, height=height, color=False)
    rows, left, _ = y_ticks(out)
    assert rows >= MIN_PLOT_ROWS
    per_row, _ = assert_round_and_even(left)
    layout = scaling_layout(points, width, rows, None)
    lines, top, _, _ = frame_of(out)
    drawn = {(r, c) for marker in MARKERS for r, c in marker_cells(out, marker)}
    for model, params, score in zip(points["model"], points["params_b"], points["score"]):
        row, col = row_of(score, layout.y, rows), column_of(math.log10(params), layout.x, layout.cols)
        assert (row, col) in drawn, model  # a marker is drawn there (or one on the same cell)
        assert abs(value_of_row(left, row) - score) <= per_row / 2 + 1e-9, model
    # The log x axis: 1-2-5 values, each label centred under its tick mark, columns in log proportion.
    bottom = lines[top + rows + 1]
    marks = [i for i, ch in enumerate(bottom) if ch == "┬"]
    labels = [(m.start(), m.group()) for m in re.finditer(r"\d+(\.\d+)?", lines[top + rows + 2])]
    assert len(marks) == len(labels) >= 2
    for mark, (start, label) in zip(marks, labels):
        assert start <= mark < start + len(label)
        assert float(label) / 10 ** math.floor(math.log10(float(label))) in (1, 2, 5)
    logs = [math.log10(float(label)) for _, label in labels]
    per_col = (marks[-1] - marks[0]) / (logs[-1] - logs[0])
    for mark, value in zip(marks, logs):
        assert abs(marks[0] + (value - logs[0]) * per_col - mark) <= 1


@pytest.mark.parametrize("width,height", [(80, 24), (120, 40), (60, 16)])
@pytest.mark.parametrize("selected", [None, "Gemma-3-4B-IT"])
def test_every_scatter_label_shares_its_points_row_beside_it(bundled, width, height, selected):
    points = bundled.scaling
    out = scaling_chart(points, width=width, height=height, color=False, selected=selected)
    rows, _, _ = y_ticks(out)
    layout = scaling_layout(points, width, rows, selected)
    lines, top, left_col, _ = frame_of(out)
    canvas = [line[left_col + 1:] for line in lines[top + 1: top + 1 + rows]]
    assert len(layout.labels) >= len(points) * 2 // 3
    # Names are whole: a point without room for its label is listed under the legend instead.
    assert "…" not in out
    assert {label.model for label in layout.labels} | set(layout.unlabelled) == set(points["model"])
    listed = out.split("No room to label:")[1] if layout.unlabelled else ""
    assert all(model in listed for model in layout.unlabelled)
    for label in layout.labels:
        score = points.filter(pl.col("model") == label.model)["score"][0]
        assert label.row == row_of(score, layout.y, rows)  # on the point's row
        assert label.text in (label.model, f"[{label.model}]")
        assert canvas[label.row][label.col:label.col + len(label.text)] == label.text
        assert canvas[label.row][label.point_col] in MARKERS
        # beside it: one blank cell between the point and the label, on either side
        right = label.col == label.point_col + 2
        left = label.col + len(label.text) + 1 == label.point_col
        assert right or left
    if selected and selected not in layout.unlabelled:
        assert any(label.text == f"[{selected}]" for label in layout.labels)
    if selected:  # in colour, the cursor's point is drawn inverted whether or not it has a label
        assert "\x1b[7m" in scaling_chart(points, width=width, height=height, selected=selected)


@pytest.mark.parametrize("width,height", [(80, 24), (120, 40)])
def test_gemma_4b_is_labelled_on_its_own_row_or_listed(bundled, width, height):
    """The reported case: Gemma-3-4B-IT (25.0) was labelled on the 53.0 row at 80x24."""
    out = scaling_chart(bundled.scaling, width=width, height=height, color=False)
    rows, left, _ = y_ticks(out)
    lines, top, _, _ = frame_of(out)
    canvas = lines[top + 1: top + 1 + rows]
    inside = [r for r, line in enumerate(canvas) if "Gemma-3-4B-IT" in line]
    if inside:
        per_row, _ = assert_round_and_even(left)
        assert abs(value_of_row(left, inside[0]) - 25.0) <= per_row / 2 + 1e-9
    else:
        assert "Gemma-3-4B-IT" in out.split("No room to label:")[1]
    if width >= 120:
        assert inside  # room enough here


def test_piped_scaling_legend_tells_families_apart(capsys):
    code, out, _ = run(capsys, "scaling", "--width", "80", "--height", "24")
    assert code == 0 and "\x1b[" not in out
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("● DeepSeek"))  # under the chart
    glyphs = re.findall(r"(\S) (DeepSeek|Gemma|Kimi|Llama|QVQ|Qwen)\b", lines[at])
    assert len(glyphs) == 6 and len({g for g, _ in glyphs}) == 6
    body = "\n".join(lines[:at])
    for glyph, _ in glyphs:
        assert glyph in body  # the family's points are drawn with its marker


def test_a_short_height_is_refused_in_one_line(capsys):
    code, _, err = run(capsys, "chart", "-m", "llama", "-b", "avg", "--height", "12")
    assert code == 2
    assert err.strip().count("\n") == 0 and "--height 12" in err and "15" in err


def test_the_shortest_chart_gives_its_axis_titles_row_to_the_plot(capsys):
    code, out, _ = run(capsys, "chart", "-m", "llama", "-b", "avg", "--height", "15", "--width", "80")
    assert code == 0 and len(out.splitlines()) == 15
    rows, left, right = y_ticks(out)
    assert rows == MIN_PLOT_ROWS and "KV budget" not in out
    assert_round_and_even(left)
    assert set(left) == set(right)
    assert "─● Throughput (TPS)" in out  # the legend still names both metrics
    _, out, _ = run(capsys, "chart", "-m", "llama", "-b", "avg", "--height", "16", "--width", "80")
    assert "KV budget" in out and y_ticks(out)[0] == MIN_PLOT_ROWS


def test_palette_reads_on_dark_and_light_backgrounds():
    assert len(set(PALETTE)) == len(PALETTE) >= 6
    for rgb in PALETTE:
        assert contrast(rgb, (0, 0, 0)) >= 3 and contrast(rgb, (255, 255, 255)) >= 3, rgb


@pytest.mark.parametrize("rows", range(10, 61, 3))
def test_axes_place_every_tick_on_an_exact_row(rows):
    for low, high in ((0, 48.4), (8.6, 61.9), (396, 829), (0.01, 0.07), (1200, 1201)):
        axis = linear_axis(low, high, rows)
        slack = (high - low) * 1e-9
        assert axis.lo <= low + slack and axis.hi >= high - slack
        for tick in axis.ticks:
            exact = (rows - 1) * (tick - axis.lo) / (axis.hi - axis.lo)
            assert abs(exact - round(exact)) < 1e-6
        left, right = dual_axes((0, 48.4), (low, high), rows)
        assert left.rows_per_tick == right.rows_per_tick
        assert right.lo <= low + slack and right.hi >= high - slack


def test_axes_on_random_ranges_stay_round_exact_and_covering():
    rng = random.Random(13)
    for _ in range(400):
        rows = rng.randint(10, 60)
        low = rng.choice([0.0, rng.uniform(-50, 50), rng.uniform(0, 1e4)])
        high = low + rng.choice([rng.uniform(1e-3, 1), rng.uniform(1, 1e3), rng.uniform(1e3, 1e5)])
        other = (rng.uniform(0, 1e3), rng.uniform(1e3, 3e3))
        tallest = abs(high) + 0.01  # bars are measured from 0
        left, right = dual_axes((0.0, tallest), other, rows, left_from_zero=True)
        for axis, (lo, hi) in ((linear_axis(low, high, rows), (low, high)), (left, (0.0, tallest)),
                               (right, other)):
            slack = (hi - lo) * 1e-9
            assert axis.lo <= lo + slack and axis.hi >= hi - slack
            assert len(axis.ticks) >= 3 or rows < 12
            exact = {(rows - 1) * (t - axis.lo) / (axis.hi - axis.lo) for t in axis.ticks}
            assert all(abs(e - round(e)) < 1e-6 for e in exact)
            step = axis.ticks[1] - axis.ticks[0]
            mantissa = step / 10 ** math.floor(math.log10(step))
            assert any(abs(mantissa - m) < 1e-6 for m in (1, 2, 2.5, 5, 10))
            assert [float(label) for label in axis.labels] == pytest.approx(list(axis.ticks))
        assert left.rows_per_tick == right.rows_per_tick


def test_log_axis_thins_ticks_to_fit():
    wide, narrow = log_axis(3, 72, 100), log_axis(3, 72, 12)
    assert [float(v) for v in wide.labels] == [5, 10, 20, 50]
    assert len(narrow.ticks) < len(wide.ticks)


CLI_CHARTS = [
    ("chart", "-m", "llama", "-b", "avg"),
    ("chart", "-m", "qwen", "-b", "aime24"),
    ("compare", "qwen", "llama", "-b", "gpqa", "--chart"),
    ("compare", "aime24", "amc23", "-m", "qwen", "--chart"),
    ("scaling",),
]


@pytest.mark.parametrize("args", CLI_CHARTS, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("width,height", [(60, 16), (80, 24), (200, 60)])
def test_cli_charts_tick_round_on_their_rows(capsys, args, width, height):
    code, out, _ = run(capsys, *args, "--width", str(width), "--height", str(height))
    assert code == 0
    rows, left, right = y_ticks(out)
    assert rows >= MIN_PLOT_ROWS
    assert_round_and_even(left)
    if args[0] != "scaling":
        assert_round_and_even(right)
        assert set(left) == set(right)


def painted(chart) -> str:
    """What the chart widget paints on screen, line by line."""
    return "\n".join("".join(seg.text for seg in chart.render_line(y)).rstrip()
                     for y in range(chart.size.height))


def app_charts(bundled, keys, size, selector):
    """The chart's painted text and the widget's min-height after `keys` from launch."""
    from tui.app.widgets.chart import ChartView

    found = []

    async def check(app, pilot):
        chart = app.screen.query_one(selector, ChartView)
        found.append((painted(chart), chart.styles.min_height.value))

    drive(bundled, keys, check, size=size)
    return found[0]


COMPARE_KEYS = ["G", "k", "k", "c", "k", "k", "k", "k", "k", "k", "c"]  # R1-Qwen vs R1-Llama, GPQA-D


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("keys,selector", [([], "#sweep-chart"), (COMPARE_KEYS, "ChartView")],
                         ids=["sweep", "compare"])
def test_app_charts_tick_round_on_shared_rows(bundled, size, keys, selector, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    text, min_height = app_charts(bundled, keys, size, selector)
    assert min_height == MIN_CHART_HEIGHT  # the widget asks for a full plot area
    rows, left, right = y_ticks(text)
    assert rows >= MIN_PLOT_ROWS
    assert_round_and_even(left)
    assert_round_and_even(right)
    assert set(left) == set(right)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_app_scatter_ticks_and_selected_label(bundled, size, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    text, _ = app_charts(bundled, ["s", "j"], size, "#scaling-chart")
    rows, left, _ = y_ticks(text)
    assert rows >= MIN_PLOT_ROWS
    assert_round_and_even(left)
    # The selected point (Kimi-VL-A3B-Thinking-2506, 56.9) is labelled on the row of 56.9.
    line = next(line for line in text.splitlines() if "[Kimi-VL-A3B-Thinking-2506]" in line)
    row = text.splitlines().index(line) - frame_of(text)[1] - 1
    per_row, _ = assert_round_and_even(left)
    assert abs(value_of_row(left, row) - 56.9) <= per_row / 2 + 1e-9


@pytest.mark.parametrize("width", [27, 30, 33, 37, 41, 45, 60, 80])
def test_bars_stay_apart_on_narrow_charts(bundled, width):
    frame = views.series(bundled, "R1-Llama", "AIME24").select("knob", "pass_at_1", "pass_at_1_how")
    for frames in ([("A", frame)], [("A", frame), ("B", frame)]):
        out = sweep_chart(frames, "t", width=width, height=16, color=False)
        bottom = [line for line in out.splitlines() if "┤" in line][-1]
        inside = bottom.split("┤", 1)[1].rsplit("│", 1)[0]
        assert len(inside.split()) == frame.height  # one run of bar cells per budget


def test_crowded_budget_labels_are_the_same_in_every_run():
    """plotext drops colliding x labels itself, differently from one process to the next (it
    depends on hash order); the chart picks which labels to show so the picture never changes."""
    script = ("from tui.core.loader import load\nfrom tui.core import views\n"
              "from tui.render.charts import sweep_chart\n"
              "s = views.series(load(), 'R1-Llama', 'AIME24')\n"
              "for w in range(30, 46):\n"
              "    out = sweep_chart([('x', s)], 't', width=w, height=22, color=False, highlight=2500.0)\n"
              "    print([line for line in out.splitlines() if '2500' in line][0])\n")
    runs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3, 4)}
    assert len(runs) == 1
    assert all(len(line.split()) >= 3 for line in runs.pop().splitlines())


def test_compare_chart_of_different_metrics_draws_the_throughput_line_alone(capsys, write):
    path = write("mixed.csv", MIXED_METRICS)
    code, out, err = run(capsys, "compare", "alpha", "beta", str(path), "--chart", "--width", "70", "--height", "16")
    assert code == 0
    assert err.strip() == "kvscope: the chart shows throughput only: Pass@1 and acc are different metrics"
    chart = out[out.index("M | alpha vs beta", out.index("different metrics")):]
    assert "alpha Throughput (TPS)" in chart and "beta Throughput (TPS)" in chart
    assert "Pass@1" not in chart and "█" not in chart  # no bars, no left axis title
    _, left, right = y_ticks(chart)
    assert not left and min(right.values()) <= 500 and max(right.values()) >= 640


def test_compare_chart_with_nothing_to_draw_says_so_instead_of_an_empty_frame(capsys, write):
    path = write("mixed.csv", without_throughput(MIXED_METRICS))
    code, out, err = run(capsys, "compare", "alpha", "beta", str(path), "--chart")
    assert code == 0 and "alpha Pass@1" in out  # the table is still printed
    assert err.strip() == "kvscope: no chart: Pass@1 and acc are different metrics, and no throughput"
    assert "┌" not in out  # no chart frame


def test_fill_boundaries_found_in_one_pass_answer_as_plotexts_own_and_are_used():
    """tui.render.figure replaces plotext's get_fill_boundaries (it compares every pair of a
    filled shape's points) with a one-pass equal: the same answers as plotext's own code, read
    from its source, on random shapes; and drawing a sweep's bars goes through it."""
    import inspect

    import plotext._utility as plotext_utility

    from tui.render import figure

    source = inspect.getsource(plotext_utility)
    start = source.index("def get_fill_boundaries")
    namespace = {"transpose": plotext_utility.transpose}
    exec(source[start:source.index("\ndef ", start + 1)], namespace)  # plotext's own, as shipped
    plotexts = namespace["get_fill_boundaries"]
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 40)
        x, y = [rng.randint(0, 6) for _ in range(n)], [rng.randint(-5, 30) for _ in range(n)]
        assert figure._lowest_at_each_x(x, y) == list(plotexts(x, y))
    assert plotext_utility.get_fill_boundaries is figure._lowest_at_each_x
    calls = []
    plotext_utility.get_fill_boundaries = lambda x, y: calls.append(1) or figure._lowest_at_each_x(x, y)
    try:
        frame = pl.DataFrame({"knob": [1000.0, 2000.0], "pass_at_1": [40.0, 50.0], "throughput_tps": [900.0, 800.0],
                              "pass_at_1_how": ["measured"] * 2, "throughput_tps_how": ["measured"] * 2})
        sweep_chart([("m", frame)], "m | b", width=60, height=20, color=False)
    finally:
        plotext_utility.get_fill_boundaries = figure._lowest_at_each_x
    assert calls  # each bar is a filled rectangle


def rich_figure(chart: str, width: int, height: int, style):
    """What rich renders of `chart` (its ANSI colours decoded) on `style`, `width` x `height`."""
    from rich.console import Console
    from rich.text import Text

    console = Console(width=width, color_system="truecolor", force_terminal=True)
    text = Text.from_ansi(chart, no_wrap=True, overflow="ellipsis")
    options = console.options.update(width=width, height=height, no_wrap=True, overflow="ellipsis")
    return console.render_lines(text, options, style=style, pad=True)


def cells(lines) -> list[list[tuple[str, object]]]:
    """Each line as (character, style) pairs: equal when painted alike, however cut in segments."""
    return [[(char, segment.style) for segment in line for char in segment.text] for line in lines]


@pytest.mark.parametrize("width,height", [*SIZES, (54, 38), (40, 12)])
def test_chart_widget_reads_figures_as_rich_renders_them(bundled, width, height):
    """The chart widget reads plotext's colours itself; each figure (sweeps, a comparison, the
    scaling scatter, with a wide-character title, with colour and without) paints the same
    cells as rich's ANSI decoder paints them."""
    from rich.style import Style
    from rich.text import Text

    from tui.app.widgets.chart import figure_lines

    style = Style.parse("#e0e0e0 on #1e1e1e")
    qwen, llama = views.series(bundled, "R1-Qwen", "GPQA-D"), views.series(bundled, "R1-Llama", "avg")
    charts = [sweep_chart([("R1-Qwen", qwen)], "R1-Qwen | GPQA-D", width=width, height=height, highlight=3500),
              sweep_chart([("R1-Qwen", qwen), ("R1-Llama", llama)], "模型-7B vs R1", width=width, height=height),
              scaling_chart(bundled.scaling, width=width, height=height),
              sweep_chart([("R1-Llama", llama)], "t", width=width, height=height, color=False)]
    fast = 0
    for chart in charts:
        figure = figure_lines(chart, width, height, style)
        if figure is not None:
            fast += 1
            assert cells(figure[0]) == cells(rich_figure(chart, width, height, style))
            assert figure[1] == Text.from_ansi(chart).plain
    assert fast >= 3


def test_chart_widget_leaves_other_codes_and_long_lines_to_rich():
    from rich.style import Style

    from tui.app.widgets.chart import figure_lines

    style = Style()
    assert figure_lines("\x1b[1mbold\x1b[0m", 10, 2, style) is None  # not plotext's
    assert figure_lines("x" * 11, 10, 2, style) is None  # rich cuts it with an ellipsis
    assert figure_lines("a\rb", 10, 2, style) is None
    red, plain = figure_lines("\x1b[38;2;255;0;0mab\nc\x1b[0md", 4, 3, style)
    assert plain == "ab\ncd" and cells(red) == cells(rich_figure("\x1b[38;2;255;0;0mab\nc\x1b[0md", 4, 3, style))
    assert len(red) == 3 and red[0][0].style.color.triplet == (255, 0, 0)
