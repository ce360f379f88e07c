"""Laying out a week or a day on a time grid: timed blocks side by side, bars above.

Pure arithmetic over occurrences (no Textual): where each event falls in a chosen time
zone, which lane it takes when events overlap, and which row an all-day or multi-day bar
takes above the hours. The week grid widget draws what this returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui.domain.dates import zone_info
from tui.domain.models import Occurrence, Session

MINUTES_PER_DAY = 24 * 60
DEFAULT_LENGTH = 60
"""Minutes a timed event without an end time takes on the grid."""


@dataclass(frozen=True)
class Block:
    """A timed piece of an event on one day column: minutes from that day's midnight."""

    occurrence: Occurrence
    day: date
    start: int
    end: int
    lane: int = 0
    lanes: int = 1
    """How many lanes its cluster of overlapping blocks needs (its width is 1/lanes)."""
    sessions: tuple[Session, ...] = ()
    """The sessions shown inside the block (the day grid's run of show)."""


@dataclass(frozen=True)
class Bar:
    """An all-day or multi-day event above the hours, from column `first` to `last`."""

    occurrence: Occurrence
    first: int
    last: int
    row: int = 0
    before: bool = False
    """It began before the first day shown (drawn with ◀)."""
    after: bool = False
    """It goes on after the last day shown (drawn with ▶)."""


@dataclass(frozen=True)
class GridLayout:
    """What a week (or a day) grid shows."""

    days: tuple[date, ...]
    bars: tuple[Bar, ...]
    blocks: tuple[Block, ...]

    @property
    def bar_rows(self) -> int:
        """How many rows the bars above the hours take."""
        return max((bar.row + 1 for bar in self.bars), default=0)


