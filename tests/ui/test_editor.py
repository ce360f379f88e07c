"""Pilot tests: the editor's forms (n, e), delete (d) to the trash, and undo (u)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tui.app import ConvenerApp
from tui.domain.models import Event, ItemRef, Organisation, Person
from tui.domain.planner import Planner
from tui.modals.confirm import ConfirmScreen
from tui.screens.forms.event import EventFormScreen
from tui.screens.forms.person import PersonFormScreen
from tui.screens.main import MainScreen
from tui.screens.records import RecordsScreen
from tui.widgets.record_table import RecordTable

from .conftest import press_on_event, settle, wait_until

SIZE = (120, 40)


def field(app: ConvenerApp, name: str) -> Input:
    return app.screen.query_one(f"#field-{name}", Input)


def error_shown(app: ConvenerApp, name: str) -> bool:
    return "-ok" not in app.screen.query_one(f"#error-{name}").classes


async def new_event_form(app: ConvenerApp, pilot: Pilot[int]) -> EventFormScreen:
    await settle(app, pilot)
    await pilot.press("n")
    await settle(app, pilot)
    assert isinstance(app.screen, EventFormScreen)
    return app.screen


async def fill(app: ConvenerApp, pilot: Pilot[int], **values: str) -> None:
    for name, value in values.items():
        field(app, name).value = value
    await settle(app, pilot)


def titled(app: ConvenerApp, title: str) -> Event:
    return next(e for e in app.planner.events() if e.title == title)


NEW_EVENT_DATES: list[tuple[str, date, date]] = [
    ("June 12, 2024", date(2024, 6, 12), date(2024, 6, 12)),
    ("Feb 4-6, 2020", date(2020, 2, 4), date(2020, 2, 6)),
    ("12/06/2024", date(2024, 6, 12), date(2024, 6, 12)),
]


async def test_new_event_dates_in_the_forms_officers_write(app: ConvenerApp) -> None:
    # One app for the three forms (was one app each): a new event per form, each its own title.
    async with app.run_test(size=SIZE) as pilot:
        for n, (typed, start, end) in enumerate(NEW_EVENT_DATES):
            await new_event_form(app, pilot)
            await fill(app, pilot, title=f"Peacebuilding Lab {n}", starts=typed)
            assert not error_shown(app, "starts"), typed
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, MainScreen)
            event = titled(app, f"Peacebuilding Lab {n}")
            assert (event.start_date, event.end_date) == (start, end), typed


async def test_fields_are_checked_as_typed_and_nothing_saves_half_valid(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await new_event_form(app, pilot)
        cases = {
            "starts": "Feb 30, 2024",
            "start_time": "25:00",
            "timezone": "Europe",
            "capacity": "many",
            "repeat": "every other tuesday",
        }
        for name, bad in cases.items():
            await fill(app, pilot, **{name: bad})
            assert error_shown(app, name), name
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert error_shown(app, "title")  # required, and checked on save
        await fill(
            app,
            pilot,
            title="Fixed",
            starts="2027-03-02",
            start_time="2pm",
            end_time="9:30",
            timezone="Europe/Zurich",
            capacity="40",
            repeat="FREQ=WEEKLY;COUNT=3",
        )
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # End before start on the same day is refused at save, beside the field.
        assert app.screen is form and error_shown(app, "end_time")
        await fill(app, pilot, end_time="17:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        event = titled(app, "Fixed")
        assert (event.start_time, event.end_time, event.timezone, event.capacity) == (
            time(14, 0),
            time(17, 0),
            "Europe/Zurich",
            40,
        )
        assert event.repeat == "FREQ=WEEKLY;COUNT=3"


async def test_a_saved_form_reads_the_main_screen_once(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save's own read (which selects the event saved), not a second one as the
    screen comes back (it reads again only when a dialog wrote without reading)."""
    reads: list[int] = []
    read = MainScreen.refresh_data

    def counted(self: MainScreen) -> None:
        reads.append(1)
        read(self)

    monkeypatch.setattr(MainScreen, "refresh_data", counted)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", 10))
        await settle(app, pilot)
        reads.clear()
        await pilot.press("e")
        await settle(app, pilot)
        await fill(app, pilot, title="Renamed dinner")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.planner.event(10).title == "Renamed dinner"
        assert len(reads) == 1
        screen = app.screen
        assert isinstance(screen, MainScreen)
        selected = screen.calendar.selected_occurrence
        assert selected is not None and selected.event.title == "Renamed dinner"


