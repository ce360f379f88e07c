"""CursorView: a list drawn a line at a time, a heading kept on line 0, and a row cursor."""

from __future__ import annotations

from rich.style import Style as RichStyle
from rich.text import Text
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.frames import KeepsComponentStyles, text_segments


class CursorView(KeepsComponentStyles, ScrollView, can_focus=True):
    """The moving, scrolling and drawing the guest list and the record lists share.

    Subclasses say how many rows there are (`row_count`), draw them (`render_line`, line 0
    being the heading) and hear of moves (`cursor_moved`).
    """

    cursor: reactive[int] = reactive(0, init=False)
    """Index of the highlighted row."""

    @property
    def row_count(self) -> int:
        """How many rows the list has."""
        return 0

    def cursor_moved(self) -> None:
        """Called after the cursor moved (post a message, read a page)."""

    def watch_cursor(self) -> None:
        self._keep_cursor_visible()
        self.refresh()
        self.cursor_moved()

    def on_resize(self) -> None:
        self.resize_rows()

    def resize_rows(self) -> None:
        """Make the scrollable height fit the rows (plus the heading) and keep the cursor seen."""
        self.virtual_size = Size(0, self.row_count + 1)
        self._keep_cursor_visible()

    def place_cursor(self, index: int) -> None:
        """Put the cursor at `index` without a move being reported (after new content)."""
        self.set_reactive(CursorView.cursor, max(0, index))
        self.resize_rows()
        self.refresh()

    def _keep_cursor_visible(self) -> None:
        visible = max(1, self.size.height - 1)
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def row_index(self, y: int) -> int:
        """The row drawn on screen line `y` (line 0 is the heading)."""
        return y - 1 + round(self.scroll_offset.y)

    _painting: tuple[int, RichStyle] | None = None
    """The line width and base style while lines are rendered (see render_lines)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this paint shares is read once: the style is worked out
        # from the widget and each of its ancestors, and was a third of painting the
        # guest list's 21 lines (issue 24).
        self._painting = (self.scrollable_content_region.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._painting = None

    @property
    def line_width(self) -> int:
        """The cells a line has: the width but the vertical scroll bar's (a line as wide
        as the list lost its last cell under the bar: "waitliste")."""
        painting = self._painting
        return self.scrollable_content_region.width if painting is None else painting[0]

    @property
    def base_style(self) -> RichStyle:
        """The widget's style, under each line's own."""
        painting = self._painting
        return self.rich_style if painting is None else painting[1]

    def strip(self, text: Text, component: str | None = None) -> Strip:
        """One screen line: `text` cut or padded to the width, in a component's style."""
        base = self.base_style
        if component is not None:
            base = base + self.get_component_rich_style(component)
        segments = text_segments(text, self.app.console, base)
        return Strip(segments).adjust_cell_length(self.line_width, base)

    def move_to(self, index: int) -> None:
        """Move the cursor to `index`, kept within the rows."""
        if self.row_count:
            self.cursor = max(0, min(index, self.row_count - 1))

    def action_move(self, step: int) -> None:
        """Move by `step` rows."""
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        """Move by a screen of rows."""
        self.move_to(self.cursor + step * max(1, self.size.height - 2))

    def action_first(self) -> None:
        """The first row."""
        self.move_to(0)

    def action_last(self) -> None:
        """The last row."""
        self.move_to(self.row_count - 1)
