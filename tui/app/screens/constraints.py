"""Constraints for the advisor: `a` in the explorer opens this form.

Minimum throughput, maximum budget and a minimum of the open sweep's headline metric (Pass@1,
acc_norm ...; the field names it); an empty field is no constraint. Enter
applies (a bad number keeps the form open with an inline error naming the field), escape cancels.
Applying with every field empty removes the constraints. The open sweep then marks the budget
`tui.core.answers.advise_sweep` picks, the same function as `kvscope advise`.
"""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.core.answers import KV_BUDGET, Constraints, Knob

FIELDS = (("min_throughput", "Minimum throughput (TPS)"), ("max_budget", "Maximum {knob}"),
          ("min_score", "Minimum {score}"))


def field_label(template: str, score: str, knob: Knob = KV_BUDGET) -> str:
    """A field's label; the score's names the sweep's metric ("Minimum Pass@1 (%)", "Minimum acc_norm"),
    the knob's the setting limited ("Maximum budget", "Maximum compression_ratio")."""
    return template.format(score="Pass@1 (%)" if score == "Pass@1" else score, knob=knob.word)


class ConstraintsScreen(ModalScreen[Constraints | None]):
    """The three limits as inputs; dismisses with the new Constraints, or None when cancelled."""

    CSS_PATH = "constraints.tcss"
    BINDING_GROUP_TITLE = "Constraints"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+l", "clear", "Clear all",
                tooltip="Empty every field (then enter removes the constraints)"),
    ]

    def __init__(self, current: Constraints, score: str = "Pass@1", knob: Knob = KV_BUDGET) -> None:
        super().__init__()
        self.current, self.score, self.knob = current, score, knob

    def compose(self) -> ComposeResult:
        with Vertical(id="constraints-box"):
            yield Static(f"Which {self.knob.setting}? Constraints for the advisor", id="constraints-title",
                         markup=False)
            for name, template in FIELDS:
                value = getattr(self.current, name)
                with Horizontal(classes="constraint-row"):
                    yield Label(field_label(template, self.score, self.knob), classes="constraint-label",
                                markup=False)
                    yield Input("" if value is None else f"{value:g}", placeholder="no constraint", id=name,
                                classes="constraint")
            yield Static("Empty = no constraint. Enter applies (all empty removes them); escape cancels; "
                         "tab moves between fields.", id="constraints-help", markup=False)
            yield Static("", id="constraints-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        values, error = {}, self.query_one("#constraints-error", Static)
        for name, template in FIELDS:
            label = field_label(template, self.score, self.knob)
            field = self.query_one(f"#{name}", Input)
            text = field.value.strip()
            try:
                values[name] = _number(text)
            except ValueError:
                error.update(f"{label}: {text!r} is not a number (leave it empty for no constraint)")
                field.focus()
                return
        self.dismiss(Constraints(**values))

    def action_clear(self) -> None:
        for name, _ in FIELDS:
            self.query_one(f"#{name}", Input).value = ""

    def action_cancel(self) -> None:
        self.dismiss(None)


def _number(text: str) -> float | None:
    """A finite number, or None for an empty field; ValueError otherwise."""
    if not text:
        return None
    value = float(text.replace(",", ""))
    if not math.isfinite(value):
        raise ValueError(text)
    return value