async def test_edit_delete_and_undo_bring_the_event_back_whole(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", 10))
        await settle(app, pilot)
        before = app.planner.event(10)
        guests = app.planner.guest_lines(10)
        sessions = app.planner.sessions_for(10)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, EventFormScreen)
        assert field(app, "title").value == before.title
        await fill(app, pilot, title="Renamed dinner")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.planner.event(10).title == "Renamed dinner"
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question").render())
        assert f"{len(guests)} guests" in question and f"{len(sessions)} sessions" in question
        tasks = app.planner.tasks_for(10)
        if tasks:  # its tasks go to the trash with it: said too
            assert f"{len(tasks)} task" in question
        await pilot.press("y")
        await settle(app, pilot)
        assert 10 not in {e.id for e in app.planner.events()}
        # The panes read the deleted event again before the calendar's new selection
        # came: the guest list said "no event with id 10" in red.
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == []
        await pilot.press("u")
        await settle(app, pilot)
        assert app.planner.event(10).title == "Renamed dinner"
        assert app.planner.guest_lines(10) == guests
        assert app.planner.sessions_for(10) == sessions
        await pilot.press("u")
        await settle(app, pilot)
        assert app.planner.event(10) == before


async def test_a_change_made_elsewhere_to_another_field_is_kept_with_mine(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, 10, "e")
        # Another process (here: the planner directly) changes the event meanwhile.
        app.planner.save(replace(app.planner.event(10), venue="Another room", capacity=40))
        await fill(app, pilot, title="Mine")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # Nothing of mine was changed there: both are kept, without a question (the
        # capacity typed elsewhere was silently put back to the form's).
        assert not isinstance(app.screen, ConfirmScreen)
        saved = app.planner.event(10)
        assert (saved.title, saved.venue, saved.capacity) == ("Mine", "Another room", 40)


async def test_a_field_changed_both_here_and_elsewhere_is_named_and_asked_about(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, 10, "e")
        app.planner.save(replace(app.planner.event(10), venue="Their room", capacity=40))
        await fill(app, pilot, title="Mine", venue="My room")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "its venue was changed elsewhere" in question and "title" not in question
        await pilot.press("n")
        await settle(app, pilot)
        assert app.planner.event(10).venue == "Their room"
        assert app.planner.event(10).title != "Mine"
        await pilot.press("e")
        await settle(app, pilot)
        await fill(app, pilot, venue="My room")
        app.planner.save(replace(app.planner.event(10), venue="Their second room"))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        saved = app.planner.event(10)
        assert (saved.venue, saved.capacity) == ("My room", 40)


async def test_people_screen_new_edit_delete(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordsScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, PersonFormScreen)
        await fill(app, pilot, name="Ana Ruiz", organisation="Brand New Org", email="ana@x.org")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordsScreen)
        ana = app.planner.store.by_key(Person, "Ana Ruiz")[0]
        assert app.planner.organisation_name(ana.organisation_id) == "Brand New Org"
        assert app.planner.store.by_key(Organisation, "Brand New Org")
        await pilot.press("f")
        app.screen.query_one("#records-filter", Input).value = "Ana Ruiz"
        await settle(app, pilot)
        await pilot.press("enter", "e")
        await settle(app, pilot)
        assert isinstance(app.screen, PersonFormScreen)
        await fill(app, pilot, role="Director")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.planner.person(ana.id or 0).role == "Director"
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert not app.planner.store.by_key(Person, "Ana Ruiz")
        await pilot.press("u")
        await settle(app, pilot)
        assert app.planner.store.by_key(Person, "Ana Ruiz")


