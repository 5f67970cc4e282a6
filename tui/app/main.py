"""Entry points: `make_app` (shared by the CLI, the tests and the screenshots) and `run`."""

from __future__ import annotations

from tui.app.app import KvscopeApp
from tui.core.schema import Results


def make_app(results: Results) -> KvscopeApp:
    """The explorer over already-loaded results (loading happens before the UI starts)."""
    return KvscopeApp(results)


def run(results: Results) -> None:
    make_app(results).run()
