"""The app's side of sync: sync now, the header's status, and settling what changed both
here and elsewhere. Called from worker threads; each returns the line the officer reads
(a problem too: one line, never a password or a guest's details)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from tui.config import Settings, is_sealed
from tui.domain.errors import ConvenerError
from tui.domain.sync.engine import NEW_HOME, SyncReport, changes_wait, joined_words
from tui.domain.text import clean_line

if TYPE_CHECKING:
    from tui.domain.planner import Planner

KEEP_MINE = "Keep mine"
TAKE_THEIRS = "Take theirs"
SYNCING = "syncing…"
"""The header's sync state while this app's sync runs."""
DEMO_DOES_NOT_SYNC = (
    "The demo does not sync; outside the demo, set url and user in [sync] of config.toml."
)
"""Said for sync now in the demo: it reads no config.toml, so "set url in [sync]" (what
the app says outside it) would change nothing there."""


def not_here() -> str | None:
    """Why this app does not sync at all (the demo), or None."""
    return DEMO_DOES_NOT_SYNC if is_sealed() else None


def sync_status(planner: Planner, settings: Settings) -> str | None:
    """'3 changes wait; synced 10:42' once sharing is set up, or tried (`convener sync
    --url` that failed: 'failed 10:45; ...'); None before."""
    status = planner.sync_status()
    if settings.sync.url is None and status.endswith("never synced"):
        return status if status.startswith("failed ") else None
    return status


def sync_now(planner: Planner, settings: Settings) -> tuple[str, bool]:
    """One sync; the line to show, and whether it failed."""
    from tui.domain.planner.sync import server_from
    from tui.domain.sync.dav import Unreachable

    try:
        report = planner.sync_with(server_from(settings.sync, dict(os.environ)))
    except Unreachable as error:
        return f"Not synced: {error.message}; {changes_wait(planner.sync_waiting())}", True
    except ConvenerError as error:
        return f"Not synced: {error}", True
    return synced_line(planner, report), False


def synced_line(planner: Planner, report: SyncReport) -> str:
    """The line a sync that reached the server shows."""
    line = f"Synced: {report.pulled} in, {report.pushed} out"
    if report.merged:
        line += f", {report.merged} merged"
    if report.trashed:
        line += f", {report.trashed} to the trash"
    if report.joined:
        line += f"; {joined_words(report.joined)}"
    if report.refused:
        line += f"; {len(report.refused)} left alone (not valid here)"
    if report.conflicts:
        fields = "field" if report.conflicts == 1 else "fields"
        line += f"; {report.conflicts} {fields} changed elsewhere too"
    for deleted in planner.sync_deletion_lines(report.deletions)[:3]:
        line += f"; {deleted}"
    if len(report.deletions) > 3:
        line += f"; and {len(report.deletions) - 3} more deleted on one side"
    if report.conflicts or report.deletions:
        line += " (ctrl+p, Sync: changed elsewhere)"
    if report.new_home:
        line += f"; {NEW_HOME}"
    return line


NAME_LIMIT = 150
"""Characters of a record's title or name in the conflict dialog: whole as a rule
(wrapped), cut at a word with "…" only past this."""


def conflict_choices(planner: Planner) -> dict[str, str]:
    """One line per record with conflicts, its title whole and its date ('Roundtable on
    Subnational Diplomacy and Urban Violence (event, Thu 17 December 2026): title,
    capacity') -> uid."""
    choices: dict[str, str] = {}
    for uid, kind, name, names in planner.sync_conflicted_records():
        label = clean_line(f"{record_words(planner, uid, kind, name)}: {', '.join(names)}")
        while label in choices:
            label += " "
        choices[label] = uid
    return choices


def record_words(planner: Planner, uid: str, kind: str, name: str) -> str:
    """'Roundtable … Violence (event, Thu 17 December 2026)': a record with conflicts as
    the officer knows it (the title cut only past NAME_LIMIT, at a word, with "…")."""
    from tui.domain.dates import format_span
    from tui.domain.sync.engine import any_value

    days = planner.sync_record_days(kind, uid)
    about = f"{kind}, {format_span(*days)}" if days else kind
    return f"{any_value(name, NAME_LIMIT)} ({about})"


def conflict_question(planner: Planner, uid: str) -> str:
    """The record, then 'title: yours "A" · theirs "B"' for each field, one line each
    (values whole, or from shortly before where they differ: see values_apart)."""
    record = next((r for r in planner.sync_conflicted_records() if r[0] == uid), None)
    lines = [
        f"{what}: yours {here} · theirs {there}"
        for _, what, here, there in planner.sync_conflict_lines(uid)
    ]
    if record is not None:
        lines.insert(0, f"{record_words(planner, uid, record[1], record[2])}:")
    return "\n".join(clean_line(line) for line in lines)


def settle(planner: Planner, uid: str, choice: str) -> str:
    """Keep mine or take theirs for every conflict of one record."""
    from tui.domain.planner.sync import WHOLE_RECORD

    keep = "local" if choice == KEEP_MINE else "remote"
    whole = any(what == WHOLE_RECORD for _, what, _, _ in planner.sync_conflict_lines(uid))
    try:
        settled = planner.settle_sync_conflict(uid, keep)
    except ConvenerError as error:
        return f"Not settled: {error}"
    what = "yours kept" if keep == "local" else "theirs taken"
    if whole:  # deleted on one side, edited on the other: the record, not fields
        line = f"Settled: {what}"
    else:
        line = f"Settled {settled} field{'s' if settled != 1 else ''}: {what}"
    return f"{line}; sync to send" if planner.sync_queued(uid) else line