async def test_a_list_record_changed_elsewhere_asks_before_saving(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        screen = app.screen
        publication = screen.publication  # type: ignore[attr-defined]
        app.planner.save(replace(publication, type="Readout", title="Theirs"))
        await fill(app, pilot, title="Mine")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "its title was changed elsewhere" in str(
            app.screen.query_one("#confirm-question").render()
        )
        await pilot.press("y")
        await settle(app, pilot)
        # Mine over the title both changed; their type, which the form left alone, stays.
        saved = app.planner.publication(publication.id)
        assert (saved.title, saved.type) == ("Mine", "Readout")


async def test_kind_and_status_are_picked_by_typed_letter(app: ConvenerApp) -> None:
    from textual.widgets import Select

    async with app.run_test(size=(120, 40)) as pilot:
        await new_event_form(app, pilot)
        kind = app.screen.query_one("#field-kind", Select)
        status = app.screen.query_one("#field-status", Select)
        kind.focus()
        await pilot.press("c")
        assert kind.value == "conference"
        await pilot.press("r")  # a new letter: the first word starting with it
        assert kind.value == "roundtable"
        await pilot.press("r")  # the same letter again: the next word starting with it
        assert kind.value == "retreat"
        await pilot.press("r")
        assert kind.value == "roundtable"
        await pilot.press("q")  # nothing starts with q: a bell, and the app stays
        assert kind.value == "roundtable" and app.is_running
        status.focus()
        status.value = "held"
        await pilot.press("c")
        assert status.value == "confirmed"
        await pilot.press("c")
        assert status.value == "cancelled"
        # In the open list a letter moves the highlight; enter takes it.
        await pilot.press("enter")
        await pilot.pause()
        assert status.expanded
        await pilot.press("h", "enter")
        await pilot.pause()
        assert status.value == "held" and not status.expanded
        await pilot.press("ctrl+s")  # the rest: a title is missing, so the form stays
        await pilot.pause()
        assert isinstance(app.screen, EventFormScreen)


async def test_the_form_shows_how_it_read_an_ambiguous_date(app: ConvenerApp) -> None:
    from textual.widgets import Static

    async with app.run_test(size=(120, 40)) as pilot:
        await new_event_form(app, pilot)
        hint = app.screen.query_one("#hint-starts", Static)
        assert not hint.display
        await fill(app, pilot, starts="12/06/2024")
        assert hint.display
        assert str(hint.content) == "read as 12 June 2024 (day-first; change date_order in config)"
        await fill(app, pilot, starts="June 12, 2024")
        assert not hint.display


async def test_a_filter_typed_in_one_go_after_f_goes_into_the_records_box(
    app: ConvenerApp,
) -> None:
    from .test_typeahead import burst

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordsScreen)
        box = app.screen.query_one("#records-filter", Input)
        app.screen.query_one(RecordTable).focus()
        await settle(app, pilot)
        # "n" (new), "s" (sort), "o" (organisations) are the list's keys.
        burst(app, ["f", *"anso"])
        assert await wait_until(pilot, lambda: box.value == "anso", within=5)
        assert isinstance(app.screen, RecordsScreen) and app.screen.kind == "person"


async def test_a_new_event_on_a_day_with_another_is_the_one_selected(app: ConvenerApp) -> None:
    from tui.widgets.calendar_pane import CalendarPane

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", 10))
        await settle(app, pilot)
        calendar = app.screen.query_one(CalendarPane)
        assert calendar.selected_event_id == 10
        day = app.planner.event(10).start_date
        await new_event_form(app, pilot)
        await fill(app, pilot, title="Zeta side meeting", starts=day.isoformat())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        new = titled(app, "Zeta side meeting")
        assert await wait_until(pilot, lambda: calendar.selected_event_id == new.id, within=5)
        assert calendar.day == day


