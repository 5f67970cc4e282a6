"""GuideLLM benchmark reports (`guidellm benchmark ... --output-path benchmarks.json`), 0.2 to 0.5.

Recognised by a `benchmarks` list whose entries are `"type_": "generative_benchmark"` with a
`metrics` object. Each entry is one run at one load: its strategy (`config.strategy` in 0.5,
`args.strategy` before) gives `strategy`, `rate` (constant, poisson) and `max_concurrency`
(concurrent `streams`, synchronous 1); see serving_runs for the knob and repeats. A report whose
benchmarks hold no `metrics` (a shape not known here) is refused with one line naming GuideLLM;
0.1 reports (no `generative_benchmark`) are not taken for GuideLLM's.

Every metric is a distribution per request status; the successful requests' one is read:
`output_tokens_per_second` mean is throughput_tps (GuideLLM's own "Out Tok/sec mean");
`requests_per_second` and `tokens_per_second` (prompt + output) means become request_throughput
and total_token_throughput; TTFT, ITL and TPOT (GuideLLM's `_ms` metrics) keep
mean, median, p90, p95, p99 as `mean_ttft_ms` ...; request latency is in seconds, so it becomes
`mean_e2e_latency_s` .... Request counts (`metrics.request_totals`, or `run_stats.requests_made`)
become requests_successful / _errored / _incomplete.
A run with no successful request measured nothing and is left out (all of them: an error). The
model is the backend's (`config.backend.model`, `worker.backend_model`, `args.model`); the
benchmark is "guidellm". The workload (`data`) is a setting: reports of other data are never
averaged as repeats.
"""

from __future__ import annotations

from pathlib import Path

from tui.core.errors import FailedRun, InputError
from tui.core.files import Sniffed
from tui.core.importers.common import model_name, number, setting
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule
from tui.core.importers.serving_runs import Run, sweep_frame
from tui.core.schema import TPS

TOOL = "GuideLLM"
# Prompt tokens/s is left out: GuideLLM rates it per streamed iteration, where a whole prompt
# arrives at once, so its mean is no throughput (millions of tokens/s).
RATES = {"output_tokens_per_second": TPS, "requests_per_second": "request_throughput",
         "tokens_per_second": "total_token_throughput"}
LATENCIES = {"time_to_first_token_ms": "ttft_ms", "inter_token_latency_ms": "itl_ms",
             "time_per_output_token_ms": "tpot_ms", "request_latency": "e2e_latency_s"}
STATS = ("mean", "median", "p90", "p95", "p99")
KNOBS = ("rate", "max_concurrency")


def matches(file: Sniffed) -> bool:
    if file.fmt != "json" or '"benchmarks"' not in file.head or '"generative_benchmark"' not in file.head:
        return False
    document = file.document()
    return isinstance(document, dict) and isinstance(document.get("benchmarks"), list)


def _successful(metrics: dict, name: str, where: str, path: Path) -> dict | None:
    summary = metrics.get(name)
    if summary is None:
        return None
    if not isinstance(summary, dict) or not isinstance(summary.get("successful"), dict):
        raise InputError(f"{where}: metric {name!r} has no 'successful' distribution", path=path)
    return summary["successful"]


def _stat(dist: dict, stat: str) -> object:
    return dist.get(stat) if stat in ("mean", "median") else (dist.get("percentiles") or {}).get(stat)


def _totals(benchmark: dict) -> dict:
    """Requests per status: `metrics.request_totals` (0.4+) or `run_stats.requests_made` (0.2/0.3)."""
    for holder, key in (("metrics", "request_totals"), ("run_stats", "requests_made"),
                        ("scheduler_metrics", "requests_made")):
        found = (benchmark.get(holder) or {}).get(key)
        if isinstance(found, dict):
            return found
    return {}


def _metrics(benchmark: dict, where: str, path: Path) -> dict[str, float]:
    metrics = benchmark["metrics"]
    out: dict[str, float] = {}
    for name, metric in RATES.items():
        dist = _successful(metrics, name, where, path)
        value = None if dist is None else number(dist.get("mean"), path, f"{where}: {name} mean")
        if value is not None:
            out[metric] = value
    for name, suffix in LATENCIES.items():
        dist = _successful(metrics, name, where, path)
        for stat in STATS if dist is not None else ():
            value = number(_stat(dist, stat), path, f"{where}: {name} {stat}")
            if value is not None:
                out[f"{stat}_{suffix}"] = value
    totals = _totals(benchmark)
    for status in ("successful", "errored", "incomplete"):
        if isinstance(totals.get(status), (int, float)):
            out[f"requests_{status}"] = float(totals[status])
    return out


def _load(benchmark: dict) -> dict[str, object]:
    config = benchmark.get("config") or benchmark.get("args") or {}
    strategy = config.get("strategy") if isinstance(config.get("strategy"), dict) else {}
    concurrency = strategy.get("streams", strategy.get("max_concurrency"))
    return {"strategy": strategy.get("type_"), "rate": strategy.get("rate"), "max_concurrency": concurrency}


def _model(report: dict, benchmark: dict) -> object:
    backend = (benchmark.get("config") or {}).get("backend") or {}
    worker = benchmark.get("worker") or {}
    return backend.get("model") or worker.get("backend_model") or (report.get("args") or {}).get("model")


def _data(report: dict, benchmark: dict) -> object:
    """The workload the requests were made from (0.4+: `args.data`; before: `request_loader.data`)."""
    return (report.get("args") or {}).get("data") or (benchmark.get("request_loader") or {}).get("data")


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    report = file.document()
    benchmarks = report["benchmarks"]
    if not benchmarks:
        raise InputError(f"{TOOL} benchmarks.json: the benchmarks list is empty", path=file.path)
    runs, failed = [], []
    for index, benchmark in enumerate(benchmarks, start=1):
        where = f"{TOOL} benchmark {index}"
        metrics = benchmark.get("metrics") if isinstance(benchmark, dict) else None
        if not isinstance(metrics, dict):
            raise InputError(f"{where} has no 'metrics' (not a GuideLLM 0.2-0.5 report)", path=file.path)
        run = Run(_metrics(benchmark, where, file.path), _load(benchmark))
        if run.metrics.get("requests_successful") == 0 or TPS not in run.metrics:
            failed.append((file.path, f"benchmark {index}: no successful request"))
        else:
            runs.append(run)
    if not runs:
        raise FailedRun(f"{TOOL} benchmarks.json measured nothing: no benchmark has a successful request",
                        path=file.path)
    version = (report.get("metadata") or {}).get("guidellm_version")
    model, model_note = model_name(_model(report, benchmarks[0]), file.path)
    note = "; ".join(filter(None, [f"{TOOL} {version}" if version else TOOL, model_note]))
    table, knob, dims = sweep_frame(runs, file.path, rule, model=model, benchmark="guidellm", note=note,
                                    knob_keys=KNOBS)
    data = _data(report, benchmarks[0])
    return Imported(tool=f"{TOOL} {version}" if version else TOOL, frame=table, knob_name=knob, dims=dims,
                    covers=(file.path,), failed=failed, settings={"data": setting(data)} if data else {})
