"""SearchScreen: search everything as you type; results grouped by kind; enter opens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.domain.models import ItemRef
from tui.domain.search import KIND_HEADINGS, MARK_END, MARK_START, SearchHit
from tui.domain.text import clean
from tui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from tui.app import ConvenerApp


def snippet_text(hit: SearchHit) -> Text:
    """The snippet with matched words highlighted (never parsed as markup)."""
    text = Text(style="dim")
    rest = hit.snippet
    while rest:
        start = rest.find(MARK_START)
        if start < 0:
            text.append(clean(rest))
            break
        text.append(clean(rest[:start]))
        end = rest.find(MARK_END, start)
        end = len(rest) if end < 0 else end
        text.append(clean(rest[start + 1 : end]), style="bold reverse")
        rest = rest[end + 1 :]
    return text


def target_of(hit: SearchHit) -> ItemRef:
    """What opening a hit shows: a session opens its event."""
    if hit.kind == "session" and hit.event_id is not None:
        return ItemRef("event", hit.event_id)
    return ItemRef(hit.kind, hit.id)


class SearchScreen(ReportsWorkerErrors, Screen[ItemRef | None]):
    """Type to search; up/down through the results; enter opens one."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="search.close", tooltip="Back without opening"),
        Binding(
            "down",
            "results",
            "Results",
            id="search.results",
            tooltip="Move into the results",
            show=False,
        ),
    ]
    """
    | key | does |
    |---|---|
    | typing | search as you type |
    | down | move into the results |
    | enter | open the highlighted result |
    | escape | back |
    """

    @dataclass
    class Found(Message):
        """Results for one query, from a worker."""

        query: str
        hits: list[SearchHit]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial = query
        self._hits: dict[str, SearchHit] = {}

    @property
    def convener(self) -> ConvenerApp:
        """The app, typed."""
        return cast("ConvenerApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(
                value=self._initial,
                placeholder="Search events, people, organisations, publications, sessions",
                id="search-input",
            )
            yield Static("", id="search-status", markup=False)
            yield OptionList(id="search-results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self._initial:
            self.run_search(self._initial)

    @on(Input.Changed, "#search-input")
    def query_changed(self, message: Input.Changed) -> None:
        self.run_search(message.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def run_search(self, query: str) -> None:
        """Off the UI thread; a newer keystroke cancels this one's result."""
        planner = self.convener.planner
        hits = planner.search(query)
        event_filter = self.convener.event_filter
        if not event_filter.is_empty:
            # Events follow the filter; a session follows its event's.
            def event_of(hit: SearchHit) -> int | None:
                if hit.kind == "event":
                    return hit.id
                return hit.event_id if hit.kind == "session" else None

            ids = [i for i in (event_of(h) for h in hits) if i is not None]
            passing = planner.events_matching(ids, event_filter)
            hits = [h for h in hits if event_of(h) is None or event_of(h) in passing]
        self.post_message(self.Found(query, hits))

    def on_search_screen_found(self, message: SearchScreen.Found) -> None:
        if message.query != self.query_one(Input).value:
            return  # an older query finished after a newer keystroke
        self.show_results(message.query, message.hits)

    def show_results(self, query: str, hits: list[SearchHit]) -> None:
        """Group the hits by kind, headings with counts."""
        results = self.query_one(OptionList)
        results.clear_options()
        self._hits = {}
        status = self.query_one("#search-status", Static)
        if not query.strip():
            status.update("Type to search.")
            return
        if not hits:
            status.update(Text(f"Nothing found for {clean(query)!r}.", style="italic"))
            return
        chips = self.convener.event_filter.chips()
        filtered = f" (events filtered: {', '.join(chips)})" if chips else ""
        status.update(f"{len(hits)} found{filtered}")
        options: list[Option] = []
        for kind, heading in KIND_HEADINGS.items():
            group = [hit for hit in hits if hit.kind == kind]
            if not group:
                continue
            options.append(Option(Text(f"{heading} ({len(group)})", style="bold"), disabled=True))
            for hit in group:
                key = f"{hit.kind}-{hit.id}"
                self._hits[key] = hit
                prompt = Text(clean(hit.title))
                snippet = snippet_text(hit)
                if snippet.plain.strip() and snippet.plain != prompt.plain:
                    prompt.append("\n  ")
                    prompt.append_text(snippet)
                options.append(Option(prompt, id=key))
        results.add_options(options)

    def action_results(self) -> None:
        """Move from the field into the results."""
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.action_first()

    @on(Input.Submitted, "#search-input")
    def open_first(self) -> None:
        if self._hits:
            self.dismiss(target_of(next(iter(self._hits.values()))))

    @on(OptionList.OptionSelected, "#search-results")
    def open_hit(self, message: OptionList.OptionSelected) -> None:
        hit = self._hits.get(message.option_id or "")
        if hit is not None:
            self.dismiss(target_of(hit))

    def action_close(self) -> None:
        """Back without opening anything."""
        self.dismiss(None)
