"""The page importer on the two real seed pages and on pages written for each variant."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from tui.domain.errors import InvalidInput
from tui.domain.importers.event_page import (
    Contact,
    RelatedEvent,
    RelatedPublication,
    parse_page,
)
from tui.domain.models import Event, Organisation, Person, Publication
from tui.domain.planner import Planner

# Copies of ../shared/seeds, byte for byte, so the suite needs nothing outside the repo.
SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
WORKSHOP = SEEDS / "000_bc0703ea3dc38fcf.txt"
ROUNDTABLE = SEEDS / "002_75272e0dcd49d865.txt"
MVA = "Mass Violence and Atrocities"


def test_seed_workshop_page_field_by_field() -> None:
    page = parse_page(WORKSHOP.read_text())
    assert page.kind == "event"
    assert page.title == "City Action for Peace Workshop – Washington, DC"
    assert (page.start_date, page.end_date) == (date(2024, 6, 12), date(2024, 6, 12))
    assert page.location == "Washington D.C., DC, USA"
    assert page.program_area == MVA
    assert page.access == "invitation-only"
    assert page.event_kind == "workshop"
    assert page.description is not None
    assert page.description.startswith("As the United States and its global partners")
    assert page.description.endswith("To make progress, this must change.")
    assert (
        "seek to:\n\n- Position mayors and local leaders as trusted partners for peace.\n"
        "- Scale practical support" in page.description
    )
    assert "\n\nCurrently, cities are undervalued" in page.description
    assert page.contacts == [Contact("Jai-Ayla Sutherland", "Program Officer", MVA)]
    # The page has no Partners section: organisations its prose names are not partners.
    assert page.partners == []
    assert page.mentioned == [
        ("Peace in Our Cities", "PiOC"),
        ("Global Initiative Against Transnational Organized Crime", "GI-TOC"),
    ]
    assert page.related_events == [
        RelatedEvent(
            "The City Key: Unlocking Solutions to Identity-based Violence – Policy Salon Dinner and Workshop",
            date(2024, 5, 6),
            date(2024, 5, 6),
        ),
        RelatedEvent(
            "Lessons for and from Effective Offices of Violence Prevention",
            date(2024, 2, 8),
            date(2024, 2, 8),
        ),
        RelatedEvent(
            "Cities at the Global Policy Table: Solutions Providers for Violence Reduction and SDG16+ Implementation",
            date(2022, 1, 25),
            date(2022, 1, 25),
        ),
    ]
    assert page.related_publications == [
        RelatedPublication(
            "Guiding Principles and Inspiring Actions: Operationalizing the Resolution to Reduce Urban Violence",
            MVA,
        ),
        RelatedPublication("Lessons from Effective Offices of Violence Prevention", MVA),
    ]
    assert page.skipped == []


def test_seed_roundtable_page_field_by_field() -> None:
    page = parse_page(ROUNDTABLE.read_text())
    assert page.title == "Cities and Mass Violence Roundtable"
    assert (page.start_date, page.end_date) == (date(2020, 10, 29), date(2020, 10, 29))
    assert page.location is None
    assert page.program_area == MVA
    assert page.access == "invitation-only"
    assert page.event_kind == "roundtable"
    assert page.description and page.description.startswith(
        "For the past several months, the Stanley Center"
    )
    assert page.description.endswith("best practices for inclusive program interventions.")
    assert (
        page.description.count("\n- ") == 4
        and page.description.count("- Where is there overlap") == 1
    )
    assert page.contacts == [
        Contact("Kelsey Paul Shantz", "Program Officer", MVA),
        Contact("Jai-Ayla Sutherland", "Program Officer", MVA),
    ]
    assert page.partners == []  # the page's Partners heading has nothing under it
    assert page.related_events == [
        RelatedEvent(
            "Peace in Our Cities: Senior Staff Planning and Strategy Retreat",
            date(2020, 2, 4),
            date(2020, 2, 6),
        ),
        RelatedEvent("60th Strategy for Peace Conference", date(2019, 10, 16), date(2019, 10, 18)),
        RelatedEvent("Launch of the Impact:Peace Initiative", date(2019, 5, 20), date(2019, 5, 22)),
    ]
    assert page.related_publications == [
        RelatedPublication("Making the Case for Peace in Cities", MVA),
        RelatedPublication("Peace in Our Cities", MVA),
    ]


def _digest(planner: Planner) -> str:
    return hashlib.sha256("\n".join(planner.store._conn.iterdump()).encode()).hexdigest()


def test_both_seeds_import_as_linked_records_once(empty_planner: Planner) -> None:
    first = empty_planner.import_file(WORKSHOP)
    second = empty_planner.import_file(ROUNDTABLE)
    # The workshop's page has no Partners section: what its text names is said, not linked.
    assert first.summary().endswith(
        "added 4 events, 1 person, 2 publications; linked 6; its text names Peace in Our"
        " Cities (PiOC), Global Initiative Against Transnational Organized Crime (GI-TOC):"
        " not made partners"
    )
    assert second.summary().endswith("added 4 events, 1 person, 2 publications; linked 7")
    store = empty_planner.store
    assert store.count(Event) == 8 and store.count(Person) == 2
    assert store.count(Organisation) == 0 and store.count(Publication) == 4
    [jai] = store.by_key(Person, "Jai-Ayla Sutherland")
    assert (jai.role, jai.program_area, jai.is_staff) == ("Program Officer", MVA, True)
    assert jai.id is not None
    assert {e.title for e in store.events_for_contact(jai.id)} == {
        "City Action for Peace Workshop – Washington, DC",
        "Cities and Mass Violence Roundtable",
    }
    [workshop] = store.by_key(Event, "City Action for Peace Workshop – Washington, DC")
    assert (
        workshop.id
        and not workshop.link_only
        and workshop.status == "held"
        and workshop.access == "invitation-only"
    )
    [city_key] = store.by_key(
        Event,
        "The City Key: Unlocking Solutions to Identity-based Violence – Policy Salon Dinner and Workshop",
    )
    assert city_key.link_only and city_key.id
    # every link shows from both ends
    assert [e.id for e in store.related_events(city_key.id)] == [workshop.id]
    for publication in store.publications_for_event(workshop.id):
        assert publication.id and [e.id for e in store.events_for_publication(publication.id)] == [
            workshop.id
        ]
    before = _digest(empty_planner)
    again = [empty_planner.import_file(path) for path in (WORKSHOP, ROUNDTABLE)]
    assert [r.summary().split(": ", 1)[1].split(";")[0] for r in again] == ["nothing new"] * 2
    assert _digest(empty_planner) == before


def test_seeds_match_the_sample_records(planner: Planner) -> None:
    before = _digest(planner)
    reports = [planner.import_file(path) for path in (WORKSHOP, ROUNDTABLE)]
    # The sample has the organisations the workshop's text names as its partners.
    assert [r.summary().split(": ")[1] for r in reports] == ["nothing new", "nothing new"]
    assert _digest(planner) == before


VARIANT_EVENT = """\
October 30-November 1, 2019\u00a0| Geneva, Switzerland | Climate Change
Climate, Cities and Conflict Retreat


