"""Inspect AI logs (.json and .eval) and evalscope reports: real files' headline numbers through the
public loader and the CLI, and broken copies that must fail with one line naming the tool.

The real files are in tests/real_files/importers (see its SOURCES.md).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest

from helpers import run
from tui.core.errors import InputError
from tui.core.loader import load
from tui.core.schema import PARENT

REAL = Path(__file__).parent / "real_files" / "importers"
INSPECT = REAL / "inspect_ai__UKGovernmentBEIS_inspect_ai"
POPULARITY_EVAL = INSPECT / "2025-02-11T15-18-04-05-00_popularity_mj7khqpMM4GBCfVQozKgzB.eval"
POPULARITY_JSON = INSPECT / "2025-05-12T20-28-13-04-00_popularity.json"
STREAMING_EVAL = INSPECT / "log_streaming.eval"
DEDUP_EVAL = INSPECT / "log_message_deduplication.eval"
ARC_JSON = REAL / "inspect_ai__evaleval_every_eval_ever" / "data_arc_qwen.json"
CEVAL = REAL / "evalscope__modelscope_evalscope" / "ceval.json"
IFEVAL = REAL / "evalscope__modelscope_evalscope" / "ifeval.json"
MATH500 = REAL / "evalscope__modenicheng_llm_eval_evalscope" / "math_500.json"


def cell(path: Path, benchmark: str, metric: str) -> dict:
    """The one loaded row of `benchmark` and `metric` in the file at `path`."""
    sweep = load([path]).sweep
    rows = sweep.filter((pl.col("benchmark") == benchmark) & (pl.col("metric") == metric)).to_dicts()
    assert len(rows) == 1, sweep.select("benchmark", "metric").to_dicts()
    return rows[0]


# (file, model, benchmark, metric, value shown (%), stderr shown (%))
INSPECT_HEADLINES = [
    (POPULARITY_EVAL, "gpt-4o-mini", "popularity", "accuracy", 80.0, 13.333333333333333),
    (STREAMING_EVAL, "Meta-Llama-3-1-405B-Instruct-jqf", "popularity", "accuracy", 75.0, 25.0),
    (DEDUP_EVAL, "hardcoded", "guess_number", "accuracy", 0.0, 0.0),
    (POPULARITY_JSON, "gpt-4o-mini", "popularity", "accuracy", 66.66666666666666, 33.333333333333337),
    (ARC_JSON, "ollama/qwen2.5:0.5b", "arc_easy", "accuracy", 33.33333333333333, 33.333333333333337),
]


@pytest.mark.parametrize(("path", "model", "benchmark", "metric", "value", "stderr"), INSPECT_HEADLINES,
                         ids=lambda v: v.name if isinstance(v, Path) else None)
def test_inspect_log_headline_numbers(path, model, benchmark, metric, value, stderr):
    row = cell(path, benchmark, metric)
    assert row["model"] == model
    assert row["value"] == pytest.approx(value)
    assert row["stderr"] == pytest.approx(stderr)


def test_inspect_notes_say_version_task_and_an_unfinished_status():
    assert "task inspect_evals/arc_easy" in cell(ARC_JSON, "arc_easy", "accuracy")["note"]
    note = cell(POPULARITY_JSON, "popularity", "accuracy")["note"]
    assert "inspect_ai 0.3.95" in note and "status cancelled, 3 of 3 samples completed" in note


@pytest.mark.parametrize(("path", "expected"), [
    (POPULARITY_EVAL, ["popularity", "accuracy", "80.0"]),
    (STREAMING_EVAL, ["Meta-Llama-3-1-405B-", "75.0"]),
    (ARC_JSON, ["arc_easy", "33.3"]),
], ids=lambda v: v.name if isinstance(v, Path) else None)
def test_inspect_logs_through_the_cli(capsys, path, expected):
    code, out, err = run(capsys, "summary", str(path))
    assert code == 0, err
    for text in expected:
        assert text in out


def test_two_inspect_runs_with_other_limits_are_not_repeats(capsys):
    """The .eval ran 10 samples, the .json 3: different settings, so one is skipped, never averaged."""
    code, out, err = run(capsys, "summary", str(INSPECT))
    assert code == 0, err
    assert "not a repeat" in err and "limit 10 vs 3" in err
    assert "80.0" in out and "73.3" not in out


def test_evalscope_0x_report_with_subsets():
    assert cell(CEVAL, "ceval", "AverageAccuracy")["value"] == pytest.approx(82.5)
    network = cell(CEVAL, "ceval/computer_network", "AverageAccuracy")
    assert network["value"] == pytest.approx(70.0) and network["model"] == "Qwen2.5-7B-Instruct"
    subset = load([CEVAL]).sweep.filter(pl.col("benchmark") == "ceval/operating_system")
    assert subset[PARENT].to_list() == ["ceval"]


def test_evalscope_1x_report_scores_as_percent_and_perf_in_seconds():
    assert cell(IFEVAL, "ifeval", "mean_prompt_level_strict")["value"] == pytest.approx(90.0)
    assert cell(IFEVAL, "ifeval", "mean_inst_level_loose")["value"] == pytest.approx(96.67)
    assert cell(IFEVAL, "ifeval", "ttft_p99_s")["value"] == pytest.approx(0.630964)
    assert cell(IFEVAL, "ifeval", "avg_output_tps")["value"] == pytest.approx(41.92)
    assert cell(IFEVAL, "ifeval", "avg_req_per_s")["value"] == pytest.approx(0.0903)


def test_evalscope_report_of_another_user():
    assert cell(MATH500, "math_500", "mean_acc")["value"] == pytest.approx(97.99)
    assert cell(MATH500, "math_500/Level 5", "mean_acc")["value"] == pytest.approx(95.31)


@pytest.mark.parametrize(("path", "expected"), [
    (CEVAL, ["Qwen2.5-7B-Instruct", "82.5", "computer_network", "70.0"]),
    (IFEVAL, ["qwen-plus", "ifeval", "90.0"]),
    (MATH500, ["qwen3-max", "98.0", "Level 4", "96.9"]),
], ids=lambda v: v.name if isinstance(v, Path) else None)
def test_evalscope_reports_through_the_cli(capsys, path, expected):
    code, out, err = run(capsys, "summary", str(path))
    assert code == 0, err
    for text in expected:
        assert text in out


def _as_schema_2(metric: dict, identity: dict, multiplier: float) -> dict:
    """A 1.x metric in the shape evalscope's Report model writes for schema 2 (identity, semantics)."""
    metric = {key: value for key, value in metric.items() if key != "name"}
    return {"identity": identity, **metric, "semantics": {"display_multiplier": multiplier}}


