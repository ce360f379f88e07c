"""A guest list as CSV: text -> checked rows (pure), then rows -> one event's invitations."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tui.domain import validate
from tui.domain.errors import ConvenerError, InvalidInput
from tui.domain.importers.report import (
    ImportReport,
    changed_fields,
    differs,
    save_if_changed,
)
from tui.domain.models import Invitation, Organisation, Person
from tui.domain.text import fold

if TYPE_CHECKING:
    from tui.domain.service import Planner

COLUMNS = (
    "name",
    "email",
    "organisation",
    "role",
    "status",
    "invited_on",
    "responded_on",
    "response_via",
    "plus_ones",
    "dietary",
    "access_needs",
    "interpretation",
    "travel",
    "notes",
)
"""Every column we read and write, in the order the export writes them."""

_ALIASES = {
    "organization": "organisation",
    "org": "organisation",
    "affiliation": "organisation",
    "e_mail": "email",
    "access": "access_needs",
    "diet": "dietary",
    "replied_on": "responded_on",
    "reply_via": "response_via",
    "plus_one": "plus_ones",
}
_PERSON_COLUMNS = {"name", "email", "organisation"}
UNSAFE_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Cells starting with these run as formulas in spreadsheets; the export prefixes a quote."""


def header_key(text: str) -> str:
    """A header cell as a column name: case, spaces and hyphens do not matter."""
    key = "_".join(text.strip().casefold().replace("-", " ").replace("_", " ").split())
    return _ALIASES.get(key, key)


def unguard(cell: str) -> str:
    """Undo the export's spreadsheet guard: "'=x" -> "=x"."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in UNSAFE_STARTS:
        return cell[1:]
    return cell


@dataclass(frozen=True)
class GuestRow:
    """One checked line of the file."""

    line: int
    name: str
    email: str | None
    organisation: str | None
    fields: dict[str, Any]
    """Invitation fields from the columns the file has (absent columns keep their value)."""


def parse_guests_csv(text: str, *, day_first: bool = True) -> tuple[list[GuestRow], list[str]]:
    """Checked rows and the columns ignored; InvalidInput names the line at fault."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise InvalidInput(
                "is empty: expected a header line (name, email, status, ...)", line=1
            )
        keys = [header_key(cell) for cell in header]
        if "name" not in keys and "email" not in keys:
            for separator, label in ((";", "semicolons"), ("\t", "tabs")):
                if separator in header[0]:
                    raise InvalidInput(
                        f"columns are separated by {label}; save the file as comma-separated CSV",
                        line=1,
                    )
            raise InvalidInput("has no name or email column in its header line", line=1)
        duplicated = sorted({k for k in keys if k and keys.count(k) > 1})
        if duplicated:
            raise InvalidInput(f"has the column {duplicated[0]!r} twice", line=1)
        ignored = [
            cell.strip() for cell, key in zip(header, keys, strict=True) if key not in COLUMNS
        ]
        rows: list[GuestRow] = []
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(keys):
                raise InvalidInput(
                    f"has {len(cells)} cells but the header names {len(keys)} columns", line=line
                )
            rows.append(_row(keys, [unguard(c) for c in cells], line, day_first))
    except csv.Error as error:
        raise InvalidInput(f"is not valid CSV ({error})", line=reader.line_num or 1) from None
    return rows, [f"column {name!r} (not a guest-list column)" for name in ignored if name]


def _row(keys: list[str], cells: list[str], line: int, day_first: bool) -> GuestRow:
    values = {k: v for k, v in zip(keys, cells, strict=False) if k in COLUMNS}
    try:
        email = validate.text(values.get("email"), "email")
        name = validate.text(values.get("name"), "name")
        if name is None:
            if email is None:
                raise InvalidInput("has neither a name nor an email")
            name = email
        present = {k: v for k, v in values.items() if k not in _PERSON_COLUMNS}
        checked = validate.invitation_fields(present, day_first=day_first)
        if "status" in present and not present["status"].strip():
            raise InvalidInput("has an empty status")
        return GuestRow(
            line=line,
            name=name,
            email=email,
            organisation=validate.text(values.get("organisation"), "organisation"),
            fields={k: checked[k] for k in present},
        )
    except ConvenerError as error:
        raise InvalidInput(error.message, line=line, value=error.value) from None


