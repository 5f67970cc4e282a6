"""Helpers shared by test modules (pytest puts tests/ on sys.path, so `from helpers import run`)."""

from __future__ import annotations

from tui.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run `kvscope ARGS` in-process: (exit code, stdout, stderr)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err
