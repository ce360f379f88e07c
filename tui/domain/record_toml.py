"""One record as a TOML document to edit in $EDITOR, and back, checked like the forms.

The document holds the fields an officer edits (every one, blank ones as ""), the links
that have names (an event's staff contacts and partners, a person's organisation), and a
comment at the top saying how it works. Lines starting with # are ignored; an empty
document means "leave it as it was".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date, time
from typing import TYPE_CHECKING, Any

import tomli_w

from tui.domain import validate
from tui.domain.errors import InvalidInput
from tui.domain.models import (
    ACCESS_LEVELS,
    EVENT_KINDS,
    EVENT_STATUSES,
    ORGANISATION_KINDS,
    Event,
    Organisation,
    Person,
    Publication,
    Session,
)
from tui.domain.text import clean_line, fold

if TYPE_CHECKING:
    from tui.domain.planner import Planner

EditableRecord = Event | Person | Organisation | Publication | Session

FIELDS: dict[type[Any], tuple[str, ...]] = {
    Event: (
        "title",
        "kind",
        "status",
        "start_date",
        "end_date",
        "start_time",
        "end_time",
        "timezone",
        "location",
        "venue",
        "program_area",
        "access",
        "capacity",
        "repeat",
        "summary",
        "description",
        "url",
        "notes",
    ),
    Person: ("name", "role", "email", "phone", "program_area", "is_staff", "bio", "notes"),
    Organisation: ("name", "short_name", "kind", "website", "notes"),
    Publication: ("title", "type", "published", "program_area", "url", "summary"),
    Session: ("title", "date", "start_time", "end_time", "room", "description"),
}
"""The fields each kind of record shows in the document, in order."""

LINKS: dict[type[Any], tuple[str, ...]] = {
    Event: ("contacts", "partners"),
    Person: ("organisation",),
}

ERROR_MARK = "# !! "
"""How the lines that report a problem start (removed again before the next check)."""

_HINTS: dict[type[Any], list[str]] = {
    Event: [
        f"kind: {', '.join(EVENT_KINDS)}",
        f"status: {', '.join(EVENT_STATUSES)}",
        f"access: {', '.join(ACCESS_LEVELS)}",
        'dates: 2024-06-12 or as you write them ("June 12, 2024"); times 9:30, 2pm, 14:00',
        "repeat: e.g. FREQ=WEEKLY;COUNT=6 (blank: does not repeat)",
        "contacts: names of staff people; partners: organisation names (new ones are added)",
    ],
    Person: ["organisation: its name (a new one is added); is_staff: true or false"],
    Organisation: [f"kind: {', '.join(ORGANISATION_KINDS)}"],
    Publication: ["published: June 2024 or 2024-06"],
    Session: ["date: a day of the event; times 9:30, 2pm, 14:00"],
}


@dataclass(frozen=True)
class EditedRecord:
    """A record read back from its document, with its named links (None: not in it)."""

    record: EditableRecord
    contacts: list[int] | None = None
    partners: list[str] | None = None
    """Organisation names (or short names); new ones are added when saved."""
    organisation: str | None = None


def plain_value(value: Any) -> Any:
    """A record's value as its document (and a form field) writes it: nothing as "",
    times as HH:MM, dates ISO; anything else as it is."""
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def kind_name(record: EditableRecord) -> str:
    """'event', 'person', ... as the officer reads it."""
    return type(record).__name__.lower()


def to_document(planner: Planner, record: EditableRecord) -> str:
    """The record as a commented TOML document."""
    data: dict[str, Any] = {
        name: plain_value(getattr(record, name)) for name in FIELDS[type(record)]
    }
    if isinstance(record, Event) and record.id is not None:
        data["contacts"] = [c.name for c in planner.contacts_for(record.id)]
        data["partners"] = [o.name for o in planner.partners_for(record.id)]
    elif isinstance(record, Event):
        data["contacts"], data["partners"] = [], []
    if isinstance(record, Person):
        data["organisation"] = planner.organisation_field(record.organisation_id)
    label = str(getattr(record, "title", None) or getattr(record, "name", ""))
    head = [
        f"# Convener: {kind_name(record)} #{record.id} {clean_line(label)!r}",
        "# Edit, save and close the editor; Convener checks it and saves it.",
        "# A problem brings you back here with the problem above. Empty the file to cancel.",
        *(f"# {hint}" for hint in _HINTS[type(record)]),
        "",
    ]
    return "\n".join(head) + tomli_w.dumps(data, multiline_strings=True)


def strip_errors(text: str) -> str:
    """The document without the problem lines an earlier check put at its top."""
    return "\n".join(line for line in text.splitlines() if not line.startswith(ERROR_MARK)) + (
        "\n" if text.endswith("\n") else ""
    )


def _error_lines(message: str) -> list[str]:
    return [f"{ERROR_MARK}Not saved: {clean_line(message)}", f"{ERROR_MARK}Fix it, save, close."]


ERROR_LINES = len(_error_lines(""))
"""How many problem lines with_error puts at the top of the document."""


def with_error(text: str, message: str) -> str:
    """The document with the problem said at its top (what was typed kept as it was)."""
    return "\n".join(_error_lines(message)) + "\n" + strip_errors(text)


_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)$")


def _toml_problem(error: tomllib.TOMLDecodeError) -> InvalidInput:
    """A TOML error naming the line as the officer sees it in the reopened document: the
    text was read without its problem lines, and with_error puts ERROR_LINES back on top
    (tomllib counted from the first line it was given, so a date on line 15 was 'line 13')."""
    said = str(error)
    found = _TOML_LINE.search(said)
    if found is None:  # "(at end of document)": no line to shift
        return InvalidInput(f"not valid TOML: {said}")
    line = int(found[1]) + ERROR_LINES
    said = said[: found.start()] + f"(at line {line}, column {found[2]})"
    return InvalidInput(f"not valid TOML: {said}", line=line)


def is_blank(text: str) -> bool:
    """True when nothing but comments and spaces is left: the officer cancelled."""
    return not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def from_document(
    planner: Planner, record: EditableRecord, text: str, *, day_first: bool = True
) -> EditedRecord:
    """The record as edited; InvalidInput saying what and where when it does not hold (a
    line named is one of the document as with_error gives it back, problem lines on top)."""
    try:
        data = tomllib.loads(strip_errors(text))
    except tomllib.TOMLDecodeError as error:
        raise _toml_problem(error) from None
    allowed = set(FIELDS[type(record)]) | set(LINKS.get(type(record), ()))
    unknown = sorted(set(data) - allowed)
    if unknown:
        # The whole list of fields (an event's has 20) ran past the one line a message has
        # and lost its end: the nearest name instead, else where the fields are.
        from difflib import get_close_matches

        near = get_close_matches(unknown[0], sorted(allowed), n=1)
        hint = f"did you mean {near[0]!r}?" if near else "the fields are those the file opened with"
        raise InvalidInput(f"unknown field {unknown[0]!r} ({hint})")
    for name, value in data.items():
        if isinstance(value, (dict, list)) and name not in LINKS.get(type(record), ()):
            raise InvalidInput(f"{name}: a single value is expected")
    if isinstance(record, Event):
        checked = validate.event_fields(data, day_first=day_first)
        checked.pop("link_only", None)
        edited: EditableRecord = replace(record, **checked, link_only=False)
        return EditedRecord(
            edited,
            contacts=_people(planner, data.get("contacts")) if "contacts" in data else None,
            partners=_names(data.get("partners"), "partners") if "partners" in data else None,
        )
    if isinstance(record, Person):
        checked = validate.person_fields(data)
        organisation = validate.text(data.get("organisation"), "organisation") or ""
        return EditedRecord(replace(record, **checked), organisation=organisation)
    if isinstance(record, Organisation):
        return EditedRecord(replace(record, **validate.organisation_fields(data)))
    if isinstance(record, Publication):
        checked = validate.publication_fields(data)
        checked.pop("link_only", None)
        return EditedRecord(replace(record, **checked, link_only=False))
    checked = validate.session_fields(data, day_first=day_first)
    return EditedRecord(replace(record, **checked))


def _names(value: Any, name: str) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f'{name}: a list of names is expected, e.g. ["Ana Ruiz"]')
    return [clean_line(v) for v in value if clean_line(v)]


def _people(planner: Planner, value: Any) -> list[int]:
    ids: list[int] = []
    for name in _names(value, "contacts"):
        found = planner.store.by_key(Person, name)
        if not found:
            raise InvalidInput(f"contacts: nobody called {name!r} (add them first)", value=name)
        staff = [p for p in found if p.is_staff] or found
        assert staff[0].id is not None
        ids.append(staff[0].id)
    return ids


def _organisations(planner: Planner, names: list[str]) -> list[int]:
    ids: list[int] = []
    for name in names:
        found = planner.store.by_key(Organisation, name) or [
            o
            for o in planner.store.listing(
                Organisation, order_by="id", where="short_name = ?", params=[name]
            )
            if fold(o.short_name or "") == fold(name)
        ]
        organisation = found[0] if found else planner.add_organisation(name)
        assert organisation.id is not None
        ids.append(organisation.id)
    return ids


def save_edited(planner: Planner, edited: EditedRecord) -> EditableRecord:
    """Save a record read back from its document, with its links, as one step."""
    record = edited.record
    if isinstance(record, Event):
        from tui.domain.planner import describe

        verb = "Add" if record.id is None else "Edit"
        with planner.store.transaction(f"{verb} {describe(record)}"):
            partners = None if edited.partners is None else _organisations(planner, edited.partners)
            return planner.save_event(record, edited.contacts, partners)
    if isinstance(record, Person):
        return planner.save_person(record, edited.organisation)
    if isinstance(record, Session):
        return planner.save_session(record)
    if isinstance(record, Organisation):
        return planner.save(record)
    return planner.save(record)
