"""The title bar at the top of every screen, drawn by one widget.

Textual's Header is four widgets (the bar, its icon, its title and the clock's space), and
each widget on the first screen costs its share of mounting, styling, layout and the first
paint: about 4-5 ms each at start (issue 24). This one draws the same line itself: the icon
on the left, the title and sub-title centred between the icon's and the clock's places,
cut with an ellipsis when the window is narrow. A click on the icon opens the command
palette, as Header's does.
"""

from __future__ import annotations

import re

from textual.app import RenderResult
from textual.content import Content
from textual.events import Click
from textual.widget import Widget

_VERSION = re.compile(r"v\d+(\.\d+)*\S*")
"""The app's version in the sub-title ("v0.1.0")."""
ICON = "⭘"
ICON_WIDTH = 8
"""Cells of the icon's place: a space, the icon, and room up to the title's (Header's)."""
CLOCK_WIDTH = 10
"""Cells kept free on the right, where Header keeps the clock's place."""


class AppHeader(Widget):
    """One line: the icon, and the screen's (else the app's) title and sub-title."""

    DEFAULT_CSS = """
    AppHeader {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        def retitle() -> None:
            self.refresh()

        for owner in (self.app, self.screen):
            self.watch(owner, "title", retitle, init=False)
            self.watch(owner, "sub_title", retitle, init=False)

    def fitted_title(self, width: int) -> Content:
        """The title and sub-title within `width` cells, as far as they go. The sub-title's
        parts ("database · version · 2 tasks overdue · sync: 3 changes wait") go while it
        does not fit, in the order of _keep_rank: what is due and the sync's state are what
        a narrow window keeps (they were cut off at 80 columns behind the database's
        name)."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        text = app.format_title(title, sub_title)
        parts = sub_title.split(" · ")
        while text.rstrip().cell_length > width and len(parts) > 1:
            parts.remove(min(parts, key=_keep_rank))
            text = app.format_title(title, " · ".join(parts))
        return text

    def render(self) -> RenderResult:
        width = self.size.width
        middle = max(0, width - ICON_WIDTH - CLOCK_WIDTH)
        icon = Content(f" {ICON}").pad_right(max(0, min(width, ICON_WIDTH) - 2))
        if middle == 0:
            return icon
        title = self.fitted_title(middle).rstrip().truncate(middle, ellipsis=True)
        left = (middle - title.cell_length) // 2
        title = title.pad(left, middle - left - title.cell_length)
        return Content.assemble(icon, title, " " * CLOCK_WIDTH)

    async def on_click(self, event: Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")


def _keep_rank(part: str) -> int:
    """How long a sub-title part stays in a narrow title bar (the lowest goes first): the
    version, the database's name, what is due this week, the sync's state, what is
    overdue (at 60 columns "3 tasks overdue" went before "3 due this week")."""
    if _VERSION.fullmatch(part):
        return 0
    if "overdue" in part:
        return 4
    if part.startswith("sync:"):
        return 3
    if "due" in part:
        return 2
    return 1
