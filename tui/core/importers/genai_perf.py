"""NVIDIA genai-perf profile exports (`profile_export_genai_perf.json` / `.csv`, or the names
`--profile-export-file` gives them), read as AIPerf's exports are (tui.core.importers.aiperf).

Shapes read: JSON with one `{"unit": "ms", "avg": .., "p50": ..}` object per metric and the
run's `input_config` (genai-perf 0.0.x: flat `model`, `concurrency`, `request_rate`; 25.x:
`model_names`, `perf_analyzer.stimulus.concurrency`); CSV with a `Metric,avg,min,max,p99,..`
table, a blank line and a `Metric,Value` table ("Output Token Throughput (tokens/sec)" or
"(per sec)"). A CSV without its JSON takes the load from genai-perf's artifact folder name
(`<model>-openai-chat-concurrency10`). Non-streaming runs report TTFT equal to the request
latency: the file's values are kept as they are. Benchmark: "genai-perf profile".
"""

from __future__ import annotations

from tui.core.files import Sniffed
from tui.core.importers.aiperf import csv_tool, json_tool, load_export
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule

TOOL = "genai-perf"
KIND = "genai-perf profile export"


def matches(file: Sniffed) -> bool:
    if file.fmt == "csv":
        return csv_tool(file) == TOOL
    return json_tool(file) == TOOL


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    return load_export(file, rule, kind=KIND, benchmark="genai-perf profile")
