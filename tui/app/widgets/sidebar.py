"""The sidebar: a tree of the studies (sweep models and benchmarks, the scaling study) and a filter.

Enter on a leaf posts `Sidebar.Opened`; the screen decides what opening means. `/` (bound on
the screen) shows the filter box; typing narrows the tree, Enter jumps to the first match,
escape clears the filter and returns to the tree.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Tree
from textual.widgets.tree import TreeNode

from tui.app.keys import Move, vi_bindings
from tui.app.selection import SCALING, Selection, Sweep, matches, search_text, sweeps
from tui.core.schema import AVG, Results
from tui.render.tables import bench_label
from tui.render.text import clean

_PLAIN = Style()
UNFOLDED_MODELS = 12  # up to this many models, every model starts unfolded


def middle_cut(label: Text, room: int) -> Text:
    """`label` in `room` cells: its start, an ellipsis, its end (styles kept)."""
    if room < 8:
        cut = label.copy()
        cut.truncate(room, overflow="ellipsis")
        return cut
    head = (room - 1) // 3
    tail = room - 1 - head
    return Text.assemble(label[:head], "…", label[len(label) - tail:])


class StudyTree(Tree[Selection | None]):
    """The studies; leaves carry the Selection they open.

    A folded model's leaves wait in `folded` until the model is first unfolded (or a view in it
    is looked up): with a hundred models, adding thousands of leaves nobody sees yet was most of
    the sidebar's start-up.
    """

    BINDING_GROUP_TITLE = "Sidebar"
    BINDINGS = [
        Binding("enter", "select_cursor", "Open", tooltip="Open a study; on a model, fold it"),
        *vi_bindings(up=Move("cursor_up", "Up"), down=Move("cursor_down", "Down")),  # arrows: Tree's
        *vi_bindings("after", left=Move("collapse_or_parent", "Collapse / parent"),
                     right=Move("expand_or_child", "Expand / child")),
        *vi_bindings(first=Move("scroll_home", "First"), last=Move("scroll_end", "Last")),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.folded: dict[int, list[Sweep]] = {}  # model node id -> its leaves' views, not yet added
        self.parents: dict[str, str] = {}  # benchmark -> its group (Results.parents)
        self.group_names: set[str] = set()
        self.groups: dict[int, dict[str, TreeNode]] = {}  # model node id -> its group nodes by benchmark

    def add_leaves(self, node: TreeNode) -> None:
        """Give a folded model its leaves (once)."""
        for view in self.folded.pop(node.id, []):
            self.attach(node, view)

    def attach(self, model: TreeNode, view: Sweep) -> None:
        """A model's sweep under the model, or under its group's node (which unfolds to it)."""
        bench = view.benchmark
        label = Text(bench_label(clean(bench)), style="italic" if bench == AVG else "")
        under = self.group_node(model, self.parents.get(bench))
        if bench in self.group_names:
            self.groups.setdefault(model.id, {})[bench] = under.add(label, data=view, expand=False)
        else:
            under.add_leaf(label, data=view)

    def group_node(self, model: TreeNode, group: str | None, depth: int = 0) -> TreeNode:
        """The node of `group` under `model`; a group with no values of its own (lm-eval's
        leaderboard_bbh) gets a node without a sweep, which Enter folds and unfolds."""
        if group is None or depth > 16:
            return model
        groups = self.groups.setdefault(model.id, {})
        if group not in groups:
            under = self.group_node(model, self.parents.get(group), depth + 1)
            groups[group] = under.add(Text(bench_label(clean(group))), data=None, expand=False)
        return groups[group]

    @on(Tree.NodeExpanded)
    def _unfolded(self, event: Tree.NodeExpanded) -> None:
        self.add_leaves(event.node)

    def render_label(self, node: TreeNode, base_style, style) -> Text:
        """The label, cut in the middle to the room left by its indentation. Long model names
        differ at the end more often than at the start ("…_runs=3 · press=SnapKVPress" beside
        "…· press=KnormPress"), so a third of the room keeps the start and the rest the end."""
        label = super().render_label(node, base_style, style)
        room = self._room(node)
        if room > 1 and label.cell_len > room:
            label = middle_cut(label, room)
        return label

    def get_label_width(self, node: TreeNode) -> int:
        # Tree measures every line each time it rebuilds them (start-up, unfolding, filtering):
        # an uncut label is its toggle icon and its text, measured without building the label.
        icon = (self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE) if node.allow_expand else ""
        width = cell_len(icon) + node.label.cell_len
        room = self._room(node)
        if room > 1 and width > room:  # cut: measured as drawn
            return middle_cut(super().render_label(node, _PLAIN, _PLAIN), room).cell_len
        return width

    def _room(self, node: TreeNode) -> int:
        """The cells a label has beside its indentation."""
        depth, parent = 0, node.parent
        while parent is not None and not parent.is_root:
            depth, parent = depth + 1, parent.parent
        return self.scrollable_content_region.width - self.guide_depth * depth

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and not node.parent.is_root:
            self.move_cursor(node.parent)

    def action_expand_or_child(self) -> None:
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return
        if not node.is_expanded:
            node.expand()
        elif node.children:
            self.call_after_refresh(self.move_cursor, node.children[0])

    def node_for(self, view: Selection) -> TreeNode | None:
        """The leaf that opens `view`, if the filter shows it (a folded model gets its leaves)."""
        stack = list(self.root.children)
        while stack:
            node = stack.pop(0)
            if node.data == view:
                return node
            stack[:0] = list(node.children)
        for node_id, leaves in list(self.folded.items()):
            if view in leaves:
                self.add_leaves(self.get_node_by_id(node_id))
                return self.node_for(view)
        return None


class FilterInput(Input):
    """The sidebar filter; escape clears it and hands focus back to the tree."""

    BINDING_GROUP_TITLE = "Filter"
    BINDINGS = [Binding("escape", "clear", "Clear filter")]

    def action_clear(self) -> None:
        self.value = ""
        self.post_message(Sidebar.FilterDone(self))

    def on_unmount(self) -> None:
        # Textual's Input subscribes to its screen's text-selection signal with a callback that
        # holds it, and never unsubscribes: a filter replaced by a --watch reload would live on.
        self.screen.text_selection_started_signal.unsubscribe(self)


class Sidebar(Vertical):
    """Filter box over the study tree."""

    class Opened(Message):
        """A leaf was chosen with Enter."""

        def __init__(self, view: Selection) -> None:
            super().__init__()
            self.view = view

    class FilterDone(Message):
        """The filter box was cleared or submitted: focus goes back to the tree."""

        def __init__(self, source: FilterInput) -> None:
            super().__init__()
            self.source = source

    def __init__(self, results: Results, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results = results

    def compose(self) -> ComposeResult:
        tree = StudyTree(Text("Studies"), id="tree")
        tree.show_root = False
        tree.auto_expand = False
        yield tree

    def on_mount(self) -> None:
        self.rebuild("")
        # Hidden until `/`: added after the first frame, which it is not part of (its keys are
        # then in help, as every widget's).
        self.call_after_refresh(self.filter_box)

    def filter_box(self) -> FilterInput:
        """The filter box over the tree, added the first time it is wanted."""
        found = self.query(FilterInput)
        if found:
            return found.first()
        box = FilterInput(placeholder="filter: e.g. llama amc", id="filter")
        self.mount(box, before=self.tree)
        return box

    @property
    def tree(self) -> StudyTree:
        return self.query_one(StudyTree)

    def _sweep_title(self) -> str:
        """The root of the sweeps, named for the knob they vary ("compression_ratio sweep")."""
        knob = self.results.knob
        return "KV-budget sweep" if knob == "kv_budget" else f"{clean(self.results.knob_label)} sweep"

    def rebuild(self, query: str) -> None:
        """Show the leaves whose names match every word of `query`, and their parents."""
        tree = self.tree
        tree.clear()
        tree.folded.clear()
        tree.groups.clear()
        tree.parents = self.results.parents
        tree.group_names = set(tree.parents.values())
        models: dict[str, TreeNode] = {}
        many_models = len(self.results.models) > UNFOLDED_MODELS
        sweep_root = None
        for view in sweeps(self.results):
            model = view.model
            if not query.strip() or matches(query, search_text(view)):
                if sweep_root is None:
                    sweep_root = tree.root.add(Text(self._sweep_title()), expand=True)
                if model not in models:
                    # Many models: only the first starts unfolded (a wall of thousands of lines
                    # helps nobody and costs Textual a long first layout); a filter unfolds all.
                    unfold = query.strip() != "" or len(models) == 0 or many_models is False
                    models[model] = sweep_root.add(Text(clean(model)), expand=unfold)
                    if not unfold:
                        tree.folded[models[model].id] = []
                if models[model].id in tree.folded:
                    tree.folded[models[model].id].append(view)
                else:
                    tree.attach(models[model], view)
        if self.results.scaling.height and matches(query, search_text(SCALING)):
            tree.root.add_leaf(Text(SCALING.label), data=SCALING)

    def first_match(self) -> TreeNode | None:
        stack = list(self.tree.root.children)
        while stack:
            node = stack.pop(0)
            if node.data is not None:
                return node
            stack[:0] = list(node.children)
        return None

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.rebuild(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        node = self.first_match()
        if node is not None:
            self.tree.call_after_refresh(self.tree.move_cursor, node)
            self.post_message(self.Opened(node.data))
        self.post_message(self.FilterDone(self.filter_box()))

    @on(Tree.NodeSelected, "#tree")
    def _node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.Opened(event.node.data))
        else:
            event.node.toggle()
