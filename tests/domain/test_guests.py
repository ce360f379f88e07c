"""The guest list through the service: invite, statuses, roles, waitlist, needs, CSV."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tui.domain.errors import InvalidInput, NeedsEvent, NotFound
from tui.domain.exporters.guests_csv import guests_csv, safe_cell
from tui.domain.guests import SORT_COLUMNS, filter_lines, rsvp_part, sort_lines
from tui.domain.importers.guests_csv import header_key, parse_guests_csv
from tui.domain.models import INVITATION_STATUSES, Event, Invitation, Person
from tui.domain.planner import Planner, split_name_email

DINNER = 10
"""The sample policy dinner: 16 guests, capacity 16, two waitlisted."""


def statuses(planner: Planner, event_id: int = DINNER) -> dict[str, str]:
    return {line.name: line.invitation.status for line in planner.guest_lines(event_id)}


def test_guest_lines_carry_name_and_organisation(planner: Planner) -> None:
    lines = planner.guest_lines(DINNER)
    assert len(lines) == 16
    assert [line.name for line in lines] == sorted(
        (line.name for line in lines), key=lambda n: n.casefold()
    )
    assert any(line.organisation for line in lines)


def test_invite_adds_lines_to_invite_and_skips_none(planner: Planner) -> None:
    newcomer = planner.add_person("Ana Ruiz <ana@example.org>")
    assert (newcomer.name, newcomer.email) == ("Ana Ruiz", "ana@example.org")
    assert newcomer.id is not None
    added = planner.invite(DINNER, [newcomer.id])
    assert [(i.person_id, i.status) for i in added] == [(newcomer.id, "to-invite")]
    assert statuses(planner)["Ana Ruiz"] == "to-invite"
    # Inviting again changes nothing.
    assert planner.invite(DINNER, [newcomer.id]) == []


def test_invite_brings_a_removed_line_back(planner: Planner) -> None:
    line = planner.guest_lines(DINNER)[0]
    planner.remove_guests([line.id])
    assert line.name not in statuses(planner)
    planner.invite(DINNER, [line.invitation.person_id])
    assert statuses(planner)[line.name] == "to-invite"


def test_invite_unknown_person_is_refused_and_changes_nothing(planner: Planner) -> None:
    before = len(planner.guest_lines(DINNER))
    with pytest.raises(NotFound):
        planner.invite(DINNER, [99999])
    assert len(planner.guest_lines(DINNER)) == before


def test_a_bulk_status_step_names_only_the_lines_it_changed(planner: Planner) -> None:
    lines = [line for line in planner.guest_lines(DINNER) if line.invitation.status != "tentative"]
    ids = [line.id for line in lines[:4]]
    assert planner.set_guest_status(ids[:1], "tentative") == 1
    assert planner.set_guest_status(ids, "tentative") == 3  # one already was
    step = f"Mark 3 guests tentative: {lines[1].name}, {lines[2].name} and {lines[3].name}"
    assert planner.history(1)[0][0] == step
    # Nothing to change: no step at all (undo goes on to the one before).
    assert planner.set_guest_status(ids, "tentative") == 0
    assert planner.history(1)[0][0] == step


def test_bulk_status_stamps_replies_and_is_one_undo_step(planner: Planner) -> None:
    lines = [line for line in planner.guest_lines(DINNER) if line.invitation.status != "accepted"]
    ids = [line.id for line in lines[:5]]
    assert planner.set_guest_status(ids, "accepted") == 5
    for line in planner.guest_lines(DINNER):
        if line.id in ids:
            assert line.invitation.status == "accepted"
            assert line.invitation.responded_on == TODAY
    step = f"Mark 5 guests accepted: {lines[0].name}, {lines[1].name} and 3 more"
    assert planner.history(1)[0][0] == step
    assert planner.undo() == step
    assert statuses(planner) == {
        line.name: line.invitation.status for line in planner.guest_lines(DINNER)
    }
    restored = {line.id: line.invitation for line in planner.guest_lines(DINNER)}
    for line in lines[:5]:
        assert restored[line.id] == line.invitation


def test_reply_by_phone_on_a_given_day(planner: Planner) -> None:
    line = next(g for g in planner.guest_lines(DINNER) if g.invitation.status == "invited")
    planner.set_guest_status([line.id], "declined", via="phone", on=date(2026, 11, 17))
    after = planner.store.get(Invitation, line.id)
    assert (after.status, after.response_via, after.responded_on) == (
        "declined",
        "phone",
        date(2026, 11, 17),
    )


def test_invited_stamps_the_day_sent(planner: Planner) -> None:
    line = next(g for g in planner.guest_lines(DINNER) if g.invitation.status == "to-invite")
    planner.set_guest_status([line.id], "invited")
    assert planner.store.get(Invitation, line.id).invited_on == TODAY


@pytest.mark.parametrize(
    ("status", "via"), [("maybe", None), ("accepted", "pigeon")], ids=["status", "via"]
)
def test_bad_status_or_via_changes_nothing(planner: Planner, status: str, via: str | None) -> None:
    before = statuses(planner)
    with pytest.raises(InvalidInput):
        planner.set_guest_status([planner.guest_lines(DINNER)[0].id], status, via=via)
    assert statuses(planner) == before


def test_bulk_role(planner: Planner) -> None:
    ids = [line.id for line in planner.guest_lines(DINNER)[:3]]
    planner.set_guest_role(ids, "observer")
    roles = {line.id: line.invitation.role for line in planner.guest_lines(DINNER)}
    assert all(roles[i] == "observer" for i in ids)
    with pytest.raises(InvalidInput):
        planner.set_guest_role(ids, "king")


def test_promote_takes_the_longest_waiting(planner: Planner) -> None:
    waiting = [g for g in planner.guest_lines(DINNER) if g.invitation.status == "waitlisted"]
    assert len(waiting) == 2
    first = min(waiting, key=lambda g: (g.invitation.responded_on or date.max, g.id))
    promoted = planner.promote_from_waitlist(DINNER)
    assert promoted is not None and promoted.id == first.id
    assert statuses(planner)[first.name] == "accepted"
    planner.promote_from_waitlist(DINNER)
    assert planner.promote_from_waitlist(DINNER) is None


def test_rsvp_picture_and_capacity(planner: Planner) -> None:
    picture = planner.rsvp(DINNER)
    assert picture.by_status["accepted"] == 9
    assert picture.parts == {
        "accepted": 9,
        "tentative": 1,
        "pending": 3,
        "declined": 1,
        "waitlisted": 2,
    }
    plus_ones = sum(
        g.invitation.plus_ones
        for g in planner.guest_lines(DINNER)
        if g.invitation.status == "accepted"
    )
    assert picture.coming == 9 + plus_ones
    assert picture.capacity == 16
    pending = [
        g.id
        for g in planner.guest_lines(DINNER)
        if rsvp_part(g.invitation.status) in ("pending", "tentative")
    ]
    planner.set_guest_status(pending, "accepted")
    planner.promote_from_waitlist(DINNER)
    planner.promote_from_waitlist(DINNER)
    assert planner.rsvp(DINNER).over_capacity == planner.rsvp(DINNER).coming - 16 > 0


def test_needs_summary_counts_accepted_guests_only(planner: Planner) -> None:
    needs = planner.needs_summary(DINNER)
    accepted = [
        g.invitation for g in planner.guest_lines(DINNER) if g.invitation.status == "accepted"
    ]
    assert needs.guests == len(accepted)
    assert needs.plus_ones == sum(i.plus_ones for i in accepted)
    declined = next(g for g in planner.guest_lines(DINNER) if g.invitation.status == "declined")
    planner.save(replace(declined.invitation, dietary="kosher"))
    assert "kosher" not in planner.needs_summary(DINNER).dietary
    planner.set_guest_status([declined.id], "accepted")
    assert planner.needs_summary(DINNER).dietary["kosher"] == 1


def test_find_people_by_words_and_email(planner: Planner) -> None:
    someone = planner.people(limit=1)[0]
    first_word = someone.name.split()[0]
    assert someone in planner.find_people(first_word[:3])
    planner.save(Person(name="Zed Q", email="zed@example.org"))
    assert [p.name for p in planner.find_people("ZED@example.org")] == ["Zed Q"]
    assert planner.find_people("") == planner.people(limit=30)
    assert planner.find_people('"AND(') == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ana Ruiz", ("Ana Ruiz", None)),
        ("Ana Ruiz <ana@x.org>", ("Ana Ruiz", "ana@x.org")),
        ("ana.ruiz@x.org", ("Ana Ruiz", "ana.ruiz@x.org")),
    ],
)
def test_split_name_email(typed: str, expected: tuple[str, str | None]) -> None:
    assert split_name_email(typed) == expected


# -- CSV -------------------------------------------------------------------------------


def test_header_keys_ignore_case_spacing_and_aliases() -> None:
    assert header_key(" Access  Needs ") == "access_needs"
    assert header_key("E-mail") == "email"
    assert header_key("Organization") == "organisation"


def test_csv_round_trip_changes_nothing(planner: Planner, tmp_path: Path) -> None:
    text = planner.guests_csv(DINNER, include_private=True)
    path = tmp_path / "guests.csv"
    path.write_text(text, encoding="utf-8")
    before = [asdict(line.invitation) for line in planner.guest_lines(DINNER)]
    people = planner.store.count(Person)
    report = planner.import_file(path, event_id=DINNER)
    assert report.added == {} and report.updated == {}
    assert [asdict(line.invitation) for line in planner.guest_lines(DINNER)] == before
    assert planner.store.count(Person) == people


def test_csv_into_another_event_copies_the_list(planner: Planner, tmp_path: Path) -> None:
    path = tmp_path / "guests.csv"
    path.write_text(planner.guests_csv(DINNER, include_private=True), encoding="utf-8")
    target = planner.save(Event(title="Copy", start_date=TODAY, end_date=TODAY))
    assert target.id is not None
    planner.import_file(path, event_id=target.id)
    copied = {g.name: g.invitation.status for g in planner.guest_lines(target.id)}
    assert copied == statuses(planner)


def test_csv_import_matches_email_then_name_and_creates_the_rest(
    planner: Planner, tmp_path: Path
) -> None:
    known = next(p for p in planner.people() if p.email)
    named = next(p for p in planner.people() if not p.email)
    path = tmp_path / "g.csv"
    path.write_text(
        "\ufeffNAME,Email,Organisation,Status,Dietary\n"
        f"Someone Else,{known.email.upper()},,accepted,vegan\n"  # type: ignore[union-attr]
        f"{named.name},,,invited,\n"
        "New Guest,new@example.org,Brand New Org,tentative,\n",
        encoding="utf-8",
    )
    event = planner.save(Event(title="E", start_date=TODAY, end_date=TODAY))
    assert event.id is not None
    planner.import_file(path, event_id=event.id)
    lines = {g.invitation.person_id: g for g in planner.guest_lines(event.id)}
    assert lines[known.id].invitation.status == "accepted"  # type: ignore[index]
    assert lines[named.id].invitation.status == "invited"  # type: ignore[index]
    new = next(g for g in lines.values() if g.name == "New Guest")
    assert (new.email, new.organisation) == ("new@example.org", "Brand New Org")


def test_a_namesake_with_another_address_is_a_new_person_and_is_said(
    planner: Planner, tmp_path: Path
) -> None:
    """A row whose name is someone's here but whose e-mail is another address was matched
    by name: the file's address dropped without a word and the other person invited. It is
    a new person now, said in the report; a row with no address, or the same one, still
    finds the person by name; the same namesake named twice is one new person."""
    here = planner.save(Person(name="Halima Osei", email="halima@example.org"))
    path = tmp_path / "g.csv"
    path.write_text(
        "name,email\n"
        "Halima Osei,h.osei@example.net\n"
        "Halima Osei,H.Osei@example.net\n"
        "Halima Osei,\n",
        encoding="utf-8",
    )
    event = planner.save(Event(title="E", start_date=TODAY, end_date=TODAY))
    assert event.id is not None
    report = planner.import_file(path, event_id=event.id)
    emails = sorted(g.email or "" for g in planner.guest_lines(event.id))
    assert emails == ["h.osei@example.net", "halima@example.org"]
    assert here.email == "halima@example.org"
    assert report.namesakes == [
        "Halima Osei <h.osei@example.net>: a new person (someone of that name is here,"
        " another e-mail)"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "1: is empty"),
        ("name;email;status\nA;a@x;accepted\n", "1: columns are separated by semicolons"),
        ("title,date\nA,B\n", "1: has no name or email column"),
        ("name,status\nA,accepted\nB,maybe\n", "3: status 'maybe' is not one of"),
        ("name,status\nA,\n", "2: has an empty status"),
        ("name,responded_on\nA,Feb 30 2024\n", "2: responded_on"),
        ("name,plus_ones\nA,two\n", "2: plus_ones"),
        ("name,email\nA,a@x.org\nB,b@x.org,extra\n", "3: has 3 cells"),
        ('name,notes\nA,"never closed\n', "is not valid CSV"),
        ("name,name\nA,B\n", "1: has the column 'name' twice"),
    ],
)
def test_bad_csv_names_the_line_and_writes_nothing(
    planner: Planner, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    before = (planner.store.count(Invitation), planner.store.count(Person), planner.history(1))
    with pytest.raises(InvalidInput) as caught:
        planner.import_file(path, event_id=DINNER)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))
    after = (planner.store.count(Invitation), planner.store.count(Person), planner.history(1))
    assert after == before


def test_csv_needs_an_event(planner: Planner, tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("name\nA\n", encoding="utf-8")
    # The app and the command line each say how to give the event (see NeedsEvent).
    with pytest.raises(NeedsEvent, match="a guest list needs the event it belongs to"):
        planner.import_file(path)


def test_csv_export_guards_formulas_and_keeps_private_lists_private(planner: Planner) -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+1 555") == "'+1 555"
    assert safe_cell("@home") == "'@home"
    assert safe_cell("Ana") == "Ana"
    assert planner.event(DINNER).access == "invitation-only"
    with pytest.raises(InvalidInput, match="--include-private"):
        planner.guests_csv(DINNER)
    line = planner.guest_lines(DINNER)[0]
    planner.save(replace(line.invitation, notes="=1+1"))
    rows, _ = parse_guests_csv(guests_csv(planner.guest_lines(DINNER)))
    assert any(row.fields.get("notes") == "=1+1" for row in rows)


def test_filter_lines_by_words_and_fields(planner: Planner) -> None:
    lines = planner.guest_lines(DINNER)
    waiting = filter_lines(lines, "status:wait")
    assert waiting and {g.invitation.status for g in waiting} == {"waitlisted"}
    someone = lines[0]
    first = someone.name.split()[0]
    assert someone in filter_lines(lines, first.lower()[:3])
    assert filter_lines(lines, "") == lines
    assert filter_lines(lines, "zzzz-nobody") == []
    org = next(g.organisation for g in lines if g.organisation)
    word = org.split()[0]
    narrowed = filter_lines(lines, f"org:{word}")
    assert narrowed and all(word.casefold() in (g.organisation or "").casefold() for g in narrowed)
    assert {g.invitation.role for g in filter_lines(lines, "role:obs")} <= {"observer"}


def test_sort_lines_by_each_column(planner: Planner) -> None:
    lines = planner.guest_lines(DINNER)
    by_status = sort_lines(lines, "status")
    order = [g.invitation.status for g in by_status]
    assert order == sorted(order, key=INVITATION_STATUSES.index)
    assert sort_lines(lines, "status", reverse=True) == list(reversed(by_status))
    replied = [g.invitation.responded_on for g in sort_lines(lines, "replied")]
    known = [d for d in replied if d is not None]
    assert known == sorted(known) and replied[: len(known)] == known
    for column in SORT_COLUMNS:
        assert sorted(g.id for g in sort_lines(lines, column)) == sorted(g.id for g in lines)


def test_inviting_a_new_person_is_one_undo_step(planner: Planner) -> None:
    people = planner.store.count(Person)
    person = planner.invite_new_person(DINNER, "Ana Ruiz <ana@example.org>")
    assert statuses(planner)["Ana Ruiz"] == "to-invite"
    assert planner.undo() == f"Invite Ana Ruiz (new) to {planner.event(DINNER).title}"
    assert planner.store.count(Person) == people
    assert person.name not in statuses(planner)


def test_speakers_not_on_the_guest_list_are_added_as_speakers_in_one_step(
    planner: Planner,
) -> None:
    from tui.domain.models import Session, Speaker

    event = planner.event(11)
    assert event.id is not None
    ann = planner.save(Person(name="Ann Speaker"))
    guest_id = planner.invitations_for(event.id)[0].person_id
    guest = planner.person(guest_id)
    assert ann.id is not None and guest.id is not None
    session = planner.save_session(
        Session(event_id=event.id, date=event.start_date, title="Panel"),
        [
            Speaker(ann.id, ann.name),
            Speaker(guest.id, guest.name, "moderator"),
            Speaker(ann.id, ann.name, "presenter"),
        ],
    )
    assert [s.name for s in planner.speakers_not_invited(session)] == ["Ann Speaker"]
    before = len(planner.invitations_for(event.id))
    lines = planner.invite_speakers(event.id, [ann.id])
    assert [(line.person_id, line.role, line.status) for line in lines] == [
        (ann.id, "speaker", "to-invite")
    ]
    assert planner.speakers_not_invited(session) == []
    assert planner.undo() == f"Add 1 speaker to the guest list of {event.title}"
    assert len(planner.invitations_for(event.id)) == before


@pytest.mark.parametrize(
    ("line", "person", "organisation"),
    [
        ("Ana Ruiz <ana@example.org>, GI-TOC", "Ana Ruiz <ana@example.org>", "GI-TOC"),
        ("Ana Ruiz, Global Initiative", "Ana Ruiz", "Global Initiative"),
        ("ana@example.org, GI-TOC", "ana@example.org", "GI-TOC"),
        ("Ana Ruiz <ana@example.org>", "Ana Ruiz <ana@example.org>", None),
        ("Ana Ruiz", "Ana Ruiz", None),
        ("Ana Ruiz,  ", "Ana Ruiz", None),
    ],
)
def test_an_invite_line_names_the_person_and_organisation(
    line: str, person: str, organisation: str | None
) -> None:
    from tui.domain.planner import split_invite_line

    assert split_invite_line(line) == (person, organisation)


def test_an_invite_line_sets_the_organisation_by_short_name_name_or_a_new_one(
    empty_planner: Planner,
) -> None:
    from tui.domain.models import Event, Organisation

    event = empty_planner.save(Event(title="Dinner", start_date=TODAY, end_date=TODAY))
    gitoc = empty_planner.save(
        Organisation(
            name="Global Initiative against Transnational Organized Crime", short_name="GI-TOC"
        )
    )
    assert event.id is not None
    ana = empty_planner.invite_new_person(event.id, "Ana Ruiz <ana@example.org>, gi-toc")
    assert (ana.name, ana.email, ana.organisation_id) == ("Ana Ruiz", "ana@example.org", gitoc.id)
    bo = empty_planner.invite_new_person(
        event.id, "Bo Li, Global Initiative against Transnational Organized Crime"
    )
    assert bo.organisation_id == gitoc.id
    cy = empty_planner.invite_new_person(event.id, "Cy Ode <cy@example.org>, Harbour Institute")
    assert cy.organisation_id is not None
    assert empty_planner.organisation(cy.organisation_id).name == "Harbour Institute"
    organisations = {line.name: line.organisation for line in empty_planner.guest_lines(event.id)}
    assert organisations["Ana Ruiz"] and organisations["Cy Ode"] == "Harbour Institute"
    # One step each: undo takes Cy off the list and the new organisation away with him.
    assert empty_planner.undo() == "Invite Cy Ode (new) to Dinner"
    assert [o.name for o in empty_planner.organisations()] == [gitoc.name]


def test_inviting_someone_without_an_organisation_gives_them_one(planner: Planner) -> None:
    from tui.domain.models import Organisation

    nobody = planner.save(Person(name="Dee Free"))
    harbour = planner.save(Organisation(name="Harbour Institute"))
    assert nobody.id is not None and harbour.id is not None
    invited = planner.invite_with_organisation(10, nobody.id, harbour.id)
    assert invited.organisation_id == harbour.id
    assert nobody.id in {line.person_id for line in planner.invitations_for(10)}
    # Someone who has one keeps it.
    other = planner.save(Organisation(name="Elsewhere"))
    assert other.id is not None
    assert planner.invite_with_organisation(11, nobody.id, other.id).organisation_id == harbour.id


def test_needs_are_counted_whatever_their_case_and_shown_as_first_written() -> None:
    from tui.domain.guests import needs_of

    lines = [
        Invitation(event_id=1, person_id=n, status="accepted", interpretation=words, dietary=diet)
        for n, (words, diet) in enumerate(
            [("FR→EN", "Vegetarian"), ("fr→en, AR", "vegetarian"), ("EN→FR", None)], 1
        )
    ]
    needs = needs_of(lines)
    assert needs.interpretation == {"FR→EN": 2, "AR": 1, "EN→FR": 1}
    assert needs.dietary == {"Vegetarian": 2}


def test_the_rsvp_bar_shares_its_cells_alike_at_any_width() -> None:
    """Rounded part by part, the last part took what the others left: 12 accepted, 1
    tentative, 3 pending, 1 declined, 1 waitlisted drew the waitlist wider than the
    declined at one width and not at another. Every cell used, every part above nothing
    at least one cell, each within a cell of its share."""
    from tui.domain.guests import bar_cells

    counts = [12, 1, 3, 1, 1]
    for width in range(10, 200):
        cells = bar_cells(counts, width)
        assert sum(cells) == width
        assert all(c >= 1 for c in cells)
        for count, c in zip(counts, cells, strict=True):
            assert abs(c - width * count / sum(counts)) < 1 or c == 1
        assert cells[3] >= cells[4]  # of the same count, never the later one wider
    assert bar_cells([0, 0], 20) == [0, 0]
    assert bar_cells([5, 0, 5], 11) in ([6, 0, 5], [5, 0, 6])
    assert sum(bar_cells([1, 1, 1, 1, 1], 3)) == 3  # more parts than cells: still the width


def test_guests_with_people_leaves_out_people_in_the_trash_and_keeps_the_order(
    planner: Planner,
) -> None:
    invitations = planner.store.invitations_for(DINNER)
    assert len(invitations) >= 3
    gone = planner.person(invitations[1].person_id)
    planner.delete(gone)
    pairs = planner.guests_with_people(DINNER)
    assert [i.id for i, _ in pairs] == [i.id for i in invitations if i.person_id != gone.id]
    assert all(p.id == i.person_id for i, p in pairs)


def test_speakers_added_after_their_sessions_save_join_its_undo_step(planner: Planner) -> None:
    """ "Add as speaker?" answered yes after a session's save: one undo takes back both."""
    from tui.domain.models import Session, Speaker

    event = planner.event(11)
    assert event.id is not None
    ann = planner.save(Person(name="Ann Speaker"))
    assert ann.id is not None
    steps = planner.history()
    guests = planner.invitations_for(event.id)
    session = planner.save_session(
        Session(event_id=event.id, date=event.start_date, title="Panel"), [Speaker(ann.id, "")]
    )
    step = planner.step_just_made()
    assert step is not None
    planner.invite_speakers(event.id, [ann.id], joining=step)
    assert planner.step_just_made() == step
    assert len(planner.history()) == len(steps) + 1
    label = planner.undo()
    assert label == (f'Add session "Panel"; Add 1 speaker to the guest list of {event.title}')
    assert planner.invitations_for(event.id) == guests
    assert session not in planner.sessions_for(event.id)
    assert planner.history() == steps


def test_speakers_make_a_step_of_their_own_when_another_change_came_between(
    planner: Planner,
) -> None:
    from tui.domain.models import Session, Speaker

    event = planner.event(11)
    assert event.id is not None
    ann = planner.save(Person(name="Ann Speaker"))
    assert ann.id is not None
    planner.save_session(
        Session(event_id=event.id, date=event.start_date, title="Panel"), [Speaker(ann.id, "")]
    )
    step = planner.step_just_made()
    planner.save(Person(name="Someone Else"))  # another change (another window, a sync)
    assert planner.step_just_made() != step
    planner.invite_speakers(event.id, [ann.id], joining=step)
    assert planner.undo() == f"Add 1 speaker to the guest list of {event.title}"
    assert planner.undo() == 'Add person "Someone Else"'
    assert planner.undo() == 'Add session "Panel"'


def test_a_write_with_no_effect_makes_no_step_to_join(planner: Planner) -> None:
    planner.save(Person(name="Ann Speaker"))
    assert planner.step_just_made() is not None
    with planner.store.transaction("Nothing"):
        pass  # nothing journaled: the step before is not this write's to join
    assert planner.step_just_made() is None
