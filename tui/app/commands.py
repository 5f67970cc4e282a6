"""Command palette (ctrl+p): jump to any model, benchmark, model+benchmark pair or view by name.

Every word typed must appear in the entry (case, spaces and dashes ignored), so "llama amc23"
finds "R1-Llama | AMC23"; Textual's fuzzy score orders the matches and highlights them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.app.selection import SCALING, Sweep, compare_title, matches, search_text, sweeps
from tui.core.schema import AVG
from tui.render.text import clean


class StudyCommands(Provider):
    """Entries for every sweep, model, benchmark, scaling point and view of the loaded data."""

    def entries(self) -> list[tuple[str, str, Callable[[], object], str]]:
        """(text, help, callback, also) for everything the palette can open.

        Text is plain, never markup; `also` holds names a search may use besides the text
        (a sweep's raw benchmark name, so "avg" finds the Average).
        """
        app = self.app
        results = app.results
        every = sweeps(results)
        out: list[tuple[str, str, Callable[[], object], str]] = []
        for view in every:
            out.append((view.label, "open this sweep", partial(app.show_view, view), search_text(view)))
        for model in results.models:
            first = next((v for v in every if v.model == model and v.benchmark == AVG), None) or \
                next(v for v in every if v.model == model)
            out.append((clean(model), "model: open its average", partial(app.show_view, first), ""))
        for bench in sorted({v.benchmark for v in every if v.benchmark != AVG}):
            first = next(v for v in every if v.benchmark == bench)
            out.append((clean(bench), f"benchmark: open {first.label}", partial(app.show_view, first), ""))
        models = results.models
        for bench in sorted({v.benchmark for v in every}):
            for i, a in enumerate(models):
                for b in models[i + 1:]:
                    left, right = Sweep(a, bench), Sweep(b, bench)
                    if left in every and right in every:
                        out.append((f"Compare {compare_title(left, right)}", "two models on one benchmark",
                                    partial(app.show_compare, left, right), f"{a} {b} {bench}"))
        if results.scaling.height:
            out.append((SCALING.label, "the scaling scatter", partial(app.show_view, SCALING), "study"))
            for model in results.scaling["model"].unique(maintain_order=True).to_list():
                out.append((f"{clean(model)} (scaling)", "select this point in the scaling study",
                            partial(app.show_view, SCALING, model), ""))
        out.append(("Compare budgets", "every model and benchmark at budget A vs B", app.show_budgets, "budget"))
        out.append(("Help: keys", "every key binding of this screen", app.action_help, "keys bindings"))
        return out

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback, also in self.entries():
            if matches(query, f"{text} {also}"):
                score = max(matcher.match(text), 0.01)
                yield Hit(score, matcher.highlight(text), callback, text=text, help=help_text)

    async def discover(self) -> Hits:
        for text, help_text, callback, _ in self.entries():
            yield DiscoveryHit(Content(text), callback, text=text, help=help_text)
