"""The calendar: occurrences over a range (repeating events expanded), filters, editing
or skipping one occurrence of a series, and search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from tui.domain.dates import count_days, days_within
from tui.domain.errors import InvalidInput, NotFound
from tui.domain.filters import CHOICES, EventFilter, FilterMatcher
from tui.domain.models import (
    Event,
    Occurrence,
    Task,
)
from tui.domain.planner.base import (
    _title_matches,
    describe,
)
from tui.domain.planner.tasks import Tasks
from tui.domain.read_ahead import answered_ahead
from tui.domain.recurrence import (
    expand,
    occurrence_uid,
    repeat_bound,
    with_exdate,
)
from tui.domain.text import fold

if TYPE_CHECKING:
    from tui.domain.search import SearchHit

RANK_LIMIT = 2000
"""A search matching more rows than this is not ranked by bm25 (see Planner.search)."""


class Calendar(Tasks):
    """The calendar: occurrences over a range (repeating events expanded), filters, editing"""

    def events(
        self, start: date | None = None, end: date | None = None, limit: int | None = None
    ) -> list[Event]:
        """Events in date order, optionally only those touching [start, end]."""
        if start is not None or end is not None:
            return [o.event for o in self.first_occurrences(start, end, limit)]
        return self.store.listing(Event, order_by="start_date, start_time, title", limit=limit)

    def first_occurrences(
        self, start: date | None, end: date | None, limit: int | None = None
    ) -> list[Occurrence]:
        """Each event touching [start, end] once, by its first occurrence there (a series
        by the day it falls in the range, not the day it began), in date order."""
        first = start or date(1, 1, 1)
        last = end or date(9999, 12, 31)
        seen: dict[int, Occurrence] = {}
        for occurrence in self.occurrences_between(first, last):
            assert occurrence.event.id is not None
            seen.setdefault(occurrence.event.id, occurrence)
        result = list(seen.values())
        return result[:limit] if limit is not None else result

    def occurrences_between(
        self, start: date, end: date, event_filter: EventFilter | None = None
    ) -> list[Occurrence]:
        """Events touching [start, end], repeating ones expanded only over that range."""
        found = [
            Occurrence(e, e.start_date, e.end_date) for e in self.store.events_between(start, end)
        ]
        for event in self.store.repeating_events_until(end, start):
            found.extend(expand(event, start, end))
        found.sort(key=lambda o: (o.start_date, o.event.start_time or time.min, o.event.title))
        if event_filter is not None and not event_filter.is_empty:
            found = FilterMatcher(self.store, event_filter).occurrences(found)
        return found

    def filter_choices(self) -> dict[str, list[str]]:
        """The values each filter can take, from what is in the database."""
        return {
            "program_area": self.store.program_areas(),
            "partner": self.store.partner_names(),
            **{key: list(values) for key, values in CHOICES.items()},
        }

    def events_matching(self, event_ids: Sequence[int], event_filter: EventFilter) -> set[int]:
        """Which of these events pass the filter."""
        matcher = FilterMatcher(self.store, event_filter)
        passing = set()
        for event_id in event_ids:
            try:
                if matcher.matches(self.event(event_id)):
                    passing.add(event_id)
            except NotFound:
                continue
        return passing

    def days_with_events(self, start: date, end: date) -> dict[date, int]:
        """How many events fall on each day of [start, end] (multi-day events count daily)."""
        return count_days(
            ((o.start_date, o.end_date) for o in self.occurrences_between(start, end)), start, end
        )

    @answered_ahead
    def glance(
        self, window: tuple[date, date], shown: tuple[date, date], event_filter: EventFilter
    ) -> tuple[list[Occurrence], dict[date, int]]:
        """The occurrences touching `shown` (the agenda's range, as occurrences_between
        gives them) and how many events fall on each day of `window` (the month grid's six
        weeks), without making records of the window's other events: a start at 100k
        events made 1,500 of them before its first frame, to count days and show a week.

        With a filter every event of the window is read (the filter looks at records)."""
        if not event_filter.is_empty:
            found = self.occurrences_between(*window, event_filter)
            counts = count_days(((o.start_date, o.end_date) for o in found), *window)
            return [o for o in found if o.end_date >= shown[0] and o.start_date <= shown[1]], counts
        first, last = window
        repeated = [
            occurrence
            for event in self.store.repeating_events_until(last, first)
            for occurrence in expand(event, first, last)
        ]
        spans: list[tuple[date, date]] = [(o.start_date, o.end_date) for o in repeated]
        counts = count_days(spans, first, last)
        for start, end, number in self.store.event_spans_between(first, last):
            for day in days_within(start, end, first, last):
                counts[day] = counts.get(day, 0) + number
        found = [Occurrence(e, e.start_date, e.end_date) for e in self.store.events_between(*shown)]
        found.extend(o for o in repeated if o.end_date >= shown[0] and o.start_date <= shown[1])
        found.sort(key=lambda o: (o.start_date, o.event.start_time or time.min, o.event.title))
        return found, counts

    def edit_occurrence(self, series: Event, day: date, edited: Event) -> Event:
        """Make one occurrence of a series its own event (`edited`), in one step.

        The series skips that day from now on; the new event keeps the series' staff
        contacts and partners. Its guests and sessions stay with the series. Its UID is
        the series' with the day (as an imported RECURRENCE-ID's), so the calendar export
        and the guests' updates carry it as that day of the series.
        """
        if series.id is None or not series.repeat:
            raise InvalidInput("only an occurrence of a repeating event can be edited alone")
        uid = occurrence_uid(series.uid, day) if series.uid else None
        if uid is not None and self.store.by_uid(Event, uid) is not None:
            uid = None  # that day was changed alone before (the event is in the trash)
        edited = replace(edited, id=None, uid=uid, repeat=None)
        with self.store.transaction(f"Edit one occurrence of {describe(series)}"):
            self.store.update(replace(series, repeat=with_exdate(series.repeat, day)))
            new = self.save(edited)
            assert new.id is not None
            for position, contact in enumerate(self.contacts_for(series.id)):
                self.store.link("contact", new.id, contact.id, position)
            for position, partner in enumerate(self.partners_for(series.id)):
                assert partner.id is not None
                self.store.link("partner", new.id, partner.id, position)
            return new

    def save_occurrence(
        self,
        series: Event,
        day: date,
        edited: Event,
        contacts: Sequence[int] | None = None,
        partners: Sequence[int] | None = None,
    ) -> Event:
        """The form's save of one occurrence edited alone: the occurrence becomes its own
        event (see edit_occurrence) with the contacts and partners the form gave, one step."""
        with self.store.transaction(f"Edit one occurrence of event {series.title!r}"):
            alone = self.edit_occurrence(series, day, edited)
            return self.save_event(alone, contacts, partners)

    def skip_occurrence(self, series: Event, day: date) -> Event:
        """Leave one day out of a repeating event (its other occurrences stay)."""
        if series.id is None or not series.repeat:
            raise InvalidInput("only an occurrence of a repeating event can be skipped")
        with self.store.transaction(f"Delete one occurrence of {describe(series)}"):
            return self.store.update(replace(series, repeat=with_exdate(series.repeat, day)))

    def search(self, text: str, limit: int = 60) -> list[SearchHit]:
        """Every kind of record matching `text`, best first; [] when nothing or no words."""
        # The search's words (tui.domain.search) are imported when first searched: the
        # app's first screen searches nothing (issue 24).
        from tui.domain.search import OPERATORS, fts_query, symbols_of

        query = fts_query(text)
        if query is None:
            return self._hits(self._symbol_rows(symbols_of(text), limit), limit)
        # The words a title is to hold (OR and AND are not; a * is the prefix typed).
        plain = " ".join(word for word in text.split() if word not in OPERATORS)
        words = fold(plain.replace("*", " ")).split()
        # Ranking every match costs in proportion to how many there are (50,000 rows of a
        # large database match "peace": 40 ms). So bm25 ranks only a query that matches at
        # most RANK_LIMIT rows; a broad one takes titles and names that match first, in
        # index order, then other matches, and is put in order here. Either way the hits
        # are shared among the kinds (see _rows_of_every_kind).
        broad = len(text.strip()) < 3 or self.store.match_count(query, RANK_LIMIT + 1) > RANK_LIMIT
        if not broad:
            rows = self._rows_of_every_kind(query, limit, ranked=True)
        else:
            titled = f"title : ({query})"
            rows = self._rows_of_every_kind(titled, limit, ranked=False)
            if len(rows) < limit:
                _add_new(rows, self.store.search(query, limit * 2, ranked=False))
            rows.sort(key=lambda row: len(row["title"] or ""))
        # Titles and names first: bm25 weights alone let a long description outrank a title.
        rows.sort(key=lambda row: not _title_matches(row["title"], words))
        return self._hits(_shared_among_kinds(rows, limit), limit)

    def _rows_of_every_kind(self, match: str, limit: int, *, ranked: bool) -> list[dict[str, Any]]:
        """Twice `limit` rows matching; where one kind fills more than `limit` of them, as
        many more of the other kinds, and so on while another kind crowds those (120
        organisations named "... The Hague" had outranked every event held there): the
        hits are then shared among the kinds. Ranked rows come back in the order of their
        scores."""
        rows = self.store.search(match, limit * 2, ranked=ranked)
        crowding: list[str] = []
        more = rows
        while (kind := _crowding(more, limit)) is not None:
            crowding.append(kind)
            more = self.store.search(match, limit * 2, ranked=ranked, other_than=crowding)
            _add_new(rows, more)
        if ranked and crowding:
            rows.sort(key=lambda row: row["score"])
        return rows

    def _symbol_rows(self, symbols: list[str], limit: int) -> list[dict[str, Any]]:
        """Rows holding a query's symbols (no words: an emoji), their snippets marked."""
        if not symbols:
            return []
        from tui.domain.search import symbol_snippet

        rows = self.store.search_symbols(symbols, limit * 2)
        for row in rows:
            row["snippet"] = symbol_snippet(row["title"] or "", row["body"] or "", symbols[0])
        return rows

    def _hits(self, rows: list[dict[str, Any]], limit: int) -> list[SearchHit]:
        """The first `limit` rows as hits, with their event and days (rows of records
        gone meanwhile are left out). Events' and sessions' days are read in one query
        each, not one read a hit (60 reads were half the worker's time of a keystroke)."""
        from tui.domain.search import SearchHit

        rows = rows[:limit]
        events = self.store.event_days([r["record_id"] for r in rows if r["kind"] == "event"])
        sessions = self.store.session_days([r["record_id"] for r in rows if r["kind"] == "session"])
        found: list[tuple[dict[str, Any], int | None, date | None, date | None, bool]] = []
        for row in rows:
            kind, record_id = row["kind"], row["record_id"]
            event_id = None
            start: date | None = None
            end: date | None = None
            repeats = False
            if kind == "event":
                if record_id not in events:
                    continue
                start, end, repeats = events[record_id]
            elif kind == "session":
                if record_id not in sessions:
                    continue
                event_id, start = sessions[record_id]
                end = start
            elif kind == "task":
                try:
                    task = self.store.get(Task, record_id)
                except NotFound:
                    continue
                event_id = task.event_id
                start = end = self.due_of(task)
            found.append((row, event_id, start, end, repeats))
        # The events' titles of sessions and tasks in one query, not one read a hit.
        titles = self.store.event_titles([f[1] for f in found if f[1] is not None])
        return [
            SearchHit(
                kind=row["kind"],
                id=row["record_id"],
                title=row["title"],
                snippet=row["snippet"] or "",
                event_id=event_id,
                event_title=None if event_id is None else titles.get(event_id),
                start_date=start,
                end_date=end,
                repeats=repeats,
            )
            for row, event_id, start, end, repeats in found
        ]

    def search_total(self, text: str) -> int:
        """How many records match `text` in all (search() returns at most its limit)."""
        return self.search_total_upto(text, 2**62)

    def search_total_upto(self, text: str, cap: int) -> int:
        """How many records match `text`, counted up to `cap` (cheap however many match)."""
        from tui.domain.search import fts_query, symbols_of

        query = fts_query(text)
        if query is None:
            symbols = symbols_of(text)
            return self.store.symbol_count(symbols, cap) if symbols else 0
        return self.store.match_count(query, cap)

    def event_ids_between(self, start: date, end: date) -> list[int]:
        """The ids of the events touching [start, end] (a repeating one when one of its
        occurrences does), ordered as `events(start, end)` orders them; only the repeating
        series are read as records."""
        keyed: list[tuple[str, str, str, int]] = self.store.event_keys_between(start, end)
        for event in self.store.repeating_events_until(end, start):
            first = _first_occurrence(event, start, end)
            if first is not None and event.id is not None:
                when = event.start_time.isoformat() if event.start_time else ""
                keyed.append((first.start_date.isoformat(), when, event.title, event.id))
        keyed.sort(key=lambda key: key[:3])
        return [key[3] for key in keyed]

    def occurrence_on(self, event_id: int, day: date) -> Occurrence:
        """The occurrence of an event that takes place on `day` (it starts then, or began
        before and is still running: the second day of a two-day workshop); InvalidInput
        naming the event's dates when there is none (a series that does not meet then,
        another event's date)."""
        event = self.event(event_id)
        if event.repeat:
            found = [o for o in expand(event, day, day) if o.start_date <= day <= o.end_date]
        elif event.start_date <= day <= event.end_date:
            found = [Occurrence(event, event.start_date, event.end_date)]
        else:
            found = []
        if not found:
            if event.repeat:
                said = "it repeats"
            elif event.end_date > event.start_date:
                said = f"it runs {event.start_date.isoformat()} to {event.end_date.isoformat()}"
            else:
                said = f"it is on {event.start_date.isoformat()}"
            raise InvalidInput(
                f"{event.title!r} does not take place on {day.isoformat()} ({said})",
                value=day.isoformat(),
            )
        return found[0]

    def occurrence_to_open(self, event_id: int) -> Occurrence:
        """The occurrence of an event to show when it is opened from elsewhere (search, a
        link): the event itself, or a series' next occurrence from today (else its last)."""
        event = self.event(event_id)
        if not event.repeat:
            return Occurrence(event, event.start_date, event.end_date)
        today = self.today()
        upcoming = expand(event, max(today, event.start_date), today + timedelta(days=3660))
        if upcoming:
            return upcoming[0]
        past = expand(event, event.start_date, today)
        return past[-1] if past else Occurrence(event, event.start_date, event.end_date)


