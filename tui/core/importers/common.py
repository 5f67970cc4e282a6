"""Helpers every importer shares: names, settings, numbers and the sweep frame they build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl

from tui.core import schema
from tui.core.errors import InputError
from tui.core.files import NotJson, Sniffed
from tui.core.importers.knob import KnobRule, as_number

# File stems that name a run, not a model: the folder names the model instead.
_GENERIC_STEMS = ("results", "metrics", "summary", "run=", "warmup")


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


def json_document(file: Sniffed, blame: tuple[str, ...] = ()) -> object | None:
    """The file's JSON document, or None when it is not one. A broken document whose head shows one
    of the `blame` markers raises NotJson: it is this tool's file, and the registry names the tool."""
    try:
        return file.document()
    except NotJson:
        if any(marker in file.head for marker in blame):
            raise
        return None


def reason(error: InputError) -> str:
    """An InputError's message without the file name it starts with (the caller names the file)."""
    return str(error).removeprefix(f"{error.path}: ") if error.path is not None else str(error)


def json_object(file: Sniffed, kind: str) -> dict:
    """The file's one JSON object, or InputError naming `kind` (the tool's file) and what is wrong."""
    try:
        doc = file.document()
    except InputError as exc:
        raise InputError(f"{kind}: not valid JSON ({reason(exc)})", path=file.path) from None
    if not isinstance(doc, dict):
        raise InputError(f"{kind}: expected one JSON object", path=file.path)
    return doc


def dim_text(value: object) -> str | None:
    """A dimension's value as text, one way for every tool: a rate of 2.0 from vLLM and 2 from
    SGLang are the same load, written "2" (numbers by the knob's 12-digit rule)."""
    if value is None:
        return None
    number = as_number(value)
    return schema.format_knob(number) if number is not None else str(value)


def knob_name(rule: KnobRule | None, knob: tuple[str, float] | None) -> str | None:
    """The knob's name: the user's rule names it even where it found no value in a file."""
    return rule.name if rule else (knob[0] if knob else None)
