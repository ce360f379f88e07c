from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from tui.domain.errors import InvalidInput
from tui.domain.models import Event, Person
from tui.domain.planner import Planner
from tui.domain.text import clean, fold


def test_sample_has_both_seed_events_linked(planner: Planner) -> None:
    events = {e.title: e for e in planner.events()}
    workshop = events["City Action for Peace Workshop – Washington, DC"]
    roundtable = events["Cities and Mass Violence Roundtable"]
    assert (
        workshop.start_date == date(2024, 6, 12) and workshop.location == "Washington D.C., DC, USA"
    )
    assert roundtable.location is None and roundtable.access == "invitation-only"
    assert workshop.id and roundtable.id
    details = planner.event_details(roundtable.id)
    assert [c.name for c in details.contacts] == ["Kelsey Paul Shantz", "Jai-Ayla Sutherland"]
    assert [p.name for p in details.partners] == ["Impact:Peace"]
    # The seed page's own related events (the sample's upcoming dinner links here too).
    assert [(e.title, e.start_date, e.end_date) for e in details.related_events if e.link_only] == [
        (
            "Peace in Our Cities: Senior Staff Planning and Strategy Retreat",
            date(2020, 2, 4),
            date(2020, 2, 6),
        ),
        ("60th Strategy for Peace Conference", date(2019, 10, 16), date(2019, 10, 18)),
        ("Launch of the Impact:Peace Initiative", date(2019, 5, 20), date(2019, 5, 22)),
    ]
    assert {p.title for p in details.related_publications} == {
        "Making the Case for Peace in Cities",
        "Peace in Our Cities",
    }
    # Jai-Ayla Sutherland is one person, contact for both seed events.
    people = [p for p in planner.people() if p.name == "Jai-Ayla Sutherland"]
    assert len(people) == 1 and people[0].id
    contact_for = {e.title for e in planner.store.events_for_contact(people[0].id)}
    assert {workshop.title, roundtable.title} <= contact_for


def test_upcoming_sample_convenings_surround_today(planner: Planner) -> None:
    today = planner.today()
    upcoming = planner.events(today, date(today.year + 1, 12, 31))
    assert 4 <= len([e for e in upcoming if not e.repeat]) <= 6
    kinds = {e.kind for e in upcoming}
    assert {"retreat", "dinner", "roundtable"} <= kinds
    retreat = next(e for e in upcoming if e.kind == "retreat")
    assert (retreat.end_date - retreat.start_date).days == 2
    zones = {e.timezone for e in upcoming if e.timezone}
    assert len(zones) >= 2
    for event in upcoming:
        if event.repeat:
            continue
        assert event.id
        guests = planner.invitations_for(event.id)
        assert 10 <= len(guests) <= 40
        assert len({g.status for g in guests}) >= 3
        assert planner.sessions_for(event.id)
        assert event.is_sample


def test_occurrences_include_multi_day_events_on_each_day(planner: Planner) -> None:
    retreat = next(
        e
        for e in planner.events()
        if e.kind == "retreat" and e.is_sample and e.start_date > planner.today()
    )
    counts = planner.days_with_events(retreat.start_date, retreat.end_date)
    assert all(counts.get(day, 0) >= 1 for day in (retreat.start_date, retreat.end_date))


def test_repeating_event_expands_only_over_the_range(empty_planner: Planner) -> None:
    empty_planner.save(
        Event(
            title="Weekly call",
            start_date=date(2020, 1, 6),
            end_date=date(2020, 1, 6),
            repeat="FREQ=WEEKLY",
        )
    )
    found = empty_planner.occurrences_between(date(2026, 12, 1), date(2026, 12, 31))
    assert [o.start_date.day for o in found] == [7, 14, 21, 28]
    assert all(o.start_date.weekday() == 0 for o in found)
    assert all(o.is_repeat for o in found)
    # Unbounded, but a range of ten years still expands only its own weeks.
    decade = empty_planner.occurrences_between(date(2030, 1, 1), date(2039, 12, 31))
    assert 520 <= len(decade) <= 523


