"""vLLM benchmark outputs: `bench serve --save-result`, `bench throughput --output-json`, sweeps.

- serve: output tokens/s (`output_throughput`) is kvscope's throughput_tps; request and total
  token throughput and every latency statistic (`mean_ttft_ms`, `p99_itl_ms`, ...) are kept
  under their own names. Per-request arrays (ttfts, itls, ...) are ignored. Files with no
  throughput keys (some nightly builds) still import their latencies.
- throughput: `tokens_per_second` counts prompt AND output tokens, so it becomes
  `total_tokens_per_s`, never throughput_tps; the file has no output-only figure.
- sweep (`vllm bench sweep serve`): `SERVE--k=v-BENCH--k=v/run=N.json` are repeats and
  `summary.json` is the list of those same runs. Whichever file of a folder is given, the
  whole folder is imported once: runs are united by run_number (so a run in both places
  counts once), averaged (n = runs, stderr = std/sqrt(n)) and reported with `covers` = every
  file of the folder. `warmup.json` (run -1) and `*.failure.json` are not measurements.
- failed runs: a serve result with no completed request (the client still writes one, with
  zeros everywhere) measured nothing; it is left out as a FailedRun, never read as 0 tokens/s.
vLLM records no task, so the benchmark is "vllm serve" / "vllm throughput".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl

from tui.core import schema
from tui.core.errors import FailedRun, InputError
from tui.core.files import Sniffed
from tui.core.importers.common import dim_text, frame, json_document, knob_name, model_name, number
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule, find_knob, sweep_params

TOOL = "vLLM bench"
# Keys that mark a JSON array as a vLLM sweep summary.json, checked before parsing it.
LIST_MARKERS = ('"mean_ttft_ms"', '"output_throughput"', '"request_throughput"')

LATENCY = re.compile(r"^(mean|median|std|p\d+(?:\.\d+)?)_(ttft|tpot|itl|e2el|latency)_ms$")
RATES = {"output_throughput": schema.TPS, "total_token_throughput": "total_token_throughput",
         "request_throughput": "request_throughput", "input_throughput": "input_throughput",
         "max_output_tokens_per_s": "max_output_tokens_per_s", "request_goodput": "request_goodput"}
THROUGHPUT = {"tokens_per_second": "total_tokens_per_s", "requests_per_second": "requests_per_s",
              "output_tokens_per_second": schema.TPS}
HEADER = {"date", "endpoint_type", "backend", "label", "model_id", "tokenizer_id", "best_of",
          "use_beam_search", "num_prompts", "request_rate", "burstiness", "max_concurrency", "duration",
          "completed", "failed", "total_input_tokens", "total_output_tokens", "max_concurrent_requests",
          "rtfx", "ramp_up_strategy", "ramp_up_start_rps", "ramp_up_end_rps", "elapsed_time",
          "num_requests", "total_num_tokens"}
LOAD_DIMS = ("request_rate", "max_concurrency")
# Keys one of vLLM's objects has, looked for in the head before the file is parsed.
OBJECT_MARKERS = (*(f'"{key}"' for key in (*RATES, *THROUGHPUT, "error_type")), '_ms"')


def _serve(data: object) -> bool:
    return isinstance(data, dict) and any(k in RATES or LATENCY.match(k) for k in data)


def matches(file: Sniffed) -> bool:
    markers = LIST_MARKERS if file.head[:1] == "[" else OBJECT_MARKERS
    if file.fmt != "json" or not any(marker in file.head for marker in markers):
        return False  # a JSON table of our own is never parsed here (its reader parses it once)
    data = json_document(file, blame=('"mean_ttft_ms"', '"tokens_per_second"'))
    path = file.path
    if isinstance(data, list):
        return bool(data) and all(_serve(item) for item in data)
    if isinstance(data, dict) and "run_number" in data and "error_type" in data:
        raise FailedRun(f"vLLM sweep failure record (run {data['run_number']}): {data.get('error_type')}: "
                        f"{str(data.get('error', ''))[:120]}", path=path)
    return _serve(data) or (isinstance(data, dict) and "tokens_per_second" in data and "requests_per_second" in data)


def _nothing_completed(record: dict) -> str | None:
    """Why a serve result measured nothing (no request completed), or None when it measured something."""
    completed, failed, prompts = (as_count(record.get(k)) for k in ("completed", "failed", "num_prompts"))
    if completed == 0 or (completed is None and failed is not None and failed > 0 and failed == prompts):
        total = prompts if prompts is not None else failed
        return f"0 of {total if total is not None else '?'} requests completed" + \
            (f", {failed} failed" if failed else "")
    return None


def as_count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _metrics(record: dict, path: Path) -> dict[str, float]:
    table = RATES if _serve(record) else THROUGHPUT
    out = {}
    for key, raw in record.items():
        metric = table.get(key) or (key if LATENCY.match(key) else None)
        if metric and not isinstance(raw, (list, dict)):
            value = number(raw, path, f"{key!r}")
            if value is not None:
                out[metric] = value
    return out


def _extras(record: dict) -> dict:
    """Keys vLLM did not write itself: `--metadata` fields and the sweep's parameters."""
    return {k: v for k, v in record.items() if k not in HEADER and k not in RATES and k not in THROUGHPUT
            and not LATENCY.match(k) and not isinstance(v, (list, dict))}


