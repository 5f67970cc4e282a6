"""Inspect AI (UK AISI) eval logs: `.json` logs and `.eval` logs (a zip archive).

Log format versions 1 to 3 (`"version"` at the top; inspect_ai 0.3.x writes 2, and 3 for logs
with deduplicated messages). A `.eval` zip holds the same document, without samples, as its
`header.json` member (`_journal/start.json` alone means the eval never finished); `.json` logs hold
it at the top level. Only the header is read: samples are ignored.

- model: `eval.model` (`openai/gpt-4o-mini`), benchmark: `eval.task` without its package
  (`inspect_evals/arc_easy` -> `arc_easy`).
- `results.scores[]` (version 1: `results.scorer` + `results.metrics`): each score's metrics
  (`accuracy`, `mean`, ...) keep their names, `stderr` is the uncertainty of the score's other
  metrics (Inspect computes it for their mean). With several scores the score's name is added,
  `accuracy (match)`, so two scorers' accuracies are never averaged together.
- The knob is searched in the path, then `eval.task_args`, `eval.model_args` and `eval.metadata`.
- Settings (runs that differ there are not repeats): the generate config (`plan.config`), the
  eval config (`limit`, `epochs`) and the task arguments.
A log whose status is not "success" (cancelled, error) keeps the results it has, with a note.
"""

from __future__ import annotations

import json
import zipfile

from tui.core.errors import InputError
from tui.core.files import Sniffed
from tui.core.importers.common import benchmark_name, frame, json_document, knob_name, model_name, number, setting
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule, find_knob

TOOL = "Inspect AI"

VERSIONS = (1, 2, 3)
HEADER = "header.json"
START = "_journal/start.json"
# Score metrics that measure the spread of another metric rather than the score itself.
UNCERTAINTY = "stderr"


def matches(file: Sniffed) -> bool:
    if file.fmt == "zip":
        names = _members(file)
        return HEADER in names or START in names
    if file.fmt != "json" or file.head[:1] != "{" or '"eval"' not in file.head or '"status"' not in file.head:
        return False
    data = json_document(file, blame=('"task_id"',))
    return _is_log(data)


def _is_log(data: object) -> bool:
    spec = data.get("eval") if isinstance(data, dict) else None
    return isinstance(spec, dict) and "task" in spec and "model" in spec and "status" in data


def _members(file: Sniffed) -> list[str]:
    try:
        with zipfile.ZipFile(file.path) as archive:
            return archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return []


def _read_header(file: Sniffed) -> dict:
    """The log document: `header.json` of a `.eval` zip, or the whole `.json` log."""
    if file.fmt != "zip":
        return file.document()  # type: ignore[return-value]  (matches() checked it is a log)
    try:
        with zipfile.ZipFile(file.path) as archive:
            if HEADER not in archive.namelist():
                raise InputError(f"{TOOL} .eval log: no {HEADER} (the eval did not finish; "
                                 "only its journal was written)", path=file.path)
            data = json.loads(archive.read(HEADER).decode("utf-8"))
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{TOOL} .eval log: {HEADER} cannot be read: {exc}", path=file.path) from None
    if not _is_log(data):
        raise InputError(f"{TOOL} .eval log: {HEADER} has no eval task and model", path=file.path)
    return data


def _scores(results: dict) -> list[dict]:
    """`results.scores`, with version 1's single `scorer` + `metrics` read as one score."""
    if isinstance(results.get("scorer"), dict):
        return [{**results["scorer"], "metrics": results.get("metrics") or {}}]
    scores = results.get("scores")
    return [s for s in scores if isinstance(s, dict)] if isinstance(scores, list) else []


def _metric_rows(scores: list[dict], file: Sniffed) -> list[dict]:
    """One row per metric of each score: (metric, value, stderr)."""
    rows = []
    for score in scores:
        metrics = score.get("metrics") if isinstance(score.get("metrics"), dict) else {}
        values = {name: number(m.get("value") if isinstance(m, dict) else m, file.path,
                               f"score {score.get('name')!r} metric {name!r}") for name, m in metrics.items()}
        stderr = values.pop(UNCERTAINTY, None)
        for name, value in values.items():
            if value is not None:
                rows.append({"metric": _label(name, score, scores), "value": value, "stderr": stderr})
    return rows


def _label(metric: str, score: dict, scores: list[dict]) -> str:
    """`accuracy`, or `accuracy (match, max)` when several scorers or epoch reducers report one."""
    parts = [score.get("name") if len({s.get("name") for s in scores}) > 1 else None,
             score.get("reducer") if len({s.get("reducer") for s in scores}) > 1 else None]
    named = [str(part) for part in parts if part]
    return f"{metric} ({', '.join(named)})" if named else metric


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    data = _read_header(file)
    kind = f"{TOOL} {'.eval' if file.fmt == 'zip' else '.json'} log"
    version = data.get("version")
    if version not in VERSIONS:
        raise InputError(f"{kind}: unknown log format version {version!r} (known: 1 to 3)", path=file.path)
    status = data.get("status")
    results = data.get("results")
    if not isinstance(results, dict):
        raise InputError(f"{kind}: no results (status {status!r}: the eval did not finish)", path=file.path)
    rows = _metric_rows(_scores(results), file)
    if not rows:
        raise InputError(f"{kind}: no scores in results (the task has no scorer, or none ran)",
                         path=file.path)
    spec = data["eval"]
    model, model_note = model_name(spec.get("model"), file.path)
    task = str(spec.get("task") or "")
    notes = [f"inspect_ai {_package_version(spec)}".strip(), model_note,
             f"task {task}" if "/" in task else "", _status_note(status, results)]
    note = "; ".join(filter(None, notes))
    config = {**_dict(spec.get("metadata")), **_dict(spec.get("model_args")), **_dict(spec.get("task_args"))}
    knob = find_knob(file.path, config, rule=rule)
    for row in rows:
        row.update(model=model, benchmark=benchmark_name(task.rsplit("/", 1)[-1]), note=note)
    plan = _dict(data.get("plan"))
    run = _dict(spec.get("config"))
    return Imported(tool=f"{TOOL} log v{version}", frame=frame(rows, [], str(file.path), knob),
                    knob_name=knob_name(rule, knob), dims=[], covers=(file.path,),
                    settings={"generate_config": setting(plan.get("config")),
                              "limit": setting(run.get("limit")), "epochs": setting(run.get("epochs")),
                              "task_args": setting(spec.get("task_args") or {})})


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _package_version(spec: dict) -> str:
    return str(_dict(spec.get("packages")).get("inspect_ai", ""))


def _status_note(status: object, results: dict) -> str:
    """Why the numbers may cover fewer samples than planned: a run that did not succeed."""
    if status == "success":
        return ""
    done, total = results.get("completed_samples"), results.get("total_samples")
    counts = f", {done} of {total} samples completed" if done is not None and total is not None else ""
    return f"status {status}{counts}"
