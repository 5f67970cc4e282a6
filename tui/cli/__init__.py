"""The `kvscope` command: thin typer commands over core views and renderers.

Textual is imported only when the explorer opens (textual-serve inside `serve`), so the printing
commands start as fast as polars and rich allow; `kvscope [PATH...]` opens it without importing
typer at all (tui.cli.opening). Bad input exits 2 with one line on stderr, never a traceback.
This module imports nothing heavy: the entry point reads argv with it before anything is imported.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

COMMANDS = {"summary", "table", "chart", "scaling", "open", "compare", "readings", "advise", "frontier",
            "returns", "check", "insights", "export", "screenshots", "serve"}
# Options of the app callback: they apply to every command, wherever they are typed.
GLOBAL_WITH_VALUE = {"--knob", "--model-col", "--benchmark-col", "--knob-col", "--metric"}
GLOBAL_FLAGS = {"--verbose", "-v"}
HELP_FLAGS = {"-h", "--help"}


def _hoist_global_options(args: list[str]) -> tuple[list[str], list[str]]:
    """Split argv into (global options, the rest), so `kvscope summary DIR --knob X` works too."""
    hoisted, rest, i = [], [], 0
    while i < len(args):
        arg = args[i]
        name = arg.split("=", 1)[0]
        if name in GLOBAL_WITH_VALUE:
            if "=" in arg:
                hoisted.append(arg)
            else:
                hoisted += args[i:i + 2]
                i += 1
        elif arg in GLOBAL_FLAGS:
            hoisted.append(arg)
        else:
            rest.append(arg)
        i += 1
    return hoisted, rest


def say(text: str) -> None:
    """One line on stderr, "kvscope: " first: how every command speaks besides its output."""
    print(f"kvscope: {text}", file=sys.stderr, flush=True)


def files_to_open(argv: list[str]) -> list[Path] | None:
    """The paths of a plain `kvscope [PATH...]` (none: the bundled data), which opens the explorer
    with the default options: no command, no option, and every path on disk. None for anything
    else, which typer reads (a URL, a missing path: the `open` command says what is wrong)."""
    if (argv and argv[0] in COMMANDS) or any(arg.startswith("-") or not os.path.exists(arg) for arg in argv):
        return None
    return [Path(arg) for arg in argv]


def opens_explorer(argv: list[str]) -> bool:
    """Whether `kvscope ARGV` opens the explorer: paths only, `open`, or no command at all."""
    _, args = _hoist_global_options(argv)
    return not args or args[0] == "open" or (args[0] not in COMMANDS and not args[0].startswith("-"))


def commands():
    """The typer app, every command registered: importing a command's module registers it."""
    from tui.cli import answers, data, serve, views  # noqa: F401
    from tui.cli.common import app

    return app


def main(argv: list[str] | None = None) -> None:
    """Entry point: `kvscope [PATHS...]` opens the app; `kvscope COMMAND ...` runs a command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    paths = files_to_open(argv)
    if paths is not None:
        from tui.cli.opening import open_files

        open_files(paths)
        return
    hoisted, args = _hoist_global_options(argv)
    if args[:1] == ["--version"]:
        from tui import __version__

        print(f"kvscope {__version__}")
        return
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help")):
        args.insert(0, "open")
    # typer turns every registered command's signature into click parameters before it looks
    # at argv, which costs more than loading the bundled data. Outside help,
    # only the named command can run, so it is the only one registered for this call; a help
    # request anywhere keeps them all, since `kvscope --help` lists every command.
    app = commands()
    everything = app.registered_commands
    if args[0] in COMMANDS and not HELP_FLAGS.intersection(args):
        app.registered_commands = [info for info in everything if _command_name(info) == args[0]]
    try:
        app([*hoisted, *args], prog_name="kvscope")
    finally:
        app.registered_commands = everything


def _command_name(info) -> str:
    """The name typer gives a registered command: its own, or the function's with - for _."""
    return info.name or info.callback.__name__.replace("_", "-")
