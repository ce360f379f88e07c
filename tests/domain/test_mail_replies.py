"""iMIP replies as calendar clients write them, read from .eml, .mbox, Maildir and .ics."""

from __future__ import annotations

import base64
import mailbox
import quopri
import random
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tui.domain.dates import format_span
from tui.domain.errors import InvalidInput
from tui.domain.mail.replies import NOT_MAIL
from tui.domain.models import Event, Invitation
from tui.domain.planner import Planner
from tui.domain.store import Store

from ..conftest import TODAY

EVENT_ID = 12  # the Zürich roundtable (Europe/Zurich), invitation-only


def _guest(planner: Planner, status: str) -> tuple[str, str]:
    """(name, email) of the first guest of the event in `status` with an e-mail."""
    for invitation, person in planner.guests_with_people(EVENT_ID):
        if invitation.status == status and person.email:
            return person.name, person.email
    raise AssertionError(status)


def _status(planner: Planner, email: str) -> tuple[str, date | None, str | None]:
    for invitation, person in planner.guests_with_people(EVENT_ID):
        if person.email == email:
            return invitation.status, invitation.responded_on, invitation.response_via
    raise AssertionError(email)


def reply_ics(
    uid: str,
    email: str,
    partstat: str,
    *,
    method: str | None = "REPLY",
    mailto: str = "mailto:",
    extra: str = "",
    crlf: bool = True,
    stamp: str | None = "20261130T120000Z",
) -> str:
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Test//Client//EN", "VERSION:2.0"]
    if method:
        lines.append(f"METHOD:{method}")
    lines += [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        *([f"DTSTAMP:{stamp}"] if stamp else []),
        "DTSTART;TZID=Europe/Zurich:20261208T093000",
        "SEQUENCE:0",
        "SUMMARY:Roundtable on Subnational Diplomacy",
        # A long ATTENDEE line, folded as clients fold it (RFC 5545 3.1).
        f'ATTENDEE;CN="A guest with a rather long display name";PARTSTAT={partstat};\r\n'
        f" ROLE=REQ-PARTICIPANT:{mailto}{email}",
        "ORGANIZER:mailto:kelsey@stanleycenter.example",
    ]
    if extra:
        lines.append(extra)
    lines += ["END:VEVENT", "END:VCALENDAR", ""]
    text = "\r\n".join(lines)
    return text if crlf else text.replace("\r\n", "\n")


HEADERS = (
    "From: {email}\r\nTo: kelsey@stanleycenter.example\r\n"
    "Subject: {subject}\r\nDate: {date}\r\nMessage-ID: <x{n}@example.org>\r\nMIME-Version: 1.0\r\n"
)
# 23:30 in Los Angeles on 30 November is 08:30 on 1 December in Zürich: the event's day terms.
LATE_DATE = "Mon, 30 Nov 2026 23:30:00 -0800"
LATE_STAMP = "20261201T073000Z"
"""The same moment as the calendar stamps the answer it sends (DTSTAMP, UTC)."""


def outlook(uid: str, email: str, partstat: str, stamp: str = LATE_STAMP) -> bytes:
    """Outlook: multipart/alternative with text, HTML and a base64 text/calendar; method in
    the Content-Type and in the body; MAILTO: in capitals."""
    ics = reply_ics(uid, email, partstat, mailto="MAILTO:", stamp=stamp)
    ics = base64.encodebytes(ics.encode()).decode()
    return (
        HEADERS.format(email=email, subject="Accepted: Roundtable", date=LATE_DATE, n=1)
        + 'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n'
        '--b1\r\nContent-Type: text/plain; charset="utf-8"\r\n\r\nAccepted\r\n'
        '--b1\r\nContent-Type: text/html; charset="utf-8"\r\n\r\n<p>Accepted</p>\r\n'
        '--b1\r\nContent-Type: text/calendar; charset="utf-8"; method=REPLY\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{ics}\r\n--b1--\r\n"
    ).encode()


def gmail(uid: str, email: str, partstat: str, stamp: str = LATE_STAMP) -> bytes:
    """Gmail: the calendar inline (7bit) and again as invite.ics, an attachment in base64."""
    ics = reply_ics(uid, email, partstat, stamp=stamp)
    attached = base64.encodebytes(ics.encode()).decode()
    return (
        HEADERS.format(email=email, subject="Declined: Roundtable", date=LATE_DATE, n=2)
        + 'Content-Type: multipart/mixed; boundary="m"\r\n\r\n'
        '--m\r\nContent-Type: multipart/alternative; boundary="a"\r\n\r\n'
        '--a\r\nContent-Type: text/plain; charset="UTF-8"\r\n\r\nDeclined\r\n'
        '--a\r\nContent-Type: text/calendar; charset="UTF-8"; method=REPLY\r\n'
        f"Content-Transfer-Encoding: 7bit\r\n\r\n{ics}\r\n--a--\r\n"
        '--m\r\nContent-Type: application/ics; name="invite.ics"\r\n'
        'Content-Disposition: attachment; filename="invite.ics"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{attached}\r\n--m--\r\n"
    ).encode()


