"""NVIDIA AIPerf profile exports (`profile_export_aiperf.json` / `.csv`), and what genai-perf shares.

Shapes read (recognised by content; `--profile-export-file` lets users rename the files):
- JSON, AIPerf 0.10+ (`aiperf_version`, `schema_version`): one object per metric at the top
  level, `{"unit": "ms", "avg": .., "p50": .., "p99": ..}`; config in `input_config`
  (`models.items[].name`, `phases[]` with `concurrency` / `request_rate`).
- JSON, AIPerf 0.x of 2025 (`records`, `was_cancelled`): the same metric objects under
  `records`, keyed by tag (`ttft`, with `tag` and `header`) or by display name
  (`"Time to First Token"`); config `input_config.endpoint.model_names` and `loadgen`.
- CSV: a `Metric,avg,min,max,..,p50,..,p99,..` table (the unit in the label's parentheses,
  "Time to First Token (ms)"), a blank line, a `Metric,Value` table (throughputs, counts), and
  perhaps a GPU telemetry table, which is ignored. Numbers may carry thousands separators.
  Beside a JSON export of the same name the CSV adds nothing: both import once, from the JSON.

Mapping (vLLM bench's names, so runs of either tool compare): output token throughput
(tokens/sec) is throughput_tps; request and total token throughput keep their names; latency
statistics become `<stat>_<ttft|itl|e2el>_<unit>` with stat mean (avg), median (p50), p90, p99
and the unit the file states (`mean_ttft_ms`, `p99_itl_ms`): ms and s are never mixed.
AIPerf's inter_token_latency ((request latency - TTFT) / (output tokens - 1)) is kept as itl.
The knob is found by find_knob among the load settings (concurrency, request rate): usually
the concurrency; a load setting that is not the knob becomes a dimension. Benchmark: "aiperf
profile" (the tool records no task).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tui.core import schema
from tui.core.errors import InputError
from tui.core.files import Sniffed
from tui.core.importers.common import dim_text, frame, json_object, knob_name, model_name, number, reason, setting
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule, as_number, find_knob

TOOL = "AIPerf"
KIND = "AIPerf profile export"
BENCHMARK = "aiperf profile"

# A metric's tag (lowercase, spaces as _) -> its kvscope name; latencies get stat and unit around it.
TAGS = {"time_to_first_token": "ttft", "ttft": "ttft", "inter_token_latency": "itl",
        "request_latency": "e2el", "time_per_output_token": "tpot"}
RATES = {"output_token_throughput": schema.TPS, "request_throughput": "request_throughput",
         "total_token_throughput": "total_token_throughput",
         "output_token_throughput_per_user": "output_throughput_per_user"}
STATS = {"avg": "mean", "p50": "median", "p90": "p90", "p99": "p99"}
LOAD_KEYS = ("concurrency", "request_rate")
_LABEL_UNIT = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


def matches(file: Sniffed) -> bool:
    if file.fmt == "csv":
        return csv_tool(file) == TOOL
    if file.fmt != "json":
        return False
    # Only AIPerf writes these markers: such a file is AIPerf's even when it is broken.
    if '"aiperf_version"' in file.head or ('"was_cancelled"' in file.head and '"input_config"' in file.head):
        return True
    return json_tool(file) == TOOL


def json_tool(file: Sniffed) -> str | None:
    """AIPerf or genai-perf for a JSON profile export (both have input_config and metric objects
    with a unit; only AIPerf writes its version or was_cancelled), else None."""
    if file.fmt != "json" or '"input_config"' not in file.head or '"unit"' not in file.head:
        return None
    try:
        doc = file.document()
    except InputError:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("input_config"), dict) or not metric_objects(doc):
        return None
    return TOOL if "aiperf_version" in doc or "was_cancelled" in doc else "genai-perf"


def csv_tool(file: Sniffed) -> str | None:
    """AIPerf or genai-perf for a CSV export: its header is `Metric,avg,..`. genai-perf lists the
    percentiles from p99 down and writes "(per sec)"; AIPerf lists them from p1 up."""
    header = [h.strip() for h in file.header()]
    if header[:2] not in (["Metric", "avg"], ["Metric", "Value"]):
        return None
    sibling = file.sibling(".json")
    if sibling is not None and (tool := json_tool(sibling)) is not None:
        return tool
    percentiles = [h for h in header if re.fullmatch(r"p\d+", h)]
    if "(per sec)" in file.head or (len(percentiles) > 1 and percentiles[0] == "p99"):
        return "genai-perf"
    return TOOL


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    return load_export(file, rule, kind=KIND, benchmark=BENCHMARK)


def load_export(file: Sniffed, rule: KnobRule | None, *, kind: str, benchmark: str) -> Imported:
    """An AIPerf or genai-perf export (JSON, or CSV with or without its JSON) as a sweep."""
    covers = (file.path,)
    sibling = file.sibling(".json") if file.fmt == "csv" else None
    if sibling is not None and json_tool(sibling) is not None:
        file, covers = sibling, (sibling.path, file.path)
    elif file.fmt == "json" and (twin := file.sibling(".csv")) is not None and twin.header()[:1] == ["Metric"]:
        covers = (file.path, twin.path)  # the CSV twin of this export is read with it, once
    if file.fmt == "csv":
        stats, config = csv_metrics(file, kind), {}
    else:
        doc = json_object(file, kind)
        config = doc.get("input_config") if isinstance(doc.get("input_config"), dict) else {}
        stats = metric_objects(doc)
    values = metric_values(stats, file.path, kind)
    load_params = load_settings(config) or csv_load_settings(file.path)
    knob = find_knob(file.path, load_params, rule=rule, sweep=True)
    dims = {k: dim_text(v) for k, v in load_params.items() if not knob or k != knob[0]}
    model, note = model_name(config_model(config), file.path)
    rows = [{"model": model, "benchmark": benchmark, "metric": m, "value": v, **dims,
             "note": "; ".join(filter(None, [kind, note]))} for m, v in values.items()]
    return Imported(tool=kind, frame=frame(rows, list(dims), str(file.path), knob),
                    knob_name=knob_name(rule, knob), dims=list(dims),
                    covers=covers, settings=run_settings(config))


def metric_objects(doc: dict) -> dict[str, dict]:
    """tag -> metric object ({"unit", "avg", "p50", ...}), from `records` or the top level."""
    source = doc.get("records") if isinstance(doc.get("records"), dict) else doc
    found = {}
    for key, item in source.items():
        tag = _tag(str(item.get("tag") or key)) if isinstance(item, dict) else ""
        if isinstance(item, dict) and ("unit" in item or tag in TAGS or tag in RATES):
            found[tag] = item
    return found


def _tag(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def metric_values(stats: dict[str, dict], path: Path, kind: str) -> dict[str, float]:
    """The kvscope metrics of an export's metric objects (see the module docstring)."""
    out: dict[str, float] = {}
    for tag, item in stats.items():
        if tag in RATES:
            value = number(item.get("avg"), path, f"{kind}: {tag} avg")
            if value is not None:
                out[_rate_name(tag, item.get("unit"))] = value
        elif tag in TAGS:
            unit = _unit(item.get("unit"), tag, path, kind)
            for stat, label in STATS.items():
                value = number(item.get(stat), path, f"{kind}: {tag} {stat}")
                if value is not None:
                    out[f"{label}_{TAGS[tag]}_{unit}"] = value
    if not out:
        wanted = ", ".join([*TAGS, *RATES][:6])
        raise InputError(f"{kind}: no throughput or latency metric (looked for {wanted}, ...)", path=path)
    return out


