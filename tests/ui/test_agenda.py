"""Pilot tests: sessions in the opened event, speakers and links through pickers, one
occurrence of a series, $EDITOR, the trash."""

from __future__ import annotations

import io
import sys
from datetime import date, time
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tui.app import ConvenerApp
from tui.domain.models import Event, ItemRef, Organisation, Person
from tui.domain.planner import Planner
from tui.modals.choose import ChooseScreen
from tui.modals.confirm import ConfirmScreen
from tui.modals.pick import RecordPicker
from tui.screens.event import EventScreen
from tui.screens.forms.event import EventFormScreen
from tui.screens.forms.session import SessionFormScreen
from tui.screens.main import MainScreen
from tui.screens.trash import TrashScreen
from tui.widgets.event_pane import EventPane
from tui.widgets.picks import Picks
from tui.widgets.session_list import SessionList
from tui.widgets.task_list import TaskList

from ..conftest import TODAY
from .conftest import press_on_event, settle, wait_until
from .test_editor import error_shown, error_text, field, fill

SIZE = (120, 40)


def editor_script(tmp_path: Path, body: str) -> str:
    """A Python script usable as $EDITOR: `body` runs with `path` and `text` set."""
    script = tmp_path / "editor.py"
    script.write_text(
        f"import sys, pathlib\npath = pathlib.Path(sys.argv[1])\ntext = path.read_text()\n{body}\n"
    )
    return f"{sys.executable} {script}"


async def open_event(app: ConvenerApp, pilot: Pilot[int], event_id: int) -> EventScreen:
    await settle(app, pilot)
    app.open_ref(ItemRef("event", event_id))
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, EventScreen)
    return app.screen


async def pick(
    app: ConvenerApp, pilot: Pilot[int], field_name: str, typed: str, *, last: bool = False
) -> None:
    """Focus a picks field, open its picker, type, and take the first (or last) option."""
    app.screen.query_one(f"#field-{field_name}", Picks).focus()
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, RecordPicker)
    app.screen.query_one("#pick-input", Input).value = typed
    await settle(app, pilot)
    if last:
        await pilot.press(*["down"] * 40)
    await pilot.press("enter")
    await settle(app, pilot)