def _sweep_group(path: Path, data: object) -> list[dict] | None:
    """Every measured run of the sweep folder this file belongs to, or None when it is not a sweep."""
    folder = path.parent
    if not (isinstance(data, list) or "run_number" in data or sweep_params(folder.name)):
        return None
    runs: dict[object, dict] = {}
    for run_file in sorted(folder.glob("run=*.json")):
        try:
            record = data if run_file == path else json.loads(run_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a broken sibling is reported when the loader reaches it
        if _serve(record):
            stem = run_file.stem.partition("=")[2]
            runs.setdefault(record.get("run_number", int(stem) if stem.isdigit() else stem), record)
    summary = data if isinstance(data, list) else None
    if summary is None and (folder / "summary.json").is_file():
        try:
            summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            summary = None
    for index, record in enumerate(summary if isinstance(summary, list) else []):
        if _serve(record):
            runs.setdefault(record.get("run_number", index), record)
    if not runs and _serve(data):
        runs[data.get("run_number", 0)] = data
    return [r for k, r in runs.items() if not (isinstance(k, int) and k < 0)]


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    path, data = file.path, file.document()
    group = _sweep_group(path, data)
    records = group if group is not None else [data]
    if not records:
        raise InputError("vLLM sweep folder has no measured runs (only warm-up)", path=path)
    failed = [(r, why) for r in records if (why := _nothing_completed(r)) is not None]
    if len(failed) == len(records):
        runs = "" if len(records) == 1 else f"all {len(records)} runs: "
        raise FailedRun(f"vLLM bench serve measured nothing: {runs}{failed[0][1]}", path=path,
                        covers=_group_files(path) if group is not None else (path,))
    records = [r for r in records if not any(r is bad for bad, _ in failed)]
    first = records[0]
    kind = "vllm sweep" if group is not None else "vllm bench serve" if _serve(first) else "vllm bench throughput"
    long = pl.DataFrame([{"metric": m, "value": v} for r in records for m, v in _metrics(r, path).items()],
                        schema={"metric": pl.String, "value": pl.Float64})
    if long.height == 0:
        raise InputError("vLLM benchmark result has no throughput or latency values", path=path)
    stats = long.group_by("metric", maintain_order=True).agg(
        pl.col("value").mean(), pl.len().alias("n"),
        pl.when(pl.len() > 1).then(pl.col("value").std() / pl.len().sqrt()).alias("stderr"))

    folder_params = sweep_params(path.parent.name) if group is not None else []
    knob = find_knob(path, _extras(first), rule=rule, sweep=group is not None)
    dims = {d: first.get(d) for d in LOAD_DIMS if d in first}
    dims |= {name: value for _, name, value in folder_params if not knob or name != knob[0]}
    dims = {k: dim_text(v) for k, v in dims.items()}
    model, model_note = model_name(first.get("model_id"), path)
    notes = [kind, f"mean of {len(records)} runs" if len(records) > 1 else "", model_note,
             *_partial_failures(records)]
    if kind == "vllm bench throughput":
        notes.append("tokens_per_second counts prompt+output tokens; no output-only throughput in this file")
    benchmark = "vllm throughput" if kind == "vllm bench throughput" else "vllm serve"
    rows = [{"model": model, "benchmark": benchmark, **row, **dims, "note": "; ".join(filter(None, notes))}
            for row in stats.to_dicts()]
    covers = (path,) if group is None else _group_files(path)
    source = str(path) if group is None else str(path.parent)
    left_out = [(path.parent, f"run {r.get('run_number', '?')}: {why}") for r, why in failed]
    return Imported(tool=kind, frame=frame(rows, list(dims), source, knob),
                    knob_name=knob_name(rule, knob), dims=list(dims),
                    covers=covers, failed=left_out)


def _group_files(path: Path) -> tuple[Path, ...]:
    return tuple(sorted({path, *path.parent.glob("run=*.json"), *path.parent.glob("summary.json")}))


def _partial_failures(records: list[dict]) -> list[str]:
    """A note for runs in which some requests failed: their throughput counts only the completed ones."""
    notes = []
    for record in records:
        failed, prompts = as_count(record.get("failed")), as_count(record.get("num_prompts"))
        if failed:
            notes.append(f"{failed} of {prompts if prompts is not None else '?'} requests failed")
    return notes
