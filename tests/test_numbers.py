"""Issue 12 item 8: no binary float noise in anything printed or exported.

The real files are a kvpress RULER sweep (tests/real_files/output/, see SOURCES.md): its
per-task scores have two decimals, and their mean over 13 tasks is where noise appears
(95.26153846153845 on one path, 95.26153846153846 on another). The shared real_results
hold lm-eval fractions that become noise when scaled to % (22.400000000000002).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from helpers import run
from tui.core.schema import format_knob
from tui.render.numbers import exact, exact_floats, exact_text

KVPRESS = Path(__file__).parent / "real_files" / "output" / "kvpress__fax4ever_kvpress-vllm-tests"
REAL = Path(__file__).parents[1].parent / "shared" / "real_results"
# 13 or more significant digits: a value carrying a binary remainder, e.g. 80.80000000000001.
NOISE = re.compile(r"\d*\.\d+(?:e-?\d+)?")


def noisy(text: str) -> list[str]:
    return [n for n in NOISE.findall(text) if len(n.split("e")[0].replace(".", "").lstrip("0")) > 12]


@pytest.mark.parametrize("value, text", [
    (42.699999999999996, "42.7"), (80.80000000000001, "80.8"), (0.547 * 100, "54.7"),
    (95.26153846153845, "95.2615384615"), (215.53594200008774, "215.535942"), (2500.0, "2500"),
    (1e-7, "1e-07"), (-3.3000000000000003, "-3.3"), (0.0, "0"), (123456789012.5, "123456789012"),
])
def test_one_rule_keeps_the_digits_a_file_means(value, text):
    assert exact_text(value) == text


def test_the_rule_rounds_in_decimal_so_tiny_values_stay_clean():
    # polars' own round_sig_figs leaves 7.272752877070001e-12 here
    assert repr(exact(7.272752877074406e-12)) == "7.27275287707e-12"


def test_float32_columns_keep_their_own_precision():
    frame = exact_floats(pl.DataFrame({"x": pl.Series([0.1, 42.7], dtype=pl.Float32), "n": [1, 2]}))
    assert frame["x"].to_list() == [0.1, 42.7] and frame["n"].dtype == pl.Int64


def test_knob_labels_follow_the_rule():
    assert [format_knob(v) for v in (0.30000000000000004, 0.125, 1234567.5, 2500.0)] == \
        ["0.3", "0.125", "1234567.5", "2500"]


@pytest.mark.parametrize("args", [
    ("summary", "-f", "csv"), ("summary", "-f", "json"), ("summary", "-f", "markdown"),
    ("readings", "-f", "csv"), ("readings", "-f", "json"),
    ("table", "-m", "zerofill", "-f", "csv"), ("table", "-m", "zerofill", "-f", "json"),
    ("export", "-f", "csv"), ("export", "-f", "json"), ("export", "-f", "markdown", "--tidy"),
    ("export", "-f", "latex", "--tidy"), ("export", "-f", "markdown"), ("export", "-f", "latex"),
])
def test_kvpress_means_print_without_noise(capsys, args):
    code, out, err = run(capsys, args[0], str(KVPRESS), *args[1:])
    assert code == 0, err
    assert not noisy(out)


def test_a_mean_has_one_value_whatever_path_computed_it(capsys):
    _, out, _ = run(capsys, "summary", str(KVPRESS), "-f", "json")
    best = {(r["model"], r["benchmark"]): r["best_value"] for r in json.loads(out)["sweep"]}
    stale = best[("Qwen3-8B · press=filtering_stale_keydiff", "ruler")]
    # mean of the 13 RULER tasks at ratio 0.75, each written with two decimals
    scores = json.loads((KVPRESS / "ruler__4096__Qwen--Qwen3-8B__filtering_stale_keydiff__0.75" /
                         "metrics.json").read_text())
    assert stale == exact(sum(t["string_match"] for t in scores.values()) / len(scores)) == 95.2707692308
    _, csv, _ = run(capsys, "export", str(KVPRESS), "-f", "csv")
    assert ",96.07," in csv and ",95.73," in csv  # the file's own two decimals, as written


@pytest.mark.skipif(not REAL.is_dir(), reason=f"real result files not found at {REAL}")
@pytest.mark.parametrize("args", [
    ("summary", "-f", "csv"), ("readings", "-f", "json"), ("export", "-f", "csv"), ("export", "-f", "json"),
    ("table", "-m", "R1-Llama", "-f", "csv"),
])
def test_scaled_fractions_print_without_noise(capsys, args):
    code, out, err = run(capsys, args[0], str(REAL), *args[1:])
    assert code == 0, err
    assert not noisy(out)


def test_latex_paper_table_writes_fractional_budgets_as_they_are(capsys):
    # a compression ratio of 0.25 printed with no decimals became "0"
    _, out, _ = run(capsys, "export", str(KVPRESS), "-f", "latex")
    budgets = [line.split(" & ")[1] for line in out.splitlines() if line.startswith("Qwen3-8B")]
    assert budgets == ["0.25", "0.5", "0.75"] * 3
    _, bundled, _ = run(capsys, "export", "-f", "latex")
    assert "R1-Llama & 2500 & 40.0 & 20.0 & 79.0 & 37.9 & 44.2 & 578\\textasciitilde{} \\\\" in bundled