By Invitation Only
The retreat asked whether heat above 40 ºC changes the risk of “urban unrest” — and how cities adapt.
- First question.
- Second question.

A closing paragraph.
Contact
Maria Lopez
Senior Program Officer
Climate Change
Tom O’Neil
Program Associate
Anna Berg
Director of ProgramsClimate Change
Partners
Impact:Peace
University of Geneva
View All
Related Events
December 30, 2019-January 2, 2020
New Year Dialogue on Climate SecurityOctober 16-18, 2019
60th Strategy for Peace ConferenceView All
Related Publications
Climate Change
Heat and Cities: A BriefClimate Change
Adaptation Under Fire
"""


def test_variant_event_page() -> None:
    page = parse_page(VARIANT_EVENT)
    assert page.title == "Climate, Cities and Conflict Retreat"
    assert (page.start_date, page.end_date) == (date(2019, 10, 30), date(2019, 11, 1))
    assert (page.location, page.program_area, page.access) == (
        "Geneva, Switzerland",
        "Climate Change",
        "invitation-only",
    )
    assert page.event_kind == "retreat"
    assert page.description == (
        "The retreat asked whether heat above 40 °C changes the risk of “urban unrest” — and how cities adapt."
        "\n\n- First question.\n- Second question.\n\nA closing paragraph."
    )
    assert page.contacts == [
        Contact("Maria Lopez", "Senior Program Officer", "Climate Change"),
        Contact("Tom O’Neil", "Program Associate", None),
        Contact("Anna Berg", "Director of Programs", "Climate Change"),
    ]
    assert page.partners == [("Impact:Peace", None), ("University of Geneva", None)]
    assert page.related_events == [
        RelatedEvent("New Year Dialogue on Climate Security", date(2019, 12, 30), date(2020, 1, 2)),
        RelatedEvent("60th Strategy for Peace Conference", date(2019, 10, 16), date(2019, 10, 18)),
    ]
    assert page.related_publications == [
        RelatedPublication("Heat and Cities: A Brief", "Climate Change"),
        RelatedPublication("Adaptation Under Fire", "Climate Change"),
    ]


def test_single_date_header_and_public_event_without_contact_heading() -> None:
    page = parse_page(
        "March 3, 2025 | Nairobi, Kenya | Cities\nLaunch of the Urban Peace Report\nPublic\nText.\n"
    )
    assert (page.start_date, page.location, page.program_area, page.access) == (
        date(2025, 3, 3),
        "Nairobi, Kenya",
        "Cities",
        "public",
    )
    assert page.event_kind == "launch" and page.contacts == []


PUBLICATION = """\
Mass Violence and Atrocities | Readout and Recommendations
Cities and Mass Violence: Readout
Ariana Markowitz | December 2020
This readout summarises the roundtable.