def as_text(renderable: object, width: int = 200) -> str:
    """What a Rich renderable shows, as plain text."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_a_sessions_wrapped_lines_go_on_under_its_title_not_its_time(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_event(app, pilot, 11)
        listed = screen.query_one(SessionList)
        session = next(s for s in listed.sessions if s.speakers)
        index = next(
            i
            for i in range(listed.option_count)
            if listed.get_option_at_index(i).id == f"session:{session.id}"
        )
        lines = as_text(listed.get_option_at_index(index).prompt, width=30).splitlines()
        assert len(lines) > 1 + len(session.speakers)  # the title wrapped at 30 columns
        assert all(line.startswith(" " * 13) for line in lines[1:]), lines


def agenda(app: ConvenerApp, event_id: int) -> list[tuple[date, str, str]]:
    return [
        (s.date, s.title, ", ".join(f"{p.name} ({p.role})" for p in s.speakers))
        for s in app.planner.sessions_for(event_id)
    ]


async def test_an_event_with_two_sessions_each_with_a_speaker(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's walk: dates in three forms, a wrong day fixed, $EDITOR, delete, undo."""
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, "path.write_text(text.replace('Lab', 'Laboratory'))")
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await fill(app, pilot, title="Peacebuilding Lab", starts="Feb 4-6, 2027")
        await pick(app, pilot, "contacts", "jai")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        event = next(e for e in app.planner.events() if e.title == "Peacebuilding Lab")
        assert event.id is not None
        assert [c.name for c in app.planner.contacts_for(event.id)] == ["Jai-Ayla Sutherland"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)

        # First session: the day as officers write it, a new speaker added on the spot.
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionFormScreen)
        await fill(app, pilot, title="Opening", date="June 12, 2024")
        assert error_shown(app, "date")  # not a day of the event
        await fill(app, pilot, date="Feb 5, 2027", start_time="2pm", end_time="15:30")
        assert not error_shown(app, "date")
        # An end before the start is said under To (as typed), and gone once From moves.
        await fill(app, pilot, end_time="13:00")
        assert error_shown(app, "end_time") and not error_shown(app, "start_time")
        assert "to: 13:00 is before 14:00" in str(app.screen.query_one("#error-end_time").render())
        await fill(app, pilot, start_time="12pm")
        assert not error_shown(app, "end_time")
        await fill(app, pilot, start_time="2pm", end_time="15:30")
        await pick(app, pilot, "speakers", "Amina Diallo <amina@example.org>")
        assert isinstance(app.screen, ChooseScreen)  # her part in the session
        await pilot.press("m", "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # She is not on the guest list: asked, yes puts her there as a speaker.
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question").render())
        assert question == "Amina Diallo is not on the guest list. Add as speaker?"
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        lines = app.planner.guest_lines(event.id)
        assert [(g.name, g.invitation.role) for g in lines] == [("Amina Diallo", "speaker")]

        # Second session: the day as 04/02/2027 (day first), an existing speaker.
        await pilot.press("n")
        await settle(app, pilot)
        await fill(app, pilot, title="Welcome", date="04/02/2027", start_time="9:30")
        await pick(app, pilot, "speakers", "kelsey")
        await pilot.press("enter")  # speaker, the first part offered
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # not this one: the guest list stays as it was
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        assert len(app.planner.guest_lines(event.id)) == 1
        assert agenda(app, event.id) == [
            (date(2027, 2, 4), "Welcome", "Kelsey Paul Shantz (speaker)"),
            (date(2027, 2, 5), "Opening", "Amina Diallo (moderator)"),
        ]
        amina = app.planner.store.by_key(Person, "Amina Diallo")[0]
        assert amina.email == "amina@example.org"

        # $EDITOR (a script here) from the event's details: the title changes, sessions stay.
        await pilot.press("shift+tab")
        assert isinstance(app.focused, EventPane)
        await pilot.press("E")
        await settle(app, pilot)
        assert app.planner.event(event.id).title == "Peacebuilding Laboratory"
        assert len(agenda(app, event.id)) == 2

        # Delete, undo: back whole with its sessions and speakers.
        sessions = app.planner.sessions_for(event.id)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "2 sessions" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert event.id not in {e.id for e in app.planner.events()}
        await pilot.press("u")
        await settle(app, pilot)
        assert app.planner.event(event.id).title == "Peacebuilding Laboratory"
        assert app.planner.sessions_for(event.id) == sessions


async def test_session_fields_are_checked_as_typed(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_event(app, pilot, 11)  # the retreat, three days
        before = app.planner.sessions_for(11)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        for name, bad in (("date", "Feb 30, 2027"), ("start_time", "25:00"), ("end_time", "9x")):
            await fill(app, pilot, **{name: bad})
            assert error_shown(app, name), name
        await fill(app, pilot, date="", start_time="", end_time="")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and error_shown(app, "title") and error_shown(app, "date")
        await fill(app, pilot, title="Late", start_time="16:00", end_time="15:00")
        assert error_shown(app, "end_time")
        await pilot.press("escape")  # something changed: asks first
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        assert app.planner.sessions_for(11) == before


async def test_a_session_to_without_from_is_refused(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_event(app, pilot, 11)
        before = app.planner.sessions_for(11)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        await fill(app, pilot, title="Coffee", start_time="", end_time="10:00")
        assert "to: give a From time too" in error_text(app, "end_time")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and app.planner.sessions_for(11) == before
        await fill(app, pilot, start_time="9:30")
        assert not error_shown(app, "end_time")


async def test_reorder_edit_and_delete_sessions(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, 11)
        listed = screen.query_one(SessionList)
        first_day = [s for s in app.planner.sessions_for(11) if s.date == listed.sessions[0].date]
        assert len(first_day) >= 2
        assert listed.session == first_day[0]
        await pilot.press("J")
        await settle(app, pilot)
        moved = [s.title for s in app.planner.sessions_for(11) if s.date == first_day[0].date]
        assert moved[:2] == [first_day[1].title, first_day[0].title]
        assert listed.session is not None and listed.session.id == first_day[0].id
        await pilot.press("K", "K")  # the second K: already first, says so
        await settle(app, pilot)
        assert [s.title for s in app.planner.sessions_for(11)][:2] == [
            first_day[0].title,
            first_day[1].title,
        ]
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionFormScreen)
        assert field(app, "title").value == first_day[0].title
        await fill(app, pilot, room="Garden room")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.planner.sessions_for(11)[0].room == "Garden room"
        count = len(app.planner.sessions_for(11))
        speakers = len(app.planner.sessions_for(11)[0].speakers)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        # Not "and its speakers to the trash": the people stay.
        question = app.screen._question
        assert "speakers to the trash" not in question
        if speakers == 1:
            assert question.endswith("Its speaker's place goes with it; the person stays.")
        elif speakers:
            assert question.endswith(
                f"Its {speakers} speakers' places go with it; the people stay."
            )
        await pilot.press("y")
        await settle(app, pilot)
        assert len(app.planner.sessions_for(11)) == count - 1
        await pilot.press("u")
        await settle(app, pilot)
        assert len(app.planner.sessions_for(11)) == count


async def test_speakers_are_removed_and_their_part_changed(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_event(app, pilot, 11)
        session = next(s for s in app.planner.sessions_for(11) if len(s.speakers) >= 1)
        app.screen.query_one(SessionList).highlighted = next(
            i
            for i in range(app.screen.query_one(SessionList).option_count)
            if app.screen.query_one(SessionList).get_option_at_index(i).id
            == f"session:{session.id}"
        )
        await pilot.press("e")
        await settle(app, pilot)
        speakers = app.screen.query_one("#field-speakers", Picks)
        speakers.focus()
        speakers.highlighted = 0
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("p", "enter")  # presenter
        await settle(app, pilot)
        assert speakers.picks[0].role == "presenter"
        await pilot.press("x")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = app.planner.store.get(type(session), session.id or 0)
        assert [s.person_id for s in saved.speakers] == [s.person_id for s in session.speakers[1:]]


async def test_escape_on_a_new_speakers_part_cancels_the_add(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_event(app, pilot, 11)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionFormScreen)
        form = app.screen
        await pick(app, pilot, "speakers", "kelsey")
        assert isinstance(app.screen, ChooseScreen)  # her part
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is form
        assert form.query_one("#field-speakers", Picks).picks == []
        await pick(app, pilot, "speakers", "kelsey")
        await pilot.press("m", "enter")
        await settle(app, pilot)
        speakers = form.query_one("#field-speakers", Picks).picks
        assert [(p.name, p.role) for p in speakers] == [("Kelsey Paul Shantz", "moderator")]


async def test_a_new_speaker_typed_is_added_by_the_save_and_undone_with_it(
    app: ConvenerApp,
) -> None:
    """A person typed as new in the picker is added only when the form is saved: a form
    discarded leaves no one behind, and one u takes back the save and them."""
    zed = "Zed Newperson"
    async with app.run_test(size=SIZE) as pilot:
        await open_event(app, pilot, 11)
        steps = app.planner.history()
        sessions = app.planner.sessions_for(11)
        for save in (False, True):
            await pilot.press("n")
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, SessionFormScreen)
            await fill(app, pilot, title="Closing words")
            await pick(app, pilot, "speakers", f"{zed} <zed@example.org>")
            assert isinstance(app.screen, ChooseScreen)  # his part
            await pilot.press("enter")
            await settle(app, pilot)
            picked = form.query_one("#field-speakers", Picks).picks
            assert [(p.id, p.name, p.role) for p in picked] == [(None, zed, "speaker")]
            await pick(app, pilot, "speakers", zed.lower())  # typed again: not twice
            assert form.is_current and len(picked) == 1
            assert not app.planner.find_people(zed)  # not in the database yet
            if not save:
                await pilot.press("escape")
                await settle(app, pilot)
                assert isinstance(app.screen, ConfirmScreen)  # discard your changes?
                await pilot.press("y")
                await settle(app, pilot)
                assert isinstance(app.screen, EventScreen)
                assert not app.planner.find_people(zed)
                assert app.planner.history() == steps
                continue
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, ConfirmScreen)  # not on the guest list: add?
            await pilot.press("n")
            await settle(app, pilot)
            added = next(s for s in app.planner.sessions_for(11) if s.title == "Closing words")
            assert [(s.name, s.role) for s in added.speakers] == [(zed, "speaker")]
            person = app.planner.person(added.speakers[0].person_id)
            assert person.email == "zed@example.org"
            assert app.planner.history()[1:] == steps  # one step, named by the session
            assert app.planner.history()[0][0] == 'Add session "Closing words"'
            await pilot.press("u")
            await settle(app, pilot)
            assert app.planner.sessions_for(11) == sessions
            assert not app.planner.find_people(zed)
            assert app.planner.history() == steps


async def test_speakers_put_on_the_guest_list_after_a_save_undo_with_it(
    app: ConvenerApp,
) -> None:
    """ "Add as speaker?" answered yes was a step of its own: u took the guest lines back
    and left the session. One u now takes back the session and its speakers' lines."""
    zed = "Zed Newperson"
    async with app.run_test(size=SIZE) as pilot:
        await open_event(app, pilot, 11)
        steps = app.planner.history()
        sessions = app.planner.sessions_for(11)
        guests = app.planner.guest_lines(11)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionFormScreen)
        await fill(app, pilot, title="Closing words")
        await pick(app, pilot, "speakers", f"{zed} <zed@example.org>")
        await pilot.press("enter")  # his part: speaker
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)  # not on the guest list: add?
        await pilot.press("y")
        await settle(app, pilot)
        lines = [g for g in app.planner.guest_lines(11) if g.name == zed]
        assert [g.invitation.role for g in lines] == ["speaker"]
        said = [str(n.message) for n in app._notifications]
        assert any("u undoes this with the session's save" in line for line in said), said
        assert app.planner.history()[1:] == steps  # one step
        label = app.planner.history()[0][0]
        assert label.startswith('Add session "Closing words"') and "guest list" in label
        await pilot.press("u")
        await settle(app, pilot)
        assert app.planner.sessions_for(11) == sessions
        assert app.planner.guest_lines(11) == guests
        assert not app.planner.find_people(zed)
        assert app.planner.history() == steps