def _first_occurrence(event: Event, start: date, end: date) -> Occurrence | None:
    """A series' first occurrence touching [start, end], looked for a year at a time from
    the later of `start` and the series' own start: a daily series is not expanded over the
    three centuries an export of everything asks for."""
    step = timedelta(days=366)
    span = event.end_date - event.start_date
    bound = repeat_bound(event.repeat or "", event.start_date)
    if bound is not None:
        end = min(end, bound + span)  # nothing of the series after its last day
    window = max(start, event.start_date - span)
    while window <= end:
        last = min(end, window + step)
        occurrences = expand(event, window, last)
        if occurrences:
            return occurrences[0]
        if last >= end:
            return None
        window = last + timedelta(days=1)
    return None


def first_to_select(occurrences: Sequence[Occurrence], day: date) -> int | None:
    """Which of a range's occurrences (in order) is selected when the officer comes to
    `day` with nothing asked for: the first still running on or after it, else the last;
    None when there are none."""
    if not occurrences:
        return None
    return next((i for i, o in enumerate(occurrences) if o.end_date >= day), len(occurrences) - 1)


def _add_new(rows: list[dict[str, Any]], more: list[dict[str, Any]]) -> None:
    """Add to `rows` those of `more` whose record they do not hold yet."""
    seen = {(row["kind"], row["record_id"]) for row in rows}
    rows += [row for row in more if (row["kind"], row["record_id"]) not in seen]


def _crowding(rows: list[dict[str, Any]], limit: int) -> str | None:
    """The kind that holds more than `limit` of the rows when they fill what was asked
    (twice `limit`), else None."""
    if len(rows) < limit * 2:
        return None
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    kind, most = max(counts.items(), key=lambda item: item[1])
    return kind if most > limit else None


def _shared_among_kinds(rows: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """`limit` rows taken in turn from each kind, given back in their order in `rows`
    (titles and names that match still before the rest)."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    queues = list(by_kind.values())
    taken: list[dict[str, Any]] = []
    depth = 0
    while len(taken) < limit and queues:
        queues = [queue for queue in queues if depth < len(queue)]
        for queue in queues:
            if len(taken) == limit:
                break
            taken.append(queue[depth])
        depth += 1
    chosen = {id(row) for row in taken}
    return [row for row in rows if id(row) in chosen]