def test_evalscope_schema_2_names_metrics_by_identity_and_scales_as_declared(tmp_path):
    """Schema 2 (2026) as evalscope's own Report model defines it, built from the real 1.x report."""
    data = json.loads(IFEVAL.read_text())
    strict, inst = data["metrics"][0], data["metrics"][1]
    data["metrics"] = [
        _as_schema_2(strict, {"name": "prompt_level_strict", "aggregation": "mean", "dimensions": {}}, 100.0),
        _as_schema_2(inst, {"name": "inst_level_strict", "aggregation": "pass_at", "dimensions": {"k": 1}},
                     100.0),
        _as_schema_2({**inst, "score": 0.35}, {"name": "bleu", "aggregation": "mean"}, 1.0),
    ]
    data["metrics"][0]["categories"][0]["subsets"].append({"name": "all", "score": 0.9, "num": 10,
                                                            "is_aggregate": True})
    data.update(schema_version=2)
    data.pop("score")
    path = tmp_path / "ifeval.json"
    path.write_text(json.dumps(data))
    assert cell(path, "ifeval", "prompt_level_strict")["value"] == pytest.approx(90.0)
    assert cell(path, "ifeval", "pass_at_inst_level_strict (k=1)")["value"] == pytest.approx(96.67)
    assert cell(path, "ifeval", "bleu")["value"] == pytest.approx(0.35)
    assert "ifeval/all" not in load([path]).sweep["benchmark"].to_list()


