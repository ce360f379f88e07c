"""GuestTable: the guest-list lines, drawn a screen at a time so 2,000 lines stay instant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.actions import SkipAction
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from tui.domain.models import GuestLine
from tui.domain.text import clean_line
from tui.widgets.cursor_view import CursorView
from tui.widgets.frames import cut_line, fit_cells

MARK = "●"


@dataclass(frozen=True)
class Column:
    """One column: its heading, the sort key it stands for, and its width."""

    key: str
    heading: str
    width: int


def needs_flags(line: GuestLine) -> str:
    """The needs of a guest in a few letters: D dietary, A access, I interpretation, +n."""
    invitation = line.invitation
    flags = [
        letter
        for letter, value in (
            ("D", invitation.dietary),
            ("A", invitation.access_needs),
            ("I", invitation.interpretation),
        )
        if value
    ]
    if invitation.plus_ones:
        flags.append(f"+{invitation.plus_ones}")
    return " ".join(flags)


def replied(line: GuestLine) -> str:
    """When and how the reply came: "12 Nov phone"."""
    invitation = line.invitation
    if invitation.responded_on is None:
        return ""
    day = f"{invitation.responded_on.day} {invitation.responded_on.strftime('%b')}"
    return f"{day} {invitation.response_via}" if invitation.response_via else day


def layout(
    width: int, wanted: tuple[int, int] | None = None, replied: int | None = None
) -> list[Column]:
    """The columns that fit in `width`, name and organisation sharing what is left:
    given `wanted`, the longest name and organisation of the lines shown, each column as
    wide as its longest where both fit, the room over shared; else neither cut below 2/5.
    Given `replied`, the longest reply shown: the Replied column no wider than that (its
    heading's width when no line has a reply), its room left to the names."""
    fixed = [Column("status", "Status", 10)]
    if width >= 56:
        fixed.append(Column("role", "Role", 11))
    if width >= 68:
        # "18 Nov in person" whole where there is room (it was cut at "in pers…").
        most = 17 if width >= 100 else 16 if width >= 74 else 15
        if replied is not None:
            most = max(len("Replied"), min(most, replied))
        fixed.append(Column("replied", "Replied", most))
    if width >= 44:
        fixed.append(Column("needs", "Needs", 7))
    # One cell for the mark, one space before every column.
    rest = max(8, width - 1 - sum(c.width for c in fixed) - len(fixed) - 2)
    if width >= 50:
        name_width = max(8, rest * 3 // 5)
        if wanted is not None:
            name, organisation = wanted
            if name + organisation <= rest:
                name_width = name + (rest - name - organisation) // 2
            else:  # a long organisation takes the room a short name leaves
                floor = rest * 2 // 5
                name_width = max(floor, min(name, rest - floor), rest - organisation)
            name_width = max(8, min(name_width, rest - 8))
        columns = [
            Column("name", "Name", name_width),
            Column("organisation", "Organisation", rest - name_width),
        ]
    else:
        columns = [Column("name", "Name", rest + 1)]
    return [columns[0], *columns[1:], *fixed]


def cell(line: GuestLine, key: str) -> str:
    """The text of one cell, cleaned of anything that could drive the terminal."""
    invitation = line.invitation
    value = {
        "name": line.name,
        "organisation": line.organisation or "",
        "status": invitation.status,
        "role": invitation.role,
        "replied": replied(line),
        "needs": needs_flags(line),
    }[key]
    return clean_line(value)


class GuestTable(CursorView):
    """The lines of one guest list: a cursor, marks, and a heading that stays in place."""

    COMPONENT_CLASSES = {
        "guest-table--header",
        "guest-table--cursor",
        "guest-table--marked",
        "guest-table--status-accepted",
        "guest-table--status-declined",
        "guest-table--status-tentative",
        "guest-table--status-waitlisted",
        "guest-table--status-pending",
        "guest-table--status-other",
    }

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", id="guests.up", tooltip="Previous guest", show=False),
        Binding("down,j", "move(1)", "Down", id="guests.down", tooltip="Next guest", show=False),
        Binding(
            "pageup", "page(-1)", "Page up", id="guests.page_up", tooltip="A page up", show=False
        ),
        Binding(
            "pagedown",
            "page(1)",
            "Page down",
            id="guests.page_down",
            tooltip="A page down",
            show=False,
        ),
        Binding("home", "first", "First", id="guests.first", tooltip="First guest", show=False),
        Binding("end", "last", "Last", id="guests.last", tooltip="Last guest", show=False),
        Binding(
            "space",
            "toggle_mark",
            "Mark",
            id="guests.mark",
            tooltip="Mark or unmark this guest and move down",
        ),
        Binding(
            "shift+down",
            "mark_down",
            "Mark down",
            id="guests.mark_down",
            tooltip="Mark this guest and the next",
            show=False,
        ),
        Binding(
            "shift+up",
            "mark_up",
            "Mark up",
            id="guests.mark_up",
            tooltip="Mark this guest and the previous",
            show=False,
        ),
        Binding(
            "ctrl+a",
            "mark_all",
            "Mark all",
            id="guests.mark_all",
            tooltip="Mark every guest the filter shows (again: unmark all)",
            show=False,
        ),
        Binding(
            "escape",
            "clear_marks",
            "Unmark",
            id="guests.clear_marks",
            tooltip="Unmark every guest",
            show=False,
        ),
    ]
    """
    | key | does |
    |---|---|
    | up/k, down/j, pageup, pagedown, home, end | move |
    | space | mark this guest and move down |
    | shift+up, shift+down | mark while moving |
    | ctrl+a | mark all shown (again: unmark all) |
    | escape | unmark all |
    """

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a line (None: no lines)."""

        table: GuestTable
        line: GuestLine | None

        @property
        def control(self) -> GuestTable:
            """The table that sent it."""
            return self.table

    @dataclass
    class MarksChanged(Message):
        """The set of marked lines changed."""

        table: GuestTable
        count: int

        @property
        def control(self) -> GuestTable:
            """The table that sent it."""
            return self.table

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines: list[GuestLine] = []
        """The lines shown, in order."""
        self.marked: set[int] = set()
        """Invitation ids of the marked lines (kept across filtering)."""
        self._wanted: tuple[int, int] | None = None
        self._replied: int | None = None
        """The longest reply of the lines shown (see layout)."""
        """The longest name and organisation shown, in cells (see layout)."""
        self.sort_column = "name"
        """The column the lines are sorted by (shown in the heading)."""
        self.sort_reverse = False

    # -- content ----------------------------------------------------------------------

    def show_lines(self, lines: Sequence[GuestLine]) -> None:
        """Show these lines, keeping the cursor on the same guest when they are still there."""
        current = self.current_line
        self.lines = list(lines)
        self._wanted = (
            max((cell_len(cell(line, "name")) + 1 for line in self.lines), default=0),
            max((cell_len(cell(line, "organisation")) + 1 for line in self.lines), default=0),
        )
        self._replied = max((cell_len(cell(line, "replied")) for line in self.lines), default=0)
        index = min(self.cursor, max(0, len(self.lines) - 1))
        if current is not None:
            index = next((n for n, ln in enumerate(self.lines) if ln.id == current.id), index)
        self.place_cursor(index)
        self.post_message(self.Highlighted(self, self.current_line))

    def forget_marks(self, keep: set[int] | None = None) -> None:
        """Unmark every line (or every line not in `keep`)."""
        marked = set() if keep is None else self.marked & keep
        if marked == self.marked:
            # Nothing was marked (a new event's list, every key in the calendar): the
            # guest pane's head was drawn a second time for the same marks (issue 24).
            return
        self.marked = marked
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self.marked)))

    @property
    def current_line(self) -> GuestLine | None:
        """The highlighted line."""
        if 0 <= self.cursor < len(self.lines):
            return self.lines[self.cursor]
        return None

    def chosen_ids(self) -> list[int]:
        """The marked lines' ids, or the highlighted line's when none are marked."""
        if self.marked:
            return [line.id for line in self.lines if line.id in self.marked] + sorted(
                self.marked - {line.id for line in self.lines}
            )
        line = self.current_line
        return [line.id] if line is not None else []

    # -- drawing ----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many lines are shown."""
        return len(self.lines)

    def render_line(self, y: int) -> Strip:
        width = self.line_width
        columns = layout(width, self._wanted, self._replied)
        if y == 0:
            if not self.lines:
                return Strip.blank(width, self.base_style)
            return self.strip(self._heading(columns), "guest-table--header")
        index = self.row_index(y)
        if not 0 <= index < len(self.lines):
            return Strip.blank(width, self.base_style)
        line = self.lines[index]
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(MARK if line.id in self.marked else " ", self._style("guest-table--marked"))
        for column in columns:
            value = cell(line, column.key)
            style = self._status_style(line.invitation.status) if column.key == "status" else None
            text.append(" ")
            text.append(_fit(value, column.width), style)
        component = "guest-table--cursor" if index == self.cursor and self.has_focus else None
        if index == self.cursor and not self.has_focus:
            component = "guest-table--marked"
        return self.strip(text, component)

    def _heading(self, columns: list[Column]) -> Text:
        text = Text(" ", no_wrap=True, end="")
        for column in columns:
            heading = column.heading
            if column.key == self.sort_column:
                heading += " ▼" if self.sort_reverse else " ▲"
            text.append(" ")
            text.append(_fit(heading, column.width))
        return text

    def _style(self, component: str) -> Style:
        return self.get_component_rich_style(component, partial=True)

    def _status_style(self, status: str) -> Style:
        if status in ("accepted", "attended"):
            return self._style("guest-table--status-accepted")
        if status in ("to-invite", "invited"):
            return self._style("guest-table--status-pending")
        if status in ("declined", "tentative", "waitlisted"):
            return self._style(f"guest-table--status-{status}")
        return self._style("guest-table--status-other")

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- moving -----------------------------------------------------------------------

    def cursor_moved(self) -> None:
        self.post_message(self.Highlighted(self, self.current_line))

    # -- marking ----------------------------------------------------------------------

    def _set_mark(self, line: GuestLine, marked: bool) -> None:
        if marked:
            self.marked.add(line.id)
        else:
            self.marked.discard(line.id)

    def action_toggle_mark(self) -> None:
        """Mark or unmark the highlighted guest, then move down."""
        line = self.current_line
        if line is None:
            return
        self._set_mark(line, line.id not in self.marked)
        self.post_message(self.MarksChanged(self, len(self.marked)))
        self.refresh()
        self.move_to(self.cursor + 1)

    def action_mark_down(self) -> None:
        """Mark the highlighted guest and the next one."""
        self._mark_and_move(1)

    def action_mark_up(self) -> None:
        """Mark the highlighted guest and the previous one."""
        self._mark_and_move(-1)

    def _mark_and_move(self, step: int) -> None:
        line = self.current_line
        if line is None:
            return
        self._set_mark(line, True)
        self.move_to(self.cursor + step)
        moved_to = self.current_line
        if moved_to is not None:
            self._set_mark(moved_to, True)
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self.marked)))

    def action_mark_all(self) -> None:
        """Mark every guest shown; when they all are already, unmark them."""
        shown = {line.id for line in self.lines}
        if shown and shown <= self.marked:
            self.marked -= shown
        else:
            self.marked |= shown
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self.marked)))

    def action_clear_marks(self) -> None:
        """Unmark every guest (with none marked, escape goes on to the pane)."""
        if not self.marked:
            raise SkipAction()
        self.forget_marks()


def _fit(value: str, width: int) -> str:
    """`value` cut to `width` cells with an ellipsis, padded to exactly `width`."""
    fitted = fit_cells(value, width)  # without a Text made for each cell of each row
    if fitted is not None:
        return fitted
    text = Text(value)
    cut_line(text, width)
    return text.plain
