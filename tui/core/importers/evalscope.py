"""ModelScope evalscope reports: `outputs/<run>/reports/<model>/<dataset>.json`.

Shapes handled: 0.x (early 2025: `name` "<model>_<dataset>", metrics such as `AverageAccuracy`)
and 1.x (`name` "<model>@<dataset>", `dataset_pretty_name`, `analysis`, `perf_metrics`, metrics
such as `mean_acc`, `mean_prompt_level_strict`), both seen in real files; and report schema 2
(`"schema_version": 2`, 2026), read as evalscope's own Report model defines it: each metric
named by an `identity` {name, aggregation, dimensions} and carrying its display `semantics`.
A `schema_version` above 2 is refused as unknown.

- model: `model_name`, benchmark: `dataset_name` (`gsm8k`, `math_500`).
- `metrics[]`: each metric's `score` under its own name (schema 2: the identity's name, with a
  non-mean aggregation and the dimensions added: `accuracy (k=1)`). Shown as %: schema 2 when its
  semantics say `display_multiplier` 100; older reports when all the metric's values lie in
  [0, 1], whatever its name (`mean_prompt_level_strict` too), since those versions reported every
  score as a 0-1 mean.
- `categories[].subsets[]`: a dataset scored in several subsets (C-Eval's subjects, MATH-500's
  levels) gets one benchmark per subset, `<dataset>/<subset>`, whose group is the dataset.
- `perf_metrics.summary` (when the run recorded timings): latency, TTFT and TPOT in seconds
  (`ttft_p99_s`); `avg_output_tps` and `avg_req_per_s` are per-request rates (mean output tokens
  or 1 over the mean latency), not the server's throughput, so neither becomes throughput_tps.
The knob is found in the path only: the report records no run configuration.
"""

from __future__ import annotations

import polars as pl

from tui.core import schema
from tui.core.errors import InputError
from tui.core.files import Sniffed
from tui.core.importers.common import benchmark_name, frame, json_document, knob_name, model_name, number
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule, find_knob
from tui.core.metrics import FRACTION_NOTE, is_accuracy_like, percent

TOOL = "evalscope"

# perf_metrics.summary statistics kept, and their names in kvscope (the unit is seconds).
PERF_STATS = {"mean": "mean", "50%": "p50", "90%": "p90", "99%": "p99"}
PERF_SERIES = ("latency", "ttft", "tpot")
PERF_RATES = {"avg_output_tps": "avg_output_tps", "avg_req_ps": "avg_req_per_s"}
SCHEMAS = (1, 2)
PERF_METRICS = frozenset([f"{series}_{label}_s" for series in PERF_SERIES for label in PERF_STATS.values()]
                         + list(PERF_RATES.values()))


def matches(file: Sniffed) -> bool:
    if file.fmt != "json" or file.head[:1] != "{" or '"dataset_name"' not in file.head:
        return False
    data = json_document(file, blame=('"dataset_name"',))
    return isinstance(data, dict) and "dataset_name" in data and "model_name" in data


def _metrics(data: dict, file: Sniffed) -> list[dict]:
    version = data.get("schema_version", 1)
    if version not in SCHEMAS:
        raise InputError(f"{TOOL} report: unknown schema_version {version!r} (known: 1 and 2)",
                         path=file.path)
    metrics = data.get("metrics")
    if not isinstance(metrics, list) or not metrics:
        raise InputError(f"{TOOL} report: no 'metrics' list", path=file.path)
    for metric in metrics:
        if not isinstance(metric, dict) or _metric_name(metric) is None or "score" not in metric:
            raise InputError(f"{TOOL} report: a metric without a name and a 'score': {str(metric)[:80]}",
                             path=file.path)
    return metrics


def _metric_name(metric: dict) -> str | None:
    """The metric's name: `name` (0.x, 1.x) or, in schema 2, its identity as one readable name."""
    identity = metric.get("identity")
    if not isinstance(identity, dict):
        return metric["name"] if isinstance(metric.get("name"), str) else None
    if not isinstance(identity.get("name"), str):
        return None
    aggregation, name = identity.get("aggregation"), identity["name"]
    if aggregation not in (None, "mean", "identity"):
        name = f"{aggregation}_{name}"
    dimensions = identity.get("dimensions") if isinstance(identity.get("dimensions"), dict) else {}
    labels = ", ".join(f"{key}={value}" for key, value in sorted(dimensions.items()))
    return f"{name} ({labels})" if labels else name