def error_text(app: ConvenerApp, name: str) -> str:
    return str(app.screen.query_one(f"#error-{name}").render()) if error_shown(app, name) else ""


async def test_each_date_and_time_field_shows_its_own_current_problem(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, 10, "e")
        assert isinstance(app.screen, EventFormScreen)
        await fill(app, pilot, starts="zzz")
        assert error_text(app, "starts").startswith("starts:") and error_text(app, "ends") == ""
        await fill(app, pilot, ends="Room B")
        # Each field says what is wrong with it, not the other's message.
        assert error_text(app, "starts").startswith("starts:")
        assert error_text(app, "ends").startswith("ends:")
        await fill(app, pilot, starts="2026-12-03")
        assert error_text(app, "starts") == "" and error_text(app, "ends").startswith("ends:")
        await fill(app, pilot, ends="2026-12-01")
        assert "before" in error_text(app, "ends")
        # Moving the start back clears the message under Ends.
        await fill(app, pilot, starts="2026-11-30")
        assert error_text(app, "ends") == ""
        await fill(app, pilot, ends="", start_time="3pm", end_time="2pm")
        assert "to: 14:00 is before 15:00" in error_text(app, "end_time")
        await fill(app, pilot, ends="2026-12-01")  # past midnight: over two days
        assert error_text(app, "end_time") == ""


