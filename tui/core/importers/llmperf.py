"""LLMPerf (ray-project/llmperf) summaries: `<model>_<in>_<out>_summary.json` from token_benchmark_ray.

Shape read: one flat object, `"version": "2023-08-31"` (the only version llmperf has written),
`model`, `num_concurrent_requests`, `mean_input_tokens` / `mean_output_tokens` (the requested
prompt and answer lengths), and `results_<metric>_<unit>_<stat>` statistics over the requests:
`results_ttft_s_quantiles_p50`, `results_inter_token_latency_s_mean`, ...

Mapping (vLLM bench's names with the file's unit, seconds, kept): output tokens/s over the run
(`results_mean_output_throughput_token_per_s`) is throughput_tps; TTFT, inter-token and
end-to-end latency become `<stat>_<ttft|itl|e2el>_s` with stat mean, median (p50), p90, p99;
completed requests per minute stay per minute (`completed_requests_per_min`). LLMPerf's
inter-token latency is the end-to-end latency over the output tokens (TTFT included).
The per-request `*_individual_responses.json` beside a summary is not a result: it is refused
with a pointer to the summary. The knob is the concurrency (`num_concurrent_requests`) unless
the path names another (find_knob); benchmark "llmperf".
"""

from __future__ import annotations

import re
from pathlib import Path

from tui.core import schema
from tui.core.errors import InputError
from tui.core.files import Sniffed
from tui.core.importers.common import dim_text, frame, json_object, knob_name, model_name, number, setting
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule, as_number, find_knob

TOOL = "LLMPerf"
KIND = "LLMPerf summary"
LATENCIES = {"ttft": "ttft", "inter_token_latency": "itl", "end_to_end_latency": "e2el"}
STATS = {"mean": "mean", "quantiles_p50": "median", "quantiles_p90": "p90", "quantiles_p99": "p99"}
RATES = {"results_mean_output_throughput_token_per_s": schema.TPS,
         "results_num_completed_requests_per_min": "completed_requests_per_min"}
_LATENCY = re.compile(rf"^results_({'|'.join(LATENCIES)})_(s|ms)_({'|'.join(STATS)})$")
WORKLOAD = ("mean_input_tokens", "stddev_input_tokens", "mean_output_tokens", "stddev_output_tokens")


def matches(file: Sniffed) -> bool:
    if file.fmt != "json":
        return False
    if file.head.lstrip().startswith("[") and '"request_output_throughput_token_per_s"' in file.head:
        raise InputError("LLMPerf per-request log, not a summary (the numbers are in *_summary.json)",
                         path=file.path)
    return '"num_concurrent_requests"' in file.head and '"results_' in file.head


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    doc = json_object(file, KIND)
    values = _metrics(doc, file.path)
    concurrency = as_number(doc.get("num_concurrent_requests"))
    if concurrency is None:
        raise InputError(f"{KIND}: num_concurrent_requests is missing or not a number", path=file.path)
    knob = find_knob(file.path, {"concurrency": concurrency}, rule=rule, sweep=True)
    dims = {} if knob and knob[0] == "concurrency" else {"concurrency": dim_text(concurrency)}
    model, model_note = model_name(doc.get("model"), file.path)
    note = "; ".join(filter(None, [f"{KIND} (version {doc.get('version', '?')})", model_note]))
    rows = [{"model": model, "benchmark": "llmperf", "metric": m, "value": v, **dims, "note": note}
            for m, v in values.items()]
    settings = {k: setting(doc[k]) for k in WORKLOAD if k in doc}
    settings |= {k: setting(v) for k, v in doc.items() if k.startswith("additional_sampling_params")}
    return Imported(tool=KIND, frame=frame(rows, list(dims), str(file.path), knob),
                    knob_name=knob_name(rule, knob), dims=list(dims),
                    covers=(file.path,), settings=settings)


def _metrics(doc: dict, path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, raw in doc.items():
        latency = _LATENCY.match(key)
        if latency:
            name = f"{STATS[latency.group(3)]}_{LATENCIES[latency.group(1)]}_{latency.group(2)}"
        elif key in RATES:
            name = RATES[key]
        else:
            continue
        value = number(raw, path, f"{KIND}: {key}")
        if value is not None:
            out[name] = value
    if schema.TPS not in out and not any(_LATENCY.match(k) for k in doc):
        raise InputError(f"{KIND}: no results_mean_output_throughput_token_per_s or results_ttft_s_* "
                         f"values (version {doc.get('version', 'not recorded')})", path=path)
    return out