def _percent_metric(metric: dict) -> bool | None:
    """Whether schema 2 semantics declare the score a 0-1 ratio shown as %; None when undeclared."""
    semantics = metric.get("semantics")
    if not isinstance(semantics, dict) or "display_multiplier" not in semantics:
        return None
    return semantics.get("display_multiplier") == 100


def _subsets(metric: dict) -> dict[str, object]:
    """Subset name -> score, over all categories; {} when the dataset has a single subset."""
    found: dict[str, object] = {}
    for category in metric.get("categories") or []:
        for subset in (category.get("subsets") or []) if isinstance(category, dict) else []:
            if not isinstance(subset, dict) or not isinstance(subset.get("name"), str):
                continue
            if not subset.get("is_aggregate"):  # schema 2 marks subsets that sum up others
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


def _score_rows(data: dict, dataset: str, file: Sniffed) -> tuple[list[dict], dict[str, str], set[str]]:
    """(rows of the dataset and its subsets, subset -> dataset, metrics not to be shown as %)."""
    rows, parents, not_percent = [], {}, set()
    for metric in _metrics(data, file):
        name = _metric_name(metric)
        if _percent_metric(metric) is False:
            not_percent.add(name)
        score = number(metric["score"], file.path, f"metric {name!r} score")
        if score is not None:
            rows.append({"benchmark": benchmark_name(dataset), "metric": name, "value": score})
        for subset, value in _subsets(metric).items():
            child = benchmark_name(f"{dataset}/{subset}")
            parents[child] = benchmark_name(dataset)
            value = number(value, file.path, f"metric {name!r} subset {subset!r} score")
            if value is not None:
                rows.append({"benchmark": child, "metric": name, "value": value})
    return rows, parents, not_percent


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    data = file.document()
    assert isinstance(data, dict)  # matches() checked it
    dataset = data.get("dataset_name")
    if not isinstance(dataset, str) or not dataset.strip():
        raise InputError(f"{TOOL} report: no 'dataset_name'", path=file.path)
    model, model_note = model_name(data.get("model_name"), file.path)
    rows, parents, not_percent = _score_rows(data, dataset, file)
    rows += [{"benchmark": benchmark_name(dataset), **row} for row in _perf_rows(data, file)]
    note = "; ".join(filter(None, [TOOL, model_note]))
    knob = find_knob(file.path, {}, rule=rule)
    out = frame([{**row, "model": model, "note": note} for row in rows], [], str(file.path), knob)
    out = _fractions_as_percent(out, PERF_METRICS | not_percent)
    if parents:  # a column only where the report has subsets: other frames stay in the plain schema
        groups = [parents.get(benchmark) for benchmark in out["benchmark"]]
        out = out.with_columns(pl.Series(schema.PARENT, groups, pl.String))
    return Imported(tool=f"{TOOL} report {_shape(data)}", frame=out, knob_name=knob_name(rule, knob), dims=[],
                    covers=(file.path,))


def _shape(data: dict) -> str:
    if data.get("schema_version") == 2:
        return "schema 2"
    return "1.x" if "dataset_pretty_name" in data or "@" in str(data.get("name", "")) else "0.x"


def _fractions_as_percent(out: pl.DataFrame, keep: frozenset[str] | set[str]) -> pl.DataFrame:
    """Scores in [0, 1] shown as % like the loader shows accuracy-named ones (tui.core.metrics), which
    it is left to scale; `keep` are metrics that are not 0-1 ratios (timings, declared scales)."""
    names = [m for m in out["metric"].unique().to_list() if not is_accuracy_like(m) and m not in keep]
    ranges = out.filter(pl.col("metric").is_in(names)).group_by("metric").agg(
        low=pl.col("value").min(), high=pl.col("value").max())
    fractions = ranges.filter((pl.col("low") >= 0) & (pl.col("high") <= 1))["metric"].to_list()
    if not fractions:
        return out
    hit = pl.col("metric").is_in(fractions)
    return out.with_columns(value=pl.when(hit).then(percent("value")).otherwise(pl.col("value")),
                            note=pl.when(hit).then(pl.format("{}; {}", pl.col("note"), pl.lit(FRACTION_NOTE)))
                            .otherwise(pl.col("note")))
