"""What is typed in a form, kept in edits/ beside the database until the form is saved or
cancelled: an app killed with a form open (kill -9, a lost SSH link, a crash) leaves it,
and the next form on the same record offers it back.

A draft is a small JSON file, `form-event-12-20261207T140500-35936eed.json` (the record,
"new" for one not saved yet; when the form opened, UTC; the database's uid, its first
eight characters, as for tui.edit_files). It is written (replaced whole) a moment after
each change, and locked while its form is open, so that another window on the same
database neither names nor offers it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from tui.domain.patterns import LazyPattern
from tui.edit_files import STAMP, began, in_use

_NAME = LazyPattern(
    r"^form-(?P<kind>[a-z]+)-(?P<id>\d+|new)-(?P<stamp>\d{8}T\d{6})-(?P<db>[0-9a-f]{8})\.json$"
)


def draft_name(kind: str, record_id: int | None, started: datetime, database: str) -> str:
    """'form-event-12-20261207T140500-35936eed.json' (see the module's docstring)."""
    stamp = started.astimezone(UTC).strftime(STAMP)
    return f"form-{kind}-{record_id or 'new'}-{stamp}-{database[:8]}.json"


@dataclass(frozen=True)
class FormDraft:
    """A form's text left in edits/ by an app that stopped with the form open."""

    path: Path
    kind: str
    record_id: int | None
    """None: a record not saved yet (offered by the next new one of its kind)."""
    started: datetime
    """When the form opened (UTC)."""

    def read(self) -> tuple[str, dict[str, str]]:
        """The record's label as the form named it, and the fields' text; ("", {}) when
        the file cannot be read as a draft (it is then named, never used)."""
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return "", {}
        if not isinstance(data, dict):
            return "", {}
        values = data.get("values")
        label = data.get("label")
        if not isinstance(values, dict):
            return "", {}
        fields = {str(k): v for k, v in values.items() if isinstance(v, str)}
        return (label if isinstance(label, str) else ""), fields

    def label(self) -> str:
        """The record as its form named it ("'Policy Dinner'"), else its id or "new"."""
        label, _ = self.read()
        if label:
            return label
        return f"#{self.record_id}" if self.record_id is not None else "not saved yet"

    def when(self, zone: tzinfo) -> str:
        """When the form opened, in the officer's time: 'Mon 7 Dec 14:05'."""
        return began(self.started, zone)


def form_drafts(
    folder: Path, database: str, kind: str | None = None, record_id: int | None = None
) -> list[FormDraft]:
    """The drafts of this database in `folder` (of one record when `kind` is given, its id
    None for a new one), oldest first; a form open now in another window is not one."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found: list[FormDraft] = []
    for name in names:
        parts = _NAME.match(name)
        if parts is None or parts["db"] != database[:8]:
            continue
        own_id = None if parts["id"] == "new" else int(parts["id"])
        if kind is not None and (parts["kind"] != kind or own_id != record_id):
            continue
        path = folder / name
        if in_use(path):
            continue
        started = datetime.strptime(parts["stamp"], STAMP).replace(tzinfo=UTC)
        found.append(FormDraft(path, parts["kind"], own_id, started))
    return sorted(found, key=lambda draft: (draft.started, draft.path.name))


def write_draft(path: Path, label: str, values: dict[str, str]) -> None:
    """Write the draft whole (a file beside it, then renamed over it: a kill in the middle
    leaves the last draft, never half of one). OSError when the folder cannot be written."""
    text = json.dumps({"label": label, "values": values}, ensure_ascii=False, indent=1)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(partial, path)


def drafts_note(drafts: list[FormDraft], zone: tzinfo) -> str | None:
    """One line naming the forms left unsaved (said when the app starts), or None."""
    if not drafts:
        return None
    named = []
    for draft in drafts[-3:]:
        key = "e on it" if draft.record_id is not None else "n"
        named.append(f"{draft.kind} {draft.label()} from {draft.when(zone)} ({key} offers it back)")
    if len(drafts) > 3:
        named.insert(0, f"{len(drafts) - 3} older")
    forms = "A form" if len(drafts) == 1 else "Forms"
    return f"{forms} left unsaved when the app stopped: " + "; ".join(named) + "."