def apple_mail(uid: str, email: str, partstat: str) -> bytes:
    """Apple Mail: an .ics attachment in quoted-printable, the method only in its body."""
    ics = quopri.encodestring(reply_ics(uid, email, partstat, stamp=LATE_STAMP).encode()).decode()
    return (
        HEADERS.format(email=email, subject="Tentative: Roundtable", date=LATE_DATE, n=3)
        + 'Content-Type: multipart/mixed; boundary="Apple-Mail=_1"\r\n\r\n'
        "--Apple-Mail=_1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nMaybe.\r\n"
        '--Apple-Mail=_1\r\nContent-Type: text/calendar; charset=utf-8; name="reply.ics"\r\n'
        'Content-Disposition: attachment; filename="reply.ics"\r\n'
        f"Content-Transfer-Encoding: quoted-printable\r\n\r\n{ics}\r\n--Apple-Mail=_1--\r\n"
    ).encode()


def thunderbird(uid: str, email: str, partstat: str) -> bytes:
    """Thunderbird: text/calendar; method=REPLY in quoted-printable with LF line ends, the
    method only in the Content-Type, the address in another case than ours."""
    ics = quopri.encodestring(
        reply_ics(uid, email.upper(), partstat, method=None, crlf=False, stamp=LATE_STAMP).encode()
    ).decode()
    return (
        HEADERS.format(email=email, subject="Accepted: Roundtable", date=LATE_DATE, n=4)
        + 'Content-Type: multipart/mixed; boundary="tb"\r\n\r\n'
        "--tb\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nAccepted.\r\n"
        "--tb\r\nContent-Type: text/calendar; method=REPLY; charset=UTF-8\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\n\r\n{ics}\r\n--tb--\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("writer", "partstat", "status"),
    [
        (outlook, "ACCEPTED", "accepted"),
        (gmail, "DECLINED", "declined"),
        (apple_mail, "TENTATIVE", "tentative"),
        (thunderbird, "ACCEPTED", "accepted"),
    ],
)
def test_a_reply_from_each_client_updates_the_guest(
    planner: Planner, tmp_path: Path, writer: object, partstat: str, status: str
) -> None:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    path = tmp_path / "reply.eml"
    path.write_bytes(writer(event.uid, email, partstat))  # type: ignore[operator]
    report = planner.import_file(path)
    assert _status(planner, email) == (status, date(2026, 12, 1), "email")
    assert report.counts[("updated", "guest")] == 1  # Gmail's two copies are one change
    assert "invited -> " + status in report.changes[0]
    assert planner.history()[0][0] == "Import replies from reply.eml"
    planner.undo()
    assert _status(planner, email)[0] == "invited"


def test_unknown_address_and_unknown_event_are_listed_and_change_nothing(
    planner: Planner, tmp_path: Path
) -> None:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    before = planner.guests_with_people(EVENT_ID)
    stranger = tmp_path / "stranger.eml"
    stranger.write_bytes(outlook(event.uid, "nobody@example.net", "ACCEPTED"))
    report = planner.import_file(stranger)
    assert report.skipped == [
        "stranger.eml: reply from nobody@example.net, who is not on the guest list of"
        f" {event.title}"
    ]
    _, email = _guest(planner, "invited")
    unknown = tmp_path / "unknown.eml"
    unknown.write_bytes(outlook("no-such-uid@example.org", email, "ACCEPTED"))
    report = planner.import_file(unknown)
    assert "for an unknown event (no-such-uid@example.org)" in report.skipped[0]
    assert planner.guests_with_people(EVENT_ID) == before


def test_counter_and_delegated_are_shown_not_guessed(planner: Planner, tmp_path: Path) -> None:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    before = _status(planner, email)
    counter = tmp_path / "counter.ics"
    counter.write_text(reply_ics(event.uid, email, "TENTATIVE", method="COUNTER"))
    report = planner.import_file(counter)
    assert report.skipped == [
        f"counter.ics: {email} proposes another time for {event.title}"
        " (Tue 8 Dec 2026 09:30 (Europe/Zurich)); not applied, answer it yourself"
    ]
    delegated = tmp_path / "delegated.ics"
    delegated.write_text(
        reply_ics(event.uid, email, "DELEGATED", extra='X-NOTE:"x"').replace(
            "PARTSTAT=DELEGATED;", 'PARTSTAT=DELEGATED;DELEGATED-TO="mailto:deputy@example.org";'
        )
    )
    report = planner.import_file(delegated)
    assert "delegated" in report.skipped[0] and "deputy@example.org" in report.skipped[0]
    assert _status(planner, email) == before


