"""The key list, generated from the live bindings: the help screen and the smoke test read it.

Nothing here is written by hand, so help can never drift from the keys. A screen's keys are
those of every widget on it (in layout order, one entry per widget class), then the screen's,
then the app's. Keys that run the same action are listed together.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True)
class KeyRow:
    keys: tuple[str, ...]  # raw key names, e.g. ("j", "down")
    shown: str             # what the user reads, e.g. "j ↓"
    action: str
    description: str


def bound_nodes(screen: Screen) -> list[DOMNode]:
    """Nodes whose bindings can fire on `screen`: its widgets, the screen, then the app."""
    nodes: list[DOMNode] = []
    seen: set[type] = set()
    for node in screen.walk_children(with_self=False):
        if type(node) not in seen and len(list(_bindings(node))):
            seen.add(type(node))
            nodes.append(node)
    return [*nodes, screen, screen.app]


def _bindings(node: DOMNode) -> list[tuple[str, Binding]]:
    # DOMNode._bindings is the merged map Textual itself dispatches from (class BINDINGS plus
    # anything added at runtime, such as the command palette key), so it is the truth.
    return list(node._bindings)


def key_rows(node: DOMNode) -> list[KeyRow]:
    """One row per (action, description) of `node`, its keys in declaration order."""
    grouped: dict[tuple[str, str], list[tuple[str, Binding]]] = {}
    for key, binding in _bindings(node):
        description = binding.description or binding.tooltip or _humanise(binding.action)
        grouped.setdefault((binding.action, description), []).append((key, binding))
    rows = []
    for (action, description), pairs in grouped.items():
        keys = tuple(key for key, _ in pairs)
        shown = " ".join(dict.fromkeys(node.app.get_key_display(b.with_key(k)) for k, b in pairs))
        rows.append(KeyRow(keys, shown, action, description))
    return rows


def group_title(node: DOMNode) -> str:
    if isinstance(node, Screen) or node is node.app:
        return getattr(node, "BINDING_GROUP_TITLE", None) or ("Everywhere" if node is node.app else "This screen")
    return getattr(node, "BINDING_GROUP_TITLE", None) or type(node).__name__


def _humanise(action: str) -> str:
    return action.split(".")[-1].split("(")[0].replace("_", " ").capitalize()
