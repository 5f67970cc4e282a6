"""The `kvscope` command's entry point; `python -m tui` runs it too."""

import gc
import os
import sys


def main() -> None:
    _arena_per_cpu()
    # Importing polars, rich and typer makes a few hundred thousand objects that live as long as
    # the process; the cyclic collector would walk them again and again while they are made.
    # Off while they are made, then frozen out of its sight, so its later passes stay short.
    gc.disable()
    from tui.cli import main as run_command

    gc.freeze()
    gc.enable()
    run_command()


def _arena_per_cpu() -> None:
    """polars' allocator gives each of its threads an arena, and a phase of a load does not reuse
    what an earlier phase's threads freed: parsing a big file peaked far above what it holds. An
    arena per CPU shares them. Read when polars loads; any arena setting of the user's (or of a
    parent process that imported polars) wins. Linux only: jemalloc elsewhere lacks getcpu."""
    conf = os.environ.get("_RJEM_MALLOC_CONF", "")
    if sys.platform.startswith("linux") and "arena" not in conf:
        os.environ["_RJEM_MALLOC_CONF"] = ",".join(filter(None, [conf, "percpu_arena:percpu"]))


if __name__ == "__main__":
    main()