def test_a_bare_ics_reply_uses_its_dtstamp_for_the_day(planner: Planner, tmp_path: Path) -> None:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    path = tmp_path / "reply.ics"
    path.write_text(reply_ics(event.uid, email, "DECLINED"))
    planner.import_file(path)
    assert _status(planner, email) == ("declined", date(2026, 11, 30), "email")


def test_a_newsletter_is_skipped_with_one_line(planner: Planner, tmp_path: Path) -> None:
    path = tmp_path / "news.eml"
    path.write_bytes(
        b"From: news@example.org\r\nSubject: Our November newsletter\r\n"
        b"Content-Type: text/plain\r\n\r\nHello!\r\n"
    )
    report = planner.import_file(path)
    assert report.skipped == ["news.eml 'Our November newsletter': not a calendar reply"]
    assert planner.history() == []


def test_a_reply_that_names_no_attendee_is_said_so(planner: Planner, tmp_path: Path) -> None:
    """A METHOD:REPLY without an ATTENDEE was said to be "not a reply (METHOD:REPLY)"."""
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    ics = "\r\n".join(
        line
        for line in reply_ics(event.uid, "x@example.org", "ACCEPTED").split("\r\n")
        if not line.startswith(("ATTENDEE", " ROLE"))
    )
    path = tmp_path / "bare.eml"
    path.write_bytes(
        (
            "From: x@example.org\r\nSubject: Accepted\r\n"
            'Content-Type: text/calendar; method=REPLY; charset="utf-8"\r\n\r\n' + ics
        ).encode()
    )
    report = planner.import_file(path)
    assert report.skipped == [
        "bare.eml 'Accepted': a reply (METHOD:REPLY) that names no attendee: no answer to record"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01garbage\xff\xfe", "is not an e-mail message"),
        (
            b"From: a@example.org\r\nContent-Type: text/calendar; method=REPLY\r\n\r\n"
            b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n",
            "without a VEVENT",
        ),
    ],
)
def test_a_broken_mail_is_refused(
    planner: Planner, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "broken.eml"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message) as raised:
        planner.import_file(path)
    assert str(raised.value).startswith(f"{path}")
    assert planner.history() == []


def _replies_for_two_guests(planner: Planner) -> tuple[Event, str, str, list[bytes]]:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, first = _guest(planner, "invited")
    second = next(
        p.email
        for i, p in planner.guests_with_people(EVENT_ID)
        if i.status == "invited" and p.email and p.email != first
    )
    assert second is not None
    mails = [
        outlook(event.uid, first, "ACCEPTED"),
        b"From: news@example.org\nSubject: Newsletter\nContent-Type: text/plain\n\nHi\n",
        thunderbird(event.uid, second, "DECLINED"),
    ]
    return event, first, second, mails


def test_an_mbox_is_one_undo_step(planner: Planner, tmp_path: Path) -> None:
    _, first, second, mails = _replies_for_two_guests(planner)
    path = tmp_path / "replies.mbox"
    box = mailbox.mbox(path)
    for mail in mails:
        box.add(mail)
    box.close()
    report = planner.import_file(path)
    assert _status(planner, first)[0] == "accepted"
    assert _status(planner, second)[0] == "declined"
    assert len(report.skipped) == 1 and "not a calendar reply" in report.skipped[0]
    assert report.summary() == f"{path}: updated 2 guests; skipped 1"
    planner.undo()
    assert _status(planner, first)[0] == _status(planner, second)[0] == "invited"


def test_a_maildir_folder(planner: Planner, tmp_path: Path) -> None:
    _, first, second, mails = _replies_for_two_guests(planner)
    folder = tmp_path / "Replies"
    box = mailbox.Maildir(folder)
    for mail in mails:
        box.add(mail)
    box.close()
    planner.import_file(folder)
    assert _status(planner, first)[0] == "accepted"
    assert _status(planner, second)[0] == "declined"