def test_repeating_multi_day_event_shows_when_it_began_before_the_range(
    empty_planner: Planner,
) -> None:
    empty_planner.save(
        Event(
            title="Monthly retreat",
            start_date=date(2026, 1, 30),
            end_date=date(2026, 2, 2),
            repeat="FREQ=MONTHLY;BYMONTHDAY=30",
        )
    )
    found = empty_planner.occurrences_between(date(2026, 12, 1), date(2026, 12, 1))
    assert [(o.start_date, o.end_date) for o in found] == [(date(2026, 11, 30), date(2026, 12, 3))]


def test_the_occurrence_on_a_day_of_a_multi_day_event_is_the_one_running_then(
    empty_planner: Planner,
) -> None:
    """`--on` the second day of a two-day workshop is that workshop (not refused), and of a
    series its occurrence that began the day before; a day it does not meet names its
    dates."""
    workshop = empty_planner.save(
        Event(title="Workshop", start_date=date(2027, 2, 10), end_date=date(2027, 2, 11))
    )
    retreat = empty_planner.save(
        Event(
            title="Monthly retreat",
            start_date=date(2026, 1, 30),
            end_date=date(2026, 2, 2),
            repeat="FREQ=MONTHLY;BYMONTHDAY=30",
        )
    )
    assert workshop.id is not None and retreat.id is not None
    second_day = empty_planner.occurrence_on(workshop.id, date(2027, 2, 11))
    assert (second_day.start_date, second_day.end_date) == (date(2027, 2, 10), date(2027, 2, 11))
    running = empty_planner.occurrence_on(retreat.id, date(2026, 12, 2))
    assert (running.start_date, running.end_date) == (date(2026, 11, 30), date(2026, 12, 3))
    with pytest.raises(InvalidInput, match=r"\(it runs 2027-02-10 to 2027-02-11\)"):
        empty_planner.occurrence_on(workshop.id, date(2027, 2, 12))
    text = empty_planner.agenda_markdown(retreat.id, day=date(2026, 12, 2))
    assert "- **When:** Mon 30 November – Thu 3 December 2026" in text, text


def test_save_cleans_control_characters_and_keeps_markup_as_text(empty_planner: Planner) -> None:
    saved = empty_planner.save(
        Event(
            title="[Draft] [/] \x1b]0;X\x07 agenda",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 1, 1),
            description="line one\r\nline two\u202e",
        )
    )
    assert saved.title == "[Draft] [/] agenda"  # the window-title sequence, whole
    assert saved.description == "line one\nline two"


def test_save_refuses_an_event_that_ends_before_it_starts(empty_planner: Planner) -> None:
    with pytest.raises(InvalidInput, match="before start date"):
        empty_planner.save(Event(title="x", start_date=date(2026, 1, 2), end_date=date(2026, 1, 1)))


def test_delete_and_restore(planner: Planner) -> None:
    person = planner.save(Person(name="Temporary Guest"))
    planner.delete(person)
    assert "Temporary Guest" not in {p.name for p in planner.people()}
    planner.restore(person)
    assert "Temporary Guest" in {p.name for p in planner.people()}


def test_is_empty(empty_planner: Planner, planner: Planner) -> None:
    assert empty_planner.is_empty()
    assert not planner.is_empty()