def event_zone(name: str | None) -> tzinfo | None:
    """An event's zone, or None for a floating time (read in whatever zone is shown)."""
    if not name:
        return None
    try:
        return zone_info(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def is_timed(occurrence: Occurrence) -> bool:
    """True when the occurrence goes on the hours: a one-day event with a start time, or
    one that runs past midnight for less than a day (a dinner from 20:00 to 01:30)."""
    event = occurrence.event
    if event.start_time is None:
        return False
    if occurrence.start_date == occurrence.end_date:
        return True
    return is_overnight(occurrence)


def is_overnight(occurrence: Occurrence) -> bool:
    """Ends the next day at an earlier clock time than it starts: under a day, one block.

    (Two days at 09:00-17:00 are those hours on each day, a bar on the week grid.)"""
    event = occurrence.event
    return (
        event.start_time is not None
        and event.end_time is not None
        and event.end_time < event.start_time
        and (occurrence.end_date - occurrence.start_date).days == 1
    )


def span_in_zone(occurrence: Occurrence, zone: tzinfo) -> tuple[datetime, datetime]:
    """When a timed occurrence starts and ends, as naive wall-clock times in `zone`."""
    event = occurrence.event
    start_time = event.start_time or time()
    own = event_zone(event.timezone)
    start = datetime.combine(occurrence.start_date, start_time)
    if event.end_time is not None and event.end_time > start_time:
        end = datetime.combine(occurrence.start_date, event.end_time)
    elif is_overnight(occurrence):
        end = datetime.combine(occurrence.end_date, event.end_time or start_time)
    else:
        end = start + timedelta(minutes=DEFAULT_LENGTH)
    if own is not None:
        try:
            start = start.replace(tzinfo=own).astimezone(zone).replace(tzinfo=None)
            end = end.replace(tzinfo=own).astimezone(zone).replace(tzinfo=None)
        except (OverflowError, ValueError):
            pass  # at the calendar's edge: keep the event's own wall clock
    return start, end


def bar_dates(occurrence: Occurrence, zone: tzinfo) -> tuple[date, date]:
    """The first and last day of an all-day or multi-day occurrence, in `zone`.

    An all-day event keeps its own dates (a day, not a moment); a timed one that runs
    over several days runs on the dates its start and end fall on in the zone shown:
    16 Jan 22:00 to 18 Jan 02:00 UTC is Sun 17 to Mon 18 in Tokyo, not Sat 16 to Sun 17.
    """
    event = occurrence.event
    own = event_zone(event.timezone)
    if event.start_time is None or own is None:
        return occurrence.start_date, occurrence.end_date
    start = datetime.combine(occurrence.start_date, event.start_time, own)
    end = datetime.combine(occurrence.end_date, event.end_time or event.start_time, own)
    try:
        first = start.astimezone(zone).replace(tzinfo=None)
        last = end.astimezone(zone).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return occurrence.start_date, occurrence.end_date  # at the calendar's edge
    last_day = last.date()
    if last.time() == time() and last_day > first.date():
        last_day -= timedelta(days=1)  # ends at midnight: nothing of the next day
    return first.date(), max(first.date(), last_day)


def _minutes(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def timed_pieces(
    occurrence: Occurrence, zone: tzinfo, days: Sequence[date]
) -> list[tuple[date, int, int]]:
    """The (day, start, end) pieces of a timed occurrence on the shown days, in `zone`.

    An event that crosses midnight in the zone shown is cut at midnight into two pieces.
    """
    start, end = span_in_zone(occurrence, zone)
    shown = set(days)
    pieces = []
    day = start.date()
    while datetime.combine(day, time()) < end:
        day_start = datetime.combine(day, time())
        piece_start = max(start, day_start)
        piece_end = min(end, day_start + timedelta(days=1))
        if day in shown and piece_end > piece_start:
            end_minutes = MINUTES_PER_DAY if piece_end.date() > day else _minutes(piece_end)
            pieces.append((day, _minutes(piece_start), end_minutes))
        day += timedelta(days=1)
    return pieces


def assign_lanes(pieces: Iterable[Block]) -> list[Block]:
    """Overlapping blocks of a day side by side: each gets a lane and its cluster's width.

    A cluster is a run of blocks that overlap one another transitively; each block takes the
    lowest lane free at its start, and every block of a cluster shares the cluster's lane count.
    """
    by_day: dict[date, list[Block]] = {}
    for block in pieces:
        by_day.setdefault(block.day, []).append(block)
    laid: list[Block] = []
    for day in sorted(by_day):
        ordered = sorted(by_day[day], key=lambda b: (b.start, -b.end, b.occurrence.event.title))
        cluster: list[tuple[Block, int]] = []
        lane_ends: list[int] = []
        cluster_end = -1
        for block in ordered:
            if cluster and block.start >= cluster_end:
                laid.extend(_close(cluster))
                cluster, lane_ends = [], []
            lane = next((i for i, end in enumerate(lane_ends) if end <= block.start), None)
            if lane is None:
                lane = len(lane_ends)
                lane_ends.append(block.end)
            else:
                lane_ends[lane] = block.end
            cluster.append((block, lane))
            cluster_end = max(cluster_end, block.end)
        laid.extend(_close(cluster))
    return laid


def _close(cluster: list[tuple[Block, int]]) -> list[Block]:
    lanes = max((lane + 1 for _, lane in cluster), default=1)
    return [_with(block, lane, lanes) for block, lane in cluster]


def _with(block: Block, lane: int, lanes: int) -> Block:
    return Block(block.occurrence, block.day, block.start, block.end, lane, lanes, block.sessions)


MIN_LANE = 8
"""Cells a lane of side-by-side blocks needs to stay readable: seven of title and a gap
("Budget…", "Press c…"; at six, "Budge…" and at three, "B…")."""


def lanes_that_fit(width: int) -> int:
    """How many side-by-side lanes a day column `width` cells wide shows readably."""
    return max(1, width // MIN_LANE)


def narrow(
    blocks: Iterable[Block], fit: int, promoted: Occurrence | None = None
) -> tuple[list[Block], list[tuple[date, int, int]]]:
    """The blocks drawn when a day column fits only `fit` lanes, and the times left out.

    A cluster that needs more lanes keeps its first `fit` (its blocks' `lanes` becomes
    `fit`); the rest are left out, and each is returned as (day, start, end) for the grid
    to count ("+2" beside them). The promoted occurrence (the one under the cursor) is
    never left out: a block of it in a lane that does not fit is drawn in the last lane
    shown, last (over the blocks there), and the times it covers of those are left out.
    Lanes cut to one or two letters ("B…", "P…") read as nothing.
    """
    drawn: list[Block] = []
    raised: list[Block] = []
    left: list[tuple[date, int, int]] = []
    for block in blocks:
        if block.lanes <= fit:
            drawn.append(block)
        elif block.lane < fit:
            drawn.append(_with(block, block.lane, fit))
        elif promoted is not None and block.occurrence == promoted:
            raised.append(_with(block, fit - 1, fit))
        else:
            left.append((block.day, block.start, block.end))
    for up in raised:
        left.extend(
            (block.day, max(block.start, up.start), min(block.end, up.end))
            for block in drawn
            if block.day == up.day
            and block.lane == fit - 1
            and block.lanes == fit
            and block.start < up.end
            and up.start < block.end
        )
    return drawn + raised, left


def assign_bar_rows(bars: Iterable[Bar]) -> list[Bar]:
    """Bars stacked in as few rows as they fit: longer and earlier bars first."""
    placed: list[Bar] = []
    rows: list[list[tuple[int, int]]] = []
    for bar in sorted(bars, key=lambda b: (b.first, -(b.last - b.first), b.occurrence.event.title)):
        row = next(
            (
                i
                for i, taken in enumerate(rows)
                if all(bar.last < first or bar.first > last for first, last in taken)
            ),
            None,
        )
        if row is None:
            row = len(rows)
            rows.append([])
        rows[row].append((bar.first, bar.last))
        placed.append(replace(bar, row=row))
    return placed


def session_in_zone(
    session: Session, occurrence: Occurrence, zone: tzinfo, day: date
) -> Session | None:
    """A session with its times as the wall clock of `zone` on `day` (None: not that day).

    Sessions keep the event's own wall clock, like the event; an untimed one stays as it is.
    One that runs past midnight in `zone` keeps its real end (earlier than its start) on the
    first day, and shows from 00:00 on the next.
    """
    own = event_zone(occurrence.event.timezone)
    if session.start_time is None or own is None:
        return session if session.date == day else None

    def moved(at: time) -> datetime:
        return datetime.combine(session.date, at, own).astimezone(zone).replace(tzinfo=None)

    start = moved(session.start_time)
    end = moved(session.end_time) if session.end_time is not None else None
    if start.date() == day:
        end_time = end.time() if end is not None else None
        return replace(session, date=day, start_time=start.time(), end_time=end_time)
    if start.date() < day and end is not None and end.date() == day and end.time() > time():
        return replace(session, date=day, start_time=time(), end_time=end.time())
    return None


def session_minutes(
    session: Session, occurrence: Occurrence, zone: tzinfo, day: date
) -> tuple[int, int] | None:
    """The minutes of `day` (in `zone`) a timed session takes: from its start on the
    shown clock for as long as it lasts (30 minutes without an end), cut at the day's
    edges. Its length is counted in real time, so a session across a change of the
    clocks (01:30 BST to 01:15 GMT) is its 45 minutes, not a run to midnight."""
    if session.start_time is None:
        return None
    own = event_zone(occurrence.event.timezone)
    begin = datetime.combine(session.date, session.start_time, own)
    finish = (
        datetime.combine(session.date, session.end_time, own)
        if session.end_time is not None
        else None
    )
    if own is not None:
        utc = ZoneInfo("UTC")
        length = (
            (finish.astimezone(utc) - begin.astimezone(utc)) if finish is not None else timedelta(0)
        )
        shown = begin.astimezone(zone).replace(tzinfo=None)
    else:
        length = finish - begin if finish is not None else timedelta(0)
        shown = begin
    if length <= timedelta(0):
        length = timedelta(minutes=30)
    start = int((shown - datetime.combine(day, time())).total_seconds() // 60)
    stop = start + int(length.total_seconds() // 60)
    if stop <= 0 or start >= MINUTES_PER_DAY:
        return None
    return max(0, start), min(MINUTES_PER_DAY, stop)


def own_hours(occurrence: Occurrence, zone: tzinfo, day: date) -> tuple[int, int] | None:
    """The minutes of `day` (in `zone`) the event itself takes by its own times, if any.

    A one-day or overnight event by its span; one over several days at the same hours
    (a two-day 09:00-17:00 workshop) by those hours on that day."""
    if is_timed(occurrence):
        pieces = [(start, end) for on, start, end in timed_pieces(occurrence, zone, (day,))]
        if not pieces:
            return None
        return min(start for start, _ in pieces), max(end for _, end in pieces)
    event = occurrence.event
    if event.start_time is None or event.end_time is None or event.end_time <= event.start_time:
        return None
    hours = [
        piece
        for own_day in (day - timedelta(days=1), day, day + timedelta(days=1))
        if occurrence.start_date <= own_day <= occurrence.end_date
        for piece in timed_pieces(Occurrence(event, own_day, own_day), zone, (day,))
    ]
    if not hours:
        return None
    return min(start for _, start, _ in hours), max(end for _, _, end in hours)


def lay_out(
    occurrences: Iterable[Occurrence],
    days: Sequence[date],
    zone: tzinfo,
    sessions: dict[int, list[Session]] | None = None,
) -> GridLayout:
    """Blocks and bars for `days` (seven for a week, one for a day) seen from `zone`.

    `sessions` (event id -> that day's sessions) turns a convening into a block spanning
    its sessions with them inside: the day grid's run of show. Times of sessions are the
    event's own wall clock, like the event's.
    """
    shown = tuple(days)
    if not shown:
        return GridLayout((), (), ())
    first_day, last_day = shown[0], shown[-1]
    blocks: list[Block] = []
    bars: list[Bar] = []
    for occurrence in occurrences:
        event_id = occurrence.event.id
        own_sessions = [
            session
            for session in ((sessions or {}).get(event_id or -1, []) if len(shown) == 1 else [])
            # A repeating series' sessions are dated: each occurrence has only its own.
            if occurrence.start_date <= session.date <= occurrence.end_date
        ]
        day_sessions = [
            shifted
            for session in own_sessions
            if (shifted := session_in_zone(session, occurrence, zone, first_day)) is not None
        ]
        minutes = [
            taken
            for session in own_sessions
            if (taken := session_minutes(session, occurrence, zone, first_day)) is not None
        ]
        span = (min(a for a, _ in minutes), max(b for _, b in minutes)) if minutes else None
        if span is not None:
            # The block covers the event's own hours as well as its sessions: a workshop
            # from 09:00 whose first session is at 09:30 starts at 09:00.
            hours = own_hours(occurrence, zone, first_day)
            if hours is not None:
                span = (min(span[0], hours[0]), max(span[1], hours[1]))
            blocks.append(
                Block(occurrence, first_day, span[0], span[1], sessions=tuple(day_sessions))
            )
            continue
        if is_timed(occurrence):
            for day, start, end in timed_pieces(occurrence, zone, shown):
                blocks.append(Block(occurrence, day, start, end))
            continue
        start_date, end_date = bar_dates(occurrence, zone)
        if end_date < first_day or start_date > last_day:
            continue
        first = (max(start_date, first_day) - first_day).days
        last = (min(end_date, last_day) - first_day).days
        bars.append(
            Bar(occurrence, first, last, before=start_date < first_day, after=end_date > last_day)
        )
    return GridLayout(shown, tuple(assign_bar_rows(bars)), tuple(assign_lanes(blocks)))


def week_days(day: date, first_weekday: int) -> tuple[date, ...]:
    """The seven days of the week `day` is in, starting on `first_weekday` (0 = Monday)."""
    start = day - timedelta(days=(day.weekday() - first_weekday) % 7)
    return tuple(start + timedelta(days=i) for i in range(7))


def parse_hour(text: str) -> int:
    """'07:00' or '7' as minutes from midnight; ValueError when it is not an hour of the day."""
    raw = text.strip()
    hours, _, minutes = raw.partition(":")
    value = int(hours) * 60 + (int(minutes) if minutes else 0)
    if not hours.isdigit() or (minutes and not minutes.isdigit()) or not 0 <= value <= 24 * 60:
        raise ValueError(raw)
    return value