def test_evalscope_knob_from_the_path(tmp_path):
    folder = tmp_path / "kv_budget=2048" / "reports" / "qwen3-max"
    folder.mkdir(parents=True)
    shutil.copy(MATH500, folder / "math_500.json")
    results = load([tmp_path])
    assert results.knob == "kv_budget" and results.sweep["knob"].unique().to_list() == [2048.0]


def test_inspect_version_1_results_shape(tmp_path):
    """Log format 1 had one `scorer` and its `metrics` beside it (Inspect still reads it so)."""
    data = json.loads(ARC_JSON.read_text())
    score = data["results"].pop("scores")[0]
    scorer = {key: value for key, value in score.items() if key != "metrics"}
    data["results"].update(scorer=scorer, metrics=score["metrics"])
    data["version"] = 1
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(data))
    row = cell(path, "arc_easy", "accuracy")
    assert row["value"] == pytest.approx(33.33333333333333)
    assert row["stderr"] == pytest.approx(33.333333333333337)


def test_inspect_scorers_and_reducers_are_kept_apart(tmp_path):
    data = json.loads(ARC_JSON.read_text())
    choice = data["results"]["scores"][0]
    at_most = json.loads(json.dumps(choice))
    at_most.update(reducer="max")
    at_most["metrics"]["accuracy"]["value"] = 0.5
    other = json.loads(json.dumps(choice))
    other.update(name="match", scorer="match")
    other["metrics"]["accuracy"]["value"] = 0.25
    choice["reducer"] = other["reducer"] = "mean"
    data["results"]["scores"] = [choice, at_most, other]
    path = tmp_path / "scorers.json"
    path.write_text(json.dumps(data))
    assert cell(path, "arc_easy", "accuracy (choice, mean)")["value"] == pytest.approx(33.33333333333333)
    assert cell(path, "arc_easy", "accuracy (choice, max)")["value"] == pytest.approx(50.0)
    assert cell(path, "arc_easy", "accuracy (match, mean)")["value"] == pytest.approx(25.0)


def test_inspect_knob_from_the_task_arguments(tmp_path):
    """Runs of one task at several budgets (`-T kv_budget=N`) open as one sweep with the budget on x."""
    for budget, accuracy in ((1024, 0.25), (4096, 0.5)):
        data = json.loads(ARC_JSON.read_text())
        data["eval"]["task_args"] = {"kv_budget": budget}
        data["results"]["scores"][0]["metrics"]["accuracy"]["value"] = accuracy
        (tmp_path / f"arc_{budget}.json").write_text(json.dumps(data))
    results = load([tmp_path])
    sweep = results.sweep.filter(pl.col("metric") == "accuracy").sort("knob")
    assert results.knob == "kv_budget"
    assert sweep["knob"].to_list() == [1024.0, 4096.0] and sweep["value"].to_list() == [25.0, 50.0]


# Broken copies of the real files -> (what the one-line error must say)
def _eval_without_header(tmp_path: Path) -> Path:
    path = tmp_path / "running.eval"
    with zipfile.ZipFile(STREAMING_EVAL) as src, zipfile.ZipFile(path, "w") as dst:
        for name in src.namelist():
            if name != "header.json":
                dst.writestr(name, src.read(name))
    return path


def _eval_with_header(tmp_path: Path, change) -> Path:
    path = tmp_path / "changed.eval"
    with zipfile.ZipFile(STREAMING_EVAL) as src, zipfile.ZipFile(path, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "header.json":
                header = json.loads(data)
                change(header)
                data = json.dumps(header).encode()
            dst.writestr(name, data)
    return path


def _changed(source: Path, tmp_path: Path, name: str, change) -> Path:
    """A copy of the real JSON file `source`, named `name`, after `change(data)`."""
    data = json.loads(source.read_text())
    change(data)
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2))
    return path


