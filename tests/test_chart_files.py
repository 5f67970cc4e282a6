"""Charts written to files (`kvscope chart/scaling --out`): the picture printed, as SVG or text."""

from __future__ import annotations

import re

from helpers import run

CHART = ("chart", "-m", "qwen", "-b", "aime24", "--width", "80", "--height", "22")


def test_txt_file_is_the_chart_that_is_printed(capsys, tmp_path):
    code, printed, _ = run(capsys, *CHART)
    assert code == 0
    out = tmp_path / "aime24.txt"
    code, stdout, err = run(capsys, *CHART, "--out", str(out))
    assert code == 0 and stdout == "" and f"wrote {out} (chart, 80x22 cells)" in err
    written = out.read_text()
    assert written.splitlines() == [line.rstrip() for line in printed.splitlines()]
    assert "R1-Qwen | AIME24" in written and "5000" in written and "Throughput (TPS)" in written


def test_svg_file_draws_the_same_figure_in_colour(capsys, tmp_path):
    out = tmp_path / "aime24.svg"
    code, _, _ = run(capsys, *CHART, "--out", str(out))
    svg = out.read_text()
    assert code == 0 and svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    text = re.sub(r"&#160;|\s+", " ", re.sub(r"<[^>]+>", " ", svg))
    for label in ("R1-Qwen", "AIME24", "2500", "5000", "800", "Throughput"):
        assert label in text
    # Colour survives in the file even though the test's output is not a terminal.
    assert len(set(re.findall(r"fill: ?(#[0-9a-f]{6})", svg))) >= 3


def test_scaling_scatter_to_a_file_prints_nothing_else(capsys, tmp_path):
    out = tmp_path / "scaling.txt"
    code, stdout, _ = run(capsys, "scaling", "--width", "100", "--out", str(out))
    assert code == 0 and stdout == ""
    assert "activated parameters" in out.read_text() and "Kimi-VL" in out.read_text()


def test_an_existing_file_is_kept_unless_forced(capsys, tmp_path):
    out = tmp_path / "c.txt"
    out.write_text("mine\n")
    code, _, err = run(capsys, *CHART, "--out", str(out))
    assert code == 2 and "exists; use --force" in err and out.read_text() == "mine\n"
    code, _, _ = run(capsys, *CHART, "--out", str(out), "--force")
    assert code == 0 and "AIME24" in out.read_text()


def test_an_unknown_extension_is_refused_in_one_line(capsys, tmp_path):
    code, _, err = run(capsys, *CHART, "--out", str(tmp_path / "c.png"))
    assert code == 2 and err.strip().count("\n") == 0
    assert "c.png: a chart is written as .svg or .txt" in err and not (tmp_path / "c.png").exists()


def test_a_chart_too_short_is_refused_before_anything_is_printed(capsys):
    code, out, err = run(capsys, "compare", "R1-Qwen", "R1-Llama", "--chart", "--height", "5")
    assert code == 2 and out == "" and "--height 5 is too short" in err
