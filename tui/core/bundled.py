"""Where the bundled results live: `data/` in a checkout, `tui/_data/` inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_dir() -> Path:
    for candidate in (_PACKAGE / "_data", _PACKAGE.parent / "data"):
        if (candidate / "kv_sweep.csv").is_file():
            return candidate
    raise FileNotFoundError("kvscope's bundled data is missing from this installation")


def bundled_files() -> list[Path]:
    folder = bundled_dir()
    return [folder / "kv_sweep.csv", folder / "kv_average.csv", folder / "scaling.csv"]
