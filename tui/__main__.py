"""The `kvscope` command's entry point; `python -m tui` runs it too."""

import gc


def main() -> None:
    # Importing polars, rich and typer makes a few hundred thousand objects that live as long as
    # the process; the cyclic collector would walk them again and again while they are made.
    # Off while they are made, then frozen out of its sight, so its later passes stay short.
    gc.disable()
    from tui.cli import main as run_command

    gc.freeze()
    gc.enable()
    run_command()


if __name__ == "__main__":
    main()
