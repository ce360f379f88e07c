"""A hostile corpus over every importer and command: refused in one line, or harmless.

Each case is a file to import (iCalendar, Convener TOML/JSON, guest-list CSV, event page)
or a command line. It must either be refused (exit 2, one line of at most 220
characters on stderr, no traceback, the database byte for byte as it was) or be
accepted, after which the agenda, every list, every export format of every event and the
month view's data still work on the database (no exit 1, no exception). Where the right
answer is known the case says which one it is.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from tui.cli import main
from tui.domain.planner import Planner
from tui.domain.store import Store

from ..conftest import TODAY

REFUSED, ACCEPTED, EITHER = "refused", "accepted", "either"


@dataclass(frozen=True)
class Case:
    """One hostile input: a file (name and content) or a command line, and what must happen."""

    name: str
    expect: str
    file: tuple[str, str | bytes] | None = None
    argv: tuple[str, ...] = ()
    check: Callable[[Path], None] | None = None
    """A further check of the database after an accepted case."""


def vevent(*lines: str, uid: str = "h1", summary: str = "Hostile") -> str:
    """One VEVENT with defaults that `lines` override (a property given replaces its default)."""
    defaults = {
        "UID": f"UID:{uid}",
        "SUMMARY": f"SUMMARY:{summary}",
        "DTSTART": "DTSTART;VALUE=DATE:20270112",
    }
    extra: list[str] = []
    for line in lines:
        key = line.split(":", 1)[0].split(";", 1)[0]
        if key in defaults:
            defaults[key] = line
        else:
            extra.append(line)
    return "\r\n".join(["BEGIN:VEVENT", *defaults.values(), *extra, "END:VEVENT"])


def ics(*events: str) -> str:
    body = events or (vevent(),)
    return "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//hostile//EN", *body, "END:VCALENDAR", ""]
    )


def toml_event(**fields: str) -> str:
    """A Convener document with one event; values are TOML literals."""
    values = {
        "title": '"Hostile document"',
        "start_date": "2027-01-12",
        "uid": '"doc-1"',
        **fields,
    }
    return "convener = 1\n\n[[events]]\n" + "".join(f"{k} = {v}\n" for k, v in values.items())


def guests(*rows: str, header: str = "name,email,status,role,plus_ones") -> str:
    return "\n".join([header, *rows]) + "\n"


PAGE = """October 29, 2020
Cities and Mass Violence Roundtable
Program Area: Mass Violence and Atrocities
Access: Invitation Only