Related Events
October 29, 2020
Cities and Mass Violence RoundtableRelated Publications
Mass Violence and Atrocities
Making the Case for Peace in Cities
"""


def test_publication_page() -> None:
    page = parse_page(PUBLICATION)
    assert page.kind == "publication"
    assert (page.title, page.program_area, page.publication_type) == (
        "Cities and Mass Violence: Readout",
        MVA,
        "Readout and Recommendations",
    )
    assert (page.published, page.author) == ("2020-12", "Ariana Markowitz")
    assert page.description == "This readout summarises the roundtable."
    assert page.related_events == [
        RelatedEvent("Cities and Mass Violence Roundtable", date(2020, 10, 29), date(2020, 10, 29))
    ]
    assert page.related_publications == [
        RelatedPublication("Making the Case for Peace in Cities", MVA)
    ]


@pytest.mark.parametrize(
    ("text", "published", "program"),
    [
        ("Mass Violence and Atrocities\nA Brief on Cities\nJune 2024\nSummary.\n", "2024-06", MVA),
        ("A Brief on Cities\nJune 2024\nSummary.\n", "2024-06", None),
        (
            "Mass Violence and Atrocities | Policy Dialogue Brief\nA Brief on Cities\nSummary.\n",
            None,
            MVA,
        ),
    ],
)
def test_publication_page_variants(text: str, published: str | None, program: str | None) -> None:
    page = parse_page(text)
    assert page.kind == "publication" and page.title == "A Brief on Cities"
    assert (page.published, page.program_area, page.description) == (published, program, "Summary.")


def test_publication_page_imports_and_links_to_the_event(
    empty_planner: Planner, tmp_path: Path
) -> None:
    empty_planner.import_file(ROUNDTABLE)
    path = tmp_path / "readout.txt"
    path.write_text(PUBLICATION)
    report = empty_planner.import_file(path)
    assert report.added == {"publication": ["Cities and Mass Violence: Readout"]}
    [readout] = empty_planner.store.by_key(Publication, "Cities and Mass Violence: Readout")
    [roundtable] = empty_planner.store.by_key(Event, "Cities and Mass Violence Roundtable")
    assert readout.id and roundtable.id
    assert [e.id for e in empty_planner.store.events_for_publication(readout.id)] == [roundtable.id]
    assert {p.title for p in empty_planner.store.related_publications(readout.id)} == {
        "Making the Case for Peace in Cities"
    }


def test_a_link_only_event_is_completed_by_its_own_page(
    empty_planner: Planner, tmp_path: Path
) -> None:
    empty_planner.import_file(ROUNDTABLE)
    own = tmp_path / "spc.txt"
    own.write_text(
        "October 16-18, 2019 | Airlie, VA, USA | Mass Violence and Atrocities\n60th Strategy for Peace Conference\nThe conference text.\n"
    )
    report = empty_planner.import_file(own)
    assert report.updated == {"event": ["60th Strategy for Peace Conference"]} and not report.added
    [conference] = empty_planner.store.by_key(Event, "60th Strategy for Peace Conference")
    assert (
        not conference.link_only
        and conference.location == "Airlie, VA, USA"
        and conference.kind == "conference"
    )
    assert conference.id and [
        e.title for e in empty_planner.store.related_events(conference.id)
    ] == ["Cities and Mass Violence Roundtable"]


BAD_RELATED = """\
June 1, 2024 | Online | Mass Violence and Atrocities
A Webinar
Text.
Related Events
Febuary 31, 2020
A Misdated EventMay 5, 2021
A Fine Event
"""


def test_a_part_that_cannot_be_read_stops_the_page(tmp_path: Path, empty_planner: Planner) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(BAD_RELATED)
    with pytest.raises(InvalidInput) as caught:
        empty_planner.import_file(path)
    assert (
        str(caught.value) == f"{path}:5: the related event date 'Febuary 31, 2020' cannot be read"
    )
    assert empty_planner.is_empty()


def test_partial_imports_the_rest_and_lists_what_was_skipped(
    tmp_path: Path, empty_planner: Planner
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(BAD_RELATED)
    report = empty_planner.import_file(path, partial=True)
    assert report.skipped == ["line 5: the related event date 'Febuary 31, 2020' cannot be read"]
    titles = {e.title for e in empty_planner.events()}
    assert titles == {"A Webinar", "A Fine Event"}
    assert report.summary().endswith("skipped 1")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("\n\n  \n", "is empty"),
        ("name,email,organisation,role\nAna,a@x.org,UN,speaker\n", "looks like CSV"),
        ("<!DOCTYPE html><html><body>hi</body></html>", "is an HTML file"),
        ("Shopping list\nmilk\neggs\n", "is not an event or publication page"),
        ("June 31, 2024 | Place | Program\nTitle\n", "the date 'June 31, 2024' cannot be read"),
        ("June 1, 2024 | Place | Program\n", "has a header but no title"),
    ],
)
def test_not_a_page(tmp_path: Path, empty_planner: Planner, content: str, message: str) -> None:
    path = tmp_path / "page.txt"
    path.write_text(content)
    with pytest.raises(InvalidInput) as caught:
        empty_planner.import_file(path)
    assert message in str(caught.value) and str(caught.value).startswith(str(path))
    assert empty_planner.is_empty()