async def test_event_form_adds_a_partner_on_the_spot_and_drops_a_contact(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", 10))
        await settle(app, pilot)
        contacts = app.planner.contacts_for(10)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, EventFormScreen)
        await pick(app, pilot, "partners", "Mayors for Peace Network", last=True)
        app.screen.query_one("#field-contacts", Picks).focus()
        await pilot.press("home", "x")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        partners = [o.name for o in app.planner.partners_for(10)]
        assert partners[-1] == "Mayors for Peace Network"
        assert app.planner.store.by_key(Organisation, "Mayors for Peace Network")
        assert [c.id for c in app.planner.contacts_for(10)] == [c.id for c in contacts[1:]]
        await pilot.press("u")  # one step: the event, its links and the new partner
        await settle(app, pilot)
        assert [c.id for c in app.planner.contacts_for(10)] == [c.id for c in contacts]
        assert not app.planner.store.by_key(Organisation, "Mayors for Peace Network")


async def _on_repeating_occurrence(app: ConvenerApp, pilot: Pilot[int]) -> date:
    """Select the partners' call's December occurrence (a monthly series)."""
    await settle(app, pilot)
    occurrences = [
        o
        for o in app.planner.occurrences_between(date(2026, 12, 1), date(2026, 12, 31))
        if o.event.id == 14
    ]
    day = occurrences[0].start_date
    app.screen.calendar.go_to(day, select_event_id=14)  # type: ignore[attr-defined]
    await settle(app, pilot)
    return day


