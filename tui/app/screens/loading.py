"""Shown while a large load runs in another thread: a spinner and what is being read."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import LoadingIndicator, Static

from tui.app.screens.base import KvScreen


class LoadingScreen(KvScreen):
    """Replaced by the explorer as soon as the data is in (see KvscopeApp._wait_for_data)."""

    BINDING_GROUP_TITLE = "Loading"

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose_body(self) -> ComposeResult:
        with Vertical(id="loading"):
            yield Static(f"Loading {self.what} …", id="loading-what", markup=False)
            yield LoadingIndicator()
