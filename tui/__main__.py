"""The `kvscope` command's entry point; `python -m tui` runs it too."""

import gc
import os
import sys


def main() -> None:
    _allocator_settings()
    # Importing polars, rich and typer makes a few hundred thousand objects that live as long as
    # the process; the cyclic collector would walk them again and again while they are made.
    # Off while they are made, then frozen out of its sight, so its later passes stay short.
    gc.disable()
    from tui import cli

    argv = sys.argv[1:]
    if cli.opens_explorer(argv):
        _leave_a_core_for_drawing()
    if cli.files_to_open(argv) is None:
        cli.commands()
        gc.freeze()
        gc.enable()
    # else `kvscope [PATH...]`: the collector stays off while polars and Textual are imported and
    # the explorer starts; the explorer freezes what they made after its first frame.
    cli.main()


# polars puts its own allocator defaults first, and exports them to child processes: a
# setting of the user's (or of a parent process) comes after them.
_POLARS_DEFAULTS = "dirty_decay_ms:500,muzzy_decay_ms:1000"
_OURS = {"narenas": "1", "dirty_decay_ms": "100", "muzzy_decay_ms": "0"}


def _allocator_settings() -> None:
    """polars' allocator, set before polars loads (measurements in docs/PERFORMANCE.md). One
    arena: memory freed in one is not reused by another, so each phase of a load, run on other
    threads, added to the peak; kvscope's polars work is short queries, which one arena serves.
    Freed pages go back to the system after 100 ms, not seconds: lower peaks, at no measured
    cost. A user's own setting of any of these wins (any arena setting for the arena). Linux
    only, where it was measured."""
    conf = os.environ.get("_RJEM_MALLOC_CONF", "")
    if not sys.platform.startswith("linux"):
        return
    chosen = conf.removeprefix(_POLARS_DEFAULTS)
    keys = {item.split(":")[0] for item in chosen.split(",")}
    added = [f"{key}:{value}" for key, value in _OURS.items()
             if key not in keys and not (key == "narenas" and "arena" in chosen)]
    os.environ["_RJEM_MALLOC_CONF"] = ",".join(filter(None, [conf, *added]))


def _leave_a_core_for_drawing() -> None:
    """The explorer's polars pool (sized when polars is imported) gets every core but one:
    the app draws on the other, which its start-up needs while the load runs beside it
    (docs/PERFORMANCE.md). The user's own POLARS_MAX_THREADS wins."""
    if "POLARS_MAX_THREADS" in os.environ:
        return
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if cores > 1:
        os.environ["POLARS_MAX_THREADS"] = str(cores - 1)


if __name__ == "__main__":
    main()