def test_a_folder_reads_utf16_replies_says_cut_off_and_imports_its_calendars(
    planner: Planner, tmp_path: Path
) -> None:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    folder = tmp_path / "replies"
    folder.mkdir()
    # A reply saved by Windows Notepad as "Unicode" (UTF-16 with its BOM).
    (folder / "a-reply16.ics").write_bytes(reply_ics(event.uid, email, "ACCEPTED").encode("utf-16"))
    (folder / "b-cut.ics").write_text(reply_ics(event.uid, email, "DECLINED")[:200])
    # A calendar (no METHOD:REPLY) of another event: imported for its event.
    (folder / "c-events.ics").write_text(
        reply_ics("another-event@example.org", email, "ACCEPTED", method=None)
    )
    report = planner.import_file(folder)
    assert _status(planner, email)[0] == "accepted"
    assert report.skipped == ["b-cut.ics: the calendar part is cut off (no END:VCALENDAR)"]
    assert report.counts[("added", "event")] == 1
    assert report.refused == []


def test_a_folder_of_calendars_imports_each_and_passes_over_what_is_no_page(
    planner: Planner, tmp_path: Path
) -> None:
    """A folder was read as mail only: two calendars in it were refused ("import the files
    themselves by name"). Each is imported now; notes that are no page are passed over."""
    _, email = _guest(planner, "invited")
    folder = tmp_path / "trip"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.ics").write_text(
            reply_ics(f"{name}-event@example.org", email, "ACCEPTED", method=None)
        )
    (folder / "notes.txt").write_text("not looked at\n")
    report = planner.import_file(folder)
    assert report.counts[("added", "event")] == 2
    assert report.skipped == ["notes.txt: not an event or publication page; passed over"]
    assert report.refused == [] and report.wrote
    assert _status(planner, email)[0] == "invited"


def test_importing_the_same_reply_twice_says_it_is_recorded_already(
    planner: Planner, tmp_path: Path
) -> None:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    name, email = _guest(planner, "invited")
    path = tmp_path / "reply.eml"
    path.write_bytes(gmail(event.uid, email, "ACCEPTED"))
    assert planner.import_file(path).wrote
    report = planner.import_file(path)
    assert report.summary() == f"{path}: skipped 1"
    # 23:30 in Los Angeles on 30 Nov is 08:30 on 1 Dec in Zürich (the event's zone: the
    # planner has no zone of the officer's).
    assert report.skipped == [
        f"reply.eml: {name} at {event.title}: already recorded (accepted, 1 Dec 08:30):"
        " nothing to change"
    ]
    assert not report.wrote
    assert len(planner.history()) == 1


def test_a_reply_for_one_occurrence_is_shown_not_applied(planner: Planner, tmp_path: Path) -> None:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    path = tmp_path / "one-date.ics"
    path.write_text(
        reply_ics(event.uid, email, "DECLINED", extra="RECURRENCE-ID;VALUE=DATE:20261208")
    )
    report = planner.import_file(path)
    assert "DECLINED" in report.skipped[0] and "2026-12-08 only" in report.skipped[0]
    assert _status(planner, email)[0] == "invited"


def _at(mail: bytes, when: str) -> bytes:
    return mail.replace(LATE_DATE.encode(), when.encode())


def test_a_guests_answers_of_one_day_keep_the_later_and_a_doubt_is_said_not_guessed(
    planner: Planner, tmp_path: Path
) -> None:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    # Each calendar stamps its answer when it writes it (DTSTAMP, in UTC), as it sends it.
    morning = _at(
        outlook(event.uid, email, "ACCEPTED", "20261202T080000Z"), "Wed, 02 Dec 2026 09:00:00 +0100"
    )
    afternoon = _at(
        gmail(event.uid, email, "DECLINED", "20261202T140000Z"), "Wed, 02 Dec 2026 15:00:00 +0100"
    )
    # In one mailbox, the later answer last in time wins, whatever the order in the box.
    path = tmp_path / "replies.mbox"
    box = mailbox.mbox(path)
    box.add(afternoon)
    box.add(morning)
    box.close()
    report = planner.import_file(path)
    assert _status(planner, email)[:2] == ("declined", date(2026, 12, 2))
    assert report.summary() == f"{path}: updated 1 guest"  # one guest, answered twice
    # Imported on its own afterwards, the morning's acceptance is older than the answer
    # recorded (its time is kept): it is said and not applied.
    one = tmp_path / "morning.eml"
    one.write_bytes(morning)
    report = planner.import_file(one)
    assert _status(planner, email)[0] == "declined"
    name = _name(planner, email)
    assert report.skipped == [
        f"morning.eml: {name} at {event.title}: an older reply (accepted, 2 Dec 09:00) than"
        " the one recorded (declined, 2 Dec 15:00): not applied"
    ]