def _rate_name(tag: str, unit: object) -> str:
    """A rate keeps vLLM's unit-less name when it is per second, else its unit joins the name."""
    text = str(unit or "").strip().lower()
    if not text or re.search(r"(/|per\s*)s(ec(ond)?)?(/user)?$", text):
        return RATES[tag]
    return f"{RATES[tag]}_{re.sub(r'[^a-z0-9]+', '_', text).strip('_')}"


def _unit(unit: object, tag: str, path: Path, kind: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "", str(unit or "").lower())
    if not text:
        raise InputError(f"{kind}: {tag} has no unit (ms or s)", path=path)
    return {"sec": "s", "seconds": "s", "msec": "ms"}.get(text, text)


def csv_metrics(file: Sniffed, kind: str) -> dict[str, dict]:
    """tag -> metric object from the CSV's `Metric,avg,..` and `Metric,Value` tables."""
    try:
        text = file.text()
    except InputError as exc:
        raise InputError(f"{kind}: {reason(exc)}", path=file.path) from None
    found: dict[str, dict] = {}
    header: list[str] | None = None
    for row in csv.reader(io.StringIO(text)):
        if not row or not any(cell.strip() for cell in row):
            header = None  # a blank line ends a table
        elif header is None:
            header = [cell.strip() for cell in row]
        elif header[0] == "Metric":
            label, unit = _label(row[0])
            cells = dict(zip(header[1:], (cell.replace(",", "") for cell in row[1:])))
            found[_tag(label)] = {"unit": unit, "avg": cells.get("avg", cells.get("Value")), **cells}
    return found


