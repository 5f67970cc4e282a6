"""Several serving-benchmark runs of one file (SGLang JSONL lines, GuideLLM benchmarks) as one sweep.

Each run carries its metrics and its load settings (request rate, concurrency, strategy). The knob
is found as for every tool (a `--knob` rule or a budget in the path first, see knob.find_knob);
when the path names none, the load setting that varies from run to run (request_rate, then
max_concurrency) is the knob, since that is what such a file sweeps. Load settings that are not the
knob become dimensions. Runs with the same knob and dimensions are repeats: averaged, with
n = runs and stderr = std/sqrt(n), as vLLM sweep repeats are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tui.core.importers.common import dim_text, frame
from tui.core.importers.knob import KnobRule, as_number, find_knob


@dataclass
class Run:
    """One measured run: metric -> value, its load settings (None when the run had none) and, when
    a file mixes workloads (SGLang's random and sharegpt lines), its own benchmark."""

    metrics: dict[str, float]
    load: dict[str, object] = field(default_factory=dict)
    benchmark: str | None = None


def _varying_knob(runs: list[Run], candidates: tuple[str, ...]) -> str | None:
    """The first load setting that is a finite number in every run and differs between runs."""
    for key in candidates:
        values = [as_number(run.load.get(key)) for run in runs]
        if all(v is not None for v in values) and len(set(values)) > 1:
            return key
    return None




def sweep_frame(runs: list[Run], path: Path, rule: KnobRule | None, *, model: str, benchmark: str,
                note: str, knob_keys: tuple[str, ...]) -> tuple[pl.DataFrame, str | None, list[str]]:
    """(sweep frame, knob name or None, dimension names) of the runs (see the module docstring)."""
    fixed = find_knob(path, None, rule=rule)
    varying = None if fixed or rule else _varying_knob(runs, knob_keys)
    loads = list(dict.fromkeys(key for run in runs for key in run.load))
    dims = [key for key in loads if key != varying and any(run.load.get(key) is not None for run in runs)]
    long = pl.DataFrame(
        [{"benchmark": run.benchmark or benchmark, "metric": metric, "value": value,
          "knob": fixed[1] if fixed else as_number(run.load.get(varying)) if varying else None,
          **{d: dim_text(run.load.get(d)) for d in dims}}
         for run in runs for metric, value in run.metrics.items()],
        schema={"benchmark": pl.String, "metric": pl.String, "value": pl.Float64, "knob": pl.Float64,
                **{d: pl.String for d in dims}})
    stats = long.group_by(["benchmark", "knob", *dims, "metric"], maintain_order=True).agg(
        pl.col("value").mean(), pl.len().alias("n"),
        pl.when(pl.len() > 1).then(pl.col("value").std() / pl.len().sqrt()).alias("stderr"))
    rows = [{"model": model, "note": note, **row} for row in stats.to_dicts()]
    knob_name = rule.name if rule else fixed[0] if fixed else varying
    return frame(rows, dims, str(path), None), knob_name, dims