async def test_the_event_pane_says_a_repeat_rule_in_words(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _on_repeating_occurrence(app, pilot)
        facts = app.screen.query_one("#details-facts", Static).content
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(facts)
        shown = " ".join(console.export_text().split())
        assert "Repeats monthly on the first Thursday" in shown, shown
        assert "FREQ" not in shown


async def test_one_occurrence_of_a_series_is_edited_alone(app: ConvenerApp) -> None:
    from tui.domain.models import Invitation, Person

    ann = app.planner.save(Person(name="Ann Guest", email="ann@example.org"))
    assert ann.id is not None
    app.planner.save(Invitation(event_id=14, person_id=ann.id, status="accepted"))
    async with app.run_test(size=SIZE) as pilot:
        day = await _on_repeating_occurrence(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("enter")  # this occurrence only
        await settle(app, pilot)
        assert isinstance(app.screen, EventFormScreen)
        assert field(app, "starts").value == day.isoformat()
        await fill(app, pilot, title="Partners' call (moved)", start_time="18:00", end_time="19:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        month = app.planner.occurrences_between(date(2026, 12, 1), date(2026, 12, 31))
        titles = {(o.event.title, o.start_date) for o in month}
        assert ("Partners' call (moved)", day) in titles
        assert ("Peace in Our Cities partners' call", day) not in titles
        moved = next(o.event for o in month if o.event.title == "Partners' call (moved)")
        assert moved.start_time == time(18, 0) and moved.repeat is None
        # That day of the series (its RECURRENCE-ID when exported or mailed).
        assert moved.uid == f"{app.planner.event(14).uid}#recurrence-id={day:%Y%m%d}"
        said = [str(n.message) for n in app._notifications]
        assert any(
            "Its guests see the change after `convener mail update 14`" in line for line in said
        ), said
        january = app.planner.occurrences_between(date(2027, 1, 1), date(2027, 1, 31))
        assert any(o.event.id == 14 for o in january)  # the series goes on
        # The changed day's facts say whose date it is; the series' say where it went
        # (its "except 3 Dec" alone read as a call dropped).
        pane = app.screen.query_one(EventPane)
        facts = pane.query_one("#details-facts", Static)
        assert await wait_until(pilot, lambda: "of a repeating event" in str(facts.content))
        series = app.planner.event_details(14)
        assert series.moved == ((day, day),)
        assert app.planner.event_details(moved.id or 0).series_day == day
        # Its own checklist says where its tasks are.
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        checklist = app.screen.query_one(TaskList)
        assert await wait_until(
            pilot,
            lambda: "count from this date" in str(checklist.get_option_at_index(0).prompt),
        )
        await pilot.press("backspace")
        await settle(app, pilot)
        # The series says the day moved, not that it is left out.
        app.open_ref(ItemRef("event", 14))
        assert await wait_until(pilot, lambda: "moved to" in str(facts.content))
        assert f"except {day.day} " not in str(facts.content)


async def test_whole_series_edit_and_one_occurrence_deleted(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        day = await _on_repeating_occurrence(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("down", "enter")  # the whole series
        await settle(app, pilot)
        assert isinstance(app.screen, EventFormScreen)
        assert field(app, "repeat").value == "FREQ=MONTHLY;BYDAY=1TH"
        await fill(app, pilot, location="Zoom")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.planner.event(14).location == "Zoom"
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("enter")  # this occurrence only
        await settle(app, pilot)
        december = app.planner.occurrences_between(date(2026, 12, 1), date(2026, 12, 31))
        assert day not in {o.start_date for o in december if o.event.id == 14}
        assert app.planner.event(14).deleted_at is None
        await pilot.press("u")
        await settle(app, pilot)
        december = app.planner.occurrences_between(date(2026, 12, 1), date(2026, 12, 31))
        assert day in {o.start_date for o in december if o.event.id == 14}


async def test_editor_reopens_with_the_problem_then_saves(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = tmp_path / "seen.txt"
    body = (
        f"seen = pathlib.Path({str(seen)!r})\n"
        "seen.write_text((seen.read_text() if seen.exists() else '') + text + '\\n=====\\n')\n"
        "if '# !! ' in text:\n"
        "    text = text.replace('start_date = \"Feb 30, 2027\"', 'start_date = \"Feb 3, 2027\"')\n"
        "else:\n"
        "    text = text.replace('start_date = \"2026-11-24\"', 'start_date = \"Feb 30, 2027\"')\n"
        "    text = text.replace('end_date = \"2026-11-24\"', 'end_date = \"\"')\n"
        "path.write_text(text)\n"
    )
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, body))
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, 10, "E")
        rounds = seen.read_text().split("\n=====\n")
        assert len([r for r in rounds if r.strip()]) == 2
        assert rounds[1].startswith("# !! Not saved: start_date")
        assert 'start_date = "Feb 30, 2027"' in rounds[1]  # what was typed, kept
        assert app.planner.event(10).start_date == date(2027, 2, 3)
        from tui.screens.save_flows import edits_folder

        assert not list(edits_folder(app.planner).glob("event-10-*.toml"))  # saved: the file goes


async def test_a_session_edited_in_editor_on_a_day_outside_its_event_is_reopened(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save's own refusal (not the document's) reopens the file with it on top."""
    session = app.planner.sessions_for(11)[0]
    day = session.date.isoformat()
    seen = tmp_path / "seen.txt"
    body = (
        f"seen = pathlib.Path({str(seen)!r})\n"
        "seen.write_text((seen.read_text() if seen.exists() else '') + text + '\\n=====\\n')\n"
        "if '# !! ' in text:\n"
        f"    text = text.replace('date = \"2030-01-01\"', 'date = \"{day}\"')\n"
        "else:\n"
        f"    text = text.replace('date = \"{day}\"', 'date = \"2030-01-01\"')\n"
        "    text = text.replace('room = ', 'room = \"Garden room\" #', 1)\n"
        "path.write_text(text)\n"
    )
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, body))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, 11)
        assert screen.query_one(SessionList).session == session
        await pilot.press("E")
        await settle(app, pilot)
        rounds = [r for r in seen.read_text().split("\n=====\n") if r.strip()]
        assert len(rounds) == 2
        assert rounds[1].startswith("# !! Not saved: date 2030-01-01 is not a day of the event")
        assert 'room = "Garden room"' in rounds[1]  # what was typed, kept
        saved = app.planner.store.get(type(session), session.id or 0)
        assert (saved.date, saved.room) == (session.date, "Garden room")


async def test_an_event_edited_in_editor_that_leaves_its_agenda_out_is_reopened(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = tmp_path / "seen.txt"
    body = (
        "import re\n"
        f"seen = pathlib.Path({str(seen)!r})\n"
        "seen.write_text((seen.read_text() if seen.exists() else '') + text + '\\n=====\\n')\n"
        "if '# !! ' in text:\n"
        "    text = ''\n"  # cancelled on the second round
        "else:\n"
        "    text = re.sub(r'^end_date = .*$', 'end_date = \"\"', text, flags=re.M)\n"
        "path.write_text(text)\n"
    )
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, body))
    before = app.planner.event(11)
    assert before.end_date > before.start_date and app.planner.sessions_for(11)
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, 11, "E")
        rounds = [r for r in seen.read_text().split("\n=====\n") if r.strip()]
        assert len(rounds) == 2
        assert rounds[1].startswith("# !! Not saved: the agenda")
        assert app.planner.event(11) == before


async def test_editor_cancel_and_a_problem_left_unfixed_keep_the_text(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.screens import save_flows

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", 10))
        await settle(app, pilot)
        before = app.planner.event(10)
        # Emptied: cancelled, nothing changes.
        monkeypatch.setenv("EDITOR", editor_script(tmp_path, "path.write_text('')"))
        await pilot.press("E")
        await settle(app, pilot)
        assert app.planner.event(10) == before
        # The same mistake saved twice: stop, keep the file, say where.
        monkeypatch.setenv(
            "EDITOR",
            editor_script(
                tmp_path,
                "if 'title = 1 +' not in text:\n"
                "    path.write_text(text.replace('title = ', 'title = 1 +'))",
            ),
        )
        await pilot.press("E")
        await settle(app, pilot)
        assert app.planner.event(10) == before
        kept = list(save_flows.edits_folder(app.planner).glob("event-10-*.toml"))
        assert len(kept) == 1 and "title = 1 +" in kept[0].read_text()
        assert kept[0].stat().st_mode & 0o777 == 0o600
        # The editor failing on the kept text (offered back, resumed): nothing saved, the
        # text kept.
        monkeypatch.setenv("EDITOR", editor_script(tmp_path, "sys.exit(3)"))
        await pilot.press("E")
        await settle(app, pilot)
        from tui.modals.unfinished import UnfinishedEditScreen

        assert isinstance(app.screen, UnfinishedEditScreen)
        await pilot.press("r")
        await settle(app, pilot)
        assert app.planner.event(10) == before
        assert list(save_flows.edits_folder(app.planner).glob("event-10-*.toml")) == kept
        assert "title = 1 +" in kept[0].read_text()
        assert any("status 3" in str(n.message) for n in app._notifications)


def test_an_editor_ended_by_a_signal_is_said_by_the_signals_name() -> None:
    from tui.screens.save_flows import _how_it_ended

    assert _how_it_ended(3) == "stopped with status 3"
    assert _how_it_ended(-15) == "was stopped (SIGTERM)"  # not "status -15"
    assert _how_it_ended(-9) == "was stopped (SIGKILL)"
    assert _how_it_ended(-200) == "was stopped (signal 200)"


async def test_trash_screen_restores_and_empties_after_a_backup(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.planner.delete(app.planner.event(10))
        app.planner.delete(app.planner.person(1))
        await pilot.press("4")
        await settle(app, pilot)
        assert isinstance(app.screen, TrashScreen)
        assert [i.ref for i in app.screen.items] == [ItemRef("person", 1), ItemRef("event", 10)]
        await pilot.press("j", "r")
        await settle(app, pilot)
        assert app.planner.event(10).deleted_at is None
        assert [i.ref for i in app.screen.items] == [ItemRef("person", 1)]
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen.items == []
        backups = list((Path(app.planner.store.path).parent / "backups").glob("*.db"))
        assert len(backups) == 1
        assert app.planner.store.stamps(Person, 1) is None
        await pilot.press("r")  # nothing to restore: says so
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_a_trash_line_stays_one_row_at_80_columns(app: ConvenerApp) -> None:
    from textual.widgets import OptionList

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.planner.delete(app.planner.event(10))  # a long title
        await pilot.press("4")
        await settle(app, pilot)
        assert isinstance(app.screen, TrashScreen)
        options = app.screen.query_one("#trash-list", OptionList)
        assert options.virtual_size.height == 1  # the line broke in two
        # What the row shows at this width: tests/ui/test_trash.py.


async def test_trash_screen_on_an_empty_database(empty_app: ConvenerApp) -> None:
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("4")
        await settle(empty_app, pilot)
        assert isinstance(empty_app.screen, TrashScreen)
        await pilot.press("r", "D", "j", "k")
        await settle(empty_app, pilot)
        assert isinstance(empty_app.screen, TrashScreen)
        assert "empty" in str(empty_app.screen.query_one("#trash-head").render())


async def test_people_list_edits_the_highlighted_person_in_the_editor(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (
        "lines = [('role = \"Chief of Staff\"' if l.startswith('role =') else l)"
        " for l in text.splitlines()]\n"
        "path.write_text('\\n'.join(lines))"
    )
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, body))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("tab")  # from the filter box to the list
        await settle(app, pilot)
        row = app.screen.query_one("RecordTable").current_row  # type: ignore[attr-defined]
        await pilot.press("E")
        await settle(app, pilot)
        assert app.planner.person(row.ref.id).role == "Chief of Staff"


async def test_moving_keeps_the_day_in_time_order_and_overlaps_are_marked(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, 11)
        listed = screen.query_one(SessionList)
        assert listed.session is not None and listed.session.title == "Where the network stands"
        await pilot.press("J")
        await settle(app, pilot)
        first_day = [
            (s.title, f"{s.start_time:%H:%M}-{s.end_time:%H:%M}")
            for s in app.planner.sessions_for(11)
            if s.date == date(2026, 12, 1)
        ]
        assert first_day == [
            ("City data on violence: what we can share", "09:00-10:30"),
            ("Where the network stands", "11:00-12:30"),
            ("Working groups", "14:00-16:00"),
        ]
        assert listed.session is not None and listed.session.title == "Where the network stands"
        await pilot.press("J", "J")  # past the last of the day: to the next day, by its time
        await settle(app, pilot)
        assert listed.session is not None and listed.session.date == date(2026, 12, 2)
        assert any("Moved to" in str(n.message) for n in app._notifications)
        # An edit that makes two sessions overlap: a mark in the list and a warning.
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionFormScreen)
        await fill(app, pilot, start_time="10:00", end_time="13:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        warnings = [n for n in app._notifications if n.title == "Overlapping sessions"]
        assert warnings and "Priorities for 2027" in str(warnings[-1].message)
        marked = [
            shown
            for shown in (
                as_text(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)
            )
            if "⚠ overlaps" in shown
        ]
        assert len(marked) == 2
        await pilot.press("u")  # the edit
        await settle(app, pilot)
        await pilot.press("u")  # the move to the next day
        await settle(app, pilot)
        assert [s.date for s in app.planner.sessions_for(11)][:3] == [date(2026, 12, 1)] * 3


async def test_editing_a_repeating_event_in_editor_says_it_is_the_whole_series_first(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from dataclasses import replace

    ran = tmp_path / "ran"
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, f"pathlib.Path({str(ran)!r}).touch()"))
    series = app.planner.save(replace(app.planner.event(10), repeat="FREQ=WEEKLY;COUNT=4"))
    assert series.id == 10
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, 10, "E")
        assert isinstance(app.screen, ConfirmScreen)
        assert "edits the whole series" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")
        await settle(app, pilot)
        assert not ran.exists()
        await pilot.press("E")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert ran.exists()


async def test_end_on_a_long_description_gets_there_at_once(
    app: ConvenerApp, planner: Planner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys scroll without an animation (End on a 99,000-character description took 0.85 s
    to settle, PageUp 0.6 s); TEXTUAL_ANIMATIONS, when the officer sets it, is obeyed."""
    paragraph = "**Peace** in our cities: " + "dialogue and prevention " * 40
    body = "\n\n".join([paragraph] * 100)
    event = planner.save_event(
        Event(title="Long retreat", start_date=TODAY, end_date=TODAY, description=body)
    )
    assert event.id is not None and len(body) > 90_000
    assert app.animation_level == "none"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, event.id)
        details = screen.query_one(EventPane)
        details.focus()
        await pilot.pause()
        assert details.max_scroll_y > 50  # (the pane shows its first 6,000 characters)
        await pilot.press("end")
        await pilot.pause()
        assert details.scroll_y == details.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert details.scroll_y == 0
        # Keys read together (a slow link, a held key) each count: the second page down
        # starts where the first left off, before any refresh (one was lost in two).
        page = details.scrollable_content_region.height
        details.action_page_down()
        details.action_page_down()
        details.action_scroll_down()
        assert details.scroll_y == 2 * page + 1
        details.action_page_up()
        details.action_scroll_up()
        assert details.scroll_y == page
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    assert ConvenerApp(planner).animation_level != "none"


def stranded_edit(app: ConvenerApp, event_id: int, change: tuple[str, str] | None) -> Path:
    """The file an edit in $EDITOR leaves when the app is killed with the editor open:
    the event's document, with `change` made in it (None: untouched), begun 17 Nov 13:05 UTC."""
    from tui.domain.record_toml import to_document
    from tui.screens.save_flows import edits_folder

    text = to_document(app.planner, app.planner.event(event_id))
    if change is not None:
        assert change[0] in text
        text = text.replace(*change)
    path = edits_folder(app.planner) / f"event-{event_id}-20261117T130500.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_an_edit_left_by_a_killed_app_is_named_at_start_and_resumed_by_e(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.modals.unfinished import UnfinishedEditScreen

    venue = app.planner.event(10).venue
    path = stranded_edit(app, 10, (f"venue = {venue!r}".replace("'", '"'), 'venue = "Garden room"'))
    seen = tmp_path / "seen.txt"
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, f"pathlib.Path({str(seen)!r}).write_text(text)")
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert any(
            "An unfinished edit is waiting in edits/: event" in m and "Tue 17 Nov 13:05" in m
            for m in said
        ), said
        await press_on_event(app, pilot, 10, "E")
        assert isinstance(app.screen, UnfinishedEditScreen)
        question = str(app.screen.query_one("#unfinished-question").render())
        assert "An unfinished edit of this event from Tue 17 Nov 13:05 is waiting" in question
        assert app.planner.event(10).venue == venue  # nothing yet
        await pilot.press("r")
        await settle(app, pilot)
        assert 'venue = "Garden room"' in seen.read_text()  # the editor opened on that text
        assert app.planner.event(10).venue == "Garden room"  # saved as any edit is
        assert not path.exists()


async def test_an_unfinished_edit_discarded_opens_the_event_as_it_is(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.modals.unfinished import UnfinishedEditScreen

    path = stranded_edit(app, 10, ("status = ", 'title = "Typed before the crash"\nstatus = '))
    seen = tmp_path / "seen.txt"
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, f"pathlib.Path({str(seen)!r}).write_text(text)")
    )
    before = app.planner.event(10)
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, 10, "E")
        assert isinstance(app.screen, UnfinishedEditScreen)
        await pilot.press("escape")  # not now: it stays, and says where
        await settle(app, pilot)
        assert path.exists() and not seen.exists()
        assert any(str(path) in str(n.message) for n in app._notifications)
        await pilot.press("E")
        await settle(app, pilot)
        assert isinstance(app.screen, UnfinishedEditScreen)  # offered again
        await pilot.press("d")
        await settle(app, pilot)
        assert not path.exists()
        assert "Typed before the crash" not in seen.read_text()  # the event as it is
        assert app.planner.event(10) == before


