"""Names are data: markup, terminal escapes, bidi overrides and wide characters print literally or
sanitised, and can never move the cursor, retitle the terminal or break a table."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tui.cli import main

HOSTILE = {
    "markup": "[bold red]x[/]",
    "osc_title": "evil\x1b]0;pwned\x07",
    "csi_clear": "clr\x1b[2J\x1b[H",
    "bidi": "abc\u202edcba",
    "wide": "模型-7B",
    "formula": "=HYPERLINK(\"http://x\")",
}


@pytest.fixture
def hostile_file(write):
    rows = ["model,benchmark,kv_budget,pass_at_1,throughput_tps"]
    for i, name in enumerate(HOSTILE.values()):
        quoted = '"' + name.replace('"', '""') + '"'
        rows += [f"{quoted},{quoted},2500,{40 + i},700", f"{quoted},{quoted},3000,{45 + i},650"]
    return write("hostile.csv", "\n".join(rows) + "\n")


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # so names are not wrapped across lines


def run(capsys, *args):
    try:
        main(list(args))
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr().err
    return capsys.readouterr().out


def assert_inert(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_summary_table_shows_markup_literally_and_strips_controls(capsys, hostile_file):
    out = run(capsys, "summary", str(hostile_file))
    assert_inert(out)
    assert "[bold red]x[/]" in out
    assert "模型-7B" in out and "evil\ufffd]0;pwned\ufffd" in out


def test_chart_title_is_inert(capsys, hostile_file):
    out = run(capsys, "chart", str(hostile_file), "-m", "clr", "-b", "clr", "--width", "60")
    assert_inert(out)
    assert "clr\ufffd[2J" in out


def test_markdown_escapes_pipes_and_controls(capsys, hostile_file):
    out = run(capsys, "summary", str(hostile_file), "-f", "markdown")
    assert_inert(out)
    table = [line for line in out.splitlines() if line.startswith("|")]
    cells = table[0].count("|")
    assert all(line.count("|") - line.count("\\|") == cells for line in table)


def test_csv_neutralises_formulas_and_controls(capsys, hostile_file):
    out = run(capsys, "summary", str(hostile_file), "-f", "csv")
    assert_inert(out)
    models = [row["model"] for row in csv.DictReader(io.StringIO(out))]
    assert "'=HYPERLINK(\"http://x\")" in models
    assert not any(m.startswith(("=", "+", "@")) for m in models)


def test_json_keeps_names_exactly_but_escaped(capsys, hostile_file):
    out = run(capsys, "summary", str(hostile_file), "-f", "json")
    assert "\x1b" not in out  # json escapes it as \\u001b
    models = {row["model"] for row in json.loads(out)["sweep"]}
    assert HOSTILE["osc_title"] in models and HOSTILE["markup"] in models