async def test_to_without_from_is_said_under_to_and_nothing_saves(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        before = app.planner.event(10)
        await press_on_event(app, pilot, 10, "e")
        form = app.screen
        assert isinstance(form, EventFormScreen)
        await fill(app, pilot, start_time="", end_time="13:30")
        assert error_text(app, "end_time") == "to: give a From time too (or leave To blank)"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and app.planner.event(10) == before
        await fill(app, pilot, start_time="12:00")  # From rechecks To
        assert error_text(app, "end_time") == ""
        await fill(app, pilot, start_time="", end_time="")
        assert error_text(app, "end_time") == ""


async def test_a_range_in_starts_that_ends_off_ends_is_said_and_not_cut(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await new_event_form(app, pilot)
        count = len(app.planner.events())
        await fill(app, pilot, title="Range", starts="2026-12-14", ends="2026-12-17")
        await fill(app, pilot, starts="Dec 14-18, 2026")
        assert (
            error_text(app, "starts") == "starts: the range ends 2026-12-18; Ends says 2026-12-17"
        )
        assert error_text(app, "ends") == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and len(app.planner.events()) == count
        await fill(app, pilot, ends="Dec 18, 2026")  # Ends rechecks Starts
        assert error_text(app, "starts") == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = titled(app, "Range")
        assert (saved.start_date, saved.end_date) == (date(2026, 12, 14), date(2026, 12, 18))


async def test_the_publications_list_does_not_offer_switching_to_organisations(
    app: ConvenerApp,
) -> None:
    from tui.key_bar import KeyBar

    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert "People/Orgs" in str(app.screen.query_one(KeyBar).render())
        await pilot.press("3")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordsScreen) and app.screen.kind == "publication"
        assert "People/Orgs" not in str(app.screen.query_one(KeyBar).render())


async def test_repeats_and_a_too_long_event_are_said_under_their_own_field(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await new_event_form(app, pilot)
        # Repeats is checked against Starts alone: a wrong Ends says nothing under it.
        await fill(app, pilot, starts="2020-01-06", ends="zzz", repeat="FREQ=WEEKLY;UNTIL=20200301")
        assert error_text(app, "repeat") == "" and error_text(app, "ends").startswith("ends:")
        await fill(app, pilot, starts="2020-03-02")
        assert "before the start 2020-03-02" in error_text(app, "repeat")
        await fill(app, pilot, starts="2020-01-06", ends="")
        assert error_text(app, "repeat") == ""
        # Too long: said while typing, under the field that makes it so.
        await fill(app, pilot, repeat="", ends="2035-01-01")
        assert "at most 366 can be saved" in error_text(app, "ends")
        assert error_text(app, "title") == ""
        await fill(app, pilot, ends="", starts="Jan 1, 2020 - Jan 1, 2035")
        assert "at most 366 can be saved" in error_text(app, "starts")
        assert error_text(app, "ends") == ""


async def test_a_saved_event_the_filter_hides_does_not_take_the_selection_later(
    app: ConvenerApp,
) -> None:
    from tui.domain.filters import EventFilter
    from tui.widgets.calendar_pane import CalendarPane

    workshop = app.planner.save(
        Event(
            title="Dee workshop",
            kind="workshop",
            start_date=date(2030, 1, 14),
            end_date=date(2030, 1, 14),
        )
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        calendar = screen.query_one(CalendarPane)
        screen.apply_filter(EventFilter(kind="dinner"))
        calendar.go_to(date(2030, 1, 16))
        await settle(app, pilot)
        await new_event_form(app, pilot)
        await fill(app, pilot, title="Xenia meeting", starts="2030-01-16")  # kind: other
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("h", "h")  # to the 14th
        await settle(app, pilot)
        await pilot.press("F")  # the filter off: the workshop shows, and is selected
        await settle(app, pilot)
        assert calendar.selected_event_id == workshop.id


async def test_ctrl_c_in_a_form_with_unsaved_text_asks_before_quitting(app: ConvenerApp) -> None:
    from tui.app import QUIT_UNSAVED

    async with app.run_test(size=SIZE) as pilot:
        form = await new_event_form(app, pilot)
        await fill(app, pilot, title="Half typed")
        await pilot.press("ctrl+c")
        await settle(app, pilot)
        question = app.screen.query_one("#confirm-question")
        assert isinstance(question.screen, ConfirmScreen) and str(question.render()) == QUIT_UNSAVED
        await pilot.press("n")  # stay
        await settle(app, pilot)
        assert app.screen is form and field(app, "title").value == "Half typed"
        await pilot.press("ctrl+c")
        await settle(app, pilot)
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


async def test_days_that_would_leave_the_agenda_outside_keep_the_form_open(
    app: ConvenerApp,
) -> None:
    from tui.domain.models import Session

    retreat = app.planner.save(
        Event(
            title="Lake retreat",
            kind="retreat",
            start_date=date(2030, 3, 4),
            end_date=date(2030, 3, 6),
        )
    )
    assert retreat.id is not None
    for day in (4, 5, 6):
        app.planner.save_session(
            Session(event_id=retreat.id, date=date(2030, 3, day), title=f"Day {day}")
        )
    async with app.run_test(size=(80, 24)) as pilot:
        await press_on_event(app, pilot, retreat.id, "e")
        assert isinstance(app.screen, EventFormScreen)
        await fill(app, pilot, ends="2030-03-04", title="Lake retreat, one day")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # The form stays with what was typed; the refusal is said beside Ends, in sight
        # in a small window (it sat below the last line shown).
        assert isinstance(app.screen, EventFormScreen)
        assert "the agenda has 2 sessions" in error_text(app, "ends")
        assert "(Tue 5 March 2030, Wed 6 March 2030)" in error_text(app, "ends")
        from textual.containers import ScrollableContainer

        error = app.screen.query_one("#error-ends")
        view = next(a for a in error.ancestors if isinstance(a, ScrollableContainer))
        assert await wait_until(pilot, lambda: view.region.contains_region(error.region))
        assert field(app, "title").value == "Lake retreat, one day"
        saved = app.planner.event(retreat.id)
        assert (saved.title, saved.end_date) == ("Lake retreat", date(2030, 3, 6))
        # Keeping its length saves, and the new title with it.
        await fill(app, pilot, ends="2030-03-06")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, EventFormScreen)
        assert app.planner.event(retreat.id).title == "Lake retreat, one day"


async def test_a_repeat_rule_is_said_in_words_under_its_field(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await new_event_form(app, pilot)
        hint = app.screen.query_one("#hint-repeat")
        await fill(app, pilot, starts="2030-01-02", repeat="FREQ=MONTHLY;BYDAY=1TH")
        assert "-ok" not in hint.classes
        assert str(hint.render()) == "repeats monthly on the first Thursday"
        await fill(app, pilot, repeat="garbage")  # wrong: its error says, no words
        assert "-ok" in hint.classes and error_text(app, "repeat")
        await fill(app, pilot, repeat="")
        assert "-ok" in hint.classes


async def test_a_problem_typed_in_a_field_low_in_a_small_window_is_in_sight(
    app: ConvenerApp,
) -> None:
    from textual.containers import ScrollableContainer

    async with app.run_test(size=(80, 24)) as pilot:
        await new_event_form(app, pilot)
        await fill(app, pilot, starts="2030-01-15")
        field(app, "ends").focus()
        await settle(app, pilot)
        await fill(app, pilot, ends="2030-01-01")  # before the start: said under Ends
        error = app.screen.query_one("#error-ends")
        assert "before start date" in error_text(app, "ends")
        view = next(a for a in error.ancestors if isinstance(a, ScrollableContainer))
        assert await wait_until(pilot, lambda: view.region.contains_region(error.region))


async def test_the_list_keeps_its_cursor_on_the_record_edited_added_or_deleted(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecordsScreen)
        table = screen.query_one(RecordTable)
        await pilot.press("end")
        await settle(app, pilot)
        last = table.current_row
        assert last is not None and table.cursor > 20
        # Edited: the cursor stays on her (it went back to the top, and the next e
        # opened the first person).
        await pilot.press("e")
        await settle(app, pilot)
        await fill(app, pilot, role="Rapporteur")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: table.current_row is not None)
        assert table.current_row is not None and table.current_row.ref == last.ref
        # Added: the cursor on the new person, where the order puts her.
        await pilot.press("n")
        await settle(app, pilot)
        await fill(app, pilot, name="Mariam Haidari")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert await wait_until(
            pilot,
            lambda: (
                table.current_row is not None and table.current_row.cells[0] == "Mariam Haidari"
            ),
        )
        # Deleted: the cursor on the row that took its place, not back at the top.
        at = table.cursor
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: table.current_row is not None)
        assert table.cursor == at and table.current_row is not None
        assert table.current_row.cells[0] != "Mariam Haidari"


async def test_a_form_saved_unchanged_makes_no_change_and_no_undo_step(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        steps = len(app.planner.history())
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, PersonFormScreen)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordsScreen)
        assert len(app.planner.history()) == steps
        # The event form alike.
        await pilot.press("escape")
        await settle(app, pilot)
        await press_on_event(app, pilot, 10, "e")
        assert isinstance(app.screen, EventFormScreen)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert len(app.planner.history()) == steps