def test_a_reply_dated_in_the_future_is_said_and_not_applied(
    planner: Planner, tmp_path: Path
) -> None:
    """A Date of 2099 (a sender's clock set wrong) was kept, and outranked every real reply
    after it ("an older reply") until 2099; it is refused, saying so, and the real one
    applies."""
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    future = tmp_path / "future.eml"
    future.write_bytes(
        _at(
            outlook(event.uid, email, "DECLINED", "20990101T000000Z"),
            "Thu, 1 Jan 2099 00:00:00 +0000",
        )
    )
    report = planner.import_file(future)
    assert _status(planner, email)[0] == "invited"
    name = _name(planner, email)
    assert report.skipped == [
        f"future.eml: {name} at {event.title}: a reply (declined) dated Thu 1 Jan 2099 01:00"
        " (Europe/Zurich), in the future: not applied (the sender's clock is wrong?); set it"
        " yourself if the answer stands"
    ]
    real = tmp_path / "real.eml"
    real.write_bytes(outlook(event.uid, email, "ACCEPTED"))
    planner.import_file(real)
    assert _status(planner, email)[0] == "accepted"


def _name(planner: Planner, email: str) -> str:
    return next(p.name for _, p in planner.guests_with_people(EVENT_ID) if p.email == email)


def test_a_guest_who_changes_their_mind_the_same_day_gets_the_later_answer(
    planner: Planner, tmp_path: Path
) -> None:
    """Two mails imported one by one: the time of the answer applied is kept, so a later
    answer of the same day replaces it (Outlook's accept at 15:10, a decline at 16:00), and
    the undo step puts the earlier answer back with its time."""
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    accept = tmp_path / "replies1-accept.eml"
    accept.write_bytes(
        _at(
            outlook(event.uid, email, "ACCEPTED", "20261204T141000Z"),
            "Fri, 04 Dec 2026 15:10:00 +0100",
        )
    )
    decline = tmp_path / "replies2-decline.eml"
    decline.write_bytes(
        _at(
            outlook(event.uid, email, "DECLINED", "20261204T150000Z"),
            "Fri, 04 Dec 2026 16:00:00 +0100",
        )
    )
    planner.import_file(accept)
    report = planner.import_file(decline)
    assert report.skipped == []
    assert _status(planner, email) == ("declined", date(2026, 12, 4), "email")
    [line] = [i for i, p in planner.guests_with_people(EVENT_ID) if p.email == email]
    assert line.responded_at == datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    planner.undo()
    [line] = [i for i, p in planner.guests_with_people(EVENT_ID) if p.email == email]
    assert (line.status, line.responded_at) == (
        "accepted",
        datetime(2026, 12, 4, 14, 10, tzinfo=UTC),
    )


def _mailed(path: Path, mail: bytes, when: str) -> Path:
    """`mail` with its Date set to `when`, written at `path`."""
    path.write_bytes(_at(mail, when))
    return path


def _line_of(planner: Planner, email: str) -> Invitation:
    [line] = [i for i, p in planner.guests_with_people(EVENT_ID) if p.email == email]
    return line


