"""Opening the explorer from the command line, without typer: `kvscope [PATH...]` comes straight
here (tui.cli.main), so the load starts as soon as polars is imported and runs beside Textual's
import; the `open` command uses the same functions. Also what every command says on stderr about
the files a load skipped."""

from __future__ import annotations

import gc
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, TimeoutError, wait
from pathlib import Path

from tui.cli import say
from tui.core.errors import InputError
from tui.core.loader import LoadOptions, describe_failed, load, name_paths
from tui.core.loader.first_look import Handoff


def open_files(paths: list[Path]) -> None:
    """The explorer on `paths` (none: the bundled data) with the default options; bad input
    exits 2 with one line on stderr."""
    options, handoff = LoadOptions(), Handoff()
    error = open_explorer(paths, start_load(paths, options, handoff), options=options, handoff=handoff)
    if error:
        say(f"error: {error}")
        raise SystemExit(2)


def start_load(paths: list[Path] | None, options: LoadOptions | None, handoff: Handoff | None = None) -> Future:
    """The load in a background thread (a Future), so the app can start while it runs; the thread
    also works out what the first view asks for (Results.prepare), off the thread that draws.
    A big file's first look goes to `handoff` (see tui.core.loader.first_look)."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kvscope-load")
    offer = handoff.offer if handoff is not None else None
    future = pool.submit(lambda: load(paths or None, options, first_look=offer).prepare())
    pool.shutdown(wait=False)
    return future


def open_explorer(paths: list[Path] | None, future: Future, *, watch: bool = False,
                  options: LoadOptions | None = None, verbose: bool = False,
                  handoff: Handoff | None = None) -> str | None:
    """The explorer on the load `future` (from `start_load`, its first look in `handoff`) until
    the user quits; what the load skipped is then said on stderr. Returns the one-line error of
    bad input, else None."""
    # Textual's import and the first screen make many objects that live on: the collector stays
    # off until the first frame is out (the explorer then freezes them and turns it back on).
    gc.disable()
    try:
        return _run_explorer(paths, future, watch, options, verbose, handoff or Handoff())
    finally:
        gc.enable()


def _run_explorer(paths: list[Path] | None, future: Future, watch: bool, options: LoadOptions | None,
                  verbose: bool, handoff: Handoff) -> str | None:
    # Textual's import overlaps with the load; a load that is done (or failed) by then never
    # shows the loading screen, so bad input exits 2 before the terminal is taken over. The app is
    # made first, over the load, and its CSS parsed while the load finishes. A big file checked by
    # then opens on its first look: a problem only the rest of it shows then ends the app.
    from tui.app.main import make_app, run

    what = name_paths(list(paths)) if paths else "the bundled data"
    app = make_app(future, list(paths) if watch else None, what, options)
    app.parse_css()
    wait([future, handoff.look], timeout=0.3, return_when=FIRST_COMPLETED)
    if handoff.look.done() and not future.done():
        app.open_on(handoff.look.result(), rest=future, shown=handoff.shown)
    else:
        handoff.shown()  # no first look: the load need not wait for one to be drawn
        try:
            app.open_on(future.result(timeout=0))
        except TimeoutError:
            gc.enable()  # the loading screen may show for long: its garbage must not wait for the data
        except InputError as exc:
            report_skipped(exc, verbose)
            return str(exc)
    error = run(app)
    if error:
        return error
    # Quit while still loading: nothing to report.
    if future.done() and future.exception() is None:
        report_skipped(future.result(), verbose)
    return None


def report_skipped(results, verbose: bool) -> None:
    """On stderr: every skipped file and failed run when `verbose`; else the lines the user must
    see (a conflict, a named file skipped) and one line for the failed runs left out.
    `results` is a Results, or the InputError of a load that found nothing."""
    skipped, failed, warnings = (getattr(results, name, ()) for name in ("skipped", "failed", "warnings"))
    if verbose:
        for path, reason in skipped:
            say(f"skipped {path}: {reason}")
        for path, reason in failed:
            say(f"failed run left out: {path}: {reason}")
        for path in getattr(results, "cached", ()):
            say(f"read from cache: {path}")
    else:
        for line in warnings:
            say(line)
    if failed:
        say(describe_failed(failed))