async def test_an_email_or_web_address_is_checked_as_it_is_typed(app: ConvenerApp) -> None:
    from textual.widgets import Static

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, PersonFormScreen)
        await fill(app, pilot, email="not-an-email")
        error = form.query_one("#error-email", Static)
        assert "is not an e-mail address" in str(error.render())
        assert "-ok" not in error.classes
        await fill(app, pilot, email="ana@example.org")
        assert "-ok" in error.classes


async def test_a_long_title_is_clipped_in_the_saved_message(app: ConvenerApp) -> None:
    title = "Roundtable " + "on city diplomacy and prevention " * 9  # about 300 characters
    async with app.run_test(size=SIZE) as pilot:
        await new_event_form(app, pilot)
        await fill(app, pilot, title=title, starts="2026-12-10")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert titled(app, title.strip()) is not None  # saved whole
        said = [n.message for n in app._notifications if n.message.startswith("Saved ")]
        assert said and len(said[-1]) < 90 and said[-1].endswith("… (u undoes)")


async def test_a_capacity_too_large_says_the_most_there_can_be(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await new_event_form(app, pilot)
        await fill(app, pilot, capacity="99999999999999999999")
        assert error_text(app, "capacity").endswith("is more than 100,000")


async def test_f1_in_a_form_lists_the_forms_keys_and_what_was_typed_stays(
    app: ConvenerApp,
) -> None:
    from tui.screens.help import HelpScreen

    async with app.run_test(size=SIZE) as pilot:
        form = await new_event_form(app, pilot)
        await pilot.press(*"Why?")  # in a text field ? is text
        assert field(app, "title").value == "Why?" and app.screen is form
        await pilot.press("f1")
        assert await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = {b.key for _, bindings in app.screen._areas for b in bindings}  # type: ignore[attr-defined]
        assert "ctrl+s" in keys
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen is form)
        assert field(app, "title").value == "Why?"


