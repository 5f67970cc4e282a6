"""Shared fixtures: the bundled results, a helper that writes small result files, and the
`--soak` option (or KVSCOPE_SOAK=1) that turns the short monkey run into the long soak."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.core.loader import load

# Tests parse their files (and never write to the user's cache); tests/test_cache.py turns the
# parsed copies on, each test in a folder of its own.
os.environ.setdefault("KVSCOPE_NO_CACHE", "1")


def pytest_addoption(parser):
    parser.addoption("--soak", action="store_true", default=False,
                     help="kvscope: run the long monkey soak (about 2,000 keys, minutes) instead of the "
                          "short one; KVSCOPE_SOAK=1 does the same")


@pytest.fixture(scope="session")
def soak(request) -> bool:
    """Whether the long soak was asked for (`--soak` or KVSCOPE_SOAK set to anything but 0)."""
    return request.config.getoption("--soak") or os.environ.get("KVSCOPE_SOAK", "0") not in ("", "0")


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
