"""Composing invitations, updates and cancellations into the outbox."""

from __future__ import annotations

from dataclasses import replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from icalendar import Calendar

from tui.domain.errors import InvalidInput
from tui.domain.mail.compose import Organizer
from tui.domain.mail.settings import mail_settings, smtp_target
from tui.domain.models import Invitation
from tui.domain.planner import Planner

EVENT_ID = 12  # the Zürich roundtable: invitation-only, workshop-free, two guests to invite
ME = Organizer("kelsey@stanleycenter.example", "Kelsey Shantz")


def _read(path: Path) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def _calendar(message: EmailMessage) -> tuple[EmailMessage, Calendar]:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert isinstance(part, EmailMessage)
    return part, Calendar.from_ical(part.get_content())


def test_an_invitation_has_the_letter_and_an_imip_request_for_that_guest_only(
    planner: Planner, tmp_path: Path
) -> None:
    event = planner.event(EVENT_ID)
    lines = [(i, p) for i, p in planner.guests_with_people(EVENT_ID) if i.status == "to-invite"]
    # Private details on the guest list must not leave in anybody's mail.
    invitation, person = lines[0]
    planner.save(replace(invitation, notes="SECRET NOTE", dietary="SECRET DIET"))
    report = planner.queue_mail(EVENT_ID, "invitation", tmp_path, ME)
    assert [name for name, _ in report.queued] == sorted(p.name for _, p in lines)
    path = next(path for name, path in report.queued if name == person.name)
    raw = path.read_text(encoding="utf-8")
    message = _read(path)
    assert message["To"].addresses[0].addr_spec == person.email
    assert message["From"].addresses[0].addr_spec == ME.address
    assert message["Subject"] == f"Invitation: {event.title}"
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert f"Dear {person.name}," in text
    assert "Tuesday 8 December 2026, 09:30–13:00 (Europe/Zurich)" in text
    assert "Stadthaus Zürich" in text
    assert "Agenda:" in text and "Welcome by the City of Zürich" in text
    assert "Please reply" in text
    part, calendar = _calendar(message)
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    assert part["Content-Transfer-Encoding"] in ("7bit", "8bit", "quoted-printable")
    assert calendar["METHOD"] == "REQUEST"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == event.uid
    assert vevent["SEQUENCE"] == 0
    assert vevent.get("DTSTAMP") is not None
    assert str(vevent["ORGANIZER"]) == f"mailto:{ME.address}"
    attendee = vevent["ATTENDEE"]
    assert not isinstance(attendee, list)  # this guest, nobody else
    assert str(attendee) == f"mailto:{person.email}"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert vevent.decoded("DTSTART").isoformat() == "2026-12-08T09:30:00+01:00"
    assert "SECRET" not in raw
    others = [p.name for i, p in planner.guests_with_people(EVENT_ID) if p.id != person.id]
    assert not any(name in raw for name in others if name not in text)


def test_two_guests_with_one_address_get_one_message(planner: Planner, tmp_path: Path) -> None:
    """One person entered twice (added on two laptops before a sync: two people, one
    e-mail) is two guest lines: one message goes to that address, the other line is said."""
    from tui.domain.models import Person

    lines = [(i, p) for i, p in planner.guests_with_people(EVENT_ID) if i.status == "to-invite"]
    _, person = lines[0]
    twin = planner.save(Person(name=f"{person.name} (2)", email=(person.email or "").upper()))
    assert twin.id is not None
    planner.invite(EVENT_ID, [twin.id])
    report = planner.queue_mail(EVENT_ID, "invitation", tmp_path, ME)
    assert [name for name, _ in report.queued] == sorted(p.name for _, p in lines)
    assert report.same_address == [(f"{person.name} (2)", person.name)]
    addresses = [str(_read(path)["To"].addresses[0].addr_spec).lower() for _, path in report.queued]
    assert len(addresses) == len(set(addresses))


def test_a_per_kind_template_from_the_config_folder(planner: Planner, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "invitation-roundtable.txt").write_text(
        "Subject: Join us: $event_title\n\nHello $guest_name! $dates at $place. Costs $$0.\n"
    )
    report = planner.queue_mail(EVENT_ID, "invitation", tmp_path / "out", ME, templates=templates)
    message = _read(report.queued[0][1])
    assert message["Subject"].startswith("Join us: Roundtable")
    body = message.get_body(("plain",))
    assert body is not None
    assert body.get_content().startswith(f"Hello {report.queued[0][0]}! Tuesday 8 December 2026")
    assert "Costs $0." in body.get_content()