def _label(text: str) -> tuple[str, str | None]:
    match = _LABEL_UNIT.match(text.strip())
    return (match.group(1), match.group(2)) if match else (text.strip(), None)


def load_settings(config: dict) -> dict[str, float]:
    """Concurrency and request rate as the run's config states them (AIPerf phases or loadgen;
    genai-perf's top level or perf_analyzer.stimulus)."""
    places = [config, config.get("loadgen"), (config.get("perf_analyzer") or {}).get("stimulus")]
    phases = config.get("phases") if isinstance(config.get("phases"), list) else []
    places += [p for p in phases if isinstance(p, dict) and not p.get("exclude_from_results")]
    found: dict[str, float] = {}
    for place in places:
        for key in LOAD_KEYS:
            value = as_number(place.get(key)) if isinstance(place, dict) else None
            if value is not None:
                found.setdefault(key, value)
    return found


def csv_load_settings(path: Path) -> dict[str, float]:
    """Without a config: the load from genai-perf's artifact folder name (`<model>-<service>-
    <endpoint>-concurrency8`, `...-request_rate2.0`)."""
    for part in (path.parent.name, path.parent.parent.name):
        match = re.search(r"-(concurrency|request_rate)(\d+(?:\.\d+)?)$", part)
        if match:
            return {match.group(1): float(match.group(2))}
    return {}


def config_model(config: dict) -> str | None:
    """The benchmarked model: AIPerf `models.items[].name` or `[endpoint.]model_names`, genai-perf
    `model` / `model_names` (lists; a run of several models is named by all of them)."""
    models = config.get("models")
    names = [m.get("name") for m in models.get("items", [])] if isinstance(models, dict) else None
    for candidate in (names, config.get("model_names"), (config.get("endpoint") or {}).get("model_names"),
                      config.get("model")):
        if isinstance(candidate, str):
            candidate = [candidate]
        if isinstance(candidate, list) and (named := [str(n) for n in candidate if n]):
            return ",".join(named)
    return None


def run_settings(config: dict) -> dict[str, str]:
    """What makes two runs at one load not repeats: the endpoint, streaming, and the prompts."""
    endpoint = config.get("endpoint") if isinstance(config.get("endpoint"), dict) else {}
    picked = {"endpoint_type": endpoint.get("type", config.get("endpoint_type")),
              "streaming": endpoint.get("streaming", config.get("streaming")),
              "datasets": config.get("datasets"), "input": config.get("input")}
    return {k: setting(v) for k, v in picked.items() if v is not None}


