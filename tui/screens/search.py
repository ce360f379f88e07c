"""SearchScreen: search everything as you type; results grouped by kind; enter opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.context import UsesConvener
from tui.domain.dates import format_span
from tui.domain.models import ItemRef
from tui.domain.search import KIND_HEADINGS, MARK_END, MARK_START, SEARCH_HELP, SearchHit
from tui.domain.text import clean, quoted
from tui.key_bar import KeyBar
from tui.typeahead import TakesTypedKeys, release_keys
from tui.widgets.frames import PaintsWhenSettled, ScrollBarsInFrame, SizedOnce, SteadyInput
from tui.widgets.line_list import FixedOption, LazyOption, LineList, one_line
from tui.worker_errors import ReportsWorkerErrors

RESULTS_LIMIT = 60
"""At most this many results are listed; the status line says how many match in all."""

_HINT = f"Type to search. {SEARCH_HELP}"
"""The status line while nothing is typed: what a query may hold."""


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


def event_of(hit: SearchHit) -> int | None:
    """The event a hit stands for: an event itself, a session's event; else None."""
    if hit.kind == "event":
        return hit.id
    return hit.event_id if hit.kind in ("session", "task") else None


def when_of(hit: SearchHit) -> str:
    """An event's dates ("Tue 1 – Thu 3 December 2026", "from ..., repeats"), a session's day."""
    if hit.start_date is None:
        return ""
    if hit.repeats:
        return f"repeats, from {format_span(hit.start_date, hit.start_date)}"
    return format_span(hit.start_date, hit.end_date or hit.start_date)


def target_of(hit: SearchHit) -> ItemRef:
    """What opening a hit shows: a session or a task opens its event."""
    if hit.kind in ("session", "task") and hit.event_id is not None:
        return ItemRef("event", hit.event_id)
    return ItemRef(hit.kind, hit.id)


COUNT_CAP = 1000
"""Matches are counted up to this many; more show as '60 of 1000+ found'."""

ECHO_HOLD = 0.03
"""A letter typed waits at most this long (seconds) for its results, to be shown with them
in one frame; a slower search shows the letter at once and its results when they come."""


class SearchInput(SteadyInput):
    """The search field: its screen is told of a new text as it is typed, before the
    field asks to be painted (see SearchScreen._typing)."""

    def __init__(self, typing: Callable[[], None], **arguments: Any) -> None:
        self._typing = typing  # first: Input's own __init__ sets the value it is given
        super().__init__(**arguments)

    def watch_value(self) -> None:
        self._typing()


class SearchStatus(SizedOnce, Static):
    """The status line (the hint, then how many were found). Its height changing (the
    two-line hint giving way to a count) laid the screen out a second time, a frame after
    the first keystroke's results (8 ms at 100k events, issue 24)."""