def test_event_details_time_and_zone(planner: Planner) -> None:
    dinner = next(
        e for e in planner.events() if e.kind == "dinner" and e.is_sample and e.start_time
    )
    assert dinner.start_time == time(19) and dinner.timezone == "America/New_York"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zürich", "zurich"),
        ("Jai-Ayla  Sutherland", "jai ayla sutherland"),
        ("O’Brien", "o brien"),
        # Plain ASCII takes a shorter way to the same key.
        ("O'Brien\tJr.", "o brien jr"),
        ("Snake_case AND-Dash 42", "snake_case and dash 42"),
        ("  ", ""),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_clean_replaces_c0_c1_and_bidi_but_keeps_newlines_and_tabs() -> None:
    assert clean("a\tb\nc\x1b[31md\x9be\u202ef") == "a\tb\ncdef"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Bell\x07 and \x1b[31mred\x1b[0m title", "Bell^G and red title"),
        ("lone esc\x1b here", "lone esc^[ here"),
        ("nul\x00 del\x7f", "nul^@ del^?"),
        ("title \x1b]0;pwned\x07after", "title after"),
        ("title \x1b]0;pwned\x1b\\after", "title after"),
        ("unended \x1b]0;pwned", "unended ^[]0;pwned"),
        ("Don\x92t", "Dont"),  # a C1 control alone goes alone
        ("\u202eevil \u2066x\u2069 \u200eok", "evil x ok"),
        ("plain – Zürich", "plain – Zürich"),
    ],
)
def test_controls_show_in_caret_notation_and_sequences_go_whole(text: str, shown: str) -> None:
    """Shown as U+FFFD, a control read as a broken font; ^G is how terminals write BEL."""
    assert clean(text) == shown
    assert "\x1b" not in clean(text) and "\ufffd" not in clean(text)


def test_a_daily_series_over_four_years_shows_every_day(empty_planner: Planner) -> None:
    """No fixed cap stops a series short of the range (it stopped at 1,000 days)."""
    from tui.domain.models import Event

    empty_planner.save(
        Event(
            title="Daily",
            start_date=date(2027, 1, 1),
            end_date=date(2027, 1, 1),
            repeat="FREQ=DAILY",
        )
    )
    found = empty_planner.occurrences_between(date(2027, 1, 1), date(2030, 12, 31))
    assert len(found) == 1461 and found[-1].start_date == date(2030, 12, 31)


def test_an_occurrence_saved_from_the_form_is_one_step_with_the_forms_links(
    empty_planner: Planner,
) -> None:
    series = empty_planner.save(
        Event(
            title="Weekly call",
            start_date=date(2027, 1, 5),
            end_date=date(2027, 1, 5),
            repeat="FREQ=WEEKLY;COUNT=4",
        )
    )
    ann = empty_planner.save(Person(name="Ann", is_staff=True))
    ben = empty_planner.save(Person(name="Ben", is_staff=True))
    assert series.id is not None and ann.id is not None and ben.id is not None
    empty_planner.link("contact", series.id, ann.id)
    edited = replace(
        series, title="Moved call", start_date=date(2027, 1, 13), end_date=date(2027, 1, 13)
    )
    moved = empty_planner.save_occurrence(series, date(2027, 1, 12), edited, [ben.id], None)
    assert moved.id is not None
    assert [c.name for c in empty_planner.contacts_for(moved.id)] == ["Ben"]
    assert empty_planner.undo() == "Edit one occurrence of event 'Weekly call'"
    titles = {
        o.event.title
        for o in empty_planner.occurrences_between(date(2027, 1, 1), date(2027, 1, 31))
    }
    assert titles == {"Weekly call"}


def test_overwriting_takes_the_stored_stamps_and_leaves_the_trash(empty_planner: Planner) -> None:
    from dataclasses import replace

    from tui.domain.errors import Conflict, NotFound

    old = empty_planner.save(Person(name="Ann"))
    newer = empty_planner.save(replace(old, role="Chair"))
    empty_planner.delete(newer)
    mine = replace(old, name="Ann Okafor")
    with pytest.raises(Conflict), empty_planner.unless_changed(mine):
        pass
    forced = empty_planner.overwriting(mine)
    assert forced.deleted_at is None and forced.updated_at != old.updated_at
    saved = empty_planner.save(forced)  # as the form's "save anyway" does
    assert saved.name == "Ann Okafor" and saved.deleted_at is None
    with pytest.raises(NotFound):
        empty_planner.overwriting(replace(old, id=9999))


def test_the_planner_answers_for_its_database_file(empty_planner: Planner) -> None:
    assert empty_planner.database_path.name == "empty.db"
    assert empty_planner.check() == []
    assert empty_planner.schema_version() is not None
    empty_planner.save(Person(name="Ann"))
    empty_planner.forget_history()
    assert empty_planner.history() == []


