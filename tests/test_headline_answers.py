"""compare, advise, frontier, returns and insights score each sweep by its headline metric and name it.

Checked on real files: a kvpress RULER sweep (`string_match`, 3 presses x 3 compression ratios,
tests/real_files/output) and lm-eval leaderboard results (`acc_norm`, ../shared/real_results);
see their SOURCES.md. Expected numbers are read from the files themselves.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import polars as pl
import pytest

from helpers import drive, press, run
from tui.core import answers
from tui.core.compare import compare_budgets, compare_series, named_by_metric
from tui.core.loader import load
from tui.core.schema import SWEEP_SCHEMA

KVPRESS = Path(__file__).parent / "real_files" / "output" / "kvpress__fax4ever_kvpress-vllm-tests"
REAL = Path(__file__).parents[1].parent / "shared" / "real_results"
TRUTH = Path(__file__).parent / "real_files" / "truth"
LEADERBOARD = (REAL / "lm_eval_harness" / "v0.4.8pre__csabakecskemeti"
               / "results_2025-01-26T22-29-00.931915.json")
STALE, ZEROFILL = "filtering_stale_keydiff", "filtering_zerofill_keydiff"
RATIOS = ("0.25", "0.50", "0.75")
STALE_QA1 = ("-m", "stale", "-b", "ruler/qa_1")


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.delenv("NO_COLOR", raising=False)


def string_match(press: str, ratio: str, task: str) -> float:
    """The value kvpress wrote for one task of one run."""
    folder = KVPRESS / f"ruler__4096__Qwen--Qwen3-8B__{press}__{ratio}"
    return json.loads((folder / "metrics.json").read_text())[task]["string_match"]


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def words(text: str) -> str:
    return " ".join(text.split())


# -- compare ---------------------------------------------------------------------------------------

def test_compare_two_presses_shows_string_match_and_its_deltas(capsys):
    code, out, err = run(capsys, "compare", "stale", "zerofill", "-b", "ruler/qa_1", str(KVPRESS),
                         "-f", "csv")
    assert code == 0, err
    got = rows(out)
    left, right = (f"Qwen3-8B · press={p}:string_match" for p in (STALE, ZEROFILL))
    assert [r["compression_ratio"] for r in got] == ["0.25", "0.5", "0.75"]
    for row, ratio in zip(got, RATIOS):
        a, b = string_match(STALE, ratio, "qa_1"), string_match(ZEROFILL, ratio, "qa_1")
        assert (float(row[left]), float(row[right])) == (a, b)
        assert float(row["delta_string_match"]) == pytest.approx(b - a)
    assert not any("pass_at_1" in column for column in got[0])

    _, table, _ = run(capsys, "compare", "stale", "zerofill", "-b", "ruler/qa_1", str(KVPRESS))
    assert "Δ string_match" in table and "Pass@1" not in table
    assert "▼ −0.6" in table  # 80.2 - 80.8 at 0.5


def test_compare_models_on_their_average_of_string_match():
    results = load([KVPRESS])
    stale, zero = (m for m in results.models if m.endswith((STALE, ZEROFILL)))
    frame = compare_series(results, (stale, "avg"), (zero, "avg"))
    tasks = [t for t in json.loads((KVPRESS / f"ruler__4096__Qwen--Qwen3-8B__{STALE}__0.25" / "metrics.json")
                                   .read_text())]
    mean = sum(string_match(STALE, "0.25", t) for t in tasks) / len(tasks)
    first = frame.row(0, named=True)
    assert first["left_string_match"] == pytest.approx(mean)
    assert first["delta_string_match"] == pytest.approx(first["right_string_match"] - mean, abs=1e-6)


def test_compare_budgets_names_the_metric_it_compares(capsys):
    results = load([KVPRESS])
    frame = compare_budgets(results, 0.25, 0.75)
    assert set(frame["metric"].drop_nulls()) == {"string_match"}
    named = named_by_metric(frame)
    cwe = named.filter(pl.col("benchmark") == "ruler/cwe").row(0, named=True)
    a, b = string_match(STALE, "0.25", "cwe"), string_match(STALE, "0.75", "cwe")
    assert (cwe["string_match_a"], cwe["string_match_b"]) == (a, b)
    assert cwe["delta_string_match"] == pytest.approx(b - a)
    _, out, _ = run(capsys, "compare", "0.25", "0.75", str(KVPRESS))
    assert "string_match" in out and "Pass@1" not in out


def test_two_benchmarks_by_different_metrics_get_no_delta(capsys):
    code, out, _ = run(capsys, "compare", "leaderboard_gpqa_diamond", "leaderboard_ifeval", str(LEADERBOARD))
    assert code == 0 and "acc_norm" in out and "prompt_level_strict_acc" in out
    assert "No Δ acc_norm: acc_norm and prompt_level_strict_acc are different metrics" in words(out)


# -- advise ----------------------------------------------------------------------------------------

def test_advise_min_score_on_string_match(capsys):
    code, out, err = run(capsys, "advise", str(KVPRESS), *STALE_QA1, "--min-score", "81.3", "-f", "csv")
    assert code == 0, err
    (row,) = rows(out)
    values = {r: string_match(STALE, r, "qa_1") for r in RATIOS}  # 81.2, 80.8, 81.4
    picked = (row["status"], row["compression_ratio"], float(row["string_match"]))
    assert picked == ("ok", "0.75", values["0.75"])
    assert row["constraints"] == "string_match >= 81.3"
    assert "pass_at_1" not in row
    # --min-pass1 is the same option
    _, alias, _ = run(capsys, "advise", str(KVPRESS), *STALE_QA1, "--min-pass1", "81.3", "-f", "csv")
    assert alias == out
    _, none_fits, _ = run(capsys, "advise", str(KVPRESS), *STALE_QA1, "--min-score", "90")
    assert "string_match >= 90" in words(none_fits) and "Pass@1" not in none_fits


def test_advise_on_acc_norm_of_an_lm_eval_file(capsys):
    task = json.loads(LEADERBOARD.read_text())["results"]["leaderboard_gpqa_diamond"]
    _, out, _ = run(capsys, "advise", str(LEADERBOARD), "-b", "leaderboard_gpqa_diamond", "-f", "csv")
    (row,) = rows(out)
    assert row["status"] == "ok" and float(row["acc_norm"]) == pytest.approx(task["acc_norm,none"] * 100)


def test_advise_over_benchmarks_by_different_metrics_names_each_rows_metric(capsys):
    _, out, _ = run(capsys, "advise", str(LEADERBOARD), "-f", "csv")
    got = {r["benchmark"]: r for r in rows(out)}
    assert got["leaderboard_gpqa_diamond"]["metric"] == "acc_norm"
    assert got["leaderboard_ifeval"]["metric"] == "prompt_level_strict_acc"
    ifeval = json.loads(LEADERBOARD.read_text())["results"]["leaderboard_ifeval"]
    expected = ifeval["prompt_level_strict_acc,none"] * 100
    assert float(got["leaderboard_ifeval"]["score"]) == pytest.approx(expected)
    _, table, _ = run(capsys, "advise", str(LEADERBOARD))
    assert "Metric" in table and "Score" in table and "Pass@1" not in table


def test_advise_by_metric_override(capsys):
    hellaswag = json.loads(LEADERBOARD.read_text())["results"]["hellaswag"]
    _, out, _ = run(capsys, "--metric", "acc", "advise", str(LEADERBOARD), "-f", "csv")
    got = {r["benchmark"]: r for r in rows(out)}
    assert float(got["hellaswag"]["acc"]) == pytest.approx(hellaswag["acc,none"] * 100)
    assert got["leaderboard_gpqa_diamond"]["status"] == "no acc data"


def test_advise_names_lm_eval_03_grade_and_04_exact_match(capsys):
    bigbench = TRUTH / "lm_eval_0.3__saucam_model_evals" / "bigbench.json"
    grade = json.loads(bigbench.read_text())["results"]["bigbench_causal_judgement"]["multiple_choice_grade"]
    _, out, _ = run(capsys, "advise", str(bigbench), "-b", "bigbench_causal_judgement", "-f", "csv")
    (row,) = rows(out)
    assert float(row["multiple_choice_grade"]) == pytest.approx(grade * 100)
    assert "highest multiple_choice_grade" in row["note"]
    gsm8k = REAL / "lm_eval_harness" / "v0.4.2plus__saucam_model_evals" / "gsm8k.json"
    strict = json.loads(gsm8k.read_text())["results"]["gsm8k"]["exact_match,strict-match"]
    _, out, _ = run(capsys, "advise", str(gsm8k), "-f", "csv")
    (row,) = rows(out)
    assert float(row["exact_match (strict-match)"]) == pytest.approx(strict * 100)


# -- returns, insights -----------------------------------------------------------------------------

def test_returns_steps_and_knee_in_string_match(capsys):
    _, out, _ = run(capsys, "returns", str(KVPRESS), "-m", "zerofill", "-b", "ruler/qa_2", "-f", "json")
    doc = json.loads(out)
    values = [string_match(ZEROFILL, r, "qa_2") for r in RATIOS]
    assert [s["string_match"] for s in doc["steps"]] == values
    steps = [b - a for a, b in itertools.pairwise(values)]
    assert [s["d_pass"] for s in doc["steps"][1:]] == pytest.approx(steps)
    # compression_ratio is not a token budget: no knee rule in points per 1,000 tokens applies.
    assert doc["knee"]["rule"] is None and "compression_ratio is not one" in doc["knee"]["sentence"]
    assert "string_match" in doc["knee"] and "pass_at_1" not in doc["knee"]
    _, table, _ = run(capsys, "returns", str(KVPRESS), "-m", "zerofill", "-b", "ruler/qa_2")
    assert "Δstring_match" in table and "Pass@1" not in table


def test_insights_sentences_name_string_match(capsys):
    _, out, _ = run(capsys, "insights", str(KVPRESS), "-m", "stale", "-b", "ruler/qa_1", "-f", "csv")
    text = out.replace('"', "")
    peak = max(string_match(STALE, r, "qa_1") for r in RATIOS)
    assert f"string_match peaks at {peak:.1f} at compression_ratio 0.75" in text
    assert "unconstrained pick is compression_ratio 0.75 (string_match 81.4" in text
    assert "Pass@1" not in text


# -- frontier and dominance: scores by different metrics are never compared ------------------------

def _sweep(rows_: list[tuple]) -> pl.DataFrame:
    base = {"n": 1, "stderr": None, "how": "measured", "reading": "accepted", "source": "t", "note": ""}
    keys = ("model", "benchmark", "knob", "metric", "value")
    return pl.DataFrame([dict(zip(keys, r), **base) for r in rows_], schema=SWEEP_SCHEMA)


def test_frontier_keeps_each_metric_apart():
    tps = "throughput_tps"
    sweep = _sweep([("A", "b", 1, "acc_norm", 50), ("A", "b", 1, tps, 100),
                    ("B", "c", 1, "exact_match", 90), ("B", "c", 1, tps, 200)])
    scores = answers.Scores(of={"b": "acc_norm", "c": "exact_match"}.get,
                            average_of={"A": "acc_norm", "B": "exact_match"}.get)
    out = answers.frontier(sweep, "avg", scores=scores)
    # B is better on both numbers, but 90 exact_match is not comparable with 50 acc_norm.
    assert out.select("model", "metric", "on_frontier").rows() == [("A", "acc_norm", True),
                                                                   ("B", "exact_match", True)]
    assert answers.dominance(sweep, "avg", "B", "A", scores=scores).holds is False
    same = answers.Scores(of=lambda b: "acc_norm" if b == "b" else "exact_match",
                          average_of=lambda m: "acc_norm")
    one = _sweep([("A", "b", 1, "acc_norm", 50), ("A", "b", 1, tps, 100),
                  ("B", "b", 1, "acc_norm", 60), ("B", "b", 1, tps, 200)])
    out = answers.frontier(one, "b", scores=same)
    assert out.filter(pl.col("model") == "A")["dominated_by_model"].item() == "B"
    summary = answers.dominance(one, "b", "B", "A", scores=same).summary
    assert "at least as good on acc_norm and throughput" in summary


# -- the bundled data keeps its Pass@1 names -------------------------------------------------------

def test_bundled_outputs_keep_pass_at_1(capsys):
    _, out, _ = run(capsys, "compare", "2500", "5000", "-f", "csv")
    assert out.splitlines()[0].startswith("model,benchmark,pass_at_1_a,pass_at_1_b,delta_pass_at_1,")
    _, out, _ = run(capsys, "advise", "-f", "csv")
    assert out.splitlines()[0].startswith("model,benchmark,status,kv_budget,pass_at_1,throughput_tps,")
    _, out, _ = run(capsys, "returns", "-m", "qwen", "-b", "amc23")
    assert "ΔPass@1 /1k" in out


# -- the explorer -----------------------------------------------------------------------------------

def test_explorer_constraints_and_compare_use_string_match():
    from textual.widgets import Label

    from tui.app.screens.compare import CompareScreen
    from tui.app.selection import Sweep
    from tui.app.widgets.sweep_view import SweepView

    results = load([KVPRESS])
    stale, zero = (m for m in results.models if m.endswith((STALE, ZEROFILL)))

    async def check(app, pilot):
        sweep = app.screen.query_one(SweepView)
        app.screen.open(Sweep(stale, "ruler/qa_1"))
        await pilot.pause()
        await press(pilot, "a")
        labels = [str(label.content) for label in app.screen.query(Label)]
        assert "Minimum string_match" in labels and not any("Pass@1" in text for text in labels)
        assert "Maximum compression_ratio" in labels and not any("budget" in text for text in labels)
        await press(pilot, "tab", "tab", "type:81.3", "enter")
        assert sweep.constraints.min_score == 81.3
        notes = " ".join(app.screen.query_one("#sweep-notes").text.plain.split())
        assert "a: string_match >= 81.3" in notes
        assert "advised compression_ratio 0.75 (string_match 81.4)" in notes
        app.push_screen(CompareScreen(results, Sweep(stale, "ruler/qa_1"), Sweep(zero, "ruler/qa_1")))
        await pilot.pause()
        row = app.screen.frame.filter(pl.col("knob") == 0.5).row(0, named=True)
        a, b = string_match(STALE, "0.50", "qa_1"), string_match(ZEROFILL, "0.50", "qa_1")
        assert (row["left_string_match"], row["right_string_match"]) == (a, b)
        assert row["delta_string_match"] == pytest.approx(b - a)

    drive(results, [], check, size=(120, 40))


def _lm_eval_file(folder: Path, budget: int, perplexity: float, acc: float) -> Path:
    path = folder / f"kv_budget={budget}" / "results_2025.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({
        "results": {"wikitext": {"word_perplexity,none": perplexity, "bits_per_byte,none": 0.6},
                    "arc_easy": {"acc,none": acc, "acc_stderr,none": 0.01}},
        "versions": {"wikitext": 2, "arc_easy": 1}, "config": {"model_args": "pretrained=Org/M"}}))
    return path


def test_a_less_is_better_metric_is_never_ranked_as_more_is_better(capsys, tmp_path):
    """wikitext's perplexity is lower at 4096 than at 1024: a "Best" of the highest perplexity
    would be a wrong answer, so it is no headline, and --metric refuses it in one line."""
    _lm_eval_file(tmp_path, 1024, 12.5, 0.70)
    _lm_eval_file(tmp_path, 4096, 9.5, 0.75)
    results = load([tmp_path])
    assert results.headline("wikitext") is None and results.headline("arc_easy") == "acc"
    code, out, _ = run(capsys, "summary", str(tmp_path), "--format", "csv")
    rows = {r["benchmark"]: r for r in csv.DictReader(io.StringIO(out))}
    assert code == 0 and rows["arc_easy"]["best_value"] == "75.0" and rows["arc_easy"]["best_budget"] == "4096"
    assert rows["wikitext"]["best_value"] == ""
    code, _, err = run(capsys, "summary", str(tmp_path), "--metric", "word_perplexity")
    assert code == 2 and err.count("\n") == 1 and "word_perplexity: less is better" in err
