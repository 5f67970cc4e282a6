"""kvscope's vi keys, and the key list generated from the live bindings (help and tests read it).

The vi keys are declared once here (`vi_bindings`); each widget names what they do on it.
Nothing in the key list is written by hand, so help can never drift from the keys. A screen's keys are
its own, the app's, then those of every widget on it (one entry per widget class). Keys that
run the same action are listed together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Input

from tui.app.textual_compat import merged_bindings

# Each direction's vi key, and the key that does the same without vi.
VI_KEYS = {"up": "k", "down": "j", "left": "h", "right": "l", "first": "g", "last": "G"}
PLAIN_KEYS = {"up": "up", "down": "down", "left": "left", "right": "right", "first": "home", "last": "end"}


class Move(NamedTuple):
    """What a direction's key does on a widget."""

    action: str
    description: str
    show: bool = False  # in the footer
    key_display: str | None = None


def vi_bindings(plain: Literal["before", "after"] | None = None, **moves: Move) -> list[Binding]:
    """One binding per direction named (up, down, left, right, first, last), in the order given,
    on its vi key; `plain` also binds the direction's plain key (arrow, home, end), listed before
    or after the vi key (help shows them in that order). None: the widget's base binds those."""
    bindings = []
    for direction, move in moves.items():
        vi, other = VI_KEYS[direction], PLAIN_KEYS[direction]
        keys = {None: vi, "before": f"{other},{vi}", "after": f"{vi},{other}"}[plain]
        bindings.append(Binding(keys, move.action, move.description, show=move.show,
                                key_display=move.key_display))
    return bindings


@dataclass(frozen=True)
class KeyRow:
    keys: tuple[str, ...]  # raw key names, e.g. ("j", "down")
    shown: str             # what the user reads, e.g. "j ↓"
    action: str
    description: str


def bound_nodes(screen: Screen) -> list[DOMNode]:
    """Nodes whose bindings can fire on `screen`: the screen, its widgets, then the app.

    kvscope's keys come first: widgets in layout order, one per class, text inputs last, and
    the app's keys (quit, help, the palette) at the end.
    """
    widgets: list[DOMNode] = []
    seen: set[type] = set()
    for node in screen.walk_children(with_self=False):
        # Only a widget that can take focus ever receives keys; a scroll area that cannot
        # (notes beside a table) has bindings that can never fire, so they are not listed.
        if type(node) not in seen and node.can_focus and _bindings(node):
            seen.add(type(node))
            widgets.append(node)
    widgets.sort(key=lambda node: isinstance(node, Input))  # stable: keeps layout order otherwise
    return [screen, *widgets, screen.app]


def _bindings(node: DOMNode) -> list[tuple[str, Binding]]:
    pairs = merged_bindings(node)  # what Textual dispatches from, so help cannot drift from it
    if isinstance(node, Input):
        # A text box's editing keys (Textual's ~20: cursor words, delete line ...) are those of
        # every text box, not kvscope's; only the keys kvscope gives it are listed.
        pairs = [(key, binding) for key, binding in pairs if binding.action in _own_actions(node)]
    return pairs


def _own_actions(node: DOMNode) -> set[str]:
    """Actions bound by kvscope's classes (not Textual's) in `node`'s class hierarchy."""
    return {binding.action for cls in type(node).__mro__ if cls.__module__.startswith("tui.")
            for binding in cls.__dict__.get("BINDINGS", [])}


def key_rows(node: DOMNode) -> list[KeyRow]:
    """One row per action of `node`, its keys in declaration order; kvscope's before Textual's own
    (focus moves, copy, the palette).

    The description is the most specific binding's (a subclass's "Previous point" over its base
    class's "Cursor up"), with its tooltip (the why) after a dash. Textual's
    system bindings (ctrl+c's "press ctrl+q to quit" hint) are plumbing, not keys, and are left out.
    """
    grouped: dict[str, list[tuple[str, Binding]]] = {}
    for key, binding in _bindings(node):
        if not binding.system:
            grouped.setdefault(binding.action, []).append((key, binding))
    rows = []
    for action, pairs in grouped.items():
        first = next((b for _, b in reversed(pairs) if b.description), pairs[-1][1])
        description = first.description.capitalize() if first.description else _humanise(action)
        if first.tooltip and first.tooltip.lower() != description.lower():
            description += f" - {first.tooltip}"
        keys = tuple(key for key, _ in pairs)
        shown = " ".join(dict.fromkeys(node.app.get_key_display(b.with_key(k)) for k, b in pairs))
        rows.append(KeyRow(keys, shown, action, description))
    own = _own_actions(node)
    return sorted(rows, key=lambda row: row.action not in own)  # kvscope's keys, then Textual's


def group_title(node: DOMNode) -> str:
    if isinstance(node, Screen) or node is node.app:
        return getattr(node, "BINDING_GROUP_TITLE", None) or ("Everywhere" if node is node.app else "This screen")
    return getattr(node, "BINDING_GROUP_TITLE", None) or type(node).__name__


def _humanise(action: str) -> str:
    return action.split(".")[-1].split("(")[0].replace("_", " ").capitalize()
