"""WeekGrid: a week (or one day) on a time grid, events as blocks, a cursor over slots.

Hours run down in half-hour rows, days across; all-day and multi-day events are bars above
the hours. Only the rows that fit are drawn: the grid keeps its own first visible row and
moves it to keep the cursor in sight (so 24 hours scroll past the configured span).
Overlapping events sit side by side, as many as stay readable in the column; the others
are counted ("+2") beside them, and the one under the cursor is always drawn (J/K reach
each, the status line names it in full).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from rich.cells import cell_len, chop_cells, set_cell_size, split_graphemes
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui.display import safe_line, time_span
from tui.domain.models import Occurrence
from tui.domain.timegrid import Bar, Block, GridLayout, lanes_that_fit, lay_out, narrow
from tui.widgets.frames import KeepsComponentStyles

SLOT = 30
"""Minutes per row."""
ROWS = 24 * 60 // SLOT
GUTTER = 8
MAX_BAR_ROWS = 3
"""Rows for all-day and multi-day bars before the rest are counted ('+4 more')."""
ALL_DAY = -1
"""The cursor's row for the bars above the hours."""
Planes = tuple[list[list[str]], list[list[Style]]]
"""The grid as rows of characters and rows of styles."""


class WeekGrid(KeepsComponentStyles, Widget, can_focus=True):
    """Seven days (or one) of half-hour rows; h/j/k/l move a cursor, enter opens."""

    BINDINGS = [
        Binding(
            "left,h", "move_day(-1)", "Day back", id="week.left", tooltip="Previous day", show=False
        ),
        Binding(
            "right,l", "move_day(1)", "Day on", id="week.right", tooltip="Next day", show=False
        ),
        Binding(
            "up,k", "move_slot(-1)", "Earlier", id="week.up", tooltip="Half an hour earlier",
            show=False,
        ),
        Binding(
            "down,j", "move_slot(1)", "Later", id="week.down", tooltip="Half an hour later",
            show=False,
        ),
        Binding(
            "J", "next_event(1)", "Next event", id="week.next_event",
            tooltip="The next event of the day (overlapping ones too)", show=False,
        ),
        Binding(
            "K", "next_event(-1)", "Previous event", id="week.previous_event",
            tooltip="The previous event of the day", show=False,
        ),
        Binding("enter", "open", "Open", id="week.open", tooltip="Open the event under the cursor"),
    ]  # fmt: skip
    """
    | key | does |
    |---|---|
    | left/h, right/l | previous / next day |
    | up/k, down/j | half an hour earlier / later (above the first hour: each all-day bar) |
    | J / K | next / previous event of the day, overlapping ones included |
    | enter | open the event under the cursor |
    """

    COMPONENT_CLASSES = {
        "week-grid--heading",
        "week-grid--today",
        "week-grid--hour",
        "week-grid--rule",
        "week-grid--block",
        "week-grid--block-alt",
        "week-grid--muted",
        "week-grid--bar",
        "week-grid--selected",
        "week-grid--cursor",
        "week-grid--now",
    }

    @dataclass
    class Moved(Message):
        """The cursor moved: to a day, a row, and the event there (or none)."""

        grid: WeekGrid
        day: date
        row: int
        occurrence: Occurrence | None

        @property
        def control(self) -> WeekGrid:
            """The grid."""
            return self.grid

    @dataclass
    class WeekLeft(Message):
        """The cursor moved to a day outside the days shown: load that week (or day)."""

        grid: WeekGrid
        day: date

        @property
        def control(self) -> WeekGrid:
            """The grid."""
            return self.grid

    @dataclass
    class OpenRequested(Message):
        """Enter on an event."""

        grid: WeekGrid
        occurrence: Occurrence

        @property
        def control(self) -> WeekGrid:
            """The grid."""
            return self.grid

    def __init__(
        self,
        days: tuple[date, ...],
        today: date,
        zone: tzinfo,
        span: tuple[int, int] = (7 * 60, 21 * 60),
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.days = days
        self.today = today
        self.zone = zone
        self.span = span
        self.now: datetime | None = None
        """The moment for the now line (naive, in `zone`); None draws no line."""
        self.occurrences: list[Occurrence] = []
        self.layout_ = GridLayout(days, (), ())
        self.day_index = 0
        self.row = span[0] // SLOT
        self.top = span[0] // SLOT
        """The first hour row drawn."""
        self._picked: Occurrence | None = None
        """An event chosen with J/K (several can share the cursor's slot)."""
        self._geometry = (3, 3, 1)
        """Column width, first hour row on screen, rows of bars (set when drawn)."""
        self._planes_key: tuple[object, ...] | None = None
        self._planes_cache: Planes | None = None
        self._strips: dict[int, Strip] = {}
        self._rects: dict[int, list[tuple[int, int, int]]] = {}
        """Where each occurrence (by id) is drawn: (row, first column, past the last)."""
        self._selected_key: tuple[object, ...] | None = None
        self._selected_memo: Occurrence | None = None
        """Lines drawn from the current planes, but for the cursor's."""
        self._left_out_key: tuple[int, int] | None = None
        self._left_out: list[Occurrence] = []
        """The occurrences with a block in a lane the columns have no room for, with the
        (layout, lanes that fit) they were found for: looked up at each cursor move."""

    # -- data --------------------------------------------------------------------------

    @property
    def cursor_day(self) -> date:
        """The day under the cursor."""
        return self.days[self.day_index]

    def show(
        self,
        days: tuple[date, ...],
        occurrences: list[Occurrence],
        layout: GridLayout | None = None,
    ) -> None:
        """Show `days` with these occurrences (laid out here unless a layout is given)."""
        day = self.cursor_day if self.days else days[0]
        self.days = days
        self.occurrences = occurrences
        self.layout_ = layout or lay_out(occurrences, days, self.zone)
        self.day_index = days.index(day) if day in days else 0
        self._bring_events_into_view()
        self._announce()
        self.refresh()

    def _bring_events_into_view(self) -> None:
        """When none of the blocks shown is in sight, scroll to the earliest one."""
        blocks = self.layout_.blocks
        if not blocks:
            return
        visible = self._hour_rows()
        top, bottom = self.top * SLOT, (self.top + visible) * SLOT
        if any(b.start < bottom and b.end > top for b in blocks):
            return
        self.top = max(0, min(min(b.start for b in blocks) // SLOT, ROWS - visible))

    def place_cursor_at(self, moment: datetime) -> None:
        """Put the cursor on `moment`'s day and half hour (today's now)."""
        if moment.date() in self.days:
            self.day_index = self.days.index(moment.date())
            self.row = (moment.hour * 60 + moment.minute) // SLOT
        self._scroll_to_cursor()
        self._announce()
        self.refresh()

    def place_cursor(self, day: date, occurrence: Occurrence | None = None) -> None:
        """Put the cursor on `day`, on `occurrence`'s block or bar when it is shown there."""
        if day in self.days:
            self.day_index = self.days.index(day)
        if occurrence is not None:
            # Its block on the day asked for, else its first one: in the zone shown an
            # evening in New York is the next morning (the cursor stayed on an empty
            # Tuesday 07:00 while the dinner showed on Wednesday 00:00).
            # (Only for an event of that day: one selected on a later day stays there.)
            on_day = occurrence.start_date <= day <= occurrence.end_date
            own = [
                b
                for b in self.layout_.blocks
                if b.occurrence == occurrence
                and (b.day == self.cursor_day or (on_day and b.day in self.days))
            ]
            own.sort(key=lambda b: (b.day != self.cursor_day, b.day, b.start))
            if own:
                block = own[0]
                self.day_index = self.days.index(block.day)
                self.row = block.start // SLOT
                self._picked = occurrence
            else:
                if any(bar.occurrence == occurrence for bar in self.layout_.bars):
                    self.row = ALL_DAY
                    self._picked = occurrence
        self._scroll_to_cursor()
        self._announce()
        self.refresh()

    def blocks_at(self, day: date, row: int) -> list[Block]:
        """The blocks covering a half-hour row of a day, by lane."""
        start = row * SLOT
        found = [
            b
            for b in self.layout_.blocks
            if b.day == day and b.start < start + SLOT and max(b.end, b.start + 1) > start
        ]
        return sorted(found, key=lambda b: b.lane)

    def bars_on(self, day: date) -> list[Bar]:
        """The bars over a day, top row first."""
        if day not in self.days:
            return []
        index = self.days.index(day)
        return sorted(
            (b for b in self.layout_.bars if b.first <= index <= b.last), key=lambda b: b.row
        )

    @property
    def selected(self) -> Occurrence | None:
        """The event under the cursor (the one picked with J/K when several share it)."""
        # Asked for on every line drawn: remembered until the cursor or the layout moves.
        key = (self.day_index, self.row, self._picked, id(self.layout_), self.days)
        if self._selected_key == key:
            return self._selected_memo
        day = self.cursor_day
        if self.row == ALL_DAY:
            candidates = [b.occurrence for b in self.bars_on(day)]
        else:
            candidates = [b.occurrence for b in self.blocks_at(day, self.row)]
        if self._picked is not None and self._picked in candidates:
            found: Occurrence | None = self._picked
        else:
            found = candidates[0] if candidates else None
        self._selected_key, self._selected_memo = key, found
        return found

    def day_events(self) -> list[tuple[int, Occurrence]]:
        """The cursor day's events as (row, occurrence): bars first, then blocks by time."""
        day = self.cursor_day
        found: list[tuple[int, Occurrence]] = [(ALL_DAY, b.occurrence) for b in self.bars_on(day)]
        blocks = sorted(
            (b for b in self.layout_.blocks if b.day == day), key=lambda b: (b.start, b.lane)
        )
        found.extend((b.start // SLOT, b.occurrence) for b in blocks)
        return found

    # -- keys --------------------------------------------------------------------------

    def action_move_day(self, step: int) -> None:
        """A day back or on; past the edge the screen loads the next week."""
        self._picked = None
        index = self.day_index + step
        if 0 <= index < len(self.days):
            before = self._before()
            self.day_index = index
            self._announce()
            self._repaint(*before)
            return
        try:
            day = self.cursor_day + timedelta(days=step)
        except OverflowError:
            self.app.bell()
            return
        self.post_message(self.WeekLeft(self, day))

    def action_move_slot(self, step: int) -> None:
        """Half an hour earlier or later; above the first row are the all-day bars, one
        bar at a time (k from the first hour reaches the lowest, then those above it)."""
        bars = [bar.occurrence for bar in self.bars_on(self.cursor_day)]
        picked: Occurrence | None = None
        if self.row == ALL_DAY and bars:
            current = self.selected
            index = bars.index(current) + step if current in bars else -1
            if index < 0:
                self.app.bell()
                return
            row, picked = (ALL_DAY, bars[index]) if index < len(bars) else (0, None)
        else:
            row = max(ALL_DAY, min(ROWS - 1, self.row + step))
            if row == self.row:
                self.app.bell()
                return
            if row == ALL_DAY and bars:
                picked = bars[-1]
        before = self._before()
        self.row, self._picked = row, picked
        self._scroll_to_cursor()
        self._announce()
        self._repaint(*before)

    def action_next_event(self, step: int) -> None:
        """The next (or previous) event of the cursor's day, overlapping ones included."""
        listed = self.day_events()
        day = self.cursor_day
        on = f"{day:%a} {day.day} {day:%b}"
        if not listed:
            self.app.bell()
            self.app.notify(f"No events on {on}.", markup=False)
            return
        current = self.selected
        positions = [i for i, (_, o) in enumerate(listed) if o == current]
        if positions:
            index = positions[0] + step
        else:
            ahead = [i for i, (row, _) in enumerate(listed) if (row > self.row) == (step > 0)]
            index = (ahead[0] if step > 0 else ahead[-1]) if ahead else -1
        if not 0 <= index < len(listed):
            # Said, not only rung: a bell is silent in many terminals and J seemed dead.
            self.app.bell()
            said = "later" if step > 0 else "earlier"
            other = "K: the one before" if step > 0 else "J: the one after"
            self.app.notify(f"No {said} event on {on} ({other}).", markup=False)
            return
        before = self._before()
        self.row, self._picked = listed[index]
        self._scroll_to_cursor()
        self._announce()
        self._repaint(*before)

    def _before(self) -> tuple[list[int], int, Occurrence | None]:
        lines = self._cursor_lines() + [row for row, _, _ in self._selected_rects()]
        return lines, self.top, self.selected

    def _repaint(self, lines: list[int], top: int, selected: Occurrence | None) -> None:
        """After a cursor move: only the lines it left and reached, unless more changed.

        A key that does not scroll repaints the cursor's lines and the rows of the events
        selected before and after, not the whole grid (at 100,000 events a week can hold
        hundreds of blocks).
        """
        if (
            self.top != top
            or self._planes_cache is None
            or self._planes_key is None
            or self._planes_key[-1] is not self._promoted(self.selected)
        ):
            # A left-out event under the cursor is drawn in place of another (or no longer
            # is): more than its lines change.
            self.refresh()
            return
        width = self.size.width
        now = self._cursor_lines() + [row for row, _, _ in self._selected_rects()]
        for y in sorted(set(lines) | set(now)):
            self.refresh(Region(0, y, width, 1))

    def action_open(self) -> None:
        """Open the event under the cursor."""
        selected = self.selected
        if selected is None:
            self.app.notify("No event here: J / K jump to the day's events.", markup=False)
            return
        self.post_message(self.OpenRequested(self, selected))

    def _announce(self) -> None:
        if self.days:
            self.post_message(self.Moved(self, self.cursor_day, self.row, self.selected))

    # -- scrolling ---------------------------------------------------------------------

    def _hour_rows(self) -> int:
        return max(1, self.size.height - self._head_rows())

    def _head_rows(self) -> int:
        return 2 + self._bar_rows_shown()

    def _bar_rows_shown(self) -> int:
        """Rows for the bars: as many as they need, up to MAX_BAR_ROWS (the last says
        how many more there are, day by day)."""
        return min(max(1, self.layout_.bar_rows), MAX_BAR_ROWS)

    def _scroll_to_cursor(self) -> None:
        visible = self._hour_rows()
        if self.row == ALL_DAY:
            return
        if self.row < self.top:
            self.top = self.row
        elif self.row >= self.top + visible:
            self.top = self.row - visible + 1
        self.top = max(0, min(self.top, ROWS - visible))

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.top = min(ROWS - self._hour_rows(), self.top + 2)
        self.refresh()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.top = max(0, self.top - 2)
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- drawing -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        planes = self._planes()
        if planes is None or not 0 <= y < len(planes[0]):
            return Strip.blank(width, self.rich_style)
        chars, styles = planes[0][y], planes[1][y]
        span = self._cursor_span(y)
        chosen = [r for r in self._selected_rects() if r[0] == y]
        if span is None and not chosen and y in self._strips:
            return self._strips[y]
        if chosen:
            selected_style = self.get_component_rich_style("week-grid--selected")
            styles = list(styles)
            for _, first, last in chosen:
                for x in range(first, last):
                    styles[x] = styles[x] + selected_style
        if span is not None:
            cursor = self.get_component_rich_style("week-grid--cursor")
            chars, styles = list(chars), list(styles)
            if y == 0:
                cursor = Style(underline=True)
            for x in range(*span):
                styles[x] = styles[x] + cursor
            if y > 0 and self.row != ALL_DAY:
                label = f"{self.row // 2:02d}:{self.row % 2 * 30:02d}"
                for x, char in enumerate(label[: GUTTER - 1]):
                    chars[x], styles[x] = char, cursor
        # The widget's own colours under every cell, as the rest of the app has them.
        strip = Strip(_segments(chars, styles), width).apply_style(self.rich_style)
        if span is None and not chosen:
            self._strips[y] = strip
        return strip

    def _selected_rects(self) -> list[tuple[int, int, int]]:
        selected = self.selected
        return self._rects.get(id(selected), []) if selected is not None else []

    def _cursor_span(self, y: int) -> tuple[int, int] | None:
        """The columns the cursor marks on screen row `y` (the day's heading too)."""
        column_width, first_body, bar_rows = self._geometry
        x = GUTTER + self.day_index * column_width
        span = (x, min(self.size.width, x + column_width - 1))
        if y == 0:
            return span
        if self.row == ALL_DAY:
            return span if 1 <= y <= bar_rows else None
        return span if y == first_body + self.row - self.top else None

    def _cursor_lines(self) -> list[int]:
        _, first_body, bar_rows = self._geometry
        if self.row == ALL_DAY:
            return [0, *range(1, bar_rows + 1)]
        return [0, first_body + self.row - self.top]

    def plain(self) -> str:
        """What the grid shows, as text (for tests and the curious)."""
        return "\n".join(self.render_line(y).text for y in range(self.size.height))

    def _planes(self) -> Planes | None:
        """Everything drawn but the cursor, built again only when what it shows changed."""
        width, height = self.size.width, self.size.height
        if width <= GUTTER or height < 3 or not self.days:
            return None
        key = (
            id(self.layout_), width, height, self.top, self.now, self.today,
            self.span, self.app.theme, self._promoted(self.selected),
        )  # fmt: skip
        if key != self._planes_key or self._planes_cache is None:
            self._planes_cache = self._build_planes(width, height)
            self._planes_key = key
            self._strips = {}
        return self._planes_cache

    def _lanes_fit(self) -> int:
        """How many side-by-side lanes a day column has room for at the current width."""
        return lanes_that_fit(self._column_width(self.size.width) - 1)

    def _column_width(self, width: int) -> int:
        """The cells of a day's column in a grid `width` wide."""
        return max(3, (width - GUTTER) // max(1, len(self.days)))

    def _promoted(self, occurrence: Occurrence | None) -> Occurrence | None:
        """`occurrence` when one of its blocks is in a lane the column has no room for
        (the cursor's event is then drawn in the last lane shown), else None."""
        if occurrence is None:
            return None
        fit = self._lanes_fit()
        key = (id(self.layout_), fit)
        if key != self._left_out_key:
            # Once per layout and width, not at every move of the cursor (a week at 100k
            # events can hold hundreds of blocks).
            self._left_out_key = key
            self._left_out = [
                b.occurrence for b in self.layout_.blocks if b.lanes > fit and b.lane >= fit
            ]
        return occurrence if occurrence in self._left_out else None

    def _count_below_titles(
        self,
        drawn: list[Block],
        left_out: list[tuple[date, int, int]],
        hidden: dict[tuple[int, int], int],
        inner: Callable[[Block], int],
    ) -> None:
        """Move the count of the events left out off a title's row to the row under it.

        In a 9-cell column (80 columns) " +2" left "Press…" of a title: a block in the last
        lane whose title the count would cut, and that has a row under it (its time's, in
        a narrow lane), keeps its first row for the title; the row under it counts the
        events left out of either row, beside the time ("09:30  +2"). A block of one row,
        or one whose next row is another title's, keeps the count on its row.
        """
        # The rows where a title in the last lane shows, in the order they are drawn: the
        # event under the cursor, drawn there last, covers the titles under it.
        titles: set[tuple[date, int]] = set()
        for block in drawn:
            if block.lane == block.lanes - 1:
                last_slot = max(block.start, block.end - 1) // SLOT
                titles -= {(block.day, slot) for slot in range(block.start // SLOT, last_slot + 1)}
                titles.add((block.day, block.start // SLOT))
        for block in drawn:
            first_slot = block.start // SLOT
            if (
                block.lane != block.lanes - 1
                or block.sessions
                or max(block.start, block.end - 1) // SLOT == first_slot
                or (block.day, first_slot + 1) in titles
            ):
                continue
            index = self.days.index(block.day)
            count = hidden.get((index, first_slot))
            title = safe_line(block.occurrence.event.title)
            if count is None or cell_len(title) <= inner(block) - len(f" +{count}"):
                continue
            del hidden[index, first_slot]
            hidden[index, first_slot + 1] = sum(
                1
                for day, start, end in left_out
                if day == block.day
                and start // SLOT <= first_slot + 1
                and max(start, end - 1) // SLOT >= first_slot
            )

    def _build_planes(self, width: int, height: int) -> Planes:
        style = self.get_component_rich_style
        blank = Style()
        columns = len(self.days)
        column_width = self._column_width(width)
        # Two planes, characters and styles: cheaper than an object per cell.
        chars = [[" "] * width for _ in range(height)]
        styles = [[blank] * width for _ in range(height)]

        def put(row: int, x: int, text: str, cell_style: Style, limit: int) -> None:
            if not 0 <= row < height:
                return
            if 1 < limit < cell_len(text):
                rest = "".join(chop_cells(text, limit)[1:])
                if rest.strip(" ─"):  # cut words say so ("· Sof" read as a name)
                    # ("Budget review…", not "Budget review …" when the cut falls on a space)
                    text = set_cell_size(text, limit - 1).rstrip(" ") + "…"
            place(chars[row], styles[row], x, text, cell_style, min(limit, width - x))

        def fill(row: int, x: int, length: int, cell_style: Style) -> None:
            put(row, x, " " * length, cell_style, length)

        def column_x(index: int) -> int:
            return GUTTER + index * column_width

        heading, today_style = style("week-grid--heading"), style("week-grid--today")
        muted = style("week-grid--muted")
        # Row 0: the days.
        for index, day in enumerate(self.days):
            label = (
                f"{day:%A} {day.day} {day:%B}"
                if columns == 1
                else (
                    f"{day:%a} {day.day}" if column_width >= 7 else f"{day:%a}"[:2] + str(day.day)
                )
            )
            day_style = today_style if day == self.today else heading
            put(0, column_x(index), label.center(column_width - 1), day_style, column_width - 1)
        # The bars above the hours.
        bar_rows = self._bar_rows_shown()
        crowded = self.layout_.bar_rows > bar_rows
        put(1, 0, "all-day"[: GUTTER - 1], style("week-grid--hour"), GUTTER - 1)
        # Where each occurrence is drawn, for the selection drawn over it line by line.
        rects: dict[int, list[tuple[int, int, int]]] = {}
        for bar in self.layout_.bars:
            if crowded and bar.row >= bar_rows - 1:
                continue  # counted in the last row instead
            row = 1 + bar.row
            x = column_x(bar.first)
            length = (bar.last - bar.first + 1) * column_width - 1
            bar_style = style("week-grid--bar")
            fill(row, x, length, bar_style)
            rects.setdefault(id(bar.occurrence), []).append((row, x, min(width, x + length)))
            event = bar.occurrence.event
            title = safe_line(event.title)
            if bar.before:
                title = "◀ " + title
            if bar.after:
                title = title[: max(0, length - 2)] + " ▶" if len(title) >= length - 2 else title
            put(row, x, title, bar_style, length)
        if crowded:
            for index in range(columns):
                more = sum(
                    1
                    for bar in self.layout_.bars
                    if bar.row >= bar_rows - 1 and bar.first <= index <= bar.last
                )
                if more:
                    label = f"+{more} more"
                    put(bar_rows, column_x(index), label, muted, column_width - 1)
        rule_row = 1 + bar_rows
        put(rule_row, 0, "─" * width, style("week-grid--rule"), width)
        # The hours.
        first_body = rule_row + 1
        visible = height - first_body
        self.top = max(0, min(self.top, ROWS - max(1, visible)))
        hour_style = style("week-grid--hour")
        for offset in range(visible):
            slot = self.top + offset
            if slot >= ROWS:
                break
            if slot % 2 == 0:
                put(first_body + offset, 0, f"{slot // 2:02d}:00", hour_style, GUTTER - 1)
            for index in range(columns):
                in_span = self.span[0] <= slot * SLOT < self.span[1]
                put(
                    first_body + offset,
                    column_x(index) + column_width - 1,
                    "│" if columns > 1 else "",
                    style("week-grid--rule"),
                    1,
                )
                if not in_span:
                    fill(first_body + offset, column_x(index), column_width - 1, muted)

        def body_row(slot: int) -> int:
            """The screen row of a half-hour slot; -1 when it is scrolled out of sight."""
            row = first_body + slot - self.top
            return row if first_body <= row < height else -1

        # The now line, under the blocks.
        if self.now is not None and self.now.date() in self.days:
            now_slot = (self.now.hour * 60 + self.now.minute) // SLOT
            row = body_row(now_slot)
            if row >= 0:
                # The time rides on the line: in the gutter it took the place of the hour
                # ("15:13" for the 15:00 row, where a 15:00 event then seemed to start).
                x = column_x(self.days.index(self.now.date()))
                line = f"{self.now:%H:%M}─".ljust(column_width - 1, "─")
                put(row, x, line, style("week-grid--now"), column_width - 1)
                put(row, GUTTER - 2, "▸", style("week-grid--now"), 1)
        # The blocks, side by side where they overlap, as many lanes as stay readable; the
        # ones left out are counted at the column's right edge on the rows they take.
        fit = lanes_that_fit(column_width - 1)
        drawn, left_out = narrow(self.layout_.blocks, fit, self._promoted(self.selected))
        hidden: dict[tuple[int, int], int] = {}
        for day, start, end in left_out:
            index = self.days.index(day)
            for slot in range(start // SLOT, max(start, end - 1) // SLOT + 1):
                hidden[index, slot] = hidden.get((index, slot), 0) + 1

        def lane_cells(block: Block) -> tuple[int, int]:
            """Where a block's lane begins and the cells it fills (a gap before the next)."""
            lane_width = max(1, (column_width - 1) // block.lanes)
            x = column_x(self.days.index(block.day)) + block.lane * lane_width
            if block.lane == block.lanes - 1:
                lane_width = column_width - 1 - block.lane * lane_width
            return x, lane_width - (1 if block.lane < block.lanes - 1 and lane_width > 2 else 0)

        self._count_below_titles(drawn, left_out, hidden, lambda b: lane_cells(b)[1])
        flush: dict[tuple[int, int], bool] = {}  # a count right after a cut title's "…"
        for block in drawn:
            index = self.days.index(block.day)
            x, inner = lane_cells(block)
            event = block.occurrence.event
            if event.status in ("cancelled", "postponed"):
                block_style = muted + Style(strike=True)
            else:
                block_style = style(
                    "week-grid--block" if block.lane % 2 == 0 else "week-grid--block-alt"
                )
            first_slot, last_slot = block.start // SLOT, max(block.start, block.end - 1) // SLOT
            for slot in range(first_slot, last_slot + 1):
                row = body_row(slot)
                if row >= 0:
                    fill(row, x, inner, block_style)
                    spot = (row, x, min(width, x + inner))
                    rects.setdefault(id(block.occurrence), []).append(spot)
            title = safe_line(event.title)
            starts = f"{block.start // 60:02d}:{block.start % 60:02d}"
            # The cells for text on its title and time rows: in the last lane, less the
            # count of the events left out (cut before the count, not under it).
            rooms = [
                inner - len(f" +{hidden[index, slot]}")
                if block.lane == block.lanes - 1 and (index, slot) in hidden
                else inner
                for slot in (first_slot, first_slot + 1)
            ]
            fits = rooms[0] >= len(title) + len(starts) + 1
            head = f"{starts} {title}" if fits else title
            lines = [head]
            if block.sessions:
                taken: set[int] = set()
                for session in block.sessions:
                    if session.start_time is None:
                        continue
                    slot = (session.start_time.hour * 60 + session.start_time.minute) // SLOT
                    while slot in taken or slot == first_slot:
                        slot += 1
                    taken.add(slot)
                    row = body_row(slot)
                    if row < 0 or slot > last_slot:
                        continue
                    parts = [f"{time_span(session.start_time, session.end_time)} {session.title}"]
                    if session.room:
                        parts.append(session.room)
                    if session.speakers:
                        parts.append(", ".join(s.name for s in session.speakers))
                    put(row, x + 1, safe_line(" · ".join(parts)), block_style, inner - 1)
            elif last_slot > first_slot and not fits:
                lines.append(starts)
            for number, line in enumerate(lines):
                row = body_row(first_slot + number)
                if row >= 0:
                    room = rooms[number]
                    # A line cut before a count ends in "…", which parts it from the count:
                    # no space between them, a letter more ("Budget…+2", not "Budge… +2").
                    flush[index, first_slot + number] = room < inner and cell_len(line) > room + 1
                    room += flush[index, first_slot + number]
                    put(row, x, line, block_style + Style(bold=number == 0), room)
        for (index, slot), count in hidden.items():
            row = body_row(slot)
            if row >= 0:
                mark = f"+{count}"
                x = column_x(index) + column_width - 1 - len(mark)
                if not flush.get((index, slot)):
                    put(row, x - 1, " ", muted, 1)
                put(row, x, mark, muted + Style(bold=True), len(mark))
        self._geometry = (column_width, first_body, bar_rows)
        self._rects = rects
        return chars, styles


def place(
    chars: list[str], styles: list[Style], x: int, text: str, style: Style, limit: int
) -> None:
    """Write `text` into one line of cells from `x`, at most `limit` cells, a character as
    the terminal shows it (Rich's graphemes): a wide one (CJK, most emoji, a flag) takes
    two cells, its second left empty (""); a mark that takes none joins the one before. A wide
    character cut in two by what is written over it becomes a space, so that every line
    keeps the grid's width (titles in Chinese shifted every column after them)."""
    spans, _ = split_graphemes(text)
    column = 0
    for start, end, size in spans:
        grapheme = text[start:end]
        if size == 0:
            before = x + column - 1
            if before > 0 and chars[before] == "":
                before -= 1  # after a wide character: onto it, not its empty half
            if column > 0 and 0 <= before < len(chars):
                chars[before] += grapheme
            continue
        if column + size > limit:
            if column < limit and 0 <= x + column < len(chars):
                _set_cell(chars, styles, x + column, " ", style)  # half a wide character
            break
        if 0 <= x + column and x + column + size <= len(chars):
            _set_cell(chars, styles, x + column, grapheme, style)
            for extra in range(1, size):
                _set_cell(chars, styles, x + column + extra, "", style)
        column += size


def _set_cell(chars: list[str], styles: list[Style], at: int, char: str, style: Style) -> None:
    """One cell, mending a wide character it splits: its other half becomes a space."""
    old = chars[at]
    if old == "" and char != "" and at > 0:
        chars[at - 1] = " "  # over the second half: the first half alone is a space
    if old and cell_len(old) == 2 and at + 1 < len(chars):
        chars[at + 1] = " "  # over the first half: the second half alone is a space
    chars[at] = char
    styles[at] = style


def _segments(chars: list[str], styles: list[Style]) -> list[Segment]:
    segments = []
    start = 0
    for column in range(1, len(chars) + 1):
        # Identity, not equality: the planes share their style objects, and comparing
        # Styles by value cost more than the rest of the line.
        if column == len(chars) or styles[column] is not styles[start]:
            segments.append(Segment("".join(chars[start:column]), styles[start]))
            start = column
    return segments
