"""RecordTable: a list of any length, read a page at a time as it scrolls into view."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from tui.context import UsesConvener
from tui.domain.listing import COLUMNS, ListQuery, ListRow, list_rows
from tui.domain.text import clean_line
from tui.widgets.cursor_view import CursorView
from tui.widgets.frames import cut_line
from tui.worker_errors import ReportsWorkerErrors

PAGE = 200
"""Rows read at a time."""


class RecordTable(UsesConvener, ReportsWorkerErrors, CursorView):
    """Rows of people, organisations or publications; only the pages on screen are read."""

    COMPONENT_CLASSES = {"record-table--header", "record-table--cursor"}

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", id="records.up", tooltip="Previous record", show=False),
        Binding("down,j", "move(1)", "Down", id="records.down", tooltip="Next record", show=False),
        Binding(
            "pageup", "page(-1)", "Page up", id="records.page_up", tooltip="A page up", show=False
        ),
        Binding(
            "pagedown",
            "page(1)",
            "Page down",
            id="records.page_down",
            tooltip="A page down",
            show=False,
        ),
        Binding("home", "first", "First", id="records.first", tooltip="First record", show=False),
        Binding("end", "last", "Last", id="records.last", tooltip="Last record", show=False),
    ]
    """
    | key | does |
    |---|---|
    | up/k, down/j, pageup, pagedown, home, end | move |
    """

    @dataclass
    class Highlighted(Message):
        """The cursor is on a row (None: the list is empty)."""

        table: RecordTable
        row: ListRow | None

        @property
        def control(self) -> RecordTable:
            """The table that sent it."""
            return self.table

    @dataclass
    class PageLoaded(Message):
        """Rows read off the UI thread."""

        query: ListQuery
        offset: int
        rows: list[ListRow]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.shown: ListQuery | None = None
        self.pages: dict[int, list[ListRow]] = {}
        self._asked: set[int] = set()

    def show_query(self, query: ListQuery, at: int = 0) -> None:
        """Show the records a query matches, the cursor on row `at` (the top: 0)."""
        self.shown = query
        self.pages = {}
        self._asked = set()
        at = max(0, min(at, query.total - 1))
        top = round(self.scroll_offset.y)
        self.place_cursor(at)
        if at == 0:
            self.scroll_to(y=0, animate=False, immediate=True)
        elif not top <= at < top + max(1, self.size.height - 1):
            self._keep_cursor_visible()
        self._ask(at // PAGE)
        self.post_message(self.Highlighted(self, self.row_at(at)))

    def row_at(self, index: int) -> ListRow | None:
        """The row at `index` when its page has been read."""
        page = self.pages.get(index // PAGE)
        if page is None or index % PAGE >= len(page):
            return None
        return page[index % PAGE]

    @property
    def current_row(self) -> ListRow | None:
        """The highlighted row."""
        return self.row_at(self.cursor)

    def _ask(self, page: int) -> None:
        if page in self.pages or page in self._asked or self.shown is None:
            return
        self._asked.add(page)
        self.read_page(self.shown, page)

    @work(thread=True, exit_on_error=False, group="records-page")
    def read_page(self, query: ListQuery, page: int) -> None:
        """Read one page of rows off the UI thread."""
        rows = list_rows(self.convener.planner, query, page * PAGE, PAGE)
        self.post_message(self.PageLoaded(query, page, rows))

    def on_record_table_page_loaded(self, message: PageLoaded) -> None:
        if message.query is not self.shown:
            return
        self.pages[message.offset] = message.rows
        self.refresh()
        if message.offset == self.cursor // PAGE:
            self.post_message(self.Highlighted(self, self.current_row))

    def render_line(self, y: int) -> Strip:
        width = self.line_width
        query = self.shown
        if query is None:
            return Strip.blank(width, self.base_style)
        widths = _widths(len(COLUMNS[query.kind]), width)
        if y == 0:
            cells = COLUMNS[query.kind]
            return self.strip(_line(cells, widths), "record-table--header")
        index = self.row_index(y)
        if index >= query.total:
            return Strip.blank(width, self.base_style)
        row = self.row_at(index)
        if row is None:
            self._ask(index // PAGE)
            text = Text("…", style="dim")
        else:
            text = _line(row.cells, widths)
        cursor = index == self.cursor
        return self.strip(text, "record-table--cursor" if cursor else None)

    @property
    def row_count(self) -> int:
        """How many records the query matches."""
        return self.shown.total if self.shown is not None else 0

    def cursor_moved(self) -> None:
        self._ask(self.cursor // PAGE)
        self.post_message(self.Highlighted(self, self.current_row))


def _widths(count: int, width: int) -> list[int]:
    """The first column takes two shares, the others one each."""
    available = max(count, width - count)
    share = available // (count + 1)
    return [available - share * (count - 1), *([share] * (count - 1))]


def _line(cells: tuple[str, ...], widths: list[int]) -> Text:
    text = Text(no_wrap=True, end="")
    for cell, width in zip(cells, widths, strict=False):
        piece = Text(clean_line(cell))
        cut_line(piece, width)
        text.append(" ")
        text.append_text(piece)
    return text
