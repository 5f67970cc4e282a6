"""EleutherAI lm-evaluation-harness results files (pre-0.4 through 0.4.x).

Shapes handled, all seen in real files:
- `results: {task: {metric: value}}` with bare keys (`acc`, `acc_stderr`; 0.3 and older) or
  `metric,filter` keys (`acc,none`, `exact_match,strict-match`, `exact_match_stderr,...`; 0.4).
  The filter is kept in the metric name unless it is "none": two filters are two scorings of
  the same answers and must not be averaged together.
- group placeholder rows (`" ": " "`), `alias`/`name`/`sample_len` fields: skipped.
- stderr "N/A" strings (ifeval) and NaN: null stderr.
- `group_subtasks` ({group: [subtasks]}): each subtask's group is kept in the `parent` column,
  so averages take leaves only and views fold subtasks under their group.
- `config.model_args` as a "k=v,k=v" string or (0.4.13+) a dict; `model_name` at the top (0.4.3+).
Values are kept as written; the loader shows fractions as % (tui.core.metrics).
"""

from __future__ import annotations

import polars as pl

from tui.core import schema
from tui.core.errors import InputError
from tui.core.files import Sniffed
from tui.core.importers.common import benchmark_name, frame, json_document, knob_name, model_name, number, setting
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule, find_knob

TOOL = "lm-eval"

MARKERS = ("versions", "configs", "n-shot", "lm_eval_version", "group_subtasks", "higher_is_better")
NOT_METRICS = {"alias", "name", "sample_len", "samples", "sample_count", " "}


def matches(file: Sniffed) -> bool:
    if file.fmt == "ndjson":
        record = (file.records(1) or [{}])[0]
        if "doc_id" in record and ("resps" in record or "filtered_resps" in record):
            raise InputError("lm-eval per-sample log, not a results file (scores are in results_*.json)",
                             path=file.path)
        return False
    if file.fmt != "json" or file.head[:1] != "{" or '"results"' not in file.head:
        return False
    data = json_document(file, blame=tuple(f'"{key}"' for key in MARKERS))
    return (isinstance(data, dict) and "results" in data and "config_general" not in data
            and any(key in data for key in MARKERS))


def model_args(raw: object) -> dict:
    """`model_args` as a dict: 0.4.13+ writes a dict, older versions the command line's k=v string."""
    if isinstance(raw, dict):
        return raw
    if not isinstance(raw, str):
        return {}
    pairs = [part.split("=", 1) for part in raw.split(",") if "=" in part]
    return {key.strip(): value.strip() for key, value in pairs}


def _version(data: dict, keys: list[str]) -> str:
    if isinstance(data.get("lm_eval_version"), str):
        return f"lm-eval {data['lm_eval_version']}"
    return "lm-eval 0.4" if any("," in key for key in keys) else "lm-eval 0.3"


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    path, data = file.path, file.document()
    results = data["results"]
    if not isinstance(results, dict) or not results:
        raise InputError("lm-eval results file: 'results' is empty or not an object", path=path)
    tasks = dict(results)
    if isinstance(data.get("groups"), dict):  # 0.4.0-0.4.2 repeat group scores here
        for task, entry in data["groups"].items():
            tasks.setdefault(task, entry)
    values: dict[tuple[str, str], float] = {}
    errors: dict[tuple[str, str], float | None] = {}
    for task, entry in tasks.items():
        if not isinstance(entry, dict):
            raise InputError(f"lm-eval results file: task {task!r} is not an object", path=path)
        for key, raw in entry.items():
            if key in NOT_METRICS or isinstance(raw, (bool, list, dict)):
                continue
            if isinstance(raw, str) and "," not in key and not key.endswith("_stderr"):
                continue  # a descriptive field such as a newer version's labels
            metric, _, filt = key.partition(",")
            is_stderr = metric.endswith("_stderr")
            metric = metric.removesuffix("_stderr")
            name = metric if filt in ("", "none") else f"{metric} ({filt})"
            value = number(raw, path, f"task {task!r} {key!r}")
            if is_stderr:
                errors[(task, name)] = value
            elif value is not None:
                values[(task, name)] = value
    if not values:
        raise InputError("lm-eval results file has no metric values", path=path)

    config = data.get("config") if isinstance(data.get("config"), dict) else {}
    args = model_args(config.get("model_args"))
    raw_model = data.get("model_name") or next(
        (args[k] for k in ("pretrained", "model", "model_name", "path") if isinstance(args.get(k), str)), None)
    model, model_note = model_name(raw_model, path)
    tool = _version(data, [k for entry in tasks.values() for k in entry])
    knob = find_knob(path, args, rule=rule)
    parents = group_parents(data.get("group_subtasks"))
    rows = []
    for (task, name), value in values.items():
        note = "; ".join(filter(None, [tool, model_note]))
        rows.append({"model": model, "benchmark": benchmark_name(task), "metric": name,
                     "value": value, "stderr": errors.get((task, name)), "note": note})
    out = frame(rows, [], str(path), knob)
    if parents:  # a column only where the file has groups: other frames stay in the plain schema
        groups = [parents.get(task) for task, _ in values]
        out = out.with_columns(pl.Series(schema.PARENT, groups, pl.String))
    return Imported(tool=tool, frame=out,
                    knob_name=knob_name(rule, knob), dims=[], covers=(path,),
                    settings=_settings(config))


def group_parents(raw: object) -> dict[str, str]:
    """Subtask -> its group, from lm-eval's `group_subtasks` ({"mmlu": ["mmlu_stem", ...], ...})."""
    if not isinstance(raw, dict):
        return {}
    return {benchmark_name(child): benchmark_name(group) for group, children in raw.items()
            if isinstance(children, list) for child in children if isinstance(child, str) and child != group}


def _settings(config: dict) -> dict[str, str]:
    """What changes the scores of a run besides the model and task: sampling and shots."""
    return {key: setting(config.get(key)) for key in ("gen_kwargs", "num_fewshot", "limit")}