async def test_an_edit_left_with_nothing_typed_in_it_is_not_offered(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = stranded_edit(app, 10, None)
    seen = tmp_path / "seen.txt"
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, f"pathlib.Path({str(seen)!r}).write_text(text)")
    )
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, 10, "E")
        assert seen.exists()  # straight to the editor
        assert not path.exists()
        assert not list(path.parent.glob("event-10-*.toml"))


async def test_the_form_of_a_record_with_an_edit_waiting_says_e_takes_it_up(
    app: ConvenerApp,
) -> None:
    from tui.screens.forms.event import EventFormScreen

    stranded_edit(app, 10, ("status = ", 'title = "Typed before the crash"\nstatus = '))
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, 10, "e")
        assert isinstance(app.screen, EventFormScreen)
        said = [str(n.message) for n in app._notifications]
        assert any(
            m.startswith("An unfinished edit of this event waits in edits/") for m in said
        ), said


async def test_an_edit_of_a_record_in_the_trash_is_named_with_its_file(app: ConvenerApp) -> None:
    """E cannot reach an event in the trash: its edit is named with its file, and how to
    take it up (restore the event first)."""
    path = stranded_edit(app, 10, ("status = ", 'title = "Typed before the crash"\nstatus = '))
    app.planner.delete(app.planner.event(10))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert any(
            f"waits in edits/{path.name}; the event is in the trash or gone" in m
            and "E on it takes it up" not in m
            for m in said
        ), said


