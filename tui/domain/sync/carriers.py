"""Documents <-> the resources a CalDAV/CardDAV server keeps (icalendar and vobject).

What travels how:
- event: a VEVENT (SUMMARY, DTSTART/DTEND in its zone, RRULE, LOCATION, DESCRIPTION, URL,
  CATEGORIES, STATUS, CLASS) that any calendar shows; each guest one RFC 9073 PARTICIPANT
  component (UID = the invitation's uid) whose STRUCTURED-DATA is the guest line as JSON.
  Never ATTENDEE: a scheduling server e-mails every ATTENDEE;mailto it is given.
- session: a VEVENT of its own, RELATED-TO its event; each speaker a PARTICIPANT (SPEAKER).
- task: a VTODO, RELATED-TO its event (DUE, STATUS, COMPLETED).
- publication: a VJOURNAL (RFC 5545's dated descriptive entry) on its month of publication.
- person and organisation: vCards (FN, N, ORG, TITLE, EMAIL, TEL, URL, NOTE) over CardDAV.
Every resource also carries X-CONVENER-KIND and X-CONVENER-RECORD (the record's fields as
JSON, exact); a title changed in another client (SUMMARY, FN) is read back over it.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui import __version__
from tui.domain.errors import InvalidInput
from tui.domain.exporters.calendar_ics import CLASS, STATUS
from tui.domain.privacy import may_sync
from tui.domain.sync.records import Document

CALENDAR = "calendar"
CONTACTS = "contacts"
COLLECTION = {
    "event": CALENDAR,
    "session": CALENDAR,
    "task": CALENDAR,
    "publication": CALENDAR,
    "person": CONTACTS,
    "organisation": CONTACTS,
}
_COMPONENT = {"event": "VEVENT", "session": "VEVENT", "task": "VTODO", "publication": "VJOURNAL"}
_SPEAKING = {"speaker", "moderator", "presenter"}
_QUIET = {"observer", "press"}


def href_name(kind: str, uid: str) -> str:
    """The resource's file name in its collection, made from the uid alone: a rerun after a
    crash PUTs to the same name, so a resource is never created twice. A uid too long for
    a name keeps its first 100 characters and a digest of the whole: cut alone, the changed
    occurrences of a series with a long uid (Outlook's are 112 characters; theirs add
    '#recurrence-id=YYYYMMDD') took one name, and one overwrote the other."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in uid)
    if len(safe) > 120:
        import hashlib

        safe = safe[:100] + "-" + hashlib.sha1(uid.encode()).hexdigest()[:16]
    return safe + (".vcf" if COLLECTION[kind] == CONTACTS else ".ics")


def _record(doc: Document) -> str:
    return _json_text(doc.get("fields", {}))


