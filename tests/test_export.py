"""`kvscope export`: data formats round-trip, paper tables are escaped, writes are atomic and safe."""

from __future__ import annotations

import polars as pl
import pytest

from helpers import run
from tui.render.export import latex, latex_escape, write_atomic


def test_parquet_round_trips_every_accepted_value(capsys, tmp_path, bundled):
    out = tmp_path / "all.parquet"
    code, _, err = run(capsys, "export", "-f", "parquet", "-o", str(out))
    assert code == 0 and "120 rows" in err
    frame = pl.read_parquet(out)
    assert frame.height == bundled.sweep.height + bundled.aggregates.height
    row = frame.filter((pl.col("model") == "R1-Qwen") & (pl.col("benchmark") == "AIME25")
                       & (pl.col("kv_budget") == 4000)
                       & (pl.col("metric") == "pass_at_1")).row(0, named=True)
    assert row["value"] == 35.9 and row["how"] == "derived"


def test_latex_paper_table_is_booktabs_with_real_values(capsys):
    code, out, _ = run(capsys, "export", "-f", "latex", "-m", "qwen")
    assert code == 0
    assert r"\toprule" in out and r"\midrule" in out and r"\bottomrule" in out
    # TPS was read off a chart, one AIME25 value derived: marked as in every table, legend in the caption.
    assert r"R1-Qwen & 3500 & 42.0 & 36.0 & 90.5 & 48.0 & 54.1 & 670\textasciitilde{} \\" in out
    assert r"R1-Qwen & 4000 & 46.0 & 35.9* & 87.5" in out
    assert r"\textasciitilde{} read off a chart; * derived.}" in out
    assert "R1-Llama" not in out
    assert r"Pass@1 (\%)" in out


def test_markdown_paper_table(capsys):
    _, out, _ = run(capsys, "export", "-f", "markdown")
    assert "| R1-Llama | 3000 | 44.7 | 24.7 | 86.5 | 45.8 | 50.4 | 525~ |" in out
    assert out.rstrip().endswith("~ read off a chart   * derived")


def test_markdown_and_latex_carry_the_same_cells(capsys):
    """Same decimals, marks and minus sign in both paper tables (LaTeX only escapes the ~)."""
    _, md, _ = run(capsys, "export", "-f", "markdown")
    _, tex, _ = run(capsys, "export", "-f", "latex")
    md_rows = [[c.strip() for c in line.strip("|").split("|")] for line in md.splitlines()[2:] if line.startswith("|")]
    tex_rows = [[c.strip().replace(r"\textasciitilde{}", "~") for c in line.removesuffix(r" \\").split("&")]
                for line in tex.splitlines() if line.startswith("R1-")]
    assert md_rows == tex_rows and len(md_rows) == 12
    assert any(cell.endswith("*") for row in md_rows for cell in row)


def test_latex_escapes_specials():
    assert latex_escape("a_b & 50% #1 {x} ~^\\") == (r"a\_b \& 50\% \#1 \{x\} "
                                                     r"\textasciitilde{}\textasciicircum{}\textbackslash{}")
    text = latex(pl.DataFrame({"Model": ["x_$y"], "v": [1.25]}))
    assert r"x\_\$y & 1.2" in text or r"x\_\$y & 1.3" in text


def test_never_overwrites_without_force(capsys, tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("precious")
    code, _, err = run(capsys, "export", "-o", str(target))
    assert code == 2 and "exists; use --force" in err and target.read_text() == "precious"
    code, _, _ = run(capsys, "export", "-o", str(target), "--force")
    assert code == 0 and target.read_text().startswith("model,benchmark,kv_budget")


def test_binary_needs_out(capsys):
    code, out, err = run(capsys, "export", "-f", "parquet")
    assert code == 2 and "binary format" in err and out == ""


def test_atomic_write_leaves_nothing_on_failure(tmp_path, monkeypatch):
    import os

    target = tmp_path / "x.csv"

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, b"data")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_destination_is_one_line(capsys, tmp_path):
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "no" / "such" / "dir" / "x.csv"))
    assert code == 2 and "cannot write" in err and len(err.strip().splitlines()) == 1


def test_a_copied_row_is_guarded_against_spreadsheet_formulas_like_the_csv_export():
    from tui.render.tables import tsv_rows

    pasted = tsv_rows([["Model", "Pass@1", "Δ", "TPS"], ["=HYPERLINK(\"x\")", "48.4~", "\u22120.9", "-"]])
    assert pasted == "Model\tPass@1\tΔ\tTPS\n'=HYPERLINK(\"x\")\t48.4~\t\u22120.9\t-\n"
    assert tsv_rows([["-2+3+cmd", "-1.5", "@sum", "a\tb"]]) == "'-2+3+cmd\t-1.5\t'@sum\ta\ufffdb\n"
