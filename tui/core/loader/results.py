"""Paths -> a Results object: every file loaded, combined, and described (header, skipped
files, failed runs)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

import polars as pl

from tui.core import remote, schema
from tui.core.bundled import bundled_files
from tui.core.errors import FailedRun, InputError
from tui.core.files import discover, plain_error
from tui.core.loader.bucket import fetch_remote
from tui.core.loader.cache import edge_digest, load_cached
from tui.core.loader.combine import combine, fold_dimensions, join_efficiency_runs
from tui.core.loader.first_look import first_model
from tui.core.loader.one_file import Loaded
from tui.core.loader.roles import LoadOptions, canonical_knob
from tui.core.metrics import to_percent
from tui.core.names import drop_org_prefixes
from tui.core.schema import AVG, Results


def load(paths: list[Path] | None = None, options: LoadOptions | None = None,
         first_look: Callable[[Results], None] | None = None) -> Results:
    """Load the user's files and folders, or the bundled data when `paths` is empty.

    A file given alone must load (else its InputError is the answer). Among several, a file that
    does not load is skipped with its reason (Results.skipped) and the others load; a run that
    measured nothing is left out (Results.failed). Nothing loaded at all is an InputError that
    carries both lists (`skipped`, `failed`) so the CLI can still say why for each file.
    A big file given alone is offered to `first_look` once it is checked, as a first look (see
    tui.core.loader.first_look) when it can have one, before the rest of it is pooled.
    """
    bundled = not paths
    urls = [url for url in map(remote.as_url, paths or []) if url]
    given = [Path(p) for p in paths or [] if not remote.as_url(p)]
    # A file (or one object) given alone must load; a folder or a bucket prefix need not.
    one_file = remote.names_object(urls[0]) if urls else bool(given) and not given[0].is_dir()
    strict = bundled or (len(given) + len(urls) == 1 and one_file)
    files, skipped = (bundled_files(), []) if bundled else discover(given)
    files, copies = _distinct_files(files)
    skipped += copies
    fetched, not_tables = fetch_remote(urls, options) if urls else ({}, [])
    files, skipped = files + list(fetched), skipped + not_tables
    given += urls
    if first_look is not None and strict and not bundled and not urls and len(files) == 1 \
            and not (options and options.metric):
        look = partial(_first_look, first_look, given=given, files=files, skipped=skipped)
        options = replace(options or LoadOptions(), checked=look)
    loaded, failed, warnings = _load_each(files, options, strict, set(given), skipped, fetched)
    for _, item in loaded:
        failed += item.failed
    return _assembled(loaded, failed, warnings, given, files, skipped, bundled, options)


def _assembled(loaded: list[tuple[Path, Loaded]], failed: list, warnings: list[str], given: list[Path],
               files: list[Path], skipped: list[tuple[Path, str]], bundled: bool, options: LoadOptions | None,
               renamed: dict[str, str] | None = None) -> Results:
    """The loaded files as one Results; `renamed`, the model renames of a first look's file."""
    sweeps = [(path, item) for path, item in loaded if item.kind == "sweep"]
    for _, item in sweeps:
        if not item.scale_settled:
            item.frame = to_percent(item.frame)
    scalings = [item.frame for _, item in loaded if item.kind == "scaling"]
    dims = list(dict.fromkeys(d for _, item in sweeps for d in item.dims))
    if not sweeps and not scalings:
        raise _nothing_loaded(given, skipped, failed)
    combined, same, conflicts = combine(sweeps, dims)
    skipped = skipped + same + conflicts
    warnings = warnings + [f"skipped {path}: {why}" for path, why in conflicts]
    results = _results(
        all_readings=join_efficiency_runs(fold_dimensions(drop_org_prefixes(combined, renamed), dims)),
        all_scaling=pl.concat(scalings, how="vertical") if scalings else schema.empty_scaling(),
        knob=_knob_name(sweeps),
        dims=tuple(dims),
        origin="bundled data" if bundled else _describe(given, files, skipped, failed),
        files=tuple(files),
        skipped=tuple(skipped),
        failed=tuple(failed),
        warnings=tuple(warnings),
        cached=tuple(path for path, item in loaded if item.cached),
    )
    return results.with_metric(options.metric if options else None)


def _first_look(offer: Callable[[Results], None], long: pl.DataFrame, dims: list[str],
                pooled: Callable[..., Loaded], *, given: list[Path], files: list[Path],
                skipped: list[tuple[Path, str]]) -> None:
    """A first look at the one file being loaded, offered when it can have one (a problem found
    in it is left for the whole file's load to report, as it would without a first look)."""
    try:
        found = first_model(long, dims)
        if found is None:
            return
        item = pooled(found.rows, found.fractions)
        results = _assembled([(files[0], item)], list(item.failed), [], given, files, skipped, False, None,
                             renamed=found.renamed)
    except (InputError, pl.exceptions.PolarsError):
        return
    offer(results.seeing_all(found.names, found.metrics_by_benchmark).prepare())


def _results(all_readings: pl.DataFrame, all_scaling: pl.DataFrame, **described) -> Results:
    """Results holding every reading, and the accepted ones split into sweeps and averages."""
    accepted = _where(all_readings, pl.col("reading") == "accepted")
    return Results(
        sweep=_where(accepted, pl.col("benchmark") != AVG),
        aggregates=accepted.filter(pl.col("benchmark") == AVG),
        scaling=all_scaling.filter(pl.col("reading") == "accepted"),
        all_readings=all_readings,
        all_scaling=all_scaling,
        **described,
    )