def test_a_time_the_clocks_skip_is_refused_in_one_line(empty_planner: Planner) -> None:
    from dataclasses import replace

    gap = Event(
        title="Night of the change",
        start_date=date(2027, 3, 28),
        end_date=date(2027, 3, 28),
        start_time=time(2, 30),
        end_time=time(3, 15),
        timezone="Europe/Zurich",
    )
    with pytest.raises(InvalidInput, match="start time 02:30 does not exist on Sun 28 Mar 2027"):
        empty_planner.save(gap)
    assert empty_planner.events() == []
    # An hour later, or the same time a day before, is fine; so is 02:30 with no zone.
    empty_planner.save(replace(gap, start_time=time(3, 0)))
    empty_planner.save(replace(gap, start_date=date(2027, 3, 27), end_date=date(2027, 3, 27)))
    empty_planner.save(replace(gap, timezone=None))
    assert len(empty_planner.events()) == 3


def test_a_glance_gives_the_agenda_and_the_marks_that_a_full_read_gives(
    empty_planner: Planner,
) -> None:
    """The first screen's read (Planner.glance): the agenda range's occurrences, in order,
    and the six weeks' day counts, exactly as reading every event of the window gives them."""
    from datetime import timedelta

    from tui.domain.filters import EventFilter

    planner = empty_planner
    window = (date(2026, 11, 30), date(2027, 1, 10))
    week = (date(2026, 12, 7), date(2026, 12, 13))

    def add(title: str, first: date, last: date, **more: object) -> Event:
        return planner.save(Event(title=title, start_date=first, end_date=last, **more))  # type: ignore[arg-type]

    add("Before and into the window", date(2026, 11, 20), date(2026, 12, 2))
    add("Across the window's end", date(2027, 1, 9), date(2027, 1, 20))
    add("In the week", date(2026, 12, 8), date(2026, 12, 8), start_time=time(9, 0))
    add("Same day, same span", date(2026, 12, 8), date(2026, 12, 8), kind="dinner")
    add("Across the week's start", date(2026, 12, 5), date(2026, 12, 7))
    add("Later in the window", date(2026, 12, 21), date(2026, 12, 23))
    add("Outside", date(2027, 2, 1), date(2027, 2, 1))
    gone = add("Deleted", date(2026, 12, 9), date(2026, 12, 9))
    planner.delete(gone)
    add("Weekly", date(2026, 11, 3), date(2026, 11, 3), repeat="FREQ=WEEKLY;COUNT=8")
    add("Two days monthly", date(2026, 10, 31), date(2026, 11, 1), repeat="FREQ=MONTHLY")
    nothing = EventFilter()
    shown, counts = planner.glance(window, week, nothing)
    full = planner.occurrences_between(*week)
    assert [(o.event.title, o.start_date) for o in shown] == [
        (o.event.title, o.start_date) for o in full
    ]
    assert {o.event.title for o in shown} == {
        "Across the week's start", "In the week", "Same day, same span", "Weekly",
    }  # fmt: skip
    assert counts == planner.days_with_events(*window)
    assert counts[date(2026, 12, 8)] == 3 and counts[date(2026, 12, 1)] == 2
    assert counts[window[0]] == 1  # the event from before the window
    # The monthly two days (no 31 November): 31 December and 1 January.
    assert counts[date(2026, 12, 31)] == counts[date(2027, 1, 1)] == 1
    assert date(2026, 12, 9) not in counts and window[1] + timedelta(days=1) not in counts
    # With a filter, what it hides is neither listed nor counted.
    dinners = EventFilter(kind="dinner")
    shown, counts = planner.glance(window, week, dinners)
    assert [o.event.title for o in shown] == ["Same day, same span"]
    assert counts == {date(2026, 12, 8): 1}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("garbage", "repeat: 'GARBAGE' is not NAME=VALUE (e.g. FREQ=WEEKLY;COUNT=6)"),
        ("FREQ=WEEKLY;EVERY=2", "repeat: EVERY is not part of a repeat rule"),
        ("FREQ=WEEKLY;FREQ=DAILY", "repeat: FREQ is given twice"),
        ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY: expected DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("COUNT=3", "repeat: FREQ is missing (e.g. FREQ=WEEKLY;COUNT=6)"),
        ("FREQ=WEEKLY;BYDAY=XX", "repeat 'FREQ=WEEKLY;BYDAY=XX' is not a repeat rule (e.g."),
        ("FREQ=WEEKLY;UNTIL=2027'01", 'UNTIL "2027\'01" is not a date'),
    ],
)
def test_a_wrong_repeat_rule_is_said_in_words(rule: str, message: str) -> None:
    from tui.domain.validate import repeat_value

    with pytest.raises(InvalidInput) as caught:
        repeat_value(rule, date(2027, 1, 4))
    assert message in str(caught.value)
    assert "unpack" not in str(caught.value) and "\\" not in str(caught.value)