def test_an_unknown_template_field_is_named(planner: Planner, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "invitation.txt").write_text("Dear $guest_nam,\n")
    with pytest.raises(InvalidInput, match=r"unknown field \$guest_nam"):
        planner.queue_mail(EVENT_ID, "invitation", tmp_path / "out", ME, templates=templates)
    assert not list((tmp_path / "out").glob("*.eml"))


def test_update_and_cancel_raise_the_sequence_and_go_to_the_right_guests(
    planner: Planner, tmp_path: Path
) -> None:
    answered = {
        p.email
        for i, p in planner.guests_with_people(EVENT_ID)
        if i.status in ("accepted", "tentative") and p.email
    }
    update = planner.queue_mail(EVENT_ID, "update", tmp_path, ME)
    assert update.sequence == 1
    sent_to = {_read(path)["To"].addresses[0].addr_spec for _, path in update.queued}
    assert sent_to == answered
    _, calendar = _calendar(_read(update.queued[0][1]))
    assert calendar["METHOD"] == "REQUEST"
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 1
    cancel = planner.queue_mail(EVENT_ID, "cancel", tmp_path, ME)
    assert cancel.sequence == 2
    part, calendar = _calendar(_read(cancel.queued[0][1]))
    assert part.get_param("method") == "CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["SEQUENCE"] == 2 and vevent["STATUS"] == "CANCELLED"
    # Invitations queued later carry the event's current SEQUENCE.
    invitations = planner.queue_mail(EVENT_ID, "invitation", tmp_path, ME)
    _, calendar = _calendar(_read(invitations.queued[0][1]))
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 2


def test_a_cancellation_withdraws_the_events_unsent_invitations_and_updates(
    planner: Planner, tmp_path: Path
) -> None:
    invitations = planner.queue_mail(EVENT_ID, "invitation", tmp_path, ME)
    updates = planner.queue_mail(EVENT_ID, "update", tmp_path, ME)
    assert invitations.queued and updates.queued
    waiting = {path for _, path in [*invitations.queued, *updates.queued]}
    cancel = planner.queue_mail(EVENT_ID, "cancel", tmp_path, ME)
    assert cancel.queued
    assert {*cancel.withdrawn, *cancel.replaced} >= waiting
    assert not any(path.exists() for path in waiting)
    left = {_read(p)["X-Convener-Kind"] for p in tmp_path.glob("*.eml")}
    assert left == {"cancel"}
    assert "withdrew" in cancel.summary() and "cancelled event" in cancel.summary()


def test_undoing_a_cancellation_puts_back_what_it_withdrew(
    planner: Planner, tmp_path: Path
) -> None:
    uid = planner.event(EVENT_ID).uid or ""
    invitations = planner.queue_mail(EVENT_ID, "invitation", tmp_path, ME)
    updates = planner.queue_mail(EVENT_ID, "update", tmp_path, ME)
    before = {path.name: path.read_bytes() for path in tmp_path.glob("*.eml")}
    assert invitations.queued and updates.queued and before
    cancel = planner.queue_mail(EVENT_ID, "cancel", tmp_path, ME)
    assert cancel.marked_cancelled
    # Still cancelled: nothing comes back, nothing waits but the cancellations.
    assert planner.restore_withdrawn(tmp_path, {uid}) == []
    assert {_read(p)["X-Convener-Kind"] for p in tmp_path.glob("*.eml")} == {"cancel"}
    assert planner.undo() is not None
    assert planner.event(EVENT_ID).status != "cancelled"
    restored = planner.restore_withdrawn(tmp_path, {uid})
    # Each message that waited before the cancellation waits again, byte for byte.
    assert sorted(path.name for path in restored) == sorted(before)
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    # The cancellations stay, held at sending; asked again, nothing more moves.
    assert planner.outbox_held(tmp_path) == len(cancel.queued)
    assert planner.restore_withdrawn(tmp_path, {uid}) == []