_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _json_text(value: dict[str, Any]) -> str:
    """`value` as JSON for an iCalendar TEXT value, a backslash in it written \\u005c.

    icalendar (7.3) reads the escaped backslash before an N (`\\\\N`, from a field holding
    a backslash and then N, a Windows path) as a line break: the JSON came back broken and
    the record was refused as damaged. No other JSON escape meets that reading; \\u005c is
    the same JSON to every reader."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: "\\u005c" if m.group(1) == "\\" else m.group(0), text)


def to_text(kind: str, uid: str, doc: Document, zone: str | None = None) -> str:
    """The resource text for a document; `zone` is a session's event's time zone (its
    times are written in it, with the zone's VTIMEZONE)."""
    if COLLECTION[kind] == CONTACTS:
        return _vcard(kind, uid, doc)
    from icalendar import Calendar, vText

    calendar = Calendar()
    calendar.add("prodid", f"-//Convener//Convener {__version__}//EN")
    calendar.add("version", "2.0")
    item = _component(_COMPONENT[kind])
    item.add("uid", uid)
    item.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    values = doc.get("fields", {})
    if kind == "event":
        _event_properties(item, values)
    elif kind == "session":
        _session_properties(item, values, _zone(zone))
    elif kind == "task":
        _task_properties(item, values)
    else:
        item.add("summary", values.get("title") or "")
        if values.get("published"):
            item.add("dtstart", date.fromisoformat(values["published"][:7] + "-01"))
        for name, key in (("description", "summary"), ("url", "url")):
            if values.get(key):
                item.add(name, values[key])
    if kind == "session" or (kind == "event" and may_sync(_Access(values.get("access")))):
        for key, line in sorted(doc.get("members", {}).items()):
            item.add_component(_participant(kind, key, line))
    item.add("x-convener-kind", kind)
    # VALUE=TEXT so that the JSON's commas are escaped, not read as a list of values.
    item.add("x-convener-record", vText(_record(doc)), parameters={"VALUE": "TEXT"})
    calendar.add_component(item)
    if kind == "event" or (kind == "session" and _zone(zone) and values.get("start_time")):
        # The zone's rules over the years the event spans, not icalendar's default
        # 1970-2038: a fifth of the text, and the first pull of 10,000 events parses it all.
        start = values.get("start_date") or values.get("date")
        first = date.fromisoformat(start).year - 1
        end = date.fromisoformat(values.get("end_date") or start).year
        last = end + (10 if values.get("repeat") else 1)
        calendar.add_missing_timezones(date(first, 1, 1), date(last, 12, 31))
    return str(calendar.to_ical().decode())


def _component(name: str) -> Any:
    """An empty component: icalendar's own class where it has one, else a named Component
    (icalendar has no class for RFC 9073's PARTICIPANT)."""
    import icalendar

    classes = {"VEVENT": icalendar.Event, "VTODO": icalendar.Todo, "VJOURNAL": icalendar.Journal}
    if name in classes:
        return classes[name]()
    named = type(name.title(), (icalendar.Component,), {"name": name})
    return named()


def _zone(name: Any) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _event_properties(item: Any, values: dict[str, Any]) -> None:
    item.add("summary", values.get("title") or "")
    start, end = date.fromisoformat(values["start_date"]), date.fromisoformat(values["end_date"])
    zone = _zone(values.get("timezone"))
    if values.get("start_time"):
        start_time = time.fromisoformat(values["start_time"])
        end_time = time.fromisoformat(values.get("end_time") or values["start_time"])
        first = datetime.combine(start, start_time, zone)
        item.add("dtstart", first)
        last = datetime.combine(end, end_time, zone)
        if last > first:
            item.add("dtend", last)
    else:
        item.add("dtstart", start)
        item.add("dtend", end + timedelta(days=1))  # DTEND of a DATE is exclusive
    repeat = values.get("repeat")
    if repeat:
        from icalendar import vRecur

        for line in str(repeat).splitlines():
            name, _, rule = line.partition(":") if ":" in line else ("RRULE", "", line)
            if name.upper() == "RRULE":
                try:
                    item.add("rrule", vRecur.from_ical(rule))
                except ValueError:
                    pass  # the exact rule travels in X-CONVENER-RECORD
            elif name.upper() == "EXDATE":
                # Of DTSTART's type (RFC 5545 3.8.5.1): the skipped day at the start time
                # in the event's zone, or the day itself for an all-day event.
                days = _exdays(rule)
                if values.get("start_time"):
                    at = time.fromisoformat(values["start_time"])
                    item.add("exdate", [datetime.combine(day, at, zone) for day in days])
                elif days:
                    item.add("exdate", days)
    location = ", ".join(p for p in (values.get("venue"), values.get("location")) if p)
    for name, value in (
        ("location", location),
        ("description", values.get("description")),
        ("url", values.get("url")),
    ):
        if value:
            item.add(name, value)
    if values.get("program_area"):
        item.add("categories", [values["program_area"]])
    item.add("status", STATUS.get(values.get("status") or "", "TENTATIVE"))
    item.add("class", CLASS.get(values.get("access") or "", "CONFIDENTIAL"))


def _session_properties(item: Any, values: dict[str, Any], zone: ZoneInfo | None) -> None:
    item.add("summary", values.get("title") or "")
    day = date.fromisoformat(values["date"])
    if values.get("start_time"):
        start = time.fromisoformat(values["start_time"])
        item.add("dtstart", datetime.combine(day, start, zone))
        if values.get("end_time"):
            item.add("dtend", datetime.combine(day, time.fromisoformat(values["end_time"]), zone))
    else:
        item.add("dtstart", day)
    if values.get("room"):
        item.add("location", values["room"])
    if values.get("description"):
        item.add("description", values["description"])
    if values.get("event"):
        item.add("related-to", values["event"], parameters={"RELTYPE": "PARENT"})


def _exdays(value: str) -> list[date]:
    """The days of an EXDATE line's value ("20270105,20270112"); unreadable ones skipped."""
    days = []
    for part in value.split(","):
        try:
            days.append(date(int(part[:4]), int(part[4:6]), int(part[6:8])))
        except ValueError:
            continue
    return days


class _Access:
    """What privacy.may_sync reads of an event document."""

    def __init__(self, access: Any) -> None:
        self.access = str(access or "")


def _task_properties(item: Any, values: dict[str, Any]) -> None:
    item.add("summary", values.get("title") or "")
    if values.get("due_date"):
        item.add("due", date.fromisoformat(values["due_date"]))
    if values.get("notes"):
        item.add("description", values["notes"])
    if values.get("done_on"):
        item.add("status", "COMPLETED")
        done = date.fromisoformat(values["done_on"])
        item.add("completed", datetime.combine(done, time(12), UTC))
    else:
        item.add("status", "NEEDS-ACTION")
    if values.get("event"):
        item.add("related-to", values["event"], parameters={"RELTYPE": "PARENT"})


def _participant(kind: str, key: str, line: dict[str, Any]) -> Any:
    """One guest (or speaker) as an RFC 9073 PARTICIPANT with a JSON STRUCTURED-DATA."""
    role = str(line.get("role") or "")
    participant = _component("PARTICIPANT")
    participant.add("uid", line.get("uid") or f"{key}-speaker")
    if kind == "session" or role in _SPEAKING:
        type_ = "SPEAKER"
    elif role in _QUIET:
        type_ = "INACTIVE"
    else:
        type_ = "ACTIVE"
    participant.add("participant-type", type_)
    payload = _json_text({"person": key, **line})
    participant.add(
        "structured-data", payload, parameters={"VALUE": "TEXT", "FMTTYPE": "application/json"}
    )
    return participant


def _vcard(kind: str, uid: str, doc: Document) -> str:
    import vobject

    values = doc.get("fields", {})
    card = vobject.vCard()
    card.add("uid").value = uid
    name = str(values.get("name") or "")
    card.add("fn").value = name
    if kind == "organisation":
        card.add("n").value = vobject.vcard.Name(family=name)
        card.add("org").value = [name]
        card.add("x-addressbookserver-kind").value = "group"
        if values.get("website"):
            card.add("url").value = values["website"]
    else:
        parts = name.rsplit(" ", 1)
        card.add("n").value = vobject.vcard.Name(
            family=parts[-1], given=parts[0] if len(parts) > 1 else ""
        )
        if values.get("role"):
            card.add("title").value = values["role"]
        if values.get("email"):
            card.add("email").value = values["email"]
        if values.get("phone"):
            card.add("tel").value = values["phone"]
    if values.get("notes"):
        card.add("note").value = values["notes"]
    card.add("x-convener-kind").value = kind
    card.add("x-convener-record").value = _record(doc)
    return str(card.serialize())


def from_text(text: str) -> tuple[str, str, Document] | None:
    """(kind, uid, document) of a resource: one Convener wrote, or a plain VEVENT or vCard
    another client made (an event added in Thunderbird, a contact added on a phone), read
    as an import reads it. None for what Convener does not keep (a plain VTODO, say).
    InvalidInput when the text is damaged or would not pass an import."""
    if "BEGIN:VCARD" in text[:200].upper():
        return _from_vcard(text)
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
    except ValueError as error:
        raise InvalidInput(f"a resource on the server is not iCalendar ({error})") from None
    overrides = [item for item in calendar.subcomponents if item.get("recurrence-id")]
    for item in calendar.subcomponents:
        kind = str(item.get("x-convener-kind") or "")
        if kind not in _COMPONENT or item.name != _COMPONENT[kind]:
            continue
        if item.get("recurrence-id"):
            continue  # one changed occurrence (a phone copies our lines onto it)
        values = _json(item.get("x-convener-record"))
        summary = item.get("summary")
        if summary and not _same_text(str(summary), values.get("title")):
            values["title"] = str(summary)  # renamed in another client
        if kind == "event":
            _read_back(item, values)
        if kind == "event" and values.get("repeat"):
            values["repeat"] = _skipped(item, overrides, str(values["repeat"]), values)
        members: dict[str, Any] = {}
        for participant in item.subcomponents:
            if participant.name != "PARTICIPANT":
                continue
            line = _json(participant.get("structured-data"))
            person = line.pop("person", None)
            if isinstance(person, str) and person:
                members[person] = line
        return kind, str(item.get("uid")), {"fields": values, "members": members}
    if any(item.name == "VEVENT" for item in calendar.subcomponents):
        return _plain_event(text)
    return None


def _read_back(item: Any, values: dict[str, Any]) -> None:
    """An event's standard properties another client changed (Thunderbird moves it, a phone
    edits its place or notes) over the exact record: each property is compared with what
    the record writes, and only one that differs is read back."""
    scratch = _component("VEVENT")
    try:
        _event_properties(scratch, values)
    except (KeyError, TypeError, ValueError):
        return  # a damaged record: the form's checks refuse it on writing
    for name, key in (("description", "description"), ("url", "url"), ("location", "location")):
        shown, wrote = item.get(name), scratch.get(name)
        if _same_text(str(shown or ""), str(wrote or "")):
            continue
        values[key] = " ".join(str(shown).split()) if name == "location" else str(shown)
        values[key] = values[key] or None
        if name == "location":
            values["venue"] = None  # LOCATION joins both; a client's edit is one place
    try:
        start, end = item.decoded("dtstart"), item.decoded("dtend", None)
        moved = start != scratch.decoded("dtstart") or end != scratch.decoded("dtend", None)
    except (KeyError, TypeError, ValueError):
        return
    if not moved:
        return
    zone = _zone(values.get("timezone"))
    if isinstance(start, datetime):
        if start.tzinfo is not None and zone is not None:
            start = start.astimezone(zone)
        end = end if isinstance(end, datetime) else start
        if end.tzinfo is not None and zone is not None:
            end = end.astimezone(zone)
        values.update(
            start_date=start.date().isoformat(),
            start_time=start.time().isoformat(timespec="minutes"),
            end_date=end.date().isoformat(),
            end_time=end.time().isoformat(timespec="minutes"),
        )
    elif isinstance(start, date):
        last = end - timedelta(days=1) if isinstance(end, date) and end > start else start
        values.update(
            start_date=start.isoformat(),
            end_date=last.isoformat(),
            start_time=None,
            end_time=None,
        )


def _skipped(item: Any, overrides: list[Any], repeat: str, values: dict[str, Any]) -> str:
    """The repeat rule with the days other clients skip: the series' EXDATE lines (a phone
    deletes one occurrence by adding one) and its cancelled occurrences (RECURRENCE-ID with
    STATUS:CANCELLED). The rule text is kept as it is when they agree with it. A moved or
    changed single occurrence has no place in Convener's model and is not read."""
    zone = _zone(values.get("timezone"))
    days: set[str] = set()
    found = item.get("exdate")
    for line in found if isinstance(found, list) else [found] if found else []:
        for value in getattr(line, "dts", []):
            days.add(_day_of(value.dt, zone))
    for override in overrides:
        if str(override.get("uid")) == str(item.get("uid")) and (
            str(override.get("status") or "").upper() == "CANCELLED"
        ):
            days.add(_day_of(override.decoded("recurrence-id"), zone))
    rules: list[str] = []
    kept: set[str] = set()
    for line in (line.strip() for line in repeat.splitlines() if line.strip()):
        name, sep, value = line.partition(":")
        if sep and name.upper() == "EXDATE":
            kept.update(v.strip() for v in value.split(",") if v.strip())
        else:
            rules.append(line)
    if days == kept:
        return repeat
    if not days:
        return "\n".join(rules)
    if len(rules) == 1 and not rules[0].upper().startswith(("RRULE:", "RDATE:", "EXRULE:")):
        rules = [f"RRULE:{rules[0]}"]
    return "\n".join([*rules, "EXDATE:" + ",".join(sorted(days))])


def _day_of(value: Any, zone: ZoneInfo | None) -> str:
    if isinstance(value, datetime) and value.tzinfo is not None and zone is not None:
        value = value.astimezone(zone)
    return str(value.strftime("%Y%m%d"))


def _plain_event(text: str) -> tuple[str, str, Document] | None:
    """A VEVENT another client made, read as `convener import` reads one (the same checks):
    its standard properties as an event's fields; guests and what no calendar shows stay
    as they are here."""
    from tui.domain.importers.calendar_ics import parse_ics
    from tui.domain.sync.records import plain_fields

    found = [item for item in parse_ics(text) if item.series is None]
    if not found:
        return None
    event = found[0].event
    if not event.uid:
        raise InvalidInput("an event on the server has no UID")
    values = plain_fields(event)
    return "event", event.uid, {"fields": values, "members": {}}


def _from_vcard(text: str) -> tuple[str, str, Document] | None:
    import vobject

    try:
        card = vobject.readOne(text)
    except Exception as error:  # vobject raises bare ParseError and ValueError alike
        raise InvalidInput(f"a contact on the server is not a vCard ({error})") from None
    kind_line = getattr(card, "x_convener_kind", None)
    record_line = getattr(card, "x_convener_record", None)
    if kind_line is None or record_line is None:
        return _plain_person(card)
    kind = str(kind_line.value)
    if kind not in ("person", "organisation"):
        return None
    values = _json(record_line.value)
    fn = getattr(card, "fn", None)
    if fn is not None and fn.value and not _same_text(str(fn.value), values.get("name")):
        values["name"] = str(fn.value)  # renamed in another client
    shown = _CARD_FIELDS[kind]
    for attribute, key in shown:
        line = getattr(card, attribute, None)
        text = str(line.value).strip() if line is not None else ""
        if not _same_text(text, values.get(key) or ""):
            values[key] = text or None  # changed (or taken off) on a phone
    return kind, str(card.uid.value), {"fields": values, "members": {}}


_CARD_FIELDS = {
    "person": (("email", "email"), ("tel", "phone"), ("title", "role"), ("note", "notes")),
    "organisation": (("url", "website"), ("note", "notes")),
}
"""The vCard properties read back over a record (and read from a plain card), by field."""


def _plain_person(card: Any) -> tuple[str, str, Document] | None:
    """A vCard another client made, as a person: FN, EMAIL, TEL, TITLE and NOTE (a group
    card, or one without a UID or a name, is not one of ours to read)."""
    kind = getattr(card, "x_addressbookserver_kind", None) or getattr(card, "kind", None)
    if kind is not None and str(kind.value).lower() == "group":
        return None
    uid = getattr(card, "uid", None)
    if uid is None or not str(uid.value).strip():
        raise InvalidInput("a contact on the server has no UID")
    fn = getattr(card, "fn", None)
    name = " ".join(str(fn.value).split()) if fn is not None else ""
    if not name:
        raise InvalidInput(f"contact {str(uid.value)[:60]!r} has no name (FN)")
    values: dict[str, Any] = {"name": name}
    for attribute, key in _CARD_FIELDS["person"]:
        line = getattr(card, attribute, None)
        text = str(line.value).strip() if line is not None else ""
        values[key] = text or None  # taken off on the phone: taken off here
    return "person", str(uid.value).strip(), {"fields": values, "members": {}}


def _same_text(shown: str, kept: Any) -> bool:
    """Is a SUMMARY or FN the text we wrote (line ends and outer spaces aside: the
    formats fold and normalise them)?"""
    if not isinstance(kept, str):
        return False

    def plain(text: str) -> str:
        return " ".join(text.replace("\r\n", "\n").replace("\r", "\n").split())

    return plain(shown) == plain(kept) or plain(shown) == plain(_as_icalendar_reads(kept))


def _as_icalendar_reads(text: str) -> str:
    """`text` written as a SUMMARY and read back by icalendar, which reads a backslash
    before an N as a line break: a title holding one is then still the title we wrote."""
    from icalendar import Event

    event = Event()
    event.add("summary", text)
    return str(Event.from_ical(event.to_ical()).get("summary"))


def _json(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    try:
        data = json.loads(str(value))
    except ValueError:
        raise InvalidInput("a resource on the server holds a damaged Convener record") from None
    if not isinstance(data, dict):
        raise InvalidInput("a resource on the server holds a damaged Convener record")
    return data