def _json_log(tmp_path: Path, change) -> Path:
    return _changed(ARC_JSON, tmp_path, "log.json", change)


def _report(tmp_path: Path, change) -> Path:
    return _changed(MATH500, tmp_path, "math_500.json", change)


BROKEN = {
    "eval without header": (_eval_without_header,
                            "Inspect AI .eval log: no header.json (the eval did not finish"),
    "eval of version 9": (lambda t: _eval_with_header(t, lambda h: h.update(version=9)),
                          "Inspect AI .eval log: unknown log format version 9 (known: 1 to 3)"),
    "eval with no scores": (lambda t: _eval_with_header(t, lambda h: h["results"].update(scores=[])),
                            "Inspect AI .eval log: no scores in results"),
    "json started, no results": (lambda t: _json_log(t, lambda d: d.update(status="started", results=None)),
                                 "Inspect AI .json log: no results (status 'started'"),
    "json without version": (lambda t: _json_log(t, lambda d: d.pop("version")),
                             "Inspect AI .json log: unknown log format version None"),
    "json metric not a number": (
        lambda t: _json_log(t, lambda d: d["results"]["scores"][0]["metrics"]["accuracy"].update(value="hi")),
        "score 'choice' metric 'accuracy' is 'hi', not a number"),
    "report without metrics": (lambda t: _report(t, lambda d: d.pop("metrics")),
                               "evalscope report: no 'metrics' list"),
    "report metric without score": (lambda t: _report(t, lambda d: d["metrics"][0].pop("score")),
                                    "evalscope report: a metric without a name and a 'score'"),
    "report of schema 9": (lambda t: _report(t, lambda d: d.update(schema_version=9)),
                           "evalscope report: unknown schema_version 9 (known: 1 and 2)"),
    "report without dataset name": (lambda t: _report(t, lambda d: d.update(dataset_name="")),
                                    "evalscope report: no 'dataset_name'"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_files_fail_with_one_line_naming_the_tool(capsys, tmp_path, case):
    make, expected = BROKEN[case]
    path = make(tmp_path)
    with pytest.raises(InputError, match=None) as caught:
        load([path])
    assert expected in str(caught.value)
    code, out, err = run(capsys, "summary", str(path))
    assert code == 2
    assert expected in err and str(path.name) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_zip_that_is_not_an_inspect_log_is_not_claimed(tmp_path):
    path = tmp_path / "other.eval"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.json", "{}")
    with pytest.raises(InputError, match="binary file"):
        load([path])


def test_eval_logs_are_found_in_folders(tmp_path):
    shutil.copy(STREAMING_EVAL, tmp_path / "log_streaming.eval")
    (tmp_path / "notes.md").write_text("not a result")
    results = load([tmp_path])
    assert results.files == (tmp_path / "log_streaming.eval",)
    assert results.sweep["value"].to_list() == [75.0]


def test_evalscope_low_scores_are_scaled_once(tmp_path):
    """A 0.4 % score (0.004 in the report) must not become 40 %: the importer scales by the report's
    rule and the loader's fraction rule leaves it alone."""
    data = json.loads(CEVAL.read_text())
    for subset in data["metrics"][0]["categories"][0]["subsets"]:
        subset["score"] = 0.004
    data["score"] = data["metrics"][0]["score"] = data["metrics"][0]["categories"][0]["score"] = 0.004
    path = tmp_path / "ceval.json"
    path.write_text(json.dumps(data))
    assert cell(path, "ceval", "AverageAccuracy")["value"] == pytest.approx(0.4)
    assert cell(path, "ceval/computer_network", "AverageAccuracy")["value"] == pytest.approx(0.4)
