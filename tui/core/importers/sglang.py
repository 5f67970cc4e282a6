"""SGLang `python -m sglang.bench_serving` results: JSONL, one benchmark run appended per line.

Recognised by SGLang's own keys on the first line (`backend` with `total_output_tokens_retokenized`
or `*_e2e_latency_ms`; vLLM writes `*_e2el_ms` and no retokenized count), so NDJSON sweeps of ours
and vLLM results are never taken. Read from the early compact lines (2024: medians only) to
today's (mean/median/std/p90/p95/p99 of TTFT, TPOT, ITL and E2E latency, `concurrency`,
`server_info`); per-request arrays written with `--output-details` (`ttfts`, `itls`,
`input_lens`, `generated_texts` ...) are ignored.

Mapping: `output_throughput` (output tokens/s) is throughput_tps; `request_throughput`,
`input_throughput`, `total_throughput`, `max_output_tokens_per_s` and every latency statistic
keep their names, which end in `_ms` as SGLang's do. The model is `server_info.model_path` when
recorded (the lines carry no model otherwise: then the file names it); the benchmark is
"sglang <dataset_name>", per line. Each line's `request_rate` / `max_concurrency` is its load
(see serving_runs for the knob and repeats); the workload's lengths (`random_input_len` ...)
are dimensions too, so lines that differ there are never averaged as repeats.
"""

from __future__ import annotations

import json
import re

from tui.core.errors import InputError
from tui.core.files import Sniffed
from tui.core.importers.common import model_name, number
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule
from tui.core.importers.serving_runs import Run, sweep_frame
from tui.core.schema import TPS

TOOL = "SGLang bench_serving"
LATENCY = re.compile(r"^(mean|median|std|p\d+(?:\.\d+)?)_(ttft|tpot|itl|e2e_latency)_ms$")
RATES = {"output_throughput": TPS, "request_throughput": "request_throughput",
         "input_throughput": "input_throughput", "total_throughput": "total_throughput",
         "max_output_tokens_per_s": "max_output_tokens_per_s"}
LOAD = ("request_rate", "max_concurrency")
# The workload's shape: lines that differ here measured different things (never repeats).
SHAPE = ("random_input_len", "random_output_len", "sharegpt_output_len")
MARKERS = ("total_output_tokens_retokenized", "mean_e2e_latency_ms", "median_e2e_latency_ms")


def _is_sglang(record: object) -> bool:
    return isinstance(record, dict) and "backend" in record and any(k in record for k in MARKERS)


def matches(file: Sniffed) -> bool:
    if file.fmt not in ("ndjson", "json") or '"backend"' not in file.head:
        return False
    first, newline, _ = file.head.lstrip().partition("\n")
    try:
        return _is_sglang(json.loads(first))
    except ValueError:
        # A line with --output-details arrays can outgrow the head; SGLang writes its summary
        # keys before the arrays, so they are in the head even then.
        return not newline and any(f'"{key}":' in first for key in MARKERS)


def _lines(file: Sniffed) -> list[tuple[int, dict]]:
    """(line number, record) of every non-empty line; InputError naming the first bad line."""
    records = []
    text = file.text()
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise InputError(f"{TOOL} line {line_number}: not valid JSON ({exc})", path=file.path) from None
        if not isinstance(record, dict):
            raise InputError(f"{TOOL} line {line_number}: not a JSON object", path=file.path)
        records.append((line_number, record))
    return records


def _run(line: int, record: dict, file: Sniffed) -> Run:
    metrics = {}
    for key, raw in record.items():
        metric = RATES.get(key) or (key if LATENCY.match(key) else None)
        if metric and not isinstance(raw, (list, dict)):
            value = number(raw, file.path, f"{TOOL} line {line}: {key!r}")
            if value is not None:
                metrics[metric] = value
    if TPS not in metrics:
        raise InputError(f"{TOOL} line {line}: no output_throughput (output tokens/s)", path=file.path)
    load = {key: record.get(key) for key in (*LOAD, *SHAPE) if key in record}
    return Run(metrics, load, f"sglang {record.get('dataset_name') or 'bench_serving'}")


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    lines = _lines(file)
    if not lines:
        raise InputError(f"{TOOL} results: no runs in the file", path=file.path)
    for line, record in lines:
        if not _is_sglang(record):
            raise InputError(f"{TOOL} line {line}: missing 'backend' or SGLang's latency keys",
                             path=file.path)
    runs = [_run(line, record, file) for line, record in lines]
    first = lines[0][1]
    server = first.get("server_info") if isinstance(first.get("server_info"), dict) else {}
    model, model_note = model_name(server.get("model_path"), file.path)
    note = "; ".join(filter(None, [f"{TOOL}, {len(runs)} runs" if len(runs) > 1 else TOOL, model_note]))
    table, knob, dims = sweep_frame(runs, file.path, rule, model=model, benchmark="sglang", note=note,
                                    knob_keys=LOAD)
    return Imported(tool=TOOL, frame=table, knob_name=knob, dims=dims, covers=(file.path,))
