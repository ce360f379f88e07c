"""A record as TOML for $EDITOR and back: every kind, checked like the forms."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from datetime import date, time
from typing import Any

import pytest

from tui.domain.errors import InvalidInput
from tui.domain.models import Event, Organisation, Person, Publication, Session
from tui.domain.planner import Planner
from tui.domain.record_toml import (
    from_document,
    is_blank,
    save_edited,
    strip_errors,
    to_document,
    with_error,
)


def test_every_kind_round_trips_unchanged(planner: Planner) -> None:
    records: list[Event | Person | Organisation | Publication | Session] = [
        planner.event(10),
        planner.person(1),
        planner.organisation(1),
        planner.publications()[0],
        planner.sessions_for(11)[0],
    ]
    for record in records:
        document = to_document(planner, record)
        assert document.startswith("# Convener: ")
        tomllib.loads(document)  # valid TOML
        edited = from_document(planner, record, document)
        if hasattr(record, "link_only"):
            stub: Any = record  # replace() cannot type a field over a union of kinds
            record = replace(stub, link_only=False)  # edited by hand: no longer a stub
        assert edited.record == record, type(record).__name__


def test_event_links_by_name_and_partners_added_when_new(planner: Planner) -> None:
    event = planner.event(10)
    document = to_document(planner, event)
    data = tomllib.loads(document)
    assert data["contacts"] == [c.name for c in planner.contacts_for(10)]
    changed = document.replace(
        "partners = [", 'partners = [\n    "A Brand New Network",', 1
    ).replace('title = "', 'title = "Renamed: ', 1)
    edited = from_document(planner, event, changed)
    assert planner.store.by_key(Organisation, "A Brand New Network") == []  # not before saving
    saved = save_edited(planner, edited)
    assert isinstance(saved, Event)
    assert saved.title.startswith("Renamed: ")
    assert planner.partners_for(10)[0].name == "A Brand New Network"
    assert planner.undo() is not None  # one step: links, new organisation and fields
    assert planner.store.by_key(Organisation, "A Brand New Network") == []
    assert planner.event(10).title == event.title


def test_person_organisation_by_name(planner: Planner) -> None:
    person = planner.person(1)
    document = to_document(planner, person)
    lines = [
        'organisation = "Elsewhere Institute"' if line.startswith("organisation =") else line
        for line in document.splitlines()
    ]
    saved = save_edited(planner, from_document(planner, person, "\n".join(lines)))
    assert isinstance(saved, Person)
    assert planner.organisation_name(saved.organisation_id) == "Elsewhere Institute"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('start_date = "', 'start_date = "Feb 30, 2027" #'), "start_date"),
        (('title = "', 'title = true #"'), "title"),
        (("kind = ", 'kind = "banquet" #'), "kind"),
        (("timezone = ", 'timezone = "Mars/Olympus" #'), "timezone"),
        (("repeat = ", 'repeat = "every other day" #'), "repeat"),
        (("contacts = [", 'contacts = [\n    "Nobody We Know",'), "Nobody We Know"),
        (
            ('title = "', 'colour = "red"\ntitle = "'),
            r"unknown field 'colour' \(the fields are those",
        ),
        (('title = "', 'partner = ["X"]\ntitle = "'), r"'partner' \(did you mean 'partners'\?\)"),
        (('title = "', 'title = [1, 2]\nold_title = "'), "title"),
        (('title = "', 'title = "unclosed\n#'), "not valid TOML"),
    ],
)
def test_problems_name_the_field(planner: Planner, change: tuple[str, str], message: str) -> None:
    event = planner.event(10)
    document = to_document(planner, event).replace(*change, 1)
    with pytest.raises(InvalidInput, match=message):
        from_document(planner, event, document)
    assert planner.event(10) == event


def test_problem_lines_come_and_go_and_blank_means_cancel(planner: Planner) -> None:
    document = to_document(planner, planner.publications()[0])
    marked = with_error(document, "published: 'Smarch 2024' is not a month")
    assert marked.startswith("# !! Not saved: published")
    again = with_error(marked, "a second problem")
    assert again.count("# !! Not saved") == 1  # the old problem is replaced
    assert strip_errors(again) == document
    assert is_blank("# only comments\n\n   \n")
    assert not is_blank(document)


def test_session_day_checked(planner: Planner) -> None:
    session = planner.sessions_for(11)[0]
    document = to_document(planner, session).replace(
        f'date = "{session.date.isoformat()}"', 'date = "2030-01-01"'
    )
    edited = from_document(planner, session, document)
    assert edited.record.date == date(2030, 1, 1)  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="not a day of the event"):
        save_edited(planner, edited)


def test_an_end_time_without_a_start_time_is_refused(planner: Planner) -> None:
    """Kept alone it was saved and shown nowhere; the TOML path, the forms' build and the
    store (imports, sync) all check it in validate."""
    event = replace(planner.event(10), start_time=None, end_time=None)
    document = to_document(planner, event).replace('end_time = ""', 'end_time = "13:30"')
    with pytest.raises(InvalidInput, match="end_time 13:30 needs a start_time too"):
        from_document(planner, event, document)
    session = replace(planner.sessions_for(11)[0], start_time=None)
    document = to_document(planner, session)
    with pytest.raises(InvalidInput, match=r"end_time .* needs a start_time too"):
        from_document(planner, session, document)
    with pytest.raises(InvalidInput, match="needs a start_time"):
        planner.save_event(replace(planner.event(10), start_time=None, end_time=time(13, 30)))
    assert planner.event(10).end_time != time(13, 30)


def test_publication_month(planner: Planner) -> None:
    publication = planner.publications()[0]
    document = to_document(planner, publication)
    lines = [
        'published = "June 2024"' if line.startswith("published =") else line
        for line in document.splitlines()
    ]
    saved = save_edited(planner, from_document(planner, publication, "\n".join(lines)))
    assert isinstance(saved, Publication) and saved.published == "2024-06"


def test_a_toml_problem_names_its_line_in_the_file_reopened(planner: Planner) -> None:
    event = planner.event(10)
    text = to_document(planner, event)
    text = "\n".join(
        "start_date = 2027-02-30" if line.startswith("start_date = ") else line
        for line in text.splitlines()
    )
    for _ in range(2):  # the first check, then again with the problem lines on top
        with pytest.raises(InvalidInput) as caught:
            from_document(planner, event, text)
        text = with_error(text, caught.value.message)
        found = re.search(r"at line (\d+), column (\d+)", caught.value.message)
        assert found is not None and caught.value.line == int(found[1])
        line = text.splitlines()[int(found[1]) - 1]
        assert line == "start_date = 2027-02-30"
        assert line[int(found[2]) - 1 :].startswith("2027-02-30")
