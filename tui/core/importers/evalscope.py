"""ModelScope evalscope reports: `outputs/<run>/reports/<model>/<dataset>.json`.

Shapes handled, both seen in real files: 0.x (early 2025: `name` "<model>_<dataset>", metrics
such as `AverageAccuracy`) and 1.x (`name` "<model>@<dataset>", `dataset_pretty_name`,
`analysis`, `perf_metrics`, metrics such as `mean_acc`, `mean_prompt_level_strict`).

- model: `model_name`, benchmark: `dataset_name` (`gsm8k`, `math_500`).
- `metrics[]`: each metric's `score` under its own name. evalscope reports every score as a
  0-1 mean over samples, so a metric whose values all lie in [0, 1] is shown as %, whatever its
  name (`mean_prompt_level_strict` too, which kvscope's name rule would not call accuracy).
- `categories[].subsets[]`: a dataset scored in several subsets (C-Eval's subjects, MATH-500's
  levels) gets one benchmark per subset, `<dataset>/<subset>`, whose group is the dataset.
- `perf_metrics.summary` (1.x, when the run recorded timings): latency, TTFT and TPOT in
  seconds (`ttft_p99_s`), per-request output tokens/s as `avg_output_tps`.
The knob is found in the path only: the report records no run configuration.
"""

from __future__ import annotations

import polars as pl

from tui.core import schema
from tui.core.errors import InputError
from tui.core.files import Sniffed
from tui.core.importers.common import benchmark_name, frame, json_document, model_name, number
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule, find_knob
from tui.core.metrics import FRACTION_NOTE, is_accuracy_like, percent

TOOL = "evalscope"

# perf_metrics.summary statistics kept, and their names in kvscope (the unit is seconds).
PERF_STATS = {"mean": "mean", "50%": "p50", "90%": "p90", "99%": "p99"}
PERF_SERIES = ("latency", "ttft", "tpot")
PERF_RATES = {"avg_output_tps": "avg_output_tps", "avg_req_ps": "requests_per_s"}
PERF_METRICS = frozenset([f"{series}_{label}_s" for series in PERF_SERIES for label in PERF_STATS.values()]
                         + list(PERF_RATES.values()))


def matches(file: Sniffed) -> bool:
    if file.fmt != "json" or file.head[:1] != "{" or '"dataset_name"' not in file.head:
        return False
    data = json_document(file, blame=('"dataset_name"',))
    return isinstance(data, dict) and "dataset_name" in data and "model_name" in data


def _metrics(data: dict, file: Sniffed) -> list[dict]:
    metrics = data.get("metrics")
    if not isinstance(metrics, list) or not metrics:
        raise InputError(f"{TOOL} report: no 'metrics' list (an unknown report version?)", path=file.path)
    for metric in metrics:
        if not isinstance(metric, dict) or not isinstance(metric.get("name"), str) or "score" not in metric:
            raise InputError(f"{TOOL} report: a metric without 'name' and 'score': {str(metric)[:80]}",
                             path=file.path)
    return metrics


def _subsets(metric: dict) -> dict[str, object]:
    """Subset name -> score, over all categories; {} when the dataset has a single subset."""
    found: dict[str, object] = {}
    for category in metric.get("categories") or []:
        for subset in (category.get("subsets") or []) if isinstance(category, dict) else []:
            if isinstance(subset, dict) and isinstance(subset.get("name"), str):
                found.setdefault(subset["name"], subset.get("score"))
    return found if len(found) > 1 else {}


def _perf_rows(data: dict, file: Sniffed) -> list[dict]:
    perf = data.get("perf_metrics")
    summary = perf.get("summary") if isinstance(perf, dict) else None
    if not isinstance(summary, dict):
        return []
    rows = []
    for series in PERF_SERIES:
        stats = summary.get(series) if isinstance(summary.get(series), dict) else {}
        for key, label in PERF_STATS.items():
            value = number(stats.get(key), file.path, f"perf_metrics {series} {key!r}")
            if value is not None:
                rows.append({"metric": f"{series}_{label}_s", "value": value})
    rates = summary.get("throughput") if isinstance(summary.get("throughput"), dict) else {}
    for key, name in PERF_RATES.items():
        value = number(rates.get(key), file.path, f"perf_metrics throughput {key!r}")
        if value is not None:
            rows.append({"metric": name, "value": value})
    return rows


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    data = file.document()
    assert isinstance(data, dict)  # matches() checked it
    dataset = data.get("dataset_name")
    if not isinstance(dataset, str) or not dataset.strip():
        raise InputError(f"{TOOL} report: no 'dataset_name'", path=file.path)
    model, model_note = model_name(data.get("model_name"), file.path)
    rows, parents = [], {}
    for metric in _metrics(data, file):
        name = metric["name"]
        score = number(metric["score"], file.path, f"metric {name!r} score")
        if score is not None:
            rows.append({"benchmark": benchmark_name(dataset), "metric": name, "value": score})
        for subset, value in _subsets(metric).items():
            child = benchmark_name(f"{dataset}/{subset}")
            parents[child] = benchmark_name(dataset)
            value = number(value, file.path, f"metric {name!r} subset {subset!r} score")
            if value is not None:
                rows.append({"benchmark": child, "metric": name, "value": value})
    rows += [{"benchmark": benchmark_name(dataset), **row} for row in _perf_rows(data, file)]
    note = "; ".join(filter(None, [TOOL, model_note]))
    knob = find_knob(file.path, {}, rule=rule)
    out = _fractions_as_percent(frame([{**row, "model": model, "note": note} for row in rows], [],
                                      str(file.path), knob))
    if parents:  # a column only where the report has subsets: other frames stay in the plain schema
        groups = [parents.get(benchmark) for benchmark in out["benchmark"]]
        out = out.with_columns(pl.Series(schema.PARENT, groups, pl.String))
    shape = "1.x" if "dataset_pretty_name" in data or "@" in str(data.get("name", "")) else "0.x"
    knob_name = rule.name if rule else (knob[0] if knob else None)
    return Imported(tool=f"{TOOL} report {shape}", frame=out, knob_name=knob_name, dims=[],
                    covers=(file.path,))


def _fractions_as_percent(out: pl.DataFrame) -> pl.DataFrame:
    """Scores whose metric name the loader's rule would not scale (tui.core.metrics) shown as %
    like the others: every evalscope score is a 0-1 mean. Accuracy-named ones are left to the loader."""
    names = [m for m in out["metric"].unique().to_list() if not is_accuracy_like(m) and m not in PERF_METRICS]
    ranges = out.filter(pl.col("metric").is_in(names)).group_by("metric").agg(
        low=pl.col("value").min(), high=pl.col("value").max())
    fractions = ranges.filter((pl.col("low") >= 0) & (pl.col("high") <= 1))["metric"].to_list()
    if not fractions:
        return out
    hit = pl.col("metric").is_in(fractions)
    return out.with_columns(value=pl.when(hit).then(percent("value")).otherwise(pl.col("value")),
                            note=pl.when(hit).then(pl.format("{}; {}", pl.col("note"), pl.lit(FRACTION_NOTE)))
                            .otherwise(pl.col("note")))

