"""Command palette (ctrl+p): jump to any model, benchmark, model+benchmark pair or view by name.

Every word typed must appear in the entry (case, spaces and dashes ignored), so "llama amc23"
finds "R1-Llama | AMC23"; Textual's fuzzy score orders the matches and highlights them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.app.selection import SCALING, Sweep, compare_title, fold, matches, search_text, sweeps
from tui.core.schema import AVG
from tui.render.text import clean

MAX_MODELS_FOR_ALL_PAIRS = 12
MAX_COMPARISONS = 2000
MAX_HITS = 200


class StudyCommands(Provider):
    """Entries for every sweep, model, benchmark, scaling point and view of the loaded data."""

    _entries: list | None = None  # built once per palette opening (a provider lives that long)

    def entries(self) -> list[tuple[str, str, Callable[[], object], str]]:
        """(text, help, callback, also) for everything the palette can open, but comparisons.

        Text is plain, never markup; `also` holds names a search may use besides the text
        (a sweep's raw benchmark name, so "avg" finds the Average).
        """
        app = self.app
        results = app.results
        every = sweeps(results)
        out: list[tuple[str, str, Callable[[], object], str]] = []
        for view in every:
            out.append((view.label, "open this sweep", partial(app.show_view, view), search_text(view)))
        first_of_model: dict[str, Sweep] = {}
        for view in every:  # a model opens on its average (the last of its sweeps)
            first_of_model[view.model] = view if view.benchmark == AVG else first_of_model.get(view.model, view)
        for model, view in first_of_model.items():
            out.append((clean(model), "model: open its average", partial(app.show_view, view), ""))
        first_of_bench: dict[str, Sweep] = {}
        for view in every:
            if view.benchmark != AVG:
                first_of_bench.setdefault(view.benchmark, view)
        for bench in sorted(first_of_bench):
            view = first_of_bench[bench]
            out.append((clean(bench), f"benchmark: open {view.label}", partial(app.show_view, view), ""))
        if results.scaling.height:
            out.append((SCALING.label, "the scaling scatter", partial(app.show_view, SCALING), "study"))
            for model in results.scaling["model"].unique(maintain_order=True).to_list():
                out.append((f"{clean(model)} (scaling)", "select this point in the scaling study",
                            partial(app.show_view, SCALING, model), ""))
        out.append(("Compare budgets", "every model and benchmark at budget A vs B", app.show_budgets, "budget"))
        out.append(("Advise: constraints (a)",
                    "min throughput, max budget, min headline score: the advised budget",
                    app.show_constraints, "advise operating point"))
        out.append(("Help: keys", "every key binding of this screen", app.action_help, "keys bindings"))
        return out

    def comparisons(self, query: str) -> list[tuple[str, str, Callable[[], object], str]]:
        """"Compare A vs B | bench" entries for the models the query names (all of them when there
        are few): with 100 models every pair on every benchmark would be 100,000 entries."""
        app = self.app
        every = set(sweeps(app.results))
        models = app.results.models
        named = lambda name: any(fold(word) in fold(name) for word in query.split())  # noqa: E731
        if len(models) > MAX_MODELS_FOR_ALL_PAIRS:
            models = [m for m in models if named(m)]
        benches = sorted({v.benchmark for v in every})
        benches = [b for b in benches if named(b)] or benches
        out = []
        for bench in benches:
            for i, a in enumerate(models):
                for b in models[i + 1:]:
                    left, right = Sweep(a, bench), Sweep(b, bench)
                    if left in every and right in every:
                        out.append((f"Compare {compare_title(left, right)}", "two models on one benchmark",
                                    partial(app.show_compare, left, right), f"{a} {b} {bench}"))
                    if len(out) >= MAX_COMPARISONS:
                        return out
        return out

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        if self._entries is None:
            self._entries = self.entries()
        found = 0
        for text, help_text, callback, also in [*self._entries, *self.comparisons(query)]:
            if matches(query, f"{text} {also}"):
                score = max(matcher.match(text), 0.01)
                yield Hit(score, matcher.highlight(text), callback, text=text, help=help_text)
                found += 1
                if found >= MAX_HITS:  # scoring is the slow part; more hits than this help nobody
                    return

    async def discover(self) -> Hits:
        """Before anything is typed: every entry, or, with many sweeps, all but the sweeps
        (thousands of lines to scroll help nobody; typing finds any of them)."""
        if self._entries is None:
            self._entries = self.entries()
        few = len(self._entries) <= MAX_HITS
        for text, help_text, callback, _ in self._entries:
            if few or help_text != "open this sweep":
                yield DiscoveryHit(Content(text), callback, text=text, help=help_text)