class SearchScreen(
    TakesTypedKeys,
    UsesConvener,
    ReportsWorkerErrors,
    ScrollBarsInFrame,
    PaintsWhenSettled,
    Screen[ItemRef | None],
):
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
        total: int = 0
        """How many records match in all (more than `hits` when the list was cut)."""
        hidden: frozenset[int] = frozenset()
        """Events (by id) the calendar's filter hides: listed last, still open."""

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial = query
        self._hits: dict[str, SearchHit] = {}
        self._shown: str | None = None if query else ""
        """The query the listed results are for (None: none listed yet)."""
        self._waiting: list[str] = []
        """`down` and `enter` typed before the results of the query typed before them came
        (one burst: `Nairobi Workshop down enter`): applied to those results when they come,
        not to an older query's (which opened another event)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield SearchInput(
                self._typing,
                value=self._initial,
                placeholder="Search events, people, organisations, publications, sessions",
                id="search-input",
            )
            # Before anything is typed, what a query may hold (OR, word*, "a phrase").
            hint = "" if self._initial else _HINT
            yield SearchStatus(hint, id="search-status", markup=False)
            yield LineList(id="search-results")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        release_keys(self.app)  # `/peace` typed in one go: the letters are the query
        if self._initial:
            self.run_search(self._initial)

    @on(Input.Changed, "#search-input")
    def query_changed(self, message: Input.Changed) -> None:
        self.run_search(message.value)

    def _typing(self) -> None:
        """Frames wait for the query's results (or ECHO_HOLD): painted first, the letter
        typed took the UI thread (2-3 ms at 100k events) before the search could start,
        and the results came in a second frame (issue 24)."""
        self.hold_frames(ECHO_HOLD)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def run_search(self, query: str) -> None:
        """Off the UI thread; a newer keystroke cancels this one's result."""
        planner = self.convener.planner
        hits = planner.search(query, limit=RESULTS_LIMIT)
        # Counting every match costs on a large database: only when the list was cut, and
        # only up to COUNT_CAP (a one-letter prefix at 100k events matches most of the
        # index: counting it all took most of a keystroke's time).
        total = (
            planner.search_total_upto(query, COUNT_CAP) if len(hits) >= RESULTS_LIMIT else len(hits)
        )
        hidden: frozenset[int] = frozenset()
        event_filter = self.convener.event_filter
        if not event_filter.is_empty:
            ids = [i for i in (event_of(h) for h in hits) if i is not None]
            hidden = frozenset(ids) - planner.events_matching(ids, event_filter)
        self.post_message(self.Found(query, hits, max(total, len(hits)), hidden))

    def on_search_screen_found(self, message: SearchScreen.Found) -> None:
        if message.query != self.query_one(Input).value:
            return  # an older query finished after a newer keystroke
        self.show_results(message.query, message.hits, message.total, message.hidden)
        self._shown = message.query
        self.paint_when_settled()
        waiting, self._waiting = self._waiting, []
        for key in waiting:
            if key == "down":
                self._down()
            elif self._enter():
                break

    def show_results(
        self,
        query: str,
        hits: list[SearchHit],
        total: int | None = None,
        hidden: frozenset[int] = frozenset(),
    ) -> None:
        """Group the hits by kind, headings with counts; events the filter hides come last."""
        results = self.query_one(OptionList)
        self._hits = {}
        if not query.strip():
            results.clear_options()
            self._say(Text(_HINT))
            return
        if not hits:
            results.clear_options()
            self._say(Text(f"Nothing found for {quoted(query)}.", style="italic"))
            return
        total = max(total or 0, len(hits))
        found = (
            f"{len(hits)} of {total}{'+' if total >= COUNT_CAP else ''} found (the best first)"
            if total > len(hits)
            else (f"{len(hits)} found")
        )
        chips = self.convener.event_filter.chips()
        filtered = f" (events filtered: {', '.join(chips)})" if chips else ""
        self._say(Text(f"{found}{filtered}"))
        shown = [h for h in hits if event_of(h) not in hidden]
        groups = [
            (heading, [hit for hit in shown if hit.kind == kind])
            for kind, heading in KIND_HEADINGS.items()
        ]
        groups.append(("Hidden by the filter", [h for h in hits if event_of(h) in hidden]))
        options: list[Option] = []
        for heading, group in groups:
            if not group:
                continue
            options.append(
                FixedOption(Text(f"{heading} ({len(group)})", style="bold"), disabled=True)
            )
            for hit in group:
                key = f"{hit.kind}-{hit.id}"
                self._hits[key] = hit
                # Two lines of fixed height (title; when and the match), cut at the width
                # rather than wrapped, and built only when they scroll into view; one when
                # the second would be blank (a person found by her name).
                height = 2 if has_second_line(hit) else 1
                options.append(LazyOption(partial(hit_prompt, hit), id=key, height=height))
        # In one go: emptied first, the list lost its scroll bar and the screen was laid
        # out again for it.
        results.set_options(options)

    def _say(self, text: Text) -> None:
        """The status line; laid out again only when its text needs more lines or fewer."""
        status = self.query_one(SearchStatus)
        width = status.content_region.width
        fits = status.size.height == 1 and 0 < text.cell_len <= width
        status.update(text, layout=not fits)

    def _current(self) -> bool:
        """True when the results listed are those of the text in the field."""
        return self._shown == self.query_one(Input).value

    def action_results(self) -> None:
        """Move from the field into the results (once they are the query's)."""
        if not self._current():
            self._waiting.append("down")
            return
        self._down()

    def _down(self) -> None:
        results = self.query_one(OptionList)
        if results.has_focus:
            results.action_cursor_down()  # a second down typed while the results came
        elif results.option_count:
            results.focus()
            if results.highlighted is None:
                results.action_first()

    @on(Input.Submitted, "#search-input")
    def open_first(self) -> None:
        if not self._current():
            self._waiting.append("enter")
            return
        self._enter()

    def _enter(self) -> bool:
        """Open the highlighted result (the first while the field has focus); True when
        one was opened."""
        results = self.query_one(OptionList)
        hit: SearchHit | None = None
        if results.has_focus and results.highlighted is not None:
            option = results.get_option_at_index(results.highlighted)
            hit = self._hits.get(option.id or "")
        elif self._hits:
            hit = next(iter(self._hits.values()))
        if hit is None:
            return False
        self.dismiss(target_of(hit))
        return True

    @on(OptionList.OptionSelected, "#search-results")
    def open_hit(self, message: OptionList.OptionSelected) -> None:
        hit = self._hits.get(message.option_id or "")
        if hit is not None:
            self.dismiss(target_of(hit))

    def action_close(self) -> None:
        """Back without opening anything."""
        self.dismiss(None)


def has_second_line(hit: SearchHit) -> bool:
    """True when a result has a date or a match beyond its title to show under it."""
    if when_of(hit):
        return True
    snippet = clean(hit.plain_snippet())
    return bool(snippet.strip()) and snippet != clean(hit.title)


def hit_prompt(hit: SearchHit) -> Text:
    """A result's two lines: its title (a session's or a task's with its event's), then
    its date and the match in context; the title alone when there is neither."""
    prompt = one_line(Text(clean(hit.title)))
    if hit.event_title is not None:  # a session's or a task's event: same titles told apart
        prompt.append(f" — {clean(hit.event_title)}", style="dim")
    second = one_line(Text("  "))
    when = when_of(hit)
    snippet = snippet_text(hit)
    has_snippet = bool(snippet.plain.strip()) and snippet.plain != clean(hit.title)
    if not when and not has_snippet:
        return prompt
    if when:
        second.append(when, style="bold")
        if has_snippet:
            second.append(" · ", style="dim")
    if has_snippet:
        second.append_text(snippet)
    prompt.append("\n")
    prompt.append_text(second)
    return prompt
