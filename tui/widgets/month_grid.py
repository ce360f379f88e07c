"""MonthGrid: a month of days, today and event days marked, a cursor moved by keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget, _RenderCache

from tui.domain.dates import MONTH_NAMES, grid_window
from tui.widgets.frames import KeepsComponentStyles

WEEKDAY_NAMES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
CELL = 5
WEEK_GUTTER = 2
"""Columns for the week numbers (the first day cell starts with a space)."""


class MonthGrid(KeepsComponentStyles, Widget, can_focus=True):
    """A month grid: arrows and hjkl move the cursor a day or a week."""

    BINDINGS = [
        Binding(
            "left,h", "move(-1)", "Day back", id="grid.left", tooltip="Previous day", show=False
        ),
        Binding("right,l", "move(1)", "Day on", id="grid.right", tooltip="Next day", show=False),
        Binding(
            "up,k", "move(-7)", "Week back", id="grid.up", tooltip="Same day last week", show=False
        ),
        Binding(
            "down,j", "move(7)", "Week on", id="grid.down", tooltip="Same day next week", show=False
        ),
        Binding("enter", "open", "Open", id="grid.open", tooltip="Open the selected event"),
    ]
    """
    | key | does |
    |---|---|
    | left/h, right/l | previous / next day |
    | up/k, down/j | same day a week earlier / later |
    | enter | open the selected event of the day |
    """

    COMPONENT_CLASSES = {
        "month-grid--title",
        "month-grid--weekday",
        "month-grid--other-month",
        "month-grid--has-events",
        "month-grid--today",
        "month-grid--cursor",
    }

    cursor: reactive[date] = reactive(date(2000, 1, 1), always_update=False)
    """The selected day."""
    today: reactive[date] = reactive(date(2000, 1, 1))
    """The day to highlight as today."""
    first_weekday: reactive[int] = reactive(0)
    """0 = Monday .. 6 = Sunday in the first column."""
    event_days: reactive[dict[date, int]] = reactive(dict, always_update=True)
    """How many events fall on each shown day."""

    def take_counts(self, counts: dict[date, int]) -> None:
        """New day counts: painted only when a day's mark changes (none, one, several);
        the same marks take the counts without a repaint (the rest of a window read at a
        glance came as a frame 70 ms after the first, the same screen, and a start's screen
        settled that much later)."""

        def marks(days: dict[date, int]) -> dict[date, int]:
            return {day: min(count, 2) for day, count in days.items() if count}

        if marks(counts) == marks(self.event_days):
            self.set_reactive(MonthGrid.event_days, counts)
        else:
            self.event_days = counts

    week_numbers: reactive[bool] = reactive(False, layout=True)
    """Show the ISO week number before each week (config `week_numbers`)."""

    @dataclass
    class DayChanged(Message):
        """The cursor moved to another day."""

        grid: MonthGrid
        day: date

        @property
        def control(self) -> MonthGrid:
            """The grid that moved."""
            return self.grid

    @dataclass
    class OpenRequested(Message):
        """Enter on a day: open its selected event."""

        grid: MonthGrid
        day: date

        @property
        def control(self) -> MonthGrid:
            """The grid."""
            return self.grid

    def __init__(self, cursor: date, today: date, first_weekday: int = 0, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(MonthGrid.cursor, cursor)
        self.set_reactive(MonthGrid.today, today)
        self.set_reactive(MonthGrid.first_weekday, first_weekday)

    def watch_cursor(self, day: date) -> None:
        self.post_message(self.DayChanged(self, day))

    def action_move(self, days: int) -> None:
        """Move the cursor by `days`."""
        try:
            self.cursor = self.cursor + timedelta(days=days)
        except OverflowError:
            self.app.bell()

    def action_open(self) -> None:
        """Ask to open the selected day's event."""
        self.post_message(self.OpenRequested(self, self.cursor))

    def get_content_width(self, container: object, viewport: object) -> int:
        return CELL * 7 + self._gutter

    @property
    def _gutter(self) -> int:
        return WEEK_GUTTER if self.week_numbers else 0

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 8

    def render(self) -> Text:
        pieces, title_style = self._pieces()
        text = Text(style=title_style, end="\n")
        for number, line in enumerate(pieces):
            if number:
                text.append("\n")
            for piece, style in line:
                text.append(piece, style=style)
        return text

    def _pieces(self) -> tuple[list[list[tuple[str, RichStyle | None]]], RichStyle]:
        """The grid's lines as (text, style) pieces (None: the grid's own style), and the
        style under all of them (the title's)."""
        # Kept between paints (KeepsComponentStyles).
        title_style = self.get_component_rich_style("month-grid--title")
        weekday_style = self.get_component_rich_style("month-grid--weekday")
        other_style = self.get_component_rich_style("month-grid--other-month")
        marked_style = self.get_component_rich_style("month-grid--has-events")
        today_style = self.get_component_rich_style("month-grid--today")
        cursor_style = self.get_component_rich_style("month-grid--cursor")
        # Each read once (a reactive's read is a lookup of its own, 42 cells x 4 of them).
        cursor, today, event_days = self.cursor, self.today, self.event_days
        first_weekday, focused = self.first_weekday, self.has_focus
        heading = f"{MONTH_NAMES[cursor.month - 1]} {cursor.year}"
        gutter = self._gutter
        lines: list[list[tuple[str, RichStyle | None]]] = [
            [(" " * gutter + heading.center(CELL * 7), None)]
        ]
        names = [WEEKDAY_NAMES[(first_weekday + i) % 7] for i in range(7)]
        line: list[tuple[str, RichStyle | None]] = []
        if gutter:
            line.append(("Wk".ljust(gutter), weekday_style))
        line.append(("".join(f"{name:^{CELL}}" for name in names), weekday_style))
        lines.append(line)
        start, _ = grid_window(cursor, first_weekday)
        monday_column = (0 - first_weekday) % 7
        for week in range(6):
            line = []
            if gutter:
                monday = start + timedelta(days=week * 7 + monday_column)
                line.append((f"{monday.isocalendar().week:>2}".ljust(gutter), weekday_style))
            for column in range(7):
                day = start + timedelta(days=week * 7 + column)
                count = event_days.get(day, 0)
                marker = "•" if count == 1 else ("◆" if count > 1 else " ")
                cell = f"{day.day:>3}{marker} "
                style = other_style if day.month != cursor.month else None
                if count:
                    style = marked_style + style if style else marked_style
                if day == today:
                    style = today_style
                if day == cursor:
                    style = cursor_style if focused else cursor_style + other_style
                if style is None and line and line[-1][1] is None:
                    line[-1] = (line[-1][0] + cell, None)  # one piece, as the Text had it
                else:
                    line.append((cell, style))
            lines.append(line)
        return lines, title_style

    def _render_content(self) -> None:
        # Painted straight from the grid's pieces: Textual's general path (the text made
        # Content, wrapped and formatted to the width) cost ten times the text itself,
        # on every day the cursor moves (2.4 of 2.7 ms); a Text made and split into its
        # lines was still most of the rest (1.5 ms of a week change at 100k, issue 24).
        width, height = self.size
        base = self.visual_style.rich_style
        pieces, title_style = self._pieces()
        under = base + title_style
        strips = []
        for y, line in enumerate(pieces[:height]):
            segments = [Segment(piece, under + style if style else under) for piece, style in line]
            strips.append(Strip(segments).crop_extend(0, width, base).apply_offsets(0, y))
        self._render_cache = _RenderCache(self.size, strips)
        self._dirty_regions.clear()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