def test_a_withdrawn_message_stays_aside_when_something_newer_waits_or_went(
    planner: Planner, tmp_path: Path
) -> None:
    uid = planner.event(EVENT_ID).uid or ""
    planner.queue_mail(EVENT_ID, "invitation", tmp_path, ME)
    first = sorted(tmp_path.glob("invitation-*.eml"))
    assert len(first) == 2
    planner.queue_mail(EVENT_ID, "cancel", tmp_path, ME)
    assert planner.undo() is not None
    # One guest's invitation was queued again meanwhile; the other's went out (sent/,
    # same SEQUENCE): neither comes back a second time.
    planner.queue_mail(EVENT_ID, "invitation", tmp_path, ME, only=[_line_of(first[0])])
    sent = tmp_path / "sent"
    sent.mkdir()
    (sent / first[1].name).write_bytes((tmp_path / "withdrawn" / first[1].name).read_bytes())
    assert planner.restore_withdrawn(tmp_path, {uid}) == []
    assert len(list((tmp_path / "withdrawn").glob("invitation-*.eml"))) == 2


def test_only_the_undone_cancellation_brings_back_its_messages(
    planner: Planner, tmp_path: Path
) -> None:
    """Some guests' places cancelled on another event is no step to undo: their updates go
    as before, and undoing this event's cancellation never brings them back."""
    other = 10  # the policy dinner: its accepted guests get updates
    updates = planner.queue_mail(other, "update", tmp_path, ME)
    assert updates.queued
    line = next(
        i.id for i, p in planner.guests_with_people(other) if i.status == "accepted" and p.email
    )
    assert line is not None
    planner.queue_mail(other, "cancel", tmp_path, ME, only=[line])
    assert not (tmp_path / "withdrawn").exists()  # removed, not set aside
    planner.queue_mail(EVENT_ID, "invitation", tmp_path, ME)
    before = planner.cancelled_event_uids()
    planner.queue_mail(EVENT_ID, "cancel", tmp_path, ME)
    cancelled = planner.cancelled_event_uids()
    assert planner.undo() is not None
    on_again = cancelled - planner.cancelled_event_uids()
    assert on_again == {planner.event(EVENT_ID).uid} and before == set()
    restored = planner.restore_withdrawn(tmp_path, on_again)
    assert restored and all(p.name.startswith(f"invitation-{EVENT_ID}-") for p in restored)


def _line_of(path: Path) -> int:
    """The guest-list line an invitation file was written for (invitation-EVENT-slug-LINE)."""
    return int(path.stem.rsplit("-", 1)[1])