def _knob_name(sweeps: list[tuple[Path, Loaded]]) -> str:
    """The knob the sweeps vary, or "knob" when files vary different ones (a kvpress ratio, a
    vLLM max_num_seqs in one folder)."""
    knobs = [canonical_knob(item.knob) for _, item in sweeps if item.knob]
    return knobs[0] if len(set(knobs)) == 1 else ("knob" if knobs else "kv_budget")


def _load_each(files: list[Path], options: LoadOptions | None, strict: bool, named: set[Path],
               skipped: list[tuple[Path, str]], fetched: dict | None = None
               ) -> tuple[list[tuple[Path, Loaded]], list, list[str]]:
    """Each file loaded once (a file another one's import already covers is not read again);
    files that do not load go to `skipped`, runs that measured nothing to the failed list."""
    loaded, failed, warnings = [], [], []
    covered: set[Path] = set()
    for path in files:
        if path in covered:
            continue
        try:
            item = _load_one(path, options, fetched)
        except FailedRun as exc:
            if strict:
                raise
            covered.update(exc.covers)
            failed += exc.runs or [(path, _reason(exc, path))]
            continue
        except InputError as exc:
            if strict:
                raise
            skipped.append((path, _reason(exc, path)))
            if path in named:  # the user asked for this file by name: say so without --verbose
                warnings.append(f"skipped {path}: {skipped[-1][1]}")
            continue
        covered.update(item.covers)
        loaded.append((path, item))
    return loaded, failed, warnings


def _load_one(path: Path, options: LoadOptions | None, fetched: dict | None) -> Loaded:
    """One file's rows; an error polars raises that no check foresaw becomes one line naming the
    file, as every other reason a file cannot be read, rather than a traceback."""
    try:
        return load_cached(path, options, fetched)
    except pl.exceptions.PolarsError as exc:
        raise InputError(f"cannot read: {plain_error(exc)}", path=path) from None


def _reason(error: InputError, path: Path) -> str:
    return str(error).removeprefix(f"{path}: ").removeprefix(f"{path}, ")


def _nothing_loaded(given: list[Path], skipped: list[tuple[Path, str]],
                    failed: list[tuple[Path, str]]) -> InputError:
    parts = [f"{len(skipped)} skipped"] if skipped else []
    parts += [_runs(len(failed)) + " left out"] if failed else []
    why = f" ({', '.join(parts)}; --verbose lists why)" if parts else ""
    error = InputError(f"no results found in {', '.join(map(str, given))}{why}")
    error.skipped, error.failed = tuple(skipped), tuple(failed)
    return error


def _runs(count: int) -> str:
    return f"{count} failed run{'s' if count != 1 else ''}"


def describe_failed(failed: tuple[tuple[Path, str], ...] | list[tuple[Path, str]], shown: int = 2) -> str:
    """One line for the runs left out as failed: "2 failed runs left out: a.json (why), ..."."""
    parts = [f"{path.name} ({why})" for path, why in failed[:shown]]
    more = f", and {len(failed) - shown} more (--verbose lists them)" if len(failed) > shown else ""
    return f"{_runs(len(failed))} left out: {', '.join(parts)}{more}"


def _distinct_files(files: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Byte-identical files (a copied result) are one result, not two repeats: the first is read.
    A file is read whole only when another has its size and its first and last bytes (sweeps of
    one shape often share a size, rarely their edges)."""
    copies: dict[Path, Path] = {}
    for same_size in _alike(files, lambda path: path.stat().st_size):
        size = same_size[0].stat().st_size
        for same_edges in _alike(same_size, lambda path, size=size: edge_digest(path, size)):
            for same in _alike(same_edges, lambda path: hashlib.sha256(path.read_bytes()).hexdigest()):
                copies.update((path, same[0]) for path in same[1:])
    kept = [path for path in files if path not in copies]
    return kept, [(path, f"same content as {first} (a copy is read once)") for path, first in copies.items()]


def _alike(paths: list[Path], key) -> list[list[Path]]:
    """Groups of two or more `paths` with the same `key`, in order; a file that cannot be read is
    left to the reader, which names the problem."""
    groups: dict[object, list[Path]] = {}
    for path in paths:
        try:
            groups.setdefault(key(path), []).append(path)
        except OSError:
            pass
    return [group for group in groups.values() if len(group) > 1]


def _where(frame: pl.DataFrame, condition: pl.Expr) -> pl.DataFrame:
    """`frame.filter(condition)`, but the frame itself when every row is kept: a filter copies the
    rows it keeps, and the usual file (no rejected readings, no averages) keeps them all."""
    keep = frame.select(condition.fill_null(False)).to_series()
    return frame if keep.all() else frame.filter(keep)


def name_paths(paths: list[Path]) -> str:
    """The paths the user gave, briefly: "real_results", "a.csv, b.csv and 3 more"."""
    more = f" and {len(paths) - 2} more" if len(paths) > 2 else ""
    return ", ".join(p.name or str(p) for p in paths[:2]) + more


def _describe(paths: list[Path], files: list[Path], skipped: list[tuple[Path, str]],
              failed: list[tuple[Path, str]] = ()) -> str:
    """What the header says: "19 files, 2 skipped, 1 failed run: real_results" (paths as given)."""
    shown = name_paths(paths)
    count = f"{len(files)} file{'s' if len(files) != 1 else ''}" \
        + (f", {len(skipped)} skipped" if skipped else "")
    return f"{count}{', ' + _runs(len(failed)) if failed else ''}: {shown}"
