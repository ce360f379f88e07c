"""Convener's own TOML/JSON documents: records keyed by uid, links by uid.

A bundle looks like this (TOML; JSON has the same shape):

    convener = 1                  # format version
    sample = true                 # optional: mark every record as sample data
    anchor = 2026-11-01           # optional: shift dates so this day falls on today

    [[organisations]]
    uid = "..."; name = "Impact:Peace"

    [[people]]
    uid = "..."; name = "..."; organisation = "<organisation uid>"

    [[publications]]
    uid = "..."; title = "..."; related_publications = ["<uid>"]

    [[events]]
    uid = "..."; title = "..."; start_date = 2024-06-12
    contacts = ["<person uid>"]; partners = ["<organisation uid>"]
    related_events = ["<uid>"]; related_publications = ["<uid>"]
    [[events.sessions]]
    date = 2024-06-12; title = "..."; speakers = [{ person = "<uid>", role = "moderator" }]
    [[events.invitations]]
    person = "<uid>"; status = "accepted"
    [[events.tasks]]
    title = "Send invitations"; due = "8 weeks before"   # or a date; done_on = 2024-04-17
    owner = "<person uid>"                                # optional: who does it

Parsing is pure (text -> Bundle); writing is done by the importer package.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any, cast

from tui.domain import validate
from tui.domain.errors import InvalidInput
from tui.domain.file_formats import FORMAT_VERSION
from tui.domain.models import (
    Event,
    Invitation,
    Organisation,
    Person,
    Publication,
    Session,
    Task,
)

MAX_DEPTH = 8
"""Bundles are shallow; anything nested deeper is not ours (and may be an attack)."""


@dataclass
class SessionSpec:
    """A session of an event in a bundle, with speakers as (person uid, role)."""

    session: Session
    speakers: list[tuple[str, str]]


@dataclass
class InvitationSpec:
    """A guest-list line in a bundle, with its person by uid."""

    person_uid: str
    invitation: Invitation


@dataclass
class Bundle:
    """The records of one Convener document, linked by uid."""

    organisations: list[Organisation] = field(default_factory=list)
    people: list[tuple[Person, str | None]] = field(default_factory=list)
    publications: list[Publication] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    """(link name, left uid, right uid), e.g. ("contact", event uid, person uid)."""
    sessions: dict[str, list[SessionSpec]] = field(default_factory=dict)
    invitations: dict[str, list[InvitationSpec]] = field(default_factory=dict)
    tasks: dict[str, list[Task]] = field(default_factory=dict)
    """Each event's planning checklist, by event uid, in order."""
    task_owners: dict[str, list[str | None]] = field(default_factory=dict)
    """Each task's owner (a person's uid) beside `tasks`, in the same order."""


def looks_like_bundle(data: Any) -> bool:
    """True for a document with Convener's version key."""
    return isinstance(data, dict) and "convener" in data


def parse_text(text: str, suffix: str) -> dict[str, Any]:
    """Read TOML or JSON text into a dict; InvalidInput (with a line) when malformed."""
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            # error.msg alone is cut ("Unterminated string starting at"): where is said
            # after it, as json says it, without the character offset.
            where = f"line {error.lineno} column {error.colno}"
            raise InvalidInput(f"not valid JSON: {error.msg}: {where}", line=error.lineno) from None
        except RecursionError:
            raise InvalidInput("not a Convener document: nested too deeply") from None
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            # Python 3.11 keeps the position only in the text: "... (at line 2, column 10)".
            found = re.search(r"\(at line (\d+)", str(error))
            message = str(error).split(" (at ")[0]
            line = int(found[1]) if found else None
            raise InvalidInput(f"not valid TOML: {message}", line=line) from None
        except RecursionError:
            raise InvalidInput("not a Convener document: nested too deeply") from None
    _check_depth(data, 0)
    if isinstance(data, list):
        raise InvalidInput(
            "a JSON array (as `list --json` prints) is not a Convener document;"
            " `export event ID --format json` writes one"
        )
    if not looks_like_bundle(data):
        raise InvalidInput(
            "not a Convener document (expected a top-level 'convener = 1' with events, people, "
            "organisations or publications)"
        )
    return cast(dict[str, Any], data)