async def test_to_before_from_is_refused_for_one_day_and_reads_as_one_span_over_several(
    planner: Planner,
) -> None:
    """From 14:00 To 1pm: refused on one day (the session form refuses it too); with a later
    Ends it runs from the first day's 14:00 to the last day's 13:00, and says so (it read
    "Mon 14 – Wed 16 December 2026, 14:00–13:00", your time "15:00–14:00 next day")."""
    from textual.widgets import Static

    from tui.config import Settings
    from tui.widgets.event_pane import EventPane

    app = ConvenerApp(planner, Settings(timezone="Europe/Vienna"))
    async with app.run_test(size=SIZE) as pilot:
        form = await new_event_form(app, pilot)
        await fill(
            app,
            pilot,
            title="Retreat",
            starts="2026-12-14",
            start_time="14:00",
            end_time="1pm",
            timezone="Europe/London",
        )
        assert error_text(app, "end_time") == (
            "to: 13:00 is before 14:00 (past midnight: give the next day as Ends)"
        )
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert not [e for e in app.planner.events() if e.title == "Retreat"]
        await fill(app, pilot, ends="2026-12-16")
        assert error_text(app, "end_time") == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = titled(app, "Retreat")
        assert (saved.start_date, saved.end_date) == (date(2026, 12, 14), date(2026, 12, 16))
        assert (saved.start_time, saved.end_time) == (time(14, 0), time(13, 0))
        facts = app.screen.query_one(EventPane).query_one("#details-facts", Static)

        def shown() -> str:
            return " ".join(str(facts.content).split())

        assert await wait_until(
            pilot,
            lambda: "Mon 14 December 2026, 14:00 – Wed 16 December, 13:00 Europe/London" in shown(),
        ), shown()
        assert "your time: Mon 14 Dec 15:00–Wed 16 Dec 14:00 (Europe/Vienna)" in shown()


async def test_right_arrow_in_the_same_burst_as_the_letters_takes_the_completion(
    app: ConvenerApp,
) -> None:
    """`→` right after `Europe/Lon` (before Textual's completion worker answered) takes
    Europe/London: the field is the completed zone, checked as such, and the event saves."""
    async with app.run_test(size=SIZE) as pilot:
        await new_event_form(app, pilot)
        await fill(app, pilot, title="Zone typed fast", starts="2027-03-04")
        zone = field(app, "timezone")
        zone.focus()
        zone.value = "Europe/Lon"
        zone.cursor_position = len(zone.value)
        zone.action_cursor_right()  # no await between: the worker has not answered
        assert zone.value == "Europe/London"
        await settle(app, pilot)
        assert not error_shown(app, "timezone")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert titled(app, "Zone typed fast").timezone == "Europe/London"