def test_an_edit_saved_over_a_change_made_elsewhere_keeps_what_it_left_alone(
    empty_planner: Planner,
) -> None:
    from tui.domain.models import Session

    base = empty_planner.save(
        Event(title="Dinner", start_date=date(2027, 1, 4), end_date=date(2027, 1, 4))
    )
    assert base.id is not None
    mine = replace(base, title="Policy dinner", venue="Mine")
    empty_planner.save(replace(base, venue="Theirs", capacity=40))
    assert empty_planner.clashes(base, mine) == ["venue"]
    assert empty_planner.clashes(base, replace(base, title="Policy dinner")) == []
    merged = empty_planner.overwriting(mine, base)
    assert (merged.title, merged.venue, merged.capacity) == ("Policy dinner", "Mine", 40)
    empty_planner.save(merged)  # the stored stamps: no conflict left
    # A session's speakers are saved beside it: never named as a clash.
    session = empty_planner.save_session(Session(event_id=base.id, date=base.start_date, title="A"))
    empty_planner.save_session(replace(session, room="Hall"))
    assert empty_planner.clashes(session, replace(session, title="B", speakers=())) == []


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("europe/london", "Europe/London"), ("new york", "America/New_York"), ("Tokyo", "Asia/Tokyo")],
)
def test_a_zone_named_in_the_wrong_case_or_by_its_city_is_suggested(typed: str, meant: str) -> None:
    from tui.domain.validate import timezone_value

    with pytest.raises(InvalidInput, match=f"did you mean {meant}\\?"):
        timezone_value(typed)


def test_a_record_typed_in_a_forms_picker_is_checked_then_added_within_the_save(
    planner: Planner,
) -> None:
    from tui.domain.models import Session, Speaker

    with pytest.raises(InvalidInput, match="not an e-mail address"):
        planner.typed_record("person", "Zed <not-an-address>")
    with pytest.raises(InvalidInput, match="name is required"):
        planner.typed_record("organisation", "  ")
    event = planner.save(Event("Retreat", date(2027, 2, 4), date(2027, 2, 4)))
    assert event.id is not None
    steps = planner.history()
    zed = planner.typed_record("person", "Zed Newperson <zed@example.org>")
    assert zed.id is None and planner.history() == steps  # checked, not saved
    with planner.unless_changed(None):
        zed_id = planner.add_typed(zed)
        planner.save_session(
            Session(event_id=event.id, date=date(2027, 2, 4), title="Closing words"),
            [Speaker(zed_id, zed.name)],
        )
    assert planner.history()[0][0] == 'Add session "Closing words"'
    assert planner.history()[1:] == steps
    planner.undo()
    assert planner.history() == steps
    assert not planner.find_people("Zed Newperson")


def test_names_are_joined_as_a_sentence_reads() -> None:
    from tui.domain.text import joined

    assert [joined(items) for items in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == [
        "",
        "a",
        "a and b",
        "a, b and c",
    ]
