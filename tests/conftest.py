"""Shared fixtures: the bundled results, and a helper that writes small result files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.core.loader import load

# Tests parse their files (and never write to the user's cache); tests/test_cache.py turns the
# parsed copies on, each test in a folder of its own.
os.environ.setdefault("KVSCOPE_NO_CACHE", "1")


@pytest.fixture(scope="session")
def bundled():
    return load()


@pytest.fixture
def write(tmp_path: Path):
    """write("name.csv", "text") -> the path of a new file holding exactly that text."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write