{body}
"""


def _private_guests_stay(db: Path) -> None:
    """An event stored invitation-only keeps its guests out of list --json."""
    out, _, status = run(["--db", str(db), "list", "events", "--json"])
    assert status == 0
    assert "Secret Guest" not in out


def _stored_access_is_canonical(db: Path) -> None:
    store = Store(db)
    try:
        rows = store._rows("select distinct access from events")
    finally:
        store.close()
    assert {r["access"] for r in rows} <= {"invitation-only", "public", "closed"}


def _private_and_canonical(db: Path) -> None:
    _private_guests_stay(db)
    _stored_access_is_canonical(db)


CASES: list[Case] = []


def add(name: str, expect: str, **kwargs: object) -> None:
    CASES.append(Case(name, expect, **kwargs))  # type: ignore[arg-type]


# -- iCalendar: values checked as a form checks them -----------------------------------
for value in ("Invitation-Only", "INVITATION-ONLY", "invitation_only", "invitation only"):
    add(
        f"ics-access-{value}",
        ACCEPTED,
        file=(
            "a.ics",
            ics(
                vevent(
                    f"X-CONVENER-ACCESS:{value}",
                    "ATTENDEE;CN=Secret Guest;PARTSTAT=ACCEPTED:mailto:secret@example.org",
                )
            ),
        ),
        check=_private_and_canonical,
    )
argv: tuple[str, ...]
for prop in (
    "X-CONVENER-ACCESS:bogus",
    "X-CONVENER-ACCESS:secret",
    "X-CONVENER-STATUS:maybe",
    "X-CONVENER-KIND:party",
    "URL:javascript:alert(1)",
    "URL:data:text/html,<script>",
    "URL:file:///etc/passwd",
    "URL:not a url",
    "ATTENDEE;CN=Bad:mailto:not-an-email",
    "ATTENDEE;CN=Bad:mailto:a b@example.org",
    "DTSTART;VALUE=DATE:99991231",
    "DTSTART;VALUE=DATE:00010101",
    "DTSTART;VALUE=DATE:18991231",
    "DTSTART;VALUE=DATE:22010101",
    "DTSTART:99991231T235900Z",
    "DTEND;VALUE=DATE:99991231",
    "DURATION:P99999999D",
    "DURATION:P999999W",
    "DURATION:P400D",
    "DTEND;VALUE=DATE:20270101",
    "RRULE:FREQ=DAILY;UNTIL=99991231",
    "RRULE:FREQ=DAILY;INTERVAL=0",
    "RRULE:FREQ=DAILY;INTERVAL=-1",
    "RRULE:FREQ=DAILY;BYHOUR=9,10,11;BYMINUTE=0,15,30,45",
    "RRULE:FREQ=WEEKLY;UNTIL=20260101",
    "RRULE:FREQ=DAILY;COUNT=-5",
    "RRULE:FREQ=DAILY;COUNT=0",
    "RRULE:FREQ=DAILY;COUNT=99999999999999999999999",
    "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31",
    "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=32",
    "RRULE:FREQ=SECONDLY",
    "RRULE:FREQ=MINUTELY;INTERVAL=1",
    "RRULE:FREQ=HOURLY",
    "RRULE:FREQ=DAILY;UNTIL=20270301;COUNT=3",
    "RRULE:FREQ=DAILY;UNTIL=notadate",
    "RRULE:FREQ=DAILY;UNTIL=20270101;INTERVAL=0",
    "SUMMARY:" + "T" * 200_000,
    "LOCATION:" + "L" * 5_000,
    "DESCRIPTION:" + "D" * 200_000,
    "ATTENDEE;CN=" + "N" * 300_000 + ":mailto:long@example.org",
):
    add(f"ics-refused-{prop[:40]}", REFUSED, file=("bad.ics", ics(vevent(prop))))
for extra in (
    ("RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29",),
    ("RRULE:FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR",),
    ("RRULE:FREQ=WEEKLY;UNTIL=20270301T000000Z",),
    ("RRULE:FREQ=WEEKLY;COUNT=10000",),
    ("RRULE:FREQ=DAILY;UNTIL=22001231",),
    ("RRULE:FREQ=WEEKLY;COUNT=4", "EXDATE;VALUE=DATE:20270119"),
    ("RRULE:FREQ=WEEKLY;COUNT=4", "EXDATE;VALUE=DATE:20270119,20270126"),
    ("DTEND;VALUE=DATE:20270115", "RRULE:FREQ=WEEKLY;COUNT=5"),  # a repeating 3-day event
    ("DTSTART:20270112T090000Z", "DTEND:20270113T170000Z", "RRULE:FREQ=MONTHLY;COUNT=3"),
    ("DTSTART;VALUE=DATE:19000101",),
    ("DTSTART;VALUE=DATE:22001231",),
    ("DURATION:P365D",),
    ("DTSTART:20270112T090000", "DURATION:PT0S"),
    ("URL:https://example.org/a?b=c#d",),
    ("URL:example.org/page",),
    ("SUMMARY:" + "T" * 1000,),
    ("DESCRIPTION:" + "D" * 99_000,),
    ("SUMMARY:[b]Draft[/b] \x1b]0;X\x07 \u202e",),
    ("X-CONVENER-STATUS:Confirmed", "X-CONVENER-KIND:WORKSHOP"),
    ("ATTENDEE;CN=Ops:mailto:ops@localhost",),
    ("ATTENDEE:MAILTO:UPPER@EXAMPLE.ORG",),
    ("CLASS:CONFIDENTIAL", "ATTENDEE;CN=Secret Guest:mailto:s@example.org"),
):
    add(
        f"ics-accepted-{'|'.join(e[:30] for e in extra)}",
        ACCEPTED,
        file=("ok.ics", ics(vevent(*extra))),
    )
add(
    "ics-uid-with-hash-is-not-an-occurrence",
    ACCEPTED,
    file=(
        "hash.ics",
        ics(
            vevent("RRULE:FREQ=WEEKLY;COUNT=4", uid="h-series"),
            vevent("DTSTART;VALUE=DATE:20270112", uid="h-series#20270112", summary="Other"),
        ),
    ),
    check=lambda db: _series_keeps_every_day(db),
)
add(
    "ics-folded-inside-a-utf8-character",
    ACCEPTED,
    file=(
        "fold.ics",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:f1\r\nSUMMARY:Caf\xc3"
        b"\r\n \xa9 in Z\xc3\xbcrich\r\nDTSTART;VALUE=DATE:20270112\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n",
    ),
    check=lambda db: _title_is(db, "Café in Zürich"),
)
add("ics-binary-garbage", REFUSED, file=("x.ics", os.urandom(4096)))
add("ics-only-header", EITHER, file=("x.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
add("ics-nul-bytes", REFUSED, file=("x.ics", b"BEGIN:VCALENDAR\x00\x00\x00"))
add("ics-vtodo-only", EITHER, file=("x.ics", ics("BEGIN:VTODO\r\nUID:t\r\nSUMMARY:x\r\nEND:VTODO")))
add(
    "ics-no-dtstart",
    REFUSED,
    file=("x.ics", ics("BEGIN:VEVENT\r\nUID:n\r\nSUMMARY:x\r\nEND:VEVENT")),
)
add(
    "ics-bad-tzid",
    REFUSED,
    file=("x.ics", ics(vevent("DTSTART;TZID=Mars/Olympus:20270112T090000"))),
)

# -- Convener documents ------------------------------------------------------------------
for field, value in (
    ("access", '"Invitation-Only"'),
    ("access", '"PUBLIC"'),
    ("kind", '"Workshop"'),
    ("start_time", '"19:00:00"'),
    ("start_time", "19:00:00"),
    ("url", '"gi-toc.org"'),
    ("capacity", "0"),
    ("capacity", "100000"),
    ("repeat", '"FREQ=WEEKLY;COUNT=3"'),
    ("end_date", "2028-01-12"),
):
    add(f"toml-accepted-{field}-{value}", ACCEPTED, file=("doc.toml", toml_event(**{field: value})))
for field, value in (
    ("access", '"bogus"'),
    ("status", '"maybe"'),
    ("kind", '"party"'),
    ("url", '"javascript:alert(1)"'),
    ("url", '"data:text/html;base64,PHNjcmlwdD4="'),
    ("capacity", "9223372036854775808"),
    ("capacity", "100001"),
    ("capacity", "-1"),
    ("capacity", '"many"'),
    ("start_date", "9999-12-31"),
    ("start_date", "0001-01-01"),
    ("start_date", '"June 31, 2027"'),
    ("end_date", "2029-01-12"),
    ("end_date", "2026-01-01"),
    ("start_time", '"25:00"'),
    ("timezone", '"Mars/Olympus"'),
    ("repeat", '"FREQ=DAILY;INTERVAL=0"'),
    ("repeat", '"FREQ=WEEKLY;UNTIL=20260101"'),
    ("repeat", '"FREQ=DAILY;BYHOUR=1,2,3"'),
    ("repeat", '"FREQ=DAILY;UNTIL=99991231"'),
    ("title", '"' + "x" * 200_000 + '"'),
    ("title", '""'),
    ("description", '"' + "d" * 5_000_000 + '"'),
):
    add(
        f"toml-refused-{field}-{value[:30]}",
        REFUSED,
        file=("doc.toml", toml_event(**{field: value})),
    )
add(
    "toml-person-bad-email",
    REFUSED,
    file=("p.toml", 'convener = 1\n[[people]]\nname = "Ana"\nemail = "not-an-email"\nuid = "p1"\n'),
)
add(
    "toml-organisation-javascript-website",
    REFUSED,
    file=(
        "o.toml",
        'convener = 1\n[[organisations]]\nname = "X"\nwebsite = "javascript:alert(1)"\nuid = "o1"\n',
    ),
)
add(
    "toml-publication-year-1",
    REFUSED,
    file=(
        "b.toml",
        'convener = 1\n[[publications]]\ntitle = "X"\npublished = "0001-01"\nuid = "b1"\n',
    ),
)
add(
    "toml-session-outside-its-event",
    REFUSED,
    file=(
        "s.toml",
        toml_event()
        + '[[events.sessions]]\ndate = 2031-01-01\ntitle = "Later"\nuid = "s1"\nspeakers = []\n',
    ),
)
add(
    "toml-invitation-bad-status",
    REFUSED,
    file=(
        "i.toml",
        'convener = 1\n[[people]]\nname = "Ana"\nuid = "p1"\n'
        + toml_event()[len("convener = 1\n") :]
        + '[[events.invitations]]\nuid = "i1"\nstatus = "bogus"\nperson = "p1"\n',
    ),
)
add(
    "toml-invitation-huge-plus-ones",
    REFUSED,
    file=(
        "i.toml",
        'convener = 1\n[[people]]\nname = "Ana"\nuid = "p1"\n'
        + toml_event()[len("convener = 1\n") :]
        + '[[events.invitations]]\nuid = "i1"\nplus_ones = 99999999999999999999\nperson = "p1"\n',
    ),
)
add("json-array-of-garbage", REFUSED, file=("x.json", "[1, 2, 3]"))
add(
    "json-huge-number",
    REFUSED,
    file=(
        "x.json",
        '{"convener": 1, "events": [{"title": "x", "start_date": "2027-01-01", "capacity": 1e400}]}',
    ),
)
add(
    "json-null-title",
    REFUSED,
    file=("x.json", '{"convener": 1, "events": [{"title": null, "start_date": "2027-01-01"}]}'),
)
add(
    "json-nested-title",
    REFUSED,
    file=("x.json", '{"convener": 1, "events": [{"title": {"a": 1}, "start_date": "2027-01-01"}]}'),
)

# -- guest lists ---------------------------------------------------------------------------
for row in (
    "Ana,ana@example.org,bogus,participant,0",
    "Ana,ana@example.org,accepted,emperor,0",
    "Ana,not-an-email,accepted,participant,0",
    "Ana,ana@example.org,accepted,participant,99999999999999999999",
    "Ana,ana@example.org,accepted,participant,-1",
    "Ana,ana@example.org,accepted,participant,lots",
    "N" * 300_000 + ",n@example.org,accepted,participant,0",
    ",,accepted,participant,0",
):
    add(f"csv-refused-{row[:40]}", REFUSED, file=("g.csv", guests(row)), argv=("--event", "1"))
for row in (
    "Ana,ana@example.org,Accepted,Speaker,1",
    "=cmd|' /C calc'!A0,x@example.org,invited,participant,0",
    "Zoë Ünal,zoe@example.org,waitlisted,press,0",
):
    add(f"csv-accepted-{row[:30]}", ACCEPTED, file=("g.csv", guests(row)), argv=("--event", "1"))

# -- event pages ---------------------------------------------------------------------------
for body in (
    "Website: javascript:alert(1)",
    "Capacity: 99999999999999999999999",
    "\x1b]0;X\x07 [b]bold[/b] \u202e",
    "Partners: " + "P" * 100_000,
):
    add(f"page-{body[:30]}", EITHER, file=("p.txt", PAGE.format(body=body)))
add("page-year-9999", REFUSED, file=("p.txt", PAGE.replace("2020", "9999").format(body="")))
add(
    "page-year-1",
    REFUSED,
    file=("p.txt", PAGE.replace("October 29, 2020", "January 1, 0001").format(body="")),
)

# -- command lines ---------------------------------------------------------------------------
for argv in (
    ("agenda", "--from", "9999-12-15"),
    ("agenda", "--from", "0001-01-01"),
    ("agenda", "--from", "2027-01-01", "--to", "9999-12-31"),
    ("agenda", "--to", "1899-12-31"),
    ("list", "events", "--from", "9999-12-15"),
    ("export", "event", "99999999999999999999999"),
    ("export", "event", "9223372036854775808"),
    ("export", "event", "-1"),
    ("export", "event", "0"),
    ("export", "event", "1e3"),
    ("export", "event", "x" * 5000),
    ("import", "--event", "99999999999999999999999", "nothing.csv"),
    ("search", "peace", "--limit", "99999999999999999999"),
    ("search", "peace", "--limit", "0"),
    ("search", "peace", "--limit", "-5"),
    ("import", "/no/such/file.ics"),
    ("import", "/dev/zero"),
    ("import", "/dev/null"),
    ("import", "/" + "a" * 5000 + ".ics"),
    ("import", "/etc"),
    ("list", "events", "--from", "2027-02-30"),
    ("undo", "--list", "--bogus"),
):
    add(f"cmd-{' '.join(argv)[:50]}", REFUSED, argv=argv)
for argv in (
    ("agenda", "--from", "2200-12-01"),
    ("agenda", "--from", "1900-01-01", "--to", "1900-02-01"),
    ("search", "AND OR NOT \" ' -- *", "--json"),
    ("search", "x" * 5000),
    ("list", "people", "--json"),
    ("check",),
):
    add(f"cmd-ok-{' '.join(argv)[:50]}", ACCEPTED, argv=argv)


def _series_keeps_every_day(db: Path) -> None:
    planner = Planner(Store(db), today=lambda: TODAY)
    try:
        days = [
            o.start_date
            for o in planner.occurrences_between(date(2027, 1, 1), date(2027, 2, 28))
            if o.event.title == "Hostile"
        ]
    finally:
        planner.store.close()
    assert days == [date(2027, 1, 12) + timedelta(weeks=n) for n in range(4)]


def _title_is(db: Path, title: str) -> None:
    store = Store(db)
    try:
        titles = {r["title"] for r in store._rows("select title from events")}
    finally:
        store.close()
    assert title in titles


def run(argv: list[str]) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(argv)
    return out.getvalue(), err.getvalue(), status


def _digest(db: Path) -> str:
    store = Store(db)
    try:
        return hashlib.sha256("\n".join(store._conn.iterdump()).encode()).hexdigest()
    finally:
        store.close()


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small database: one event (id 1) with a guest, one person."""
    from tui.domain.models import Event, Invitation, Person

    path = tmp_path_factory.mktemp("hostile") / "base.db"
    planner = Planner(Store(path), today=lambda: TODAY)
    event = planner.save(
        Event(title="Base", start_date=date(2027, 1, 5), end_date=date(2027, 1, 6))
    )
    person = planner.save(Person(name="Base Guest", email="base@example.org"))
    assert event.id is not None and person.id is not None
    planner.save(Invitation(event_id=event.id, person_id=person.id, status="accepted"))
    planner.store.close()
    return path


