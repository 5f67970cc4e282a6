"""Result files written by evaluation tools (lm-eval, vLLM bench, lighteval, kvpress) as tidy sweeps.

People should not have to reshape their tools' output before kvscope can show it. The
importer is chosen by CONTENT (the parsed JSON's keys), never by file name, because these
tools' file names are user-chosen (`gsm8k.json`, `run=0.json`, `metrics.json`).

`detect_and_import` returns None for anything that is not one of these tools' outputs (our
own CSV/JSON formats, CSVs such as kvpress benchmark tables), so the loader falls back to
them; it raises InputError when a file is clearly a tool's output but broken.

The frame is the sweep frame of tui.core.schema (how="measured", reading="accepted") plus
the string dimension columns listed in `Imported.dims`. `Imported.covers` lists every file
whose numbers are in the frame (a vLLM sweep folder is imported as one averaged group from
any of its files); the loader reads the other covered files no more, so the group's runs are
never counted twice. `Imported.failed` lists runs of a group left out as failed, and
`Imported.settings` how the numbers were produced (files differing there are not repeats).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tui.core import schema
from tui.core.errors import InputError
from tui.core.importers.knob import KnobRule, as_number, find_knob, knob_column

__all__ = ["Imported", "KnobRule", "detect_and_import", "find_knob", "knob_column"]

_GENERIC_STEMS = ("results", "metrics", "summary", "run=", "warmup")
SNIFF_BYTES = 256 * 1024


@dataclass
class Imported:
    """One tool file as a sweep. `tool` says which writer and shape ("lm-eval 0.4", "vllm sweep", ...);
    `knob_name` is None when no knob was found (then `frame.knob` is null); `covers` are the files
    whose numbers the frame holds (more than this one for a vLLM sweep folder); the loader reads
    each of them only once."""

    tool: str
    frame: pl.DataFrame
    knob_name: str | None
    dims: list[str] = field(default_factory=list)
    covers: tuple[Path, ...] = ()
    # Runs of a group left out as failed (path, why); the frame holds only the measured ones.
    failed: list[tuple[Path, str]] = field(default_factory=list)
    # How the numbers were produced (generation settings, shots...): files of one model, benchmark
    # and knob are repeats only when these agree.
    settings: dict[str, str] = field(default_factory=dict)


def detect_and_import(path: Path, knob_rule: KnobRule | None = None) -> Imported | None:
    """The file as an Imported sweep if a known tool wrote it, else None (see the module docstring)."""
    path = Path(path)
    data = _read_json(path)
    if data is _NOT_JSON:
        return None
    # Only a JSON document can be a tool's output: a CSV sweep never imports the tool modules.
    from tui.core.importers import kvpress, lighteval, lm_eval, vllm

    for module in (lighteval, lm_eval, vllm, kvpress):
        if module.matches(path, data):
            return module.load(path, data, knob_rule)
    return None


_NOT_JSON = object()
_LOOKS_LIKE = [("lighteval", '"config_general"'), ("lm-eval", '"versions"'),
               ("vLLM bench", '"mean_ttft_ms"'), ("vLLM bench", '"tokens_per_second"')]
_LIST_MARKERS = ('"mean_ttft_ms"', '"output_throughput"', '"request_throughput"')  # vLLM sweep summary.json


def _read_json(path: Path) -> object:
    """Parsed JSON, or _NOT_JSON when the file is not a single JSON document a tool could have written.

    The head is sniffed first so a large CSV, NDJSON or JSON-records sweep of our own is never
    read twice: tools write one object (or vLLM's summary list), and an array is only parsed
    when its head shows vLLM's keys.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES).decode("utf-8-sig", errors="ignore").lstrip()
    except OSError:
        return _NOT_JSON  # the loader's own reader names the problem
    first_line = head.split("\n", 1)[0]
    if head[:1] == "[" and not any(marker in head for marker in _LIST_MARKERS):
        return _NOT_JSON
    if head[:1] == "{" and first_line.rstrip().endswith("}") and head[len(first_line):].strip():
        try:  # NDJSON, one record per line: lm-eval's samples_*.jsonl, or a sweep of ours
            record = json.loads(first_line)
        except json.JSONDecodeError:
            record = None
        if isinstance(record, dict) and "doc_id" in record and ("resps" in record or "filtered_resps" in record):
            raise InputError("lm-eval per-sample log, not a results file (scores are in results_*.json)", path=path)
        if record is not None:
            return _NOT_JSON
    if head[:1] not in ("{", "[") and not (head[:1].isdigit() and (path.parent / "config.yaml").is_file()):
        return _NOT_JSON  # a bare number is only kvpress's longbench score beside its config.yaml
    try:
        text = path.read_text(encoding="utf-8-sig")
        return json.loads(text)
    except (OSError, UnicodeDecodeError):
        return _NOT_JSON
    except json.JSONDecodeError as exc:
        for tool, marker in _LOOKS_LIKE:
            if head[:1] == "{" and marker in head:
                raise InputError(f"looks like a {tool} result but is not valid JSON: {exc.msg} "
                                 f"(line {exc.lineno})", path=path) from None
        return _NOT_JSON


def benchmark_name(task: str) -> str:
    """A tool's task name as the benchmark: as the file gives it (aliases only help typing)."""
    return task.strip()


def model_name(raw: object, path: Path) -> tuple[str, str]:
    """(model as shown, note) from a config value, falling back to the file or folder name.

    Local paths (vLLM `model_id=/root/.cache/.../Meta-Llama-3-8B-Instruct`) are cut to their last
    part. The name is never aliased into a bundled model's; the loader may drop an org prefix
    (tui.core.names).
    """
    name = str(raw).strip() if isinstance(raw, str) and raw.strip() else None
    note = ""
    if name and (name.startswith(("/", "./", "~", "../")) or "\\" in name):
        hub = re.search(r"models--([^/\\]+)--([^/\\]+)", name)
        note = f"model path {name}"
        name = f"{hub.group(1)}/{hub.group(2)}" if hub else re.split(r"[/\\]", name.rstrip("/\\"))[-1]
    if not name:
        generic = path.stem.startswith(_GENERIC_STEMS)  # results_<date>.json: the folder names the model
        name = path.parent.name.replace("__", "/") if generic else path.stem
        note = "model not recorded in the file; named after the " + ("folder" if generic else "file")
    return name, note


def setting(value: object) -> str:
    """A setting as comparable text: dicts with sorted keys, unset (None) entries and seeds left
    out (runs that differ only in their seed are repeats)."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if v is not None and "seed" not in k.lower()}
    return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else str(value)



def frame(rows: list[dict], dims: list[str], source: str, knob: tuple[str, float] | None) -> pl.DataFrame:
    """Rows (model, benchmark, metric, value, and optionally stderr, n, how, note, dims) as a sweep frame."""
    defaults = {"knob": knob[1] if knob else None, "n": 1, "how": "measured", "reading": "accepted",
                "source": source, "note": ""}
    columns = {**schema.SWEEP_SCHEMA, **{d: pl.String for d in dims}}
    return pl.DataFrame([{**defaults, **row} for row in rows], schema=columns)


def number(value: object, path: Path, what: str) -> float | None:
    """A metric value: a number, None when absent (null, "N/A"), InputError for anything else."""
    if value is None or (isinstance(value, str) and value.strip().upper() in {"N/A", "NA", "", "NAN"}):
        return None
    if isinstance(value, float) and value != value:  # NaN: lm-eval writes it for an undefined stderr
        return None
    result = as_number(value)
    if result is None:
        raise InputError(f"{what} is {value!r}, not a number", path=path)
    return result