def test_the_mails_date_wins_over_dtstamp_for_the_day_and_the_order(
    planner: Planner, tmp_path: Path
) -> None:
    """SPEC: responded_on is the mail's date. An answer stamped 2 Dec 23:59 (DTSTAMP) and
    mailed 3 Dec 00:01 (Date) is recorded on 3 Dec at the mail's time; a decline stamped
    a minute earlier but mailed at 09:00 is the later answer, by its Date, and wins."""
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    accepted = outlook(event.uid, email, "ACCEPTED", "20261202T225900Z")
    planner.import_file(_mailed(tmp_path / "late.eml", accepted, "Thu, 03 Dec 2026 00:01:00 +0100"))
    line = _line_of(planner, email)
    assert (line.status, line.responded_on, line.responded_at) == (
        "accepted",
        date(2026, 12, 3),
        datetime(2026, 12, 2, 23, 1, tzinfo=UTC),
    )
    declined = gmail(event.uid, email, "DECLINED", "20261202T225800Z")
    report = planner.import_file(
        _mailed(tmp_path / "later.eml", declined, "Thu, 03 Dec 2026 09:00:00 +0100")
    )
    assert report.skipped == []
    line = _line_of(planner, email)
    assert (line.status, line.responded_on, line.responded_at) == (
        "declined",
        date(2026, 12, 3),
        datetime(2026, 12, 3, 8, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("date_header", "day"),
    [
        ("Thu, 03 Dec 2026 09:15:00 +0100", date(2026, 12, 3)),  # the Date wins
        (None, date(2026, 12, 1)),  # no Date: the DTSTAMP's day
        ("the day after tomorrow", date(2026, 12, 1)),  # a Date that cannot be read
        ("Sat, 03 Dec 2450 09:15:00 +0100", date(2026, 12, 1)),  # nor one out of reason
    ],
)
def test_responded_on_is_the_mails_date_else_the_dtstamp(
    planner: Planner, tmp_path: Path, date_header: str | None, day: date
) -> None:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    mail = outlook(event.uid, email, "ACCEPTED", "20261201T080000Z")
    if date_header is None:
        mail = mail.replace(f"Date: {LATE_DATE}\r\n".encode(), b"")
    else:
        mail = _at(mail, date_header)
    path = tmp_path / "reply.eml"
    path.write_bytes(mail)
    planner.import_file(path)
    assert _status(planner, email) == ("accepted", day, "email")


def test_the_day_is_the_officers_when_their_zone_is_known(store: Store, tmp_path: Path) -> None:
    """Mailed Thu 3 Dec 01:30 in Zürich, it is still 2 Dec in New York, where the officer
    is: SPEC's dates are the officer's (invited_on is their today too)."""
    planner = Planner(store, today=lambda: TODAY, own_zone="America/New_York")
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    mail = _at(
        outlook(event.uid, email, "ACCEPTED", "20261203T003000Z"), "Thu, 03 Dec 2026 01:30:00 +0100"
    )
    path = tmp_path / "reply.eml"
    path.write_bytes(mail)
    planner.import_file(path)
    assert _status(planner, email) == ("accepted", date(2026, 12, 2), "email")


def test_two_answers_sent_at_the_same_time_are_said_not_guessed(
    planner: Planner, tmp_path: Path
) -> None:
    """A client that stamps every reply alike (its DTSTAMP copied from the invitation) is
    told apart by the mails' Date; two mails of the very same second are not."""
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    stamp = "20261202T080000Z"
    first = _mailed(
        tmp_path / "first.eml",
        outlook(event.uid, email, "ACCEPTED", stamp),
        "Wed, 02 Dec 2026 09:00:00 +0100",
    )
    second = _mailed(
        tmp_path / "second.eml",
        gmail(event.uid, email, "DECLINED", stamp),
        "Wed, 02 Dec 2026 15:00:00 +0100",
    )
    planner.import_file(first)
    planner.import_file(second)
    assert _status(planner, email)[0] == "declined"
    same = _mailed(
        tmp_path / "same.eml",
        outlook(event.uid, email, "TENTATIVE", stamp),
        "Wed, 02 Dec 2026 15:00:00 +0100",
    )
    report = planner.import_file(same)
    assert _status(planner, email)[0] == "declined"
    assert report.skipped == [
        f"same.eml: {_name(planner, email)} at {event.title}: a reply (tentative, 2 Dec 15:00)"
        " sent at the same time as the one recorded (declined, 2 Dec 15:00), so which came"
        " last cannot be told: not applied; set it yourself if this one is the newer"
    ]


def test_a_reply_without_a_time_beside_one_of_the_same_day_is_said_not_guessed(
    planner: Planner, tmp_path: Path
) -> None:
    """Only the day is known of one of the two (a reply .ics without DTSTAMP, an answer
    marked by hand): the same-day rule holds, said in plain words."""
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    [line] = [i for i, p in planner.guests_with_people(EVENT_ID) if p.email == email]
    assert line.id is not None
    planner.set_guest_status([line.id], "accepted", via="email", on=planner.today())
    bare = tmp_path / "bare.ics"
    bare.write_text(reply_ics(event.uid, email, "DECLINED", stamp=None))
    report = planner.import_file(bare)
    day = planner.today()
    assert _status(planner, email)[0] == "accepted"
    assert report.skipped == [
        f"bare.ics: {_name(planner, email)} at {event.title}: this reply (declined) and the"
        f" one recorded (accepted) are both of {format_span(day, day)}, and which came last"
        " cannot be told: not applied; set it yourself if this one is the newer"
    ]


def test_an_answer_marked_by_hand_drops_the_time_of_the_mailed_one(
    planner: Planner, tmp_path: Path
) -> None:
    """A mailed acceptance at 09:00, then a decline by phone marked the same day: a mail
    written at 10:00 cannot be put after the phone call, so it is not applied."""
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    accepted = outlook(event.uid, email, "ACCEPTED", "20261202T080000Z")
    planner.import_file(
        _mailed(tmp_path / "first.eml", accepted, "Wed, 02 Dec 2026 09:00:00 +0100")
    )
    line = _line_of(planner, email)
    assert line.id is not None and line.responded_at is not None
    planner.set_guest_status([line.id], "declined", via="phone", on=date(2026, 12, 2))
    line = _line_of(planner, email)
    assert line.responded_at is None
    planner.save(replace(line, status="accepted", responded_at=datetime(2026, 12, 2, tzinfo=UTC)))
    [line] = [i for i, p in planner.guests_with_people(EVENT_ID) if p.email == email]
    assert line.responded_at is not None  # set with the change: kept
    planner.save(replace(line, status="declined"))
    [line] = [i for i, p in planner.guests_with_people(EVENT_ID) if p.email == email]
    assert line.responded_at is None  # the answer changed by hand: the time goes
    later = tmp_path / "later.eml"
    later.write_bytes(
        _at(
            gmail(event.uid, email, "ACCEPTED", "20261202T090000Z"),
            "Wed, 02 Dec 2026 10:00:00 +0100",
        )
    )
    report = planner.import_file(later)
    assert _status(planner, email)[0] == "declined"
    assert "which came last cannot be told" in report.skipped[0]


def test_a_reply_for_a_cancelled_or_trashed_event_is_said_and_a_comment_is_shown(
    planner: Planner, tmp_path: Path
) -> None:
    from dataclasses import replace

    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    path = tmp_path / "reply.eml"
    path.write_bytes(
        gmail(event.uid, email, "TENTATIVE").replace(
            b"ORGANIZER:", b"COMMENT:I may be late\\, my flight lands at 18:00\r\nORGANIZER:", 1
        )
    )
    planner.save(replace(event, status="cancelled"))
    report = planner.import_file(path)
    assert _status(planner, email)[0] == "invited"
    assert any("which is cancelled; not applied" in line for line in report.skipped)
    planner.save(replace(planner.event(EVENT_ID), status="confirmed"))
    planner.delete(planner.event(EVENT_ID))
    report = planner.import_file(path)
    assert any("which is in the trash" in line for line in report.skipped)
    planner.undo()  # back from the trash
    report = planner.import_file(path)
    assert _status(planner, email)[0] == "tentative"
    assert "wrote: 'I may be late, my flight lands at 18:00'" in report.changes[0]


FIXTURES = Path(__file__).parent.parent / "fixtures" / "mail"
"""Replies as Outlook and Gmail write them, to the sample Zürich roundtable (EVENT_ID)."""

GARBAGE = random.Random(7).randbytes(3000)
"""Random bytes: no mail, no mailbox (they do not start with "From ")."""


def _all_lines(planner: Planner) -> list[tuple[str, date | None, str | None]]:
    return [
        (i.status, i.responded_on, i.response_via) for i, _ in planner.guests_with_people(EVENT_ID)
    ]


@pytest.mark.parametrize(
    ("name", "email", "status", "day"),
    [
        # Mailed Thu 3 Dec 09:15 +0100; the calendar stamped it on 1 Dec: the Date wins.
        ("outlook-accepted.eml", "gsouza@cvg.org", "accepted", date(2026, 12, 3)),
        ("gmail-declined.eml", "henrik.johansson@example.org", "declined", date(2026, 12, 4)),
    ],
)
def test_outlook_and_gmail_replies_as_they_write_them(
    planner: Planner, name: str, email: str, status: str, day: date
) -> None:
    assert _status(planner, email)[0] == "invited"
    report = planner.import_file(FIXTURES / name)
    assert _status(planner, email) == (status, day, "email")
    assert report.skipped == [] and report.wrote
    assert report.counts[("updated", "guest")] == 1  # Gmail's two copies: one answer


def test_a_reply_sent_by_someone_else_than_the_guest_is_not_applied(planner: Planner) -> None:
    """RFC 6047 3.1, 3.2.3: the From of an iMIP REPLY must be the attendee's own."""
    before = _all_lines(planner)
    report = planner.import_file(FIXTURES / "outlook-spoofed.eml")
    assert report.skipped == [
        "outlook-spoofed.eml: reply for rahul.mehta@un.org sent by someone@elsewhere.example:"
        " not applied"
    ]
    assert not report.wrote and report.summary().endswith(": skipped 1")
    assert _all_lines(planner) == before and planner.history() == []


@pytest.mark.parametrize(
    ("sender", "applied"),
    [
        ('"SOUZA, Gabriela" <GSouza@CVG.org>', True),  # another case and a display name
        ("Gabriela Souza <gsouza@cvg.org>, assistant@cvg.org", True),  # one of two is hers
        ("assistant@cvg.org", False),
        ("Gabriela Souza <", False),  # no address in it (the stdlib's parser raised here)
        (None, False),  # no From: at all
    ],
)
def test_the_sender_must_be_the_attendee(
    planner: Planner, tmp_path: Path, sender: str | None, applied: bool
) -> None:
    mail = (FIXTURES / "outlook-accepted.eml").read_bytes()
    header = b"From: Gabriela Souza <gsouza@cvg.org>\r\n"
    assert header in mail
    mail = mail.replace(header, f"From: {sender}\r\n".encode() if sender else b"")
    path = tmp_path / "reply.eml"
    path.write_bytes(mail)
    report = planner.import_file(path)
    assert (_status(planner, "gsouza@cvg.org")[0] == "accepted") is applied
    if not applied:
        [line] = report.skipped
        assert line.startswith("reply.eml: reply for gsouza@cvg.org sent by ")
        assert line.endswith(": not applied")


def test_a_bare_reply_calendar_has_no_sender_to_check(planner: Planner, tmp_path: Path) -> None:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    path = tmp_path / "reply.ics"
    path.write_text(reply_ics(event.uid, email, "TENTATIVE"))
    planner.import_file(path)
    assert _status(planner, email)[0] == "tentative"


@pytest.mark.parametrize("name", ["random.mbox", "random.eml"])
def test_random_bytes_as_a_mail_or_a_mailbox_are_refused_alike(
    planner: Planner, tmp_path: Path, name: str
) -> None:
    """An .mbox of random bytes imported as "nothing new" (no "From " line: no message)."""
    path = tmp_path / name
    path.write_bytes(GARBAGE)
    before = _all_lines(planner)
    with pytest.raises(InvalidInput) as refused:
        planner.import_file(path)
    assert str(refused.value) == f"{path}: {NOT_MAIL}"
    assert _all_lines(planner) == before and planner.history() == []


def test_an_empty_mbox_is_refused_and_one_mail_saved_as_mbox_is_read(
    planner: Planner, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.mbox"
    empty.write_bytes(b"\n")
    with pytest.raises(InvalidInput, match="is empty: no mail in it"):
        planner.import_file(empty)
    one = tmp_path / "one.mbox"
    one.write_bytes((FIXTURES / "gmail-declined.eml").read_bytes())
    planner.import_file(one)
    assert _status(planner, "henrik.johansson@example.org")[0] == "declined"


def test_random_bytes_in_a_maildir_an_mbox_or_a_folder_are_said_as_for_an_eml(
    planner: Planner, tmp_path: Path
) -> None:
    """One wording for bytes that are no mail, wherever they are: a Maildir said "not a
    calendar reply" of them, an .eml "is not an e-mail message"."""
    maildir = mailbox.Maildir(tmp_path / "Inbox")
    maildir.add(GARBAGE)
    maildir.close()
    [key] = mailbox.Maildir(tmp_path / "Inbox").keys()
    report = planner.import_file(tmp_path / "Inbox")
    assert report.skipped == [f"Inbox/{key}: {NOT_MAIL}"]
    box = tmp_path / "replies.mbox"
    box.write_bytes(b"From someone@example.org Thu Dec  3 09:15:00 2026\n" + GARBAGE[:500] + b"\n")
    report = planner.import_file(box)
    assert report.skipped == [f"replies.mbox message 1: {NOT_MAIL}"]
    folder = tmp_path / "mails"
    folder.mkdir()
    (folder / "a.eml").write_bytes(GARBAGE)
    (folder / "b.eml").write_bytes((FIXTURES / "gmail-declined.eml").read_bytes())
    report = planner.import_file(folder)
    assert report.skipped == [f"a.eml: {NOT_MAIL}"]
    assert _status(planner, "henrik.johansson@example.org")[0] == "declined"


def test_what_cannot_be_read_is_said_without_the_systems_words(
    planner: Planner, tmp_path: Path
) -> None:
    """A link to nothing in a Maildir or a folder, a charset with a NUL in its name: said
    in plain words ("[Errno 2] No such file or directory: …" and a ValueError reached the
    officer)."""
    maildir = mailbox.Maildir(tmp_path / "Inbox")
    maildir.close()
    (tmp_path / "Inbox" / "new" / "1.host:2,").symlink_to(tmp_path / "nowhere")
    report = planner.import_file(tmp_path / "Inbox")
    assert report.skipped == ["Inbox/1.host: no such file"]
    folder = tmp_path / "mails"
    folder.mkdir()
    (folder / "gone.eml").symlink_to(tmp_path / "nowhere")
    mail = (FIXTURES / "outlook-accepted.eml").read_bytes()
    (folder / "odd.eml").write_bytes(
        mail.replace(b'charset="utf-8"; method', b'charset="u\x00"; method')
    )
    report = planner.import_file(folder)
    assert report.skipped == ["gone.eml: a link to nothing; passed over"]
    assert _status(planner, "gsouza@cvg.org")[0] == "accepted"
    said = " ".join([report.summary(), *report.skipped])
    assert "Errno" not in said and "Error" not in said