def _still_works(db: Path) -> None:
    """Agenda, every list, every export of every event and the month view's data."""
    for argv in (
        ["agenda", "--from", "2026-12-01", "--to", "2027-03-01"],
        ["agenda", "--from", "2026-12-01", "--to", "2027-03-01", "--format", "ics"],
        ["list", "events", "--json"],
        ["list", "events", "--json", "--include-private"],
        ["list", "people", "--json"],
        ["list", "organisations", "--json"],
        ["list", "publications", "--json"],
        ["list", "events"],
        ["search", "hostile", "--json"],
    ):
        _, err, status = run(["--db", str(db), *argv])
        assert status == 0, (argv, err)
    store = Store(db)
    ids = [r["id"] for r in store._rows("select id from events where deleted_at is null")]
    store.close()
    for event_id in ids:
        for form in ("md", "briefing", "csv", "ics", "toml", "json"):
            _, err, status = run(
                [
                    "--db",
                    str(db),
                    "export",
                    "event",
                    str(event_id),
                    "--format",
                    form,
                    "--include-private",
                ]
            )
            assert status == 0, (event_id, form, err)
    planner = Planner(Store(db), today=lambda: TODAY)
    try:
        first = date(2026, 12, 1)
        for month in range(4):  # the month grid's data: each day's count and the agenda
            start = date(
                first.year + (first.month - 1 + month) // 12, (first.month - 1 + month) % 12 + 1, 1
            )
            planner.days_with_events(start - timedelta(days=7), start + timedelta(days=42))
            planner.occurrences_between(start, start + timedelta(days=31))
    finally:
        planner.store.close()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_input_is_refused_in_one_line_or_harmless(
    case: Case, base_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "hostile.db"
    shutil.copy(base_db, db)
    before = _digest(db)
    argv = ["--db", str(db)]
    if case.file is not None:
        name, content = case.file
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        argv += ["import", str(path), *case.argv]
    else:
        argv += list(case.argv)
    out, err, status = run(argv)
    assert "Traceback" not in err and "unexpected error" not in err, err[:300]
    assert status in (0, 2), (status, err[:300])
    if status == 2:
        assert case.expect in (REFUSED, EITHER), f"refused: {err.strip()[:300]}"
        lines = err.splitlines()
        assert len(lines) == 1 and len(lines[0]) <= 220, lines[:3]
        assert _digest(db) == before
    else:
        assert case.expect in (ACCEPTED, EITHER), f"accepted: {out[:200]} {err[:200]}"
        _still_works(db)
        if case.check is not None:
            case.check(db)


def test_the_corpus_is_large_and_covers_every_importer_and_command() -> None:
    assert len(CASES) >= 150
    kinds = {Path(c.file[0]).suffix for c in CASES if c.file}
    assert {".ics", ".toml", ".json", ".csv", ".txt"} <= kinds
    commands = {c.argv[0] for c in CASES if c.file is None}
    assert {"agenda", "list", "export", "import", "search"} <= commands


def _damaged_page(db: Path) -> None:
    with db.open("r+b") as handle:
        handle.seek(4096 * 5)
        handle.write(b"\xde\xad" * 2000)


def _not_a_database(db: Path) -> None:
    db.write_bytes(b"garbage, not SQLite at all " * 300)


def _broken_schema(db: Path) -> None:
    import sqlite3

    connection = sqlite3.connect(db)
    connection.execute("pragma writable_schema = on")
    connection.execute(
        "update sqlite_master set sql = 'create table events(x' where name = 'events'"
    )
    connection.commit()
    connection.close()


@pytest.mark.parametrize("spoil", [_damaged_page, _not_a_database, _broken_schema])
@pytest.mark.parametrize(
    "argv",
    [("check",), ("list", "events"), ("agenda",), ("search", "peace"), ("export", "event", "1")],
)
def test_a_damaged_database_is_said_in_one_line_by_every_command(
    sample_db: Path, spoil: Callable[[Path], None], argv: tuple[str, ...]
) -> None:
    spoil(sample_db)
    out, err, status = run(["--db", str(sample_db), *argv])
    assert "Traceback" not in err and "unexpected error" not in err, err
    if status == 0:  # the damage is in a page this command did not need
        assert argv != ("check",)
        return
    assert status in (1, 2)
    said = (err or out).strip().splitlines()
    assert len(said) == 1 and len(said[0]) <= 220, said
    assert any(w in said[0] for w in ("damaged", "cannot be read", "cannot open")), said


@pytest.mark.parametrize("kind", ["fifo", "symlink-loop", "device", "growing-name"])
def test_special_files_are_refused_in_one_line_without_waiting(
    sample_db: Path, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "calendar.ics"
    if kind == "fifo":
        os.mkfifo(path)  # reading it would wait for a writer forever
    elif kind == "symlink-loop":
        os.symlink(tmp_path / "other.ics", path)
        os.symlink(path, tmp_path / "other.ics")
    elif kind == "device":
        path = Path("/dev/urandom")
    else:
        path = tmp_path / ("n" * 250 + ".ics")
    before = _digest(sample_db)
    _, err, status = run(["--db", str(sample_db), "import", str(path)])
    assert status == 2
    lines = err.splitlines()
    assert len(lines) == 1 and len(lines[0]) <= 220, lines
    assert "Traceback" not in err
    assert _digest(sample_db) == before


def test_an_empty_db_path_is_refused_not_taken_for_the_default() -> None:
    _, err, status = run(["--db", "", "list", "events"])
    assert status == 2 and "--db: the path is empty" in err
