"""Event pages as real pages are written, field by field (fixtures in tests/fixtures/pages/variants).

Each fixture follows the seeds' structure with one of the things real pages do: a URL or a
breadcrumb above the date line, blank lines and bullets between the parts, the date on a line
of its own, organisations named in the prose, a Partners section, related titles that end in a
capital letter and run into the next heading.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tui.domain.importers.event_page import Contact, RelatedEvent, RelatedPublication, parse_page
from tui.domain.models import Event, Organisation
from tui.domain.planner import Planner

VARIANTS = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "variants"
MVA = "Mass Violence and Atrocities"

EXPECTED: dict[str, dict[str, Any]] = {
    "010_url_and_partners.txt": {
        "title": "Urban Violence Prevention Dialogue – Bogotá",
        "start_date": date(2025, 6, 3),
        "end_date": date(2025, 6, 4),
        "location": "Bogotá, Colombia",
        "program_area": MVA,
        "access": "invitation-only",
        "contacts": [Contact("Kelsey Paul Shantz", "Program Officer", MVA)],
        "partners": [("Impact:Peace", None), ("Peace in Our Cities", None)],
        "related_events": [
            RelatedEvent(
                "Cities and Mass Violence Roundtable", date(2020, 10, 29), date(2020, 10, 29)
            ),
            RelatedEvent(
                "City Action for Peace Workshop – Washington, DC",
                date(2024, 6, 12),
                date(2024, 6, 12),
            ),
        ],
        "related_publications": [
            RelatedPublication("Making the Case for Peace in Cities", MVA),
            RelatedPublication("Peace in Our Cities", MVA),
        ],
    },
    "011_breadcrumb_bullets.txt": {
        "title": "Nuclear Risk Reduction Roundtable: Lessons From the NPT",
        "start_date": date(2026, 2, 11),
        "end_date": date(2026, 2, 12),
        "location": "Vienna, Austria",
        "program_area": "Nuclear Weapons",
        "access": "invitation-only",
        "event_kind": "roundtable",
        "contacts": [
            Contact("Benjamin Loehrke", "Program Officer", "Nuclear Weapons"),
            Contact("Jai-Ayla Sutherland", "Program Officer", MVA),
        ],
        "partners": [
            ("Vienna Center for Disarmament and Non-Proliferation", None),
            ("James Martin Center for Nonproliferation Studies", None),
        ],
        "related_events": [
            RelatedEvent(
                "Strategic Stability in a Multipolar World – Geneva, CH",
                date(2025, 11, 14),
                date(2025, 11, 14),
            ),
            RelatedEvent(
                "Nuclear Policy Dialogue with the UN", date(2025, 10, 2), date(2025, 10, 3)
            ),
        ],
        "related_publications": [
            RelatedPublication("Reducing Nuclear Risk: A Guide for the NPT", "Nuclear Weapons")
        ],
    },
    "012_date_alone.txt": {
        "title": "Climate Security and Cities Workshop",
        "start_date": date(2025, 9, 17),
        "end_date": date(2025, 9, 17),
        "location": "Washington D.C., DC, USA",
        "program_area": "Climate Change",
        "access": "public",
        "event_kind": "workshop",
        "contacts": [Contact("Maria Lopez", "Senior Program Officer", "Climate Change")],
        "partners": [],
        "related_events": [],
        "related_publications": [
            RelatedPublication(
                "Heat, Water and Security in Cities: Notes from the USA", "Climate Change"
            ),
            RelatedPublication("Climate Migration and the City", "Climate Change"),
        ],
    },
    "013_glued_capitals.txt": {
        "title": "Early Warning and Early Action Webinar",
        "start_date": date(2024, 3, 5),
        "end_date": date(2024, 3, 5),
        "location": "Online",
        "program_area": "Avoiding Armed Conflict",
        "access": "public",
        "event_kind": "webinar",
        "contacts": [Contact("Tom O'Neil", "Program Associate", "Avoiding Armed Conflict")],
        "partners": [("Crisis Group", None)],
        "related_events": [
            RelatedEvent(
                "Preventing Conflict in the Sahel: A Dialogue with ECOWAS",
                date(2024, 1, 10),
                date(2024, 1, 10),
            ),
            RelatedEvent(
                "Atrocity Prevention Roundtable – New York, NY",
                date(2023, 12, 5),
                date(2023, 12, 6),
            ),
        ],
        "related_publications": [
            RelatedPublication(
                "Early Warning in Practice: Lessons from the AU", "Avoiding Armed Conflict"
            ),
            RelatedPublication("Prevention Works", "Avoiding Armed Conflict"),
        ],
    },
    "014_weekday_time_share.txt": {
        "title": "Municipal Violence Prevention Workshop – Nairobi",
        "start_date": date(2025, 4, 16),
        "end_date": date(2025, 4, 16),
        "location": "Nairobi, Kenya",
        "program_area": MVA,
        "access": "invitation-only",
        "event_kind": "workshop",
        "description": (
            "City officials from Nairobi, Kampala and Dar es Salaam meet to compare how municipal"
            " offices of violence prevention are set up and funded.\n\nThe workshop is convened"
            " with the Strong Cities Network (SCN)."
        ),
        "contacts": [Contact("Kelsey Paul Shantz", "Program Officer", MVA)],
        "partners": [("Strong Cities Network", None), ("Nairobi City County", None)],
        "related_events": [
            RelatedEvent(
                "Lessons for and from Effective Offices of Violence Prevention",
                date(2024, 2, 8),
                date(2024, 2, 8),
            ),
            RelatedEvent(
                "City Action for Peace Workshop – Washington, DC",
                date(2024, 6, 12),
                date(2024, 6, 12),
            ),
        ],
        "related_publications": [
            RelatedPublication("Lessons from Effective Offices of Violence Prevention", MVA)
        ],
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_variant_page_field_by_field(name: str) -> None:
    page = parse_page((VARIANTS / name).read_text())
    assert page.kind == "event" and page.skipped == []
    for field_name, expected in EXPECTED[name].items():
        assert getattr(page, field_name) == expected, field_name


def test_every_fixture_is_checked() -> None:
    assert sorted(p.name for p in VARIANTS.glob("*.txt")) == sorted(EXPECTED)


def test_prose_organisations_are_kept_apart_from_partners() -> None:
    page = parse_page((VARIANTS / "010_url_and_partners.txt").read_text())
    assert page.mentioned == [("Municipal Secretariat of Security of Bogotá", "SSB")]
    assert ("Municipal Secretariat of Security of Bogotá", "SSB") not in page.partners


def test_a_description_keeps_its_paragraphs_and_bullets_across_blank_lines() -> None:
    page = parse_page((VARIANTS / "010_url_and_partners.txt").read_text())
    assert page.description == (
        "The Stanley Center and Impact:Peace are collaborating with the Municipal Secretariat of"
        " Security of Bogotá (SSB) to convene city officials, researchers, and community leaders"
        " from across Latin America.\n\nThe dialogue will:\n\n"
        "- Share what has worked in reducing homicide in Colombian cities.\n"
        "- Identify how national governments can support local violence prevention."
    )
    bullets = parse_page((VARIANTS / "011_breadcrumb_bullets.txt").read_text()).description
    assert bullets is not None and bullets.endswith(
        "\n\n- How can states reduce the risk of nuclear use in crisis?\n"
        "- What role can the NPT Review Conference play?"
    )


def test_a_partner_with_its_short_name_in_brackets() -> None:
    page = parse_page(
        "June 1, 2024 | Online | Peace and Security\nA Webinar\nText.\nPartners\n"
        "Global Initiative Against Transnational Organized Crime (GI-TOC)\nImpact:Peace\n"
    )
    assert page.partners == [
        ("Global Initiative Against Transnational Organized Crime", "GI-TOC"),
        ("Impact:Peace", None),
    ]


@pytest.mark.parametrize(
    "preamble",
    [
        "https://example.org/events/a-webinar\n",
        "\n\n\n",
        "Home › Events › A Webinar\n\n",
        "Events / Peace and Security\n",
        "www.example.org/event/a-webinar\nBack to Events\n",
    ],
)
def test_lines_above_the_date_line_are_not_the_page(preamble: str) -> None:
    page = parse_page(preamble + "June 1, 2024 | Online | Peace and Security\nA Webinar\nText.\n")
    assert (page.title, page.start_date, page.location, page.program_area) == (
        "A Webinar",
        date(2024, 6, 1),
        "Online",
        "Peace and Security",
    )


def test_a_title_ending_in_a_capital_does_not_become_an_event(
    empty_planner: Planner, tmp_path: Path
) -> None:
    path = tmp_path / "page.txt"
    path.write_text((VARIANTS / "013_glued_capitals.txt").read_text())
    empty_planner.import_file(path)
    titles = {e.title for e in empty_planner.events()}
    assert titles == {
        "Early Warning and Early Action Webinar",
        "Preventing Conflict in the Sahel: A Dialogue with ECOWAS",
        "Atrocity Prevention Roundtable – New York, NY",
    }
    assert not any("Related" in title for title in titles)
    [webinar] = empty_planner.store.by_key(Event, "Early Warning and Early Action Webinar")
    assert webinar.location == "Online"
    assert [o.name for o in empty_planner.store.listing(Organisation, order_by="id")] == [
        "Crisis Group"
    ]


def test_contacts_whose_job_title_starts_with_another_word() -> None:
    page = parse_page(
        "June 1, 2024 | Online | Peace and Security\nA Webinar\nText.\nContact\n"
        "Ana Ruiz\nCommunications OfficerPeace and Security\n"
        "Li Wei\nSenior Director, Programs\n"
    )
    assert page.contacts == [
        Contact("Ana Ruiz", "Communications Officer", "Peace and Security"),
        Contact("Li Wei", "Senior Director, Programs", None),
    ]


@pytest.mark.parametrize(
    "header",
    [
        "Thursday, June 12, 2025 | Online | Peace and Security",
        "Thu. June 12, 2025 | 10:00 a.m.-11:30 a.m. EDT | Online | Peace and Security",
        "June 12, 2025, 10am | Online | Peace and Security",
        "Thursday, June 12, 2025\nOnline\nPeace and Security",
    ],
)
def test_header_with_a_weekday_or_a_time(header: str) -> None:
    page = parse_page(f"{header}\nA Webinar\nPublic\nText.\n")
    assert (page.title, page.start_date, page.location, page.program_area, page.access) == (
        "A Webinar",
        date(2025, 6, 12),
        "Online",
        "Peace and Security",
        "public",
    )


@pytest.mark.parametrize(
    ("line", "title", "access"),
    [
        ("Cities and Mass Violence RoundtableInvitation Only", "Cities and Mass Violence Roundtable", "invitation-only"),
        ("Urban Peace Report LaunchPublic", "Urban Peace Report Launch", "public"),
        ("A Talk on Public", "A Talk on Public", None),  # a word of the title, not glued
    ],
)  # fmt: skip
def test_an_access_line_glued_to_the_title(line: str, title: str, access: str | None) -> None:
    page = parse_page(f"June 1, 2024 | Online | Peace and Security\n{line}\nText.\n")
    assert (page.title, page.access) == (title, access)


def test_related_publications_without_program_labels_are_one_a_line() -> None:
    page = parse_page(
        "June 1, 2024 | Online | Peace and Security\nA Webinar\nText.\nRelated Publications\n"
        "Making the Case for Peace in Cities\nPeace in Our Cities\n"
    )
    assert page.related_publications == [
        RelatedPublication("Making the Case for Peace in Cities"),
        RelatedPublication("Peace in Our Cities"),
    ]


def test_related_publications_under_an_unknown_program_label() -> None:
    page = parse_page(
        "June 1, 2024 | Online | Global Governance\nA Webinar\nText.\nRelated Publications\n"
        "Urban Futures\nCities and the UNUrban Futures\nA Second Brief\n"
    )
    assert page.related_publications == [
        RelatedPublication("Cities and the UN", "Urban Futures"),
        RelatedPublication("A Second Brief", "Urban Futures"),
    ]


def test_speakers_in_the_text_are_not_staff_contacts_and_other_sections_are_skipped() -> None:
    page = parse_page(
        "June 1, 2024 | Online | Peace and Security\nA Webinar\nPublic\nText.\nSpeakers\n"
        "Ada Okafor\nDirector, Urban Institute\nContact\nMaria Lopez\nProgram Officer\n"
        "Related Resources\nA Toolkit PDF\nRelated Publications\nPeace and Security\nA Brief\n"
    )
    assert page.contacts == [Contact("Maria Lopez", "Program Officer", None)]
    assert page.description == "Text.\n\nSpeakers\n\nAda Okafor\n\nDirector, Urban Institute"
    assert page.related_publications == [RelatedPublication("A Brief", "Peace and Security")]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Urban Peace Forum 2025", "conference"),
        ("Nuclear Policy Symposium", "conference"),
        ("Regional Consultation on Early Warning", "meeting"),
        ("Seminar on Atrocity Prevention", "workshop"),
        ("Strategy Retreat and Forum", "retreat"),  # the kind's own name comes first
    ],
)
def test_the_kind_a_title_names(title: str, kind: str) -> None:
    assert (
        parse_page(f"June 1, 2024 | Online | Peace and Security\n{title}\nText.\n").event_kind
        == kind
    )


def test_a_title_above_the_date_line_stays_the_title() -> None:
    page = parse_page(
        "https://example.org/events/a\nCity Action for Peace Workshop\n"
        "June 12, 2024 | Washington D.C., DC, USA | Mass Violence and Atrocities\n"
        "Invitation Only\nText.\n"
    )
    assert (page.title, page.start_date, page.location, page.access, page.description) == (
        "City Action for Peace Workshop",
        date(2024, 6, 12),
        "Washington D.C., DC, USA",
        "invitation-only",
        "Text.",
    )
