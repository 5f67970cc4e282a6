"""The `kvscope` command's entry point; `python -m tui` runs it too."""

import gc
import os
import sys


def main() -> None:
    _one_arena()
    # Importing polars, rich and typer makes a few hundred thousand objects that live as long as
    # the process; the cyclic collector would walk them again and again while they are made.
    # Off while they are made, then frozen out of its sight, so its later passes stay short.
    gc.disable()
    from tui.cli import main as run_command

    gc.freeze()
    gc.enable()
    run_command()


def _one_arena() -> None:
    """polars' allocator gives its threads several arenas, and memory freed in one is not reused
    by another: each phase of a load, run on other threads, added to the peak. kvscope's polars
    work is short queries over at most millions of rows, so one arena serves it (small blocks
    come from each thread's cache, without its lock). Read when polars loads; any arena setting
    of the user's (or of a parent process that imported polars) wins. Measured on Linux only."""
    conf = os.environ.get("_RJEM_MALLOC_CONF", "")
    if sys.platform.startswith("linux") and "arena" not in conf:
        os.environ["_RJEM_MALLOC_CONF"] = ",".join(filter(None, [conf, "narenas:1"]))


if __name__ == "__main__":
    main()
