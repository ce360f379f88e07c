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
from collections.abc import Iterator

from rich.cells import cell_len
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
        parts ("database · version · 2 tasks overdue · outbox: 1 waiting · sync: ...")
        give way in steps (see NARROWER) while it does not fit: the version first, then
        the database's path is shortened from the left ("…/b.db"; at 80 columns with a
        sync conflict it was dropped whole), the sync's state is said in fewer words and
        what is due this week goes; what is overdue and the outbox stay longest."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        text = app.format_title(title, sub_title)
        for parts in _narrower(sub_title.split(" · ")):
            text = app.format_title(title, " · ".join(parts))
            over = text.rstrip().cell_length - width
            if over <= 0:
                break
            if any(_keep_rank(p) == 0 for p in parts):
                continue  # the version goes before the database's path is shortened
            database = next((i for i, p in enumerate(parts) if _keep_rank(p) == 1), None)
            if database is None or cell_len(parts[database]) <= _shortest(parts[database]):
                continue
            shortened = list(parts)
            shortened[database] = _shorter(parts[database], cell_len(parts[database]) - over)
            text = app.format_title(title, " · ".join(shortened))
            if text.rstrip().cell_length <= width:
                break
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
    """What a sub-title part is: the version (0), the database (1), the outbox (2), what
    is due this week (3), the sync's state (4), what is overdue (5). The order they give
    way in is NARROWER's."""
    if _VERSION.fullmatch(part):
        return 0
    if part.startswith("outbox:"):
        return 2
    if "overdue" in part:
        return 5
    if part.startswith("sync:"):
        return 4
    if "due" in part:
        return 3
    return 1


MIN_DATABASE = 8
"""Cells the database's name keeps while anything else can give way ("…ener.db"), or
fewer when its file's name is short ("…/b.db")."""


FULL, WITHOUT_TIME, IN_SHORT, SHORTEST = range(4)
"""How much of the sync's state is said: all of it; without when it last synced; in
fewer words ("93 to send"; the outbox without another database's count too); its one
most pressing part ("failed 10:45", "1 changed elsewhere", "93 to send")."""

NARROWER: tuple[tuple[frozenset[int], int], ...] = (
    (frozenset(), FULL),
    (frozenset({0}), FULL),
    (frozenset({0}), WITHOUT_TIME),
    (frozenset({0}), IN_SHORT),
    (frozenset({0, 3}), WITHOUT_TIME),
    (frozenset({0, 3}), IN_SHORT),
    (frozenset({0, 3}), SHORTEST),
    (frozenset({0, 1, 3}), WITHOUT_TIME),
    (frozenset({0, 1, 3}), IN_SHORT),
    (frozenset({0, 1, 3}), SHORTEST),
    (frozenset({0, 3, 4}), SHORTEST),
    (frozenset({0, 1, 3, 4}), SHORTEST),
    (frozenset({0, 1, 2, 3, 4}), SHORTEST),
    (frozenset({0, 1, 2, 3, 4, 5}), SHORTEST),
)
"""The sub-title narrower and narrower, each (the parts left out by _keep_rank, how
much of the sync's state is said): the version goes; the sync's state is said in fewer
and fewer words; what is due this week goes; the database; the sync's state; the outbox.
What is overdue stays longest. The outbox outlasts the sync's state: an invitation not
sent matters more than changes not shared (at 80 columns "outbox: 1 waiting" went while
"sync: 43 changes wait" stayed). The database's path is shortened on the way (see
fitted_title)."""


def _narrower(parts: list[str]) -> Iterator[list[str]]:
    """The sub-title's parts at each step of NARROWER (those that leave something)."""
    shown: list[list[str]] = []
    for left_out, sync_words in NARROWER:
        narrower = [_said(p, sync_words) for p in parts if _keep_rank(p) not in left_out]
        if narrower and narrower not in shown:
            shown.append(narrower)
            yield narrower


def _said(part: str, sync_words: int) -> str:
    """A part as said at a step: the sync's state (and the outbox) in fewer words."""
    rank = _keep_rank(part)
    if rank == 2 and sync_words >= IN_SHORT:
        return _outbox_in_short(part)
    if rank != 4 or sync_words == FULL:
        return part
    said = [p for p in part.removeprefix("sync: ").split("; ")]
    if len(said) > 1:
        said = [p for p in said if not p.startswith(("synced ", "never synced"))]
    if sync_words >= IN_SHORT:
        said = [re.sub(r"^(\d+) changes? waits?$", r"\1 to send", p) for p in said]
    if sync_words == SHORTEST:
        pressing = ("failed", "syncing", "changed elsewhere", "to send")
        said = next(([p] for word in pressing for p in said if word in p), said[:1])
    return "sync: " + "; ".join(said)


def _outbox_in_short(part: str) -> str:
    """The outbox without another database's messages when this one's wait too
    ("outbox: 1 waiting; 2 of another database" -> "outbox: 1 waiting")."""
    return re.sub(r"; \d+ of another database$", "", part)


def _shortest(name: str) -> int:
    """The fewest cells the database's name is shortened to: "…/b.db", at most
    MIN_DATABASE; a name that is not a path ("sample data (demo)") is not shortened."""
    if "/" not in name:
        return cell_len(name)
    return min(cell_len("…/" + name.rsplit("/", 1)[-1]), MIN_DATABASE, cell_len(name))


def _shorter(name: str, cells: int) -> str:
    """The database's name (a path) in at most `cells` cells (never fewer than _shortest),
    its end kept: from a folder on ("…/dbs/b.db"), else its last characters
    ("…nvener.db")."""
    cells = max(cells, _shortest(name))
    if cell_len(name) <= cells:
        return name
    tail = name[-(cells - 1) :]
    while cell_len(tail) > cells - 1:
        tail = tail[1:]
    folder = tail.find("/")
    return "…" + (tail[folder:] if folder >= 0 else tail)
