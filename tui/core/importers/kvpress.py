"""NVIDIA kvpress `evaluation/evaluate.py` result folders: metrics.json beside config.yaml.

evaluate.py writes `<dataset>__<data_dir>__<org--model>__<press>__<ratio>/` holding
predictions.csv, metrics.json and config.yaml (its EvaluationConfig). metrics.json alone is
an anonymous `{name: {metric: score}}`, so it is only claimed when the sibling config.yaml
has kvpress's keys. Its shape follows the dataset's scorer: `{subtask: {metric: score}}`
(ruler), `{bucket: score}` (longbench-e) or a single number (longbench). Scores are already
0-100, so nothing is rescaled.

Benchmark: `<dataset>/<subtask>` (ruler/cwe, ruler/niah_single_1), not a `subtask` dimension:
lm-eval and lighteval files name subtasks as benchmarks too (leaderboard_bbh_navigate), and
keeping the (model, benchmark, knob, metric) key unique per subtask lets every view work
without knowing about dimensions. The dataset itself (`ruler`) gets one derived row per
metric, the mean over its subtasks — the headline RULER score — marked how="derived"; the
subtasks name it as their group (column `parent`), so an average never counts them twice.
A non-numeric data_dir is a subset (longbench's task) and joins the benchmark name.
Dimensions: `press` (press_name) and `context_length` (a numeric data_dir, ruler's 4096, else
max_context_length). Knob: compression_ratio, found by find_knob among the config keys.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tui.core import schema
from tui.core.errors import InputError
from tui.core.files import Sniffed
from tui.core.importers.common import frame, json_document, knob_name, model_name, number
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule, as_number, find_knob

TOOL = "kvpress"


def read_config(path: Path) -> dict:
    """Top-level `key: value` scalars of a YAML file. Nested blocks (model_kwargs) and wrapped
    continuation lines (press_init_command) are skipped: nothing kvscope needs lives there."""
    config: dict = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return config
    for line in lines:
        if not line.strip() or line[0] in " \t#-":
            continue
        key, sep, value = line.partition(":")
        if sep and key.strip():
            config[key.strip()] = _scalar(value.split(" #", 1)[0].strip())
    return config


def _scalar(text: str) -> object:
    if text.lower() in {"", "null", "~"}:
        return None
    if text.lower() in {"true", "false"}:
        return text.lower() == "true"
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1]
    number_value = as_number(text)
    if number_value is not None:
        integral = number_value.is_integer() and not any(c in text.lower() for c in ".e")
        return int(number_value) if integral else number_value
    return text


def _config(path: Path) -> dict:
    config_path = path.parent / "config.yaml"
    return read_config(config_path) if config_path.is_file() else {}


def matches(file: Sniffed) -> bool:
    # A score is a JSON object, or a bare number, beside the run's config.yaml.
    if not (file.head[:1] == "{" or file.head.strip()[:1].isdigit()) or file.fmt not in ("json", "text"):
        return False
    config = _config(file.path)
    if not ("dataset" in config and ("press_name" in config or "compression_ratio" in config)):
        return False
    data = json_document(file)
    return not isinstance(data, bool) and isinstance(data, (dict, int, float))


def _scores(path: Path, data: object) -> list[tuple[str | None, str, float]]:
    if not isinstance(data, dict):
        return [(None, "score", number(data, path, "the score"))]
    found = []
    for subtask, entry in data.items():
        pairs = entry.items() if isinstance(entry, dict) else [("score", entry)]
        found += [(subtask, metric, number(value, path, f"{subtask!r} {metric!r}")) for metric, value in pairs]
    return [item for item in found if item[2] is not None]


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    path, data = file.path, file.document()
    config = _config(path)
    scores = _scores(path, data)
    if not scores:
        raise InputError("kvpress metrics.json has no scores", path=path)
    dataset, data_dir = str(config["dataset"]), config.get("data_dir")
    numeric_dir = as_number(data_dir) is not None
    base = dataset if data_dir in (None, "") or numeric_dir else f"{dataset}/{data_dir}"
    context = data_dir if numeric_dir else config.get("max_context_length")
    dims = {"press": config.get("press_name"), "context_length": context}
    dims = {k: str(v) for k, v in dims.items() if v is not None}

    folder = path.parent.parent if path.parent.name.isdigit() else path.parent  # evaluate.py's re-run subfolder
    parts = folder.name.split("__")
    raw_model = config.get("model") or (parts[2].replace("--", "/") if len(parts) >= 4 else None)
    model, model_note = model_name(raw_model, path)
    knob = find_knob(path, config, rule=rule)
    note = "; ".join(filter(None, ["kvpress", model_note]))
    rows = [{"model": model, "benchmark": base if sub is None else f"{base}/{sub}", "metric": metric,
             "value": value, "note": note, **dims} for sub, metric, value in scores]
    for metric in dict.fromkeys(m for sub, m, _ in scores if sub is not None):
        parts_values = [v for sub, m, v in scores if sub is not None and m == metric]
        if len(parts_values) > 1:
            rows.append({"model": model, "benchmark": base, "metric": metric, "how": "derived",
                         "value": sum(parts_values) / len(parts_values), **dims,
                         "note": f"{note}; mean of {len(parts_values)} {dataset} subtasks"})
    out = frame(rows, list(dims), str(path), knob)
    if any(row["how"] == "derived" for row in rows if "how" in row):  # ruler/cwe ... under ruler
        out = out.with_columns(pl.when(pl.col("benchmark").str.starts_with(f"{base}/"))
                               .then(pl.lit(base)).otherwise(None).alias(schema.PARENT))
    return Imported(tool="kvpress", frame=out,
                    knob_name=knob_name(rule, knob), dims=list(dims),
                    covers=(path, path.parent / "config.yaml"))
