"""The realistic floor of the benchmark: Textual + sqlite3 + three bordered panes.

    python bench/floor_three_panes.py DB [YYYY-MM-DD]

It shows what Convener's main screen shows at its least: the agenda of the week of the day
(default: CONVENER_TODAY, else today), the guest list of the week's first event and that
event's details, each in a bordered pane, read straight from the same SQLite file with
plain sqlite3 queries before the first frame. bench/run.py times it to "all panes with
data" exactly as it times Convener; no Convener code is imported.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import date, timedelta
from typing import NoReturn

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

CSS = """
Horizontal { height: 1fr; }
.pane { border: round $accent; width: 1fr; height: 1fr; overflow: hidden; }
"""


def _week(db: sqlite3.Connection, day: date) -> tuple[str, str, str]:
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    rows = db.execute(
        "select id, title, start_date, start_time from events where deleted_at is null"
        " and start_date <= ? and end_date >= ? order by start_date, start_time is not null,"
        " start_time, title",
        (sunday.isoformat(), monday.isoformat()),
    ).fetchall()
    agenda = [f"Week of {monday:%d %b} – {sunday:%d %b %Y}: {len(rows)} events"]
    for _, title, start, time in rows:
        shown = date.fromisoformat(start)
        agenda.append(f"{shown:%a %d %b}  {time or 'all day':<7}  {title}")
    if not rows:
        return "\n".join(agenda), "No event", "No event"
    first = rows[0][0]
    guests = db.execute(
        "select p.name, i.status from invitations i join people p on p.id = i.person_id"
        " where i.event_id = ? and i.deleted_at is null order by p.name_key",
        (first,),
    ).fetchall()
    guest_lines = [f"Guests ({len(guests)})", "  Name                    Status"]
    guest_lines += [f"  {name:<24.24}{status}" for name, status in guests]
    event = db.execute(
        "select title, kind, status, access, start_date, end_date, location, program_area,"
        " description from events where id = ?",
        (first,),
    ).fetchone()
    title, kind, status, access, start, end, location, area, description = event
    details = [
        f"Event #{first}",
        title,
        f"{kind} · {status} · {access}",
        "",
        "When",
        f"{start} – {end}",
        "Where",
        location or "",
        "Program",
        area or "",
        "",
        description or "",
    ]
    return "\n".join(agenda), "\n".join(guest_lines), "\n".join(details)


class ThreePanes(App[None]):
    CSS = CSS

    def __init__(self, db_path: str, day: date) -> None:
        super().__init__()
        self.db_path = db_path
        self.day = day

    def compose(self) -> ComposeResult:
        db = sqlite3.connect(self.db_path)
        try:
            agenda, guests, details = _week(db, self.day)
        finally:
            db.close()
        with Horizontal():
            for title, text in (("Calendar", agenda), ("Guests", guests), ("Event", details)):
                pane = Static(text, markup=False, classes="pane")
                pane.border_title = title
                yield pane


def _refuse(text: str) -> NoReturn:
    """One line on stderr and exit status 2, as Convener's own command line does."""
    print(text, file=sys.stderr)
    raise SystemExit(2)


def main() -> None:
    if len(sys.argv) < 2:
        _refuse(f"usage: {__doc__.split(chr(10) * 2)[1].strip()}")
    given = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("CONVENER_TODAY", "")
    try:
        day = date.fromisoformat(given) if given else date.today()
    except ValueError:
        _refuse(f"{given[:40]!r} is not a date (YYYY-MM-DD)")
    if not os.path.isfile(sys.argv[1]):
        _refuse(f"{sys.argv[1][:200]}: no such database")
    ThreePanes(sys.argv[1], day).run()


if __name__ == "__main__":
    main()
