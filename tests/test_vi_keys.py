"""The vi keys are declared once (tui.app.keys.vi_bindings) and every widget that moves uses them."""

from __future__ import annotations

from tui.app.keys import VI_KEYS, Move, vi_bindings
from tui.app.widgets.line_table import LineTable
from tui.app.widgets.notes import NotesView
from tui.app.widgets.panes import KnobPicker, ScrollPane
from tui.app.widgets.sidebar import StudyTree
from tui.app.widgets.tables import KeyTable


def test_each_direction_gets_its_vi_key_and_the_plain_key_on_the_side_asked():
    before = vi_bindings("before", up=Move("a", "A"), first=Move("b", "B", show=True, key_display="x"))
    assert [(b.key, b.action, b.description, b.show, b.key_display) for b in before] == [
        ("up,k", "a", "A", False, None), ("home,g", "b", "B", True, "x")]
    assert [b.key for b in vi_bindings("after", down=Move("c", "C"), left=Move("d", "D"))] == ["j,down", "h,left"]
    assert [b.key for b in vi_bindings(last=Move("e", "E"), right=Move("f", "F"))] == ["G", "l"]


def test_every_widget_that_moves_binds_the_vi_keys_of_its_directions():
    """j/k on all six; h/l where there are columns, budgets or tree levels; g/G where there is an end."""
    vi_of = {cls: {key for b in cls.BINDINGS for key in b.key.split(",") if key in VI_KEYS.values()}
             for cls in (LineTable, KeyTable, StudyTree, ScrollPane, NotesView, KnobPicker)}
    assert vi_of == {LineTable: set("jkhlgG"), KeyTable: set("jkhlgG"), StudyTree: set("jkhlgG"),
                     ScrollPane: set("jkgG"), NotesView: set("jk"), KnobPicker: set("hlgG")}
