"""Result files written by evaluation tools (lm-eval, vLLM bench, lighteval, kvpress) as tidy sweeps.

People should not have to reshape their tools' output before kvscope can show it: each tool's
importer (contract.py) recognises its files by content, and registry.py tries them in order.
`detect_and_import` returns None for anything no tool wrote (our own CSV/JSON tables), so the
loader reads those itself.
"""

from __future__ import annotations

from tui.core.importers.contract import Imported, Importer
from tui.core.importers.knob import KnobRule, find_knob, knob_column
from tui.core.importers.registry import detect_and_import

__all__ = ["Imported", "Importer", "KnobRule", "detect_and_import", "find_knob", "knob_column"]