async def test_an_edit_left_with_nothing_typed_is_not_named_at_start(app: ConvenerApp) -> None:
    path = stranded_edit(app, 10, None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert not any("unfinished edit" in m for m in said), said
        assert not path.exists()  # removed, as E would have


async def test_another_databases_edit_in_the_same_folder_is_neither_named_nor_offered(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two databases in one folder share edits/; their records are numbered alike. An edit
    another database left (its uid in the file's name) is its own: not named here, and E
    on this database's event of that number opens the event as it is."""
    path = stranded_edit(app, 10, ("status = ", 'title = "The other database"\nstatus = '))
    other = path.with_name(path.stem + "-0123abcd.toml")
    path.rename(other)
    seen, named = tmp_path / "seen.txt", tmp_path / "named.txt"
    monkeypatch.setenv(
        "EDITOR",
        editor_script(
            tmp_path,
            f"pathlib.Path({str(seen)!r}).write_text(text)\n"
            f"pathlib.Path({str(named)!r}).write_text(path.name)",
        ),
    )
    before = app.planner.event(10)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert not any("unfinished edit" in m for m in said), said
        await press_on_event(app, pilot, 10, "E")
        await settle(app, pilot)
        assert "The other database" not in seen.read_text()  # the event as it is
        assert app.planner.event(10) == before
        assert other.exists()  # the other database's, left to it
    uid = app.planner.database_uid()[:8]
    assert named.read_text().endswith(f"-{uid}.toml")  # this one's edit files carry its uid


def test_an_edit_going_on_in_another_window_is_not_offered(tmp_path: Path) -> None:
    from tui.edit_files import editing, unfinished_edits

    path = tmp_path / "event-3-20261117T130500.toml"
    path.write_text("title = 'x'\n")
    (tmp_path / "event-31-20261117T130500.toml").write_text("")
    (tmp_path / "notes.toml").write_text("")
    with editing(path):
        assert unfinished_edits(tmp_path, "event", 3) == []
    [edit] = unfinished_edits(tmp_path, "event", 3)
    assert edit.path == path and edit.record_id == 3
    assert not path.with_suffix(".lock").exists()
    # A lock left by a killed process holds nothing: the edit is offered and the lock goes.
    path.with_suffix(".lock").write_text("")
    assert [e.path for e in unfinished_edits(tmp_path, "event", 3)] == [path]
    assert not path.with_suffix(".lock").exists()


async def test_n_in_the_event_details_says_where_it_adds(app: ConvenerApp) -> None:
    """n with the details focused did nothing and said nothing."""
    from tui.widgets.event_pane import EventPane

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, 11)
        sessions = len(app.planner.sessions_for(11))
        screen.query_one(EventPane).focus()
        await pilot.pause()
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen is screen  # no form opened
        assert any(
            "n adds a session in the agenda (a) or a task in the checklist (t)" in str(n.message)
            for n in app._notifications
        )
        assert len(app.planner.sessions_for(11)) == sessions
        # In the agenda n still adds a session.
        await pilot.press("a", "n")
        await settle(app, pilot)
        assert app.screen is not screen