def _check_depth(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise InvalidInput(f"not a Convener document: nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        for item in value.values():
            _check_depth(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_depth(item, depth + 1)


def _records(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InvalidInput(f"{key} must be a list of tables")
    return items


def _uid(item: dict[str, Any], where: str) -> str:
    uid = item.get("uid")
    if not isinstance(uid, str) or not uid.strip():
        raise InvalidInput(f"{where}: uid is required")
    return uid.strip()


def _uids(item: dict[str, Any], key: str, where: str) -> list[str]:
    values = item.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InvalidInput(f"{where}.{key} must be a list of uids")
    return values


def _known_keys(item: dict[str, Any], model: type[Any], extra: tuple[str, ...], where: str) -> None:
    """Refuse a key the record's kind has not: a mistyped one ('locaton') was dropped
    without a word, and the event came in without its place."""
    allowed = {f.name for f in fields(model)} | set(extra)
    unknown = sorted(str(key) for key in item if key not in allowed)
    if unknown:
        from difflib import get_close_matches

        near = get_close_matches(unknown[0], sorted(allowed), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise InvalidInput(f"{where}: unknown field {unknown[0]!r}{hint}", value=unknown[0])


_TOP_KEYS = ("convener", "sample", "anchor", "organisations", "people", "publications", "events")
_EVENT_KEYS = (
    "contacts", "partners", "related_events", "related_publications",
    "sessions", "invitations", "tasks",
)  # fmt: skip


def _where(error: InvalidInput, where: str) -> InvalidInput:
    return InvalidInput(f"{where}: {error.message}", value=error.value)


def parse_bundle(data: dict[str, Any], today: date | None = None) -> Bundle:
    """Check a bundle document and turn it into models (no ids yet, uids kept)."""
    version = data.get("convener")
    if version != FORMAT_VERSION:
        raise InvalidInput(f"Convener document version {version!r} is not supported (expected 1)")
    unknown = sorted(str(key) for key in data if key not in _TOP_KEYS)
    if unknown:
        raise InvalidInput(
            f"unknown key {unknown[0]!r} at the top (the document has {', '.join(_TOP_KEYS)})",
            value=unknown[0],
        )
    sample = validate.bool_value(data.get("sample", False), "sample")
    shift = timedelta(0)
    if "anchor" in data:
        anchor = validate.date_value(data["anchor"], "anchor")
        if anchor is not None:
            # Whole weeks, so a Tuesday dinner stays on a Tuesday, and the anchor's week
            # becomes the week of `today`.
            days = ((today or date.today()) - anchor).days
            shift = timedelta(days=7 * (days // 7))

    def moved(day: date | None) -> date | None:
        return day + shift if day is not None else None

    def happened(day: date | None) -> date | None:
        """A day something was done (sent, answered, ticked) moved, never past today:
        a sample written on a Monday and opened on a Friday had replies from Saturday."""
        shown = moved(day)
        if shown is None or "anchor" not in data:
            return shown
        return min(shown, today or date.today())

    bundle = Bundle()
    for index, item in enumerate(_records(data, "organisations")):
        where = f"organisations[{index}]"
        _known_keys(item, Organisation, (), where)
        try:
            values = validate.organisation_fields(item)
        except InvalidInput as error:
            raise _where(error, where) from None
        bundle.organisations.append(Organisation(uid=_uid(item, where), is_sample=sample, **values))

    for index, item in enumerate(_records(data, "people")):
        where = f"people[{index}]"
        _known_keys(item, Person, ("organisation",), where)
        try:
            values = validate.person_fields(item)
        except InvalidInput as error:
            raise _where(error, where) from None
        organisation = item.get("organisation")
        if organisation is not None and not isinstance(organisation, str):
            raise InvalidInput(f"{where}.organisation must be an organisation uid")
        bundle.people.append(
            (Person(uid=_uid(item, where), is_sample=sample, **values), organisation)
        )

    for index, item in enumerate(_records(data, "publications")):
        where = f"publications[{index}]"
        _known_keys(item, Publication, ("related_publications",), where)
        try:
            values = validate.publication_fields(item)
        except InvalidInput as error:
            raise _where(error, where) from None
        uid = _uid(item, where)
        bundle.publications.append(Publication(uid=uid, is_sample=sample, **values))
        for other in _uids(item, "related_publications", where):
            bundle.links.append(("related_publication", uid, other))

    for index, item in enumerate(_records(data, "events")):
        where = f"events[{index}]"
        _known_keys(item, Event, _EVENT_KEYS, where)
        try:
            values = validate.event_fields(item)
        except InvalidInput as error:
            raise _where(error, where) from None
        values["start_date"] = moved(values["start_date"])
        values["end_date"] = moved(values["end_date"])
        # A series moved by whole weeks starts on the first day of its rule from there
        # (a monthly call on the first Thursday moved two weeks fell on a third Thursday).
        realigned = timedelta(0)
        if shift and values.get("repeat"):
            from tui.domain.recurrence import first_day_of_rule

            start = values["start_date"]
            realigned = first_day_of_rule(values["repeat"], start) - start
            values["start_date"] = start + realigned
            values["end_date"] = values["end_date"] + realigned
        uid = _uid(item, where)
        bundle.events.append(Event(uid=uid, is_sample=sample, **values))
        for name, key in (
            ("contact", "contacts"),
            ("partner", "partners"),
            ("related_event", "related_events"),
            ("event_publication", "related_publications"),
        ):
            for other in _uids(item, key, where):
                bundle.links.append((name, uid, other))
        sessions: list[SessionSpec] = []
        per_day: dict[date | None, int] = {}
        for index_in_event, raw in enumerate(_records(item, "sessions")):
            spot = f"{where}.sessions[{index_in_event}]"
            _known_keys(raw, Session, ("speakers",), spot)
            try:
                session_values = validate.session_fields(raw)
                speakers = [
                    (str(s["person"]), validate.speaker_role(s.get("role")))
                    for s in _speaker_list(raw, spot)
                ]
            except InvalidInput as error:
                raise _where(error, spot) from None
            session_values["date"] = moved(session_values["date"])
            if session_values["date"] is not None:
                session_values["date"] += realigned
            # Positions count within a day, as the agenda keeps them (0, 1 on each day).
            position = per_day.get(session_values["date"], 0)
            per_day[session_values["date"]] = position + 1
            session = Session(
                event_id=0,
                uid=raw.get("uid") if isinstance(raw.get("uid"), str) else None,
                position=position,
                **session_values,
            )
            sessions.append(SessionSpec(session, speakers))
        bundle.sessions[uid] = sessions
        guests: list[InvitationSpec] = []
        for position, raw in enumerate(_records(item, "invitations")):
            spot = f"{where}.invitations[{position}]"
            _known_keys(raw, Invitation, ("person",), spot)
            person = raw.get("person")
            if not isinstance(person, str):
                raise InvalidInput(f"{spot}.person must be a person uid")
            try:
                guest_values = validate.invitation_fields(raw)
            except InvalidInput as error:
                raise _where(error, spot) from None
            guest_values["invited_on"] = happened(guest_values["invited_on"])
            guest_values["responded_on"] = happened(guest_values["responded_on"])
            try:
                # When the mailed answer was written: kept, so that a later mail of the
                # same day still replaces it; not with days moved (the sample's anchor).
                written = validate.moment_value(raw.get("responded_at"), "responded_at")
            except InvalidInput as error:
                raise _where(error, spot) from None
            guest_values["responded_at"] = None if "anchor" in data else written
            guests.append(
                InvitationSpec(
                    person,
                    Invitation(
                        event_id=0,
                        person_id=0,
                        uid=raw.get("uid") if isinstance(raw.get("uid"), str) else None,
                        **guest_values,
                    ),
                )
            )
        bundle.invitations[uid] = guests
        tasks: list[Task] = []
        owners: list[str | None] = []
        for position, raw in enumerate(_records(item, "tasks")):
            spot = f"{where}.tasks[{position}]"
            _known_keys(raw, Task, ("due", "watch", "owner"), spot)
            try:
                tasks.append(_task(raw, position, moved, happened))
                owner = raw.get("owner")
                if owner is not None and not isinstance(owner, str):
                    raise InvalidInput("owner must be a person's uid")
                owners.append(owner)
            except InvalidInput as error:
                raise _where(error, spot) from None
        bundle.tasks[uid] = tasks
        bundle.task_owners[uid] = owners
    return bundle


def _task(raw: dict[str, Any], position: int, moved: Any, happened: Any) -> Task:
    """A checklist task of a bundle: due as a date or as words ("8 weeks before"); its
    dates moved by `moved`, the day it was done by `happened` (never past today)."""
    from tui.domain.tasks import parse_due

    due = raw.get("due")
    if due is None or isinstance(due, str):
        due_date, offset, anchor = parse_due(due or "")
    elif isinstance(due, date):
        due_date, offset, anchor = due, None, None
    else:
        raise InvalidInput("due must be a date or text such as '8 weeks before'")
    values = validate.task_fields(
        {
            **raw,
            "due_date": moved(due_date),
            "due_offset": offset,
            "due_anchor": anchor,
            "position": position,
        }
    )
    values["done_on"] = happened(values["done_on"])
    uid = raw.get("uid")
    return Task(event_id=0, uid=uid if isinstance(uid, str) else None, **values)


def _speaker_list(raw: dict[str, Any], where: str) -> list[dict[str, Any]]:
    speakers = raw.get("speakers", [])
    if not isinstance(speakers, list) or not all(
        isinstance(s, dict) and isinstance(s.get("person"), str) for s in speakers
    ):
        raise InvalidInput(f"{where}.speakers must be a list of {{ person = uid, role = ... }}")
    return speakers