def write_guests(
    planner: Planner, event_id: int, rows: list[GuestRow], report: ImportReport
) -> None:
    """Put each row on the event's guest list: people by email, then by name, else new.

    Matching reads the file's people and the guest list once, not a query per row; new
    people and new guest lines are each written in one statement (a 100,000-row list in
    seconds), every row still checked and a refusal still naming its line.
    """
    store = planner.store
    emails = store.people_by_email()
    keys = [fold(row.name) for row in rows]
    names = store.people_by_keys(keys)
    organisations: dict[str, int | None] = {}
    # People the file adds, written together before the guest lines that need their ids.
    new_people: list[Person] = []
    new_lines: list[int | None] = []
    pending_email: dict[str, int] = {}
    pending_name: dict[str, int] = {}
    chosen: list[tuple[int, int]] = []
    """Per row: (0, person id) for a person already there, (1, index in new_people)."""
    for row, key in zip(rows, keys, strict=True):
        try:
            email = row.email.lower() if row.email else None
            if email and email in pending_email:
                chosen.append((1, pending_email[email]))
                continue
            known = emails.get(email) if email else None
            if known is None:
                known = names.get(key)
            if known is None and key in pending_name:
                # Someone this file adds, named again: what this row knows fills the gaps.
                index = pending_name[key]
                person = new_people[index]
                if not person.email and row.email:
                    person = replace(person, email=row.email)
                    pending_email.setdefault(row.email.lower(), index)
                if person.organisation_id is None:
                    organisation_id = _organisation_cached(
                        planner, row.organisation, report, organisations
                    )
                    person = replace(person, organisation_id=organisation_id)
                new_people[index] = person
                chosen.append((1, index))
                continue
            if known is not None:
                person = _filled(planner, store.get(Person, known), row, report, organisations)
                assert person.id is not None
                if person.email:
                    emails.setdefault(person.email.lower(), person.id)
                chosen.append((0, person.id))
                continue
            organisation_id = _organisation_cached(
                planner, row.organisation, report, organisations
            )
            report.note("added", "person", row.name)
            index = len(new_people)
            new_people.append(
                Person(name=row.name, email=row.email, organisation_id=organisation_id)
            )
            new_lines.append(row.line)
            pending_name.setdefault(key, index)
            if email:
                pending_email.setdefault(email, index)
            chosen.append((1, index))
        except ConvenerError as error:
            raise InvalidInput(error.message, line=row.line, value=error.value) from None
    added = planner.add_many(new_people, new_lines)
    guest_list = store.guest_list_by_person(event_id)
    new_guests: dict[int, Invitation] = {}
    guest_lines: dict[int, int | None] = {}
    for row, (is_new, value) in zip(rows, chosen, strict=True):
        person_id = added[value] if is_new else value
        assert person_id is not None
        try:
            if person_id in new_guests:  # the same guest twice in the file: the last wins
                merged = replace(new_guests[person_id], **row.fields)
                if differs(new_guests[person_id], merged):
                    report.note("updated", "guest", row.name)
                    changed = changed_fields(new_guests[person_id], merged)
                    report.changes.append(f"{row.name}: {', '.join(changed)}")
                else:
                    report.unchanged += 1
                new_guests[person_id] = merged
                guest_lines[person_id] = row.line
                continue
            existing = guest_list.get(person_id)
            if existing is None:
                new_guests[person_id] = Invitation(
                    event_id=event_id, person_id=person_id, **row.fields
                )
                guest_lines[person_id] = row.line
                report.note("added", "guest", row.name)
                continue
            if existing.deleted_at is not None:
                assert existing.id is not None
                store.set_deleted(Invitation, existing.id, False)
            merged = replace(existing, deleted_at=None, **row.fields)
            guest_list[person_id] = save_if_changed(
                planner, existing, merged, report, "guest", row.name
            )
        except ConvenerError as error:
            raise InvalidInput(error.message, line=row.line, value=error.value) from None
    planner.add_many(list(new_guests.values()), list(guest_lines.values()))


def _filled(
    planner: Planner,
    found: Person,
    row: GuestRow,
    report: ImportReport,
    organisations: dict[str, int | None],
) -> Person:
    """Fill in what the file knows and the record lacks; never overwrite what is there."""
    filled = replace(found, email=found.email or row.email)
    if found.organisation_id is None:
        organisation_id = _organisation_cached(planner, row.organisation, report, organisations)
        filled = replace(filled, organisation_id=organisation_id)
    if filled == found:
        return found
    return planner.save(filled)


def _organisation_cached(
    planner: Planner, name: str | None, report: ImportReport, known: dict[str, int | None]
) -> int | None:
    """`_organisation_id`, asked once per name in a file."""
    if not name:
        return None
    if name not in known:
        known[name] = _organisation_id(planner, name, report)
    return known[name]


def _organisation_id(planner: Planner, name: str | None, report: ImportReport) -> int | None:
    if not name:
        return None
    matches = planner.store.by_key(Organisation, name)
    if not matches:
        matches = planner.store.listing(
            Organisation, order_by="id", limit=1, where="short_name = ?", params=[name]
        )
    if matches:
        return matches[0].id
    report.note("added", "organisation", name)
    return planner.save(Organisation(name=name)).id