def test_marked_lines_only(planner: Planner, tmp_path: Path) -> None:
    line: Invitation = next(
        i for i, p in planner.guests_with_people(EVENT_ID) if i.status == "invited" and p.email
    )
    assert line.id is not None
    report = planner.queue_mail(EVENT_ID, "invitation", tmp_path, ME, only=[line.id])
    assert len(report.queued) == 1
    assert planner.outbox_count(tmp_path) == 1


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"from": "not an address"}, "is not an e-mail address"),
        ({"port": 0}, r"^mail.port: 0 is not a port number \(1-65535\)$"),
        ({"port": "2525"}, r"^mail.port: '2525' is not a port number"),
        ({"security": "ssl"}, "expected 'starttls', 'tls' or 'none'"),
        ({"colour": "blue"}, "mail.colour is not a mail setting"),
    ],
)
def test_bad_mail_settings_are_named(table: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        mail_settings(table)


def test_a_bad_port_is_said_alike_from_the_config_and_from_smtp() -> None:
    """One message for a bad port, wherever it was written (config.toml's mail.port, read
    by the app and the command line alike, or --smtp)."""
    with pytest.raises(InvalidInput) as from_config:
        mail_settings({"port": 99999})
    with pytest.raises(InvalidInput) as typed:
        smtp_target("smtp.example.org:99999")
    assert str(from_config.value) == "mail.port: 99999 is not a port number (1-65535)"
    assert str(typed.value) == "--smtp: 99999 is not a port number (1-65535)"


def test_mail_settings_and_smtp_targets() -> None:
    settings = mail_settings({"from": "Ana Ruiz <ana@example.org>", "security": "tls"})
    assert (settings.from_name, settings.from_address) == ("Ana Ruiz", "ana@example.org")
    assert settings.effective_port == 465
    assert smtp_target("smtp.example.org:587") == ("smtp.example.org", 587)
    assert smtp_target("[::1]:25") == ("::1", 25)


def test_a_timed_event_over_days_is_invited_as_its_days_and_a_series_with_its_rule(
    planner: Planner, tmp_path: Path
) -> None:
    from datetime import date, time

    event = planner.event(EVENT_ID)
    two_days = planner.save(
        replace(event, end_date=date(2026, 12, 9), start_time=time(9, 0), end_time=time(17, 0))
    )
    report = planner.queue_mail(EVENT_ID, "invitation", tmp_path / "a", ME)
    _, calendar = _calendar(_read(report.queued[0][1]))
    (vevent,) = calendar.walk("VEVENT")
    # Two days at 09:00-17:00, as the calendar export writes it: not one 32-hour block.
    assert vevent.decoded("DTSTART").isoformat() == "2026-12-08T09:00:00+01:00"
    assert vevent.decoded("DTEND").isoformat() == "2026-12-08T17:00:00+01:00"
    assert vevent["RRULE"].to_ical() == b"FREQ=DAILY;COUNT=2"
    planner.save(replace(two_days, end_date=two_days.start_date, repeat="FREQ=WEEKLY;COUNT=4"))
    report = planner.queue_mail(EVENT_ID, "invitation", tmp_path / "b", ME)
    _, calendar = _calendar(_read(report.queued[0][1]))
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=4"


def test_an_update_of_a_series_moves_the_occurrence_changed_alone(
    planner: Planner, tmp_path: Path
) -> None:
    from datetime import time, timedelta

    event = planner.event(EVENT_ID)
    series = planner.save(
        replace(
            event,
            end_date=event.start_date,
            start_time=time(9, 0),
            end_time=time(10, 0),
            repeat="FREQ=WEEKLY;COUNT=4",
        )
    )
    day = series.start_date + timedelta(days=7)  # the second of the four
    edited = replace(series, title="Moved", start_date=day, end_date=day, start_time=time(11, 0))
    moved = planner.edit_occurrence(series, day, replace(edited, end_time=time(12, 0)))
    assert moved.uid is not None
    planner.queue_mail(EVENT_ID, "invitation", tmp_path / "a", ME)
    report = planner.queue_mail(
        EVENT_ID, "update", tmp_path / "b", ME, statuses=["to-invite", "invited"]
    )
    _, calendar = _calendar(_read(report.queued[0][1]))
    master, override = calendar.walk("VEVENT")
    assert str(master["UID"]) == str(override["UID"]) == series.uid
    # The guest's calendar moves that day (RECURRENCE-ID), rather than only dropping it.
    assert "EXDATE" not in master and master["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=4"
    assert override.decoded("RECURRENCE-ID").time() == time(9, 0)
    assert override.decoded("RECURRENCE-ID").date() == day
    assert override.decoded("DTSTART").time() == time(11, 0)
    assert str(override["SUMMARY"]) == "Moved" and override["SEQUENCE"] == master["SEQUENCE"]
    assert str(override["ATTENDEE"]).startswith("mailto:")  # the guest alone, as a string
    # A cancellation cancels the series whole: one VEVENT.
    report = planner.queue_mail(
        EVENT_ID, "cancel", tmp_path / "c", ME, statuses=["to-invite", "invited"]
    )
    _, calendar = _calendar(_read(report.queued[0][1]))
    assert len(calendar.walk("VEVENT")) == 1


def test_the_held_count_follows_another_process_putting_the_event_on_again(
    planner: Planner, tmp_path: Path
) -> None:
    """The outbox's held count is kept between reads while nothing changed; an event put
    on again by another process (the command line, a sync) holds its cancellations at the
    next read, not after this process's next write."""
    from tui.domain.store import Store

    dinner = 10
    report = planner.queue_mail(dinner, "cancel", tmp_path, ME)
    assert report.queued and planner.event(dinner).status == "cancelled"
    assert planner.outbox_held(tmp_path) == 0  # cancelled: its cancellations go
    elsewhere = Planner(Store(planner.store.path), today=planner.today)
    try:
        elsewhere.save_event(replace(elsewhere.event(dinner), status="confirmed"))
    finally:
        elsewhere.store.close()
    assert planner.outbox_held(tmp_path) == len(report.queued)


@pytest.mark.parametrize(
    ("waiting", "held", "words"),
    [
        (0, 0, ""),
        (3, 0, "outbox: 3 waiting"),
        (15, 15, "outbox: 15 waiting, all held"),
        (15, 12, "outbox: 15 waiting (12 of them held)"),
    ],
)
def test_the_outbox_in_words_counts_the_held_among_those_waiting(
    planner: Planner, monkeypatch: pytest.MonkeyPatch, waiting: int, held: int, words: str
) -> None:
    """'15 waiting, 15 held' read as 30 messages: the held are said as some of those."""
    from tui.mail_actions import outbox_words

    monkeypatch.setattr(planner, "outbox_state", lambda outbox: (waiting, held, 0))
    assert outbox_words(planner) == words
